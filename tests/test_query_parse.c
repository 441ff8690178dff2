/* query/query: parsing.  What is refused and where (the tables are worked
 * by hand from query.h), NEAR's operands, the limits; then AND,
 * parentheses and NOT of a group: on every passage of corpus/ (read by the library pipeline as the
 * indexer reads it), the matcher's answer to a grouped query equals the
 * boolean expression this file evaluates on its own over strstr() on the
 * folded text; and what is refused is refused with its place. */
#include "tests/testutil.h"

#include "base/fz.h"
#include "query/query.h"
#include "reader/report.h"
#include "text/normalize.h"

static struct fz_norm *norm;
static struct fz_textctx tc;

struct psg {
    char *text;
    size_t len;
};
static struct psg *ps;
static size_t nps;

static void add_report(struct fz_report *r)
{
    ps = realloc(ps, (nps + r->passages.n) * sizeof *ps);
    assert_non_null(ps);
    for (size_t i = 0; i < r->passages.n; i++, nps++)
        ps[nps].text = fz_buf_detach(&r->norm[i].text, &ps[nps].len);
}

static int setup(void **state)
{
    (void)state;
    if (fz_textctx_open(&tc, NULL, NULL) != FZ_OK)
        return -1;
    norm = tc.norm;
    test_each_corpus_report(&tc, add_report);
    return nps > 1000 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < nps; i++)
        free(ps[i].text);
    free(ps);
    fz_textctx_close(&tc);
    return 0;
}

static void parse_ok(const char *s, struct fz_query *q)
{
    char *err = NULL;
    const char *argv[1] = { s };
    if (fz_query_parse(norm, argv, 1, q, &err) != FZ_OK)
        fail_msg("query \"%s\": %s", s, err);
}

/* ------------------------------------------------------------------ */
/* Parsing. */

static const struct {
    const char *query, *err;
} bad[] = {
    { "NEAR 法治", "NEAR at character 1 needs a term on each side" },
    { "NEAR/3 法治", "NEAR at character 1 needs a term on each side" },
    { "法治 NEAR", "NEAR at the end needs a term after it" },
    { "法治 NEAR/5", "NEAR at the end needs a term after it" },
    { "法治 NEAR/abc 政府", "NEAR/abc at character 4: the distance must be "
      "a whole number from 0 to 1000" },
    { "法治 NEAR/ 政府", "NEAR/ at character 4: the distance must be a "
      "whole number from 0 to 1000" },
    { "法治 NEAR/1001 政府", "NEAR/1001 at character 4: the distance must "
      "be a whole number from 0 to 1000" },
    { "法治 NEAR/-1 政府", "NEAR/-1 at character 4: the distance must be a "
      "whole number from 0 to 1000" },
    { "法治 NEAR/5x 政府", "NEAR/5x at character 4: the distance must be a "
      "whole number from 0 to 1000" },
    { "法治 NEAR/99999999999999999999 政府", "NEAR/99999999999999999999 at "
      "character 4: the distance must be a whole number from 0 to 1000" },
    { "法治 NEAR NEAR 政府", "NEAR at character 9 needs a term on each side" },
    { "法治 NEAR OR 政府", "OR at character 9 needs a term on each side" },
    { "法治 OR NEAR 政府", "NEAR at character 7 needs a term on each side" },
    { "法治 NEAR 。", "NEAR needs a term on each side" },
    { "法治 OR 政府 NEAR 建设", "NEAR at character 10 cannot join a term "
      "that is part of OR" },
    { "法治 NEAR 政府 OR 建设", "OR at character 12 cannot join a term that "
      "is part of NEAR" },
    { "-法治 NEAR 政府", "a negated term at character 1 cannot be part of "
      "NEAR" },
    { "法治 NEAR -政府", "a negated term at character 9 cannot be part of "
      "NEAR" },
    { "法治 NEAR NOT 政府", "a negated term at character 9 cannot be part "
      "of NEAR" },
    { "NOT 法治 NEAR 政府", "a negated term at character 1 cannot be part "
      "of NEAR" },
    { "title:法治 NEAR 政府", "a title: term at character 1 cannot be part "
      "of NEAR" },
    { "法治 NEAR title:政府", "a title: term at character 9 cannot be part "
      "of NEAR" },
    /* what was refused before NEAR still is */
    { "OR 法治", "OR at character 1 needs a term on each side" },
    { "\"法治", "unbalanced quote at character 1" },
    { "-法治", "only negated terms: say what to find too" },
    { "法治 OR -政府", "a negated term at character 7 cannot be part of OR" },
    /* and the other way round, which made a group "without A, or B" */
    { "-法治 OR 政府", "a negated term at character 1 cannot be part of OR" },
    { "改革 NOT 法治 OR 政府", "a negated term at character 4 cannot be part "
      "of OR" },
    /* a message is one line, whatever the query holds (found by
     * tests/fuzz/fuzz_query.c) */
    { "\n", "nothing to search for in ' '" },
    { "。\v\r\n", "nothing to search for in '。   '" },
    { "法治 NEAR/\f3 政府", "NEAR/ 3 at character 4: the distance must be a "
      "whole number from 0 to 1000" },
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fz_query q = FZ_QUERY_INIT;
        char *err = NULL;
        const char *argv[1] = { bad[i].query };
        int rc = fz_query_parse(norm, argv, 1, &q, &err);
        if (rc != FZ_EINVAL || err == NULL || strcmp(err, bad[i].err) != 0)
            fail_msg("%s: code %d, \"%s\", want \"%s\"", bad[i].query, rc,
                     err ? err : "(none)", bad[i].err);
        /* a failed parse leaves the query empty */
        assert_null(q.g);
        assert_null(q.near);
        assert_int_equal(q.n, 0);
        assert_int_equal(q.n_near, 0);
        free(err);
    }
}

/* 64 groups are fine, 65 are not; OR joins clauses into one group.  Each
 * term x00 ... x64 is three characters and a space, so the 65th starts at
 * character 64 * 4 + 1 = 257. */
static void test_parse_limit(void **state)
{
    (void)state;
    char buf[1024];
    size_t w = 0;
    for (int i = 0; i < 64; i++)
        w += (size_t)snprintf(buf + w, sizeof buf - w, "x%02d ", i);
    struct fz_query q = FZ_QUERY_INIT;
    parse_ok(buf, &q);
    assert_int_equal(q.n, 64);
    assert_true(fz_query_positive_mask(&q) == UINT64_MAX);
    fz_query_release(&q);
    snprintf(buf + w, sizeof buf - w, "x64");
    char *err = NULL;
    const char *argv[1] = { buf };
    assert_int_equal(fz_query_parse(norm, argv, 1, &q, &err), FZ_EINVAL);
    assert_string_equal(err, "more than 64 terms: the 65th is at character "
                        "257");
    free(err);
    /* one more as OR: still 64 groups */
    snprintf(buf + w, sizeof buf - w, "OR x64");
    parse_ok(buf, &q);
    assert_int_equal(q.n, 64);
    assert_int_equal(q.g[63].n, 2);
    fz_query_release(&q);
}

/* The length limit counts characters, not bytes: 2000 Han characters (6000
 * bytes) in one quoted phrase are a query, 2001 are not; 10000 ASCII
 * letters are counted as 10000. */
static void test_parse_length(void **state)
{
    (void)state;
    struct fz_buf b = FZ_BUF_INIT;
    struct fz_query q = FZ_QUERY_INIT;
    char *err = NULL;
    assert_int_equal(fz_buf_appendc(&b, '"'), FZ_OK);
    for (int i = 0; i < 999; i++)
        assert_int_equal(fz_buf_appends(&b, "法治"), FZ_OK);
    assert_int_equal(fz_buf_appendc(&b, '"'), FZ_OK);
    assert_int_equal(b.len, 2 + 999 * 6);          /* 2000 characters */
    parse_ok(b.data, &q);
    assert_int_equal(q.n, 1);
    fz_query_release(&q);
    assert_int_equal(fz_buf_appends(&b, "法"), FZ_OK);
    const char *argv[1] = { b.data };
    assert_int_equal(fz_query_parse(norm, argv, 1, &q, &err), FZ_EINVAL);
    assert_string_equal(err, "too long (2001 characters; at most 2000)");
    assert_null(q.g);
    fz_buf_reset(&b);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(fz_buf_appendc(&b, 'a'), FZ_OK);
    argv[0] = b.data;
    assert_int_equal(fz_query_parse(norm, argv, 1, &q, &err), FZ_EINVAL);
    assert_string_equal(err, "too long (10000 characters; at most 2000)");
    free(err);
    fz_buf_release(&b);
}

static const struct {
    const char *query;
    size_t n;                   /* groups */
    size_t n_near;
    struct fz_qnear near[3];
    uint64_t positive;
    int needs_check;
} shapes[] = {
    { "法治 NEAR/3 政府", 2, 1, { { 0, 1, 3 } }, 0x3, 1 },
    /* one-token operands: the index still cannot tell the distance */
    { "法 NEAR/0 治", 2, 1, { { 0, 1, 0 } }, 0x3, 1 },
    { "法治 NEAR 政府", 2, 1, { { 0, 1, 10 } }, 0x3, 1 },
    { "法治 NEAR/0007 政府", 2, 1, { { 0, 1, 7 } }, 0x3, 1 },
    { "法治 NEAR/1000 政府", 2, 1, { { 0, 1, 1000 } }, 0x3, 1 },
    { "改革 法治 NEAR/3 政府 NEAR 建设 -腐败", 5, 2,
      { { 1, 2, 3 }, { 2, 3, 10 } }, 0xF, 1 },
    { "法治 NEAR/1 政府 建设 NEAR/2 改革", 4, 2,
      { { 0, 1, 1 }, { 2, 3, 2 } }, 0xF, 1 },
    { "\"行政 复议\" NEAR/5 2020", 2, 1, { { 0, 1, 5 } }, 0x3, 1 },
    /* lower case near, and NEAR inside a longer word, are terms */
    { "法 near 治", 3, 0, { { 0, 0, 0 } }, 0x7, 0 },
    { "法 NEARBY 治", 3, 0, { { 0, 0, 0 } }, 0x7, 0 },
    { "法 \"NEAR\" 治", 3, 0, { { 0, 0, 0 } }, 0x7, 0 },
    { "法 -治 政 OR title:府", 3, 0, { { 0, 0, 0 } }, 0x5, 0 },
    /* a phrase in parentheses ORed in is still checked: the OR used to
     * drop the group's mark, and 法治理 then matched every passage with
     * 法治 and 治理 (found by fuzz_query) */
    { "甲) OR (法治理)", 1, 0, { { 0, 0, 0 } }, 0x1, 1 },
    { "(法治理) OR 甲", 1, 0, { { 0, 0, 0 } }, 0x1, 1 },
    { "(甲 OR (法治理)) 乙", 2, 0, { { 0, 0, 0 } }, 0x3, 1 },
};

static void test_parse_near(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        struct fz_query q;
        parse_ok(shapes[i].query, &q);
        if (q.n != shapes[i].n || q.n_near != shapes[i].n_near
            || fz_query_positive_mask(&q) != shapes[i].positive
            || q.needs_check != shapes[i].needs_check)
            fail_msg("%s: %zu groups, %zu pairs, positive %#llx, check %d",
                     shapes[i].query, q.n, q.n_near,
                     (unsigned long long)fz_query_positive_mask(&q),
                     q.needs_check);
        for (size_t j = 0; j < q.n_near; j++)
            if (q.near[j].a != shapes[i].near[j].a
                || q.near[j].b != shapes[i].near[j].b
                || q.near[j].k != shapes[i].near[j].k)
                fail_msg("%s: pair %zu is {%zu,%zu,%u}", shapes[i].query, j,
                         q.near[j].a, q.near[j].b, (unsigned)q.near[j].k);
        /* NEAR operands are single positive text clauses */
        for (size_t j = 0; j < q.n_near; j++) {
            const struct fz_qgroup *a = &q.g[q.near[j].a];
            assert_int_equal(a->n, 1);
            assert_false(a->c[0].negated);
            assert_int_equal(a->c[0].field, FZ_QF_TEXT);
        }
        fz_query_release(&q);
    }
    /* the words of argv are joined by spaces */
    const char *argv[] = { "法治", "NEAR/2", "政府" };
    struct fz_query q;
    assert_int_equal(fz_query_parse(norm, argv, 3, &q, NULL), FZ_OK);
    assert_int_equal(q.n_near, 1);
    assert_int_equal(q.near[0].k, 2);
    fz_query_release(&q);
}

/* ------------------------------------------------------------------ */
/* Passage matching, worked by hand. */

/* ------------------------------------------------------------------ */
/* AND, parentheses, NOT of a group: on every passage of corpus/, the
 * matcher's answer equals the boolean expression evaluated here over
 * strstr() on the folded text (the Han terms below are runs, so a
 * substring is an occurrence). */

static int has_w(const struct psg *p, const char *w)
{
    char *f = fz_norm_str(norm, w, strlen(w));
    assert_non_null(f);
    int r = memmem(p->text, p->len, f, strlen(f)) != NULL;
    free(f);
    return r;
}

#define A has_w(p, "行政复议")
#define B has_w(p, "应诉")
#define C has_w(p, "民法典")
#define D has_w(p, "复议")
#define E has_w(p, "诉讼")
#define F has_w(p, "宪法")
#define G has_w(p, "法治")
static int expect_and(const struct psg *p)   { return A && B; }
static int expect_or_grp(const struct psg *p) { return (A && B) || C; }
static int expect_grp_grp(const struct psg *p) { return (A || D) && (B || E); }
static int expect_not_grp(const struct psg *p) { return A && !C && !F; }
static int expect_nested(const struct psg *p)
{
    return G && ((A && (B || E)) || C);
}
static int expect_double(const struct psg *p) { return A; }
#undef A
#undef B
#undef C
#undef D
#undef E
#undef F
#undef G

static void test_parse_groups(void **state)
{
    (void)state;
    static const struct {
        const char *q;
        int (*want)(const struct psg *);
    } cases[] = {
        { "行政复议 AND 应诉", expect_and },
        { "(行政复议 应诉) OR 民法典", expect_or_grp },
        { "民法典 OR (行政复议 AND 应诉)", expect_or_grp },
        { "（行政复议 应诉） OR 民法典", expect_or_grp },
        { "(行政复议 OR 复议) (应诉 OR 诉讼)", expect_grp_grp },
        { "(行政复议 OR 复议) AND (应诉 OR 诉讼)", expect_grp_grp },
        { "NOT (民法典 OR 宪法) 行政复议", expect_not_grp },
        { "行政复议 -(民法典 OR 宪法)", expect_not_grp },
        { "法治 ((行政复议 (应诉 OR 诉讼)) OR 民法典)", expect_nested },
        { "((行政复议))", expect_double },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct fz_query q;
        parse_ok(cases[c].q, &q);
        size_t hits = 0;
        for (size_t i = 0; i < nps; i++) {
            int got = fz_query_matches(&q, ps[i].text, ps[i].len, NULL, 0,
                                       NULL);
            int want = cases[c].want(&ps[i]);
            if (got != want)
                fail_msg("%s: passage %zu: matcher %d, expected %d",
                         cases[c].q, i, got, want);
            hits += want;
        }
        print_message("%s: %zu passages\n", cases[c].q, hits);
        assert_true(hits > 0);
        fz_query_release(&q);
    }
}

/* What is refused, and where. */
static void test_parse_group_errors(void **state)
{
    (void)state;
    static const struct { const char *q, *err; } cases[] = {
        { "(行政复议 应诉", "unbalanced parenthesis at character 1" },
        { "行政复议 ) 应诉", "unbalanced parenthesis at character 6" },
        { "() 行政复议", "nothing to search for in the parentheses at "
          "character 1" },
        { "-C 2 行政复议", "'-C' at character 1 looks like an option: "
          "options go before the query (or quote it: \"-C\"; NOT C excludes "
          "the word)" },
        { "行政复议 --cite=bib", "'--cite=bib' at character 6 looks like an "
          "option: options go before the query (or quote it: "
          "\"--cite=bib\"; NOT -cite=bib excludes the word)" },
        { "AND 行政复议", "AND at character 1 needs a term on each side" },
        { "行政复议 AND", "AND at the end needs a term after it" },
        { "行政复议 AND OR 应诉", "AND at character 6 needs a term on each "
          "side" },
        { "行政复议 OR AND 应诉", "AND at character 9 needs a term on each "
          "side" },
        { "NOT", "NOT at character 1 needs a term after it" },
        { "行政复议 NOT NOT 应诉", "NOT at character 6 needs a term after "
          "it" },
        { "行政复议 NOT (应诉 民法典)", "NOT at character 6 can negate a term "
          "or an OR of terms, not a group of several" },
        { "(法治 NEAR 政府) OR 民法典", "OR at character 14 cannot join a "
          "term that is part of NEAR" },
        { "民法典 OR (法治 NEAR 政府)", "OR at character 5 cannot join a term "
          "that is part of NEAR" },
        { "(法治 政府) NEAR 民法典", "NEAR at character 9 cannot join a group "
          "in parentheses: write A NEAR B with single terms" },
        { "民法典 NEAR (法治 政府)", "a group in parentheses at character 10 "
          "cannot be part of NEAR" },
        { "民法典 OR -(法治 OR 政府)", "a negated term at character 8 cannot "
          "be part of OR" },
        { "(-法治) OR 政府", "a negated term at character 1 cannot be part "
          "of OR" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_query q = FZ_QUERY_INIT;
        char *err = NULL;
        const char *argv[1] = { cases[i].q };
        int rc = fz_query_parse(norm, argv, 1, &q, &err);
        if (rc != FZ_EINVAL || err == NULL || strcmp(err, cases[i].err) != 0)
            fail_msg("%s: code %d, \"%s\", want \"%s\"", cases[i].q, rc,
                     err ? err : "(none)", cases[i].err);
        assert_null(q.g);
        free(err);
    }
    /* a parenthesis inside a word is the word's: 法(试行) */
    struct fz_query q;
    parse_ok("行政复议法(试行) 规定", &q);
    assert_int_equal(q.n, 2);
    fz_query_release(&q);
    /* (A B C D) OR (E F G H) spelled out is 16 groups: fine; more is
     * refused, not cut */
    parse_ok("(法治 政府 建设 年度) OR (行政 复议 应诉 案件)", &q);
    assert_int_equal(q.n, 16);
    fz_query_release(&q);
    char *err = NULL;
    const char *big[1] = { "(一 二 三 四 五 六 七 八 九) OR "
                           "(甲 乙 丙 丁 戊 己 庚 辛)" };
    assert_int_equal(fz_query_parse(norm, big, 1, &q, &err), FZ_EINVAL);
    assert_non_null(strstr(err, "joins too much"));
    free(err);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_limit),
        cmocka_unit_test(test_parse_length),
        cmocka_unit_test(test_parse_near),
        cmocka_unit_test(test_parse_groups),
        cmocka_unit_test(test_parse_group_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
