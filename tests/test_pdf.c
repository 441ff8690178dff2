/* reader/pdf, sniff, read: PDFs printed from text we have (tests/pdfgen.h)
 * read back as the text itself.
 *
 * Each report of corpus/ (the five seeds with their sidecars, and every
 * sixth State Council report) is printed the way government PDFs look:
 * hard-wrapped at 28 characters and justified, a running header, page
 * numbers in three styles, letter-spaced label lines, paragraphs over
 * page breaks, the title large and centred.  Read back through
 * fz_extract_pdf() and fz_report_parse_extract(), it must give the same
 * passages as the text read by fz_report_parse(), so that every query of
 * the workload (tests/data/queries.txt, by Han run) and a sample of Han
 * substrings find exactly the same passages; each passage must be on the
 * page the generator put it on; no header or page number may remain.
 * Then a table, a scan (refused, then read by OCR), a font without
 * ToUnicode, and broken files. */
#include "tests/testutil.h"
#include "tests/pdfgen.h"
#include "reader/extract.h"
#include "reader/read.h"

#include <unistd.h>

static struct fz_textctx tc;
static char tmpdir[] = "/tmp/fz-test-pdf-XXXXXX";
static const char *bin = "build";
#define HEADER "法治政府建设年度报告（印发稿）"

/* Han as utf8.h defines it, for choosing queries: the CJK blocks and
 * U+3007 (tests' own copy, independent of fz_is_han()) */
static int han(uint32_t c)
{
    return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)
           || (c >= 0x20000 && c <= 0x323af) || (c >= 0xf900 && c <= 0xfaff)
           || c == 0x3007;
}

/* The paragraphs of a text: its lines, trimmed of spaces, tabs and U+3000
 * at both ends, empty ones left out; pointers into text. */
struct src {
    const char **p;
    size_t *l;
    unsigned *page;
    size_t n;
};

static void paragraphs(const char *text, size_t len, struct src *s)
{
    s->p = calloc(len + 1, sizeof *s->p);
    s->l = calloc(len + 1, sizeof *s->l);
    s->page = calloc(len + 1, sizeof *s->page);
    assert_non_null(s->p);
    s->n = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t a = i, b = e;
        for (;;) {
            if (a < b && (text[a] == ' ' || text[a] == '\t'
                          || text[a] == '\r'))
                a++;
            else if (b - a >= 3 && memcmp(text + a, "\xe3\x80\x80", 3) == 0)
                a += 3;
            else
                break;
        }
        for (;;) {
            if (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'
                          || text[b - 1] == '\r'))
                b--;
            else if (b - a >= 3 && memcmp(text + b - 3, "\xe3\x80\x80", 3)
                     == 0)
                b -= 3;
            else
                break;
        }
        if (b > a) {
            s->p[s->n] = text + a;
            s->l[s->n++] = b - a;
        }
        i = e + 1;
    }
}

static void src_free(struct src *s)
{
    free(s->p);
    free(s->l);
    free(s->page);
}

/* The PDF of paragraphs s, written to tmpdir/name.pdf, read back. */
static char *print_pdf(const char *name, struct src *s, size_t title,
                       struct pg_opts *o, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, name);
    assert_int_equal(pg_write(path, s->p, s->l, s->n, title, o, s->page), 0);
    return test_slurp(path, len);
}

struct tally {
    size_t reports, passages, pages, split, spaced, queries, found,
           paged, page_miss, titles, same, text_passages;
};

/* The first run of four or more Han characters of s, into buf: a piece
 * of a passage that the source paragraph holds unchanged. */
static int han_run(const char *s, char *buf, size_t size)
{
    size_t i = 0, n;
    while (s[i]) {
        size_t st = i, k = 0;
        while (s[i] && han(test_cp_at(s + i, &n))) {
            i += n;
            k++;
        }
        if (k >= 4 && i - st < size) {
            memcpy(buf, s + st, i - st);
            buf[i - st] = '\0';
            return 1;
        }
        if (s[i])
            i += (test_cp_at(s + i, &n), n);
    }
    return 0;
}

static int has_norm(const struct fz_report *r, const char *q)
{
    for (size_t i = 0; i < r->passages.n; i++)
        if (strstr(fz_buf_cstr(&r->norm[i].text), q))
            return 1;
    return 0;
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;      /* Numerical Recipes */
    return *s >> 8;
}

/* The workload's queries as Han runs, folded */
static char **queries;
static size_t n_queries;

static void load_queries(void)
{
    size_t len;
    char *q = test_slurp(TESTDATA("queries.txt"), &len);
    queries = calloc(len + 1, sizeof *queries);
    for (char *line = strtok(q, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        for (size_t i = 0, n; line[i];) {
            size_t st = i;
            while (line[i] && han(test_cp_at(line + i, &n)))
                i += n;
            if (i > st) {
                char *f = fz_norm_str(tc.norm, line + st, i - st);
                assert_non_null(f);
                queries[n_queries++] = f;
            }
            if (line[i])
                i += (test_cp_at(line + i, &n), n);
        }
    }
    free(q);
}

/* The text of a report and its PDF: the same passages, the same query
 * results, the right pages, no chrome left. */
static void compare(const char *name, const struct fz_report *rt,
                    const struct fz_report *rp, const struct fz_extract *ex,
                    const struct src *s, const struct pg_opts *o,
                    struct tally *t)
{
    /* passages: the same, but for lines the text itself breaks inside a
     * sentence, which the text pipeline joins in text that separates
     * paragraphs by empty lines, and the PDF prints as paragraphs */
    for (size_t i = 0; i < rp->passages.n; i++) {
        size_t k = 0;
        for (; k < rt->passages.n; k++)
            if (strcmp(rp->passages.v[i].text, rt->passages.v[k].text) == 0) {
                t->same++;
                break;
            }
        if (k == rt->passages.n && getenv("FZ_TEST_VERBOSE"))
            print_message("%s: passage %zu not in the text: %s\n", name, i,
                          rp->passages.v[i].text);
    }
    t->text_passages += rt->passages.n;
    /* queries: the workload's, then Han substrings of the text's
     * passages and the same with two characters swapped */
    uint32_t seed = 11;
    for (size_t k = 0; k < n_queries + 120; k++) {
        char buf[64];
        const char *q = NULL;
        if (k < n_queries) {
            q = queries[k];
        } else if (rt->passages.n > 0) {
            const char *p = fz_buf_cstr(
                &rt->norm[lcg(&seed) % rt->passages.n].text);
            size_t plen = strlen(p), at = lcg(&seed) % (plen + 1), n;
            while (at < plen && ((unsigned char)p[at] & 0xc0) == 0x80)
                at++;
            size_t e = at, want = 1 + lcg(&seed) % 6, got = 0;
            while (e < plen && got < want && han(test_cp_at(p + e, &n))) {
                e += n;
                got++;
            }
            if (got == 0 || e - at >= sizeof buf)
                continue;
            memcpy(buf, p + at, e - at);
            buf[e - at] = '\0';
            if (k % 2 && got >= 2) {        /* swap the first two */
                size_t n1, n2;
                char a[8], b2[8];
                test_cp_at(buf, &n1);
                test_cp_at(buf + n1, &n2);
                memcpy(a, buf, n1);
                memcpy(b2, buf + n1, n2);
                memcpy(buf, b2, n2);
                memcpy(buf + n2, a, n1);
            }
            q = buf;
        }
        if (q == NULL)
            continue;
        int in_t = has_norm(rt, q), in_p = has_norm(rp, q);
        if (in_t != in_p)
            fail_msg("%s: query %s: text %d, pdf %d", name, q, in_t, in_p);
        t->queries++;
        t->found += in_t;
    }
    /* pages: where the generator put the paragraph each passage starts
     * in */
    size_t cur = 0;
    for (size_t i = 0; i < rp->passages.n; i++) {
        char run[256];
        if (!han_run(rp->passages.v[i].text, run, sizeof run)) {
            t->page_miss++;
            continue;
        }
        /* the paragraph it starts, else the one it is part of (a long
         * paragraph may be more than one passage) */
        const char *pt = rp->passages.v[i].text;
        size_t pre = 0, n;
        for (int c = 0; c < 16 && pt[pre]; c++)
            pre += (test_cp_at(pt + pre, &n), n);
        size_t k = i ? cur + 1 : 0;
        while (k < s->n && (s->l[k] < pre || memcmp(s->p[k], pt, pre) != 0))
            k++;
        if (k == s->n)
            for (k = cur; k < s->n; k++)
                if (memmem(s->p[k], s->l[k], run, strlen(run)))
                    break;
        if (k == s->n) {
            t->page_miss++;
            continue;
        }
        if (rp->passages.v[i].page != s->page[k])
            fail_msg("%s: passage %zu on page %u, printed on page %u: %.80s",
                     name, i, rp->passages.v[i].page, s->page[k],
                     rp->passages.v[i].text);
        cur = k;
        t->paged++;
    }
    /* chrome: no running header (which only repetition tells from text:
     * a one-page report keeps it), no line that is a page number */
    const char *x = fz_buf_cstr(&ex->text);
    if (o->pages > 1 && strstr(x, HEADER))
        fail_msg("%s: the running header is in the text", name);
    for (const char *l = x; *l;) {
        const char *e = l;
        while (*e && *e != '\n')
            e++;
        char line[128], want[128];
        size_t n = 0;
        for (const char *c = l; c < e && n + 1 < sizeof line; c++)
            if (*c != ' ' && *c != '\f')
                line[n++] = *c;
        line[n] = '\0';
        for (unsigned pg = 1; pg <= o->pages; pg++) {
            snprintf(want, sizeof want, "-%u-", pg);
            assert_string_not_equal(line, want);
            snprintf(want, sizeof want, "—%u—", pg);
            assert_string_not_equal(line, want);
            snprintf(want, sizeof want, "第%u页共%u页", pg, o->pages);
            assert_string_not_equal(line, want);
        }
        l = *e ? e + 1 : e;
    }
    assert_int_equal(ex->pages, o->pages);
    t->reports++;
    t->passages += rp->passages.n;
    t->pages += o->pages;
    t->split += o->split;
    t->spaced += o->spaced;
}

static struct fz_report *read_pdf(const char *bytes, size_t len,
                                  const struct fz_meta_given *given,
                                  struct fz_extract *ex)
{
    struct fz_report *r = NULL;
    char *err = NULL;
    int rc = fz_extract_pdf(bytes, len, NULL, ex, &err);
    if (rc != FZ_OK)
        fail_msg("fz_extract_pdf: %s", err);
    assert_int_equal(fz_report_parse_extract(&tc, ex, given, NULL, &r, &err),
                     FZ_OK);
    return r;
}

static void test_corpus(void **state)
{
    (void)state;
    struct tally t = { 0 };
    static const char *const seeds[] = {
        "000_b603a63773e2a13c", "001_5786f2a229778fa1",
        "002_3bd825ff36a50f76", "003_65475f305930a54e",
        "004_1125619140e8c921",
    };
    static const enum pg_numbers styles[] = { PG_DASH, PG_OF, PG_EMDASH };
    static struct pg_opts o;
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        char txt[256];
        snprintf(txt, sizeof txt, "%s.txt", seeds[f]);
        size_t len;
        char *text = test_slurp(CORPUS(txt), &len);
        struct fz_record side;
        char *err = NULL;
        int have = fz_sidecar_load(CORPUS(txt), NULL, &side, &err);
        assert_true(have >= 0);
        const struct fz_meta_given *given = have ? &side.given : NULL;
        struct fz_report *rt = NULL;
        assert_int_equal(fz_report_parse(&tc, text, len, given, seeds[f],
                                         &rt, &err), FZ_OK);
        struct src s;
        paragraphs(text, len, &s);
        /* the title printed large: the line the text's title is */
        size_t title = (size_t)-1;
        for (size_t k = 0; k < s.n && rt->meta.title; k++)
            if (s.l[k] == strlen(rt->meta.title)
                && memcmp(s.p[k], rt->meta.title, s.l[k]) == 0) {
                title = k;
                break;
            }
        /* (a title given by the sidecar may be no line of the text) */
        o = (struct pg_opts){ HEADER, styles[f % 3], 1, 0, 0, 0, 0, "", 0 };
        size_t plen;
        char *pdf = print_pdf(seeds[f], &s, title, &o, &plen);
        struct fz_extract ex;
        struct fz_report *rp = read_pdf(pdf, plen, given, &ex);
        compare(seeds[f], rt, rp, &ex, &s, &o, &t);
        if (title != (size_t)-1) {
            assert_non_null(ex.title);
            assert_string_equal(ex.title, rt->meta.title);
            t.titles++;
        }
        assert_string_equal(rp->meta.title, rt->meta.title);
        fz_extract_release(&ex);
        fz_report_free(rp);
        fz_report_free(rt);
        src_free(&s);
        free(pdf);
        if (have)
            fz_record_release(&side);
        free(text);
    }
    /* every sixth State Council report, its title printed above it and
     * given to neither: the PDF's title must be found in print, and the
     * report must be titled as the same text is */
    size_t len;
    char *jl = test_slurp(CORPUS("gov-work-reports-1954-2025.jsonl"), &len);
    size_t lineno = 0;
    for (char *line = jl, *e; *line; line = *e ? e + 1 : e) {
        e = strchr(line, '\n');
        if (e == NULL)
            e = line + strlen(line);
        if (lineno++ % 6 != 0)
            continue;
        struct fz_record rec;
        char *err = NULL;
        assert_int_equal(fz_record_parse(line, (size_t)(e - line), &rec,
                                         &err), FZ_OK);
        struct fz_buf b = FZ_BUF_INIT;
        assert_int_equal(fz_buf_appendf(&b, "%s\n", rec.given.title), 0);
        assert_int_equal(fz_buf_append(&b, rec.text, rec.len), 0);
        struct fz_report *rt = NULL;
        assert_int_equal(fz_report_parse(&tc, b.data, b.len, NULL, NULL, &rt,
                                         &err), FZ_OK);
        struct src s;
        paragraphs(b.data, b.len, &s);
        char name[64];
        snprintf(name, sizeof name, "sc%zu", lineno);
        o = (struct pg_opts){ HEADER, styles[lineno % 3], 1, 0, 0, 0, 0, "",
                              0 };
        size_t plen;
        char *pdf = print_pdf(name, &s, 0, &o, &plen);
        struct fz_extract ex;
        struct fz_report *rp = read_pdf(pdf, plen, NULL, &ex);
        compare(name, rt, rp, &ex, &s, &o, &t);
        assert_string_equal(ex.title, rec.given.title);
        assert_string_equal(rp->meta.title, rt->meta.title);
        t.titles++;
        fz_extract_release(&ex);
        fz_report_free(rp);
        fz_report_free(rt);
        src_free(&s);
        fz_buf_release(&b);
        free(pdf);
        fz_record_release(&rec);
    }
    free(jl);
    print_message("pdf: %zu reports, %zu pages, %zu passages (%zu from "
                  "the text, %zu identical), %zu titles found in print; "
                  "%zu paragraphs over a page break, %zu lines "
                  "letter-spaced; %zu queries (%zu found) alike; %zu "
                  "passages on the right page (%zu without a Han run "
                  "to place)\n", t.reports, t.pages, t.passages,
                  t.text_passages, t.same, t.titles,
                  t.split,
                  t.spaced, t.queries, t.found, t.paged, t.page_miss);
    assert_true(t.reports >= 17);
    assert_true(t.split > 100);
    assert_true(t.spaced > 50);
    assert_true(t.paged > t.passages * 9 / 10);
    assert_true(t.same >= t.passages * 97 / 100);
}

/* An official document as it is printed (GB/T 9704): the letterhead
 * large and centred, the document number centred, the title in 22
 * points, the body, the issuer and date set to the right, the note and
 * the colophon in smaller type.  The title is the title (not the larger
 * letterhead), the number and the colophon are searchable, and the date
 * is the signature's. */
static void test_official_document(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double size, indent;
        int centre;
    } paras[] = {
        { "某市人民政府文件", 36, 0, 1 },
        { "某府〔2024〕3号", PG_SIZE, 0, 1 },
        { "某市人民政府关于2023年法治政府建设情况的报告", 22, 0, 1 },
        { "省人民政府：", PG_SIZE, 0, 0 },
        { "2023年，我市深入学习贯彻习近平法治思想，全面推进依法行政，法治"
          "政府建设取得新成效，各项工作取得积极进展。现将有关情况报告如下：",
          PG_SIZE, 2 * PG_SIZE, 0 },
        { "一、主要举措和成效", PG_SIZE, 2 * PG_SIZE, 0 },
        { "（一）深化行政复议体制改革。全年办理行政复议案件1200件，依法纠错"
          "80件，行政机关负责人出庭应诉率达到百分之百。", PG_SIZE,
          2 * PG_SIZE, 0 },
        { "某市人民政府", PG_SIZE, 17 * PG_SIZE, 0 },
        { "2024年1月20日", PG_SIZE, 16.5 * PG_SIZE, 0 },
        { "（此件主动公开）", PG_SIZE, 2 * PG_SIZE, 0 },
        { "抄送：市委各部门，市人大常委会办公厅，市中级人民法院。",
          PG_SIZE * 0.9, PG_SIZE, 0 },
        { "某市人民政府办公室 2024年1月21日印发", PG_SIZE * 0.9, PG_SIZE,
          0 },
    };
    static struct pg_opts o;
    o = (struct pg_opts){ NULL, PG_DASH, 0, 0, 0, 0, 0, "", 0 };
    char path[512];
    snprintf(path, sizeof path, "%s/official.pdf", tmpdir);
    struct pg_state st = { NULL, NULL, 1, 1, PG_TOP, &o };
    st.s = cairo_pdf_surface_create(path, PG_W, PG_H);
    st.cr = cairo_create(st.s);
    cairo_select_font_face(st.cr, "Noto Serif CJK SC",
                           CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t i = 0; i < sizeof paras / sizeof paras[0]; i++) {
        pg_para(&st, paras[i].text, strlen(paras[i].text), paras[i].size,
                paras[i].indent, paras[i].centre, 0);
        pg_newline(&st, PG_PITCH * (i < 3 ? 2 : 1));
    }
    pg_chrome(&st);
    cairo_show_page(st.cr);
    assert_int_equal(cairo_status(st.cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(st.cr);
    cairo_surface_finish(st.s);
    cairo_surface_destroy(st.s);
    size_t len;
    char *pdf = test_slurp(path, &len);
    struct fz_extract ex;
    struct fz_report *r = read_pdf(pdf, len, NULL, &ex);
    assert_string_equal(r->meta.title, paras[2].text);
    assert_string_equal(r->meta.date, "2024-01-20");
    size_t number = 0, colophon = 0, body = 0;
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        number += strstr(p->text, "某府〔2024〕3号") != NULL;
        colophon += strstr(p->text, "市中级人民法院") != NULL
                    && strstr(p->text, "2024年1月21日印发") != NULL;
        body += p->kind == FZ_PASSAGE_BODY;
        if (strstr(p->text, "抄送"))
            assert_int_equal(p->kind, FZ_PASSAGE_SIGNATURE);
    }
    assert_int_equal(number, 1);
    assert_int_equal(colophon, 1);
    assert_int_equal(body, 3);      /* the opening, the heading, (一) */
    fz_extract_release(&ex);
    fz_report_free(r);
    free(pdf);
}

/* A short report, where most printed rows open a paragraph (the
 * addressee, headings, one- and two-line paragraphs): the left margin is
 * still told from the indent, so a heading after a paragraph whose last
 * line happens to reach the right margin (the first report's opening
 * paragraph, printed, fills its last line) is not run into it: the
 * PDF's passages are the text's, one for one. */
static void test_short_report(void **state)
{
    (void)state;
    static const char *const reports[] = {
        "某市人民政府关于2023年法治政府建设情况的报告\n"
        "省人民政府：\n"
        "2023年，我市深入学习贯彻习近平法治思想，全面推进依法行政，法治政"
        "府建设取得新成效。现将有关情况报告如下：\n"
        "一、主要举措和成效\n"
        "（一）深化行政复议体制改革。全年办理行政复议案件1200件，依法纠错"
        "80件。\n"
        "（二）加强行政执法监督。开展执法案卷评查，评查案卷300宗。\n"
        "二、存在的不足和下一步打算\n"
        "基层执法力量不足，下一步将加强执法队伍建设。\n",
        "某县司法局2023年法治政府建设工作总结\n"
        "一、基本情况\n"
        "全年共审查规范性文件四十二件，提出修改意见一百零六条，均被采纳；"
        "办理行政复议案件八十件，依法纠错九件。\n"
        "二、主要做法\n"
        "开展普法宣传活动一百二十场次。\n"
        "三、下一步工作\n"
        "持续推进严格规范公正文明执法。\n",
    };
    static struct pg_opts o;
    for (size_t f = 0; f < sizeof reports / sizeof reports[0]; f++) {
        size_t len = strlen(reports[f]);
        struct fz_report *rt = NULL;
        char *err = NULL;
        assert_int_equal(fz_report_parse(&tc, reports[f], len, NULL, NULL,
                                         &rt, &err), FZ_OK);
        struct src s;
        paragraphs(reports[f], len, &s);
        o = (struct pg_opts){ NULL, PG_DASH, 0, 0, 0, 0, 0, "", 0 };
        char name[32];
        snprintf(name, sizeof name, "short%zu", f);
        size_t plen;
        char *pdf = print_pdf(name, &s, 0, &o, &plen);
        struct fz_extract ex;
        struct fz_report *rp = read_pdf(pdf, plen, NULL, &ex);
        assert_string_equal(rp->meta.title, rt->meta.title);
        assert_int_equal(rp->passages.n, rt->passages.n);
        for (size_t i = 0; i < rt->passages.n; i++)
            assert_string_equal(rp->passages.v[i].text,
                                rt->passages.v[i].text);
        fz_extract_release(&ex);
        fz_report_free(rp);
        fz_report_free(rt);
        src_free(&s);
        free(pdf);
    }
}

/* A table of a 政府信息公开 annual report between two paragraphs that
 * reach the right margin: each row one line, its cells in order. */
static void test_table(void **state)
{
    (void)state;
    static const char text[] =
        "某区人民政府2023年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "本年度主动公开政府信息的情况如下表所示，各项数据均截至二〇二三年"
        "十二月三十一日，由区政府办公室汇总统计形成并经审核确认。\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\t3\n"
        "行政规范性文件\t12\t4\t56\n"
        "行政许可\t1310\t7\t2.5\n"
        "本年度依申请公开工作平稳有序，收到申请的数量较上年有所增加，"
        "答复均在法定期限内完成，未发生因政府信息公开被纠错的情形。\n";
    static const char *const rows[] = {
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 0 3", "行政规范性文件 12 4 56", "行政许可 1310 7 2.5",
    };
    struct src s;
    paragraphs(text, sizeof text - 1, &s);
    static struct pg_opts o;
    o = (struct pg_opts){ NULL, PG_DASH, 0, 0, 0, 0, 0, "", 0 };
    size_t plen;
    char *pdf = print_pdf("table", &s, 0, &o, &plen);
    assert_int_equal(o.table_rows, 4);
    struct fz_extract ex;
    struct fz_report *rp = read_pdf(pdf, plen, NULL, &ex);
    const char *x = fz_buf_cstr(&ex.text);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char want[256];
        snprintf(want, sizeof want, "\n%s\n", rows[i]);
        if (strstr(x, want) == NULL)
            fail_msg("row \"%s\" not a line of:\n%s", rows[i], x);
    }
    /* and the text reads the same as the text: cells are found */
    struct fz_report *rt = NULL;
    char *err = NULL;
    assert_int_equal(fz_report_parse(&tc, text, sizeof text - 1, NULL, NULL,
                                     &rt, &err), FZ_OK);
    struct tally t = { 0 };
    compare("table", rt, rp, &ex, &s, &o, &t);
    fz_report_free(rt);
    fz_report_free(rp);
    fz_extract_release(&ex);
    src_free(&s);
    free(pdf);
}

/* The text of seed 003 as a PDF, for the scan and the font tests */
static char *seed_pdf(const char *name, struct pg_opts *o, size_t *plen)
{
    size_t len;
    char *text = test_slurp(CORPUS("003_65475f305930a54e.txt"), &len);
    struct src s;
    paragraphs(text, len, &s);
    *o = (struct pg_opts){ HEADER, PG_DASH, 1, 0, 0, 0, 0, "", 0 };
    char *pdf = print_pdf(name, &s, (size_t)-1, o, plen);
    src_free(&s);
    free(text);
    return pdf;
}

static int one_line(const char *s)
{
    return s && s[0] && strchr(s, '\n') == NULL;
}

/* How many of want's Han characters got has, as a multiset */
static double han_recall(const char *want, const char *got)
{
    static unsigned count[0x10000];
    size_t n_want = 0, hit = 0, n;
    memset(count, 0, sizeof count);
    for (size_t i = 0; got[i]; i += n) {
        uint32_t c = test_cp_at(got + i, &n);
        if (han(c) && c < 0x10000)
            count[c]++;
    }
    for (size_t i = 0; want[i]; i += n) {
        uint32_t c = test_cp_at(want + i, &n);
        if (!han(c) || c >= 0x10000)
            continue;
        n_want++;
        if (count[c] > 0) {
            count[c]--;
            hit++;
        }
    }
    return n_want ? (double)hit / (double)n_want : 0;
}

/* Page 1 rasterised at 150 pixels an inch and printed as an image: no
 * text layer.  Refused in one line without --ocr; read with it. */
static void test_scan(void **state)
{
    (void)state;
    static struct pg_opts o;
    size_t plen, slen;
    char *pdf = seed_pdf("seed", &o, &plen);
    char path[512];
    snprintf(path, sizeof path, "%s/scan.pdf", tmpdir);
    assert_int_equal(pg_scan(pdf, plen, 1, 150, path), 0);
    char *scan = test_slurp(path, &slen);
    struct fz_extract ex;
    char *err = NULL;
    assert_int_equal(fz_extract_pdf(scan, slen, NULL, &ex, &err),
                     FZ_EUNREADABLE);
    assert_true(one_line(err));
    assert_non_null(strstr(err, "no text layer"));
    assert_non_null(strstr(err, "--ocr"));
    free(err);
    err = NULL;
    /* fztext says so in one line and exits 1 */
    struct fz_buf out = FZ_BUF_INIT;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/fztext %s 2>&1", bin, path);
    assert_int_equal(test_run(cmd, &out), 1);
    assert_true(one_line(fz_buf_cstr(&out)) || (out.len > 0
                && out.data[out.len - 1] == '\n'
                && memchr(out.data, '\n', out.len) == out.data + out.len - 1));
    fz_buf_release(&out);

    struct fz_extract_opts ocr = { 1 };
    int rc = fz_extract_pdf(scan, slen, &ocr, &ex, &err);
    if (rc != FZ_OK)
        fail_msg("ocr: %s", err);
    assert_int_equal(ex.ocr_pages, 1);
    assert_int_equal(ex.pages, 1);
    o.page1[o.page1_len] = '\0';
    double r = han_recall(o.page1, fz_buf_cstr(&ex.text));
    print_message("ocr: %.1f%% of page 1's Han characters recognised\n",
                  100 * r);
    assert_true(r > 0.8);
    fz_extract_release(&ex);
    free(scan);
    free(pdf);
}

/* Fonts without ToUnicode: the text layer is codes, not characters */
static void test_no_unicode(void **state)
{
    (void)state;
    static struct pg_opts o;
    size_t plen;
    char *pdf = seed_pdf("nomap", &o, &plen);
    assert_true(pg_strip_tounicode(pdf, plen) > 0);
    struct fz_extract ex;
    char *err = NULL;
    assert_int_equal(fz_extract_pdf(pdf, plen, NULL, &ex, &err),
                     FZ_EUNREADABLE);
    assert_true(one_line(err));
    assert_non_null(strstr(err, "without Unicode mapping"));
    free(err);
    free(pdf);
}

/* A PDF of three objects and an optional fourth, its xref right */
static size_t mini_pdf(char *out, size_t cap, const char *count,
                       const char *obj4, const char *trailer)
{
    size_t off[5], n = 0;
    n += (size_t)snprintf(out + n, cap - n, "%%PDF-1.4\n");
    off[1] = n;
    n += (size_t)snprintf(out + n, cap - n,
                          "1 0 obj << /Type /Catalog /Pages 2 0 R >> "
                          "endobj\n");
    off[2] = n;
    n += (size_t)snprintf(out + n, cap - n,
                          "2 0 obj << /Type /Pages /Kids [3 0 R] /Count %s "
                          ">> endobj\n", count);
    off[3] = n;
    n += (size_t)snprintf(out + n, cap - n,
                          "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox "
                          "[0 0 595 842] >> endobj\n");
    off[4] = n;
    if (obj4)
        n += (size_t)snprintf(out + n, cap - n, "4 0 obj %s endobj\n", obj4);
    size_t xref = n, nobj = obj4 ? 5 : 4;
    n += (size_t)snprintf(out + n, cap - n, "xref\n0 %zu\n"
                          "0000000000 65535 f \n", nobj);
    for (size_t k = 1; k < nobj; k++)
        n += (size_t)snprintf(out + n, cap - n, "%010zu 00000 n \n", off[k]);
    n += (size_t)snprintf(out + n, cap - n, "trailer << /Size %zu /Root 1 0 "
                          "R %s >>\nstartxref\n%zu\n%%%%EOF\n", nobj,
                          trailer ? trailer : "", xref);
    return n;
}

static void refused(const char *bytes, size_t len, const char *want)
{
    struct fz_extract ex;
    char *err = NULL;
    assert_int_equal(fz_extract_pdf(bytes, len, NULL, &ex, &err),
                     FZ_EUNREADABLE);
    if (!one_line(err) || strstr(err, want) == NULL)
        fail_msg("wanted one line with \"%s\", got \"%s\"", want, err);
    assert_null(ex.text.data);
    free(err);
}

static void test_broken(void **state)
{
    (void)state;
    static char buf[8192];
    /* encrypted with a user password (the /U entry is not what the empty
     * password gives, ISO 32000-1 7.6.3.4) */
    size_t n = mini_pdf(buf, sizeof buf, "1",
        "<< /Filter /Standard /V 1 /R 2 /Length 40 "
        "/O <28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A> "
        "/U <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> "
        "/P -4 >>",
        "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF>"
        "<00112233445566778899AABBCCDDEEFF>]");
    refused(buf, n, "encrypted");
    /* truncated: a real PDF cut in half */
    static struct pg_opts o;
    size_t plen;
    char *pdf = seed_pdf("cut", &o, &plen);
    refused(pdf, plen / 2, "truncated");
    /* damaged: the header and the end, nothing between worth reading */
    memcpy(buf, "%PDF-1.4\n", 9);
    memset(buf + 9, 'x', 2000);
    memcpy(buf + 2009, "\n%%EOF\n", 7);
    refused(buf, 2016, "damaged");
    /* a page count no report has: more pages than FZ_EXTRACT_MAX_PAGES */
    char path[512];
    snprintf(path, sizeof path, "%s/many.pdf", tmpdir);
    cairo_surface_t *sf = cairo_pdf_surface_create(path, 100, 100);
    cairo_t *cr = cairo_create(sf);
    for (int i = 0; i <= FZ_EXTRACT_MAX_PAGES; i++)
        cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    size_t mlen;
    char *many = test_slurp(path, &mlen);
    refused(many, mlen, "5001 pages");
    /* a page without text and without images: no text in the PDF */
    n = mini_pdf(buf, sizeof buf, "1", NULL, NULL);
    refused(buf, n, "no text");
    free(many);
    free(pdf);
}

/* Content wins over the name (worked by hand from each format's
 * signature) */
static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        size_t len;
        const char *name;
        enum fz_format want;
    } cases[] = {
        { "%PDF-1.7\n%\xe2\xe3", 12, "report.txt", FZ_FMT_PDF },
        { "\xef\xbb\xbf%PDF-1.4", 11, NULL, FZ_FMT_PDF },
        { "<!DOCTYPE html><html><body>x", 28, "report.pdf", FZ_FMT_HTML },
        { "  <HTML><HEAD>", 14, "a.txt", FZ_FMT_HTML },
        { "PK\3\4\24\0\0\0\10\0word/document.xml", 27, "a.zip",
          FZ_FMT_DOCX },
        { "PK\3\4\24\0\0\0\10\0OFD.xml", 17, NULL, FZ_FMT_OFD },
        { "PK\3\4\24\0\0\0\10\0xl/workbook.xml", 25, "a.docx",
          FZ_FMT_UNKNOWN },
        { "PK\3\4\24\0\0\0\10\0Doc_0/Document.xml", 28, "a.ofd",
          FZ_FMT_OFD },
        { "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10, "a.wps", FZ_FMT_DOC },
        { "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10, "a.xls",
          FZ_FMT_UNKNOWN },
        { "From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
          "Content-Type: multipart/related;\r\n\r\n<html>", 97, "a.html",
          FZ_FMT_MHTML },
        { "\x89PNG\r\n\x1a\n\0\0", 10, "a.pdf", FZ_FMT_UNKNOWN },
        { "\xff\xd8\xff\xe0", 4, "a.txt", FZ_FMT_UNKNOWN },
        { "\x1f\x8b\x08\0", 4, "a.txt", FZ_FMT_UNKNOWN },
        { "{\"title\":\"x\"}\n", 14, "a.jsonl", FZ_FMT_JSONL },
        { "法治政府建设", 18, "a.txt", FZ_FMT_TEXT },
        { "法治政府建设", 18, "a.html", FZ_FMT_HTML },
        { "法治政府建设", 18, NULL, FZ_FMT_TEXT },
        /* NUL and control bytes make binary, by decoding's own rule: a
         * stray NUL in a report is text with a flaw */
        { "a\0b\0c\0d\0e\0f\0", 12, "a.txt", FZ_FMT_UNKNOWN },
        { "法治\0政府建设", 19, "a.txt", FZ_FMT_TEXT },
        { "\xff\xfe\x55\x6c", 4, "a.txt", FZ_FMT_TEXT },
        { "", 0, NULL, FZ_FMT_TEXT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum fz_format f = fz_format_sniff(cases[i].head, cases[i].len,
                                           cases[i].name);
        if (f != cases[i].want)
            fail_msg("case %zu: %s, want %s", i, fz_format_name(f),
                     fz_format_name(cases[i].want));
    }
    assert_string_equal(fz_format_name(FZ_FMT_PDF), "pdf");
    assert_string_equal(fz_format_name(FZ_FMT_UNKNOWN), "unknown");
    assert_string_equal(fz_format_name(FZ_FMT_MHTML), "mhtml");
}

struct got {
    size_t n;
    enum fz_format format;
    char *title;
};

static int got(void *ctx, struct fz_read_item *it)
{
    struct got *g = ctx;
    g->n++;
    g->format = it->format;
    assert_non_null(it->report);
    free(g->title);
    g->title = it->report->meta.title ? strdup(it->report->meta.title)
                                      : NULL;
    fz_report_free(it->report);
    return 0;
}

/* fz_read(): a PDF named .txt is read as a PDF, HTML named .pdf as HTML,
 * a zip is refused in one line */
static void test_read(void **state)
{
    (void)state;
    static struct pg_opts o;
    size_t plen;
    char *pdf = seed_pdf("read", &o, &plen);
    struct got g = { 0, FZ_FMT_UNKNOWN, NULL };
    char *err = NULL;
    assert_int_equal(fz_read(&tc, pdf, plen, "x/report.txt", NULL, NULL,
                             got, &g, &err), FZ_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.format, FZ_FMT_PDF);
    assert_string_equal(g.title, "深圳市罗湖区人民政府2023年法治政府建设"
                                 "年度报告");
    static const char html[] = "<html><head><title>某区2023年法治政府建设"
        "年度报告</title></head><body><p>一、依法行政工作取得成效。</p>"
        "</body></html>";
    assert_int_equal(fz_read(&tc, html, sizeof html - 1, "a.pdf", NULL,
                             NULL, got, &g, &err), FZ_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.format, FZ_FMT_HTML);
    assert_int_equal(fz_read(&tc, "PK\3\4\24\0\0\0\10\0word/document.xml",
                             27, "a.docx", NULL, NULL, got, &g, &err),
                     FZ_EUNREADABLE);
    assert_true(one_line(err));
    free(err);
    free(g.title);
    free(pdf);
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    fz_extract_init();
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    if (fz_textctx_open(&tc, NULL, NULL) != FZ_OK)
        return -1;
    load_queries();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fz_textctx_close(&tc);
    for (size_t i = 0; i < n_queries; i++)
        free(queries[i]);
    free(queries);
    return test_sh("rm -rf %s", tmpdir) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_short_report),
        cmocka_unit_test(test_official_document),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_no_unicode),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_scan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
