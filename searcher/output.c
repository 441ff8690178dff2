/* searcher/output.c - printing the hits in the form asked for (see
 * output.h). */
#include "searcher/output.h"

#include "meta/region.h"
#include "searcher/compare.h"
#include "searcher/emit_cite.h"
#include "searcher/emit_csv.h"
#include "searcher/emit_json.h"
#include "searcher/emit_markdown.h"
#include "searcher/emit_text.h"
#include "searcher/emit_xlsx.h"
#include "searcher/facets.h"
#include "searcher/row.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int fzs_output_hits(struct fz_norm *norm, const struct fz_query *q,
                    const struct fzs_options *o, struct fzs_hits *h)
{
    struct fzs_row *rows = NULL;
    struct fz_regions *regions = NULL;
    char *err = NULL;
    int rc = fzs_rows_make(norm, q, o, h, &rows, &err), tty = isatty(1);
    if (err != NULL) {
        fprintf(stderr, "fzsearch: %s\n", err);
        free(err);
    }
    if (rows == NULL)
        return -1;
    rc = rc == 0 ? 0 : -1;
    if (o->compare)
        fzs_compare_sort(rows, h->n);
    for (size_t k = 0; k < h->n; k++)
        rows[k].rank = (o->compare ? 0 : o->offset) + k + 1;
    if (o->facets[FZS_FACET_REGION])
        regions = fz_regions_open(NULL);
    fzs_facets_sort(h);

    if (o->cite)
        rc |= fzs_emit_cite(o, rows, h->n);
    else if (o->format == FZS_FORMAT_JSON)
        rc |= fzs_emit_json(o, h, rows, regions);
    else if (o->format == FZS_FORMAT_XLSX)
        rc |= fzs_emit_xlsx(o, h, rows, regions);
    else if (o->format == FZS_FORMAT_CSV)
        fzs_emit_csv(o, h, rows);
    else if (o->format == FZS_FORMAT_MARKDOWN)
        fzs_emit_markdown(o, h, rows, regions);
    else
        fzs_emit_text(o, h, rows, regions, tty);
    fzs_rows_free(rows, h->n);
    fz_regions_close(regions);
    return rc;
}

void fzs_output_count(const struct fzs_options *o, struct fzs_hits *h)
{
    struct fz_regions *regions = o->facets[FZS_FACET_REGION]
                                 ? fz_regions_open(NULL) : NULL;
    fzs_facets_sort(h);
    if (o->format == FZS_FORMAT_CSV) {
        fzs_emit_csv_count(o, h, regions);
    } else {
        if (o->format == FZS_FORMAT_MARKDOWN)
            fzs_emit_markdown_facets(o, h, regions);
        else if (fzs_options_any_facet(o))
            fzs_facets_print(o, h, regions, isatty(1));
        printf("%zu\n", h->total);
    }
    fz_regions_close(regions);
}
