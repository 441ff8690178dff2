/* indexer/remove.c - see indexer/remove.h. */
#include "indexer/remove.h"

#include "base/fz.h"
#include "store/schema.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Remove the file whose absolute path is p (as indexed).  0, or 2 when
 * the index failed (said). */
static int remove_file(struct fz_run *run, fzx_writer *w, const char *p,
                       struct fz_stats *st)
{
    char *err = NULL, key[PATH_MAX + 8], fid[17], term[24];
    snprintf(key, sizeof key, "file:%s", p);
    fz_file_id(p, fid);
    snprintf(term, sizeof term, FZ_PREFIX_FILE "%s", fid);
    if (fzx_writer_begin(w, &err) != FZ_OK
        || fzx_writer_delete(w, term, strlen(term), &err) != FZ_OK
        || fzx_writer_set_metadata(w, key, "", 0, &err) != FZ_OK
        || fzx_writer_commit(w, &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", p, err);
        free(err);
        return 2;
    }
    st->removed++;
    return 0;
}

struct rm_ctx {
    struct fz_run *run;
    fzx_writer *w;
    struct fz_stats *st;
    int rc;
};

static int remove_key(void *ctx, const char *key, size_t len)
{
    struct rm_ctx *rc = ctx;
    (void)len;
    /* the path after "file:" */
    rc->rc = remove_file(rc->run, rc->w, key + 5, rc->st);
    return rc->rc != 0 || fz_run_interrupted(rc->run);
}

int fz_remove_path(struct fz_run *run, fzx_writer *w, const char *path,
                   struct fz_stats *st)
{
    char *abs = realpath(path, NULL), *err = NULL, key[PATH_MAX + 8];
    /* a file already deleted from disk is still removable by its name */
    const char *p = abs ? abs : path;
    snprintf(key, sizeof key, "file:%s", p);
    size_t len = 0;
    char *old = fzx_writer_get_metadata(w, key, &len, &err);
    int rc = 0;
    if (old != NULL) {
        rc = remove_file(run, w, p, st);
    } else if (err == NULL) {
        /* a folder: the files indexed under it */
        struct rm_ctx c = { run, w, st, 0 };
        size_t n = strlen(key);
        snprintf(key + n, sizeof key - n, "%s", n && key[n - 1] == '/'
                                                ? "" : "/");
        if (fzx_writer_each_metadata_key(w, key, remove_key, &c, &err)
            != FZ_OK)
            rc = 2;
        else
            rc = c.rc;
    }
    if (err) {
        fz_run_warn(run, "%s: %s", path, err);
        rc = 2;
    }
    free(old);
    free(err);
    free(abs);
    return rc;
}
