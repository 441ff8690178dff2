/* tests/fuzz/fuzz_jsonl_record.c - one line of a .jsonl file, as fzindex
 * reads it: fz_record_parse(), then fz_report_parse() of its text with
 * the metadata it gives; and the same bytes as a sidecar NAME.json.
 *
 * report.h: a record parses (FZ_OK, its text a string of len bytes, its
 * given values non-empty strings, a year 0-9999) or says why not
 * (FZ_EINVAL and a message); a sidecar the same, its text optional, and
 * a record is a sidecar with a text, read the same.  The
 * report of a record parses, or its text is binary (FZ_EINVAL, with a
 * message); an unusable given value is a warning, not a failure.  The
 * report's passages, metadata and folded texts keep the promises of
 * segment.h, meta.h and normalize.h (tests/fuzz/checks.h). */
#include <string.h>

#include "tests/fuzz/checks.h"
#include "reader/report.h"

static struct fz_textctx tc;

static void check_given(const struct fz_meta_given *g)
{
    fuzz_check_str(g->title);
    fuzz_check_str(g->issuer);
    fuzz_check_str(g->source);
    fuzz_check_str(g->url);
    fuzz_check_str(g->date);
    fuzz_check_str(g->region);
    fuzz_check_str(g->level);
    FUZZ_CHECK(g->year >= 0 && g->year <= 9999);
}

static int same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void check_report(const struct fz_report *r)
{
    FUZZ_CHECK(r != NULL);
    fuzz_check_passages(NULL, &r->passages, FZ_SEG_MAX_CP);
    fuzz_check_meta(tc.regions, &r->meta);
    if (r->warning)
        fuzz_check_message(r->warning);
    FUZZ_CHECK(r->passages.n == 0 || r->norm != NULL);
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_normed *nd = &r->norm[i];
        const struct fz_passage *p = &r->passages.v[i];
        FUZZ_CHECK(fuzz_utf8_ok(nd->text.data, nd->text.len));
        FUZZ_CHECK(nd->n_cp == fuzz_utf8_cps(nd->text.data, nd->text.len));
        FUZZ_CHECK(nd->n_src_cp == fuzz_utf8_cps(p->text, p->len));
        for (size_t k = 0; k < nd->n_cp; k++)
            FUZZ_CHECK(nd->src_cp[k] < nd->n_src_cp
                       && (k == 0 || nd->src_cp[k - 1] <= nd->src_cp[k]));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    struct fz_record rec, side;
    struct fz_report *r = NULL;
    char *err = NULL;
    if (tc.norm == NULL && fz_textctx_open(&tc, NULL, &err) != FZ_OK) {
        fprintf(stderr, "fz_textctx_open: %s\n", err);
        abort();
    }

    int rc = fz_sidecar_parse(line, size, &side, &err);
    int side_ok = rc == FZ_OK;
    if (rc == FZ_OK) {
        FUZZ_CHECK(err == NULL);
        FUZZ_CHECK(side.text == NULL || strlen(side.text) == side.len);
        check_given(&side.given);
    } else {
        FUZZ_CHECK(rc == FZ_EINVAL);
        fuzz_check_message(err);
        free(err);
        err = NULL;
    }

    rc = fz_record_parse(line, size, &rec, &err);
    if (rc != FZ_OK) {
        FUZZ_CHECK(rc == FZ_EINVAL);
        fuzz_check_message(err);
        FUZZ_CHECK(rec.text == NULL);
        goto out;
    }
    FUZZ_CHECK(err == NULL);
    FUZZ_CHECK(rec.text != NULL && strlen(rec.text) == rec.len);
    check_given(&rec.given);
    /* the same fields as a sidecar reads them */
    FUZZ_CHECK(side_ok && side.text && strcmp(side.text, rec.text) == 0);
    FUZZ_CHECK(same(side.given.title, rec.given.title)
               && same(side.given.issuer, rec.given.issuer)
               && same(side.given.source, rec.given.source)
               && same(side.given.url, rec.given.url)
               && same(side.given.date, rec.given.date)
               && same(side.given.region, rec.given.region)
               && same(side.given.level, rec.given.level)
               && side.given.year == rec.given.year);

    rc = fz_report_parse(&tc, rec.text, rec.len, &rec.given, NULL, &r, &err);
    if (rc != FZ_OK) {
        /* only a binary-looking text is refused */
        FUZZ_CHECK(rc == FZ_EINVAL && r == NULL);
        fuzz_check_message(err);
    } else {
        FUZZ_CHECK(err == NULL);
        check_report(r);
    }
    fz_report_free(r);
    fz_record_release(&rec);
out:
    fz_record_release(&side);
    free(err);
    return 0;
}
