/* searcher/emit_csv.h - hits as CSV (--format csv).
 *
 * Promise: RFC 4180: a header row of table.h's columns, then one row per
 *          hit in the order given (--compare's order, without group
 *          rows); a field with a comma, quote or line break is quoted,
 *          quotes doubled; lines end in CRLF.  The passage is its whole
 *          text.
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_CSV_H
#define FZS_EMIT_CSV_H

#include "searcher/row.h"
#include "searcher/search.h"

void fzs_emit_csv(const struct fzs_hits *h, const struct fzs_row *rows);

#endif
