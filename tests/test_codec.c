/* tests/test_codec.c - records packed with an index's dictionary
 * (store/codec.h).
 *
 * The records are made from the paragraphs of corpus/'s reports, shaped as
 * the indexer stores them; a dictionary is trained on the records of
 * some reports and tried on those of the others, as an index's sample
 * is tried on the files it did not read. */
#include "tests/testutil.h"

#include "store/codec.h"

#include <cjson/cJSON.h>
#include <zdict.h>
#include <zstd.h>

struct recs {
    struct fz_buf bytes;
    size_t *sizes, n, cap;
};

static void add_rec(struct recs *r, const char *line, size_t ordinal)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->sizes = realloc(r->sizes, r->cap * sizeof *r->sizes);
        assert_non_null(r->sizes);
    }
    size_t before = r->bytes.len;
    assert_int_equal(fz_buf_appendf(&r->bytes, "{\"p\":{\"id\":\"0123456789"
                                    "abcdef-%zu\",\"ordinal\":%zu,\"section\":"
                                    "[],\"heading\":false,\"text\":\"%s\"},"
                                    "\"r\":{\"id\":\"0123456789abcdef\"}}",
                                    ordinal, ordinal, line), FZ_OK);
    r->sizes[r->n++] = r->bytes.len - before;
}

/* The paragraphs of the State Council reports in corpus/ as records:
 * those of even-numbered reports into train, the others into test. */
static void load(struct recs *train, struct recs *test)
{
    struct fz_buf f = FZ_BUF_INIT;
    assert_int_equal(fz_buf_read_file(&f,
                         CORPUS("gov-work-reports-1954-2025.jsonl")), FZ_OK);
    size_t k = 0;
    for (char *s = f.data, *e; s && *s; s = e ? e + 1 : NULL, k++) {
        e = strchr(s, '\n');
        cJSON *j = cJSON_ParseWithLength(s, e ? (size_t)(e - s) : strlen(s));
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "content");
        assert_true(cJSON_IsString(c));
        size_t ord = 0;
        for (char *p = c->valuestring, *q; p && *p; p = q ? q + 1 : NULL) {
            q = strchr(p, '\n');
            if (q)
                *q = '\0';
            /* quotes and backslashes would need escaping */
            if (strlen(p) > 20 && !strpbrk(p, "\"\\\t\r"))
                add_rec(k % 2 ? test : train, p, ++ord);
        }
        cJSON_Delete(j);
    }
    fz_buf_release(&f);
    assert_true(train->n > 1000 && test->n > 1000);
}

static void recs_release(struct recs *r)
{
    fz_buf_release(&r->bytes);
    free(r->sizes);
}

static void test_round_trip_and_size(void **state)
{
    (void)state;
    struct recs train = { FZ_BUF_INIT, NULL, 0, 0 };
    struct recs test = { FZ_BUF_INIT, NULL, 0, 0 };
    load(&train, &test);
    struct fz_buf dict = FZ_BUF_INIT;
    assert_int_equal(fz_codec_train(train.bytes.data, train.sizes, train.n,
                                    &dict, NULL), FZ_OK);
    assert_true(dict.len > 0 && dict.len <= FZ_CODEC_DICT_MAX);
    const struct fz_codec *c = fz_codec_load(dict.data, dict.len, NULL);
    assert_non_null(c);
    /* loaded once: the same codec again */
    assert_ptr_equal(fz_codec_load(dict.data, dict.len, NULL), c);

    size_t plain_total = 0, packed_total = 0, alone_total = 0, off = 0;
    char alone[8192];
    struct fz_buf out = FZ_BUF_INIT;
    for (size_t i = 0; i < test.n; off += test.sizes[i++]) {
        const char *rec = test.bytes.data + off;
        struct fz_buf b = FZ_BUF_INIT;
        assert_int_equal(fz_buf_append(&b, rec, test.sizes[i]), FZ_OK);
        assert_int_equal(fz_codec_pack(c, &b), FZ_OK);
        assert_true(fz_codec_packed(b.data, b.len));
        const char *got = NULL;
        size_t gl = 0;
        assert_int_equal(fz_codec_unpack(b.data, b.len, &out, &got, &gl),
                         FZ_OK);
        assert_int_equal(gl, test.sizes[i]);
        assert_memory_equal(got, rec, gl);
        plain_total += test.sizes[i];
        packed_total += b.len;
        size_t al = ZSTD_compress(alone, sizeof alone, rec, test.sizes[i], 3);
        assert_false(ZSTD_isError(al));
        alone_total += al < test.sizes[i] ? al : test.sizes[i];
        fz_buf_release(&b);
    }
    print_message("%zu records of other reports: %zu bytes, packed %zu, "
                  "by zstd without the dictionary %zu\n", test.n,
                  plain_total, packed_total, alone_total);
    /* the dictionary is what makes a short record small: learnt from
     * some reports, it packs the others at least a fifth smaller than
     * zstd does each record alone (as Xapian's zlib does) */
    assert_true(packed_total * 5 < alone_total * 4);

    /* a plain record is its own plain form */
    const char *got = NULL;
    size_t gl = 0;
    assert_int_equal(fz_codec_unpack(test.bytes.data, test.sizes[0], &out,
                                     &got, &gl), FZ_OK);
    assert_ptr_equal(got, test.bytes.data);
    assert_int_equal(gl, test.sizes[0]);
    fz_buf_release(&out);
    fz_buf_release(&dict);
    recs_release(&train);
    recs_release(&test);
}

/* Damaged frames, and frames of a dictionary not loaded, are errors,
 * never garbage and never a crash. */
static void test_bad_frames(void **state)
{
    (void)state;
    struct recs train = { FZ_BUF_INIT, NULL, 0, 0 };
    struct recs test = { FZ_BUF_INIT, NULL, 0, 0 };
    load(&train, &test);
    struct fz_buf dict = FZ_BUF_INIT, other = FZ_BUF_INIT, out = FZ_BUF_INIT;
    assert_int_equal(fz_codec_train(train.bytes.data, train.sizes, train.n,
                                    &dict, NULL), FZ_OK);
    const struct fz_codec *c = fz_codec_load(dict.data, dict.len, NULL);
    assert_non_null(c);
    const char *got = NULL;
    size_t gl = 0;

    /* the other half's dictionary, never loaded */
    assert_int_equal(fz_codec_train(test.bytes.data, test.sizes, test.n,
                                    &other, NULL), FZ_OK);
    assert_int_not_equal(ZDICT_getDictID(other.data, other.len),
                         ZDICT_getDictID(dict.data, dict.len));
    char frame[4096];
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    size_t fl = ZSTD_compress_usingDict(cc, frame, sizeof frame, test.bytes.data,
                                 test.sizes[0], other.data, other.len, 3);
    ZSTD_freeCCtx(cc);
    assert_false(ZSTD_isError(fl));
    assert_true(fz_codec_packed(frame, fl));
    assert_int_equal(fz_codec_unpack(frame, fl, &out, &got, &gl), FZ_EINVAL);

    /* every cut of a good frame */
    struct fz_buf b = FZ_BUF_INIT;
    assert_int_equal(fz_buf_append(&b, test.bytes.data, test.sizes[0]),
                     FZ_OK);
    assert_int_equal(fz_codec_pack(c, &b), FZ_OK);
    for (size_t cut = 4; cut < b.len; cut++) {
        char *p = malloc(cut);      /* exactly cut bytes: ASan sees past */
        assert_non_null(p);
        memcpy(p, b.data, cut);
        assert_int_equal(fz_codec_unpack(p, cut, &out, &got, &gl),
                         FZ_EINVAL);
        free(p);
    }
    /* too few records to learn from */
    assert_int_equal(fz_codec_train(train.bytes.data, train.sizes, 10,
                                    &other, NULL), FZ_EINVAL);
    /* not a dictionary */
    char *err = NULL;
    assert_null(fz_codec_load("{\"p\":{}}", 8, &err));
    assert_non_null(err);
    free(err);
    fz_buf_release(&b);
    fz_buf_release(&out);
    fz_buf_release(&dict);
    fz_buf_release(&other);
    recs_release(&train);
    recs_release(&test);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_size),
        cmocka_unit_test(test_bad_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
