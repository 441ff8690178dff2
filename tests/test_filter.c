/* Filters and order, end to end: fzindex indexes corpus/, fzsearch is
 * run with --region, --level, --year (each given again means either),
 * --date and --sort, and the counts are compared with the passages this
 * test finds itself (a substring search over the same files read by the
 * library, with their metadata).  Nothing here comes from an earlier
 * run. */
#include "tests/searchfixture.h"

#include <cjson/cJSON.h>

/* ---- which reports a filter keeps ---------------------------------------- */

static const char *const *f_codes;      /* any of these code prefixes */
static const enum fz_level *f_levels;   /* any of these, FZ_LEVEL_UNKNOWN
                                           ends */
static const int *f_years;              /* any of these, 0 ends */
static const char *f_lo, *f_hi;         /* dates, inclusive */

static int keep_codes(size_t r)
{
    for (size_t k = 0; f_codes[k]; k++)
        if (strncmp(reports[r].code, f_codes[k], strlen(f_codes[k])) == 0
            && reports[r].code[0])
            return 1;
    return 0;
}

static int keep_levels(size_t r)
{
    for (size_t k = 0; f_levels[k] != FZ_LEVEL_UNKNOWN; k++)
        if (reports[r].level == f_levels[k])
            return 1;
    return 0;
}

static int keep_years(size_t r)
{
    for (size_t k = 0; f_years[k]; k++)
        if (reports[r].year == f_years[k])
            return 1;
    return 0;
}

static int keep_dates(size_t r)
{
    const char *d = reports[r].date;
    return d[0] && strcmp(d, f_lo) >= 0 && strcmp(d, f_hi) <= 0;
}

static int keep_undated(size_t r)
{
    return reports[r].date[0] == '\0';
}

static int keep_codes_and_levels(size_t r)
{
    return keep_codes(r) && keep_levels(r);
}

/* fzsearch's stderr (stdout dropped) and exit status. */
static int run_err(const char *opts, const char *query, struct fz_buf *err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx %s -- '%s' 2>&1 "
             ">/dev/null", bin, db, opts, query);
    return run(cmd, err);
}

/* fzsearch --json -n 0 with extra options, parsed. */
static cJSON *search_json(const char *opts, const char *query)
{
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --json -n 0 %s -- "
             "'%s' 2>/dev/null", bin, db, opts, query);
    run(cmd, &out);
    cJSON *j = cJSON_Parse(fz_buf_cstr(&out));
    fz_buf_release(&out);
    assert_non_null(j);
    return j;
}

static const char *report_str(const cJSON *hit, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(hit, "report"),
                                         key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int report_year(const cJSON *hit)
{
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(hit, "report"),
                                         "year");
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* ---- the tests ------------------------------------------------------------ */

/* A filter given twice keeps a report having either value (the union of
 * the two results); different filters both apply. */
static void test_repeated_filters(void **state)
{
    (void)state;
    size_t p, r, p1, r1, p2, r2;
    static const char *const gd_cq[] = { "44", "50", NULL };
    static const char *const gd[] = { "44", NULL }, *const cq[] = { "50",
                                                                    NULL };
    f_codes = gd;
    expected("法治", keep_codes, &p1, &r1);
    f_codes = cq;
    expected("法治", keep_codes, &p2, &r2);
    f_codes = gd_cq;
    expected("法治", keep_codes, &p, &r);
    assert_true(p1 > 0 && p2 > 0 && p == p1 + p2);
    assert_int_equal(count("--region 广东 --region 重庆", "法治"), p);
    assert_int_equal(count("--region 重庆 --region 广东 --by-report", "法治"),
                     r);

    static const enum fz_level tn[] = { FZ_LEVEL_TOWNSHIP, FZ_LEVEL_NATIONAL,
                                        FZ_LEVEL_UNKNOWN };
    f_levels = tn;
    expected("法治", keep_levels, &p, &r);
    assert_true(r > 2);
    assert_int_equal(count("--level township --level national", "法治"), p);
    assert_int_equal(count("--level 街道 --level 全国 --by-report", "法治"),
                     r);

    static const int years[] = { 1978, 2020, 2023, 0 };
    f_years = years;
    expected("法治", keep_years, &p, &r);
    assert_true(r >= 3);
    assert_int_equal(count("--year 1978 --year 2020 --year 2023", "法治"), p);
    assert_int_equal(count("--year 2023 --year 1978..1978 --year 2020-2020 "
                           "--by-report", "法治"), r);

    /* OR within a filter, AND between them */
    static const char *const sz_cq[] = { "4403", "50", NULL };
    static const enum fz_level twp[] = { FZ_LEVEL_TOWNSHIP,
                                         FZ_LEVEL_UNKNOWN };
    f_codes = sz_cq;
    f_levels = twp;
    expected("法治", keep_codes_and_levels, &p, &r);
    assert_true(r == 2);            /* 龙城街道 and 荔枝街道 */
    assert_int_equal(count("--region 深圳 --region 重庆 --level township",
                           "法治"), p);
}

/* --region 全国 is the national reports, as --compare labels them. */
static void test_region_national(void **state)
{
    (void)state;
    size_t p, r;
    static const enum fz_level nat[] = { FZ_LEVEL_NATIONAL,
                                         FZ_LEVEL_UNKNOWN };
    f_levels = nat;
    expected("改革", keep_levels, &p, &r);
    assert_true(r > 50);
    assert_int_equal(count("--region 全国", "改革"), p);
    static const char *const gd[] = { "44", NULL };
    f_codes = gd;
    size_t pg, rg;
    expected("改革", keep_codes, &pg, &rg);
    assert_int_equal(count("--region 全国 --region 广东 --by-report", "改革"),
                     r + rg);
}

/* A name is never taken silently: what it resolved to is said on stderr
 * and in JSON; a name several divisions have is taken as the one with
 * reports here, or is an error listing them. */
static void test_region_resolution(void **state)
{
    (void)state;
    struct fz_buf err = FZ_BUF_INIT;
    size_t p, r;
    /* five 龙城街道 and 辽宁's 龙城区; corpus/ has 深圳's */
    static const char *const lc[] = { "440307015", NULL };
    f_codes = lc;
    expected("法治", keep_codes, &p, &r);
    assert_int_equal(r, 1);
    assert_int_equal(count("--region 龙城", "法治"), p);
    assert_int_equal(run_err("--region 龙城", "法治", &err), 0);
    assert_non_null(strstr(fz_buf_cstr(&err), "--region 龙城: 广东省 › 深圳市 "
                                              "› 龙岗区 › 龙城街道 "
                                              "(440307015)"));
    fz_buf_reset(&err);
    /* 朝阳: a city, two districts, a county, many towns; none here */
    assert_int_equal(run_err("--region 朝阳", "法治", &err), 2);
    const char *e = fz_buf_cstr(&err);
    assert_non_null(strstr(e, "--region '朝阳' is ambiguous"));
    assert_non_null(strstr(e, "北京市 › 朝阳区 (110105)"));
    assert_non_null(strstr(e, "吉林省 › 长春市 › 朝阳区 (220104)"));
    assert_non_null(strstr(e, "辽宁省 › 朝阳市 (2113)"));
    assert_null(strchr(strchr(e, '\n') + 1, '\n'));     /* one line */
    fz_buf_reset(&err);
    /* a township so named does not make a city ambiguous while it has
     * no reports here: 长春 has a 重庆街道, 广州 a 北京街道 */
    assert_int_equal(run_err("--region 北京", "法治", &err), 1);
    assert_non_null(strstr(fz_buf_cstr(&err), "--region 北京: 北京市 (11); "
                                              "1 township so named"));
    fz_buf_reset(&err);
    static const char *const cq[] = { "50", NULL };
    f_codes = cq;
    expected("法治", keep_codes, &p, &r);
    assert_true(p > 0);
    assert_int_equal(count("--region 重庆", "法治"), p);
    assert_int_equal(run_err("--region 北京朝阳", "法治", &err), 1);
    assert_non_null(strstr(fz_buf_cstr(&err), "北京市 › 朝阳区 (110105)"));
    fz_buf_reset(&err);
    assert_int_equal(run_err("--region 不存在市", "法治", &err), 2);
    assert_non_null(strstr(fz_buf_cstr(&err), "no division named 不存在市"));
    fz_buf_release(&err);

    cJSON *j = search_json("--region 龙岗 --region 全国", "法治");
    const cJSON *rs = cJSON_GetObjectItem(j, "regions");
    assert_int_equal(cJSON_GetArraySize(rs), 2);
    const cJSON *r0 = cJSON_GetArrayItem(rs, 0), *r1 = cJSON_GetArrayItem(rs,
                                                                          1);
    assert_string_equal(cJSON_GetObjectItem(r0, "given")->valuestring,
                        "龙岗");
    assert_string_equal(cJSON_GetObjectItem(r0, "code")->valuestring,
                        "440307");
    assert_string_equal(cJSON_GetObjectItem(r1, "code")->valuestring, "");
    assert_string_equal(cJSON_GetObjectItem(r1, "name")->valuestring,
                        "全国");
    cJSON_Delete(j);
}

/* --date keeps the reports published in the range, and says how many
 * matching ones it left out for having no date. */
static void test_dates(void **state)
{
    (void)state;
    static const struct { const char *opt, *lo, *hi; } ds[] = {
        { "--date 2023", "2023-01-01", "2023-12-31" },
        { "--date 2023-12", "2023-12-01", "2023-12-31" },
        { "--date 2020-12-22..2023-03-13", "2020-12-22", "2023-03-13" },
        { "--date 2023-06..", "2023-06-01", "9999-12-31" },
        { "--date ..2022-12-31", "0000-01-01", "2022-12-31" },
    };
    size_t undated_p, undated_r, p, r;
    expected("法治", keep_undated, &undated_p, &undated_r);
    assert_true(undated_r > 0);     /* the State Council reports */
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        f_lo = ds[i].lo;
        f_hi = ds[i].hi;
        expected("法治", keep_dates, &p, &r);
        print_message("%s: %zu passages in %zu reports\n", ds[i].opt, p, r);
        assert_int_equal(count(ds[i].opt, "法治"), p);
        char opts[128];
        snprintf(opts, sizeof opts, "%s --by-report", ds[i].opt);
        assert_int_equal(count(opts, "法治"), r);
        struct fz_buf err = FZ_BUF_INIT;
        char want[128];
        run_err(opts, "法治", &err);
        snprintf(want, sizeof want, "--date left out %zu matching reports "
                 "with no known date", undated_r);
        assert_non_null(strstr(fz_buf_cstr(&err), want));
        fz_buf_release(&err);
    }
    assert_true(p > 0);
}

/* --sort date and year put the same hits in time order, those with no
 * date (year) last; -desc newest first. */
static void test_sort(void **state)
{
    (void)state;
    cJSON *by_score = search_json("--by-report", "人民");
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(by_score, "hits"));
    assert_true(n > 60);
    static const char *const sorts[] = { "--sort date", "--sort date-desc",
                                         "--sort year", "--sort year-desc" };
    for (size_t s = 0; s < 4; s++) {
        char opts[64];
        snprintf(opts, sizeof opts, "--by-report %s", sorts[s]);
        cJSON *j = search_json(opts, "人民");
        const cJSON *hits = cJSON_GetObjectItem(j, "hits");
        assert_int_equal(cJSON_GetArraySize(hits), n);
        int desc = strstr(sorts[s], "desc") != NULL;
        int by_year = strstr(sorts[s], "year") != NULL;
        for (int k = 1; k < n; k++) {
            const cJSON *a = cJSON_GetArrayItem(hits, k - 1),
                        *b = cJSON_GetArrayItem(hits, k);
            if (by_year) {
                int ya = report_year(a), yb = report_year(b);
                assert_true(yb == 0 || (ya != 0 && (desc ? ya >= yb
                                                         : ya <= yb)));
            } else {
                const char *da = report_str(a, "date"), *db_ = report_str(b,
                                                                     "date");
                int c = strcmp(da, db_);
                assert_true(!*db_ || (*da && (desc ? c >= 0 : c <= 0)));
            }
        }
        /* the same reports */
        for (int k = 0; k < n; k++) {
            const char *id = cJSON_GetObjectItem(cJSON_GetObjectItem(
                cJSON_GetArrayItem(hits, k), "report"), "id")->valuestring;
            int found = 0;
            for (int i = 0; i < n && !found; i++)
                found = strcmp(id, cJSON_GetObjectItem(cJSON_GetObjectItem(
                    cJSON_GetArrayItem(cJSON_GetObjectItem(by_score, "hits"),
                                       i), "report"), "id")->valuestring)
                        == 0;
            assert_true(found);
        }
        cJSON_Delete(j);
    }
    cJSON_Delete(by_score);
}

/* Mistyped values are errors naming the valid ones. */
static void test_bad_values(void **state)
{
    (void)state;
    static const struct { const char *opts, *said; } bad[] = {
        { "--level galaxy", "--level 'galaxy': national, province" },
        { "--date 2023-13", "--date '2023-13': give" },
        { "--date 2024..2023", "--date '2024..2023': give" },
        { "--sort newest", "--sort 'newest': relevance, date" },
        { "--sort date --compare", "--sort and --compare cannot" },
        { "--region 朝阳区", "is ambiguous: 2 divisions" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fz_buf err = FZ_BUF_INIT;
        assert_int_equal(run_err(bad[i].opts, "法治", &err), 2);
        if (strstr(fz_buf_cstr(&err), bad[i].said) == NULL)
            fail_msg("%s: said \"%s\"", bad[i].opts, fz_buf_cstr(&err));
        fz_buf_release(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_filters),
        cmocka_unit_test(test_region_national),
        cmocka_unit_test(test_region_resolution),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
