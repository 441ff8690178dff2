/* fzsearch - search an fz index: exact, ranked passages.
 *
 * The query is folded and tokenized by the same code as the reports
 * (query/query.h).  The index finds candidate passages by their terms and
 * ranks them with BM25; when the index cannot decide (a phrase, a Han run,
 * NEAR, one sentence), each candidate is checked against its stored
 * folded text inside the match, so what is printed and counted is exactly
 * the passages that contain the query (searcher/search.c).  Output:
 * searcher/output.c. */
#include "searcher/search.h"

#include "shim/fzx.h"
#include "base/buf.h"
#include "cite/cite.h"
#include "base/fz.h"
#include "query/query.h"
#include "store/schema.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
"usage: fzsearch [<options>] <query>...\n"
"       fzsearch [<options>] --like <passage id>\n"
"\n"
"Search the passages of indexed reports.  Words are ANDed and meet in one\n"
"passage; a run of Han characters matches exactly where a passage contains\n"
"it (行政复议 finds 行政复议, never 行政 ... 复议); Traditional and\n"
"Simplified are the same.\n"
"  \"a phrase\"  a OR b  -word  NOT word  title:word  a NEAR/5 b\n"
"(at most 2000 characters and 64 terms)\n"
"\n"
"      --db <dir>         the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                         else ~/.local/share/fz), or a stub naming shards\n"
"                         (local folders, or xapian-tcpsrv servers)\n"
"      --partial          when a shard does not answer, search the others\n"
"                         and name it on stderr (default: an error)\n"
"      --timeout <s>      wait at most <s> seconds for a remote shard to\n"
"                         connect and for each answer (default 10)\n"
"  -n, --limit <n>        show at most <n> hits (default 10; with --compare\n"
"                         every matching report unless given)\n"
"      --offset <n>       skip the first <n> hits\n"
"\n"
"Filters:\n"
"      --year <y>         reports on year <y>, or <y1>..<y2>\n"
"      --region <r>       reports of a place: any part of its chain by name\n"
"                         (广东, 深圳市, 龙岗区) or a division code prefix (4403)\n"
"      --level <l>        national, province, city, county, township,\n"
"                         department (or 省 市 区 县 街道 乡 镇)\n"
"\n"
"What a hit is:\n"
"      --by-report        one best passage per report, reports ranked\n"
"      --within <w>       where the words must meet: passage (default),\n"
"                         sentence (同句), or report (同篇: anywhere in one\n"
"                         report; the hit is its best passage)\n"
"      --compare          one row per matching report, its best passage,\n"
"                         grouped by region (province › city › county ›\n"
"                         township) and ordered by year\n"
"      --like <id>        passages most like passage <id> (shown by\n"
"                         --show-ids and --json) in other reports, one per\n"
"                         report\n"
"\n"
"Output:\n"
"      --facets <list>    before the hits, the number of matching reports\n"
"                         per year, level and/or region (e.g. year,level)\n"
"      --format <f>       text (default), markdown, csv or json\n"
"      --json             the same as --format json (schema in the README)\n"
"      --cite [<style>]   the reports behind the hits as a reference list:\n"
"                         gbt7714 (GB/T 7714-2015, default), gbt7714-2025,\n"
"                         csl-json, bibtex, ris\n"
"      --accessed <date>  the access date cited (YYYY-MM-DD; default today)\n"
"      --count            print only the number of hits\n"
"      --show-ids         print each passage's id\n"
"      --color <when>     auto (default: on a terminal, unless NO_COLOR),\n"
"                         always, never\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 some hit, 1 no hit, 2 error.\n";

static const char *prog = "fzsearch";

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 1000000 || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_years(const char *s, int *lo, int *hi)
{
    int a, b, n;
    if (sscanf(s, "%d..%d%n", &a, &b, &n) == 2 && s[n] == '\0') {
        *lo = a;
        *hi = b;
    } else if (sscanf(s, "%d%n", &a, &n) == 1 && s[n] == '\0') {
        *lo = *hi = a;
    } else {
        return -1;
    }
    return *lo >= 1000 && *hi <= 9999 && *lo <= *hi && *hi - *lo < 512
           ? 0 : -1;
}

/* year,level,region in any order, each once. */
static int parse_facets(const char *s, int facets[N_FACETS])
{
    static const char *const names[N_FACETS] = { "year", "level", "region" };
    int rank = 0;
    memset(facets, 0, N_FACETS * sizeof *facets);
    while (*s) {
        size_t n = strcspn(s, ",");
        int f = 0;
        while (f < N_FACETS && !(strlen(names[f]) == n
                                 && strncmp(s, names[f], n) == 0))
            f++;
        if (f == N_FACETS || facets[f])
            return -1;
        facets[f] = ++rank;
        s += n + (s[n] == ',');
    }
    return rank ? 0 : -1;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see %s --help)\n", prog);
    return 2;
}

/* Options that take a value. */
static const char *const valued[] = {
    "--db", "--limit", "--offset", "--year", "--region", "--level",
    "--color", "--format", "--within", "--like", "--facets", "--accessed",
    "--timeout",
};

/* Seconds, with a fraction, as milliseconds: 0 < s <= one day. */
static int parse_seconds(const char *s, unsigned *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 86400)
        return -1;
    *ms = (unsigned)(v * 1000 + 0.5);
    if (*ms == 0)
        *ms = 1;
    return 0;
}

static int is_valued(const char *a)
{
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
        if (strcmp(a, valued[k]) == 0)
            return 1;
    return 0;
}

/* Parse argv into o and the query words qv[0,*qn).  0, or the exit
 * status of a usage error (said). */
static int parse_args(int argc, char **argv, struct opts *o,
                      const char **qv, int *qn)
{
    int dashdash = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        char name[32];
        /* options may come before or after the query; -word is a query
         * term (NOT word), and everything after -- is query */
        if (dashdash || a[0] != '-' || a[1] == '\0'
            || (a[1] != '-' && strcmp(a, "-n") && strcmp(a, "-h"))) {
            qv[(*qn)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        /* --name=value */
        const char *eq = strchr(a, '=');
        if (eq && a[1] == '-' && (size_t)(eq - a) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            v = eq + 1;
            a = name;
            if (!is_valued(a) && strcmp(a, "--cite") != 0)
                return usage_error("unknown option '%s'", argv[i]);
        } else if (is_valued(a) || strcmp(a, "-n") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            v = argv[++i];
        }
        if (!strcmp(a, "--db"))
            o->db = v;
        else if (!strcmp(a, "-n") || !strcmp(a, "--limit")) {
            if (parse_uint(v, &o->limit) != 0)
                return usage_error("--limit '%s': not a number", v);
            o->limit_given = 1;
        } else if (!strcmp(a, "--offset")) {
            if (parse_uint(v, &o->offset) != 0)
                return usage_error("--offset '%s': not a number", v);
        } else if (!strcmp(a, "--year")) {
            if (parse_years(v, &o->year_lo, &o->year_hi) != 0)
                return usage_error("--year '%s': give 2023 or 2020..2023", v);
        } else if (!strcmp(a, "--region"))
            o->region = v;
        else if (!strcmp(a, "--level"))
            o->level = v;
        else if (!strcmp(a, "--color")) {
            if (!strcmp(v, "always"))
                o->color = 1;
            else if (!strcmp(v, "never"))
                o->color = 0;
            else if (!strcmp(v, "auto"))
                o->color = -1;
            else
                return usage_error("--color '%s': auto, always or never", v);
        } else if (!strcmp(a, "--format")) {
            static const char *const f[] = { "text", "markdown", "csv",
                                             "json" };
            int k = 0;
            while (k < 4 && strcmp(v, f[k]))
                k++;
            if (k == 4)
                return usage_error("--format '%s': text, markdown, csv or "
                                   "json", v);
            o->format = (enum fmt)k;
        } else if (!strcmp(a, "--within")) {
            if (!strcmp(v, "passage"))
                o->within = WITHIN_PASSAGE;
            else if (!strcmp(v, "sentence"))
                o->within = WITHIN_SENTENCE;
            else if (!strcmp(v, "report"))
                o->within = WITHIN_REPORT;
            else
                return usage_error("--within '%s': passage, sentence or "
                                   "report", v);
        } else if (!strcmp(a, "--like"))
            o->like = v;
        else if (!strcmp(a, "--facets")) {
            if (parse_facets(v, o->facets) != 0)
                return usage_error("--facets '%s': a list of year, level, "
                                   "region (e.g. year,region)", v);
        } else if (!strcmp(a, "--accessed")) {
            if (!fz_cite_date_valid(v))
                return usage_error("--accessed '%s': give a date as "
                                   "YYYY-MM-DD", v);
            o->accessed = v;
        } else if (!strcmp(a, "--cite")) {
            /* the style is optional: the next word is one if it names one */
            enum fz_cite_format f;
            if (v == NULL && i + 1 < argc
                && fz_cite_format_parse(argv[i + 1], &f, NULL) == FZ_OK)
                v = argv[++i];
            if (v && fz_cite_format_parse(v, &f, NULL) != FZ_OK)
                return usage_error("--cite '%s': gbt7714, gbt7714-2025, "
                                   "csl-json, bibtex or ris", v);
            o->cite = v ? v : "gbt7714";
        } else if (!strcmp(a, "--timeout")) {
            if (parse_seconds(v, &o->timeout_ms) != 0)
                return usage_error("--timeout '%s': give seconds, e.g. 10 "
                                   "or 2.5", v);
        } else if (!strcmp(a, "--partial"))
            o->partial = 1;
        else if (!strcmp(a, "--by-report"))
            o->by_report = 1;
        else if (!strcmp(a, "--compare"))
            o->compare = 1;
        else if (!strcmp(a, "--count"))
            o->count = 1;
        else if (!strcmp(a, "--show-ids"))
            o->show_ids = 1;
        else if (!strcmp(a, "--json"))
            o->format = FMT_JSON;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return -1;
        } else
            return usage_error("unknown option '%s'", a);
    }
    if (o->like && *qn > 0)
        return usage_error("--like '%s' takes no query words", o->like);
    if (o->like && o->within != WITHIN_PASSAGE)
        return usage_error("%s", "--like and --within cannot be combined");
    if (!o->like && *qn == 0)
        return usage_error("%s", "no query given");
    if (o->cite && (o->count || o->format != FMT_TEXT))
        return usage_error("%s", "--cite prints a reference list: it cannot "
                           "be combined with --count, --json or --format");
    if (o->accessed && !o->cite)
        return usage_error("%s", "--accessed goes with --cite");
    return 0;
}

/* Whether dir is a folder holding anything: fzindex will not make an
 * index there (indexer/fzindex.c), so fzsearch must not suggest it. */
static int has_files(const char *dir)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    int any = 0;
    while (d != NULL && !any && (e = readdir(d)) != NULL)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d != NULL)
        closedir(d);
    return any;
}

/* The layout fzsearch reads (store/schema.h) is the one the index has:
 * FZ_OK, FZ_ENETWORK (a shard did not answer: *errp says how), or -1
 * when it said why not. */
static int check_schema(fzx_db *db, const char *dbdir, char **errp)
{
    char *err = NULL;
    size_t len = 0;
    char *have = fzx_db_get_metadata(db, "schema", &len, &err);
    int ok = have && strcmp(have, FZ_SCHEMA_VERSION) == 0;
    if (err && fzx_db_failed_shard(db) >= 0) {
        free(*errp);
        *errp = err;
        return FZ_ENETWORK;
    }
    if (err)
        warn("%s: %s", dbdir, err);
    else if (!ok && fzx_db_doccount(db, NULL, NULL) > 0)
        warn("%s: built by another version of fzindex (layout %s, this "
             "fzsearch reads %s); remove it and index again", dbdir,
             have ? have : "1", FZ_SCHEMA_VERSION);
    else
        ok = 1;
    free(have);
    free(err);
    return ok ? FZ_OK : -1;
}

/* The shards a stub names (stub: --db is one), which of them are left
 * out under --partial, and why. */
struct shards {
    int stub;
    struct fzx_shard *v;
    size_t n;
    unsigned char *down;
    char **why;
};

static void shards_release(struct shards *sh)
{
    for (size_t k = 0; sh->why && k < sh->n; k++)
        free(sh->why[k]);
    free(sh->why);
    free(sh->down);
    fzx_shards_free(sh->v, sh->n);
}

static const char *failing(const struct fzx_shard *s)
{
    return s->kind == FZX_SHARD_LOCAL ? "cannot be opened" : "did not answer";
}

/* Open the index at dbdir: a database, or the database of the shards its
 * stub names.  A shard that fails is an error, or under --partial is
 * marked down and left out.  NULL after saying why. */
static fzx_db *open_index(const char *dbdir, const struct opts *o,
                          struct shards *sh)
{
    int code = 0;
    char *err = NULL;
    fzx_db *db = NULL;
    if (!sh->stub) {
        db = fzx_db_open(dbdir, &code, &err);
        if (db == NULL && code == FZ_ENOTFOUND && has_files(dbdir))
            warn("%s: no index here, but other files", dbdir);
        else if (db == NULL && code == FZ_ENOTFOUND)
            warn("%s: no index here; build one with: fzindex --db %s "
                 "<files or folders>", dbdir, dbdir);
        else if (db == NULL)
            warn("%s: %s", dbdir, err);
        free(err);
        return db;
    }
    int *codes = calloc(sh->n + 1, sizeof *codes);
    char **msgs = calloc(sh->n + 1, sizeof *msgs);
    if (codes && msgs)
        db = fzx_db_open_shards(sh->v, sh->n, sh->down, o->timeout_ms,
                                o->timeout_ms, codes, msgs);
    int bad = db == NULL;
    size_t live = 0;
    if (bad)
        warn("out of memory");
    for (size_t k = 0; !bad && k < sh->n; k++) {
        if (codes[k] == FZ_OK) {
            live++;
        } else if (codes[k] != -1 && o->partial) {
            sh->down[k] = 1;
            sh->why[k] = msgs[k];
            msgs[k] = NULL;
        } else if (codes[k] != -1) {
            warn("shard %s %s: %s; --partial searches the others",
                 sh->v[k].name, failing(&sh->v[k]),
                 msgs[k] ? msgs[k] : "unknown error");
            bad = 1;
        }
    }
    if (!bad && live == 0) {
        for (size_t k = 0; k < sh->n; k++)
            warn("shard %s %s: %s", sh->v[k].name, failing(&sh->v[k]),
                 sh->why[k] ? sh->why[k] : "unknown error");
        /* an empty file reads as a stub naming nothing */
        warn(sh->n ? "%s: no shard answered" : "%s: not an index", dbdir);
        bad = 1;
    }
    for (size_t k = 0; msgs && k < sh->n; k++)
        free(msgs[k]);
    free(msgs);
    free(codes);
    if (bad) {
        fzx_db_close(db);
        db = NULL;
    }
    return db;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    o.limit = 10;
    o.color = -1;
    o.timeout_ms = 10000;           /* Xapian::Remote::open's default */
    const char *cc = getenv("FZ_CHECK_ON_CLIENT");
    o.client_check = cc && *cc && strcmp(cc, "0") != 0;
    const char **qv = calloc((size_t)argc + 1, sizeof *qv);
    int qn = 0;
    setlocale(LC_ALL, "");
    if (qv == NULL)
        return 2;
    int bad = parse_args(argc, argv, &o, qv, &qn);
    if (bad != 0) {
        free(qv);
        return bad < 0 ? 0 : bad;
    }
    if (o.color < 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        o.color = isatty(1) && !(nc && *nc)
                  && !(term && !strcmp(term, "dumb"));
    }
    if (o.format != FMT_TEXT)
        o.color = 0;
    o.exact_total = o.count || o.format == FMT_JSON;

    int status = 2, rc = FZ_OK;
    char *err = NULL, *dbdir = o.db ? strdup(o.db) : fz_default_db();
    struct fz_norm *norm = NULL;
    struct fz_query q = { 0 };
    struct fz_buf qs = FZ_BUF_INIT;
    struct shards sh = { 0, NULL, 0, NULL, NULL };
    fzx_db *db = NULL;
    struct hits h;
    memset(&h, 0, sizeof h);
    if (dbdir == NULL) {
        warn("no index folder: give --db or set FZ_DB");
        goto out;
    }
    if ((norm = fz_norm_open(&err)) == NULL) {
        warn("%s", err);
        goto out;
    }
    if (qn > 0 && fz_query_parse(norm, qv, (size_t)qn, &q, &err) != FZ_OK) {
        warn("query: %s", err);
        goto out;
    }
    for (int k = 0; k < qn; k++)
        if ((k > 0 && fz_buf_appendc(&qs, ' ') != FZ_OK)
            || fz_buf_appends(&qs, qv[k]) != FZ_OK)
            goto out;
    o.query_text = qn > 0 ? fz_buf_cstr(&qs) : NULL;
    /* a stub is read here, not by Xapian, to name a shard that fails */
    rc = fzx_stub_read(dbdir, &sh.v, &sh.n, &err);
    if (rc == FZ_OK) {
        sh.stub = 1;
        sh.down = calloc(sh.n + 1, 1);
        sh.why = calloc(sh.n + 1, sizeof *sh.why);
        if (sh.down == NULL || sh.why == NULL) {
            warn("out of memory");
            goto out;
        }
    } else if (rc != FZ_ENOTSTUB) {
        warn("%s: %s", dbdir, err ? err : fz_strerror(rc));
        goto out;
    }
    /* each round either searches or finds one more shard gone */
    for (size_t round = 0; round <= sh.n; round++) {
        if ((db = open_index(dbdir, &o, &sh)) == NULL)
            goto out;
        rc = check_schema(db, dbdir, &err);
        if (rc == -1)
            goto out;
        for (int tries = 0; rc == FZ_OK || (rc == FZ_EMODIFIED
                                            && tries < 5); tries++) {
            if (rc == FZ_EMODIFIED && (rc = fzx_db_reopen(db, &err))
                                       != FZ_OK)
                break;
            hits_release(&h);
            rc = search_run(db, qn > 0 ? &q : NULL, &o, &h, &err);
            if (rc != FZ_EMODIFIED)
                break;
        }
        long k = rc == FZ_ENETWORK ? fzx_db_failed_shard(db) : -1;
        if (k < 0 || !o.partial || sh.down[k])
            break;
        /* under --partial a shard gone during the search is left out;
         * the others are opened afresh, their connections being out of
         * step after the failure */
        sh.down[k] = 1;
        sh.why[k] = err;
        err = NULL;
        fzx_db_close(db);
        db = NULL;
    }
    if (rc == FZ_EINVAL) {
        warn("%s", err ? err : "invalid argument");
        goto out;
    } else if (rc == FZ_ENETWORK && fzx_db_failed_shard(db) >= 0) {
        const struct fzx_shard *s = &sh.v[fzx_db_failed_shard(db)];
        warn("shard %s %s: %s%s", s->name, failing(s),
             err ? err : "unknown error",
             o.partial ? "" : "; --partial searches the others");
        goto out;
    } else if (rc != FZ_OK) {
        warn("%s: %s", dbdir, err ? err : fz_strerror(rc));
        goto out;
    }
    size_t live = 0;
    for (size_t k = 0; k < sh.n; k++)
        live += !sh.down[k];
    for (size_t k = 0; k < sh.n; k++)
        if (sh.down[k])
            warn("shard %s %s: %s; results are from %zu of %zu shards",
                 sh.v[k].name, failing(&sh.v[k]),
                 sh.why[k] ? sh.why[k] : "unknown error", live, sh.n);
    status = h.total > 0 ? 0 : 1;
    if (o.count)
        printf("%zu\n", h.total);
    else if (output_hits(norm, qn > 0 ? &q : NULL, &o, &h) != 0)
        status = 2;
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            warn("write error: %s", strerror(errno));
        status = 2;
    }
    hits_release(&h);
    fzx_db_close(db);
    shards_release(&sh);
    fz_query_release(&q);
    fz_norm_close(norm);
    fz_buf_release(&qs);
    free(err);
    free(dbdir);
    free(qv);
    return status;
}
