/* searcher/search.h - from checked options to hits.
 *
 * Promise: fzs_search_run() turns the options and the parsed query into
 *          a Xapian query (the index narrows the candidates) and runs it.
 *          Where the index cannot decide (a phrase, a Han run, NEAR, one
 *          sentence, one report), a predicate inside Xapian's match (the
 *          shim's accept function) checks each candidate against the
 *          passage's folded text, so Xapian's own counts, collapsing (one
 *          passage per report) and match spies (facets) are exact; on
 *          remote shards, where Xapian cannot run it, the shim applies it
 *          to the candidates on the client with the same result.  Scores
 *          are rounded to 10 significant digits and equal ones ordered by
 *          passage id, so an index and its shards give the same order.
 *          --like builds its query with fzs_like_query() (like.h).
 * Memory:  struct fzs_hits owns its hits' records and the report records
 *          they point to; fzs_hits_release() frees them all.
 * Threads: one fzx_db, and so one search, per thread. */
#ifndef FZS_SEARCH_H
#define FZS_SEARCH_H

#include <stddef.h>

#include "query/query.h"
#include "searcher/options.h"
#include "shim/fzx.h"
#include "store/stored.h"

struct fzs_hit {
    double score;                   /* rounded: what is printed */
    struct fz_stored rec;           /* the passage's stored record */
    const struct fz_stored_report *report;  /* the whole report record
                                       when rec.r is not it (owned by the
                                       hits); use fzs_hit_report() */
};

/* The hit's whole report record (rec.r, or the one it points to). */
const struct fz_stored_report *fzs_hit_report(const struct fzs_hit *hit);

/* One value of a facet and the number of matching reports having it. */
struct fzs_facet_count {
    char value[48];                 /* 2023; county; a region code; "" for
                                       unknown */
    unsigned long count;
};

struct fzs_facet {
    struct fzs_facet_count *v;
    size_t n;
};

struct fzs_report_cache;            /* private: report records looked up */

/* What a --region resolved to, and why (search.c, resolve_region). */
enum {
    FZS_REGION_ONLY,                /* the one division so named */
    FZS_REGION_ABOVE_TOWNS,         /* the one above township level; no
                                       township so named has reports */
    FZS_REGION_WITH_REPORTS,        /* the one so named with reports */
};

struct fzs_region_pick {
    const char *given;              /* as given (borrowed from argv) */
    char code[16];                  /* division code; "" for 全国 */
    char chain[192];                /* 广东省 › 深圳市 › 龙岗区, or 全国 */
    size_t others;                  /* more divisions of that name */
    int how;                        /* FZS_REGION_* */
};

struct fzs_hits {
    struct fzs_hit *v;              /* in rank order */
    size_t n, cap;
    size_t total;                   /* passages, or reports when one per
                                       report */
    int per_report;
    int total_exact;                /* total is a count, not an estimate */
    struct fzs_facet facets[FZS_N_FACETS];  /* in the order values were
                                       met; the output sorts them */
    int region_depth;               /* code length the region facet
                                       counts at: 2, 4, 6 or 9 */
    struct fzs_hit *like;           /* --like: the example, or NULL */
    struct fzs_report_cache *cache;
    struct fzs_region_pick regions[FZS_MAX_VALUES];     /* one per
                                       --region, in the order given */
    size_t n_regions;
    size_t undated;                 /* --date: matches left out for having
                                       no date (passages or reports) */
    char *dead;                     /* FZ_DEAD_KEY: removed reports, left
                                       out of every match */
};

/* An empty struct fzs_hits, to pass to fzs_search_run(). */
#define FZS_HITS_INIT { NULL, 0, 0, 0, 0, 0, { { NULL, 0 } }, 0, NULL, \
                        NULL, { { NULL, "", "", 0, 0 } }, 0, 0, NULL }

/* Free what h holds and set it to FZS_HITS_INIT. */
void fzs_hits_release(struct fzs_hits *h);

/* The Xapian term of query term t under prefix (none, the title's or the
 * section's), NUL-terminated in buf: its length, or 0 when too long.  A
 * prefix term (a lone character) is the start of the terms it expands
 * to. */
#define FZS_TERM_MAX (FZ_QUERY_MAX_BYTES + 8)
size_t fzs_term_text(const char *prefix, const struct fz_qterm *t,
                     char buf[FZS_TERM_MAX]);

/* Run the search o asks for into h (FZS_HITS_INIT); q is the parsed
 * query (NULL with --like).  FZ_OK; FZ_EMODIFIED (release h, reopen db
 * and call again); FZ_ENETWORK (a remote shard did not answer:
 * fzx_db_failed_shard()); FZ_EINVAL (a --region that names nothing or
 * is ambiguous, a --like that names no passage), FZ_EINDEX, FZ_ENOMEM or a shim code, with *errptr. */
int fzs_search_run(fzx_db *db, const struct fz_query *q,
                   const struct fzs_options *o, struct fzs_hits *h,
                   char **errptr);

#endif
