/* indexer/compact.h - fzindex --compact and --freeze.
 *
 * Promise: fz_compact_index() rewrites every shard of an index with
 *          Xapian's compactor into a fresh copy and swaps it in, holding
 *          the write lock of every shard from before the copies are read
 *          until they are in place, so that no writer changes the index
 *          meanwhile and a reader opening it finds the old copy or the
 *          new one, never neither.  The copies are made side by side, as
 *          many at once as there are cores.  With freeze, each copy also
 *          drops its term lists (shim/fzx.h, fzx_freeze) and the stub
 *          says "frozen": searchable as before, no longer writable; a
 *          freeze swaps in all its copies or, when one failed, none.
 * Memory:  nothing is kept.
 * Threads: fz_compact_index() and fz_compact_shards() threads of their
 *          own; for fz_compact_index() no writer of the index may be
 *          open in this process (fz_shards_close() first). */
#ifndef FZ_INDEXER_COMPACT_H
#define FZ_INDEXER_COMPACT_H

#include "indexer/run.h"
#include "indexer/shards.h"

/* Compact (or freeze) every shard of s, then say "compacted DIR: X MB ->
 * Y MB" on stderr unless quiet.  0, or 2 when something failed (said). */
int fz_compact_index(struct fz_run *run, struct fz_shards *s, int freeze,
                     int quiet);

/* The end of a run (indexer/collection.c): shards ks[0,n) of s, all
 * committed, compacted and swapped in.  They are copied side by side,
 * as many at once as there are cores (Xapian compacts a database on one
 * thread), while the run's writers stay open (a copy is read from the
 * last commit); then, one at a time in
 * the order given, a shard's writer is closed, its copy swapped in and
 * the writer opened anew (meanwhile another fzindex could take that
 * shard's lock: the caller puts shard 0 last, the others held).  A copy
 * that fails leaves its shard as it was.  0, or 2 when said. */
int fz_compact_shards(struct fz_run *run, struct fz_shards *s,
                      const size_t *ks, size_t n);

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
