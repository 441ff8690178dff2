/* tests/testutil.h - what every test program needs: cmocka in the order
 * it wants, and reading fixture files. */
#ifndef FZ_TESTUTIL_H
#define FZ_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/fz.h"
#include "reader/report.h"

/* $FZ_CORPUS or $FZ_TESTDATA joined with name; static buffer. */
static inline const char *test_path(const char *env, const char *dflt,
                                    const char *name)
{
    static char path[4096];
    const char *dir = getenv(env);
    snprintf(path, sizeof path, "%s/%s", dir ? dir : dflt, name);
    return path;
}
#define CORPUS(name) test_path("FZ_CORPUS", "corpus", name)
#define TESTDATA(name) test_path("FZ_TESTDATA", "tests/data", name)

/* The whole of path, NUL-terminated; fails the test if unreadable. */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    struct fz_buf b = FZ_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(fz_buf_append(&b, chunk, n), 0);
    fclose(f);
    return fz_buf_detach(&b, len);
}

/* The exit status of cmd from its wait status st.  A command killed by a
 * signal (or a shell reporting one as 128+n) fails the test there, naming
 * the signal: a crash is never read as an ordinary exit status.  The test
 * runners turn core dumps off (ulimit -c 0), so a crash leaves no core. */
static inline int test_status(const char *cmd, int st)
{
    int sig = WIFSIGNALED(st) ? WTERMSIG(st)
            : WIFEXITED(st) && WEXITSTATUS(st) > 128 ? WEXITSTATUS(st) - 128
            : 0;
    if (sig)
        fail_msg("killed by signal %d (%s): %.200s", sig, strsignal(sig),
                 cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run a shell command; its stdout appended to out (if not NULL); its
 * exit status.  A crash fails the test (test_status). */
static inline int test_run(const char *cmd, struct fz_buf *out)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        if (out)
            assert_int_equal(fz_buf_append(out, buf, n), 0);
    int st = pclose(p);
    return test_status(cmd, st);
}

/* test_run() of a printf-formatted command, its stdout left alone. */
static inline int test_sh(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));
static inline int test_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return test_status(cmd, st);
}

/* The code point of the valid UTF-8 at s, its length in *n: the tests'
 * own decoder, independent of the library's. */
static inline uint32_t test_cp_at(const char *s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *n = 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *n = 2;
        return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *n = 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6
               | (p[2] & 0x3F);
    }
    *n = 4;
    return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12
           | (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

/* Each record of corpus/'s JSON Lines file (the State Council reports),
 * parsed, passed to fn with ctx, released after. */
static inline void test_each_record(void (*fn)(const struct fz_record *rec,
                                               void *ctx), void *ctx)
{
    size_t len;
    char *all = test_slurp(CORPUS("gov-work-reports-1954-2025.jsonl"), &len);
    char *save = NULL;
    for (char *l = strtok_r(all, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        struct fz_record rec;
        assert_int_equal(fz_record_parse(l, strlen(l), &rec, NULL), FZ_OK);
        fn(&rec, ctx);
        fz_record_release(&rec);
    }
    free(all);
}

struct test_report_fn {
    struct fz_textctx *tc;
    void (*fn)(struct fz_report *r);
};

/* A record through the pipeline, to a test_each_corpus_report() fn. */
static inline void test_record_report(const struct fz_record *rec, void *ctx)
{
    struct test_report_fn *c = ctx;
    struct fz_report *r = NULL;
    assert_int_equal(fz_report_parse(c->tc, rec->text, rec->len, &rec->given,
                                     NULL, &r, NULL), FZ_OK);
    c->fn(r);
    fz_report_free(r);
}

/* Every report of corpus/ as fzindex reads it, passed to fn and freed
 * after: the five seeds with their sidecars, then the records of the JSON
 * Lines file.  fn may take what it wants out of the report. */
static inline void test_each_corpus_report(struct fz_textctx *tc,
                                           void (*fn)(struct fz_report *r))
{
    static const char *const seeds[] = {
        "000_b603a63773e2a13c", "001_5786f2a229778fa1",
        "002_3bd825ff36a50f76", "003_65475f305930a54e",
        "004_1125619140e8c921",
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char name[64];
        size_t len, slen = 0;
        snprintf(name, sizeof name, "%s.txt", seeds[i]);
        char *raw = test_slurp(CORPUS(name), &len);
        snprintf(name, sizeof name, "%s.json", seeds[i]);
        struct fz_record side;
        memset(&side, 0, sizeof side);
        FILE *f = fopen(CORPUS(name), "rb");
        if (f != NULL) {
            fclose(f);
            char *js = test_slurp(CORPUS(name), &slen);
            assert_int_equal(fz_sidecar_parse(js, slen, &side, NULL), FZ_OK);
            free(js);
        }
        struct fz_report *r = NULL;
        assert_int_equal(fz_report_parse(tc, raw, len, &side.given, NULL,
                                         &r, NULL), FZ_OK);
        fn(r);
        fz_report_free(r);
        fz_record_release(&side);
        free(raw);
    }
    struct test_report_fn c = { tc, fn };
    test_each_record(test_record_report, &c);
}

#endif
