/* text/normalize.h - fold text into the form the index stores.
 *
 * Promise: NFKC with case folding (fullwidth Ａ１ → a1, ㈠ → (一)),
 *          default-ignorable characters (zero-width spaces, soft hyphens)
 *          removed, then Traditional → Simplified (OpenCC t2s).  For every
 *          output code point, src_cp[] gives the source code point it came
 *          from, so matches found in the folded text can be shown in the
 *          report's own script.
 *          Expansions: all code points one source code point expands to
 *          map to it (㈠ → "(", "一", ")" all map to ㈠).  Contractions: a
 *          character and its combining marks map to the character.
 *          OpenCC is opened for the first text it could change (one
 *          holding a code point of fz_norm_cc_may_change()), not before:
 *          the result is the same, opened or not, and most searches never
 *          read its dictionaries (行政复议 needs none of them).
 * Memory:  the caller owns struct fz_normed; fz_normed_release() frees it.
 *          libopencc, once loaded (dlopen), stays to the end of the
 *          process; each struct fz_norm closes its own converter.
 * Threads: a struct fz_norm holds one OpenCC converter: one per thread. */
#ifndef FZ_NORMALIZE_H
#define FZ_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct fz_norm;                                 /* opaque */

struct fz_normed {
    struct fz_buf text;     /* the folded text, UTF-8 */
    uint32_t *src_cp;       /* n_cp entries, non-decreasing */
    size_t n_cp;            /* code points in text */
    size_t n_src_cp;        /* code points in the source */
};
#define FZ_NORMED_INIT { FZ_BUF_INIT, NULL, 0, 0 }

/* A converter that opens OpenCC when a text first needs it.  NULL when
 * out of memory, with *errptr set. */
struct fz_norm *fz_norm_open(char **errptr);
void fz_norm_close(struct fz_norm *n);          /* NULL: does nothing */

/* Open OpenCC now, for a program that will need it anyway and had better
 * say at the start that it cannot (fzindex).  FZ_OK (also when open
 * already), or FZ_EIO when OpenCC's t2s data cannot be loaded. */
int fz_norm_load(struct fz_norm *n, char **errptr);
/* 1 when OpenCC is open (fz_norm_load(), or a text that needed it). */
int fz_norm_opened(const struct fz_norm *n);
/* 1 when OpenCC's t2s could change a text holding cp: cp occurs in a key
 * of its dictionaries, by the rule in tools/t2s_table.c; a text (at
 * fz_norm_run's second stage, after NFKC) holding none of those, nor a
 * NUL, is left as it is and does not open OpenCC. */
int fz_norm_cc_may_change(uint32_t cp);

/* Fold in[0,len) (valid UTF-8) into *out, replacing what it held.
 * FZ_OK, FZ_EINVAL (in is not valid UTF-8), FZ_ENOMEM, or FZ_EIO when
 * the text needs OpenCC and it cannot be loaded (as fz_norm_load()). */
int fz_norm_run(struct fz_norm *n, const char *in, size_t len,
                struct fz_normed *out, char **errptr);
/* fz_norm_run() for a text whose folding is known: folded[0,folded_len)
 * is what fz_norm_run() gave for in (the folded passage the index
 * stores).  When the NFKC stage gives as many code points as folded
 * holds, the result is folded with that stage's map, without OpenCC;
 * else fz_norm_run()'s.  The same result as fz_norm_run() for such a
 * folded.  Return values as fz_norm_run(). */
int fz_norm_run_as(struct fz_norm *n, const char *in, size_t len,
                   const char *folded, size_t folded_len,
                   struct fz_normed *out, char **errptr);
void fz_normed_release(struct fz_normed *nd);

/* Map the folded span [a,b) (code points, a < b <= n_cp) to the source
 * span [*lo,*hi): lo is where a's source code point starts, hi is past
 * the source code point of b-1, and past the combining marks folded into
 * it and the characters removed after it (zero-width spaces) when b-1 is
 * the last code point from there.  An empty span (a == b) maps to an
 * empty span at a's source position. */
void fz_normed_span_to_source(const struct fz_normed *nd, size_t a, size_t b,
                              size_t *lo, size_t *hi);

/* Fold a short string without keeping the map: malloc'd, NULL on failure
 * (fz_norm_run's, unsaid).  For metadata. */
char *fz_norm_str(struct fz_norm *n, const char *s, size_t len);

#endif
