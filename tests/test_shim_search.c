/* shim/fzx: the match, worked by hand.
 *
 * BM25 weights, offsets and limits, estimates, collapsing, a database
 * modified under its reader, deciders and spies (also on the client),
 * tie-breaks, and --like's query.  The fixture is test_shim.c's
 * (tests/shimfixture.h); the weights use Xapian 1.4's BM25 as test_shim.c
 * spells it out. */
#include "tests/shimfixture.h"

/* S: tax twice in 2 words; L: tax once in 6.  L comes first by docid. */
static const struct spec bm25_docs[] = {
    { "Q1", "L", "tax a b c d e", NULL, NULL, NULL },
    { "Q2", "S", "tax tax",       NULL, "Gbj", NULL },
    { "Q3", "X", "x y",           NULL, NULL, NULL },
    { "Q4", "Y", "z w",           NULL, NULL, NULL },
};
static void test_bm25(void **state)
{
    struct fixture *f = *state;
    build(f->db, bm25_docs, 4);
    fzx_db *db = open_db(f->db);
    /* N = 4, n(tax) = 2: tw = 2.5 / 2.5 = 1 < 2, so 1.5; (k1+1) ln tw =
     * 2 ln 1.5.  avglen = (6 + 2 + 2 + 2) / 4 = 3.
     * S: normlen 2/3, denominator 0.5 * 2/3 + 0.5 + 2 = 17/6,
     *    w = 2 ln 1.5 * 2 / (17/6) = (24/17) ln 1.5 ~ 0.5724
     * L: normlen 2, denominator 0.5 * 2 + 0.5 + 1 = 5/2,
     *    w = 2 ln 1.5 * 1 / (5/2) = 0.8 ln 1.5 ~ 0.3244 */
    const double ws = 24.0 / 17.0 * log(1.5), wl = 0.8 * log(1.5);
    fzx_query *q = term("tax");
    fzx_mset *m = search(db, q, 0, 10, -1, 0);
    char *got = hit_list(m);
    assert_string_equal(got, "S,L");
    free(got);
    assert_near(fzx_mset_weight(m, 0), ws);
    assert_near(fzx_mset_weight(m, 1), wl);
    assert_near(fzx_mset_weight(m, 2), 0.0);    /* out of range */
    fzx_mset_free(m);

    /* scale: times 2; 0 makes it boolean (weight 0, still matching) */
    q = fzx_query_scale(q, 2.0);
    assert_non_null(q);
    m = search(db, q, 0, 10, -1, 0);
    assert_int_equal(fzx_mset_size(m), 2);
    assert_near(fzx_mset_weight(m, 0), 2 * ws);
    fzx_mset_free(m);
    fzx_query_free(q);
    q = fzx_query_scale(term("tax"), 0.0);
    assert_non_null(q);
    m = search(db, q, 0, 10, -1, 0);
    got = hit_list(m);
    assert_string_equal(got, "L,S");            /* no weight: docid order */
    free(got);
    assert_near(fzx_mset_weight(m, 0), 0.0);
    fzx_mset_free(m);
    fzx_query_free(q);

    /* FILTER keeps the weight: S alone, at ws */
    assert_near(weight_of(db, combine(FZX_FILTER, "tax Gbj", 0), "S"), ws);
    fzx_db_close(db);
}

/* Tk has t k times and pad 5 - k times: all of length 5, so rank follows
 * k.  pad is in T1-T4 only. */
static const struct spec rank_docs[] = {
    { "Q1", "T1", "t pad pad pad pad", NULL, NULL, NULL },
    { "Q2", "T2", "t t pad pad pad",   NULL, NULL, NULL },
    { "Q3", "T3", "t t t pad pad",     NULL, NULL, NULL },
    { "Q4", "T4", "t t t t pad",       NULL, NULL, NULL },
    { "Q5", "T5", "t t t t t",         NULL, NULL, NULL },
};

static void test_offset_limit(void **state)
{
    struct fixture *f = *state;
    build(f->db, rank_docs, 5);
    fzx_db *db = open_db(f->db);
    static const struct {
        unsigned offset, limit;
        const char *want;
    } cases[] = {
        { 0, 10, "T5,T4,T3,T2,T1" },
        { 0, 2,  "T5,T4" },
        { 1, 2,  "T4,T3" },
        { 4, 10, "T1" },
        { 5, 10, "" },
        { 0, 0,  "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_hits(db, term("t"), cases[i].offset, cases[i].limit, -1,
                    cases[i].want);
    fzx_db_close(db);
}

/* p in E1-E5, q in E4-E8, of 10: p AND q is E4, E5.  From the term
 * frequencies alone Xapian can only bound it by 0 (5 + 5 - 10) and 5. */
static const struct spec est_docs[] = {
    { "Q1", "E1", "p", NULL, NULL, NULL },
    { "Q2", "E2", "p", NULL, NULL, NULL },
    { "Q3", "E3", "p", NULL, NULL, NULL },
    { "Q4", "E4", "p q", NULL, NULL, NULL },
    { "Q5", "E5", "p q", NULL, NULL, NULL },
    { "Q6", "E6", "q", NULL, NULL, NULL },
    { "Q7", "E7", "q", NULL, NULL, NULL },
    { "Q8", "E8", "q", NULL, NULL, NULL },
    { "Q9", "E9", "r", NULL, NULL, NULL },
    { "Q10", "E10", "r", NULL, NULL, NULL },
};

static void test_estimate(void **state)
{
    struct fixture *f = *state;
    build(f->db, est_docs, 10);
    fzx_db *db = open_db(f->db);
    fzx_query *q = combine(FZX_AND, "p q", 0);

    /* Without check_at_least Xapian may stop after the one hit asked
     * for; the bounds must still hold the true count. */
    fzx_mset *m = search(db, q, 0, 1, -1, 0);
    assert_int_equal(fzx_mset_size(m), 1);
    assert_true(fzx_mset_lower(m) <= 2 && fzx_mset_upper(m) >= 2);
    print_message("unchecked: %lu <= %lu <= %lu\n", fzx_mset_lower(m),
                  fzx_mset_estimated(m), fzx_mset_upper(m));
    fzx_mset_free(m);

    /* Asked for 1 hit but to check 10: exact. */
    m = search(db, q, 0, 1, -1, 10);
    assert_int_equal(fzx_mset_size(m), 1);
    assert_int_equal(fzx_mset_lower(m), 2);
    assert_int_equal(fzx_mset_upper(m), 2);
    assert_int_equal(fzx_mset_estimated(m), 2);
    fzx_mset_free(m);
    fzx_query_free(q);
    fzx_db_close(db);
}

/* All of length 3: rank follows the wdf of t (C1 3, C3 2, the rest 1). */
static const struct spec collapse_docs[] = {
    { "Q1", "C1", "t t t",     NULL, NULL, "bj" },
    { "Q2", "C2", "t pad pad", NULL, NULL, "bj" },
    { "Q3", "C3", "t t pad",   NULL, NULL, "sh" },
    { "Q4", "C4", "t pad pad", NULL, NULL, "sh" },
    { "Q5", "C5", "t pad pad", NULL, NULL, NULL },
};

static void test_collapse(void **state)
{
    struct fixture *f = *state;
    build(f->db, collapse_docs, 5);
    fzx_db *db = open_db(f->db);
    expect_hits(db, term("t"), 0, 10, -1, "C1,C3,C2,C4,C5");
    /* the best of each value; C5 has none, and Xapian never collapses
     * documents with an empty key */
    expect_hits(db, term("t"), 0, 10, 0, "C1,C3,C5");
    fzx_query *q = term("t");
    fzx_mset *m = search(db, q, 0, 10, 0, 0);
    static const char *const want[] = { "bj", "sh", "" };
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *v = fzx_mset_value(m, i, 0, &len, NULL);
        assert_string_equal(v, want[i]);
        assert_int_equal(len, strlen(want[i]));
        free(v);
    }
    fzx_mset_free(m);
    fzx_query_free(q);
    fzx_db_close(db);
}

/* A reader whose revision the writer has since overwritten: reading may
 * still work (the old blocks are intact) or fail with FZ_EMODIFIED;
 * either way fzx_db_reopen brings in the new documents.  Many large
 * documents, all rewritten in every round, make the docdata table span
 * many blocks that the writer frees and reuses, so the stale read
 * usually does hit FZ_EMODIFIED; Xapian does not promise when. */
enum { MOD_DOCS = 50, MOD_BIG = 16384, MOD_ROUNDS = 5 };

static void put_round(fzx_writer *w, char *big, int round,
                      unsigned *seed)
{
    char id[16];
    for (int i = 0; i < MOD_DOCS; i++) {
        int n = snprintf(big, MOD_BIG + 16, "v%d.%d ", round, i);
        /* letters from an LCG: Xapian compresses document data, and a
         * run of one letter would fit in a block or two */
        for (int k = n; k < MOD_BIG; k++) {
            *seed = *seed * 1103515245u + 12345u;
            big[k] = (char)('a' + (*seed >> 16) % 26);
        }
        big[MOD_BIG] = '\0';
        snprintf(id, sizeof id, "Q%d", i);
        struct spec s = { id, big, "m", NULL, NULL, NULL };
        put(w, &s);
    }
}

static void test_modified(void **state)
{
    struct fixture *f = *state;
    char *big = malloc(MOD_BIG + 16);
    assert_non_null(big);
    unsigned seed = 1;
    char *err = NULL;
    fzx_writer *w = open_writer(f->db);
    assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
    put_round(w, big, 0, &seed);
    assert_int_equal(fzx_writer_commit(w, &err), FZ_OK);

    fzx_db *db = open_db(f->db);
    fzx_query *q = term("m");
    fzx_mset *m = search(db, q, 0, 1, -1, 0);
    assert_int_equal(fzx_mset_size(m), 1);

    for (int r = 1; r <= MOD_ROUNDS; r++) {
        assert_int_equal(fzx_writer_begin(w, &err), FZ_OK);
        put_round(w, big, r, &seed);
        static const struct spec extra = { "Qextra", "extra", "m", NULL,
                                           NULL, NULL };
        if (r == MOD_ROUNDS)
            put(w, &extra);             /* one document more */
        assert_int_equal(fzx_writer_commit(w, &err), FZ_OK);
    }

    size_t len;
    int code = -1;
    char *data = fzx_mset_data(m, 0, &len, &code, &err);
    if (data != NULL) {
        assert_int_equal(code, FZ_OK);
        assert_memory_equal(data, "v0.", 3);    /* its own revision */
        print_message("stale reader still read \"%.5s...\"\n", data);
        free(data);
    } else {
        assert_int_equal(code, FZ_EMODIFIED);
        assert_non_null(err);
        print_message("stale reader: %s\n", err);
        free(err);
        err = NULL;
    }
    fzx_mset_free(m);
    /* the same for a document found by its term: the searcher runs the
     * search again on FZ_EMODIFIED, so the code must say it */
    code = -1;
    data = fzx_db_get_data_by_term(db, "Q7", 2, &len, &code, &err);
    if (data != NULL) {
        assert_int_equal(code, FZ_OK);
        assert_memory_equal(data, "v0.7 ", 5);
        free(data);
    } else {
        assert_int_equal(code, FZ_EMODIFIED);
        free(err);
        err = NULL;
    }
    code = -1;
    assert_null(fzx_db_get_data_by_term(db, "Qnone", 5, &len, &code, &err));
    assert_true(code == FZ_ENOTFOUND || code == FZ_EMODIFIED);
    free(err);
    err = NULL;

    assert_int_equal(fzx_db_reopen(db, &err), FZ_OK);
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), MOD_DOCS + 1);
    m = search(db, q, 0, 1, -1, 0);
    data = fzx_mset_data(m, 0, &len, &code, &err);
    assert_non_null(data);
    assert_int_equal(code, FZ_OK);
    free(data);
    data = fzx_db_get_data_by_term(db, "Q7", 2, &len, NULL, &err);
    assert_non_null(data);
    assert_int_equal(len, MOD_BIG);
    char want[16];
    snprintf(want, sizeof want, "v%d.7 ", MOD_ROUNDS);
    assert_memory_equal(data, want, strlen(want));
    free(data);
    data = fzx_db_get_data_by_term(db, "Qextra", 6, &len, NULL, &err);
    assert_string_equal(data, "extra");
    free(data);
    assert_null(err);
    fzx_mset_free(m);
    fzx_query_free(q);
    fzx_db_close(db);
    close_writer(w);
    free(big);
}


/* The accept predicate runs before collapsing and spying: a rejected
 * candidate is not a match, does not take its value's place, and is not
 * counted by the spy. */
static const struct spec accept_docs[] = {
    { "Q1", "drop1", "t t t t", NULL, NULL, "a" },
    { "Q2", "keep2", "t pad",   NULL, NULL, "a" },
    { "Q3", "keep3", "t t pad", NULL, NULL, "b" },
    { "Q4", "drop4", "t t t",   NULL, NULL, "c" },
    { "Q5", "keep5", "t pad pad", NULL, NULL, "b" },
};

static int keep_k(void *ctx, const char *data, size_t len)
{
    (*(int *)ctx)++;
    return len > 0 && data[0] == 'k';
}

/* The same, inside the match and on the client (client_check): the
 * result is to be the same. */
static void accept_spy(void **state, int client)
{
    struct fixture *f = *state;
    build(f->db, accept_docs, 5);
    fzx_db *db = open_db(f->db);
    fzx_query *q = term("t");
    int calls = 0;
    struct fzx_search how = {
        .offset = 0, .limit = 10, .collapse_slot = -1, .check_at_least = 5,
        .accept = keep_k, .accept_ctx = &calls, .spy = 1, .spy_slot = 0,
        .client_check = client,
    };
    char *err = NULL;
    int code = -1;
    fzx_mset *m = fzx_search_run(db, q, &how, &code, &err);
    assert_non_null(m);
    char *got = hit_list(m);
    assert_string_equal(got, "keep3,keep2,keep5");
    free(got);
    assert_int_equal(calls, 5);
    assert_int_equal(fzx_mset_lower(m), 3);
    assert_int_equal(fzx_mset_upper(m), 3);
    /* spied: a twice (one kept), b twice, c never */
    assert_int_equal(fzx_mset_spy_size(m), 2);
    size_t len;
    unsigned long n;
    assert_string_equal(fzx_mset_spy_value(m, 0, &len, &n), "a");
    assert_int_equal(n, 1);
    assert_string_equal(fzx_mset_spy_value(m, 1, &len, &n), "b");
    assert_int_equal(n, 2);
    assert_null(fzx_mset_spy_value(m, 2, &len, &n));
    fzx_mset_free(m);
    /* collapsed on slot 0: the best kept of each value */
    how.collapse_slot = 0;
    m = fzx_search_run(db, q, &how, &code, &err);
    assert_non_null(m);
    got = hit_list(m);
    assert_string_equal(got, "keep3,keep2");
    free(got);
    assert_int_equal(fzx_mset_spy_size(m), 2);
    assert_int_equal(fzx_mset_lower(m), 2);
    fzx_mset_free(m);
    /* from rank 1 */
    how.offset = 1;
    m = fzx_search_run(db, q, &how, &code, &err);
    assert_non_null(m);
    got = hit_list(m);
    assert_string_equal(got, "keep2");
    free(got);
    assert_int_equal(fzx_mset_upper(m), 2);
    fzx_mset_free(m);
    fzx_query_free(q);
    fzx_db_close(db);
}

static void test_accept_spy(void **state)
{
    accept_spy(state, 0);
}

static void test_accept_on_client(void **state)
{
    accept_spy(state, 1);
}

/* Equal weights (one term, same length) are in the order the documents
 * were added, and a collapse keeps the first added of its key (slot 1):
 * a report's passages are added in order into one shard, so the passage
 * it keeps is the same in one database and in shards, and fzsearch
 * orders equal scores on a page by passage id itself. */
static const struct spec tie_docs[] = {
    { "Q1", "x3", "t pad", NULL, NULL, "c" },
    { "Q2", "x1", "t pad", NULL, NULL, "a" },
    { "Q3", "x2", "t pad", NULL, NULL, "b" },
    { "Q4", "x0", "u pad", NULL, NULL, "0" },
};
static const char *const tie_keys[] = { "k", "k", "j", "j" };   /* slot 1 */

static int accept_all(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return 1;
}

static void test_equal_weights(void **state)
{
    struct fixture *f = *state;
    fzx_writer *w = open_writer(f->db);
    for (size_t i = 0; i < 4; i++) {
        fzx_doc *d = fzx_doc_new();
        assert_non_null(d);
        add_words(d, tie_docs[i].terms, TERMS);
        assert_int_equal(fzx_doc_set_value(d, 0, tie_docs[i].v0, 1), FZ_OK);
        assert_int_equal(fzx_doc_set_value(d, 1, tie_keys[i], 1), FZ_OK);
        assert_int_equal(fzx_doc_set_data(d, tie_docs[i].data, 2), FZ_OK);
        assert_int_equal(fzx_writer_replace(w, tie_docs[i].id, 2, d, NULL),
                         FZ_OK);
        fzx_doc_free(d);
    }
    close_writer(w);
    fzx_db *db = open_db(f->db);
    fzx_query *q = term("t");
    static const struct {
        int collapse, client;
        const char *want;
    } cases[] = {
        { -1, 0, "x3,x1,x2" }, { 1, 0, "x3,x2" },
        { -1, 1, "x3,x1,x2" }, { 1, 1, "x3,x2" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fzx_search how = {
            .offset = 0, .limit = 10, .collapse_slot = cases[i].collapse,
            .check_at_least = 4, .client_check = cases[i].client,
            .accept = cases[i].client ? accept_all : NULL,
        };
        int code = -1;
        fzx_mset *m = fzx_search_run(db, q, &how, &code, NULL);
        assert_non_null(m);
        char *got = hit_list(m);
        assert_string_equal(got, cases[i].want);
        free(got);
        fzx_mset_free(m);
    }
    fzx_query_free(q);
    fzx_db_close(db);
}

/* More like this: the query from one document's distinctive terms finds
 * its twin first, then what shares fewer of them, and never what shares
 * none; prefixed terms play no part. */
static const struct spec like_docs[] = {
    { "Q1", "orig",  "alpha beta gamma delta common", NULL, "Rone", NULL },
    { "Q2", "twin",  "alpha beta gamma delta common", NULL, "Rtwo", NULL },
    { "Q3", "half",  "alpha beta common pad pad",     NULL, "Rtwo", NULL },
    { "Q4", "other", "common pad pad pad",            NULL, "Rone", NULL },
    { "Q5", "none",  "pad zeta eta",                  NULL, "Rone", NULL },
    { "Q6", "noise", "common pad",                    NULL, "Rthree", NULL },
};

/* fzsearch's --like rule: the text's own words, not the terms of a
 * field (a prefix is an initial capital A-Z) */
static int no_prefix(void *ctx, const char *t, size_t len)
{
    (void)ctx;
    return len > 0 && !(t[0] >= 'A' && t[0] <= 'Z');
}

static void test_like(void **state)
{
    struct fixture *f = *state;
    build(f->db, like_docs, 6);
    fzx_db *db = open_db(f->db);
    int code = -1;
    char *err = NULL;
    fzx_query *q = fzx_query_like(db, "Q1", 2, 4, no_prefix, NULL, &code, &err);
    assert_non_null(q);
    assert_int_equal(code, FZ_OK);
    char *d = fzx_query_describe(q);
    assert_null(strstr(d, "Rone"));         /* no boolean (prefixed) term */
    assert_non_null(strstr(d, "alpha"));
    free(d);
    fzx_query *pair[2] = { q, term("Rone") };
    fzx_query *other = fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
    fzx_mset *m = search(db, other, 0, 10, -1, 10);
    char *got = hit_list(m);
    assert_string_equal(got, "twin,half");
    free(got);
    fzx_mset_free(m);
    fzx_query_free(other);
    assert_null(fzx_query_like(db, "Qnone", 5, 4, no_prefix, NULL, &code,
                                &err));
    assert_int_equal(code, FZ_ENOTFOUND);
    assert_non_null(err);
    free(err);
    fzx_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_spy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_on_client, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_equal_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bm25, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offset_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_estimate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modified, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
