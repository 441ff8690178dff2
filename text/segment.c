#include "text/segment.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_sentence_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF01
        || c == 0xFF1F || c == '!' || c == '?';
}

static int is_closer(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F
        || c == 0xFF09 || c == ')' || c == 0x300B;
}

static int is_soft_break(uint32_t c)
{
    return c == 0xFF0C || c == ',' || c == 0x3001 || c == ' ' || c == 0xFF1A
        || c == ':';
}

/* 一是 ... 十是, at the start or after punctuation: "统一是" is a word. */
static int enum_at(const char *s, size_t len, size_t i, uint32_t prev)
{
    size_t j = i;
    uint32_t a = fz_utf8_next(s, len, &j, NULL);
    if (!fz_is_cn_numeral(a) || j >= len)
        return 0;
    uint32_t b = fz_utf8_next(s, len, &j, NULL);
    if (b != 0x662F)                                    /* 是 */
        return 0;
    return prev == 0 || !(fz_is_han(prev) || fz_is_wordchar(prev));
}

struct cut {
    size_t off;             /* byte where a piece may start */
    size_t cp;              /* code point index of off */
    int enumeration;
};

static int add_piece(struct fz_passages *out, size_t *cap, const char *s,
                     size_t len)
{
    /* pieces start after a cut: drop the space a cut may leave */
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return FZ_OK;
    if (out->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct fz_passage *v = realloc(out->v, nc * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        out->v = v;
        *cap = nc;
    }
    struct fz_passage *p = &out->v[out->n];
    memset(p, 0, sizeof *p);
    p->text = strndup(s, len);
    if (p->text == NULL)
        return FZ_ENOMEM;
    p->len = len;
    p->ordinal = ++out->n;
    return FZ_OK;
}

static int split_line(struct fz_passages *out, size_t *cap, const char *s,
                      size_t len, size_t max_cp)
{
    size_t n_cp = fz_utf8_count(s, len);
    if (n_cp <= max_cp)
        return add_piece(out, cap, s, len);
    /* Collect the places a piece may start. */
    struct cut *cuts = malloc((n_cp + 1) * sizeof *cuts);
    size_t nc = 0, i = 0, cp = 0;
    uint32_t prev = 0;
    if (cuts == NULL)
        return FZ_ENOMEM;
    while (i < len) {
        if (cp > 0 && enum_at(s, len, i, prev))
            cuts[nc++] = (struct cut){ i, cp, 1 };
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        cp++;
        if (is_sentence_end(c)) {
            while (i < len) {           /* 。” belongs to the sentence */
                size_t k = i;
                uint32_t d = fz_utf8_next(s, len, &k, NULL);
                if (!is_closer(d))
                    break;
                i = k;
                cp++;
                c = d;
            }
            if (i < len)
                cuts[nc++] = (struct cut){ i, cp, 0 };
        }
        prev = c;
    }
    /* Greedy: from each start, the farthest cut within max_cp, preferring
     * an enumeration once the piece has some substance; a sentence longer
     * than max_cp stays whole up to FZ_SEG_HARD_MAX. */
    size_t start = 0, start_cp = 0, k = 0;
    int rc = FZ_OK;
    while (rc == FZ_OK && n_cp - start_cp > max_cp) {
        size_t best = nc, best_enum = nc;
        while (k < nc && cuts[k].off <= start)
            k++;
        for (size_t m = k; m < nc && cuts[m].cp - start_cp <= max_cp; m++) {
            best = m;
            if (cuts[m].enumeration && cuts[m].cp - start_cp >= max_cp / 4)
                best_enum = m;
        }
        if (best_enum < nc)
            best = best_enum;
        size_t end, end_cp;
        if (best < nc) {
            end = cuts[best].off;
            end_cp = cuts[best].cp;
        } else if (k < nc && cuts[k].cp - start_cp <= FZ_SEG_HARD_MAX) {
            end = cuts[k].off;          /* one long sentence, kept whole */
            end_cp = cuts[k].cp;
        } else if (n_cp - start_cp <= FZ_SEG_HARD_MAX) {
            break;                      /* the rest is one long sentence */
        } else {
            /* No sentence end for FZ_SEG_HARD_MAX code points: cut at the
             * last comma or space before max_cp, else at max_cp. */
            size_t j = start, jcp = start_cp, soft = 0, soft_cp = 0;
            while (j < len && jcp - start_cp < max_cp) {
                uint32_t c = fz_utf8_next(s, len, &j, NULL);
                jcp++;
                if (is_soft_break(c)) {
                    soft = j;
                    soft_cp = jcp;
                }
            }
            end = soft ? soft : j;
            end_cp = soft ? soft_cp : jcp;
        }
        rc = add_piece(out, cap, s + start, end - start);
        start = end;
        start_cp = end_cp;
    }
    if (rc == FZ_OK)
        rc = add_piece(out, cap, s + start, len - start);
    free(cuts);
    return rc;
}

/* The section name a heading line gives: the line itself when short, else
 * its first sentence, cut to FZ_SEG_HEADING_MAX code points. */
static char *heading_name(const char *s, size_t len, int *whole)
{
    size_t i = 0, end = len, cp = 0;
    *whole = 1;
    while (i < len) {
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (is_sentence_end(c) || c == 0xFF1A || c == ':') {
            end = at;
            /* a heading ends with its sentence; text after means the line
             * is a paragraph with a run-in heading */
            if (i < len)
                *whole = 0;
            break;
        }
        if (++cp == FZ_SEG_HEADING_MAX) {
            end = i;
            if (i < len)
                *whole = 0;
            break;
        }
    }
    return strndup(s, end);
}

/* The run of front (or signature) lines from *k on, as passages of lines
 * joined by a space, each up to max_cp code points (a longer line is
 * split as a body line is); *k is left on the run's last line. */
static int add_matter(const struct fz_cleaned *c, size_t *k, size_t max_cp,
                      struct fz_passages *out, size_t *cap)
{
    enum fz_line_kind kind = c->lines[*k].kind;
    struct fz_buf b = FZ_BUF_INIT;
    size_t first = out->n, b_cp = 0;
    unsigned page = c->lines[*k].page;
    int rc = FZ_OK;
    for (size_t j = *k; rc == FZ_OK; j++) {
        int more = j < c->n_lines && c->lines[j].kind == kind;
        const char *s = more ? c->text.data + c->lines[j].off : NULL;
        size_t len = more ? c->lines[j].len : 0;
        size_t cp = more ? fz_utf8_count(s, len) : 0;
        if (b.len && (!more || b_cp + 1 + cp > max_cp)) {
            size_t at = out->n;
            rc = split_line(out, cap, b.data, b.len, max_cp);
            for (size_t m = at; m < out->n; m++)
                out->v[m].page = page;
            fz_buf_reset(&b);
            b_cp = 0;
        }
        if (!more || rc != FZ_OK)
            break;
        if (b.len == 0)
            page = c->lines[j].page;
        if ((b.len && (rc = fz_buf_appendc(&b, ' ')) != FZ_OK)
            || (rc = fz_buf_append(&b, s, len)) != FZ_OK)
            break;
        b_cp += (b_cp ? 1 : 0) + cp;
        *k = j;
    }
    for (size_t m = first; rc == FZ_OK && m < out->n; m++) {
        out->v[m].kind = kind == FZ_LINE_FRONT ? FZ_PASSAGE_FRONT
                                               : FZ_PASSAGE_SIGNATURE;
        if ((out->v[m].section = calloc(1, sizeof *out->v[m].section))
            == NULL)
            rc = FZ_ENOMEM;
    }
    fz_buf_release(&b);
    return rc;
}

int fz_seg_run(const struct fz_cleaned *c, size_t max_cp,
               struct fz_passages *out, char **errptr)
{
    char *stack[4] = { NULL, NULL, NULL, NULL };
    size_t cap = 0;
    int rc = FZ_OK;
    if (max_cp == 0)
        max_cp = FZ_SEG_MAX_CP;
    memset(out, 0, sizeof *out);
    for (size_t k = 0; rc == FZ_OK && k < c->n_lines; k++) {
        enum fz_line_kind kind = c->lines[k].kind;
        if (kind == FZ_LINE_FRONT || kind == FZ_LINE_SIGNATURE) {
            rc = add_matter(c, &k, max_cp, out, &cap);
            continue;
        }
        if (kind != FZ_LINE_BODY)
            continue;
        const char *s = c->text.data + c->lines[k].off;
        size_t len = c->lines[k].len;
        int level = fz_heading_level(s, len, NULL), whole = 0;
        if (level == 0)
            level = c->lines[k].level;
        if (level > 0) {
            char *name = heading_name(s, len, &whole);
            if (name == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            for (int l = level - 1; l < 4; l++) {
                free(stack[l]);
                stack[l] = NULL;
            }
            stack[level - 1] = name;
        }
        size_t first = out->n;
        rc = split_line(out, &cap, s, len, max_cp);
        for (size_t m = first; rc == FZ_OK && m < out->n; m++) {
            struct fz_passage *p = &out->v[m];
            p->heading = level > 0 && whole;
            p->page = c->lines[k].page;
            size_t depth = 0;
            for (int l = 0; l < 4; l++)
                depth += stack[l] != NULL;
            p->section = calloc(depth ? depth : 1, sizeof *p->section);
            if (p->section == NULL) {
                rc = FZ_ENOMEM;
                break;
            }
            for (int l = 0; l < 4; l++) {
                if (stack[l] == NULL)
                    continue;
                char *dup = strdup(stack[l]);
                if (dup == NULL) {
                    rc = FZ_ENOMEM;
                    break;
                }
                p->section[p->n_section++] = dup;
            }
        }
    }
    for (int l = 0; l < 4; l++)
        free(stack[l]);
    if (rc != FZ_OK) {
        fz_set_error(errptr, "out of memory splitting passages");
        fz_passages_release(out);
    }
    return rc;
}

void fz_passages_release(struct fz_passages *ps)
{
    if (ps == NULL)
        return;
    for (size_t i = 0; i < ps->n; i++) {
        for (size_t k = 0; k < ps->v[i].n_section; k++)
            free(ps->v[i].section[k]);
        free(ps->v[i].section);
        free(ps->v[i].text);
    }
    free(ps->v);
    ps->v = NULL;
    ps->n = 0;
}
