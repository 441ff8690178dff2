/* searcher/output.c - printing hits: text, markdown, CSV, JSON; the
 * comparison view; facets; citations (see search.h). */
#include "searcher/search.h"

#include "base/buf.h"
#include "cite/cite.h"
#include "base/fz.h"
#include "meta/meta.h"
#include "text/normalize.h"
#include "meta/region.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct marks {
    const char *on, *off;
};

/* What one printed row needs, borrowed from its hit. */
struct row {
    const struct hit *hit;
    const cJSON *p, *r;
    size_t rank;                    /* 1-based, in the order printed */
    struct fz_spans spans;          /* highlights, code points of text */
};

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jyear(const cJSON *r)
{
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(r, "year");
    return cJSON_IsNumber(y) ? y->valueint : 0;
}

/* ---- highlights ------------------------------------------------------------ */

static int add_span(struct fz_spans *out, size_t lo, size_t hi)
{
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 8;
        size_t (*v)[2] = realloc(out->v, nc * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        out->v = v;
        out->cap = nc;
    }
    /* kept sorted: spans arrive per clause */
    size_t k = out->n;
    while (k > 0 && out->v[k - 1][0] > lo) {
        out->v[k][0] = out->v[k - 1][0];
        out->v[k][1] = out->v[k - 1][1];
        k--;
    }
    out->v[k][0] = lo;
    out->v[k][1] = hi;
    out->n++;
    return FZ_OK;
}

/* The passage text's highlights: folded again (the stored folded text has
 * no map), matched as the search did, and mapped back to code points of
 * text, sorted and merged. */
static int highlights(struct fz_norm *norm, const struct fz_query *q,
                      enum within w, const char *text, const char *ntitle,
                      struct fz_spans *out)
{
    struct fz_normed nd = FZ_NORMED_INIT;
    struct fz_spans sp = { NULL, 0, 0 };
    int rc = fz_norm_run(norm, text, strlen(text), &nd, NULL);
    if (rc == FZ_OK
        && fz_query_matches_within(q, w == WITHIN_SENTENCE
                                      ? FZ_WITHIN_SENTENCE
                                      : FZ_WITHIN_PASSAGE,
                                   nd.text.data ? nd.text.data : "",
                                   nd.text.len, ntitle,
                                   ntitle ? strlen(ntitle) : 0, &sp) < 0)
        rc = FZ_ENOMEM;
    for (size_t i = 0; rc == FZ_OK && i < sp.n; i++) {
        size_t lo, hi;
        fz_normed_span_to_source(&nd, sp.v[i][0], sp.v[i][1], &lo, &hi);
        rc = add_span(out, lo, hi);
    }
    size_t w2 = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w2 > 0 && out->v[i][0] <= out->v[w2 - 1][1]) {
            if (out->v[i][1] > out->v[w2 - 1][1])
                out->v[w2 - 1][1] = out->v[i][1];
        } else {
            out->v[w2][0] = out->v[i][0];
            out->v[w2][1] = out->v[i][1];
            w2++;
        }
    }
    out->n = w2;
    fz_spans_release(&sp);
    fz_normed_release(&nd);
    return rc;
}

/* ---- snippets ---------------------------------------------------------------- */

#define SNIPPET_CP 160

/* Append to b the part of text around its first highlight (all of it when
 * short, or when whole), highlights between mk's marks, line breaks
 * turned into spaces when flat. */
static void snippet(struct fz_buf *b, const char *text,
                    const struct fz_spans *sp, const struct marks *mk,
                    int whole, int flat)
{
    size_t len = strlen(text), n_cp = fz_utf8_count(text, len);
    size_t from = 0, to = n_cp;
    if (!whole && n_cp > SNIPPET_CP + 40) {
        size_t first = sp->n ? sp->v[0][0] : 0;
        from = first > 40 ? first - 40 : 0;
        to = from + SNIPPET_CP < n_cp ? from + SNIPPET_CP : n_cp;
        if (to - from < SNIPPET_CP)
            from = to > SNIPPET_CP ? to - SNIPPET_CP : 0;
    }
    if (from > 0)
        fz_buf_appends(b, "…");
    size_t i = fz_utf8_prefix(text, len, from), cp = from, k = 0;
    while (k < sp->n && sp->v[k][1] <= from)
        k++;
    int in = 0;
    if (k < sp->n && sp->v[k][0] < from) {
        fz_buf_appends(b, mk->on);
        in = 1;
    }
    while (i < len && cp < to) {
        if (!in && k < sp->n && sp->v[k][0] == cp) {
            fz_buf_appends(b, mk->on);
            in = 1;
        }
        size_t at = i;
        fz_utf8_next(text, len, &i, NULL);
        if (flat && (text[at] == '\n' || text[at] == '\r'))
            fz_buf_appendc(b, ' ');
        else
            fz_buf_append(b, text + at, i - at);
        cp++;
        if (in && cp == sp->v[k][1]) {
            fz_buf_appends(b, mk->off);
            in = 0;
            k++;
        }
    }
    if (in)
        fz_buf_appends(b, mk->off);
    if (to < n_cp)
        fz_buf_appends(b, "…");
}

static void join_array(struct fz_buf *b, const cJSON *arr, const char *sep)
{
    const cJSON *s;
    int first = 1;
    cJSON_ArrayForEach(s, arr) {
        if (!cJSON_IsString(s))
            continue;
        fz_buf_appends(b, first ? "" : sep);
        fz_buf_appends(b, s->valuestring);
        first = 0;
    }
}

/* ---- display width, for aligning Han text ---------------------------------- */

static size_t display_width(const char *s)
{
    size_t len = strlen(s), i = 0, w = 0;
    while (i < len) {
        uint32_t cp = fz_utf8_next(s, len, &i, NULL);
        w += (cp >= 0x1100 && (fz_is_han(cp) || (cp >= 0x3000 && cp < 0xA000)
                               || (cp >= 0xFF00 && cp < 0xFF61)
                               || (cp >= 0x2E80 && cp < 0x3000)))
             ? 2 : 1;
    }
    return w;
}

static void pad_to(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = display_width(s); w < width; w++)
        fputc(' ', stdout);
}

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    int n = c ? atoi(c) : 0;
    return n > 20 ? n : 80;
}

/* ---- the comparison order ------------------------------------------------- */

/* Groups in the order of the division codes (the national statistics'
 * order: 北京 11 ... 新疆 65), national reports first, reports with no
 * known region last; within a group by year, then score. */
static int region_rank(const cJSON *r, const char **code)
{
    const char *c = jstr(r, "region_code"), *l = jstr(r, "level");
    *code = c ? c : "";
    if (c && *c)
        return 1;
    return l && strcmp(l, "national") == 0 ? 0 : 2;
}

static int compare_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    const char *cx, *cy;
    int rx = region_rank(x->r, &cx), ry = region_rank(y->r, &cy);
    if (rx != ry)
        return rx - ry;
    int c = strcmp(cx, cy);
    if (c != 0)
        return c;
    int yx = jyear(x->r), yy = jyear(y->r);
    if (yx != yy)
        return yx - yy;
    if (x->hit->score != y->hit->score)
        return x->hit->score > y->hit->score ? -1 : 1;
    return x->hit < y->hit ? -1 : x->hit > y->hit;
}

static int same_group(const struct row *a, const struct row *b)
{
    const char *ca, *cb;
    return region_rank(a->r, &ca) == region_rank(b->r, &cb)
        && strcmp(ca, cb) == 0;
}

/* The group's name: its region chain, 全国 or 地区不详. */
static void group_name(struct fz_buf *b, const cJSON *r)
{
    const char *code;
    int rank = region_rank(r, &code);
    if (rank == 1)
        join_array(b, cJSON_GetObjectItemCaseSensitive(r, "region"), " › ");
    if (b->len == 0)
        fz_buf_appends(b, rank == 0 ? "全国" : rank == 1 ? code : "地区不详");
}

/* ---- facets ------------------------------------------------------------------ */

static const char *const facet_names[N_FACETS] = { "year", "level", "region" };

static int level_order(const char *name)
{
    enum fz_level l;
    return fz_level_parse(name, &l) == FZ_OK && l != FZ_LEVEL_UNKNOWN
           ? (int)l : 99;
}

static int cmp_year(const void *a, const void *b)
{
    const struct facet_count *x = a, *y = b;
    if (!*x->value || !*y->value)
        return !*x->value - !*y->value;
    return strcmp(y->value, x->value);
}

static int cmp_level(const void *a, const void *b)
{
    const struct facet_count *x = a, *y = b;
    return level_order(x->value) - level_order(y->value);
}

static int cmp_region(const void *a, const void *b)
{
    const struct facet_count *x = a, *y = b;
    if (!*x->value || !*y->value)
        return !*x->value - !*y->value;
    return strcmp(x->value, y->value);
}

/* The label of a facet value: a year, a level, a region's name. */
static void facet_label(struct fz_buf *b, int f, const char *value,
                        struct fz_regions *regions)
{
    if (f == FACET_REGION && *value) {
        struct fz_region reg;
        if (regions && fz_regions_lookup(regions, value, strlen(value), &reg,
                                         NULL) == FZ_OK && reg.depth > 0)
            fz_buf_appends(b, reg.chain[reg.depth - 1]);
        else
            fz_buf_appends(b, value);
    } else if (*value) {
        fz_buf_appends(b, value);
    } else {
        fz_buf_appends(b, f == FACET_REGION ? "(none)" : "unknown");
    }
}

static void sort_facets(const struct hits *h)
{
    struct facet *fs = (struct facet *)h->facets;
    if (fs[FACET_YEAR].n)
        qsort(fs[FACET_YEAR].v, fs[FACET_YEAR].n, sizeof *fs->v, cmp_year);
    if (fs[FACET_LEVEL].n)
        qsort(fs[FACET_LEVEL].v, fs[FACET_LEVEL].n, sizeof *fs->v, cmp_level);
    if (fs[FACET_REGION].n)
        qsort(fs[FACET_REGION].v, fs[FACET_REGION].n, sizeof *fs->v,
              cmp_region);
}

/* The facets asked for, in the order asked. */
static size_t facet_order(const struct opts *o, int out[N_FACETS])
{
    size_t n = 0;
    for (int rank = 1; rank <= N_FACETS; rank++)
        for (int f = 0; f < N_FACETS; f++)
            if (o->facets[f] == rank)
                out[n++] = f;
    return n;
}

/* Text: a bar per value scaled to the terminal, or aligned plain counts
 * when stdout is not one. */
static void print_facets(const struct opts *o, const struct hits *h,
                         struct fz_regions *regions, int tty)
{
    int order[N_FACETS];
    size_t nf = facet_order(o, order);
    size_t labw = 0;
    unsigned long maxc = 1;
    struct fz_buf lab = FZ_BUF_INIT;
    for (size_t i = 0; i < nf; i++) {
        const struct facet *f = &h->facets[order[i]];
        for (size_t k = 0; k < f->n; k++) {
            fz_buf_reset(&lab);
            facet_label(&lab, order[i], f->v[k].value, regions);
            size_t w = display_width(fz_buf_cstr(&lab));
            labw = w > labw ? w : labw;
            maxc = f->v[k].count > maxc ? f->v[k].count : maxc;
        }
    }
    int cols = terminal_columns();
    int numw = snprintf(NULL, 0, "%lu", maxc);
    int barw = cols - 8 - (int)labw - 2 - numw - 1;
    if (barw < 10)
        barw = 10;
    if (barw > 50)
        barw = 50;
    static const char *const eighths[] = {
        "", "▏", "▎", "▍", "▌", "▋", "▊", "▉",
    };
    for (size_t i = 0; i < nf; i++) {
        const struct facet *f = &h->facets[order[i]];
        for (size_t k = 0; k < f->n; k++) {
            fz_buf_reset(&lab);
            facet_label(&lab, order[i], f->v[k].value, regions);
            printf("%-8s", k == 0 ? facet_names[order[i]] : "");
            pad_to(fz_buf_cstr(&lab), labw + 2);
            if (tty) {
                unsigned long e = (f->v[k].count * (unsigned long)barw * 8
                                   + maxc - 1) / maxc;
                for (unsigned long b = 0; b < e / 8; b++)
                    fputs("█", stdout);
                fputs(eighths[e % 8], stdout);
                for (unsigned long b = (e + 7) / 8; b < (unsigned long)barw;
                     b++)
                    fputc(' ', stdout);
                fputc(' ', stdout);
            }
            printf("%*lu\n", numw, f->v[k].count);
        }
    }
    if (nf && h->n)
        fputc('\n', stdout);
    fz_buf_release(&lab);
}

static cJSON *facets_json(const struct opts *o, const struct hits *h,
                          struct fz_regions *regions)
{
    int order[N_FACETS];
    size_t nf = facet_order(o, order);
    cJSON *obj = cJSON_CreateObject();
    struct fz_buf lab = FZ_BUF_INIT;
    for (size_t i = 0; i < nf; i++) {
        const struct facet *f = &h->facets[order[i]];
        cJSON *arr = cJSON_CreateArray();
        for (size_t k = 0; k < f->n; k++) {
            cJSON *e = cJSON_CreateObject();
            const char *v = f->v[k].value;
            if (order[i] == FACET_YEAR && *v)
                cJSON_AddNumberToObject(e, "value", atoi(v));
            else if (*v)
                cJSON_AddStringToObject(e, "value", v);
            else
                cJSON_AddNullToObject(e, "value");
            if (order[i] == FACET_REGION && *v) {
                fz_buf_reset(&lab);
                facet_label(&lab, FACET_REGION, v, regions);
                cJSON_AddStringToObject(e, "name", fz_buf_cstr(&lab));
            }
            cJSON_AddNumberToObject(e, "reports", (double)f->v[k].count);
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddItemToObject(obj, facet_names[order[i]], arr);
    }
    fz_buf_release(&lab);
    return obj;
}

/* ---- one hit ------------------------------------------------------------------ */

static void print_text_row(const struct row *w, const struct opts *o,
                           const struct marks *mk, const struct marks *head,
                           const char *indent, int numbered)
{
    const char *title = jstr(w->r, "title"), *issuer = jstr(w->r, "issuer");
    int year = jyear(w->r);
    struct fz_buf b = FZ_BUF_INIT;
    if (numbered)
        printf("%s%zu. %s%s", head->on, w->rank, title ? title : "(untitled)",
               head->off);
    else
        printf("%s%s%s%s", indent, head->on, title ? title : "(untitled)",
               head->off);
    if (year)
        printf(" (%d)", year);
    if (issuer)
        printf(" %s", issuer);
    if (o->show_ids)
        printf("  [%s]", jstr(w->p, "id") ? jstr(w->p, "id") : "?");
    fputc('\n', stdout);
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(w->p, "section");
    if (cJSON_GetArraySize(sec) > 0) {
        join_array(&b, sec, " › ");
        printf("%s   %s\n", indent, fz_buf_cstr(&b));
        fz_buf_reset(&b);
    }
    const char *text = jstr(w->p, "text");
    snippet(&b, text ? text : "", &w->spans, mk, 0, 0);
    printf("%s   %s\n", indent, fz_buf_cstr(&b));
    fz_buf_release(&b);
}

static cJSON *copy_item(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static cJSON *hit_json(const struct row *w)
{
    cJSON *o = cJSON_CreateObject(), *jp = cJSON_CreateObject();
    cJSON *jr = cJSON_CreateObject(), *hl = cJSON_CreateArray();
    cJSON_AddNumberToObject(o, "rank", (double)w->rank);
    cJSON_AddNumberToObject(o, "score", w->hit->score);
    static const char *const pk[] = { "id", "ordinal", "section", "text" };
    for (size_t i = 0; i < 4; i++)
        cJSON_AddItemToObject(jp, pk[i], copy_item(w->p, pk[i]));
    for (size_t i = 0; i < w->spans.n; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)w->spans.v[i][0]));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)w->spans.v[i][1]));
        cJSON_AddItemToArray(hl, pair);
    }
    cJSON_AddItemToObject(jp, "highlights", hl);
    static const char *const rk[] = {
        "id", "title", "issuer", "region", "region_code", "level", "year",
        "date", "url", "source", "path",
    };
    for (size_t i = 0; i < sizeof rk / sizeof rk[0]; i++)
        cJSON_AddItemToObject(jr, rk[i], copy_item(w->r, rk[i]));
    cJSON_AddItemToObject(o, "passage", jp);
    cJSON_AddItemToObject(o, "report", jr);
    return o;
}

/* ---- tables: markdown and CSV ------------------------------------------------ */

static const char *const columns[] = {
    "region", "level", "issuer", "year", "title", "section", "passage",
    "url", "id",
};
enum { N_COLUMNS = sizeof columns / sizeof columns[0] };

/* The cells of a row, each a C string in cells[k] (one buffer each). */
static void row_cells(const struct row *w, struct fz_buf cells[N_COLUMNS],
                      int markdown)
{
    static const struct marks bold = { "**", "**" }, none = { "", "" };
    for (size_t k = 0; k < N_COLUMNS; k++)
        fz_buf_reset(&cells[k]);
    join_array(&cells[0], cJSON_GetObjectItemCaseSensitive(w->r, "region"),
               " › ");
    if (cells[0].len == 0) {
        const char *l = jstr(w->r, "level");
        fz_buf_appends(&cells[0], l && !strcmp(l, "national") ? "全国" : "");
    }
    fz_buf_appends(&cells[1], jstr(w->r, "level") ? jstr(w->r, "level") : "");
    fz_buf_appends(&cells[2], jstr(w->r, "issuer") ? jstr(w->r, "issuer") : "");
    if (jyear(w->r))
        fz_buf_appendf(&cells[3], "%d", jyear(w->r));
    fz_buf_appends(&cells[4], jstr(w->r, "title") ? jstr(w->r, "title") : "");
    join_array(&cells[5], cJSON_GetObjectItemCaseSensitive(w->p, "section"),
               " › ");
    const char *text = jstr(w->p, "text");
    snippet(&cells[6], text ? text : "", &w->spans, markdown ? &bold : &none,
            !markdown, 1);
    fz_buf_appends(&cells[7], jstr(w->r, "url") ? jstr(w->r, "url") : "");
    fz_buf_appends(&cells[8], jstr(w->p, "id") ? jstr(w->p, "id") : "");
}

/* A markdown cell: | escaped, no line breaks. */
static void md_cell(const char *s)
{
    fputs("| ", stdout);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', stdout);
        else
            fputc(*s, stdout);
    }
    fputc(' ', stdout);
}

static void md_header(void)
{
    for (size_t k = 0; k < N_COLUMNS; k++)
        md_cell(columns[k]);
    fputs("|\n", stdout);
    for (size_t k = 0; k < N_COLUMNS; k++)
        fputs("|---", stdout);
    fputs("|\n", stdout);
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * doubled; lines end in CRLF. */
static void csv_field(const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n") != NULL) {
        fputc('"', stdout);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', stdout);
            fputc(*s, stdout);
        }
        fputc('"', stdout);
    } else {
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

/* ---- citations ---------------------------------------------------------------- */

/* Rows by report id, then by rank: each report's rows side by side. */
static int by_report_then_rank(const void *a, const void *b, void *ctx)
{
    const struct row *rows = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(jstr(rows[x].r, "id"), jstr(rows[y].r, "id"));
    return c ? c : (x > y) - (x < y);
}

/* A report's run in that order: where it starts, how long it is, and its
 * first row (where it first appears). */
struct run {
    size_t start, len, first;
};

static int by_first(const void *a, const void *b)
{
    const struct run *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* Up to 4 strings of a JSON array into strs (the rest of the array is
 * left out); how many. */
static size_t take_strings(const cJSON *arr, const char **strs)
{
    const cJSON *s;
    size_t n = 0;
    cJSON_ArrayForEach(s, arr)
        if (cJSON_IsString(s) && n < 4)
            strs[n++] = s->valuestring;
    return n;
}

/* The distinct reports behind rows[0,n), in order of first appearance,
 * each with the passages of its rows, in their order. */
static int print_citations(const struct opts *o, struct row *rows, size_t n)
{
    size_t m = n ? n : 1;
    struct fz_cite_report *reps = calloc(m, sizeof *reps);
    struct fz_cite_quote *quotes = calloc(m, sizeof *quotes);
    const char **strs = calloc(m * 8, sizeof *strs);
    size_t *order = calloc(m, sizeof *order), nr = 0, ns = 0;
    struct run *runs = calloc(m, sizeof *runs);
    char *err = NULL, today[11];
    int rc = FZ_ENOMEM;
    if (!reps || !quotes || !strs || !order || !runs)
        goto out;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_report_then_rank, rows);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(jstr(rows[order[i]].r, "id"),
                             jstr(rows[order[i - 1]].r, "id")) != 0)
            runs[nr++] = (struct run){ i, 0, order[i] };
        runs[nr - 1].len++;
    }
    qsort(runs, nr, sizeof *runs, by_first);
    size_t nq = 0;
    for (size_t k = 0; k < nr; k++) {
        const cJSON *r = rows[runs[k].first].r;
        struct fz_cite_report *c = &reps[k];
        c->title = jstr(r, "title");
        c->issuer = jstr(r, "issuer");
        c->date = jstr(r, "date");
        c->url = jstr(r, "url");
        c->source = jstr(r, "source");
        c->level = jstr(r, "level");
        c->region_code = jstr(r, "region_code");
        c->year = jyear(r);
        c->region = strs + ns;
        c->n_region = take_strings(
            cJSON_GetObjectItemCaseSensitive(r, "region"), strs + ns);
        ns += c->n_region;
        c->quotes = quotes + nq;
        c->n_quotes = runs[k].len;
        for (size_t j = 0; j < runs[k].len; j++) {
            const struct row *w = &rows[order[runs[k].start + j]];
            struct fz_cite_quote *qt = &quotes[nq++];
            qt->text = jstr(w->p, "text");
            qt->section = strs + ns;
            qt->n_section = take_strings(
                cJSON_GetObjectItemCaseSensitive(w->p, "section"), strs + ns);
            ns += qt->n_section;
        }
    }
    if (o->accessed == NULL)
        fz_cite_today(today);
    enum fz_cite_format f;
    struct fz_buf b = FZ_BUF_INIT;
    rc = fz_cite_format_parse(o->cite, &f, &err);
    if (rc == FZ_OK)
        rc = fz_cite_write(&b, f, reps, nr, o->accessed ? o->accessed : today,
                           &err);
    if (rc == FZ_OK)
        fwrite(b.data ? b.data : "", 1, b.len, stdout);
    else
        fprintf(stderr, "fzsearch: --cite: %s\n", err ? err : fz_strerror(rc));
    fz_buf_release(&b);
out:
    free(reps);
    free(quotes);
    free(strs);
    free(order);
    free(runs);
    free(err);
    return rc == FZ_OK ? 0 : -1;
}

/* ---- all of it -------------------------------------------------------------- */

static cJSON *json_root(const struct opts *o, const struct hits *h)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema", 1);
    if (o->query_text)
        cJSON_AddStringToObject(root, "query", o->query_text);
    cJSON_AddNumberToObject(root, "total", (double)h->total);
    cJSON_AddStringToObject(root, "unit", h->per_report ? "reports"
                                                        : "passages");
    return root;
}

int output_hits(struct fz_norm *norm, const struct fz_query *q,
                const struct opts *o, const struct hits *h)
{
    struct row *rows = calloc(h->n ? h->n : 1, sizeof *rows);
    struct fz_regions *regions = NULL;
    int rc = 0, tty = isatty(1);
    if (rows == NULL)
        return -1;
    for (size_t k = 0; k < h->n; k++) {
        rows[k].hit = &h->v[k];
        rows[k].p = cJSON_GetObjectItemCaseSensitive(h->v[k].data, "p");
        rows[k].r = cJSON_GetObjectItemCaseSensitive(h->v[k].data, "r");
        const char *text = jstr(rows[k].p, "text");
        if (q && text
            && highlights(norm, q, o->within, text, jstr(rows[k].r, "ntitle"),
                          &rows[k].spans) != FZ_OK)
            rc = -1;
    }
    if (o->compare)
        qsort(rows, h->n, sizeof *rows, compare_rows);
    for (size_t k = 0; k < h->n; k++)
        rows[k].rank = (o->compare ? 0 : o->offset) + k + 1;
    if (o->facets[FACET_REGION])
        regions = fz_regions_open(NULL);
    sort_facets(h);
    int any_facet = 0;
    for (int f = 0; f < N_FACETS; f++)
        any_facet |= o->facets[f] != 0;

    struct marks mk = o->color ? (struct marks){ "\033[1;31m", "\033[0m" }
                               : (struct marks){ "【", "】" };
    struct marks head = o->color ? (struct marks){ "\033[1m", "\033[0m" }
                                 : (struct marks){ "", "" };
    if (o->cite) {
        rc |= print_citations(o, rows, h->n);
    } else if (o->format == FMT_JSON) {
        cJSON *root = json_root(o, h), *arr = cJSON_CreateArray();
        if (any_facet)
            cJSON_AddItemToObject(root, "facets", facets_json(o, h, regions));
        if (h->like_source) {
            cJSON *src = cJSON_Duplicate(h->like_source, 1);
            cJSON_DeleteItemFromObjectCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(src, "p"), "norm");
            cJSON_DeleteItemFromObjectCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(src, "r"), "ntitle");
            cJSON_AddItemToObject(root, "like", src);
        }
        for (size_t k = 0; k < h->n; k++)
            cJSON_AddItemToArray(arr, hit_json(&rows[k]));
        cJSON_AddItemToObject(root, "hits", arr);
        if (o->compare) {
            cJSON *groups = cJSON_CreateArray(), *g = NULL, *ranks = NULL;
            struct fz_buf name = FZ_BUF_INIT;
            for (size_t k = 0; k < h->n; k++) {
                if (k == 0 || !same_group(&rows[k - 1], &rows[k])) {
                    g = cJSON_CreateObject();
                    fz_buf_reset(&name);
                    group_name(&name, rows[k].r);
                    cJSON_AddStringToObject(g, "name", fz_buf_cstr(&name));
                    cJSON_AddItemToObject(g, "region",
                                          copy_item(rows[k].r, "region"));
                    cJSON_AddItemToObject(g, "region_code",
                                          copy_item(rows[k].r, "region_code"));
                    cJSON_AddNumberToObject(g, "count", 0);
                    ranks = cJSON_CreateArray();
                    cJSON_AddItemToObject(g, "ranks", ranks);
                    cJSON_AddItemToArray(groups, g);
                }
                cJSON_AddItemToArray(ranks,
                                     cJSON_CreateNumber((double)rows[k].rank));
                cJSON_SetNumberValue(cJSON_GetObjectItem(g, "count"),
                                     cJSON_GetArraySize(ranks));
            }
            fz_buf_release(&name);
            cJSON_AddItemToObject(root, "groups", groups);
        }
        char *js = cJSON_PrintUnformatted(root);
        if (js)
            puts(js);
        else
            rc = -1;
        free(js);
        cJSON_Delete(root);
    } else if (o->format == FMT_CSV) {
        struct fz_buf cells[N_COLUMNS];
        for (size_t k = 0; k < N_COLUMNS; k++) {
            cells[k] = (struct fz_buf)FZ_BUF_INIT;
            csv_field(columns[k], k + 1 == N_COLUMNS);
        }
        for (size_t i = 0; i < h->n; i++) {
            row_cells(&rows[i], cells, 0);
            for (size_t k = 0; k < N_COLUMNS; k++)
                csv_field(fz_buf_cstr(&cells[k]), k + 1 == N_COLUMNS);
        }
        for (size_t k = 0; k < N_COLUMNS; k++)
            fz_buf_release(&cells[k]);
    } else {
        struct fz_buf cells[N_COLUMNS], name = FZ_BUF_INIT;
        for (size_t k = 0; k < N_COLUMNS; k++)
            cells[k] = (struct fz_buf)FZ_BUF_INIT;
        if (any_facet && o->format == FMT_TEXT)
            print_facets(o, h, regions, tty);
        if (h->like_source && o->format == FMT_TEXT) {
            struct row src = { NULL, NULL, NULL, 0, { NULL, 0, 0 } };
            struct hit none = { 0, h->like_source };
            src.hit = &none;
            src.p = cJSON_GetObjectItemCaseSensitive(h->like_source, "p");
            src.r = cJSON_GetObjectItemCaseSensitive(h->like_source, "r");
            printf("Like %s:\n", o->like);
            print_text_row(&src, o, &mk, &head, "", 0);
            fputc('\n', stdout);
        }
        if (o->format == FMT_MARKDOWN && !o->compare && h->n)
            md_header();
        for (size_t k = 0; k < h->n; k++) {
            const struct row *w = &rows[k];
            int new_group = o->compare
                            && (k == 0 || !same_group(&rows[k - 1], w));
            if (new_group) {
                size_t count = 1;
                while (k + count < h->n && same_group(w, &rows[k + count]))
                    count++;
                fz_buf_reset(&name);
                group_name(&name, w->r);
                if (o->format == FMT_MARKDOWN) {
                    printf("%s### %s (%zu)\n\n", k ? "\n" : "",
                           fz_buf_cstr(&name), count);
                    md_header();
                } else {
                    printf("%s%s%s%s  (%zu)\n", k ? "\n" : "", head.on,
                           fz_buf_cstr(&name), head.off, count);
                }
            }
            if (o->format == FMT_MARKDOWN) {
                row_cells(w, cells, 1);
                for (size_t c = 0; c < N_COLUMNS; c++)
                    md_cell(fz_buf_cstr(&cells[c]));
                fputs("|\n", stdout);
            } else if (o->compare) {
                if (!new_group)
                    fputc('\n', stdout);
                print_text_row(w, o, &mk, &head, "  ", 0);
            } else {
                if (k)
                    fputc('\n', stdout);
                print_text_row(w, o, &mk, &head, "", 1);
            }
        }
        for (size_t k = 0; k < N_COLUMNS; k++)
            fz_buf_release(&cells[k]);
        fz_buf_release(&name);
    }
    for (size_t k = 0; k < h->n; k++)
        fz_spans_release(&rows[k].spans);
    free(rows);
    fz_regions_close(regions);
    return rc;
}
