/* text/query: the query language and the exact matcher.
 *
 * The small tables are worked by hand from the rules in query.h.  The
 * corpus tests compare the matcher, on every passage of corpus/ (the
 * seeds and the State Council reports, read by the library pipeline as
 * the indexer reads them), with answers this file computes on its own
 * from the folded text: occurrences by strstr() (whole words for Latin
 * and digit terms, token.h's promise), distances between them in code
 * points, sentences split at its own table of sentence ends. */
#include "tests/testutil.h"

#include <unistd.h>

#include "base/fz.h"
#include "base/utf8.h"
#include "text/normalize.h"
#include "query/query.h"
#include "reader/report.h"

static struct fz_norm *norm;
static struct fz_textctx tc;

static void parse_ok(const char *s, struct fz_query *q)
{
    char *err = NULL;
    const char *argv[1] = { s };
    if (fz_query_parse(norm, argv, 1, q, &err) != FZ_OK)
        fail_msg("query \"%s\": %s", s, err);
}

/* Spans sorted by start, as "[a,b) [c,d)" */
static int span_cmp(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* sort and drop duplicates (a span may be marked twice: by two clauses,
 * or by the middle operand of a NEAR chain for each of its pairs) */
static void occ_norm(size_t (*v)[2], size_t *n)
{
    if (*n == 0)
        return;
    qsort(v, *n, sizeof *v, span_cmp);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (w == 0 || v[i][0] != v[w - 1][0] || v[i][1] != v[w - 1][1]) {
            v[w][0] = v[i][0];
            v[w][1] = v[i][1];
            w++;
        }
    *n = w;
}

/* Spans as "[a,b) [c,d)", sorted, without repeats */
static void spans_str(struct fz_spans *sp, char *buf, size_t size)
{
    occ_norm(sp->v, &sp->n);
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sp->n && w < size; i++)
        w += (size_t)snprintf(buf + w, size - w, "%s[%zu,%zu)", i ? " " : "",
                              sp->v[i][0], sp->v[i][1]);
}

static const struct {
    const char *query, *text, *title;
    int want;
    const char *spans;          /* code points into text */
} passage_cases[] = {
    /* one Han character: the character itself, though its token is the
     * bigram 法治 */
    { "法", "依法治国。法", NULL, 1, "[1,2) [5,6)" },
    { "法治", "依法治国。法", NULL, 1, "[1,3)" },
    { "2023年", "2023年度", NULL, 1, "[0,5)" },
    { "行政复议 -诉讼", "行政复议和行政诉讼", NULL, 0, "[0,4)" },
    { "title:法治 政府", "建设政府", "法治政府建设", 1, "[2,4)" },
    { "title:法治 政府", "建设政府", "政府建设", 0, "[2,4)" },
    { "pm", "rpm 和 pm2.5", NULL, 1, "[6,8)" },
    /* NEAR: distances between spans, in code points of the folded text */
    { "法治 NEAR/0 政府", "法治政府", NULL, 1, "[0,2) [2,4)" },
    { "法治 NEAR/0 政府", "政府法治", NULL, 1, "[0,2) [2,4)" },
    { "法治 NEAR/0 政府", "法治和政府", NULL, 0, "" },
    { "法治 NEAR/1 政府", "法治和政府", NULL, 1, "[0,2) [3,5)" },
    { "法治 NEAR/1 政府", "法治，和政府", NULL, 0, "" },
    { "法治 NEAR/2 政府", "法治，和政府", NULL, 1, "[0,2) [4,6)" },
    /* only the occurrences that are near: 政府@0 is 2 from 法治@4 */
    { "法治 NEAR/1 政府", "政府工作法治和政府", NULL, 1, "[4,6) [7,9)" },
    { "法治 NEAR/2 政府", "政府工作法治和政府", NULL, 1,
      "[0,2) [4,6) [7,9)" },
    /* overlapping occurrences are at distance 0 */
    { "政府 NEAR/0 府工", "政府工作", NULL, 1, "[0,2) [1,3)" },
    /* an occurrence does not pair with itself */
    { "法 NEAR/5 法", "依法治国", NULL, 0, "" },
    { "法 NEAR/0 法", "法法", NULL, 1, "[0,1) [1,2)" },
    { "法 NEAR/0 法", "法治法", NULL, 0, "" },
    { "法 NEAR/1 法", "法治法", NULL, 1, "[0,1) [2,3)" },
    { "法治 NEAR/3 法治", "法治法治", NULL, 1, "[0,2) [2,4)" },
    /* chains: each pair near; spans of the pairs that hold */
    { "行政 NEAR/0 复议 NEAR/0 制度", "行政复议制度", NULL, 1,
      "[0,2) [2,4) [4,6)" },
    { "行政 NEAR/0 复议 NEAR/0 制度", "行政复议和制度", NULL, 0,
      "[0,2) [2,4)" },
    { "行政 NEAR/0 复议 NEAR/1 制度", "行政复议和制度", NULL, 1,
      "[0,2) [2,4) [5,7)" },
    /* each pair by its own occurrences: 复议@2 is near 行政, 复议@7 is
     * near 制度 */
    { "行政 NEAR/0 复议 NEAR/0 制度", "行政复议，复议制度", NULL, 1,
      "[0,2) [2,4) [5,7) [7,9)" },
    /* with other groups */
    { "法治 NEAR/0 政府 建设", "法治政府建设", NULL, 1,
      "[0,2) [2,4) [4,6)" },
    { "法治 NEAR/0 政府 -建设", "法治政府建设", NULL, 0, "[0,2) [2,4)" },
    { "法治 NEAR/0 政府 改革", "法治政府建设", NULL, 0, "[0,2) [2,4)" },
    /* phrases and words */
    { "\"行政复议\" NEAR/1 2020", "2020年行政复议", NULL, 1,
      "[0,4) [5,9)" },
    { "pm NEAR/0 2.5", "pm2.5", NULL, 1, "[0,2) [2,5)" },
    { "5g NEAR/3 网络", "5g通信网络", NULL, 1, "[0,2) [4,6)" },
    { "5g NEAR/1 网络", "5g通信网络", NULL, 0, "" },
    /* a NEAR operand matches whole words too */
    { "pm NEAR/5 2.5", "rpm2.5", NULL, 0, "" },
};

static void test_passage(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof passage_cases / sizeof passage_cases[0];
         i++) {
        struct fz_query q;
        struct fz_spans sp = { NULL, 0, 0 };
        char got[256];
        const char *title = passage_cases[i].title;
        parse_ok(passage_cases[i].query, &q);
        int m = fz_query_matches(&q, passage_cases[i].text,
                                 strlen(passage_cases[i].text), title,
                                 title ? strlen(title) : 0, &sp);
        spans_str(&sp, got, sizeof got);
        if (m != passage_cases[i].want
            || strcmp(got, passage_cases[i].spans) != 0)
            fail_msg("%s in %s: %d %s, want %d %s", passage_cases[i].query,
                     passage_cases[i].text, m, got, passage_cases[i].want,
                     passage_cases[i].spans);
        fz_spans_release(&sp);
        fz_query_release(&q);
    }
}

/* ------------------------------------------------------------------ */
/* Sentences and the report level, worked by hand.  Texts are written as
 * reports write them and folded first, as passages are; spans are code
 * points into the folded text. */

static const struct {
    const char *query, *text, *title;
    int passage, sentence;      /* the two answers */
    const char *spans;          /* in sentence mode */
} sentence_cases[] = {
    { "法治 政府", "法治建设。政府工作", NULL, 1, 0, "" },
    { "法治 政府", "法治建设。推进法治政府建设", NULL, 1, 1, "[7,9) [9,11)" },
    /* every end: 。 ！ ？ ； (folded to ! ? ;), ! ? ;, a line break */
    { "法治 政府", "法治！政府", NULL, 1, 0, "" },
    { "法治 政府", "法治？政府", NULL, 1, 0, "" },
    { "法治 政府", "法治；政府", NULL, 1, 0, "" },
    { "法治 政府", "法治｡政府", NULL, 1, 0, "" },
    { "法治 政府", "法治!政府", NULL, 1, 0, "" },
    { "法治 政府", "法治\n政府", NULL, 1, 0, "" },
    /* and not: commas, colons, 、, an ellipsis (folded to ......), 6.5 */
    { "法治 政府", "法治，政府", NULL, 1, 1, "[0,2) [3,5)" },
    { "法治 政府", "法治：政府", NULL, 1, 1, "[0,2) [3,5)" },
    { "法治 政府", "法治、政府", NULL, 1, 1, "[0,2) [3,5)" },
    { "法治 政府", "法治……政府", NULL, 1, 1, "[0,2) [8,10)" },
    { "增长 目标", "增长6.5%的目标。", NULL, 1, 1, "[0,2) [7,9)" },
    { "6.5 目标", "增长6.5%的目标。", NULL, 1, 1, "[2,5) [7,9)" },
    /* sentences that hold the terms each give their spans */
    { "法治", "法治。法治政府。其他", NULL, 1, 1, "[0,2) [3,5)" },
    { "法 治", "法。治。法治", NULL, 1, 1, "[4,5) [5,6)" },
    /* NEAR inside one sentence: 。 is one character between */
    { "法治 NEAR/1 政府", "法治。政府", NULL, 1, 0, "" },
    { "法治 NEAR/1 政府", "法治。政府和法治", NULL, 1, 1, "[3,5) [6,8)" },
    /* a phrase across an end is found in the passage, not a sentence */
    { "\"法治。政府\"", "法治。政府", NULL, 1, 0, "" },
    { "\"法治,政府\"", "法治，政府", NULL, 1, 1, "[0,5)" },
    /* a negated term anywhere in the passage excludes it; the sentence
     * that holds the positive terms still gives its spans */
    { "法治 政府 -腐败", "法治政府。反腐败", NULL, 0, 0, "[0,2) [2,4)" },
    { "法治 政府 -腐败", "法治政府。反腐", NULL, 1, 1, "[0,2) [2,4)" },
    { "法治 政府 -title:腐败", "法治政府", "反腐败报告", 0, 0, "[0,2) [2,4)" },
    /* OR: any of its clauses in the sentence */
    { "法治 OR 依法 政府", "依法行政。政府", NULL, 1, 0, "" },
    { "法治 OR 依法 政府", "依法行政，政府", NULL, 1, 1, "[0,2) [5,7)" },
    /* title: clauses look at the title from every sentence */
    { "title:法治 政府", "政府工作。其他", "法治政府建设报告", 1, 1, "[0,2)" },
    { "title:法治 政府", "政府工作。其他", NULL, 0, 0, "" },
    { "title:法治", "一。二", "法治", 1, 1, "" },
    { "title:法治", "", "法治", 1, 1, "" },
    { "法治", "", NULL, 0, 0, "" },
    { "法治", "。。", NULL, 0, 0, "" },
};

static void test_sentence(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sentence_cases / sizeof sentence_cases[0];
         i++) {
        struct fz_query q;
        struct fz_spans sp = { NULL, 0, 0 };
        char got[256];
        char *text = fz_norm_str(norm, sentence_cases[i].text,
                                 strlen(sentence_cases[i].text));
        char *title = sentence_cases[i].title
            ? fz_norm_str(norm, sentence_cases[i].title,
                          strlen(sentence_cases[i].title)) : NULL;
        assert_non_null(text);
        size_t len = strlen(text), tlen = title ? strlen(title) : 0;
        parse_ok(sentence_cases[i].query, &q);
        int mp = fz_query_matches(&q, text, len, title, tlen, NULL);
        int mw = fz_query_matches_within(&q, FZ_WITHIN_PASSAGE, text, len,
                                         title, tlen, NULL);
        int ms = fz_query_matches_within(&q, FZ_WITHIN_SENTENCE, text, len,
                                         title, tlen, &sp);
        int ms0 = fz_query_matches_within(&q, FZ_WITHIN_SENTENCE, text, len,
                                          title, tlen, NULL);
        spans_str(&sp, got, sizeof got);
        if (mp != sentence_cases[i].passage || mw != mp
            || ms != sentence_cases[i].sentence || ms0 != ms
            || strcmp(got, sentence_cases[i].spans) != 0)
            fail_msg("%s in %s: passage %d/%d, sentence %d/%d %s, want %d, "
                     "%d %s", sentence_cases[i].query, text, mp, mw, ms, ms0,
                     got, sentence_cases[i].passage,
                     sentence_cases[i].sentence, sentence_cases[i].spans);
        fz_spans_release(&sp);
        fz_query_release(&q);
        free(text);
        free(title);
    }
}

static void test_sentence_ends(void **state)
{
    (void)state;
    /* the set query.h lists, and neighbours that are not in it */
    static const uint32_t yes[] = {
        0x3002, 0xFF61, '!', '?', ';', 0xFF01, 0xFF1F, 0xFF1B, 0x2026,
        '\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029,
    };
    static const uint32_t no[] = {
        '.', ',', ':', 0xFF0C, 0xFF1A, 0x3001, 0xFF0E, ' ', '\t', 0x3000,
        0x201D, 0x300D, ')', 0xFF09, 0x2025, 0x22EF, 'a', '1', 0x6CD5, 0,
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!fz_is_sentence_end(yes[i]))
            fail_msg("U+%04X should end a sentence", (unsigned)yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (fz_is_sentence_end(no[i]))
            fail_msg("U+%04X should not end a sentence", (unsigned)no[i]);
}

static const struct {
    const char *query, *title;
    const char *text[4];        /* a report's passages, NULL-terminated */
    uint64_t groups[4];
    int negated[4];
    uint64_t positive;
} report_cases[] = {
    { "法治 政府 -腐败", NULL, { "法治建设", "政府工作", "反腐败", NULL },
      { 0x1, 0x2, 0 }, { 0, 0, 1 }, 0x3 },
    { "法治 政府 -腐败", NULL, { "法治建设", "政府工作和法治", NULL },
      { 0x1, 0x3 }, { 0, 0 }, 0x3 },
    /* a NEAR pair's groups only where it holds */
    { "法治 NEAR/0 政府 改革", NULL,
      { "法治政府", "法治和政府改革", "法治", NULL },
      { 0x3, 0x4, 0 }, { 0, 0, 0 }, 0x7 },
    /* a chain's groups only where all its pairs hold */
    { "行政 NEAR/0 复议 NEAR/0 制度", NULL,
      { "行政复议和制度", "复议制度", "行政复议制度", NULL },
      { 0, 0, 0x7 }, { 0, 0, 0 }, 0x7 },
    /* title: from the title, in every passage */
    { "title:法治 政府", "法治报告", { "政府", "其他", NULL },
      { 0x3, 0x1 }, { 0, 0 }, 0x3 },
    { "title:法治 政府", NULL, { "政府", "其他", NULL },
      { 0x2, 0 }, { 0, 0 }, 0x3 },
    { "政府 -title:腐败", "反腐败报告", { "政府", NULL },
      { 0x1 }, { 1 }, 0x1 },
    /* OR: either clause sets the group */
    { "法治 OR 依法 -腐败 政府", NULL, { "依法", "法治政府", "腐败", NULL },
      { 0x1, 0x5, 0 }, { 0, 0, 1 }, 0x5 },
};

static void test_report_groups(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof report_cases / sizeof report_cases[0];
         i++) {
        struct fz_query q;
        parse_ok(report_cases[i].query, &q);
        assert_true(fz_query_positive_mask(&q) == report_cases[i].positive);
        const char *title = report_cases[i].title;
        for (size_t k = 0; k < 4 && report_cases[i].text[k]; k++) {
            const char *t = report_cases[i].text[k];
            uint64_t g = 99;
            int neg = 99;
            assert_int_equal(fz_query_groups(&q, t, strlen(t), title,
                                             title ? strlen(title) : 0, &g,
                                             &neg), 0);
            if (g != report_cases[i].groups[k]
                || neg != report_cases[i].negated[k])
                fail_msg("%s in %s: groups %#llx negated %d, want %#llx %d",
                         report_cases[i].query, t, (unsigned long long)g, neg,
                         (unsigned long long)report_cases[i].groups[k],
                         report_cases[i].negated[k]);
        }
        fz_query_release(&q);
    }
}

/* ------------------------------------------------------------------ */
/* The corpus, and the answers computed here. */

struct psg {
    char *text;                 /* folded, as the index stores it */
    size_t len;
    size_t report;
};

struct rep {
    size_t first, n;            /* its passages */
};

static struct psg *ps;
static size_t nps;
static struct rep *reps;
static size_t nreps;
static size_t n_cp_all;


static size_t count_cp(const char *s, size_t len)
{
    size_t n = 0, cl;
    for (size_t i = 0; i < len; i += cl, n++)
        test_cp_at(s + i, &cl);
    return n;
}

/* Han as utf8.h defines it (CJK ideograph blocks and U+3007), for
 * choosing query terms; written out here, not fz_is_han(). */
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

static int digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Letters that can stand next to a Latin term in this corpus: ASCII,
 * Latin-1 and Latin Extended letters, Greek, Cyrillic. */
static int letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
        || (c >= 0x370 && c <= 0x52F);
}

static void add_report(struct fz_report *r)
{
    reps = realloc(reps, (nreps + 1) * sizeof *reps);
    ps = realloc(ps, (nps + r->passages.n) * sizeof *ps);
    assert_non_null(reps);
    assert_non_null(ps);
    reps[nreps].first = nps;
    reps[nreps].n = r->passages.n;
    for (size_t i = 0; i < r->passages.n; i++) {
        ps[nps].text = fz_buf_detach(&r->norm[i].text, &ps[nps].len);
        ps[nps].report = nreps;
        n_cp_all += count_cp(ps[nps].text, ps[nps].len);
        nps++;
    }
    nreps++;
}

/* Occurrences of a term in a text: [s,e) in code points. */
struct occ {
    size_t (*v)[2];
    size_t n, cap;
};

static void occ_add(struct occ *o, size_t a, size_t b)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->v = realloc(o->v, o->cap * sizeof *o->v);
        assert_non_null(o->v);
    }
    o->v[o->n][0] = a;
    o->v[o->n][1] = b;
    o->n++;
}

/* the code point before byte i of text (0 at the start) */
static uint32_t cp_before(const char *text, size_t i, size_t *at)
{
    if (i == 0)
        return 0;
    size_t j = i - 1, cl;
    while (j > 0 && ((unsigned char)text[j] & 0xC0) == 0x80)
        j--;
    if (at)
        *at = j;
    return test_cp_at(text + j, &cl);
}

/* Every occurrence of the folded term t in text[0,len) (NUL-terminated),
 * offset by base code points, appended to o.  Where t begins or ends with
 * a digit or a letter, the occurrence must be a whole word there, as
 * token.h draws words: a digit run is not preceded or followed by a digit
 * (nor by a '.' with a digit beyond it: 6.5 is one word), a letter run
 * not by a letter.  Han needs no such check (test_token shows that
 * substring is exactly what the matcher finds). */
static void find_occ(const char *text, size_t len, const char *t,
                     size_t base, struct occ *o)
{
    size_t tl = strlen(t), cl, tcp = count_cp(t, tl);
    uint32_t first = test_cp_at(t, &cl), last = cp_before(t, tl, NULL);
    size_t cp = 0, done = 0;            /* code points of text[0,done) */
    for (const char *f = strstr(text, t); f; f = strstr(f + 1, t)) {
        size_t i = (size_t)(f - text), e = i + tl, at;
        if (digit(first) || letter(first)) {
            uint32_t pc = cp_before(text, i, &at);
            if (digit(first) && (digit(pc)
                    || (pc == '.' && digit(cp_before(text, at, NULL)))))
                continue;
            if (letter(first) && letter(pc))
                continue;
        }
        if ((digit(last) || letter(last)) && e < len) {
            uint32_t nc = test_cp_at(text + e, &cl);
            if (digit(last) && (digit(nc) || (nc == '.' && e + 1 < len
                                               && digit((uint8_t)text[e + 1]))))
                continue;
            if (letter(last) && letter(nc))
                continue;
        }
        cp += count_cp(text + done, i - done);
        done = i;
        occ_add(o, base + cp, base + cp + tcp);
    }
}

/* query.h's distance between two spans */
static size_t dist(const size_t a[2], const size_t b[2])
{
    size_t lo = a[0] > b[0] ? a[0] : b[0], hi = a[1] < b[1] ? a[1] : b[1];
    return lo > hi ? lo - hi : 0;
}

/* Occurrences of a with a partner in b within k (not itself), appended to
 * out; 1 when any. */
static int near_ref(const struct occ *a, const struct occ *b, size_t k,
                    struct occ *out)
{
    int any = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            if (a->v[i][0] == b->v[j][0] && a->v[i][1] == b->v[j][1])
                continue;
            if (dist(a->v[i], b->v[j]) <= k) {
                any = 1;
                if (out)
                    occ_add(out, a->v[i][0], a->v[i][1]);
                break;
            }
        }
    return any;
}

static void check_spans(const char *what, const char *text, struct occ *want,
                        struct fz_spans *got)
{
    occ_norm(want->v, &want->n);
    occ_norm(got->v, &got->n);
    int same = want->n == got->n;
    for (size_t i = 0; same && i < want->n; i++)
        same = want->v[i][0] == got->v[i][0] && want->v[i][1] == got->v[i][1];
    if (!same) {
        char w[512], g[512];
        struct fz_spans ws = { want->v, want->n, want->cap };
        spans_str(&ws, w, sizeof w);
        spans_str(got, g, sizeof g);
        fail_msg("%s: spans %s, want %s in %.400s", what, g, w, text);
    }
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;      /* Numerical Recipes */
    return *s >> 8;
}

/* The n characters of passage p from code point k, folded as a query
 * term is, into buf; 0 when they are not all Han (or run past the end). */
static int take_han(const struct psg *p, size_t k, size_t n, char *buf,
                    size_t size)
{
    size_t i = 0, cl;
    for (; i < p->len && k > 0; i += cl, k--)
        test_cp_at(p->text + i, &cl);
    size_t start = i;
    for (; i < p->len && n > 0; i += cl, n--)
        if (!han(test_cp_at(p->text + i, &cl)))
            return 0;
    if (n > 0 || i - start >= size)
        return 0;
    char *f = fz_norm_str(norm, p->text + start, i - start);
    assert_non_null(f);
    snprintf(buf, size, "%s", f);
    free(f);
    return buf[0] != '\0';
}

/* A Han term of 1..maxn characters from a random place of a random
 * passage (*from: which, *at: where); 0 when the place has no Han. */
static int draw_han(uint32_t *seed, size_t maxn, char *buf, size_t size,
                    size_t *from, size_t *at)
{
    size_t pi = lcg(seed) % nps;
    size_t ncp = count_cp(ps[pi].text, ps[pi].len);
    size_t k = lcg(seed) % (ncp ? ncp : 1), n = 1 + lcg(seed) % maxn;
    if (from)
        *from = pi;
    if (at)
        *at = k;
    return take_han(&ps[pi], k, n, buf, size);
}

/* Latin and digit terms that occur in the reports, and some that do not
 * stand alone there (pm inside rpm, 20 inside 2020). */
static const char *const latin[] = {
    "2020", "5g", "gdp", "2.5", "pm", "cpi", "2019", "10", "1", "wto",
    "20", "5", "g", "it", "100", "2035", "9", "3", "a",
};

/* ------------------------------------------------------------------ */
/* NEAR against the reference. */

struct tally {
    size_t queries, pairs, hits, queries_hit;
    size_t looser;      /* passages the looser mode finds and this not */
};

static void check_near(const char *a, const char *b, size_t k,
                       struct tally *ta)
{
    char qs[256];
    snprintf(qs, sizeof qs, "%s NEAR/%zu %s", a, k, b);
    struct fz_query q;
    parse_ok(qs, &q);
    size_t hits = 0;
    for (size_t i = 0; i < nps; i++) {
        const struct psg *p = &ps[i];
        struct occ oa = { NULL, 0, 0 }, ob = { NULL, 0, 0 };
        struct occ want = { NULL, 0, 0 };
        find_occ(p->text, p->len, a, 0, &oa);
        find_occ(p->text, p->len, b, 0, &ob);
        int w = near_ref(&oa, &ob, k, &want);
        near_ref(&ob, &oa, k, &want);
        ta->looser += !w && oa.n && ob.n;
        struct fz_spans sp = { NULL, 0, 0 };
        int got = fz_query_matches(&q, p->text, p->len, NULL, 0, &sp);
        if (got != w)
            fail_msg("%s: %d, want %d in passage %zu: %.400s", qs, got, w, i,
                     p->text);
        check_spans(qs, p->text, &want, &sp);
        /* without spans (which takes other paths), the same answer;
         * on every 4th query, for time */
        if (ta->queries % 4 == 0)
            assert_int_equal(fz_query_matches(&q, p->text, p->len, NULL, 0,
                                              NULL), w);
        hits += (size_t)w;
        fz_spans_release(&sp);
        free(oa.v);
        free(ob.v);
        free(want.v);
    }
    ta->queries++;
    ta->pairs += nps;
    ta->hits += hits;
    ta->queries_hit += hits > 0;
    fz_query_release(&q);
}

static void test_near_corpus(void **state)
{
    (void)state;
    static const size_t ks[] = { 0, 1, 2, 3, 5, 10, 20, 50, 200 };
    struct tally ta = { 0, 0, 0, 0, 0 };
    uint32_t seed = 11;
    char a[64], b[64];
    /* Han pairs: two pieces of one passage, up to 40 characters apart
     * (so that many are near), or pieces of two passages */
    for (int tries = 0; ta.queries < 60 && tries < 5000; tries++) {
        size_t pa, at;
        if (!draw_han(&seed, 3, a, sizeof a, &pa, &at))
            continue;
        if (tries % 3 == 2) {
            if (!draw_han(&seed, 3, b, sizeof b, NULL, NULL))
                continue;
        } else if (!take_han(&ps[pa], at + lcg(&seed) % 40,
                             1 + lcg(&seed) % 3, b, sizeof b)) {
            continue;
        }
        check_near(a, b, ks[lcg(&seed) % (sizeof ks / sizeof ks[0])], &ta);
    }
    /* a term with itself: two occurrences needed */
    for (int n = 0; n < 6; n++)
        if (draw_han(&seed, 1 + n % 2, a, sizeof a, NULL, NULL))
            check_near(a, a, ks[n % (sizeof ks / sizeof ks[0])], &ta);
    /* Latin and digit terms, with each other and with Han */
    size_t nl = sizeof latin / sizeof latin[0];
    for (size_t i = 0; i < nl; i++) {
        if (i % 2 == 0)
            check_near(latin[i], latin[(i * 7 + 3) % nl], ks[i % 9], &ta);
        else if (draw_han(&seed, 2, a, sizeof a, NULL, NULL))
            check_near(latin[i], a, ks[(i + 4) % 9], &ta);
    }
    check_near("年", "2020", 0, &ta);
    check_near("经济", "增长", 3, &ta);
    print_message("near: %zu queries (%zu with hits), %zu passages (%zu "
                  "reports, %zu code points), %zu checks: %zu near, %zu "
                  "with both terms but not near\n", ta.queries,
                  ta.queries_hit, nps, nreps, n_cp_all, ta.pairs, ta.hits,
                  ta.looser);
    /* the test means something only if both answers came up often */
    assert_true(ta.queries_hit > 30);
    assert_true(ta.hits > 1000 && ta.looser > 1000);
}

/* ------------------------------------------------------------------ */
/* Sentences and reports against the reference. */

/* query.h's sentence ends, written out again for the reference */
static int end_ref(uint32_t c)
{
    static const uint32_t ends[] = {
        0x3002, 0xFF61, '!', '?', ';', 0xFF01, 0xFF1F, 0xFF1B, 0x2026,
        '\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029,
    };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (c == ends[i])
            return 1;
    return 0;
}

/* A sentence: bytes [b0,b1) of the text, starting at code point c0. */
struct seg {
    size_t b0, b1, c0, n_cp;
};

/* Split text at every sentence end (the ends in no sentence); *n gets
 * the count, the array is malloc'd. */
static struct seg *split_ref(const char *text, size_t len, size_t *n)
{
    struct seg *v = NULL;
    size_t nv = 0, cap = 0, b0 = 0, c0 = 0, cp = 0, cl;
    for (size_t i = 0; i <= len; i += cl, cp++) {
        cl = 1;
        int end = i == len || end_ref(test_cp_at(text + i, &cl));
        if (!end)
            continue;
        if (nv == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        v[nv++] = (struct seg){ b0, i, c0, cp - c0 };
        b0 = i + cl;
        c0 = cp + 1;
    }
    *n = nv;
    return v;
}

/* A query as the corpus tests build it: terms t[0,n); the last one
 * negated when neg; t[0] NEAR/k t[1] when k >= 0. */
struct qspec {
    char t[4][64];
    size_t n;
    int neg;
    long k;
};

static void spec_string(const struct qspec *qs, char *buf, size_t size)
{
    size_t w = 0;
    for (size_t i = 0; i < qs->n; i++)
        w += (size_t)snprintf(buf + w, size - w, "%s%s%s", i ? " " : "",
                              qs->neg && i == qs->n - 1 ? "-" : "",
                              qs->t[i]);
    if (qs->k >= 0) {
        /* NEAR goes between the first two */
        snprintf(buf, size, "%s NEAR/%ld %s", qs->t[0], qs->k, qs->t[1]);
        w = strlen(buf);
        for (size_t i = 2; i < qs->n; i++)
            w += (size_t)snprintf(buf + w, size - w, " %s%s",
                                  qs->neg && i == qs->n - 1 ? "-" : "",
                                  qs->t[i]);
    }
}

/* The reference's answer for the positive part of qs in text[0,len)
 * (NUL-terminated), and the spans the matcher should give there (base
 * added) in sp if not NULL.  The groups it finds go to *mask: bit i for
 * term i, the NEAR pair's two together when it holds. */
static int ref_holds(const struct qspec *qs, const char *text, size_t len,
                     size_t base, struct occ *sp, uint64_t *mask)
{
    size_t npos = qs->n - (qs->neg ? 1 : 0), i = 0;
    uint64_t m = 0;
    if (qs->k >= 0) {
        struct occ a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
        find_occ(text, len, qs->t[0], base, &a);
        find_occ(text, len, qs->t[1], base, &b);
        if (near_ref(&a, &b, (size_t)qs->k, sp))
            m |= 0x3;
        near_ref(&b, &a, (size_t)qs->k, sp);
        free(a.v);
        free(b.v);
        i = 2;
    }
    for (; i < npos; i++) {
        struct occ o = { NULL, 0, 0 };
        find_occ(text, len, qs->t[i], base, &o);
        if (o.n)
            m |= (uint64_t)1 << i;
        for (size_t j = 0; sp && j < o.n; j++)
            occ_add(sp, o.v[j][0], o.v[j][1]);
        free(o.v);
    }
    if (mask)
        *mask = m;
    return m == ((uint64_t)1 << npos) - 1;
}

static int ref_negated(const struct qspec *qs, const char *text, size_t len)
{
    if (!qs->neg)
        return 0;
    struct occ o = { NULL, 0, 0 };
    find_occ(text, len, qs->t[qs->n - 1], 0, &o);
    free(o.v);
    return o.n > 0;
}

static void check_sentence(const struct qspec *qs, struct tally *ta)
{
    char qstr[512];
    spec_string(qs, qstr, sizeof qstr);
    struct fz_query q;
    parse_ok(qstr, &q);
    size_t hits = 0;
    char *buf = NULL;
    size_t bufcap = 0;
    for (size_t i = 0; i < nps; i++) {
        const struct psg *p = &ps[i];
        int neg = ref_negated(qs, p->text, p->len);
        int in_passage = ref_holds(qs, p->text, p->len, 0, NULL, NULL);
        size_t nseg;
        struct seg *sg = split_ref(p->text, p->len, &nseg);
        struct occ want = { NULL, 0, 0 };
        int in_sentence = 0;
        for (size_t k = 0; k < nseg; k++) {
            size_t bl = sg[k].b1 - sg[k].b0;
            if (bl + 1 > bufcap) {
                bufcap = bl + 1;
                buf = realloc(buf, bufcap);
                assert_non_null(buf);
            }
            memcpy(buf, p->text + sg[k].b0, bl);
            buf[bl] = '\0';
            struct occ one = { NULL, 0, 0 };
            if (ref_holds(qs, buf, bl, sg[k].c0, &one, NULL)) {
                in_sentence = 1;
                for (size_t j = 0; j < one.n; j++)
                    occ_add(&want, one.v[j][0], one.v[j][1]);
            }
            free(one.v);
        }
        free(sg);
        int w = in_sentence && !neg;
        struct fz_spans sp = { NULL, 0, 0 };
        int got = fz_query_matches_within(&q, FZ_WITHIN_SENTENCE, p->text,
                                          p->len, NULL, 0, &sp);
        if (got != w)
            fail_msg("%s: sentence %d, want %d in passage %zu: %.400s", qstr,
                     got, w, i, p->text);
        check_spans(qstr, p->text, &want, &sp);
        /* the passage answer, and the sentence one without spans (which
         * stops early): on every 4th query, for time */
        int gp = ta->queries % 4 == 1
            ? fz_query_matches(&q, p->text, p->len, NULL, 0, NULL)
            : in_passage && !neg;
        if (gp != (in_passage && !neg))
            fail_msg("%s: passage %d, want %d in passage %zu: %.400s", qstr,
                     gp, in_passage && !neg, i, p->text);
        if (ta->queries % 4 == 0)
            assert_int_equal(fz_query_matches_within(&q, FZ_WITHIN_SENTENCE,
                                                     p->text, p->len, NULL, 0,
                                                     NULL), w);
        hits += (size_t)w;
        ta->looser += in_passage && !neg && !w;
        fz_spans_release(&sp);
        free(want.v);
    }
    free(buf);
    ta->queries++;
    ta->pairs += nps;
    ta->hits += hits;
    ta->queries_hit += hits > 0;
    fz_query_release(&q);
}

/* A passage's sentences as code-point ranges, for drawing terms. */
static int draw_in(uint32_t *seed, const struct psg *p, const struct seg *sg,
                   char *buf, size_t size)
{
    if (sg->n_cp == 0)
        return 0;
    size_t n = 1 + lcg(seed) % 3;
    return take_han(p, sg->c0 + lcg(seed) % sg->n_cp, n, buf, size);
}

/* A passage where the Latin term t stands as a word, from a random
 * place on; nps when none. */
static size_t passage_with(uint32_t *seed, const char *t)
{
    size_t from = lcg(seed) % nps;
    for (size_t d = 0; d < nps; d++) {
        size_t i = (from + d) % nps;
        struct occ o = { NULL, 0, 0 };
        find_occ(ps[i].text, ps[i].len, t, 0, &o);
        free(o.v);
        if (o.n)
            return i;
    }
    return nps;
}

/* Terms for a sentence query: kind 0 all from one sentence, 1 from two
 * sentences of one passage, 2 from anywhere, 3 a Latin or digit term and
 * Han from a passage where it stands.  1 when drawn. */
static int draw_sentence_spec(uint32_t *seed, int kind, struct qspec *qs)
{
    memset(qs, 0, sizeof *qs);
    qs->k = -1;
    qs->n = 2 + lcg(seed) % 2;
    size_t pi = lcg(seed) % nps;
    if (kind == 3) {
        const char *l = latin[lcg(seed) % (sizeof latin / sizeof latin[0])];
        if ((pi = passage_with(seed, l)) == nps)
            return 0;
        snprintf(qs->t[0], sizeof qs->t[0], "%s", l);
    }
    size_t nseg;
    struct seg *sg = split_ref(ps[pi].text, ps[pi].len, &nseg);
    size_t s0 = lcg(seed) % nseg;
    int ok = 1;
    for (size_t i = kind == 3; ok && i < qs->n; i++) {
        size_t si = s0;
        if (kind == 1 && i > 0)
            si = lcg(seed) % nseg;
        if (kind == 2)
            ok = draw_han(seed, 3, qs->t[i], sizeof qs->t[i], NULL, NULL);
        else
            ok = draw_in(seed, &ps[pi], &sg[si], qs->t[i], sizeof qs->t[i]);
    }
    free(sg);
    if (!ok)
        return 0;
    /* some with a NEAR pair, some with a term left out */
    uint32_t r = lcg(seed) % 10;
    if (r < 3)
        qs->k = (long)(lcg(seed) % 30);
    else if (r < 5 && qs->n == 3)
        qs->neg = 1;
    return 1;
}

static void test_sentence_corpus(void **state)
{
    (void)state;
    struct tally ta = { 0, 0, 0, 0, 0 };
    uint32_t seed = 23;
    struct qspec qs;
    size_t per_kind[4] = { 0 };
    static const size_t want_kind[4] = { 25, 15, 10, 12 };
    for (int tries = 0; tries < 20000; tries++) {
        int kind = tries % 4;
        if (per_kind[kind] >= want_kind[kind])
            continue;
        if (!draw_sentence_spec(&seed, kind, &qs))
            continue;
        check_sentence(&qs, &ta);
        per_kind[kind]++;
    }
    /* single characters, which occur everywhere */
    static const char *const chars[][2] = {
        { "的", "和" }, { "法", "治" }, { "国", "家" }, { "年", "2020" },
    };
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++) {
        memset(&qs, 0, sizeof qs);
        qs.n = 2;
        qs.k = -1;
        snprintf(qs.t[0], 64, "%s", chars[i][0]);
        snprintf(qs.t[1], 64, "%s", chars[i][1]);
        check_sentence(&qs, &ta);
    }
    print_message("sentence: %zu queries (%zu with hits; %zu/%zu/%zu/%zu "
                  "from one sentence/two/anywhere/with Latin), %zu checks: "
                  "%zu in a sentence, %zu only across sentences\n",
                  ta.queries, ta.queries_hit, per_kind[0], per_kind[1],
                  per_kind[2], per_kind[3], ta.pairs, ta.hits, ta.looser);
    assert_true(ta.queries_hit > 30);
    assert_true(ta.hits > 1000 && ta.looser > 1000);
}

static void check_report(const struct qspec *qs, struct tally *ta)
{
    char qstr[512];
    spec_string(qs, qstr, sizeof qstr);
    struct fz_query q;
    parse_ok(qstr, &q);
    uint64_t pos = fz_query_positive_mask(&q);
    size_t npos = qs->n - (qs->neg ? 1 : 0), hits = 0;
    assert_true(pos == ((uint64_t)1 << npos) - 1);
    for (size_t r = 0; r < nreps; r++) {
        uint64_t or_got = 0, or_want = 0;
        int neg_got = 0, near_somewhere = 0, in_one = 0;
        struct fz_buf all = FZ_BUF_INIT;
        for (size_t i = reps[r].first; i < reps[r].first + reps[r].n; i++) {
            const struct psg *p = &ps[i];
            uint64_t g, want;
            int neg;
            assert_int_equal(fz_query_groups(&q, p->text, p->len, NULL, 0,
                                             &g, &neg), 0);
            in_one |= ref_holds(qs, p->text, p->len, 0, NULL, &want);
            int wneg = ref_negated(qs, p->text, p->len);
            if (g != want || neg != wneg)
                fail_msg("%s: groups %#llx negated %d, want %#llx %d in "
                         "passage %zu: %.400s", qstr, (unsigned long long)g,
                         neg, (unsigned long long)want, wneg, i, p->text);
            or_got |= g;
            or_want |= want;
            neg_got |= neg;
            near_somewhere |= (want & 0x3) == 0x3;
            assert_int_equal(fz_buf_append(&all, p->text, p->len), FZ_OK);
            assert_int_equal(fz_buf_appendc(&all, '\n'), FZ_OK);
        }
        /* the whole report at once: every positive term somewhere in it
         * (a NEAR pair: in some passage, never across two), the negated
         * one nowhere */
        const char *t = fz_buf_cstr(&all);
        uint64_t whole;
        int want = 1;
        size_t i0 = 0;
        if (qs->k >= 0) {
            want = near_somewhere;
            i0 = 2;
        }
        ref_holds(qs, t, all.len, 0, NULL, &whole);
        for (size_t i = i0; i < npos; i++)
            want &= (whole >> i) & 1;
        want &= !ref_negated(qs, t, all.len);
        int got = or_got == pos && !neg_got;
        if (got != want)
            fail_msg("%s: report %zu %d, want %d (groups %#llx)", qstr, r, got,
                     want, (unsigned long long)or_got);
        assert_true(or_got == or_want);
        hits += (size_t)want;
        ta->looser += want && !in_one;
        fz_buf_release(&all);
    }
    ta->queries++;
    ta->pairs += nreps;
    ta->hits += hits;
    ta->queries_hit += hits > 0;
    fz_query_release(&q);
}

static void test_report_corpus(void **state)
{
    (void)state;
    struct tally ta = { 0, 0, 0, 0, 0 };
    uint32_t seed = 5;
    struct qspec qs;
    for (int tries = 0; ta.queries < 60 && tries < 20000; tries++) {
        memset(&qs, 0, sizeof qs);
        qs.k = -1;
        qs.n = 2 + lcg(&seed) % 2;
        /* terms from passages of one report, or from anywhere */
        const struct rep *r = &reps[lcg(&seed) % nreps];
        int same = tries % 3 != 2, ok = 1;
        for (size_t i = 0; ok && i < qs.n; i++) {
            if (same) {
                const struct psg *p = &ps[r->first + lcg(&seed) % r->n];
                size_t ncp = count_cp(p->text, p->len);
                ok = ncp && take_han(p, lcg(&seed) % ncp, 1 + lcg(&seed) % 4,
                                     qs.t[i], sizeof qs.t[i]);
            } else {
                ok = draw_han(&seed, 3, qs.t[i], sizeof qs.t[i], NULL, NULL);
            }
        }
        if (tries % 7 == 3) {
            /* a Latin or digit term */
            snprintf(qs.t[0], sizeof qs.t[0], "%s",
                     latin[lcg(&seed) % (sizeof latin / sizeof latin[0])]);
        }
        if (!ok)
            continue;
        uint32_t x = lcg(&seed) % 10;
        if (x < 2)
            qs.k = (long)(lcg(&seed) % 50);
        else if (x < 5 && qs.n == 3)
            qs.neg = 1;
        check_report(&qs, &ta);
    }
    print_message("report: %zu queries (%zu with hits), %zu reports each: "
                  "%zu matches, %zu of them with no passage holding every "
                  "term\n", ta.queries, ta.queries_hit, nreps, ta.hits,
                  ta.looser);
    assert_true(ta.hits > 150 && ta.looser > 50);
}

/* ------------------------------------------------------------------ */
/* Han runs without tokens: fz_query_matches() finds a query of Han runs
 * by their bytes (query.c, eval_runs); asked for spans it tokenizes.
 * Both must give, on every passage, what strstr() says. */

static void test_runs_corpus(void **state)
{
    (void)state;
    uint32_t seed = 11;
    size_t queries = 0, hits = 0;
    for (int tries = 0; queries < 80 && tries < 20000; tries++) {
        char t[3][64];
        size_t n = 1 + lcg(&seed) % 3;
        int ok = 1, neg = n > 1 && lcg(&seed) % 4 == 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = draw_han(&seed, 6, t[i], sizeof t[i], NULL, NULL);
        if (!ok)
            continue;
        char line[256];
        snprintf(line, sizeof line, "%s%s%s%s%s", t[0], n > 1 ? " " : "",
                 n > 1 ? (neg && n == 2 ? "-" : "") : "", n > 1 ? t[1] : "",
                 "");
        if (n == 3)
            snprintf(line + strlen(line), sizeof line - strlen(line),
                     " %s%s", neg ? "-" : "", t[2]);
        struct fz_query q;
        parse_ok(line, &q);
        queries++;
        for (size_t pi = 0; pi < nps; pi++) {
            const struct psg *p = &ps[pi];
            int want = 1;
            for (size_t i = 0; i < n; i++) {
                int has = strstr(p->text, t[i]) != NULL;
                int negated = neg && i == n - 1;
                want &= negated ? !has : has;
            }
            int fast = fz_query_matches(&q, p->text, p->len, NULL, 0, NULL);
            struct fz_spans sp = { NULL, 0, 0 };
            int slow = fz_query_matches(&q, p->text, p->len, NULL, 0, &sp);
            fz_spans_release(&sp);
            if (fast != want || slow != want)
                fail_msg("\"%s\" on passage %zu: by bytes %d, by tokens %d, "
                         "strstr %d", line, pi, fast, slow, want);
            hits += want;
        }
        fz_query_release(&q);
    }
    print_message("runs: %zu queries over %zu passages each, %zu matches\n",
                  queries, nps, hits);
    assert_true(queries == 80 && hits > 200);
}


/* ------------------------------------------------------------------ */
/* Punctuation as written: a term with a character that is neither white
 * space nor in a token (、 % 《 》 ...) occurs where the folded text holds
 * the term's folded bytes, not where its tokens alone stand (% meaning
 * nothing, 、 any one character).  Terms drawn from the passages: a run
 * of 2 to 8 characters with some punctuation, starting and ending with
 * a Han character or punctuation (a Latin or digit end would be a whole
 * word, token.h); the answer on every passage is strstr()'s, and every
 * span marked is the term's bytes. */

static int punct(uint32_t c)
{
    return !fz_is_han(c) && !digit(c) && !letter(c) && c != '.'
           && c != ' ' && c != '\t' && c != '\n' && c != 0x3000
           && c != '"' && c != 0x201C && c != 0x201D && c < 0x10000
           && c != 0xFFFD;
}

static int literal_end(uint32_t c)
{
    return fz_is_han(c) || (punct(c) && c != '-' && c != '(' && c != ')'
                            && c != 0xFF08 && c != 0xFF09);
}

static void test_literal_corpus(void **state)
{
    (void)state;
    uint32_t seed = 23;
    size_t queries = 0, hits = 0, missed_by_tokens = 0;
    for (int tries = 0; queries < 120 && tries < 200000; tries++) {
        const struct psg *p = &ps[lcg(&seed) % nps];
        size_t ncp = count_cp(p->text, p->len);
        if (ncp < 4)
            continue;
        size_t k = lcg(&seed) % ncp, n = 2 + lcg(&seed) % 7;
        /* the bytes of code points [k, k + n) */
        size_t i = 0, b0 = 0, b1 = 0, cp = 0;
        uint32_t first = 0, last = 0;
        int has_punct = 0, ok = 1;
        while (i < p->len && cp < k + n) {
            size_t at = i;
            uint32_t c = fz_utf8_next(p->text, p->len, &i, NULL);
            if (cp == k)
                b0 = at, first = c;
            if (cp >= k) {
                ok &= fz_is_han(c) || digit(c) || letter(c) || punct(c);
                has_punct |= punct(c);
                last = c;
                b1 = i;
            }
            cp++;
        }
        if (cp < k + n || !ok || !has_punct || !literal_end(first)
            || !literal_end(last))
            continue;
        char lit[128], line[160];
        if (b1 - b0 >= sizeof lit)
            continue;
        memcpy(lit, p->text + b0, b1 - b0);
        lit[b1 - b0] = '\0';
        snprintf(line, sizeof line, "\"%s\"", lit);
        struct fz_query q;
        char *err = NULL;
        const char *argv[1] = { line };
        if (fz_query_parse(norm, argv, 1, &q, &err) != FZ_OK) {
            free(err);              /* punctuation only: nothing to find */
            continue;
        }
        queries++;
        assert_true(q.needs_check);
        for (size_t pi = 0; pi < nps; pi++) {
            const struct psg *x = &ps[pi];
            int want = strstr(x->text, lit) != NULL;
            int fast = fz_query_matches(&q, x->text, x->len, NULL, 0, NULL);
            struct fz_spans sp = { NULL, 0, 0 };
            int slow = fz_query_matches(&q, x->text, x->len, NULL, 0, &sp);
            if (fast != want || slow != want)
                fail_msg("%s on passage %zu: %d, with spans %d, strstr %d",
                         line, pi, fast, slow, want);
            for (size_t s = 0; s < sp.n; s++) {
                /* the span's bytes are the term's */
                size_t j = 0, c = 0, s0 = 0, s1 = 0;
                while (j < x->len && c < sp.v[s][1]) {
                    if (c == sp.v[s][0])
                        s0 = j;
                    fz_utf8_next(x->text, x->len, &j, NULL);
                    c++;
                    s1 = j;
                }
                if (s1 - s0 != strlen(lit)
                    || memcmp(x->text + s0, lit, s1 - s0) != 0)
                    fail_msg("%s on passage %zu: span [%zu,%zu) is not it",
                             line, pi, sp.v[s][0], sp.v[s][1]);
            }
            assert_true(!want || sp.n > 0);
            fz_spans_release(&sp);
            hits += want;
        }
        /* the same words without the punctuation: a looser query */
        fz_query_release(&q);
    }
    (void)missed_by_tokens;
    print_message("literal: %zu queries over %zu passages each, %zu "
                  "matches\n", queries, nps, hits);
    assert_true(queries == 120 && hits >= 120);
}

/* Hand-worked: what the tokens alone would have let through. */
static void test_literal_cases(void **state)
{
    (void)state;
    static const struct { const char *q, *text; int want; } v[] = {
        { "\"依法行政、依法\"", "做到依法行政、依法办事", 1 },
        { "\"依法行政、依法\"", "提升依法行政和依法决策水平", 0 },
        { "\"依法行政、依法\"", "依法行政，依法决策", 0 },
        { "6%", "增长6%以上", 1 },
        { "6%", "连续6年增产", 0 },
        { "6%", "增长16%", 0 },             /* 6 is a whole number */
        { "\"6%以上\"", "为6%以上", 1 },
        { "\"6%以上\"", "为6年以上", 0 },
        { "６％", "增长6%以上", 1 },         /* folded alike */
        { "《行政复议法》", "修订《行政复议法》", 1 },
        { "《行政复议法》", "修订行政复议法", 0 },
        { "\"、破\"", "立、破并举", 1 },
        { "\"、破\"", "突破", 0 },
        { "covid-19", "防控covid-19疫情", 1 },
        { "covid-19", "covid 19", 0 },
        { "\"行政 复议\"", "行政 复议", 1 },    /* white space: tokens */
        { "\"行政 复议\"", "行政，复议", 1 },
        { "\"a、 b\"", "a、  b", 1 },          /* a run of white space */
        { "\"a、 b\"", "a、b", 0 },
        { "title:《条例》", "正文", 1 },
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct fz_query q;
        parse_ok(v[i].q, &q);
        struct fz_normed t = FZ_NORMED_INIT;
        assert_int_equal(fz_norm_run(norm, v[i].text, strlen(v[i].text), &t,
                                     NULL), FZ_OK);
        const char *title = "关于修订《条例》的说明";
        int got = fz_query_matches(&q, t.text.data, t.text.len, title,
                                   strlen(title), NULL);
        if (got != v[i].want)
            fail_msg("%s on %s: %d, want %d", v[i].q, v[i].text, got,
                     v[i].want);
        fz_normed_release(&t);
        fz_query_release(&q);
    }
}

static int setup(void **state)
{
    (void)state;
    if (fz_textctx_open(&tc, NULL, NULL) != FZ_OK)
        return -1;
    norm = tc.norm;
    /* every report of corpus/, as fzindex reads them */
    test_each_corpus_report(&tc, add_report);
    return nps > 1000 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < nps; i++)
        free(ps[i].text);
    free(ps);
    free(reps);
    fz_textctx_close(&tc);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passage),
        cmocka_unit_test(test_sentence),
        cmocka_unit_test(test_sentence_ends),
        cmocka_unit_test(test_report_groups),
        cmocka_unit_test(test_near_corpus),
        cmocka_unit_test(test_sentence_corpus),
        cmocka_unit_test(test_report_corpus),
        cmocka_unit_test(test_runs_corpus),
        cmocka_unit_test(test_literal_corpus),
        cmocka_unit_test(test_literal_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
