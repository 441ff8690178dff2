/* indexer/status.h - fzindex --status and --list: what an index holds.
 *
 * Promise: read-only: the index is opened for reading, never locked, so
 *          both work during a run, on a frozen index too.
 *          fz_status_print() writes to stdout one "name: value" line
 *          each for the index folder, reports, passages, files (the
 *          catalogue), shards (and how it is sharded), size on disk,
 *          last run (local time) and layout version.  fz_list_print()
 *          writes one JSON object a line for each report (JSON Lines,
 *          shard by shard, by id): its id, metadata, "path" (its first
 *          file), "paths" (all) and "passages".
 * Memory:  nothing is kept.
 * Threads: one thread. */
#ifndef FZ_INDEXER_STATUS_H
#define FZ_INDEXER_STATUS_H

#include "indexer/run.h"

/* 0; 2 when the index cannot be read (said through run). */
int fz_status_print(struct fz_run *run, const char *dbdir);
int fz_list_print(struct fz_run *run, const char *dbdir);

#endif
