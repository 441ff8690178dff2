/* Parallel indexing and shards write the same index content: corpus/,
 * the State Council reports (JSON Lines) and a generated corpus are
 * indexed with -j 1 (one shard, one thread), -j 2 (two shards written in
 * parallel), --shard-size (shards filled in turn) and then compacted.
 * Every index must hold the same documents: for each report, the same
 * passages with the same data, terms and values (docids may differ, and
 * the record stored on a report's first passage names its own file,
 * which is the same).  Each layout must also be what it says: -j 2 has
 * two shards with reports in both, --shard-size N has ceil(reports / N)
 * shards. */
#include "tests/testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim/fzx.h"
#include "shim/fzx_test.h"
#include "store/codec.h"
#include "store/schema.h"

static const char *bin = "build";
static char dir[] = "/tmp/fz-test-parallel-XXXXXX";

/* One document as a line: its record (unpacked: each index packs with
 * a dictionary it trained, store/codec.h), then its terms and values. */
struct docs {
    char **v;
    size_t n, cap;
};

static int collect(void *ctx, const char *data, size_t dlen,
                   const char *terms, size_t tlen)
{
    struct docs *d = ctx;
    struct fz_buf plain = FZ_BUF_INIT;
    assert_int_equal(fz_codec_unpack(data, dlen, &plain, &data, &dlen),
                     FZ_OK);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 1024;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        assert_non_null(d->v);
    }
    char *s = malloc(dlen + tlen + 2);
    assert_non_null(s);
    memcpy(s, data, dlen);
    s[dlen] = '\t';
    memcpy(s + dlen + 1, terms, tlen);
    s[dlen + 1 + tlen] = '\0';
    d->v[d->n++] = s;
    fz_buf_release(&plain);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The documents of the index at path, sorted. */
static struct docs dump(const char *path)
{
    struct docs d = { NULL, 0, 0 };
    char *err = NULL;
    fzx_db *db = fzx_db_open(path, NULL, &err);
    if (db == NULL)
        fail_msg("%s: %s", path, err);
    size_t zlen = 0;
    char *zdict = fzx_db_get_metadata(db, FZ_ZDICT_KEY, &zlen, NULL);
    if (zdict)
        assert_non_null(fz_codec_load(zdict, zlen, NULL));
    free(zdict);
    assert_int_equal(fzx_db_each_document(db, collect, &d, &err), FZ_OK);
    fzx_db_close(db);
    qsort(d.v, d.n, sizeof *d.v, cmp);
    return d;
}

static void docs_free(struct docs *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i]);
    free(d->v);
}

static void assert_same(const struct docs *a, const struct docs *b,
                        const char *what)
{
    if (a->n != b->n)
        fail_msg("%s: %zu documents, -j 1 has %zu", what, b->n, a->n);
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            fail_msg("%s: document differs:\n%.300s\n-j 1:\n%.300s", what,
                     b->v[i], a->v[i]);
}

/* The shard folders listed in path's stub. */
static size_t shards(const char *path, size_t *nonempty)
{
    struct fzx_shard *v = NULL;
    size_t n = 0;
    assert_int_equal(fzx_stub_read(path, &v, &n, NULL), FZ_OK);
    *nonempty = 0;
    for (size_t k = 0; k < n; k++) {
        fzx_db *db = fzx_db_open(v[k].path, NULL, NULL);
        assert_non_null(db);
        *nonempty += fzx_db_doccount(db, NULL, NULL) > 0;
        fzx_db_close(db);
    }
    fzx_shards_free(v, n);
    return n;
}

static off_t du(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "du -sb %s", path);
    FILE *p = popen(cmd, "r");
    long long n = 0;
    assert_int_equal(fscanf(p, "%lld", &n), 1);
    pclose(p);
    return (off_t)n;
}

/* No compacted copy or swapped-out shard is left in the index folder. */
static void assert_no_copies(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".compact-") || strstr(e->d_name, ".old-"))
            fail_msg("%s: %s left behind", path, e->d_name);
    closedir(d);
}

/* The number of distinct reports in an index: R terms. */
static size_t reports_in(const struct docs *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += strstr(d->v[i], "\"level\":") != NULL;  /* first passages */
    return n;
}

static void test_same_content(void **state)
{
    (void)state;
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 1 --db %s/j1 %s/in", bin, dir,
                        dir), 0);
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 2 --db %s/j2 %s/in", bin, dir,
                        dir), 0);
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 2 --shard-size 60 --db %s/sz "
                        "%s/in", bin, dir, dir), 0);
    char p[4096];
    snprintf(p, sizeof p, "%s/j1", dir);
    struct docs one = dump(p);
    size_t nrep = reports_in(&one), ne;
    print_message("-j 1: %zu passages of %zu reports\n", one.n, nrep);
    assert_true(nrep > 300);
    assert_int_equal(shards(p, &ne), 1);

    snprintf(p, sizeof p, "%s/j2", dir);
    struct docs two = dump(p);
    assert_same(&one, &two, "-j 2");
    assert_int_equal(shards(p, &ne), 2);
    assert_int_equal(ne, 2);

    snprintf(p, sizeof p, "%s/sz", dir);
    struct docs sz = dump(p);
    assert_same(&one, &sz, "--shard-size 60");
    size_t want = (nrep + 59) / 60, n = shards(p, &ne);
    print_message("--shard-size 60: %zu shards\n", n);
    /* a file's reports stay together, so a shard may overshoot by the
     * reports of one JSON Lines file */
    assert_true(n >= 2 && n <= want);
    assert_int_equal(ne, n);

    /* the run compacted both shards it filled (side by side: indexer/
     * compact.h), so compacting again hardly changes them; as glass
     * writes them, its blocks about 58% full, they are much bigger */
    snprintf(p, sizeof p, "%s/j2", dir);
    assert_no_copies(p);
    off_t ran = du(p);
    /* compaction keeps every document as it was */
    assert_int_equal(test_sh("%s/fzindex -q --db %s/j2 --compact", bin, dir), 0);
    off_t again_compacted = du(p);
    print_message("-j 2: %.1f MB as the run left it, %.1f MB compacted "
                  "again\n", ran / 1e6, again_compacted / 1e6);
    assert_true(ran <= again_compacted + again_compacted / 20);
    assert_no_copies(p);
    struct docs packed = dump(p);
    assert_same(&one, &packed, "-j 2 compacted");

    /* indexing again changes nothing: every file is unchanged */
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 2 --db %s/j2 %s/in", bin, dir,
                        dir), 0);
    struct docs again = dump(p);
    assert_same(&one, &again, "-j 2 again");
    docs_free(&one);
    docs_free(&two);
    docs_free(&sz);
    docs_free(&packed);
    docs_free(&again);
}

/* The output of fzsearch args over the index at db. */
static char *search(const char *db, const char *args, const char *query)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s --json %s '%s' "
             "2>/dev/null", bin, db, args, query);
    struct fz_buf b = FZ_BUF_INIT;
    test_run(cmd, &b);
    return fz_buf_detach(&b, NULL);
}

/* --freeze: smaller, the same answers to every workload query (text,
 * one per report, facets), and refuses changes. */
static void test_freeze(void **state)
{
    (void)state;
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/live", dir);
    snprintf(b, sizeof b, "%s/frozen", dir);
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 2 --db %s %s/in && "
                        "%s/fzindex -q --db %s --compact && cp -r %s %s",
                        bin, a, dir, bin, a, a, b), 0);
    assert_int_equal(test_sh("%s/fzindex -q --db %s --freeze", bin, b), 0);
    off_t live = du(a), frozen = du(b);
    print_message("compacted %.1f MB, frozen %.1f MB\n", live / 1e6,
                  frozen / 1e6);
    assert_true(frozen < live * 3 / 4);
    assert_no_copies(b);
    FILE *q = fopen("bench/queries.txt", "r");
    assert_non_null(q);
    char line[512];
    size_t nq = 0;
    static const char *modes[] = { "-n 30", "--by-report -n 30",
                                   "--facets year,level,region -n 5" };
    while (fgets(line, sizeof line, q)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        for (size_t m = 0; m < 3; m++) {
            char *x = search(a, modes[m], line), *y = search(b, modes[m], line);
            if (strcmp(x, y) != 0)
                fail_msg("%s %s: frozen index answers differently", modes[m],
                         line);
            assert_non_null(strstr(x, "\"total\""));
            free(x);
            free(y);
        }
        nq++;
    }
    fclose(q);
    assert_true(nq >= 20);
    /* an archive: no more changes, said in one line */
    assert_int_equal(test_sh("%s/fzindex -q --db %s %s/in/corpus 2>%s/err", bin, b,
                        dir, dir), 2);
    char ep[4200];
    snprintf(ep, sizeof ep, "%s/err", dir);
    char *err = test_slurp(ep, NULL);
    assert_non_null(strstr(err, "frozen"));
    free(err);
}

/* Compaction swaps each shard for its compacted copy in one step: a
 * search started at any moment meanwhile finds the index. */
static void test_search_during_compact(void **state)
{
    (void)state;
    char db[4096];
    snprintf(db, sizeof db, "%s/swap", dir);
    assert_int_equal(test_sh("%s/fzindex -q --term-lists -j 2 --db %s %s/in", bin, db, dir), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int bad = 0;
        for (int k = 0; k < 6; k++)
            bad |= test_sh("%s/fzindex -q --db %s --compact", bin, db) != 0;
        _exit(bad);
    }
    int searches = 0, failed = 0, st = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        int rc = test_sh("%s/fzsearch --db %s --count 行政复议 >/dev/null 2>&1",
                    bin, db);
        searches++;
        failed += rc != 0;
    }
    print_message("%d searches during 6 compactions, %d failed\n", searches,
                  failed);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_true(searches > 0);
    assert_int_equal(failed, 0);
}

/* A sharded index refuses another sharding, and a plain option clash. */
static void test_sharding_kept(void **state)
{
    (void)state;
    assert_int_equal(test_sh("%s/fzindex -q --shards 3 --db %s/k3 %s/in/corpus",
                        bin, dir, dir), 0);
    assert_int_equal(test_sh("%s/fzindex -q --shards 4 --db %s/k3 %s/in/corpus "
                        "2>/dev/null", bin, dir, dir), 2);
    assert_int_equal(test_sh("%s/fzindex -q --shards 0 --db %s/k0 %s/in/corpus "
                        "2>/dev/null", bin, dir, dir), 2);
    char p[4096];
    size_t ne;
    snprintf(p, sizeof p, "%s/k3", dir);
    assert_int_equal(shards(p, &ne), 3);
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    if (mkdtemp(dir) == NULL)
        return -1;
    char corpus[4096];
    snprintf(corpus, sizeof corpus, "%s", CORPUS(""));
    /* the seeds, the State Council reports and 300 generated files */
    return test_sh("mkdir -p %s/in && cp -r %s %s/in/corpus && cp %s %s/in/ && "
              "%s/gencorpus %s/in/gen --files 300 --mb 2 >/dev/null 2>&1",
              dir, corpus, dir, CORPUS("gov-work-reports-1954-2025.jsonl"),
              dir, bin, dir);
}

static int teardown(void **state)
{
    (void)state;
    return test_sh("rm -rf %s", dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_content),
        cmocka_unit_test(test_sharding_kept),
        cmocka_unit_test(test_freeze),
        cmocka_unit_test(test_search_during_compact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
