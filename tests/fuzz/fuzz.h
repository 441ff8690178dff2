/* tests/fuzz/fuzz.h - what every fuzz target shares: the libFuzzer entry
 * point, a check that aborts (so that libFuzzer, or the replay program
 * under `make check`, reports the input), and the targets' own UTF-8
 * reader, independent of base/utf8.c, which is under test too.
 *
 * A target checks what the headers in text/ promise, not only that
 * nothing crashes.  It keeps no state between inputs except handles that
 * cost much to open (the OpenCC converter, the division table), opened on
 * the first call and kept to the end of the process. */
#ifndef FZ_FUZZ_H
#define FZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,    \
                    __LINE__, #cond);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* Length of the well-formed UTF-8 sequence at s[0,len) (1..4), or 0 when
 * it is not one (truncated, overlong, a surrogate, above U+10FFFF).  *cp
 * receives its code point.  RFC 3629, section 4. */
static inline size_t fuzz_utf8_seq(const unsigned char *s, size_t len,
                                   uint32_t *cp)
{
    size_t n;
    uint32_t c = s[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC0 && c < 0xE0) {
        n = 2; c &= 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c < 0xF0) {
        n = 3; c &= 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c < 0xF8) {
        n = 4; c &= 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* 1 when s[0,len) is well-formed UTF-8. */
static inline int fuzz_utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = 0;
    for (size_t i = 0; i < len;) {
        size_t n = fuzz_utf8_seq(p + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* Code points in the valid UTF-8 s[0,len). */
static inline size_t fuzz_utf8_cps(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Bytes of the first n code points of the valid UTF-8 s[0,len). */
static inline size_t fuzz_utf8_bytes(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    uint32_t cp = 0;
    while (i < len && n-- > 0) {
        size_t k = fuzz_utf8_seq((const unsigned char *)s + i, len - i, &cp);
        if (k == 0)
            break;
        i += k;
    }
    return i;
}

/* fz.h: an error message or warning is one non-empty line of valid
 * UTF-8, with no control characters. */
static inline void fuzz_check_message(const char *m)
{
    FUZZ_CHECK(m != NULL && m[0] != '\0');
    for (const char *c = m; *c; c++)
        FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7F);
    FUZZ_CHECK(fuzz_utf8_ok(m, strlen(m)));
}

#endif
