/* tests/fuzz/fuzz_query.c - the query parser, and matching the query it
 * returns against a passage.
 *
 * Input: QUERY [0xFF PASSAGE [0xFF TITLE]].  QUERY is split at NUL bytes
 * into the words of a command line (argv); PASSAGE and TITLE, when valid
 * UTF-8, are folded as the index folds them.
 *
 * query.h: fz_query_parse() gives FZ_OK with a query, or FZ_EINVAL with
 * a one-line message and an empty query, never both or neither; a query
 * has 1 to FZ_QUERY_MAX_GROUPS groups, some positive, a negated clause
 * alone in its group, every clause some terms (valid UTF-8, at most
 * FZ_TOKEN_MAX_BYTES, positions from 0 upwards, a prefix term one Han
 * character), NEAR pairs of adjacent one-clause positive text groups
 * with k <= FZ_NEAR_MAX, needs_check set exactly for multi-token clauses,
 * clauses with a literal (punctuation) and NEAR.  Matching: 1 or 0, the same with and without spans, spans
 * inside the passage and non-empty; a match in one sentence is a match
 * in the passage; fz_query_groups() of the passage alone (a report of
 * one passage) agrees with fz_query_matches(); a query of plain words
 * and phrases matches its own text. */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "base/fz.h"
#include "text/normalize.h"
#include "query/query.h"
#include "text/token.h"
#include "base/utf8.h"

static struct fz_norm *norm;

static void check_query(const struct fz_query *q)
{
    int positive = 0, multi = 0;
    FUZZ_CHECK(q->n >= 1 && q->n <= FZ_QUERY_MAX_GROUPS && q->g != NULL);
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        FUZZ_CHECK(g->n >= 1 && g->c != NULL);
        for (size_t k = 0; k < g->n; k++) {
            const struct fz_qclause *c = &g->c[k];
            FUZZ_CHECK(c->field == FZ_QF_TEXT || c->field == FZ_QF_TITLE);
            FUZZ_CHECK(!c->negated || g->n == 1);
            FUZZ_CHECK(c->text != NULL
                       && fuzz_utf8_ok(c->text, strlen(c->text)));
            FUZZ_CHECK(c->n >= 1 && c->t != NULL);
            multi |= c->n > 1 || c->lit != NULL;
            FUZZ_CHECK(c->lit == NULL
                       || (c->lit_len > 0 && c->lit_off < c->lit_len
                           && strlen(c->lit) == c->lit_len
                           && fuzz_utf8_ok(c->lit, c->lit_len)
                           && !c->han));
            for (size_t j = 0; j < c->n; j++) {
                const struct fz_qterm *t = &c->t[j];
                FUZZ_CHECK(t->term != NULL && t->len > 0
                           && t->len <= FZ_TOKEN_MAX_BYTES
                           && strlen(t->term) == t->len);
                FUZZ_CHECK(fuzz_utf8_ok(t->term, t->len));
                FUZZ_CHECK(j == 0 ? t->rel == 0 : t->rel > c->t[j - 1].rel);
                if (t->prefix) {
                    uint32_t cp = 0;
                    FUZZ_CHECK(fuzz_utf8_seq((const unsigned char *)t->term,
                                             t->len, &cp) == t->len);
                    FUZZ_CHECK(fz_is_han(cp));
                }
            }
        }
        positive |= !g->c[0].negated;
    }
    FUZZ_CHECK(positive);
    FUZZ_CHECK(q->n_near == 0 || q->near != NULL);
    for (size_t j = 0; j < q->n_near; j++) {
        const struct fz_qnear *p = &q->near[j];
        FUZZ_CHECK(p->a + 1 == p->b && p->b < q->n);
        FUZZ_CHECK(p->k <= FZ_NEAR_MAX);
        FUZZ_CHECK(j == 0 || q->near[j - 1].b <= p->a);
        for (size_t s = p->a; s <= p->b; s++)
            FUZZ_CHECK(q->g[s].n == 1 && !q->g[s].c[0].negated
                       && q->g[s].c[0].field == FZ_QF_TEXT);
    }
    FUZZ_CHECK(q->needs_check == (multi || q->n_near > 0));
}

static void check_spans(const struct fz_spans *sp, size_t n_cp)
{
    for (size_t i = 0; i < sp->n; i++)
        FUZZ_CHECK(sp->v[i][0] < sp->v[i][1] && sp->v[i][1] <= n_cp);
}

/* A query of plain words and phrases (no NOT, title:, OR or NEAR) finds
 * the passage that is its own text: a term matches where the passage's
 * folded text holds it (query.h). */
static int plain(const struct fz_query *q)
{
    for (size_t gi = 0; gi < q->n; gi++)
        if (q->g[gi].n != 1 || q->g[gi].c[0].negated
            || q->g[gi].c[0].field != FZ_QF_TEXT)
            return 0;
    return q->n_near == 0;
}

static void check_match(const struct fz_query *q, const char *text,
                        size_t len, const char *title, size_t tlen)
{
    size_t n_cp = fuzz_utf8_cps(text, len);
    struct fz_spans sp = { NULL, 0, 0 }, ss = { NULL, 0, 0 };
    int m = fz_query_matches(q, text, len, title, tlen, &sp);
    FUZZ_CHECK(m == 0 || m == 1);
    FUZZ_CHECK(fz_query_matches(q, text, len, title, tlen, NULL) == m);
    check_spans(&sp, n_cp);
    int s = fz_query_matches_within(q, FZ_WITHIN_SENTENCE, text, len, title,
                                    tlen, &ss);
    FUZZ_CHECK(s == 0 || s == 1);
    FUZZ_CHECK(fz_query_matches_within(q, FZ_WITHIN_SENTENCE, text, len,
                                       title, tlen, NULL) == s);
    FUZZ_CHECK(!s || m);
    check_spans(&ss, n_cp);
    uint64_t groups = 0;
    int neg = 0;
    FUZZ_CHECK(fz_query_groups(q, text, len, title, tlen, &groups, &neg)
               == 0);
    uint64_t pos = fz_query_positive_mask(q);
    FUZZ_CHECK((groups & ~pos) == 0 && (neg == 0 || neg == 1));
    FUZZ_CHECK(m == (groups == pos && !neg));
    fz_spans_release(&sp);
    fz_spans_release(&ss);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *sep = memchr(in, 0xFF, size);
    size_t qlen = sep ? (size_t)(sep - in) : size;
    char *qbuf = NULL, **argv = NULL, *err = NULL;
    struct fz_normed text = FZ_NORMED_INIT, title = FZ_NORMED_INIT;
    struct fz_query q;
    if (norm == NULL && (norm = fz_norm_open(&err)) == NULL) {
        fprintf(stderr, "fz_norm_open: %s\n", err);
        abort();
    }
    /* the words: QUERY split at NUL bytes, each a C string */
    qbuf = malloc(qlen + 1);
    argv = malloc((qlen + 1) * sizeof *argv);
    FUZZ_CHECK(qbuf != NULL && argv != NULL);
    memcpy(qbuf, in, qlen);
    qbuf[qlen] = '\0';
    size_t argc = 0;
    for (size_t i = 0; i <= qlen; i += strlen(qbuf + i) + 1)
        argv[argc++] = qbuf + i;

    int rc = fz_query_parse(norm, (const char *const *)argv, argc, &q, &err);
    if (rc != FZ_OK) {
        FUZZ_CHECK(rc == FZ_EINVAL);
        fuzz_check_message(err);
        FUZZ_CHECK(q.g == NULL && q.n == 0 && q.near == NULL
                   && q.n_near == 0 && q.needs_check == 0);
        goto out;
    }
    FUZZ_CHECK(err == NULL);
    check_query(&q);
    if (plain(&q)) {
        for (size_t i = 0; i + 1 < argc; i++)
            argv[i][strlen(argv[i])] = ' ';     /* the words, joined */
        struct fz_normed self = FZ_NORMED_INIT;
        FUZZ_CHECK(fz_norm_run(norm, qbuf, strlen(qbuf), &self, NULL)
                   == FZ_OK);
        FUZZ_CHECK(fz_query_matches(&q, self.text.data, self.text.len, NULL,
                                    0, NULL) == 1);
        fz_normed_release(&self);
    }

    /* against the passage and title, folded as the index folds them */
    const char *p = sep ? sep + 1 : "";
    size_t plen = sep ? size - qlen - 1 : 0;
    const char *t = memchr(p, 0xFF, plen);
    size_t tlen = 0;
    if (t) {
        plen = (size_t)(t - p);
        t++;
        tlen = size - (size_t)(t - in);
    }
    if (fz_norm_run(norm, p, plen, &text, NULL) != FZ_OK)
        goto done;
    if (t && fz_norm_run(norm, t, tlen, &title, NULL) == FZ_OK)
        check_match(&q, text.text.data, text.text.len, title.text.data,
                    title.text.len);
    else
        check_match(&q, text.text.data, text.text.len, NULL, 0);
done:
    fz_query_release(&q);
out:
    fz_normed_release(&text);
    fz_normed_release(&title);
    free(err);
    free(argv);
    free(qbuf);
    return 0;
}
