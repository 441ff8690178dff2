/* HTML to text: a saved government page, broken markup, a page that
 * declares GBK but arrives as UTF-8, entity attacks, the line rules one
 * by one, deep nesting, threads, and one of the seeds wrapped in <p>s.
 * Every expected value is worked by hand from the fixture and the rules
 * in text/html.h (blocks are lines separated by a blank line, <br> ends a
 * line, white space folds to one space, a source newline between two CJK
 * characters disappears). */
#include "tests/testutil.h"

#include <limits.h>
#include <pthread.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "base/fz.h"
#include "text/html.h"

static int setup(void **state)
{
    (void)state;
    fz_html_init();         /* text/html.h: once, before any thread */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xmlCleanupParser();
    return 0;
}

/* Run fz_html_to_text() on s[0,len), expecting FZ_OK; the text in *out,
 * the title returned (NULL or malloc'd). */
static char *run(const char *s, size_t len, struct fz_buf *out)
{
    char *title = NULL, *err = NULL;
    assert_int_equal(fz_html_to_text(s, len, out, &title, &err), FZ_OK);
    assert_null(err);
    return title;
}

static void check_file(const char *name, const char *want,
                       const char *want_title)
{
    size_t len;
    char *page = test_slurp(TESTDATA(name), &len);
    struct fz_buf out = FZ_BUF_INIT;
    char *title = run(page, len, &out);
    print_message("%s\n", name);
    assert_string_equal(fz_buf_cstr(&out), want);
    if (want_title == NULL)
        assert_null(title);
    else
        assert_string_equal(title, want_title);
    free(title);
    fz_buf_release(&out);
    free(page);
}

/* tests/data/html-page.html, read line by line: the <title> (trimmed),
 * the nav list (one line per <li>), the breadcrumb (&nbsp;&gt;&nbsp;
 * folds to " > "), the <h1> broken by <br/>, the info line (two &nbsp;
 * are one space), the paragraphs (inline strong/a/span/b add nothing,
 * the two &#12288; indent is trimmed, the source newline after "，" and
 * after "件，" joins, the <br> ends a line), the entities (&ldquo;
 * &rdquo; “”, &#x3002; 。, &amp; &lt; &gt; &#x4e2d; &#25991; &copy; and
 * the unknown &unknown; kept), the table (caption, then one line per
 * row, cells separated by a space, " 2 " trimmed), the footer.  Gone:
 * <style>, both <script>s, <noscript>, the comments, the head's meta and
 * link. */
static const char page_want[] =
    "平和县人民政府2022年度法治政府建设情况报告_平和县人民政府\n"
    "\n"
    "网站首页\n"
    "\n"
    "政务公开\n"
    "\n"
    "法治政府\n"
    "\n"
    "当前位置：首页 > 政务公开 > 法治政府建设\n"
    "\n"
    "平和县人民政府2022年度\n"
    "法治政府建设情况报告\n"
    "\n"
    "发布日期：2023-01-10 信息来源：县司法局\n"
    "\n"
    "2022年，我县深入学习贯彻习近平法治思想，全面推进依法行政，"
    "法治政府建设取得新成效。\n"
    "\n"
    "一、主要工作\n"
    "\n"
    "（一）完善行政复议体制。全县共办理12件，纠错2件。\n"
    "（二）推进“放管服”改革。\n"
    "\n"
    "A&B <C> 中文©&unknown;\n"
    "\n"
    "表1 行政复议案件\n"
    "\n"
    "类别 件数\n"
    "\n"
    "受理 12\n"
    "\n"
    "纠错 2\n"
    "\n"
    "版权所有：平和县人民政府 © 2023\n"
    "\n"
    "地址：平和县小溪镇\n";

static void test_page(void **state)
{
    (void)state;
    check_file("html-page.html", page_want,
               "平和县人民政府2022年度法治政府建设情况报告_平和县人民政府");
}

/* tests/data/html-broken.html: no <html>, <head> or <body>; stray </div>
 * </span> </td></tr></table>; <p>, <li>, <b>, <td> and <tr> never
 * closed; an unquoted attribute; a character reference without its
 * semicolon (HTML decodes &#20013 anyway).  Each paragraph, item, row
 * still gives its line. */
static void test_broken(void **state)
{
    (void)state;
    check_file("html-broken.html",
               "残缺的页面\n"
               "\n"
               "第一段没有结束标签\n"
               "\n"
               "第二段加粗没有结束\n"
               "\n"
               "甲\n"
               "\n"
               "乙\n"
               "\n"
               "属性没有引号紧接着\n"
               "\n"
               "第三段\n"
               "\n"
               "单元格一 单元格二\n"
               "\n"
               "下一行\n"
               "\n"
               "最后一段 中 没有分号\n",
               "残缺的页面");
}

/* tests/data/html-meta-gbk.html says charset=gb2312 and charset="gbk"
 * but is UTF-8, as decode hands it over: were the declaration obeyed,
 * every Han character would come out as two or three wrong ones.  𠀾 is
 * outside the BMP (4 bytes), 〇 and ㈠ are symbols. */
static void test_meta_gbk(void **state)
{
    (void)state;
    check_file("html-meta-gbk.html",
               "广州市海珠区人民政府关于2023年法治政府建设情况的报告\n"
               "\n"
               "2023年，在市委、市政府的坚强领导下，海珠区深入贯彻习近平法治"
               "思想。\n"
               "\n"
               "𠀾字与〇字、㈠、（一）都应原样保留。\n",
               "广州市海珠区人民政府关于2023年法治政府建设情况的报告");
}

/* tests/data/html-xxe.html: an internal subset declaring an external
 * entity on /etc/passwd and a billion-laughs chain, used in the title
 * and the body, and an iframe on /etc/passwd.  The HTML parser reads no
 * DTD: the subset ends at its first '>' (as in a browser) and the rest of
 * it is text; &xxe; and &lol9; are unknown references, kept as written. */
static void test_xxe(void **state)
{
    (void)state;
    size_t len;
    char *page = test_slurp(TESTDATA("html-xxe.html"), &len);
    struct fz_buf out = FZ_BUF_INIT;
    char *title = run(page, len, &out);
    const char *s = fz_buf_cstr(&out);
    assert_null(strstr(s, "root:"));
    assert_null(strstr(s, "/bin/"));
    assert_null(strstr(s, "lollol"));           /* nothing expanded */
    assert_true(out.len < len);                 /* 1029 bytes in */
    assert_non_null(strstr(s, "\n外部实体：&xxe;\n"));
    assert_non_null(strstr(s, "\n十亿笑：&lol9;\n"));
    assert_non_null(strstr(s, "\n正文照常。\n"));
    assert_null(strstr(s, "框架"));             /* iframe fallback */
    assert_string_equal(title, "实体&xxe;");
    free(title);
    fz_buf_release(&out);
    free(page);
}

/* fz_html_init()'s loader, seen through the one libxml2 parser that
 * would fetch: the XML parser told to load DTDs and substitute entities
 * (XML_PARSE_DTDLOAD | XML_PARSE_NOENT), which fz never asks for, on a
 * document whose external entity names a file holding a marker, and an
 * external DTD naming another.  Neither file is read. */
static void test_loader(void **state)
{
    (void)state;
    char dir[] = "/tmp/fz-test-html-XXXXXX", secret[64], dtd[64];
    assert_non_null(mkdtemp(dir));
    snprintf(secret, sizeof secret, "%s/secret", dir);
    snprintf(dtd, sizeof dtd, "%s/x.dtd", dir);
    FILE *f = fopen(secret, "w");
    assert_non_null(f);
    fputs("SECRET-MARKER", f);
    fclose(f);
    f = fopen(dtd, "w");
    assert_non_null(f);
    fputs("<!ENTITY fromdtd \"DTD-MARKER\">", f);
    fclose(f);
    char doc[512];
    int n = snprintf(doc, sizeof doc,
                     "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE r SYSTEM \"file://%s\" [\n"
                     "<!ENTITY xxe SYSTEM \"file://%s\">\n]>\n"
                     "<r>[&xxe;][&fromdtd;]</r>\n", dtd, secret);
    xmlDocPtr x = xmlReadMemory(doc, n, NULL, NULL,
                                XML_PARSE_DTDLOAD | XML_PARSE_NOENT
                                | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                                | XML_PARSE_RECOVER);
    if (x != NULL) {
        xmlChar *text = xmlNodeGetContent(xmlDocGetRootElement(x));
        if (text != NULL) {
            assert_null(strstr((const char *)text, "SECRET-MARKER"));
            assert_null(strstr((const char *)text, "DTD-MARKER"));
            xmlFree(text);
        }
        xmlFreeDoc(x);
    }
    unlink(secret);
    unlink(dtd);
    rmdir(dir);
}

/* The rules one at a time, each worked from text/html.h. */
static const struct {
    const char *in, *want, *title;
} cases[] = {
    /* 0: nothing in, nothing out */
    { "", "", NULL },
    { " \n\t\r\n ", "", NULL },
    /* 2: text that is not HTML: the parser wraps it in <p>; the newline
     * between "，" and "没" goes (CJK both sides), the blank line before
     * "plain" is a space, the lone & is text */
    { "这是一段纯文本，\n没有任何标记。\n\nplain text & more\n",
      "这是一段纯文本，没有任何标记。 plain text & more\n", NULL },
    /* 3: blocks and line breaks */
    { "<p>甲</p><p>乙</p>", "甲\n\n乙\n", NULL },
    { "<div>甲<p>乙</p>丙</div>", "甲\n\n乙\n\n丙\n", NULL },
    { "甲<br>乙", "甲\n乙\n", NULL },
    { "甲<br><br>乙", "甲\n\n乙\n", NULL },
    { "甲<br><br><br><br>乙", "甲\n\n乙\n", NULL },
    { "<p>甲</p><br><br><p>乙</p>", "甲\n\n乙\n", NULL },
    { "<br><p></p><div> </div>甲<br>", "甲\n", NULL },
    { "<h2>一、</h2><ul><li>甲</li><li>乙</li></ul><hr>丙",
      "一、\n\n甲\n\n乙\n\n丙\n", NULL },
    /* 11: inline elements add nothing */
    { "<span>法治</span><a href=x>政府</a><strong>建设</strong>",
      "法治政府建设\n", NULL },
    { "<p>Rule <em>of</em> law</p>", "Rule of law\n", NULL },
    /* 13: white space */
    { "<p>  甲 \t 乙  </p>", "甲 乙\n", NULL },
    { "<p>  甲 \t\n 乙  </p>", "甲乙\n", NULL },    /* a newline in it */
    { "法治\n  政府", "法治政府\n", NULL },        /* CJK both sides */
    { "法治，\n政府。\n（一）", "法治，政府。（一）\n", NULL },
    { "法治 政府", "法治 政府\n", NULL },          /* a space stays */
    { "法治&nbsp;\n政府", "法治 政府\n", NULL },   /* not only ASCII */
    { "法治\n2023年", "法治 2023年\n", NULL },     /* not CJK both sides */
    { "Rule\nof law", "Rule of law\n", NULL },
    { "<p>&#12288;&#12288;一、总体</p>", "一、总体\n", NULL },
    /* 21: entities */
    { "<p>&lt;b&gt; &amp;amp; &#x4E2D;&#25991; &nbsp;x&copy;&quot;</p>",
      "<b> &amp; 中文 x©\"\n", NULL },
    { "<p>&ldquo;放管服&rdquo;&mdash;&hellip;</p>", "“放管服”—…\n", NULL },
    /* 23: tables: a row per line, cells one space apart */
    { "<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>",
      "甲 乙\n\n丙\n", NULL },
    { "<table><tr><td><p>甲</p></td><td>乙</td></tr></table>",
      "甲\n\n乙\n", NULL },
    /* 25: <pre> keeps its line ends, still folds spaces */
    { "<pre>x  y\nz\n\n\nw</pre>", "x y\nz\n\nw\n", NULL },
    /* 26: dropped with their content */
    { "<!-- 注释 --><p>正文<!-- 中间 -->继续</p>", "正文继续\n", NULL },
    { "<noscript>n</noscript><template><p>t</p></template>"
      "<script>s()</script><style>p{}</style>留", "留\n", NULL },
    { "<select><option>北京</option></select><button>搜索</button>"
      "<textarea>输入</textarea><iframe>框</iframe><object>对象</object>"
      "<video>视频</video>留言", "留言\n", NULL },
    { "<ruby>區<rp>(</rp><rt>qū</rt><rp>)</rp></ruby>域", "區域\n", NULL },
    { "<head><meta name=x content=y><link href=z><base href=/></head>"
      "<body>正文</body>", "正文\n", NULL },
    /* 31: the title: first one only, folded; empty is none */
    { "<title> 甲 &amp;\n 乙 </title><p>x</p>", "甲 & 乙\n\nx\n", "甲 & 乙" },
    { "<title> </title><p>x</p>", "x\n", NULL },
    { "<title>一</title><title>二</title>", "一\n\n二\n", "一" },
    { "<p>无标题</p>", "无标题\n", NULL },
    /* 35: bytes that are not UTF-8 still give UTF-8 */
    { "<p>a\xFF" "b</p>", "a\xEF\xBF\xBD" "b\n", NULL },
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_buf out = FZ_BUF_INIT;
        print_message("case %zu\n", i);
        char *title = run(cases[i].in, strlen(cases[i].in), &out);
        assert_string_equal(fz_buf_cstr(&out), cases[i].want);
        if (cases[i].title == NULL)
            assert_null(title);
        else
            assert_string_equal(title, cases[i].title);
        free(title);
        fz_buf_release(&out);
    }
}

/* out is appended to; errptr is left alone on success; title and errptr
 * may be NULL; NULL with len 0 is an empty page. */
static void test_contract(void **state)
{
    (void)state;
    struct fz_buf out = FZ_BUF_INIT;
    assert_int_equal(fz_buf_appends(&out, "前文\n"), FZ_OK);
    char *err = strdup("earlier");
    char *title = (char *)"junk";
    const char *in = "<title>题</title>甲";
    assert_int_equal(fz_html_to_text(in, strlen(in), &out, &title, &err),
                     FZ_OK);
    assert_string_equal(fz_buf_cstr(&out), "前文\n题\n\n甲\n");
    assert_string_equal(err, "earlier");
    assert_string_equal(title, "题");
    free(title);
    free(err);
    fz_buf_reset(&out);
    in = "<p>乙</p>";
    assert_int_equal(fz_html_to_text(in, strlen(in), &out, NULL, NULL),
                     FZ_OK);
    assert_string_equal(fz_buf_cstr(&out), "乙\n");
    fz_buf_reset(&out);
    title = (char *)"junk";
    assert_int_equal(fz_html_to_text(NULL, 0, &out, &title, NULL), FZ_OK);
    assert_int_equal(out.len, 0);
    assert_null(title);
    /* too large for libxml2's int: refused before a byte is read */
    err = NULL;
    title = (char *)"junk";
    assert_int_equal(fz_html_to_text("x", (size_t)INT_MAX + 1, &out, &title,
                                     &err), FZ_EINVAL);
    assert_string_equal(err, "html page of 2147483648 bytes is too large "
                        "to parse");
    assert_null(title);
    assert_int_equal(out.len, 0);
    free(err);
    fz_buf_release(&out);
}

/* 3000 <div>s never closed, more than libxml2's default limit of 256
 * open elements: the text after them is still there, and the walk does
 * not recurse. */
static void test_deep(void **state)
{
    (void)state;
    struct fz_buf in = FZ_BUF_INIT, out = FZ_BUF_INIT;
    assert_int_equal(fz_buf_appends(&in, "<p>前</p>"), FZ_OK);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(fz_buf_appends(&in, "<div><font>"), FZ_OK);
    assert_int_equal(fz_buf_appends(&in, "深处<p>后</p>"), FZ_OK);
    char *title = run(in.data, in.len, &out);
    assert_null(title);
    assert_string_equal(fz_buf_cstr(&out), "前\n\n深处\n\n后\n");
    fz_buf_release(&out);
    fz_buf_release(&in);
}

/* text/html.h: after xmlInitParser(), any number of threads at once. */
struct job {
    const char *page;
    size_t len;
    int ok;
};

static void *thread_main(void *arg)
{
    struct job *j = arg;
    j->ok = 1;
    for (int k = 0; k < 20 && j->ok; k++) {
        struct fz_buf out = FZ_BUF_INIT;
        char *title = NULL;
        if (fz_html_to_text(j->page, j->len, &out, &title, NULL) != FZ_OK
            || strcmp(fz_buf_cstr(&out), page_want) != 0 || title == NULL)
            j->ok = 0;
        free(title);
        fz_buf_release(&out);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t len;
    char *page = test_slurp(TESTDATA("html-page.html"), &len);
    pthread_t t[4];
    struct job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){ page, len, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &jobs[i]),
                         0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_true(jobs[i].ok);
    }
    free(page);
}

/* Trim ASCII white space and fold inner runs of spaces to one, as the
 * lines of the output are. */
static void fold(char *s)
{
    char *w = s;
    int space = 0;
    for (char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\r') {
            space = w > s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
}

/* End to end: the first five non-empty lines of a seed, each escaped
 * into its own <p>, come back as five lines, in order, nothing else. */
static void test_corpus(void **state)
{
    (void)state;
    size_t len;
    char *raw = test_slurp(CORPUS("003_65475f305930a54e.txt"), &len);
    char *lines[5];
    size_t n = 0;
    struct fz_buf html = FZ_BUF_INIT, want = FZ_BUF_INIT, out = FZ_BUF_INIT;
    assert_int_equal(fz_buf_appends(&html, "<!DOCTYPE html><html><head>"
                     "<meta charset=\"utf-8\"></head><body>\n"), FZ_OK);
    for (char *p = raw, *e; n < 5 && p < raw + len; p = e + 1) {
        e = memchr(p, '\n', (size_t)(raw + len - p));
        if (e == NULL)
            e = raw + len;
        *e = '\0';
        fold(p);
        if (*p == '\0')
            continue;
        lines[n++] = p;
        assert_int_equal(fz_buf_appends(&html, "<p>"), FZ_OK);
        for (const char *c = p; *c; c++) {
            int rc = *c == '<' ? fz_buf_appends(&html, "&lt;")
                   : *c == '>' ? fz_buf_appends(&html, "&gt;")
                   : *c == '&' ? fz_buf_appends(&html, "&amp;")
                   : fz_buf_appendc(&html, *c);
            assert_int_equal(rc, FZ_OK);
        }
        assert_int_equal(fz_buf_appends(&html, "</p>\n"), FZ_OK);
    }
    assert_int_equal(n, 5);
    assert_int_equal(fz_buf_appends(&html, "</body></html>\n"), FZ_OK);
    /* "<" is the second line: it must come back unescaped */
    assert_string_equal(lines[1], "<");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fz_buf_appendf(&want, "%s%s\n", i ? "\n" : "",
                                        lines[i]), FZ_OK);
    char *title = run(html.data, html.len, &out);
    assert_null(title);
    assert_string_equal(fz_buf_cstr(&out), fz_buf_cstr(&want));
    fz_buf_release(&out);
    fz_buf_release(&want);
    fz_buf_release(&html);
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_meta_gbk),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_loader),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
