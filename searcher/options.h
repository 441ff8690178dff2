/* searcher/options.h - what fzsearch is asked to do: argv into a checked
 * struct fzs_options.
 *
 * Promise: fzs_options_parse() reads the whole command line (options may
 *          come before or after the query words; everything after -- is
 *          query), checks every value and every combination, and settles
 *          what the environment decides (--color auto: a terminal,
 *          NO_COLOR, TERM=dumb; FZ_CHECK_ON_CLIENT; an xlsx workbook is
 *          never written to a terminal), so that the search
 *          and the output never see a value they must refuse.  A usage
 *          error is said on stderr in one line ("fzsearch: --limit 'x':
 *          not a number (see fzsearch --help)"); --help prints the usage
 *          on stdout.
 * Names:   fzs_ is fzsearch's own code (searcher/), as fzx_ is the shim's.
 * Memory:  the strings in struct fzs_options are borrowed from argv,
 *          except query_text, which main() sets.
 * Threads: fzs_options_parse() reads the environment: call it from
 *          main(). */
#ifndef FZS_OPTIONS_H
#define FZS_OPTIONS_H

#include <stddef.h>

enum fzs_format {
    FZS_FORMAT_TEXT, FZS_FORMAT_MARKDOWN, FZS_FORMAT_CSV, FZS_FORMAT_JSON,
    FZS_FORMAT_XLSX,
};

/* Where the query's words must meet. */
enum fzs_within {
    FZS_WITHIN_PASSAGE, FZS_WITHIN_SENTENCE, FZS_WITHIN_REPORT,
};

enum { FZS_FACET_YEAR, FZS_FACET_LEVEL, FZS_FACET_REGION, FZS_N_FACETS };

/* How hits are ordered: by score, or by publication date or year (oldest
 * first; _DESC newest first), equal ones by score.  Reports with no date
 * (no year) come last either way. */
enum fzs_sort {
    FZS_SORT_RELEVANCE, FZS_SORT_DATE, FZS_SORT_DATE_DESC, FZS_SORT_YEAR,
    FZS_SORT_YEAR_DESC,
};

/* Values of one filter that may be given again (--region 广东 --region
 * 重庆): a report passes when it has any of them. */
#define FZS_MAX_VALUES 32

struct fzs_years {
    int lo, hi;
};

struct fzs_options {
    const char *db;                 /* --db, or NULL: fz_default_db() */
    unsigned limit, offset;         /* -n 0: FZS_LIMIT_ALL */
    int limit_given;
    struct fzs_years years[FZS_MAX_VALUES];     /* --year, ORed */
    size_t n_years;
    const char *regions[FZS_MAX_VALUES];        /* --region as given, ORed;
                                       resolved by the search */
    size_t n_regions;
    const char *levels[FZS_MAX_VALUES];         /* --level: the canonical
                                       names (national, county, ...), ORed */
    size_t n_levels;
    char date_lo[11], date_hi[11];  /* --date: YYYY[-MM[-DD]] bounds, ""
                                       open; both "": no --date */
    enum fzs_sort sort;
    int by_report, count, color, show_ids;
    enum fzs_format format;
    int compare;
    const char *like;               /* a passage id */
    enum fzs_within within;
    int facets[FZS_N_FACETS];       /* order asked in, 1-based; 0: no */
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
    int bom;                        /* --bom: CSV starts with a UTF-8 BOM */
    const char *output;             /* -o: the xlsx file, or NULL: stdout
                                       (never a terminal) */
};

/* fzsearch's defaults: 10 hits, colour on a terminal, 10 s timeouts. */
void fzs_options_init(struct fzs_options *o);

/* Parse argv[1,argc) into o (from fzs_options_init()) and the query
 * words into qv[0,*qn) (qv has room for argc words; borrowed from argv).
 * 0: search; -1: --help was printed (exit 0); 2: a usage error was said
 * (exit 2). */
int fzs_options_parse(int argc, char **argv, struct fzs_options *o,
                      const char **qv, int *qn);

/* Whether any facet is asked for. */
int fzs_options_any_facet(const struct fzs_options *o);

/* "year", "level", "region": f is an FZS_FACET_*. */
const char *fzs_facet_name(int f);

/* -n 0, and --cite without -n: every hit (the most -n takes). */
#define FZS_LIMIT_ALL 1000000u

#endif
