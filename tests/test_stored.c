/* tests/test_stored.c - the stored record (store/stored.h).
 *
 * The expected bytes come from outside the code under test: fzindex
 * indexes corpus/ into a temporary index, each passage's stored data is
 * read back through the shim, and fz_stored_write(), given the same
 * reports read with reader/report.h, must write exactly those bytes;
 * parsing them must give back what was written. */
#include "tests/testutil.h"

#include <limits.h>
#include <unistd.h>

#include "shim/fzx.h"
#include "store/schema.h"
#include "store/stored.h"

static char tmp[] = "/tmp/fz-test-stored-XXXXXX";
static char idx[PATH_MAX];
static fzx_db *db;
static const struct fz_codec *codec;   /* the index's (FZ_ZDICT_KEY) */
static struct fz_textctx tc;
static size_t n_checked, n_whole;

static int setup(void **state)
{
    (void)state;
    const char *bin = getenv("FZ_BIN");
    if (mkdtemp(tmp) == NULL)
        return -1;
    snprintf(idx, sizeof idx, "%s/idx", tmp);
    if (test_sh("%s/fzindex -q --db %s %s", bin ? bin : "build", idx,
                CORPUS("")) != 0)
        return -1;
    int code = 0;
    if ((db = fzx_db_open(idx, &code, NULL)) == NULL)
        return -1;
    size_t zlen = 0;
    char *zdict = fzx_db_get_metadata(db, FZ_ZDICT_KEY, &zlen, NULL);
    codec = zdict ? fz_codec_load(zdict, zlen, NULL) : NULL;
    free(zdict);
    return fz_textctx_open(&tc, NULL, NULL) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fzx_db_close(db);
    fz_textctx_close(&tc);
    test_sh("rm -rf %s", tmp);
    return 0;
}

static void same_strings(const char **got, size_t n_got,
                         char *const *want, size_t n_want)
{
    assert_int_equal(n_got, n_want);
    for (size_t k = 0; k < n_want; k++)
        assert_string_equal(got[k], want[k]);
}

/* NULL for an unknown value, which the record stores as null. */
static void same_str(const char *got, const char *want)
{
    if (want == NULL || *want == '\0')
        assert_null(got);
    else
        assert_string_equal(got, want);
}

/* What the searcher showed as the --like example before the record had
 * an owner: the stored JSON, cJSON's own tree, with the folded text and
 * title deleted. */
static void check_like_view(const struct fz_stored *s, const char *data,
                            size_t len)
{
    cJSON *want = cJSON_ParseWithLength(data, len);
    assert_non_null(want);
    cJSON_DeleteItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(want, "p"), "norm");
    cJSON_DeleteItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(want, "r"), "ntitle");
    cJSON *got = fz_stored_to_json(s, NULL);
    char *w = cJSON_PrintUnformatted(want), *g = cJSON_PrintUnformatted(got);
    assert_string_equal(g, w);
    free(w);
    free(g);
    cJSON_Delete(got);
    cJSON_Delete(want);
}


/* fz_stored_peek() reads what fz_stored_parse() does: the folded text,
 * the report id, whether the record is whole and its folded title. */
static void same_peek(const char *data, size_t len, const struct fz_stored *s)
{
    struct fz_stored_peek pk = FZ_STORED_PEEK_INIT;
    assert_int_equal(fz_stored_peek(data, len, &pk), FZ_OK);
    assert_int_equal(pk.norm.len, strlen(s->p.norm));
    assert_string_equal(fz_buf_cstr(&pk.norm), s->p.norm);
    assert_string_equal(fz_buf_cstr(&pk.rid), s->r.id);
    assert_int_equal(pk.whole, s->r.whole);
    assert_int_equal(pk.has_ntitle, s->r.ntitle != NULL);
    if (s->r.ntitle)
        assert_string_equal(fz_buf_cstr(&pk.ntitle), s->r.ntitle);
    fz_stored_peek_release(&pk);
}

/* Every passage of report r (from file path, record number record). */
static void check_report(const struct fz_report *r, const char *path,
                         size_t record)
{
    char rid[17];
    (void)record;
    /* a report's id is its text's: FNV-1a 64 (offset basis
     * 0xcbf29ce484222325, prime 0x100000001b3, as in the FNV reference)
     * over each passage's folded text followed by a newline */
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < r->passages.n; i++) {
        const char *t = fz_buf_cstr(&r->norm[i].text);
        for (size_t k = 0; k <= strlen(t); k++) {
            h ^= (unsigned char)(t[k] ? t[k] : '\n');
            h *= 0x100000001b3ULL;
        }
    }
    snprintf(rid, sizeof rid, "%016llx", h);
    const struct fz_meta *m = &r->meta;
    char *ntitle = m->title ? fz_norm_str(tc.norm, m->title,
                                          strlen(m->title)) : NULL;
    const char *paths[1] = { path };
    struct fz_stored_source src = { rid, m, ntitle, paths, 1, 0 };
    char rterm[24];
    snprintf(rterm, sizeof rterm, FZ_PREFIX_REPORT "%s", rid);
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        const char *norm = fz_buf_cstr(&r->norm[i].text);
        char key[48], pid[40];
        size_t len = 0;
        int n = snprintf(key, sizeof key, FZ_PASSAGE_KEY_FMT, rid,
                         p->ordinal);
        char *data = fzx_db_get_data_by_value(db, rterm, strlen(rterm),
                                              FZ_SLOT_PASSAGE, key,
                                              (size_t)n, &len, NULL);
        if (data == NULL)
            fail_msg("%s passage %zu: not in the index", path, p->ordinal);
        struct fz_buf out = FZ_BUF_INIT, plain = FZ_BUF_INIT;
        const char *rec = NULL;
        size_t rlen = 0;
        assert_int_equal(fz_stored_write(&out, &src, p, norm, i == 0), FZ_OK);
        /* the index packed its records with its dictionary: unpacked they
         * are the writer's bytes */
        assert_true(fz_codec_packed(data, len));
        assert_int_equal(fz_codec_unpack(data, len, &plain, &rec, &rlen), FZ_OK);
        if (out.len != rlen || memcmp(out.data, rec, rlen) != 0)
            fail_msg("%s passage %zu:\nindex:  %.*s\nwriter: %s", path,
                     p->ordinal, (int)rlen, rec, fz_buf_cstr(&out));
        /* and the writer's bytes packed are the index's */
        struct fz_buf packed = FZ_BUF_INIT;
        assert_int_equal(fz_buf_append(&packed, out.data, out.len), FZ_OK);
        assert_int_equal(fz_codec_pack(codec, &packed), FZ_OK);
        assert_int_equal(packed.len, len);
        assert_memory_equal(packed.data, data, len);
        fz_buf_release(&packed);

        struct fz_stored s = FZ_STORED_INIT;
        assert_int_equal(fz_stored_parse(data, len, &s, NULL), FZ_OK);
        snprintf(pid, sizeof pid, "%s-%zu", rid, p->ordinal);
        assert_string_equal(s.p.id, pid);
        assert_int_equal(s.p.ordinal, p->ordinal);
        same_strings(s.p.section, s.p.n_section, p->section, p->n_section);
        assert_int_equal(s.p.heading, p->heading);
        assert_string_equal(s.p.text, p->text);
        assert_string_equal(s.p.norm, norm);
        assert_string_equal(s.r.id, rid);
        assert_int_equal(s.r.whole, i == 0);
        if (i == 0) {
            same_str(s.r.title, m->title);
            same_str(s.r.ntitle, ntitle);
            same_str(s.r.issuer, m->issuer);
            same_strings(s.r.region, s.r.n_region,
                         (char *const *)m->region.chain, m->region.depth);
            same_str(s.r.region_code, m->region.code);
            assert_string_equal(s.r.level, fz_level_name(m->level));
            assert_int_equal(s.r.year, m->year);
            same_str(s.r.date, m->date);
            same_str(s.r.url, m->url);
            same_str(s.r.source, m->source);
            assert_string_equal(s.r.path, path);
            assert_int_equal(s.r.n_paths, 1);
            assert_string_equal(s.r.paths[0], path);
            check_like_view(&s, rec, rlen);
            n_whole++;
        } else {
            assert_null(s.r.title);
            assert_int_equal(s.r.n_region, 0);
        }
        same_peek(data, len, &s);
        fz_stored_release(&s);
        assert_null(s.tree_);
        fz_buf_release(&out);
        fz_buf_release(&plain);
        free(data);
        n_checked++;
    }
    free(ntitle);
}

/* corpus/ as fzindex reads it: each report file with its sidecar and
 * its name as the fallback title (record 0), and each non-blank line of
 * a JSON Lines file (record: the line number). */
static void test_writer_matches_index(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "000_b603a63773e2a13c", "001_5786f2a229778fa1",
        "002_3bd825ff36a50f76", "003_65475f305930a54e",
        "004_1125619140e8c921",
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char name[64], *path;
        size_t len;
        snprintf(name, sizeof name, "%s.txt", seeds[i]);
        assert_non_null(path = realpath(CORPUS(name), NULL));
        char *raw = test_slurp(path, &len);
        struct fz_record side;
        memset(&side, 0, sizeof side);
        int have = fz_sidecar_load(path, NULL, &side, NULL);
        assert_true(have >= 0);
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse(&tc, raw, len,
                                         have ? &side.given : NULL,
                                         seeds[i], &r, NULL), FZ_OK);
        check_report(r, path, 0);
        fz_report_free(r);
        fz_record_release(&side);
        free(raw);
        free(path);
    }
    char *path = realpath(CORPUS("gov-work-reports-1954-2025.jsonl"), NULL);
    assert_non_null(path);
    size_t len, lineno = 0, n_reports = 0;
    char *all = test_slurp(path, &len);
    for (char *l = all, *e; l < all + len; l = e + 1) {
        e = memchr(l, '\n', (size_t)(all + len - l));
        if (e == NULL)
            e = all + len;
        *e = '\0';
        lineno++;
        if (strspn(l, " \r\t") == strlen(l))
            continue;
        struct fz_record rec;
        struct fz_report *r = NULL;
        assert_int_equal(fz_record_parse(l, strlen(l), &rec, NULL), FZ_OK);
        assert_int_equal(fz_report_parse(&tc, rec.text, rec.len, &rec.given,
                                         NULL, &r, NULL), FZ_OK);
        check_report(r, path, lineno);
        n_reports++;
        fz_report_free(r);
        fz_record_release(&rec);
    }
    free(all);
    free(path);
    /* every document of the index was compared */
    assert_int_equal(n_checked, fzx_db_doccount(db, NULL, NULL));
    assert_int_equal(n_whole, 5 + n_reports);
    printf("stored: %zu passages of %zu reports byte for byte\n", n_checked,
           n_whole);
}

/* Records written by hand. */
static void test_parse_cases(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        const char *text, *norm, *rid;
        int whole;
    } cases[] = {
        { "{\"p\":{\"id\":\"0123456789abcdef-2\",\"ordinal\":2,\"section\":"
          "[],\"heading\":false,\"text\":\"覆議\",\"norm\":\"复议\"},"
          "\"r\":{\"id\":\"0123456789abcdef\"}}",
          FZ_OK, "覆議", "复议", "0123456789abcdef", 0 },
        { "{\"p\":{\"text\":\"行政复议\"},\"r\":{\"id\":\"00\","
          "\"level\":\"county\",\"year\":null}}",
          FZ_OK, "行政复议", "行政复议", "00", 1 },
        { "", FZ_EINVAL, NULL, NULL, NULL, 0 },
        { "not json", FZ_EINVAL, NULL, NULL, NULL, 0 },
        { "{}", FZ_EINVAL, NULL, NULL, NULL, 0 },
        { "{\"p\":{\"text\":\"a\"}}", FZ_EINVAL, NULL, NULL, NULL, 0 },
        { "{\"p\":{\"text\":1},\"r\":{\"id\":\"00\"}}", FZ_EINVAL, NULL,
          NULL, NULL, 0 },
        { "{\"p\":{\"text\":\"a\"},\"r\":{\"id\":null}}", FZ_EINVAL, NULL,
          NULL, NULL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_stored s = FZ_STORED_INIT;
        char *err = NULL;
        int rc = fz_stored_parse(cases[i].in, strlen(cases[i].in), &s, &err);
        assert_int_equal(rc, cases[i].rc);
        struct fz_stored_peek pk = FZ_STORED_PEEK_INIT;
        assert_int_equal(fz_stored_peek(cases[i].in, strlen(cases[i].in),
                                        &pk), rc);
        fz_stored_peek_release(&pk);
        if (rc != FZ_OK) {
            assert_string_equal(err, "damaged record");
            assert_null(s.tree_);
            free(err);
            continue;
        }
        assert_null(err);
        assert_string_equal(s.p.text, cases[i].text);
        assert_string_equal(s.p.norm, cases[i].norm);
        assert_string_equal(s.r.id, cases[i].rid);
        assert_int_equal(s.r.whole, cases[i].whole);
        assert_int_equal(s.r.year, 0);
        assert_int_equal(s.p.n_section, 0);
        same_peek(cases[i].in, strlen(cases[i].in), &s);
        fz_stored_release(&s);
    }
}

/* Strings cJSON escapes, keys the peek looks for used as values and in
 * nested places, members in other orders: peeking and parsing agree on
 * every record built from them, and a record cut anywhere is refused by
 * both or read alike. */
static void test_peek_agrees(void **state)
{
    (void)state;
    static const char *const strs[] = {
        "", "行政复议", "say \"norm\": \\ back/slash", "tab\tnew\nline\r",
        "\x01\x1f\x7f ctl", "\xe2\x80\xa8 sep \xf0\xa0\x80\x80 astral",
        "{\"p\":{\"text\":\"x\"}}", "text", "norm", "level",
    };
    size_t n = sizeof strs / sizeof strs[0], tried = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            for (int shape = 0; shape < 4; shape++) {
                cJSON *o = cJSON_CreateObject(), *p = cJSON_CreateObject();
                cJSON *r = cJSON_CreateObject(), *sec = cJSON_CreateArray();
                cJSON_AddItemToArray(sec, cJSON_CreateString(strs[b]));
                cJSON *nest = cJSON_CreateObject();
                cJSON_AddStringToObject(nest, "text", strs[b]);
                cJSON_AddStringToObject(nest, "id", "nested");
                if (shape & 1)      /* the folded text before the text */
                    cJSON_AddStringToObject(p, "norm", strs[b]);
                cJSON_AddItemToObject(p, "section", sec);
                cJSON_AddItemToObject(p, "extra", nest);
                cJSON_AddStringToObject(p, "text", strs[a]);
                if (shape == 2)
                    cJSON_AddStringToObject(p, "norm", strs[b]);
                cJSON_AddStringToObject(r, "id", strs[a]);
                if (shape >= 2) {   /* a whole report record */
                    cJSON_AddStringToObject(r, "title", strs[b]);
                    if (shape == 2)
                        cJSON_AddStringToObject(r, "ntitle", strs[a]);
                    else
                        cJSON_AddNullToObject(r, "ntitle");
                    cJSON_AddStringToObject(r, "level", "county");
                    cJSON_AddNullToObject(r, "year");
                }
                if (shape & 1) {    /* the report before the passage */
                    cJSON_AddItemToObject(o, "r", r);
                    cJSON_AddItemToObject(o, "p", p);
                } else {
                    cJSON_AddItemToObject(o, "p", p);
                    cJSON_AddItemToObject(o, "r", r);
                }
                char *json = cJSON_PrintUnformatted(o);
                assert_non_null(json);
                size_t len = strlen(json);
                for (size_t cut = 0; cut <= len; cut++) {
                    /* a buffer of exactly cut bytes: a sanitizer
                     * build catches a read past it */
                    char *c = malloc(cut ? cut : 1);
                    assert_non_null(c);
                    memcpy(c, json, cut);
                    struct fz_stored s = FZ_STORED_INIT;
                    struct fz_stored_peek pk = FZ_STORED_PEEK_INIT;
                    int rc = fz_stored_parse(c, cut, &s, NULL);
                    int pr = fz_stored_peek(c, cut, &pk);
                    if (cut == len)
                        assert_int_equal(rc, FZ_OK);
                    if (rc == FZ_OK && pr == FZ_OK)
                        same_peek(c, cut, &s);
                    else if (cut == len)
                        fail_msg("peek %d on %s", pr, json);
                    fz_stored_peek_release(&pk);
                    fz_stored_release(&s);
                    free(c);
                    tried++;
                }
                free(json);
                cJSON_Delete(o);
            }
    printf("peek: %zu records and cuts agree with parsing\n", tried);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_matches_index),
        cmocka_unit_test(test_parse_cases),
        cmocka_unit_test(test_peek_agrees),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
