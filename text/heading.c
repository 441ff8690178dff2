#include "text/heading.h"
#include "base/utf8.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int fz_is_cn_numeral(uint32_t c)
{
    /* 一二三四五六七八九十百零〇两 */
    static const uint32_t d[] = {
        0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
        0x4E5D, 0x5341, 0x767E, 0x96F6, 0x3007, 0x4E24,
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (d[i] == c)
            return 1;
    return 0;
}

static int is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

int fz_heading_level(const char *s, size_t len, size_t *marker_len)
{
    size_t i = 0, j;
    int level = 0;
    if (len == 0)
        return 0;
    uint32_t c = fz_utf8_next(s, len, &i, NULL);
    if (c == 0x7B2C) {                                  /* 第 */
        size_t n = 0;
        j = i;
        while (j < len) {
            size_t k = j;
            if (!fz_is_cn_numeral(fz_utf8_next(s, len, &k, NULL)))
                break;
            j = k;
            n++;
        }
        static const struct { const char *w; int level; } unit[] = {
            { "部分", 1 }, { "章", 1 }, { "篇", 1 }, { "编", 1 },
            { "节", 2 },
        };
        for (size_t u = 0; n > 0 && u < sizeof unit / sizeof unit[0]; u++) {
            size_t wl = strlen(unit[u].w);
            if (len - j >= wl && memcmp(s + j, unit[u].w, wl) == 0) {
                i = j + wl;
                level = unit[u].level;
                break;
            }
        }
    } else if (fz_is_cn_numeral(c) || is_digit(c)) {       /* 一、 1. 1、 */
        int cn = fz_is_cn_numeral(c);
        j = i;
        uint32_t d = 0;
        while (j < len) {
            size_t k = j;
            d = fz_utf8_next(s, len, &k, NULL);
            if (cn ? !fz_is_cn_numeral(d) : !is_digit(d))
                break;
            j = k;
        }
        size_t k = j;
        if (j < len)
            d = fz_utf8_next(s, len, &k, NULL);
        if (j < len && (d == 0x3001 || (!cn && (d == '.' || d == 0xFF0E)))) {
            /* "1.5万", "2023.12" and "1、2、3" are numbers, not headings;
             * "一、2024年工作回顾" is one */
            size_t m = k;
            uint32_t e = m < len ? fz_utf8_next(s, len, &m, NULL) : 0;
            if (cn || !is_digit(e)) {
                i = k;
                level = cn ? 1 : 3;
            }
        }
    } else if (c == '(' || c == 0xFF08) {               /* (一) (1) */
        j = i;
        size_t n = 0;
        int cn = -1;
        while (j < len) {
            size_t k = j;
            uint32_t d = fz_utf8_next(s, len, &k, NULL);
            int dcn = fz_is_cn_numeral(d), ddg = is_digit(d);
            if (!(dcn || ddg) || (cn >= 0 && cn != dcn))
                break;
            cn = dcn;
            j = k;
            n++;
        }
        size_t k = j;
        if (n > 0 && n <= 3 && j < len) {
            uint32_t d = fz_utf8_next(s, len, &k, NULL);
            if (d == ')' || d == 0xFF09) {
                i = k;
                level = cn ? 2 : 4;
            }
        }
    } else if (c >= 0x2460 && c <= 0x2473) {            /* ① - ⑳ */
        level = 4;
    } else if (c == 0x3220 || (c >= 0x3221 && c <= 0x3229)) {
        level = 2;                                      /* ㈠ - ㈩ */
    }
    if (level && marker_len)
        *marker_len = i;
    return level;
}

/* ---- cutting long paragraphs -------------------------------------------- */
