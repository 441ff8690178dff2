/* reader/pdf.c - the text of a PDF through poppler-glib (extract.h).
 *
 * Each page's text and the box of each character come from poppler; the
 * characters are put into rows by position (top to bottom, a row's pieces
 * left to right, so a table's cells come out row by row), and the rows of
 * all pages are then read as a printed document is:
 *   - the body's size, left margin and right margin are what most rows
 *     have (a justified line reaches the right margin, a paragraph's first
 *     line is indented, its last one stops short); in a short report most
 *     rows may be first lines, and the margin is then where the rows an
 *     indent's width left of them start;
 *   - a row among the first or last two of a page that is a page number
 *     ("- 2 -", "第 2 页 共 5 页", "— 3 —", "2/5") or that stands at the
 *     top or bottom of most pages (digits aside) is page chrome, dropped;
 *   - a row that reaches the right margin continues into the next one when
 *     that is not indented and of the same size, on the same page or at
 *     the top of the next (…依法 / - 2 - / 行政…);
 *   - a row whose pieces stand wide apart is a table row: its cells are
 *     kept, separated by spaces, as one line of its own;
 *   - a letter-spaced row (电 话 ： 0510-1234567) is closed up;
 *   - the largest text near the top of the first page is the title, its
 *     rows joined.
 * Pages whose text layer is unusable (none at all over a page image, or
 * characters without a Unicode mapping: control characters, private-use
 * code points, Latin-1 symbols where Chinese should be) are read by OCR
 * (reader/ocr.h) with --ocr, and refuse the file without it. */
#include "reader/extract.h"
#include "reader/ocr.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

/* A row of text: one printed line, or one row of a table. */
struct row {
    unsigned page;              /* 1, 2, ... */
    double x1, y1, x2, y2;      /* points, y downwards */
    double size;                /* median glyph height: the font size */
    double maxgap;              /* widest gap between two glyphs */
    size_t off, len;            /* bytes into doc.text */
    unsigned char chrome;       /* page number, running header/footer */
};

struct doc {
    struct row *rows;
    size_t n, cap;
    struct fz_buf text;         /* the rows' text */
    unsigned pages;
};

/* A glyph of a page with its box, gathered before rows are made. */
struct glyph {
    double x1, y1, x2, y2;
    size_t off, len;            /* bytes into the page text */
    int space;
};

/* One of poppler's lines, or one line of OCR. */
struct pline {
    double x1, y1, x2, y2, size, yc;
    size_t g0, g1;              /* glyphs [g0, g1) */
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_pline_y(const void *a, const void *b)
{
    const struct pline *p = a, *q = b;
    return (p->yc > q->yc) - (p->yc < q->yc);
}

static int cmp_pline_x(const void *a, const void *b)
{
    const struct pline *p = a, *q = b;
    return (p->x1 > q->x1) - (p->x1 < q->x1);
}

static int push_row(struct doc *d, const struct row *r)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        void *v = realloc(d->rows, cap * sizeof *d->rows);
        if (v == NULL)
            return FZ_ENOMEM;
        d->rows = v;
        d->cap = cap;
    }
    d->rows[d->n++] = *r;
    return FZ_OK;
}

/* ---- the lines of one page into rows ---------------------------------- */

/* Rows from the lines pl[0,n) of one page, whose glyphs are g[] and text
 * s: lines whose middles fall within one another's height are one row,
 * its pieces ordered left to right and separated by a space. */
static int page_rows(struct doc *d, unsigned page, struct pline *pl,
                     size_t n, const struct glyph *g, const char *s)
{
    qsort(pl, n, sizeof *pl, cmp_pline_y);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        double top = pl[i].y1, bot = pl[i].y2;
        while (j < n && pl[j].yc >= top && pl[j].yc <= bot) {
            if (pl[j].y1 < top)
                top = pl[j].y1;
            j++;
        }
        qsort(pl + i, j - i, sizeof *pl, cmp_pline_x);
        struct row r = { page, pl[i].x1, top, pl[i].x2, 0, 0, 0,
                         d->text.len, 0, 0 };
        double sizes[64];
        size_t ns = 0, ng = 0;
        double prev_x2 = NAN;
        for (size_t k = i; k < j; k++) {
            if (k > i && fz_buf_appendc(&d->text, ' ') != FZ_OK)
                return FZ_ENOMEM;
            prev_x2 = NAN;
            for (size_t m = pl[k].g0; m < pl[k].g1; m++) {
                /* Poppler puts no space where glyphs merely stand apart
                 * (table cells in one of its lines, "- 1 -"): a gap
                 * wider than a tenth of the glyphs' height (its own rule
                 * for a word break, TextOutputDev's minWordBreakSpace)
                 * is one, unless a space glyph stands there already */
                if (!g[m].space && !isnan(prev_x2) && m > pl[k].g0
                    && !g[m - 1].space
                    && g[m].x1 - prev_x2 > 0.1 * (g[m].y2 - g[m].y1)
                    && fz_buf_appendc(&d->text, ' ') != FZ_OK)
                    return FZ_ENOMEM;
                if (fz_buf_append(&d->text, s + g[m].off, g[m].len) != FZ_OK)
                    return FZ_ENOMEM;
                if (g[m].space)
                    continue;
                double gap = isnan(prev_x2) ? 0 : g[m].x1 - prev_x2;
                if (gap > r.maxgap)
                    r.maxgap = gap;
                prev_x2 = g[m].x2;
                if (ns < sizeof sizes / sizeof sizes[0])
                    sizes[ns++] = g[m].y2 - g[m].y1;
                ng++;
            }
            if (pl[k].g0 == pl[k].g1) {     /* an OCR line: no glyphs */
                if (ns < sizeof sizes / sizeof sizes[0])
                    sizes[ns++] = pl[k].size;
            }
            if (pl[k].x1 < r.x1)
                r.x1 = pl[k].x1;
            if (pl[k].x2 > r.x2)
                r.x2 = pl[k].x2;
            if (pl[k].y2 > r.y2)
                r.y2 = pl[k].y2;
        }
        qsort(sizes, ns, sizeof sizes[0], cmp_double);
        r.size = ns ? sizes[ns / 2] : 1;
        if (r.size <= 0)
            r.size = 1;
        r.len = d->text.len - r.off;
        if (r.len > 0 && push_row(d, &r) != FZ_OK)
            return FZ_ENOMEM;
        i = j;
    }
    return FZ_OK;
}

/* What a page's text layer is worth. */
enum layer { LAYER_OK, LAYER_EMPTY, LAYER_SCAN, LAYER_NOUNICODE };

/* A character that text without a Unicode mapping turns into: C0 and C1
 * controls, Latin-1 symbols (¿ ¡ ‹ ﬂ, what a font's codes come out as
 * through a Western code page), Latin letters outside pinyin, private-use
 * code points, U+FFFD. */
static int suspect(uint32_t c)
{
    if (c < 0x20)
        return c != '\t';
    if (c >= 0x7f && c < 0xa0)
        return 1;
    if (c >= 0xa1 && c <= 0xbf)
        return c != 0xb0 && c != 0xb1 && c != 0xb7 && c != 0xa7;
    if (c >= 0x100 && c < 0x300) {
        static const uint32_t pinyin[] = {
            0x101, 0x113, 0x11b, 0x12b, 0x14d, 0x16b, 0x1ce, 0x1d0, 0x1d2,
            0x1d4, 0x1d6, 0x1d8, 0x1da, 0x1dc,
        };
        for (size_t i = 0; i < sizeof pinyin / sizeof pinyin[0]; i++)
            if (c == pinyin[i])
                return 0;
        return 1;
    }
    return (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000
           || (c >= 0xfb00 && c <= 0xfb4f) || c == 0x2039 || c == 0x203a
           || c == 0xfffd;
}

/* A page's text s[0,len): whether it holds text at all, and whether that
 * text is real: at most a tenth of its characters may be suspect. */
static enum layer judge_text(const char *s, size_t len)
{
    size_t n = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (c == '\n' || fz_is_space(c))
            continue;
        n++;
        bad += suspect(c);
    }
    if (n == 0)
        return LAYER_EMPTY;
    if (bad * 10 > n && bad >= 3)
        return LAYER_NOUNICODE;
    return LAYER_OK;
}

/* The share of the page that images cover (0..1, overlaps counted). */
static double image_cover(PopplerPage *p)
{
    double w, h, a = 0;
    poppler_page_get_size(p, &w, &h);
    GList *m = poppler_page_get_image_mapping(p);
    for (GList *l = m; l; l = l->next) {
        PopplerImageMapping *im = l->data;
        a += fabs((im->area.x2 - im->area.x1) * (im->area.y2 - im->area.y1));
    }
    poppler_page_free_image_mapping(m);
    return w > 0 && h > 0 ? a / (w * h) : 0;
}

/* The rows of page p's text layer.  Poppler hands the text with one box
 * per character (a '\n' between its lines has one too). */
static int text_rows(struct doc *d, unsigned page, PopplerPage *p,
                     enum layer *layer)
{
    char *s = poppler_page_get_text(p);
    PopplerRectangle *rect = NULL;
    guint nrect = 0;
    struct glyph *g = NULL;
    struct pline *pl = NULL;
    size_t ng = 0, npl = 0;
    int rc = FZ_OK;
    size_t len = s ? strlen(s) : 0;
    *layer = judge_text(s ? s : "", len);
    if (*layer != LAYER_OK)
        goto out;
    if (!poppler_page_get_text_layout(p, &rect, &nrect))
        nrect = 0;
    g = malloc((len + 1) * sizeof *g);
    pl = malloc((len + 1) * sizeof *pl);
    if (g == NULL || pl == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    size_t ci = 0;
    struct pline cur = { 0, 0, 0, 0, 0, 0, 0, 0 };
    int have = 0;
    for (size_t i = 0; i <= len; ci++) {
        size_t at = i;
        uint32_t c = i < len ? fz_utf8_next(s, len, &i, NULL) : '\n';
        if (at == len)
            i = len + 1;
        if (c == '\n') {
            if (have) {
                cur.g1 = ng;
                /* trailing spaces are no part of the line */
                while (cur.g1 > cur.g0 && g[cur.g1 - 1].space)
                    cur.g1--;
                cur.yc = (cur.y1 + cur.y2) / 2;
                pl[npl++] = cur;
            }
            have = 0;
            continue;
        }
        if (ci >= nrect)        /* no box: poppler disagrees with itself */
            continue;
        PopplerRectangle *b = &rect[ci];
        int sp = fz_is_space(c);
        if (sp && !have)
            continue;           /* leading spaces */
        g[ng] = (struct glyph){ b->x1, b->y1, b->x2, b->y2, at, i - at, sp };
        if (sp) {
            ng++;
            continue;
        }
        if (!have) {
            cur = (struct pline){ b->x1, b->y1, b->x2, b->y2, 0, 0, ng, ng };
            have = 1;
        }
        if (b->x1 < cur.x1)
            cur.x1 = b->x1;
        if (b->y1 < cur.y1)
            cur.y1 = b->y1;
        if (b->x2 > cur.x2)
            cur.x2 = b->x2;
        if (b->y2 > cur.y2)
            cur.y2 = b->y2;
        ng++;
    }
    rc = page_rows(d, page, pl, npl, g, s);
out:
    free(pl);
    free(g);
    g_free(rect);
    g_free(s);
    return rc;
}

/* The rows of page p read by OCR: rendered at 200 pixels an inch (16-point
 * text is then 44 pixels high, well above the 20 or so Tesseract needs),
 * fewer for a page so large that it would pass 40 million pixels. */
static int ocr_rows(struct doc *d, unsigned page, PopplerPage *p,
                    struct fz_ocr *ocr, char **errptr)
{
    double w, h, ppi = 200;
    poppler_page_get_size(p, &w, &h);
    if (w <= 0 || h <= 0)
        return FZ_OK;
    while (ppi > 20 && (w * ppi / 72) * (h * ppi / 72) > 40e6)
        ppi /= 2;
    double k = ppi / 72;
    int pw = (int)ceil(w * k), ph = (int)ceil(h * k);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                      pw, ph);
    struct fz_ocr_lines ol = { FZ_BUF_INIT, NULL, 0 };
    struct pline *pl = NULL;
    unsigned char *gray = NULL;
    int rc = FZ_ENOMEM;
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
        goto out;
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    poppler_page_render_for_printing(p, cr);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    const unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    gray = malloc((size_t)pw * (size_t)ph);
    if (gray == NULL || px == NULL)
        goto out;
    for (int y = 0; y < ph; y++) {
        const uint32_t *rowp = (const uint32_t *)(px + (size_t)y * stride);
        for (int x = 0; x < pw; x++) {
            uint32_t v = rowp[x];
            /* ITU-R BT.601 luma */
            gray[(size_t)y * pw + x] = (unsigned char)(
                (299 * ((v >> 16) & 255) + 587 * ((v >> 8) & 255)
                 + 114 * (v & 255)) / 1000);
        }
    }
    rc = fz_ocr_page(ocr, gray, pw, ph, pw, (int)ppi, &ol, errptr);
    if (rc != FZ_OK)
        goto out;
    rc = FZ_ENOMEM;
    pl = malloc((ol.n + 1) * sizeof *pl);
    if (pl == NULL)
        goto out;
    /* OCR lines are rows without glyphs: their text is put in as a
     * single piece, their height is their size */
    struct glyph *g = malloc((ol.n + 1) * sizeof *g);
    if (g == NULL)
        goto out;
    for (size_t i = 0; i < ol.n; i++) {
        const struct fz_ocr_line *l = &ol.v[i];
        g[i] = (struct glyph){ l->x1 / k, l->y1 / k, l->x2 / k, l->y2 / k,
                               l->off, l->len, 0 };
        pl[i] = (struct pline){ l->x1 / k, l->y1 / k, l->x2 / k, l->y2 / k,
                                (l->y2 - l->y1) / k,
                                (l->y1 + l->y2) / (2 * k), i, i + 1 };
    }
    rc = page_rows(d, page, pl, ol.n, g, fz_buf_cstr(&ol.text));
    free(g);
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    free(pl);
    free(gray);
    fz_ocr_lines_release(&ol);
    cairo_surface_destroy(img);
    return rc;
}

/* ---- page chrome ------------------------------------------------------ */

static int dashlike(uint32_t c)
{
    return c == '-' || c == 0x2014 || c == 0x2013 || c == 0x2012
           || c == 0x2010 || c == 0xff0d || c == 0x2212 || c == '_'
           || c == 0x00b7 || c == 0x2022 || c == '~' || c == '.'
           || c == 0x2500 || c == 0x2015;
}

/* Whether s[0,len) is a page number: "- 2 -", "— 3 —", "2", "第 1 页 共 5
 * 页", "共5页 第1页", "第1页", "2/5", "2 / 5", "Page 2 of 5". */
static int page_number(const char *s, size_t len)
{
    uint32_t c[48];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t x = fz_utf8_next(s, len, &i, NULL);
        if (fz_is_space(x))
            continue;
        if (n == sizeof c / sizeof c[0])
            return 0;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (x >= 0xff10 && x <= 0xff19)             /* full-width digits */
            x -= 0xff10 - '0';
        c[n++] = x;
    }
    size_t a = 0, b = n;
    while (a < b && dashlike(c[a]))
        a++;
    while (b > a && dashlike(c[b - 1]))
        b--;
    if (a == b)
        return 0;
    /* a pattern: 'd' one or more digits, others literal */
    static const char *const pats[] = {
        "d", "第d页", "第d页共d页", "第d页,共d页", "第d页，共d页",
        "共d页第d页", "共d页,第d页", "d/d", "paged", "paged/d",
        "pagedofd",
    };
    for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++) {
        const char *q = pats[p];
        size_t i = a, qn = strlen(q), qi = 0;
        int ok = 1;
        while (ok && qi < qn) {
            if (q[qi] == 'd') {
                size_t st = i;
                while (i < b && c[i] >= '0' && c[i] <= '9')
                    i++;
                ok = i > st && i - st <= 5;
                qi++;
            } else {
                size_t k = qi;
                uint32_t want = fz_utf8_next(q, qn, &k, NULL);
                ok = i < b && (c[i] == want
                               || (want == ',' && c[i] == 0xff0c));
                i++;
                qi = k;
            }
        }
        if (ok && i == b)
            return 1;
    }
    return 0;
}

/* A row's text with digits and white space removed: what a running
 * header or footer keeps from page to page. */
static char *chrome_key(const char *s, size_t len)
{
    struct fz_buf b = FZ_BUF_INIT;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (fz_is_space(c) || (c >= '0' && c <= '9')
            || (c >= 0xff10 && c <= 0xff19))
            continue;
        if (fz_buf_append(&b, s + at, i - at) != FZ_OK) {
            fz_buf_release(&b);
            return NULL;
        }
    }
    return fz_buf_detach(&b, NULL);
}

/* The first and last two rows of each page: page numbers, and rows that
 * stand there on at least half the pages (and at least two), are chrome. */
static int mark_chrome(struct doc *d)
{
    size_t nc = 0;
    size_t *cand = malloc((4 * (size_t)d->pages + 4) * sizeof *cand);
    char **keys = calloc(4 * (size_t)d->pages + 4, sizeof *keys);
    int rc = FZ_ENOMEM;
    if (cand == NULL || keys == NULL)
        goto out;
    for (size_t i = 0; i < d->n;) {
        size_t j = i;
        while (j < d->n && d->rows[j].page == d->rows[i].page)
            j++;
        for (size_t k = i; k < j; k++)
            if (k < i + 2 || k + 2 >= j)
                cand[nc++] = k;
        i = j;
    }
    for (size_t k = 0; k < nc; k++) {
        struct row *r = &d->rows[cand[k]];
        const char *s = d->text.data + r->off;
        if (page_number(s, r->len))
            r->chrome = 1;
        else if ((keys[k] = chrome_key(s, r->len)) == NULL)
            goto out;
    }
    for (size_t k = 0; k < nc; k++) {
        if (keys[k] == NULL || keys[k][0] == '\0')
            continue;
        unsigned pages = 0, last = 0;
        for (size_t m = 0; m < nc; m++)
            if (keys[m] && strcmp(keys[m], keys[k]) == 0
                && d->rows[cand[m]].page != last) {
                pages++;
                last = d->rows[cand[m]].page;
            }
        if (pages >= 2 && 2 * pages >= d->pages)
            d->rows[cand[k]].chrome = 1;
    }
    rc = FZ_OK;
out:
    if (keys)
        for (size_t k = 0; k < nc; k++)
            free(keys[k]);
    free(keys);
    free(cand);
    return rc;
}

/* ---- rows into paragraphs --------------------------------------------- */

/* What most of the body is like. */
struct body {
    double size, left, right;
};

/* The most common value of v[0,n) in bins of width w, each weighted by
 * wt[] */
static double mode(const double *v, const double *wt, size_t n, double w)
{
    double best = 0, best_w = -1;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            if (fabs(v[j] - v[i]) <= w / 2)
                sum += wt[j];
        if (sum > best_w) {
            best_w = sum;
            best = v[i];
        }
    }
    return best;
}

/* The body's font size (the size of most characters), its left margin
 * (where most rows of that size start) and its right margin (where the
 * longest nine tenths of them end at most). */
static int body_of(const struct doc *d, struct body *b)
{
    /* a sample bounds the quadratic mode(): every k-th row */
    size_t k = d->n / 2000 + 1, m = 0;
    double *v = malloc((d->n / k + 2) * sizeof *v);
    double *wt = malloc((d->n / k + 2) * sizeof *wt);
    if (v == NULL || wt == NULL) {
        free(v);
        free(wt);
        return FZ_ENOMEM;
    }
    for (size_t i = 0; i < d->n; i += k) {
        if (d->rows[i].chrome)
            continue;
        v[m] = d->rows[i].size;
        wt[m++] = (double)d->rows[i].len;
    }
    b->size = m ? mode(v, wt, m, 0.1 * v[0] + 0.5) : 12;
    size_t nb = 0;
    for (size_t i = 0; i < d->n; i += k) {
        const struct row *r = &d->rows[i];
        if (r->chrome || fabs(r->size - b->size) > 0.15 * b->size)
            continue;
        v[nb] = r->x1;
        wt[nb++] = 1;
    }
    b->left = nb ? mode(v, wt, nb, 0.3 * b->size) : 0;
    /* In a short report most rows may open a paragraph (a salutation, a
     * heading, one- and two-line paragraphs), so the commonest start is
     * the indent: the margin is then where the rows that go on a
     * paragraph start, an indent's width left of it (two characters in
     * GB/T 9704 and word processors; a row's size is its glyphs' height,
     * about 1.4 characters), when a tenth of the rows do. */
    size_t at_left = 0;
    double lowest = b->left;
    for (size_t i = 0; i < nb; i++)
        if (v[i] < b->left - 0.6 * b->size
            && v[i] > b->left - 3 * b->size) {
            size_t near = 0;
            for (size_t j = 0; j < nb; j++)
                near += fabs(v[j] - v[i]) <= 0.15 * b->size;
            if (near >= 2 && near * 10 >= nb && (at_left == 0
                                                 || v[i] < lowest)) {
                lowest = v[i];
                at_left = near;
            }
        }
    if (at_left)
        b->left = lowest;
    nb = 0;
    for (size_t i = 0; i < d->n; i += k) {
        const struct row *r = &d->rows[i];
        if (r->chrome || fabs(r->size - b->size) > 0.15 * b->size)
            continue;
        v[nb++] = r->x2;
    }
    qsort(v, nb, sizeof *v, cmp_double);
    b->right = nb ? v[nb * 9 / 10 - (nb * 9 / 10 == nb)] : 0;
    free(v);
    free(wt);
    return FZ_OK;
}

static int is_table(const struct row *r)
{
    return r->maxgap >= 1.5 * r->size;
}

static int near_size(double a, double b)
{
    return fabs(a - b) <= 0.15 * (a > b ? a : b);
}

/* Whether row b goes on the paragraph that row a ends (prev is the row
 * before b in reading order, which may be a's on another page). */
static int continues(const struct row *a, const struct row *b,
                     const struct body *body)
{
    if (is_table(a) || is_table(b) || !near_size(a->size, b->size))
        return 0;
    if (a->x2 < body->right - 2 * a->size)      /* stops short */
        return 0;
    if (b->x1 > body->left + 0.6 * b->size)     /* indented */
        return 0;
    if (a->page == b->page)
        return b->y1 > a->y1 && b->y1 - a->y2 <= 1.5 * a->size;
    return b->page == a->page + 1;
}

static uint32_t last_cp(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t at = len - 1;
    while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
        at--;
    return fz_utf8_next(s, len, &at, NULL);
}

static int ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z');
}

/* Append a row's text, closed up when it is letter-spaced: at least three
 * space-separated pieces, two thirds of them one character, half of those
 * not ASCII (or two pieces, each one such character: 姓 名), and no gap
 * as wide as a table's.  A space next to a
 * one-character piece goes (电 话 ： 0510-1234567 → 电话：0510-1234567). */
static int append_row(struct fz_buf *out, const char *s, size_t len,
                      const struct row *r)
{
    size_t pieces = 0, single = 0, single_wide = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t st = i, ncp = 0;
        uint32_t c = 0;
        while (i < len && s[i] != ' ') {
            c = fz_utf8_next(s, len, &i, NULL);
            ncp++;
        }
        (void)st;
        pieces++;
        if (ncp == 1) {
            single++;
            single_wide += c >= 0x80;
        }
    }
    int spaced = pieces >= 3 ? 3 * single >= 2 * pieces
                               && 2 * single_wide >= single
                             : pieces == 2 && single_wide == 2;
    if (!spaced || is_table(r))
        return fz_buf_append(out, s, len);
    size_t prev_ncp = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == ' ') {
            size_t j = i;
            while (j < len && s[j] == ' ')
                j++;
            size_t k = j, ncp = 0;
            while (k < len && s[k] != ' ') {
                fz_utf8_next(s, len, &k, NULL);
                ncp++;
            }
            if (prev_ncp != 1 && ncp != 1 && prev_ncp && ncp
                && fz_buf_appendc(out, ' ') != FZ_OK)
                return FZ_ENOMEM;
            i = j;
            continue;
        }
        size_t st = i;
        prev_ncp = 0;
        while (i < len && s[i] != ' ') {
            fz_utf8_next(s, len, &i, NULL);
            prev_ncp++;
        }
        if (fz_buf_append(out, s + st, i - st) != FZ_OK)
            return FZ_ENOMEM;
    }
    return FZ_OK;
}

/* Join the rows into paragraphs and write them as extract.h says. */
static int write_text(const struct doc *d, const struct body *body,
                      struct fz_extract *out, char **errptr)
{
    unsigned page = 1;
    const struct row *prev = NULL;
    struct fz_buf *t = &out->text;
    /* the title: rows on the first page at least 1.15 times the body's
     * size, one under another, are one line */
    for (size_t i = 0; i < d->n; i++) {
        const struct row *r = &d->rows[i];
        if (r->chrome)
            continue;
        const char *s = d->text.data + r->off;
        int join = 0;
        if (prev) {
            int title = prev->page == 1 && r->page == 1
                        && prev->size >= 1.15 * body->size
                        && near_size(prev->size, r->size)
                        && r->y1 - prev->y2 <= 1.0 * r->size
                        && !is_table(prev) && !is_table(r);
            join = title || continues(prev, r, body);
        }
        if (join) {
            uint32_t a = last_cp(t->data, t->len);
            size_t k = 0;
            uint32_t b = fz_utf8_next(s, r->len, &k, NULL);
            if (ascii_alnum(a) && ascii_alnum(b)
                && fz_buf_appendc(t, ' ') != FZ_OK)
                goto nomem;
        } else {
            if (prev && fz_buf_appendc(t, '\n') != FZ_OK)
                goto nomem;
            for (; page < r->page; page++)
                if (fz_buf_appendc(t, '\f') != FZ_OK)
                    goto nomem;
        }
        if (append_row(t, s, r->len, r) != FZ_OK)
            goto nomem;
        if (t->len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text, more than a "
                         "report has", FZ_EXTRACT_MAX_TEXT >> 20);
            return FZ_EUNREADABLE;
        }
        prev = r;
    }
    if (prev && fz_buf_appendc(t, '\n') != FZ_OK)
        goto nomem;
    /* text/clean.h numbers pages only in text that has a form feed: one
     * at the end (an empty last page) gives a one-page PDF its page 1 */
    if (prev && memchr(t->data, '\f', t->len) == NULL
        && fz_buf_appendc(t, '\f') != FZ_OK)
        goto nomem;
    return FZ_OK;
nomem:
    fz_set_error(errptr, "out of memory");
    return FZ_ENOMEM;
}

/* The title printed on the first page: its largest rows in the top half,
 * when larger than the body, joined; or the document info Title when a
 * row of the first page says the same (an info Title the text does not
 * confirm may be an editor's default). */
static char *find_title(const struct doc *d, const struct body *body,
                        const char *info)
{
    double big = 0;
    size_t first = d->n;
    for (size_t i = 0; i < d->n && d->rows[i].page == 1; i++) {
        const struct row *r = &d->rows[i];
        if (!r->chrome && r->y1 < 421 && r->size > big + 0.05) {
            big = r->size;
            first = i;
        }
    }
    struct fz_buf b = FZ_BUF_INIT;
    if (first < d->n && big >= 1.15 * body->size) {
        for (size_t i = first; i < d->n && d->rows[i].page == 1; i++) {
            const struct row *r = &d->rows[i];
            if (r->chrome)
                continue;
            if (!near_size(r->size, big))
                break;
            if (fz_buf_append(&b, d->text.data + r->off, r->len) != FZ_OK)
                break;
        }
    }
    if (info && info[0]) {
        size_t il = strlen(info);
        for (size_t i = 0; i < d->n && d->rows[i].page == 1; i++) {
            const struct row *r = &d->rows[i];
            if (r->len == il && memcmp(d->text.data + r->off, info, il) == 0) {
                fz_buf_release(&b);
                return strdup(info);
            }
        }
        if (b.len == 0) {
            fz_buf_release(&b);
            return strdup(info);
        }
    }
    return b.len ? fz_buf_detach(&b, NULL) : NULL;
}

/* Poppler's own messages go to the log at debug level; nothing to do.
 * Its error strings are one line. */
static int open_error(GError *e, char **errptr)
{
    if (e && e->domain == POPPLER_ERROR && e->code == POPPLER_ERROR_ENCRYPTED)
        fz_set_error(errptr, "encrypted PDF: a password is needed to read "
                     "it");
    else
        fz_set_error(errptr, "damaged PDF: %s",
                     e && e->message ? e->message : "poppler cannot read it");
    return FZ_EUNREADABLE;
}

int fz_extract_pdf(const char *bytes, size_t len,
                   const struct fz_extract_opts *o, struct fz_extract *out,
                   char **errptr)
{
    struct doc d = { NULL, 0, 0, FZ_BUF_INIT, 0 };
    struct fz_ocr *ocr = NULL;
    PopplerDocument *doc = NULL;
    GError *gerr = NULL;
    char *info = NULL;
    int rc = FZ_EUNREADABLE;
    unsigned bad_scan = 0, bad_map = 0;
    memset(out, 0, sizeof *out);
    /* A file cut short has lost its end-of-file marker, which PDF
     * requires in the last bytes (ISO 32000-1 7.5.5; 1024, as readers
     * allow, for what some writers add after it).  Poppler would rebuild
     * what it can and read part of the report as if it were all. */
    size_t tail = len < 1024 ? len : 1024;
    if (memmem(bytes + len - tail, tail, "%%EOF", 5) == NULL) {
        fz_set_error(errptr, "truncated PDF: no end-of-file marker");
        goto out;
    }
    if (len > INT32_MAX) {
        fz_set_error(errptr, "PDF larger than 2 GiB");
        goto out;
    }
    GBytes *gb = g_bytes_new_static(bytes, len);
    doc = poppler_document_new_from_bytes(gb, NULL, &gerr);
    g_bytes_unref(gb);
    if (doc == NULL) {
        rc = open_error(gerr, errptr);
        goto out;
    }
    int np = poppler_document_get_n_pages(doc);
    if (np <= 0) {
        fz_set_error(errptr, "damaged PDF: no pages");
        goto out;
    }
    if (np > FZ_EXTRACT_MAX_PAGES) {
        fz_set_error(errptr, "%d pages, more than a report has (at most "
                     "%d)", np, FZ_EXTRACT_MAX_PAGES);
        goto out;
    }
    d.pages = (unsigned)np;
    for (int i = 0; i < np; i++) {
        PopplerPage *p = poppler_document_get_page(doc, i);
        if (p == NULL)
            continue;
        enum layer layer;
        rc = text_rows(&d, (unsigned)i + 1, p, &layer);
        if (rc == FZ_OK && layer == LAYER_EMPTY && image_cover(p) >= 0.25)
            layer = LAYER_SCAN;
        if (rc == FZ_OK && (layer == LAYER_SCAN || layer == LAYER_NOUNICODE)) {
            bad_scan += layer == LAYER_SCAN;
            bad_map += layer == LAYER_NOUNICODE;
            if (o && o->ocr) {
                if (ocr == NULL && (ocr = fz_ocr_open(errptr)) == NULL)
                    rc = FZ_EUNREADABLE;
                if (rc == FZ_OK)
                    rc = ocr_rows(&d, (unsigned)i + 1, p, ocr, errptr);
                out->ocr_pages++;
            }
        }
        g_object_unref(p);
        if (rc == FZ_ENOMEM)
            fz_set_error(errptr, "out of memory");
        if (rc != FZ_OK)
            goto out;
        if (d.text.len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text, more than a "
                         "report has", FZ_EXTRACT_MAX_TEXT >> 20);
            rc = FZ_EUNREADABLE;
            goto out;
        }
    }
    rc = FZ_EUNREADABLE;
    if ((bad_scan || bad_map) && !(o && o->ocr)) {
        if (bad_map)
            fz_set_error(errptr, "text without Unicode mapping on %u of %u "
                         "page%s (its fonts map to no characters; --ocr "
                         "reads it)", bad_map + bad_scan, d.pages,
                         d.pages == 1 ? "" : "s");
        else
            fz_set_error(errptr, "no text layer on %u of %u page%s "
                         "(scanned; --ocr reads it)", bad_scan, d.pages,
                         d.pages == 1 ? "" : "s");
        goto out;
    }
    if (d.n == 0) {
        fz_set_error(errptr, "no text in the PDF");
        goto out;
    }
    rc = mark_chrome(&d);
    struct body body;
    if (rc == FZ_OK)
        rc = body_of(&d, &body);
    if (rc == FZ_ENOMEM) {
        fz_set_error(errptr, "out of memory");
        goto out;
    }
    rc = write_text(&d, &body, out, errptr);
    if (rc != FZ_OK)
        goto out;
    info = poppler_document_get_title(doc);
    out->title = find_title(&d, &body, info);
    GDateTime *dt = poppler_document_get_creation_date_time(doc);
    if (dt) {
        gchar *ds = g_date_time_format(dt, "%Y-%m-%d");
        if (ds && strlen(ds) == 10 && ds[0] >= '1')
            out->date = strdup(ds);
        g_free(ds);
        g_date_time_unref(dt);
    }
    out->pages = d.pages;
    rc = FZ_OK;
out:
    if (rc != FZ_OK) {
        unsigned ocr_pages = out->ocr_pages;
        fz_extract_release(out);
        out->ocr_pages = ocr_pages;
    }
    g_free(info);
    if (gerr)
        g_error_free(gerr);
    if (doc)
        g_object_unref(doc);
    fz_ocr_close(ocr);
    free(d.rows);
    fz_buf_release(&d.text);
    return rc;
}
