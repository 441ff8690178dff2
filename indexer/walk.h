/* indexer/walk.h - the files to index: named paths, folders walked.
 *
 * Promise: fz_walk_collect() adds a named file whatever its name, and the
 *          indexable files (.txt, .htm, .html, .jsonl) of a named folder,
 *          recursively, skipping names beginning with a dot.  Inside a
 *          folder a symbolic link is followed only to a file inside that
 *          folder; one to a folder, out of it, broken or looping is named
 *          on stderr and skipped.  Paths are stored absolute (realpath).
 *          fz_walk_dedupe() sorts them and drops the second of a pair.
 * Memory:  struct fz_files owns its paths; fz_files_release() frees them.
 * Threads: none of its own; after collecting, the list is only read, and
 *          may be read by many threads. */
#ifndef FZ_INDEXER_WALK_H
#define FZ_INDEXER_WALK_H

#include "indexer/run.h"

#include <stddef.h>
#include <sys/types.h>

struct fz_file {
    char *path;         /* absolute */
    off_t size;
};

struct fz_files {
    struct fz_file *v;
    size_t n, cap;
    off_t bytes;        /* the sum of the sizes */
};
#define FZ_FILES_INIT { NULL, 0, 0, 0 }

/* Add path (a file or a folder named on the command line) to fs.  Each
 * problem is warned about through run; returns their number (0: all
 * well). */
int fz_walk_collect(struct fz_run *run, struct fz_files *fs,
                    const char *path);

/* Sort fs by path; a file named twice (or inside a folder also named) is
 * kept once. */
void fz_walk_dedupe(struct fz_files *fs);

/* Free every path and the list; fs is left empty (FZ_FILES_INIT). */
void fz_files_release(struct fz_files *fs);

/* Whether the name p ends in ext (".jsonl"), ignoring case. */
int fz_has_ext(const char *p, const char *ext);

#endif
