/* searcher/table.c - a hit as a row of table cells (see table.h). */
#include "searcher/table.h"

#include <string.h>

const char *const fzs_columns[FZS_N_COLUMNS] = {
    "rank", "region", "level", "year", "date", "title", "issuer", "section",
    "page", "passage", "url", "score", "report_id", "passage_id",
};

int fzs_column_numeric(enum fzs_column c)
{
    return c == FZS_COL_RANK || c == FZS_COL_YEAR || c == FZS_COL_PAGE
           || c == FZS_COL_SCORE;
}

static void put(struct fz_buf *b, const char *s)
{
    fz_buf_appends(b, s ? s : "");
}

void fzs_table_cells(const struct fzs_row *w, struct fz_buf cells[])
{
    const struct fz_stored_report *r = w->r;
    const struct fz_stored_passage *p = w->p;
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_reset(&cells[k]);
    if (w->rank)
        fz_buf_appendf(&cells[FZS_COL_RANK], "%zu", w->rank);
    fzs_join(&cells[FZS_COL_REGION], r->region, r->n_region, " › ");
    /* the name --compare gives a national report's group */
    if (cells[FZS_COL_REGION].len == 0 && r->level
        && !strcmp(r->level, "national"))
        put(&cells[FZS_COL_REGION], "全国");
    put(&cells[FZS_COL_LEVEL], r->level);
    if (r->year)
        fz_buf_appendf(&cells[FZS_COL_YEAR], "%d", r->year);
    put(&cells[FZS_COL_DATE], r->date);
    put(&cells[FZS_COL_TITLE], r->title);
    put(&cells[FZS_COL_ISSUER], r->issuer);
    fzs_join(&cells[FZS_COL_SECTION], p->section, p->n_section, " › ");
    if (p->page)
        fz_buf_appendf(&cells[FZS_COL_PAGE], "%u", p->page);
    put(&cells[FZS_COL_PASSAGE], p->text);
    put(&cells[FZS_COL_URL], r->url);
    /* scores are rounded to 10 significant digits (search.h): %.10g
     * prints that value exactly, as --json does */
    fz_buf_appendf(&cells[FZS_COL_SCORE], "%.10g", w->hit->score);
    put(&cells[FZS_COL_REPORT_ID], r->id);
    put(&cells[FZS_COL_PASSAGE_ID], p->id);
}
