/* indexer/pipeline.h - the threads of an indexing run.
 *
 * Promise: fz_pipeline_run() indexes the files of fs into s with jobs
 *          threads, in one of two ways.  Under --shards K (K > 1, jobs >
 *          1) a file's shard is known from its path, so each of
 *          min(jobs, K) threads reads and writes the files of its own
 *          shards (k % nth == j): Xapian's writing, the larger part of
 *          the work, runs in parallel.  Otherwise jobs threads read and
 *          build documents (indexer/document.h) up to 4 * jobs + 2 files
 *          ahead, and the calling thread writes them in file order (with
 *          one job it reads too).  Warnings come out in file order (per
 *          thread under --shards); a progress line is shown when
 *          run->tty; an interrupted run stops after the files under way
 *          and commits what was written.  Threads end by pthread_join:
 *          the calling thread waits on a condition variable, never
 *          polls.
 * Memory:  nothing is kept; counts go to run->st.
 * Threads: starts and joins its own; s and fs are shared read-only
 *          except the shards each thread owns. */
#ifndef FZ_INDEXER_PIPELINE_H
#define FZ_INDEXER_PIPELINE_H

#include "indexer/run.h"
#include "indexer/shards.h"
#include "indexer/walk.h"

/* 0 every file indexed, 1 some not (said), 2 the index failed (said). */
int fz_pipeline_run(struct fz_run *run, struct fz_shards *s,
                    const struct fz_files *fs, unsigned jobs);

#endif
