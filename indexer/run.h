/* indexer/run.h - one run of fzindex: what its parts share.
 *
 * Promise: struct fz_run holds the settings of the run, fixed before any
 *          thread starts, and the little state its threads share: the
 *          lock on stderr and on the counts, whether writing the index
 *          failed, the counts themselves.  Every warning goes through
 *          fz_run_warn(), one whole line at a time.
 * Memory:  the caller owns struct fz_run (main() keeps it on its stack):
 *          fz_run_init() before use, fz_run_release() after; it borrows
 *          prog, db and interrupted, which must outlive it.
 * Threads: the fields above mu are written only before threads start;
 *          those below it with mu held, except st where only one thread
 *          counts (the writing thread of indexer/pipeline.c's reader
 *          pipeline, main() for --remove). */
#ifndef FZ_INDEXER_RUN_H
#define FZ_INDEXER_RUN_H

#include <pthread.h>

#include "reader/extract.h"
#include "store/codec.h"
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

/* What a run did.  Files, each counted once: indexed (read, every
 * report in), unchanged, moved (found at a new path, its old one gone:
 * its reports keep it), copies (a new path whose reports were all in
 * the index already: they gain the path), failed (not indexed, or not
 * wholly: named on stderr; arguments that are not there included); gone:
 * files of the catalogue removed.  Reports: written (new or replaced,
 * with their passages) and removed (their last file gone). */
struct fz_stats {
    size_t files, indexed, unchanged, moved, copies, failed, gone;
    size_t reports, passages, removed;
    off_t bytes_done;
};

struct fz_run {
    const char *prog;               /* "fzindex", for messages */
    const char *db;                 /* the index folder */
    /* Commit after this many passages per shard (or at the end): each
     * commit holds whole files, so a crash loses at most the files of one
     * batch and never leaves half a report; memory stays bounded.
     * FZ_BATCH. */
    size_t batch_passages;
    int tty;                        /* show a progress line on stderr */
    int term_lists;                 /* --term-lists: new shards keep
                                       Xapian's term lists */
    const struct fz_codec *codec;   /* the index's records are packed
                                       with it (store/codec.h), or NULL */
    struct fz_extract_opts extract; /* the format readers' options
                                       (--ocr) */
    /* set by the signal handler (SIGINT, SIGTERM): stop after the file
     * under way, keep what is committed */
    atomic_int *interrupted;

    pthread_mutex_t mu;             /* stderr, and the fields below */
    int index_failed;               /* a writer failed: the others stop */
    struct fz_stats st;
};

/* Set run up for the program prog writing the index db; batch_passages
 * 20000, no progress line. */
void fz_run_init(struct fz_run *run, const char *prog, const char *db,
                 atomic_int *interrupted);
void fz_run_release(struct fz_run *run);

/* "prog: message\n" on stderr, under run->mu. */
void fz_run_warn(struct fz_run *run, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Non-zero once the run was interrupted. */
int fz_run_interrupted(const struct fz_run *run);

#endif
