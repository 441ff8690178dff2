/* searcher/table.h - a hit as a row of table cells, for the CSV, xlsx and
 * markdown emitters.
 *
 * Promise: FZS_N_COLUMNS cells in the order of enum fzs_column, named by
 *          fzs_columns[] (the header row of every table): rank, region
 *          chain (广东省 › 深圳市 › 龙岗区; 全国 for a national report, as
 *          --compare names its group), level, year, date (YYYY-MM-DD),
 *          title, issuer, section headings (joined by " › "), page,
 *          passage (its whole text, as printed by --json), URL, score (10
 *          significant digits, the value --json prints), report id and
 *          passage id.  Unknown values are empty cells.  Every format has
 *          these columns; fzs_column_numeric() says which are numbers.
 * Memory:  the caller owns the cell buffers.
 * Threads: no shared state. */
#ifndef FZS_TABLE_H
#define FZS_TABLE_H

#include "base/buf.h"
#include "searcher/row.h"

enum fzs_column {
    FZS_COL_RANK, FZS_COL_REGION, FZS_COL_LEVEL, FZS_COL_YEAR, FZS_COL_DATE,
    FZS_COL_TITLE, FZS_COL_ISSUER, FZS_COL_SECTION, FZS_COL_PAGE,
    FZS_COL_PASSAGE, FZS_COL_URL, FZS_COL_SCORE, FZS_COL_REPORT_ID,
    FZS_COL_PASSAGE_ID, FZS_N_COLUMNS
};

/* The column names, the header row of every table format. */
extern const char *const fzs_columns[FZS_N_COLUMNS];

/* Whether column c holds a number (rank, year, page, score) when not
 * empty: a spreadsheet gets it as one. */
int fzs_column_numeric(enum fzs_column c);

/* Empty cells[] and fill them from w.  Each cell is then a C string
 * (fz_buf_cstr()).  Out of memory leaves a cell short. */
void fzs_table_cells(const struct fzs_row *w, struct fz_buf cells[]);

#endif
