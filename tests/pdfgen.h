/* tests/pdfgen.h - PDFs printed the way government PDFs look, made from
 * text we have, for tests/test_pdf.c.
 *
 * Each paragraph is laid out by this file alone (cairo's toy text API
 * with fontconfig's Noto CJK; no shaping is needed for Han): A4, a
 * 16-point body hard-wrapped at 28 full-width characters and justified
 * to the right margin as WPS does, each paragraph's first line indented
 * two characters, the title centred in 22 points (two lines when long),
 * short label lines letter-spaced, a running header and a page number
 * ("- 2 -", "第 2 页 共 5 页" or "— 2 —") on every page, and paragraphs
 * running on over page breaks.  The page each paragraph starts on is
 * written to page_of[] for the test to compare with what the reader
 * says.  ASCII runs are never broken (a word processor breaks at
 * spaces), so joining two wrapped lines needs a space only between two
 * ASCII letters or digits, where the source had one. */
#ifndef FZ_PDFGEN_H
#define FZ_PDFGEN_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PG_W 595.0              /* A4 in points */
#define PG_H 842.0
#define PG_SIZE 16.0            /* 三号, the body size of official papers */
#define PG_LEFT 79.0            /* 28 mm */
#define PG_WIDTH (28 * PG_SIZE) /* 28 characters a line (GB/T 9704) */
#define PG_TOP 100.0            /* first baseline */
#define PG_PITCH 28.9           /* 22 lines a page (GB/T 9704) */
#define PG_BOTTOM 760.0         /* last baseline */

enum pg_numbers { PG_DASH, PG_OF, PG_EMDASH };

struct pg_opts {
    const char *header;         /* running header, or NULL */
    enum pg_numbers numbers;
    int letterspace;            /* letter-space short label lines */
    /* what pg_write() did */
    unsigned pages;             /* pages printed */
    unsigned split;             /* paragraphs running over a page break */
    unsigned spaced;            /* lines letter-spaced */
    unsigned table_rows;        /* table rows drawn */
    char page1[65536];          /* the characters printed on page 1 */
    size_t page1_len;
};

struct pg_state {
    cairo_surface_t *s;
    cairo_t *cr;
    unsigned page, pages_total;
    double y;
    struct pg_opts *o;
};

static size_t pg_cplen(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static int pg_is_ascii_word(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c > ' ' && c < 0x7f;
}

/* closing punctuation hangs in the margin rather than start a line */
static int pg_closing(const char *s, size_t n)
{
    static const char *const p[] = {
        "，", "。", "、", "；", "：", "？", "！", "）", "》", "”", "’", "」",
        ",", ".", ";", ":", ")", "%",
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (strlen(p[i]) == n && memcmp(p[i], s, n) == 0)
            return 1;
    return 0;
}

static double pg_adv(cairo_t *cr, const char *s, size_t n)
{
    char buf[8];
    memcpy(buf, s, n);
    buf[n] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    return e.x_advance;
}

static void pg_chrome(struct pg_state *st)
{
    cairo_t *cr = st->cr;
    char buf[128];
    cairo_set_font_size(cr, 10.5);
    if (st->o->header) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, st->o->header, &e);
        cairo_move_to(cr, PG_LEFT + PG_WIDTH - e.x_advance, 56);
        cairo_show_text(cr, st->o->header);
        cairo_move_to(cr, PG_LEFT, 62);
        cairo_line_to(cr, PG_LEFT + PG_WIDTH, 62);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
    switch (st->o->numbers) {
    case PG_DASH:
        snprintf(buf, sizeof buf, "- %u -", st->page);
        break;
    case PG_OF:
        snprintf(buf, sizeof buf, "第 %u 页 共 %u 页", st->page,
                 st->pages_total);
        break;
    case PG_EMDASH:
        snprintf(buf, sizeof buf, "— %u —", st->page);
        break;
    }
    cairo_set_font_size(cr, 14);
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    cairo_move_to(cr, PG_LEFT + (PG_WIDTH - e.x_advance) / 2, 800);
    cairo_show_text(cr, buf);
}

static void pg_newline(struct pg_state *st, double pitch)
{
    st->y += pitch;
    if (st->y > PG_BOTTOM) {
        pg_chrome(st);
        cairo_show_page(st->cr);
        st->page++;
        st->y = PG_TOP;
    }
}

/* Show s[from,to) at y starting at x, each code point at its own place,
 * with extra points after each glyph but the last (justification or
 * letter-spacing). */
static void pg_show(struct pg_state *st, const char *s, size_t from,
                    size_t to, double x, double y, double extra)
{
    cairo_t *cr = st->cr;
    char buf[8];
    for (size_t i = from; i < to;) {
        size_t n = pg_cplen(s + i);
        memcpy(buf, s + i, n);
        buf[n] = '\0';
        struct pg_opts *o = st->o;
        if (st->page == 1 && o->page1_len + n < sizeof o->page1) {
            memcpy(o->page1 + o->page1_len, buf, n);
            o->page1_len += n;
        }
        if (buf[0] != ' ') {
            cairo_move_to(cr, x, y);
            cairo_show_text(cr, buf);
        }
        x += pg_adv(cr, s + i, n) + extra;
        i += n;
    }
}

/* One paragraph: wrapped to width, first line indented by indent,
 * justified unless centred; the last line left as it is. */
static void pg_para(struct pg_state *st, const char *s, size_t len,
                    double size, double indent, int centre, double spacing)
{
    cairo_t *cr = st->cr;
    cairo_set_font_size(cr, size);
    size_t i = 0;
    double left = PG_LEFT + indent, width = PG_WIDTH - indent;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        /* take tokens while they fit: an ASCII run, a space, one code
         * point; closing punctuation always fits */
        size_t e = i, gaps = 0;
        double w = 0;
        while (e < len) {
            size_t t = e;
            if (pg_is_ascii_word(s + t)) {
                while (t < len && pg_is_ascii_word(s + t))
                    t++;
            } else {
                t += pg_cplen(s + t);
            }
            double tw = 0;
            size_t tg = 0;
            for (size_t k = e; k < t; k += pg_cplen(s + k), tg++)
                tw += pg_adv(cr, s + k, pg_cplen(s + k)) + spacing;
            if (w + tw > width + 0.01 && e > i
                && !pg_closing(s + e, t - e) && tw <= width)
                break;
            if (w + tw > width + 0.01 && e > i && tw > width)
                break;
            w += tw;
            gaps += tg;
            e = t;
        }
        if (e == i)                     /* a run wider than the line */
            e = i + pg_cplen(s + i);
        size_t end = e;
        while (end > i && s[end - 1] == ' ')
            end--;
        double extra = spacing;
        int last = e >= len;
        if (!centre && !last && gaps > 1 && w < width)
            extra += (width - w) / (double)(gaps - 1);
        double x = left;
        if (centre)
            x = PG_LEFT + (PG_WIDTH - w) / 2;
        pg_show(st, s, i, end, x, st->y, extra);
        i = e;
        left = PG_LEFT;
        width = PG_WIDTH;
        if (i < len) {
            unsigned before = st->page;
            pg_newline(st, size > PG_SIZE ? size * 1.6 : PG_PITCH);
            st->o->split += st->page != before;
        }
    }
}

static size_t pg_ncp(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += pg_cplen(s + i))
        n++;
    return n;
}

/* A table row: cells separated by tabs, in columns of equal width
 * across the text block, 12 points, ruled. */
static void pg_row(struct pg_state *st, const char *s, size_t len)
{
    size_t ncol = 1;
    for (size_t i = 0; i < len; i++)
        ncol += s[i] == '\t';
    double cw = PG_WIDTH / (double)ncol, x = PG_LEFT;
    cairo_t *cr = st->cr;
    cairo_set_font_size(cr, 12);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, PG_LEFT, st->y - 17);
    cairo_line_to(cr, PG_LEFT + PG_WIDTH, st->y - 17);
    for (size_t c = 0; c <= ncol; c++) {
        cairo_move_to(cr, PG_LEFT + c * cw, st->y - 17);
        cairo_line_to(cr, PG_LEFT + c * cw, st->y + 7);
    }
    cairo_stroke(cr);
    for (size_t i = 0; i <= len;) {
        size_t e = i;
        while (e < len && s[e] != '\t')
            e++;
        pg_show(st, s, i, e, x + 4, st->y, 0);
        x += cw;
        i = e + 1;
    }
    st->o->table_rows++;
}

/* A short label line (联系电话：…, 一、总体情况): letter-spaced in print */
static int pg_label(const char *s, size_t len)
{
    size_t n = pg_ncp(s, len);
    return n >= 2 && n <= 12 && memchr(s, ' ', len) == NULL
           && (unsigned char)s[0] >= 0x80;
}

/* Lay out paras[0,n) (paragraph n_title is the title, or none when it is
 * (size_t)-1) once to count pages, then for real into path.  page_of[k]
 * receives the page paragraph k starts on.  0, or -1 when cairo fails. */
static int pg_write(const char *path, const char *const *paras,
                    const size_t *lens, size_t n, size_t n_title,
                    struct pg_opts *o, unsigned *page_of)
{
    unsigned total = 0;
    for (int pass = 0; pass < 2; pass++) {
        o->split = o->spaced = o->table_rows = 0;
        o->page1_len = 0;
        struct pg_state st = { NULL, NULL, 1, total, PG_TOP, o };
        st.s = cairo_pdf_surface_create(pass ? path : NULL, PG_W, PG_H);
        st.cr = cairo_create(st.s);
        cairo_select_font_face(st.cr, "Noto Serif CJK SC",
                               CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
        for (size_t k = 0; k < n; k++) {
            if (k == n_title) {
                st.y += 10;
                page_of[k] = st.page;
                pg_para(&st, paras[k], lens[k], 22, 0, 1, 0);
                pg_newline(&st, PG_PITCH * 1.8);
                continue;
            }
            page_of[k] = st.page;
            if (memchr(paras[k], '\t', lens[k])) {
                pg_row(&st, paras[k], lens[k]);
                pg_newline(&st, 24);
                continue;
            }
            if (o->letterspace && pg_label(paras[k], lens[k])) {
                pg_para(&st, paras[k], lens[k], PG_SIZE, 2 * PG_SIZE, 0,
                        PG_SIZE * 0.9);
                o->spaced++;
            } else
                pg_para(&st, paras[k], lens[k], PG_SIZE, 2 * PG_SIZE, 0, 0);
            /* the page the paragraph starts on is where its first line
             * went: a paragraph whose first line would not fit begins on
             * the next page (pg_newline moved before it) */
            pg_newline(&st, PG_PITCH);
        }
        pg_chrome(&st);
        cairo_show_page(st.cr);
        total = o->pages = st.page;
        int bad = cairo_status(st.cr) != CAIRO_STATUS_SUCCESS;
        cairo_destroy(st.cr);
        cairo_surface_finish(st.s);
        bad |= cairo_surface_status(st.s) != CAIRO_STATUS_SUCCESS;
        cairo_surface_destroy(st.s);
        if (bad)
            return -1;
    }
    return 0;
}

/* A scan of page `page` (1, 2, ...) of the PDF in[0,len): the page
 * rendered at ppi into an image, and the image alone printed as a PDF of
 * the same size into path, as a scanner's software makes it.  0 or -1. */
static int pg_scan(const char *in, size_t len, int page, double ppi,
                   const char *path)
{
    GBytes *gb = g_bytes_new_static(in, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, NULL);
    g_bytes_unref(gb);
    if (doc == NULL)
        return -1;
    PopplerPage *p = poppler_document_get_page(doc, page - 1);
    double w, h, k = ppi / 72;
    poppler_page_get_size(p, &w, &h);
    cairo_surface_t *img = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)(w * k), (int)(h * k));
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    poppler_page_render_for_printing(p, cr);
    cairo_destroy(cr);
    g_object_unref(p);
    g_object_unref(doc);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, w, h);
    cr = cairo_create(pdf);
    cairo_scale(cr, 1 / k, 1 / k);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_show_page(cr);
    int bad = cairo_status(cr) != CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    bad |= cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(img);
    return bad ? -1 : 0;
}

/* Take the /ToUnicode maps out of a PDF cairo wrote, in place: the key is
 * renamed (same length, so every offset stays right) and readers no
 * longer find it, as in PDFs whose fonts carry no Unicode mapping.
 * Cairo writes font dictionaries as plain objects, never compressed.
 * Returns how many were renamed. */
static inline int pg_strip_tounicode(char *pdf, size_t len)
{
    int n = 0;
    for (char *p = pdf; (p = memmem(p, len - (size_t)(p - pdf),
                                    "/ToUnicode", 10)) != NULL; p += 10) {
        memcpy(p, "/ToUnicodX", 10);
        n++;
    }
    return n;
}

#endif
