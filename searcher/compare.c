/* searcher/compare.c - the order and groups of --compare (see
 * compare.h). */
#include "searcher/compare.h"

#include <stdlib.h>
#include <string.h>

/* 0 national, 1 a known region (its code in *code), 2 unknown. */
static int region_rank(const struct fz_stored_report *r, const char **code)
{
    const char *c = r->region_code, *l = r->level;
    *code = c ? c : "";
    if (c && *c)
        return 1;
    return l && strcmp(l, "national") == 0 ? 0 : 2;
}

static int compare_rows(const void *a, const void *b)
{
    const struct fzs_row *x = a, *y = b;
    const char *cx, *cy;
    int rx = region_rank(x->r, &cx), ry = region_rank(y->r, &cy);
    if (rx != ry)
        return rx - ry;
    int c = strcmp(cx, cy);
    if (c != 0)
        return c;
    int yx = x->r->year, yy = y->r->year;
    if (yx != yy)
        return yx - yy;
    if (x->hit->score != y->hit->score)
        return x->hit->score > y->hit->score ? -1 : 1;
    return x->hit < y->hit ? -1 : x->hit > y->hit;
}

void fzs_compare_sort(struct fzs_row *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, compare_rows);
}

int fzs_compare_same_group(const struct fzs_row *a, const struct fzs_row *b)
{
    const char *ca, *cb;
    return region_rank(a->r, &ca) == region_rank(b->r, &cb)
        && strcmp(ca, cb) == 0;
}

size_t fzs_compare_group_size(const struct fzs_row *rows, size_t n)
{
    size_t count = 1;
    while (count < n && fzs_compare_same_group(rows, &rows[count]))
        count++;
    return count;
}

void fzs_compare_group_name(struct fz_buf *b,
                            const struct fz_stored_report *r)
{
    const char *code;
    int rank = region_rank(r, &code);
    if (rank == 1)
        fzs_join(b, r->region, r->n_region, " › ");
    if (b->len == 0)
        fz_buf_appends(b, rank == 0 ? "全国" : rank == 1 ? code : "地区不详");
}
