/* indexer/catalog.c - see indexer/catalog.h. */
#include "indexer/catalog.h"

#include "base/fz.h"
#include "store/schema.h"

#include <stdlib.h>
#include <string.h>

int fz_entry_parse(const char *val, size_t len, struct fz_entry *e)
{
    /* "HASH" then " RID" for each report */
    if (len < 16 || (len - 16) % 17 != 0)
        return FZ_EINVAL;
    memcpy(e->hash, val, 16);
    e->hash[16] = '\0';
    e->n_rids = (len - 16) / 17;
    e->rids = malloc(len - 16 + 1);
    if (e->rids == NULL)
        return FZ_ENOMEM;
    /* stored " RID RID": kept as "RID RID " with a NUL for the last */
    for (size_t k = 0; k < e->n_rids; k++) {
        const char *r = val + 16 + 17 * k;
        if (r[0] != ' ') {
            free(e->rids);
            e->rids = NULL;
            return FZ_EINVAL;
        }
        memcpy(e->rids + 17 * k, r + 1, 16);
        e->rids[17 * k + 16] = ' ';
    }
    if (e->n_rids)
        e->rids[17 * e->n_rids - 1] = '\0';
    else
        e->rids[0] = '\0';
    return FZ_OK;
}

void fz_entry_rid(const struct fz_entry *e, size_t k, char out[17])
{
    memcpy(out, e->rids + 17 * k, 16);
    out[16] = '\0';
}

struct load_ctx {
    struct fz_catalog *c;
    size_t cap;
    fzx_writer *w;
    int rc;
    char **errptr;
};

static int load_key(void *ctx, const char *key, size_t len)
{
    struct load_ctx *l = ctx;
    struct fz_catalog *c = l->c;
    size_t vlen = 0;
    char *val = fzx_writer_get_metadata(l->w, key, &vlen, l->errptr);
    if (val == NULL)
        return 0;               /* deleted while we read: not there */
    if (c->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 256;
        struct fz_entry *v = realloc(c->v, nc * sizeof *v);
        if (v == NULL) {
            free(val);
            l->rc = FZ_ENOMEM;
            return 1;
        }
        c->v = v;
        l->cap = nc;
    }
    struct fz_entry *e = &c->v[c->n];
    memset(e, 0, sizeof *e);
    int rc = fz_entry_parse(val, vlen, e);
    free(val);
    if (rc == FZ_EINVAL)
        return 0;               /* not ours: ignored, as if absent */
    if (rc == FZ_OK) {
        size_t pre = strlen(FZ_FILE_KEY);
        e->path = strndup(key + pre, len - pre);
        if (e->path == NULL) {
            free(e->rids);
            rc = FZ_ENOMEM;
        }
    }
    if (rc != FZ_OK) {
        l->rc = rc;
        return 1;
    }
    c->n++;
    return 0;
}

/* qsort has no context: the entries being sorted by hash */
static _Thread_local const struct fz_entry *sorting;

static int by_hash(const void *a, const void *b)
{
    const struct fz_entry *x = &sorting[*(const size_t *)a];
    const struct fz_entry *y = &sorting[*(const size_t *)b];
    int d = strcmp(x->hash, y->hash);
    return d ? d : strcmp(x->path, y->path);
}

int fz_catalog_load(struct fz_catalog *c, fzx_writer *w, char **errptr)
{
    struct load_ctx l = { c, 0, w, FZ_OK, errptr };
    char *err = NULL;
    /* the keys come in byte order: c->v is sorted by path */
    int rc = fzx_writer_each_metadata_key(w, FZ_FILE_KEY, load_key, &l,
                                          &err);
    if (rc == FZ_OK && err != NULL)
        rc = FZ_EINDEX;
    if (rc == FZ_OK)
        rc = l.rc;
    if (rc == FZ_OK && c->n) {
        c->by_hash = malloc(c->n * sizeof *c->by_hash);
        if (c->by_hash == NULL) {
            rc = FZ_ENOMEM;
        } else {
            for (size_t k = 0; k < c->n; k++)
                c->by_hash[k] = k;
            sorting = c->v;
            qsort(c->by_hash, c->n, sizeof *c->by_hash, by_hash);
        }
    }
    if (err) {
        free(*errptr);
        *errptr = err;
    }
    return rc;
}

const struct fz_entry *fz_catalog_find(const struct fz_catalog *c,
                                       const char *path)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(c->v[mid].path, path);
        if (d == 0)
            return &c->v[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct fz_entry *fz_catalog_find_hash(const struct fz_catalog *c,
                                            const char *hash,
                                            const char *path)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->v[c->by_hash[mid]].hash, hash) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < c->n && strcmp(c->v[c->by_hash[lo]].hash, hash) == 0; lo++)
        if (strcmp(c->v[c->by_hash[lo]].path, path) != 0)
            return &c->v[c->by_hash[lo]];
    return NULL;
}

/* The first entry whose path is not below key in byte order. */
static size_t lower(const struct fz_catalog *c, const char *key)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->v[mid].path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void fz_catalog_under(const struct fz_catalog *c, const char *dir,
                      size_t *lo, size_t *hi)
{
    size_t n = strlen(dir);
    char *pre = malloc(n + 2);
    *lo = *hi = 0;
    if (pre == NULL)
        return;
    memcpy(pre, dir, n);
    if (n == 0 || dir[n - 1] != '/')
        pre[n++] = '/';
    pre[n] = '\0';
    /* paths starting with "dir/": from "dir/" up to "dir0" ('/' + 1) */
    *lo = lower(c, pre);
    pre[n - 1] = '/' + 1;
    *hi = lower(c, pre);
    free(pre);
}

void fz_catalog_release(struct fz_catalog *c)
{
    for (size_t k = 0; k < c->n; k++) {
        free(c->v[k].path);
        free(c->v[k].rids);
    }
    free(c->v);
    free(c->by_hash);
    memset(c, 0, sizeof *c);
}
