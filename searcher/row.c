/* searcher/row.c - one hit as the emitters print it (see row.h). */
#include "searcher/row.h"

#include "base/fz.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- highlights ---------------------------------------------------------- */

static int add_span(struct fz_spans *out, size_t lo, size_t hi)
{
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 8;
        size_t (*v)[2] = realloc(out->v, nc * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        out->v = v;
        out->cap = nc;
    }
    /* kept sorted: spans arrive per clause */
    size_t k = out->n;
    while (k > 0 && out->v[k - 1][0] > lo) {
        out->v[k][0] = out->v[k - 1][0];
        out->v[k][1] = out->v[k - 1][1];
        k--;
    }
    out->v[k][0] = lo;
    out->v[k][1] = hi;
    out->n++;
    return FZ_OK;
}

/* The passage text's highlights: folded again for the map the stored
 * folded text (folded) lacks, matched as the search did, and mapped back
 * to code points of text, sorted and merged.  fz_norm_run_as(): the
 * stored folded text spares OpenCC (and loading it) when t2s kept its
 * length, as it does but for a NUL. */
static int highlights(struct fz_norm *norm, const struct fz_query *q,
                      enum fzs_within w, const char *text,
                      const char *folded, const char *ntitle,
                      struct fz_spans *out, char **errptr)
{
    struct fz_normed nd = FZ_NORMED_INIT;
    struct fz_spans sp = { NULL, 0, 0 };
    int rc = fz_norm_run_as(norm, text, strlen(text), folded, strlen(folded),
                            &nd, errptr);
    if (rc == FZ_OK
        && fz_query_matches_within(q, w == FZS_WITHIN_SENTENCE
                                      ? FZ_WITHIN_SENTENCE
                                      : FZ_WITHIN_PASSAGE,
                                   nd.text.data ? nd.text.data : "",
                                   nd.text.len, ntitle,
                                   ntitle ? strlen(ntitle) : 0, &sp) < 0)
        rc = FZ_ENOMEM;
    for (size_t i = 0; rc == FZ_OK && i < sp.n; i++) {
        size_t lo, hi;
        fz_normed_span_to_source(&nd, sp.v[i][0], sp.v[i][1], &lo, &hi);
        rc = add_span(out, lo, hi);
    }
    size_t w2 = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w2 > 0 && out->v[i][0] <= out->v[w2 - 1][1]) {
            if (out->v[i][1] > out->v[w2 - 1][1])
                out->v[w2 - 1][1] = out->v[i][1];
        } else {
            out->v[w2][0] = out->v[i][0];
            out->v[w2][1] = out->v[i][1];
            w2++;
        }
    }
    out->n = w2;
    fz_spans_release(&sp);
    fz_normed_release(&nd);
    return rc;
}

/* ---- snippets ------------------------------------------------------------ */

void fzs_snippet(struct fz_buf *b, const char *text,
                 const struct fz_spans *sp, const struct fzs_marks *mk,
                 int whole, int how)
{
    size_t len = strlen(text), n_cp = fz_utf8_count(text, len);
    size_t from = 0, to = n_cp;
    if (!whole && n_cp > FZS_SNIPPET_CP + 40) {
        size_t first = sp->n ? sp->v[0][0] : 0;
        from = first > 40 ? first - 40 : 0;
        to = from + FZS_SNIPPET_CP < n_cp ? from + FZS_SNIPPET_CP : n_cp;
        if (to - from < FZS_SNIPPET_CP)
            from = to > FZS_SNIPPET_CP ? to - FZS_SNIPPET_CP : 0;
    }
    if (from > 0)
        fz_buf_appends(b, "…");
    size_t i = fz_utf8_prefix(text, len, from), cp = from, k = 0;
    while (k < sp->n && sp->v[k][1] <= from)
        k++;
    int in = 0;
    if (k < sp->n && sp->v[k][0] < from) {
        fz_buf_appends(b, mk->on);
        in = 1;
    }
    while (i < len && cp < to) {
        if (!in && k < sp->n && sp->v[k][0] == cp) {
            fz_buf_appends(b, mk->on);
            in = 1;
        }
        size_t at = i;
        fz_utf8_next(text, len, &i, NULL);
        if ((how & FZS_SNIP_FLAT) && (text[at] == '\n' || text[at] == '\r'))
            fz_buf_appendc(b, ' ');
        else if (how & FZS_SNIP_MARKDOWN)
            fzs_md_escape(b, text + at, i - at);
        else
            fz_buf_append(b, text + at, i - at);
        cp++;
        if (in && cp == sp->v[k][1]) {
            fz_buf_appends(b, mk->off);
            in = 0;
            k++;
        }
    }
    if (in)
        fz_buf_appends(b, mk->off);
    if (to < n_cp)
        fz_buf_appends(b, "…");
}

void fzs_md_escape(struct fz_buf *b, const char *s, size_t len)
{
    /* CommonMark lets a backslash escape any ASCII punctuation, so one
     * too many is harmless; GFM tables split cells at an unescaped |.
     * Escaped [ ] leave no link or image, so ( ) ! stay as they are,
     * being common in the reports: (一)、(二) */
    static const char special[] = "\\`*_[]<>#|~&";
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            fz_buf_appendc(b, ' ');
            continue;
        }
        if (s[i] != '\0' && strchr(special, s[i]))
            fz_buf_appendc(b, '\\');
        fz_buf_appendc(b, s[i]);
    }
}

void fzs_join(struct fz_buf *b, const char *const *v, size_t n,
              const char *sep)
{
    for (size_t k = 0; k < n; k++) {
        fz_buf_appends(b, k ? sep : "");
        fz_buf_appends(b, v[k]);
    }
}

/* ---- display width, for aligning Han text -------------------------------- */

size_t fzs_display_width(const char *s)
{
    size_t len = strlen(s), i = 0, w = 0;
    while (i < len) {
        uint32_t cp = fz_utf8_next(s, len, &i, NULL);
        w += (cp >= 0x1100 && (fz_is_han(cp) || (cp >= 0x3000 && cp < 0xA000)
                               || (cp >= 0xFF00 && cp < 0xFF61)
                               || (cp >= 0x2E80 && cp < 0x3000)))
             ? 2 : 1;
    }
    return w;
}

void fzs_pad_to(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = fzs_display_width(s); w < width; w++)
        fputc(' ', stdout);
}

int fzs_terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    int n = c ? atoi(c) : 0;
    return n > 20 ? n : 80;
}

/* ---- rows ---------------------------------------------------------------- */

struct fzs_row fzs_row_of(const struct fzs_hit *hit)
{
    struct fzs_row w = { hit, &hit->rec.p, fzs_hit_report(hit), 0,
                         { NULL, 0, 0 } };
    return w;
}

int fzs_rows_make(struct fz_norm *norm, const struct fz_query *q,
                  const struct fzs_options *o, const struct fzs_hits *h,
                  struct fzs_row **out, char **errptr)
{
    struct fzs_row *rows = calloc(h->n ? h->n : 1, sizeof *rows);
    int rc = FZ_OK;
    *out = rows;
    if (rows == NULL)
        return FZ_ENOMEM;
    for (size_t k = 0; k < h->n; k++) {
        rows[k] = fzs_row_of(&h->v[k]);
        const char *text = rows[k].p->text;
        if (q && text
            && highlights(norm, q, o->within, text, rows[k].p->norm,
                          rows[k].r->ntitle, &rows[k].spans, errptr) != FZ_OK)
            rc = -1;
    }
    return rc;
}

void fzs_rows_free(struct fzs_row *rows, size_t n)
{
    for (size_t k = 0; rows && k < n; k++)
        fz_spans_release(&rows[k].spans);
    free(rows);
}
