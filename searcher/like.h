/* searcher/like.h - the query of --like: passages like an example.
 *
 * Promise: the terms that best tell the example passage apart, weighed
 *          by tf-idf over the index (BM25's idf; a term found only in
 *          the example tells nothing and is left out), at most
 *          FZS_LIKE_TERMS of them, ORed, the example's own report
 *          excluded.  Terms come from the example's folded text, so a
 *          frozen index (no term lists) answers as before.
 * Memory:  the query returned is the caller's (fzx_query_free()).
 * Threads: one fzx_db per thread. */
#ifndef FZS_LIKE_H
#define FZS_LIKE_H

#include "shim/fzx.h"

#define FZS_LIKE_TERMS 40

/* The query for passages like the one whose folded text is norm, in
 * reports other than rid (16 hex digits); pid is the example's id, for
 * messages.  NULL with *code and *errptr: FZ_EINVAL "--like '<pid>': the
 * passage has no words found elsewhere", FZ_ENOMEM. */
fzx_query *fzs_like_query(fzx_db *db, const char *norm, const char *rid,
                          const char *pid, int *code, char **errptr);

#endif
