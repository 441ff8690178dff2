/* text/token.h - the one tokenizer for documents and queries.
 *
 * Promise: over folded text (see normalize.h), a Han run c1 c2 ... cn
 *          gives the bigrams c1c2, c2c3, ..., c(n-1)cn at consecutive
 *          positions and then the unigram cn (a one-character run gives
 *          just that unigram), so every Han character starts exactly one
 *          term at its own position: a character query finds all its
 *          occurrences as "the unigram or any bigram starting with it".
 *          Runs of letters (any script but Han) and runs of digits are
 *          word terms, already lowercase; a digit run keeps an inner
 *          decimal point (6.0, 134.9).  Positions run on across a change
 *          of script inside unbroken text (2023年度 → 2023@0 年度@1 度@2);
 *          white space and punctuation end a run and skip one position, so
 *          no phrase matches across them.  Words longer than
 *          FZ_TOKEN_MAX_BYTES are cut to that many bytes, at a character
 *          boundary, in documents and queries alike.
 * Threads: no state. */
#ifndef FZ_TOKEN_H
#define FZ_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define FZ_TOKEN_MAX_BYTES 64

enum fz_token_kind {
    FZ_TOK_WORD,        /* letters or digits: "2023", "ai", "g" */
    FZ_TOK_BIGRAM,      /* two Han characters */
    FZ_TOK_UNIGRAM,     /* the last Han character of a run */
};

struct fz_token {
    const char *term;   /* points into the text; not NUL-terminated */
    size_t len;         /* bytes of term */
    uint32_t pos;       /* term position */
    size_t cp_start;    /* code points into the text: [cp_start, cp_end) */
    size_t cp_end;      /* covers both characters of a bigram */
    enum fz_token_kind kind;
    int run_len;        /* Han run length, in characters (1 for words) */
};

/* Called for each token in order; a non-zero return stops tokenizing and
 * is returned by fz_tokenize. */
typedef int (*fz_token_fn)(void *ctx, const struct fz_token *t);

/* Tokenize text[0,len) (valid UTF-8, folded), positions starting at
 * first_pos.  Returns 0, or the callback's non-zero value.  *next_pos (if
 * not NULL) receives the position after the last token plus the gap, for
 * continuing into more text of the same document. */
int fz_tokenize(const char *text, size_t len, uint32_t first_pos,
                fz_token_fn fn, void *ctx, uint32_t *next_pos);

#endif
