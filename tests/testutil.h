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
#include <cmocka.h>

#include "text/buf.h"

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

#endif
