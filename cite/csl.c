#include "cite/csl.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The observable behaviour of citeproc-js 2.4.63 (citeproc_commonjs.js,
 * CSL.Util.FlipFlopper.processTags and the "text" output format), worked
 * out from its source and checked against it by tests/test_cite.c.  The
 * order of the tags below is the order in which it tries them at each
 * position, so " \"" (a space, then a quote) wins over the bare quote. */
enum tag {
    T_NOCASE, T_NODECOR, T_SCSPAN, T_SC, T_I, T_B, T_SUP, T_SUB,
    T_SP_DQ, T_SP_SQ, T_PA_DQ, T_PA_SQ, T_LDQ, T_LSQ,      /* openers */
    C_SPAN, C_SC, C_I, C_B, C_SUP, C_SUB, C_DQ, C_SQ, C_RDQ, C_RSQ,
    N_TAGS,
    T_GONE = -1                 /* a tag that was dropped or made text */
};

enum kind { K_NOCASE, K_MARKUP, K_DQ, K_SQ, K_CURLY_DQ, K_CURLY_SQ };

static const struct {
    const char *text;
    enum kind kind;             /* openers only */
    enum tag closer;            /* openers only */
} tags[N_TAGS] = {
    [T_NOCASE] = { "<span class=\"nocase\">", K_NOCASE, C_SPAN },
    [T_NODECOR] = { "<span class=\"nodecor\">", K_MARKUP, C_SPAN },
    [T_SCSPAN] = { "<span style=\"font-variant:small-caps;\">", K_MARKUP,
                   C_SPAN },
    [T_SC] = { "<sc>", K_MARKUP, C_SC },
    [T_I] = { "<i>", K_MARKUP, C_I },
    [T_B] = { "<b>", K_MARKUP, C_B },
    [T_SUP] = { "<sup>", K_MARKUP, C_SUP },
    [T_SUB] = { "<sub>", K_MARKUP, C_SUB },
    [T_SP_DQ] = { " \"", K_DQ, C_DQ },
    [T_SP_SQ] = { " '", K_SQ, C_SQ },
    [T_PA_DQ] = { "(\"", K_DQ, C_DQ },
    [T_PA_SQ] = { "('", K_SQ, C_SQ },
    [T_LDQ] = { "\u201c", K_CURLY_DQ, C_RDQ },
    [T_LSQ] = { "\u2018", K_CURLY_SQ, C_RSQ },
    [C_SPAN] = { "</span>", 0, 0 },
    [C_SC] = { "</sc>", 0, 0 },
    [C_I] = { "</i>", 0, 0 },
    [C_B] = { "</b>", 0, 0 },
    [C_SUP] = { "</sup>", 0, 0 },
    [C_SUB] = { "</sub>", 0, 0 },
    [C_DQ] = { "\"", 0, 0 },
    [C_SQ] = { "'", 0, 0 },
    [C_RDQ] = { "\u201d", 0, 0 },
    [C_RSQ] = { "\u2019", 0, 0 },
};

#define RSQUO "\u2019"          /* ’ the apostrophe */

static bool is_opener(int t)
{
    return t >= T_NOCASE && t <= T_LSQ;
}

/* citeproc-js's ROMANESQUE_REGEXP: the letters of alphabetic scripts,
 * digits and the hyphen; between two of them ’ is read as '. */
static bool romanesque(uint32_t c)
{
    return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z') || (c >= 0x0e01 && c <= 0x0e5b)
        || (c >= 0x00c0 && c <= 0x017f) || (c >= 0x0370 && c <= 0x03ff)
        || (c >= 0x0400 && c <= 0x052f) || (c >= 0x0590 && c <= 0x05d4)
        || (c >= 0x05d6 && c <= 0x05ff) || (c >= 0x1f00 && c <= 0x1fff)
        || (c >= 0x0600 && c <= 0x06ff) || c == 0x200c || c == 0x200d
        || c == 0x200e || (c >= 0x0218 && c <= 0x021b)
        || (c >= 0x202a && c <= 0x202e);
}

/* JavaScript's \s */
static bool js_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0
        || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028
        || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000
        || c == 0xfeff;
}

/* The pieces of a string between its tags: str[0] tag[0] str[1] ...
 * tag[n-1] str[n].  forced[] is citeproc-js's forcedSpaces list: one entry
 * per opener among tag[0..n-2], read back by tag index, which is how the
 * original reads it too (its quirk, kept). */
struct split {
    struct fz_buf *str;
    int *tag;
    bool *forced;
    size_t n, n_forced;
};

static void split_release(struct split *sp)
{
    if (sp->str)
        for (size_t i = 0; i <= sp->n; i++)
            fz_buf_release(&sp->str[i]);
    free(sp->str);
    free(sp->tag);
    free(sp->forced);
}

static bool forced_at(const struct split *sp, size_t k)
{
    return k < sp->n_forced && sp->forced[k];
}

/* Put p[0,len) in front of b. */
static int prepend(struct fz_buf *b, const char *p, size_t len)
{
    if (len == 0)
        return FZ_OK;
    if (fz_buf_grow(b, len) != FZ_OK)
        return FZ_ENOMEM;
    memmove(b->data + len, b->data, b->len + 1);
    memcpy(b->data, p, len);
    b->len += len;
    return FZ_OK;
}

static int prepends(struct fz_buf *b, const char *s)
{
    return prepend(b, s, strlen(s));
}

static int match_tag(const char *s, size_t len, size_t i)
{
    for (int t = 0; t < N_TAGS; t++) {
        size_t n = strlen(tags[t].text);
        if (n <= len - i && memcmp(s + i, tags[t].text, n) == 0)
            return t;
    }
    return -1;
}

/* Split s (already prefixed with the space citeproc-js puts in front). */
static int split_tags(const char *s, size_t len, struct split *sp)
{
    size_t cap = len + 1;       /* at most one tag per byte */
    sp->str = calloc(cap, sizeof *sp->str);
    sp->tag = malloc(cap * sizeof *sp->tag);
    sp->forced = calloc(cap, sizeof *sp->forced);
    sp->n = sp->n_forced = 0;
    if (!sp->str || !sp->tag || !sp->forced)
        return FZ_ENOMEM;
    size_t i = 0, start = 0;
    while (i < len) {
        int t = match_tag(s, len, i);
        if (t < 0) {
            fz_utf8_next(s, len, &i, NULL);
            continue;
        }
        if (fz_buf_append(&sp->str[sp->n], s + start, i - start) != FZ_OK)
            return FZ_ENOMEM;
        sp->tag[sp->n++] = t;
        i += strlen(tags[t].text);
        start = i;
    }
    if (fz_buf_append(&sp->str[sp->n], s + start, len - start) != FZ_OK)
        return FZ_ENOMEM;
    /* A quote right after an opener, with nothing between, is read as an
     * opener itself, as if a space stood before it. */
    for (size_t k = 0; k + 1 < sp->n; k++) {
        if (!is_opener(sp->tag[k]))
            continue;
        bool f = sp->str[k + 1].len == 0
                 && (sp->tag[k + 1] == C_DQ || sp->tag[k + 1] == C_SQ);
        if (f)
            sp->tag[k + 1] = sp->tag[k + 1] == C_DQ ? T_SP_DQ : T_SP_SQ;
        sp->forced[sp->n_forced++] = f;
    }
    return FZ_OK;
}

/* Drop a tag whose text goes back into the string after it. */
static int to_text(struct split *sp, size_t k, bool drop_first_char)
{
    const char *t = tags[sp->tag[k]].text;
    if (drop_first_char) {
        size_t i = 0;
        fz_utf8_next(t, strlen(t), &i, NULL);
        t += i;
    }
    sp->tag[k] = T_GONE;
    return prepends(&sp->str[k + 1], t);
}

struct open { int tag; size_t pos; };

/* Decide which tags pair up; the others become text or apostrophes. */
static int pair_tags(struct split *sp)
{
    struct open *st = malloc((sp->n + 1) * sizeof *st);
    size_t depth = 0;
    int rc = FZ_OK;
    if (st == NULL)
        return FZ_ENOMEM;
    for (size_t i = 0; i < sp->n && rc == FZ_OK; i++) {
        int t = sp->tag[i];
        struct fz_buf *next = &sp->str[i + 1];
        unsigned char c0 = next->len ? (unsigned char)next->data[0] : 0;
        /* a ' with something after it other than , . ? : ; or a space */
        if (t == C_SQ && next->len && !strchr(",.?:; ", c0)) {
            rc = prepends(next, RSQUO);
            sp->tag[i] = T_GONE;
            continue;
        }
        if (t == T_SP_SQ && c0 == ' ') {
            rc = prepends(next, " " RSQUO);
            sp->tag[i] = T_GONE;
            continue;
        }
        if (is_opener(t)) {
            st[depth].tag = t;
            st[depth++].pos = i;
            continue;
        }
        /* A closer.  It closes the innermost opener if it matches; else
         * that opener becomes text and the next one out is tried, and a
         * closer left with no opener becomes text itself (a ' becomes an
         * apostrophe instead, and leaves the openers alone). */
        for (;;) {
            if (depth > 0 && tags[st[depth - 1].tag].closer == t) {
                depth--;
                if (tags[st[depth].tag].kind == K_NOCASE) {
                    sp->tag[st[depth].pos] = T_GONE;    /* vanishes */
                    sp->tag[i] = T_GONE;
                }
                break;
            }
            if (t == C_SQ) {
                rc = prepends(next, RSQUO);
                sp->tag[i] = T_GONE;
                break;
            }
            /* the opener, or with none the closer itself, becomes text;
             * citeproc-js drops its first character when the forced
             * flag at the position before says so (its quirk) */
            size_t fix = depth > 0 ? st[depth - 1].pos : i;
            rc = to_text(sp, fix, fix > 0 && forced_at(sp, fix - 1));
            if (rc != FZ_OK || depth == 0)
                break;
            depth--;
        }
    }
    /* openers never closed */
    while (rc == FZ_OK && depth > 0) {
        size_t pos = st[--depth].pos;
        if (sp->tag[pos] == T_SP_SQ) {
            sp->tag[pos] = T_GONE;
            rc = prepends(&sp->str[pos + 1], " " RSQUO);
        } else {
            rc = to_text(sp, pos, false);
        }
    }
    free(st);
    return rc;
}

/* Remove the dropped tags, joining the strings around them. */
static int compact(struct split *sp)
{
    size_t w = 0;
    for (size_t i = 0; i < sp->n; i++) {
        if (sp->tag[i] == T_GONE) {
            struct fz_buf *b = &sp->str[i + 1];
            if (fz_buf_append(&sp->str[w], b->data ? b->data : "", b->len)
                    != FZ_OK)
                return FZ_ENOMEM;
            fz_buf_release(b);
            continue;
        }
        sp->tag[w++] = sp->tag[i];
        if (w != i + 1) {
            fz_buf_release(&sp->str[w]);
            sp->str[w] = sp->str[i + 1];
            sp->str[i + 1] = (struct fz_buf)FZ_BUF_INIT;
        }
    }
    sp->n = w;
    return FZ_OK;
}

/* Quote levels: citeproc-js's decorations "true" (outer marks “ ”) and
 * "inner" (‘ ’). */
enum { Q_NONE, Q_OUTER, Q_INNER };

static int assemble(struct split *sp, bool leading, struct fz_buf *out,
                    size_t *quote_tail)
{
    /* The first straight quote decides which kind is the outer one. */
    int dq_level = Q_OUTER, sq_level = Q_INNER;
    bool seen = false;
    for (size_t i = 0; i < sp->n; i++) {
        int t = sp->tag[i];
        if (t != T_SP_DQ && t != T_SP_SQ && t != T_PA_DQ && t != T_PA_SQ)
            continue;
        if (!seen) {
            bool dq = t == T_SP_DQ || t == T_PA_DQ;
            dq_level = dq ? Q_OUTER : Q_INNER;
            sq_level = dq ? Q_INNER : Q_OUTER;
            seen = true;
        }
        /* the space or ( the tag took belongs to the text before it */
        if (!(i > 0 && forced_at(sp, i - 1))
                && fz_buf_appendc(&sp->str[i], tags[t].text[0]) != FZ_OK)
            return FZ_ENOMEM;
    }
    /* One buffer per open tag: a quotation is printed with its marks
     * when it closes, and not at all when nothing is inside it (citeproc
     * drops empty output, marks and all). */
    struct level { struct fz_buf text; int quote; size_t tail; } *lv;
    size_t depth = 0;
    lv = calloc(sp->n + 1, sizeof *lv);
    if (lv == NULL)
        return FZ_ENOMEM;
    struct fz_buf first = FZ_BUF_INIT;
    int rc = fz_buf_appends(&first, leading ? " " : "");
    if (rc == FZ_OK)
        rc = fz_buf_append(&first, fz_buf_cstr(&sp->str[0]), sp->str[0].len);
    const char *p = fz_buf_cstr(&first);
    for (int k = 0; k < 2 && *p == ' '; k++)
        p++;
    if (rc == FZ_OK)
        rc = fz_buf_appends(&lv[0].text, p);
    fz_buf_release(&first);
    for (size_t i = 0; i < sp->n && rc == FZ_OK; i++) {
        int t = sp->tag[i];
        if (is_opener(t)) {
            int level = Q_NONE;
            enum kind k = tags[t].kind;
            if (k == K_DQ || k == K_SQ || k == K_CURLY_DQ
                    || k == K_CURLY_SQ) {
                int outer = Q_NONE;
                for (size_t d = depth + 1; d-- > 1;)
                    if (lv[d].quote != Q_NONE) {
                        outer = lv[d].quote;
                        break;
                    }
                if (outer != Q_NONE)
                    level = outer == Q_OUTER ? Q_INNER : Q_OUTER;
                else if (k == K_DQ)
                    level = dq_level;
                else if (k == K_SQ)
                    level = sq_level;
                else
                    level = k == K_CURLY_DQ ? Q_OUTER : Q_INNER;
            }
            lv[++depth].quote = level;
        } else if (depth > 0) {
            struct level *in = &lv[depth--];
            struct fz_buf *to = &lv[depth].text;
            if (in->text.len > 0) {
                bool q = in->quote != Q_NONE;
                bool outer = in->quote == Q_OUTER;
                if (q)
                    rc = fz_buf_appends(to, outer ? "\u201c" : "\u2018");
                if (rc == FZ_OK)
                    rc = fz_buf_append(to, in->text.data, in->text.len);
                if (rc == FZ_OK && q)
                    rc = fz_buf_appends(to, outer ? "\u201d" : "\u2019");
                /* closing marks now end this level's text (” and ’
                 * are 3 bytes each), until more text follows */
                lv[depth].tail = in->tail + (q ? 3 : 0);
            }
            fz_buf_release(&in->text);
        }
        if (rc == FZ_OK && sp->str[i + 1].len > 0) {
            rc = fz_buf_append(&lv[depth].text, sp->str[i + 1].data,
                               sp->str[i + 1].len);
            lv[depth].tail = 0;
        }
    }
    if (rc == FZ_OK)
        rc = fz_buf_append(out, fz_buf_cstr(&lv[0].text), lv[0].text.len);
    *quote_tail = lv[0].tail;
    for (size_t d = 0; d <= sp->n; d++)
        fz_buf_release(&lv[d].text);
    free(lv);
    return rc;
}

/* Full uppercase mappings (Unicode SpecialCasing.txt) that are not one
 * code point; everything else goes through utf8proc's simple mapping. */
static const struct { uint32_t cp; const char *upper; } special_upper[] = {
    { 0x00df, "SS" }, { 0x0149, "\u02bcN" }, { 0xfb00, "FF" },
    { 0xfb01, "FI" }, { 0xfb02, "FL" }, { 0xfb03, "FFI" },
    { 0xfb04, "FFL" }, { 0xfb05, "ST" }, { 0xfb06, "ST" },
};

/* The tags citeproc-js's text-case code steps over, and those of them
 * inside which it changes no case. */
static const struct { const char *text; int opens; } case_tags[] = {
    { "<span class=\"nocase\">", 1 }, { "<span class=\"nodecor\">", 1 },
    { "<span style=\"font-variant:small-caps;\">", 1 },
    { "<sc>", 1 }, { "<sup>", 1 }, { "<sub>", 1 },
    { "</span>", 0 }, { "</sc>", 0 }, { "</sup>", 0 }, { "</sub>", 0 },
    { "<i>", -1 }, { "</i>", -1 }, { "<b>", -1 }, { "</b>", -1 },
};

static int upper(const char *s, size_t len, struct fz_buf *out)
{
    /* the closers of the protecting tags open at this point */
    const char *open[64];
    size_t depth = 0, i = 0;
    while (i < len) {
        size_t k, n = 0;
        for (k = 0; k < sizeof case_tags / sizeof case_tags[0]; k++) {
            n = strlen(case_tags[k].text);
            if (n <= len - i && memcmp(s + i, case_tags[k].text, n) == 0)
                break;
        }
        if (k < sizeof case_tags / sizeof case_tags[0]) {
            const char *t = case_tags[k].text;
            if (case_tags[k].opens == 1 && depth < 64) {
                open[depth++] = t[1] == 's' && t[2] == 'p' ? "</span>"
                              : strcmp(t, "<sc>") == 0 ? "</sc>"
                              : strcmp(t, "<sup>") == 0 ? "</sup>"
                              : "</sub>";
            } else if (case_tags[k].opens == 0 && depth > 0
                       && strcmp(open[depth - 1], t) == 0) {
                depth--;
            }
            if (fz_buf_append(out, s + i, n) != FZ_OK)
                return FZ_ENOMEM;
            i += n;
            continue;
        }
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (depth > 0) {
            if (fz_buf_append(out, s + at, i - at) != FZ_OK)
                return FZ_ENOMEM;
            continue;
        }
        const char *sp = NULL;
        for (k = 0; k < sizeof special_upper / sizeof special_upper[0]; k++)
            if (special_upper[k].cp == c)
                sp = special_upper[k].upper;
        int rc = sp ? fz_buf_appends(out, sp)
                    : fz_buf_append_cp(out, (uint32_t)utf8proc_toupper(
                                                (utf8proc_int32_t)c));
        if (rc != FZ_OK)
            return FZ_ENOMEM;
    }
    return FZ_OK;
}

/* What citeproc-js does to every string it outputs before anything else:
 * a space before : ; ? ! » becomes a narrow no-break space (U+202F), as
 * after «; white space before ' becomes one space, and a ' at the start
 * gets one, so that it can open a quotation. */
static int typeset(const char *s, size_t len, struct fz_buf *out)
{
    struct fz_buf a = FZ_BUF_INIT;
    int rc = FZ_OK;
    for (size_t i = 0; i < len && rc == FZ_OK; i++) {
        if (s[i] == ' ' && i + 1 < len && s[i + 1]
                && strchr(":;?!", s[i + 1]))
            rc = fz_buf_appends(&a, "\u202f");
        else if (s[i] == ' ' && len - i >= 3
                 && memcmp(s + i + 1, "\u00bb", 2) == 0)
            rc = fz_buf_appends(&a, "\u202f");
        else if (s[i] == ' ' && i >= 2
                 && memcmp(s + i - 2, "\u00ab", 2) == 0)
            rc = fz_buf_appends(&a, "\u202f");
        else
            rc = fz_buf_appendc(&a, s[i]);
    }
    if (rc == FZ_OK && a.len > 0 && a.data[0] == '\'')
        rc = fz_buf_appendc(out, ' ');
    for (size_t i = 0; i < a.len && rc == FZ_OK;) {
        size_t at = i;
        uint32_t c = fz_utf8_next(a.data, a.len, &i, NULL);
        if (js_space(c)) {
            size_t j = i;
            while (j < a.len) {
                size_t k = j;
                if (!js_space(fz_utf8_next(a.data, a.len, &k, NULL)))
                    break;
                j = k;
            }
            if (j < a.len && a.data[j] == '\'') {
                rc = fz_buf_appendc(out, ' ');
                i = j;
                continue;
            }
        }
        rc = fz_buf_append(out, a.data + at, i - at);
    }
    fz_buf_release(&a);
    return rc;
}

int fz_csl_rich_text(const char *s, size_t len, int uppercase,
                     struct fz_buf *out, size_t *quote_tail)
{
    struct fz_buf ts = FZ_BUF_INIT, up = FZ_BUF_INIT, t = FZ_BUF_INIT;
    struct split sp = { NULL, NULL, NULL, 0, 0 };
    size_t mark = out->len;
    *quote_tail = 0;
    int rc = typeset(s, len, &ts);
    if (rc != FZ_OK)
        goto out;
    s = fz_buf_cstr(&ts);
    len = ts.len;
    if (uppercase) {
        if ((rc = upper(s, len, &up)) != FZ_OK)
            goto out;
        s = fz_buf_cstr(&up);
        len = up.len;
    }
    /* leading: s starts with a space not followed by a run of spaces and
     * a quote */
    bool leading = false;
    if (len > 0 && s[0] == ' ') {
        size_t i = 0;
        uint32_t c = 0;
        while (i < len && js_space(c = fz_utf8_next(s, len, &i, NULL)))
            ;
        leading = !(js_space(c) == false && (c == '\'' || c == '"'));
    }
    /* ’ between two letters is read as ', then printed as ’ again unless
     * it closes a quotation */
    rc = fz_buf_appendc(&t, ' ');
    for (size_t i = 0; i < len && rc == FZ_OK;) {
        size_t a = i, b, c;
        uint32_t x = fz_utf8_next(s, len, &i, NULL);
        b = i;
        if (romanesque(x) && b < len) {
            uint32_t y = fz_utf8_next(s, len, &b, NULL);
            c = b;
            if (y == 0x2019 && c < len) {
                uint32_t z = fz_utf8_next(s, len, &c, NULL);
                if (romanesque(z)) {
                    rc = fz_buf_append(&t, s + a, i - a);
                    if (rc == FZ_OK)
                        rc = fz_buf_appendc(&t, '\'');
                    if (rc == FZ_OK)
                        rc = fz_buf_append(&t, s + b, c - b);
                    i = c;
                    continue;
                }
            }
        }
        rc = fz_buf_append(&t, s + a, i - a);
    }
    if (rc != FZ_OK)
        goto out;
    if ((rc = split_tags(t.data, t.len, &sp)) != FZ_OK)
        goto out;
    if (sp.n == 0) {            /* no tags: the string as it was */
        rc = fz_buf_append(out, s, len);
        goto out;
    }
    if ((rc = pair_tags(&sp)) == FZ_OK && (rc = compact(&sp)) == FZ_OK)
        rc = assemble(&sp, leading, out, quote_tail);
out:
    if (rc != FZ_OK && out->data) {
        out->len = mark;
        out->data[mark] = '\0';
    }
    split_release(&sp);
    fz_buf_release(&t);
    fz_buf_release(&up);
    fz_buf_release(&ts);
    return rc;
}

/* citeproc-js's punctuation merge table: the left character, the right
 * one, what the pair becomes. */
static const char *const merge_table[][3] = {
    { "!", ".", "!" }, { "!", "?", "!?" }, { "!", ":", "!" },
    { "!", ",", "!," }, { "!", ";", "!;" },
    { "?", "!", "?!" }, { "?", ".", "?" }, { "?", ":", "?" },
    { "?", ",", "?," }, { "?", ";", "?;" },
    { ".", "!", ".!" }, { ".", "?", ".?" }, { ".", ":", ".:" },
    { ".", ",", ".," }, { ".", ";", ".;" },
    { ":", "!", "!" }, { ":", "?", "?" }, { ":", ".", ":" },
    { ":", ",", ":," }, { ":", ";", ":;" },
    { ",", "!", ",!" }, { ",", "?", ",?" }, { ",", ":", ",:" },
    { ",", ".", ",." }, { ",", ";", ",;" },
    { ";", "!", "!" }, { ";", "?", "?" }, { ";", ":", ";" },
    { ";", ",", ";," }, { ";", ".", ";" },
};

/* The merge of l and r, both in "!?.:,;": NULL when they stay as they
 * are. */
static const char *merged(char l, char r)
{
    static const char same[][2] = { "!", "?", ".", ":", ",", ";" };
    if (l == r)
        return same[strchr("!?.:,;", l) - "!?.:,;"];
    for (size_t k = 0; k < sizeof merge_table / sizeof merge_table[0]; k++)
        if (merge_table[k][0][0] == l && merge_table[k][1][0] == r)
            return merge_table[k][2];
    return NULL;
}

int fz_csl_append_punct(struct fz_buf *out, const char *s,
                        size_t quote_tail)
{
    static const char punct[] = "!?.:,;";
    if (quote_tail > out->len || out->len - quote_tail == 0 || !s[0]
            || !strchr(punct, s[0]))
        return fz_buf_appends(out, s);
    char *l = &out->data[out->len - quote_tail - 1];
    if (!*l || !strchr(punct, *l))
        return fz_buf_appends(out, s);
    const char *m = merged(*l, s[0]);
    if (m == NULL)
        return fz_buf_appends(out, s);
    if (quote_tail > 0) {
        /* inside the marks only a merge into one character happens */
        if (strlen(m) != 1)
            return fz_buf_appends(out, s);
        size_t at = (size_t)(l - out->data);
        if (fz_buf_appends(out, s + 1) != FZ_OK)
            return FZ_ENOMEM;
        out->data[at] = m[0];   /* after the append, which may move data */
        return FZ_OK;
    }
    size_t mark = out->len;
    out->len--;
    if (fz_buf_appends(out, m) != FZ_OK || fz_buf_appends(out, s + 1)) {
        out->len = mark;
        out->data[mark - 1] = *l;
        out->data[mark] = '\0';
        return FZ_ENOMEM;
    }
    return FZ_OK;
}
