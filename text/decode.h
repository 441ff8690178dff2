/* text/decode.h - turn the bytes of a file into valid UTF-8.
 *
 * Promise: the output is well-formed UTF-8 with no NUL byte, whatever the
 *          input.  UTF-8 (with or without BOM), UTF-16 with a BOM, and
 *          GB18030 (a superset of GBK and GB2312) are detected.  A byte
 *          sequence that is invalid in the detected encoding becomes one
 *          U+FFFD per offending byte, and so does a NUL byte (in UTF-16,
 *          each byte of a bad or NUL code unit); struct fz_decoded counts
 *          them and keeps the first byte offsets so the caller can name
 *          them in a warning.  Nothing is dropped silently.
 * Memory:  the caller owns out (a struct fz_buf, appended to).
 * Threads: no shared state; an iconv descriptor is opened per call. */
#ifndef FZ_DECODE_H
#define FZ_DECODE_H

#include <stddef.h>

#include "base/buf.h"

#define FZ_DECODE_MAX_OFFSETS 8

struct fz_decoded {
    const char *encoding;   /* "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030" */
    int had_bom;
    size_t n_invalid;       /* bytes replaced by U+FFFD (NUL bytes included) */
    size_t n_nul;           /* of which NUL bytes */
    size_t n_offsets;       /* min(n_invalid, FZ_DECODE_MAX_OFFSETS) */
    size_t offsets[FZ_DECODE_MAX_OFFSETS]; /* byte offsets into the input */
};

/* Detect the encoding of in[0,len) and append its UTF-8 form to out.
 * FZ_OK (check info->n_invalid for replaced bytes), FZ_EINVAL when the
 * input looks like a binary file rather than text (many NUL or control
 * bytes; *errptr says so), FZ_ENOMEM. */
int fz_decode_to_utf8(const char *in, size_t len, struct fz_buf *out,
                      struct fz_decoded *info, char **errptr);

/* A one-line description of what was replaced, for a warning such as
 * "3 invalid bytes in GB18030 replaced by U+FFFD, first at byte 1042":
 * malloc'd, NULL when info->n_invalid is 0 or on allocation failure. */
char *fz_decoded_describe(const struct fz_decoded *info);

/* Whether bytes look like a binary file rather than text of any encoding
 * fz decodes: more than 1 in 100 of the first 64 KiB are NUL or C0
 * control bytes (a stray NUL in a report is text with a flaw, replaced
 * and warned about).  1 or 0. */
int fz_decode_looks_binary(const char *p, size_t len);

#endif
