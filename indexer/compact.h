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

/* The end of a run (indexer/collection.c): shard k of s, committed,
 * compacted and swapped in; its writer is closed first and opened anew
 * after (meanwhile another fzindex could take the shard's lock: the
 * caller does shard 0 last, holding the others).  0, or 2 when said. */
int fz_compact_shard(struct fz_run *run, struct fz_shards *s, size_t k);

/* Close shard k's writer before a swap (Xapian writes to its folder by
 * name, even on closing), and open it again on s->path[k] after.
 * fz_compact_reopen(): 0, or 2 when said. */
void fz_compact_release(struct fz_shards *s, size_t k);
int fz_compact_reopen(struct fz_run *run, struct fz_shards *s, size_t k);

/* Put the database in the folder fresh in place of the one in dir, in
 * one step where the file system can (a reader finds one or the other),
 * and remove the old one.  0, or 2 when said (fresh removed). */
int fz_compact_swap(struct fz_run *run, const char *dir, const char *fresh);

#endif
