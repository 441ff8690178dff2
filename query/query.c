#include "query/query.h"
#include "base/buf.h"
#include "base/fz.h"
#include "text/token.h"
#include "base/utf8.h"

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

/* Tokenize text[0,len) into ts, reserving about one token per Han
 * character first (three bytes each) so that a passage takes one
 * allocation, not a doubling series.  0, or -1 out of memory. */
static int tokenize(const char *text, size_t len, struct toks *ts)
{
    size_t want = len / 3 + 16;
    if (ts->cap < want) {
        struct fz_token *v = realloc(ts->v, want * sizeof *v);
        if (v == NULL)
            return -1;
        ts->v = v;
        ts->cap = want;
    }
    return fz_tokenize(text, len, 0, collect, ts, NULL) != 0 ? -1 : 0;
}

/* ---- parsing --------------------------------------------------------- */

static void clause_release(struct fz_qclause *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->t[i].term);
    free(c->t);
    free(c->text);
    free(c->han);
    free(c->lit);
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
    free(q->near);
    memset(q, 0, sizeof *q);
}

/* A clause whose folded text ft[0,len) has a character that is neither
 * white space nor in a token (punctuation, a symbol: 6%, 依法行政、依法)
 * keeps that text, to be found as written (clause_in); the tokens alone
 * would let % mean nothing and 、 any one character. */
static int literal(const char *ft, size_t len, const struct toks *ts,
                   struct fz_qclause *c)
{
    size_t i = 0, k = 0;
    int other = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = fz_utf8_next(ft, len, &i, NULL);
        /* the tokens cover their bytes in order (a bigram two
         * characters, each later one starting at or after the last) */
        while (k < ts->n && (size_t)(ts->v[k].term - ft) + ts->v[k].len <= at)
            k++;
        int covered = k < ts->n && (size_t)(ts->v[k].term - ft) <= at;
        if (!covered && !fz_is_space(cp))
            other = 1;
    }
    if (!other)
        return FZ_OK;
    if ((c->lit = strndup(ft, len)) == NULL)
        return FZ_ENOMEM;
    c->lit_len = len;
    c->lit_off = (size_t)(ts->v[0].term - ft);
    c->lit_cp = fz_utf8_count(ft, c->lit_off);
    return FZ_OK;
}

/* The clause's terms from its folded tokens: a Han run's last unigram is
 * dropped (the bigrams say it all, and a longer run in the passage has a
 * bigram there), unless the run is one character. */
static int build_clause(struct fz_norm *norm, const char *s, size_t len,
                        struct fz_qclause *c, char **errptr)
{
    struct toks ts = { NULL, 0, 0 };
    struct fz_normed nd = FZ_NORMED_INIT;
    int rc = fz_norm_run(norm, s, len, &nd, errptr);
    if (rc != FZ_OK)
        goto out;                   /* FZ_EIO: OpenCC cannot be loaded */
    rc = FZ_ENOMEM;
    if (fz_tokenize(fz_buf_cstr(&nd.text), nd.text.len, 0, collect, &ts,
                    NULL) != 0)
        goto out;
    c->t = calloc(ts.n ? ts.n : 1, sizeof *c->t);
    if (c->t == NULL || (c->text = strndup(s, len)) == NULL)
        goto out;
    /* Han characters only: one run, whose bigrams stand at consecutive
     * positions exactly where the text holds the run (text/token.h) */
    const char *ft = fz_buf_cstr(&nd.text);
    int han = nd.text.len > 0;
    for (size_t i = 0; han && i < nd.text.len;)
        han = fz_is_han(fz_utf8_next(ft, nd.text.len, &i, NULL));
    if (han) {
        if ((c->han = strndup(ft, nd.text.len)) == NULL)
            goto out;
        c->han_len = nd.text.len;
    }
    if (ts.n > 0 && !han) {
        rc = literal(ft, nd.text.len, &ts, c);
        if (rc != FZ_OK)
            goto out;
        rc = FZ_ENOMEM;
    }
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
    fz_normed_release(&nd);
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

/* NEAR or NEAR/<anything> at s[i], as a word of its own: its length in
 * bytes, or 0 when there is none. */
static size_t near_at(const char *s, size_t len, size_t i)
{
    if (len - i < 4 || memcmp(s + i, "NEAR", 4) != 0)
        return 0;
    size_t e = i + 4;
    if (e < len && s[e] == '/')
        while (e < len && !is_sp(s[e]))
            e++;
    return e == len || is_sp(s[e]) ? e - i : 0;
}

/* k of NEAR/k in s[0,n) (n counts "NEAR" too): 0 with *k set, or -1. */
static int near_k(const char *s, size_t n, uint32_t *k)
{
    if (n == 4) {
        *k = FZ_NEAR_DEFAULT;
        return 0;
    }
    uint32_t v = 0;
    if (n == 5)                 /* "NEAR/" */
        return -1;
    for (size_t i = 5; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint32_t)(s[i] - '0');
        if (v > FZ_NEAR_MAX)
            return -1;
    }
    *k = v;
    return 0;
}

static int clause_copy(const struct fz_qclause *c, struct fz_qclause *out)
{
    memset(out, 0, sizeof *out);
    out->field = c->field;
    out->negated = c->negated;
    out->t = calloc(c->n ? c->n : 1, sizeof *out->t);
    out->text = strdup(c->text ? c->text : "");
    out->han = c->han ? strndup(c->han, c->han_len) : NULL;
    out->han_len = c->han_len;
    out->lit = c->lit ? strndup(c->lit, c->lit_len) : NULL;
    out->lit_len = c->lit_len;
    out->lit_off = c->lit_off;
    out->lit_cp = c->lit_cp;
    if (out->t == NULL || out->text == NULL || (c->han && !out->han)
        || (c->lit && !out->lit)) {
        clause_release(out);
        return FZ_ENOMEM;
    }
    for (size_t i = 0; i < c->n; i++) {
        out->t[i] = c->t[i];
        out->t[i].term = strndup(c->t[i].term, c->t[i].len);
        if (out->t[i].term == NULL) {
            out->n = i;
            clause_release(out);
            return FZ_ENOMEM;
        }
        out->n = i + 1;
    }
    return FZ_OK;
}

/* Append a copy of clause c to group g. */
static int group_add_copy(struct fz_qgroup *g, const struct fz_qclause *c)
{
    struct fz_qclause *cv = realloc(g->c, (g->n + 1) * sizeof *cv);
    if (cv == NULL)
        return FZ_ENOMEM;
    g->c = cv;
    if (clause_copy(c, &g->c[g->n]) != FZ_OK)
        return FZ_ENOMEM;
    g->n++;
    return FZ_OK;
}

/* The parser's state between items, for the checks that involve the item
 * before: OR and NEAR each join it to the next one.  An item is a clause
 * (one group of one clause) or a group in parentheses (any number of
 * groups); the last one is out->g[last_g, out->n). */
struct pstate {
    int or_pending;
    size_t or_at;               /* character of the pending OR */
    int near_pending;           /* NEAR seen, its right operand not yet */
    uint32_t near_k;
    size_t last_at;             /* character where the last item began
                                   (1-based) */
    size_t last_g;              /* the last item's first group */
    int last_paren;             /* the last item was in parentheses */
    int depth;                  /* parentheses around this range */
};

static int last_group_is_near_b(const struct fz_query *q)
{
    return q->n_near > 0 && q->near[q->n_near - 1].b == q->n - 1;
}

static int in_near(const struct fz_query *q, size_t from)
{
    for (size_t i = 0; i < q->n_near; i++)
        if (q->near[i].b >= from)
            return 1;
    return 0;
}

static int has_negated(const struct fz_query *q, size_t from)
{
    for (size_t i = from; i < q->n; i++)
        for (size_t k = 0; k < q->g[i].n; k++)
            if (q->g[i].c[k].negated)
                return 1;
    return 0;
}

/* The deepest nesting of parentheses a query may have. */
#define FZ_QUERY_MAX_DEPTH 16

/* '(' or its fullwidth form at s[i]: its length, or 0. */
static size_t open_at(const char *s, size_t to, size_t i)
{
    if (s[i] == '(')
        return 1;
    if (to - i >= 3 && memcmp(s + i, "\xEF\xBC\x88", 3) == 0)
        return 3;
    return 0;
}

static size_t close_at(const char *s, size_t to, size_t i)
{
    if (s[i] == ')')
        return 1;
    if (to - i >= 3 && memcmp(s + i, "\xEF\xBC\x89", 3) == 0)
        return 3;
    return 0;
}

/* A word made only of closing parentheses. */
static int only_closes(const char *s, size_t to, size_t i)
{
    size_t n, any = 0;
    while (i < to && !is_sp(s[i]) && (n = close_at(s, to, i)) != 0) {
        i += n;
        any = 1;
    }
    return any && (i == to || is_sp(s[i]));
}

/* The group opened at s[i] (a '(' at the start of a word): sets *inner_end
 * to where its ')' is and *end past it, and returns 0; -1 when it is not
 * closed.  A ')' closes a group at the end of a word (before white space,
 * another ')' or the range's end); an '(' at the start of a word opens
 * one; quotes are skipped whole. */
static int group_end(const char *s, size_t to, size_t i, size_t *inner_end,
                     size_t *end)
{
    int depth = 0, word_start = 1, in_word = 0;
    while (i < to) {
        size_t n, q;
        if (is_sp(s[i])) {
            word_start = 1;
            in_word = 0;
            i++;
            continue;
        }
        if ((q = quote_at(s, to, i, 0)) != 0) {
            size_t j = i + q, cq = 0;
            while (j < to && !(cq = quote_at(s, to, j, 1)))
                j++;
            if (j >= to)
                return -1;
            i = j + cq;
            word_start = 0;
            continue;
        }
        if ((n = open_at(s, to, i)) != 0) {
            if (word_start)
                depth++;
            else
                in_word++;      /* inside a word: 法(试行)规定 */
            i += n;
            continue;
        }
        if ((n = close_at(s, to, i)) != 0) {
            size_t j = i + n;
            int at_end = j == to || is_sp(s[j]) || close_at(s, to, j);
            if (in_word > 0)
                in_word--;
            else if (at_end && --depth == 0) {
                *inner_end = i;
                *end = j;
                return 0;
            }
            i = j;
            word_start = 0;
            continue;
        }
        word_start = 0;
        i++;
    }
    return -1;
}

/* An ASCII option (-C, -n5, --cite=bib) where a query word is expected:
 * "--" and anything, or '-' and a word of ASCII letters, digits, '_',
 * '-', '=', '.'.  A NOT of a Han word (-法治), of a title: term or of a
 * word with other characters is not one. */
static int looks_like_option(const char *s, size_t to, size_t i)
{
    if (s[i] != '-' || i + 1 >= to || is_sp(s[i + 1]))
        return 0;
    if (s[i + 1] == '-')
        return 1;
    for (size_t j = i + 1; j < to && !is_sp(s[j]); j++) {
        unsigned char c = (unsigned char)s[j];
        int ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a'
                                            && (c | 0x20) <= 'z')
                 || c == '_' || c == '-' || c == '=' || c == '.';
        if (!ok)
            return 0;
    }
    return 1;
}

static int parse_range(struct fz_norm *norm, const char *s, size_t from,
                       size_t to, int depth, struct fz_query *out,
                       char **errptr);

/* Join item it (already parsed; consumed) to out as the state says:
 * ANDed (appended) or ORed with the last item (each group of the one
 * with each group of the other).  at: the item's first character. */
static int merge_item(struct fz_query *out, struct fz_query *it,
                      struct pstate *ps, size_t at, int paren, char **errptr)
{
    int rc = FZ_EINVAL;
    struct fz_query prod = FZ_QUERY_INIT;
    if (ps->or_pending) {
        if (has_negated(it, 0)) {
            fz_set_error(errptr, "a negated term at character %zu cannot "
                         "be part of OR", at);
            goto out;
        }
        if (it->n_near > 0) {
            fz_set_error(errptr, "OR at character %zu cannot join a term "
                         "that is part of NEAR", ps->or_at);
            goto out;
        }
        size_t nl = out->n - ps->last_g;
        if (nl * it->n + ps->last_g > FZ_QUERY_MAX_GROUPS) {
            fz_set_error(errptr, "OR at character %zu joins too much: "
                         "spelled out it needs more than %d groups of "
                         "terms", ps->or_at, FZ_QUERY_MAX_GROUPS);
            goto out;
        }
        rc = FZ_ENOMEM;
        prod.g = calloc(nl * it->n, sizeof *prod.g);
        if (prod.g == NULL)
            goto out;
        for (size_t a = 0; a < nl; a++)
            for (size_t b = 0; b < it->n; b++) {
                struct fz_qgroup *g = &prod.g[prod.n++];
                const struct fz_qgroup *ga = &out->g[ps->last_g + a];
                const struct fz_qgroup *gb = &it->g[b];
                for (size_t k = 0; k < ga->n; k++)
                    if (group_add_copy(g, &ga->c[k]) != FZ_OK)
                        goto out;
                for (size_t k = 0; k < gb->n; k++)
                    if (group_add_copy(g, &gb->c[k]) != FZ_OK)
                        goto out;
            }
        /* out loses its last item; the products take its place */
        while (out->n > ps->last_g) {
            struct fz_qgroup *g = &out->g[--out->n];
            for (size_t k = 0; k < g->n; k++)
                clause_release(&g->c[k]);
            free(g->c);
        }
        /* a phrase ORed in still needs the check */
        prod.needs_check = it->needs_check;
        fz_query_release(it);
        *it = prod;
        prod = (struct fz_query)FZ_QUERY_INIT;
        ps->or_pending = 0;
    } else {
        ps->last_g = out->n;
        ps->last_at = at;
    }
    rc = FZ_ENOMEM;
    if (out->n + it->n > FZ_QUERY_MAX_GROUPS) {
        fz_set_error(errptr, "more than %d terms: the %dth is at "
                     "character %zu", FZ_QUERY_MAX_GROUPS,
                     FZ_QUERY_MAX_GROUPS + 1, at);
        rc = FZ_EINVAL;
        goto out;
    }
    struct fz_qgroup *g = realloc(out->g, (out->n + it->n + 1) * sizeof *g);
    if (g == NULL)
        goto out;
    out->g = g;
    if (it->n_near > 0) {
        struct fz_qnear *nv = realloc(out->near, (out->n_near + it->n_near)
                                      * sizeof *nv);
        if (nv == NULL)
            goto out;
        out->near = nv;
        for (size_t i = 0; i < it->n_near; i++) {
            nv[out->n_near] = it->near[i];
            nv[out->n_near].a += out->n;
            nv[out->n_near].b += out->n;
            out->n_near++;
        }
    }
    memcpy(out->g + out->n, it->g, it->n * sizeof *it->g);
    out->n += it->n;
    out->needs_check |= it->needs_check;
    free(it->g);
    it->g = NULL;
    it->n = 0;
    ps->last_paren = paren;
    rc = FZ_OK;
out:
    fz_query_release(&prod);
    fz_query_release(it);
    return rc;
}

static int parse_range(struct fz_norm *norm, const char *s, size_t from,
                       size_t to, int depth, struct fz_query *out,
                       char **errptr)
{
    struct pstate ps = { 0 };
    size_t len = to, i = from;
    int rc = FZ_EINVAL;
    ps.depth = depth;
    memset(out, 0, sizeof *out);
    while (i < len) {
        if (is_sp(s[i])) {
            i++;
            continue;
        }
        size_t at = i, at_cp = fz_utf8_count(s, at) + 1, nl;
        if (word_is(s, len, i, "OR")) {
            if (out->n == 0 || ps.or_pending || ps.near_pending) {
                fz_set_error(errptr, "OR at character %zu needs a term on "
                             "each side", at_cp);
                goto out;
            }
            if (has_negated(out, ps.last_g)) {
                /* -A OR B: neither the index nor the matcher has a
                 * meaning for "without A, or with B" */
                fz_set_error(errptr, "a negated term at character %zu "
                             "cannot be part of OR", ps.last_at);
                goto out;
            }
            if (last_group_is_near_b(out)
                || (ps.last_paren && in_near(out, ps.last_g))) {
                fz_set_error(errptr, "OR at character %zu cannot join a "
                             "term that is part of NEAR", at_cp);
                goto out;
            }
            ps.or_pending = 1;
            ps.or_at = at_cp;
            i += 2;
            continue;
        }
        if (word_is(s, len, i, "AND")) {
            /* the explicit form of the default: it joins nothing more */
            if (out->n == 0 || ps.or_pending || ps.near_pending) {
                fz_set_error(errptr, "AND at character %zu needs a term on "
                             "each side", at_cp);
                goto out;
            }
            i += 3;
            size_t j = i;
            while (j < len && is_sp(s[j]))
                j++;
            if (j >= len) {
                fz_set_error(errptr, "AND at the end needs a term after "
                             "it");
                goto out;
            }
            if (word_is(s, len, j, "AND") || word_is(s, len, j, "OR")
                || near_at(s, len, j)) {
                fz_set_error(errptr, "AND at character %zu needs a term on "
                             "each side", at_cp);
                goto out;
            }
            continue;
        }
        if ((nl = near_at(s, len, i)) != 0) {
            if (near_k(s + i, nl, &ps.near_k) != 0) {
                fz_set_error(errptr, "%.*s at character %zu: the distance "
                             "must be a whole number from 0 to %d", (int)nl,
                             s + i, at_cp, FZ_NEAR_MAX);
                goto out;
            }
            if (out->n == 0 || ps.or_pending || ps.near_pending) {
                fz_set_error(errptr, "NEAR at character %zu needs a term on "
                             "each side", at_cp);
                goto out;
            }
            if (ps.last_paren) {
                fz_set_error(errptr, "NEAR at character %zu cannot join a "
                             "group in parentheses: write A NEAR B with "
                             "single terms", at_cp);
                goto out;
            }
            const struct fz_qgroup *g = &out->g[out->n - 1];
            if (g->n > 1) {
                fz_set_error(errptr, "NEAR at character %zu cannot join a "
                             "term that is part of OR", at_cp);
                goto out;
            }
            if (g->c[0].negated || g->c[0].field != FZ_QF_TEXT) {
                fz_set_error(errptr, "a %s term at character %zu cannot be "
                             "part of NEAR", g->c[0].negated ? "negated"
                             : "title:", ps.last_at);
                goto out;
            }
            ps.near_pending = 1;
            i += nl;
            continue;
        }
        if (looks_like_option(s, len, i)) {
            size_t e = i;
            while (e < len && !is_sp(s[e]))
                e++;
            fz_set_error(errptr, "'%.*s' at character %zu looks like an "
                         "option: options go before the query (or quote it: "
                         "\"%.*s\"; NOT %.*s excludes the word)", (int)(e - i),
                         s + i, at_cp, (int)(e - i), s + i,
                         (int)(e - i - 1), s + i + 1);
            goto out;
        }
        if (only_closes(s, len, i)) {
            fz_set_error(errptr, "unbalanced parenthesis at character %zu",
                         at_cp);
            goto out;
        }
        int neg = 0;
        enum fz_qfield field = FZ_QF_TEXT;
        if (word_is(s, len, i, "NOT")) {
            neg = 1;
            i += 3;
            while (i < len && is_sp(s[i]))
                i++;
            if (i >= len || word_is(s, len, i, "NOT")
                || word_is(s, len, i, "OR") || word_is(s, len, i, "AND")
                || near_at(s, len, i)) {
                fz_set_error(errptr, "NOT at character %zu needs a term "
                             "after it", at_cp);
                goto out;
            }
        } else if (s[i] == '-' && i + 1 < len && !is_sp(s[i + 1])) {
            neg = 1;
            i++;
        }
        size_t po;
        if (i < len && (po = open_at(s, len, i)) != 0) {
            size_t inner_end, end;
            size_t open_cp = fz_utf8_count(s, i) + 1;
            if (group_end(s, len, i, &inner_end, &end) != 0) {
                fz_set_error(errptr, "unbalanced parenthesis at character "
                             "%zu", open_cp);
                goto out;
            }
            if (depth + 1 > FZ_QUERY_MAX_DEPTH) {
                fz_set_error(errptr, "parentheses nested more than %d deep "
                             "at character %zu", FZ_QUERY_MAX_DEPTH, open_cp);
                goto out;
            }
            if (ps.near_pending) {
                fz_set_error(errptr, "a group in parentheses at character "
                             "%zu cannot be part of NEAR", open_cp);
                goto out;
            }
            struct fz_query it;
            rc = parse_range(norm, s, i + po, inner_end, depth + 1, &it,
                             errptr);
            if (rc != FZ_OK)
                goto out;
            rc = FZ_EINVAL;
            i = end;
            if (it.n == 0) {
                fz_set_error(errptr, "nothing to search for in the "
                             "parentheses at character %zu", open_cp);
                goto out;
            }
            if (neg) {
                /* NOT (A OR B) is NOT A AND NOT B; NOT (A B) has no
                 * meaning the index can run */
                if (it.n != 1 || it.n_near > 0 || has_negated(&it, 0)) {
                    fz_query_release(&it);
                    fz_set_error(errptr, "NOT at character %zu can negate a "
                                 "term or an OR of terms, not a group of "
                                 "several", at_cp);
                    goto out;
                }
                struct fz_qgroup one = it.g[0];
                free(it.g);
                it.g = calloc(one.n, sizeof *it.g);
                if (it.g == NULL) {
                    for (size_t k = 0; k < one.n; k++)
                        clause_release(&one.c[k]);
                    free(one.c);
                    rc = FZ_ENOMEM;
                    goto out;
                }
                it.n = one.n;
                for (size_t k = 0; k < one.n; k++) {
                    it.g[k].c = malloc(sizeof *it.g[k].c);
                    if (it.g[k].c == NULL) {
                        for (size_t m = k; m < one.n; m++)
                            clause_release(&one.c[m]);
                        free(one.c);
                        fz_query_release(&it);
                        rc = FZ_ENOMEM;
                        goto out;
                    }
                    it.g[k].c[0] = one.c[k];
                    it.g[k].c[0].negated = 1;
                    it.g[k].n = 1;
                }
                free(one.c);
            }
            rc = merge_item(out, &it, &ps, at_cp, 1, errptr);
            if (rc != FZ_OK)
                goto out;
            rc = FZ_EINVAL;
            continue;
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
        rc = build_clause(norm, s + start, end - start, &c, errptr);
        if (rc != FZ_OK)
            goto out;
        rc = FZ_EINVAL;
        if (c.n == 0) {                 /* punctuation only: no term */
            clause_release(&c);
            if (ps.or_pending || ps.near_pending) {
                fz_set_error(errptr, "%s needs a term on each side",
                             ps.or_pending ? "OR" : "NEAR");
                goto out;
            }
            continue;
        }
        if (neg && ps.or_pending) {
            clause_release(&c);
            fz_set_error(errptr, "a negated term at character %zu cannot "
                         "be part of OR", at_cp);
            goto out;
        }
        if (ps.near_pending && (neg || field != FZ_QF_TEXT)) {
            clause_release(&c);
            fz_set_error(errptr, "a %s term at character %zu cannot be "
                         "part of NEAR", neg ? "negated" : "title:", at_cp);
            goto out;
        }
        if (c.n > 1 || c.lit)
            out->needs_check = 1;
        /* one clause: one group of one, ANDed or ORed like any item */
        struct fz_query it = FZ_QUERY_INIT;
        it.g = calloc(1, sizeof *it.g);
        if (it.g == NULL || (it.g[0].c = malloc(sizeof c)) == NULL) {
            free(it.g);
            clause_release(&c);
            rc = FZ_ENOMEM;
            goto out;
        }
        it.g[0].c[0] = c;
        it.g[0].n = 1;
        it.n = 1;
        rc = merge_item(out, &it, &ps, at_cp, 0, errptr);
        if (rc != FZ_OK)
            goto out;
        rc = FZ_EINVAL;
        if (ps.near_pending) {
            struct fz_qnear *nv = realloc(out->near,
                                          (out->n_near + 1) * sizeof *nv);
            if (nv == NULL) {
                rc = FZ_ENOMEM;
                goto out;
            }
            out->near = nv;
            nv[out->n_near++] = (struct fz_qnear){ out->n - 2, out->n - 1,
                                                   ps.near_k };
            out->needs_check = 1;       /* the index has no positions */
            ps.near_pending = 0;
        }
    }
    if (ps.or_pending || ps.near_pending) {
        fz_set_error(errptr, "%s at the end needs a term after it",
                     ps.or_pending ? "OR" : "NEAR");
        goto out;
    }
    rc = FZ_OK;
out:
    if (rc != FZ_OK)
        fz_query_release(out);
    return rc;
}

int fz_query_parse(struct fz_norm *norm, const char *const *argv,
                   size_t argc, struct fz_query *out, char **errptr)
{
    struct fz_buf b = FZ_BUF_INIT;
    int rc = FZ_ENOMEM;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < argc; i++)
        if ((i && fz_buf_appendc(&b, ' ') != FZ_OK)
            || fz_buf_appends(&b, argv[i]) != FZ_OK)
            goto out;
    const char *s = fz_buf_cstr(&b);
    size_t len = b.len;
    rc = FZ_EINVAL;
    if (!fz_utf8_valid(s, len)) {
        fz_set_error(errptr, "query is not valid UTF-8");
        goto out;
    }
    size_t n_cp = fz_utf8_count(s, len);
    if (n_cp > FZ_QUERY_MAX_CP) {
        fz_set_error(errptr, "too long (%zu characters; at most %d)", n_cp,
                     FZ_QUERY_MAX_CP);
        goto out;
    }
    rc = parse_range(norm, s, 0, len, 0, out, errptr);
    if (rc != FZ_OK)
        goto out;
    rc = FZ_EINVAL;
    if (fz_query_positive_mask(out) == 0) {
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

/* The folded text that tokens point into. */
struct src {
    const char *text;
    size_t len;
};

/* Where the text src holds clause c's literal (query.h) with its first
 * token at byte b0: the byte after the literal, or 0 when it is not
 * there.  White space in the literal matches any run of white space. */
static size_t literal_at(const struct fz_qclause *c, const struct src *src,
                         size_t b0)
{
    if (b0 < c->lit_off)
        return 0;
    const char *t = src->text, *l = c->lit;
    size_t i = b0 - c->lit_off, j = 0;
    while (j < c->lit_len) {
        size_t j1 = j, i1 = i;
        uint32_t lc = fz_utf8_next(l, c->lit_len, &j1, NULL);
        if (fz_is_space(lc)) {
            int any = 0;
            while (i < src->len) {
                i1 = i;
                if (!fz_is_space(fz_utf8_next(t, src->len, &i1, NULL)))
                    break;
                i = i1;
                any = 1;
            }
            if (!any)
                return 0;
            j = j1;
            while (j < c->lit_len) {
                j1 = j;
                if (!fz_is_space(fz_utf8_next(l, c->lit_len, &j1, NULL)))
                    break;
                j = j1;
            }
            continue;
        }
        if (i + (j1 - j) > src->len || memcmp(t + i, l + j, j1 - j) != 0)
            return 0;
        i += j1 - j;
        j = j1;
    }
    return i;
}

/* 1 when the tokens v[0,n) of src hold clause c (all occurrences go to
 * sp if given, in order: starts increase, and so do ends, the last token
 * being at a fixed distance from the first), 0 when not, -1 out of
 * memory. */
static int clause_in(const struct fz_qclause *c, const struct src *src,
                     const struct fz_token *v, size_t n, struct fz_spans *sp)
{
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (!term_matches(&v[i], &c->t[0]))
            continue;
        uint32_t p0 = v[i].pos;
        size_t k = i, last = i;
        int ok = 1;
        for (size_t j = 1; j < c->n && ok; j++) {
            uint32_t want = p0 + c->t[j].rel;
            while (k < n && v[k].pos < want)
                k++;
            ok = k < n && v[k].pos == want && term_matches(&v[k], &c->t[j]);
            last = k;
        }
        if (!ok)
            continue;
        size_t lit_end = 0, b0 = (size_t)(v[i].term - src->text);
        if (c->lit && (v[i].cp_start < c->lit_cp
                       || (lit_end = literal_at(c, src, b0)) == 0))
            continue;
        found = 1;
        if (sp == NULL)
            return 1;
        /* a one-character term ends with its character, though the
         * token it matched may be a bigram that goes on */
        const struct fz_token *lt = &v[last];
        size_t start = v[i].cp_start,
               end = c->t[c->n - 1].prefix ? lt->cp_start + 1 : lt->cp_end;
        if (c->lit) {
            start -= c->lit_cp;
            size_t l0 = b0 - c->lit_off;
            end = start + fz_utf8_count(src->text + l0, lit_end - l0);
        }
        if (add_span(sp, start, end) != 0)
            return -1;
    }
    return found;
}

/* Occurrences of x that have a partner in y at most k away, other than
 * an identical span (query.h: no occurrence pairs with itself): 1 when
 * there is one, and with sp all of them go there.  x and y are in the
 * order clause_in() gives, so the partners of x[i] are a window y[lo,hi)
 * that only moves right as i grows: y[j] is too far left when
 * y_end + k < x_start, too far right when y_start > x_end + k, and every
 * y[j] between is near (query.h's distance).  Linear, not |x| * |y|. */
static int near_side(const struct fz_spans *x, const struct fz_spans *y,
                     uint32_t k, struct fz_spans *sp)
{
    size_t lo = 0, hi = 0, eq = 0;
    int held = 0;
    for (size_t i = 0; i < x->n; i++) {
        size_t xs = x->v[i][0], xe = x->v[i][1];
        while (lo < y->n && y->v[lo][1] + k < xs)
            lo++;
        if (hi < lo)
            hi = lo;
        while (hi < y->n && y->v[hi][0] <= xe + k)
            hi++;
        while (eq < y->n && y->v[eq][0] < xs)
            eq++;
        size_t partners = hi - lo;
        if (eq >= lo && eq < hi && y->v[eq][0] == xs && y->v[eq][1] == xe)
            partners--;
        if (partners == 0)
            continue;
        held = 1;
        if (sp == NULL)
            return 1;
        if (add_span(sp, xs, xe) != 0)
            return -1;
    }
    return held;
}

/* Scratch space for a NEAR pair's occurrences, reused across pairs. */
struct scratch {
    struct fz_spans a, b;
};

/* 1 when pair p holds in v[0,n) (its operands' occurrences that make it
 * hold go to sp if given), 0 when not, -1 out of memory. */
static int pair_in(const struct fz_query *q, const struct fz_qnear *p,
                   const struct src *src, const struct fz_token *v, size_t n, struct scratch *s,
                   struct fz_spans *sp)
{
    s->a.n = s->b.n = 0;
    if (clause_in(&q->g[p->a].c[0], src, v, n, &s->a) < 0
        || clause_in(&q->g[p->b].c[0], src, v, n, &s->b) < 0)
        return -1;
    int held = near_side(&s->a, &s->b, p->k, sp);
    if (held != 1 || sp == NULL)
        return held;
    /* A NEAR A: the second side would add the same spans again */
    if (s->a.n == s->b.n
        && memcmp(s->a.v, s->b.v, s->a.n * sizeof *s->a.v) == 0)
        return 1;
    return near_side(&s->b, &s->a, p->k, sp) < 0 ? -1 : 1;
}

static uint64_t bit(size_t gi)
{
    return (uint64_t)1 << gi;
}

static uint64_t near_mask(const struct fz_query *q)
{
    uint64_t m = 0;
    for (size_t j = 0; j < q->n_near; j++)
        m |= bit(q->near[j].a) | bit(q->near[j].b);
    return m;
}

uint64_t fz_query_positive_mask(const struct fz_query *q)
{
    uint64_t m = 0;
    for (size_t gi = 0; gi < q->n && gi < FZ_QUERY_MAX_GROUPS; gi++)
        if (q->g[gi].n > 0 && !q->g[gi].c[0].negated)
            m |= bit(gi);
    return m;
}

#define EV_POS 1        /* look at the positive groups and NEAR pairs */
#define EV_NEG 2        /* look for negated clauses */
#define EV_ALL 4        /* every group, even after one has failed */

/* The text clauses of q over the tokens v[0,n): *sat gets the positive
 * groups satisfied there (the groups of a NEAR chain together, when all
 * its pairs hold) with EV_POS, *neg is set to 1 when a negated text
 * clause occurs with EV_NEG.  Without EV_ALL and spans, it stops at the
 * first group of need that fails, leaving *sat short of need.  0, or -1
 * out of memory. */
static int eval_text(const struct fz_query *q, const struct src *src,
                     const struct fz_token *v,
                     size_t n, uint64_t need, int flags, struct scratch *s,
                     struct fz_spans *sp, uint64_t *sat, int *neg)
{
    uint64_t nm = near_mask(q);
    int stop = !(flags & EV_ALL) && sp == NULL;
    *sat = 0;
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        if (nm & bit(gi))
            continue;
        if (g->c[0].negated) {          /* alone in its group */
            if ((flags & EV_NEG) && g->c[0].field == FZ_QF_TEXT) {
                int m = clause_in(&g->c[0], src, v, n, NULL);
                if (m < 0)
                    return -1;
                *neg |= m;
            }
            continue;
        }
        if (!(flags & EV_POS))
            continue;
        /* with spans wanted, every clause is looked at, so that all
         * matches are marked even where another group fails */
        for (size_t k = 0; k < g->n; k++) {
            if (g->c[k].field != FZ_QF_TEXT)
                continue;
            int m = clause_in(&g->c[k], src, v, n, sp);
            if (m < 0)
                return -1;
            if (m) {
                *sat |= bit(gi);
                if (sp == NULL)
                    break;
            }
        }
        if (stop && (need & bit(gi)) && !(*sat & bit(gi)))
            return 0;
    }
    for (size_t j = 0; (flags & EV_POS) && j < q->n_near;) {
        size_t j0 = j;
        int all = 1;
        for (; j < q->n_near && (j == j0 || q->near[j].a == q->near[j - 1].b);
             j++) {
            if (!all && sp == NULL)
                continue;
            int h = pair_in(q, &q->near[j], src, v, n, s, sp);
            if (h < 0)
                return -1;
            all &= h;
        }
        if (all)
            for (size_t x = j0; x < j; x++)
                *sat |= bit(q->near[x].a) | bit(q->near[x].b);
        else if (stop)
            return 0;
    }
    return 0;
}

/* The title: clauses of q against title[0,tlen) (NULL: an empty title):
 * *sat gets the positive groups a title clause satisfies, *neg is set to
 * 1 when a negated one occurs.  0, or -1 out of memory. */
static int eval_title(const struct fz_query *q, const char *title,
                      size_t tlen, uint64_t *sat, int *neg)
{
    struct toks head = { NULL, 0, 0 };
    int has = 0, rc = -1;
    *sat = 0;
    for (size_t gi = 0; gi < q->n; gi++)
        for (size_t k = 0; k < q->g[gi].n; k++)
            has |= q->g[gi].c[k].field == FZ_QF_TITLE;
    if (!has)
        return 0;
    if (title && fz_tokenize(title, tlen, 0, collect, &head, NULL) != 0)
        goto out;
    for (size_t gi = 0; gi < q->n; gi++) {
        for (size_t k = 0; k < q->g[gi].n; k++) {
            const struct fz_qclause *c = &q->g[gi].c[k];
            if (c->field != FZ_QF_TITLE)
                continue;
            struct src ts = { title, tlen };
            int m = clause_in(c, &ts, head.v, head.n, NULL);
            if (m < 0)
                goto out;
            if (m && c->negated)
                *neg = 1;
            else if (m)
                *sat |= bit(gi);
        }
    }
    rc = 0;
out:
    free(head.v);
    return rc;
}

int fz_is_sentence_end(uint32_t cp)
{
    switch (cp) {
    case 0x3002: case 0xFF61:                   /* 。 ｡ */
    case '!': case '?': case ';':
    case 0xFF01: case 0xFF1F: case 0xFF1B:      /* ！ ？ ； */
    case 0x2026:                                /* … */
    case '\n': case '\v': case '\f': case '\r':
    case 0x85: case 0x2028: case 0x2029:        /* NEL, LS, PS */
        return 1;
    default:
        return 0;
    }
}

/* Sentence by sentence over the tokens: a token never holds a sentence
 * end (they are all break characters to the tokenizer), so a sentence is
 * a run of consecutive tokens, and it ends where the text between two
 * tokens has a sentence end.  One walk over the text and the tokens:
 * linear in the passage, times the query.  *matched is 1 when some
 * sentence holds every positive group not in tsat; the spans of each
 * such sentence go to spans. */
static int sentences(const struct fz_query *q, const char *text, size_t len,
                     const struct toks *body, uint64_t need,
                     struct scratch *s, struct fz_spans *spans, int *matched)
{
    struct fz_spans one = { NULL, 0, 0 };
    size_t i = 0, cp = 0, k0 = 0;
    int rc = -1, neg = 0;
    *matched = body->n == 0 && need == 0;       /* one empty sentence */
    for (size_t k = 0; k <= body->n; k++) {
        int ends = k == body->n;
        for (; k < body->n && cp < body->v[k].cp_start; cp++)
            ends |= fz_is_sentence_end(fz_utf8_next(text, len, &i, NULL));
        if (!ends || k == k0)
            continue;
        uint64_t sat;
        one.n = 0;
        struct src src = { text, len };
        if (eval_text(q, &src, body->v + k0, k - k0, need, EV_POS, s,
                      spans ? &one : NULL, &sat, &neg) != 0)
            goto out;
        k0 = k;
        if ((sat & need) != need)
            continue;
        *matched = 1;
        if (spans == NULL)
            break;
        for (size_t j = 0; j < one.n; j++)
            if (add_span(spans, one.v[j][0], one.v[j][1]) != 0)
                goto out;
    }
    rc = 0;
out:
    fz_spans_release(&one);
    return rc;
}

/* eval_text() without tokens, when every text clause of q is a Han run
 * and no NEAR pair needs positions: a clause occurs where the text holds
 * its folded bytes (UTF-8 finds a character sequence only at character
 * boundaries, and a Han run's bigrams follow each other exactly where
 * its characters do).  1 when it could (*sat and *neg as eval_text()
 * with EV_POS | EV_NEG | EV_ALL gives them), 0 when the tokens are
 * needed. */
static int eval_runs(const struct fz_query *q, const char *text, size_t len,
                     uint64_t *sat, int *neg)
{
    if (q->n_near > 0)
        return 0;
    for (size_t gi = 0; gi < q->n; gi++)
        for (size_t k = 0; k < q->g[gi].n; k++)
            if (q->g[gi].c[k].field == FZ_QF_TEXT && !q->g[gi].c[k].han)
                return 0;
    *sat = 0;
    for (size_t gi = 0; gi < q->n; gi++) {
        const struct fz_qgroup *g = &q->g[gi];
        for (size_t k = 0; k < g->n; k++) {
            const struct fz_qclause *c = &g->c[k];
            if (c->field != FZ_QF_TEXT
                || !memmem(text, len, c->han, c->han_len))
                continue;
            if (c->negated)
                *neg = 1;
            else
                *sat |= bit(gi);
        }
    }
    return 1;
}

int fz_query_matches_within(const struct fz_query *q, enum fz_within w,
                            const char *text, size_t len, const char *title,
                            size_t tlen, struct fz_spans *spans)
{
    struct toks body = { NULL, 0, 0 };
    struct scratch s = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    struct src src = { text, len };
    uint64_t pos = fz_query_positive_mask(q), tsat, sat;
    int result = -1, neg = 0, matched;
    if (eval_title(q, title, tlen, &tsat, &neg) != 0)
        goto out;
    if (w == FZ_WITHIN_PASSAGE && spans == NULL
        && eval_runs(q, text, len, &sat, &neg)) {
        result = ((sat | tsat) & pos) == pos && !neg;
        goto out;
    }
    if (tokenize(text, len, &body) != 0)
        goto out;
    if (w == FZ_WITHIN_SENTENCE) {
        /* negated clauses look at the whole passage, as the index does */
        if (eval_text(q, &src, body.v, body.n, 0, EV_NEG, &s, NULL, &sat,
                      &neg) != 0)
            goto out;
        matched = 0;
        if ((!neg || spans)
            && sentences(q, text, len, &body, pos & ~tsat, &s, spans,
                         &matched) != 0)
            goto out;
    } else {
        if (eval_text(q, &src, body.v, body.n, pos & ~tsat, EV_POS | EV_NEG, &s,
                      spans, &sat, &neg) != 0)
            goto out;
        matched = ((sat | tsat) & pos) == pos;
    }
    result = matched && !neg;
out:
    fz_spans_release(&s.a);
    fz_spans_release(&s.b);
    free(body.v);
    return result;
}

int fz_query_matches(const struct fz_query *q, const char *text,
                     size_t len, const char *title, size_t tlen,
                     struct fz_spans *spans)
{
    return fz_query_matches_within(q, FZ_WITHIN_PASSAGE, text, len, title,
                                   tlen, spans);
}

int fz_query_groups(const struct fz_query *q, const char *text, size_t len,
                    const char *title, size_t tlen, uint64_t *groups,
                    int *negated)
{
    struct toks body = { NULL, 0, 0 };
    struct scratch s = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    struct src src = { text, len };
    uint64_t tsat = 0, sat = 0;
    int rc = -1, neg = 0;
    *groups = 0;
    *negated = 0;
    if (eval_title(q, title, tlen, &tsat, &neg) != 0)
        goto out;
    if (!eval_runs(q, text, len, &sat, &neg)
        && (tokenize(text, len, &body) != 0
            || eval_text(q, &src, body.v, body.n, 0, EV_POS | EV_NEG | EV_ALL, &s,
                         NULL, &sat, &neg) != 0))
        goto out;
    *groups = (sat | tsat) & fz_query_positive_mask(q);
    *negated = neg;
    rc = 0;
out:
    fz_spans_release(&s.a);
    fz_spans_release(&s.b);
    free(body.v);
    return rc;
}

void fz_spans_release(struct fz_spans *s)
{
    if (s == NULL)
        return;
    free(s->v);
    memset(s, 0, sizeof *s);
}
