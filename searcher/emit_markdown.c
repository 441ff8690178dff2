/* searcher/emit_markdown.c - hits as a markdown table (see
 * emit_markdown.h). */
#include "searcher/emit_markdown.h"

#include "searcher/compare.h"
#include "searcher/table.h"

#include <stdio.h>

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
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        md_cell(fzs_columns[k]);
    fputs("|\n", stdout);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fputs("|---", stdout);
    fputs("|\n", stdout);
}

void fzs_emit_markdown(const struct fzs_options *o, const struct fzs_hits *h,
                       const struct fzs_row *rows)
{
    struct fz_buf cells[FZS_N_COLUMNS], name = FZ_BUF_INIT;
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        cells[k] = (struct fz_buf)FZ_BUF_INIT;
    if (!o->compare && h->n)
        md_header();
    for (size_t k = 0; k < h->n; k++) {
        const struct fzs_row *w = &rows[k];
        if (o->compare
            && (k == 0 || !fzs_compare_same_group(&rows[k - 1], w))) {
            fz_buf_reset(&name);
            fzs_compare_group_name(&name, w->r);
            printf("%s### %s (%zu)\n\n", k ? "\n" : "", fz_buf_cstr(&name),
                   fzs_compare_group_size(w, h->n - k));
            md_header();
        }
        fzs_table_cells(w, cells, 1);
        for (size_t c = 0; c < FZS_N_COLUMNS; c++)
            md_cell(fz_buf_cstr(&cells[c]));
        fputs("|\n", stdout);
    }
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_release(&cells[k]);
    fz_buf_release(&name);
}
