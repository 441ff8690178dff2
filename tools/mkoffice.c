/* mkoffice - write a report's text as a DOCX, OFD, MHTML or Word 97 file,
 * shaped as the editors that make real ones shape them, for the tests of
 * the format readers (tests/test_office.c).
 *
 *   mkoffice docx|ofd|mht|doc [--title T] [--date YYYY-MM-DD] [--variant N]
 *            IN OUT
 *
 * IN is UTF-8 text, one paragraph a line (blank lines ignored).  A line
 * that starts 一、 (a Chinese numeral and 、) is a first-level heading, one
 * that starts （一） a second-level one.  --variant N (default 0) varies
 * what the format allows, so that the tests meet each shape:
 *   docx  Word-like runs: words split over runs of 1-7 characters, with
 *         bookmarks, proofing marks, w:ins, a deleted run (w:del), a tab
 *         after a heading's numbering, a hyperlink and a simple field;
 *         headings by style (heading 1 / 标题 2 / a custom style with
 *         w:outlineLvl, or w:outlineLvl in the paragraph), every other
 *         heading with its numbering text removed (its style alone makes
 *         it a heading); a table of figures (收件数量 | 第一季度 | 4821件);
 *         a footnote (脚注说明文字); docProps/core.xml with the title and
 *         the date; variant 1 names the styles 标题 1/标题 2 in styles.xml.
 *   ofd   A4 pages of 28 characters a line (a paragraph's first line
 *         indented two), 22 lines a page, a running header (the title, or
 *         公开文本) and a page number (- N -) on every page; variant 0
 *         writes a TextCode per line with DeltaX (in its g form where it
 *         can), variant 1 a TextObject per character; DocInfo with the
 *         title and CreationDate.
 *   mht   the text as an HTML page (<p> a line, <title> the title) in GBK
 *         (GB18030 when a character is not in GBK), quoted-printable
 *         (variant 0) or base64 (variant 1), in multipart/related with an
 *         image after it, as Internet Explorer saves a page.
 *   doc   a minimal Word 97 binary file (FIB, piece table, UTF-16 text) in
 *         an OLE compound document written with libgsf; variant 1 is the
 *         same under WPS's product id.
 * The same arguments give the same bytes. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-utils.h>
#include <zip.h>

#include "base/buf.h"
#include "base/utf8.h"

static const char *title, *date = "2024-01-15";
static int variant;

static char **lines;
static size_t nlines;

static void die(const char *msg)
{
    fprintf(stderr, "mkoffice: %s\n", msg);
    exit(2);
}

static void need(int rc)
{
    if (rc != 0)
        die("out of memory");
}

static void read_lines(const char *path)
{
    struct fz_buf b = FZ_BUF_INIT;
    if (fz_buf_read_file(&b, path) != 0)
        die("cannot read input");
    char *s = b.data ? b.data : (char *)"";
    for (char *save = NULL, *l = strtok_r(s, "\r\n", &save); l;
         l = strtok_r(NULL, "\r\n", &save)) {
        while (*l == ' ' || *l == '\t')
            l++;
        if (*l == '\0' || *l == '\f')
            continue;
        lines = realloc(lines, (nlines + 1) * sizeof *lines);
        if (lines == NULL || (lines[nlines] = strdup(l)) == NULL)
            die("out of memory");
        nlines++;
    }
    fz_buf_release(&b);
}

/* 1 for 一、..., 2 for （一）..., else 0; *num the numbering's bytes */
static int heading(const char *s, size_t *num)
{
    static const char *const numerals = "一二三四五六七八九十";
    size_t i = 0, n = strlen(s);
    int paren = strncmp(s, "（", 3) == 0;
    if (paren)
        i = 3;
    size_t start = i;
    while (i + 3 <= n && memmem(numerals, strlen(numerals), s + i, 3))
        i += 3;
    if (i == start || fz_utf8_count(s, n) > 40)
        return 0;
    if (!paren && strncmp(s + i, "、", 3) == 0) {
        *num = i + 3;
        return 1;
    }
    if (paren && strncmp(s + i, "）", 3) == 0) {
        *num = i + 3;
        return 2;
    }
    return 0;
}

static void xml_escape(struct fz_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        const char *r = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;"
                      : s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;
        need(r ? fz_buf_appends(b, r) : fz_buf_appendc(b, s[i]));
    }
}

static uint32_t rng = 12345;
static unsigned rnd(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) % n;
}

/* ---- DOCX ---- */

static const char *W_NS =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
    "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships\"";

/* text as Word writes it: runs of 1-7 code points, with what Word puts
 * between them now and then */
static void runs(struct fz_buf *b, const char *s, size_t len)
{
    size_t i = 0;
    unsigned k = 0;
    while (i < len) {
        size_t j = i;
        unsigned n = 1 + rnd(7);
        for (unsigned c = 0; c < n && j < len; c++)
            fz_utf8_next(s, len, &j, NULL);
        switch (rnd(8)) {
        case 0:
            need(fz_buf_appendf(b, "<w:bookmarkStart w:id=\"%u\" "
                                "w:name=\"_Toc%u\"/>", k, k));
            need(fz_buf_appendf(b, "<w:bookmarkEnd w:id=\"%u\"/>", k));
            break;
        case 1:
            need(fz_buf_appends(b, "<w:proofErr w:type=\"gramStart\"/>"));
            break;
        case 2:
            need(fz_buf_appends(b, "<w:ins w:id=\"9\" w:author=\"a\">"));
            break;
        }
        int ins = (rng >> 16) % 8 == 2;
        need(fz_buf_appends(b, "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/>"
                            "<w:sz w:val=\"32\"/></w:rPr>"
                            "<w:t xml:space=\"preserve\">"));
        xml_escape(b, s + i, j - i);
        need(fz_buf_appends(b, "</w:t></w:r>"));
        if (ins)
            need(fz_buf_appends(b, "</w:ins>"));
        if (rnd(40) == 0)
            need(fz_buf_appends(b, "<w:del w:id=\"7\" w:author=\"a\"><w:r>"
                                "<w:delText>已删除的旧文字</w:delText>"
                                "</w:r></w:del>"));
        i = j;
        k++;
    }
}

static void docx_para(struct fz_buf *b, const char *style, int outline,
                      const char *s, size_t len)
{
    need(fz_buf_appends(b, "<w:p><w:pPr>"));
    if (style)
        need(fz_buf_appendf(b, "<w:pStyle w:val=\"%s\"/>", style));
    need(fz_buf_appends(b, "<w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/>"
                        "</w:tabs>"));
    if (outline >= 0)
        need(fz_buf_appendf(b, "<w:outlineLvl w:val=\"%d\"/>", outline));
    need(fz_buf_appends(b, "<w:rPr><w:sz w:val=\"32\"/></w:rPr></w:pPr>"));
    runs(b, s, len);
    need(fz_buf_appends(b, "</w:p>"));
}

static void put_member(zip_t *z, const char *name, struct fz_buf *b)
{
    size_t len = b->len;
    char *data = fz_buf_detach(b, NULL);
    zip_source_t *src = zip_source_buffer(z, data, len, 1);
    if (src == NULL || zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0)
        die(zip_strerror(z));
    /* fixed times: the same bytes on every run */
    zip_file_set_mtime(z, (zip_uint64_t)zip_name_locate(z, name, 0),
                       1700000000, 0);
}

static void add_text(zip_t *z, const char *name, const char *s)
{
    struct fz_buf b = FZ_BUF_INIT;
    need(fz_buf_appends(&b, s));
    put_member(z, name, &b);
}

/* a table of figures, as a report's statistics are set */
static void docx_table(struct fz_buf *tb)
{
    need(fz_buf_appends(tb, "<w:tbl><w:tblPr><w:tblW w:w=\"0\" "
                        "w:type=\"auto\"/></w:tblPr>"));
    static const char *const cells[3][3] = {
        { "类别", "季度", "收件数量" },
        { "线上申请", "第一季度", "4821件" },
        { "线下申请", "第二季度", "3907件" },
    };
    for (int r = 0; r < 3; r++) {
        need(fz_buf_appends(tb, "<w:tr>"));
        for (int c = 0; c < 3; c++) {
            need(fz_buf_appends(tb, "<w:tc><w:tcPr><w:tcW w:w=\"2000\"/>"
                                "</w:tcPr>"));
            docx_para(tb, NULL, -1, cells[r][c], strlen(cells[r][c]));
            need(fz_buf_appends(tb, "</w:tc>"));
        }
        need(fz_buf_appends(tb, "</w:tr>"));
    }
    need(fz_buf_appends(tb, "</w:tbl>"));
}

static void write_docx(const char *out)
{
    int err;
    zip_t *z = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == NULL)
        die("cannot create output");
    add_text(z, "[Content_Types].xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
        "content-types\"><Default Extension=\"rels\" ContentType=\"application"
        "/vnd.openxmlformats-package.relationships+xml\"/><Default Extension="
        "\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/"
        "document.xml\" ContentType=\"application/vnd.openxmlformats-"
        "officedocument.wordprocessingml.document.main+xml\"/></Types>");
    add_text(z, "_rels/.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId3\" Type=\"http://"
        "schemas.openxmlformats.org/package/2006/relationships/metadata/"
        "core-properties\" Target=\"docProps/core.xml\"/><Relationship "
        "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument"
        "/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
        "</Relationships>");
    add_text(z, "word/_rels/document.xml.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
        "\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "footnotes\" Target=\"footnotes.xml\"/><Relationship Id=\"rId9\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/hyperlink\" Target=\"http://www.gov.cn/\" "
        "TargetMode=\"External\"/></Relationships>");
    struct fz_buf b = FZ_BUF_INIT;
    need(fz_buf_appendf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
        "standalone=\"yes\"?>\n<w:styles %s>"
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\">"
        "<w:name w:val=\"Normal\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"%s\"/>"
        "<w:basedOn w:val=\"a\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr>"
        "</w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"%s\"/>"
        "<w:basedOn w:val=\"a\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:customStyle=\"1\" "
        "w:styleId=\"ZW2\"><w:name w:val=\"正文小标题\"/>"
        "<w:basedOn w:val=\"a\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>"
        "</w:style>"
        "<w:style w:type=\"paragraph\" w:customStyle=\"1\" "
        "w:styleId=\"ZW2b\"><w:name w:val=\"小标题二\"/>"
        "<w:basedOn w:val=\"ZW2\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"a3\">"
        "<w:name w:val=\"Title\"/><w:basedOn w:val=\"a\"/></w:style>"
        "<w:style w:type=\"character\" w:styleId=\"a4\">"
        "<w:name w:val=\"footnote reference\"/></w:style>"
        "</w:styles>", W_NS,
        variant == 1 ? "标题 1" : "heading 1",
        variant == 1 ? "标题 2" : "heading 2"));
    put_member(z, "word/styles.xml", &b);

    need(fz_buf_appendf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
        "standalone=\"yes\"?>\n<w:document %s><w:body>", W_NS));
    unsigned nh[3] = { 0, 0, 0 };
    /* the table follows the first long paragraph: in the body, not
     * among a web page's header or footer lines */
    int table = 0;
    for (size_t i = 0; i < nlines; i++) {
        const char *s = lines[i];
        size_t len = strlen(s), num = 0;
        int h = heading(s, &num);
        if (h) {
            unsigned k = nh[h]++;
            /* every other heading loses its numbering text: Word's
             * automatic numbering would print it, the style marks it */
            const char *style = h == 1 ? "1"
                : k % 3 == 0 ? "2" : k % 3 == 1 ? "ZW2b" : NULL;
            int outline = style ? -1 : 1;
            need(fz_buf_appends(&b, "<w:p><w:pPr>"));
            if (style)
                need(fz_buf_appendf(&b, "<w:pStyle w:val=\"%s\"/>", style));
            if (outline >= 0)
                need(fz_buf_appendf(&b, "<w:outlineLvl w:val=\"%d\"/>",
                                    outline));
            need(fz_buf_appends(&b, "</w:pPr>"));
            /* (a heading that is numbering alone keeps it) */
            if (k % 2 == 0 || num == len) {
                runs(&b, s, num);
                need(fz_buf_appends(&b, "<w:r><w:tab/></w:r>"));
            }
            runs(&b, s + num, len - num);
            need(fz_buf_appends(&b, "</w:p>"));
        } else if (i == 3) {
            /* a hyperlink, a simple field and a footnote reference, and a
             * complex field whose instruction must not show */
            size_t a = len / 3, c = len / 3 * 2;
            while (a < len && ((unsigned char)s[a] & 0xC0) == 0x80)
                a++;
            while (c < len && ((unsigned char)s[c] & 0xC0) == 0x80)
                c++;
            need(fz_buf_appends(&b, "<w:p><w:hyperlink r:id=\"rId9\">"));
            runs(&b, s, a);
            need(fz_buf_appends(&b, "</w:hyperlink><w:fldSimple "
                                "w:instr=\" DOCPROPERTY x \">"));
            runs(&b, s + a, c - a);
            need(fz_buf_appends(&b, "</w:fldSimple><w:r><w:fldChar "
                "w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>"
                " HYPERLINK \"http://x\" </w:instrText></w:r><w:r>"
                "<w:fldChar w:fldCharType=\"separate\"/></w:r>"));
            runs(&b, s + c, len - c);
            need(fz_buf_appends(&b, "<w:r><w:fldChar w:fldCharType=\"end\"/>"
                "</w:r><w:r><w:rPr><w:rStyle w:val=\"a4\"/></w:rPr>"
                "<w:footnoteReference w:id=\"1\"/></w:r></w:p>"));
        } else {
            docx_para(&b, NULL, -1, s, len);
        }
        if (!h && !table && fz_utf8_count(s, len) >= 60) {
            docx_table(&b);
            table = 1;
        }
    }
    need(fz_buf_appends(&b, "<w:sectPr><w:pgSz w:w=\"11906\" "
                        "w:h=\"16838\"/></w:sectPr></w:body></w:document>"));
    put_member(z, "word/document.xml", &b);

    need(fz_buf_appendf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
        "standalone=\"yes\"?>\n<w:footnotes %s>"
        "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r>"
        "<w:separator/></w:r></w:p></w:footnote>"
        "<w:footnote w:id=\"1\"><w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr>"
        "<w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> "
        "脚注说明</w:t></w:r><w:r><w:t>文字</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>", W_NS));
    put_member(z, "word/footnotes.xml", &b);

    need(fz_buf_appends(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
        "standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas."
        "openxmlformats.org/package/2006/metadata/core-properties\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\""
        "http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
        "XMLSchema-instance\"><dc:title>"));
    if (title)
        xml_escape(&b, title, strlen(title));
    need(fz_buf_appendf(&b, "</dc:title><dc:creator>user</dc:creator>"
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2020-03-01T08:00:00Z"
        "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">"
        "%sT09:30:00Z</dcterms:modified></cp:coreProperties>", date));
    put_member(z, "docProps/core.xml", &b);
    if (zip_close(z) != 0)
        die(zip_strerror(z));
}

/* ---- OFD ---- */

#define OFD_LEFT   27.0
#define OFD_CHARS  28
#define OFD_SIZE   (156.0 / OFD_CHARS)  /* 5.57 mm, about 16 pt */
#define OFD_PITCH  10.0
#define OFD_TOP    40.0
#define OFD_LINES  22

struct glyph { size_t off, len; double w; };

struct page { struct fz_buf layer; unsigned id; };

static unsigned ofd_id = 100;

/* one printed line at baseline y from x, as variant says */
static void ofd_line(struct fz_buf *b, const char *s, size_t len, double x,
                     double y)
{
    struct glyph g[256];
    size_t n = 0;
    for (size_t i = 0; i < len && n < 256;) {
        size_t st = i;
        uint32_t cp = fz_utf8_next(s, len, &i, NULL);
        g[n].off = st;
        g[n].len = i - st;
        g[n].w = cp < 0x80 ? OFD_SIZE / 2 : OFD_SIZE;
        n++;
    }
    if (variant == 1) {
        for (size_t k = 0; k < n; k++) {
            need(fz_buf_appendf(b, "<ofd:TextObject ID=\"%u\" Boundary=\""
                "%.3f %.3f %.3f %.3f\" Font=\"3\" Size=\"%.3f\"><ofd:TextCode "
                "X=\"0\" Y=\"%.3f\">", ofd_id++, x, y - OFD_SIZE, g[k].w,
                OFD_SIZE * 1.2, OFD_SIZE, OFD_SIZE));
            xml_escape(b, s + g[k].off, g[k].len);
            need(fz_buf_appends(b, "</ofd:TextCode></ofd:TextObject>"));
            x += g[k].w;
        }
        return;
    }
    double w = 0;
    for (size_t k = 0; k < n; k++)
        w += g[k].w;
    need(fz_buf_appendf(b, "<ofd:TextObject ID=\"%u\" Boundary=\"%.3f %.3f "
        "%.3f %.3f\" Font=\"3\" Size=\"%.3f\"><ofd:TextCode X=\"0\" "
        "Y=\"%.3f\" DeltaX=\"", ofd_id++, x, y - OFD_SIZE, w + 1,
        OFD_SIZE * 1.2, OFD_SIZE, OFD_SIZE));
    /* runs of equal advances in the g form: "g 5 5.571" */
    for (size_t k = 0; k + 1 < n;) {
        size_t e = k + 1;
        while (e + 1 < n && g[e].w == g[k].w)
            e++;
        if (k)
            need(fz_buf_appendc(b, ' '));
        if (e - k > 2)
            need(fz_buf_appendf(b, "g %zu %.3f", e - k, g[k].w));
        else
            for (size_t m = k; m < e; m++)
                need(fz_buf_appendf(b, "%s%.3f", m > k ? " " : "", g[m].w));
        k = e;
    }
    need(fz_buf_appends(b, "\">"));
    xml_escape(b, s, len);
    need(fz_buf_appends(b, "</ofd:TextCode></ofd:TextObject>"));
}

static double width(const char *s, size_t len)
{
    double w = 0;
    for (size_t i = 0; i < len;)
        w += fz_utf8_next(s, len, &i, NULL) < 0x80 ? 0.5 : 1;
    return w;
}

static void ofd_furniture(struct fz_buf *b, unsigned pageno)
{
    char num[32];
    const char *head = title ? title : "公开文本";
    double hw = width(head, strlen(head)) * OFD_SIZE * 0.6;
    /* the header in a smaller size, as editors print it */
    need(fz_buf_appendf(b, "<ofd:TextObject ID=\"%u\" Boundary=\"%.3f 12 "
        "%.3f 6\" Font=\"3\" Size=\"%.3f\"><ofd:TextCode X=\"0\" Y=\"%.3f\">",
        ofd_id++, 105 - hw / 2, hw + 1, OFD_SIZE * 0.6, OFD_SIZE * 0.6));
    xml_escape(b, head, strlen(head));
    need(fz_buf_appends(b, "</ofd:TextCode></ofd:TextObject>"));
    snprintf(num, sizeof num, "- %u -", pageno);
    ofd_line(b, num, strlen(num), 105 - width(num, strlen(num)) *
             OFD_SIZE / 2, 280);
}

static void write_ofd(const char *out)
{
    int err;
    zip_t *z = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == NULL)
        die("cannot create output");
    struct fz_buf b = FZ_BUF_INIT, page = FZ_BUF_INIT, pages = FZ_BUF_INIT;
    need(fz_buf_appends(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" "
        "DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>"
        "a1b2c3</ofd:DocID>"));
    if (title) {
        need(fz_buf_appends(&b, "<ofd:Title>"));
        xml_escape(&b, title, strlen(title));
        need(fz_buf_appends(&b, "</ofd:Title>"));
    }
    need(fz_buf_appendf(&b, "<ofd:Author>user</ofd:Author><ofd:CreationDate>"
        "%s</ofd:CreationDate><ofd:Creator>mkoffice</ofd:Creator>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        "</ofd:DocBody></ofd:OFD>", date));
    put_member(z, "OFD.xml", &b);

    unsigned pageno = 0, line = OFD_LINES;
    char name[64];
#define FLUSH_PAGE() do { \
        if (pageno) { \
            ofd_furniture(&page, pageno); \
            struct fz_buf c = FZ_BUF_INIT; \
            need(fz_buf_appendf(&c, "<?xml version=\"1.0\" encoding=" \
                "\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/" \
                "2016\"><ofd:Content><ofd:Layer ID=\"%u\">%s</ofd:Layer>" \
                "</ofd:Content></ofd:Page>", ofd_id++, \
                fz_buf_cstr(&page))); \
            snprintf(name, sizeof name, "Doc_0/Pages/Page_%u/Content.xml", \
                     pageno - 1); \
            put_member(z, name, &c); \
            need(fz_buf_appendf(&pages, "<ofd:Page ID=\"%u\" BaseLoc=\"" \
                "Pages/Page_%u/Content.xml\"/>", pageno, pageno - 1)); \
            fz_buf_reset(&page); \
        } \
    } while (0)
    for (size_t i = 0; i < nlines; i++) {
        const char *s = lines[i];
        size_t len = strlen(s), at = 0;
        int first = 1;
        while (at < len) {
            double room = first ? OFD_CHARS - 2 : OFD_CHARS, w = 0;
            size_t e = at;
            while (e < len) {
                size_t k = e;
                uint32_t cp = fz_utf8_next(s, len, &k, NULL);
                double cw = cp < 0x80 ? 0.5 : 1;
                if (w + cw > room)
                    break;
                w += cw;
                e = k;
            }
            if (line == OFD_LINES) {
                FLUSH_PAGE();
                pageno++;
                line = 0;
            }
            ofd_line(&page, s + at, e - at, OFD_LEFT + (first ? 2 : 0)
                     * OFD_SIZE, OFD_TOP + line * OFD_PITCH);
            line++;
            first = 0;
            at = e;
        }
    }
    if (pageno == 0)
        pageno = 1;
    FLUSH_PAGE();
    need(fz_buf_appendf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\">"
        "<ofd:CommonData><ofd:MaxUnitID>%u</ofd:MaxUnitID><ofd:PageArea>"
        "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        "<ofd:Pages>%s</ofd:Pages></ofd:Document>", ofd_id,
        fz_buf_cstr(&pages)));
    put_member(z, "Doc_0/Document.xml", &b);
    add_text(z, "Doc_0/PublicRes.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd="
        "\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\"><ofd:Fonts>"
        "<ofd:Font ID=\"3\" FontName=\"仿宋\" FamilyName=\"仿宋\"/>"
        "</ofd:Fonts></ofd:Res>");
    fz_buf_release(&page);
    fz_buf_release(&pages);
    if (zip_close(z) != 0)
        die(zip_strerror(z));
}

/* ---- MHTML ---- */

static void write_mht(const char *out)
{
    struct fz_buf html = FZ_BUF_INIT, b = FZ_BUF_INIT, enc = FZ_BUF_INIT;
    const char *charset = "gbk";
    need(fz_buf_appends(&html, "<html><head><meta http-equiv=\"Content-Type"
                        "\" content=\"text/html; charset=gbk\"><title>"));
    if (title)
        xml_escape(&html, title, strlen(title));
    need(fz_buf_appends(&html, "</title></head>\n<body>\n"));
    for (size_t i = 0; i < nlines; i++) {
        need(fz_buf_appends(&html, "<p>"));
        xml_escape(&html, lines[i], strlen(lines[i]));
        need(fz_buf_appends(&html, "</p>\n"));
    }
    need(fz_buf_appends(&html, "</body></html>\n"));
    /* GBK where it can be, else GB18030 (and say so) */
    for (int pass = 0; pass < 2; pass++) {
        iconv_t cd = iconv_open(pass ? "GB18030" : "GBK", "UTF-8");
        char *in = html.data;
        size_t inl = html.len;
        fz_buf_reset(&enc);
        need(fz_buf_grow(&enc, html.len * 2 + 16));
        char *o = enc.data;
        size_t ol = enc.cap - 1;
        size_t r = iconv(cd, &in, &inl, &o, &ol);
        iconv_close(cd);
        enc.len = (size_t)(o - enc.data);
        if (r != (size_t)-1)
            break;
        if (pass == 1)
            die("cannot encode the page");
        charset = "gb18030";
    }
    if (strcmp(charset, "gbk") != 0) {
        /* the page says what it is in */
        char *m = memmem(enc.data, enc.len, "charset=gbk", 11);
        struct fz_buf t = FZ_BUF_INIT;
        need(fz_buf_append(&t, enc.data, (size_t)(m - enc.data)));
        need(fz_buf_appends(&t, "charset=gb18030"));
        need(fz_buf_append(&t, m + 11, enc.len - (size_t)(m + 11 - enc.data)));
        fz_buf_release(&enc);
        enc = t;
    }
    const char *bd = "----=_NextPart_000_0000_01DA1234.56789ABC";
    need(fz_buf_appendf(&b, "From: <Saved by Windows Internet Explorer 8>\r\n"
        "Subject: report\r\nDate: Mon, 15 Jan 2024 09:30:00 +0800\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
        "\ttype=\"text/html\";\r\n\tboundary=\"%s\"\r\n"
        "X-MimeOLE: Produced By Microsoft MimeOLE V6.1\r\n\r\n"
        "This is a multi-part message in MIME format.\r\n\r\n--%s\r\n"
        "Content-Type: text/html;\r\n\tcharset=\"%s\"\r\n"
        "Content-Transfer-Encoding: %s\r\n"
        "Content-Location: http://www.example.gov.cn/art/2024/1/15/"
        "report.html\r\n\r\n", bd, bd, charset,
        variant == 1 ? "base64" : "quoted-printable"));
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)enc.data;
    if (variant == 1) {
        for (size_t i = 0; i < enc.len; i += 3) {
            uint32_t v = (uint32_t)p[i] << 16;
            if (i + 1 < enc.len)
                v |= (uint32_t)p[i + 1] << 8;
            if (i + 2 < enc.len)
                v |= p[i + 2];
            char q[4] = { b64[v >> 18], b64[(v >> 12) & 63],
                          i + 1 < enc.len ? b64[(v >> 6) & 63] : '=',
                          i + 2 < enc.len ? b64[v & 63] : '=' };
            need(fz_buf_append(&b, q, 4));
            if ((i / 3 + 1) % 19 == 0)
                need(fz_buf_appends(&b, "\r\n"));
        }
        need(fz_buf_appends(&b, "\r\n"));
    } else {
        size_t col = 0;
        for (size_t i = 0; i < enc.len; i++) {
            char q[4];
            int lit = (p[i] >= 33 && p[i] <= 126 && p[i] != '=')
                || (p[i] == ' ' && i + 1 < enc.len && p[i + 1] != '\n');
            if (p[i] == '\n') {
                need(fz_buf_appends(&b, "\r\n"));
                col = 0;
                continue;
            }
            snprintf(q, sizeof q, lit ? "%c" : "=%02X", p[i]);
            if (col + strlen(q) > 75) {
                need(fz_buf_appends(&b, "=\r\n"));
                col = 0;
            }
            need(fz_buf_appends(&b, q));
            col += strlen(q);
        }
        need(fz_buf_appends(&b, "\r\n"));
    }
    need(fz_buf_appendf(&b, "\r\n--%s\r\nContent-Type: image/png\r\n"
        "Content-Transfer-Encoding: base64\r\nContent-Location: http://www."
        "example.gov.cn/images/logo.png\r\n\r\niVBORw0KGgoAAAANSUhEUgAAAAEAAAA"
        "BCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\r\n"
        "\r\n--%s--\r\n", bd, bd));
    FILE *f = fopen(out, "wb");
    if (f == NULL || fwrite(b.data, 1, b.len, f) != b.len || fclose(f))
        die("cannot write output");
    fz_buf_release(&html);
    fz_buf_release(&enc);
    fz_buf_release(&b);
}

/* ---- Word 97 ---- */

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

/* The smallest Word 97 file antiword and catdoc read ([MS-DOC] 2.5): a
 * FIB, the text as UTF-16LE at 0x800 in WordDocument, and a one-piece
 * piece table (Clx) in 1Table.  Paragraphs end with CR. */
static void write_doc(const char *out)
{
    struct fz_buf text = FZ_BUF_INIT;
    size_t ncu = 0;
    for (size_t i = 0; i < nlines; i++) {
        const char *s = lines[i];
        size_t len = strlen(s);
        for (size_t k = 0; k < len;) {
            uint32_t cp = fz_utf8_next(s, len, &k, NULL);
            unsigned char u[4];
            if (cp >= 0x10000) {
                cp -= 0x10000;
                put16(u, 0xd800 + (cp >> 10));
                put16(u + 2, 0xdc00 + (cp & 0x3ff));
                need(fz_buf_append(&text, u, 4));
                ncu += 2;
            } else {
                put16(u, cp);
                need(fz_buf_append(&text, u, 2));
                ncu++;
            }
        }
        need(fz_buf_append(&text, "\r\0", 2));
        ncu++;
    }
    /* Word pads WordDocument to at least 4096 bytes (antiword refuses a
     * smaller one: it would be in the OLE mini stream) */
    size_t fc = 0x800, wlen = (fc + text.len + 0x200 + 511) / 512 * 512;
    if (wlen < 4096)
        wlen = 4096;
    unsigned char *wd = calloc(1, wlen);
    if (wd == NULL)
        die("out of memory");
    put16(wd + 0, 0xa5ec);                  /* wIdent */
    put16(wd + 2, 0xc1);                    /* nFib: Word 97 */
    put16(wd + 4, variant == 1 ? 0x6b17 : 0x6027);  /* nProduct */
    put16(wd + 6, 0x0804);                  /* lid: zh-CN */
    /* fWhichTblStm (1Table), fExtChar (Unicode text), fFarEast; fComplex
     * off */
    put16(wd + 10, 0x0200 | 0x1000 | 0x4000);
    put16(wd + 12, 0xbf);                   /* nFibBack */
    put16(wd + 20, 0);
    put32(wd + 24, (uint32_t)fc);           /* fcMin */
    put32(wd + 28, (uint32_t)(fc + text.len));  /* fcMac */
    put16(wd + 32, 14);                     /* csw */
    put16(wd + 62, 22);                     /* cslw */
    put32(wd + 64, (uint32_t)wlen);         /* cbMac */
    put32(wd + 76, (uint32_t)ncu);          /* ccpText */
    put16(wd + 152, 93);                    /* cbRgFcLcb */
    memcpy(wd + fc, text.data, text.len);

    /* 1Table: the Clx, one piece of Unicode text covering every cp */
    unsigned char tbl[64];
    memset(tbl, 0, sizeof tbl);
    tbl[0] = 0x02;                          /* clxt: Pcdt */
    put32(tbl + 1, 4 * 2 + 8);              /* lcb of the PlcPcd */
    put32(tbl + 5, 0);
    put32(tbl + 9, (uint32_t)ncu);
    put16(tbl + 13, 0);                     /* PCD: flags */
    put32(tbl + 15, (uint32_t)fc);          /* fc, not compressed */
    put16(tbl + 19, 0);                     /* prm */
    size_t tlen = 21;
    put32(wd + 0x1a2, 0);                   /* fcClx */
    put32(wd + 0x1a6, (uint32_t)tlen);      /* lcbClx */

    GError *err = NULL;
    GsfOutput *sink = gsf_output_stdio_new(out, &err);
    if (sink == NULL)
        die("cannot create output");
    GsfOutfile *ole = gsf_outfile_msole_new(sink);
    g_object_unref(sink);
    GsfOutput *s = gsf_outfile_new_child(ole, "WordDocument", FALSE);
    gsf_output_write(s, wlen, wd);
    gsf_output_close(s);
    g_object_unref(s);
    s = gsf_outfile_new_child(ole, "1Table", FALSE);
    gsf_output_write(s, tlen, tbl);
    gsf_output_close(s);
    g_object_unref(s);
    gsf_output_close(GSF_OUTPUT(ole));
    g_object_unref(ole);
    free(wd);
    fz_buf_release(&text);
}

int main(int argc, char **argv)
{
    int i = 2;
    if (argc < 4)
        die("usage: mkoffice docx|ofd|mht|doc [--title T] [--date D] "
            "[--variant N] IN OUT");
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--title") == 0)
            title = argv[i + 1];
        else if (strcmp(argv[i], "--date") == 0)
            date = argv[i + 1];
        else if (strcmp(argv[i], "--variant") == 0)
            variant = atoi(argv[i + 1]);
        else
            die("unknown option");
    }
    if (argc - i != 2)
        die("want IN and OUT");
    read_lines(argv[i]);
    rng = 12345u + (uint32_t)variant;
    if (strcmp(argv[1], "docx") == 0) {
        write_docx(argv[i + 1]);
    } else if (strcmp(argv[1], "ofd") == 0) {
        write_ofd(argv[i + 1]);
    } else if (strcmp(argv[1], "mht") == 0) {
        write_mht(argv[i + 1]);
    } else if (strcmp(argv[1], "doc") == 0) {
        gsf_init();
        write_doc(argv[i + 1]);
        gsf_shutdown();
    } else {
        die("unknown format");
    }
    for (size_t k = 0; k < nlines; k++)
        free(lines[k]);
    free(lines);
    return 0;
}
