/* latency - in-process query latency of an fz index, for bench/run.sh.
 *
 *   latency [-r ROUNDS] DB QUERIES
 *
 * Opens DB once and parses each line of QUERIES (one query a line, words
 * separated by spaces as on fzsearch's command line; blank lines and
 * lines starting with # are skipped).  A warm-up round runs every query
 * once in each mode; then ROUNDS rounds (default 20) each run every
 * query once as text (fzsearch's defaults: the 10 best passages) and
 * once with --by-report (the 10 best reports).  What is timed is
 * fzs_search_run() and releasing its hits: the match with its exactness
 * checks, the exact count, and fetching the shown hits' data, but not
 * folding the query, opening the index or printing.  Prints, tab
 * separated, one line per query and mode, then one per mode for all
 * queries pooled (query "*"):
 *
 *   query  mode  hits  p50_ms  p95_ms  p99_ms  lists  postings
 *
 * mode is "text" or "by-report"; hits the count fzsearch --count would
 * print.  Percentiles are nearest-rank over the samples.  lists is how
 * many posting lists the query's terms open, as searcher/search.c builds
 * its Xapian query (a one-character term: every term it is a prefix of;
 * the section-heading boost's terms included), and postings the entries
 * in them (the sum of their term frequencies): what the match may read.
 * Both are 0 on the pooled lines.  Exit 0, or 2 with a message. */
#include "searcher/options.h"
#include "searcher/search.h"

#include "shim/fzx.h"
#include "base/fz.h"
#include "text/normalize.h"
#include "query/query.h"
#include "store/schema.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_QUERIES 1024
#define MAX_WORDS 64

enum { M_TEXT, M_BY_REPORT, N_MODES };
static const char *const mode_names[N_MODES] = { "text", "by-report" };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least p% of them at or
 * below it.  v is sorted. */
static double pct(const double *v, size_t n, double p)
{
    size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
    return v[k ? k - 1 : 0];
}

/* One search; its time in ms, or -1 with a message. */
static double timed(fzx_db *db, const struct fz_query *q,
                    const struct fzs_options *o, size_t *total)
{
    struct fzs_hits h = FZS_HITS_INIT;
    char *err = NULL;
    double t0 = now_ms();
    int rc = fzs_search_run(db, q, o, &h, &err);
    for (int tries = 0; rc == FZ_EMODIFIED && tries < 5; tries++) {
        fzs_hits_release(&h);
        if (fzx_db_reopen(db, &err) != FZ_OK)
            break;
        rc = fzs_search_run(db, q, o, &h, &err);
    }
    *total = h.total;
    fzs_hits_release(&h);
    double t1 = now_ms();
    if (rc != FZ_OK) {
        fprintf(stderr, "latency: %s\n", err ? err : fz_strerror(rc));
        free(err);
        return -1;
    }
    return t1 - t0;
}

/* The posting lists a query's terms open and their entries. */
struct postings {
    fzx_db *db;
    unsigned long lists, entries;
    int code;
    char *err;
};

static int add_term(void *ctx, const char *term, size_t len)
{
    struct postings *p = ctx;
    unsigned long tf = fzx_db_termfreq(p->db, term, len, &p->code, &p->err);
    if (p->code != FZ_OK)
        return 1;
    if (tf > 0)
        p->lists++, p->entries += tf;
    return 0;
}

/* One term of a clause under prefix (none, the title's or the
 * section's), as searcher/search.c's term_query() looks it up. */
static int count_term(struct postings *p, const char *prefix,
                      const struct fz_qterm *t)
{
    char buf[FZS_TERM_MAX];
    size_t len = fzs_term_text(prefix, t, buf);
    if (len == 0)
        return FZ_OK;
    p->code = FZ_OK;
    if (!t->prefix)
        add_term(p, buf, len);
    else if (fzx_db_each_term(p->db, buf, add_term, p, &p->err) != FZ_OK
             && p->code == FZ_OK)
        p->code = FZ_EINDEX;
    return p->code;
}

static int count_postings(struct postings *p, const struct fz_query *q)
{
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        int negated = g->n == 1 && g->c[0].negated;
        for (size_t k = 0; k < g->n; k++) {
            const struct fz_qclause *c = &g->c[k];
            const char *pre = c->field == FZ_QF_TITLE ? FZ_PREFIX_TITLE : "";
            for (size_t i = 0; i < c->n; i++) {
                if (count_term(p, pre, &c->t[i]) != FZ_OK)
                    return p->code;
                if (c->field == FZ_QF_TEXT && !negated
                    && count_term(p, FZ_PREFIX_SECTION, &c->t[i]) != FZ_OK)
                    return p->code;
            }
        }
    }
    return FZ_OK;
}

static void print_row(const char *q, int mode, size_t hits, double *v,
                      size_t n, const struct postings *p)
{
    qsort(v, n, sizeof *v, cmp_double);
    printf("%s\t%s\t%zu\t%.3f\t%.3f\t%.3f\t%lu\t%lu\n", q, mode_names[mode],
           hits, pct(v, n, 50), pct(v, n, 95), pct(v, n, 99),
           p ? p->lists : 0, p ? p->entries : 0);
}

int main(int argc, char **argv)
{
    long rounds = 20;
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "-r"))
        rounds = strtol(argv[a + 1], NULL, 10), a += 2;
    if (argc - a != 2 || rounds < 1) {
        fprintf(stderr, "usage: latency [-r ROUNDS] DB QUERIES\n");
        return 2;
    }
    const char *dbdir = argv[a], *qfile = argv[a + 1];
    setlocale(LC_ALL, "");

    int status = 2, code = 0;
    char *err = NULL, *line = NULL;
    size_t cap = 0, nq = 0;
    char *qtext[MAX_QUERIES];
    struct fz_query q[MAX_QUERIES];
    size_t hits[MAX_QUERIES][N_MODES];
    double *samples = NULL, *all[N_MODES] = { NULL, NULL };
    struct fz_norm *norm = NULL;
    fzx_db *db = NULL;
    FILE *fp = fopen(qfile, "r");
    if (fp == NULL) {
        fprintf(stderr, "latency: %s: %s\n", qfile, strerror(errno));
        goto out;
    }
    if ((norm = fz_norm_open(&err)) == NULL) {
        fprintf(stderr, "latency: %s\n", err);
        goto out;
    }
    while (getline(&line, &cap, fp) > 0 && nq < MAX_QUERIES) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        const char *words[MAX_WORDS];
        size_t nw = 0;
        char *copy = strdup(line), *save = NULL;
        if (copy == NULL)
            goto out;
        for (char *w = strtok_r(copy, " ", &save); w && nw < MAX_WORDS;
             w = strtok_r(NULL, " ", &save))
            words[nw++] = w;
        int rc = fz_query_parse(norm, words, nw, &q[nq], &err);
        free(copy);
        if (rc != FZ_OK) {
            fprintf(stderr, "latency: %s: %s\n", line, err);
            goto out;
        }
        if ((qtext[nq] = strdup(line)) == NULL) {
            fz_query_release(&q[nq]);
            goto out;
        }
        nq++;
    }
    if ((db = fzx_db_open(dbdir, &code, &err)) == NULL) {
        fprintf(stderr, "latency: %s: %s\n", dbdir, err);
        goto out;
    }
    samples = calloc((size_t)rounds * nq * N_MODES + 1, sizeof *samples);
    for (int m = 0; m < N_MODES; m++)
        all[m] = calloc((size_t)rounds * nq + 1, sizeof *all[m]);
    if (samples == NULL || all[0] == NULL || all[1] == NULL)
        goto out;

    struct fzs_options o[N_MODES];
    for (int m = 0; m < N_MODES; m++) {
        fzs_options_init(&o[m]);        /* fzsearch's defaults */
        o[m].color = 0;
        o[m].by_report = m == M_BY_REPORT;
    }
    for (size_t i = 0; i < nq; i++)     /* warm-up */
        for (int m = 0; m < N_MODES; m++)
            if (timed(db, &q[i], &o[m], &hits[i][m]) < 0)
                goto out;
    /* round by round, so that each query meets the caches the others
     * leave, as it would in use */
    for (long r = 0; r < rounds; r++)
        for (size_t i = 0; i < nq; i++)
            for (int m = 0; m < N_MODES; m++) {
                size_t tot;
                double t = timed(db, &q[i], &o[m], &tot);
                if (t < 0)
                    goto out;
                samples[((size_t)r * nq + i) * N_MODES + (size_t)m] = t;
                all[m][(size_t)r * nq + i] = t;
            }
    for (size_t i = 0; i < nq; i++) {
        struct postings p = { db, 0, 0, FZ_OK, NULL };
        if (count_postings(&p, &q[i]) != FZ_OK) {
            fprintf(stderr, "latency: %s: %s\n", qtext[i],
                    p.err ? p.err : fz_strerror(p.code));
            free(p.err);
            goto out;
        }
        for (int m = 0; m < N_MODES; m++) {
            double *s = malloc((size_t)rounds * sizeof *s);
            if (s == NULL)
                goto out;
            for (long r = 0; r < rounds; r++)
                s[r] = samples[((size_t)r * nq + i) * N_MODES + (size_t)m];
            print_row(qtext[i], m, hits[i][m], s, (size_t)rounds, &p);
            free(s);
        }
    }
    for (int m = 0; m < N_MODES; m++)
        print_row("*", m, 0, all[m], (size_t)rounds * nq, NULL);
    status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
out:
    fzx_db_close(db);
    for (size_t i = 0; i < nq; i++) {
        fz_query_release(&q[i]);
        free(qtext[i]);
    }
    for (int m = 0; m < N_MODES; m++)
        free(all[m]);
    free(samples);
    fz_norm_close(norm);
    free(line);
    free(err);
    if (fp)
        fclose(fp);
    return status;
}
