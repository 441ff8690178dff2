/* tests/fuzz/fuzz_segment_meta.c - any bytes, decoded and cleaned, through
 * fz_seg_run() and fz_meta_extract(), as fz_report_parse() runs them.
 *
 * The first byte picks the passage length: below 128 the default, else
 * 1 to 128 code points, so that short inputs are cut too.  segment.h and
 * meta.h: FZ_OK (no given values, so nothing is unusable); the checks of
 * tests/fuzz/checks.h on the passages and the metadata; every passage
 * folds (fz_norm_run) and its folded text maps back inside it. */
#include "tests/fuzz/checks.h"
#include "base/buf.h"
#include "text/decode.h"

static struct fz_norm *norm;
static struct fz_regions *regions;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_buf utf8 = FZ_BUF_INIT;
    struct fz_decoded info;
    struct fz_cleaned cl = { FZ_BUF_INIT, NULL, 0, 0 };
    struct fz_passages ps = { NULL, 0 };
    struct fz_meta meta;
    char *err = NULL;
    if (norm == NULL && ((norm = fz_norm_open(&err)) == NULL
                         || (regions = fz_regions_open(&err)) == NULL)) {
        fprintf(stderr, "fuzz_segment_meta: %s\n", err);
        abort();
    }
    if (size < 1)
        return 0;
    size_t max_cp = data[0] < 128 ? 0 : data[0] - 127u;
    if (fz_decode_to_utf8((const char *)data + 1, size - 1, &utf8, &info,
                          NULL) != FZ_OK)
        goto out;
    FUZZ_CHECK(fz_clean_run(fz_buf_cstr(&utf8), utf8.len, &cl, NULL) == FZ_OK);

    int rc = fz_seg_run(&cl, max_cp, &ps, &err);
    FUZZ_CHECK(rc == FZ_OK && err == NULL);
    fuzz_check_passages(&cl, &ps, max_cp ? max_cp : FZ_SEG_MAX_CP);

    rc = fz_meta_extract(norm, regions, &cl, &ps, NULL, "fallback", &meta,
                         &err);
    FUZZ_CHECK(rc == FZ_OK && err == NULL);
    fuzz_check_meta(regions, &meta);
    FUZZ_CHECK(meta.title != NULL);
    fz_meta_release(&meta);

    for (size_t i = 0; i < ps.n; i++) {
        struct fz_normed nd = FZ_NORMED_INIT;
        FUZZ_CHECK(fz_norm_run(norm, ps.v[i].text, ps.v[i].len, &nd, NULL)
                   == FZ_OK);
        FUZZ_CHECK(nd.n_src_cp == fuzz_utf8_cps(ps.v[i].text, ps.v[i].len));
        for (size_t k = 0; k < nd.n_cp; k++)
            FUZZ_CHECK(nd.src_cp[k] < nd.n_src_cp
                       && (k == 0 || nd.src_cp[k - 1] <= nd.src_cp[k]));
        fz_normed_release(&nd);
    }
out:
    free(err);
    fz_passages_release(&ps);
    fz_cleaned_release(&cl);
    fz_buf_release(&utf8);
    return 0;
}
