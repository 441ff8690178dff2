/* searcher/search.h - what fzsearch asks for, how it is found, how it is
 * printed.
 *
 * search.c turns the options into a Xapian query and runs it: the index
 * narrows the candidates, a predicate inside Xapian's match (the shim's
 * accept function) checks each against the passage's folded text where
 * the index cannot decide, so Xapian's own counts, collapsing (one passage
 * per report) and match spies (facets) are exact; on remote shards, where
 * Xapian cannot run it, the shim applies it to the candidates on the
 * client with the same result.  Equal scores are ordered by passage id,
 * so an index and its shards give the same order.  output.c prints the
 * hits: text, markdown, CSV, JSON, the comparison view, facets, citations.
 * Memory: struct hits owns its cJSON trees; hits_release() frees them. */
#ifndef FZ_SEARCH_H
#define FZ_SEARCH_H

#include "shim/fzx.h"
#include "query/query.h"

#include <cjson/cJSON.h>
#include <stddef.h>

enum fmt { FMT_TEXT, FMT_MARKDOWN, FMT_CSV, FMT_JSON };
enum within { WITHIN_PASSAGE, WITHIN_SENTENCE, WITHIN_REPORT };
enum { FACET_YEAR, FACET_LEVEL, FACET_REGION, N_FACETS };

struct opts {
    const char *db;
    unsigned limit, offset;
    int limit_given;
    int year_lo, year_hi;
    const char *region, *level;
    int by_report, count, color, show_ids;
    enum fmt format;
    int compare;
    const char *like;               /* a passage id */
    enum within within;
    int facets[N_FACETS];           /* order asked in, 1-based; 0: no */
    const char *cite;               /* a citation format name, or NULL */
    const char *accessed;           /* YYYY-MM-DD */
    const char *query_text;         /* the query as given, for JSON */
    int exact_total;                /* count every match (JSON, --count);
                                       else only the shown hits are sure
                                       and total is Xapian's estimate */
    int partial;                    /* search the shards that answer */
    unsigned timeout_ms;            /* for each answer of a remote shard */
    int client_check;               /* check candidates on the client even
                                       where Xapian could (for tests) */
};

struct hit {
    double score;
    cJSON *data;                    /* {"p": passage, "r": report} */
};

/* One value of a facet and the number of matching reports having it. */
struct facet_count {
    char value[48];                 /* 2023; county; a region code */
    unsigned long count;
};

struct facet {
    struct facet_count *v;
    size_t n;
};

struct hits {
    struct hit *v;
    size_t n, cap;
    size_t total;                   /* passages, or reports when one per
                                       report */
    int per_report;
    struct facet facets[N_FACETS];
    int region_depth;               /* code length the region facet
                                       counts at: 2, 4, 6 or 9 */
    cJSON *like_source;             /* --like: the example's data */
};

void hits_release(struct hits *h);

/* Run the search o asks for; q is the parsed query (NULL with --like).
 * FZ_OK, FZ_EMODIFIED (the caller reopens db and calls again),
 * FZ_ENETWORK (a remote shard did not answer: fzx_db_failed_shard()),
 * another code with *errptr. */
int search_run(fzx_db *db, const struct fz_query *q, const struct opts *o,
               struct hits *h, char **errptr);

/* Print h as o says; norm folds passages again for their highlights.
 * Returns 0, or -1 when out of memory. */
int output_hits(struct fz_norm *norm, const struct fz_query *q,
                const struct opts *o, const struct hits *h);

#endif
