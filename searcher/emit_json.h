/* searcher/emit_json.h - hits as one JSON object (--json, --format json).
 *
 * Promise: the object README's "JSON output" describes, on one line:
 *          schema, query, total and its unit (passages or reports), the
 *          facets asked for, the --like example (a hit without rank and
 *          score), and the hits, each with its rank, score,
 *          passage (id, ordinal, section, text, highlights as code point
 *          pairs) and report (id, title, issuer, region, region_code,
 *          level, year, date, url, source, path); with --compare, the
 *          groups with the ranks in each.  Unknown values are null.
 *          Field names are this format's contract: renaming one raises
 *          "schema".
 * Memory:  nothing kept.
 * Threads: writes stdout. */
#ifndef FZS_EMIT_JSON_H
#define FZS_EMIT_JSON_H

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/row.h"
#include "searcher/search.h"

/* The "schema" number.  2: "like" is a hit's passage and report (schema
 * 1 printed the stored record's "p" and "r"). */
#define FZS_JSON_SCHEMA 2

/* Print the object for rows[0,h->n) of h; regions names region facets.
 * 0, or -1 when out of memory (nothing printed). */
int fzs_emit_json(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows, struct fz_regions *regions);

#endif
