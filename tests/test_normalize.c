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
 * Maps and spans are worked by hand from the rules in normalize.h.
 *
 * OpenCC opened lazily (the test_lazy_ cases): fz_norm_open()'s
 * converter must give what one with OpenCC loaded from the start gives,
 * text and map, and what the eager folding gives, computed here without
 * fz: utf8proc's NFKC over the whole text, then OpenCC's t2s through a
 * converter of the test's own.  Which characters are dictionary keys
 * comes from `opencc_dict -f ocd2 -t text` over TSCharacters.ocd2 and
 * TSPhrases.ocd2 (Debian's OpenCC 1.1.6), read by hand, and from the
 * keys the build listed ($FZ_OPENCC_KEYS, tools/opencc-keys.sh). */
#include "tests/testutil.h"

#include "base/fz.h"
#include "text/normalize.h"

#include <opencc/opencc.h>
#include <utf8proc.h>

static struct fz_norm *norm;    /* OpenCC loaded from the start */
static struct fz_norm *lazy;    /* opened by the first text needing it */
static int lazy_needed;         /* such a text has been through lazy */
static opencc_t ref_cc;         /* the test's own, for the reference */

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    norm = fz_norm_open(&err);
    lazy = fz_norm_open(&err);
    if (norm == NULL || lazy == NULL
        || fz_norm_load(norm, &err) != FZ_OK) {
        fprintf(stderr, "fz_norm_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    ref_cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    if (ref_cc == (opencc_t)-1) {
        fprintf(stderr, "opencc_open: %s\n", opencc_error());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fz_norm_close(norm);
    fz_norm_close(lazy);
    opencc_close(ref_cc);
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


/* ---- OpenCC opened lazily ------------------------------------------- */

/* cp as UTF-8 at s (room for 4 bytes): its length */
static size_t put_cp(char *s, uint32_t cp)
{
    if (cp < 0x80) {
        s[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        s[0] = (char)(0xC0 | cp >> 6);
        s[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12);
        s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    s[0] = (char)(0xF0 | cp >> 18);
    s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    s[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Whether s[0,len) (valid UTF-8) holds a code point of the table. */
static int holds_key_cp(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (fz_norm_cc_may_change(test_cp_at(s + i, &n)))
            return 1;
    return 0;
}

/* The eager folding of in[0,len) (valid UTF-8, no NUL), without fz:
 * utf8proc's NFKC with case folding and default ignorables removed,
 * then OpenCC's t2s, always.  malloc'd; *needs: whether the text OpenCC
 * was given holds a code point of the table. */
static char *reference(const char *in, size_t len, int *needs)
{
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in,
                                      (utf8proc_ssize_t)len, &nfkc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPAT
                                      | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE
                                      | UTF8PROC_COMPOSE);
    assert_true(n >= 0);
    *needs = holds_key_cp((const char *)nfkc, (size_t)n);
    char *t = opencc_convert_utf8(ref_cc, (const char *)nfkc, (size_t)n);
    assert_non_null(t);
    char *copy = strdup(t);
    assert_non_null(copy);
    opencc_convert_utf8_free(t);
    free(nfkc);
    return copy;
}

/* a and b are the same: text, map and source length */
static void assert_same(const struct fz_normed *a, const struct fz_normed *b)
{
    assert_int_equal(a->text.len, b->text.len);
    assert_memory_equal(a->text.data, b->text.data, a->text.len);
    assert_int_equal(a->n_src_cp, b->n_src_cp);
    assert_int_equal(a->n_cp, b->n_cp);
    if (a->n_cp > 0)
        assert_memory_equal(a->src_cp, b->src_cp, a->n_cp * sizeof *a->src_cp);
}

/* in[0,len) through a lazy converter: the reference's text, and the
 * text and map of the converter OpenCC was loaded into at the start.  A
 * text that needs no OpenCC goes through a new converter, which it must
 * leave closed; one that does, through the shared lazy one, which the
 * first such text must open and no text before it.  fz_norm_run_as()
 * with that folded text, as fzsearch's highlights call it, gives the
 * same and never opens OpenCC. */
static void check_lazy(const char *in, size_t len)
{
    int needs;
    char *want = reference(in, len, &needs);
    struct fz_normed a = FZ_NORMED_INIT, b = FZ_NORMED_INIT;
    struct fz_norm *n = needs ? lazy : fz_norm_open(NULL);
    assert_non_null(n);
    assert_int_equal(fz_norm_opened(lazy), lazy_needed);
    assert_int_equal(fz_norm_run(n, in, len, &a, NULL), FZ_OK);
    char *str = fz_norm_str(n, in, len);
    assert_non_null(str);
    assert_int_equal(fz_norm_opened(n), needs);
    lazy_needed |= needs;
    if (a.text.len != strlen(want) || memcmp(a.text.data, want, a.text.len))
        fail_msg("\"%.*s\": got \"%s\", want \"%s\"", (int)len, in,
                 a.text.data, want);
    assert_string_equal(str, want);
    assert_int_equal(fz_norm_run(norm, in, len, &b, NULL), FZ_OK);
    assert_same(&a, &b);
    check_map(&a, in, len);
    if (!needs)
        fz_norm_close(n);
    n = fz_norm_open(NULL);
    assert_int_equal(fz_norm_run_as(n, in, len, b.text.data, b.text.len, &a,
                                    NULL), FZ_OK);
    assert_same(&a, &b);
    assert_int_equal(fz_norm_opened(n), 0);
    fz_norm_close(n);
    fz_normed_release(&a);
    fz_normed_release(&b);
    free(str);
    free(want);
}

/* The table, by hand from the dictionaries: 設 is a key (設 → 设);
 * 法 is only in phrases that hold a key of one character (張法乾); 沈
 * and 有 are in phrases that hold none (沈默 → 沉默, 有序 → 有序). */
static void test_lazy_table(void **state)
{
    (void)state;
    static const struct { uint32_t cp; int want; } t[] = {
        { 0x8A2D, 1 },              /* 設 */
        { 0x8BBE, 0 },              /* 设 */
        { 0x6CD5, 0 },              /* 法 */
        { 0x5F35, 1 },              /* 張 */
        { 0x6C88, 1 },              /* 沈 */
        { 0x9ED8, 1 },              /* 默 */
        { 0x6709, 1 },              /* 有 */
        { 0x884C, 0 },              /* 行 */
        { 'A', 0 }, { 0, 0 }, { 0x3000, 0 }, { 0x10FFFF, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (fz_norm_cc_may_change(t[i].cp) != t[i].want)
            fail_msg("U+%04X: want %d", (unsigned)t[i].cp, t[i].want);
}

/* Simplified text, ASCII and what NFKC alone folds never open OpenCC;
 * Traditional text does.  The texts are test_cases' own. */
static void test_lazy_opens(void **state)
{
    (void)state;
    static const struct { const char *in, *want; int opens; } t[] = {
        { "行政复议", "行政复议", 0 },
        { "法治政府建设年度报告", "法治政府建设年度报告", 0 },
        { "ＡＢＣ１２３", "abc123", 0 },
        { "㈠总体情况", "(一)总体情况", 0 },
        { "", "", 0 },
        { "法治政府建設年度報告", "法治政府建设年度报告", 1 },
        { "沈默", "沉默", 1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct fz_norm *n = fz_norm_open(NULL);
        struct fz_normed nd = FZ_NORMED_INIT;
        assert_non_null(n);
        assert_int_equal(fz_norm_opened(n), 0);
        assert_int_equal(fz_norm_run(n, t[i].in, strlen(t[i].in), &nd, NULL),
                         FZ_OK);
        assert_string_equal(fz_buf_cstr(&nd.text), t[i].want);
        if (fz_norm_opened(n) != t[i].opens)
            fail_msg("\"%s\": opened %d", t[i].in, fz_norm_opened(n));
        assert_int_equal(fz_norm_load(n, NULL), FZ_OK);     /* again: no-op */
        assert_int_equal(fz_norm_opened(n), 1);
        fz_normed_release(&nd);
        fz_norm_close(n);
    }
}

/* OpenCC stops at a NUL and drops the rest of what it is given (OpenCC
 * 1.1.6 opencc_convert_utf8: "中\0文abc" gives "中"), so the eager
 * folding of Han text with a NUL converts chunk by chunk and loses the
 * NUL: 中 and 文 from sources 0 and 2.  Text without Han never went to
 * OpenCC and keeps it. */
static void test_lazy_nul(void **state)
{
    (void)state;
    struct fz_norm *n = fz_norm_open(NULL);
    struct fz_normed nd = FZ_NORMED_INIT;
    assert_int_equal(fz_norm_run(n, "a\0b", 3, &nd, NULL), FZ_OK);
    assert_int_equal(nd.text.len, 3);
    assert_memory_equal(nd.text.data, "a\0b", 3);
    assert_int_equal(fz_norm_opened(n), 0);
    assert_int_equal(fz_norm_run(n, "中\0文", 7, &nd, NULL), FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), "中文");
    assert_int_equal(nd.n_cp, 2);
    assert_int_equal(nd.src_cp[0], 0);
    assert_int_equal(nd.src_cp[1], 2);
    assert_int_equal(fz_norm_opened(n), 1);
    fz_norm_close(n);
    /* fz_norm_run_as(): the NFKC stage's 3 code points are not the 2 of
     * the folded text, which it cannot take then: fz_norm_run()'s */
    n = fz_norm_open(NULL);
    assert_int_equal(fz_norm_run_as(n, "中\0文", 7, "中文", 6, &nd, NULL),
                     FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), "中文");
    assert_int_equal(nd.n_cp, 2);
    assert_int_equal(nd.src_cp[1], 2);
    assert_int_equal(fz_norm_opened(n), 1);
    fz_normed_release(&nd);
    fz_norm_close(n);
}

/* fz_norm_run_as() with a folded text of another length folds the text
 * itself (行政復議 by test_cases) */
static void test_lazy_known_other(void **state)
{
    (void)state;
    struct fz_normed nd = FZ_NORMED_INIT;
    assert_int_equal(fz_norm_run_as(lazy, "行政復議", strlen("行政復議"),
                                    "行政", strlen("行政"), &nd, NULL),
                     FZ_OK);
    assert_string_equal(fz_buf_cstr(&nd.text), "行政复议");
    assert_int_equal(nd.n_cp, 4);
    lazy_needed = 1;
    fz_normed_release(&nd);
}

/* Every key of the dictionaries holds a code point of the table (so a
 * text without one holds no key), and folds as the eager folding does,
 * alone and between two characters. */
static void test_lazy_keys(void **state)
{
    (void)state;
    const char *path = getenv("FZ_OPENCC_KEYS");
    size_t len, n = 0;
    char *all = test_slurp(path ? path : "build/text/opencc_keys.txt", &len);
    char *save = NULL;
    for (char *k = strtok_r(all, "\n", &save); k;
         k = strtok_r(NULL, "\n", &save)) {
        size_t kl = strlen(k);
        if (!holds_key_cp(k, kl))
            fail_msg("key %s: no code point in the table", k);
        check_lazy(k, kl);
        char s[256];
        int sl = snprintf(s, sizeof s, "行%s政", k);
        assert_true(sl > 0 && (size_t)sl < sizeof s);
        check_lazy(s, (size_t)sl);
        n++;
    }
    assert_true(n > 4000);      /* 4390 in OpenCC 1.1.6 */
    free(all);
}

/* Keys side by side, eight at a time, joined by nothing, by a code point
 * of a key that is not in the table (法), by one of the table (張), by
 * punctuation and by a letter: OpenCC's segments meet and overlap there,
 * and text/normalize.c, which gives OpenCC only the runs of key code
 * points, must fold each text as the whole text given to OpenCC folds. */
static void test_lazy_runs(void **state)
{
    (void)state;
    static const char *const joins[] = { "", "法", "張", "，", "a", " " };
    const char *path = getenv("FZ_OPENCC_KEYS");
    size_t len, n = 0, texts = 0;
    char *all = test_slurp(path ? path : "build/text/opencc_keys.txt", &len);
    char **keys = NULL, *save = NULL;
    for (char *k = strtok_r(all, "\n", &save); k;
         k = strtok_r(NULL, "\n", &save)) {
        char **v = realloc(keys, (n + 1) * sizeof *keys);
        assert_non_null(v);
        keys = v;
        keys[n++] = k;
    }
    struct fz_buf b = FZ_BUF_INIT;
    for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++)
        for (size_t i = 0; i < n; i += 8) {
            fz_buf_reset(&b);
            for (size_t k = i; k < i + 8 && k < n; k++) {
                assert_int_equal(fz_buf_appends(&b, keys[k]), FZ_OK);
                assert_int_equal(fz_buf_appends(&b, joins[j]), FZ_OK);
            }
            check_lazy(b.data, b.len);
            texts++;
        }
    assert_true(texts > 3000);
    fz_buf_release(&b);
    free(keys);
    free(all);
}

/* Every code point outside the table, all in one text, comes back from
 * OpenCC as it went in: what the table leaves out, OpenCC leaves alone. */
static void test_lazy_rest_unchanged(void **state)
{
    (void)state;
    struct fz_buf b = FZ_BUF_INIT;
    for (uint32_t c = 1; c < 0x110000; c++) {
        if ((c >= 0xD800 && c <= 0xDFFF) || fz_norm_cc_may_change(c))
            continue;
        char s[4];
        assert_int_equal(fz_buf_append(&b, s, put_cp(s, c)), FZ_OK);
    }
    char *t = opencc_convert_utf8(ref_cc, b.data, b.len);
    assert_non_null(t);
    if (strlen(t) != b.len || memcmp(t, b.data, b.len) != 0) {
        size_t i = 0;
        while (t[i] == b.data[i])
            i++;
        fail_msg("OpenCC changed the text at byte %zu", i);
    }
    opencc_convert_utf8_free(t);
    fz_buf_release(&b);
}

/* Each code point in the table or next to it, alone and between two
 * characters: folded as the eager folding folds it. */
static void test_lazy_boundary(void **state)
{
    (void)state;
    size_t n = 0;
    for (uint32_t c = 1; c < 0x110000; c++) {
        if ((c >= 0xD800 && c <= 0xDFFF)
            || !(fz_norm_cc_may_change(c) || fz_norm_cc_may_change(c - 1)
                 || fz_norm_cc_may_change(c + 1)))
            continue;
        char s[16] = "行";
        size_t l = 3 + put_cp(s + 3, c);
        check_lazy(s + 3, l - 3);
        memcpy(s + l, "政", 3);
        check_lazy(s, l + 3);
        n++;
    }
    assert_true(n > 4000);
}

static void lazy_report(struct fz_report *r)
{
    if (r->meta.title)
        check_lazy(r->meta.title, strlen(r->meta.title));
    for (size_t i = 0; i < r->passages.n; i++)
        check_lazy(r->passages.v[i].text, r->passages.v[i].len);
}

/* Every passage and title of corpus/ (the Simplified reports, the
 * Traditional seed 004 and the State Council's reports), as fzindex
 * reads them. */
static void test_lazy_corpus(void **state)
{
    (void)state;
    struct fz_textctx tc;
    assert_int_equal(fz_textctx_open(&tc, NULL, NULL), FZ_OK);
    test_each_corpus_report(&tc, lazy_report);
    fz_textctx_close(&tc);
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
        cmocka_unit_test(test_lazy_table),
        cmocka_unit_test(test_lazy_opens),
        cmocka_unit_test(test_lazy_nul),
        cmocka_unit_test(test_lazy_known_other),
        cmocka_unit_test(test_lazy_corpus),
        cmocka_unit_test(test_lazy_boundary),
        cmocka_unit_test(test_lazy_keys),
        cmocka_unit_test(test_lazy_runs),
        cmocka_unit_test(test_lazy_rest_unchanged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
