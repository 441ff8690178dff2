/* indexer/remove.c - see indexer/remove.h. */
#include "indexer/remove.h"

#include "indexer/walk.h"

#include <stdlib.h>

int fz_remove_path(struct fz_coll *c, const char *path, struct fz_stats *st)
{
    char *abs = fz_walk_abspath(path);
    if (abs == NULL) {
        fz_run_warn(c->run, "%s: out of memory", path);
        return 2;
    }
    const struct fz_entry *e = fz_catalog_find(c->cat, abs);
    size_t lo = 0, hi = 0;
    int rc = 0;
    if (e != NULL) {
        rc = fz_coll_remove_file(c, e, st);
    } else {
        /* a folder: the files indexed under it */
        fz_catalog_under(c->cat, abs, &lo, &hi);
        for (size_t k = lo; rc == 0 && k < hi; k++)
            rc = fz_coll_remove_file(c, &c->cat->v[k], st);
        if (lo == hi) {
            fz_run_warn(c->run, "%s: not in the index", path);
            rc = 1;
        }
    }
    free(abs);
    return rc;
}
