/* indexer/catalog.h - the files the index mirrors, as the run began.
 *
 * Promise: fz_catalog_load() reads the catalogue (store/schema.h: the
 *          FZ_FILE_KEY metadata of shard 0) into memory: for each file
 *          indexed, its absolute path, its file hash and the ids of the
 *          reports it yielded.  Looked up by path (is this file
 *          unchanged?), by hash (is this new path a file already indexed
 *          elsewhere: moved or copied?) and by folder (which files were
 *          under a folder at the last run?).  It is a snapshot: the run
 *          writes the index, never this.
 * Memory:  struct fz_catalog owns its entries; fz_catalog_release()
 *          frees them.
 * Threads: loaded by one thread before the others start, then only
 *          read, by any number of threads. */
#ifndef FZ_INDEXER_CATALOG_H
#define FZ_INDEXER_CATALOG_H

#include "shim/fzx.h"

#include <stddef.h>

/* One file: rids holds n_rids report ids, each 16 hex digits followed by
 * a space (the last by a NUL): report k at rids + 17 * k. */
struct fz_entry {
    char *path;
    char hash[17];
    char *rids;
    size_t n_rids;
};

struct fz_catalog {
    struct fz_entry *v;     /* sorted by path */
    size_t n;
    size_t *by_hash;        /* indices into v, sorted by hash */
};
#define FZ_CATALOG_INIT { NULL, 0, NULL }

/* Parse a catalogue value "HASH RID RID..." into e (path not set).
 * FZ_OK, FZ_EINVAL (not such a value) or FZ_ENOMEM. */
int fz_entry_parse(const char *val, size_t len, struct fz_entry *e);

/* Load the catalogue of the index whose shard 0 is w.  FZ_OK, or a code
 * with *errptr. */
int fz_catalog_load(struct fz_catalog *c, fzx_writer *w, char **errptr);

/* The entry of path (absolute), or NULL. */
const struct fz_entry *fz_catalog_find(const struct fz_catalog *c,
                                       const char *path);

/* An entry other than path's with this hash (a file with the same
 * bytes, sidecar and versions), or NULL.  The first by path. */
const struct fz_entry *fz_catalog_find_hash(const struct fz_catalog *c,
                                            const char *hash,
                                            const char *path);

/* The range [*lo, *hi) of entries under folder dir (absolute, no
 * trailing slash but for "/"). */
void fz_catalog_under(const struct fz_catalog *c, const char *dir,
                      size_t *lo, size_t *hi);

/* Report k of e, NUL-terminated, into out. */
void fz_entry_rid(const struct fz_entry *e, size_t k, char out[17]);

void fz_catalog_release(struct fz_catalog *c);

#endif
