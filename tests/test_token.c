/* text/token: the one tokenizer for documents and queries.
 *
 * The token tables are worked by hand from the rules in token.h.  The
 * last test checks the exactness guarantee the product rests on, on real
 * text: a Han query's tokens occur at consecutive positions in a
 * passage's token stream exactly when the folded query is a substring of
 * the folded passage.  Both sides are computed here: strstr(), and a
 * small phrase matcher over the token arrays written for this test. */
#include "tests/testutil.h"

#include <cjson/cJSON.h>

#include "base/fz.h"
#include "text/normalize.h"
#include "text/token.h"

#define W FZ_TOK_WORD
#define B FZ_TOK_BIGRAM
#define U FZ_TOK_UNIGRAM

struct want_tok {
    const char *term;
    enum fz_token_kind kind;
    uint32_t pos;
    size_t cp_start, cp_end;
    int run_len;
};

struct collect {
    struct fz_token *t;
    size_t n, cap;
    int stop_at;        /* return 7 from the stop_at-th call (1-based) */
};

static int collect_fn(void *ctx, const struct fz_token *t)
{
    struct collect *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->t = realloc(c->t, c->cap * sizeof *c->t);
        assert_non_null(c->t);
    }
    c->t[c->n++] = *t;
    return c->stop_at > 0 && (size_t)c->stop_at == c->n ? 7 : 0;
}

static const struct {
    const char *text;
    uint32_t next_pos;          /* 0: not checked */
    struct want_tok tok[8];
    size_t n;
} cases[] = {
    { "行政复议", 5, {
        { "行政", B, 0, 0, 2, 4 }, { "政复", B, 1, 1, 3, 4 },
        { "复议", B, 2, 2, 4, 4 }, { "议", U, 3, 3, 4, 4 } }, 4 },
    { "法", 2, { { "法", U, 0, 0, 1, 1 } }, 1 },
    { "2023年度", 4, {
        { "2023", W, 0, 0, 4, 1 }, { "年度", B, 1, 4, 6, 2 },
        { "度", U, 2, 5, 6, 2 } }, 3 },
    { "12345热线", 4, {
        { "12345", W, 0, 0, 5, 1 }, { "热线", B, 1, 5, 7, 2 },
        { "线", U, 2, 6, 7, 2 } }, 3 },
    /* a digit run and a letter run are two words, with no gap */
    { "6g", 3, { { "6", W, 0, 0, 1, 1 }, { "g", W, 1, 1, 2, 1 } }, 2 },
    { "ab12cd", 4, {
        { "ab", W, 0, 0, 2, 1 }, { "12", W, 1, 2, 4, 1 },
        { "cd", W, 2, 4, 6, 1 } }, 3 },
    { "ai+", 2, { { "ai", W, 0, 0, 2, 1 } }, 1 },
    /* punctuation skips one position */
    { "行政。复议", 6, {
        { "行政", B, 0, 0, 2, 2 }, { "政", U, 1, 1, 2, 2 },
        { "复议", B, 3, 3, 5, 2 }, { "议", U, 4, 4, 5, 2 } }, 4 },
    { "a b", 4, { { "a", W, 0, 0, 1, 1 }, { "b", W, 2, 2, 3, 1 } }, 2 },
    /* however many breaks there are, one position */
    { "法  ,治", 4, { { "法", U, 0, 0, 1, 1 }, { "治", U, 2, 4, 5, 1 } }, 2 },
    { "x，y", 4, { { "x", W, 0, 0, 1, 1 }, { "y", W, 2, 2, 3, 1 } }, 2 },
    /* breaks before the first token skip nothing */
    { " 法", 2, { { "法", U, 0, 1, 2, 1 } }, 1 },
    { "。。法", 2, { { "法", U, 0, 2, 3, 1 } }, 1 },
    /* inner decimal points stay; others do not */
    { "134.9万", 3, {
        { "134.9", W, 0, 0, 5, 1 }, { "万", U, 1, 5, 6, 1 } }, 2 },
    { "6.0版", 3, { { "6.0", W, 0, 0, 3, 1 }, { "版", U, 1, 3, 4, 1 } }, 2 },
    { "v6.", 3, { { "v", W, 0, 0, 1, 1 }, { "6", W, 1, 1, 2, 1 } }, 2 },
    { "2023.", 2, { { "2023", W, 0, 0, 4, 1 } }, 1 },
    { ".5", 2, { { "5", W, 0, 1, 2, 1 } }, 1 },
    { "gdp增长6.5%", 5, {
        { "gdp", W, 0, 0, 3, 1 }, { "增长", B, 1, 3, 5, 2 },
        { "长", U, 2, 4, 5, 2 }, { "6.5", W, 3, 5, 8, 1 } }, 4 },
    /* a Han character followed by a word is a unigram */
    { "年2023", 3, { { "年", U, 0, 0, 1, 1 }, { "2023", W, 1, 1, 5, 1 } }, 2 },
    /* astral Han: one code point each */
    { "\U0002003E\U0002003E", 3, {
        { "\U0002003E\U0002003E", B, 0, 0, 2, 2 },
        { "\U0002003E", U, 1, 1, 2, 2 } }, 2 },
    /* U+3007 〇 is Han */
    { "二〇二三年", 6, {
        { "二〇", B, 0, 0, 2, 5 }, { "〇二", B, 1, 1, 3, 5 },
        { "二三", B, 2, 2, 4, 5 }, { "三年", B, 3, 3, 5, 5 },
        { "年", U, 4, 4, 5, 5 } }, 5 },
    /* letters of other scripts are words */
    { "αβγ中", 3, { { "αβγ", W, 0, 0, 3, 1 }, { "中", U, 1, 3, 4, 1 } }, 2 },
    { "é法", 3, { { "é", W, 0, 0, 1, 1 }, { "法", U, 1, 1, 2, 1 } }, 2 },
    { "", 0, { { NULL, W, 0, 0, 0, 0 } }, 0 },
    { " ,。", 0, { { NULL, W, 0, 0, 0, 0 } }, 0 },
};

static void check_tokens(const char *name, const struct collect *c,
                         const struct want_tok *w, size_t n)
{
    if (c->n != n)
        fail_msg("%s: %zu tokens, want %zu", name, c->n, n);
    for (size_t k = 0; k < n; k++) {
        const struct fz_token *t = &c->t[k];
        if (t->len != strlen(w[k].term)
            || memcmp(t->term, w[k].term, t->len) != 0 || t->kind != w[k].kind
            || t->pos != w[k].pos || t->cp_start != w[k].cp_start
            || t->cp_end != w[k].cp_end || t->run_len != w[k].run_len)
            fail_msg("%s: token %zu is \"%.*s\" kind %d @%u [%zu,%zu) run %d, "
                     "want \"%s\" kind %d @%u [%zu,%zu) run %d", name, k,
                     (int)t->len, t->term, (int)t->kind, (unsigned)t->pos,
                     t->cp_start, t->cp_end, t->run_len, w[k].term,
                     (int)w[k].kind, (unsigned)w[k].pos, w[k].cp_start,
                     w[k].cp_end, w[k].run_len);
    }
}

static void test_cases(void **state)
{
    (void)state;
    struct collect c = { NULL, 0, 0, 0 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.n = 0;
        uint32_t next = 12345;
        assert_int_equal(fz_tokenize(cases[i].text, strlen(cases[i].text), 0,
                                     collect_fn, &c, &next), 0);
        check_tokens(cases[i].text, &c, cases[i].tok, cases[i].n);
        if (cases[i].next_pos != 0 && next != cases[i].next_pos)
            fail_msg("%s: next_pos %u, want %u", cases[i].text,
                     (unsigned)next, (unsigned)cases[i].next_pos);
        /* next_pos may be NULL */
        c.n = 0;
        assert_int_equal(fz_tokenize(cases[i].text, strlen(cases[i].text), 0,
                                     collect_fn, &c, NULL), 0);
        assert_int_equal(c.n, cases[i].n);
    }
    free(c.t);
}

/* Positions start at first_pos; a document goes on from next_pos. */
static void test_first_pos(void **state)
{
    (void)state;
    struct collect c = { NULL, 0, 0, 0 };
    uint32_t next;
    assert_int_equal(fz_tokenize(" 法 治", strlen(" 法 治"), 10, collect_fn,
                                 &c, &next), 0);
    static const struct want_tok w[] = {
        { "法", U, 10, 1, 2, 1 }, { "治", U, 12, 3, 4, 1 },
    };
    check_tokens("first_pos", &c, w, 2);
    assert_int_equal(next, 14);
    /* a second text of the same document: no phrase across the seam */
    c.n = 0;
    assert_int_equal(fz_tokenize("政府", strlen("政府"), next, collect_fn, &c,
                                 &next), 0);
    static const struct want_tok w2[] = {
        { "政府", B, 14, 0, 2, 2 }, { "府", U, 15, 1, 2, 2 },
    };
    check_tokens("continued", &c, w2, 2);
    assert_int_equal(next, 17);
    free(c.t);
}

/* A non-zero return stops at once and comes back from fz_tokenize. */
static void test_stop(void **state)
{
    (void)state;
    static const struct { const char *text; int stop_at; } stops[] = {
        { "行政复议", 1 }, { "行政复议", 2 }, { "行政复议", 4 },
        { "2023年度", 1 }, { "法 治", 1 },
    };
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct collect c = { NULL, 0, 0, stops[i].stop_at };
        assert_int_equal(fz_tokenize(stops[i].text, strlen(stops[i].text), 0,
                                     collect_fn, &c, NULL), 7);
        assert_int_equal(c.n, (size_t)stops[i].stop_at);
        free(c.t);
    }
}

/* Words longer than FZ_TOKEN_MAX_BYTES (64) are cut at a character
 * boundary at or before byte 64. */
static void test_long_words(void **state)
{
    (void)state;
    static const struct {
        const char *unit;       /* repeated */
        size_t times;
        const char *lead;       /* once, before */
        size_t want_len;
    } longs[] = {
        { "a", 64, "", 64 },                /* exactly 64: whole */
        { "a", 65, "", 64 },
        { "a", 70, "", 64 },
        { "1", 100, "", 64 },
        { "é", 40, "a", 63 },   /* 1 + 2k: byte 64 is inside the 32nd é */
        { "é", 40, "", 64 },    /* 2k: byte 64 starts an é */
        { "あ", 30, "", 63 },   /* 3 bytes each: 21 of them */
    };
    struct collect c = { NULL, 0, 0, 0 };
    for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++) {
        struct fz_buf b = FZ_BUF_INIT;
        assert_int_equal(fz_buf_appends(&b, longs[i].lead), FZ_OK);
        for (size_t k = 0; k < longs[i].times; k++)
            assert_int_equal(fz_buf_appends(&b, longs[i].unit), FZ_OK);
        assert_int_equal(fz_buf_appends(&b, "法"), FZ_OK);
        c.n = 0;
        assert_int_equal(fz_tokenize(b.data, b.len, 0, collect_fn, &c, NULL),
                         0);
        assert_int_equal(c.n, 2);
        assert_int_equal(c.t[0].kind, W);
        assert_int_equal(c.t[0].len, longs[i].want_len);
        assert_ptr_equal(c.t[0].term, b.data);
        assert_int_equal(c.t[0].pos, 0);
        assert_int_equal(c.t[0].cp_start, 0);
        /* the character after the word is still found, at position 1 */
        assert_int_equal(c.t[1].kind, U);
        assert_int_equal(c.t[1].pos, 1);
        assert_memory_equal(c.t[1].term, "法", 3);
        fz_buf_release(&b);
    }
    free(c.t);
}

/* ------------------------------------------------------------------ */
/* The exactness property. */

/* Han as utf8.h defines it (CJK ideograph blocks of Blocks.txt, and
 * U+3007), for choosing queries; independent of fz_is_han(). */
static int han(uint32_t c)
{
    static const uint32_t r[][2] = {
        { 0x3007, 0x3007 }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
        { 0xF900, 0xFAFF }, { 0x20000, 0x2A6DF }, { 0x2A700, 0x2EBEF },
        { 0x2F800, 0x2FA1F }, { 0x30000, 0x323AF },
    };
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        if (c >= r[k][0] && c <= r[k][1])
            return 1;
    return 0;
}


struct passage {
    char *text;                 /* folded */
    size_t len;
    struct collect c;           /* its tokens */
    int32_t *at;                /* at[pos] = index into c.t, or -1 */
    uint32_t n_at;
};

struct corpus {
    struct passage *p;
    size_t n, cap;
    size_t n_cp;                /* code points of all passages */
};

static struct fz_norm *norm;

static void add_passage(struct corpus *co, const char *raw, size_t len)
{
    struct fz_normed nd = FZ_NORMED_INIT;
    assert_int_equal(fz_norm_run(norm, raw, len, &nd, NULL), FZ_OK);
    int has_han = 0;
    for (size_t i = 0, n; i < nd.text.len && !has_han; i += n)
        has_han = han(test_cp_at(nd.text.data + i, &n));
    if (!has_han) {                     /* not a passage: a menu line */
        fz_normed_release(&nd);
        return;
    }
    if (co->n == co->cap) {
        co->cap = co->cap ? co->cap * 2 : 256;
        co->p = realloc(co->p, co->cap * sizeof *co->p);
        assert_non_null(co->p);
    }
    struct passage *p = &co->p[co->n++];
    memset(p, 0, sizeof *p);
    co->n_cp += nd.n_cp;
    p->text = fz_buf_detach(&nd.text, &p->len);
    fz_normed_release(&nd);
    assert_int_equal(fz_tokenize(p->text, p->len, 0, collect_fn, &p->c,
                                 NULL), 0);
    p->n_at = p->c.n ? p->c.t[p->c.n - 1].pos + 1 : 0;
    p->at = malloc((p->n_at ? p->n_at : 1) * sizeof *p->at);
    assert_non_null(p->at);
    for (uint32_t k = 0; k < p->n_at; k++)
        p->at[k] = -1;
    for (size_t k = 0; k < p->c.n; k++) {
        /* one token per position, positions increasing */
        assert_int_equal(p->at[p->c.t[k].pos], -1);
        if (k > 0)
            assert_true(p->c.t[k].pos > p->c.t[k - 1].pos);
        p->at[p->c.t[k].pos] = (int32_t)k;
    }
}

static void add_lines(struct corpus *co, const char *text, size_t len)
{
    for (const char *p = text, *nl; p < text + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL)
            nl = text + len;
        add_passage(co, p, (size_t)(nl - p));
    }
}

/* The first ten State Council reports: tests/data has a copy of
 * shared/corpora's, which lies beside the work tree. */
static void add_reports(struct corpus *co)
{
    const char *path = CORPUS("gov-work-reports-1954-2025.jsonl");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        path = "../shared/corpora/gov-work-reports-1954-2025.jsonl";
        f = fopen(path, "rb");
    }
    if (f == NULL) {
        print_message("no gov-work-reports-1954-2025.jsonl: seeds only\n");
        return;
    }
    fclose(f);
    size_t len;
    char *all = test_slurp(path, &len);
    const char *p = all;
    for (int k = 0; k < 10 && p < all + len; k++) {
        const char *nl = memchr(p, '\n', (size_t)(all + len - p));
        if (nl == NULL)
            nl = all + len;
        cJSON *j = cJSON_ParseWithLength(p, (size_t)(nl - p));
        assert_non_null(j);
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(j, "content");
        assert_true(cJSON_IsString(content));
        add_lines(co, content->valuestring, strlen(content->valuestring));
        cJSON_Delete(j);
        p = nl + 1;
    }
    free(all);
}

/* A query slot: the token at (first position + off) must be exactly term,
 * or, for a prefix slot, a unigram or bigram starting with term. */
struct slot {
    uint32_t off;
    const char *term;
    size_t len;
    int prefix;
};

/* The query's tokens as slots: every token, except that a trailing Han
 * run of two or more characters gives its bigrams only (its last
 * character may go on into a longer run in the passage) and a trailing
 * one-character run gives a prefix slot. */
static size_t make_slots(const struct collect *q, struct slot *s, size_t max)
{
    size_t n = 0;
    assert_true(q->n > 0 && q->n <= max);
    for (size_t k = 0; k < q->n; k++) {
        const struct fz_token *t = &q->t[k];
        struct slot sl = { t->pos - q->t[0].pos, t->term, t->len, 0 };
        if (k == q->n - 1 && t->kind == FZ_TOK_UNIGRAM) {
            if (k > 0 && q->t[k - 1].kind == FZ_TOK_BIGRAM
                && q->t[k - 1].pos + 1 == t->pos)
                continue;               /* covered by the last bigram */
            sl.prefix = 1;
        }
        s[n++] = sl;
    }
    return n;
}

static int slot_ok(const struct fz_token *t, const struct slot *s)
{
    if (s->prefix)
        return t->kind != FZ_TOK_WORD && t->len >= s->len
               && memcmp(t->term, s->term, s->len) == 0;
    return t->len == s->len && memcmp(t->term, s->term, s->len) == 0;
}

static int token_match(const struct passage *p, const struct slot *s,
                       size_t n)
{
    for (size_t k = 0; k < p->c.n; k++) {
        const struct fz_token *t = &p->c.t[k];
        if (t->term[0] != s[0].term[0] || !slot_ok(t, &s[0]))
            continue;
        size_t j = 1;
        for (; j < n; j++) {
            uint32_t pos = t->pos + s[j].off;
            if (pos >= p->n_at || p->at[pos] < 0
                || !slot_ok(&p->c.t[p->at[pos]], &s[j]))
                break;
        }
        if (j == n)
            return 1;
    }
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Is q in text where token.h says its words are whole: a leading digit
 * run not preceded by a digit (or by a digit and '.'), a trailing one not
 * followed by a digit (or by '.' and a digit)?  For a query that starts
 * and ends with Han this is strstr(). */
static int occurs_whole(const char *text, const char *q)
{
    size_t ql = strlen(q);
    for (const char *o = strstr(text, q); o != NULL; o = strstr(o + 1, q)) {
        if (is_digit(q[0]) && o > text
            && (is_digit(o[-1])
                || (o[-1] == '.' && o - 1 > text && is_digit(o[-2]))))
            continue;
        const char *e = o + ql;
        if (is_digit(q[ql - 1])
            && (is_digit(e[0]) || (e[0] == '.' && is_digit(e[1]))))
            continue;
        return 1;
    }
    return 0;
}

struct tally {
    size_t queries, pairs, hits, queries_hit, queries_missed;
};

static void check_query(const struct corpus *co, const char *raw,
                        struct tally *ta)
{
    char *q = fz_norm_str(norm, raw, strlen(raw));
    assert_non_null(q);
    struct collect qc = { NULL, 0, 0, 0 };
    assert_int_equal(fz_tokenize(q, strlen(q), 0, collect_fn, &qc, NULL), 0);
    if (qc.n == 0) {
        free(q);
        return;
    }
    struct slot s[32];
    size_t n = make_slots(&qc, s, 32);
    size_t hits = 0;
    for (size_t i = 0; i < co->n; i++) {
        const struct passage *p = &co->p[i];
        int want = occurs_whole(p->text, q);
        int got = token_match(p, s, n);
        if (got != want)
            fail_msg("query \"%s\" (from \"%s\"): tokens %s, text %s, in "
                     "passage %zu: %.300s", q, raw, got ? "match" : "miss",
                     want ? "has it" : "has not", i, p->text);
        hits += want;
    }
    ta->queries++;
    ta->pairs += co->n;
    ta->hits += hits;
    if (hits)
        ta->queries_hit++;
    else
        ta->queries_missed++;
    free(qc.t);
    free(q);
}

static const char *const seeds[] = {
    "000_b603a63773e2a13c.txt", "001_5786f2a229778fa1.txt",
    "002_3bd825ff36a50f76.txt", "003_65475f305930a54e.txt",
    "004_1125619140e8c921.txt",
};

/* Passages made up for the mixed queries: a word joined to more digits
 * must not match, one standing alone must, and none across a break. */
static const char *const made_up[] = {
    "市民拨打12345热线反映问题。",
    "编号2012345热线不是一个号码。",
    "拨打12345 热线,截至2023,年末,第2、季度。",
    "全年增长6.5%,达到134.9万人。",
    "版本1.2023年发布。",
    "2023年度报告和2023.5年。",
    "第2季度、第12季度。",
};

static const char *const mixed[] = {
    "2023年", "12345热线", "2020年度", "2024年", "134.9万", "6.5", "第2季度",
    "2季度", "1310", "5年",
};

/* n code points of s starting at code point k, as a string in buf */
static int take(const char *s, size_t len, size_t k, size_t n, char *buf,
                size_t size, int han_only)
{
    size_t i = 0, cl;
    for (; i < len && k > 0; i += cl, k--)
        test_cp_at(s + i, &cl);
    size_t from = i;
    for (; i < len && n > 0; i += cl, n--)
        if (!han(test_cp_at(s + i, &cl)) && han_only)
            return 0;
    if (n > 0 || i - from >= size)
        return 0;
    memcpy(buf, s + from, i - from);
    buf[i - from] = '\0';
    return 1;
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;      /* Numerical Recipes */
    return *s >> 8;
}

static void test_exactness(void **state)
{
    (void)state;
    struct corpus co = { NULL, 0, 0, 0 };
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        size_t len;
        char *text = test_slurp(CORPUS(seeds[f]), &len);
        add_lines(&co, text, len);
        free(text);
    }
    size_t n_seed_passages = co.n;
    add_reports(&co);
    for (size_t k = 0; k < sizeof made_up / sizeof made_up[0]; k++)
        add_passage(&co, made_up[k], strlen(made_up[k]));
    assert_true(n_seed_passages > 100);

    struct tally han_q = { 0 }, mix_q = { 0 };
    uint32_t seed = 7;
    char buf[64], swapped[256];
    /* Han substrings of 1..6 characters at fixed pseudo-random places */
    for (int tries = 0; han_q.queries < 3000 && tries < 40000; tries++) {
        const struct passage *p = &co.p[lcg(&seed) % co.n];
        size_t ncp = 0, cl;
        for (size_t i = 0; i < p->len; i += cl, ncp++)
            test_cp_at(p->text + i, &cl);
        size_t k = lcg(&seed) % ncp, n = 1 + lcg(&seed) % 6;
        if (!take(p->text, p->len, k, n, buf, sizeof buf, 1))
            continue;
        check_query(&co, buf, &han_q);
        if (n < 2)
            continue;
        /* and the same characters in another order, which mostly do not
         * occur: swap two of them */
        size_t a = lcg(&seed) % n, b = lcg(&seed) % n;
        if (a == b)
            b = (a + 1) % n;
        if (a > b) {
            size_t t = a;
            a = b;
            b = t;
        }
        char ca[8], cb[8];
        assert_true(take(buf, strlen(buf), a, 1, ca, sizeof ca, 1));
        assert_true(take(buf, strlen(buf), b, 1, cb, sizeof cb, 1));
        char head[64], mid[64], tail[64];
        assert_true(take(buf, strlen(buf), 0, a, head, sizeof head, 1));
        assert_true(take(buf, strlen(buf), a + 1, b - a - 1, mid, sizeof mid,
                         1));
        assert_true(take(buf, strlen(buf), b + 1, n - b - 1, tail,
                         sizeof tail, 1));
        snprintf(swapped, sizeof swapped, "%s%s%s%s%s", head, cb, mid, ca,
                 tail);
        check_query(&co, swapped, &han_q);
    }
    /* mixed: the fixed list, and digit runs with the Han after them as
     * they stand in the text */
    for (size_t k = 0; k < sizeof mixed / sizeof mixed[0]; k++)
        check_query(&co, mixed[k], &mix_q);
    for (int tries = 0; mix_q.queries < 200 && tries < 200000; tries++) {
        const struct passage *p = &co.p[lcg(&seed) % co.n];
        size_t i = lcg(&seed) % p->len;
        if (!is_digit(p->text[i]) || (i > 0 && is_digit(p->text[i - 1])))
            continue;
        size_t e = i;
        while (e < p->len && (is_digit(p->text[e])
                              || (p->text[e] == '.' && e + 1 < p->len
                                  && is_digit(p->text[e + 1]))))
            e++;
        size_t nh = 1 + lcg(&seed) % 3, cl;
        for (; nh > 0 && e < p->len && han(test_cp_at(p->text + e, &cl)); nh--)
            e += cl;
        if (e - i >= sizeof buf)
            continue;
        memcpy(buf, p->text + i, e - i);
        buf[e - i] = '\0';
        check_query(&co, buf, &mix_q);
    }
    print_message("exactness: %zu passages (%zu code points); Han queries "
                  "%zu (%zu found, %zu not), mixed %zu (%zu found); %zu "
                  "pairs\n", co.n, co.n_cp, han_q.queries, han_q.queries_hit,
                  han_q.queries_missed, mix_q.queries, mix_q.queries_hit,
                  han_q.pairs + mix_q.pairs);
    /* the test means something only if both answers came up often */
    assert_true(han_q.queries_hit > 1200);
    assert_true(han_q.queries_missed > 500);
    assert_true(mix_q.queries_hit > 100);
    for (size_t i = 0; i < co.n; i++) {
        free(co.p[i].text);
        free(co.p[i].c.t);
        free(co.p[i].at);
    }
    free(co.p);
}

static int setup(void **state)
{
    (void)state;
    norm = fz_norm_open(NULL);
    return norm ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_norm_close(norm);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_first_pos),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_exactness),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
