/* End to end: index corpus/ with fzindex, search it with fzsearch, and
 * compare with a substring search over the passages' folded text, which
 * this test computes itself from the same files.  Nothing here comes from
 * an earlier run. */
#include "tests/searchfixture.h"
#include "store/codec.h"
#include "store/schema.h"

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
    /* punctuation and symbols, matched as written (query.h) */
    "、依法", "，依法", "%以上", "6%", "1.5%", "改革、", "年、", "——改革",
    "《中华人民共和国",
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
    assert_int_equal(cJSON_GetObjectItem(j, "schema")->valueint, 2);
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

/* Lists are whole or say they are not: -n 0 shows every hit, --cite
 * cites every matching report (one entry each), and when more match than
 * are shown stderr says how many.  The expected numbers are substring
 * searches over the passages (expected()). */
static void test_complete_lists(void **state)
{
    (void)state;
    static const char *const qs[] = { "行政复议", "法治政府", "民法典" };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        size_t want_p, want_r;
        expected(qs[i], NULL, &want_p, &want_r);
        char cmd[1024];
        struct fz_buf out = FZ_BUF_INIT;
        /* -n 0: every passage, numbered 1. 2. ... */
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx -n 0 %s "
                 "2>/dev/null | grep -c '^[0-9]*\\. '", bin, db, qs[i]);
        run(cmd, &out);
        assert_int_equal(strtoul(fz_buf_cstr(&out), NULL, 10), want_p);
        fz_buf_reset(&out);
        /* --cite: one [k] entry for each matching report, no repeats */
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --cite %s "
                 "2>/dev/null | grep '^\\[' | sed 's/^\\[[0-9]*\\] //' "
                 "| sort -u | wc -l", bin, db, qs[i]);
        run(cmd, &out);
        assert_int_equal(strtoul(fz_buf_cstr(&out), NULL, 10), want_r);
        fz_buf_reset(&out);
        /* the default page says what it left out */
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx %s 2>&1 "
                 ">/dev/null", bin, db, qs[i]);
        run(cmd, &out);
        char want[128];
        if (want_p > 10)
            snprintf(want, sizeof want, "fzsearch: 10 of %zu passages "
                     "shown; -n 0 shows all\n", want_p);
        else
            want[0] = '\0';
        print_message("%s: %zu passages, %zu reports; stderr: %s", qs[i],
                      want_p, want_r, fz_buf_cstr(&out));
        assert_string_equal(fz_buf_cstr(&out), want);
        fz_buf_reset(&out);
        /* --cite -n 3 cites three and says how many it left out */
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --cite -n 3 %s "
                 "2>&1 >/dev/null", bin, db, qs[i]);
        run(cmd, &out);
        if (want_r > 3)
            snprintf(want, sizeof want, "fzsearch: 3 of %zu reports cited; "
                     "-n 0 cites all\n", want_r);
        else
            want[0] = '\0';
        assert_string_equal(fz_buf_cstr(&out), want);
        fz_buf_release(&out);
    }
}

static int from_2020(size_t r) { return reports[r].year >= 2020; }
static int to_2010(size_t r) { return reports[r].year && reports[r].year <= 2010; }
static int y2020_2023(size_t r)
{
    return reports[r].year >= 2020 && reports[r].year <= 2023;
}

/* Options are checked and mean what they say: open and dashed year
 * ranges filter as the reports' years say; the Chinese names of --within
 * are its English ones; a citation style is read in any case and by its
 * common names, and a mistyped one is an error, not a query word. */
static void test_options_checked(void **state)
{
    (void)state;
    static const struct { const char *opt; int (*keep)(size_t); } ys[] = {
        { "--year 2020..", from_2020 }, { "--year ..2010", to_2010 },
        { "--year 2020-2023", y2020_2023 },
    };
    for (size_t i = 0; i < sizeof ys / sizeof ys[0]; i++) {
        size_t want_p, want_r;
        expected("法治", ys[i].keep, &want_p, &want_r);
        print_message("%s: %zu passages\n", ys[i].opt, want_p);
        assert_true(want_p > 0);
        assert_int_equal(count(ys[i].opt, "法治"), want_p);
    }
    assert_int_equal(count("--within 同句", "行政复议 应诉"),
                     count("--within sentence", "行政复议 应诉"));
    assert_int_equal(count("--within 同篇 --by-report", "行政复议 民法典"),
                     count("--within report --by-report", "行政复议 民法典"));
    assert_int_equal(count("--within 同段", "行政复议 应诉"),
                     count("", "行政复议 应诉"));
    char cmd[1024];
    struct fz_buf a = FZ_BUF_INIT, b = FZ_BUF_INIT;
    static const char *const same[][2] = {
        { "GBT7714", "gbt7714" }, { "bib", "bibtex" }, { "zotero", "csl-json" },
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --cite %s "
                 "--accessed 2026-01-01 行政复议", bin, db, same[i][0]);
        assert_int_equal(run(cmd, &a), 0);
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --cite %s "
                 "--accessed 2026-01-01 行政复议", bin, db, same[i][1]);
        assert_int_equal(run(cmd, &b), 0);
        assert_true(a.len > 0);
        assert_string_equal(fz_buf_cstr(&a), fz_buf_cstr(&b));
        fz_buf_reset(&a);
        fz_buf_reset(&b);
    }
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --cite GBT7741 "
             "行政复议 2>&1", bin, db);
    assert_int_equal(run(cmd, &a), 2);
    assert_non_null(strstr(fz_buf_cstr(&a), "--cite 'GBT7741': gbt7714"));
    fz_buf_release(&a);
    fz_buf_release(&b);
}


/* Every shard keeps the records' dictionary and its id, which fzsearch
 * reads first so that shards sharing a dictionary are read for it once.
 * An index from before the id (taken away here) answers the same, and
 * the next run of fzindex gives it the id. */
static size_t dict_parts(char paths[][4200], size_t max)
{
    struct fzx_shard *v = NULL;
    size_t n = 0, got = 0;
    char *err = NULL, stub[4200];
    snprintf(stub, sizeof stub, "%s/idx", db);
    if (fzx_stub_read(stub, &v, &n, &err) != FZ_OK) {
        free(err);
        snprintf(paths[0], 4200, "%s", stub);
        return 1;
    }
    for (size_t k = 0; k < n && got < max; k++)
        if (v[k].kind == FZX_SHARD_LOCAL)
            snprintf(paths[got++], 4200, "%s", v[k].path);
    fzx_shards_free(v, n);
    return got;
}

static void check_dict_ids(char paths[][4200], size_t n, int drop)
{
    for (size_t k = 0; k < n; k++) {
        int code = 0;
        char *err = NULL;
        fzx_writer *w = fzx_writer_open(paths[k], &code, &err);
        if (w == NULL)
            fail_msg("%s: %s", paths[k], err);
        size_t dl = 0, il = 0;
        char *d = fzx_writer_get_metadata(w, FZ_ZDICT_KEY, &dl, &err);
        char *id = fzx_writer_get_metadata(w, FZ_ZDICT_ID_KEY, &il, &err);
        assert_non_null(d);
        assert_non_null(id);
        char want[16];
        snprintf(want, sizeof want, "%u", fz_codec_dict_id(d, dl));
        assert_string_equal(id, want);
        if (drop) {
            assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
            assert_int_equal(fzx_writer_set_metadata(w, FZ_ZDICT_ID_KEY, "",
                                                     0, &err), FZ_OK);
            assert_int_equal(fzx_writer_commit(w, &err), FZ_OK);
        }
        free(d);
        free(id);
        assert_int_equal(fzx_writer_close(w, &err), FZ_OK);
    }
}

static void test_dict_id(void **state)
{
    (void)state;
    static char paths[64][4200];
    size_t n = dict_parts(paths, 64);
    assert_true(n >= 1);
    static const char *const qs[] = { "行政复议", "6%", "国务院总理", "ai" };
    size_t before[4];
    for (size_t i = 0; i < 4; i++)
        before[i] = count("", qs[i]);
    check_dict_ids(paths, n, 1);
    for (size_t i = 0; i < 4; i++) {
        size_t want_p, want_r;
        expected(qs[i], NULL, &want_p, &want_r);
        assert_int_equal(count("", qs[i]), want_p);
        assert_int_equal(before[i], want_p);
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --db %s/idx %s", bin, db,
             CORPUS(""));
    assert_int_equal(run(cmd, NULL), 0);
    check_dict_ids(paths, n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_counts),
        cmocka_unit_test(test_complete_lists),
        cmocka_unit_test(test_options_checked),
        cmocka_unit_test(test_traditional),
        cmocka_unit_test(test_not_searchable),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_reindex_and_lock),
        cmocka_unit_test(test_dict_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
