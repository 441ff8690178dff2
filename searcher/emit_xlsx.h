/* searcher/emit_xlsx.h - hits as an Excel workbook (--format xlsx).
 *
 * Promise: an Office Open XML workbook written by libxlsxwriter.  Sheet
 *          "hits": a header row of table.h's columns, then one row per
 *          hit in the order given (--compare's order); rank, year, page
 *          and score are numbers, the date a date cell shown yyyy-mm-dd,
 *          the rest text; unknown values are blank cells.  The header row
 *          is frozen and filters on.  With --facets a second sheet
 *          "facets": facet, value, name, reports (fzs_facets_each()), a
 *          year's value a number.  A passage longer than a cell holds
 *          (Excel: 32,767 characters) is cut there, with a warning.  The
 *          workbook goes to o->output, else to stdout: libxlsxwriter
 *          writes only named files, so to a temporary file ($TMPDIR, else
 *          /tmp), copied to stdout and removed.
 * Memory:  nothing kept.
 * Threads: writes stdout or the file; a failure is said on stderr. */
#ifndef FZS_EMIT_XLSX_H
#define FZS_EMIT_XLSX_H

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

/* Write the workbook for rows[0,h->n) of h; regions names region facets.
 * 0, or -1 after saying why on stderr (the file could not be written,
 * out of memory). */
int fzs_emit_xlsx(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows, struct fz_regions *regions);

#endif
