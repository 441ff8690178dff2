/* text/decode: bytes of any file in, valid UTF-8 with no NUL out.
 *
 * Expected outputs, counts and offsets are worked by hand from the bytes
 * (UTF-8 per RFC 3629 / Unicode Table 3-7, one U+FFFD per offending byte
 * as decode.h promises); GBK and GB18030 bytes were made with glibc's
 * `iconv -f UTF-8 -t GBK` / `-t GB18030`.  The random-input loop checks
 * the UTF-8 path against ref_utf8() below, an independent decoder written
 * from Table 3-7, and every path against the promises in decode.h. */
#include "tests/testutil.h"

#include "text/decode.h"
#include "base/fz.h"
#include "base/utf8.h"

#define FFFD "\xEF\xBF\xBD"
/* 40 Han characters, 120 bytes of valid UTF-8: enough good multi-byte
 * sequences that a few broken bytes after it do not make the detector
 * (UTF-8 unless more than 1 in 10 sequences is broken) pick GB18030 */
#define HAN10 "法治政府建设年度报告"
#define HAN40 HAN10 HAN10 HAN10 HAN10

struct dcase {
    const char *name;
    const char *in;
    size_t len;                 /* 0: strlen(in) */
    const char *want;           /* expected UTF-8 output */
    const char *enc;
    int had_bom;
    size_t n_invalid, n_nul;
    size_t offsets[FZ_DECODE_MAX_OFFSETS]; /* the first min(n_invalid, 8) */
};

#define LEN(s) (sizeof(s) - 1)

static const struct dcase cases[] = {
    /* 1 */ { "utf8 plain", "法治ABC\n", 0, "法治ABC\n", "UTF-8", 0, 0, 0,
              { 0 } },
    /* 2 */ { "utf8 bom", "\xEF\xBB\xBF法治", 0, "法治", "UTF-8", 1, 0, 0,
              { 0 } },
    /* 3: B7A8 D6CE D5FE B8AE is 法治政府 in GBK (iconv -t GBK) */
            { "gbk only", "\xB7\xA8\xD6\xCE\xD5\xFE\xB8\xAE", 0, "法治政府",
              "GB18030", 0, 0, 0, { 0 } },
    /* 4: 0x80 is not a GB18030 byte (iconv: illegal input): at 8 */
            { "gbk bad byte", "\xB7\xA8\xD6\xCE\xD5\xFE\xB8\xAE\x80\xB7\xA8",
              0, "法治政府" FFFD "法", "GB18030", 0, 1, 0, { 8 } },
    /* 5: NUL inside GBK, at byte 4 */
            { "gbk nul", "\xB7\xA8\xD6\xCE\x00\xD5\xFE\xB8\xAE", 9,
              "法治" FFFD "政府", "GB18030", 0, 1, 1, { 4 } },
    /* 6: 20 Han = 60 bytes; FF at 60; 工作 61..66; C3 at 67 not followed
     * by a continuation byte; X at 68.  22 good sequences, 2 bad. */
            { "utf8 damaged", HAN10 HAN10 "\xFF工作\xC3X", 0,
              HAN10 HAN10 FFFD "工作" FFFD "X", "UTF-8", 0, 2, 0,
              { 60, 67 } },
    /* 7: the first two of 法's three bytes (E6 B3 95) at the very end */
            { "utf8 truncated", HAN10 HAN10 "\xE6\xB3", 0,
              HAN10 HAN10 FFFD FFFD, "UTF-8", 0, 2, 0, { 60, 61 } },
    /* 8: overlong '/' in two bytes: C0 is never a UTF-8 byte */
            { "overlong 2", HAN40 "\xC0\xAF!", 0, HAN40 FFFD FFFD "!",
              "UTF-8", 0, 2, 0, { 120, 121 } },
    /* 9: overlong '/' in three bytes: E0 needs A0..BF next */
            { "overlong 3", HAN40 "\xE0\x80\xAF!", 0,
              HAN40 FFFD FFFD FFFD "!", "UTF-8", 0, 3, 0, { 120, 121, 122 } },
    /* 10: the surrogate U+D800 encoded: ED needs 80..9F next */
            { "surrogate", HAN40 "\xED\xA0\x80!", 0,
              HAN40 FFFD FFFD FFFD "!", "UTF-8", 0, 3, 0, { 120, 121, 122 } },
    /* 11: U+110000, past the last code point: F4 needs 80..8F next */
            { "beyond 10FFFF", HAN40 "\xF4\x90\x80\x80!", 0,
              HAN40 FFFD FFFD FFFD FFFD "!", "UTF-8", 0, 4, 0,
              { 120, 121, 122, 123 } },
    /* 12: a NUL byte at 2 */
            { "utf8 nul", "ab\0cd", 5, "ab" FFFD "cd", "UTF-8", 0, 1, 1,
              { 2 } },
    /* 13 */ { "empty", "", 0, "", "UTF-8", 0, 0, 0, { 0 } },
    /* 14: U+6CD5 法, U+6CBB 治, 'A', little-endian after FF FE */
            { "utf16le", "\xFF\xFE\xD5\x6C\xBB\x6C\x41\x00", 8, "法治A",
              "UTF-16LE", 1, 0, 0, { 0 } },
    /* 15 */ { "utf16be", "\xFE\xFF\x6C\xD5\x6C\xBB\x00\x41", 8, "法治A",
              "UTF-16BE", 1, 0, 0, { 0 } },
    /* 16: a lone high surrogate D800 at bytes 2-3, then 'A': both bytes
     * of the bad unit replaced, and 'A' still read as 'A' */
            { "utf16 lone surrogate", "\xFF\xFE\x00\xD8\x41\x00", 6,
              FFFD FFFD "A", "UTF-16LE", 1, 2, 0, { 2, 3 } },
    /* 17: U+0000 at bytes 4-5 */
            { "utf16 nul", "\xFF\xFE\x41\x00\x00\x00\x42\x00", 8,
              "A" FFFD FFFD "B", "UTF-16LE", 1, 2, 2, { 4, 5 } },
    /* 18: an odd byte left at 4 */
            { "utf16 odd end", "\xFF\xFE\x41\x00\x42", 5, "A" FFFD,
              "UTF-16LE", 1, 1, 0, { 4 } },
    /* 19: three NULs, at 120, 122 and 123: too few for a binary file
     * (more than 4, and more than 1 in 100 bytes) */
            { "utf8 three nuls", HAN40 "\0a\0\0", LEN(HAN40) + 4,
              HAN40 FFFD "a" FFFD FFFD, "UTF-8", 0, 3, 3,
              { 120, 122, 123 } },
    /* 20: ten bad bytes: only the first eight offsets are kept */
            { "many bad", HAN40 HAN40 HAN40 "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"
              "\xFF\xFF", 0, HAN40 HAN40 HAN40 FFFD FFFD FFFD FFFD FFFD FFFD
              FFFD FFFD FFFD FFFD, "UTF-8", 0, 10, 0,
              { 360, 361, 362, 363, 364, 365, 366, 367 } },
};

static void check_case(const struct dcase *c)
{
    size_t len = c->len ? c->len : strlen(c->in);
    struct fz_buf out = FZ_BUF_INIT;
    struct fz_decoded info;
    char *err = NULL;
    int rc = fz_decode_to_utf8(c->in, len, &out, &info, &err);
    if (rc != FZ_OK)
        fail_msg("%s: rc %d: %s", c->name, rc, err ? err : "?");
    assert_null(err);
    if (strcmp(fz_buf_cstr(&out), c->want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", c->name, fz_buf_cstr(&out),
                 c->want);
    assert_int_equal(out.len, strlen(c->want));
    assert_non_null(info.encoding);
    if (strcmp(info.encoding, c->enc) != 0)
        fail_msg("%s: encoding %s, want %s", c->name, info.encoding, c->enc);
    size_t n_off = c->n_invalid < FZ_DECODE_MAX_OFFSETS
                   ? c->n_invalid : FZ_DECODE_MAX_OFFSETS;
    if ((size_t)info.had_bom != (size_t)c->had_bom
        || info.n_invalid != c->n_invalid || info.n_nul != c->n_nul
        || info.n_offsets != n_off)
        fail_msg("%s: bom %d invalid %zu nul %zu offsets %zu, want %d %zu "
                 "%zu %zu", c->name, info.had_bom, info.n_invalid,
                 info.n_nul, info.n_offsets, c->had_bom, c->n_invalid,
                 c->n_nul, n_off);
    for (size_t k = 0; k < n_off; k++)
        if (info.offsets[k] != c->offsets[k])
            fail_msg("%s: offsets[%zu] = %zu, want %zu", c->name, k,
                     info.offsets[k], c->offsets[k]);
    assert_true(fz_utf8_valid(out.data, out.len));
    assert_null(memchr(fz_buf_cstr(&out), '\0', out.len));
    fz_buf_release(&out);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* decode appends: what out held stays in front */
static void test_appends(void **state)
{
    (void)state;
    struct fz_buf out = FZ_BUF_INIT;
    struct fz_decoded info;
    assert_int_equal(fz_buf_appends(&out, "前:"), FZ_OK);
    assert_int_equal(fz_decode_to_utf8("\xB7\xA8\xD6\xCE", 4, &out, &info,
                                       NULL), FZ_OK);
    assert_string_equal(fz_buf_cstr(&out), "前:法治");
    assert_int_equal(fz_decode_to_utf8("\xFF\xFE\x41\x00", 4, &out, &info,
                                       NULL), FZ_OK);
    assert_string_equal(fz_buf_cstr(&out), "前:法治A");
    fz_buf_release(&out);
}

/* Ten lines of corpus/001 as UTF-8 and as GB18030 (made with
 * `iconv -f UTF-8 -t GB18030`; they hold 4-byte sequences for U+00A0). */
static void test_gb18030_file(void **state)
{
    (void)state;
    size_t glen, ulen;
    char *gb = test_slurp(TESTDATA("gb18030-sample.txt"), &glen);
    char *u8 = test_slurp(TESTDATA("dec-gb18030-sample.utf8.txt"), &ulen);
    assert_true(glen > 1000);
    assert_true(glen != ulen);
    struct fz_buf out = FZ_BUF_INIT;
    struct fz_decoded info;
    char *err = NULL;
    assert_int_equal(fz_decode_to_utf8(gb, glen, &out, &info, &err), FZ_OK);
    assert_null(err);
    assert_string_equal(info.encoding, "GB18030");
    assert_int_equal(info.had_bom, 0);
    assert_int_equal(info.n_invalid, 0);
    assert_int_equal(out.len, ulen);
    assert_memory_equal(out.data, u8, ulen);

    /* the UTF-8 original is detected as UTF-8 and passes unchanged */
    fz_buf_reset(&out);
    assert_int_equal(fz_decode_to_utf8(u8, ulen, &out, &info, &err), FZ_OK);
    assert_string_equal(info.encoding, "UTF-8");
    assert_int_equal(out.len, ulen);
    assert_memory_equal(out.data, u8, ulen);
    fz_buf_release(&out);
    free(gb);
    free(u8);
}

/* A PNG signature and IHDR length, then zeros: not a report. */
static void test_binary(void **state)
{
    (void)state;
    unsigned char png[256] = {
        0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
        0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R',
    };
    struct fz_buf out = FZ_BUF_INIT;
    struct fz_decoded info;
    char *err = NULL;
    assert_int_equal(fz_decode_to_utf8((const char *)png, sizeof png, &out,
                                       &info, &err), FZ_EINVAL);
    assert_non_null(err);
    assert_true(strlen(err) > 0);
    assert_non_null(strstr(err, "binary"));
    /* a message replaces the one *errptr held */
    assert_int_equal(fz_decode_to_utf8((const char *)png, sizeof png, &out,
                                       &info, &err), FZ_EINVAL);
    assert_non_null(err);
    free(err);
    /* errptr may be NULL */
    assert_int_equal(fz_decode_to_utf8((const char *)png, sizeof png, &out,
                                       &info, NULL), FZ_EINVAL);
    fz_buf_release(&out);
}

static void test_describe(void **state)
{
    (void)state;
    struct fz_buf out = FZ_BUF_INIT;
    struct fz_decoded info;
    const char *damaged = HAN10 HAN10 "\xFF工作\xC3X";   /* case 6 */
    assert_int_equal(fz_decode_to_utf8(damaged, strlen(damaged), &out, &info,
                                       NULL), FZ_OK);
    char *d = fz_decoded_describe(&info);
    assert_non_null(d);
    /* the count, the encoding and the first offset, in words a reader of
     * the warning can use */
    assert_non_null(strstr(d, "2 invalid bytes"));
    assert_non_null(strstr(d, "UTF-8"));
    assert_non_null(strstr(d, "U+FFFD"));
    assert_non_null(strstr(d, "byte 60"));
    assert_null(strchr(d, '\n'));
    free(d);

    fz_buf_reset(&out);
    assert_int_equal(fz_decode_to_utf8("ab\0cd", 5, &out, &info, NULL), FZ_OK);
    d = fz_decoded_describe(&info);
    assert_non_null(d);
    assert_non_null(strstr(d, "NUL"));
    assert_non_null(strstr(d, "byte 2"));
    free(d);

    fz_buf_reset(&out);
    assert_int_equal(fz_decode_to_utf8("ok", 2, &out, &info, NULL), FZ_OK);
    assert_null(fz_decoded_describe(&info));
    fz_buf_release(&out);
}

/* 1 MiB and more on one line, no newline anywhere */
static void test_long_line(void **state)
{
    (void)state;
    struct fz_buf in = FZ_BUF_INIT, out = FZ_BUF_INIT;
    while (in.len < (1u << 20))
        assert_int_equal(fz_buf_appends(&in, "法治政府建设abc,123 "), FZ_OK);
    struct fz_decoded info;
    assert_int_equal(fz_decode_to_utf8(in.data, in.len, &out, &info, NULL),
                     FZ_OK);
    assert_string_equal(info.encoding, "UTF-8");
    assert_int_equal(info.n_invalid, 0);
    assert_int_equal(out.len, in.len);
    assert_memory_equal(out.data, in.data, in.len);
    fz_buf_release(&in);
    fz_buf_release(&out);
}

/* Length of the well-formed UTF-8 sequence at p[0,n), 0 if none: Unicode
 * Table 3-7, written out independently of base/utf8.c. */
static size_t wf_len(const unsigned char *p, size_t n)
{
    static const struct { unsigned char lo, hi, lo2, hi2; size_t len; }
    t37[] = {
        { 0xC2, 0xDF, 0x80, 0xBF, 2 },
        { 0xE0, 0xE0, 0xA0, 0xBF, 3 },
        { 0xE1, 0xEC, 0x80, 0xBF, 3 },
        { 0xED, 0xED, 0x80, 0x9F, 3 },
        { 0xEE, 0xEF, 0x80, 0xBF, 3 },
        { 0xF0, 0xF0, 0x90, 0xBF, 4 },
        { 0xF1, 0xF3, 0x80, 0xBF, 4 },
        { 0xF4, 0xF4, 0x80, 0x8F, 4 },
    };
    if (p[0] < 0x80)
        return 1;
    for (size_t r = 0; r < sizeof t37 / sizeof t37[0]; r++) {
        if (p[0] < t37[r].lo || p[0] > t37[r].hi)
            continue;
        if (n < t37[r].len || p[1] < t37[r].lo2 || p[1] > t37[r].hi2)
            return 0;
        for (size_t k = 2; k < t37[r].len; k++)
            if (p[k] < 0x80 || p[k] > 0xBF)
                return 0;
        return t37[r].len;
    }
    return 0;
}

static int wf_all(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = wf_len(p + i, n - i);
        if (l == 0)
            return 0;
        i += l;
    }
    return 1;
}

/* What decode.h promises for UTF-8 input, the slow way. */
static void ref_utf8(const char *in, size_t len, size_t start,
                     struct fz_buf *out, struct fz_decoded *want)
{
    const unsigned char *p = (const unsigned char *)in;
    memset(want, 0, sizeof *want);
    for (size_t i = start; i < len;) {
        size_t l = p[i] == 0 ? 0 : wf_len(p + i, len - i);
        if (l > 0) {
            assert_int_equal(fz_buf_append(out, in + i, l), FZ_OK);
            i += l;
            continue;
        }
        assert_int_equal(fz_buf_appends(out, FFFD), FZ_OK);
        if (want->n_offsets < FZ_DECODE_MAX_OFFSETS)
            want->offsets[want->n_offsets++] = i;
        want->n_invalid++;
        want->n_nul += p[i] == 0;
        i++;
    }
}

/* Numerical Recipes' LCG; the high bits are the random ones. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void random_input(uint32_t *seed, struct fz_buf *b)
{
    static const char *const pieces[] = {
        "法", "治", "𠀾", "é", "，", "\xB7\xA8", "\xD6\xCE", "\x81\x30\x84\x36",
        "\xEF\xBB\xBF", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80",
        "\xE6\xB3", "\n", "2023", " ",
    };
    fz_buf_reset(b);
    uint32_t r = lcg(seed);
    if (r % 10 == 0)
        assert_int_equal(fz_buf_append(b, "\xFF\xFE", 2), FZ_OK);
    else if (r % 10 == 1)
        assert_int_equal(fz_buf_append(b, "\xFE\xFF", 2), FZ_OK);
    else if (r % 10 == 2)
        assert_int_equal(fz_buf_append(b, "\xEF\xBB\xBF", 3), FZ_OK);
    size_t n = lcg(seed) % 200;
    for (size_t k = 0; k < n; k++) {
        r = lcg(seed);
        char c;
        switch (r % 8) {
        case 0:
        case 1:
        case 2:
            c = (char)(0x20 + (r >> 4) % 0x5F);     /* printable ASCII */
            assert_int_equal(fz_buf_append(b, &c, 1), FZ_OK);
            break;
        case 3:
        case 4:
        case 5: {
            const char *s = pieces[(r >> 4) % (sizeof pieces / sizeof *pieces)];
            assert_int_equal(fz_buf_appends(b, s), FZ_OK);
            break;
        }
        case 6:                                     /* any byte, or a */
            c = (char)((r >> 4) & 1 ? (r >> 5) % 0x20 : r >> 5); /* C0 one */
            assert_int_equal(fz_buf_append(b, &c, 1), FZ_OK);
            break;
        default:
            c = (char)(0x80 + (r >> 4) % 0x80);     /* any high byte */
            assert_int_equal(fz_buf_append(b, &c, 1), FZ_OK);
            break;
        }
    }
}

static void test_random(void **state)
{
    (void)state;
    uint32_t seed = 20240601;
    struct fz_buf in = FZ_BUF_INIT, out = FZ_BUF_INIT, ref = FZ_BUF_INIT;
    size_t seen_utf8 = 0, seen_gb = 0, seen_utf16 = 0, seen_binary = 0;
    for (int iter = 0; iter < 5000; iter++) {
        random_input(&seed, &in);
        struct fz_decoded info;
        char *err = NULL;
        fz_buf_reset(&out);
        int rc = fz_decode_to_utf8(fz_buf_cstr(&in), in.len, &out, &info,
                                   &err);
        if (rc == FZ_EINVAL) {
            assert_non_null(err);
            free(err);
            seen_binary++;
            continue;
        }
        assert_int_equal(rc, FZ_OK);
        assert_null(err);
        assert_true(fz_utf8_valid(fz_buf_cstr(&out), out.len));
        assert_true(wf_all(fz_buf_cstr(&out), out.len));
        assert_null(memchr(fz_buf_cstr(&out), '\0', out.len));
        assert_non_null(info.encoding);
        assert_true(info.n_nul <= info.n_invalid);
        size_t n_off = info.n_invalid < FZ_DECODE_MAX_OFFSETS
                       ? info.n_invalid : FZ_DECODE_MAX_OFFSETS;
        assert_int_equal(info.n_offsets, n_off);
        for (size_t k = 0; k < info.n_offsets; k++) {
            assert_true(info.offsets[k] < in.len);
            if (k > 0)
                assert_true(info.offsets[k] > info.offsets[k - 1]);
        }
        if (strcmp(info.encoding, "UTF-8") == 0) {
            struct fz_decoded want;
            fz_buf_reset(&ref);
            ref_utf8(fz_buf_cstr(&in), in.len, info.had_bom ? 3 : 0, &ref,
                     &want);
            assert_int_equal(out.len, ref.len);
            assert_memory_equal(fz_buf_cstr(&out), fz_buf_cstr(&ref),
                                ref.len);
            assert_int_equal(info.n_invalid, want.n_invalid);
            assert_int_equal(info.n_nul, want.n_nul);
            assert_memory_equal(info.offsets, want.offsets,
                                want.n_offsets * sizeof want.offsets[0]);
            seen_utf8++;
        } else if (strcmp(info.encoding, "GB18030") == 0) {
            seen_gb++;
        } else {
            seen_utf16++;
        }
    }
    /* the generator reaches every path */
    assert_true(seen_utf8 > 100);
    assert_true(seen_gb > 100);
    assert_true(seen_utf16 > 100);
    assert_true(seen_binary > 100);
    fz_buf_release(&in);
    fz_buf_release(&out);
    fz_buf_release(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_gb18030_file),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
