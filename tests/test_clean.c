/* Cleaning and segmenting: pinyin annotations, boilerplate on the seeds
 * and on a page of a kind not among them, line joining, headings and
 * section paths, long paragraphs, and the edge cases of odd input. */
#include "tests/testutil.h"

#include "base/fz.h"
#include "reader/report.h"
#include "base/utf8.h"

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

static void test_pinyin(void **state)
{
    (void)state;
    /* worked by hand: annotations after a Han character go, real
     * parentheses stay */
    static const struct { const char *in, *want; long n; } cases[] = {
        { "海珠區(qū)人民政府", "海珠區人民政府", 1 },
        { "行政復(fù)議(yì)", "行政復議", 2 },
        { "關（guān）于", "關于", 1 },
        { "(一)总体情况", "(一)总体情况", 0 },
        { "组(扩大)学习会", "组(扩大)学习会", 0 },
        { "纲要(2015—2020年)", "纲要(2015—2020年)", 0 },
        { "深光规〔2015〕5号", "深光规〔2015〕5号", 0 },
        { "人工智能(AI)应用", "人工智能(AI)应用", 0 },
        { "手机(app)下载", "手机(app)下载", 0 },      /* no toned pinyin */
        { "办法(试行)", "办法(试行)", 0 },
        { "(qū)开头", "(qū)开头", 0 },               /* no Han before */
        /* toneless syllables go only where toned ones show the habit */
        { "區(qū)的(de)復(fù)議(yì)", "區的復議", 4 },
        { "好的(de)", "好的(de)", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_buf b = FZ_BUF_INIT;
        long n = fz_clean_pinyin(cases[i].in, strlen(cases[i].in), &b);
        assert_int_equal(n, cases[i].n);
        assert_string_equal(fz_buf_cstr(&b), cases[i].want);
        fz_buf_release(&b);
    }
}

/* Seed 004 carries 460 annotations: `grep -oP '\p{Han}[(（][a-zāáǎàēéěèī
 * íǐìōóǒòūúǔùǖǘǚǜü ]+[)）]' corpus/004_*.txt | wc -l`. */
static void test_pinyin_seed(void **state)
{
    (void)state;
    size_t len;
    char *raw = test_slurp(CORPUS("004_1125619140e8c921.txt"), &len);
    struct fz_cleaned c;
    assert_int_equal(fz_clean_run(raw, len, &c, NULL), FZ_OK);
    assert_int_equal(c.n_pinyin, 460);
    /* left: the few after mojibake ("瑓^(qū)"), where no Han precedes */
    assert_null(strstr(c.text.data, "區(qū)"));
    assert_null(strstr(c.text.data, "復(fù)"));
    assert_non_null(strstr(c.text.data, "廣州市海珠區人民政府關于"));
    fz_cleaned_release(&c);
    free(raw);
}

static size_t body_has(const struct fz_cleaned *c, const char *w)
{
    size_t n = 0;
    for (size_t k = 0; k < c->n_lines; k++)
        if (c->lines[k].kind == FZ_LINE_BODY
            && memmem(c->text.data + c->lines[k].off, c->lines[k].len, w,
                      strlen(w)))
            n++;
    return n;
}

/* First and last paragraphs of each seed's body, read off the files. */
static const struct { const char *file, *first, *last; } bodies[] = {
    { "000_b603a63773e2a13c.txt", "2023年,龙城街道在区委、区政府的坚强领导下",
      "在辖区营造良好的法治氛围" },
    { "001_5786f2a229778fa1.txt", "2020年,在市委市政府的正确领导下",
      "特此报告" },
    { "002_3bd825ff36a50f76.txt", "2022年,在区委、区政府的坚强领导下",
      "建立重大行政决策全过程记录、材料归档和档案管理制度" },
    { "003_65475f305930a54e.txt", "2023年,罗湖区坚持以习近平新时代",
      "推动行政复议应诉工作规范化、制度化、系统化" },
    { "004_1125619140e8c921.txt", "2023年,在市委、市政府的堅強領導下",
      "奮力書寫法治海珠新篇章" },
};

static void test_boilerplate_seeds(void **state)
{
    (void)state;
    /* furniture found in the seeds' headers and footers */
    static const char *const junk[] = {
        "回到", "顶部", "字号", "字 号", "分享", "扫一扫", "Baidu", "map",
        "footer", "当前位置", "首页 >", "知识图谱", "相关信息和服务",
        "点击标签", "发布时间", "来源:", "部 门", "街 镇",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        size_t len;
        char *raw = test_slurp(CORPUS(bodies[i].file), &len);
        struct fz_cleaned c;
        assert_int_equal(fz_clean_run(raw, len, &c, NULL), FZ_OK);
        print_message("%s\n", bodies[i].file);
        for (size_t j = 0; j < sizeof junk / sizeof junk[0]; j++)
            assert_int_equal(body_has(&c, junk[j]), 0);
        size_t first = c.n_lines, last = 0;
        for (size_t k = 0; k < c.n_lines; k++)
            if (c.lines[k].kind == FZ_LINE_BODY) {
                if (first == c.n_lines)
                    first = k;
                last = k;
            }
        assert_true(first < c.n_lines);
        assert_non_null(memmem(c.text.data + c.lines[first].off,
                               c.lines[first].len, bodies[i].first,
                               strlen(bodies[i].first)));
        assert_non_null(memmem(c.text.data + c.lines[last].off,
                               c.lines[last].len, bodies[i].last,
                               strlen(bodies[i].last)));
        fz_cleaned_release(&c);
        free(raw);
    }
}

/* A page unlike the seeds, written for this test in the way county sites
 * lay theirs out. */
static const char other_page[] =
    "网站首页 > 政务公开 > 法治政府建设\n"
    "打印本页 关闭窗口\n"
    "【字体：大 中 小】\n"
    "\n"
    "平和县人民政府2022年度法治政府建设情况报告\n"
    "发布日期：2023-01-10  信息来源：县司法局  阅读次数：1024\n"
    "\n"
    "　　2022年，我县深入学习贯彻习近平法治思想，全面推进依法行政，"
    "法治政府建设取得新成效。现将有关情况报告如下：\n"
    "\n"
    "　　一、主要工作\n"
    "\n"
    "　　（一）完善行政复议体制。全县共办理行政复议案件12件，"
    "依法纠错2件，行政复议化解行政争议的主渠道作用进一步发挥。\n"
    "\n"
    "　　平和县人民政府\n"
    "　　2023年1月10日\n"
    "\n"
    "上一篇：关于开展普法宣传的通知\n"
    "下一篇：无\n"
    "版权所有：平和县人民政府 闽ICP备00000000号\n"
    "网站标识码：3506280001\n";

static void test_boilerplate_other(void **state)
{
    (void)state;
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, other_page, strlen(other_page),
                                     NULL, NULL, &r, NULL), FZ_OK);
    /* three body paragraphs: the opening, a heading, the measure; then
     * the signature, its own passage */
    assert_int_equal(r->passages.n, 4);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(r->passages.v[i].kind, FZ_PASSAGE_BODY);
    assert_int_equal(r->passages.v[3].kind, FZ_PASSAGE_SIGNATURE);
    assert_int_equal(r->passages.v[3].n_section, 0);
    assert_non_null(strstr(r->passages.v[0].text, "2022年，我县深入学习"));
    assert_string_equal(r->passages.v[1].text, "一、主要工作");
    assert_true(r->passages.v[1].heading);
    assert_int_equal(r->passages.v[2].n_section, 2);
    assert_string_equal(r->passages.v[2].section[0], "一、主要工作");
    assert_string_equal(r->passages.v[2].section[1],
                        "（一）完善行政复议体制");
    assert_string_equal(r->meta.title,
                        "平和县人民政府2022年度法治政府建设情况报告");
    assert_string_equal(r->meta.issuer, "平和县人民政府");
    assert_string_equal(r->meta.source, "县司法局");
    assert_string_equal(r->meta.date, "2023-01-10");
    assert_int_equal(r->meta.year, 2022);
    /* 平和县 is 350628 in the NBS table (grep 平和县 meta/divisions.tsv) */
    assert_string_equal(r->meta.region.code, "350628");
    assert_int_equal(r->meta.level, FZ_LEVEL_COUNTY);
    fz_report_free(r);
}

/* A heading that happens to hold a footer word (技术支持, 联系我们) is the
 * report's, not the page's footer: the body goes on after it.  The
 * paragraphs are the State Council's (2007 government work report). */
static void test_footer_word_in_heading(void **state)
{
    (void)state;
    static const char page[] =
        "国务院2007年政府工作报告\n\n"
        "过去一年，我们坚持以科学发展观统领经济社会发展全局，经济平稳较快"
        "发展，各项社会事业加快发展。\n\n"
        "五、为传统产业升级提供技术支持\n\n"
        "加快推进自主创新，加强技术改造，提高传统产业的技术水平和竞争力，"
        "促进产业结构优化升级。\n\n"
        "六、联系我们的群众\n\n"
        "坚持以人为本，着力解决人民群众最关心、最直接、最现实的利益问题。"
        "\n\n版权所有 中国政府网 ICP备05070218号\n";
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, page, strlen(page), NULL, NULL,
                                     &r, NULL), FZ_OK);
    assert_int_equal(r->passages.n, 5);
    assert_string_equal(r->passages.v[1].text,
                        "五、为传统产业升级提供技术支持");
    assert_true(r->passages.v[1].heading);
    assert_non_null(strstr(r->passages.v[4].text, "坚持以人为本"));
    for (size_t i = 0; i < r->passages.n; i++)
        assert_null(strstr(r->passages.v[i].text, "版权所有"));
    fz_report_free(r);
}

/* A last paragraph cut off inside a bracket (根据《) does not swallow the
 * signature after the blank line: issuer and date stay the report's. */
static void test_signature_after_open_bracket(void **state)
{
    (void)state;
    static const char page[] =
        "福田区人民政府2022年法治政府建设年度报告\n\n"
        "过去一年，我们坚持以科学发展观统领经济社会发展全局。\n\n"
        "推动高质量发展，为全面建设社会主义现代化国家开好局起好步。根据《\n\n"
        "深圳市福田区人民政府\n"
        "2023年11月12日\n";
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, page, strlen(page), NULL, NULL,
                                     &r, NULL), FZ_OK);
    /* two body paragraphs, the second not joined to the signature, which
     * is a passage of its own */
    assert_int_equal(r->passages.n, 3);
    assert_null(strstr(r->passages.v[1].text, "2023年"));
    assert_null(strstr(r->passages.v[1].text, "福田区人民政府"));
    assert_int_equal(r->passages.v[2].kind, FZ_PASSAGE_SIGNATURE);
    assert_string_equal(r->passages.v[2].text,
                        "深圳市福田区人民政府 2023年11月12日");
    assert_string_equal(r->meta.date, "2023-11-12");
    fz_report_free(r);
}

/* Whether some passage of r holds s. */
static int in_passages(const struct fz_report *r, const char *s)
{
    for (size_t i = 0; i < r->passages.n; i++)
        if (strstr(r->passages.v[i].text, s))
            return 1;
    return 0;
}

/* A county report's page, parsed: its title, then before (when not
 * NULL), a paragraph, middle, and a last paragraph, blank lines between. */
static struct fz_report *page_report(const char *before, const char *middle)
{
    struct fz_buf page = FZ_BUF_INIT;
    fz_buf_appends(&page, "某区2023年法治政府建设年度报告\n\n");
    if (before) {
        fz_buf_appends(&page, before);
        fz_buf_appends(&page, "\n\n");
    }
    fz_buf_appends(&page, "过去一年，我区坚持依法行政，全面推进法治政府建设，"
                   "各项工作取得新成效。\n\n");
    fz_buf_appends(&page, middle);
    fz_buf_appends(&page, "\n\n二是加强行政复议工作，依法办理行政复议案件，"
                   "纠正违法或者不当的行政行为。\n");
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, page.data, page.len, NULL, NULL,
                                     &r, NULL), FZ_OK);
    fz_buf_release(&page);
    return r;
}

/* A paragraph cut inside a bracket (…。《) right above a line of page
 * furniture keeps every character, and the furniture is not joined into
 * it; a short piece that closes the bracket is the paragraph's own, even
 * when it holds a furniture word. */
static void test_furniture_after_open_bracket(void **state)
{
    (void)state;
    static const char *const open[] = {
        "《", "“", "‘", "(", "（", "「", "『", "【",
    };
    static const char *const shut[] = {
        "》", "”", "’", ")", "）", "」", "』", "】",
    };
    static const char *const furniture[] = {
        "当前位置: 首页 > 龙岗区龙城街道办事处 > 信息公开 > 规划计划",
        "您的位置：首页>政务公开>法治政府",
        "首页 > 信息公开 > 规划计划",
        "分享到：",
        "【打印】【关闭】",
    };
    static const char para[] =
        "要加强行政执法监督，促进严格执法、公正执法和文明执法。实行执法"
        "责任制和执法过错追究制，做到有权必有责、用权受监督。";
    size_t nf = sizeof furniture / sizeof furniture[0], pages = 0;
    for (size_t b = 0; b < sizeof open / sizeof open[0]; b++)
        for (size_t f = 0; f <= nf; f++) {
            /* the last round: the next line closes the bracket */
            const char *next = f < nf ? furniture[f] : NULL;
            struct fz_buf cut = FZ_BUF_INIT, mid = FZ_BUF_INIT;
            fz_buf_appends(&cut, para);
            fz_buf_appends(&cut, open[b]);
            fz_buf_appendf(&mid, "%s\n%s%s", fz_buf_cstr(&cut),
                           next ? next : "首页改版方案", next ? "" : shut[b]);
            struct fz_report *r = page_report(NULL, fz_buf_cstr(&mid));
            if (!in_passages(r, fz_buf_cstr(&cut)))
                fail_msg("%s + %s: the paragraph is lost", open[b],
                         next ? next : "its closer");
            if (next && in_passages(r, next))
                fail_msg("%s + %s: the furniture is in a passage", open[b],
                         next);
            if (!next) {
                fz_buf_appendf(&cut, "首页改版方案%s", shut[b]);
                if (!in_passages(r, fz_buf_cstr(&cut)))
                    fail_msg("%s: the closing piece is not joined", open[b]);
            }
            assert_true(in_passages(r, "二是加强行政复议工作"));
            fz_report_free(r);
            fz_buf_release(&cut);
            fz_buf_release(&mid);
            pages++;
        }
    assert_int_equal(pages, 8 * 6);
}

/* 当前位置 and the other words that open a breadcrumb are everyday words
 * inside a report's sentences: only a line they open, with no sentence,
 * is a breadcrumb. */
static void test_breadcrumb_word_in_sentence(void **state)
{
    (void)state;
    static const char *const kept[] = {
        "我们要准确把握当前位置和历史方位，坚持依法行政，全面推进法治政府建设。",
        "二是找准所在位置，明确发展方向，推动法治政府建设向纵深发展",
        "当前位置决定了我区法治建设的重点任务，必须久久为功。",
        "当前位置上的每一名执法人员都要严格规范公正文明执法！",
    };
    static const char *const dropped[] = {
        "当前位置：首页 > 政务公开 > 法治政府",
        "▶ 您现在的位置：网站首页",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        for (size_t j = 0; j < sizeof dropped / sizeof dropped[0]; j++) {
            struct fz_report *r = page_report(dropped[j], kept[i]);
            if (!in_passages(r, kept[i]))
                fail_msg("dropped a sentence: %s", kept[i]);
            if (in_passages(r, dropped[j]))
                fail_msg("kept a breadcrumb: %s", dropped[j]);
            fz_report_free(r);
        }
}

/* Inside the body, the words of site furniture (微信, 微博, 首页, 纠错)
 * are what a report's own short lines talk about: those lines stay, and
 * only lines of bare labels go. */
static void test_ui_words_in_body(void **state)
{
    (void)state;
    static const char *const kept[] = {
        "微信公众号、政务微博",
        "| 微信公众号 | 320 |",
        "| 政务微博 | 210 |",
        "行政复议纠错率",
        "门户网站首页改版",
        "政务新媒体：微信、微博、抖音",
    };
    static const char *const labels[] = {
        "分享到：", "【打印】【关闭】", "字号：大 中 小", "返回顶部",
    };
    struct fz_buf mid = FZ_BUF_INIT;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        fz_buf_appendf(&mid, "%s\n\n%s%s", kept[i],
                       i < sizeof labels / sizeof labels[0] ? labels[i] : "",
                       i < sizeof labels / sizeof labels[0] ? "\n\n" : "");
    fz_buf_appends(&mid, "三是拓宽普法渠道，依托政府门户网站、\n微信公众号、政务"
                   "微博\n等平台发布普法信息一千余条。");
    struct fz_report *r = page_report(NULL, fz_buf_cstr(&mid));
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (!in_passages(r, kept[i]))
            fail_msg("dropped the report's line: %s", kept[i]);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (in_passages(r, labels[i]))
            fail_msg("kept a label: %s", labels[i]);
    /* the wrapped paragraph is one passage again */
    assert_true(in_passages(r, "三是拓宽普法渠道，依托政府门户网站、微信公众号、"
                            "政务微博等平台发布普法信息一千余条。"));
    fz_report_free(r);
    fz_buf_release(&mid);
}

/* Pages that put blank lines between paragraphs break lines inside them
 * only where a link was: such lines are joined. */
static void test_join_lines(void **state)
{
    (void)state;
    static const char in[] =
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的\n"
        "政府工作报告\n"
        "。会议充分肯定国务院过去一年的工作，决定批准这个报告。\n"
        "\n"
        "根据《\n"
        "中华人民共和国著作权法\n"
        "》第五条，会议同意。\n"
        "\n"
        "\n"
        "会议号召，全国各族人民更加紧密地团结起来，共同书写新篇章！\n"
        "\n"
        "会议要求，各地区各部门切实履行职责，确保各项任务落到实处。\n"
        "\n"
        "会议强调，坚持稳中求进工作总基调，推动经济持续回升向好。\n";
    struct fz_cleaned c;
    assert_int_equal(fz_clean_run(in, strlen(in), &c, NULL), FZ_OK);
    assert_int_equal(c.n_lines, 5);
    assert_non_null(strstr(c.text.data,
                           "所作的政府工作报告。会议充分肯定"));
    assert_non_null(strstr(c.text.data, "根据《中华人民共和国著作权法》第五条"));
    fz_cleaned_release(&c);
}

static void test_headings(void **state)
{
    (void)state;
    /* worked by hand from the numbering of Chinese official documents */
    static const struct { const char *in; int level; } cases[] = {
        { "一、深入学习贯彻", 1 }, { "十二、其他", 1 },
        { "第一部分 总体情况", 1 }, { "第三章 附则", 1 },
        { "(一)统筹推进", 2 }, { "（二）完善机制", 2 }, { "第二节 要求", 2 },
        { "㈢规范执法", 2 }, { "1.加强学习", 3 }, { "2、强化宣传", 3 },
        { "１．全角", 3 }, { "(1)细化", 4 }, { "（3）明确", 4 },
        { "①落实", 4 }, { "一是强化学习", 0 }, { "2023年，我区", 0 },
        { "1.5万件", 0 }, { "2023.12.21发布", 0 }, { "(2023)年", 0 },
        { "第一责任人职责", 0 }, { "(扩大)学习", 0 }, { "", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("%s\n", cases[i].in);
        assert_int_equal(fz_heading_level(cases[i].in, strlen(cases[i].in),
                                          NULL), cases[i].level);
    }
}

static int is_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF01
        || c == 0xFF1F || c == '!' || c == '?' || c == 0x201D
        || c == 0x2019 || c == 0x300D || c == 0xFF09 || c == ')'
        || c == 0x300B || c == 0x300F;
}

static uint32_t last_cp(const char *s, size_t len)
{
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return fz_utf8_next(s, len, &i, NULL);
}

/* Checks every report must pass: passages are valid UTF-8 without NUL,
 * numbered 1..n, at most FZ_SEG_MAX_CP code points unless one sentence is
 * longer (never beyond FZ_SEG_HARD_MAX), and a passage cut from a longer
 * paragraph ends at a sentence end when the next one continues it. */
static void check_passages(const struct fz_report *r)
{
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        assert_int_equal(p->ordinal, i + 1);
        assert_true(fz_utf8_valid(p->text, p->len));
        assert_int_equal(strlen(p->text), p->len);
        assert_true(p->len > 0);
        size_t cps = fz_utf8_count(p->text, p->len);
        assert_true(cps <= FZ_SEG_HARD_MAX);
        if (cps > FZ_SEG_MAX_CP) {
            /* one sentence: no sentence end before its last character */
            size_t j = 0, ends = 0;
            while (j < p->len)
                ends += is_end(fz_utf8_next(p->text, p->len, &j, NULL));
            assert_true(ends <= 2 || cps > FZ_SEG_MAX_CP * 2);
        }
        const struct fz_normed *nd = &r->norm[i];
        assert_true(fz_utf8_valid(nd->text.data, nd->text.len));
        for (size_t k = 1; k < nd->n_cp; k++)
            assert_true(nd->src_cp[k - 1] <= nd->src_cp[k]);
        if (nd->n_cp)
            assert_true(nd->src_cp[nd->n_cp - 1] < cps);
    }
}

static void test_long_paragraphs(void **state)
{
    (void)state;
    /* every seed: pieces of one paragraph concatenate back to it, and all
     * but the last end a sentence */
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        size_t len;
        char *raw = test_slurp(CORPUS(bodies[i].file), &len);
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse(&tc, raw, len, NULL, NULL, &r,
                                         NULL), FZ_OK);
        check_passages(r);
        struct fz_cleaned c;
        struct fz_buf u = FZ_BUF_INIT;
        struct fz_decoded d;
        assert_int_equal(fz_decode_to_utf8(raw, len, &u, &d, NULL), FZ_OK);
        assert_int_equal(fz_clean_run(u.data, u.len, &c, NULL), FZ_OK);
        size_t pi = 0, split = 0;
        for (size_t k = 0; k < c.n_lines; k++) {
            if (c.lines[k].kind != FZ_LINE_BODY)
                continue;
            struct fz_buf joined = FZ_BUF_INIT;
            const char *line = c.text.data + c.lines[k].off;
            size_t ll = c.lines[k].len;
            while (pi < r->passages.n
                   && r->passages.v[pi].kind != FZ_PASSAGE_BODY)
                pi++;       /* front matter and signatures: other lines */
            while (pi < r->passages.n && joined.len < ll) {
                const struct fz_passage *p = &r->passages.v[pi++];
                if (joined.len && line[joined.len] == ' ')
                    fz_buf_appendc(&joined, ' ');
                if (joined.len + p->len < ll) {
                    assert_true(is_end(last_cp(p->text, p->len)));
                    split++;
                }
                fz_buf_append(&joined, p->text, p->len);
            }
            assert_int_equal(joined.len, ll);
            assert_memory_equal(joined.data, line, ll);
            fz_buf_release(&joined);
        }
        while (pi < r->passages.n
               && r->passages.v[pi].kind != FZ_PASSAGE_BODY)
            pi++;
        assert_int_equal(pi, r->passages.n);
        print_message("%s: %zu passages, %zu cuts\n", bodies[i].file,
                      r->passages.n, split);
        fz_cleaned_release(&c);
        fz_buf_release(&u);
        fz_report_free(r);
        free(raw);
    }
}

/* Seed 000's sections: 一、... › (二)... for the paragraph that opens
 * with (二), read off the file. */
static void test_sections_seed(void **state)
{
    (void)state;
    size_t len;
    char *raw = test_slurp(CORPUS("000_b603a63773e2a13c.txt"), &len);
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, raw, len, NULL, NULL, &r, NULL),
                     FZ_OK);
    int found = 0;
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        static const char head[] = "(二)深入学习贯彻习近平法治思想。";
        if (strncmp(p->text, head, strlen(head)) != 0)
            continue;
        found = 1;
        assert_int_equal(p->n_section, 2);
        assert_string_equal(p->section[0], "一、深入学习贯彻党的二十大精神和"
                            "习近平法治思想,加大法治政府建设统筹推进力度");
        assert_string_equal(p->section[1], "(二)深入学习贯彻习近平法治思想");
        assert_false(p->heading);
    }
    assert_true(found);
    /* the title, date line and signatures are not passages */
    for (size_t i = 0; i < r->passages.n; i++) {
        assert_null(strstr(r->passages.v[i].text, "发布时间"));
        assert_string_not_equal(r->passages.v[i].text,
                                "深圳市龙岗区龙城街道办事处");
        assert_string_not_equal(r->passages.v[i].text,
                                "龙城街道2023年法治政府建设年度报告");
    }
    fz_report_free(r);
    free(raw);
}

static struct fz_report *parse(const char *s, size_t len)
{
    struct fz_report *r = NULL;
    char *err = NULL;
    int rc = fz_report_parse(&tc, s, len, NULL, NULL, &r, &err);
    if (rc != FZ_OK)
        fail_msg("parse: %s", err ? err : "?");
    check_passages(r);
    return r;
}

static void test_edge_cases(void **state)
{
    (void)state;
    struct fz_report *r;

    r = parse("", 0);                                   /* empty */
    assert_int_equal(r->passages.n, 0);
    assert_null(r->meta.title);
    fz_report_free(r);

    static const char boiler[] = "回到顶部\n分享到:\n字号:\n扫一扫\n";
    r = parse(boiler, strlen(boiler));                  /* only furniture */
    assert_int_equal(r->passages.n, 0);
    fz_report_free(r);

    static const char nul[] = "行政复议\0案件办理情况良好";  /* a NUL byte */
    r = parse(nul, sizeof nul - 1);
    assert_int_equal(r->passages.n, 1);
    assert_string_equal(r->passages.v[0].text,
                        "行政复议\xEF\xBF\xBD案件办理情况良好");
    assert_int_equal(r->decoded.n_nul, 1);
    assert_non_null(r->warning);
    fz_report_free(r);

    /* invalid UTF-8 in the middle */
    static const char bad[] = "行政复议\xFF\xFE案件";
    r = parse(bad, sizeof bad - 1);
    assert_int_equal(r->decoded.n_invalid, 2);
    assert_string_equal(r->passages.v[0].text,
                        "行政复议\xEF\xBF\xBD\xEF\xBF\xBD案件");
    fz_report_free(r);

    /* mixed scripts, fullwidth digits, astral ideographs */
    static const char mixed[] =
        "开通12345热线，推进6G与AI+政务服务，受理２０２３件，𠀾𠀾地名。";
    r = parse(mixed, strlen(mixed));
    assert_int_equal(r->passages.n, 1);
    assert_string_equal(r->passages.v[0].text, mixed);   /* own script */
    assert_string_equal(r->norm[0].text.data,
                        "开通12345热线,推进6g与ai+政务服务,受理2023件,"
                        "𠀾𠀾地名。");
    fz_report_free(r);

    /* a 1 MB line: one long run of sentences without line breaks */
    struct fz_buf big = FZ_BUF_INIT;
    while (big.len < 1 << 20)
        fz_buf_appends(&big, "各部门认真落实行政执法三项制度，规范执法行为。");
    r = parse(big.data, big.len);
    assert_true(r->passages.n >= (1u << 20) / 3 / FZ_SEG_MAX_CP);
    fz_report_free(r);

    /* the same without any punctuation: cut hard, nothing lost */
    fz_buf_reset(&big);
    while (big.len < 1 << 20)
        fz_buf_appends(&big, "行政执法");
    r = parse(big.data, big.len);
    size_t total = 0;
    for (size_t i = 0; i < r->passages.n; i++)
        total += r->passages.v[i].len;
    assert_int_equal(total, big.len);
    fz_report_free(r);
    fz_buf_release(&big);
}

/* ---- cleaning never eats the report ------------------------------------ */

static size_t passages_with(const struct fz_report *r, const char *w)
{
    size_t n = 0;
    for (size_t i = 0; i < r->passages.n; i++)
        n += strstr(r->passages.v[i].text, w) != NULL;
    return n;
}

static int dropped_has(const struct fz_report *r, const char *w)
{
    return r->dropped.data && strstr(r->dropped.data, w) != NULL;
}

/* Body sentences that hold footer words (承办单位, 技术支持, 主办单位,
 * 联系我们, 举报) are the report's: nothing after them is lost, and the
 * page's real footer still goes. */
static void test_footer_word_in_sentence(void **state)
{
    (void)state;
    static const char page[] =
        "首页 > 信息公开 > 法治政府建设\n"
        "某区人民政府2023年法治政府建设年度报告\n"
        "发布时间：2024-01-05\n\n"
        "2023年，我区深入学习贯彻习近平法治思想，全面推进依法行政，法治政府"
        "建设取得新成效。\n\n"
        "区司法局为重大行政决策承办单位提供技术支持。\n\n"
        "主办单位、承办单位要联系我们的群众，畅通举报渠道。\n\n"
        "承办单位：区司法局\n\n"
        "一、完善行政复议体制\n\n"
        "全区共办理行政复议案件12件，依法纠错2件，行政复议化解行政争议的主"
        "渠道作用进一步发挥。\n\n"
        "各部门为基层执法单位提供技术支持。\n\n"
        "某区人民政府\n2024年1月5日\n\n"
        "分享到：\n"
        "主办单位：某区人民政府办公室 承办单位：某区政务服务数据管理局\n"
        "技术支持：某某科技有限公司\n"
        "版权所有 © 某区人民政府 粤ICP备00000000号\n";
    struct fz_report *r = parse(page, strlen(page));
    assert_int_equal(passages_with(r, "承办单位提供技术支持。"), 1);
    assert_int_equal(passages_with(r, "畅通举报渠道"), 1);
    assert_int_equal(passages_with(r, "承办单位：区司法局"), 1);
    assert_int_equal(passages_with(r, "依法纠错2件"), 1);
    assert_int_equal(passages_with(r, "为基层执法单位提供技术支持"), 1);
    assert_string_equal(r->meta.date, "2024-01-05");
    /* the footer is dropped, and fztext --dropped can show it */
    assert_int_equal(passages_with(r, "版权所有"), 0);
    assert_int_equal(passages_with(r, "某某科技有限公司"), 0);
    assert_int_equal(passages_with(r, "分享到"), 0);
    assert_true(dropped_has(r, "技术支持：某某科技有限公司"));
    assert_true(dropped_has(r, "版权所有"));
    fz_report_free(r);
}

/* A list of short items, an attachment list and a numbered heading that
 * holds a furniture word (关闭, 返回) are the report's. */
static void test_short_items_kept(void **state)
{
    (void)state;
    static const char page[] =
        "某县2023年度法治政府建设情况报告\n\n"
        "2023年，全县深入推进依法行政，加快建设法治政府，各项工作取得积极"
        "成效。\n\n"
        "（三）关闭违规网站\n\n"
        "全年依法关闭违规网站3个，清理有害信息。测量所用工具如下：\n"
        "1．尺\n"
        "2．面积计\n"
        "3．水准仪\n\n"
        "某县人民政府\n2024年1月8日\n\n"
        "附件：1．2023年度行政执法数据统计表\n"
        "2．行政复议案件办理情况\n";
    struct fz_report *r = parse(page, strlen(page));
    assert_int_equal(passages_with(r, "（三）关闭违规网站"), 1);
    assert_int_equal(passages_with(r, "面积计"), 1);
    assert_int_equal(passages_with(r, "水准仪"), 1);
    assert_int_equal(passages_with(r, "行政执法数据统计表"), 1);
    assert_int_equal(passages_with(r, "行政复议案件办理情况"), 1);
    assert_int_equal(r->dropped.len, 0);
    fz_report_free(r);
}

/* The Han characters of s and whether it ends a sentence. */
static int is_full_sentence(const char *s, size_t len)
{
    size_t han = 0, i = 0;
    while (i < len)
        han += fz_is_han(fz_utf8_next(s, len, &i, NULL));
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    return han >= 8 && is_end(last_cp(s, len));
}

static size_t checked_reports, checked_dropped;

/* Every line cleaning dropped from a report we have is furniture: never a
 * full sentence, except a licence or copyright statement. */
static void no_sentence_dropped(struct fz_report *r)
{
    const char *d = r->dropped.data ? r->dropped.data : "";
    checked_reports++;
    for (const char *e; *d; d = e + 1) {
        e = strchr(d, '\n');
        size_t len = (size_t)(e - d);
        checked_dropped++;
        /* below a licence or copyright statement: the page's footer */
        if (memmem(d, len, "著作权", strlen("著作权"))
            || memmem(d, len, "版权", strlen("版权"))
            || memmem(d, len, "公有领域", strlen("公有领域")))
            break;
        if (!is_full_sentence(d, len))
            continue;
        fail_msg("%s: dropped a sentence: %.*s",
                 r->meta.title ? r->meta.title : "?", (int)len, d);
    }
}

static void test_no_sentence_dropped(void **state)
{
    (void)state;
    test_each_corpus_report(&tc, no_sentence_dropped);
    static const char *const pages[] = {
        "html-page.html", "html-meta-gbk.html", "html-broken.html",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        size_t len;
        char *raw = test_slurp(TESTDATA(pages[i]), &len);
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse_html(&tc, raw, len, NULL, NULL, &r,
                                              NULL), FZ_OK);
        no_sentence_dropped(r);
        fz_report_free(r);
        free(raw);
    }
    print_message("%zu reports, %zu dropped lines, none a sentence\n",
                  checked_reports, checked_dropped);
    assert_true(checked_reports >= 77);
}

static const char *const inserted[] = {
    "区司法局为重大行政决策承办单位提供技术支持。",
    "对主办单位、承办单位的举报，要联系我们的群众及时核实。",
};

/* One State Council report with inserted[] put after its first, middle
 * and last body passage: cleaning drops what it dropped before, and
 * every inserted sentence is found.  *ctx counts the reports tried. */
static void insert_footer_sentences(const struct fz_record *rec, void *ctx)
{
    struct fz_report *r0 = NULL, *r1 = NULL;
    assert_int_equal(fz_report_parse(&tc, rec->text, rec->len, &rec->given,
                                     NULL, &r0, NULL), FZ_OK);
    if (r0->passages.n < 4) {
        fz_report_free(r0);
        return;
    }
    const char *at[3] = {
        r0->passages.v[0].text,
        r0->passages.v[r0->passages.n / 2].text,
        r0->passages.v[r0->passages.n - 1].text,
    };
    struct fz_buf b = FZ_BUF_INIT;
    const char *src = rec->text;
    size_t done = 0;
    for (size_t k = 0; k < 3; k++) {
        const char *p = strstr(src + done, at[k]);
        if (p == NULL)
            continue;       /* a passage joined from several lines */
        size_t end = (size_t)(p - src) + strlen(at[k]);
        fz_buf_append(&b, src + done, end - done);
        fz_buf_appends(&b, "\n\n");
        fz_buf_appends(&b, inserted[k % 2]);
        fz_buf_appends(&b, "\n\n");
        done = end;
    }
    fz_buf_append(&b, src + done, rec->len - done);
    assert_int_equal(fz_report_parse(&tc, b.data, b.len, &rec->given, NULL,
                                     &r1, NULL), FZ_OK);
    if (r0->dropped.len != r1->dropped.len
        || (r0->dropped.len
            && memcmp(r0->dropped.data, r1->dropped.data,
                      r0->dropped.len) != 0))
        fail_msg("%s: dropped differs: %s", r0->meta.title,
                 r1->dropped.data);
    size_t want = 0, got = 0;
    for (size_t k = 0; k < 2; k++) {
        const char *q = b.data;
        while ((q = strstr(q, inserted[k])) != NULL) {
            want++;
            q++;
        }
        got += passages_with(r1, inserted[k]);
    }
    assert_true(want > 0);
    assert_int_equal(got, want);
    (*(size_t *)ctx)++;
    fz_buf_release(&b);
    fz_report_free(r0);
    fz_report_free(r1);
}

/* Every State Council report, with body sentences that hold footer words
 * put between its paragraphs (first, middle, last): cleaning drops exactly
 * what it dropped before, and every added sentence is found. */
static void test_footer_sentences_inserted(void **state)
{
    (void)state;
    size_t n = 0;
    test_each_record(insert_footer_sentences, &n);
    print_message("%zu reports with sentences added\n", n);
    assert_true(n >= 50);  /* the 72 less the short resolutions */
}

/* Every line cleaning keeps as the report's (body, the lines between
 * title and body, the signature) is in its passages, so a search finds
 * it: "国务院总理 李克强" in a byline is as searchable as the body.  *ctx
 * counts the front and signature lines checked. */
static void kept_lines_searchable(const struct fz_record *rec, void *ctx)
{
    struct fz_report *r = NULL;
    struct fz_cleaned c = { FZ_BUF_INIT, NULL, 0, 0 };
    assert_int_equal(fz_report_parse(&tc, rec->text, rec->len, &rec->given,
                                     NULL, &r, NULL), FZ_OK);
    assert_int_equal(fz_clean_run(rec->text, rec->len, &c, NULL), FZ_OK);
    struct fz_buf all = FZ_BUF_INIT;
    for (size_t i = 0; i < r->passages.n; i++)
        fz_buf_append(&all, r->passages.v[i].text, r->passages.v[i].len);
    size_t body = 0;
    for (size_t k = 0; k < c.n_lines; k++) {
        enum fz_line_kind kind = c.lines[k].kind;
        if (kind != FZ_LINE_BODY && kind != FZ_LINE_FRONT
            && kind != FZ_LINE_SIGNATURE)
            continue;
        const char *l = c.text.data + c.lines[k].off;
        size_t len = c.lines[k].len;
        if (!memmem(fz_buf_cstr(&all), all.len, l, len))
            fail_msg("%s: line %zu not in any passage: %.*s", rec->given.title
                     ? rec->given.title : "?", k, (int)len, l);
        if (kind == FZ_LINE_BODY)
            body++;
        else
            (*(size_t *)ctx)++;
    }
    assert_true(body > 0);
    /* the body's passages are not told apart from the front matter by
     * position: metadata reads the first body passage */
    for (size_t i = 0; i < r->passages.n; i++)
        if (r->passages.v[i].kind != FZ_PASSAGE_BODY)
            assert_int_equal(r->passages.v[i].n_section, 0);
    fz_buf_release(&all);
    fz_cleaned_release(&c);
    fz_report_free(r);
}

static void test_front_and_signature_searchable(void **state)
{
    (void)state;
    size_t n = 0;
    test_each_record(kept_lines_searchable, &n);
    print_message("%zu front and signature lines in passages\n", n);
    assert_true(n >= 20);
    /* a dateline before the body does not give the report its year: the
     * first paragraph of the body does */
    static const char page[] =
        "某区人民政府关于法治政府建设工作情况的报告\n\n"
        "2024年3月5日在区第三届人民代表大会第四次会议上\n"
        "区长 王某某\n\n各位代表：\n\n"
        "2023年，我区深入推进依法行政，加快建设法治政府，各项工作取得"
        "积极成效。\n\n"
        "一、主要工作\n\n全年办理行政复议案件120件，依法纠错8件。\n\n"
        "某区人民政府\n2024年3月5日\n";
    struct fz_report *r = parse(page, strlen(page));
    assert_int_equal(r->meta.year, 2023);
    assert_int_equal(passages_with(r, "第三届人民代表大会第四次会议"), 1);
    assert_int_equal(passages_with(r, "王某某"), 1);
    assert_int_equal(passages_with(r, "各位代表"), 1);
    assert_int_equal(passages_with(r, "某区人民政府 2024年3月5日"), 1);
    assert_int_equal(r->passages.v[0].kind, FZ_PASSAGE_FRONT);
    assert_int_equal(r->passages.v[r->passages.n - 1].kind,
                     FZ_PASSAGE_SIGNATURE);
    fz_report_free(r);
}

/* A report published as an official document (GB/T 9704): letterhead
 * and document number above the title, the addressee, the body, the
 * signature and date, then the colophon (note, 抄送, 印发).  The number
 * and the colophon are searchable, the body ends at its last paragraph
 * (the colophon's sentence does not carry it on), and the date is the
 * signature's. */
static void test_official_document(void **state)
{
    (void)state;
    static const char page[] =
        "某市人民政府文件\n\n某府〔2024〕3号\n\n"
        "某市人民政府关于2023年法治政府建设情况的报告\n\n"
        "省人民政府：\n\n"
        "2023年，我市深入学习贯彻习近平法治思想，全面推进依法行政，法治"
        "政府建设取得新成效。现将有关情况报告如下：\n\n"
        "一、主要举措和成效\n\n"
        "（一）深化行政复议体制改革。全年办理行政复议案件1200件，依法纠错"
        "80件。\n\n"
        "某市人民政府\n\n2024年1月20日\n\n（此件主动公开）\n\n"
        "抄送：市委各部门，市人大常委会办公厅，市中级人民法院。\n\n"
        "某市人民政府办公室 2024年1月21日印发\n";
    struct fz_report *r = parse(page, strlen(page));
    assert_string_equal(r->meta.title,
                        "某市人民政府关于2023年法治政府建设情况的报告");
    assert_string_equal(r->meta.date, "2024-01-20");
    assert_int_equal(r->dropped.len, 0);
    assert_int_equal(passages_with(r, "某府〔2024〕3号"), 1);
    assert_int_equal(passages_with(r, "省人民政府："), 1);
    assert_int_equal(passages_with(r, "市中级人民法院"), 1);
    assert_int_equal(passages_with(r, "2024年1月21日印发"), 1);
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        int body = strstr(p->text, "深化行政复议") || strstr(p->text, "一、")
                   || strstr(p->text, "现将有关情况");
        assert_int_equal(p->kind == FZ_PASSAGE_BODY, body);
        if (strstr(p->text, "抄送") || strstr(p->text, "此件"))
            assert_int_equal(p->n_section, 0);
    }
    fz_report_free(r);
    /* 抄送 and 印发 in the body's sentences are the body's */
    static const char body[] =
        "某县2023年度法治政府建设情况报告\n\n"
        "2023年，全县深入推进依法行政，各项工作取得积极成效。\n\n"
        "抄送制度进一步完善，规范性文件均按规定报送备案审查。\n\n"
        "全年印发规范性文件12件，均经合法性审核后于2023年印发\n\n"
        "全年办理行政复议案件120件，依法纠错8件。\n";
    r = parse(body, strlen(body));
    for (size_t i = 0; i < r->passages.n; i++)
        assert_int_equal(r->passages.v[i].kind, FZ_PASSAGE_BODY);
    assert_int_equal(passages_with(r, "抄送制度"), 1);
    assert_int_equal(passages_with(r, "于2023年印发"), 1);
    fz_report_free(r);
}

/* A report that goes from its title straight to a heading keeps the
 * heading as its first passage, and the title stays the title. */
static void test_heading_after_title(void **state)
{
    (void)state;
    static const char page[] =
        "深圳市南山区人民政府2023年法治政府建设年度报告\n\n"
        "一、主要工作\n\n"
        "（一）完善依法行政制度体系。全区共制定行政规范性文件12件，全部经过"
        "合法性审核，备案审查率100%。\n\n"
        "二、存在问题\n\n"
        "执法规范化水平仍需提高，部分执法人员法治意识有待加强。\n";
    struct fz_report *r = parse(page, strlen(page));
    assert_string_equal(r->meta.title,
                        "深圳市南山区人民政府2023年法治政府建设年度报告");
    assert_true(r->passages.n >= 4);
    assert_string_equal(r->passages.v[0].text, "一、主要工作");
    assert_true(r->passages.v[0].heading);
    assert_int_equal(r->passages.v[1].n_section, 2);
    assert_string_equal(r->passages.v[1].section[0], "一、主要工作");
    fz_report_free(r);
}

/* The first line of s[0,len) that opens with Chinese numerals and 、 (the
 * tests' own reading of a first-level heading), as a malloc'd string, or
 * NULL. */
static char *first_cn_heading(const char *s, size_t len)
{
    static const char *const num[] = {
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    };
    for (size_t i = 0; i < len;) {
        const char *e = memchr(s + i, '\n', len - i);
        size_t l = e ? (size_t)(e - (s + i)) : len - i;
        size_t j = 0;
        for (int more = 1; more && j < l;) {
            more = 0;
            for (size_t k = 0; k < 10; k++)
                if (l - j >= 3 && memcmp(s + i + j, num[k], 3) == 0) {
                    j += 3;
                    more = 1;
                }
        }
        if (j > 0 && l - j > 3 && memcmp(s + i + j, "、", 3) == 0)
            return strndup(s + i, l);
        i += l + 1;
    }
    return NULL;
}

/* The State Council reports' first-level headings (一、2024年工作回顾)
 * give section paths: every passage from the first one on has one. */
static void sc_sections(const struct fz_record *rec, void *ctx)
{
    char *h = first_cn_heading(rec->text, rec->len);
    if (h == NULL)
        return;
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(&tc, rec->text, rec->len, &rec->given,
                                     NULL, &r, NULL), FZ_OK);
    size_t at = r->passages.n;
    for (size_t i = 0; i < r->passages.n && at == r->passages.n; i++)
        if (strncmp(r->passages.v[i].text, h, strlen(h)) == 0)
            at = i;
    if (at == r->passages.n)
        fail_msg("%s: heading '%s' not a passage", r->meta.title, h);
    for (size_t i = at; i < r->passages.n; i++)
        if (r->passages.v[i].n_section == 0)
            fail_msg("%s: passage %zu has no section: %.60s",
                     r->meta.title, i, r->passages.v[i].text);
    (*(size_t *)ctx)++;
    fz_report_free(r);
    free(h);
}

static void test_sc_sections(void **state)
{
    (void)state;
    size_t n = 0;
    test_each_record(sc_sections, &n);
    print_message("%zu reports with 一、 headings, all sectioned\n", n);
    assert_true(n >= 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinyin),
        cmocka_unit_test(test_pinyin_seed),
        cmocka_unit_test(test_boilerplate_seeds),
        cmocka_unit_test(test_boilerplate_other),
        cmocka_unit_test(test_footer_word_in_heading),
        cmocka_unit_test(test_signature_after_open_bracket),
        cmocka_unit_test(test_furniture_after_open_bracket),
        cmocka_unit_test(test_breadcrumb_word_in_sentence),
        cmocka_unit_test(test_ui_words_in_body),
        cmocka_unit_test(test_join_lines),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_long_paragraphs),
        cmocka_unit_test(test_sections_seed),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_footer_word_in_sentence),
        cmocka_unit_test(test_short_items_kept),
        cmocka_unit_test(test_no_sentence_dropped),
        cmocka_unit_test(test_footer_sentences_inserted),
        cmocka_unit_test(test_front_and_signature_searchable),
        cmocka_unit_test(test_official_document),
        cmocka_unit_test(test_heading_after_title),
        cmocka_unit_test(test_sc_sections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
