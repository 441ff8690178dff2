/* reader/ofd.c - fz_extract_ofd(): GB/T 33190-2016 OFD documents.
 *
 * OFD.xml names each DocBody's DocInfo (Title, CreationDate) and DocRoot
 * (Document.xml); Document.xml lists the pages (Pages/Page BaseLoc, in
 * reading order) and the page size (CommonData/PageArea/PhysicalBox);
 * each page's Content.xml holds layers of TextObjects, each with a
 * Boundary (its origin), an optional CTM, a Size, and TextCodes whose X
 * and Y place the first character's baseline and DeltaX/DeltaY (with the
 * "g N d" repeat form) the next ones.  Only the first DocBody is read;
 * template pages (running headers drawn once) are not read at all.
 *
 * Layout is undone as a PDF reader would:
 * - characters are put in lines by baseline (within 0.4 of the font
 *   size), lines top to bottom and characters left to right; a gap wider
 *   than two characters between Han (a table's columns) or a quarter of
 *   one between Latin letters or digits becomes a space, a smaller one
 *   (letter-spaced justified lines) nothing;
 * - lines in the top or bottom tenth of a page that are page numbers
 *   (- 2 -, 第 1 页 共 5 页, — 3 —) or repeat on another page in the same
 *   place (running headers and footers) are dropped;
 * - a line that reaches the right edge of the text block (within 1.2
 *   characters) and is followed by one that is not indented, in the same
 *   size and not further below than a paragraph gap, continues into it,
 *   across a page break too; a paragraph is written on the page it starts
 *   on, and a form feed starts each page a paragraph starts on.
 * Bounds: FZ_EXTRACT_MAX_PAGES pages, FZ_EXTRACT_MAX_TEXT bytes of text,
 * and reader/container.h's bounds on every member. */
#include "reader/extract.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/fz.h"
#include "base/utf8.h"
#include "reader/container.h"

struct frag {
    double x0, x1, y, size;
    size_t off, len;            /* bytes into the page's text */
};

struct line {
    double x0, x1, y, size;
    unsigned page;
    size_t off, len;            /* bytes into lines text */
    int drop;
};

struct page {
    struct frag *f;
    size_t n, cap;
    struct fz_buf text;
};

struct lines {
    struct line *l;
    size_t n, cap;
    struct fz_buf text;
};

static int add_frag(struct page *p, double x0, double x1, double y,
                    double size, const char *s, size_t len)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 256;
        struct frag *f = realloc(p->f, nc * sizeof *f);
        if (f == NULL)
            return FZ_ENOMEM;
        p->f = f;
        p->cap = nc;
    }
    struct frag *f = &p->f[p->n];
    f->x0 = x0;
    f->x1 = x1;
    f->y = y;
    f->size = size;
    f->off = p->text.len;
    f->len = len;
    if (fz_buf_append(&p->text, s, len) != FZ_OK)
        return FZ_ENOMEM;
    p->n++;
    return FZ_OK;
}

/* numbers of an ST_Array ("1 2 3"), at most max, into v; their count */
static size_t numbers(const char *s, double *v, size_t max)
{
    size_t n = 0;
    while (s && *s && n < max) {
        char *e;
        double d = strtod(s, &e);
        if (e == s)
            break;
        v[n++] = isfinite(d) ? d : 0;
        s = e;
    }
    return n;
}

/* DeltaX/DeltaY: the advance before character i (i >= 1) of n, with
 * "g N d" meaning N advances of d; missing ones are dflt */
static int deltas(const char *s, double *d, size_t n, double dflt)
{
    size_t k = 0;
    while (s && *s && k < n) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (*s == '\0')
            break;
        char *e;
        if (*s == 'g') {
            unsigned long cnt = strtoul(s + 1, &e, 10);
            double v = strtod(e, &e);
            if (!isfinite(v))
                v = dflt;
            if (e == s + 1)
                return 0;
            for (unsigned long c = 0; c < cnt && k < n; c++)
                d[k++] = v;
            s = e;
            continue;
        }
        double v = strtod(s, &e);
        if (e == s)
            return 0;    /* junk: trust nothing of it */
        d[k++] = isfinite(v) ? v : dflt;
        s = e;
    }
    for (; k < n; k++)
        d[k] = dflt;
    return 0;
}

/* a character Chinese fonts set a full em wide: CJK from U+2E80 on
 * (but the half-width forms), and general punctuation (“”—…) */
static int wide(uint32_t cp)
{
    if (cp >= 0xFF61 && cp <= 0xFFDC)
        return 0;
    return cp >= 0x2E80 || (cp >= 0x2000 && cp <= 0x206F);
}

struct textobj {
    double bx, by, size;
    double ctm[6];
};

/* one TextCode's characters, in page coordinates, as fragments: one per
 * run of characters on one baseline */
static int text_code(struct page *p, const struct textobj *t, double X,
                     double Y, const char *dx, const char *dy,
                     const char *s, size_t len)
{
    size_t n = fz_utf8_count(s, len);
    int rc = FZ_OK;
    if (n == 0)
        return FZ_OK;
    double *ax = malloc(n * sizeof *ax), *ay = malloc(n * sizeof *ay);
    if (ax == NULL || ay == NULL) {
        free(ax);
        free(ay);
        return FZ_ENOMEM;
    }
    deltas(dx, ax, n, NAN);
    deltas(dy, ay, n, 0);
    const double *m = t->ctm;
    double scale = sqrt(fabs(m[0] * m[3] - m[1] * m[2]));
    double size = t->size * (scale > 0 ? scale : 1);
    double x = X, y = Y, run_x0 = 0, run_x1 = 0, run_y = 0;
    size_t run_off = 0, i = 0;
    for (size_t k = 0; k < n && rc == FZ_OK; k++) {
        size_t st = i;
        uint32_t cp = fz_utf8_next(s, len, &i, NULL);
        double adv = wide(cp) ? t->size : t->size / 2;
        if (k > 0) {
            /* no DeltaX: characters follow at their width (the font's
             * metrics are not read; full width for Han is what OFD
             * producers assume too) */
            x += isnan(ax[k - 1]) ? adv : ax[k - 1];
            y += ay[k - 1];
        }
        double px = m[0] * x + m[2] * y + m[4] + t->bx;
        double py = m[1] * x + m[3] * y + m[5] + t->by;
        double pw = adv * (scale > 0 ? scale : 1);
        if (k > 0 && fabs(py - run_y) > size * 0.2) {
            rc = add_frag(p, run_x0, run_x1, run_y, size, s + run_off,
                          st - run_off);
            run_off = st;
            run_x0 = px;
        } else if (k == 0) {
            run_x0 = px;
            run_off = 0;
        }
        run_y = py;
        run_x1 = px + pw;
    }
    if (rc == FZ_OK)
        rc = add_frag(p, run_x0, run_x1, run_y, size, s + run_off,
                      len - run_off);
    free(ax);
    free(ay);
    return rc;
}

static int read_page(struct fz_zip *z, const char *name, struct page *p,
                     char **errptr)
{
    struct fz_xml *x = NULL;
    struct fz_buf code = FZ_BUF_INIT, dx = FZ_BUF_INIT, dy = FZ_BUF_INIT;
    struct textobj t = { 0, 0, 3.5, { 1, 0, 0, 1, 0, 0 } };
    double X = 0, Y = 0;
    int in_code = 0, has_dx = 0, has_dy = 0, r;
    int rc = fz_zip_xml_open(z, name, &x, errptr);
    while (rc == FZ_OK && (r = fz_xml_next(x, errptr)) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        int type = xmlTextReaderNodeType(xr);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (type == XML_READER_TYPE_ELEMENT && ln
            && strcmp(ln, "TextObject") == 0) {
            double b[4] = { 0, 0, 0, 0 }, c[6] = { 1, 0, 0, 1, 0, 0 };
            numbers(fz_xml_attr(x, "Boundary"), b, 4);
            t.bx = b[0];
            t.by = b[1];
            const char *sz = fz_xml_attr(x, "Size");
            t.size = sz ? strtod(sz, NULL) : 3.5;
            if (!isfinite(t.size) || t.size <= 0 || t.size > 1000)
                t.size = 3.5;   /* 3.5 mm: about 10 pt */
            if (numbers(fz_xml_attr(x, "CTM"), c, 6) != 6)
                memcpy(c, (double[6]){ 1, 0, 0, 1, 0, 0 }, sizeof c);
            memcpy(t.ctm, c, sizeof c);
        } else if (type == XML_READER_TYPE_ELEMENT && ln
                   && strcmp(ln, "TextCode") == 0
                   && !xmlTextReaderIsEmptyElement(xr)) {
            const char *v;
            X = (v = fz_xml_attr(x, "X")) ? strtod(v, NULL) : 0;
            Y = (v = fz_xml_attr(x, "Y")) ? strtod(v, NULL) : 0;
            if (!isfinite(X))
                X = 0;
            if (!isfinite(Y))
                Y = 0;
            fz_buf_reset(&dx);
            fz_buf_reset(&dy);
            has_dx = (v = fz_xml_attr(x, "DeltaX")) != NULL;
            if (v)
                rc = fz_buf_appends(&dx, v);
            has_dy = (v = fz_xml_attr(x, "DeltaY")) != NULL;
            if (v && rc == FZ_OK)
                rc = fz_buf_appends(&dy, v);
            fz_buf_reset(&code);
            in_code = 1;
        } else if (in_code && (type == XML_READER_TYPE_TEXT
                               || type == XML_READER_TYPE_CDATA
                               || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            /* control characters are no text */
            for (; v && *v && rc == FZ_OK; v++)
                rc = fz_buf_appendc(&code, (unsigned char)*v < 0x20
                                    ? ' ' : *v);
        } else if (type == XML_READER_TYPE_END_ELEMENT && ln
                   && strcmp(ln, "TextCode") == 0 && in_code) {
            rc = text_code(p, &t, X, Y, has_dx ? fz_buf_cstr(&dx) : NULL,
                           has_dy ? fz_buf_cstr(&dy) : NULL,
                           fz_buf_cstr(&code), code.len);
            in_code = 0;
        }
        if (rc == FZ_OK && p->text.len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text",
                         FZ_EXTRACT_MAX_TEXT >> 20);
            rc = FZ_EUNREADABLE;
        }
    }
    if (rc == FZ_OK && r < 0)
        rc = -r;
    fz_xml_close(x);
    fz_buf_release(&code);
    fz_buf_release(&dx);
    fz_buf_release(&dy);
    return rc;
}

static int cmp_frag(const void *a, const void *b)
{
    const struct frag *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

static int cmp_x(const void *a, const void *b)
{
    const struct frag *p = a, *q = b;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

static uint32_t last_cp(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 0;
    i--;
    return fz_utf8_next(s, len, &i, NULL);
}

static uint32_t first_cp(const char *s, size_t len)
{
    size_t i = 0;
    return len ? fz_utf8_next(s, len, &i, NULL) : 0;
}

/* the page's fragments as lines, appended to ls */
static int page_lines(struct page *p, unsigned pageno, struct lines *ls)
{
    qsort(p->f, p->n, sizeof *p->f, cmp_frag);
    for (size_t i = 0; i < p->n;) {
        double tol = p->f[i].size * 0.4;
        size_t e = i + 1;
        while (e < p->n && p->f[e].y - p->f[i].y <= tol)
            e++;
        qsort(p->f + i, e - i, sizeof *p->f, cmp_x);
        if (ls->n == ls->cap) {
            size_t nc = ls->cap ? ls->cap * 2 : 256;
            struct line *nl = realloc(ls->l, nc * sizeof *nl);
            if (nl == NULL)
                return FZ_ENOMEM;
            ls->l = nl;
            ls->cap = nc;
        }
        struct line *l = &ls->l[ls->n];
        l->off = ls->text.len;
        l->x0 = p->f[i].x0;
        l->x1 = p->f[i].x1;
        l->y = p->f[i].y;
        l->size = 0;
        l->page = pageno;
        l->drop = 0;
        for (size_t k = i; k < e; k++) {
            const struct frag *f = &p->f[k];
            const char *s = p->text.data + f->off;
            if (k > i && ls->text.len > l->off) {
                double gap = f->x0 - l->x1;
                uint32_t a = last_cp(ls->text.data + l->off,
                                     ls->text.len - l->off);
                uint32_t b = first_cp(s, f->len);
                double sz = f->size > 0 ? f->size : 3.5;
                int han = wide(a) || wide(b);
                if (gap > (han ? 2.0 : 0.25) * sz && a != ' ' && b != ' '
                    && fz_buf_appendc(&ls->text, ' ') != FZ_OK)
                    return FZ_ENOMEM;
            }
            if (fz_buf_append(&ls->text, s, f->len) != FZ_OK)
                return FZ_ENOMEM;
            if (f->x1 > l->x1)
                l->x1 = f->x1;
            if (f->size > l->size)
                l->size = f->size;
        }
        l->len = ls->text.len - l->off;
        /* trim: a line of spaces is no line */
        while (l->len && ls->text.data[l->off + l->len - 1] == ' ')
            l->len--;
        while (l->len && ls->text.data[l->off] == ' ') {
            l->off++;
            l->len--;
        }
        if (l->len)
            ls->n++;
        i = e;
    }
    return FZ_OK;
}

/* - 2 -, — 3 —, 第 1 页 共 5 页, 1/5, Page 3: digits and the marks
 * around page numbers, nothing else */
static int page_number(const char *s, size_t len)
{
    static const char *const marks[] = {
        "第", "页", "共", "—", "－", "–", "/", "-", " ", "Page", "page",
        "of", "(", ")", "（", "）",
    };
    int digits = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            i++;
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
            size_t ml = strlen(marks[k]);
            if (ml <= len - i && memcmp(s + i, marks[k], ml) == 0) {
                i += ml;
                break;
            }
        }
        if (k == sizeof marks / sizeof marks[0])
            return 0;
    }
    return digits > 0 && digits <= 8;
}

static int cmp_zone(const void *a, const void *b, void *ctx)
{
    const struct lines *ls = ctx;
    const struct line *p = &ls->l[*(const size_t *)a];
    const struct line *q = &ls->l[*(const size_t *)b];
    const char *t = ls->text.data;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    int c = memcmp(t + p->off, t + q->off, p->len);
    if (c)
        return c;
    return p->y < q->y ? -1 : p->y > q->y;
}

/* Page numbers in the top or bottom tenth of a page, and lines there
 * that repeat on other pages at the same height (within a line's size):
 * equal lines are found by sorting, so a hostile file with many lines
 * costs n log n, not n squared. */
static int drop_furniture(struct lines *ls, double height)
{
    const char *t = ls->text.data;
    size_t *zone = malloc((ls->n ? ls->n : 1) * sizeof *zone), nz = 0;
    if (zone == NULL)
        return FZ_ENOMEM;
    for (size_t i = 0; i < ls->n; i++) {
        struct line *a = &ls->l[i];
        if (a->y >= height * 0.1 && a->y <= height * 0.9)
            continue;
        if (page_number(t + a->off, a->len))
            a->drop = 1;
        else
            zone[nz++] = i;
    }
    qsort_r(zone, nz, sizeof *zone, cmp_zone, ls);
    for (size_t i = 0; i < nz;) {
        size_t e = i + 1;
        const struct line *a = &ls->l[zone[i]];
        while (e < nz && ls->l[zone[e]].len == a->len
               && memcmp(t + a->off, t + ls->l[zone[e]].off, a->len) == 0)
            e++;
        for (size_t k = i; k < e; k++) {
            struct line *b = &ls->l[zone[k]];
            /* the same text at the same height on another page */
            /* a few neighbours suffice: a header is one line a page */
            for (size_t m = k + 1; m < e && m < k + 64; m++) {
                struct line *c = &ls->l[zone[m]];
                if (c->y - b->y >= b->size)
                    break;
                if (c->page != b->page)
                    b->drop = c->drop = 1;
            }
        }
        i = e;
    }
    free(zone);
    return FZ_OK;
}

/* the paragraphs, as extract.h wants them */
static int write_text(struct lines *ls, struct fz_buf *out)
{
    double left = 1e300, right = -1e300;
    for (size_t i = 0; i < ls->n; i++) {
        if (ls->l[i].drop)
            continue;
        if (ls->l[i].x0 < left)
            left = ls->l[i].x0;
        if (ls->l[i].x1 > right)
            right = ls->l[i].x1;
    }
    unsigned cur_page = 1;
    const struct line *prev = NULL;
    const char *t = ls->text.data;
    int rc = FZ_OK;
    for (size_t i = 0; i < ls->n && rc == FZ_OK; i++) {
        const struct line *l = &ls->l[i];
        if (l->drop)
            continue;
        int cont = 0;
        if (prev) {
            double sz = prev->size > 0 ? prev->size : 3.5;
            int next_line = l->page == prev->page
                ? l->y > prev->y && l->y - prev->y <= sz * 2.6
                : l->page == prev->page + 1;
            cont = next_line && prev->x1 >= right - 1.2 * sz
                && l->x0 <= left + 0.8 * sz
                && fabs(l->size - prev->size) < 0.2 * sz;
        }
        if (cont) {
            uint32_t a = last_cp(t + prev->off, prev->len);
            uint32_t b = first_cp(t + l->off, l->len);
            /* only words of a Latin script wrapped at a space */
            if (fz_is_wordchar(a) && fz_is_wordchar(b) && !wide(a)
                && !wide(b))
                rc = fz_buf_appendc(out, ' ');
        } else {
            if (prev)
                rc = fz_buf_appendc(out, '\n');
            for (; rc == FZ_OK && cur_page < l->page; cur_page++)
                rc = fz_buf_appendc(out, '\f');
        }
        if (rc == FZ_OK)
            rc = fz_buf_append(out, t + l->off, l->len);
        prev = l;
    }
    if (rc == FZ_OK && prev)
        rc = fz_buf_appendc(out, '\n');
    return rc;
}

/* the text of the first element named local in member name, or NULL */
struct ofd_info {
    char *doc_root, *title, *date;
};

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'
                 || s[n - 1] == '\t'))
        n--;
    return n ? strndup(s, n) : NULL;
}

static int read_ofd_xml(struct fz_zip *z, struct ofd_info *info,
                        char **errptr)
{
    struct fz_xml *x = NULL;
    struct fz_buf v = FZ_BUF_INIT;
    int field = 0, bodies = 0, r;
    int rc = fz_zip_xml_open(z, "OFD.xml", &x, errptr);
    while (rc == FZ_OK && (r = fz_xml_next(x, errptr)) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        int type = xmlTextReaderNodeType(xr);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (type == XML_READER_TYPE_ELEMENT && ln) {
            if (strcmp(ln, "DocBody") == 0)
                bodies++;
            field = bodies != 1 || xmlTextReaderIsEmptyElement(xr) ? 0
                  : strcmp(ln, "DocRoot") == 0 ? 1
                  : strcmp(ln, "Title") == 0 ? 2
                  : strcmp(ln, "CreationDate") == 0 ? 3 : 0;
            fz_buf_reset(&v);
        } else if (field && type == XML_READER_TYPE_TEXT) {
            rc = fz_buf_appends(&v, (const char *)xmlTextReaderConstValue(xr));
        } else if (field && type == XML_READER_TYPE_END_ELEMENT) {
            char **dst = field == 1 ? &info->doc_root
                       : field == 2 ? &info->title : &info->date;
            if (*dst == NULL)
                *dst = trimmed(fz_buf_cstr(&v));
            field = 0;
        }
    }
    if (rc == FZ_OK && r < 0)
        rc = -r;
    fz_xml_close(x);
    fz_buf_release(&v);
    return rc;
}

/* Document.xml: the pages' Content locations (resolved) and the page
 * height */
static int read_document(struct fz_zip *z, const char *doc,
                         struct fz_buf *pages, size_t *npages,
                         double *height, char **errptr)
{
    struct fz_xml *x = NULL;
    struct fz_buf loc = FZ_BUF_INIT, box = FZ_BUF_INIT;
    int in_pages = 0, in_box = 0, r;
    int rc = fz_zip_xml_open(z, doc, &x, errptr);
    while (rc == FZ_OK && (r = fz_xml_next(x, errptr)) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        int type = xmlTextReaderNodeType(xr);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (type == XML_READER_TYPE_ELEMENT && ln) {
            if (strcmp(ln, "Pages") == 0 && !xmlTextReaderIsEmptyElement(xr))
                in_pages = 1;
            else if (in_pages && strcmp(ln, "Page") == 0) {
                const char *b = fz_xml_attr(x, "BaseLoc");
                if (b == NULL)
                    continue;
                if (*npages >= FZ_EXTRACT_MAX_PAGES) {
                    fz_set_error(errptr, "more than %d pages",
                                 FZ_EXTRACT_MAX_PAGES);
                    rc = FZ_EUNREADABLE;
                    break;
                }
                if ((rc = fz_zip_resolve(doc, b, &loc)) != FZ_OK
                    || loc.len == 0)
                    continue;
                rc = fz_buf_append(pages, loc.data, loc.len + 1);
                (*npages)++;
            } else if (strcmp(ln, "PhysicalBox") == 0 && !in_pages) {
                in_box = 1;
                fz_buf_reset(&box);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT && ln) {
            if (strcmp(ln, "Pages") == 0)
                in_pages = 0;
            if (in_box && strcmp(ln, "PhysicalBox") == 0) {
                double b[4];
                if (numbers(fz_buf_cstr(&box), b, 4) == 4 && b[3] > 0
                    && *height == 0)
                    *height = b[3];
                in_box = 0;
            }
        } else if (in_box && type == XML_READER_TYPE_TEXT) {
            rc = fz_buf_appends(&box, (const char *)xmlTextReaderConstValue(xr));
        }
    }
    if (rc == FZ_OK && r < 0)
        rc = -r;
    fz_xml_close(x);
    fz_buf_release(&loc);
    fz_buf_release(&box);
    return rc;
}

int fz_extract_ofd(const char *bytes, size_t len, struct fz_extract *out,
                   char **errptr)
{
    struct fz_zip *z = NULL;
    struct ofd_info info = { NULL, NULL, NULL };
    struct fz_buf pages = FZ_BUF_INIT, doc = FZ_BUF_INIT;
    struct page p = { NULL, 0, 0, FZ_BUF_INIT };
    struct lines ls = { NULL, 0, 0, FZ_BUF_INIT };
    size_t npages = 0;
    double height = 0;
    int rc = fz_zip_open(bytes, len, &z, errptr);
    if (rc != FZ_OK)
        goto out;
    if (!fz_zip_has(z, "OFD.xml")) {
        fz_set_error(errptr, "not an OFD document (no OFD.xml)");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    if ((rc = read_ofd_xml(z, &info, errptr)) != FZ_OK)
        goto out;
    if (info.doc_root == NULL) {
        fz_set_error(errptr, "OFD.xml names no DocRoot");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    if ((rc = fz_zip_resolve("", info.doc_root, &doc)) != FZ_OK)
        goto out;
    rc = read_document(z, fz_buf_cstr(&doc), &pages, &npages, &height,
                       errptr);
    if (rc != FZ_OK)
        goto out;
    if (height <= 0)
        height = 297;   /* A4, the size of nearly every report */
    const char *loc = pages.data;
    for (size_t i = 0; i < npages && rc == FZ_OK; i++) {
        p.n = 0;
        fz_buf_reset(&p.text);
        rc = read_page(z, loc, &p, errptr);
        if (rc == FZ_OK)
            rc = page_lines(&p, (unsigned)i + 1, &ls);
        if (rc == FZ_OK && ls.text.len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text",
                         FZ_EXTRACT_MAX_TEXT >> 20);
            rc = FZ_EUNREADABLE;
        }
        loc += strlen(loc) + 1;
    }
    if (rc != FZ_OK)
        goto out;
    if ((rc = drop_furniture(&ls, height)) == FZ_OK)
        rc = write_text(&ls, &out->text);
    out->pages = (unsigned)npages;
    if (info.title && out->title == NULL) {
        out->title = info.title;
        info.title = NULL;
    }
    if (info.date && out->date == NULL && strlen(info.date) >= 10
        && info.date[4] == '-' && info.date[7] == '-') {
        info.date[10] = '\0';
        out->date = info.date;
        info.date = NULL;
    }
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    free(p.f);
    fz_buf_release(&p.text);
    free(ls.l);
    fz_buf_release(&ls.text);
    fz_buf_release(&pages);
    fz_buf_release(&doc);
    free(info.doc_root);
    free(info.title);
    free(info.date);
    fz_zip_close(z);
    return rc;
}
