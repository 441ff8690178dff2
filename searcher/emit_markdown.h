/* searcher/emit_markdown.h - hits as a markdown table (--format
 * markdown).
 *
 * Promise: the facets asked for first, a two-column table each (value,
 *          reports); then one table (table.h's columns) of the hits in
 *          rank order, or with --compare one table per group under a
 *          "### name (count)" heading.  Every cell shows its text as it
 *          is: markdown's punctuation is escaped (fzs_md_escape()) and
 *          line breaks are spaces, so every row is one line of exactly
 *          FZS_N_COLUMNS cells.  The passage is a snippet around its
 *          first highlight, highlights in **bold**; a URL is a link
 *          <http...> when it can be one.  No hits, no table.
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_MARKDOWN_H
#define FZS_EMIT_MARKDOWN_H

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

/* regions names region facets (NULL: codes). */
void fzs_emit_markdown(const struct fzs_options *o, const struct fzs_hits *h,
                       const struct fzs_row *rows,
                       struct fz_regions *regions);

/* The facet tables alone (--count --facets), each followed by a blank
 * line. */
void fzs_emit_markdown_facets(const struct fzs_options *o,
                              const struct fzs_hits *h,
                              struct fz_regions *regions);

#endif
