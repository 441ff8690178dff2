/* searcher/emit_markdown.h - hits as a markdown table (--format
 * markdown).
 *
 * Promise: one table (table.h's columns) of the hits in rank order, or
 *          with --compare one table per group under a "### name (count)"
 *          heading; "|" in a cell is escaped and line breaks are spaces,
 *          so every row is one line.  No hits, no table.
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_MARKDOWN_H
#define FZS_EMIT_MARKDOWN_H

#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

void fzs_emit_markdown(const struct fzs_options *o, const struct fzs_hits *h,
                       const struct fzs_row *rows);

#endif
