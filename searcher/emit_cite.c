/* searcher/emit_cite.c - the reports behind the hits as a reference
 * list (see emit_cite.h). */
#include "searcher/emit_cite.h"

#include "base/buf.h"
#include "base/fz.h"
#include "cite/cite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows by report id, then by rank: each report's rows side by side. */
static int by_report_then_rank(const void *a, const void *b, void *ctx)
{
    const struct fzs_row *rows = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(rows[x].r->id, rows[y].r->id);
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

/* cite.h takes at most 4 region names and headings: the rest is left
 * out. */
static size_t at_most_4(size_t n)
{
    return n < 4 ? n : 4;
}

/* The distinct reports behind rows[0,n), in order of first appearance,
 * each with the passages of its rows, in their order. */
int fzs_emit_cite(const struct fzs_options *o, const struct fzs_row *rows,
                  size_t n)
{
    size_t m = n ? n : 1;
    struct fz_cite_report *reps = calloc(m, sizeof *reps);
    struct fz_cite_quote *quotes = calloc(m, sizeof *quotes);
    size_t *order = calloc(m, sizeof *order), nr = 0;
    struct run *runs = calloc(m, sizeof *runs);
    char *err = NULL, today[11];
    int rc = FZ_ENOMEM;
    if (!reps || !quotes || !order || !runs)
        goto out;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_report_then_rank, (void *)rows);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(rows[order[i]].r->id,
                             rows[order[i - 1]].r->id) != 0)
            runs[nr++] = (struct run){ i, 0, order[i] };
        runs[nr - 1].len++;
    }
    qsort(runs, nr, sizeof *runs, by_first);
    size_t nq = 0;
    for (size_t k = 0; k < nr; k++) {
        const struct fz_stored_report *r = rows[runs[k].first].r;
        struct fz_cite_report *c = &reps[k];
        c->title = r->title;
        c->issuer = r->issuer;
        c->date = r->date;
        c->url = r->url;
        c->source = r->source;
        c->level = r->level;
        c->region_code = r->region_code;
        c->year = r->year;
        c->region = r->region;
        c->n_region = at_most_4(r->n_region);
        c->quotes = quotes + nq;
        c->n_quotes = runs[k].len;
        for (size_t j = 0; j < runs[k].len; j++) {
            const struct fzs_row *w = &rows[order[runs[k].start + j]];
            struct fz_cite_quote *qt = &quotes[nq++];
            qt->text = w->p->text;
            qt->section = w->p->section;
            qt->n_section = at_most_4(w->p->n_section);
            qt->page = w->p->page;
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
    free(order);
    free(runs);
    free(err);
    return rc == FZ_OK ? 0 : -1;
}
