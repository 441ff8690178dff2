/* Crash safety and readers during writes, end to end: a corpus of 2,000
 * files from bench/gencorpus is indexed once cleanly; then fzindex is
 * killed with SIGKILL at random moments, several times, into another
 * index.  After each kill the index must open and every report in it must
 * be complete (its passage count the clean index's); a last run completes
 * the rest, while searches run in a loop and never fail.  Ctrl-C (SIGINT)
 * stops at a report boundary and says how far it got.  A copy of a shard
 * that a killed compaction left is removed by the next run.  The moments are
 * fractions of the time the clean run took, chosen at random from a seed
 * printed at the start ($FZ_CRASH_SEED repeats a run). */
#include "tests/testutil.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim/fzx.h"
#include "shim/fzx_test.h"
#include <cjson/cJSON.h>
#include "base/fz.h"
#include "store/schema.h"

enum { N_FILES = 2000, KILLS = 5 };

static char dir[] = "/tmp/fz-test-crash-XXXXXX";
static const char *bin = "build";
static char paths[N_FILES][PATH_MAX];
static unsigned long clean_count[N_FILES];    /* passages per report */
static char rids[N_FILES][17];  /* each file's report, as the clean index
                                   has it */
static unsigned long clean_docs;
static double clean_secs;       /* how long the clean index took */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start fzindex on the corpus into db; its pid.  stderr to errfile. */
static pid_t start_index(const char *db, const char *errfile)
{
    char exe[PATH_MAX], corpus[PATH_MAX];
    snprintf(exe, sizeof exe, "%s/fzindex", bin);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (errfile && freopen(errfile, "w", stderr) == NULL)
            _exit(127);
        execl(exe, exe, "--db", db, corpus, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid, int *sig)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        assert_int_equal(errno, EINTR);
    *sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static unsigned long passages_of(fzx_db *db, size_t f)
{
    char term[24];
    snprintf(term, sizeof term, FZ_PREFIX_REPORT "%.16s", rids[f]);
    return fzx_db_termfreq(db, term, strlen(term), NULL, NULL);
}

/* Every report in db complete; returns how many there are. */
static size_t check_complete(const char *path)
{
    int code = -1;
    char *err = NULL;
    fzx_db *db = fzx_db_open(path, &code, &err);
    char stub[PATH_MAX + 16];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", path);
    if (db == NULL && access(stub, F_OK) != 0) {
        /* killed before the first run made the index (its stub is
         * written once its shards exist): nothing was committed, and
         * both commands say "no index here"; the next run makes it */
        free(err);
        return 0;
    }
    if (db == NULL)
        fail_msg("%s does not open after the kill: %s", path, err);
    size_t present = 0;
    unsigned long docs = 0;
    for (size_t f = 0; f < N_FILES; f++) {
        unsigned long n = passages_of(db, f);
        if (n != 0 && n != clean_count[f])
            fail_msg("%s: %lu of its %lu passages", paths[f], n,
                     clean_count[f]);
        present += n != 0;
        docs += n;
    }
    /* nothing but those reports' passages */
    assert_int_equal(fzx_db_doccount(db, NULL, NULL), docs);
    fzx_db_close(db);
    return present;
}

/* Each file's report id from the clean index: the paths of each report
 * are kept in shard 0's metadata, FZ_PATHS_KEY "<id>" → its paths. */
static int note_rid(void *ctx, const char *key, size_t klen,
                    const char *val, size_t vlen)
{
    (void)ctx;
    size_t pl = strlen(FZ_PATHS_KEY);
    if (klen != pl + 16 || vlen == 0)
        return 0;
    for (size_t f = 0; f < N_FILES; f++)
        if (strcmp(paths[f], val) == 0)
            snprintf(rids[f], sizeof rids[f], "%.16s", key + pl);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    if (mkdtemp(dir) == NULL)
        return -1;
    if (test_sh("%s/gencorpus %s/corpus --mb 3 --files %d --seed 7 2>/dev/null",
           bin, dir, N_FILES) != 0)
        return -1;
    double t0 = now();
    if (test_sh("%s/fzindex -q --db %s/clean %s/corpus", bin, dir, dir) != 0)
        return -1;
    clean_secs = now() - t0;
    for (size_t f = 0; f < N_FILES; f++) {
        char rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%s/corpus/r%07zu.txt", dir, f);
        if (realpath(rel, paths[f]) == NULL)
            return -1;
    }
    char clean[PATH_MAX];
    snprintf(clean, sizeof clean, "%s/clean", dir);
    fzx_db *db = fzx_db_open(clean, NULL, NULL);
    if (db == NULL
        || fzx_db_each_metadata(db, FZ_PATHS_KEY, note_rid, NULL, NULL)
           != FZ_OK)
        return -1;
    for (size_t f = 0; f < N_FILES; f++)
        if ((clean_count[f] = passages_of(db, f)) == 0)
            return -1;
    clean_docs = fzx_db_doccount(db, NULL, NULL);
    fzx_db_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_sh("rm -rf %s", dir);
    return 0;
}

/* Searches in a loop while fzindex writes: none may fail (exit 2). */
static void search_while(pid_t writer, const char *db, size_t *searches)
{
    int st, done = 0;
    while (!done) {
        done = waitpid(writer, &st, WNOHANG) == writer;
        int rc = test_sh("%s/fzsearch --db %s --count 法治 >/dev/null 2>%s/search.err",
                    bin, db, dir);
        if (rc != 0 && rc != 1) {
            test_sh("cat %s/search.err >&2", dir);
            fail_msg("a search during indexing failed (exit %d)", rc);
        }
        (*searches)++;
        if (done)
            assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

static void test_sigkill(void **state)
{
    (void)state;
    const char *s = getenv("FZ_CRASH_SEED");
    unsigned seed = s ? (unsigned)strtoul(s, NULL, 10) : (unsigned)time(NULL);
    print_message("seed %u (FZ_CRASH_SEED=%u repeats it)\n", seed, seed);
    srand(seed);
    char db[PATH_MAX];
    snprintf(db, sizeof db, "%s/killed", dir);
    size_t before = 0;
    for (int k = 0; k < KILLS; k++) {
        pid_t pid = start_index(db, "/dev/null");
        /* 2% to 25% of a whole run's time: five kills leave about a
         * third of the work to the rerun */
        useconds_t wait_us = (useconds_t)(clean_secs * 1e6
                                          * (0.02 + (rand() % 1000) / 4350.0));
        usleep(wait_us);
        kill(pid, SIGKILL);
        int sig, rc = wait_exit(pid, &sig);
        size_t present = check_complete(db);
        print_message("kill %d after %.2f s: %s; %zu of %d reports in, "
                      "all complete\n", k + 1, wait_us / 1e6,
                      sig == SIGKILL ? "killed" : "had finished", present,
                      N_FILES);
        assert_true(sig == SIGKILL || rc == 0);
        assert_true(present >= before);     /* nothing committed is lost */
        before = present;
    }
    /* the rerun completes the rest, readers searching all along */
    size_t searches = 0;
    search_while(start_index(db, "/dev/null"), db, &searches);
    assert_int_equal(check_complete(db), N_FILES);
    fzx_db *d = fzx_db_open(db, NULL, NULL);
    assert_non_null(d);
    assert_int_equal(fzx_db_doccount(d, NULL, NULL), clean_docs);
    fzx_db_close(d);
    print_message("rerun: all %d reports complete; %zu searches during it, "
                  "none failed\n", N_FILES, searches);
}

static void test_sigint(void **state)
{
    (void)state;
    char db[PATH_MAX], errfile[PATH_MAX];
    snprintf(db, sizeof db, "%s/interrupted", dir);
    snprintf(errfile, sizeof errfile, "%s/sigint.err", dir);
    pid_t pid = start_index(db, errfile);
    usleep((useconds_t)(clean_secs * 1e6 * 0.3));
    kill(pid, SIGINT);
    int sig, rc = wait_exit(pid, &sig);
    assert_int_equal(sig, 0);               /* it stopped, not killed */
    size_t len;
    char *err = test_slurp(errfile, &len);
    size_t done = 0, total = 0;
    const char *m = strstr(err, "interrupted: ");
    if (m == NULL)
        fail_msg("no 'interrupted' line in: %s", err);
    assert_int_equal(sscanf(m, "interrupted: %zu of %zu files done", &done,
                            &total), 2);
    assert_int_equal(rc, 1);
    assert_int_equal(total, N_FILES);
    /* exactly the files it says are in, each complete */
    assert_int_equal(check_complete(db), done);
    print_message("SIGINT: %s", m);
    free(err);
    assert_int_equal(test_sh("%s/fzindex -q --db %s %s/corpus", bin, db, dir), 0);
    assert_int_equal(check_complete(db), N_FILES);
}

/* A run killed while it compacts or rebuilds a shard leaves the copy it
 * was making beside the shard, as big as it.  The next run, once it
 * holds the shard's lock, removes such copies and says so; other folders
 * stay.  The kill is stood in for by copying a shard to the names those
 * runs give their copies. */
static void test_stale_copies(void **state)
{
    (void)state;
    char db[PATH_MAX], errfile[PATH_MAX], p[PATH_MAX + 128];
    snprintf(db, sizeof db, "%s/interrupted", dir);    /* test_sigint's */
    snprintf(errfile, sizeof errfile, "%s/stale.err", dir);
    assert_int_equal(test_sh("cp -r %s/s0000 %s/s0000.compact-999999 && "
                             "cp -r %s/s0000 %s/s0000.rebuild-999999 && "
                             "mkdir %s/s0000.compact-mine %s/notes.old-1 && "
                             "mkdir -p %s/s0000.old-999998/sub",
                             db, db, db, db, db, db, db), 0);
    assert_int_equal(test_sh("%s/fzindex --db %s %s/corpus 2>%s", bin, db,
                             dir, errfile), 0);
    char *err = test_slurp(errfile, NULL);
    struct stat sb;
    static const char *gone[] = { "s0000.compact-999999",
                                  "s0000.rebuild-999999" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s", db, gone[i]);
        if (stat(p, &sb) == 0)
            fail_msg("%s is still there", p);
        snprintf(p, sizeof p, "%s/%s: removed", db, gone[i]);
        if (strstr(err, p) == NULL)
            fail_msg("not said on stderr: %s\n%s", p, err);
    }
    static const char *kept[] = { "s0000.compact-mine", "notes.old-1" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s", db, kept[i]);
        assert_int_equal(stat(p, &sb), 0);
    }
    /* one that cannot be removed (a folder inside it: not a shard's
     * files) is named, with why, and the run goes on */
    snprintf(p, sizeof p, "%s/s0000.old-999998: a copy of a shard left by "
             "a run that was stopped; cannot remove it", db);
    if (strstr(err, p) == NULL)
        fail_msg("not said on stderr: %s\n%s", p, err);
    free(err);
    assert_int_equal(test_sh("rm -r %s/s0000.old-999998", db), 0);
    assert_int_equal(check_complete(db), N_FILES);
}

int main(void)
{
    /* commit every ~100 passages (about 20 files), not every 20,000: the
     * kills must land between commits and inside them, on this small
     * corpus as on a large one */
    setenv("FZ_BATCH", "100", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill),
        cmocka_unit_test(test_sigint),
        cmocka_unit_test(test_stale_copies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
