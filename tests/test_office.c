/* Office and web formats: every report we have (the seeds and the State
 * Council reports) written as DOCX, OFD, MHTML and Word 97 by
 * tools/mkoffice, read back by reader/, and compared with the report read
 * from its text: each Han run of the workload queries (tests/data/
 * queries.txt) is in the extracted report's folded passages iff it is in
 * the text version's (a substring search is the truth, as in
 * test_search.c).  Then headings, titles, tables, pages, and bad input:
 * each one FZ_EUNREADABLE with a one-line message. */
#include "tests/testutil.h"

#include <gmime/gmime.h>
#include <gsf/gsf-utils.h>
#include <unistd.h>
#include <zip.h>

#include "base/utf8.h"
#include "reader/child.h"
#include "reader/extract.h"
#include "reader/savedpage.h"
#include "text/decode.h"
#include "text/html.h"

static const char *bin = "build";
static char tmp[] = "/tmp/fz-test-office-XXXXXX";
static struct fz_textctx tc;
static char *runs[64];
static size_t nruns;

static void release(struct fz_extract *e)
{
    fz_buf_release(&e->text);
    free(e->title);
    free(e->date);
    memset(e, 0, sizeof *e);
}

/* the Han runs of the workload queries */
static void load_runs(void)
{
    size_t len;
    char *q = test_slurp(TESTDATA("queries.txt"), &len);
    char *save = NULL;
    for (char *l = strtok_r(q, "\n", &save); l; l = strtok_r(NULL, "\n",
                                                               &save)) {
        if (*l == '#')
            continue;
        size_t n = strlen(l), i = 0, start = 0;
        int in = 0;
        while (i <= n) {
            size_t at = i;
            uint32_t cp = i < n ? fz_utf8_next(l, n, &i, NULL) : 0;
            int han = i <= n && at < n && fz_is_han(cp);
            if (han && !in) {
                start = at;
                in = 1;
            } else if (!han && in) {
                assert_true(nruns < 64);
                runs[nruns++] = strndup(l + start, at - start);
                in = 0;
            }
            if (at == n)
                break;
        }
    }
    free(q);
}

static int has_run(const struct fz_report *r, const char *run)
{
    for (size_t i = 0; i < r->passages.n; i++)
        if (strstr(r->norm[i].text.data ? r->norm[i].text.data : "", run))
            return 1;
    return 0;
}

static int any_passage(const struct fz_report *r, const char *s)
{
    for (size_t i = 0; i < r->passages.n; i++)
        if (strstr(r->passages.v[i].text, s))
            return 1;
    return 0;
}

enum fmt { F_DOCX, F_OFD, F_MHT, F_DOC, N_FMT };
static const char *const fmt_name[] = { "docx", "ofd", "mht", "doc" };
static size_t checked[N_FMT], mismatches[N_FMT], reports[N_FMT];
static size_t heading_reports, heading_paths, pages_seen, later_pages;

/* Write text as fmt with mkoffice, read it back; the report, or NULL
 * after failing the test. */
static struct fz_report *convert(enum fmt f, const char *text,
                                 const char *title, int variant,
                                 const struct fz_meta_given *given,
                                 struct fz_extract *ex)
{
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/in.txt", tmp);
    snprintf(out, sizeof out, "%s/out.%s", tmp, fmt_name[f]);
    FILE *fp = fopen(in, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    char targ[1024] = "";
    if (title) {
        /* the title as one shell word: no single quotes in any of ours */
        assert_null(strchr(title, '\''));
        snprintf(targ, sizeof targ, "--title '%s'", title);
    }
    assert_int_equal(test_sh("%s/mkoffice %s %s --variant %d %s %s", bin,
                             fmt_name[f], targ, variant, in, out), 0);
    size_t len;
    char *bytes = test_slurp(out, &len);
    char *err = NULL;
    int rc = f == F_DOCX ? fz_extract_docx(bytes, len, ex, &err)
           : f == F_OFD ? fz_extract_ofd(bytes, len, ex, &err)
           : f == F_MHT ? fz_extract_mhtml(bytes, len, ex, &err)
           : fz_extract_doc(bytes, len, ex, &err);
    free(bytes);
    if (rc != FZ_OK)
        fail_msg("%s: %s", fmt_name[f], err ? err : "?");
    struct fz_report *r = NULL;
    if (f == F_MHT)
        rc = fz_report_parse_html(&tc, ex->text.data, ex->text.len, given,
                                  NULL, &r, &err);
    else
        rc = fz_report_parse_extract(&tc, ex, given, NULL, &r, &err);
    if (rc != FZ_OK)
        fail_msg("%s: parse: %s", fmt_name[f], err ? err : "?");
    return r;
}

/* the lines of the report's text that mkoffice makes headings (its
 * rule, written again: after leading blanks, Chinese numerals and 、, or
 * （numerals）, in a line of at most 40 characters) */
static size_t count_headings(const char *text)
{
    static const char *const numerals[] = {
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    };
    size_t n = 0;
    const char *l = text;
    while (*l) {
        size_t ll = strcspn(l, "\r\n");
        const char *p = l, *e = l + ll;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        int paren = e - p >= 3 && strncmp(p, "（", 3) == 0, k = 0;
        if (paren)
            p += 3;
        for (int found = 1; found && e - p >= 3;) {
            found = 0;
            for (size_t i = 0; i < 10; i++)
                if (strncmp(p, numerals[i], 3) == 0) {
                    p += 3;
                    k++;
                    found = 1;
                }
        }
        if (k && e - p >= 3
            && strncmp(p, paren ? "）" : "、", 3) == 0
            && fz_utf8_count(l, ll) <= 40)
            n++;
        l += ll;
        while (*l == '\r' || *l == '\n')
            l++;
    }
    return n;
}

static void compare(const char *name, const char *text,
                    const struct fz_meta_given *given_txt,
                    const struct fz_meta_given *given_ex,
                    const char *title_in, const char *want_title, int k)
{
    struct fz_report *truth = NULL;
    assert_int_equal(fz_report_parse(&tc, text, strlen(text), given_txt,
                                     NULL, &truth, NULL), FZ_OK);
    for (enum fmt f = 0; f < N_FMT; f++) {
        struct fz_extract ex;
        memset(&ex, 0, sizeof ex);
        struct fz_report *r = convert(f, text, title_in, k % 2, given_ex,
                                      &ex);
        reports[f]++;
        for (size_t q = 0; q < nruns; q++) {
            int a = has_run(truth, runs[q]), b = has_run(r, runs[q]);
            checked[f]++;
            if (a != b) {
                if (mismatches[f]++ < 5)
                    print_message("%s %s: %s in text %d, extracted %d\n",
                                  name, fmt_name[f], runs[q], a, b);
            }
        }
        /* the title: the text's, or the document's own when the text
         * has none; never a heading */
        if (title_in && f == F_MHT) {
            /* the page's <title> survives; which title the HTML path
             * then prefers is text/clean's business, as for a .html */
            struct fz_buf t = FZ_BUF_INIT;
            char *pt = NULL;
            assert_int_equal(fz_html_to_text(ex.text.data, ex.text.len, &t,
                                             &pt, NULL), FZ_OK);
            if (pt == NULL || strcmp(pt, title_in))
                fail_msg("%s mht: <title> %s", name, pt ? pt : "(none)");
            free(pt);
            fz_buf_release(&t);
        } else if (want_title && f != F_DOC) {
            if (r->meta.title == NULL || strcmp(r->meta.title, want_title))
                fail_msg("%s %s: title %s, want %s", name, fmt_name[f],
                         r->meta.title ? r->meta.title : "(none)",
                         want_title);
            for (size_t i = 0; i < r->passages.n; i++)
                for (size_t s = 0; s < r->passages.v[i].n_section; s++)
                    assert_string_not_equal(r->passages.v[i].section[s],
                                            r->meta.title);
        }
        if (f == F_DOCX) {
            /* the table's figures, the footnote, nothing deleted, no
             * field instruction */
            if (!any_passage(r, "4821") || !any_passage(r, "3907"))
                fail_msg("%s docx: the table's figures are not found",
                         name);
            assert_non_null(strstr(ex.text.data, "脚注说明文字"));
            assert_null(strstr(ex.text.data, "已删除"));
            assert_null(strstr(ex.text.data, "HYPERLINK"));
            /* every heading mkoffice wrote is marked, and gives the
             * passages after it a section path */
            size_t want = count_headings(text), marks = 0;
            for (const char *p = ex.text.data; (p = strchr(p, '\x1e'));
                 p++)
                marks++;
            if (marks != want)
                fail_msg("%s docx: %zu headings marked, %zu written", name,
                         marks, want);
            if (want) {
                heading_reports++;
                for (size_t i = 0; i < r->passages.n; i++)
                    heading_paths += r->passages.v[i].n_section > 0;
                size_t with = 0;
                for (size_t i = 0; i < r->passages.n; i++)
                    with += r->passages.v[i].n_section > 0;
                assert_true(with > 0);
            }
        }
        if (f == F_OFD) {
            /* page furniture gone, pages kept */
            assert_null(strstr(ex.text.data, "- 1 -"));
            assert_null(strstr(ex.text.data, "- 2 -"));
            assert_null(strstr(ex.text.data, "公开文本"));
            pages_seen += ex.pages;
            for (size_t i = 0; i < r->passages.n; i++) {
                unsigned pg = r->passages.v[i].page;
                /* a one-page text has no form feed, so no page numbers */
                assert_true(pg <= ex.pages && (pg >= 1 || ex.pages == 1));
                /* pages never go back */
                if (i)
                    assert_true(pg >= r->passages.v[i - 1].page);
                later_pages += pg > 1;
            }
        }
        fz_report_free(r);
        release(&ex);
    }
    fz_report_free(truth);
}

static void test_every_report(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "000_b603a63773e2a13c", "001_5786f2a229778fa1",
        "002_3bd825ff36a50f76", "003_65475f305930a54e",
        "004_1125619140e8c921",
    };
    int k = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++, k++) {
        char name[64];
        size_t len, slen;
        snprintf(name, sizeof name, "%s.txt", seeds[i]);
        char *raw = test_slurp(CORPUS(name), &len);
        struct fz_buf utf8 = FZ_BUF_INIT;
        struct fz_decoded info;
        assert_int_equal(fz_decode_to_utf8(raw, len, &utf8, &info, NULL),
                         FZ_OK);
        struct fz_record side;
        memset(&side, 0, sizeof side);
        snprintf(name, sizeof name, "%s.json", seeds[i]);
        if (access(CORPUS(name), R_OK) == 0) {
            char *js = test_slurp(CORPUS(name), &slen);
            assert_int_equal(fz_sidecar_parse(js, slen, &side, NULL), FZ_OK);
            free(js);
        }
        /* the title the text version finds is what every format must */
        struct fz_report *t = NULL;
        assert_int_equal(fz_report_parse(&tc, utf8.data, utf8.len,
                                         &side.given, NULL, &t, NULL), FZ_OK);
        char *title = t->meta.title ? strdup(t->meta.title) : NULL;
        fz_report_free(t);
        compare(seeds[i], utf8.data, &side.given, &side.given, title, title,
                k);
        free(title);
        fz_record_release(&side);
        fz_buf_release(&utf8);
        free(raw);
    }
    size_t len;
    char *all = test_slurp(CORPUS("gov-work-reports-1954-2025.jsonl"), &len);
    char *save = NULL;
    for (char *l = strtok_r(all, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save), k++) {
        struct fz_record rec;
        assert_int_equal(fz_record_parse(l, strlen(l), &rec, NULL), FZ_OK);
        char *text = strndup(rec.text, rec.len);
        /* the extracted version gets no given metadata, so its title is
         * the one the text names, else the document's own (core.xml,
         * DocInfo): what the text pipeline makes of this text with the
         * record's title as the fallback */
        struct fz_report *t = NULL;
        assert_int_equal(fz_report_parse(&tc, text, strlen(text), NULL,
                                         rec.given.title, &t, NULL), FZ_OK);
        char *want = t->meta.title ? strdup(t->meta.title) : NULL;
        fz_report_free(t);
        compare(rec.given.title, text, &rec.given, NULL, rec.given.title,
                want, k);
        free(want);
        free(text);
        fz_record_release(&rec);
    }
    free(all);
    for (enum fmt f = 0; f < N_FMT; f++)
        print_message("%s: %zu reports, %zu query runs checked, %zu "
                      "differ\n", fmt_name[f], reports[f], checked[f],
                      mismatches[f]);
    print_message("docx: %zu reports with headings, %zu passages with a "
                  "section path; ofd: %zu pages, %zu passages after page "
                  "1\n", heading_reports, heading_paths, pages_seen,
                  later_pages);
    assert_true(later_pages > 0);
    for (enum fmt f = 0; f < N_FMT; f++)
        assert_int_equal(mismatches[f], 0);
}

/* ---- bad input ---- */

/* errp, not *errp: the call in rc is made before this reads it */
static void assert_unreadable(int rc, char **errp, const char *what)
{
    char *err = *errp;
    *errp = NULL;
    if (rc != FZ_EUNREADABLE)
        fail_msg("%s: rc %d (%s)", what, rc, err ? err : "no message");
    assert_non_null(err);
    assert_null(strchr(err, '\n'));
    print_message("%s: %s\n", what, err);
    free(err);
}

/* a zip in memory holding the members given as name, bytes, length */
static char *make_zip(size_t *len, size_t n, const char *const *names,
                      const char *const *data, const size_t *lens)
{
    char path[300];
    snprintf(path, sizeof path, "%s/made.zip", tmp);
    unlink(path);
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, data[i], lens[i], 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, names[i], s, 0) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return test_slurp(path, len);
}

static void test_zip_bomb(void **state)
{
    (void)state;
    /* a member that inflates past the bound: 257 MiB of zeros, about
     * 260 KiB deflated */
    size_t big = FZ_EXTRACT_MAX_MEMBER + (1u << 20), len;
    char *zeros = malloc(big);
    assert_non_null(zeros);
    /* well-formed as far as it goes, so the parser reads on */
    memcpy(zeros, "<a>", 3);
    for (size_t i = 3; i + 4 <= big; i += 4)
        memcpy(zeros + i, "<b/>", 4);
    const char *names[] = { "word/document.xml", "OFD.xml" };
    const char *data[] = { zeros, zeros };
    size_t lens[] = { big, big };
    char *zip = make_zip(&len, 2, names, data, lens);
    free(zeros);
    struct fz_extract ex;
    memset(&ex, 0, sizeof ex);
    char *err = NULL;
    assert_unreadable(fz_extract_docx(zip, len, &ex, &err), &err,
                      "docx zip bomb");
    release(&ex);
    err = NULL;
    assert_unreadable(fz_extract_ofd(zip, len, &ex, &err), &err,
                      "ofd zip bomb");
    release(&ex);
    /* the same bomb lying about its size: the central directory and the
     * local header say 1000 bytes, so only counting stops it */
    for (size_t i = 0; i + 46 <= len; i++) {
        uint32_t sig = (uint32_t)(unsigned char)zip[i]
            | (uint32_t)(unsigned char)zip[i + 1] << 8
            | (uint32_t)(unsigned char)zip[i + 2] << 16
            | (uint32_t)(unsigned char)zip[i + 3] << 24;
        size_t at = sig == 0x02014b50 ? i + 24 : sig == 0x04034b50 ? i + 22
                  : 0;
        if (at && i + 30 <= len) {
            zip[at] = (char)0xe8;
            zip[at + 1] = 0x03;
            zip[at + 2] = zip[at + 3] = 0;
        }
    }
    err = NULL;
    assert_unreadable(fz_extract_docx(zip, len, &ex, &err), &err,
                      "docx zip bomb, lying");
    release(&ex);
    free(zip);
}

static void test_bad_zips(void **state)
{
    (void)state;
    struct fz_extract ex;
    memset(&ex, 0, sizeof ex);
    size_t len;
    /* deeply nested XML */
    struct fz_buf deep = FZ_BUF_INIT;
    assert_int_equal(fz_buf_appends(&deep, "<?xml version=\"1.0\"?><w:document"
        " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
        "main\"><w:body>"), FZ_OK);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(fz_buf_appends(&deep, "<w:p>"), FZ_OK);
    const char *names[] = { "word/document.xml", "OFD.xml" };
    const char *data[] = { deep.data, deep.data };
    size_t lens[] = { deep.len, deep.len };
    char *zip = make_zip(&len, 2, names, data, lens);
    char *err = NULL;
    assert_unreadable(fz_extract_docx(zip, len, &ex, &err), &err,
                      "docx nested");
    release(&ex);
    err = NULL;
    assert_unreadable(fz_extract_ofd(zip, len, &ex, &err), &err,
                      "ofd nested");
    release(&ex);
    /* truncated: the first half of the archive */
    err = NULL;
    assert_unreadable(fz_extract_docx(zip, len / 2, &ex, &err), &err,
                      "docx truncated");
    release(&ex);
    free(zip);
    fz_buf_release(&deep);
    /* a zip with no document.xml, and an OFD with no OFD.xml */
    const char *n2[] = { "[Content_Types].xml" };
    const char *d2[] = { "<Types/>" };
    size_t l2[] = { 8 };
    zip = make_zip(&len, 1, n2, d2, l2);
    err = NULL;
    assert_unreadable(fz_extract_docx(zip, len, &ex, &err), &err,
                      "docx without document.xml");
    release(&ex);
    err = NULL;
    assert_unreadable(fz_extract_ofd(zip, len, &ex, &err), &err,
                      "ofd without OFD.xml");
    release(&ex);
    free(zip);
    /* not a zip at all */
    err = NULL;
    assert_unreadable(fz_extract_docx("hello", 5, &ex, &err), &err,
                      "docx of text");
    release(&ex);
    /* OFD.xml pointing at a document that is not there */
    const char *n3[] = { "OFD.xml" };
    const char *d3[] = { "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\">"
                         "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
                         "</ofd:DocRoot></ofd:DocBody></ofd:OFD>" };
    size_t l3[] = { strlen(d3[0]) };
    zip = make_zip(&len, 1, n3, d3, l3);
    err = NULL;
    assert_unreadable(fz_extract_ofd(zip, len, &ex, &err), &err,
                      "ofd without its document");
    release(&ex);
    free(zip);
}

static void test_bad_doc_mime(void **state)
{
    (void)state;
    struct fz_extract ex;
    memset(&ex, 0, sizeof ex);
    char *err = NULL;
    /* garbage after the OLE signature, with the stream name in it */
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7919 >> 3);
    memcpy(junk, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    memcpy(junk + 1024, "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
    assert_unreadable(fz_extract_doc(junk, sizeof junk, &ex, &err), &err,
                      "doc garbage");
    release(&ex);
    err = NULL;
    assert_unreadable(fz_extract_doc("plain text", 10, &ex, &err), &err,
                      "doc of text");
    release(&ex);
    /* a filter that hangs is killed after its time; one that writes
     * without end is stopped at its bound */
    const char *const hang[] = { "sh", "-c", "sleep 60", NULL };
    struct fz_buf out = FZ_BUF_INIT;
    err = NULL;
    assert_unreadable(fz_child_filter(hang, "x", 1, 1, 1 << 20, &out, &err),
                      &err, "hung filter");
    const char *const flood[] = { "yes", NULL };
    err = NULL;
    assert_unreadable(fz_child_filter(flood, "x", 1, 30, 1 << 20, &out,
                                      &err), &err, "flooding filter");
    assert_true(out.len <= 1 << 20);
    const char *const crash[] = { "sh", "-c", "kill -SEGV $$", NULL };
    err = NULL;
    assert_unreadable(fz_child_filter(crash, "x", 1, 30, 1 << 20, &out,
                                      &err), &err, "crashing filter");
    const char *const cat[] = { "cat", "/dev/fd/3", NULL };
    fz_buf_reset(&out);
    err = NULL;
    if (fz_child_filter(cat, "abc", 3, 30, 1 << 20, &out, &err) != FZ_OK)
        fail_msg("cat: %s", err);
    assert_string_equal(fz_buf_cstr(&out), "abc");
    fz_buf_release(&out);
    /* MIME: no html part; not MIME; nested past the bound */
    const char *nohtml = "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
                         "\r\nhello\r\n";
    err = NULL;
    assert_unreadable(fz_extract_mhtml(nohtml, strlen(nohtml), &ex, &err),
                      &err, "mht without html");
    release(&ex);
    struct fz_buf nest = FZ_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        fz_buf_appendf(&nest, "Content-Type: multipart/related; boundary="
                       "\"b%d\"\r\n\r\n--b%d\r\n", i, i);
    err = NULL;
    assert_unreadable(fz_extract_mhtml(nest.data, nest.len, &ex, &err), &err,
                      "mht nested");
    release(&ex);
    fz_buf_release(&nest);
}

static void test_saved_page_assets(void **state)
{
    (void)state;
    assert_int_equal(test_sh("cd %s && mkdir -p a_files b.files c_files "
                             "d_文件 e_files && touch a.html b.htm d.mht "
                             "E.HTML c.txt", tmp), 0);
    char p[400];
    static const struct { const char *dir; int want; } cases[] = {
        { "a_files", 1 }, { "a_files/", 1 }, { "b.files", 1 },
        { "c_files", 0 },  /* c.txt is no page */
        { "d_文件", 1 }, { "e_files", 0 },  /* E.HTML: names differ */
        { "nowhere_files", 0 }, { "a.html", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmp, cases[i].dir);
        if (fz_saved_page_assets(p) != cases[i].want)
            fail_msg("%s: want %d", cases[i].dir, cases[i].want);
    }
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    if (mkdtemp(tmp) == NULL)
        return -1;
    fz_html_init();
    g_mime_init();
    gsf_init();
    load_runs();
    return fz_textctx_open(&tc, NULL, NULL) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    test_sh("rm -rf %s", tmp);
    for (size_t i = 0; i < nruns; i++)
        free(runs[i]);
    fz_textctx_close(&tc);
    g_mime_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_page_assets),
        cmocka_unit_test(test_bad_zips),
        cmocka_unit_test(test_bad_doc_mime),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_every_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
