/* tests/fuzz/fuzz_tokenize.c - valid UTF-8, as it is and folded, through
 * fz_tokenize().
 *
 * token.h: every term is valid UTF-8, non-empty, at most
 * FZ_TOKEN_MAX_BYTES, and points into the text at its cp_start; code
 * point spans lie inside the text and never go back; positions strictly
 * increase from first_pos; a bigram is two Han characters, a unigram
 * one, the last of its run, and every Han character starts exactly one
 * term; a word is letters or digits (with inner decimal points), whole
 * unless cut to FZ_TOKEN_MAX_BYTES at a character boundary, lowercase in
 * folded text; *next_pos is past the last position; a callback's
 * non-zero return stops tokenizing and is returned. */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "base/fz.h"
#include "text/normalize.h"
#include "text/token.h"
#include "base/utf8.h"

static struct fz_norm *norm;

struct state {
    const char *text;
    size_t len, n_cp;
    uint32_t first_pos;
    int folded;
    size_t n, stop_after;
    int have_prev;
    struct fz_token prev;
    size_t han_starts;      /* Han terms (bigrams and unigrams) */
};

/* The code point at code point index k of the valid UTF-8 s, and its
 * byte offset in *off. */
static uint32_t cp_at(const char *s, size_t len, size_t k, size_t *off)
{
    uint32_t cp = 0;
    *off = fuzz_utf8_bytes(s, len, k);
    fuzz_utf8_seq((const unsigned char *)s + *off, len - *off, &cp);
    return cp;
}

static int check_token(void *ctx, const struct fz_token *t)
{
    struct state *st = ctx;
    FUZZ_CHECK(t->len > 0 && t->len <= FZ_TOKEN_MAX_BYTES);
    FUZZ_CHECK(t->term >= st->text && t->term + t->len <= st->text + st->len);
    FUZZ_CHECK(fuzz_utf8_ok(t->term, t->len));
    FUZZ_CHECK(t->cp_start < t->cp_end && t->cp_end <= st->n_cp);
    size_t off;
    cp_at(st->text, st->len, t->cp_start, &off);
    FUZZ_CHECK(st->text + off == t->term);
    FUZZ_CHECK(t->pos >= st->first_pos);
    if (st->have_prev) {
        FUZZ_CHECK(t->pos > st->prev.pos);
        FUZZ_CHECK(t->cp_start >= st->prev.cp_start);
    }
    size_t ncp = fuzz_utf8_cps(t->term, t->len);
    switch (t->kind) {
    case FZ_TOK_BIGRAM:
    case FZ_TOK_UNIGRAM: {
        size_t want = t->kind == FZ_TOK_BIGRAM ? 2 : 1;
        FUZZ_CHECK(ncp == want && t->cp_end - t->cp_start == want);
        FUZZ_CHECK(t->run_len >= (int)want);
        for (size_t i = 0; i < t->len;) {
            uint32_t cp = 0;
            i += fuzz_utf8_seq((const unsigned char *)t->term + i,
                               t->len - i, &cp);
            FUZZ_CHECK(fz_is_han(cp));
        }
        /* a unigram ends its run: no Han character follows */
        if (t->kind == FZ_TOK_UNIGRAM && t->cp_end < st->n_cp)
            FUZZ_CHECK(!fz_is_han(cp_at(st->text, st->len, t->cp_end,
                                        &off)));
        if (t->kind == FZ_TOK_BIGRAM && st->have_prev
            && st->prev.kind == FZ_TOK_BIGRAM
            && st->prev.cp_start + 1 == t->cp_start)
            FUZZ_CHECK(t->pos == st->prev.pos + 1);
        st->han_starts++;
        break;
    }
    case FZ_TOK_WORD: {
        FUZZ_CHECK(t->run_len == 1);
        /* the word's text, of which the term is all or a cut prefix */
        size_t wend = fuzz_utf8_bytes(st->text, st->len, t->cp_end);
        size_t wlen = st->text + wend - t->term;
        FUZZ_CHECK(t->len <= wlen);
        if (wlen <= FZ_TOKEN_MAX_BYTES)
            FUZZ_CHECK(t->len == wlen);
        else
            FUZZ_CHECK(t->len + 4 > FZ_TOKEN_MAX_BYTES);
        int digits = -1;
        for (size_t i = 0; i < wlen;) {
            uint32_t cp = 0;
            i += fuzz_utf8_seq((const unsigned char *)t->term + i,
                               wlen - i, &cp);
            FUZZ_CHECK(!fz_is_han(cp));
            if (cp == '.') {
                FUZZ_CHECK(digits == 1 && i < wlen);
                continue;
            }
            int d = cp >= '0' && cp <= '9';
            FUZZ_CHECK(d || fz_is_wordchar(cp));
            FUZZ_CHECK(digits < 0 || digits == d);
            digits = d;
            if (st->folded)
                FUZZ_CHECK(!(cp >= 'A' && cp <= 'Z'));
        }
        FUZZ_CHECK(digits >= 0);
        break;
    }
    default:
        FUZZ_CHECK(!"a token of no kind");
    }
    st->prev = *t;
    st->have_prev = 1;
    st->n++;
    return st->n == st->stop_after ? 42 : 0;
}

static void run(const char *text, size_t len, uint32_t first_pos,
                int folded)
{
    struct state st = { text, len, fuzz_utf8_cps(text, len), first_pos,
                        folded, 0, 0, 0, { 0 }, 0 };
    uint32_t next = 0;
    int rc = fz_tokenize(text, len, first_pos, check_token, &st, &next);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(st.have_prev ? next > st.prev.pos : next >= first_pos);
    /* every Han character starts exactly one term */
    size_t han = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        i += fuzz_utf8_seq((const unsigned char *)text + i, len - i, &cp);
        han += fz_is_han(cp);
    }
    FUZZ_CHECK(han == st.han_starts);
    if (st.n == 0)
        return;
    /* stopped after half the tokens: the callback's value comes back */
    size_t total = st.n;
    struct state st2 = { text, len, st.n_cp, first_pos, folded, 0,
                         total / 2 + 1, 0, { 0 }, 0 };
    rc = fz_tokenize(text, len, first_pos, check_token, &st2, NULL);
    FUZZ_CHECK(rc == 42 && st2.n == total / 2 + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* the first byte picks the first position */
    uint32_t first_pos = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (!fuzz_utf8_ok(text, len))
        return 0;
    char *err = NULL;
    if (norm == NULL && (norm = fz_norm_open(&err)) == NULL) {
        fprintf(stderr, "fz_norm_open: %s\n", err);
        abort();
    }
    run(text, len, first_pos, 0);
    struct fz_normed nd = FZ_NORMED_INIT;
    FUZZ_CHECK(fz_norm_run(norm, text, len, &nd, NULL) == FZ_OK);
    run(nd.text.data, nd.text.len, first_pos, 1);
    fz_normed_release(&nd);
    return 0;
}
