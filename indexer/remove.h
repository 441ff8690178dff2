/* indexer/remove.h - fzindex --remove: files out of the index.
 *
 * Promise: fz_remove_path() removes from the index a file, named as it
 *          was indexed or by any path that leads there (relative or
 *          absolute; a file already deleted from disk is resolved by
 *          its name, fz_walk_abspath()), or every file indexed under a
 *          folder: each loses its catalogue entry, its reports lose its
 *          path, and those it was the last path of are deleted
 *          (indexer/collection.h).
 * Memory:  nothing is kept.
 * Threads: one thread (the writer is the caller's). */
#ifndef FZ_INDEXER_REMOVE_H
#define FZ_INDEXER_REMOVE_H

#include "indexer/collection.h"
#include "indexer/run.h"

/* 0; 1 when the path names nothing in the index (said); 2 when the index
 * failed (said).  st->gone counts the files removed, st->removed the
 * reports deleted. */
int fz_remove_path(struct fz_coll *c, const char *path, struct fz_stats *st);

#endif
