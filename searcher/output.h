/* searcher/output.h - printing the hits in the form asked for.
 *
 * Promise: the hits made into rows with their highlights (row.h), put in
 *          --compare's order when asked (compare.h) and ranked in the
 *          order printed, then handed to one emitter: a reference list
 *          (--cite, emit_cite.h), JSON (emit_json.h), an xlsx workbook
 *          (emit_xlsx.h), CSV (emit_csv.h), markdown (emit_markdown.h)
 *          or text (emit_text.h).  --count prints the facets asked for
 *          in the format asked for, then the number.
 * Memory:  nothing kept; h's facet values are sorted in place.
 * Threads: writes stdout. */
#ifndef FZS_OUTPUT_H
#define FZS_OUTPUT_H

#include "query/query.h"
#include "searcher/options.h"
#include "searcher/search.h"
#include "text/normalize.h"

/* Print h as o says; q is the query the hits matched (NULL with --like),
 * norm folds passages again for their highlights.  0, or -1 when out of
 * memory, a passage could not be folded (OpenCC cannot be loaded: the
 * hits are printed without highlights) or a citation list could not be
 * written (said on stderr). */
int fzs_output_hits(struct fz_norm *norm, const struct fz_query *q,
                    const struct fzs_options *o, struct fzs_hits *h);

/* --count: the facets o asks for (text; a markdown table each; CSV: one
 * table ending in the total, emit_csv.h), then the number of hits. */
void fzs_output_count(const struct fzs_options *o, struct fzs_hits *h);

#endif
