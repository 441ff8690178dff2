#include "text/query.h"
#include "text/buf.h"
#include "text/fz.h"
#include "text/token.h"
#include "text/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- tokens of a text, collected ------------------------------------- */

struct toks {
    struct fz_token *v;
    size_t n, cap;
};

static int collect(void *ctx, const struct fz_token *t)
{
    struct toks *ts = ctx;
    if (ts->n == ts->cap) {
        size_t nc = ts->cap ? ts->cap * 2 : 64;
        struct fz_token *v = realloc(ts->v, nc * sizeof *v);
        if (v == NULL)
            return -1;
        ts->v = v;
        ts->cap = nc;
    }
    ts->v[ts->n++] = *t;
    return 0;
}

/* ---- parsing --------------------------------------------------------- */

static void clause_release(struct fz_qclause *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->t[i].term);
    free(c->t);
    free(c->text);
    memset(c, 0, sizeof *c);
}

void fz_query_release(struct fz_query *q)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < q->n; i++) {
        for (size_t k = 0; k < q->g[i].n; k++)
            clause_release(&q->g[i].c[k]);
        free(q->g[i].c);
    }
    free(q->g);
    memset(q, 0, sizeof *q);
}

/* The clause's terms from its folded tokens: a Han run's last unigram is
 * dropped (the bigrams say it all, and a longer run in the passage has a
 * bigram there), unless the run is one character. */
static int build_clause(struct fz_norm *norm, const char *s, size_t len,
                        struct fz_qclause *c)
{
    struct toks ts = { NULL, 0, 0 };
    char *folded = fz_norm_str(norm, s, len);
    int rc = FZ_ENOMEM;
    if (folded == NULL)
        goto out;
    if (fz_tokenize(folded, strlen(folded), 0, collect, &ts, NULL) != 0)
        goto out;
    c->t = calloc(ts.n ? ts.n : 1, sizeof *c->t);
    if (c->t == NULL || (c->text = strndup(s, len)) == NULL)
        goto out;
    uint32_t first = ts.n ? ts.v[0].pos : 0;
    for (size_t i = 0; i < ts.n; i++) {
        const struct fz_token *t = &ts.v[i];
        if (t->kind == FZ_TOK_UNIGRAM && t->run_len > 1)
            continue;
        struct fz_qterm *qt = &c->t[c->n];
        qt->term = strndup(t->term, t->len);
        if (qt->term == NULL)
            goto out;
        qt->len = t->len;
        qt->rel = t->pos - first;
        qt->prefix = t->kind == FZ_TOK_UNIGRAM;
        c->n++;
    }
    rc = FZ_OK;
out:
    free(ts.v);
    free(folded);
    return rc;
}

static int is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* “ and ” (U+201C, U+201D) quote like " does. */
static size_t quote_at(const char *s, size_t len, size_t i, int closing)
{
    if (s[i] == '"')
        return 1;
    if (len - i >= 3 && (unsigned char)s[i] == 0xE2
        && (unsigned char)s[i + 1] == 0x80
        && (unsigned char)s[i + 2] == (closing ? 0x9D : 0x9C))
        return 3;
    return 0;
}

static int word_is(const char *s, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    return len - i >= n && memcmp(s + i, w, n) == 0
        && (len - i == n || is_sp(s[i + n]));
}

int fz_query_parse(struct fz_norm *norm, const char *const *argv,
                   size_t argc, struct fz_query *out, char **errptr)
{
    struct fz_buf b = FZ_BUF_INIT;
    int rc = FZ_ENOMEM, or_pending = 0, positives = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < argc; i++)
        if ((i && fz_buf_appendc(&b, ' ') != FZ_OK)
            || fz_buf_appends(&b, argv[i]) != FZ_OK)
            goto out;
    const char *s = fz_buf_cstr(&b);
    size_t len = b.len, i = 0;
    rc = FZ_EINVAL;
    if (len > FZ_QUERY_MAX_BYTES) {
        fz_set_error(errptr, "query longer than %d bytes",
                     FZ_QUERY_MAX_BYTES);
        goto out;
    }
    if (!fz_utf8_valid(s, len)) {
        fz_set_error(errptr, "query is not valid UTF-8");
        goto out;
    }
    while (i < len) {
        if (is_sp(s[i])) {
            i++;
            continue;
        }
        size_t at = i;
        if (word_is(s, len, i, "OR")) {
            if (out->n == 0 || or_pending) {
                fz_set_error(errptr, "OR at character %zu needs a term on "
                             "each side", fz_utf8_count(s, at) + 1);
                goto out;
            }
            or_pending = 1;
            i += 2;
            continue;
        }
        int neg = 0;
        enum fz_qfield field = FZ_QF_TEXT;
        if (word_is(s, len, i, "NOT")) {
            neg = 1;
            i += 3;
            while (i < len && is_sp(s[i]))
                i++;
        } else if (s[i] == '-' && i + 1 < len && !is_sp(s[i + 1])) {
            neg = 1;
            i++;
        }
        if (len - i >= 6 && memcmp(s + i, "title:", 6) == 0) {
            field = FZ_QF_TITLE;
            i += 6;
        }
        size_t start, end, q = i < len ? quote_at(s, len, i, 0) : 0;
        if (q) {
            start = i + q;
            end = start;
            size_t cq = 0;
            while (end < len && !(cq = quote_at(s, len, end, 1)))
                end++;
            if (end >= len) {
                fz_set_error(errptr, "unbalanced quote at character %zu",
                             fz_utf8_count(s, i) + 1);
                goto out;
            }
            i = end + cq;
        } else {
            start = i;
            while (i < len && !is_sp(s[i]))
                i++;
            end = i;
        }
        struct fz_qclause c = { .field = field, .negated = neg };
        if (build_clause(norm, s + start, end - start, &c) != FZ_OK) {
            rc = FZ_ENOMEM;
            goto out;
        }
        if (c.n == 0) {                 /* punctuation only: no term */
            clause_release(&c);
            if (or_pending) {
                fz_set_error(errptr, "OR needs a term on each side");
                goto out;
            }
            continue;
        }
        if (neg && or_pending) {
            clause_release(&c);
            fz_set_error(errptr, "a negated term at character %zu cannot "
                         "be part of OR", fz_utf8_count(s, at) + 1);
            goto out;
        }
        if (c.n > 1)
            out->needs_check = 1;
        positives += !neg;
        struct fz_qgroup *g;
        if (or_pending) {
            g = &out->g[out->n - 1];
            or_pending = 0;
        } else {
            g = realloc(out->g, (out->n + 1) * sizeof *g);
            if (g == NULL) {
                clause_release(&c);
                rc = FZ_ENOMEM;
                goto out;
            }
            out->g = g;
            g = &out->g[out->n++];
            memset(g, 0, sizeof *g);
        }
        struct fz_qclause *cv = realloc(g->c, (g->n + 1) * sizeof *cv);
        if (cv == NULL) {
            clause_release(&c);
            rc = FZ_ENOMEM;
            goto out;
        }
        g->c = cv;
        g->c[g->n++] = c;
    }
    if (or_pending) {
        fz_set_error(errptr, "OR at the end needs a term after it");
        goto out;
    }
    if (positives == 0) {
        if (out->n == 0)
            fz_set_error(errptr, "nothing to search for in '%s'", s);
        else
            fz_set_error(errptr, "only negated terms: say what to find too");
        goto out;
    }
    rc = FZ_OK;
out:
    if (rc != FZ_OK) {
        if (rc == FZ_ENOMEM)
            fz_set_error(errptr, "out of memory");
        fz_query_release(out);
    }
    fz_buf_release(&b);
    return rc;
}

/* ---- matching -------------------------------------------------------- */

static int term_matches(const struct fz_token *t, const struct fz_qterm *q)
{
    if (q->prefix)
        return t->kind != FZ_TOK_WORD && t->len >= q->len
            && memcmp(t->term, q->term, q->len) == 0;
    return t->len == q->len && memcmp(t->term, q->term, q->len) == 0;
}

static int add_span(struct fz_spans *sp, size_t a, size_t b)
{
    if (sp->n == sp->cap) {
        size_t nc = sp->cap ? sp->cap * 2 : 8;
        size_t (*v)[2] = realloc(sp->v, nc * sizeof *v);
        if (v == NULL)
            return -1;
        sp->v = v;
        sp->cap = nc;
    }
    sp->v[sp->n][0] = a;
    sp->v[sp->n][1] = b;
    sp->n++;
    return 0;
}

/* 1 when the tokens hold clause c (all occurrences go to sp if given). */
static int clause_in(const struct fz_qclause *c, const struct toks *ts,
                     struct fz_spans *sp)
{
    int found = 0;
    for (size_t i = 0; i < ts->n; i++) {
        if (!term_matches(&ts->v[i], &c->t[0]))
            continue;
        uint32_t p0 = ts->v[i].pos;
        size_t k = i, last = i;
        int ok = 1;
        for (size_t j = 1; j < c->n && ok; j++) {
            uint32_t want = p0 + c->t[j].rel;
            while (k < ts->n && ts->v[k].pos < want)
                k++;
            ok = k < ts->n && ts->v[k].pos == want
                 && term_matches(&ts->v[k], &c->t[j]);
            last = k;
        }
        if (!ok)
            continue;
        found = 1;
        if (sp == NULL)
            return 1;
        /* a one-character term ends with its character, though the
         * token it matched may be a bigram that goes on */
        const struct fz_token *lt = &ts->v[last];
        size_t end = c->t[c->n - 1].prefix ? lt->cp_start + 1 : lt->cp_end;
        if (add_span(sp, ts->v[i].cp_start, end) != 0)
            return -1;
    }
    return found;
}

int fz_query_matches(const struct fz_query *q, const char *text,
                     size_t len, const char *title, size_t tlen,
                     struct fz_spans *spans)
{
    struct toks body = { NULL, 0, 0 }, head = { NULL, 0, 0 };
    int result = -1, have_head = 0;
    if (fz_tokenize(text, len, 0, collect, &body, NULL) != 0)
        goto out;
    result = 1;
    /* with spans wanted, every group is looked at, so that all matches
     * are marked even where another group fails (a title: clause has no
     * title to look at when highlighting) */
    for (size_t gi = 0; gi < q->n && (result == 1 || spans); gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        int any = 0;
        for (size_t k = 0; k < g->n; k++) {
            const struct fz_qclause *c = &g->c[k];
            const struct toks *ts = &body;
            if (c->field == FZ_QF_TITLE) {
                if (!have_head) {
                    if (title && fz_tokenize(title, tlen, 0, collect, &head,
                                             NULL) != 0) {
                        result = -1;
                        goto out;
                    }
                    have_head = 1;
                }
                ts = &head;
            }
            int m = clause_in(c, ts, c->negated || c->field != FZ_QF_TEXT
                                     ? NULL : spans);
            if (m < 0) {
                result = -1;
                goto out;
            }
            any |= c->negated ? !m : m;
        }
        if (!any)
            result = 0;
    }
out:
    free(body.v);
    free(head.v);
    return result;
}

void fz_spans_release(struct fz_spans *s)
{
    if (s == NULL)
        return;
    free(s->v);
    memset(s, 0, sizeof *s);
}
