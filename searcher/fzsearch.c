/* fzsearch - search an fz index: exact, ranked passages.
 *
 * The query is folded and tokenized by the same code as the reports
 * (text/query.h).  The index finds candidate passages by their terms and
 * ranks them with BM25; when a clause spans several terms, each candidate
 * is checked against its stored folded text, so what is printed is exactly
 * the passages that contain the query. */
#include "shim/fzx.h"
#include "text/fz.h"
#include "text/meta.h"
#include "text/query.h"
#include "text/region.h"
#include "text/schema.h"
#include "text/utf8.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
"usage: fzsearch [<options>] <query>...\n"
"\n"
"Search the passages of indexed reports.  Words are ANDed; a run of Han\n"
"characters matches exactly where a passage contains it (行政复议 finds\n"
"行政复议, never 行政 ... 复议); Traditional and Simplified are the same.\n"
"  \"a phrase\"  OR  -word  NOT word  title:word\n"
"\n"
"      --db <dir>         the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                         else ~/.local/share/fz)\n"
"  -n, --limit <n>        show at most <n> hits (default 10)\n"
"      --offset <n>       skip the first <n> hits\n"
"      --year <y>         reports on year <y>, or <y1>..<y2>\n"
"      --region <r>       reports of a place: any part of its chain by name\n"
"                         (广东, 深圳市, 龙岗区) or a division code prefix (4403)\n"
"      --level <l>        national, province, city, county, township,\n"
"                         department (or 省 市 区 县 街道 乡 镇)\n"
"      --by-report        one best passage per report, reports ranked\n"
"      --count            print only the number of hits\n"
"      --json             one JSON object (schema in the README)\n"
"      --color <when>     auto (default: on a terminal, unless NO_COLOR),\n"
"                         always, never\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 some hit, 1 no hit, 2 error.\n";

static const char *prog = "fzsearch";

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

struct opts {
    const char *db;
    unsigned limit, offset;
    int year_lo, year_hi;
    const char *region, *level;
    int by_report, count, json, color;
};

/* ---- the Xapian query ---------------------------------------------------- */

static fzx_query *term_query(const char *prefix, const struct fz_qterm *t)
{
    char buf[FZ_QUERY_MAX_BYTES + 8];
    size_t pl = strlen(prefix);
    if (t->len + pl >= sizeof buf)
        return NULL;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, t->term, t->len);
    return t->prefix ? fzx_query_wildcard(buf, pl + t->len)
                     : fzx_query_term(buf, pl + t->len);
}

/* AND of a clause's terms: a necessary condition for the clause. */
static fzx_query *clause_query(const struct fz_qclause *c, const char *prefix)
{
    fzx_query **subs = calloc(c->n, sizeof *subs);
    if (subs == NULL)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        subs[i] = term_query(prefix, &c->t[i]);
    fzx_query *q = fzx_query_combine(FZX_AND, subs, c->n, 0);
    free(subs);
    return q;
}

static fzx_query *build_query(const struct fz_query *q)
{
    fzx_query *pos[64], *neg[64], *boost[256];
    size_t np = 0, nn = 0, nb = 0;
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        if (g->n == 1 && g->c[0].negated) {
            /* one term: its absence is exact; longer: checked later */
            if (g->c[0].n == 1 && nn < 64)
                neg[nn++] = clause_query(&g->c[0],
                    g->c[0].field == FZ_QF_TITLE ? FZ_PREFIX_TITLE : "");
            continue;
        }
        fzx_query *alts[64];
        size_t na = 0;
        for (size_t k = 0; k < g->n && na < 64; k++) {
            const struct fz_qclause *c = &g->c[k];
            int title = c->field == FZ_QF_TITLE;
            alts[na++] = clause_query(c, title ? FZ_PREFIX_TITLE : "");
            for (size_t t = 0; !title && t < c->n && nb < 256; t++)
                boost[nb++] = term_query(FZ_PREFIX_SECTION, &c->t[t]);
        }
        if (np < 64)
            pos[np++] = fzx_query_combine(FZX_OR, alts, na, 0);
    }
    fzx_query *main_q = fzx_query_combine(FZX_AND, pos, np, 0);
    if (nn > 0) {
        fzx_query *pair[2] = { main_q,
                               fzx_query_combine(FZX_OR, neg, nn, 0) };
        main_q = fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
    }
    if (nb > 0) {
        /* passages whose section heading has the words rank higher */
        fzx_query *pair[2] = {
            main_q,
            fzx_query_scale(fzx_query_combine(FZX_OR, boost, nb, 0), 0.5),
        };
        main_q = fzx_query_combine(FZX_AND_MAYBE, pair, 2, 0);
    }
    return main_q;
}

static fzx_query *bool_term(const char *prefix, const char *v)
{
    char t[128];
    snprintf(t, sizeof t, "%s%s", prefix, v);
    return fzx_query_term(t, strlen(t));
}

/* Filters; *bad set when a filter cannot be understood. */
static fzx_query *add_filters(fzx_query *q, const struct opts *o,
                              char **errptr)
{
    fzx_query *f[3];
    size_t nf = 0;
    if (o->year_lo) {
        fzx_query *ys[512];
        size_t n = 0;
        for (int y = o->year_lo; y <= o->year_hi && n < 512; y++) {
            char v[8];
            snprintf(v, sizeof v, "%04d", y);
            ys[n++] = bool_term(FZ_PREFIX_YEAR, v);
        }
        f[nf++] = fzx_query_combine(FZX_OR, ys, n, 0);
    }
    if (o->region) {
        struct fz_regions *r = fz_regions_open(errptr);
        struct fz_region reg;
        if (r == NULL || fz_regions_lookup(r, o->region, strlen(o->region),
                                           &reg, errptr) != FZ_OK) {
            fz_regions_close(r);
            fzx_query_free(q);
            for (size_t k = 0; k < nf; k++)
                fzx_query_free(f[k]);
            return NULL;
        }
        f[nf++] = bool_term(FZ_PREFIX_REGION, reg.code);
        fz_regions_close(r);
    }
    if (o->level) {
        enum fz_level l;
        if (fz_level_parse(o->level, &l) != FZ_OK) {
            fz_set_error(errptr, "--level '%s': not one of national, "
                         "province, city, county, township, department",
                         o->level);
            fzx_query_free(q);
            for (size_t k = 0; k < nf; k++)
                fzx_query_free(f[k]);
            return NULL;
        }
        f[nf++] = bool_term(FZ_PREFIX_LEVEL, fz_level_name(l));
    }
    if (nf == 0)
        return q;
    fzx_query *pair[2] = { q, fzx_query_combine(FZX_AND, f, nf, 0) };
    return fzx_query_combine(FZX_FILTER, pair, 2, 0);
}

/* ---- hits ---------------------------------------------------------------- */

struct hit {
    double score;
    cJSON *data;            /* {"p": ..., "r": ...} */
};

struct hits {
    struct hit *v;
    size_t n, cap;
    size_t total;           /* passages (or reports with --by-report) */
};

static int push_hit(struct hits *h, double score, cJSON *data)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 16;
        struct hit *v = realloc(h->v, nc * sizeof *v);
        if (v == NULL)
            return -1;
        h->v = v;
        h->cap = nc;
    }
    h->v[h->n].score = score;
    h->v[h->n].data = data;
    h->n++;
    return 0;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Report ids already seen, for --by-report when candidates are checked. */
struct seen {
    char (*v)[17];
    size_t n, cap;
};

static int seen_add(struct seen *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], id) == 0)
            return 0;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        char (*v)[17] = realloc(s->v, nc * sizeof *v);
        if (v == NULL)
            return -1;
        s->v = v;
        s->cap = nc;
    }
    snprintf(s->v[s->n++], 17, "%s", id);
    return 1;
}

/* Run the search, filling h with the hits in [offset, offset+limit) and
 * h->total.  FZ_OK, FZX_EMODIFIED (reopen and retry), or another code
 * with *errptr. */
static int run(fzx_db *db, const fzx_query *xq, const struct fz_query *q,
               const struct opts *o, struct hits *h, char **errptr)
{
    unsigned long docs = fzx_db_doccount(db);
    int code = 0;
    if (!q->needs_check) {
        /* every clause is one term: the index's matches are exact */
        /* Xapian's count after collapsing is an estimate: with
         * --by-report, fetch every collapsed hit and count them */
        struct fzx_search how = {
            o->by_report ? 0 : o->offset,
            o->by_report ? (unsigned)(docs ? docs : 1) : o->limit,
            o->by_report ? FZ_SLOT_REPORT : -1,
            (unsigned)(docs ? docs : 1),
        };
        fzx_mset *m = fzx_search_run(db, xq, &how, &code, errptr);
        if (m == NULL)
            return code ? code : FZ_EINDEX;
        size_t first = 0, size = fzx_mset_size(m);
        h->total = fzx_mset_estimated(m);
        if (o->by_report) {
            h->total = size;
            first = o->offset < size ? o->offset : size;
            if (size - first > o->limit)
                size = first + o->limit;
        }
        for (size_t i = first; i < size; i++) {
            size_t len;
            char *d = fzx_mset_data(m, i, &len, &code, errptr);
            if (d == NULL) {
                fzx_mset_free(m);
                return code ? code : FZ_EINDEX;
            }
            cJSON *j = cJSON_ParseWithLength(d, len);
            free(d);
            if (j == NULL || push_hit(h, fzx_mset_weight(m, i), j) != 0) {
                cJSON_Delete(j);
                fzx_mset_free(m);
                return FZ_ENOMEM;
            }
        }
        fzx_mset_free(m);
        return FZ_OK;
    }
    /* Check every candidate, best first, against its folded text. */
    struct seen seen = { NULL, 0, 0 };
    size_t total = 0;
    unsigned batch = 1000;
    int rc = FZ_OK;
    for (unsigned off = 0; rc == FZ_OK; off += batch) {
        struct fzx_search how = { off, batch, -1, 0 };
        fzx_mset *m = fzx_search_run(db, xq, &how, &code, errptr);
        if (m == NULL)
            return code ? code : FZ_EINDEX;
        size_t n = fzx_mset_size(m);
        for (size_t i = 0; i < n && rc == FZ_OK; i++) {
            size_t len;
            char *d = fzx_mset_data(m, i, &len, &code, errptr);
            if (d == NULL) {
                rc = code ? code : FZ_EINDEX;
                break;
            }
            cJSON *j = cJSON_ParseWithLength(d, len);
            free(d);
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "p");
            const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "r");
            const char *norm = jstr(p, "norm"), *nt = jstr(r, "ntitle");
            int ok = norm && fz_query_matches(q, norm, strlen(norm), nt,
                                              nt ? strlen(nt) : 0, NULL) == 1;
            if (ok && o->by_report) {
                const char *rid = jstr(r, "id");
                ok = seen_add(&seen, rid ? rid : "") == 1;
            }
            if (ok && total >= o->offset && total < o->offset + o->limit) {
                if (push_hit(h, fzx_mset_weight(m, i), j) != 0)
                    rc = FZ_ENOMEM;
                j = NULL;
            }
            total += ok;
            cJSON_Delete(j);
        }
        fzx_mset_free(m);
        if (n < batch)
            break;
    }
    free(seen.v);
    h->total = total;
    return rc;
}

/* ---- output -------------------------------------------------------------- */

struct marks {
    const char *on, *off;
};

/* The passage text's highlights: folded again (the stored folded text has
 * no map), matched, and mapped back to code points of text. */
static int highlights(struct fz_norm *norm, const struct fz_query *q,
                      const char *text, struct fz_spans *out)
{
    struct fz_normed nd = FZ_NORMED_INIT;
    struct fz_spans sp = { NULL, 0, 0 };
    int rc = fz_norm_run(norm, text, strlen(text), &nd, NULL);
    if (rc == FZ_OK
        && fz_query_matches(q, nd.text.data, nd.text.len, NULL, 0, &sp) < 0)
        rc = FZ_ENOMEM;
    for (size_t i = 0; rc == FZ_OK && i < sp.n; i++) {
        size_t lo, hi;
        fz_normed_span_to_source(&nd, sp.v[i][0], sp.v[i][1], &lo, &hi);
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 8;
            size_t (*v)[2] = realloc(out->v, nc * sizeof *v);
            if (v == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            out->v = v;
            out->cap = nc;
        }
        /* sorted, merged: spans arrive per clause */
        size_t k = out->n;
        while (k > 0 && out->v[k - 1][0] > lo) {
            out->v[k][0] = out->v[k - 1][0];
            out->v[k][1] = out->v[k - 1][1];
            k--;
        }
        out->v[k][0] = lo;
        out->v[k][1] = hi;
        out->n++;
    }
    /* merge overlaps */
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w > 0 && out->v[i][0] <= out->v[w - 1][1]) {
            if (out->v[i][1] > out->v[w - 1][1])
                out->v[w - 1][1] = out->v[i][1];
        } else {
            out->v[w][0] = out->v[i][0];
            out->v[w][1] = out->v[i][1];
            w++;
        }
    }
    out->n = w;
    fz_spans_release(&sp);
    fz_normed_release(&nd);
    return rc;
}

#define SNIPPET_CP 160

static void print_text(const char *text, const struct fz_spans *sp,
                       const struct marks *mk)
{
    size_t len = strlen(text), n_cp = fz_utf8_count(text, len);
    size_t from = 0, to = n_cp;
    if (n_cp > SNIPPET_CP + 40) {
        size_t first = sp->n ? sp->v[0][0] : 0;
        from = first > 40 ? first - 40 : 0;
        to = from + SNIPPET_CP < n_cp ? from + SNIPPET_CP : n_cp;
        if (to - from < SNIPPET_CP)
            from = to > SNIPPET_CP ? to - SNIPPET_CP : 0;
    }
    if (from > 0)
        fputs("…", stdout);
    size_t i = fz_utf8_prefix(text, len, from), cp = from, k = 0;
    while (k < sp->n && sp->v[k][1] <= from)
        k++;
    int in = 0;
    if (k < sp->n && sp->v[k][0] < from) {
        fputs(mk->on, stdout);
        in = 1;
    }
    while (i < len && cp < to) {
        if (!in && k < sp->n && sp->v[k][0] == cp) {
            fputs(mk->on, stdout);
            in = 1;
        }
        size_t at = i;
        fz_utf8_next(text, len, &i, NULL);
        fwrite(text + at, 1, i - at, stdout);
        cp++;
        if (in && cp == sp->v[k][1]) {
            fputs(mk->off, stdout);
            in = 0;
            k++;
        }
    }
    if (in)
        fputs(mk->off, stdout);
    if (to < n_cp)
        fputs("…", stdout);
    fputc('\n', stdout);
}

static void print_hit(size_t rank, const struct hit *h,
                      const struct fz_spans *sp, const struct marks *mk,
                      const struct marks *head)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(h->data, "p");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(h->data, "r");
    const cJSON *year = cJSON_GetObjectItemCaseSensitive(r, "year");
    const char *title = jstr(r, "title"), *issuer = jstr(r, "issuer");
    printf("%s%zu. %s%s", head->on, rank, title ? title : "(untitled)",
           head->off);
    if (cJSON_IsNumber(year))
        printf(" (%d)", year->valueint);
    if (issuer)
        printf(" %s", issuer);
    fputc('\n', stdout);
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(p, "section"), *s;
    if (cJSON_GetArraySize(sec) > 0) {
        fputs("   ", stdout);
        int first = 1;
        cJSON_ArrayForEach(s, sec) {
            printf("%s%s", first ? "" : " › ", s->valuestring);
            first = 0;
        }
        fputc('\n', stdout);
    }
    fputs("   ", stdout);
    print_text(jstr(p, "text"), sp, mk);
}

static cJSON *copy_item(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static cJSON *hit_json(size_t rank, const struct hit *h,
                       const struct fz_spans *sp)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(h->data, "p");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(h->data, "r");
    cJSON *o = cJSON_CreateObject(), *jp = cJSON_CreateObject();
    cJSON *jr = cJSON_CreateObject(), *hl = cJSON_CreateArray();
    cJSON_AddNumberToObject(o, "rank", (double)rank);
    cJSON_AddNumberToObject(o, "score", h->score);
    static const char *const pk[] = { "id", "ordinal", "section", "text" };
    for (size_t i = 0; i < 4; i++)
        cJSON_AddItemToObject(jp, pk[i], copy_item(p, pk[i]));
    for (size_t i = 0; i < sp->n; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)sp->v[i][0]));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)sp->v[i][1]));
        cJSON_AddItemToArray(hl, pair);
    }
    cJSON_AddItemToObject(jp, "highlights", hl);
    static const char *const rk[] = {
        "id", "title", "issuer", "region", "region_code", "level", "year",
        "date", "url", "source", "path",
    };
    for (size_t i = 0; i < sizeof rk / sizeof rk[0]; i++)
        cJSON_AddItemToObject(jr, rk[i], copy_item(r, rk[i]));
    cJSON_AddItemToObject(o, "passage", jp);
    cJSON_AddItemToObject(o, "report", jr);
    return o;
}

/* ---- main ---------------------------------------------------------------- */

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 1000000 || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_years(const char *s, int *lo, int *hi)
{
    int a, b, n;
    if (sscanf(s, "%d..%d%n", &a, &b, &n) == 2 && s[n] == '\0') {
        *lo = a;
        *hi = b;
    } else if (sscanf(s, "%d%n", &a, &n) == 1 && s[n] == '\0') {
        *lo = *hi = a;
    } else {
        return -1;
    }
    return *lo >= 1000 && *hi <= 9999 && *lo <= *hi && *hi - *lo < 512
           ? 0 : -1;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

int main(int argc, char **argv)
{
    struct opts o = { NULL, 10, 0, 0, 0, NULL, NULL, 0, 0, 0, -1 };
    /* options may come before or after the query; -word is a query term
     * (NOT word), and everything after -- is query */
    const char **qv = calloc((size_t)argc + 1, sizeof *qv);
    int qn = 0, i = 1, dashdash = 0;
    setlocale(LC_ALL, "");
    if (qv == NULL)
        return 2;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (dashdash || a[0] != '-' || a[1] == '\0'
            || (a[1] != '-' && strcmp(a, "-n") && strcmp(a, "-h"))) {
            qv[qn++] = a;               /* -term is a query term */
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
#define VALUE(name) (strcmp(a, name) == 0 && v ? (i++, v) : NULL)
        const char *val;
        if ((val = VALUE("--db")))
            o.db = val;
        else if ((val = VALUE("-n")) || (val = VALUE("--limit"))) {
            if (parse_uint(val, &o.limit) != 0)
                return free(qv), usage_error("--limit '%s': not a number", val);
        } else if ((val = VALUE("--offset"))) {
            if (parse_uint(val, &o.offset) != 0)
                return free(qv), usage_error("--offset '%s': not a number", val);
        } else if ((val = VALUE("--year"))) {
            if (parse_years(val, &o.year_lo, &o.year_hi) != 0)
                return free(qv), usage_error("--year '%s': give 2023 or 2020..2023",
                                   val);
        } else if ((val = VALUE("--region")))
            o.region = val;
        else if ((val = VALUE("--level")))
            o.level = val;
        else if ((val = VALUE("--color")) || (strncmp(a, "--color=", 8) == 0
                                               && (val = a + 8))) {
            if (strcmp(val, "always") == 0)
                o.color = 1;
            else if (strcmp(val, "never") == 0)
                o.color = 0;
            else if (strcmp(val, "auto") == 0)
                o.color = -1;
            else
                return free(qv), usage_error("--color '%s': auto, always or never",
                                   val);
        } else if (strcmp(a, "--by-report") == 0)
            o.by_report = 1;
        else if (strcmp(a, "--count") == 0)
            o.count = 1;
        else if (strcmp(a, "--json") == 0)
            o.json = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (a[1] == '-' && a[2] && strchr(a, '=') == NULL
                   && (!strcmp(a, "--db") || !strcmp(a, "--limit")
                       || !strcmp(a, "--offset") || !strcmp(a, "--year")
                       || !strcmp(a, "--region") || !strcmp(a, "--level")
                       || !strcmp(a, "--color")))
            return free(qv), usage_error("%s needs a value", a);
        else
            return free(qv), usage_error("unknown option '%s'", a);
#undef VALUE
    }
    if (qn == 0)
        return free(qv), usage_error("%s", "no query given");
    if (o.color < 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        o.color = isatty(1) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
    }

    int status = 2, code = 0;
    char *err = NULL, *dbdir = o.db ? strdup(o.db) : fz_default_db();
    struct fz_norm *norm = NULL;
    struct fz_query q = FZ_QUERY_INIT;
    fzx_db *db = NULL;
    fzx_query *xq = NULL;
    struct hits h = { NULL, 0, 0, 0 };
    if (dbdir == NULL) {
        warn("no index folder: give --db or set FZ_DB");
        goto out;
    }
    if ((norm = fz_norm_open(&err)) == NULL) {
        warn("%s", err);
        goto out;
    }
    if (fz_query_parse(norm, qv, (size_t)qn, &q, &err) != FZ_OK) {
        warn("query: %s", err);
        goto out;
    }
    db = fzx_db_open(dbdir, &code, &err);
    if (db == NULL) {
        if (code == FZX_ENOTFOUND)
            warn("%s: no index here; build one with: fzindex --db %s "
                 "<files or folders>", dbdir, dbdir);
        else
            warn("%s: %s", dbdir, err);
        goto out;
    }
    xq = add_filters(build_query(&q), &o, &err);
    if (xq == NULL) {
        warn("%s", err ? err : "out of memory");
        goto out;
    }
    int rc = FZX_EMODIFIED;
    for (int tries = 0; rc == FZX_EMODIFIED && tries < 5; tries++) {
        for (size_t k = 0; k < h.n; k++)
            cJSON_Delete(h.v[k].data);
        h.n = 0;
        rc = run(db, xq, &q, &o, &h, &err);
        if (rc == FZX_EMODIFIED && fzx_db_reopen(db, &err) != FZ_OK)
            rc = FZ_EINDEX;
    }
    if (rc != FZ_OK) {
        warn("%s: %s", dbdir, err ? err : fz_strerror(rc));
        goto out;
    }
    status = h.total > 0 ? 0 : 1;
    if (o.count) {
        printf("%zu\n", h.total);
    } else {
        /* one pass over the hits: their highlights, then JSON or text */
        cJSON *root = NULL, *arr = NULL;
        struct marks mk = o.color ? (struct marks){ "\033[1;31m", "\033[0m" }
                                  : (struct marks){ "【", "】" };
        struct marks head = o.color ? (struct marks){ "\033[1m", "\033[0m" }
                                    : (struct marks){ "", "" };
        if (o.json) {
            struct fz_buf qs = FZ_BUF_INIT;
            for (int k = 0; k < qn; k++)
                if ((k > 0 && fz_buf_appendc(&qs, ' ') != FZ_OK)
                    || fz_buf_appends(&qs, qv[k]) != FZ_OK)
                    break;
            root = cJSON_CreateObject();
            arr = cJSON_CreateArray();
            cJSON_AddNumberToObject(root, "schema", 1);
            cJSON_AddStringToObject(root, "query", fz_buf_cstr(&qs));
            cJSON_AddNumberToObject(root, "total", (double)h.total);
            fz_buf_release(&qs);
        }
        for (size_t k = 0; k < h.n; k++) {
            struct fz_spans sp = { NULL, 0, 0 };
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(h.v[k].data,
                                                              "p");
            const char *text = jstr(p, "text");
            if (text)
                highlights(norm, &q, text, &sp);
            if (o.json) {
                cJSON_AddItemToArray(arr, hit_json(o.offset + k + 1,
                                                   &h.v[k], &sp));
            } else {
                if (k)
                    fputc('\n', stdout);
                print_hit(o.offset + k + 1, &h.v[k], &sp, &mk, &head);
            }
            fz_spans_release(&sp);
        }
        if (o.json) {
            cJSON_AddItemToObject(root, "hits", arr);
            char *js = cJSON_PrintUnformatted(root);
            if (js)
                puts(js);
            free(js);
            cJSON_Delete(root);
        }
    }
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            warn("write error: %s", strerror(errno));
        status = 2;
    }
    for (size_t k = 0; k < h.n; k++)
        cJSON_Delete(h.v[k].data);
    free(h.v);
    fzx_query_free(xq);
    fzx_db_close(db);
    fz_query_release(&q);
    fz_norm_close(norm);
    free(err);
    free(dbdir);
    free(qv);
    return status;
}
