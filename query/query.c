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

/* The parser's state between clauses, for the checks that involve the
 * clause before: OR and NEAR each join it to the next one. */
struct pstate {
    int or_pending;
    int near_pending;           /* NEAR seen, its right operand not yet */
    uint32_t near_k;
    size_t last_at;             /* character where the last group's first
                                   clause began (1-based) */
};

static int last_group_is_near_b(const struct fz_query *q)
{
    return q->n_near > 0 && q->near[q->n_near - 1].b == q->n - 1;
}

int fz_query_parse(struct fz_norm *norm, const char *const *argv,
                   size_t argc, struct fz_query *out, char **errptr)
{
    struct fz_buf b = FZ_BUF_INIT;
    struct pstate ps = { 0, 0, 0, 0 };
    int rc = FZ_ENOMEM, positives = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < argc; i++)
        if ((i && fz_buf_appendc(&b, ' ') != FZ_OK)
            || fz_buf_appends(&b, argv[i]) != FZ_OK)
            goto out;
    const char *s = fz_buf_cstr(&b);
    size_t len = b.len, i = 0;
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
            if (out->g[out->n - 1].c[0].negated) {
                /* -A OR B: neither the index nor the matcher has a
                 * meaning for "without A, or with B" */
                fz_set_error(errptr, "a negated term at character %zu "
                             "cannot be part of OR", ps.last_at);
                goto out;
            }
            if (last_group_is_near_b(out)) {
                fz_set_error(errptr, "OR at character %zu cannot join a "
                             "term that is part of NEAR", at_cp);
                goto out;
            }
            ps.or_pending = 1;
            i += 2;
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
        if (!ps.or_pending && out->n == FZ_QUERY_MAX_GROUPS) {
            clause_release(&c);
            fz_set_error(errptr, "more than %d terms: the %dth is at "
                         "character %zu", FZ_QUERY_MAX_GROUPS,
                         FZ_QUERY_MAX_GROUPS + 1, at_cp);
            goto out;
        }
        if (c.n > 1)
            out->needs_check = 1;
        positives += !neg;
        struct fz_qgroup *g;
        if (ps.or_pending) {
            g = &out->g[out->n - 1];
            ps.or_pending = 0;
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
            ps.last_at = at_cp;
        }
        struct fz_qclause *cv = realloc(g->c, (g->n + 1) * sizeof *cv);
        if (cv == NULL) {
            clause_release(&c);
            rc = FZ_ENOMEM;
            goto out;
        }
        g->c = cv;
        g->c[g->n++] = c;
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

/* 1 when the tokens v[0,n) hold clause c (all occurrences go to sp if
 * given, in order: starts increase, and so do ends, the last token being
 * at a fixed distance from the first), 0 when not, -1 out of memory. */
static int clause_in(const struct fz_qclause *c, const struct fz_token *v,
                     size_t n, struct fz_spans *sp)
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
        found = 1;
        if (sp == NULL)
            return 1;
        /* a one-character term ends with its character, though the
         * token it matched may be a bigram that goes on */
        const struct fz_token *lt = &v[last];
        size_t end = c->t[c->n - 1].prefix ? lt->cp_start + 1 : lt->cp_end;
        if (add_span(sp, v[i].cp_start, end) != 0)
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
                   const struct fz_token *v, size_t n, struct scratch *s,
                   struct fz_spans *sp)
{
    s->a.n = s->b.n = 0;
    if (clause_in(&q->g[p->a].c[0], v, n, &s->a) < 0
        || clause_in(&q->g[p->b].c[0], v, n, &s->b) < 0)
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
static int eval_text(const struct fz_query *q, const struct fz_token *v,
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
                int m = clause_in(&g->c[0], v, n, NULL);
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
            int m = clause_in(&g->c[k], v, n, sp);
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
            int h = pair_in(q, &q->near[j], v, n, s, sp);
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
            int m = clause_in(c, head.v, head.n, NULL);
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
        if (eval_text(q, body->v + k0, k - k0, need, EV_POS, s,
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

int fz_query_matches_within(const struct fz_query *q, enum fz_within w,
                            const char *text, size_t len, const char *title,
                            size_t tlen, struct fz_spans *spans)
{
    struct toks body = { NULL, 0, 0 };
    struct scratch s = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    uint64_t pos = fz_query_positive_mask(q), tsat, sat;
    int result = -1, neg = 0, matched;
    if (eval_title(q, title, tlen, &tsat, &neg) != 0
        || tokenize(text, len, &body) != 0)
        goto out;
    if (w == FZ_WITHIN_SENTENCE) {
        /* negated clauses look at the whole passage, as the index does */
        if (eval_text(q, body.v, body.n, 0, EV_NEG, &s, NULL, &sat,
                      &neg) != 0)
            goto out;
        matched = 0;
        if ((!neg || spans)
            && sentences(q, text, len, &body, pos & ~tsat, &s, spans,
                         &matched) != 0)
            goto out;
    } else {
        if (eval_text(q, body.v, body.n, pos & ~tsat, EV_POS | EV_NEG, &s,
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
    uint64_t tsat = 0, sat = 0;
    int rc = -1, neg = 0;
    *groups = 0;
    *negated = 0;
    if (eval_title(q, title, tlen, &tsat, &neg) != 0
        || tokenize(text, len, &body) != 0
        || eval_text(q, body.v, body.n, 0, EV_POS | EV_NEG | EV_ALL, &s,
                     NULL, &sat, &neg) != 0)
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
