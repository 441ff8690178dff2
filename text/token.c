#include "text/token.h"
#include "base/utf8.h"

enum cls { C_BREAK, C_HAN, C_DIGIT, C_LETTER };

static enum cls classify(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    if (fz_is_han(c))
        return C_HAN;
    if (fz_is_wordchar(c)) {
        /* other scripts' digits (٣, ३) are word characters of their own */
        return C_LETTER;
    }
    return C_BREAK;
}

static size_t cut_word(const char *s, size_t len)
{
    if (len <= FZ_TOKEN_MAX_BYTES)
        return len;
    size_t n = FZ_TOKEN_MAX_BYTES;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

int fz_tokenize(const char *text, size_t len, uint32_t first_pos,
                fz_token_fn fn, void *ctx, uint32_t *next_pos)
{
    size_t i = 0, cp = 0;
    uint32_t pos = first_pos;
    int gap = 0, rc = 0;
    while (i < len && rc == 0) {
        size_t at = i;
        uint32_t c = fz_utf8_next(text, len, &i, NULL);
        enum cls k = classify(c);
        if (k == C_BREAK) {
            cp++;
            gap = 1;
            continue;
        }
        if (gap && pos > first_pos)
            pos++;              /* one empty position: no phrase across */
        gap = 0;
        if (k == C_HAN) {
            /* its length first: every token of the run carries it */
            int run = 1;
            for (size_t e = i, f = i; e < len; e = f, run++)
                if (classify(fz_utf8_next(text, len, &f, NULL)) != C_HAN)
                    break;
            /* the run: at (cp) ... ; emit bigram (prev, cur) as we go */
            size_t prev_at = at, prev_cp = cp, j = i;
            cp++;
            while (j < len && rc == 0) {
                size_t cur_at = j;
                uint32_t d = fz_utf8_next(text, len, &j, NULL);
                if (classify(d) != C_HAN) {
                    j = cur_at;
                    break;
                }
                struct fz_token t = {
                    text + prev_at, j - prev_at, pos++, prev_cp, cp + 1,
                    FZ_TOK_BIGRAM, run,
                };
                rc = fn(ctx, &t);
                prev_at = cur_at;
                prev_cp = cp;
                cp++;
            }
            if (rc == 0) {
                struct fz_token t = {
                    text + prev_at, j - prev_at, pos++, prev_cp, prev_cp + 1,
                    FZ_TOK_UNIGRAM, run,
                };
                rc = fn(ctx, &t);
            }
            i = j;
            continue;
        }
        /* a word: letters, or digits with inner decimal points */
        size_t j = i, end = i, start_cp = cp;
        cp++;
        while (j < len) {
            uint32_t d = fz_utf8_next(text, len, &j, NULL);
            if (classify(d) == k) {
                end = j;
                cp++;
                continue;
            }
            if (k == C_DIGIT && d == '.' && j < len
                && text[j] >= '0' && text[j] <= '9') {
                end = j;
                cp++;
                continue;
            }
            break;
        }
        struct fz_token t = {
            text + at, cut_word(text + at, end - at), pos++, start_cp, cp,
            FZ_TOK_WORD, 1,
        };
        rc = fn(ctx, &t);
        i = end;
    }
    if (next_pos)
        *next_pos = pos + 1;
    return rc;
}
