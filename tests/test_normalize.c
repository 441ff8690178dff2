/* text/normalize: NFKC + case fold + default ignorables removed + OpenCC
 * t2s, and the map from folded code points back to the source.
 *
 * Expected texts were made outside fz: Python 3.11 (Unicode 14.0)
 *   python3 -c 'import unicodedata, sys
 *   print(unicodedata.normalize("NFKC", sys.argv[1]).casefold())' "$s"
 * then `opencc -c t2s.json` (OpenCC 1.1.5), then by hand the
 * Default_Ignorable_Code_Point characters (U+200B, U+00AD, per
 * DerivedCoreProperties.txt) removed, which Python's NFKC keeps.  The
 * Traditional passage is corpus/004's title and first sentence, pinyin
 * annotations such as "(qū)" deleted by hand.
 * Maps and spans are worked by hand from the rules in normalize.h. */
#include "tests/testutil.h"

#include "base/fz.h"
#include "text/normalize.h"

static struct fz_norm *norm;

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    norm = fz_norm_open(&err);
    if (norm == NULL) {
        fprintf(stderr, "fz_norm_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fz_norm_close(norm);
    return 0;
}

/* code points in s, counted without base/utf8.c */
static size_t count_cp(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* byte offset of code point k in s */
static size_t cp_offset(const char *s, size_t len, size_t k)
{
    size_t i = 0;
    for (; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && k-- == 0)
            return i;
    assert_int_equal(k, 0);
    return i;
}

/* What every result must satisfy, whatever the input. */
static void check_map(const struct fz_normed *nd, const char *in, size_t len)
{
    assert_non_null(nd->text.data);
    assert_int_equal(nd->n_cp, count_cp(nd->text.data, nd->text.len));
    assert_int_equal(nd->n_src_cp, count_cp(in, len));
    for (size_t k = 0; k < nd->n_cp; k++) {
        assert_true(nd->src_cp[k] < nd->n_src_cp);
        if (k > 0)
            assert_true(nd->src_cp[k] >= nd->src_cp[k - 1]);
    }
}

static const char traditional[] =       /* corpus/004, pinyin taken out */
    "廣州市海珠區人民政府關于2023年度法治政府建設情況的報告\n"
    "2023年,在市委、市政府的堅強領導下,海珠區堅持以習近平法治思想為指導,"
    "深入學習貫徹黨的二十大關于法治建設重大部署,落實省委“1310”具體部署和"
    "市委“1312”思路舉措,扎實推進法治海珠建設各項工作。";
static const char simplified[] =
    "广州市海珠区人民政府关于2023年度法治政府建设情况的报告\n"
    "2023年,在市委、市政府的坚强领导下,海珠区坚持以习近平法治思想为指导,"
    "深入学习贯彻党的二十大关于法治建设重大部署,落实省委“1310”具体部署和"
    "市委“1312”思路举措,扎实推进法治海珠建设各项工作。";

static const struct { const char *in, *want; } cases[] = {
    { "ＡＢＣ１２３", "abc123" },
    { "㈠总体情况", "(一)总体情况" },
    { "法治政府建設年度報告", "法治政府建设年度报告" },
    { "行政復議", "行政复议" },
    { "關於行政復議的報告", "关于行政复议的报告" },
    { "（一）", "(一)" },
    { "，", "," },
    { "ﬁnance", "finance" },                 /* U+FB01 ligature */
    { "Ⅻ", "xii" },                          /* U+216B */
    { "①②", "12" },
    { "Straße", "strasse" },
    { "行政\u200B复议", "行政复议" },        /* zero-width space */
    { "\u00AD软件", "软件" },                /* soft hyphen */
    { "\U0002003E字", "\U0002003E字" },      /* astral ideograph kept */
    { "e\u0301x", "\u00E9x" },               /* composed */
    { "\u1E9B\u0323", "\u1E69" },            /* marks reordered, composed */
    { "\u1100\u1161", "\uAC00" },            /* Hangul jamo composed */
    /* composed across what is removed, as NFKC of the whole text does
     * (found by tests/fuzz/fuzz_normalize.c: e, macron apart) */
    { "e\u200B\uFEFF\u0304", "\u0113" },
    { "a\u00AD\u0308x", "\u00E4x" },
    /* characters that compose once folded: halfwidth ｶ + ﾞ is ガ; the
     * compatibility vowel ㅡ joins the jamo ᄀ before it */
    { "\uFF76\uFF9E", "\u30AC" },
    { "\u1100\u3161\u11A8", "\uADF9" },
    { "", "" },
    { traditional, simplified },
};

static void test_cases(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *in = cases[i].in;
        char *err = NULL;
        assert_int_equal(fz_norm_run(norm, in, strlen(in), &nd, &err), FZ_OK);
        assert_null(err);
        if (strcmp(fz_buf_cstr(&nd.text), cases[i].want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i,
                     fz_buf_cstr(&nd.text), cases[i].want);
        assert_int_equal(nd.text.len, strlen(cases[i].want));
        check_map(&nd, in, strlen(in));
        /* the short form agrees */
        char *s = fz_norm_str(norm, in, strlen(in));
        assert_non_null(s);
        assert_string_equal(s, cases[i].want);
        free(s);
    }
    fz_normed_release(&nd);
}

/* Source positions of each output code point, and spans, by hand. */
static const struct {
    const char *in;
    size_t n_src;
    size_t n_cp;
    uint32_t src[8];
    struct { size_t a, b, lo, hi; } span[4];
    size_t n_span;
} maps[] = {
    /* ㈠ expands to ( 一 ): all three from source 0 */
    { "㈠总体情况", 5, 7, { 0, 0, 0, 1, 2, 3, 4 },
      { { 0, 1, 0, 1 }, { 1, 2, 0, 1 }, { 0, 3, 0, 1 }, { 2, 5, 0, 3 } }, 4 },
    /* e + combining acute contract into é, from source 0; x from 2 */
    { "e\u0301x", 3, 2, { 0, 2 },
      { { 0, 1, 0, 2 }, { 1, 2, 2, 3 }, { 0, 2, 0, 3 } }, 3 },
    /* ﬁ expands to f i */
    { "aﬁb", 3, 4, { 0, 1, 1, 2 },
      { { 1, 2, 1, 2 }, { 2, 3, 1, 2 }, { 3, 4, 2, 3 } }, 3 },
    /* the zero-width space (source 2) is gone; a span ending at 政 takes
     * it in, one starting at 复 does not */
    { "行政\u200B复议", 5, 4, { 0, 1, 3, 4 },
      { { 0, 2, 0, 3 }, { 2, 4, 3, 5 }, { 1, 2, 1, 3 } }, 3 },
    /* ē from e, the removed zero-width space and the macron: a span of
     * it covers all three */
    { "e\u200B\u0304x", 4, 2, { 0, 3 },
      { { 0, 1, 0, 3 }, { 1, 2, 3, 4 } }, 2 },
    /* Traditional to Simplified is one for one */
    { "行政復議", 4, 4, { 0, 1, 2, 3 },
      { { 2, 4, 2, 4 }, { 0, 1, 0, 1 } }, 2 },
    /* 𠀾 is one code point (two UTF-16 units) */
    { "\U0002003E字", 2, 2, { 0, 1 }, { { 1, 2, 1, 2 } }, 1 },
    /* Ⅻ becomes three letters from one source code point */
    { "第Ⅻ章", 3, 5, { 0, 1, 1, 1, 2 },
      { { 1, 4, 1, 2 }, { 2, 3, 1, 2 }, { 4, 5, 2, 3 } }, 3 },
};

static void test_maps(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        const char *in = maps[i].in;
        assert_int_equal(fz_norm_run(norm, in, strlen(in), &nd, NULL), FZ_OK);
        check_map(&nd, in, strlen(in));
        assert_int_equal(nd.n_src_cp, maps[i].n_src);
        assert_int_equal(nd.n_cp, maps[i].n_cp);
        for (size_t k = 0; k < maps[i].n_cp; k++)
            if (nd.src_cp[k] != maps[i].src[k])
                fail_msg("map %zu: src_cp[%zu] = %u, want %u", i, k,
                         (unsigned)nd.src_cp[k], (unsigned)maps[i].src[k]);
        for (size_t k = 0; k < maps[i].n_span; k++) {
            size_t lo = 99, hi = 99;
            fz_normed_span_to_source(&nd, maps[i].span[k].a,
                                     maps[i].span[k].b, &lo, &hi);
            if (lo != maps[i].span[k].lo || hi != maps[i].span[k].hi)
                fail_msg("map %zu: span [%zu,%zu) -> [%zu,%zu), want "
                         "[%zu,%zu)", i, maps[i].span[k].a, maps[i].span[k].b,
                         lo, hi, maps[i].span[k].lo, maps[i].span[k].hi);
        }
        /* an empty span maps to an empty span at a's source */
        size_t lo = 99, hi = 99;
        fz_normed_span_to_source(&nd, 1, 1, &lo, &hi);
        assert_int_equal(lo, maps[i].src[1]);
        assert_int_equal(hi, lo);
    }
    fz_normed_release(&nd);
}

/* Traditional text of the same length: the map is the identity. */
static void test_traditional_identity(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    size_t len = strlen(traditional);
    assert_int_equal(fz_norm_run(norm, traditional, len, &nd, NULL), FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), simplified);
    assert_int_equal(nd.n_cp, 132);    /* counted in Python: len(s) */
    assert_int_equal(nd.n_src_cp, 132);
    for (size_t k = 0; k < nd.n_cp; k++)
        assert_int_equal(nd.src_cp[k], k);
    fz_normed_release(&nd);
}

/* A hit found in the folded text is shown in the report's own script. */
static const struct { const char *src, *term, *want; } highlights[] = {
    { "關於行政復議的報告", "复议", "復議" },
    { "關於行政復議的報告", "关于", "關於" },
    { "（二）行政復議", "(二)", "（二）" },
    { "㈡行政復議", "(二)", "㈡" },
    { "㈡行政復議", "二", "㈡" },
    { "ＡＩ應用", "ai应用", "ＡＩ應用" },
    { "海珠區\u200B法治", "区法", "區\u200B法" },
    { traditional, "习近平法治思想", "習近平法治思想" },
    { traditional, "“1310”", "“1310”" },
};

static void test_highlight_to_source(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    for (size_t i = 0; i < sizeof highlights / sizeof highlights[0]; i++) {
        const char *src = highlights[i].src;
        size_t slen = strlen(src);
        assert_int_equal(fz_norm_run(norm, src, slen, &nd, NULL), FZ_OK);
        const char *t = fz_buf_cstr(&nd.text);
        const char *hit = strstr(t, highlights[i].term);
        if (hit == NULL)
            fail_msg("highlight %zu: %s not in %s", i, highlights[i].term, t);
        size_t a = count_cp(t, (size_t)(hit - t));
        size_t b = a + count_cp(highlights[i].term,
                                strlen(highlights[i].term));
        size_t lo, hi;
        fz_normed_span_to_source(&nd, a, b, &lo, &hi);
        size_t from = cp_offset(src, slen, lo), to = cp_offset(src, slen, hi);
        if (to - from != strlen(highlights[i].want)
            || memcmp(src + from, highlights[i].want, to - from) != 0)
            fail_msg("highlight %zu: got \"%.*s\", want \"%s\"", i,
                     (int)(to - from), src + from, highlights[i].want);
    }
    fz_normed_release(&nd);
}

static void test_empty(void **state)
{
    (void)state;
    /* a fresh handle: nothing cached from earlier calls */
    struct fz_norm *n = fz_norm_open(NULL);
    assert_non_null(n);
    struct fz_normed nd = FZ_NORMED_INIT;
    assert_int_equal(fz_norm_run(n, "", 0, &nd, NULL), FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), "");
    assert_int_equal(nd.text.len, 0);
    assert_int_equal(nd.n_cp, 0);
    assert_int_equal(nd.n_src_cp, 0);
    size_t lo = 99, hi = 99;
    fz_normed_span_to_source(&nd, 0, 0, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 0);
    fz_normed_release(&nd);
    fz_normed_release(&nd);             /* twice: harmless */
    fz_normed_release(NULL);
    fz_norm_close(n);
    fz_norm_close(NULL);
}

/* fz_norm_run replaces what out held */
static void test_replaces(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    assert_int_equal(fz_norm_run(norm, "行政復議", strlen("行政復議"), &nd,
                                 NULL), FZ_OK);
    assert_int_equal(fz_norm_run(norm, "ＡＢ", strlen("ＡＢ"), &nd, NULL),
                     FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), "ab");
    assert_int_equal(nd.n_cp, 2);
    assert_int_equal(nd.n_src_cp, 2);
    fz_normed_release(&nd);
}

static const struct { const char *in; size_t len; } invalid[] = {
    { "\xFF", 1 },
    { "行政\xC3", 7 },                   /* truncated */
    { "\xED\xA0\x80", 3 },               /* surrogate */
    { "\xC0\xAF", 2 },                   /* overlong */
    { "ab\xE6\xB3", 4 },                 /* cut short at the end */
};

static void test_invalid(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        char *err = NULL;
        assert_int_equal(fz_norm_run(norm, invalid[i].in, invalid[i].len,
                                     &nd, &err), FZ_EINVAL);
        assert_non_null(err);
        free(err);
        assert_int_equal(fz_norm_run(norm, invalid[i].in, invalid[i].len,
                                     &nd, NULL), FZ_EINVAL);
        assert_int_equal(nd.n_cp, 0);
        assert_null(fz_norm_str(norm, invalid[i].in, invalid[i].len));
    }
    fz_normed_release(&nd);
}

/* Every line of the five seeds: the map invariants hold, and folding
 * removes all full-width letters and digits and Traditional 報 and 區. */
static void test_corpus_lines(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "000_b603a63773e2a13c.txt", "001_5786f2a229778fa1.txt",
        "002_3bd825ff36a50f76.txt", "003_65475f305930a54e.txt",
        "004_1125619140e8c921.txt",
    };
    struct fz_normed nd = FZ_NORMED_INIT;
    size_t lines = 0;
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        size_t len;
        char *text = test_slurp(CORPUS(seeds[f]), &len);
        for (char *p = text, *nl; p < text + len; p = nl + 1) {
            nl = memchr(p, '\n', (size_t)(text + len - p));
            if (nl == NULL)
                nl = text + len;
            size_t l = (size_t)(nl - p);
            assert_int_equal(fz_norm_run(norm, p, l, &nd, NULL), FZ_OK);
            check_map(&nd, p, l);
            const char *t = fz_buf_cstr(&nd.text);
            assert_null(strstr(t, "報"));
            assert_null(strstr(t, "區"));
            assert_null(strstr(t, "（"));
            assert_null(strstr(t, "２"));
            lines++;
        }
        free(text);
    }
    assert_true(lines > 200);
    fz_normed_release(&nd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_traditional_identity),
        cmocka_unit_test(test_highlight_to_source),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_replaces),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_corpus_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
