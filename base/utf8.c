#include "base/utf8.h"

#include <utf8proc.h>

uint32_t fz_utf8_next(const char *s, size_t len, size_t *i, bool *valid)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    uint32_t c = p[0];
    size_t n;
    uint32_t min;
    if (c < 0x80) {
        *i += 1;
        if (valid)
            *valid = true;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2; c &= 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; c &= 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; c &= 0x07; min = 0x10000;
    } else {
        goto bad;
    }
    if (left < n)
        goto bad;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (p[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *i += n;
    if (valid)
        *valid = true;
    return c;
bad:
    *i += 1;
    if (valid)
        *valid = false;
    return FZ_REPLACEMENT;
}

size_t fz_utf8_prefix(const char *s, size_t len, size_t n_cp)
{
    size_t i = 0;
    while (i < len && n_cp-- > 0)
        fz_utf8_next(s, len, &i, NULL);
    return i;
}

size_t fz_utf8_count(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        /* continuation bytes don't start a code point; cheap count for the
         * valid text every module past decode sees */
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
        i++;
    }
    return n;
}

bool fz_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    bool ok = true;
    while (i < len && ok)
        fz_utf8_next(s, len, &i, &ok);
    return ok;
}

size_t fz_utf8_width(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

bool fz_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF)         /* URO */
        || (c >= 0x3400 && c <= 0x4DBF)         /* Ext A */
        || (c >= 0x20000 && c <= 0x2EBEF)       /* Ext B-F */
        || (c >= 0x30000 && c <= 0x323AF)       /* Ext G-H */
        || (c >= 0xF900 && c <= 0xFAFF)         /* compatibility */
        || (c >= 0x2F800 && c <= 0x2FA1F)       /* compat supplement */
        || c == 0x3007;                         /* 〇, as in 二〇二三 */
}

bool fz_is_space(uint32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0
        || c == 0x3000 || c == 0xFEFF || (c >= 0x200B && c <= 0x200D))
        return true;
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ZS;
}

bool fz_is_wordchar(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z');
    if (fz_is_han(c))
        return false;
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
        return true;
    default:
        return false;
    }
}
