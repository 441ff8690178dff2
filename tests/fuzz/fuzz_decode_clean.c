/* tests/fuzz/fuzz_decode_clean.c - any bytes through fz_decode_to_utf8()
 * and fz_clean_run(), as fzindex reads a .txt file.
 *
 * decode.h: FZ_OK or FZ_EINVAL (binary, with a message), never anything
 * else at these sizes; the output is well-formed UTF-8 without NUL; one
 * U+FFFD per replaced byte, counted, the first offsets kept in order and
 * inside the input; valid UTF-8 input comes out as it went in (less its
 * BOM), and GB18030 or UTF-16 with nothing replaced encodes back to it.  clean.h: the text is the lines, each ended by '\n', trimmed,
 * its white space runs folded to one space, each line classified; at
 * most one title; fz_clean_pinyin() keeps the text valid. */
#include <iconv.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "base/buf.h"
#include "text/clean.h"
#include "text/decode.h"
#include "base/fz.h"

/* out encoded back into enc with iconv equals in[0,len): GB18030 and
 * UTF-16 encode all of Unicode one to one, so a decoding with nothing
 * replaced is exactly undone. */
static void check_round_trip(const char *enc, const struct fz_buf *out,
                             const uint8_t *in, size_t len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    FUZZ_CHECK(cd != (iconv_t)-1);
    size_t cap = out->len * 4 + 4, oleft = cap, ileft = out->len;
    char *buf = malloc(cap), *op = buf, *ip = out->data;
    FUZZ_CHECK(buf != NULL);
    FUZZ_CHECK(ileft == 0 || iconv(cd, &ip, &ileft, &op, &oleft) == 0);
    FUZZ_CHECK(cap - oleft == len && memcmp(buf, in, len) == 0);
    free(buf);
    iconv_close(cd);
}

static void check_decoded(const uint8_t *data, size_t size, int rc,
                          const struct fz_buf *out,
                          const struct fz_decoded *info, const char *err)
{
    if (rc != FZ_OK) {
        FUZZ_CHECK(rc == FZ_EINVAL);
        fuzz_check_message(err);
        return;
    }
    FUZZ_CHECK(err == NULL);
    FUZZ_CHECK(fuzz_utf8_ok(out->data, out->len));
    FUZZ_CHECK(out->len == 0 || memchr(out->data, '\0', out->len) == NULL);
    FUZZ_CHECK(out->len == 0 || out->data[out->len] == '\0');
    FUZZ_CHECK(info->encoding != NULL);
    int utf8 = strcmp(info->encoding, "UTF-8") == 0;
    FUZZ_CHECK(utf8 || strcmp(info->encoding, "UTF-16LE") == 0
               || strcmp(info->encoding, "UTF-16BE") == 0
               || strcmp(info->encoding, "GB18030") == 0);
    FUZZ_CHECK(info->n_nul <= info->n_invalid);
    size_t want_off = info->n_invalid < FZ_DECODE_MAX_OFFSETS
                      ? info->n_invalid : FZ_DECODE_MAX_OFFSETS;
    FUZZ_CHECK(info->n_offsets == want_off);
    for (size_t k = 0; k < info->n_offsets; k++) {
        FUZZ_CHECK(info->offsets[k] < size);
        FUZZ_CHECK(k == 0 || info->offsets[k - 1] < info->offsets[k]);
    }
    /* each replaced byte is a U+FFFD in the output (the input may hold
     * some of its own) */
    size_t fffd = 0;
    for (size_t i = 0; i + 3 <= out->len; i++)
        fffd += memcmp(out->data + i, "\xEF\xBF\xBD", 3) == 0;
    FUZZ_CHECK(fffd >= info->n_invalid);
    if (info->n_nul > 0)
        FUZZ_CHECK(memchr(data, '\0', size) != NULL);
    char *desc = fz_decoded_describe(info);
    FUZZ_CHECK((desc != NULL) == (info->n_invalid > 0));
    if (desc)
        fuzz_check_message(desc);
    free(desc);
    /* valid UTF-8 without NUL is passed through untouched */
    size_t bom = info->had_bom && utf8 ? 3 : 0;
    if (utf8 && info->n_invalid == 0)
        FUZZ_CHECK(out->len == size - bom
                   && (size == bom
                       || memcmp(out->data, data + bom, out->len) == 0));
    if (utf8 && bom)
        FUZZ_CHECK(size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0);
    if (!utf8 && info->n_invalid == 0)
        check_round_trip(info->encoding, out, data + (info->had_bom ? 2 : 0),
                         size - (info->had_bom ? 2 : 0));
}

/* White space (Unicode's Zs, and the line and paragraph separators) and
 * control characters (C0, DEL, C1): what clean.h's trimming and folding
 * leave only as single inner spaces.  Listed here from the Unicode
 * tables, not taken from base/utf8.c. */
static int is_space_cp(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x3000 || c == ' ';
}

static void check_cleaned(const struct fz_cleaned *c, const char *err)
{
    FUZZ_CHECK(err == NULL);
    const char *t = c->text.data;
    size_t tl = c->text.len, end = 0, titles = 0;
    FUZZ_CHECK(fuzz_utf8_ok(t, tl));
    FUZZ_CHECK((c->n_lines == 0) == (tl == 0));
    for (size_t k = 0; k < c->n_lines; k++) {
        const struct fz_line *l = &c->lines[k];
        /* the text is exactly the lines, each ended by '\n' */
        FUZZ_CHECK(l->off == end);
        FUZZ_CHECK(l->len > 0 && l->off + l->len < tl);
        FUZZ_CHECK(t[l->off + l->len] == '\n');
        end = l->off + l->len + 1;
        const char *s = t + l->off;
        FUZZ_CHECK(memchr(s, '\n', l->len) == NULL);
        FUZZ_CHECK(memchr(s, '\r', l->len) == NULL);
        FUZZ_CHECK(fuzz_utf8_ok(s, l->len));
        /* trimmed, white space folded to single spaces */
        uint32_t cp, prev = 0;
        size_t i = 0;
        while (i < l->len) {
            size_t n = fuzz_utf8_seq((const unsigned char *)s + i,
                                     l->len - i, &cp);
            FUZZ_CHECK(n > 0);
            FUZZ_CHECK(cp == ' ' || !is_space_cp(cp));
            FUZZ_CHECK(!(cp == ' ' && (i == 0 || prev == ' ')));
            prev = cp;
            i += n;
        }
        FUZZ_CHECK(prev != ' ');
        FUZZ_CHECK(l->kind >= FZ_LINE_BOILER && l->kind <= FZ_LINE_SIGNATURE);
        titles += l->kind == FZ_LINE_TITLE;
    }
    FUZZ_CHECK(end == tl);
    FUZZ_CHECK(titles <= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_buf out = FZ_BUF_INIT, py = FZ_BUF_INIT;
    struct fz_decoded info;
    struct fz_cleaned cl;
    char *err = NULL;
    int rc = fz_decode_to_utf8((const char *)data, size, &out, &info, &err);
    check_decoded(data, size, rc, &out, &info, err);
    free(err);
    err = NULL;
    if (rc != FZ_OK)
        goto out;

    long n = fz_clean_pinyin(fz_buf_cstr(&out), out.len, &py);
    FUZZ_CHECK(n >= 0);
    FUZZ_CHECK(fuzz_utf8_ok(py.data, py.len));
    FUZZ_CHECK(py.len <= out.len && (n == 0) == (py.len == out.len));

    rc = fz_clean_run(fz_buf_cstr(&out), out.len, &cl, &err);
    FUZZ_CHECK(rc == FZ_OK);
    FUZZ_CHECK(cl.n_pinyin == (size_t)n);
    check_cleaned(&cl, err);
    fz_cleaned_release(&cl);
out:
    free(err);
    fz_buf_release(&py);
    fz_buf_release(&out);
    return 0;
}
