#include "text/html.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* ---- the line writer ----------------------------------------------------
 * Breaks and spaces are owed, not written, until the next visible
 * character: so no line starts or ends with a space, nothing comes before
 * the first line, and several block ends in a row make one blank line. */

struct writer {
    struct fz_buf *b;
    uint32_t last;      /* the last code point written */
    bool started;       /* something has been written */
    bool col;           /* the current line holds something */
    int brk;            /* owed: 0 nothing, 1 a newline, 2 a blank line */
    bool space;         /* owed: a space */
    bool hard;          /* ... from more than ASCII white space */
    bool newline;       /* ... from a run holding a newline */
};

/* What CSS Text 3 (segment break transformation) treats as wide: a
 * newline between two of these is no space.  Han, CJK symbols and
 * punctuation, kana, full-width forms. */
static bool cjk(uint32_t c)
{
    return fz_is_han(c) || (c >= 0x3000 && c <= 0x30FF)
        || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
}

/* Folded to a space: what text/clean.c folds too, so the two agree. */
static bool blank(uint32_t c)
{
    return fz_is_space(c) || c < 0x20 || (c >= 0x7F && c < 0xA0)
        || c == 0x2028 || c == 0x2029;
}

/* Write s[0,len): visible text, beginning with first and ending with
 * last, after whatever break or space is owed. */
static int put(struct writer *w, const char *s, size_t len, uint32_t first,
               uint32_t last)
{
    size_t mark = w->b->len;
    int rc = FZ_OK;
    if (w->started && w->brk > 0) {
        rc = fz_buf_append(w->b, "\n\n", (size_t)w->brk);
        w->col = false;
    } else if (w->space && w->col
               && (w->hard || !w->newline || !cjk(w->last) || !cjk(first))) {
        rc = fz_buf_appendc(w->b, ' ');
    }
    if (rc == FZ_OK)
        rc = fz_buf_append(w->b, s, len);
    if (rc != FZ_OK) {
        w->b->len = mark;       /* a break or space may be in already */
        if (w->b->data != NULL)
            w->b->data[mark] = '\0';
        return FZ_ENOMEM;
    }
    w->brk = 0;
    w->space = w->hard = w->newline = false;
    w->started = w->col = true;
    w->last = last;
    return FZ_OK;
}

static void owe_block(struct writer *w)
{
    w->brk = 2;
}

/* <br>, or a newline in <pre>: a second one in a row is a blank line. */
static void owe_line(struct writer *w)
{
    w->brk = w->brk > 0 ? 2 : 1;
}

static void owe_space(struct writer *w, uint32_t c)
{
    w->space = true;
    if (c == '\n' || c == '\r')
        w->newline = true;
    else if (c != ' ' && c != '\t' && c != '\f')
        w->hard = true;
}

/* The text of a text node.  In <pre> (pre != 0) a newline is a line end;
 * elsewhere it is white space like any other. */
static int put_text(struct writer *w, const char *s, int pre)
{
    size_t len = strlen(s), i = 0, run = 0;
    uint32_t first = 0, last = 0;
    while (i < len) {
        size_t at = i;
        bool ok;
        uint32_t c = fz_utf8_next(s, len, &i, &ok);
        if (ok && !blank(c)) {
            if (at == run)
                first = c;
            last = c;
            continue;
        }
        if (at > run && put(w, s + run, at - run, first, last) != FZ_OK)
            return FZ_ENOMEM;
        run = i;
        if (!ok) {
            /* libxml2 passes bad bytes through; the promise is UTF-8 */
            if (put(w, "\xEF\xBF\xBD", 3, FZ_REPLACEMENT, FZ_REPLACEMENT)
                != FZ_OK)
                return FZ_ENOMEM;
        } else if (pre && c == '\n') {
            owe_line(w);
        } else {
            owe_space(w, c);
        }
    }
    if (len > run && put(w, s + run, len - run, first, last) != FZ_OK)
        return FZ_ENOMEM;
    return FZ_OK;
}

/* ---- elements ------------------------------------------------------- */

enum kind {
    K_INLINE,   /* not in the table: adds nothing */
    K_DROP,     /* skipped with everything inside */
    K_BLOCK,    /* a line (or several) of its own */
    K_CELL,     /* table cell: a space on its row's line */
    K_BR,       /* ends a line */
    K_PRE,      /* a block whose newlines end lines */
    K_HEAD,     /* only <title> inside counts */
    K_TITLE,    /* a block, and the page's title */
};

/* Blocks are the elements the HTML Living Standard's rendering section
 * ("15.3 Non-replaced elements") displays as block, list-item or table
 * parts; dropped are those that hold no page text (scripts, styles,
 * embedded content and its fallback, form controls, ruby annotations).
 * libxml2 lower-cases HTML tag names, so exact comparison is enough. */
static const struct { const char *name; enum kind kind; } kinds[] = {
    { "address", K_BLOCK }, { "applet", K_DROP }, { "article", K_BLOCK },
    { "aside", K_BLOCK }, { "audio", K_DROP }, { "blockquote", K_BLOCK },
    { "body", K_BLOCK }, { "br", K_BR }, { "button", K_DROP },
    { "canvas", K_DROP }, { "caption", K_BLOCK }, { "center", K_BLOCK },
    { "datalist", K_DROP }, { "dd", K_BLOCK }, { "details", K_BLOCK },
    { "dialog", K_BLOCK }, { "dir", K_BLOCK }, { "div", K_BLOCK },
    { "dl", K_BLOCK }, { "dt", K_BLOCK }, { "embed", K_DROP },
    { "fieldset", K_BLOCK }, { "figcaption", K_BLOCK },
    { "figure", K_BLOCK }, { "footer", K_BLOCK }, { "form", K_BLOCK },
    { "frameset", K_BLOCK }, { "h1", K_BLOCK }, { "h2", K_BLOCK },
    { "h3", K_BLOCK }, { "h4", K_BLOCK }, { "h5", K_BLOCK },
    { "h6", K_BLOCK }, { "head", K_HEAD }, { "header", K_BLOCK },
    { "hgroup", K_BLOCK }, { "hr", K_BLOCK }, { "html", K_BLOCK },
    { "iframe", K_DROP }, { "legend", K_BLOCK }, { "li", K_BLOCK },
    { "listing", K_PRE }, { "main", K_BLOCK }, { "math", K_DROP },
    { "menu", K_BLOCK }, { "nav", K_BLOCK }, { "noembed", K_DROP },
    { "noframes", K_BLOCK }, { "noscript", K_DROP }, { "object", K_DROP },
    { "ol", K_BLOCK }, { "p", K_BLOCK }, { "plaintext", K_PRE },
    { "pre", K_PRE }, { "rp", K_DROP }, { "rt", K_DROP },
    { "script", K_DROP }, { "section", K_BLOCK }, { "select", K_DROP },
    { "style", K_DROP }, { "summary", K_BLOCK }, { "svg", K_DROP },
    { "table", K_BLOCK }, { "tbody", K_BLOCK }, { "td", K_CELL },
    { "template", K_DROP }, { "textarea", K_DROP }, { "tfoot", K_BLOCK },
    { "th", K_CELL }, { "thead", K_BLOCK }, { "title", K_TITLE },
    { "tr", K_BLOCK }, { "ul", K_BLOCK }, { "video", K_DROP },
    { "xmp", K_PRE },
};

static enum kind kind_of(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (name == NULL)
        return K_INLINE;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (name[0] == kinds[i].name[0] && strcmp(name, kinds[i].name) == 0)
            return kinds[i].kind;
    return K_INLINE;
}

/* ---- the walk ------------------------------------------------------- */

struct walk {
    struct writer text, title;
    const xmlNode *title_el;    /* the first <title>, once met */
    bool in_title_el;           /* inside it now */
    bool title_done;
    int in_head, in_title, in_pre;
    int rc;
};

/* Start on n; true when n is an element to go into (and leave later). */
static bool enter(struct walk *st, const xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        const char *s = (const char *)n->content;
        if (s == NULL)
            return false;
        if (st->in_head == 0 || st->in_title > 0)
            st->rc = put_text(&st->text, s, st->in_pre);
        if (st->rc == FZ_OK && st->in_title_el)
            st->rc = put_text(&st->title, s, 0);
        return false;
    }
    if (n->type != XML_ELEMENT_NODE)
        return false;               /* comments, PIs, the DTD */
    switch (kind_of(n)) {
    case K_DROP:
        return false;
    case K_INLINE:
        break;
    case K_BLOCK:
        owe_block(&st->text);
        break;
    case K_CELL:
        if (st->text.brk == 0)
            owe_space(&st->text, 0);
        break;
    case K_BR:
        owe_line(&st->text);
        break;
    case K_PRE:
        owe_block(&st->text);
        st->in_pre++;
        break;
    case K_HEAD:
        st->in_head++;
        break;
    case K_TITLE:
        owe_block(&st->text);
        st->in_title++;
        if (!st->title_done && st->title_el == NULL) {
            st->title_el = n;
            st->in_title_el = true;
        }
        break;
    }
    return true;
}

static void leave(struct walk *st, const xmlNode *n)
{
    switch (kind_of(n)) {
    case K_DROP:
    case K_INLINE:
    case K_BR:
        break;
    case K_BLOCK:
        owe_block(&st->text);
        break;
    case K_CELL:
        if (st->text.brk == 0)
            owe_space(&st->text, 0);
        break;
    case K_PRE:
        owe_block(&st->text);
        st->in_pre--;
        break;
    case K_HEAD:
        st->in_head--;
        break;
    case K_TITLE:
        owe_block(&st->text);
        st->in_title--;
        if (n == st->title_el) {
            st->in_title_el = false;
            st->title_done = true;
        }
        break;
    }
}

/* Depth-first over the tree by its parent links, not by recursion: a page
 * of ten thousand unclosed <div>s must not exhaust the stack. */
static void walk_tree(struct walk *st, const xmlDoc *doc)
{
    const xmlNode *stop = (const xmlNode *)doc, *n = doc->children;
    while (n != NULL && st->rc == FZ_OK) {
        if (enter(st, n)) {
            if (n->children != NULL) {
                n = n->children;
                continue;
            }
            leave(st, n);
        }
        while (n->next == NULL) {
            n = n->parent;
            if (n == NULL || n == stop)
                return;
            leave(st, n);
        }
        n = n->next;
    }
}

/* Every external resource libxml2 asks for: refused (NULL: "failed to
 * load external entity", silent under HTML_PARSE_NOERROR). */
static xmlParserInputPtr load_nothing(const char *url, const char *id,
                                      xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

void fz_html_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(load_nothing);
}

int fz_html_to_text(const char *utf8, size_t len, struct fz_buf *out,
                    char **title, char **errptr)
{
    struct fz_buf tbuf = FZ_BUF_INIT;
    struct walk st;
    htmlParserCtxtPtr ctxt = NULL;
    htmlDocPtr doc = NULL;
    size_t mark = out->len;
    int rc = FZ_ENOMEM;
    if (title != NULL)
        *title = NULL;

    if (len > INT_MAX) {
        fz_set_error(errptr, "html page of %zu bytes is too large to parse",
                     len);
        return FZ_EINVAL;
    }
    ctxt = htmlNewParserCtxt();
    if (ctxt == NULL)
        goto out;
    /* IGNORE_ENC: the bytes are UTF-8 now, whatever <meta> says.  No
     * option loads a DTD or substitutes entities (XML_PARSE_DTDLOAD and
     * XML_PARSE_NOENT are not given, and the HTML parser reads neither);
     * NONET in case a later libxml2 grows a reason to fetch.  HUGE lifts
     * the nesting limit (256 open elements in libxml2 2.9.14; later
     * releases keep a larger one under HUGE), past which libxml2 stops
     * parsing and the rest of the page is lost: old pages leave <font>
     * and <div> unclosed by the hundred.  The other limits HUGE lifts
     * (entity amplification, text node and name lengths) guard against
     * entity expansion, which HTML does not have, or bound memory that len
     * already bounds: the tree costs at most about 60 times len, nested or
     * not (16 MiB of unclosed <a> take 950 MB, of <p>x</p> 740 MB), the
     * callers bound len (FZ_REPORT_MAX_BYTES), and walk_tree() does not
     * recurse however deep the tree is. */
    doc = htmlCtxtReadMemory(ctxt, len > 0 ? utf8 : "", (int)len, NULL,
                             "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                             | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
                             | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
    if (doc == NULL) {
        if (ctxt->errNo == XML_ERR_NO_MEMORY)
            goto out;
        rc = FZ_EINVAL;
        fz_set_error(errptr, "html parser returned no document (libxml2 "
                     "error %d)", ctxt->errNo);
        goto out;
    }

    memset(&st, 0, sizeof st);
    st.text.b = out;
    st.title.b = &tbuf;
    st.title_done = title == NULL;      /* nobody asks: do not collect */
    walk_tree(&st, doc);
    rc = st.rc;
    if (rc == FZ_OK && st.text.started)
        rc = fz_buf_appendc(out, '\n');
    if (rc == FZ_OK && title != NULL && tbuf.len > 0) {
        *title = fz_buf_detach(&tbuf, NULL);
        if (*title == NULL)
            rc = FZ_ENOMEM;
    }
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory extracting html text");
    if (rc != FZ_OK) {
        out->len = mark;
        if (out->data != NULL)
            out->data[mark] = '\0';
        if (title != NULL) {
            free(*title);
            *title = NULL;
        }
    }
    fz_buf_release(&tbuf);
    xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    return rc;
}
