/* searcher/search.c - from checked options to hits (see search.h). */
#include "searcher/search.h"

#include "base/fz.h"
#include "meta/meta.h"
#include "meta/region.h"
#include "searcher/like.h"
#include "store/schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the Xapian query ---------------------------------------------------- */

/* What building a query needs beside the parsed query: the database one
 * Han character's prefix is expanded against, and where a failure to do
 * so is kept (a builder then returns NULL, as when out of memory). */
struct qb {
    fzx_db *db;
    int code;
    char *err;
};

size_t fzs_term_text(const char *prefix, const struct fz_qterm *t,
                     char buf[FZS_TERM_MAX])
{
    size_t pl = strlen(prefix);
    if (t->len + pl >= FZS_TERM_MAX)
        return 0;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t->term, t->len);
    buf[pl + t->len] = '\0';
    return pl + t->len;
}

static fzx_query *term_query(struct qb *b, const char *prefix,
                             const struct fz_qterm *t)
{
    char buf[FZS_TERM_MAX];
    size_t len = fzs_term_text(prefix, t, buf);
    if (len == 0)
        return NULL;
    if (!t->prefix)
        return fzx_query_term(buf, len);
    int code = FZ_OK;
    fzx_query *q = fzx_query_expand(b->db, buf, len, &code, &b->err);
    if (q == NULL && b->code == FZ_OK)
        b->code = code;
    return q;
}

/* AND of a clause's terms: a necessary condition for the clause. */
static fzx_query *clause_query(struct qb *b, const struct fz_qclause *c)
{
    const char *prefix = c->field == FZ_QF_TITLE ? FZ_PREFIX_TITLE : "";
    fzx_query **subs = calloc(c->n, sizeof *subs);
    if (subs == NULL)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        subs[i] = term_query(b, prefix, &c->t[i]);
    fzx_query *q = fzx_query_combine(FZX_AND, subs, c->n, 0);
    free(subs);
    return q;
}

/* OR of a group's clauses. */
static fzx_query *group_query(struct qb *b, const struct fz_qgroup *g)
{
    fzx_query *alts[64];
    size_t na = 0;
    for (size_t k = 0; k < g->n && na < 64; k++)
        alts[na++] = clause_query(b, &g->c[k]);
    return fzx_query_combine(FZX_OR, alts, na, 0);
}

static int group_negated(const struct fz_qgroup *g)
{
    return g->n == 1 && g->c[0].negated;
}

/* Passages whose section heading has the words rank higher. */
static fzx_query *boost_sections(struct qb *b, fzx_query *main_q,
                                 const struct fz_query *q)
{
    fzx_query *boost[256];
    size_t nb = 0;
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        for (size_t k = 0; k < g->n && !group_negated(g); k++) {
            const struct fz_qclause *c = &g->c[k];
            for (size_t t = 0; c->field == FZ_QF_TEXT && t < c->n
                               && nb < 256; t++)
                boost[nb++] = term_query(b, FZ_PREFIX_SECTION, &c->t[t]);
        }
    }
    if (nb == 0)
        return main_q;
    fzx_query *pair[2] = {
        main_q, fzx_query_scale(fzx_query_combine(FZX_OR, boost, nb, 0), 0.5),
    };
    return fzx_query_combine(FZX_AND_MAYBE, pair, 2, 0);
}

/* Passages that may match q: every positive group's terms, none of a
 * negated one-term clause (longer ones are checked against the text). */
static fzx_query *passage_query(struct qb *b, const struct fz_query *q)
{
    fzx_query *pos[64], *neg[64];
    size_t np = 0, nn = 0;
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        if (group_negated(g)) {
            if (g->c[0].n == 1 && nn < 64)
                neg[nn++] = clause_query(b, &g->c[0]);
        } else if (np < 64) {
            pos[np++] = group_query(b, g);
        }
    }
    fzx_query *main_q = fzx_query_combine(FZX_AND, pos, np, 0);
    if (nn > 0) {
        fzx_query *pair[2] = { main_q,
                               fzx_query_combine(FZX_OR, neg, nn, 0) };
        main_q = fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
    }
    return boost_sections(b, main_q, q);
}

/* Passages that may take part in a report matching q: any group's terms,
 * the negated ones included (a report with them is out). */
static fzx_query *report_query(struct qb *b, const struct fz_query *q,
                               int with_negated)
{
    fzx_query *any[64];
    size_t n = 0;
    for (size_t gi = 0; gi < q->n && n < 64; gi++)
        if (with_negated || !group_negated(&q->g[gi]))
            any[n++] = group_query(b, &q->g[gi]);
    return boost_sections(b, fzx_query_combine(FZX_OR, any, n, 0), q);
}

static fzx_query *bool_term(const char *prefix, const char *v)
{
    char t[128];
    snprintf(t, sizeof t, "%s%s", prefix, v);
    return fzx_query_term(t, strlen(t));
}

/* --region 全国: the national reports (they have no division). */
static int is_national(const char *name)
{
    return strcmp(name, "全国") == 0 || strcmp(name, "national") == 0;
}

static void chain_of(const struct fz_region *reg, char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < reg->depth && at < size; i++) {
        int n = snprintf(out + at, size - at, "%s%s", i ? " › " : "",
                         reg->chain[i]);
        at += n > 0 ? (size_t)n : 0;
    }
}

/* Whether any passage of the index is in the division code. */
static fzx_query *leave_out_removed(fzx_query *q, const struct fzs_hits *h);

/* Whether the index has reports of the division code: removed ones, whose
 * documents stay until their shard is rebuilt, do not count. */
static int has_reports(fzx_db *db, const struct fzs_hits *h,
                       const char *code, int *code_rc)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%s%s", FZ_PREFIX_REGION, code);
    if (fzx_db_termfreq(db, t, (size_t)n, code_rc, NULL) == 0)
        return 0;
    if (h->dead == NULL || h->dead[0] == '\0')
        return 1;
    fzx_query *q = leave_out_removed(bool_term(FZ_PREFIX_REGION, code), h);
    if (q == NULL) {
        *code_rc = FZ_ENOMEM;
        return 0;
    }
    struct fzx_search how = { .limit = 1, .collapse_slot = -1,
                              .check_at_least = 1 };
    int rc = FZ_ENOMEM;
    fzx_mset *m = fzx_search_run(db, q, &how, &rc, NULL);
    fzx_query_free(q);
    if (m == NULL)
        *code_rc = rc;
    int has = m && fzx_mset_size(m) > 0;
    fzx_mset_free(m);
    return has;
}

#define MAX_READINGS 256

/* Resolve one --region into *pick.  A name that fits several divisions
 * (none inside another) is taken as
 *   - the one above township level, when there is one and none of the
 *     townships so named has reports here (重庆 is 重庆市, not 长春's
 *     重庆街道; 罗湖 罗湖区);
 *   - else the one of them the index has reports of, which finds what
 *     any of them would (龙城 in corpus/ is 深圳's 龙城街道, not 辽宁's
 *     龙城区);
 *   - else it is ambiguous: an error listing them (朝阳: a city, two
 *     districts, a county, towns).
 * The caller says which (pick->how).  FZ_OK, FZ_EINVAL with *errptr, or
 * a shim code. */
static int resolve_region(fzx_db *db, struct fz_regions *r, const char *name,
                          const struct fzs_hits *h,
                          struct fzs_region_pick *pick, char **errptr)
{
    pick->given = name;
    if (is_national(name)) {
        snprintf(pick->chain, sizeof pick->chain, "全国");
        return FZ_OK;
    }
    struct fz_region *c = calloc(MAX_READINGS, sizeof *c);
    size_t n = 0, with = 0, first = 0;
    char *err = NULL;
    int rc = c ? FZ_OK : FZ_ENOMEM;
    if (rc == FZ_OK)
        rc = fz_regions_lookup_all(r, name, strlen(name), c, MAX_READINGS,
                                   &n, &err);
    if (rc == FZ_EINVAL) {
        fz_set_error(errptr, "--region '%s': %s", name, err);
        goto out;
    }
    if (rc != FZ_OK)
        goto out;
    unsigned char *has = calloc(n + 1, 1);
    if (has == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    size_t above = 0, above_first = 0, towns_with = 0;
    for (size_t i = 0; n > 1 && i < n && i < MAX_READINGS && rc == FZ_OK;
         i++) {
        if ((has[i] = (unsigned char)has_reports(db, h, c[i].code, &rc))
            && with++ == 0)
            first = i;
        if (c[i].kind != FZ_REGION_TOWNSHIP && above++ == 0)
            above_first = i;
        else if (c[i].kind == FZ_REGION_TOWNSHIP)
            towns_with += has[i];
    }
    pick->how = n == 1 ? FZS_REGION_ONLY
                : above == 1 && towns_with == 0 && n <= MAX_READINGS
                  ? FZS_REGION_ABOVE_TOWNS
                : with == 1 ? FZS_REGION_WITH_REPORTS : -1;
    if (pick->how == FZS_REGION_ABOVE_TOWNS)
        first = above_first;
    if (rc == FZ_OK && pick->how >= 0) {
        snprintf(pick->code, sizeof pick->code, "%s", c[first].code);
        chain_of(&c[first], pick->chain, sizeof pick->chain);
        pick->others = n - 1;
    } else if (rc == FZ_OK) {
        /* the ones with reports first, as many as a line holds */
        struct fz_buf b = FZ_BUF_INIT;
        size_t shown = 0, m = n < MAX_READINGS ? n : MAX_READINGS;
        for (int pass = with > 0 ? 0 : 1; pass < 2; pass++)
            for (size_t i = 0; i < m && shown < 8; i++) {
                char ch[192];
                if (has[i] != (pass == 0))
                    continue;
                chain_of(&c[i], ch, sizeof ch);
                fz_buf_appendf(&b, "%s%s (%s)", shown ? ", " : "", ch,
                               c[i].code);
                shown++;
            }
        fz_set_error(errptr, "--region '%s' is ambiguous: %zu divisions are "
                     "so named, %s: %s%s; give a fuller name (%s%s%s) "
                     "or a code", name, n,
                     with ? "these with reports here"
                          : "none of them with reports here",
                     fz_buf_cstr(&b), n > shown ? ", ..." : "",
                     c[0].depth > 1 ? c[0].chain[0] : "",
                     c[0].depth > 1 ? " " : "",
                     c[0].depth > 1 ? name : c[0].depth ? c[0].chain[0]
                                                       : name);
        fz_buf_release(&b);
        rc = FZ_EINVAL;
    }
    free(has);
out:
    free(err);
    free(c);
    return rc;
}

/* Resolve every --region into h->regions. */
static int resolve_regions(fzx_db *db, const struct fzs_options *o,
                           struct fzs_hits *h, char **errptr)
{
    if (o->n_regions == 0)
        return FZ_OK;
    struct fz_regions *r = fz_regions_open(errptr);
    int rc = r ? FZ_OK : FZ_ENOMEM;
    for (size_t k = 0; k < o->n_regions && rc == FZ_OK; k++) {
        rc = resolve_region(db, r, o->regions[k], h, &h->regions[k],
                            errptr);
        h->n_regions = k + 1;
    }
    fz_regions_close(r);
    return rc;
}

/* A filter: any of n queries (none: no filter). */
static void add_any(fzx_query **f, size_t *nf, fzx_query **v, size_t n)
{
    if (n > 0)
        f[(*nf)++] = fzx_query_combine(FZX_OR, v, n, 0);
}

/* Whether the report rid was removed (h->dead: FZ_DEAD_KEY's list, an
 * id after each separator). */
static int is_removed(const struct fzs_hits *h, const char *rid)
{
    size_t n = h->dead ? strlen(h->dead) / 17 : 0;
    for (size_t i = 0; strlen(rid) == 16 && i < n; i++)
        if (memcmp(h->dead + 17 * i + 1, rid, 16) == 0)
            return 1;
    return 0;
}

/* q without the documents of removed reports, which stay in their shard
 * until it is rebuilt (store/schema.h, FZ_DEAD_KEY). */
static fzx_query *leave_out_removed(fzx_query *q, const struct fzs_hits *h)
{
    size_t n = h->dead ? strlen(h->dead) / 17 : 0;
    if (q == NULL || n == 0)
        return q;
    fzx_query **v = calloc(n, sizeof *v);
    if (v == NULL) {
        fzx_query_free(q);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char rid[17];
        memcpy(rid, h->dead + 17 * i + 1, 16);
        rid[16] = '\0';
        v[i] = bool_term(FZ_PREFIX_REPORT, rid);
    }
    fzx_query *pair[2] = { q, fzx_query_combine(FZX_OR, v, n, 0) };
    free(v);
    return fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
}

/* q narrowed by the filters (h->regions resolved); each filter given
 * again widens it (OR), different filters narrow (AND). */
static fzx_query *add_filters(fzx_query *q, const struct fzs_options *o,
                              const struct fzs_hits *h, int with_date)
{
    fzx_query *f[4], *v[512];
    size_t nf = 0, n = 0;
    for (size_t k = 0; k < o->n_years; k++)
        for (int y = o->years[k].lo; y <= o->years[k].hi && n < 512; y++) {
            char s[8];
            snprintf(s, sizeof s, "%04d", y);
            v[n++] = bool_term(FZ_PREFIX_YEAR, s);
        }
    add_any(f, &nf, v, n);
    n = 0;
    for (size_t k = 0; k < h->n_regions; k++)
        v[n++] = h->regions[k].code[0]
                 ? bool_term(FZ_PREFIX_REGION, h->regions[k].code)
                 : bool_term(FZ_PREFIX_LEVEL, "national");
    add_any(f, &nf, v, n);
    n = 0;
    for (size_t k = 0; k < o->n_levels; k++)
        v[n++] = bool_term(FZ_PREFIX_LEVEL, o->levels[k]);
    add_any(f, &nf, v, n);
    if (with_date && (o->date_lo[0] || o->date_hi[0]))
        f[nf++] = fzx_query_value_range(FZ_SLOT_DATE, o->date_lo,
                                        o->date_hi[0] ? o->date_hi
                                                      : "9999-99-99");
    if (nf > 0) {
        fzx_query *pair[2] = { q, fzx_query_combine(FZX_AND, f, nf, 0) };
        q = fzx_query_combine(FZX_FILTER, pair, 2, 0);
    }
    return leave_out_removed(q, h);
}

/* ---- reports seen, by id ----------------------------------------------- */

/* Open addressing over the 64-bit report ids (16 hex digits). */
struct rmap {
    struct rslot { uint64_t id; uint64_t mask; int used, negated; } *v;
    size_t n, cap;
};

static struct rslot *rmap_get(struct rmap *m, const char *rid)
{
    uint64_t id = rid ? strtoull(rid, NULL, 16) : 0;
    if (2 * (m->n + 1) > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        struct rslot *v = calloc(nc, sizeof *v);
        if (v == NULL)
            return NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->v[i].used)
                continue;
            size_t k = (size_t)(m->v[i].id * 0x9E3779B97F4A7C15ULL) & (nc - 1);
            while (v[k].used)
                k = (k + 1) & (nc - 1);
            v[k] = m->v[i];
        }
        free(m->v);
        m->v = v;
        m->cap = nc;
    }
    size_t k = (size_t)(id * 0x9E3779B97F4A7C15ULL) & (m->cap - 1);
    while (m->v[k].used && m->v[k].id != id)
        k = (k + 1) & (m->cap - 1);
    if (!m->v[k].used) {
        m->v[k].used = 1;
        m->v[k].id = id;
        m->n++;
    }
    return &m->v[k];
}

/* ---- reports ------------------------------------------------------------ */

/* A passage's record names its report; the report's first passage holds
 * its whole record (store/stored.h).  Looked up once per report per
 * search, and kept as long as the hits that point to it. */
struct fzs_report_cache {
    struct fz_stored **v;           /* each the record of a first passage */
    size_t n, cap;
};

static void cache_free(struct fzs_report_cache *c)
{
    for (size_t i = 0; c && i < c->n; i++) {
        fz_stored_release(c->v[i]);
        free(c->v[i]);
    }
    if (c)
        free(c->v);
    free(c);
}

/* Report record s (whole) gains its paths, which are kept apart from it
 * (store/schema.h).  FZ_OK or FZ_ENOMEM; a report without paths has
 * none (NULL path). */
static int add_paths(fzx_db *db, struct fz_stored *s)
{
    char key[40];
    size_t len = 0;
    snprintf(key, sizeof key, FZ_PATHS_KEY "%.16s", s->r.id);
    char *v = fzx_db_get_metadata(db, key, &len, NULL);
    int rc = v ? fz_stored_use_paths(s, v, len) : FZ_OK;
    free(v);
    return rc;
}

/* The whole record of report rid (kept in h), or NULL. */
static const struct fz_stored_report *report_get(struct fzs_hits *h,
                                                 fzx_db *db, const char *rid,
                                                 int *code)
{
    *code = FZ_EINDEX;          /* a passage naming no report */
    if (rid == NULL || strlen(rid) != 16)
        return NULL;
    *code = FZ_ENOMEM;
    if (h->cache == NULL && (h->cache = calloc(1, sizeof *h->cache)) == NULL)
        return NULL;
    *code = FZ_OK;
    struct fzs_report_cache *c = h->cache;
    for (size_t i = c->n; i-- > 0;)
        if (strcmp(c->v[i]->r.id, rid) == 0)
            return &c->v[i]->r;
    char term[24];
    size_t len = 0;
    snprintf(term, sizeof term, FZ_PREFIX_REPORT "%s", rid);
    /* a database changed under the reader says so (FZ_EMODIFIED: the
     * search is run again), as does a remote shard gone */
    char *d = fzx_db_get_data_by_term(db, term, strlen(term), &len, code,
                                      NULL);
    struct fz_stored *s = malloc(sizeof *s);
    int ok = d && s && fz_stored_parse(d, len, s, NULL) == FZ_OK;
    free(d);
    if (*code == FZ_OK && !ok)
        *code = s ? FZ_EINDEX : FZ_ENOMEM;
    else if (*code == FZ_ENOTFOUND)
        *code = FZ_EINDEX;
    if (ok && !s->r.whole) {
        fz_stored_release(s);
        ok = 0;
        *code = FZ_EINDEX;
    }
    if (ok && add_paths(db, s) != FZ_OK) {
        fz_stored_release(s);
        ok = 0;
        *code = FZ_ENOMEM;
    }
    if (ok && c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 16;
        void *v = realloc(c->v, nc * sizeof *c->v);
        if (v == NULL) {
            fz_stored_release(s);
            ok = 0;
            *code = FZ_ENOMEM;
        } else {
            c->v = v;
            c->cap = nc;
        }
    }
    if (!ok) {
        free(s);
        return NULL;
    }
    c->v[c->n++] = s;
    return &s->r;
}

const struct fz_stored_report *fzs_hit_report(const struct fzs_hit *hit)
{
    return hit->report ? hit->report : &hit->rec.r;
}

/* Give hit its whole report record.  0, or -1. */
static int complete_hit(struct fzs_hits *h, fzx_db *db, struct fzs_hit *hit)
{
    hit->report = NULL;
    if (hit->rec.r.whole)
        return add_paths(db, &hit->rec);
    int code;
    hit->report = report_get(h, db, hit->rec.r.id, &code);
    return hit->report ? FZ_OK : code;
}

static int has_titles(const struct fz_query *q)
{
    for (size_t g = 0; q && g < q->n; g++)
        for (size_t k = 0; k < q->g[g].n; k++)
            if (q->g[g].c[k].field == FZ_QF_TITLE)
                return 1;
    return 0;
}

/* ---- checking candidates inside the match ------------------------------ */

struct check {
    const struct fz_query *q;
    fzx_db *db;
    int titles;             /* the query has title: clauses */
    struct fzs_hits *hits;  /* their cache: reports looked up, for their
                               titles */
    enum fzs_within within;
    int phase;              /* FZS_WITHIN_REPORT: 1 gathers each report's
                               groups, 2 keeps passages of the reports
                               that have them all */
    uint64_t want;          /* the positive groups' bits */
    struct rmap reports;
    int failed;             /* the result is not exact: code says why */
    int code;               /* FZ_ENOMEM, or a read's (FZ_EMODIFIED...) */
    struct fz_stored_peek pk;   /* the candidate's record, as the check
                                   needs it (reused) */
};

static int accept(void *ctx, const char *data, size_t len)
{
    struct check *c = ctx;
    int rc = fz_stored_peek(data, len, &c->pk);
    if (rc != FZ_OK) {
        c->failed = 1;
        if (rc == FZ_ENOMEM)
            c->code = FZ_ENOMEM;
        return 0;
    }
    const char *norm = fz_buf_cstr(&c->pk.norm), *nt = NULL;
    const char *rid = fz_buf_cstr(&c->pk.rid);
    size_t nl = c->pk.norm.len, tl = 0;
    if (c->titles && c->pk.whole) {
        nt = c->pk.has_ntitle ? fz_buf_cstr(&c->pk.ntitle) : NULL;
        tl = c->pk.ntitle.len;
    } else if (c->titles) {
        int code = FZ_OK;
        const struct fz_stored_report *full =
            report_get(c->hits, c->db, rid, &code);
        nt = full ? full->ntitle : NULL;
        tl = nt ? strlen(nt) : 0;
        if (full == NULL && !c->failed) {
            c->failed = 1;
            c->code = code;
        }
    }
    int ok = 0;
    if (c->within != FZS_WITHIN_REPORT) {
        ok = fz_query_matches_within(c->q, c->within == FZS_WITHIN_SENTENCE
                                           ? FZ_WITHIN_SENTENCE
                                           : FZ_WITHIN_PASSAGE,
                                     norm, nl, nt, tl, NULL);
        c->failed |= ok < 0;
        ok = ok == 1;
    } else {
        uint64_t mask = 0;
        int neg = 0;
        if (fz_query_groups(c->q, norm, nl, nt, tl, &mask, &neg) != 0) {
            c->failed = 1;
        } else if (c->phase == 1) {
            struct rslot *sl = rmap_get(&c->reports, rid);
            if (sl == NULL) {
                c->failed = 1;
            } else {
                sl->mask |= mask;
                sl->negated |= neg;
            }
        } else {
            struct rslot *sl = mask ? rmap_get(&c->reports, rid) : NULL;
            ok = sl && (sl->mask & c->want) == c->want && !sl->negated;
        }
    }
    return ok;
}

/* ---- facets -------------------------------------------------------------- */

static int facet_add(struct fzs_facet *f, const char *value)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].value, value) == 0) {
            f->v[i].count++;
            return 0;
        }
    struct fzs_facet_count *v = realloc(f->v, (f->n + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    f->v = v;
    snprintf(f->v[f->n].value, sizeof f->v[f->n].value, "%s", value);
    f->v[f->n++].count = 1;
    return 0;
}

/* Each spied value is one report: "<id> <year> <level> <code>". */
static int facets_from_spy(const fzx_mset *m, struct fzs_hits *h)
{
    size_t n = fzx_mset_spy_size(m);
    for (size_t k = 0; k < n; k++) {
        size_t len;
        unsigned long count;
        const char *v = fzx_mset_spy_value(m, k, &len, &count);
        char rid[17], year[8], level[16], code[16];
        if (v == NULL || sscanf(v, "%16s %7s %15s %15s", rid, year, level,
                                code) != 4)
            continue;
        if (strcmp(code, "-") == 0)
            code[0] = '\0';
        else if (strlen(code) > (size_t)h->region_depth)
            code[h->region_depth] = '\0';
        if (facet_add(&h->facets[FZS_FACET_YEAR],
                      strcmp(year, "0000") ? year : "") != 0
            || facet_add(&h->facets[FZS_FACET_LEVEL], level) != 0
            || facet_add(&h->facets[FZS_FACET_REGION], code) != 0)
            return FZ_ENOMEM;
    }
    return FZ_OK;
}

/* ---- running it ---------------------------------------------------------- */

/* Append a hit with record data[0,len), given its whole report.  0, or
 * -1 (damaged, or out of memory). */
static int push_hit(struct fzs_hits *h, fzx_db *db, double score,
                    const char *data, size_t len)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 16;
        struct fzs_hit *v = realloc(h->v, nc * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        h->v = v;
        h->cap = nc;
    }
    struct fzs_hit *hit = &h->v[h->n];
    hit->score = score;
    hit->report = NULL;
    int rc = fz_stored_parse(data, len, &hit->rec, NULL);
    if (rc != FZ_OK)
        return rc == FZ_ENOMEM ? rc : FZ_EINDEX;
    if ((rc = complete_hit(h, db, hit)) != FZ_OK) {
        fz_stored_release(&hit->rec);
        return rc;
    }
    h->n++;
    return FZ_OK;
}

void fzs_hits_release(struct fzs_hits *h)
{
    for (size_t k = 0; k < h->n; k++)
        fz_stored_release(&h->v[k].rec);
    free(h->v);
    for (int f = 0; f < FZS_N_FACETS; f++)
        free(h->facets[f].v);
    if (h->like)
        fz_stored_release(&h->like->rec);
    free(h->like);
    cache_free(h->cache);
    free(h->dead);
    *h = (struct fzs_hits)FZS_HITS_INIT;
}

/* The FZ_SLOT_PASSAGE value of passage id pid ("<report id>-<n>"). */
static const char *passage_key(const char *pid, char key[48])
{
    const char *dash = strrchr(pid, '-');
    snprintf(key, 48, FZ_PASSAGE_KEY_FMT, pid,
             dash ? (size_t)strtoul(dash + 1, NULL, 10) : 0);
    return key;
}

/* --like: the example passage pid, read into h->like, and the query for
 * passages like it (like.h). */
static fzx_query *like_query(fzx_db *db, const char *pid, struct fzs_hits *h,
                             int *code, char **errptr)
{
    char rterm[24], key[48], *err = NULL;
    size_t len = 0;
    const char *dash = strrchr(pid, '-');
    char *data = NULL;
    *code = FZ_EINVAL;
    if (dash && dash - pid == 16) {
        snprintf(rterm, sizeof rterm, FZ_PREFIX_REPORT "%.16s", pid);
        passage_key(pid, key);
        data = fzx_db_get_data_by_value(db, rterm, strlen(rterm),
                                        FZ_SLOT_PASSAGE, key, strlen(key),
                                        &len, &err);
    }
    if (data == NULL) {
        if (err) {          /* reading failed: a shard may be gone */
            *code = fzx_db_failed_shard(db) >= 0 ? FZ_ENETWORK : FZ_EINDEX;
            fz_set_error(errptr, "%s", err);
            free(err);
            return NULL;
        }
        fz_set_error(errptr, "--like '%s': no passage with this id (ids "
                     "are shown by --show-ids and --json)", pid);
        return NULL;
    }
    if (h->like)
        fz_stored_release(&h->like->rec);
    else
        h->like = calloc(1, sizeof *h->like);
    int ok = h->like
             && fz_stored_parse(data, len, &h->like->rec, NULL) == FZ_OK;
    free(data);
    if (ok && complete_hit(h, db, h->like) != 0) {
        fz_stored_release(&h->like->rec);
        ok = 0;
    }
    if (!ok) {
        free(h->like);
        h->like = NULL;
        *code = FZ_EINDEX;
        fz_set_error(errptr, "passage %s: damaged data", pid);
        return NULL;
    }
    if (is_removed(h, h->like->rec.r.id)) {
        /* its document stays until the shard is rebuilt; the report is
         * gone for every other option, and so for this one */
        fz_stored_release(&h->like->rec);
        free(h->like);
        h->like = NULL;
        fz_set_error(errptr, "--like '%s': its report was removed from the "
                     "index", pid);
        return NULL;
    }
    return fzs_like_query(db, h->like->rec.p.norm, h->like->rec.r.id, pid,
                          code, errptr);
}

/* ---- the order of hits --------------------------------------------------- */

/* A score is kept to 10 significant digits.  BM25 adds one number per
 * query term, and one database and its shards add the same numbers in
 * different orders (each builds its own tree of posting lists), which
 * changes the last bits; rounded, the scores agree.  Equal rounded
 * scores are ordered by passage id here (take_hits), not inside the
 * match: ordering ties by a value there read that value for every
 * candidate, half the time of a one-term search (普法 at 1 GB: 25 ms,
 * 11 without).  Inside the match equal weights go by document id, and a
 * report's passages are added in order into one shard, so the passage a
 * collapse keeps is the same in one database and in shards. */
static double round_score(double w)
{
    char b[40];
    snprintf(b, sizeof b, "%.10g", w);
    return strtod(b, NULL);
}

struct ranked {
    char *key;              /* --sort: the date or year, "" for none;
                               NULL: ranked by score */
    int desc;               /* --sort newest first */
    double score;           /* rounded */
    char *pid;              /* read only where rounded scores are equal */
    size_t i;               /* rank in the match */
};

/* --sort: the order of two sort values, none last either way. */
static int by_key(const struct ranked *x, const struct ranked *y)
{
    if (x->key == NULL || y->key == NULL)
        return 0;
    if (!*x->key || !*y->key)
        return !*x->key - !*y->key;
    int c = strcmp(x->key, y->key);
    return x->desc ? -c : c;
}

static int by_rank(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    int k = by_key(x, y);
    if (k != 0)
        return k;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    int c = strcmp(x->pid ? x->pid : "", y->pid ? y->pid : "");
    if (c != 0)
        return c;
    return (x->i > y->i) - (x->i < y->i);
}

/* The code of a failed read of hit data from m: a shard gone, or not. */
static int read_failure(fzx_db *db)
{
    return fzx_db_failed_shard(db) >= 0 ? FZ_ENETWORK : FZ_EINDEX;
}

/* Hits [offset, want) of m in the order of by_rank, m holding at least
 * every hit whose rounded score equals that of rank want - 1. */
/* The number of matches of xq searched as how says, exactly. */
static int count_all(fzx_db *db, const fzx_query *xq,
                     const struct fzx_search *how, unsigned all,
                     size_t *out, char **errptr)
{
    struct fzx_search count = *how;
    int code = FZ_OK;
    count.offset = 0;
    count.limit = 0;
    count.check_at_least = all;
    count.spy = 0;
    fzx_mset *c = fzx_search_run(db, xq, &count, &code, errptr);
    if (c != NULL && fzx_mset_lower(c) != fzx_mset_upper(c)) {
        /* Xapian could not make the count exact (collapsing): count */
        fzx_mset_free(c);
        count.limit = all;
        c = fzx_search_run(db, xq, &count, &code, errptr);
        if (c != NULL)
            *out = fzx_mset_size(c);
    } else if (c != NULL) {
        *out = fzx_mset_lower(c);
    }
    fzx_mset_free(c);
    return code;
}

/* Whether q is one term with nothing around it: no other word, no
 * filter, no removed report left out.  Its matches are its posting list,
 * whose length Xapian knows, so the match may stop once the page is
 * settled and its count is still exact (the bounds meet; if they did
 * not, count_all() would count).  Anything else makes Xapian's bounds
 * loose, and a match that stopped early would have to be run again in
 * full to count: two passes for one. */
static int lone_term(const struct fz_query *q, const struct fzs_options *o,
                     const struct fzs_hits *h)
{
    if (q == NULL || o->like || q->n != 1 || q->g[0].n != 1
        || o->n_years || o->n_levels || h->n_regions || o->date_lo[0]
        || o->date_hi[0] || (h->dead != NULL && h->dead[0] != '\0'))
        return 0;
    const struct fz_qclause *c = &q->g[0].c[0];
    return !c->negated && c->n == 1 && !c->t[0].prefix;
}

/* The slot --sort orders by, or -1. */
static int sort_slot(const struct fzs_options *o)
{
    switch (o->sort) {
    case FZS_SORT_DATE: case FZS_SORT_DATE_DESC: return FZ_SLOT_DATE;
    case FZS_SORT_YEAR: case FZS_SORT_YEAR_DESC: return FZ_SLOT_YEAR;
    default: return -1;
    }
}

static int take_hits(fzx_db *db, const fzx_mset *m, unsigned offset,
                     unsigned want, const struct fzs_options *o,
                     struct fzs_hits *h, char **errptr)
{
    size_t n = fzx_mset_size(m), end = want < n ? want : n;
    int code = FZ_OK;
    char *err = NULL;
    struct ranked *r = calloc(n + 1, sizeof *r);
    if (r == NULL)
        return FZ_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        r[i].score = round_score(fzx_mset_weight(m, i));
        r[i].i = i;
        r[i].desc = o->sort == FZS_SORT_DATE_DESC
                    || o->sort == FZS_SORT_YEAR_DESC;
        size_t len;
        if (sort_slot(o) >= 0 && (r[i].key = fzx_mset_value(
                m, i, (unsigned)sort_slot(o), &len, &err)) == NULL) {
            code = err ? read_failure(db) : FZ_ENOMEM;
            goto out;
        }
    }
    /* a run of equal rounded scores (and sort values) reaching into
     * [offset, end) needs its passage ids */
    for (size_t a = 0, b; a < end; a = b) {
        for (b = a + 1; b < n && r[b].score == r[a].score
                        && by_key(&r[b], &r[a]) == 0; b++)
            ;
        for (size_t i = a; b - a > 1 && b > offset && i < b; i++) {
            size_t len;
            r[i].pid = fzx_mset_value(m, i, FZ_SLOT_PASSAGE, &len, &err);
            if (r[i].pid == NULL) {
                code = err ? read_failure(db) : FZ_ENOMEM;
                goto out;
            }
        }
    }
    qsort(r, n, sizeof *r, by_rank);
    for (size_t k = offset; k < end; k++) {
        size_t len;
        char *d = fzx_mset_data(m, r[k].i, &len, &code, &err);
        if (d == NULL)
            goto out;
        code = push_hit(h, db, r[k].score, d, len);
        free(d);
        if (code != FZ_OK)
            goto out;
    }
out:
    if (err) {
        fz_set_error(errptr, "%s", err);
        free(err);
    }
    for (size_t i = 0; i < n; i++) {
        free(r[i].pid);
        free(r[i].key);
    }
    free(r);
    return code;
}

/* The dictionaries the shards' records are packed with (store/codec.h),
 * loaded once per process: each shard indexed apart has its own, and
 * shards indexed together share one, read once (a shard's dictionary id
 * says whether it is loaded already; an index from before the id is
 * read whole).  *derr: a read failed; *zerr: a dictionary is damaged. */
static void load_dicts(fzx_db *db, char **derr, char **zerr)
{
    for (size_t k = 0; k < fzx_db_n_parts(db) && !*derr && !*zerr; k++) {
        size_t len = 0;
        char *id = fzx_db_get_part_metadata(db, k, FZ_ZDICT_ID_KEY, &len,
                                            derr);
        int have = id && fz_codec_loaded((unsigned)strtoul(id, NULL, 10));
        free(id);
        if (have || *derr)
            continue;
        char *v = fzx_db_get_part_metadata(db, k, FZ_ZDICT_KEY, &len, derr);
        if (v && len)
            (void)fz_codec_load(v, len, zerr);
        free(v);
    }
}

int fzs_search_run(fzx_db *db, const struct fz_query *q,
                   const struct fzs_options *o, struct fzs_hits *h,
                   char **errptr)
{
    unsigned long docs = fzx_db_doccount(db, NULL, NULL);
    unsigned all = (unsigned)(docs ? docs : 1);
    int code = FZ_OK, any_facet = fzs_options_any_facet(o);
    struct check chk = { q, db, has_titles(q), h, o->within, 0, 0,
                         { NULL, 0, 0 }, 0, 0, FZ_STORED_PEEK_INIT };
    struct qb b = { db, FZ_OK, NULL };
    fzx_query *xq;
    fzx_mset *m = NULL;
    h->per_report = o->by_report || o->compare || o->like
                    || o->within == FZS_WITHIN_REPORT;
    size_t dlen = 0;
    char *derr = NULL;
    h->dead = fzx_db_get_metadata(db, FZ_DEAD_KEY, &dlen, &derr);
    char *zerr = NULL;
    if (derr == NULL)
        load_dicts(db, &derr, &zerr);
    if (derr == NULL && zerr) {
        fz_set_error(errptr, "damaged index: %s", zerr);
        free(zerr);
        return FZ_EINDEX;
    }
    free(zerr);
    if (derr) {
        /* every shard is asked for its dictionary: one may be gone */
        code = fzx_db_failed_shard(db) >= 0 ? FZ_ENETWORK
               : fzx_db_reopen(db, NULL) == FZ_OK ? FZ_EMODIFIED : FZ_EINDEX;
        fz_set_error(errptr, "%s", derr);
        free(derr);
        return code;
    }
    if ((code = resolve_regions(db, o, h, errptr)) != FZ_OK)
        return code;
    /* the region facet counts one level below a --region filter */
    size_t cl = h->n_regions == 1 ? strlen(h->regions[0].code) : 0;
    h->region_depth = cl >= 6 ? 9 : cl >= 4 ? 6 : cl >= 2 ? 4 : 2;
    if (o->like)
        xq = like_query(db, o->like, h, &b.code, errptr);
    else if (o->within == FZS_WITHIN_REPORT)
        xq = report_query(&b, q, 1);
    else
        xq = passage_query(&b, q);
    if (xq == NULL) {
        code = b.code != FZ_OK ? b.code : FZ_ENOMEM;
        goto out;
    }
    if ((xq = add_filters(xq, o, h, 1)) == NULL) {
        code = FZ_ENOMEM;
        goto out;
    }

    /* Ranks [offset, want) are shown; the match is asked for a few more,
     * which the rounding of scores may bring up (take_hits).  The total is
     * always counted, not estimated: a page that leaves hits out says how
     * many on stderr ("10 of 54 passages shown"), and an estimate (Xapian
     * guessed 40 of those 54) would be a list cut short without a true
     * word.  Counting means checking every candidate; the price is paid
     * by queries that need the check (phrases, NEAR, --within). */
    int exact = 1;
    unsigned want = o->offset + o->limit, margin = 16;
    struct fzx_search how = {
        .offset = 0, .limit = want ? want + margin : 0, .collapse_slot = -1,
        .check_at_least = exact ? all : want + margin,
        .client_check = o->client_check,
    };
    if (sort_slot(o) >= 0) {
        how.sort = 1;
        how.sort_slot = (unsigned)sort_slot(o);
        how.sort_desc = o->sort == FZS_SORT_DATE_DESC
                        || o->sort == FZS_SORT_YEAR_DESC;
    }
    if (q && (q->needs_check || o->within != FZS_WITHIN_PASSAGE)) {
        how.accept = accept;
        how.accept_ctx = &chk;
    }
    if (o->within == FZS_WITHIN_REPORT) {
        /* first every report's groups, then its best passage */
        chk.phase = 1;
        chk.want = fz_query_positive_mask(q);
        struct fzx_search gather = how;
        gather.offset = 0;
        gather.limit = 1;
        m = fzx_search_run(db, xq, &gather, &code, errptr);
        fzx_mset_free(m);
        m = NULL;
        fzx_query_free(xq);
        xq = NULL;
        if (code != FZ_OK)
            goto out;
        if (chk.failed) {
            code = chk.code ? chk.code : FZ_ENOMEM;
            goto out;
        }
        chk.phase = 2;
        if ((xq = report_query(&b, q, 0)) == NULL) {
            code = b.code != FZ_OK ? b.code : FZ_ENOMEM;
            goto out;
        }
        if ((xq = add_filters(xq, o, h, 1)) == NULL) {
            code = FZ_ENOMEM;
            goto out;
        }
    }
    if (h->per_report)
        how.collapse_slot = FZ_SLOT_REPORT;
    if (o->compare && !o->limit_given)
        want = how.limit = all;
    if (any_facet) {
        how.spy = 1;
        how.spy_slot = FZ_SLOT_FACETS;
    }
    int lone = lone_term(q, o, h) && !how.accept && how.collapse_slot < 0
               && !how.spy && !how.sort;
    for (;;) {
        if (lone)
            how.check_at_least = how.limit;
        m = fzx_search_run(db, xq, &how, &code, errptr);
        if (m == NULL)
            goto out;
        size_t n = fzx_mset_size(m);
        /* more may tie (rounded) with rank want - 1: ask for more */
        if (want == 0 || n < how.limit || how.limit >= all
            || round_score(fzx_mset_weight(m, n - 1))
               != round_score(fzx_mset_weight(m, want - 1)))
            break;
        fzx_mset_free(m);
        m = NULL;
        margin *= 4;
        how.limit = want + margin;
    }
    if (chk.failed) {
        code = chk.code ? chk.code : FZ_ENOMEM;
        goto out;
    }
    h->total = exact ? fzx_mset_lower(m) : fzx_mset_estimated(m);
    h->total_exact = exact || fzx_mset_lower(m) == fzx_mset_upper(m);
    if (exact && h->total != fzx_mset_upper(m)
        && (code = count_all(db, xq, &how, all, &h->total, errptr)) != FZ_OK)
        goto out;
    /* --date leaves out what has no date: say how much */
    if ((o->date_lo[0] || o->date_hi[0]) && !o->like) {
        fzx_query *u = o->within == FZS_WITHIN_REPORT ? report_query(&b, q, 0)
                       : passage_query(&b, q);
        fzx_query *pair[2] = {
            add_filters(u, o, h, 0),
            fzx_query_value_range(FZ_SLOT_DATE, "", "\xff"),
        };
        if (pair[0] == NULL || pair[1] == NULL) {
            fzx_query_free(pair[0]);
            fzx_query_free(pair[1]);
            code = b.code != FZ_OK ? b.code : FZ_ENOMEM;
            goto out;
        }
        u = fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
        code = u ? count_all(db, u, &how, all, &h->undated, errptr)
                 : FZ_ENOMEM;
        fzx_query_free(u);
        if (code != FZ_OK)
            goto out;
    }
    if (any_facet && (code = facets_from_spy(m, h)) != FZ_OK)
        goto out;
    code = take_hits(db, m, o->offset, want, o, h, errptr);
out:
    if (code == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    else if (b.err)
        fz_set_error(errptr, "%s", b.err);
    free(b.err);
    fzx_mset_free(m);
    fzx_query_free(xq);
    free(chk.reports.v);
    fz_stored_peek_release(&chk.pk);
    return code;
}
