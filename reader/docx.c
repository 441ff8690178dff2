/* reader/docx.c - fz_extract_docx(): Office Open XML word processing
 * (.docx, and .wps files WPS 文字 saved as OOXML).
 *
 * The main document, then footnotes and endnotes, streamed through
 * libxml2's reader (reader/container.h), one line per paragraph:
 * - a paragraph's text is its w:t elements in order, whatever splits them
 *   (runs, bookmarks, proofing marks, hyperlinks, smart tags, simple and
 *   complex fields, content controls, w:ins); w:del, w:moveFrom, field
 *   instructions (w:instrText) and mc:Fallback (a copy of mc:Choice) are
 *   dropped; w:tab is a space, w:br and w:cr a new line;
 * - a paragraph whose style (styles.xml, following w:basedOn) is named
 *   Heading N, heading N or 标题 N, or has w:outlineLvl N-1, or whose own
 *   w:pPr says w:outlineLvl, is a heading of level N (4 and deeper: 4),
 *   written after FZ_CLEAN_HEADING_MARK;
 * - a table row is one line, its cells separated by a space (a cell's
 *   paragraphs too), nested tables flattened into their cell;
 * - a paragraph inside a paragraph (a text box) is written after it.
 * The title is docProps/core.xml's dc:title, else the first paragraph in
 * the Title style; the date dcterms:modified, else dcterms:created. */
#include "reader/extract.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fz.h"
#include "reader/container.h"
#include "text/clean.h"

#define MAX_STYLES  4096    /* a real styles.xml has a few hundred */
#define MAX_NEST    8       /* paragraphs inside paragraphs (text boxes) */

struct style {
    char *id, *based;
    int level;              /* 1-9 from the name or outline level, else 0 */
    int title;
};

struct styles {
    struct style *s;
    size_t n;
};

struct para {
    struct fz_buf text;
    int level, title;
};

struct doc {
    struct fz_extract *out;
    const struct styles *st;
    struct para p[MAX_NEST];
    int np;                     /* open paragraphs */
    struct fz_buf deferred;     /* lines of inner paragraphs */
    struct fz_buf cell, row;
    int tbl;                    /* table nesting */
    int in_t;                   /* inside w:t */
    int skip;                   /* depth of the element being dropped, or
                                   -1 */
    int headings;               /* mark headings (not in notes) */
    char *title;                /* first Title-styled paragraph */
};

static void styles_release(struct styles *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->s[i].id);
        free(st->s[i].based);
    }
    free(st->s);
    st->s = NULL;
    st->n = 0;
}

static const struct style *style_find(const struct styles *st,
                                      const char *id)
{
    for (size_t i = 0; id && i < st->n; i++)
        if (st->s[i].id && strcmp(st->s[i].id, id) == 0)
            return &st->s[i];
    return NULL;
}

/* The level a style name gives: Heading 2, heading 2, 标题 2, 标题2. */
static int name_level(const char *name, int *title)
{
    const char *d = NULL;
    if (strncasecmp(name, "heading", 7) == 0)
        d = name + 7;
    else if (strncmp(name, "标题", strlen("标题")) == 0)
        d = name + strlen("标题");
    if (strcasecmp(name, "title") == 0 || strcmp(name, "标题") == 0)
        *title = 1;
    if (d == NULL)
        return 0;
    while (*d == ' ')
        d++;
    if (d[0] >= '1' && d[0] <= '9' && d[1] == '\0')
        return d[0] - '0';
    return 0;
}

static int outline_level(const char *v)
{
    /* w:outlineLvl 0-8 are levels 1-9; 9 is body text */
    if (v && v[0] >= '0' && v[0] <= '8' && v[1] == '\0')
        return v[0] - '0' + 1;
    return 0;
}

static int read_styles(struct fz_zip *z, const char *name, struct styles *st,
                       char **errptr)
{
    struct fz_xml *x = NULL;
    struct style *cur = NULL;
    int rc = fz_zip_xml_open(z, name, &x, errptr), r;
    if (rc != FZ_OK)
        return rc;
    while ((r = fz_xml_next(x, errptr)) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        if (xmlTextReaderNodeType(xr) == XML_READER_TYPE_END_ELEMENT) {
            const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
            if (ln && strcmp(ln, "style") == 0)
                cur = NULL;
            continue;
        }
        if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (ln == NULL)
            continue;
        if (strcmp(ln, "style") == 0) {
            const char *type = fz_xml_attr(x, "type");
            const char *id = fz_xml_attr(x, "styleId");
            cur = NULL;
            if (type && strcmp(type, "paragraph") != 0)
                continue;
            if (id == NULL || st->n >= MAX_STYLES)
                continue;
            struct style *ns = realloc(st->s, (st->n + 1) * sizeof *ns);
            if (ns == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            st->s = ns;
            cur = &st->s[st->n];
            memset(cur, 0, sizeof *cur);
            if ((cur->id = strdup(id)) == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            st->n++;
            if (xmlTextReaderIsEmptyElement(xr))
                cur = NULL;
        } else if (cur && strcmp(ln, "name") == 0) {
            const char *v = fz_xml_attr(x, "val");
            int lv = v ? name_level(v, &cur->title) : 0;
            if (lv)
                cur->level = lv;
        } else if (cur && strcmp(ln, "basedOn") == 0) {
            const char *v = fz_xml_attr(x, "val");
            free(cur->based);
            cur->based = v ? strdup(v) : NULL;
        } else if (cur && strcmp(ln, "outlineLvl") == 0 && !cur->level) {
            cur->level = outline_level(fz_xml_attr(x, "val"));
        }
    }
    if (r < 0)
        rc = -r;
    fz_xml_close(x);
    /* inherit through w:basedOn, a bounded number of steps (a cycle
     * ends there) */
    for (size_t i = 0; rc == FZ_OK && i < st->n; i++) {
        const struct style *b = &st->s[i];
        for (int k = 0; k < 16 && !st->s[i].level && b; k++) {
            b = style_find(st, b->based);
            if (b)
                st->s[i].level = b->level;
        }
    }
    return rc;
}

/* The Target of the relationship whose Type ends with type, resolved
 * against base (the part the relationships belong to), into out; 0 when
 * there is none or the part cannot be read. */
static int rel_target(struct fz_zip *z, const char *rels, const char *base,
                      const char *type, struct fz_buf *out)
{
    struct fz_xml *x = NULL;
    int found = 0;
    if (!fz_zip_has(z, rels) || fz_zip_xml_open(z, rels, &x, NULL) != FZ_OK)
        return 0;
    while (!found && fz_xml_next(x, NULL) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT || !ln
            || strcmp(ln, "Relationship") != 0)
            continue;
        const char *t = fz_xml_attr(x, "Type");
        const char *target = fz_xml_attr(x, "Target");
        size_t tl = t ? strlen(t) : 0, l = strlen(type);
        if (t && target && tl >= l && strcmp(t + tl - l, type) == 0)
            found = fz_zip_resolve(base, target, out) == FZ_OK;
    }
    fz_xml_close(x);
    return found;
}

static int emit_line(struct doc *d, const char *s, size_t len, int level)
{
    struct fz_buf *t = &d->out->text;
    int rc = FZ_OK;
    if (len == 0)
        return FZ_OK;
    if (level > 4)
        level = 4;
    if (level > 0) {
        rc = fz_buf_appendc(t, FZ_CLEAN_HEADING_MARK);
        if (rc == FZ_OK)
            rc = fz_buf_appendc(t, (char)('0' + level));
    }
    if (rc == FZ_OK)
        rc = fz_buf_append(t, s, len);
    if (rc == FZ_OK)
        rc = fz_buf_appendc(t, '\n');
    return rc;
}

/* s[0,len) without white space at either end */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (unsigned char)*s <= ' ') {
        s++;
        (*len)--;
    }
    while (*len && (unsigned char)s[*len - 1] <= ' ')
        (*len)--;
    return s;
}

/* append text to b with one space between pieces */
static int add_piece(struct fz_buf *b, const char *s, size_t len)
{
    s = trim(s, &len);
    if (len == 0)
        return FZ_OK;
    if (b->len && fz_buf_appendc(b, ' ') != FZ_OK)
        return FZ_ENOMEM;
    return fz_buf_append(b, s, len);
}

static int end_para(struct doc *d)
{
    struct para *p = &d->p[--d->np];
    int rc = FZ_OK;
    size_t len = p->text.len;
    const char *s = trim(fz_buf_cstr(&p->text), &len);
    if (d->tbl > 0) {
        rc = add_piece(&d->cell, s, len);
    } else if (d->np > 0) {
        /* a text box inside a paragraph: after it, as lines of its own */
        if (len && (rc = fz_buf_append(&d->deferred, s, len)) == FZ_OK)
            rc = fz_buf_appendc(&d->deferred, '\n');
    } else {
        if (p->title && d->title == NULL && len)
            d->title = strndup(s, len);
        rc = emit_line(d, s, len, p->title ? 0 : p->level);
        if (rc == FZ_OK && d->deferred.len) {
            rc = fz_buf_append(&d->out->text, d->deferred.data,
                               d->deferred.len);
            fz_buf_reset(&d->deferred);
        }
    }
    fz_buf_reset(&p->text);
    p->level = p->title = 0;
    return rc;
}

/* the paragraph text goes to: the innermost open paragraph, or (text
 * outside any, which Word does not write) nowhere */
static struct fz_buf *cur_text(struct doc *d)
{
    return d->np > 0 ? &d->p[d->np - 1].text : NULL;
}

static int is_dropped(const char *ln)
{
    static const char *const drop[] = {
        "del", "moveFrom", "instrText", "delText", "delInstrText",
        "Fallback", "footnoteRef", "endnoteRef", "annotationRef",
        "commentReference", "pPrChange", "rPrChange", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange",
    };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        if (strcmp(ln, drop[i]) == 0)
            return 1;
    return 0;
}

static int element(struct doc *d, struct fz_xml *x, const char *ln,
                   int depth, int empty)
{
    struct fz_buf *t = cur_text(d);
    if (is_dropped(ln)) {
        if (!empty)
            d->skip = depth;
        return FZ_OK;
    }
    if (strcmp(ln, "p") == 0) {
        if (empty)
            return FZ_OK;
        if (d->np == MAX_NEST) {
            /* deeper still: one more paragraph inside the innermost,
             * by a space */
            return t ? fz_buf_appendc(t, ' ') : FZ_OK;
        }
        d->np++;
        return FZ_OK;
    }
    if (strcmp(ln, "t") == 0) {
        if (!empty)
            d->in_t = 1;
        return FZ_OK;
    }
    if (t && (strcmp(ln, "tab") == 0 || strcmp(ln, "ptab") == 0)) {
        /* w:tab is also a tab stop inside w:tabs of w:pPr; it has no
         * w:val there only as a run's child */
        return fz_xml_attr(x, "val") ? FZ_OK : fz_buf_appendc(t, ' ');
    }
    if (t && (strcmp(ln, "br") == 0 || strcmp(ln, "cr") == 0))
        return fz_buf_appendc(t, '\n');
    if (t && strcmp(ln, "noBreakHyphen") == 0)
        return fz_buf_appendc(t, '-');
    if (d->np > 0 && strcmp(ln, "pStyle") == 0) {
        const struct style *s = style_find(d->st, fz_xml_attr(x, "val"));
        struct para *p = &d->p[d->np - 1];
        if (s) {
            p->level = d->headings ? s->level : 0;
            p->title = s->title;
        }
        return FZ_OK;
    }
    if (d->np > 0 && d->headings && strcmp(ln, "outlineLvl") == 0) {
        d->p[d->np - 1].level = outline_level(fz_xml_attr(x, "val"));
        return FZ_OK;
    }
    if (strcmp(ln, "tbl") == 0 && !empty) {
        d->tbl++;
    } else if (strcmp(ln, "tr") == 0 && d->tbl == 1) {
        fz_buf_reset(&d->row);
    } else if (strcmp(ln, "tc") == 0 && d->tbl == 1) {
        fz_buf_reset(&d->cell);
    }
    return FZ_OK;
}

static int end_element(struct doc *d, const char *ln)
{
    if (strcmp(ln, "p") == 0 && d->np > 0)
        return end_para(d);
    if (strcmp(ln, "t") == 0) {
        d->in_t = 0;
    } else if (strcmp(ln, "tbl") == 0 && d->tbl > 0) {
        d->tbl--;
    } else if (strcmp(ln, "tc") == 0 && d->tbl == 1) {
        return add_piece(&d->row, fz_buf_cstr(&d->cell), d->cell.len);
    } else if (strcmp(ln, "tr") == 0 && d->tbl == 1) {
        /* a row inside a text box inside a paragraph is rare enough to
         * be written where it ends */
        return emit_line(d, fz_buf_cstr(&d->row), d->row.len, 0);
    }
    return FZ_OK;
}

/* text inside w:t: control characters (XML 1.0 allows tab, CR, LF)
 * become spaces */
static int text(struct doc *d, const char *s)
{
    struct fz_buf *t = cur_text(d);
    if (t == NULL || !d->in_t)
        return FZ_OK;
    size_t n = strlen(s), start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || (unsigned char)s[i] < 0x20) {
            if (fz_buf_append(t, s + start, i - start) != FZ_OK)
                return FZ_ENOMEM;
            if (i < n && fz_buf_appendc(t, ' ') != FZ_OK)
                return FZ_ENOMEM;
            start = i + 1;
        }
    }
    return FZ_OK;
}

static int read_part(struct fz_zip *z, const char *name, struct doc *d,
                     char **errptr)
{
    struct fz_xml *x = NULL;
    int rc = fz_zip_xml_open(z, name, &x, errptr), r;
    d->skip = -1;
    d->np = d->tbl = d->in_t = 0;
    while (rc == FZ_OK && (r = fz_xml_next(x, errptr)) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        int type = xmlTextReaderNodeType(xr);
        int depth = xmlTextReaderDepth(xr);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (d->skip >= 0) {
            if (depth == d->skip && type == XML_READER_TYPE_END_ELEMENT)
                d->skip = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT && ln)
            rc = element(d, x, ln, depth, xmlTextReaderIsEmptyElement(xr));
        else if (type == XML_READER_TYPE_END_ELEMENT && ln)
            rc = end_element(d, ln);
        else if (type == XML_READER_TYPE_TEXT
                 || type == XML_READER_TYPE_CDATA
                 || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            if (v)
                rc = text(d, v);
        }
        if (rc == FZ_OK && d->out->text.len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text",
                         FZ_EXTRACT_MAX_TEXT >> 20);
            rc = FZ_EUNREADABLE;
        }
    }
    if (rc == FZ_OK && r < 0)
        rc = -r;
    /* a paragraph left open by a document that ended early */
    while (rc == FZ_OK && d->np > 0)
        rc = end_para(d);
    fz_xml_close(x);
    return rc;
}

/* "2023-12-06T08:00:00Z" -> "2023-12-06" */
static char *w3c_date(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    for (int i = 0; i < 10; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return NULL;
    }
    if (strncmp(s, "1900", 4) < 0 || strncmp(s, "1601", 4) == 0)
        return NULL;    /* no date: Word writes 1601-01-01 for none */
    return strndup(s, 10);
}

static int read_core(struct fz_zip *z, const char *name,
                     struct fz_extract *out)
{
    struct fz_xml *x = NULL;
    struct fz_buf v = FZ_BUF_INIT;
    char *created = NULL, *modified = NULL;
    int field = 0;     /* 1 title, 2 created, 3 modified */
    if (fz_zip_xml_open(z, name, &x, NULL) != FZ_OK)
        return FZ_OK;   /* the text is what matters: no metadata is fine */
    while (fz_xml_next(x, NULL) == 1) {
        xmlTextReaderPtr xr = fz_xml_reader(x);
        int type = xmlTextReaderNodeType(xr);
        const char *ln = (const char *)xmlTextReaderConstLocalName(xr);
        if (type == XML_READER_TYPE_ELEMENT && ln
            && !xmlTextReaderIsEmptyElement(xr)) {
            field = strcmp(ln, "title") == 0 ? 1
                  : strcmp(ln, "created") == 0 ? 2
                  : strcmp(ln, "modified") == 0 ? 3 : 0;
            fz_buf_reset(&v);
        } else if (type == XML_READER_TYPE_TEXT && field) {
            fz_buf_appends(&v, (const char *)xmlTextReaderConstValue(xr));
        } else if (type == XML_READER_TYPE_END_ELEMENT && field) {
            size_t len = v.len;
            const char *s = trim(fz_buf_cstr(&v), &len);
            if (field == 1 && len && out->title == NULL)
                out->title = strndup(s, len);
            else if (field == 2 && !created)
                created = w3c_date(s);
            else if (field == 3 && !modified)
                modified = w3c_date(s);
            field = 0;
        }
    }
    /* the last save is nearer to publication than the first */
    if (out->date == NULL) {
        out->date = modified ? modified : created;
        if (modified)
            free(created);
    } else {
        free(created);
        free(modified);
    }
    fz_xml_close(x);
    fz_buf_release(&v);
    return FZ_OK;
}

int fz_extract_docx(const char *bytes, size_t len, struct fz_extract *out,
                    char **errptr)
{
    struct fz_zip *z = NULL;
    struct styles st = { NULL, 0 };
    struct doc d;
    struct fz_buf main = FZ_BUF_INIT, rels = FZ_BUF_INIT,
                  part = FZ_BUF_INIT;
    memset(&d, 0, sizeof d);
    d.out = out;
    d.st = &st;
    int rc = fz_zip_open(bytes, len, &z, errptr);
    if (rc != FZ_OK)
        goto out;
    if (!rel_target(z, "_rels/.rels", "", "/officeDocument", &main)
        || !fz_zip_has(z, fz_buf_cstr(&main))) {
        fz_buf_reset(&main);
        rc = fz_buf_appends(&main, "word/document.xml");
        if (rc != FZ_OK)
            goto out;
    }
    if (!fz_zip_has(z, fz_buf_cstr(&main))) {
        fz_set_error(errptr, "not a Word document (no %s)",
                     fz_buf_cstr(&main));
        rc = FZ_EUNREADABLE;
        goto out;
    }
    /* the main part's relationships: word/_rels/document.xml.rels */
    const char *m = fz_buf_cstr(&main), *slash = strrchr(m, '/');
    size_t dir = slash ? (size_t)(slash - m + 1) : 0;
    if ((rc = fz_buf_append(&rels, m, dir)) != FZ_OK
        || (rc = fz_buf_appendf(&rels, "_rels/%s.rels", m + dir)) != FZ_OK)
        goto out;
    if (rel_target(z, fz_buf_cstr(&rels), m, "/styles", &part)) {
        rc = read_styles(z, fz_buf_cstr(&part), &st, errptr);
        if (rc != FZ_OK)
            goto out;
    }
    d.headings = 1;
    rc = read_part(z, m, &d, errptr);
    static const char *const notes[] = { "/footnotes", "/endnotes" };
    d.headings = 0;
    for (int i = 0; rc == FZ_OK && i < 2; i++)
        if (rel_target(z, fz_buf_cstr(&rels), m, notes[i], &part)
            && fz_zip_has(z, fz_buf_cstr(&part)))
            rc = read_part(z, fz_buf_cstr(&part), &d, errptr);
    if (rc != FZ_OK)
        goto out;
    if (rel_target(z, "_rels/.rels", "", "/core-properties", &part))
        read_core(z, fz_buf_cstr(&part), out);
    else if (fz_zip_has(z, "docProps/core.xml"))
        read_core(z, "docProps/core.xml", out);
    if (out->title == NULL && d.title) {
        out->title = d.title;
        d.title = NULL;
    }
out:
    for (int i = 0; i < MAX_NEST; i++)
        fz_buf_release(&d.p[i].text);
    fz_buf_release(&d.deferred);
    fz_buf_release(&d.cell);
    fz_buf_release(&d.row);
    free(d.title);
    fz_buf_release(&main);
    fz_buf_release(&rels);
    fz_buf_release(&part);
    styles_release(&st);
    fz_zip_close(z);
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    return rc;
}
