/* indexer/walk.h - the files to index: named paths, folders walked.
 *
 * Promise: fz_walk_collect() adds a named file whatever its name (its
 *          content decides how it is read), and the report files of a
 *          named folder, recursively, skipping names beginning with a
 *          dot: those named as a format fz reads (.txt .htm .html .shtml
 *          .xhtml .jsonl .pdf .docx .doc .wps .ofd .mht .mhtml) and those
 *          without an extension whose content is one (a PDF saved without
 *          its name).  A NAME.json beside a report file is its metadata,
 *          never a report, however it was named.  What a folder walk does
 *          not read is listed in fz_files.skipped, by kind, for the
 *          summary: nothing is skipped without a word.  A saved page's
 *          NAME_files folder is not walked.  Inside a
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

/* A file or folder a folder walk did not read, and what kind it is: its
 * extension (".png"), "without extension", "saved-page folder" (NAME_files
 * beside NAME.html) or "not a regular file". */
struct fz_skipped {
    char *path;
    char kind[32];
};

struct fz_files {
    struct fz_file *v;
    size_t n, cap;
    off_t bytes;        /* the sum of the sizes */
    struct fz_skipped *skipped;
    size_t n_skipped, cap_skipped;
};
#define FZ_FILES_INIT { NULL, 0, 0, 0, NULL, 0, 0 }

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

/* Whether path is NAME.json beside a report file NAME.txt, NAME.pdf, ...
 * (its sidecar). */
int fz_walk_is_sidecar(const char *path);

/* The skipped files as one line: "12 files: 9 .png, 2 .xlsx, 1 .zip",
 * kinds by count; malloc'd, NULL when none were skipped. */
char *fz_walk_skipped_summary(const struct fz_files *fs);

/* path as an absolute path, whether or not it exists: its real path
 * when it does, else resolved by its text relative to the current
 * folder ("." and ".." taken away), its folder's real path when that
 * exists.  malloc'd; NULL when out of memory. */
char *fz_walk_abspath(const char *path);

/* Whether the name p ends in ext (".jsonl"), ignoring case. */
int fz_has_ext(const char *p, const char *ext);

#endif
