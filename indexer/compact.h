/* indexer/compact.h - fzindex --compact and --freeze.
 *
 * Promise: fz_compact_index() rewrites every shard of an index with
 *          Xapian's compactor into a fresh copy and swaps it in, holding
 *          that shard's write lock meanwhile, so that no writer changes
 *          it and a reader opening it finds the old copy or the new one,
 *          never neither.  With freeze, each copy also drops its term
 *          lists (shim/fzx.h, fzx_freeze) and the stub says "frozen":
 *          searchable as before, no longer writable.
 * Memory:  nothing is kept.
 * Threads: one thread; no writer of the index may be open in this
 *          process (fz_shards_close() first). */
#ifndef FZ_INDEXER_COMPACT_H
#define FZ_INDEXER_COMPACT_H

#include "indexer/run.h"
#include "indexer/shards.h"

/* Compact (or freeze) every shard of s, then say "compacted DIR: X MB ->
 * Y MB" on stderr unless quiet.  0, or 2 when something failed (said). */
int fz_compact_index(struct fz_run *run, struct fz_shards *s, int freeze,
                     int quiet);

#endif
