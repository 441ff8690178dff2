/* tests/searchfixture.h - the corpus, indexed and known: setup() indexes
 * corpus/ with fzindex into a temporary index and reads the same files
 * with the library, keeping every report's metadata and every passage's
 * folded text, so that a test can compute the answer to a search itself
 * (a substring search) and compare it with fzsearch's.  One test program
 * includes it once. */
#ifndef FZ_SEARCHFIXTURE_H
#define FZ_SEARCHFIXTURE_H

#include "tests/testutil.h"

#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim/fzx.h"
#include "base/fz.h"
#include "reader/report.h"
#include "base/utf8.h"

static char db[] = "/tmp/fz-test-search-XXXXXX";
static const char *bin = "build";       /* $FZ_BIN */

struct psg {
    char *norm;
    size_t report;
};

static struct psg *ps;
static size_t nps;
static struct {
    int year;
    enum fz_level level;
    char code[16];
    char date[11];                          /* YYYY-MM-DD or "" */
    char *title, *issuer, *url, *chain;     /* chain: names joined by " › " */
} reports[200];
static size_t nreports;
static struct fz_textctx tc;

static void add_report(struct fz_report *r)
{
    assert_true(nreports < 200);
    reports[nreports].year = r->meta.year;
    reports[nreports].level = r->meta.level;
    snprintf(reports[nreports].code, 16, "%s", r->meta.region.code);
    snprintf(reports[nreports].date, 11, "%s", r->meta.date);
    const struct fz_meta *m = &r->meta;
    struct fz_buf chain = FZ_BUF_INIT;
    for (size_t k = 0; k < m->region.depth; k++) {
        if (k)
            fz_buf_appends(&chain, " › ");
        fz_buf_appends(&chain, m->region.chain[k]);
    }
    reports[nreports].chain = fz_buf_detach(&chain, NULL);
    reports[nreports].title = m->title ? strdup(m->title) : NULL;
    reports[nreports].issuer = m->issuer ? strdup(m->issuer) : NULL;
    reports[nreports].url = m->url ? strdup(m->url) : NULL;
    ps = realloc(ps, (nps + r->passages.n) * sizeof *ps);
    for (size_t i = 0; i < r->passages.n; i++) {
        ps[nps].norm = strdup(r->norm[i].text.data);
        ps[nps].report = nreports;
        nps++;
    }
    nreports++;
}

/* Run a command; its stdout into out (if not NULL); its exit status. */
static int run(const char *cmd, struct fz_buf *out)
{
    return test_run(cmd, out);
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    if (mkdtemp(db) == NULL)
        return -1;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --db %s/idx %s", bin, db,
             CORPUS(""));
    if (run(cmd, NULL) != 0)
        return -1;
    if (fz_textctx_open(&tc, NULL, NULL) != FZ_OK)
        return -1;
    /* the same files, read by the library */
    test_each_corpus_report(&tc, add_report);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -rf %s", db);
    run(cmd, NULL);
    for (size_t i = 0; i < nps; i++)
        free(ps[i].norm);
    for (size_t i = 0; i < nreports; i++) {
        free(reports[i].title);
        free(reports[i].issuer);
        free(reports[i].url);
        free(reports[i].chain);
    }
    free(ps);
    fz_textctx_close(&tc);
    return 0;
}

static uint32_t first_cp_of(const char *s)
{
    size_t i = 0;
    return *s ? fz_utf8_next(s, strlen(s), &i, NULL) : 0;
}

static int is_digit_byte(char c) { return c >= '0' && c <= '9'; }
static int is_letter_byte(char c) { return c >= 'a' && c <= 'z'; }

/* Whole-word boundaries as the tokenizer draws them: letters and digits
 * are separate runs, and a decimal point between digits joins them. */
static int starts_word(const char *text, const char *p)
{
    if (p == text)
        return 1;
    if (is_digit_byte(p[0]))
        return !is_digit_byte(p[-1])
            && !(p[-1] == '.' && p - 1 > text && is_digit_byte(p[-2]));
    return !is_letter_byte(p[-1]);
}

static int ends_word(const char *e)
{
    if (is_digit_byte(e[-1]))
        return !is_digit_byte(e[0]) && !(e[0] == '.' && is_digit_byte(e[1]));
    return !is_letter_byte(e[0]);
}

/* Whether passage i holds the folded query q: its bytes, and where q
 * starts or ends with a Latin letter or a digit, a whole word there (the
 * tokenizer's promise; punctuation in q is matched as written). */
static int psg_has(size_t i, const char *q)
{
    size_t ql = strlen(q);
    int word = !fz_is_han(first_cp_of(q));
    int ws = word && ql && (is_digit_byte(q[0]) || is_letter_byte(q[0]));
    int we = word && ql && (is_digit_byte(q[ql - 1])
                            || is_letter_byte(q[ql - 1]));
    for (const char *p = ps[i].norm; (p = strstr(p, q)) != NULL; p++)
        if ((!ws || starts_word(ps[i].norm, p)) && (!we || ends_word(p + ql)))
            return 1;
    return 0;
}

/* The independent answer: passages whose folded text contains the
 * folded query, and the reports they belong to. */
__attribute__((unused))
static void expected(const char *query, int (*keep)(size_t report),
                     size_t *passages, size_t *nrep)
{
    char *q = fz_norm_str(tc.norm, query, strlen(query));
    unsigned char *seen = calloc(nreports, 1);
    *passages = *nrep = 0;
    for (size_t i = 0; i < nps; i++) {
        if ((keep && !keep(ps[i].report)) || !psg_has(i, q))
            continue;
        (*passages)++;
        if (!seen[ps[i].report]++)
            (*nrep)++;
    }
    free(seen);
    free(q);
}

/* fzsearch --count with extra options; also checks the exit status. */
static size_t count(const char *opts, const char *query)
{
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --count %s -- '%s'",
             bin, db, opts, query);
    int st = run(cmd, &out);
    size_t n = strtoul(fz_buf_cstr(&out), NULL, 10);
    assert_int_equal(st, n > 0 ? 0 : 1);
    fz_buf_release(&out);
    return n;
}

#endif
