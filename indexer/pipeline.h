/* indexer/pipeline.h - the threads of an indexing run.
 *
 * Promise: fz_pipeline_run() indexes the files of fs into the
 *          collection c (indexer/collection.h) with jobs threads: they
 *          read and build documents (indexer/document.h) up to 4 * jobs
 *          + 2 files ahead, and the calling thread writes them in file
 *          order (with one job it reads too).  A report's shard is known
 *          only once its text is read, and whether it is new only from
 *          every shard, so one thread writes them all.  Warnings come
 *          out in file order; a progress line is shown when
 *          run->tty; an interrupted run stops after the files under way
 *          and commits what was written.  Threads end by pthread_join:
 *          the calling thread waits on a condition variable, never
 *          polls.
 * Memory:  nothing is kept; counts go to run->st.
 * Threads: starts and joins its own; fs and the catalogue are shared
 *          read-only; only the calling thread writes. */
#ifndef FZ_INDEXER_PIPELINE_H
#define FZ_INDEXER_PIPELINE_H

#include "indexer/run.h"
#include "indexer/collection.h"
#include "indexer/walk.h"

/* 0 every file indexed, 1 some not (said), 2 the index failed (said). */
int fz_pipeline_run(struct fz_run *run, struct fz_coll *c,
                    const struct fz_files *fs, unsigned jobs);

#endif
