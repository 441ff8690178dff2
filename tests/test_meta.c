/* Report metadata: the five seeds field by field, extracted from the raw
 * files with no sidecar; the 72 State Council reports with their JSON
 * Lines values; given values overriding what the text says. */
#include "tests/testutil.h"

#include "base/fz.h"
#include "reader/report.h"

static struct fz_textctx tc;

static int setup(void **state)
{
    (void)state;
    return fz_textctx_open(&tc, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    fz_textctx_close(&tc);
    return 0;
}

static struct fz_report *parse_file(const char *path,
                                    const struct fz_meta_given *given)
{
    size_t len;
    char *bytes = test_slurp(path, &len);
    struct fz_report *r = NULL;
    char *err = NULL;
    int rc = fz_report_parse(&tc, bytes, len, given, "fallback", &r, &err);
    if (rc != FZ_OK)
        fail_msg("%s: %s", path, err ? err : "?");
    free(bytes);
    return r;
}

static void assert_str_or_null(const char *got, const char *want)
{
    if (want == NULL)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

/* Expected values: the table (region, code, level, year, date);
 * titles, issuers and sources read off the files by hand. */
static const struct {
    const char *file, *title, *issuer, *source, *code, *chain;
    enum fz_level level;
    int year;
    const char *date;
} seeds[] = {
    { "000_b603a63773e2a13c.txt", "龙城街道2023年法治政府建设年度报告",
      "深圳市龙岗区龙城街道办事处", "龙岗区龙城街道办事处", "440307015",
      "广东省/深圳市/龙岗区/龙城街道", FZ_LEVEL_TOWNSHIP, 2023,
      "2023-12-06" },
    { "001_5786f2a229778fa1.txt",
      "深圳市光明区人民政府关于2020年度法治政府建设工作的报告",
      "深圳市光明区人民政府", "光明区司法局", "440311",
      "广东省/深圳市/光明区", FZ_LEVEL_COUNTY, 2020, "2020-12-22" },
    { "002_3bd825ff36a50f76.txt",
      "重庆市涪陵区荔枝街道办事处2022年法治政府建设工作年度报告",
      "重庆市涪陵区荔枝街道办事处", NULL, "500102008",
      "重庆市/涪陵区/荔枝街道", FZ_LEVEL_TOWNSHIP, 2022, "2023-03-13" },
    { "003_65475f305930a54e.txt",
      "深圳市罗湖区人民政府2023年法治政府建设年度报告",
      "深圳市罗湖区人民政府", "罗湖区委(政府)办", "440303",
      "广东省/深圳市/罗湖区", FZ_LEVEL_COUNTY, 2023, "2023-12-21" },
    { "004_1125619140e8c921.txt",
      "廣州市海珠區人民政府關于2023年度法治政府建設情況的報告",
      "广州市海珠区人民政府", NULL, "440105",
      "广东省/广州市/海珠区", FZ_LEVEL_COUNTY, 2023, "" },
};

static void chain_str(const struct fz_region *rg, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t k = 0; k < rg->depth; k++) {
        if (k)
            strncat(out, "/", cap - strlen(out) - 1);
        strncat(out, rg->chain[k], cap - strlen(out) - 1);
    }
}

static void test_seeds(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        struct fz_report *r = parse_file(CORPUS(seeds[i].file), NULL);
        const struct fz_meta *m = &r->meta;
        char chain[256];
        print_message("seed %s\n", seeds[i].file);
        assert_str_or_null(m->title, seeds[i].title);
        assert_str_or_null(m->issuer, seeds[i].issuer);
        assert_str_or_null(m->source, seeds[i].source);
        assert_string_equal(m->region.code, seeds[i].code);
        chain_str(&m->region, chain, sizeof chain);
        assert_string_equal(chain, seeds[i].chain);
        assert_int_equal(m->level, seeds[i].level);
        assert_int_equal(m->year, seeds[i].year);
        assert_string_equal(m->date, seeds[i].date);
        assert_null(m->url);
        assert_true(r->passages.n >= 10);
        fz_report_free(r);
    }
}

/* Values given by the input win; a region given by name still gets its
 * chain and code (from the official table: 440305 is 南山区 of 深圳市). */
static void test_given_overrides(void **state)
{
    (void)state;
    struct fz_meta_given g = {
        .title = "给定标题", .region = "深圳市南山区", .level = "街道",
        .year = 2019, .date = "2020/1/2", .url = "http://example.org/r",
        .issuer = "深圳市南山區人民政府", .source = "南山区司法局",
    };
    struct fz_report *r = parse_file(CORPUS(seeds[0].file), &g);
    const struct fz_meta *m = &r->meta;
    assert_string_equal(m->title, "给定标题");
    assert_string_equal(m->region.code, "440305");
    assert_int_equal(m->region.depth, 3);
    assert_string_equal(m->region.chain[2], "南山区");
    assert_int_equal(m->level, FZ_LEVEL_TOWNSHIP);
    assert_int_equal(m->year, 2019);
    assert_string_equal(m->date, "2020-01-02");
    assert_string_equal(m->url, "http://example.org/r");
    assert_string_equal(m->issuer, "深圳市南山区人民政府");  /* Simplified */
    assert_string_equal(m->source, "南山区司法局");
    assert_null(r->warning);
    fz_report_free(r);

    /* an unusable value is named in the warning; the rest still holds */
    struct fz_meta_given bad = { .level = "galaxy", .region = "不存在市" };
    r = parse_file(CORPUS(seeds[1].file), &bad);
    assert_non_null(r->warning);
    assert_non_null(strstr(r->warning, "galaxy"));
    assert_string_equal(r->meta.title, seeds[1].title);
    assert_int_equal(r->meta.year, 2020);
    fz_report_free(r);
}

/* A record's given values are UTF-8 even when its file is not: a .jsonl
 * saved in GBK gave a title of GBK bytes, which failed as "out of
 * memory" (found by tests/fuzz/fuzz_jsonl_record.c).  GBK bytes from
 * Python's codecs: "年度报告".encode("gbk"), "深圳市".encode("gbk"). */
static void test_record_not_utf8(void **state)
{
    (void)state;
    static const char line[] =
        "{\"text\":\"\xC9\xEE\xDB\xDA\xCA\xD0\xC4\xEA\xB6\xC8\xB1\xA8"
        "\xB8\xE6\",\"title\":\"\xC4\xEA\xB6\xC8\xB1\xA8\xB8\xE6\","
        "\"region\":\"\xC9\xEE\xDB\xDA\xCA\xD0\",\"url\":\"http://x/\xFF\"}";
    struct fz_record rec;
    char *err = NULL;
    assert_int_equal(fz_record_parse(line, strlen(line), &rec, &err), FZ_OK);
    assert_string_equal(rec.given.title, "年度报告");
    assert_string_equal(rec.given.region, "深圳市");
    assert_string_equal(rec.given.url, "http://x/\xEF\xBF\xBD");  /* U+FFFD */
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, rec.text, rec.len, &rec.given,
                                     NULL, &r, &err), FZ_OK);
    assert_string_equal(r->meta.title, "年度报告");
    assert_string_equal(r->meta.region.code, "4403");
    assert_string_equal(r->passages.v[0].text, "深圳市年度报告");
    assert_null(err);
    fz_report_free(r);
    fz_record_release(&rec);

    /* control bytes and broken UTF-8: not a value to keep */
    static const char bin[] =
        "{\"text\":\"x\",\"title\":\"\\u0001\\u0002\\u0003\\u0004\\u0005\xFF\"}";
    assert_int_equal(fz_record_parse(bin, strlen(bin), &rec, &err),
                     FZ_EINVAL);
    assert_string_equal(err, "\"title\" is not text");
    assert_null(rec.text);
    free(err);
}

/* The 72 State Council reports and NPC resolutions: title, URL and year
 * as the record gives them, level national, and the date where the text
 * states it (tests/data/gov-work-reports.dates.tsv, made by an
 * independent regex and checked by reading). */
static void test_state_council(void **state)
{
    (void)state;
    size_t len, dlen;
    char *all = test_slurp(CORPUS("gov-work-reports-1954-2025.jsonl"),
                           &len);
    char *dates = test_slurp(TESTDATA("gov-work-reports.dates.tsv"), &dlen);
    char *save = NULL, *line = strtok_r(all, "\n", &save);
    char *dsave = NULL, *dline = strtok_r(dates, "\n", &dsave);
    size_t n = 0, with_date = 0;
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        while (dline && dline[0] == '#')
            dline = strtok_r(NULL, "\n", &dsave);
        assert_non_null(dline);
        n++;
        assert_int_equal(atoi(dline), n);
        const char *want_date = strchr(dline, '\t') + 1;
        struct fz_record rec;
        char *err = NULL;
        assert_int_equal(fz_record_parse(line, strlen(line), &rec, &err),
                         FZ_OK);
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse(&tc, rec.text, rec.len, &rec.given,
                                         NULL, &r, &err), FZ_OK);
        print_message("record %zu: %s\n", n, rec.given.title);
        assert_string_equal(r->meta.title, rec.given.title);
        assert_string_equal(r->meta.url, rec.given.url);
        assert_int_equal(r->meta.year, rec.given.year ? rec.given.year
                                                      : r->meta.year);
        assert_int_equal(r->meta.level, FZ_LEVEL_NATIONAL);
        assert_string_equal(r->meta.date,
                            strcmp(want_date, "-") ? want_date : "");
        with_date += r->meta.date[0] != '\0';
        assert_true(r->passages.n > 0);
        fz_report_free(r);
        fz_record_release(&rec);
        dline = strtok_r(NULL, "\n", &dsave);
    }
    assert_int_equal(n, 72);
    assert_int_equal(with_date, 10);
    free(all);
    free(dates);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } cases[] = {
        { "发布时间: 2023年12月06日 来源:x", "2023-12-06" },
        { "日期:2020年 12月 22日", "2020-12-22" },
        { "日期:2023-03-13", "2023-03-13" },
        { "2023/3/5", "2023-03-05" },
        { "2023.03.13", "2023-03-13" },
        { "二〇二三年十二月六日", "2023-12-06" },
        { "二〇二四年一月二十六日", "2024-01-26" },
        /* a run of 十 is no number: it overflowed a long (UBSan, with
         * tests/fuzz/fuzz_segment_meta.c) */
        { "十十十十十十十十十十十十十十十十十十十十2023年1月5日", "2023-01-05" },
        { "十十十十十十十十十十十十十十十十十十十十年十月十日", "" },
        { "２０２３年１月５日", "2023-01-05" },
        { "2023年13月1日", "" },
        { "12345热线", "" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        int found = fz_meta_parse_date(cases[i].in, strlen(cases[i].in), out);
        assert_int_equal(found, cases[i].want[0] != '\0');
        if (found)
            assert_string_equal(out, cases[i].want);
    }
}

static void test_levels(void **state)
{
    (void)state;
    static const struct { const char *in; enum fz_level want; } cases[] = {
        { "national", FZ_LEVEL_NATIONAL }, { "省", FZ_LEVEL_PROVINCE },
        { "市", FZ_LEVEL_CITY }, { "区", FZ_LEVEL_COUNTY },
        { "县", FZ_LEVEL_COUNTY }, { "街道", FZ_LEVEL_TOWNSHIP },
        { "乡", FZ_LEVEL_TOWNSHIP }, { "镇", FZ_LEVEL_TOWNSHIP },
        { "Department", FZ_LEVEL_DEPARTMENT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum fz_level l = FZ_LEVEL_UNKNOWN;
        assert_int_equal(fz_level_parse(cases[i].in, &l), FZ_OK);
        assert_int_equal(l, cases[i].want);
    }
    enum fz_level l;
    assert_int_equal(fz_level_parse("planet", &l), FZ_EINVAL);
    assert_string_equal(fz_level_name(FZ_LEVEL_TOWNSHIP), "township");
}

/* A report by a department, and a title naming no body. */
static void test_issuer_kinds(void **state)
{
    (void)state;
    static const char dept[] =
        "深圳市司法局2023年法治政府建设年度报告\n\n"
        "2023年，市司法局坚持以习近平新时代中国特色社会主义思想为指导，"
        "全面推进依法行政，各项工作取得新成效。\n";
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, dept, strlen(dept), NULL, NULL,
                                     &r, NULL), FZ_OK);
    assert_string_equal(r->meta.issuer, "深圳市司法局");
    assert_int_equal(r->meta.level, FZ_LEVEL_DEPARTMENT);
    assert_string_equal(r->meta.region.code, "4403");
    assert_int_equal(r->meta.year, 2023);
    fz_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_given_overrides),
        cmocka_unit_test(test_record_not_utf8),
        cmocka_unit_test(test_state_council),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_issuer_kinds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
