/* text/query: the query language and the exact matcher.
 *
 * The small tables are worked by hand from the rules in query.h. */
#include "tests/testutil.h"

#include "text/fz.h"
#include "text/normalize.h"
#include "text/query.h"

static struct fz_norm *norm;

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

static void spans_str(struct fz_spans *sp, char *buf, size_t size)
{
    qsort(sp->v, sp->n, sizeof *sp->v, span_cmp);
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sp->n && w < size; i++)
        w += (size_t)snprintf(buf + w, size - w, "%s[%zu,%zu)", i ? " " : "",
                              sp->v[i][0], sp->v[i][1]);
}

/* ------------------------------------------------------------------ */
/* Passage matching, worked by hand. */

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
        cmocka_unit_test(test_passage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
