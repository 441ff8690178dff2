/* shim/fzx: the C API over Xapian.
 *
 * Every test gets a fresh directory under /tmp (setup/teardown) and builds
 * the few documents it needs from a table.  Expected hits, orders and
 * weights are worked by hand from those tables.  Weights use Xapian 1.4's
 * BM25 with its default parameters (k1 = 1, k2 = 0, k3 = 1, b = 0.5,
 * min_normlen = 0.5), from xapian-core/weight/bm25weight.cc:
 *
 *   tw  = (N - n + 0.5) / (n + 0.5);  if tw < 2 then tw = tw / 2 + 1
 *   w   = (k1 + 1) ln(tw) * wdf / (k1 (b normlen + 1 - b) + wdf)
 *   normlen = max(doclen / avglen, 0.5)
 *
 * for a query term with wqf 1 (the k3 factor is then 1); a document's
 * length is the sum of its wdfs (boolean terms have wdf 0); a document's
 * weight is the sum over the query terms it matches. */
#include "tests/shimfixture.h"

static void test_version(void **state)
{
    (void)state;
    /* libxapian-dev is 1.4 (pkg-config --modversion xapian-core) */
    assert_memory_equal(fzx_xapian_version(), "1.4.", 4);
}

/* No database: a path that does not exist, and a directory with none. */
static void test_open_missing(void **state)
{
    struct fixture *f = *state;
    const char *paths[] = { f->db, f->dir };
    for (size_t i = 0; i < 2; i++) {
        int code = -1;
        char *err = strdup("old message");     /* replaced, not leaked */
        assert_null(fzx_db_open(paths[i], &code, &err));
        assert_int_equal(code, FZ_ENOTFOUND);
        assert_string_equal(err, "no database found");
        free(err);
    }
    /* code and errptr may both be NULL */
    assert_null(fzx_db_open(f->db, NULL, NULL));
}

/* Not an index: an empty file (which Xapian reads as a stub listing no
 * database, and would open as nothing), and a folder whose version file
 * is not one.  The reasons in parentheses are Xapian's own words. */
static void test_open_not_index(void **state)
{
    struct fixture *f = *state;
    char path[128];
    int code = -1;
    char *err = NULL;
    snprintf(path, sizeof path, "%s/empty", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_null(fzx_db_open(path, &code, &err));
    assert_int_equal(code, FZ_EINDEX);
    assert_string_equal(err, "not an index");
    assert_int_equal(mkdir(f->db, 0755), 0);
    snprintf(path, sizeof path, "%s/iamglass", f->db);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("not a version file, but long enough to be read as one\n", fp);
    fclose(fp);
    assert_null(fzx_db_open(f->db, &code, &err));
    assert_int_equal(code, FZ_EINDEX);
    assert_string_equal(err, "not an index, or a damaged one (rev file "
                        "magic incorrect)");
    free(err);
}

/* ---- writing ----------------------------------------------------------- */

static const struct spec three[] = {
    { "Q1", "one",   "tax fee", NULL, "Gbj", "bj" },
    { "Q2", "two",   "tax",     NULL, "Gbj", "bj" },
    { "Q3", "three", "fee",     NULL, "Gsh", "sh" },
};

static void test_create_and_read(void **state)
{
    struct fixture *f = *state;
    build(f->db, three, 3);     /* the writer made f->db */
    fzx_db *db = open_db(f->db);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 3);
    /* by hand from `three` */
    static const struct { const char *t; unsigned long n; } freq[] = {
        { "tax", 2 }, { "fee", 2 }, { "Gbj", 2 }, { "Gsh", 1 },
        { "Q1", 1 }, { "Q3", 1 }, { "nothing", 0 },
    };
    for (size_t i = 0; i < sizeof freq / sizeof freq[0]; i++)
        assert_int_equal(fzx_db_termfreq(db, freq[i].t, strlen(freq[i].t),
                                         NULL, NULL),
                         freq[i].n);

    size_t len = 99;
    char *err = NULL;
    char *data = fzx_db_get_data_by_term(db, "Q3", 2, &len, NULL, &err);
    assert_string_equal(data, "three");
    assert_int_equal(len, 5);
    free(data);
    /* a group term: the first document it indexes */
    data = fzx_db_get_data_by_term(db, "Gbj", 3, &len, NULL, &err);
    assert_string_equal(data, "one");
    free(data);
    len = 99;
    assert_null(fzx_db_get_data_by_term(db, "Q9", 2, &len, NULL, &err));
    assert_int_equal(len, 0);
    assert_null(err);           /* absent is not an error */

    /* values, through a search: fee matches one (len 2) and three (len 1);
     * three is shorter, so it ranks first. */
    fzx_query *q = term("fee");
    fzx_mset *m = search(db, q, 0, 10, -1, 0);
    assert_int_equal(fzx_mset_size(m), 2);
    char *v = fzx_mset_value(m, 0, 0, &len, &err);
    assert_string_equal(v, "sh");
    assert_int_equal(len, 2);
    free(v);
    v = fzx_mset_value(m, 1, 0, &len, &err);
    assert_string_equal(v, "bj");
    free(v);
    v = fzx_mset_value(m, 1, 5, &len, &err);    /* unset slot */
    assert_string_equal(v, "");
    assert_int_equal(len, 0);
    free(v);
    assert_null(err);
    int code = -1;
    assert_null(fzx_mset_data(m, 2, &len, &code, &err));
    assert_int_equal(code, FZ_EINVAL);
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_null(fzx_mset_value(m, 2, 0, &len, &err));
    assert_non_null(err);
    free(err);
    fzx_mset_free(m);
    fzx_query_free(q);
    fzx_db_close(db);
}

static void test_replace_same_id(void **state)
{
    struct fixture *f = *state;
    build(f->db, three, 3);
    fzx_writer *w = open_writer(f->db);
    static const struct spec again = { "Q2", "two again", "levy", NULL,
                                       NULL, NULL };
    put(w, &again);
    close_writer(w);

    fzx_db *db = open_db(f->db);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 3);
    size_t len;
    char *data = fzx_db_get_data_by_term(db, "Q2", 2, &len, NULL, NULL);
    assert_string_equal(data, "two again");
    free(data);
    /* the old document's terms went with it: tax is left in one only */
    assert_int_equal(fzx_db_termfreq(db, "tax", 3, NULL, NULL), 1);
    assert_int_equal(fzx_db_termfreq(db, "levy", 4, NULL, NULL), 1);
    assert_int_equal(fzx_db_termfreq(db, "Q2", 2, NULL, NULL), 1);
    fzx_db_close(db);
}

static void test_delete(void **state)
{
    struct fixture *f = *state;
    build(f->db, three, 3);
    fzx_writer *w = open_writer(f->db);
    char *err = NULL;
    assert_int_equal(fzx_writer_delete(w, "Q3", 2, &err), FZ_OK);
    assert_int_equal(fzx_writer_has_term(w, "Q3", 2, &err), 0);
    assert_int_equal(fzx_writer_has_term(w, "Q1", 2, &err), 1);
    /* nothing indexed by it: still FZ_OK */
    assert_int_equal(fzx_writer_delete(w, "Q9", 2, &err), FZ_OK);
    close_writer(w);

    fzx_db *db = open_db(f->db);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 2);

    w = open_writer(f->db);
    assert_int_equal(fzx_writer_delete(w, "Gbj", 3, &err), FZ_OK); /* 1, 2 */
    close_writer(w);
    assert_null(err);
    assert_int_equal(fzx_db_reopen(db, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 0);
    fzx_db_close(db);
}

static void test_bad_input(void **state)
{
    struct fixture *f = *state;
    fzx_doc *d = fzx_doc_new();
    assert_non_null(d);
    assert_int_equal(fzx_doc_add_term(d, "", 0, 1), FZ_EINVAL);
    assert_int_equal(fzx_doc_add_posting(d, "", 0, 1), FZ_EINVAL);
    assert_int_equal(fzx_doc_add_boolean(d, "", 0), FZ_EINVAL);
    fzx_writer *w = open_writer(f->db);
    char *err = strdup("old message");
    assert_int_equal(fzx_writer_replace(w, "", 0, d, &err), FZ_EINVAL);
    /* Xapian's message, in fz's form: first word lowercased, no full
     * stop (Xapian says "Empty termnames aren't allowed.") */
    assert_string_equal(err, "empty termnames aren't allowed");
    /* commit with no transaction begun is misuse */
    assert_int_equal(fzx_writer_commit(w, &err), FZ_EINVAL);
    assert_string_equal(err, "cannot commit transaction - no transaction "
                             "currently in progress");
    free(err);
    close_writer(w);
    fzx_doc_free(d);
    /* destructors accept NULL */
    fzx_doc_free(NULL);
    fzx_db_close(NULL);
    fzx_query_free(NULL);
    fzx_mset_free(NULL);
    assert_int_equal(fzx_writer_close(NULL, NULL), FZ_OK);
}

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    char *err = NULL;

    /* cancel leaves nothing */
    fzx_writer *w = open_writer(f->db);
    assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
    put(w, &three[0]);
    assert_int_equal(fzx_writer_has_term(w, "Q1", 2, &err), 1);
    assert_int_equal(fzx_writer_cancel(w, &err), FZ_OK);
    assert_int_equal(fzx_writer_has_term(w, "Q1", 2, &err), 0);
    /* not nested */
    assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
    assert_int_equal(fzx_writer_begin(w, &err), FZ_EINVAL);
    free(err);
    err = NULL;
    assert_int_equal(fzx_writer_cancel(w, &err), FZ_OK);
    close_writer(w);
    fzx_db *db = open_db(f->db);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 0);

    /* a reader keeps the revision it opened until it reopens */
    w = open_writer(f->db);
    put(w, &three[0]);
    assert_int_equal(fzx_writer_begin(w, &err), FZ_OK); /* commits Q1 */
    put(w, &three[1]);
    put(w, &three[2]);
    assert_int_equal(fzx_db_reopen(db, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 1);   /* before commit */
    assert_int_equal(fzx_writer_commit(w, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 1);   /* old revision */
    assert_int_equal(fzx_db_reopen(db, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 3);

    /* close during a transaction drops it */
    assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
    assert_int_equal(fzx_writer_delete(w, "Q1", 2, &err), FZ_OK);
    close_writer(w);
    assert_int_equal(fzx_db_reopen(db, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 3);
    assert_null(err);
    fzx_db_close(db);
}

static void test_lock(void **state)
{
    struct fixture *f = *state;
    fzx_writer *w = open_writer(f->db);
    int code = -1;
    char *err = NULL;
    assert_null(fzx_writer_open(f->db, &code, &err));
    assert_int_equal(code, FZ_ELOCKED);
    assert_string_equal(err, "index is locked by another writer");
    free(err);
    err = NULL;
    put(w, &three[0]);          /* the first writer is unharmed */
    close_writer(w);
    w = open_writer(f->db);     /* and once it is gone, a new one opens */
    assert_int_equal(fzx_writer_has_term(w, "Q1", 2, NULL), 1);
    close_writer(w);
    /* a lock that cannot be taken for another reason is not "locked by
     * another writer": waiting would not help.  A folder where the lock
     * file should be stops root too. */
    char path[128];
    snprintf(path, sizeof path, "%s/flintlock", f->db);
    assert_int_equal(remove(path), 0);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_null(fzx_writer_open(f->db, &code, &err));
    assert_int_equal(code, FZ_EINDEX);
    assert_string_equal(err, "cannot lock the index for writing (couldn't "
                        "open lockfile: Is a directory)");
    free(err);
}

static void test_metadata(void **state)
{
    struct fixture *f = *state;
    static const char val[] = "v\0x\xe6\x94\xbf";       /* "v", NUL, "x", 政 */
    const size_t vlen = sizeof val - 1;                 /* 6 bytes */
    fzx_writer *w = open_writer(f->db);
    char *err = NULL;
    assert_int_equal(fzx_writer_set_metadata(w, "schema", val, vlen, &err),
                     FZ_OK);
    size_t len = 0;
    char *got = fzx_writer_get_metadata(w, "schema", &len, &err);
    assert_int_equal(len, vlen);
    assert_memory_equal(got, val, vlen);
    free(got);
    len = 99;
    assert_null(fzx_writer_get_metadata(w, "absent", &len, &err));
    assert_int_equal(len, 0);
    assert_int_equal(fzx_writer_set_metadata(w, "", "x", 1, &err),
                     FZ_EINVAL);                        /* empty key */
    free(err);
    err = NULL;
    close_writer(w);

    fzx_db *db = open_db(f->db);
    got = fzx_db_get_metadata(db, "schema", &len, &err);
    assert_int_equal(len, vlen);
    assert_memory_equal(got, val, vlen);
    free(got);
    len = 99;
    assert_null(fzx_db_get_metadata(db, "absent", &len, &err));
    assert_int_equal(len, 0);
    assert_null(err);
    fzx_db_close(db);
}

struct terms_seen {
    struct fz_buf list;         /* terms joined with "|" */
    int count, stop_after;      /* stop_after 0: never */
};

/* No cmocka asserts here: a failing assert longjmps, and this runs
 * under C++ frames. */
static int see_term(void *ctx, const char *t, size_t len)
{
    struct terms_seen *s = ctx;
    if (s->count++ > 0)
        fz_buf_appendc(&s->list, '|');
    fz_buf_append(&s->list, t, len);
    return s->stop_after > 0 && s->count == s->stop_after;
}

static void test_each_term(void **state)
{
    struct fixture *f = *state;
    static const struct spec doc = {
        "Qe", "e", "政府 政复 政 行政 a", NULL, NULL, NULL };
    fzx_writer *w = open_writer(f->db);
    put(w, &doc);
    /* In byte order: 政 (e6 94 bf) is a prefix of the other two, and
     * 复 (e5 a4 8d) < 府 (e5 ba 9c); 行政 starts e8 and does not match. */
    static const struct {
        const char *prefix;
        int stop_after;
        const char *want;
        int count;
    } cases[] = {
        { "政", 0, "政|政复|政府", 3 },
        { "政", 1, "政", 1 },
        { "", 0, "Qe|a|政|政复|政府|行政", 6 },   /* Q 51 < a 61 < e6 < e8 */
        { "x", 0, "", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct terms_seen seen = { FZ_BUF_INIT, 0, cases[i].stop_after };
        char *err = NULL;
        assert_int_equal(fzx_writer_each_term(w, cases[i].prefix, see_term,
                                              &seen, &err), FZ_OK);
        assert_string_equal(fz_buf_cstr(&seen.list), cases[i].want);
        assert_int_equal(seen.count, cases[i].count);
        fz_buf_release(&seen.list);
    }
    close_writer(w);
}

/* ---- queries ----------------------------------------------------------- */

/* B is added before A, so a tie would put B first (docid order): A
 * ranking first under AND_MAYBE is the weight's doing. */
static const struct spec ops_docs[] = {
    { "QB", "B", "tax other", NULL, "Gsh", NULL },
    { "QA", "A", "tax bonus", NULL, "Gbj", NULL },
    { "QC", "C", "bonus",     NULL, "Gbj", NULL },
    { "QD", "D", "misc",      NULL, NULL,  NULL },
};

static void test_combine(void **state)
{
    struct fixture *f = *state;
    build(f->db, ops_docs, 4);
    fzx_db *db = open_db(f->db);
    /* N = 4, avglen = (2 + 2 + 1 + 1) / 4 = 1.5; tax and bonus each index
     * 2 documents, so have the same tw.  Lengths: A, B 2; C, D 1.  A
     * shorter document weighs more for the same wdf, so C > B, and A
     * (both terms) beats either. */
    static const struct {
        enum fzx_op op;
        const char *terms;
        const char *want;
    } cases[] = {
        { FZX_AND,       "tax bonus", "A" },
        { FZX_OR,        "tax bonus", "A,C,B" },
        { FZX_AND_NOT,   "tax bonus", "B" },
        { FZX_AND_NOT,   "bonus tax", "C" },
        { FZX_FILTER,    "tax Gbj",   "A" },
        { FZX_FILTER,    "bonus Gbj", "C,A" },
        { FZX_AND_MAYBE, "tax bonus", "A,B" },
        { FZX_AND_MAYBE, "misc bonus", "D" },
        { FZX_OR,        "Gbj",       "A,C" },  /* weightless: docid order */
        { FZX_OR,        "",          "" },     /* no subqueries */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_hits(db, combine(cases[i].op, cases[i].terms, 0), 0, 10, -1,
                    cases[i].want);

    /* The empty term is Xapian's MatchAll. */
    expect_hits(db, term(""), 0, 10, -1, "B,A,C,D");

    /* FILTER adds no weight, even from a weighted term on its right
     * (a boolean term weighs nothing anyway: wdf 0); AND_MAYBE adds the
     * maybe-term's. */
    double tax_a = weight_of(db, term("tax"), "A");
    double tax_b = weight_of(db, term("tax"), "B");
    double bonus_a = weight_of(db, term("bonus"), "A");
    assert_near(tax_a, tax_b);          /* same length, same wdf */
    assert_true(bonus_a > 0);
    assert_near(weight_of(db, combine(FZX_FILTER, "tax Gbj", 0), "A"), tax_a);
    assert_near(weight_of(db, combine(FZX_FILTER, "tax bonus", 0), "A"),
                tax_a);
    assert_near(weight_of(db, combine(FZX_AND, "tax bonus", 0), "A"),
                tax_a + bonus_a);
    assert_near(weight_of(db, combine(FZX_AND_MAYBE, "tax bonus", 0), "A"),
                tax_a + bonus_a);
    assert_near(weight_of(db, combine(FZX_AND_MAYBE, "tax bonus", 0), "B"),
                tax_b);

    char *desc;
    fzx_query *q = combine(FZX_AND, "tax bonus", 0);
    assert_non_null(desc = fzx_query_describe(q));
    assert_non_null(strstr(desc, "tax AND bonus"));
    free(desc);
    fzx_query_free(q);
    fzx_db_close(db);
}

/* Ownership: subqueries are freed even when the result is NULL; the
 * sanitizer build checks nothing leaks. */
static void test_query_ownership(void **state)
{
    (void)state;
    fzx_query *subs[3] = { term("a"), NULL, term("b") };
    assert_null(fzx_query_combine(FZX_AND, subs, 3, 0));
    subs[0] = term("a");
    subs[1] = term("b");
    assert_null(fzx_query_combine((enum fzx_op)99, subs, 2, 0));
    assert_null(fzx_query_scale(NULL, 2.0));
    assert_null(fzx_query_scale(term("a"), -1.0));
    assert_null(fzx_query_scale(term("a"), NAN));
    assert_null(fzx_query_describe(NULL));
    /* a window on anything but PHRASE is ignored, not an error */
    subs[0] = term("a");
    subs[1] = term("b");
    fzx_query *q = fzx_query_combine(FZX_OR, subs, 2, 5);
    assert_non_null(q);
    fzx_query_free(q);
}

static const struct spec phrase_docs[] = {
    { "Q1", "P1", NULL,  "a b",   NULL, NULL },
    { "Q2", "P2", NULL,  "a x b", NULL, NULL },
    { "Q3", "P3", NULL,  "b a",   NULL, NULL },
    { "Q4", "P4", "a b", NULL,    NULL, NULL },    /* no positions */
};

static void test_phrase(void **state)
{
    struct fixture *f = *state;
    build(f->db, phrase_docs, 4);
    fzx_db *db = open_db(f->db);
    /* a and b are in all four documents; lengths P1, P3, P4 2 and P2 3:
     * among equals, docid order; the longer P2 last. */
    static const struct {
        enum fzx_op op;
        unsigned window;
        const char *want;
    } cases[] = {
        { FZX_PHRASE, 0, "P1" },        /* adjacent, in order */
        { FZX_PHRASE, 2, "P1" },
        { FZX_PHRASE, 3, "P1,P2" },     /* a _ b fits in 3 positions */
        { FZX_AND,    0, "P1,P3,P4,P2" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_hits(db, combine(cases[i].op, "a b", cases[i].window), 0, 10,
                    -1, cases[i].want);
    fzx_db_close(db);
}

static const struct spec wild_docs[] = {
    { "Q1", "W1", "政府", NULL, NULL, NULL },
    { "Q2", "W2", "政复", NULL, NULL, NULL },
    { "Q3", "W3", "政",   NULL, NULL, NULL },
    { "Q4", "W4", "行政", NULL, NULL, NULL },
    { "Q5", "W5", "改革", NULL, NULL, NULL },
};

static void test_wildcard(void **state)
{
    struct fixture *f = *state;
    build(f->db, wild_docs, 5);
    fzx_db *db = open_db(f->db);
    /* terms starting with the bytes of 政: W1-W3, each a one-term
     * document, so equal weights and docid order.  行政 contains 政 but
     * does not start with it. */
    fzx_query *q = fzx_query_wildcard("政", strlen("政"));
    assert_non_null(q);
    char *desc = fzx_query_describe(q);
    assert_non_null(desc);
    assert_non_null(strstr(desc, "政"));
    free(desc);
    expect_hits(db, q, 0, 10, -1, "W1,W2,W3");
    expect_hits(db, fzx_query_wildcard("行", strlen("行")), 0, 10, -1, "W4");
    expect_hits(db, fzx_query_wildcard("zz", 2), 0, 10, -1, "");
    /* the same, expanded now from the database */
    int code = -1;
    char *err = NULL;
    expect_hits(db, fzx_query_expand(db, "政", strlen("政"), &code, &err),
                0, 10, -1, "W1,W2,W3");
    assert_int_equal(code, FZ_OK);
    expect_hits(db, fzx_query_expand(db, "zz", 2, &code, &err), 0, 10, -1,
                "");
    assert_null(err);
    fzx_db_close(db);
}

/* ---- shards --------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Lines as Xapian 1.4 reads them (backends/databasehelpers.h); a path is
 * relative to the stub's folder. */
static void test_stub_read(void **state)
{
    struct fixture *f = *state;
    char stub[256], want[256];
    snprintf(stub, sizeof stub, "%s/stub", f->dir);
    write_file(stub, "# shards\n"
               "auto s0\n"
               "\n"
               "glass /srv/fz/s1\n"
               "remote 127.0.0.1:7001\n"
               "remote [::1]:7002\n"
               "remote :ssh search3 xapian-progsrv /srv/fz/s3\n");
    struct fzx_shard *v = NULL;
    size_t n = 9;
    char *err = NULL;
    assert_int_equal(fzx_stub_read(stub, &v, &n, &err), FZ_OK);
    assert_null(err);
    assert_int_equal(n, 5);
    snprintf(want, sizeof want, "%s/s0", f->dir);
    assert_int_equal(v[0].kind, FZX_SHARD_LOCAL);
    assert_string_equal(v[0].path, want);
    assert_string_equal(v[0].name, want);
    assert_int_equal(v[1].kind, FZX_SHARD_LOCAL);
    assert_string_equal(v[1].path, "/srv/fz/s1");
    assert_int_equal(v[2].kind, FZX_SHARD_TCP);
    assert_string_equal(v[2].host, "127.0.0.1");
    assert_int_equal(v[2].port, 7001);
    assert_string_equal(v[2].name, "127.0.0.1:7001");
    assert_int_equal(v[3].kind, FZX_SHARD_TCP);
    assert_string_equal(v[3].host, "::1");
    assert_int_equal(v[3].port, 7002);
    assert_string_equal(v[3].name, "[::1]:7002");
    assert_int_equal(v[4].kind, FZX_SHARD_PROG);
    assert_string_equal(v[4].path, "ssh");
    assert_string_equal(v[4].args, "search3 xapian-progsrv /srv/fz/s3");
    assert_string_equal(v[4].name, "ssh search3 xapian-progsrv /srv/fz/s3");
    fzx_shards_free(v, n);

    /* a folder holding XAPIANDB; an empty stub */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/cluster", f->dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", sub);
    write_file(stub, "glass s0000\n");
    assert_int_equal(fzx_stub_read(sub, &v, &n, &err), FZ_OK);
    assert_int_equal(n, 1);
    snprintf(want, sizeof want, "%s/s0000", sub);
    assert_string_equal(v[0].path, want);
    fzx_shards_free(v, n);
    write_file(stub, "# nothing yet\n");
    assert_int_equal(fzx_stub_read(sub, &v, &n, &err), FZ_OK);
    assert_int_equal(n, 0);
    fzx_shards_free(v, n);

    /* no stub: a database, nothing, lines Xapian would not read */
    build(f->db, wild_docs, 1);
    static const char *const bad[] = {
        "remote 127.0.0.1\n", "remote host:port\n", "remote \n",
        "glass\n", "inmemory\n", "flint /x\n", "\177ELF\001\n",
    };
    assert_int_equal(fzx_stub_read(f->db, &v, &n, &err), FZ_ENOTSTUB);
    assert_int_equal(fzx_stub_read("/nonexistent/x", &v, &n, &err),
                     FZ_ENOTSTUB);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(stub, bad[i]);
        assert_int_equal(fzx_stub_read(sub, &v, &n, &err), FZ_ENOTSTUB);
        assert_null(v);
        assert_int_equal(n, 0);
    }
    assert_null(err);
}

/* Two local shards and a missing one; a TCP shard where nothing listens
 * (port 1 of the loopback). */
static const struct spec shard0_docs[] = {
    { "Q1", "A1", "t pad", NULL, NULL, NULL },
    { "Q2", "A2", "t t",   NULL, NULL, NULL },
};
static const struct spec shard1_docs[] = {
    { "Q3", "B1", "t t t", NULL, NULL, NULL },
};

static void test_open_shards(void **state)
{
    struct fixture *f = *state;
    char p0[128], p1[128], p2[128];
    snprintf(p0, sizeof p0, "%s/s0", f->dir);
    snprintf(p1, sizeof p1, "%s/s1", f->dir);
    snprintf(p2, sizeof p2, "%s/s2", f->dir);
    build(p0, shard0_docs, 2);
    build(p1, shard1_docs, 1);
    struct fzx_shard v[4] = {
        { FZX_SHARD_LOCAL, p0, p0, NULL, NULL, 0 },
        { FZX_SHARD_LOCAL, p1, p1, NULL, NULL, 0 },
        { FZX_SHARD_LOCAL, p2, p2, NULL, NULL, 0 },
        { FZX_SHARD_TCP, (char *)"127.0.0.1:1", NULL, NULL,
          (char *)"127.0.0.1", 1 },
    };
    int codes[4];
    char *msgs[4] = { NULL, NULL, NULL, NULL };
    fzx_db *db = fzx_db_open_shards(v, 4, NULL, 2000, 2000, codes, msgs);
    assert_non_null(db);
    assert_int_equal(codes[0], FZ_OK);
    assert_int_equal(codes[1], FZ_OK);
    assert_int_equal(codes[2], FZ_ENOTFOUND);
    assert_string_equal(msgs[2], "no database found");
    assert_int_equal(codes[3], FZ_ENETWORK);
    assert_non_null(strstr(msgs[3], "connect"));
    assert_null(msgs[0]);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 3);
    expect_hits(db, term("t"), 0, 10, -1, "B1,A2,A1");
    assert_int_equal(fzx_db_failed_shard(db), -1);
    fzx_db_close(db);
    for (int k = 0; k < 4; k++)
        free(msgs[k]);

    /* skipped: left alone */
    unsigned char skip[4] = { 0, 1, 1, 1 };
    memset(msgs, 0, sizeof msgs);
    db = fzx_db_open_shards(v, 4, skip, 2000, 2000, codes, msgs);
    assert_non_null(db);
    assert_int_equal(codes[0], FZ_OK);
    assert_int_equal(codes[1], -1);
    assert_null(msgs[1]);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), 2);
    fzx_db_close(db);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_not_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_create_and_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replace_same_id, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_term, setup, teardown),
        cmocka_unit_test_setup_teardown(test_combine, setup, teardown),
        cmocka_unit_test(test_query_ownership),
        cmocka_unit_test_setup_teardown(test_stub_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wildcard, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
