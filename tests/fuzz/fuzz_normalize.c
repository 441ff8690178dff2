/* tests/fuzz/fuzz_normalize.c - any bytes through fz_norm_run() and its
 * offset map.
 *
 * normalize.h: FZ_OK exactly when the input is valid UTF-8, else
 * FZ_EINVAL with a message; the folded text is valid UTF-8 of n_cp code
 * points, case folded and without fullwidth ASCII; n_src_cp is the
 * input's code points; src_cp[] has n_cp entries, non-decreasing, each a
 * code point of the input; fz_normed_span_to_source() maps every span
 * into the input, [lo,hi) with lo the source of a and hi past the source
 * of b-1 (and past what was folded into it), an empty span to an empty
 * one; fz_norm_str() folds the same, and so does folding the whole text
 * at once with utf8proc and OpenCC, as the header describes it; so does
 * fz_norm_run_as() given the folded text, map and all. */
#include <opencc/opencc.h>
#include <string.h>
#include <utf8proc.h>

#include "tests/fuzz/fuzz.h"
#include "base/fz.h"
#include "text/normalize.h"

static struct fz_norm *norm;
static opencc_t cc;

static void check_span(const struct fz_normed *nd, size_t a, size_t b)
{
    size_t lo = (size_t)-1, hi = (size_t)-1;
    fz_normed_span_to_source(nd, a, b, &lo, &hi);
    FUZZ_CHECK(lo <= hi && hi <= nd->n_src_cp);
    if (a == b) {
        FUZZ_CHECK(lo == hi);
        FUZZ_CHECK(a == nd->n_cp ? lo == nd->n_src_cp : lo == nd->src_cp[a]);
        return;
    }
    FUZZ_CHECK(lo == nd->src_cp[a]);
    /* past the source of b-1; when b-1 is the last code point from that
     * source, past what was folded into it or removed after it: up to
     * the next source that gave code points, or the end */
    uint32_t last = nd->src_cp[b - 1];
    if (b == nd->n_cp)
        FUZZ_CHECK(hi == nd->n_src_cp);
    else if (nd->src_cp[b] > last)
        FUZZ_CHECK(hi == nd->src_cp[b]);
    else
        FUZZ_CHECK(hi == last + 1);
}

/* normalize.h's folding of the whole text at once: utf8proc's NFKC with
 * case folding and default ignorables removed, then OpenCC's t2s. */
static char *fold_whole(const char *in, size_t len)
{
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in,
                                      (utf8proc_ssize_t)len, &nfkc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPAT
                                      | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE
                                      | UTF8PROC_COMPOSE);
    FUZZ_CHECK(n >= 0);
    char *t = opencc_convert_utf8(cc, (const char *)nfkc, (size_t)n);
    FUZZ_CHECK(t != NULL);
    char *copy = strdup(t);
    opencc_convert_utf8_free(t);
    free(nfkc);
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct fz_normed nd = FZ_NORMED_INIT;
    char *err = NULL;
    if (norm == NULL && (norm = fz_norm_open(&err)) == NULL) {
        fprintf(stderr, "fz_norm_open: %s\n", err);
        abort();
    }
    if (cc == NULL
        && (cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP))
           == (opencc_t)-1) {
        fprintf(stderr, "opencc_open: %s\n", opencc_error());
        abort();
    }
    int valid = fuzz_utf8_ok(in, size);
    int rc = fz_norm_run(norm, in, size, &nd, &err);
    if (!valid) {
        FUZZ_CHECK(rc == FZ_EINVAL && err != NULL);
        FUZZ_CHECK(nd.n_cp == 0 && nd.src_cp == NULL && nd.text.len == 0);
        goto out;
    }
    FUZZ_CHECK(rc == FZ_OK && err == NULL);
    const char *t = nd.text.data;
    size_t tl = nd.text.len;
    FUZZ_CHECK(t != NULL && t[tl] == '\0');
    FUZZ_CHECK(fuzz_utf8_ok(t, tl));
    FUZZ_CHECK(nd.n_cp == fuzz_utf8_cps(t, tl));
    FUZZ_CHECK(nd.n_src_cp == fuzz_utf8_cps(in, size));
    FUZZ_CHECK(nd.n_cp == 0 || nd.src_cp != NULL);
    for (size_t i = 0; i < nd.n_cp; i++) {
        FUZZ_CHECK(nd.src_cp[i] < nd.n_src_cp);
        FUZZ_CHECK(i == 0 || nd.src_cp[i - 1] <= nd.src_cp[i]);
    }
    /* case folded; NFKC leaves no fullwidth ASCII (U+FF01-U+FF5E) */
    for (size_t i = 0; i < tl;) {
        uint32_t cp = 0;
        i += fuzz_utf8_seq((const unsigned char *)t + i, tl - i, &cp);
        FUZZ_CHECK(!(cp >= 'A' && cp <= 'Z'));
        FUZZ_CHECK(!(cp >= 0xFF01 && cp <= 0xFF5E));
    }
    /* every empty span, every one-code-point span, every prefix and
     * suffix; a few longer spans */
    for (size_t a = 0; a <= nd.n_cp; a++) {
        check_span(&nd, a, a);
        if (a < nd.n_cp) {
            check_span(&nd, a, a + 1);
            check_span(&nd, a, nd.n_cp);
            check_span(&nd, 0, a + 1);
            check_span(&nd, a, a + (nd.n_cp - a + 1) / 2);
        }
    }
    /* spans further right never map further left */
    size_t plo = 0, phi = 0;
    for (size_t a = 0; a < nd.n_cp; a++) {
        size_t lo, hi;
        fz_normed_span_to_source(&nd, a, a + 1, &lo, &hi);
        FUZZ_CHECK(lo >= plo && hi >= phi);
        plo = lo;
        phi = hi;
    }
    /* knowing the folded text changes nothing */
    struct fz_normed as = FZ_NORMED_INIT;
    FUZZ_CHECK(fz_norm_run_as(norm, in, size, t, tl, &as, NULL) == FZ_OK);
    FUZZ_CHECK(as.text.len == tl && memcmp(as.text.data, t, tl) == 0);
    FUZZ_CHECK(as.n_cp == nd.n_cp && as.n_src_cp == nd.n_src_cp);
    FUZZ_CHECK(nd.n_cp == 0
               || memcmp(as.src_cp, nd.src_cp,
                         nd.n_cp * sizeof *nd.src_cp) == 0);
    fz_normed_release(&as);
    /* fz_norm_str() is the same folding, as a C string; folding code
     * point by code point, to keep the map, gives what folding the whole
     * text gives */
    if (memchr(in, '\0', size) == NULL) {
        char *s = fz_norm_str(norm, in, size);
        FUZZ_CHECK(s != NULL);
        FUZZ_CHECK(strlen(s) == tl && memcmp(s, t, tl) == 0);
        free(s);
        char *w = fold_whole(in, size);
        FUZZ_CHECK(strcmp(w, t) == 0);
        free(w);
    }
out:
    free(err);
    fz_normed_release(&nd);
    return 0;
}
