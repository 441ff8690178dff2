/* indexer/shards.h - the index folder: its shards, where a file goes,
 * writing a prepared file, committing.
 *
 * Promise: an index is a folder holding shards (databases s0000, s0001,
 *          ...) and the stub that lists them (shim/fzx.h), whose notes
 *          say how it is sharded: "fz shards: count K" (--shards K, a
 *          report goes to the shard its id hashes to) or "fz shards:
 *          size N" (--shard-size N, the newest shard until that holds N
 *          reports), and "fz frozen: read-only" after --freeze.  Each
 *          shard is a complete index of the reports it was given
 *          ("reports" in its metadata when sharded); shard 0 also holds
 *          the catalogue of files (store/schema.h).  A folder with a
 *          database and no stub is one database, written as one shard.
 *          A report lives in one shard; changes are made inside a
 *          transaction on each shard touched, committed together
 *          (shard 0 last) every run->batch_passages.
 * Memory:  struct fz_shards owns its paths and writers: fz_shards_close()
 *          closes the writers, fz_shards_release() frees the rest.
 * Threads: one thread writes (the caller's); fz_shards_writing() is
 *          per thread. */
#ifndef FZ_INDEXER_SHARDS_H
#define FZ_INDEXER_SHARDS_H

#include "base/buf.h"
#include "indexer/run.h"
#include "shim/fzx.h"

#include <stddef.h>

struct fz_shards {
    char *dir;                  /* the index folder (the caller's) */
    int sharded;
    char mode;                  /* 'k': --shards K, 'n': --shard-size N */
    int frozen;                 /* --freeze: searchable, not writable */
    int term_lists;             /* --term-lists (the caller's) */
    unsigned long param;
    size_t n;
    char **path;                /* each shard's folder */
    fzx_writer **w;             /* open writers, one per shard */
    unsigned long *reports;     /* metadata "reports" of each shard */
    int *txn;                   /* a transaction is open */
    struct fz_buf zdict;        /* FZ_ZDICT_KEY: the dictionary every
                                   shard holds, or empty */
    unsigned wflags;            /* fzx_writer_open_with(): FZX_NO_TERMLIST
                                   unless --term-lists made the index or
                                   its first shard has term lists */
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

/* Give every shard the dictionary dict[0,len) (store/codec.h) where it
 * has none, committed there at once, before any record packed with it;
 * s->zdict becomes it and run->codec its codec.  fz_shards_open() does
 * so with the dictionary one shard has (a killed run, a shard added);
 * the indexer with one it trained.  FZ_OK or a code with *errptr. */
int fz_shards_set_dict(struct fz_run *run, struct fz_shards *s,
                       const char *dict, size_t len, char **errptr);

/* Rewrite the stub from s (sharding, frozen, shards).  FZ_OK or a code
 * with *errptr. */
int fz_shards_write_stub(const struct fz_shards *s, char **errptr);

/* The shard a report goes to under --shards K: its id's hash mod K. */
size_t fz_shards_hash(const struct fz_shards *s, const char *rid);

/* The shard a new report with id rid goes to (--shard-size: the newest,
 * or a new one when that is full, after committing every shard); -1 on
 * failure with *errptr. */
int fz_shards_route(struct fz_shards *s, const char *rid, char **errptr);

/* Begin a transaction on shard k unless one is open.  FZ_OK or a code. */
int fz_shards_begin(struct fz_shards *s, size_t k, char **errptr);

/* Shard k gained delta reports: its "reports" metadata (when sharded)
 * and s->reports[k].  FZ_OK or a code. */
int fz_shards_count(struct fz_shards *s, size_t k, long delta,
                    char **errptr);

/* Commit the open transactions of shards k with k % nth == j (every
 * shard: fz_shards_commit), shard 0 last; after a failure the rest are
 * cancelled.
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
 * be given an argument (fzx_on_fatal); set by the writer. */
const char *fz_shards_writing(void);
void fz_shards_set_writing(const char *path);

/* The folder "<dir>.<kind>-<pid>" that compacting or rebuilding the
 * shard folder dir makes beside it while this process holds its lock
 * (kind one of fz_shard_copy_kinds: "compact", "old", "rebuild",
 * "packed"); fz_shards_open() removes those a stopped run left.
 * malloc'd, NULL when out of memory. */
extern const char *const fz_shard_copy_kinds[];
char *fz_shard_copy_name(const char *dir, const char *kind);

#endif
