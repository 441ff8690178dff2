/* indexer/compact.c - see indexer/compact.h. */
#include "indexer/compact.h"

#include "base/fz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* Compact the database in dir into the fresh folder tmp, dropping its
 * term lists too when freeze; *before gains dir's size.  The database
 * is read as last committed, so a writer may stay open on it.  0, or 2
 * when said (tmp removed). */
static int copy_one(struct fz_run *run, const char *dir, const char *tmp,
                    int freeze, off_t *before)
{
    char *err = NULL;
    int rc = 2;
    *before += dir_bytes(dir);
    if (fzx_compact(dir, tmp, 0, &err) != FZ_OK)
        fz_run_warn(run, "%s: cannot compact: %s", dir, err);
    else if (freeze && fzx_freeze(tmp, &err) != FZ_OK)
        fz_run_warn(run, "%s: %s", tmp, err);
    else
        rc = 0;
    if (rc != 0)
        fzx_db_remove(tmp, NULL);
    free(err);
    return rc;
}

/* Compact the database in dir into a fresh copy and put it in place.
 * The caller holds dir's write lock, so no writer changes it meanwhile;
 * readers that open it during the swap retry. */
static int compact_one(struct fz_run *run, const char *dir, int freeze,
                       off_t *before, off_t *after)
{
    char *tmp = fz_shard_copy_name(dir, "compact");
    if (tmp == NULL) {
        fz_run_warn(run, "%s: out of memory", dir);
        return 2;
    }
    int rc = copy_one(run, dir, tmp, freeze, before);
    if (rc == 0 && (rc = fz_compact_swap(run, dir, tmp)) == 0)
        *after += dir_bytes(dir);
    free(tmp);
    return rc;
}

int fz_compact_swap(struct fz_run *run, const char *dir, const char *fresh)
{
    char *old = NULL;
    int rc = 2;
    if ((old = fz_shard_copy_name(dir, "old")) == NULL) {
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

/* The shards fz_compact_shards() copies, taken in turn by its threads. */
struct copies {
    struct fz_run *run;
    const char *const *dir;
    char **tmp;
    int *rc;
    size_t n;
    atomic_size_t next;
};

static void *make_copies(void *arg)
{
    struct copies *c = arg;
    size_t i;
    while ((i = atomic_fetch_add(&c->next, 1)) < c->n) {
        off_t before = 0;
        c->rc[i] = c->tmp[i] ? copy_one(c->run, c->dir[i], c->tmp[i], 0,
                                        &before)
                             : 2;
        if (c->tmp[i] == NULL)
            fz_run_warn(c->run, "%s: out of memory", c->dir[i]);
    }
    return NULL;
}

int fz_compact_shards(struct fz_run *run, struct fz_shards *s,
                      const size_t *ks, size_t n)
{
    if (n == 0)
        return 0;
    const char **dir = calloc(n, sizeof *dir);
    char **tmp = calloc(n, sizeof *tmp);
    int *rc = calloc(n, sizeof *rc);
    /* a copy keeps one core busy: as many at once as there are cores */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores > 1 ? (size_t)cores : 1;
    want = want < n ? want : n;
    pthread_t *th = calloc(want, sizeof *th);
    size_t nt = 0;
    int status = 2;
    if (dir == NULL || tmp == NULL || rc == NULL || th == NULL) {
        fz_run_warn(run, "%s: out of memory", run->db);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        dir[i] = s->path[ks[i]];
        tmp[i] = fz_shard_copy_name(dir[i], "compact");
    }
    struct copies c = { run, dir, tmp, rc, n, 0 };
    while (nt + 1 < want
           && pthread_create(&th[nt], NULL, make_copies, &c) == 0)
        nt++;
    make_copies(&c);            /* this thread copies too */
    for (size_t t = 0; t < nt; t++)
        pthread_join(th[t], NULL);
    /* one at a time, in the caller's order: only the shard being swapped
     * is without its writer */
    status = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc[i] != 0) {
            status = 2;
            continue;
        }
        fz_compact_release(s, ks[i]);
        if (fz_compact_swap(run, dir[i], tmp[i]) != 0)
            status = 2;
        if (fz_compact_reopen(run, s, ks[i]) != 0)
            status = 2;
    }
out:
    for (size_t i = 0; tmp && i < n; i++)
        free(tmp[i]);
    free(tmp);
    free(dir);
    free(rc);
    free(th);
    return status;
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
