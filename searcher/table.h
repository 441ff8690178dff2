/* searcher/table.h - a hit as a row of table cells, for the markdown and
 * CSV emitters.
 *
 * Promise: FZS_N_COLUMNS cells in the order of fzs_columns[]: region
 *          chain (全国 for a national report), level, issuer, year,
 *          title, section headings, passage, URL, passage id; unknown
 *          values are empty cells.  The passage is a snippet around its
 *          first highlight in **bold** for markdown, and the whole text
 *          for CSV, line breaks as spaces.
 * Memory:  the caller owns the cell buffers.
 * Threads: no shared state. */
#ifndef FZS_TABLE_H
#define FZS_TABLE_H

#include "base/buf.h"
#include "searcher/row.h"

enum { FZS_N_COLUMNS = 9 };

/* The column names, the header row of both formats. */
extern const char *const fzs_columns[FZS_N_COLUMNS];

/* Empty cells[] and fill them from w; markdown: 1 for markdown, 0 for
 * CSV.  Each cell is then a C string (fz_buf_cstr()).  Out of memory
 * leaves a cell short. */
void fzs_table_cells(const struct fzs_row *w, struct fz_buf cells[],
                     int markdown);

#endif
