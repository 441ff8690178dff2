/* searcher/emit_csv.h - hits as CSV (--format csv).
 *
 * Promise: RFC 4180: a header row of table.h's columns, then one row per
 *          hit in the order given (--compare's order, without group
 *          rows); a field with a comma, quote or line break is quoted,
 *          quotes doubled; lines end in CRLF.  The passage is its whole
 *          text, line breaks kept (inside quotes).  With --bom the file
 *          starts with a UTF-8 byte order mark (EF BB BF), by which Excel
 *          tells UTF-8 from the system's code page (GBK on a Chinese
 *          Windows).  A CSV file is one table: the facets are one of
 *          their own, printed by --count --facets (fzs_emit_csv_count()).
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_CSV_H
#define FZS_EMIT_CSV_H

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

void fzs_emit_csv(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows);

/* --count as CSV: the number alone (after the BOM of --bom), as in every
 * format; with --facets a table with the
 * header facet,value,name,count: a row per facet value (count: matching
 * reports; value empty when unknown, name as fzs_facets_each() labels
 * it), then "total,<unit>,,<n>": the number --count prints, of passages
 * or reports.  regions names region facets. */
void fzs_emit_csv_count(const struct fzs_options *o, const struct fzs_hits *h,
                        struct fz_regions *regions);

#endif
