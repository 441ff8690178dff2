/* indexer/collection.c - see indexer/collection.h. */
#include "indexer/collection.h"

#include "base/fz.h"
#include "indexer/compact.h"
#include "indexer/rebuild.h"
#include "store/schema.h"
#include "store/stored.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- writing shards side by side ---------------------------------------- */

/* With K shards by count (--shards, the default for -j), a report new to
 * the index has its shard from its id, and adding its documents is most
 * of the writer's work: Xapian indexes each shard on its own.  So they
 * are held back (their shard's transaction begun) and added by one thread
 * per shard once FLUSH_PASSAGES are held, and before anything reads a
 * shard about a report held back (find_report) or commits.  No two
 * threads ever call one writer: this thread waits while they add. */
#define FLUSH_PASSAGES 4096

struct held {
    fzx_doc **v;
    size_t n, cap;
    struct fz_shards *s;
    size_t k;
    int rc;
    char *err;
};

/* Documents of shard k replaced in this run or a killed one (FZ_PURGE_KEY
 * "k id k id ..."), which the rebuild of shard k drops. */
struct fz_purge {
    unsigned long *v;
    size_t n, cap;
};

static int purge_add(struct fz_coll *c, size_t k, const unsigned long *ids,
                     size_t n)
{
    struct fz_purge *p = &c->purge[k];
    if (n == 0)
        return FZ_OK;
    if (p->n + n > p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        while (cap < p->n + n)
            cap *= 2;
        unsigned long *v = realloc(p->v, cap * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        p->v = v;
        p->cap = cap;
    }
    memcpy(p->v + p->n, ids, n * sizeof *ids);
    p->n += n;
    c->dead_dirty = 1;
    return FZ_OK;
}

/* What a killed run left for its rebuilds: the removed reports and the
 * documents replaced, from shard 0. */
static int load_gone(struct fz_coll *c, char **errptr)
{
    size_t len = 0;
    char *v = fzx_writer_get_metadata(c->s->w[0], FZ_DEAD_KEY, &len, errptr);
    if (v == NULL && errptr && *errptr)
        return FZ_EINDEX;
    int rc = v ? fz_buf_append(&c->dead, v, len) : FZ_OK;
    free(v);
    v = fzx_writer_get_metadata(c->s->w[0], FZ_PURGE_KEY, &len, errptr);
    if (v == NULL && errptr && *errptr)
        return FZ_EINDEX;
    for (char *p = v, *end; rc == FZ_OK && p && *p; p = end) {
        unsigned long k = strtoul(p, &end, 10);
        unsigned long id = strtoul(end, &end, 10);
        if (end == p)
            break;
        if (k < c->s->n)
            rc = purge_add(c, k, &id, 1);
    }
    free(v);
    c->dead_dirty = 0;
    return rc;
}

/* Set metadata key of shard 0 (the catalogue's shard: store/schema.h)
 * to val[0,len), inside its transaction.  FZ_OK or a code. */
static int set_meta0(struct fz_shards *s, const char *key, const char *val,
                     size_t len, char **errptr)
{
    int rc = fz_shards_begin(s, 0, errptr);
    if (rc == FZ_OK)
        rc = fzx_writer_set_metadata(s->w[0], key, len ? val : "", len,
                                     errptr);
    return rc;
}

/* Save the removed reports and the documents to drop into shard 0. */
static int save_gone(struct fz_coll *c, char **errptr)
{
    struct fz_buf b = FZ_BUF_INIT;
    int rc = FZ_OK;
    for (size_t k = 0; rc == FZ_OK && k < c->s->n; k++)
        for (size_t i = 0; rc == FZ_OK && i < c->purge[k].n; i++)
            rc = fz_buf_appendf(&b, "%zu %lu ", k, c->purge[k].v[i]);
    if (rc == FZ_OK)
        rc = set_meta0(c->s, FZ_PURGE_KEY, b.data, b.len, errptr);
    if (rc == FZ_OK)
        rc = set_meta0(c->s, FZ_DEAD_KEY, c->dead.data, c->dead.len, errptr);
    fz_buf_release(&b);
    if (rc == FZ_OK)
        c->dead_dirty = 0;
    return rc;
}

int fz_coll_init(struct fz_coll *c, struct fz_run *run, struct fz_shards *s,
                 const struct fz_catalog *cat)
{
    memset(c, 0, sizeof *c);
    c->run = run;
    c->s = s;
    c->cat = cat;
    c->gone = calloc(cat->n ? cat->n : 1, 1);
    /* shards by size grow in a run, but are never written side by side */
    c->n_held = s->n ? s->n : 1;
    c->held = calloc(c->n_held, sizeof *c->held);
    for (size_t k = 0; c->held && k < c->n_held; k++) {
        c->held[k].s = s;
        c->held[k].k = k;
    }
    /* --shard-size adds shards in a run: room for them */
    c->n_purge = (s->n ? s->n : 1) + 1024;
    c->purge = calloc(c->n_purge, sizeof *c->purge);
    c->added = calloc(c->n_purge, sizeof *c->added);
    if (!c->gone || !c->held || !c->purge || !c->added)
        return FZ_ENOMEM;
    char *err = NULL;
    int rc = load_gone(c, &err);
    free(err);
    return rc;
}

void fz_coll_release(struct fz_coll *c)
{
    /* documents held back and never added: a failed or stopped run */
    for (size_t k = 0; c->held && k < c->n_held; k++) {
        for (size_t i = 0; i < c->held[k].n; i++)
            fzx_doc_free(c->held[k].v[i]);
        free(c->held[k].v);
        free(c->held[k].err);
    }
    free(c->held);
    c->held = NULL;
    free(c->held_rids);
    c->held_rids = NULL;
    c->n_held_rids = c->cap_held_rids = 0;
    free(c->gone);
    c->gone = NULL;
    free(c->copies);
    c->copies = NULL;
    c->n_copies = c->cap_copies = 0;
    for (size_t k = 0; c->purge && k < c->n_purge; k++)
        free(c->purge[k].v);
    free(c->purge);
    c->purge = NULL;
    free(c->added);
    c->added = NULL;
    fz_buf_release(&c->dead);
}

static void rterm(char term[24], const char *rid)
{
    snprintf(term, 24, FZ_PREFIX_REPORT "%s", rid);
}

static int deferring(const struct fz_coll *c)
{
    return c->s->n > 1 && c->s->mode == 'k' && c->s->n == c->n_held;
}

static void *add_held(void *arg)
{
    struct held *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        if (h->rc == FZ_OK)
            h->rc = fzx_writer_add(h->s->w[h->k], "", 0, h->v[i], &h->err);
        fzx_doc_free(h->v[i]);
    }
    h->n = 0;
    return NULL;
}

/* Add every held document, a thread per shard.  FZ_OK or the first
 * failure's code, with *errptr. */
static int flush_held(struct fz_coll *c, char **errptr)
{
    if (c->n_held_rids == 0)
        return FZ_OK;
    struct held *h = c->held;
    size_t n = c->n_held;
    pthread_t *th = calloc(n, sizeof *th);
    unsigned char *started = calloc(n, 1);
    for (size_t k = 1; th && started && k < n; k++)
        started[k] = h[k].n > 0
                     && pthread_create(&th[k], NULL, add_held, &h[k]) == 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || !started || !started[k])
            add_held(&h[k]);    /* here: shard 0, or no thread to spare */
    int rc = FZ_OK;
    for (size_t k = 0; k < n; k++) {
        if (th && started && started[k])
            pthread_join(th[k], NULL);
        if (h[k].rc != FZ_OK && rc == FZ_OK) {
            rc = h[k].rc;
            fz_set_error(errptr, "%s", h[k].err ? h[k].err : "write failed");
        }
        free(h[k].err);
        h[k].err = NULL;
        h[k].rc = FZ_OK;
    }
    free(started);
    free(th);
    c->n_held_rids = 0;
    c->held_passages = 0;
    return rc;
}

/* ---- paths, and reports removed (shard 0's metadata) ------------------ */

/* Whether " RID" is among the ids in list (" RID RID ..."); its offset
 * in *at. */
static int listed_at(const struct fz_buf *list, const char *rid, size_t *at)
{
    long i = fz_ids_find(list->data, list->len, rid);
    if (i >= 0 && at)
        *at = (size_t)i;
    return i >= 0;
}

static int listed(const struct fz_buf *list, const char *rid)
{
    return listed_at(list, rid, NULL);
}

/* Report rid removed (dead 1: its documents stay until its shard is
 * rebuilt, searches leave them out) or back (dead 0). */
static int set_dead(struct fz_coll *c, const char *rid, int dead)
{
    size_t at;
    if (listed_at(&c->dead, rid, &at) == dead)
        return FZ_OK;
    c->dead_dirty = 1;
    if (dead)
        return fz_buf_appendf(&c->dead, " %s", rid);
    memmove(c->dead.data + at, c->dead.data + at + 17,
            c->dead.len - at - 17);
    c->dead.len -= 17;
    c->dead.data[c->dead.len] = '\0';
    return FZ_OK;
}

/* Report rid's paths (each ended by a NUL), malloc'd in *list (NULL, *len
 * 0: none).  FZ_OK or FZ_EINDEX. */
static int get_paths(struct fz_coll *c, const char *rid, char **list,
                     size_t *len, char **errptr)
{
    char key[40];
    snprintf(key, sizeof key, FZ_PATHS_KEY "%s", rid);
    *len = 0;
    *list = fzx_writer_get_metadata(c->s->w[0], key, len, errptr);
    return *list == NULL && errptr && *errptr ? FZ_EINDEX : FZ_OK;
}

static int put_paths(struct fz_coll *c, const char *rid, const char *list,
                     size_t len, char **errptr)
{
    char key[40];
    snprintf(key, sizeof key, FZ_PATHS_KEY "%s", rid);
    return set_meta0(c->s, key, list, len, errptr);
}

/* Whether path is one of list[0,len); its offset in *at. */
static int has_path(const char *list, size_t len, const char *path,
                    size_t *at)
{
    for (size_t i = 0; i < len; i += strlen(list + i) + 1)
        if (strcmp(list + i, path) == 0) {
            *at = i;
            return 1;
        }
    return 0;
}

/* The shard holding report rid: k, -1 none, -2 error (*errptr); *dead
 * 1 when it was removed (its documents still there).  A report held
 * back is added first, so that the shard can be read. */
static int find_report(struct fz_coll *c, const char *rid, int *dead,
                       char **errptr)
{
    struct fz_shards *s = c->s;
    char t[24];
    *dead = listed(&c->dead, rid);
    for (size_t i = 0; i < c->n_held_rids; i++)
        if (strcmp(c->held_rids[i], rid) == 0) {
            if (flush_held(c, errptr) != FZ_OK)
                return -2;
            break;
        }
    rterm(t, rid);
    for (size_t k = 0; k < s->n; k++) {
        long n = fzx_writer_termfreq(s->w[k], t, strlen(t), errptr);
        if (n < 0)
            return -2;
        if (n > 0)
            return (int)k;
    }
    return -1;
}

/* Report rid found at path too; *added 1 when it was not. */
static int add_path(struct fz_coll *c, const char *rid, const char *path,
                    int *added, char **errptr)
{
    char *list = NULL;
    size_t len = 0, at;
    *added = 0;
    int rc = get_paths(c, rid, &list, &len, errptr);
    if (rc == FZ_OK && !has_path(list, len, path, &at)) {
        size_t pl = strlen(path) + 1;
        char *v = realloc(list, len + pl);
        if (v == NULL) {
            rc = FZ_ENOMEM;
        } else {
            list = v;
            memcpy(list + len, path, pl);
            rc = put_paths(c, rid, list, len + pl, errptr);
            *added = rc == FZ_OK;
        }
    }
    free(list);
    return rc;
}

/* Report rid no longer found at path: the path leaves its paths, and
 * the report the index when it was its last (*deleted 1: removed, its
 * documents left for a rebuild).  Nothing when the report is gone or
 * does not list path. */
static int drop_path(struct fz_coll *c, const char *rid, const char *path,
                     int *deleted, char **errptr)
{
    char *list = NULL;
    size_t len = 0, at;
    int dead;
    *deleted = 0;
    int k = find_report(c, rid, &dead, errptr);
    if (k < 0 || dead)
        return k == -2 ? FZ_EINDEX : FZ_OK;
    int rc = get_paths(c, rid, &list, &len, errptr);
    if (rc == FZ_OK && has_path(list, len, path, &at)) {
        size_t pl = strlen(path) + 1;
        memmove(list + at, list + at + pl, len - at - pl);
        len -= pl;
        rc = put_paths(c, rid, list, len, errptr);
        if (rc == FZ_OK && len == 0) {
            rc = set_dead(c, rid, 1);
            if (rc == FZ_OK)
                rc = fz_shards_count(c->s, (size_t)k, -1, errptr);
            *deleted = rc == FZ_OK;
        }
    }
    free(list);
    return rc;
}

/* Add the documents of p to shard k: a report new to it.  Held back
 * when shards are written side by side (p's documents are taken). */
static int add_docs(struct fz_coll *c, int k, struct fz_prep *p,
                    char **errptr)
{
    struct fz_shards *s = c->s;
    int rc = fz_shards_begin(s, (size_t)k, errptr);
    if ((size_t)k < c->n_purge)
        c->added[k] += p->n;
    if (rc == FZ_OK && deferring(c)) {
        struct held *h = &c->held[k];
        if (h->n + p->n > h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 256;
            while (cap < h->n + p->n)
                cap *= 2;
            fzx_doc **v = realloc(h->v, cap * sizeof *v);
            if (v == NULL)
                return FZ_ENOMEM;
            h->v = v;
            h->cap = cap;
        }
        if (c->n_held_rids == c->cap_held_rids) {
            size_t cap = c->cap_held_rids ? 2 * c->cap_held_rids : 64;
            char (*r)[17] = realloc(c->held_rids, cap * sizeof *r);
            if (r == NULL)
                return FZ_ENOMEM;
            c->held_rids = r;
            c->cap_held_rids = cap;
        }
        memcpy(c->held_rids[c->n_held_rids++], p->rid, 17);
        for (size_t j = 0; j < p->n; j++) {
            h->v[h->n++] = p->d[j].doc;
            p->d[j].doc = NULL;
        }
        c->held_passages += p->n;
        if (c->held_passages >= FLUSH_PASSAGES)
            rc = flush_held(c, errptr);
        return rc;
    }
    for (size_t j = 0; rc == FZ_OK && j < p->n; j++)
        rc = fzx_writer_add(s->w[k], "", 0, p->d[j].doc, errptr);
    return rc;
}

/* Whether the documents of report p in shard k are those p would write
 * (same data: the data holds all a document's terms and values come
 * from); *ids, *n its documents there (malloc'd).  1 same, 0 not, or a
 * negative code. */
static int same_docs(struct fz_coll *c, int k, const struct fz_prep *p,
                     unsigned long **ids, size_t *n, char **errptr)
{
    char t[24];
    rterm(t, p->rid);
    int rc = fzx_writer_postings(c->s->w[k], t, strlen(t), ids, n, errptr);
    if (rc != FZ_OK)
        return -rc;
    int same = *n == p->n;
    for (size_t i = 0; same && i < *n; i++) {
        int code = FZ_OK;
        size_t la = 0, lb = 0;
        fzx_doc *old = fzx_writer_doc(c->s->w[k], (*ids)[i], &code, errptr);
        if (old == NULL)
            return -(code == FZ_OK ? FZ_ENOMEM : code);
        char *a = fzx_doc_get_data(old, &la);
        char *b = fzx_doc_get_data(p->d[i].doc, &lb);
        same = a && b && la == lb && memcmp(a, b, la) == 0;
        free(a);
        free(b);
        fzx_doc_free(old);
    }
    return same;
}

/* Report p, already in shard k (dead: removed, its documents still
 * there), read again from path.  When path is its first (or it was
 * removed) and the file changed, and its documents differ from what the
 * file gives now (the text pipeline or the sidecar may say more), the
 * new ones are added and the old ones noted for the rebuild of shard k,
 * which drops them (*wrote 1); otherwise it gains path (a copy; or a
 * file whose reports a killed run committed before its catalogue entry:
 * nothing to rewrite; *added 1 when it gained it). */
static int refresh(struct fz_coll *c, int k, struct fz_prep *p,
                   const char *path, int changed, int dead, int *wrote,
                   int *added, char **errptr)
{
    char *list = NULL;
    size_t len = 0;
    unsigned long *ids = NULL;
    size_t n = 0;
    *wrote = *added = 0;
    int rc = get_paths(c, p->rid, &list, &len, errptr);
    if (rc != FZ_OK)
        goto out;
    if (dead) {
        /* back: its paths start again from this one */
        rc = set_dead(c, p->rid, 0);
        if (rc == FZ_OK)
            rc = put_paths(c, p->rid, path, strlen(path) + 1, errptr);
        if (rc == FZ_OK)
            rc = fz_shards_count(c->s, (size_t)k, 1, errptr);
        *wrote = 1;
    } else if (!changed || len == 0 || strcmp(list, path) != 0) {
        rc = add_path(c, p->rid, path, added, errptr);
        goto out;
    }
    if (rc != FZ_OK)
        goto out;
    int same = same_docs(c, k, p, &ids, &n, errptr);
    if (same < 0) {
        rc = -same;
    } else if (!same) {
        rc = (size_t)k < c->n_purge ? purge_add(c, (size_t)k, ids, n)
                                    : FZ_EINVAL;
        if (rc == FZ_OK)
            rc = add_docs(c, k, p, errptr);
        *wrote = 1;
    }
out:
    free(ids);
    free(list);
    return rc;
}

/* The index failed: said once, by the first to see it. */
static int failed(struct fz_coll *c, const char *what, char *err)
{
    struct fz_run *run = c->run;
    pthread_mutex_lock(&run->mu);
    int first = !run->index_failed;
    run->index_failed = 1;
    pthread_mutex_unlock(&run->mu);
    if (first)
        fz_run_warn(run, "%s: %s", what, err ? err : "cannot write the index");
    free(err);
    fz_shards_set_writing(NULL);
    return 2;
}

static int set_entry(struct fz_shards *s, const char *path, const char *hash,
                     const struct fz_buf *rids, char **errptr)
{
    struct fz_buf key = FZ_BUF_INIT, val = FZ_BUF_INIT;
    int rc = fz_buf_appendf(&key, FZ_FILE_KEY "%s", path);
    if (rc == FZ_OK)
        rc = fz_buf_appendf(&val, "%s%s", hash, fz_buf_cstr(rids));
    if (rc == FZ_OK)
        rc = set_meta0(s, key.data, val.data, val.len, errptr);
    fz_buf_release(&key);
    fz_buf_release(&val);
    return rc;
}

static void note_copy(struct fz_coll *c, const char *hash)
{
    if (c->n_copies == c->cap_copies) {
        size_t nc = c->cap_copies ? 2 * c->cap_copies : 16;
        char (*v)[17] = realloc(c->copies, nc * sizeof *v);
        if (v == NULL)
            return;             /* counted as a copy, not a move: harmless */
        c->copies = v;
        c->cap_copies = nc;
    }
    memcpy(c->copies[c->n_copies++], hash, 17);
}

/* Whether to commit: after batch_passages passages per shard.  Each
 * commit rewrites the last chunk of every posting list it touches, so
 * the index as written grows with the number of commits: a batch counted
 * over all shards doubled the postings of a two-shard index. */
static int batch_full(const struct fz_coll *c)
{
    size_t shards = c->s->n ? c->s->n : 1;
    return c->pending >= c->run->batch_passages * shards;
}

int fz_coll_commit(struct fz_coll *c)
{
    char *err = NULL;
    c->pending = 0;
    if (flush_held(c, &err) != FZ_OK)
        return failed(c, c->s->dir, err);
    if (c->dead_dirty && save_gone(c, &err) != FZ_OK)
        return failed(c, c->s->dir, err);
    if (fz_shards_commit(c->s, &err) != FZ_OK)
        return failed(c, c->s->dir, err);
    return 0;
}

int fz_coll_write_file(struct fz_coll *c, struct fz_item *it,
                       const char *path, struct fz_stats *st)
{
    struct fz_shards *s = c->s;
    struct fz_buf rids = FZ_BUF_INIT;
    char *err = NULL, rid[17];
    int rc = FZ_OK, fresh = 0, attached = 0;
    fz_shards_set_writing(path);
    if (it->known) {
        /* the same bytes as a file indexed at another path: its reports
         * gain this path, if they are all still there */
        for (size_t i = 0; i < it->known->n_rids; i++) {
            int dead;
            fz_entry_rid(it->known, i, rid);
            int k = find_report(c, rid, &dead, &err);
            if (k == -2)
                return failed(c, path, err);
            if (k == -1 || dead) {
                fz_shards_set_writing(NULL);
                return FZ_COLL_REREAD;
            }
        }
        for (size_t i = 0; rc == FZ_OK && i < it->known->n_rids; i++) {
            int added;
            fz_entry_rid(it->known, i, rid);
            rc = add_path(c, rid, path, &added, &err);
            if (rc == FZ_OK && !listed(&rids, rid))
                rc = fz_buf_appendf(&rids, " %s", rid);
            attached++;
        }
    }
    for (size_t i = 0; rc == FZ_OK && i < it->nr; i++) {
        struct fz_prep *p = &it->r[i];
        if (listed(&rids, p->rid))
            continue;           /* the same text twice in one file */
        int dead, wrote = 0, added = 0;
        int k = find_report(c, p->rid, &dead, &err);
        if (k == -2) {
            rc = FZ_EINDEX;
        } else if (k == -1) {
            /* new, or removed and since dropped by a rebuild */
            k = fz_shards_route(s, p->rid, &err);
            rc = k < 0 ? FZ_EINDEX : add_docs(c, k, p, &err);
            if (rc == FZ_OK)
                rc = fz_shards_count(s, (size_t)k, 1, &err);
            if (rc == FZ_OK)
                rc = put_paths(c, p->rid, path, strlen(path) + 1, &err);
            if (rc == FZ_OK)
                rc = set_dead(c, p->rid, 0);
            wrote = 1;
        } else {
            rc = refresh(c, k, p, path, it->old != NULL, dead, &wrote,
                         &added, &err);
        }
        if (rc == FZ_OK && wrote) {
            fresh++;
            st->reports++;
            st->passages += p->n;
            c->pending += p->n;
        } else {
            attached++;
        }
        if (rc == FZ_OK)
            rc = fz_buf_appendf(&rids, " %s", p->rid);
    }
    /* the reports this file yielded before and yields no more */
    for (size_t i = 0; rc == FZ_OK && it->old && i < it->old->n_rids; i++) {
        int deleted;
        fz_entry_rid(it->old, i, rid);
        if (listed(&rids, rid))
            continue;
        rc = drop_path(c, rid, path, &deleted, &err);
        st->removed += deleted;
    }
    /* a file with problems is read again next time, replacing what of it
     * got in */
    if (rc == FZ_OK)
        rc = set_entry(s, path, it->status == 0 ? it->hash : FZ_HASH_RETRY,
                       &rids, &err);
    fz_buf_release(&rids);
    if (rc != FZ_OK)
        return failed(c, path, err);
    /* the file it was a copy of is gone: it moved here */
    struct stat sb;
    int moved = it->known && !it->old && it->status == 0
                && !c->gone[it->known - c->cat->v]
                && lstat(it->known->path, &sb) != 0
                && (errno == ENOENT || errno == ENOTDIR);
    if (moved) {
        size_t gone = st->gone;
        int r = fz_coll_remove_file(c, it->known, st);
        st->gone = gone;
        if (r != 0)
            return r;
        st->moved++;
    } else if (it->status != 0)
        ;                       /* counted by the caller as failed */
    else if (!it->old && fresh == 0 && attached > 0) {
        st->copies++;
        note_copy(c, it->hash);
    } else {
        st->indexed++;
    }
    c->pending++;
    fz_shards_set_writing(NULL);
    if (batch_full(c))
        return fz_coll_commit(c);
    return 0;
}

int fz_coll_remove_file(struct fz_coll *c, const struct fz_entry *e,
                        struct fz_stats *st)
{
    struct fz_shards *s = c->s;
    char *err = NULL, rid[17];
    int rc = FZ_OK;
    if (c->gone[e - c->cat->v])
        return 0;               /* moved, earlier in this run */
    c->gone[e - c->cat->v] = 1;
    fz_shards_set_writing(e->path);
    for (size_t i = 0; rc == FZ_OK && i < e->n_rids; i++) {
        int deleted;
        fz_entry_rid(e, i, rid);
        rc = drop_path(c, rid, e->path, &deleted, &err);
        st->removed += deleted;
    }
    struct fz_buf key = FZ_BUF_INIT;
    if (rc == FZ_OK)
        rc = fz_buf_appendf(&key, FZ_FILE_KEY "%s", e->path);
    if (rc == FZ_OK)
        rc = set_meta0(s, key.data, "", 0, &err);
    fz_buf_release(&key);
    if (rc != FZ_OK)
        return failed(c, e->path, err);
    st->gone++;
    /* a copy made in this run of a file now gone: it moved */
    for (size_t i = 0; i < c->n_copies; i++)
        if (strcmp(c->copies[i], e->hash) == 0) {
            c->copies[i][0] = '\0';     /* counted once */
            st->copies--;
            st->moved++;
            break;
        }
    c->pending++;
    fz_shards_set_writing(NULL);
    if (batch_full(c))
        return fz_coll_commit(c);
    return 0;
}

int fz_coll_stamp(struct fz_coll *c, char **errptr)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    return set_meta0(c->s, FZ_LAST_RUN_KEY, now, strlen(now), errptr);
}

static int cmp_file(const void *key, const void *f)
{
    return strcmp(key, ((const struct fz_file *)f)->path);
}

int fz_coll_prune(struct fz_coll *c, const char *dir, int walk_ok,
                  const struct fz_files *fs, struct fz_stats *st)
{
    size_t lo, hi;
    struct stat sb;
    fz_catalog_under(c->cat, dir, &lo, &hi);
    for (size_t k = lo; k < hi; k++) {
        const struct fz_entry *e = &c->cat->v[k];
        if (bsearch(e->path, fs->v, fs->n, sizeof *fs->v, cmp_file))
            continue;
        /* a folder the walk could not read may hold it still */
        if (!walk_ok && !(lstat(e->path, &sb) != 0
                          && (errno == ENOENT || errno == ENOTDIR)))
            continue;
        if (fz_run_interrupted(c->run))
            return 1;
        int rc = fz_coll_remove_file(c, e, st);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ---- the end of a run: rebuilds and compaction ------------------------ */

/* Documents of removed reports in shard k, or -1 (*errptr). */
static long dead_docs(struct fz_coll *c, size_t k, char **errptr)
{
    long n = 0;
    char t[24], rid[17];
    for (size_t i = 0; i + 17 <= c->dead.len; i += 17) {
        memcpy(rid, c->dead.data + i + 1, 16);
        rid[16] = '\0';
        rterm(t, rid);
        long f = fzx_writer_termfreq(c->s->w[k], t, strlen(t), errptr);
        if (f < 0)
            return -1;
        n += f;
    }
    return n;
}

static int cmp_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

int fz_coll_finish(struct fz_coll *c)
{
    struct fz_shards *s = c->s;
    char *err = NULL;
    int status = 0, rebuilt = 0;
    /* the shards to compact, copied side by side when the loop is done
     * (or before shard 0 is rebuilt) */
    size_t *ks = calloc(s->n, sizeof *ks), nk = 0;
    if (ks == NULL)
        return failed(c, s->dir, strdup("out of memory"));
    /* shard 0 last: while it is swapped, the others keep their locks */
    for (size_t j = 0; j < s->n && j < c->n_purge && status < 2; j++) {
        size_t k = (j + 1) % s->n;
        unsigned long last = fzx_writer_lastdocid(s->w[k], &err);
        long dd = err ? -1 : dead_docs(c, k, &err);
        if (dd < 0) {
            free(ks);
            return failed(c, s->path[k], err);
        }
        struct fz_purge *p = &c->purge[k];
        if (p->n > 0 || (dd > 0 && (unsigned long)dd * 4 >= last)) {
            unsigned long kept;
            if (k == 0) {
                status = fz_compact_shards(c->run, s, ks, nk);
                nk = 0;
            }
            if (p->n > 1)
                qsort(p->v, p->n, sizeof *p->v, cmp_ulong);
            if (status < 2)
                status = fz_rebuild_shard(c->run, s, k, &c->dead, p->v,
                                          p->n, &kept);
            if (status == 0) {
                p->n = 0;
                rebuilt = 1;
            }
        } else if (c->added[k] > 0 && c->added[k] * 4 >= last) {
            ks[nk++] = k;
        }
    }
    if (status < 2 && nk > 0)
        status = fz_compact_shards(c->run, s, ks, nk);
    free(ks);
    if (!rebuilt)
        return status;
    /* the removed reports no shard holds any more leave the list */
    struct fz_buf keep = FZ_BUF_INIT;
    int rc = FZ_OK;
    for (size_t i = 0; rc == FZ_OK && i + 17 <= c->dead.len; i += 17) {
        char rid[17];
        int dead;
        memcpy(rid, c->dead.data + i + 1, 16);
        rid[16] = '\0';
        int k = find_report(c, rid, &dead, &err);
        if (k == -2)
            rc = FZ_EINDEX;
        else if (k >= 0)
            rc = fz_buf_appendf(&keep, " %s", rid);
    }
    if (rc == FZ_OK) {
        fz_buf_release(&c->dead);
        c->dead = keep;
        keep = (struct fz_buf)FZ_BUF_INIT;
        rc = save_gone(c, &err);
    }
    fz_buf_release(&keep);
    if (rc == FZ_OK)
        rc = fz_shards_commit(s, &err);
    if (rc != FZ_OK)
        return failed(c, s->dir, err);
    return status;
}
