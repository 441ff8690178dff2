/* tests/shimfixture.h - what the shim's tests share: a temp directory per
 * test (setup/teardown), documents built from tables, and searches with
 * their hits as strings.  See test_shim.c for how weights are worked. */
#ifndef FZ_SHIMFIXTURE_H
#define FZ_SHIMFIXTURE_H

#include "tests/testutil.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>

#include "shim/fzx.h"
#include "shim/fzx_test.h"
#include "base/fz.h"

/* ---- fixture: a temp directory per test ------------------------------- */

struct fixture {
    char dir[64];       /* made by mkdtemp */
    char db[96];        /* dir/db: not there until a writer makes it */
};

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    strcpy(f->dir, "/tmp/fzx-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/db", f->dir);
    *state = f;
    return 0;
}

static inline int rm_one(const char *path, const struct stat *sb, int type,
                  struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return rc;
}

/* ---- building documents from tables ----------------------------------- */

struct spec {
    const char *id;     /* unique id term */
    const char *data;
    const char *terms;  /* words; each occurrence adds 1 to the wdf */
    const char *text;   /* words at positions 1, 2, ... (wdf 1 each) */
    const char *bools;  /* boolean terms */
    const char *v0;     /* value slot 0; NULL: unset */
};

enum kind { TERMS, TEXT, BOOLS };

static inline void add_words(fzx_doc *d, const char *s, enum kind k)
{
    unsigned pos = 1;
    while (s != NULL && *s != '\0') {
        size_t n = strcspn(s, " ");
        if (n > 0) {
            int rc = k == TERMS ? fzx_doc_add_term(d, s, n, 1)
                   : k == TEXT  ? fzx_doc_add_posting(d, s, n, pos++)
                   : fzx_doc_add_boolean(d, s, n);
            assert_int_equal(rc, FZ_OK);
        }
        s += n + (s[n] == ' ');
    }
}

static inline void put(fzx_writer *w, const struct spec *s)
{
    fzx_doc *d = fzx_doc_new();
    assert_non_null(d);
    add_words(d, s->terms, TERMS);
    add_words(d, s->text, TEXT);
    add_words(d, s->bools, BOOLS);
    if (s->v0 != NULL)
        assert_int_equal(fzx_doc_set_value(d, 0, s->v0, strlen(s->v0)),
                         FZ_OK);

    assert_int_equal(fzx_doc_set_data(d, s->data, strlen(s->data)), FZ_OK);
    char *err = NULL;
    assert_int_equal(fzx_writer_replace(w, s->id, strlen(s->id), d, &err),
                     FZ_OK);
    assert_null(err);
    fzx_doc_free(d);
}

static inline fzx_writer *open_writer(const char *path)
{
    int code = -1;
    char *err = NULL;
    fzx_writer *w = fzx_writer_open(path, &code, &err);
    if (w == NULL)
        fail_msg("fzx_writer_open: %d %s", code, err ? err : "(null)");
    assert_int_equal(code, FZ_OK);
    return w;
}

static inline void close_writer(fzx_writer *w)
{
    char *err = NULL;
    assert_int_equal(fzx_writer_close(w, &err), FZ_OK);
    assert_null(err);
}

/* Write docs[0..n) in order (so docids 1..n) and close, which commits. */
static inline void build(const char *path, const struct spec *docs, size_t n)
{
    fzx_writer *w = open_writer(path);
    for (size_t i = 0; i < n; i++)
        put(w, &docs[i]);
    close_writer(w);
}

static inline fzx_db *open_db(const char *path)
{
    int code = -1;
    char *err = NULL;
    fzx_db *db = fzx_db_open(path, &code, &err);
    if (db == NULL)
        fail_msg("fzx_db_open: %d %s", code, err ? err : "(null)");
    return db;
}

static inline fzx_mset *search(fzx_db *db, const fzx_query *q, unsigned offset,
                        unsigned limit, int collapse, unsigned check)
{
    struct fzx_search how = { .offset = offset, .limit = limit,
                              .collapse_slot = collapse,
                              .check_at_least = check };
    int code = -1;
    char *err = NULL;
    fzx_mset *m = fzx_search_run(db, q, &how, &code, &err);
    if (m == NULL)
        fail_msg("fzx_search_run: %d %s", code, err ? err : "(null)");
    assert_int_equal(code, FZ_OK);
    return m;
}

/* The data of every hit, in rank order, joined with ","; caller frees. */
static inline char *hit_list(const fzx_mset *m)
{
    struct fz_buf b = FZ_BUF_INIT;
    for (size_t i = 0; i < fzx_mset_size(m); i++) {
        size_t len = 0;
        int code = -1;
        char *data = fzx_mset_data(m, i, &len, &code, NULL);
        assert_non_null(data);
        assert_int_equal(code, FZ_OK);
        if (i > 0)
            assert_int_equal(fz_buf_appendc(&b, ','), FZ_OK);
        assert_int_equal(fz_buf_append(&b, data, len), FZ_OK);
        free(data);
    }
    return fz_buf_detach(&b, NULL);
}

/* Run q (freed here) from rank offset, and compare the hits with want. */
static inline void expect_hits(fzx_db *db, fzx_query *q, unsigned offset,
                        unsigned limit, int collapse, const char *want)
{
    assert_non_null(q);
    fzx_mset *m = search(db, q, offset, limit, collapse, 0);
    char *got = hit_list(m);
    assert_string_equal(got, want);
    free(got);
    fzx_mset_free(m);
    fzx_query_free(q);
}

static inline fzx_query *term(const char *t)
{
    fzx_query *q = fzx_query_term(t, strlen(t));
    assert_non_null(q);
    return q;
}

/* op over the space-separated terms of s, as term queries. */
static inline fzx_query *combine(enum fzx_op op, const char *s, unsigned window)
{
    fzx_query *subs[8];
    size_t n = 0;
    while (*s != '\0') {
        size_t len = strcspn(s, " ");
        assert_true(n < 8);
        subs[n] = fzx_query_term(s, len);
        assert_non_null(subs[n]);
        n++;
        s += len + (s[len] == ' ');
    }
    return fzx_query_combine(op, subs, n, window);
}

/* The weight of the hit whose data is want (fails if it is not a hit). */
static inline double weight_of(fzx_db *db, fzx_query *q, const char *want)
{
    fzx_mset *m = search(db, q, 0, 100, -1, 0);
    double w = -1;
    for (size_t i = 0; i < fzx_mset_size(m); i++) {
        size_t len;
        char *data = fzx_mset_data(m, i, &len, NULL, NULL);
        assert_non_null(data);
        if (strcmp(data, want) == 0)
            w = fzx_mset_weight(m, i);
        free(data);
    }
    fzx_mset_free(m);
    fzx_query_free(q);
    if (w < 0)
        fail_msg("%s is not a hit", want);
    return w;
}

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* ---- opening ----------------------------------------------------------- */

#endif
