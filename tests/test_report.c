/* JSON Lines records and sidecars as they come from the web: what is
 * refused and why (reader/report.h), before cJSON sees the bytes.  The
 * expected messages are reader/report.h's; the depths are counted by hand
 * (each '[' or '{' opens one level, the record itself is level 1). */
#include "tests/testutil.h"

#include "base/fz.h"
#include "reader/report.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* s with n '[' before and n ']' after "1", as the value of "x" in a record
 * that has text: nesting n + 1 deep.  malloc'd. */
static char *nested(size_t n)
{
    struct fz_buf b = FZ_BUF_INIT;
    assert_int_equal(fz_buf_appends(&b, "{\"text\":\"正文\",\"x\":"), FZ_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fz_buf_appendc(&b, '['), FZ_OK);
    assert_int_equal(fz_buf_appendc(&b, '1'), FZ_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fz_buf_appendc(&b, ']'), FZ_OK);
    assert_int_equal(fz_buf_appendc(&b, '}'), FZ_OK);
    return fz_buf_detach(&b, NULL);
}

static const struct {
    const char *line, *err;     /* err NULL: accepted */
} records[] = {
    { "{\"text\":\"正文\"}", NULL },
    { "{\"content\":\"正文\",\"title\":\"标题\"}", NULL },
    { "{\"title\":\"标题\"}", "no \"text\" or \"content\" string" },
    { "{\"text\":42}", "no \"text\" or \"content\" string" },
    { "{\"title\":\"标题\", broken", "not valid JSON" },
    { "[\"text\",\"正文\"]", "not a JSON object" },
    { "", "not valid JSON" },
    /* brackets inside strings, escaped quotes among them, are text */
    { "{\"text\":\"[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[[[[[[[[[[[[\"}", NULL },
    /* one record a line, nothing after it but space */
    { "{\"text\":\"正文\"}  \r", NULL },
    { "{\"text\":\"正文\"}]", "not valid JSON" },
    { "{\"text\":\"正文\"} {\"text\":\"又一\"}", "not valid JSON" },
};

static void test_records(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        struct fz_record rec;
        char *err = NULL;
        int rc = fz_record_parse(records[i].line, strlen(records[i].line),
                                 &rec, &err);
        if (records[i].err == NULL) {
            if (rc != FZ_OK)
                fail_msg("%zu: refused: %s", i, err ? err : "?");
            assert_non_null(rec.text);
        } else if (rc != FZ_EINVAL || err == NULL
                   || strcmp(err, records[i].err) != 0) {
            fail_msg("%zu: code %d, \"%s\", want \"%s\"", i, rc,
                     err ? err : "(none)", records[i].err);
        }
        fz_record_release(&rec);
        free(err);
    }
}

/* 16 levels are a record, 17 are not, nor a million: refused by counting,
 * quickly, before cJSON (whose own limit is 1000) would recurse. */
static void test_depth(void **state)
{
    (void)state;
    static const struct { size_t n; int ok; } depths[] = {
        { 15, 1 }, { 16, 0 }, { 999, 0 }, { 1000000, 0 },
    };
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        char *line = nested(depths[i].n);
        struct fz_record rec;
        char *err = NULL;
        int rc = fz_record_parse(line, strlen(line), &rec, &err);
        if (depths[i].ok) {
            assert_int_equal(rc, FZ_OK);
        } else {
            assert_int_equal(rc, FZ_EINVAL);
            assert_string_equal(err, "nested deeper than 16 levels");
        }
        fz_record_release(&rec);
        free(err);
        free(line);
    }
    /* closes that open nothing do not hide the opens after them */
    struct fz_buf b = FZ_BUF_INIT;
    char *deep = nested(16);
    assert_int_equal(fz_buf_appends(&b, "]]]]]]]]]]]]]]]]]]]]"), FZ_OK);
    assert_int_equal(fz_buf_appends(&b, deep), FZ_OK);
    struct fz_record rec;
    char *err = NULL;
    assert_int_equal(fz_record_parse(b.data, b.len, &rec, &err), FZ_EINVAL);
    assert_string_equal(err, "nested deeper than 16 levels");
    free(err);
    free(deep);
    fz_buf_release(&b);
}

/* A record of FZ_RECORD_MAX_BYTES is read; one byte more is refused by its
 * length alone. */
static void test_size(void **state)
{
    (void)state;
    size_t max = FZ_RECORD_MAX_BYTES;
    char *line = malloc(max + 2);
    assert_non_null(line);
    static const char head[] = "{\"text\":\"";
    memcpy(line, head, sizeof head - 1);
    memset(line + sizeof head - 1, 'a', max - (sizeof head - 1) - 2);
    memcpy(line + max - 2, "\"}", 3);
    assert_int_equal(strlen(line), max);
    struct fz_record rec;
    char *err = NULL;
    assert_int_equal(fz_record_parse(line, max, &rec, &err), FZ_OK);
    fz_record_release(&rec);
    memcpy(line + max - 2, " \"}", 4);
    assert_int_equal(fz_record_parse(line, max + 1, &rec, &err), FZ_EINVAL);
    assert_string_equal(err, "record of 16.0 MiB, larger than a report may "
                        "be (16 MiB)");
    free(err);
    free(line);
}

/* A sidecar is read only when it is a file of its own: not through a
 * symbolic link (which could lead anywhere), not a FIFO (which would block
 * the indexer), not one larger than a record. */
static void test_sidecar(void **state)
{
    (void)state;
    char dir[] = "/tmp/fz-test-report-XXXXXX", p[256], q[256];
    assert_non_null(mkdtemp(dir));
    struct fz_record rec;
    char *err = NULL;

    /* a plain sidecar is read */
    snprintf(p, sizeof p, "%s/a.json", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("{\"title\":\"旁注标题\"}", f);
    fclose(f);
    snprintf(q, sizeof q, "%s/a.txt", dir);
    assert_int_equal(fz_sidecar_load(q, NULL, &rec, &err), 1);
    assert_string_equal(rec.given.title, "旁注标题");
    fz_record_release(&rec);

    /* b.json -> a.json: refused, though it leads to a good sidecar */
    snprintf(q, sizeof q, "%s/b.json", dir);
    assert_int_equal(symlink(p, q), 0);
    snprintf(q, sizeof q, "%s/b.txt", dir);
    assert_int_equal(fz_sidecar_load(q, NULL, &rec, &err), -1);
    snprintf(q, sizeof q, "%s/b.json: symbolic link, not followed", dir);
    assert_string_equal(err, q);

    /* c.json a FIFO: refused at once */
    snprintf(q, sizeof q, "%s/c.json", dir);
    assert_int_equal(mkfifo(q, 0600), 0);
    snprintf(q, sizeof q, "%s/c.txt", dir);
    assert_int_equal(fz_sidecar_load(q, NULL, &rec, &err), -1);
    snprintf(q, sizeof q, "%s/c.json: not a regular file", dir);
    assert_string_equal(err, q);

    /* d.json one byte larger than a record: refused unread */
    snprintf(q, sizeof q, "%s/d.json", dir);
    f = fopen(q, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)FZ_RECORD_MAX_BYTES + 1),
                     0);
    fclose(f);
    snprintf(q, sizeof q, "%s/d.txt", dir);
    assert_int_equal(fz_sidecar_load(q, NULL, &rec, &err), -1);
    snprintf(q, sizeof q, "%s/d.json: larger than a record may be (16 MiB)",
             dir);
    assert_string_equal(err, q);

    /* none at all */
    snprintf(q, sizeof q, "%s/e.txt", dir);
    assert_int_equal(fz_sidecar_load(q, NULL, &rec, &err), 0);
    free(err);

    static const char *const names[] = { "a", "b", "c", "d" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "%s/%s.json", dir, names[i]);
        unlink(q);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_sidecar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
