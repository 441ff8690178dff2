/* searcher/emit_text.h - hits as text, fzsearch's default format.
 *
 * Promise: the facets asked for (facets.h), the --like example, then each
 *          hit: its report's title, year and issuer (and its passage id
 *          with --show-ids), its section headings joined by ›, and a
 *          snippet of about FZS_SNIPPET_CP code points around the first
 *          highlight, highlights in 【】, or bold red with colour.  Hits
 *          are numbered by rank; with --compare they are grouped instead
 *          (compare.h), each group headed by its name and size.
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_TEXT_H
#define FZS_EMIT_TEXT_H

#include <stddef.h>

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

/* Print rows[0,h->n) of h as o asks; regions and tty as for
 * fzs_facets_print(). */
void fzs_emit_text(const struct fzs_options *o, const struct fzs_hits *h,
                   const struct fzs_row *rows, struct fz_regions *regions,
                   int tty);

#endif
