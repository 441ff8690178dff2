/* indexer/shards.h - the index folder: its shards, where a file goes,
 * writing a prepared file, committing.
 *
 * Promise: an index is a folder holding shards (databases s0000, s0001,
 *          ...) and the stub that lists them (shim/fzx.h), whose notes
 *          say how it is sharded: "fz shards: count K" (--shards K, a
 *          file goes to the shard its path hashes to) or "fz shards:
 *          size N" (--shard-size N, the newest shard until that holds N
 *          reports), and "fz frozen: read-only" after --freeze.  Each
 *          shard is a complete index of the files it was given (their
 *          "file:PATH" metadata keys included, and "reports" when
 *          sharded).  A folder with a database and no stub is the old
 *          layout of one database, still written as one shard.  A file's
 *          reports all live in one shard; each file is written whole
 *          inside a transaction, committed every run->batch_passages.
 * Memory:  struct fz_shards owns its paths and writers: fz_shards_close()
 *          closes the writers, fz_shards_release() frees the rest.
 * Threads: one writer per shard; a thread writes only the shards given
 *          to it (k % nth == j in fz_shards_write_file), so threads that
 *          share the struct touch different elements. */
#ifndef FZ_INDEXER_SHARDS_H
#define FZ_INDEXER_SHARDS_H

#include "indexer/document.h"
#include "indexer/run.h"
#include "shim/fzx.h"

#include <stddef.h>

struct fz_shards {
    char *dir;                  /* the index folder (the caller's) */
    int sharded;
    char mode;                  /* 'k': --shards K, 'n': --shard-size N */
    int frozen;                 /* --freeze: searchable, not writable */
    unsigned long param;
    size_t n;
    char **path;                /* each shard's folder */
    fzx_writer **w;             /* open writers, one per shard */
    unsigned long *reports;     /* metadata "reports" of each shard */
    int *txn;                   /* a transaction is open */
};

/* Whether dbdir may hold the index: a folder (made later if missing),
 * writable, holding nothing but an index.  0, or -1 when said. */
int fz_shards_check_dir(struct fz_run *run, const char *dbdir);

/* Open the index folder s->dir for writing: the shards its stub lists,
 * its one database, or, when new, the shards mode and param ask for
 * ('k' with K, 'n' with N; 0: jobs shards, 'k').  Each is checked for
 * the schema this fzindex writes and committed once, so that readers of
 * this run see it.  0, or 2 when said. */
int fz_shards_open(struct fz_run *run, struct fz_shards *s, char mode,
                   unsigned long param, unsigned long jobs);

/* Rewrite the stub from s (sharding, frozen, shards).  FZ_OK or a code
 * with *errptr. */
int fz_shards_write_stub(const struct fz_shards *s, char **errptr);

/* The shard a new file at path goes to under --shards K. */
size_t fz_shards_hash(const struct fz_shards *s, const char *path);

/* Write the prepared file it (at path) into its shard, begun in a
 * transaction; commit the shards k % nth == thr once *pending passages
 * reach run->batch_passages.  Counts go to st (the caller's).  0, or 2
 * when the index failed: said once, by the first thread it failed for,
 * and run->index_failed set. */
int fz_shards_write_file(struct fz_run *run, struct fz_shards *s,
                         struct fz_item *it, const char *path,
                         size_t *pending, struct fz_stats *st, unsigned thr,
                         unsigned nth);

/* Commit the open transactions of shards k with k % nth == j (every
 * shard: fz_shards_commit); after a failure the rest are cancelled.
 * FZ_OK or the first failure's code with *errptr. */
int fz_shards_commit_some(struct fz_shards *s, unsigned j, unsigned nth,
                          char **errptr);
int fz_shards_commit(struct fz_shards *s, char **errptr);

/* Cancel the open transactions of shards k % nth == j. */
void fz_shards_cancel_some(struct fz_shards *s, unsigned j, unsigned nth);

/* Close every writer (an open transaction is cancelled).  FZ_OK or
 * FZ_EINDEX with *errptr.  The paths stay for compaction. */
int fz_shards_close(struct fz_shards *s, char **errptr);

/* Free the paths (after fz_shards_close). */
void fz_shards_release(struct fz_shards *s);

/* The file this thread is writing, or NULL: for a handler that cannot
 * be given an argument (fzx_on_fatal). */
const char *fz_shards_writing(void);

#endif
