/* fzsearch - search an fz index: exact, ranked passages.
 *
 * The command line is read into checked options (searcher/options.h);
 * the query is folded and tokenized by the same code as the reports
 * (query/query.h).  The index finds candidate passages by their terms and
 * ranks them with BM25; when the index cannot decide (a phrase, a Han run,
 * NEAR, one sentence), each candidate is checked against its stored
 * folded text inside the match, so what is printed and counted is exactly
 * the passages that contain the query (searcher/search.h).  The hits are
 * printed by one emitter per format (searcher/output.h).  This file opens
 * the index (a database, or the shards a stub names), checks its layout,
 * runs the search again when the index changed under it or a shard went
 * away under --partial, and decides the exit status. */
#include "searcher/options.h"
#include "searcher/output.h"
#include "searcher/search.h"

#include "base/buf.h"
#include "base/fz.h"
#include "query/query.h"
#include "shim/fzx.h"
#include "store/schema.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "fzsearch";
static int quiet;               /* an attempt that will be retried */

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
    va_list ap;
    if (quiet)
        return;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
    /* a writer committing while we read: catch up, as the search does */
    for (int tries = 0; have == NULL && err && tries < 5
                        && fzx_db_failed_shard(db) < 0; tries++) {
        free(err);
        err = NULL;
        if (fzx_db_reopen(db, &err) == FZ_OK)
            have = fzx_db_get_metadata(db, "schema", &len, &err);
    }
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
static fzx_db *open_index(const char *dbdir, const struct fzs_options *o,
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

/* open_index(), tried again a few times for an index on this machine
 * that exists but could not be opened: fzindex --compact swaps a shard
 * for its compacted copy in one rename, and a reader opening the index
 * at that moment may see a folder in between.  Remote shards are not
 * retried (each try may wait out a timeout). */
static fzx_db *open_index_retrying(const char *dbdir,
                                   const struct fzs_options *o,
                                   struct shards *sh)
{
    int local = 1;
    struct stat st;
    for (size_t k = 0; k < sh->n; k++)
        local &= sh->v[k].kind == FZX_SHARD_LOCAL;
    for (int attempt = 0;; attempt++) {
        quiet = local && attempt < 4 && stat(dbdir, &st) == 0;
        fzx_db *db = open_index(dbdir, o, sh);
        int again = quiet;
        quiet = 0;
        if (db != NULL || !again)
            return db;
        for (size_t k = 0; k < sh->n; k++) {
            sh->down[k] = 0;
            free(sh->why[k]);
            sh->why[k] = NULL;
        }
        usleep(10000u << attempt);
    }
}

int main(int argc, char **argv)
{
    struct fzs_options o;
    fzs_options_init(&o);
    const char **qv = calloc((size_t)argc + 1, sizeof *qv);
    int qn = 0;
    setlocale(LC_CTYPE, "");  /* the rest stays C: "." in numbers */
    if (qv == NULL)
        return 2;
    int bad = fzs_options_parse(argc, argv, &o, qv, &qn);
    if (bad != 0) {
        free(qv);
        return bad < 0 ? 0 : bad;
    }

    int status = 2, rc = FZ_OK;
    char *err = NULL, *dbdir = o.db ? strdup(o.db) : fz_default_db();
    struct fz_norm *norm = NULL;
    struct fz_query q = { 0 };
    struct fz_buf qs = FZ_BUF_INIT;
    struct shards sh = { 0, NULL, 0, NULL, NULL };
    fzx_db *db = NULL;
    struct fzs_hits h = FZS_HITS_INIT;
    if (dbdir == NULL) {
        warn("no index folder: give --db or set FZ_DB");
        goto out;
    }
    /* OpenCC is opened by the first text that needs it */
    if ((norm = fz_norm_open(&err)) == NULL) {
        warn("%s", err);
        goto out;
    }
    if (qn > 0 && (rc = fz_query_parse(norm, qv, (size_t)qn, &q, &err))
                  != FZ_OK) {
        warn(rc == FZ_EIO ? "%s" : "query: %s", err);
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
        if ((db = open_index_retrying(dbdir, &o, &sh)) == NULL)
            goto out;
        rc = check_schema(db, dbdir, &err);
        if (rc == -1)
            goto out;
        for (int tries = 0; rc == FZ_OK || (rc == FZ_EMODIFIED
                                            && tries < 5); tries++) {
            if (rc == FZ_EMODIFIED && (rc = fzx_db_reopen(db, &err))
                                       != FZ_OK)
                break;
            fzs_hits_release(&h);
            rc = fzs_search_run(db, qn > 0 ? &q : NULL, &o, &h, &err);
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
    /* what each --region was taken as: never a silent guess */
    for (size_t k = 0; k < h.n_regions; k++) {
        const struct fzs_region_pick *p = &h.regions[k];
        if (!p->code[0])
            warn("--region %s: the national reports", p->given);
        else if (p->how == FZS_REGION_ABOVE_TOWNS)
            warn("--region %s: %s (%s); %zu %s so named %s no reports "
                 "here", p->given, p->chain, p->code, p->others,
                 p->others == 1 ? "township" : "townships",
                 p->others == 1 ? "has" : "have");
        else if (p->how == FZS_REGION_WITH_REPORTS)
            warn("--region %s: %s (%s), the one of %zu divisions so named "
                 "with reports here", p->given, p->chain, p->code,
                 p->others + 1);
        else
            warn("--region %s: %s (%s)", p->given, p->chain, p->code);
    }
    if (h.undated)
        warn("--date left out %zu matching %s with no known date", h.undated,
             h.per_report ? (h.undated == 1 ? "report" : "reports")
                          : (h.undated == 1 ? "passage" : "passages"));
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
        fzs_output_count(&o, &h);     /* the facets asked for, the number */
    else if (fzs_output_hits(norm, qn > 0 ? &q : NULL, &o, &h) != 0)
        status = 2;
    else if (h.total > o.offset + h.n) {
        /* more match than are shown: never a list cut short silently */
        const char *unit = h.per_report ? "reports" : "passages";
        if (o.offset)
            warn("%zu-%zu of %s%zu %s %s; -n 0 %s all",
                 (size_t)o.offset + 1, (size_t)o.offset + h.n, h.total_exact ? "" : "about ", h.total,
                 unit, o.cite ? "cited" : "shown", o.cite ? "cites" : "shows");
        else
            warn("%zu of %s%zu %s %s; -n 0 %s all", h.n,
                 h.total_exact ? "" : "about ", h.total, unit,
                 o.cite ? "cited" : "shown", o.cite ? "cites" : "shows");
    }
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            warn("write error: %s", strerror(errno));
        status = 2;
    }
    fzs_hits_release(&h);
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
