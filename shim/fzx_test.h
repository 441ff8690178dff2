/* shim/fzx_test.h - entry points of the shim that only the tests use.
 *
 * fz itself does not call these; the tests do, to build and inspect
 * databases in ways fzindex and fzsearch never need (a document replaced
 * by id, positional terms, a query's description).  Implemented in
 * shim/fzx.cc, under the conventions of shim/fzx.h. */
#ifndef FZ_FZX_TEST_H
#define FZ_FZX_TEST_H

#include "shim/fzx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the Xapian library linked in, e.g. "1.4.22". */

/* Every document, in docid order: its data, and its terms and values as
 * text, one per line in byte order ("term\n", then "#slot=value\n"); both
 * lent for the call.  fn returning non-zero stops.  It reads the whole
 * index. */
int fzx_db_each_document(fzx_db *db,
                         int (*fn)(void *ctx, const char *data, size_t dlen,
                                   const char *terms, size_t tlen),
                         void *ctx, char **errptr) FZX_NOEXCEPT;

/* Documents whose unique term exists: 1, 0, or -1 on error. */
int fzx_writer_has_term(fzx_writer *w, const char *term, size_t len,
                        char **errptr) FZX_NOEXCEPT;

/* A term at a position (for phrase queries). */
int fzx_doc_add_posting(fzx_doc *d, const char *term, size_t len,
                        unsigned pos) FZX_NOEXCEPT;

/* Add d, replacing any document with the unique term id.  d gains id as
 * a boolean term and stays the caller's: use a fresh one per document.
 * FZ_OK, FZ_EINVAL (empty id) or FZ_EINDEX. */
int fzx_writer_replace(fzx_writer *w, const char *id, size_t idlen,
                       fzx_doc *d, char **errptr) FZX_NOEXCEPT;

/* Every term starting with prefix (OP_WILDCARD), weighed as one term
 * (OP_SYNONYM). */
fzx_query *fzx_query_wildcard(const char *prefix, size_t len) FZX_NOEXCEPT;

/* Xapian's description of q, malloc'd. */
char *fzx_query_describe(const fzx_query *q) FZX_NOEXCEPT;

/* The query for documents like the one indexed by the unique term id:
 * the OR of the nterms terms that best tell it apart (Xapian's relevance
 * set of that one document and its expand set), counting only the terms
 * for which keep(keep_ctx, term, len) returns non-zero (keep NULL: every
 * term).  NULL on failure; *code FZ_ENOTFOUND when no document has id. */
fzx_query *fzx_query_like(fzx_db *db, const char *id, size_t idlen,
                          unsigned nterms,
                          int (*keep)(void *ctx, const char *term,
                                      size_t len),
                          void *keep_ctx, int *code, char **errptr)
        FZX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
