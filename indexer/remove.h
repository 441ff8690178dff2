/* indexer/remove.h - fzindex --remove: files out of the index.
 *
 * Promise: fz_remove_path() removes from one database the reports of a
 *          file, named as it was indexed (its real path; a file already
 *          deleted from disk by the name given), or of every file indexed
 *          under a folder; each file in a transaction of its own, its
 *          "file:PATH" metadata key with it.
 * Memory:  nothing is kept.
 * Threads: one thread (the writer is the caller's). */
#ifndef FZ_INDEXER_REMOVE_H
#define FZ_INDEXER_REMOVE_H

#include "indexer/run.h"
#include "shim/fzx.h"

/* 0, or 2 when the index failed (said through run); st->removed counts
 * the files removed (none: the path was not in this database). */
int fz_remove_path(struct fz_run *run, fzx_writer *w, const char *path,
                   struct fz_stats *st);

#endif
