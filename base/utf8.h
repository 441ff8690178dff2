/* base/utf8.h - the UTF-8 and character-class primitives every module uses.
 *
 * Promise: fz_utf8_next() never reads past len and never fails: an invalid
 *          or truncated sequence yields U+FFFD and advances one byte, so a
 *          loop over any bytes terminates.  The classes are pure functions
 *          of the code point.
 * Threads: no state; safe anywhere. */
#ifndef FZ_UTF8_H
#define FZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_REPLACEMENT 0xFFFDu

/* Decode the code point at s[*i], advancing *i past it.  *valid (if not
 * NULL) is set false when the bytes were not well-formed UTF-8 (then the
 * result is U+FFFD and *i advanced by one).  Requires *i < len. */
uint32_t fz_utf8_next(const char *s, size_t len, size_t *i, bool *valid);
/* Bytes of the first n_cp code points of s (or len if shorter). */
size_t fz_utf8_prefix(const char *s, size_t len, size_t n_cp);
/* Number of code points in s. */
size_t fz_utf8_count(const char *s, size_t len);
/* True when s[0,len) is well-formed UTF-8 (no surrogates, no overlongs). */
bool fz_utf8_valid(const char *s, size_t len);
/* Number of bytes cp takes in UTF-8 (1..4). */
size_t fz_utf8_width(uint32_t cp);

/* CJK ideographs (URO, extensions A-H, compatibility) and U+3007 〇. */
bool fz_is_han(uint32_t cp);
/* ASCII or Unicode white space, including U+3000 and U+00A0. */
bool fz_is_space(uint32_t cp);
/* Letters and digits of any script other than Han (Latin, digits, kana,
 * Hangul, Cyrillic...): what makes up a "word" token. */
bool fz_is_wordchar(uint32_t cp);

#endif
