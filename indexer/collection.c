/* indexer/collection.c - see indexer/collection.h. */
#include "indexer/collection.h"

#include "base/fz.h"
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
    return c->gone && c->held ? FZ_OK : FZ_ENOMEM;
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

/* The shard holding report rid: k, -1 none, -2 error (*errptr).  A
 * report held back is added first, so that the shard can be read. */
static int find_report(struct fz_coll *c, const char *rid, char **errptr)
{
    struct fz_shards *s = c->s;
    char t[24];
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

/* Report rid's record in shard k, parsed into *rec (data kept in *data
 * for it to borrow from); *docid its document.  FZ_OK or a code. */
static int read_record(struct fz_shards *s, int k, const char *rid,
                       char **data, size_t *len, unsigned long *docid,
                       struct fz_stored *rec, char **errptr)
{
    char t[24];
    rterm(t, rid);
    *data = fzx_writer_first_data(s->w[k], t, strlen(t), FZ_SLOT_PASSAGE,
                                  docid, len, errptr);
    if (*data == NULL)
        return errptr && *errptr ? FZ_EINDEX : FZ_ENOTFOUND;
    int rc = fz_stored_parse(*data, *len, rec, errptr);
    if (rc == FZ_OK && !rec->r.whole) {
        fz_stored_release(rec);
        fz_set_error(errptr, "report %s: no record", rid);
        rc = FZ_EINVAL;
    }
    return rc;
}

/* Give report rid in shard k the paths v[0,n) (n >= 1). */
static int write_paths(struct fz_shards *s, int k, unsigned long docid,
                       const char *data, size_t len, const char *const *v,
                       size_t n, char **errptr)
{
    struct fz_buf out = FZ_BUF_INIT;
    int rc = fz_stored_set_paths(data, len, v, n, &out, errptr);
    if (rc == FZ_OK)
        rc = fzx_writer_set_data(s->w[k], docid, out.data, out.len, errptr);
    fz_buf_release(&out);
    return rc;
}

/* Report rid (in shard k) found at path too; *added 1 when it was not. */
static int add_path(struct fz_shards *s, int k, const char *rid,
                    const char *path, int *added, char **errptr)
{
    char *data = NULL;
    size_t len = 0;
    unsigned long docid = 0;
    struct fz_stored rec = FZ_STORED_INIT;
    const char **v = NULL;
    *added = 0;
    int rc = read_record(s, k, rid, &data, &len, &docid, &rec, errptr);
    if (rc != FZ_OK)
        goto out;
    for (size_t i = 0; i < rec.r.n_paths; i++)
        if (strcmp(rec.r.paths[i], path) == 0)
            goto out;
    if ((v = malloc((rec.r.n_paths + 1) * sizeof *v)) == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    memcpy(v, rec.r.paths, rec.r.n_paths * sizeof *v);
    v[rec.r.n_paths] = path;
    rc = fz_shards_begin(s, (size_t)k, errptr);
    if (rc == FZ_OK)
        rc = write_paths(s, k, docid, data, len, v, rec.r.n_paths + 1,
                         errptr);
    *added = rc == FZ_OK;
out:
    free(v);
    fz_stored_release(&rec);
    free(data);
    return rc;
}

/* Report rid no longer found at path: the path leaves its record, and
 * the report the index when it was its last (*deleted 1).  Nothing when
 * the report is gone or does not list path. */
static int drop_path(struct fz_coll *c, const char *rid, const char *path,
                     int *deleted, char **errptr)
{
    struct fz_shards *s = c->s;
    char *data = NULL, t[24];
    size_t len = 0, n = 0;
    unsigned long docid = 0;
    struct fz_stored rec = FZ_STORED_INIT;
    const char **v = NULL;
    *deleted = 0;
    int k = find_report(c, rid, errptr);
    if (k < 0)
        return k == -1 ? FZ_OK : FZ_EINDEX;
    int rc = read_record(s, k, rid, &data, &len, &docid, &rec, errptr);
    if (rc != FZ_OK)
        goto out;
    if ((v = malloc((rec.r.n_paths + 1) * sizeof *v)) == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < rec.r.n_paths; i++)
        if (strcmp(rec.r.paths[i], path) != 0)
            v[n++] = rec.r.paths[i];
    if (n == rec.r.n_paths)
        goto out;               /* not one of its paths */
    if ((rc = fz_shards_begin(s, (size_t)k, errptr)) != FZ_OK)
        goto out;
    if (n > 0) {
        rc = write_paths(s, k, docid, data, len, v, n, errptr);
    } else {
        rterm(t, rid);
        rc = fzx_writer_delete(s->w[k], t, strlen(t), errptr);
        if (rc == FZ_OK)
            rc = fz_shards_count(s, (size_t)k, -1, errptr);
        *deleted = rc == FZ_OK;
    }
out:
    free(v);
    fz_stored_release(&rec);
    free(data);
    return rc;
}

/* Add the documents of p to shard k: a report new to it.  Held back
 * when shards are written side by side (p's documents are taken). */
static int add_docs(struct fz_coll *c, int k, struct fz_prep *p,
                    char **errptr)
{
    struct fz_shards *s = c->s;
    int rc = fz_shards_begin(s, (size_t)k, errptr);
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

/* Report p, already in shard k, read again from path: when path is its
 * first and the file changed (changed: the catalogue knew it with
 * another hash), its documents are rewritten (the text pipeline or the
 * sidecar may say more now), its paths kept; otherwise it gains path (a
 * copy; or a file whose reports a killed run committed before its
 * catalogue entry: nothing to rewrite).  *wrote 1 when rewritten,
 * *added 1 when it gained the path. */
static int refresh(struct fz_coll *c, int k, struct fz_prep *p,
                   const char *path, int changed, int *wrote, int *added,
                   char **errptr)
{
    struct fz_shards *s = c->s;
    char *data = NULL, t[24];
    size_t len = 0;
    unsigned long docid = 0;
    struct fz_stored rec = FZ_STORED_INIT;
    *wrote = *added = 0;
    int rc = read_record(s, k, p->rid, &data, &len, &docid, &rec, errptr);
    if (rc != FZ_OK)
        goto out;
    if (!changed || rec.r.n_paths == 0 || strcmp(rec.r.paths[0], path) != 0) {
        rc = add_path(s, k, p->rid, path, added, errptr);
        goto out;
    }
    rterm(t, p->rid);
    rc = fz_shards_begin(s, (size_t)k, errptr);
    if (rc == FZ_OK)
        rc = fzx_writer_delete(s->w[k], t, strlen(t), errptr);
    if (rc == FZ_OK)
        rc = add_docs(c, k, p, errptr);
    if (rc == FZ_OK && rec.r.n_paths > 1) {
        /* the new record says only path: give it back the others */
        char *nd = NULL;
        size_t nlen = 0;
        unsigned long nid = 0;
        nd = fzx_writer_first_data(s->w[k], t, strlen(t), FZ_SLOT_PASSAGE,
                                   &nid, &nlen, errptr);
        rc = nd ? write_paths(s, k, nid, nd, nlen, rec.r.paths,
                              rec.r.n_paths, errptr) : FZ_EINDEX;
        free(nd);
    }
    *wrote = rc == FZ_OK;
out:
    fz_stored_release(&rec);
    free(data);
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
        rc = fz_shards_begin(s, 0, errptr);
    if (rc == FZ_OK)
        rc = fzx_writer_set_metadata(s->w[0], key.data, val.data, val.len,
                                     errptr);
    fz_buf_release(&key);
    fz_buf_release(&val);
    return rc;
}

/* Whether " RID" is among the ids in list (" RID RID ..."). */
static int listed(const struct fz_buf *list, const char *rid)
{
    for (size_t i = 0; i + 17 <= list->len; i += 17)
        if (memcmp(list->data + i + 1, rid, 16) == 0)
            return 1;
    return 0;
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
            fz_entry_rid(it->known, i, rid);
            int k = find_report(c, rid, &err);
            if (k == -2)
                return failed(c, path, err);
            if (k == -1) {
                fz_shards_set_writing(NULL);
                return FZ_COLL_REREAD;
            }
        }
        for (size_t i = 0; rc == FZ_OK && i < it->known->n_rids; i++) {
            int added;
            fz_entry_rid(it->known, i, rid);
            int k = find_report(c, rid, &err);
            rc = k < 0 ? FZ_EINDEX : add_path(s, k, rid, path, &added, &err);
            if (rc == FZ_OK && !listed(&rids, rid))
                rc = fz_buf_appendf(&rids, " %s", rid);
            attached++;
        }
    }
    for (size_t i = 0; rc == FZ_OK && i < it->nr; i++) {
        struct fz_prep *p = &it->r[i];
        if (listed(&rids, p->rid))
            continue;           /* the same text twice in one file */
        int k = find_report(c, p->rid, &err), wrote = 0, added = 0;
        if (k == -2) {
            rc = FZ_EINDEX;
        } else if (k == -1) {
            k = fz_shards_route(s, p->rid, &err);
            rc = k < 0 ? FZ_EINDEX : add_docs(c, k, p, &err);
            if (rc == FZ_OK)
                rc = fz_shards_count(s, (size_t)k, 1, &err);
            wrote = 1;
        } else {
            rc = refresh(c, k, p, path, it->old != NULL, &wrote, &added,
                         &err);
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
        rc = fz_shards_begin(s, 0, &err);
    if (rc == FZ_OK)
        rc = fzx_writer_set_metadata(s->w[0], key.data, "", 0, &err);
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
    int rc = fz_shards_begin(c->s, 0, errptr);
    if (rc == FZ_OK)
        rc = fzx_writer_set_metadata(c->s->w[0], FZ_LAST_RUN_KEY, now,
                                     strlen(now), errptr);
    return rc;
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
