/* searcher/emit_csv.c - hits as CSV (see emit_csv.h). */
#include "searcher/emit_csv.h"

#include "searcher/facets.h"
#include "searcher/table.h"

#include <stdio.h>
#include <string.h>

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

static void bom(const struct fzs_options *o)
{
    if (o->bom)
        fputs("\xEF\xBB\xBF", stdout);
}

void fzs_emit_csv(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows)
{
    struct fz_buf cells[FZS_N_COLUMNS];
    bom(o);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++) {
        cells[k] = (struct fz_buf)FZ_BUF_INIT;
        csv_field(fzs_columns[k], k + 1 == FZS_N_COLUMNS);
    }
    for (size_t i = 0; i < h->n; i++) {
        fzs_table_cells(&rows[i], cells);
        for (size_t k = 0; k < FZS_N_COLUMNS; k++)
            csv_field(fz_buf_cstr(&cells[k]), k + 1 == FZS_N_COLUMNS);
    }
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_release(&cells[k]);
}

static void facet_row(void *ctx, int facet, const char *value,
                      const char *label, unsigned long reports)
{
    (void)ctx;
    char n[32];
    snprintf(n, sizeof n, "%lu", reports);
    csv_field(fzs_facet_name(facet), 0);
    csv_field(value, 0);
    csv_field(label, 0);
    csv_field(n, 1);
}

void fzs_emit_csv_count(const struct fzs_options *o, const struct fzs_hits *h,
                        struct fz_regions *regions)
{
    bom(o);
    if (!fzs_options_any_facet(o)) {
        printf("%zu\n", h->total);    /* as every format prints it */
        return;
    }
    fputs("facet,value,name,count\r\n", stdout);
    fzs_facets_each(o, h, regions, facet_row, NULL);
    printf("total,%s,,%zu\r\n", h->per_report ? "reports" : "passages",
           h->total);
}
