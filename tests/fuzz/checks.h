/* tests/fuzz/checks.h - the promises of segment.h, meta.h and region.h,
 * checked on what the pipeline made of a fuzz input: shared by
 * fuzz_segment_meta.c and fuzz_jsonl_record.c. */
#ifndef FZ_FUZZ_CHECKS_H
#define FZ_FUZZ_CHECKS_H

#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "text/clean.h"
#include "base/fz.h"
#include "meta/meta.h"
#include "text/normalize.h"
#include "meta/region.h"
#include "text/segment.h"

/* A string a report hands out: NULL, or non-empty valid UTF-8. */
static inline void fuzz_check_str(const char *s)
{
    FUZZ_CHECK(s == NULL || (s[0] != '\0' && fuzz_utf8_ok(s, strlen(s))));
}

/* region.h: an empty region, or a real entry of the table, given by its
 * code, with its chain of official names from the province down. */
static inline void fuzz_check_region(const struct fz_regions *regions,
                                     const struct fz_region *r)
{
    size_t cl = strnlen(r->code, sizeof r->code);
    FUZZ_CHECK(cl < sizeof r->code);
    FUZZ_CHECK(r->depth <= 4);
    for (size_t k = 0; k < 4; k++) {
        if (k < r->depth)
            fuzz_check_str(r->chain[k]);
        FUZZ_CHECK((k < r->depth) == (r->chain[k] != NULL));
    }
    if (cl == 0) {
        FUZZ_CHECK(r->depth == 0 && r->kind == FZ_REGION_NONE);
        return;
    }
    static const size_t len_of[] = { 0, 2, 4, 6, 9 };
    FUZZ_CHECK(r->kind >= FZ_REGION_PROVINCE && r->kind <= FZ_REGION_TOWNSHIP);
    FUZZ_CHECK(cl == len_of[r->kind]);
    for (size_t k = 0; k < cl; k++)
        FUZZ_CHECK(r->code[k] >= '0' && r->code[k] <= '9');
    FUZZ_CHECK(r->depth >= 1);
    struct fz_region again;
    FUZZ_CHECK(fz_regions_from_code(regions, r->code, &again, NULL) == FZ_OK);
    FUZZ_CHECK(again.depth == r->depth && again.kind == r->kind);
    for (size_t k = 0; k < r->depth; k++)
        FUZZ_CHECK(strcmp(again.chain[k], r->chain[k]) == 0);
}

/* meta.h: unknown values are NULL, 0 or FZ_LEVEL_UNKNOWN; a date is
 * YYYY-MM-DD. */
static inline void fuzz_check_meta(const struct fz_regions *regions,
                                   const struct fz_meta *m)
{
    fuzz_check_str(m->title);
    fuzz_check_str(m->issuer);
    fuzz_check_str(m->source);
    fuzz_check_str(m->url);
    size_t dl = strnlen(m->date, sizeof m->date);
    FUZZ_CHECK(dl == 0 || dl == 10);
    if (dl == 10) {
        for (size_t k = 0; k < 10; k++)
            FUZZ_CHECK(k == 4 || k == 7 ? m->date[k] == '-'
                       : m->date[k] >= '0' && m->date[k] <= '9');
        int mon = atoi(m->date + 5), day = atoi(m->date + 8);
        FUZZ_CHECK(mon >= 1 && mon <= 12 && day >= 1 && day <= 31);
    }
    FUZZ_CHECK(m->year >= 0 && m->year <= 9999);
    FUZZ_CHECK(m->level >= FZ_LEVEL_UNKNOWN && m->level <= FZ_LEVEL_DEPARTMENT);
    fuzz_check_region(regions, &m->region);
}

/* segment.h's sentence ends, the closing marks that stay with a sentence
 * (。” ends after the quote), and the numerals of 一是, 二是 ... */
static inline int fuzz_sentence_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1B || c == ';' || c == 0xFF01
        || c == 0xFF1F || c == '!' || c == '?';
}

static inline int fuzz_closer(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F
        || c == 0xFF09 || c == ')' || c == 0x300B;
}

static inline int fuzz_cn_numeral(uint32_t c)
{
    static const char numerals[] = "一二三四五六七八九十百零〇两";
    for (size_t i = 0; i < sizeof numerals - 1;) {
        uint32_t n = 0;
        i += fuzz_utf8_seq((const unsigned char *)numerals + i,
                           sizeof numerals - 1 - i, &n);
        if (n == c)
            return 1;
    }
    return 0;
}

/* A line cut into passages is cut only after a sentence end (and its
 * closing marks), before an enumeration (一是, 二是 ...), or inside a
 * sentence longer than FZ_SEG_HARD_MAX code points.  cps[0,n) is the
 * line; the piece before the cut ends at code point end, the next one
 * starts at next. */
static inline void fuzz_check_cut(const uint32_t *cps, size_t n, size_t end,
                                  size_t next)
{
    size_t i = end;
    while (i > 0 && fuzz_closer(cps[i - 1]))
        i--;
    if (i > 0 && fuzz_sentence_end(cps[i - 1]))
        return;
    if (next + 1 < n && fuzz_cn_numeral(cps[next]) && cps[next + 1] == 0x662F)
        return;                                         /* 是 */
    /* the sentence around the cut: from the sentence end before it (and
     * its closers) to the one after it */
    size_t from = 0, to = n;
    for (size_t k = 0; k < n; k++) {
        if (!fuzz_sentence_end(cps[k]))
            continue;
        size_t b = k + 1;
        while (b < n && fuzz_closer(cps[b]))
            b++;
        if (b <= end)
            from = b;
        else if (to == n)
            to = b;
        k = b - 1;
    }
    FUZZ_CHECK(to - from > FZ_SEG_HARD_MAX);
}

/* segment.h: passages in order, numbered from 1, each non-empty valid
 * UTF-8 without the spaces a cut leaves, at most FZ_SEG_HARD_MAX code
 * points (when max_cp is below it), with at most four headings in force,
 * each at most FZ_SEG_HEADING_MAX code points.  With c: the passages are
 * the body lines of c, in order, each line cut into one or more of them
 * (less the spaces at the cuts) at the places fuzz_check_cut() allows, a
 * heading line's own name last in its section path; and each run of
 * front or signature lines, joined by spaces, cut into passages of its
 * kind with no section. */
static inline void fuzz_check_passages(const struct fz_cleaned *c,
                                       const struct fz_passages *ps,
                                       size_t max_cp)
{
    FUZZ_CHECK(ps->n == 0 || ps->v != NULL);
    for (size_t i = 0; i < ps->n; i++) {
        const struct fz_passage *p = &ps->v[i];
        FUZZ_CHECK(p->ordinal == i + 1);
        FUZZ_CHECK(p->text != NULL && p->len > 0 && strlen(p->text) == p->len);
        FUZZ_CHECK(fuzz_utf8_ok(p->text, p->len));
        FUZZ_CHECK(p->text[0] != ' ' && p->text[p->len - 1] != ' ');
        if (max_cp <= FZ_SEG_HARD_MAX)
            FUZZ_CHECK(fuzz_utf8_cps(p->text, p->len) <= FZ_SEG_HARD_MAX);
        FUZZ_CHECK(p->n_section <= 4);
        FUZZ_CHECK(p->n_section == 0 || p->section != NULL);
        for (size_t k = 0; k < p->n_section; k++) {
            fuzz_check_str(p->section[k]);
            FUZZ_CHECK(p->section[k] != NULL);
            FUZZ_CHECK(fuzz_utf8_cps(p->section[k], strlen(p->section[k]))
                       <= FZ_SEG_HEADING_MAX);
        }
        FUZZ_CHECK(p->heading == 0 || p->heading == 1);
    }
    if (c == NULL)
        return;
    size_t pi = 0;
    for (size_t k = 0; k < c->n_lines; k++) {
        enum fz_line_kind kind = c->lines[k].kind;
        if (kind == FZ_LINE_FRONT || kind == FZ_LINE_SIGNATURE) {
            /* a run of them: its lines joined by a space, cut into
             * passages of that kind with no section */
            size_t j = k, all = 0, pos = 0;
            while (j < c->n_lines && c->lines[j].kind == kind)
                all += c->lines[j++].len + 1;
            char *run = malloc(all), *w = run;
            FUZZ_CHECK(run != NULL);
            for (size_t m = k; m < j; m++) {
                if (w != run)
                    *w++ = ' ';
                memcpy(w, c->text.data + c->lines[m].off, c->lines[m].len);
                w += c->lines[m].len;
            }
            size_t len = (size_t)(w - run);
            do {
                FUZZ_CHECK(pi < ps->n);
                const struct fz_passage *p = &ps->v[pi++];
                FUZZ_CHECK(p->kind == (kind == FZ_LINE_FRONT
                                       ? FZ_PASSAGE_FRONT
                                       : FZ_PASSAGE_SIGNATURE));
                FUZZ_CHECK(p->n_section == 0 && !p->heading);
                while (pos < len && run[pos] == ' ')
                    pos++;
                FUZZ_CHECK(pos + p->len <= len);
                FUZZ_CHECK(memcmp(run + pos, p->text, p->len) == 0);
                pos += p->len;
                while (pos < len && run[pos] == ' ')
                    pos++;
            } while (pos < len);
            free(run);
            k = j - 1;
            continue;
        }
        if (kind != FZ_LINE_BODY)
            continue;
        const char *s = c->text.data + c->lines[k].off;
        size_t len = c->lines[k].len, pos = 0, n = 0;
        int level = fz_heading_level(s, len, NULL);
        uint32_t *cps = malloc((len + 1) * sizeof *cps);
        FUZZ_CHECK(cps != NULL);
        for (size_t i = 0; i < len;) {
            size_t m = fuzz_utf8_seq((const unsigned char *)s + i, len - i,
                                     &cps[n++]);
            FUZZ_CHECK(m > 0);
            i += m;
        }
        do {
            FUZZ_CHECK(pi < ps->n);
            const struct fz_passage *p = &ps->v[pi++];
            FUZZ_CHECK(p->kind == FZ_PASSAGE_BODY);
            while (pos < len && s[pos] == ' ')
                pos++;
            FUZZ_CHECK(pos + p->len <= len);
            FUZZ_CHECK(memcmp(s + pos, p->text, p->len) == 0);
            pos += p->len;
            size_t end = fuzz_utf8_cps(s, pos);
            while (pos < len && s[pos] == ' ')
                pos++;
            if (pos < len)
                fuzz_check_cut(cps, n, end, fuzz_utf8_cps(s, pos));
            FUZZ_CHECK(!p->heading || level > 0);
            if (level > 0) {
                FUZZ_CHECK(p->n_section > 0);
                const char *own = p->section[p->n_section - 1];
                FUZZ_CHECK(strlen(own) <= len
                           && memcmp(own, s, strlen(own)) == 0);
            }
        } while (pos < len);
        free(cps);
    }
    FUZZ_CHECK(pi == ps->n);
}

#endif
