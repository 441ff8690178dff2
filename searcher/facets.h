/* searcher/facets.h - printing --facets: how many matching reports have
 * each year, level and region.
 *
 * Promise: values sorted for reading (years newest first, levels from
 *          national down, regions by code; unknown last) and labelled
 *          (a region by its own name, 罗湖区); printed as text, a bar
 *          per value scaled to the terminal or aligned counts when stdout
 *          is not one, or as the "facets" object of --json; the table
 *          emitters (markdown, CSV, xlsx) take them a row at a time.
 *          The counting itself is the search's (search.h).
 * Memory:  fzs_facets_json() returns a tree the caller deletes.
 * Threads: no shared state. */
#ifndef FZS_FACETS_H
#define FZS_FACETS_H

#include <cjson/cJSON.h>

#include "meta/region.h"
#include "searcher/options.h"
#include "searcher/search.h"

/* Sort h's facet values for reading (in place: the values are h's). */
void fzs_facets_sort(struct fzs_hits *h);

/* Print the facets o asks for, in the order asked, to stdout; regions
 * names region codes (NULL: codes are printed); tty: draw bars.  A blank
 * line follows when hits follow. */
void fzs_facets_print(const struct fzs_options *o, const struct fzs_hits *h,
                      struct fz_regions *regions, int tty);

/* {"year": [{"value": 2023, "reports": 3}, ...], "region": [{"value":
 * "4403", "name": "深圳市", "reports": 5}], ...} for the facets o asks
 * for, in the order asked; NULL when out of memory. */
cJSON *fzs_facets_json(const struct fzs_options *o, const struct fzs_hits *h,
                       struct fz_regions *regions);

/* One value of a facet as a table row: facet an FZS_FACET_*, value as
 * counted ("" when unknown: 2023, county, a region code), label as the
 * text output shows it (a region's name; "unknown", or "(none)" for a
 * region), reports the number of matching reports having it. */
typedef void fzs_facet_row_fn(void *ctx, int facet, const char *value,
                              const char *label, unsigned long reports);

/* Call fn for each value of each facet o asks for, in the order asked and
 * the order printed (fzs_facets_sort() first); regions as above. */
void fzs_facets_each(const struct fzs_options *o, const struct fzs_hits *h,
                     struct fz_regions *regions, fzs_facet_row_fn *fn,
                     void *ctx);

#endif
