/* searcher/emit_csv.c - hits as CSV (see emit_csv.h). */
#include "searcher/emit_csv.h"

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

void fzs_emit_csv(const struct fzs_hits *h, const struct fzs_row *rows)
{
    struct fz_buf cells[FZS_N_COLUMNS];
    for (size_t k = 0; k < FZS_N_COLUMNS; k++) {
        cells[k] = (struct fz_buf)FZ_BUF_INIT;
        csv_field(fzs_columns[k], k + 1 == FZS_N_COLUMNS);
    }
    for (size_t i = 0; i < h->n; i++) {
        fzs_table_cells(&rows[i], cells, 0);
        for (size_t k = 0; k < FZS_N_COLUMNS; k++)
            csv_field(fz_buf_cstr(&cells[k]), k + 1 == FZS_N_COLUMNS);
    }
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_release(&cells[k]);
}
