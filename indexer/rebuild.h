/* indexer/rebuild.h - a shard written again from its own documents.
 *
 * Promise: shards have no term lists (store/schema.h), so a document
 *          stays until its shard is written anew.  fz_rebuild_shard()
 *          does that for shard k: every document it holds, except those
 *          of the reports listed in dead and the documents drop[],
 *          goes into a fresh database with its data and values as they
 *          were and its terms made again from its data by
 *          fz_document_terms(), as fzindex made them; the shard's
 *          metadata is copied; the fresh database is compacted and
 *          swapped in for the old one, which a reader opening it
 *          meanwhile finds instead (indexer/compact.h).
 * Memory:  nothing is kept.
 * Threads: the writing thread; shard k committed, no transaction open. */
#ifndef FZ_INDEXER_REBUILD_H
#define FZ_INDEXER_REBUILD_H

#include "base/buf.h"
#include "indexer/run.h"
#include "indexer/shards.h"

#include <stddef.h>

/* dead: " RID RID ..." (FZ_DEAD_KEY's form); drop ascending.  *kept
 * the documents written.  0, or 2 when said (the old shard stays). */
int fz_rebuild_shard(struct fz_run *run, struct fz_shards *s, size_t k,
                     const struct fz_buf *dead, const unsigned long *drop,
                     size_t n_drop, unsigned long *kept);

#endif
