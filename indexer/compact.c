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

/* The folders of shards ks[0,n) of s (or of every shard when ks is
 * NULL), a fresh copy's name beside each, and room for the results. */
struct plan {
    size_t n;
    const char **dir;
    char **tmp;
    int *rc;
    off_t *before;
};

/* The copies copy_all() makes, taken in turn by its threads. */
struct copies {
    struct fz_run *run;
    struct plan *p;
    int freeze;
    atomic_size_t next;
};

static void *make_copies(void *arg)
{
    struct copies *c = arg;
    struct plan *p = c->p;
    size_t i;
    while ((i = atomic_fetch_add(&c->next, 1)) < p->n) {
        p->rc[i] = p->tmp[i] ? copy_one(c->run, p->dir[i], p->tmp[i],
                                        c->freeze, &p->before[i])
                             : 2;
        if (p->tmp[i] == NULL)
            fz_run_warn(c->run, "%s: out of memory", p->dir[i]);
    }
    return NULL;
}

/* Copy each of p's folders into its fresh copy (compacted, and frozen
 * when freeze), side by side: a copy keeps one core busy, so as many at
 * once as there are cores.  p->rc[i] is copy i's result, p->before[i]
 * its folder's size. */
static void copy_all(struct fz_run *run, struct plan *p, int freeze)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores > 1 ? (size_t)cores : 1;
    want = want < p->n ? want : p->n;
    pthread_t th[64];
    size_t nt = 0;
    struct copies c = { run, p, freeze, 0 };
    while (nt + 1 < want && nt < sizeof th / sizeof th[0]
           && pthread_create(&th[nt], NULL, make_copies, &c) == 0)
        nt++;
    make_copies(&c);            /* this thread copies too */
    for (size_t t = 0; t < nt; t++)
        pthread_join(th[t], NULL);
}

static int plan_make(struct fz_run *run, struct plan *p,
                     const struct fz_shards *s, const size_t *ks, size_t n)
{
    p->n = n;
    p->dir = calloc(n, sizeof *p->dir);
    p->tmp = calloc(n, sizeof *p->tmp);
    p->rc = calloc(n, sizeof *p->rc);
    p->before = calloc(n, sizeof *p->before);
    if (p->dir == NULL || p->tmp == NULL || p->rc == NULL
        || p->before == NULL) {
        fz_run_warn(run, "%s: out of memory", run->db);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        p->dir[i] = s->path[ks ? ks[i] : i];
        p->tmp[i] = fz_shard_copy_name(p->dir[i], "compact");
        p->rc[i] = 2;           /* not copied yet */
    }
    return 0;
}

static void plan_free(struct plan *p)
{
    for (size_t i = 0; p->tmp && i < p->n; i++)
        free(p->tmp[i]);
    free(p->tmp);
    free(p->dir);
    free(p->rc);
    free(p->before);
}

int fz_compact_shards(struct fz_run *run, struct fz_shards *s,
                      const size_t *ks, size_t n)
{
    if (n == 0)
        return 0;
    struct plan p = { 0 };
    int status = 2;
    if (plan_make(run, &p, s, ks, n) != 0)
        goto out;
    copy_all(run, &p, 0);
    /* one at a time, in the caller's order: only the shard being swapped
     * is without its writer */
    status = 0;
    for (size_t i = 0; i < n; i++) {
        if (p.rc[i] != 0) {
            status = 2;
            continue;
        }
        fz_compact_release(s, ks[i]);
        if (fz_compact_swap(run, p.dir[i], p.tmp[i]) != 0)
            status = 2;
        if (fz_compact_reopen(run, s, ks[i]) != 0)
            status = 2;
    }
out:
    plan_free(&p);
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
    struct plan p = { 0 };
    fzx_writer **w = calloc(s->n ? s->n : 1, sizeof *w);
    if (w == NULL || plan_make(run, &p, s, NULL, s->n) != 0) {
        if (w == NULL)
            fz_run_warn(run, "%s: out of memory", run->db);
        free(w);
        plan_free(&p);
        return 2;
    }
    /* hold the write lock of every shard, taken in the order a run takes
     * them, from before the copies are read until after they are in
     * place: no writer changes a shard meanwhile */
    for (size_t k = 0; k < s->n && status == 0; k++) {
        w[k] = fzx_writer_open_with(s->path[k], s->wflags, NULL, &err);
        if (w[k] == NULL) {
            fz_run_warn(run, "%s: %s", s->path[k],
                        err ? err : "out of memory");
            status = 2;
        }
    }
    if (status == 0)
        copy_all(run, &p, freeze);
    for (size_t k = 0; k < s->n && status == 0; k++)
        if (p.rc[k] != 0)
            status = 2;
    /* a frozen index is every shard frozen: with one copy failed, none is
     * swapped in; compacting swaps in the copies made */
    for (size_t k = 0; k < s->n; k++) {
        before += p.before[k];
        if (w[k] == NULL || p.rc[k] != 0 || (freeze && status != 0)) {
            if (w[k] != NULL && p.rc[k] == 0)
                fzx_db_remove(p.tmp[k], NULL);
        } else if (fz_compact_swap(run, p.dir[k], p.tmp[k]) != 0) {
            status = 2;
        } else {
            after += dir_bytes(p.dir[k]);
        }
    }
    for (size_t k = 0; k < s->n; k++)
        if (w[k] != NULL)
            fzx_writer_close(w[k], NULL);
    free(w);
    plan_free(&p);
    if (freeze && status == 0) {
        s->frozen = 1;
        if (fz_shards_write_stub(s, &err) != FZ_OK) {
            fz_run_warn(run, "%s", err);
            status = 2;
        }
    }
    if (!quiet && status == 0)
        fprintf(stderr, "%s: %s %s: %.1f MB -> %.1f MB\n", run->prog,
                freeze ? "froze" : "compacted", s->dir,
                (double)before / 1e6, (double)after / 1e6);
    free(err);
    return status;
}
