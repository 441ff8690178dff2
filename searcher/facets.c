/* searcher/facets.c - printing --facets (see facets.h). */
#include "searcher/facets.h"

#include "base/buf.h"
#include "base/fz.h"
#include "meta/meta.h"
#include "searcher/row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- facets -------------------------------------------------------------- */

static int level_order(const char *name)
{
    enum fz_level l;
    return fz_level_parse(name, &l) == FZ_OK && l != FZ_LEVEL_UNKNOWN
           ? (int)l : 99;
}

static int cmp_year(const void *a, const void *b)
{
    const struct fzs_facet_count *x = a, *y = b;
    if (!*x->value || !*y->value)
        return !*x->value - !*y->value;
    return strcmp(y->value, x->value);
}

static int cmp_level(const void *a, const void *b)
{
    const struct fzs_facet_count *x = a, *y = b;
    return level_order(x->value) - level_order(y->value);
}

static int cmp_region(const void *a, const void *b)
{
    const struct fzs_facet_count *x = a, *y = b;
    if (!*x->value || !*y->value)
        return !*x->value - !*y->value;
    return strcmp(x->value, y->value);
}

/* The label of a facet value: a year, a level, a region's name. */
static void facet_label(struct fz_buf *b, int f, const char *value,
                        struct fz_regions *regions)
{
    if (f == FZS_FACET_REGION && *value) {
        struct fz_region reg;
        if (regions && fz_regions_lookup(regions, value, strlen(value), &reg,
                                         NULL) == FZ_OK && reg.depth > 0)
            fz_buf_appends(b, reg.chain[reg.depth - 1]);
        else
            fz_buf_appends(b, value);
    } else if (*value) {
        fz_buf_appends(b, value);
    } else {
        fz_buf_appends(b, f == FZS_FACET_REGION ? "(none)" : "unknown");
    }
}

void fzs_facets_sort(struct fzs_hits *h)
{
    struct fzs_facet *fs = h->facets;
    if (fs[FZS_FACET_YEAR].n)
        qsort(fs[FZS_FACET_YEAR].v, fs[FZS_FACET_YEAR].n, sizeof *fs->v,
              cmp_year);
    if (fs[FZS_FACET_LEVEL].n)
        qsort(fs[FZS_FACET_LEVEL].v, fs[FZS_FACET_LEVEL].n, sizeof *fs->v,
              cmp_level);
    if (fs[FZS_FACET_REGION].n)
        qsort(fs[FZS_FACET_REGION].v, fs[FZS_FACET_REGION].n, sizeof *fs->v,
              cmp_region);
}

/* The facets asked for, in the order asked. */
static size_t facet_order(const struct fzs_options *o, int out[FZS_N_FACETS])
{
    size_t n = 0;
    for (int rank = 1; rank <= FZS_N_FACETS; rank++)
        for (int f = 0; f < FZS_N_FACETS; f++)
            if (o->facets[f] == rank)
                out[n++] = f;
    return n;
}

/* Text: a bar per value scaled to the terminal, or aligned plain counts
 * when stdout is not one. */
void fzs_facets_print(const struct fzs_options *o, const struct fzs_hits *h,
                      struct fz_regions *regions, int tty)
{
    int order[FZS_N_FACETS];
    size_t nf = facet_order(o, order);
    size_t labw = 0;
    unsigned long maxc = 1;
    struct fz_buf lab = FZ_BUF_INIT;
    for (size_t i = 0; i < nf; i++) {
        const struct fzs_facet *f = &h->facets[order[i]];
        for (size_t k = 0; k < f->n; k++) {
            fz_buf_reset(&lab);
            facet_label(&lab, order[i], f->v[k].value, regions);
            size_t w = fzs_display_width(fz_buf_cstr(&lab));
            labw = w > labw ? w : labw;
            maxc = f->v[k].count > maxc ? f->v[k].count : maxc;
        }
    }
    int cols = fzs_terminal_columns();
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
        const struct fzs_facet *f = &h->facets[order[i]];
        for (size_t k = 0; k < f->n; k++) {
            fz_buf_reset(&lab);
            facet_label(&lab, order[i], f->v[k].value, regions);
            printf("%-8s", k == 0 ? fzs_facet_name(order[i]) : "");
            fzs_pad_to(fz_buf_cstr(&lab), labw + 2);
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

cJSON *fzs_facets_json(const struct fzs_options *o, const struct fzs_hits *h,
                       struct fz_regions *regions)
{
    int order[FZS_N_FACETS];
    size_t nf = facet_order(o, order);
    cJSON *obj = cJSON_CreateObject();
    struct fz_buf lab = FZ_BUF_INIT;
    for (size_t i = 0; i < nf; i++) {
        const struct fzs_facet *f = &h->facets[order[i]];
        cJSON *arr = cJSON_CreateArray();
        for (size_t k = 0; k < f->n; k++) {
            cJSON *e = cJSON_CreateObject();
            const char *v = f->v[k].value;
            if (order[i] == FZS_FACET_YEAR && *v)
                cJSON_AddNumberToObject(e, "value", atoi(v));
            else if (*v)
                cJSON_AddStringToObject(e, "value", v);
            else
                cJSON_AddNullToObject(e, "value");
            if (order[i] == FZS_FACET_REGION && *v) {
                fz_buf_reset(&lab);
                facet_label(&lab, FZS_FACET_REGION, v, regions);
                cJSON_AddStringToObject(e, "name", fz_buf_cstr(&lab));
            }
            cJSON_AddNumberToObject(e, "reports", (double)f->v[k].count);
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddItemToObject(obj, fzs_facet_name(order[i]), arr);
    }
    fz_buf_release(&lab);
    return obj;
}

void fzs_facets_each(const struct fzs_options *o, const struct fzs_hits *h,
                     struct fz_regions *regions, fzs_facet_row_fn *fn,
                     void *ctx)
{
    int order[FZS_N_FACETS];
    size_t nf = facet_order(o, order);
    struct fz_buf lab = FZ_BUF_INIT;
    for (size_t i = 0; i < nf; i++) {
        const struct fzs_facet *f = &h->facets[order[i]];
        for (size_t k = 0; k < f->n; k++) {
            fz_buf_reset(&lab);
            facet_label(&lab, order[i], f->v[k].value, regions);
            fn(ctx, order[i], f->v[k].value, fz_buf_cstr(&lab),
               f->v[k].count);
        }
    }
    fz_buf_release(&lab);
}
