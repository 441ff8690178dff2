/* End to end: index corpus/ with fzindex, search it with fzsearch, and
 * compare with a substring search over the passages' folded text, which
 * this test computes itself from the same files.  Nothing here comes from
 * an earlier run. */
#include "tests/testutil.h"

#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim/fzx.h"
#include "text/fz.h"
#include "text/report.h"
#include "text/utf8.h"

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
} reports[200];
static size_t nreports;
static struct fz_textctx tc;

static void add_report(const struct fz_report *r)
{
    assert_true(nreports < 200);
    reports[nreports].year = r->meta.year;
    reports[nreports].level = r->meta.level;
    snprintf(reports[nreports].code, 16, "%s", r->meta.region.code);
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
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        if (out)
            fz_buf_append(out, buf, n);
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
    /* the same files, read by the library: the seeds and the JSON Lines */
    static const char *const seeds[] = {
        "000_b603a63773e2a13c", "001_5786f2a229778fa1",
        "002_3bd825ff36a50f76", "003_65475f305930a54e",
        "004_1125619140e8c921",
    };
    for (size_t i = 0; i < 5; i++) {
        char name[64];
        size_t len, slen = 0;
        snprintf(name, sizeof name, "%s.txt", seeds[i]);
        char *raw = test_slurp(CORPUS(name), &len);
        snprintf(name, sizeof name, "%s.json", seeds[i]);
        struct fz_record side;
        memset(&side, 0, sizeof side);
        if (access(CORPUS(name), F_OK) == 0) {
            char *s = test_slurp(CORPUS(name), &slen);
            assert_int_equal(fz_sidecar_parse(s, slen, &side, NULL), FZ_OK);
            free(s);
        }
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse(&tc, raw, len, &side.given, NULL,
                                         &r, NULL), FZ_OK);
        add_report(r);
        fz_report_free(r);
        fz_record_release(&side);
        free(raw);
    }
    size_t len;
    char *all = test_slurp(CORPUS("gov-work-reports-1954-2025.jsonl"), &len);
    char *save = NULL;
    for (char *l = strtok_r(all, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        struct fz_record rec;
        struct fz_report *r = NULL;
        assert_int_equal(fz_record_parse(l, strlen(l), &rec, NULL), FZ_OK);
        assert_int_equal(fz_report_parse(&tc, rec.text, rec.len, &rec.given,
                                         NULL, &r, NULL), FZ_OK);
        add_report(r);
        fz_report_free(r);
        fz_record_release(&rec);
    }
    free(all);
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

/* The independent answer: passages whose folded text contains the
 * folded query (for a Latin or digit query: as a whole word, the
 * tokenizer's promise), and the reports they belong to. */
static void expected(const char *query, int (*keep)(size_t report),
                     size_t *passages, size_t *nrep)
{
    char *q = fz_norm_str(tc.norm, query, strlen(query));
    size_t ql = strlen(q);
    int word = !fz_is_han(first_cp_of(q));
    unsigned char *seen = calloc(nreports, 1);
    *passages = *nrep = 0;
    for (size_t i = 0; i < nps; i++) {
        if (keep && !keep(ps[i].report))
            continue;
        int hit = 0;
        for (const char *p = ps[i].norm; (p = strstr(p, q)) != NULL; p++) {
            if (!word || (starts_word(ps[i].norm, p) && ends_word(p + ql))) {
                hit = 1;
                break;
            }
        }
        if (!hit)
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

/* A dozen terms on the seeds, thirty-odd on the State Council reports:
 * two-character, long, single-character, Latin and digit terms. */
static const char *const queries[] = {
    /* the seeds' vocabulary */
    "行政复议", "法治政府", "依法行政", "复议", "诉", "规范性文件",
    "重大行政决策", "行政执法", "公共法律服务", "法律顾问", "街道", "普法",
    "湾东智芯", "12345",
    /* the State Council reports' */
    "改革", "经济", "人民", "社会主义", "现代化", "国务院", "农业", "工业",
    "科技", "教育", "就业", "国内生产总值", "五年计划", "社会主义市场经济",
    "改革开放", "党中央", "毛泽东", "邓小平理论", "三个代表",
    "科学发展观", "中国特色社会主义", "一带一路", "供给侧结构性改革",
    "粮", "钢", "煤", "电", "铁路", "pm", "rcep", "ai", "2020", "5g", "2.5", "互联网",
    "台湾", "香港", "澳门", "依法治国", "精准扶贫", "乡村振兴",
    "全面建设小康社会", "人民代表大会", "一九五四年",
};

static void test_exact_counts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        size_t want_p, want_r;
        expected(queries[i], NULL, &want_p, &want_r);
        print_message("%-12s passages %zu reports %zu\n", queries[i],
                      want_p, want_r);
        assert_int_equal(count("", queries[i]), want_p);
        assert_int_equal(count("--by-report", queries[i]), want_r);
    }
}

/* Traditional and Simplified spellings are one query. */
static void test_traditional(void **state)
{
    (void)state;
    static const char *const twins[][2] = {
        { "行政復議", "行政复议" }, { "經濟", "经济" },
        { "改革開放", "改革开放" }, { "法治政府建設", "法治政府建设" },
        { "ＰＭ", "pm" }, { "RCEP", "rcep" },
    };
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
        size_t a = count("", twins[i][0]), b = count("", twins[i][1]);
        assert_int_equal(a, b);
        assert_true(a > 0);
    }
}

/* What cleaning removed cannot be found. */
static void test_not_searchable(void **state)
{
    (void)state;
    static const char *const gone[] = {
        "扫一扫在手机上打开当前页", "回到顶部", "分享文章到", "浏览次数",
        "fù", "xiàn", "知识图谱", "Public domain", "Baidu",
    };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_int_equal(count("", gone[i]), 0);
}

static int f_year; static enum fz_level f_level; static const char *f_code;
static int keep_year(size_t r) { return reports[r].year == f_year; }
static int keep_years(size_t r)
{
    return reports[r].year >= 2020 && reports[r].year <= 2023;
}
static int keep_level(size_t r) { return reports[r].level == f_level; }
static int keep_code(size_t r)
{
    return strncmp(reports[r].code, f_code, strlen(f_code)) == 0;
}

static void test_filters(void **state)
{
    (void)state;
    size_t p, r;
    f_year = 2023;
    expected("法治", keep_year, &p, &r);
    assert_int_equal(count("--year 2023", "法治"), p);
    expected("法治", keep_years, &p, &r);
    assert_int_equal(count("--year 2020..2023", "法治"), p);
    f_level = FZ_LEVEL_TOWNSHIP;
    expected("法治", keep_level, &p, &r);
    assert_true(r == 2);            /* 000 and 002 */
    assert_int_equal(count("--level township", "法治"), p);
    assert_int_equal(count("--level 街道", "法治"), p);
    f_level = FZ_LEVEL_NATIONAL;
    expected("法治", keep_level, &p, &r);
    assert_int_equal(count("--level national --by-report", "法治"), r);
    /* 广东 is in none of the seeds' text; their codes say 44 */
    f_code = "44";
    expected("法治", keep_code, &p, &r);
    assert_int_equal(r, 4);
    assert_int_equal(count("--region 广东", "法治"), p);
    assert_int_equal(count("--region 广东省 --by-report", "法治"), r);
    f_code = "4403";
    expected("法治", keep_code, &p, &r);
    assert_int_equal(count("--region 深圳", "法治"), p);
    assert_int_equal(count("--region 4403", "法治"), p);
    f_code = "500102";
    expected("法治", keep_code, &p, &r);
    assert_int_equal(count("--region 涪陵区", "法治"), p);
}

/* --json parses back; each highlight covers text that folds to the
 * query. */
static void test_json(void **state)
{
    (void)state;
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --json -n 50 "
             "行政復議", bin, db);
    assert_int_equal(run(cmd, &out), 0);
    cJSON *j = cJSON_Parse(fz_buf_cstr(&out));
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "schema")->valueint, 1);
    size_t want_p, want_r;
    expected("行政复议", NULL, &want_p, &want_r);
    assert_int_equal(cJSON_GetObjectItem(j, "total")->valueint, want_p);
    const cJSON *hits = cJSON_GetObjectItem(j, "hits"), *h;
    assert_int_equal(cJSON_GetArraySize(hits), want_p < 50 ? want_p : 50);
    int rank = 0, traditional = 0;
    cJSON_ArrayForEach(h, hits) {
        const cJSON *p = cJSON_GetObjectItem(h, "passage");
        const cJSON *r = cJSON_GetObjectItem(h, "report");
        assert_int_equal(cJSON_GetObjectItem(h, "rank")->valueint, ++rank);
        assert_non_null(cJSON_GetObjectItem(r, "title"));
        assert_true(cJSON_IsArray(cJSON_GetObjectItem(r, "region")));
        assert_true(cJSON_IsString(cJSON_GetObjectItem(p, "id")));
        const char *text = cJSON_GetObjectItem(p, "text")->valuestring;
        const cJSON *hl = cJSON_GetObjectItem(p, "highlights"), *span;
        assert_true(cJSON_GetArraySize(hl) > 0);
        cJSON_ArrayForEach(span, hl) {
            size_t a = (size_t)cJSON_GetArrayItem(span, 0)->valueint;
            size_t b = (size_t)cJSON_GetArrayItem(span, 1)->valueint;
            size_t len = strlen(text);
            size_t lo = fz_utf8_prefix(text, len, a);
            size_t hi = fz_utf8_prefix(text, len, b);
            char *piece = strndup(text + lo, hi - lo);
            char *n = fz_norm_str(tc.norm, piece, strlen(piece));
            assert_string_equal(n, "行政复议");
            traditional += strcmp(piece, "行政復議") == 0;
            free(n);
            free(piece);
        }
    }
    assert_true(traditional > 0);       /* Haizhu's own script */
    cJSON_Delete(j);
    fz_buf_release(&out);
}

static void test_exit_codes(void **state)
{
    (void)state;
    char cmd[8192];
    struct { const char *args; int want; } cases[] = {
        { "行政复议", 0 }, { "量子纠缠", 1 }, { "'\"行政'", 2 },
        { "。，！", 2 }, { "--frobnicate 法治", 2 }, { "--year abc 法治", 2 },
        { "--level galaxy 法治", 2 }, { "--region 不存在市 法治", 2 },
        { "-法治", 2 }, { "法治 -行政复议", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx %s >/dev/null "
                 "2>&1", bin, db, cases[i].args);
        print_message("%s\n", cases[i].args);
        assert_int_equal(run(cmd, NULL), cases[i].want);
    }
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/none 法治 2>&1", bin, db);
    struct fz_buf out = FZ_BUF_INIT;
    assert_int_equal(run(cmd, &out), 2);
    assert_non_null(strstr(fz_buf_cstr(&out), "fzindex"));
    fz_buf_release(&out);
}

/* NOT: 法治 -行政复议 is 法治 minus the passages that say 行政复议. */
static void test_not(void **state)
{
    (void)state;
    size_t a, b, ra, rb;
    expected("法治", NULL, &a, &ra);
    size_t both = 0;
    char *q1 = fz_norm_str(tc.norm, "法治", 6);
    for (size_t i = 0; i < nps; i++)
        both += strstr(ps[i].norm, q1) && strstr(ps[i].norm, "行政复议");
    free(q1);
    expected("行政复议", NULL, &b, &rb);
    assert_int_equal(count("", "法治 -行政复议"), a - both);
    assert_int_equal(count("", "法治 行政复议"), both);
}

static void test_reindex_and_lock(void **state)
{
    (void)state;
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    size_t before = count("", "法治");
    snprintf(cmd, sizeof cmd, "%s/fzindex --db %s/idx %s 2>&1", bin, db,
             CORPUS(""));
    assert_int_equal(run(cmd, &out), 0);
    assert_non_null(strstr(fz_buf_cstr(&out), "0 reports"));
    assert_non_null(strstr(fz_buf_cstr(&out), "6 unchanged"));
    assert_int_equal(count("", "法治"), before);
    fz_buf_reset(&out);
    /* a second writer */
    char path[512];
    snprintf(path, sizeof path, "%s/idx", db);
    int code = 0;
    fzx_writer *w = fzx_writer_open(path, &code, NULL);
    assert_non_null(w);
    assert_int_equal(run(cmd, &out), 2);
    assert_non_null(strstr(fz_buf_cstr(&out), "locked"));
    fzx_writer_close(w, NULL);
    fz_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_counts),
        cmocka_unit_test(test_traditional),
        cmocka_unit_test(test_not_searchable),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_reindex_and_lock),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
