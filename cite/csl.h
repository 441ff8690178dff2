/* cite/csl.h - the part of a CSL processor that fz's citations go through.
 *
 * Promise: the functions below give, byte for byte, what citeproc-js
 *          2.4.63 (npm package `citeproc`, the processor behind Zotero)
 *          prints in its "text" output format for the pieces of a GB/T
 *          7714 reference entry that fz's CSL-JSON items contain.  They
 *          are not a CSL processor: cite/cite.c lays out the entry for
 *          the few item shapes fz produces, and calls these for what
 *          happens inside and between the fields.  tests/test_cite.c
 *          compares the result with citeproc-js itself.
 *
 *          CSL-JSON strings are rich text.  citeproc-js reads straight
 *          quotes that pair up (" after a space or "(" and at the start,
 *          closed by " before anything) as quotation marks and prints the
 *          locale's (the GB/T styles: “” outside, ‘’ inside, alternating
 *          as they nest); a ' that does not pair up is an apostrophe ’;
 *          the markup tags <i> <b> <sc> <sup> <sub> <span class="nocase">
 *          <span class="nodecor"> <span style="font-variant:small-caps;">
 *          vanish when they pair up and stay as text when they do not.
 *          Its quirks are reproduced, not fixed: 关于"十四五"规划 keeps its
 *          straight quotes (no space before the first), x ('y') z prints
 *          x ('y’) z.  Only the tag spellings above are recognised (no
 *          extra attributes or spaces inside a tag).
 * Memory:  output is appended to a struct fz_buf the caller owns.
 * Threads: no state; safe anywhere. */
#ifndef FZ_CSL_H
#define FZ_CSL_H

#include <stddef.h>

#include "base/buf.h"

/* Append to out what citeproc-js prints for the string variable s[0,len)
 * (valid UTF-8).  uppercase: apply the style's text-case="uppercase"
 * first, as the GB/T 7714-2015 style does to names (outside <sc>, <sup>,
 * <sub> and the spans, like citeproc-js; full Unicode uppercasing for
 * the common cases: simple case mapping plus ß → SS and the Latin
 * ligatures ﬀ..ﬆ).  *quote_tail (OUT) is the number of bytes at the end
 * of what was appended that are closing marks of quotations (” or ’ of
 * a pair), 0 when it does not end with one: punctuation after the field
 * merges with what is inside them (fz_csl_append_punct()).
 * FZ_OK or FZ_ENOMEM (out then unchanged). */
int fz_csl_rich_text(const char *s, size_t len, int uppercase,
                     struct fz_buf *out, size_t *quote_tail);

/* Append s to out the way citeproc-js joins a field to the delimiter,
 * affix or field after it: when out ends with one of . ! ? : ; , and s
 * starts with one of them, the two merge as citeproc-js merges them
 * ("." + "." → ".", "?" + "." → "?", ":" + "." → ":", "!" + ":" → "!",
 * "." + ":" stays ".:").  quote_tail: what fz_csl_rich_text() said of
 * the field that ends out, or 0; the character inside the closing
 * quotation marks is then the one that merges ("“A.”" + ". " gives
 * "“A.” "; a two-character result leaves both as they are: "“A,”.").
 * FZ_OK or FZ_ENOMEM (out then unchanged). */
int fz_csl_append_punct(struct fz_buf *out, const char *s,
                        size_t quote_tail);

#endif
