/* indexer/rebuild.c - see indexer/rebuild.h. */
#include "indexer/rebuild.h"

#include "base/fz.h"
#include "indexer/compact.h"
#include "indexer/document.h"
#include "store/schema.h"
#include "store/stored.h"
#include "text/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct copy_ctx {
    fzx_writer *from, *to;
    char **errptr;
    int rc;
};

static int copy_key(void *ctx, const char *key, size_t len)
{
    struct copy_ctx *c = ctx;
    size_t vlen = 0;
    char *k = strndup(key, len);
    char *v = k ? fzx_writer_get_metadata(c->from, k, &vlen, c->errptr)
                : NULL;
    if (k == NULL)
        c->rc = FZ_ENOMEM;
    else if (v == NULL && c->errptr && *c->errptr)
        c->rc = FZ_EINDEX;
    else
        c->rc = fzx_writer_set_metadata(c->to, k, v ? v : "", vlen,
                                        c->errptr);
    free(v);
    free(k);
    return c->rc != FZ_OK;
}

static int dropped(const unsigned long *drop, size_t n, unsigned long id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (drop[mid] == id)
            return 1;
        if (drop[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The report record of the report a document belongs to: its first
 * passage, which comes before its others (they are added in order). */
struct cur {
    struct fz_stored rec;
    char *data;
    const char *sec_src[4];
    char *sec_norm[4];
};

static void cur_release(struct cur *c)
{
    fz_stored_release(&c->rec);
    free(c->data);
    c->data = NULL;
    for (size_t k = 0; k < 4; k++) {
        free(c->sec_norm[k]);
        c->sec_norm[k] = NULL;
        c->sec_src[k] = NULL;
    }
}

/* Give d (data and values already) the terms of its data.  FZ_OK or a
 * code with *errptr. */
static int give_terms(fzx_doc *d, struct fz_norm *norm, struct cur *cur,
                      char **errptr)
{
    size_t len = 0;
    char *data = fzx_doc_get_data(d, &len);
    struct fz_stored p = FZ_STORED_INIT;
    int rc = data ? fz_stored_parse(data, len, &p, errptr) : FZ_EINVAL;
    if (rc != FZ_OK) {
        free(data);
        if (errptr && !*errptr)
            fz_set_error(errptr, "a document without a record");
        return FZ_EINDEX;
    }
    if (p.r.whole) {
        cur_release(cur);
        cur->rec = p;
        cur->data = data;
        p = (struct fz_stored)FZ_STORED_INIT;
        data = NULL;
    }
    const struct fz_stored *s = cur->data ? &cur->rec : NULL;
    const struct fz_stored *me = data ? &p : &cur->rec;
    if (s == NULL || strcmp(s->r.id, me->r.id) != 0) {
        fz_set_error(errptr, "passage %s comes before its report's record",
                     me->p.id ? me->p.id : "?");
        rc = FZ_EINDEX;
    }
    if (rc == FZ_OK)
        rc = fz_document_fold_sections(norm, (char *const *)me->p.section,
                                       me->p.n_section, cur->sec_src,
                                       cur->sec_norm);
    if (rc == FZ_OK) {
        struct fz_doc_terms t = {
            s->r.id, me->p.norm, (const char *const *)cur->sec_norm,
            me->p.n_section < 4 ? me->p.n_section : 4, s->r.ntitle,
            s->r.level ? s->r.level : "unknown", s->r.year,
            s->r.region_code,
        };
        rc = fz_document_terms(d, &t);
    }
    /* the headings folded are borrowed from this passage's record: fold
     * them again for the next one */
    if (data)
        for (size_t k = 0; k < 4; k++)
            cur->sec_src[k] = NULL;
    fz_stored_release(&p);
    free(data);
    return rc;
}

int fz_rebuild_shard(struct fz_run *run, struct fz_shards *s, size_t k,
                     const struct fz_buf *dead, const unsigned long *drop,
                     size_t n_drop, unsigned long *kept)
{
    char *fresh = NULL, *packed = NULL, *err = NULL;
    fzx_writer *w = NULL;
    struct fz_norm *norm = NULL;
    struct cur cur = { FZ_STORED_INIT, NULL, { NULL }, { NULL } };
    int rc = FZ_ENOMEM, status = 2;
    *kept = 0;
    if ((fresh = fz_shard_copy_name(s->path[k], "rebuild")) == NULL
        || (packed = fz_shard_copy_name(s->path[k], "packed")) == NULL)
        goto out;
    fzx_db_remove(fresh, NULL);
    fzx_db_remove(packed, NULL);
    if ((norm = fz_norm_open(&err)) == NULL
        || (w = fzx_writer_open_with(fresh, s->wflags, NULL,
                                     &err)) == NULL) {
        rc = FZ_EINDEX;
        goto out;
    }
    struct copy_ctx cc = { s->w[k], w, &err, FZ_OK };
    if ((rc = fzx_writer_each_metadata_key(s->w[k], "", copy_key, &cc,
                                           &err)) != FZ_OK
        || (rc = cc.rc) != FZ_OK)
        goto out;
    unsigned long last = fzx_writer_lastdocid(s->w[k], &err);
    rc = err ? FZ_EINDEX : FZ_OK;
    for (unsigned long id = 1; rc == FZ_OK && id <= last; id++) {
        int code = FZ_OK;
        if (dropped(drop, n_drop, id))
            continue;
        fzx_doc *d = fzx_writer_doc(s->w[k], id, &code, &err);
        if (d == NULL) {
            rc = code == FZ_ENOTFOUND ? FZ_OK : code;
            continue;
        }
        size_t rl = 0;
        char *rid = fzx_doc_get_value(d, FZ_SLOT_REPORT, &rl);
        int gone = rid && rl == 16
                   && fz_ids_find(dead->data, dead->len, rid) >= 0;
        free(rid);
        if (!gone) {
            rc = give_terms(d, norm, &cur, &err);
            if (rc == FZ_OK)
                rc = fzx_writer_add(w, "", 0, d, &err);
            *kept += rc == FZ_OK;
        }
        fzx_doc_free(d);
    }
    if (rc == FZ_OK)
        rc = fzx_writer_close(w, &err);
    else
        fzx_writer_close(w, NULL);
    w = NULL;
    /* written once: compacted, it is as small as Xapian makes it */
    if (rc == FZ_OK)
        rc = fzx_compact(fresh, packed, 0, &err);
    if (rc == FZ_OK) {
        fz_compact_release(s, k);
        status = fz_compact_swap(run, s->path[k], packed);
        if (fz_compact_reopen(run, s, k) != 0)
            status = 2;
        goto done;
    }
out:
    fz_run_warn(run, "%s: cannot rebuild: %s", s->path[k],
                err ? err : "out of memory");
done:
    if (w)
        fzx_writer_close(w, NULL);
    if (fresh)
        fzx_db_remove(fresh, NULL);
    cur_release(&cur);
    fz_norm_close(norm);
    free(fresh);
    free(packed);
    free(err);
    return status;
}
