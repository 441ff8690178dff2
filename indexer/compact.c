/* indexer/compact.c - see indexer/compact.h. */
#include "indexer/compact.h"

#include "base/fz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static off_t dir_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    off_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char *p;
        struct stat sb;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            break;
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
            n += sb.st_size;
        free(p);
    }
    if (d)
        closedir(d);
    return n;
}

/* Compact the database in dir into a fresh copy and put it in place.
 * The caller holds dir's write lock, so no writer changes it meanwhile;
 * readers that open it during the swap retry. */
static int compact_one(struct fz_run *run, const char *dir, int freeze,
                       off_t *before, off_t *after)
{
    char *tmp = NULL, *old = NULL, *err = NULL;
    int rc = 2;
    if (asprintf(&tmp, "%s.compact-%d", dir, (int)getpid()) < 0
        || asprintf(&old, "%s.old-%d", dir, (int)getpid()) < 0) {
        free(tmp);
        tmp = NULL;
        goto out;
    }
    *before += dir_bytes(dir);
    if (fzx_compact(dir, tmp, 0, &err) != FZ_OK) {
        fz_run_warn(run, "%s: cannot compact: %s", dir, err);
        fzx_db_remove(tmp, NULL);
        goto out;
    }
    if (freeze && fzx_freeze(tmp, &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", tmp, err);
        fzx_db_remove(tmp, NULL);
        goto out;
    }
    if (fz_compact_swap(run, dir, tmp) != 0)
        goto out;
    *after += dir_bytes(dir);
    rc = 0;
out:
    free(tmp);
    free(old);
    free(err);
    return rc;
}

int fz_compact_swap(struct fz_run *run, const char *dir, const char *fresh)
{
    char *old = NULL;
    int rc = 2;
    if (asprintf(&old, "%s.old-%d", dir, (int)getpid()) < 0) {
        fz_run_warn(run, "%s: out of memory", dir);
        fzx_db_remove(fresh, NULL);
        return 2;
    }
    /* swap the two folders in one step, so that a reader opening the
     * index meanwhile finds one or the other, never neither */
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        fzx_db_remove(fresh, NULL);     /* now the old one */
        rc = 0;
    } else if ((errno == EINVAL || errno == ENOSYS)
               && rename(dir, old) == 0 && rename(fresh, dir) == 0) {
        fzx_db_remove(old, NULL);     /* a file system that cannot swap */
        rc = 0;
    } else {
        fz_run_warn(run, "%s: cannot put the new copy in place: %s", dir,
                    strerror(errno));
        fzx_db_remove(fresh, NULL);
    }
    free(old);
    return rc;
}

int fz_compact_shard(struct fz_run *run, struct fz_shards *s, size_t k)
{
    off_t before = 0, after = 0;
    fz_compact_release(s, k);
    int rc = compact_one(run, s->path[k], 0, &before, &after);
    return fz_compact_reopen(run, s, k) != 0 ? 2 : rc;
}

void fz_compact_release(struct fz_shards *s, size_t k)
{
    /* Xapian writes to its folder by name even when closing a writer with
     * nothing to commit: closed after a swap, it would write into the new
     * copy */
    fzx_writer_close(s->w[k], NULL);
    s->w[k] = NULL;
}

int fz_compact_reopen(struct fz_run *run, struct fz_shards *s, size_t k)
{
    char *err = NULL;
    s->w[k] = fzx_writer_open_with(s->path[k], s->wflags, NULL, &err);
    if (s->w[k] == NULL) {
        fz_run_warn(run, "%s: %s", s->path[k], err ? err : "out of memory");
        free(err);
        return 2;
    }
    return 0;
}
int fz_compact_index(struct fz_run *run, struct fz_shards *s, int freeze,
                     int quiet)
{
    off_t before = 0, after = 0;
    char *err = NULL;
    int status = 0;
    /* hold the write lock of each shard while it is compacted */
    for (size_t k = 0; k < s->n && status < 2; k++) {
        fzx_writer *w = fzx_writer_open_with(s->path[k], s->wflags, NULL,
                                             &err);
        if (w == NULL) {
            fz_run_warn(run, "%s: %s", s->path[k],
                        err ? err : "out of memory");
            status = 2;
        } else {
            status = compact_one(run, s->path[k], freeze, &before, &after)
                     ? 2 : status;
            fzx_writer_close(w, NULL);
        }
    }
    if (freeze && status < 2) {
        s->frozen = 1;
        if (fz_shards_write_stub(s, &err) != FZ_OK) {
            fz_run_warn(run, "%s", err);
            status = 2;
        }
    }
    if (!quiet && status < 2)
        fprintf(stderr, "%s: %s %s: %.1f MB -> %.1f MB\n", run->prog,
                freeze ? "froze" : "compacted", s->dir,
                (double)before / 1e6, (double)after / 1e6);
    free(err);
    return status;
}
