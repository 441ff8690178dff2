/* One index, its shards, and a cluster of xapian-tcpsrv servers give the
 * same hits.
 *
 * setup() indexes corpus/ and a small generated corpus (gencorpus) twice:
 * once as one index, once as three shards, the same files split in
 * three.  A stub lists the shards (local), and three xapian-tcpsrv on
 * 127.0.0.1 serve them to another stub (remote).  The expected output of
 * every search is the one index's, searched with Xapian's own match: the
 * shards, the cluster and the check of candidates on the client
 * (FZ_CHECK_ON_CLIENT) must print the same JSON byte for byte, hits,
 * order, scores, totals and facets.  Then shards fail: one dies during a
 * search (a proxy in front of it closes the connection at the first
 * request after the greeting), one is killed, one hangs (SIGSTOP) past
 * --timeout; the error names it, and --partial gives what a stub of the
 * remaining shards gives.
 *
 * Every process started here is stopped in teardown() and, should this
 * program die first, by PR_SET_PDEATHSIG.  Each server runs in a session
 * of its own: xapian-tcpsrv answers SIGTERM by signalling its whole
 * process group, which would otherwise be ours.
 *
 * A query with a lone Han character (法, the 年 of 2023年) is a prefix:
 * fzsearch expands it against the whole database and ORs the terms, so
 * it too must print the same bytes every way; for those the set of all
 * passages and reports matched is compared as well. */
#include "tests/testutil.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/utf8.h"

static char tmp[] = "/tmp/fz-test-cluster-XXXXXX";
static const char *bin = "build";       /* $FZ_BIN */

/* the servers: shard k on port[k]; proxy_port forwards to port[1] */
enum { NSHARDS = 3 };
static pid_t server[NSHARDS], proxy_pid;
static unsigned short port[NSHARDS], proxy_port;

/* ---- processes -------------------------------------------------------- */

static pid_t kids[8];
static size_t nkids;

static void stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGCONT);             /* a stopped one takes SIGTERM late */
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    for (size_t k = 0; k < nkids; k++)
        if (kids[k] == pid)
            kids[k] = 0;
}

static void stop_all(void)
{
    for (size_t k = 0; k < nkids; k++)
        stop(kids[k]);
    nkids = 0;
}

/* A child in a session of its own that dies with us; 0 in the child. */
static pid_t start_child(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)        /* we died before prctl */
            _exit(1);
        return 0;
    }
    assert_true(pid > 0 && nkids < sizeof kids / sizeof kids[0]);
    kids[nkids++] = pid;
    return pid;
}

/* A port of 127.0.0.1 free a moment ago. */
static unsigned short free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

static int connect_to(unsigned short p)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    return s;
}

/* xapian-tcpsrv serving db on a free port of 127.0.0.1, once it answers. */
static pid_t start_server(const char *db, unsigned short *p)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        char ps[8];
        *p = free_port();
        snprintf(ps, sizeof ps, "%u", *p);
        pid_t pid = start_child();
        if (pid == 0) {
            /* its children report a client gone (the tests' doing) */
            if (freopen("/dev/null", "w", stdout) == NULL
                || freopen("/dev/null", "w", stderr) == NULL)
                _exit(127);
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet",
                   "--interface", "127.0.0.1", "--port", ps, db,
                   (char *)NULL);
            _exit(127);
        }
        for (int i = 0; i < 200; i++) {         /* 10 s */
            int s = connect_to(*p);
            if (s >= 0) {
                close(s);
                return pid;
            }
            if (waitpid(pid, NULL, WNOHANG) == pid) {   /* port taken */
                kids[--nkids] = 0;
                break;
            }
            usleep(50000);
        }
    }
    fail_msg("xapian-tcpsrv (Debian package xapian-tools) does not start");
    return -1;
}

/* Forward what the server sends; when the client asks anything, close
 * both ends, as a server dying during a search would. */
static void proxy(int listener, unsigned short upstream)
{
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0)
            continue;
        int u = connect_to(upstream);
        struct pollfd p[2] = { { c, POLLIN, 0 }, { u, POLLIN, 0 } };
        while (u >= 0 && poll(p, 2, -1) > 0 && !p[0].revents) {
            char b[65536];
            ssize_t n = read(u, b, sizeof b);
            if (n <= 0 || write(c, b, (size_t)n) != n)
                break;
        }
        if (u >= 0)
            close(u);
        close(c);
    }
}

static pid_t start_proxy(unsigned short upstream, unsigned short *p)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 8), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
    *p = ntohs(a.sin_port);
    pid_t pid = start_child();
    if (pid == 0)
        proxy(l, upstream);
    close(l);
    return pid;
}

/* ---- commands --------------------------------------------------------- */

/* Run cmd with sh; its stdout into out, its stderr into err (either may
 * be NULL); its exit status. */
static int run(const char *cmd, struct fz_buf *out, struct fz_buf *err)
{
    char full[16384], errfile[128];
    snprintf(errfile, sizeof errfile, "%s/stderr", tmp);
    snprintf(full, sizeof full, "%s 2>%s", cmd, errfile);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        if (out)
            assert_int_equal(fz_buf_append(out, buf, n), FZ_OK);
    int st = pclose(p);
    if (err) {
        size_t len;
        char *e = test_slurp(errfile, &len);
        assert_int_equal(fz_buf_append(err, e, len), FZ_OK);
        free(e);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void must(const char *cmd)
{
    struct fz_buf err = FZ_BUF_INIT;
    if (run(cmd, NULL, &err) != 0)
        fail_msg("%s: %s", cmd, fz_buf_cstr(&err));
    fz_buf_release(&err);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* ---- the indexes --------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Move the generated files gen/NAME into part0..part2, in turn. */
static void split_generated(void)
{
    char dir[256], from[512], to[512];
    char *names[4096];
    size_t n = 0;
    snprintf(dir, sizeof dir, "%s/gen", tmp);
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 4096;)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    assert_true(n >= NSHARDS);
    qsort(names, n, sizeof *names, by_name);
    for (size_t k = 0; k < NSHARDS; k++) {
        snprintf(to, sizeof to, "%s/part%zu", tmp, k);
        assert_int_equal(mkdir(to, 0777), 0);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, names[i]);
        snprintf(to, sizeof to, "%s/part%zu/%s", tmp, i % NSHARDS, names[i]);
        assert_int_equal(rename(from, to), 0);
        free(names[i]);
    }
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("FZ_BIN");
    if (b)
        bin = b;
    if (mkdtemp(tmp) == NULL)
        return -1;
    atexit(stop_all);
    char corpus[4096], cmd[16384];
    if (realpath(CORPUS(""), corpus) == NULL)
        return -1;
    /* about 45 files of 22 KB from corpus/'s paragraphs, 15 a shard */
    snprintf(cmd, sizeof cmd, "%s/gencorpus %s/gen --mb 1 --files 45 "
             "--from %s > /dev/null", bin, tmp, corpus);
    must(cmd);
    split_generated();
    /* the same files, the report ids being hashes of absolute paths */
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --db %s/one %s %s/part0 "
             "%s/part1 %s/part2", bin, tmp, corpus, tmp, tmp, tmp);
    must(cmd);
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --term-lists --db %s/s0 "
             "%s/000_b603a63773e2a13c.txt %s/001_5786f2a229778fa1.txt "
             "%s/part0", bin, tmp, corpus, corpus, tmp);
    must(cmd);
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --term-lists --db %s/s1 "
             "%s/002_3bd825ff36a50f76.txt %s/003_65475f305930a54e.txt "
             "%s/004_1125619140e8c921.txt %s/part1", bin, tmp, corpus,
             corpus, corpus, tmp);
    must(cmd);
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --term-lists --db %s/s2 "
             "%s/gov-work-reports-1954-2025.jsonl %s/part2", bin, tmp,
             corpus, tmp);
    must(cmd);

    /* stubs: the three shards, local and served; what is left when s1
     * fails, and when s0 does */
    char path[256], text[512];
    snprintf(path, sizeof path, "%s/local.stub", tmp);
    write_file(path, "auto s0\nauto s1\nauto s2\n");
    snprintf(path, sizeof path, "%s/two.stub", tmp);
    write_file(path, "auto s0\nauto s2\n");
    snprintf(path, sizeof path, "%s/last.stub", tmp);
    write_file(path, "auto s1\nauto s2\n");
    for (int k = 0; k < NSHARDS; k++) {
        snprintf(path, sizeof path, "%s/s%d", tmp, k);
        server[k] = start_server(path, &port[k]);
    }
    proxy_pid = start_proxy(port[1], &proxy_port);
    /* a folder holding XAPIANDB, as fzindex --shards writes */
    snprintf(path, sizeof path, "%s/remote", tmp);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/remote/XAPIANDB", tmp);
    snprintf(text, sizeof text, "# three servers\nremote 127.0.0.1:%u\n"
             "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n", port[0], port[1],
             port[2]);
    write_file(path, text);
    snprintf(path, sizeof path, "%s/flaky.stub", tmp);
    snprintf(text, sizeof text, "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n"
             "remote 127.0.0.1:%u\n", port[0], proxy_port, port[2]);
    write_file(path, text);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_all();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- searching ------------------------------------------------------------ */

struct result {
    int status;
    struct fz_buf out, err;
};

static void result_release(struct result *r)
{
    fz_buf_release(&r->out);
    fz_buf_release(&r->err);
}

/* fzsearch --json on db (under tmp) with env before it; args are shell
 * words. */
static struct result search(const char *env, const char *db,
                            const char *args)
{
    struct result r = { 0, FZ_BUF_INIT, FZ_BUF_INIT };
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s/fzsearch --db %s/%s --json --color "
             "never %s", env, bin, tmp, db, args);
    r.status = run(cmd, &r.out, &r.err);
    return r;
}

/* The ways of searching; the first gives the expected output. */
static const struct {
    const char *name, *env, *db;
} ways[] = {
    { "one index", "", "one" },
    { "one index, checked on the client", "FZ_CHECK_ON_CLIENT=1", "one" },
    { "local shards", "", "local.stub" },
    { "local shards, checked on the client", "FZ_CHECK_ON_CLIENT=1",
      "local.stub" },
    { "cluster", "", "remote" },
};
enum { NWAYS = sizeof ways / sizeof ways[0], FIRST_SHARDED = 2 };

/* A run of exactly one Han character (see the comment at the top). */
static int lone_han(const char *q)
{
    size_t i = 0, len = strlen(q), run = 0;
    while (i < len) {
        if (fz_is_han(fz_utf8_next(q, len, &i, NULL))) {
            run++;
            continue;
        }
        if (run == 1)
            return 1;
        run = 0;
    }
    return run == 1;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* The sorted ids of every passage (of every report, with reports)
 * matching args. */
static char *all_ids(const char *db, const char *args, int reports)
{
    char a[4096];
    snprintf(a, sizeof a, "-n 1000000 %s", args);
    struct result r = search("", db, a);
    cJSON *j = cJSON_Parse(fz_buf_cstr(&r.out));
    assert_non_null(j);
    const cJSON *h;
    char **ids = calloc((size_t)cJSON_GetArraySize(get(j, "hits")) + 1,
                        sizeof *ids);
    size_t n = 0;
    cJSON_ArrayForEach(h, get(j, "hits"))
        ids[n++] = get(get(h, reports ? "report" : "passage"),
                       "id")->valuestring;
    qsort(ids, n, sizeof *ids, by_name);
    struct fz_buf b = FZ_BUF_INIT;
    for (size_t k = 0; k < n; k++)
        fz_buf_appendf(&b, "%s\n", ids[k]);
    free(ids);
    cJSON_Delete(j);
    result_release(&r);
    assert_true(n > 0);
    return fz_buf_detach(&b, NULL);
}

static size_t n_exact, n_runs;

/* A line saying how many hits a page left out ("fzsearch: 10 of 54
 * passages shown; -n 0 shows all"), or what a --region was taken as. */
static int is_notice(const char *l, size_t len)
{
    static const char *const end[] = { " shown; -n 0 shows all",
                                       " cited; -n 0 cites all" };
    /* what a --region was taken as */
    if (len > 19 && strncmp(l, "fzsearch: --region ", 19) == 0
        && memchr(l, '(', len) != NULL)
        return 1;
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(end[k]);
        if (len >= n && memcmp(l + len - n, end[k], n) == 0
            && strncmp(l, "fzsearch: ", 10) == 0)
            return 1;
    }
    return 0;
}

/* stderr holds nothing but such notices. */
static int only_notices(const char *e)
{
    while (*e) {
        const char *nl = strchr(e, '\n');
        size_t len = nl ? (size_t)(nl - e) : strlen(e);
        if (!is_notice(e, len))
            return 0;
        e += len + (nl != NULL);
    }
    return 1;
}

/* Search args every way: each must print what the one index prints. */
static void compare(const char *args)
{
    struct result r[NWAYS];
    for (size_t w = 0; w < NWAYS; w++) {
        r[w] = search(ways[w].env, ways[w].db, args);
        n_runs++;
        if (r[w].status > 1 || !only_notices(fz_buf_cstr(&r[w].err)))
            fail_msg("%s: fzsearch %s: exit %d: %s", ways[w].name, args,
                     r[w].status, fz_buf_cstr(&r[w].err));
    }
    for (size_t w = 1; w < NWAYS; w++) {
        assert_int_equal(r[w].status, r[0].status);
        /* and they say the same of what they left out */
        assert_string_equal(fz_buf_cstr(&r[w].err), fz_buf_cstr(&r[0].err));
        if (strcmp(fz_buf_cstr(&r[w].out), fz_buf_cstr(&r[0].out)) != 0)
            fail_msg("fzsearch %s: %s differs from %s:\n%.600s\n---\n%.600s",
                     args, ways[w].name, ways[0].name,
                     fz_buf_cstr(&r[w].out), fz_buf_cstr(&r[0].out));
    }
    n_exact++;
    for (size_t w = 0; w < NWAYS; w++)
        result_release(&r[w]);
}

/* Shell-quote q into out. */
static void quote(char *out, size_t size, const char *q)
{
    size_t o = 0;
    out[o++] = '\'';
    for (; *q && o + 5 < size; q++) {
        if (*q == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *q;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

/* Every query of the workload, for passages and for reports, with
 * facets. */
static void test_workload(void **state)
{
    (void)state;
    static const char *const modes[] = {
        "-n 20 --facets year,level,region",
        "--by-report -n 20 --facets year,level,region",
    };
    size_t len, nq = 0;
    char *all = test_slurp(TESTDATA("queries.txt"), &len);
    char *save = NULL;
    for (char *l = strtok_r(all, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        if (*l == '#' || *l == '\0')
            continue;
        char q[1024], args[2048];
        quote(q, sizeof q, l);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            snprintf(args, sizeof args, "%s -- %s", modes[m], q);
            compare(args);
        }
        if (lone_han(l)) {
            /* the same passages match, and the same reports */
            snprintf(args, sizeof args, "-- %s", q);
            char *a = all_ids("one", args, 0);
            char *b = all_ids("remote", args, 0);
            assert_string_equal(a, b);
            free(a);
            free(b);
            snprintf(args, sizeof args, "--by-report -- %s", q);
            a = all_ids("one", args, 1);
            b = all_ids("remote", args, 1);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
        nq++;
    }
    free(all);
    assert_true(nq >= 20);
    print_message("workload: %zu queries\n", nq);
}

/* The other ways of asking, on a few queries. */
static void test_options(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "--within sentence -n 10 行政复议 决定",
        "--within report -n 10 行政复议 应诉",
        "--compare 法治政府建设",
        "--compare --format json -n 5 依法行政",
        "--offset 7 -n 5 依法行政",
        "--by-report --offset 3 -n 4 --facets region 营商环境",
        "--region 广东 --by-report 行政复议",
        "--year 2015..2023 --level national -n 10 改革",
        "-n 15 '\"法律顾问\" OR 法律援助 -农民工'",
        "-n 10 '行政 NEAR/3 复议'",
        "-n 10 title:政府工作报告 改革 开放",
        "-n 0 --facets year,level 人民调解",
        "-n 10 量子纠缠",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        compare(cases[i]);
    /* --like: an id from the one index */
    struct result r = search("", "one", "-n 1 法律顾问");
    cJSON *j = cJSON_Parse(fz_buf_cstr(&r.out));
    const cJSON *h = cJSON_GetArrayItem(get(j, "hits"), 0);
    char args[256];
    snprintf(args, sizeof args, "--like %s -n 10 --facets year",
             get(get(h, "passage"), "id")->valuestring);
    compare(args);
    cJSON_Delete(j);
    result_release(&r);
    print_message("%zu searches, %zu ways each, identical byte for byte "
                  "(%zu runs of fzsearch)\n", n_exact, (size_t)NWAYS, n_runs);
}

/* ---- shards failing --------------------------------------------------------- */

static const char *const failing_queries[] = {
    "-n 10 行政复议", "--by-report --facets year,level,region 法律援助 农民工",
    "-n 5 法", "--compare 营商环境",
};

/* db's shard at shard_port fails in every search: exit 2, one line; with
 * --partial what ref (a stub of the other shards) gives, and one line
 * saying so. */
static void expect_failure(const char *db, unsigned short shard_port,
                           const char *extra, const char *ref)
{
    const size_t n_missing = 1, n_shards = NSHARDS;
    char args[512], want[128];
    for (size_t i = 0; i < sizeof failing_queries / sizeof failing_queries[0];
         i++) {
        snprintf(args, sizeof args, "%s %s", extra, failing_queries[i]);
        struct result r = search("", db, args);
        assert_int_equal(r.status, 2);
        assert_int_equal(r.out.len, 0);
        snprintf(want, sizeof want, "fzsearch: shard 127.0.0.1:%u did not "
                 "answer: ", shard_port);
        const char *e = fz_buf_cstr(&r.err);
        if (strncmp(e, want, strlen(want)) != 0
            || strchr(e, '\n') != e + r.err.len - 1
            || strstr(e, "; --partial searches the others\n") == NULL)
            fail_msg("fzsearch %s: stderr %s", args, e);
        result_release(&r);

        snprintf(args, sizeof args, "%s --partial %s", extra,
                 failing_queries[i]);
        r = search("", db, args);
        struct result x = search("", ref, failing_queries[i]);
        assert_int_equal(r.status, x.status);
        assert_string_equal(fz_buf_cstr(&r.out), fz_buf_cstr(&x.out));
        /* one line per missing shard, each saying how many answered */
        size_t lines = 0;
        snprintf(want, sizeof want, "; results are from %zu of %zu shards\n",
                 n_shards - n_missing, n_shards);
        for (const char *l = fz_buf_cstr(&r.err); *l; lines++) {
            const char *nl = strchr(l, '\n');
            assert_non_null(nl);
            if (is_notice(l, (size_t)(nl - l))) {
                l = nl + 1;
                lines--;
                continue;
            }
            assert_true(strncmp(l, "fzsearch: shard 127.0.0.1:", 26) == 0);
            assert_true(strncmp(nl + 1 - strlen(want), want,
                                strlen(want)) == 0);
            l = nl + 1;
        }
        assert_int_equal(lines, n_missing);
        snprintf(want, sizeof want, "shard 127.0.0.1:%u ", shard_port);
        assert_non_null(strstr(fz_buf_cstr(&r.err), want));
        result_release(&r);
        result_release(&x);
    }
}

/* The proxy's server is up, but the connection drops at the search. */
static void test_dies_during_search(void **state)
{
    (void)state;
    expect_failure("flaky.stub", proxy_port, "", "two.stub");
}

static void test_killed(void **state)
{
    (void)state;
    stop(server[1]);
    server[1] = 0;
    expect_failure("remote", port[1], "", "two.stub");
    struct result r = search("", "remote", "--count 行政复议");
    assert_int_equal(r.status, 2);
    char want[256];
    snprintf(want, sizeof want, "fzsearch: shard 127.0.0.1:%u did not "
             "answer: couldn't connect (Connection refused); --partial "
             "searches the others\n", port[1]);
    assert_string_equal(fz_buf_cstr(&r.err), want);
    result_release(&r);
}

/* A server that hangs: --timeout, then it counts as missing. */
static void test_timeout(void **state)
{
    (void)state;
    assert_int_equal(kill(server[0], SIGSTOP), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_failure("remote", port[0], "--timeout 0.5", "last.stub");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(kill(server[0], SIGCONT), 0);
    /* 8 searches, each waiting 0.5 s for the hung shard */
    double s = (double)(t1.tv_sec - t0.tv_sec)
               + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("8 searches with a hung shard: %.1f s\n", s);
    assert_true(s < 8 * 0.5 + 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workload),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_dies_during_search),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_killed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
