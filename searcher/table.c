/* searcher/table.c - a hit as a row of table cells (see table.h). */
#include "searcher/table.h"

#include <string.h>

const char *const fzs_columns[FZS_N_COLUMNS] = {
    "region", "level", "issuer", "year", "title", "section", "passage",
    "url", "id",
};

static void put(struct fz_buf *b, const char *s)
{
    fz_buf_appends(b, s ? s : "");
}

void fzs_table_cells(const struct fzs_row *w, struct fz_buf cells[],
                     int markdown)
{
    static const struct fzs_marks bold = { "**", "**" }, none = { "", "" };
    const struct fz_stored_report *r = w->r;
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_reset(&cells[k]);
    fzs_join(&cells[0], r->region, r->n_region, " › ");
    if (cells[0].len == 0)
        put(&cells[0], r->level && !strcmp(r->level, "national") ? "全国"
                                                                 : "");
    put(&cells[1], r->level);
    put(&cells[2], r->issuer);
    if (r->year)
        fz_buf_appendf(&cells[3], "%d", r->year);
    put(&cells[4], r->title);
    fzs_join(&cells[5], w->p->section, w->p->n_section, " › ");
    fzs_snippet(&cells[6], w->p->text ? w->p->text : "", &w->spans,
                markdown ? &bold : &none, !markdown, 1);
    put(&cells[7], r->url);
    put(&cells[8], w->p->id);
}
