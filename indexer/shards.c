/* indexer/shards.c - see indexer/shards.h. */
#include "indexer/shards.h"

#include "base/fz.h"
#include "store/schema.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What this thread is writing, for fz_shards_writing(): fzx_on_fatal's
 * handler takes no argument, and runs on the thread that failed. */
/* The records' dictionary and its id, into w's metadata (store/schema.h). */
static int put_dict(fzx_writer *w, const char *dict, size_t len,
                    char **errptr)
{
    char id[16];
    int n = snprintf(id, sizeof id, "%u", fz_codec_dict_id(dict, len));
    int rc = fzx_writer_set_metadata(w, FZ_ZDICT_KEY, dict, len, errptr);
    return rc != FZ_OK ? rc
           : fzx_writer_set_metadata(w, FZ_ZDICT_ID_KEY, id, (size_t)n,
                                     errptr);
}

static _Thread_local const char *writing;

const char *fz_shards_writing(void)
{
    return writing;
}

void fz_shards_set_writing(const char *path)
{
    writing = path;
}

/* The stub's notes (shim/fzx.h): how the index is sharded, and whether
 * --freeze dropped the term lists. */
#define FROZEN_NOTE "fz frozen: read-only"

int fz_shards_write_stub(const struct fz_shards *s, char **errptr)
{
    char *notes;
    if (asprintf(&notes, "fz shards: %s %lu\n%s",
                 s->mode == 'k' ? "count" : "size", s->param,
                 s->frozen ? FROZEN_NOTE "\n" : "") < 0)
        return FZ_ENOMEM;
    int rc = fzx_stub_write(s->dir, notes, s->n, errptr);
    free(notes);
    return rc;
}

/* The sharding of an existing index folder from its stub: 1 sharded, 0
 * not (no stub), -1 a stub fz did not write. */
static int read_stub(const char *dir, char *mode, unsigned long *param,
                     size_t *n, int *frozen)
{
    char *notes = NULL, kind[16];
    int rc = fzx_stub_notes(dir, &notes, n, NULL);
    *frozen = 0;
    if (rc == FZ_ENOTSTUB)
        return 0;
    if (rc != FZ_OK
        || sscanf(notes, "fz shards: %15s %lu", kind, param) != 2) {
        free(notes);
        return -1;
    }
    *mode = strcmp(kind, "count") == 0 ? 'k' : 'n';
    for (const char *l = strchr(notes, '\n'); l; l = strchr(l + 1, '\n'))
        if (strncmp(l + 1, FROZEN_NOTE "\n", sizeof FROZEN_NOTE) == 0)
            *frozen = 1;
    free(notes);
    return 1;
}

static int shard_add(struct fz_shards *s, char **errptr)
{
    size_t k = s->n;
    char **path = realloc(s->path, (k + 1) * sizeof *path);
    if (path)
        s->path = path;
    fzx_writer **w = realloc(s->w, (k + 1) * sizeof *w);
    if (w)
        s->w = w;
    unsigned long *r = realloc(s->reports, (k + 1) * sizeof *r);
    if (r)
        s->reports = r;
    int *t = realloc(s->txn, (k + 1) * sizeof *t);
    if (t)
        s->txn = t;
    if (!path || !w || !r || !t
        || (s->path[k] = s->sharded ? fzx_shard_path(s->dir, k)
                                    : strdup(s->dir)) == NULL)
        return FZ_ENOMEM;
    int code = 0;
    if (k == 0) {
        /* an index keeps what its first shard has */
        char tl[PATH_MAX], ver[PATH_MAX];
        snprintf(tl, sizeof tl, "%s/termlist.glass", s->path[0]);
        snprintf(ver, sizeof ver, "%s/iamglass", s->path[0]);
        int have = access(tl, F_OK) == 0;
        if (s->term_lists && !have && access(ver, F_OK) == 0) {
            /* asked of an index written without: said, not ignored */
            fz_set_error(errptr, "--term-lists: this index was written "
                         "without term lists, and keeps what it has; "
                         "index into a new folder");
            free(s->path[k]);
            return FZ_EINVAL;
        }
        s->wflags = s->term_lists || have ? 0 : FZX_NO_TERMLIST;
    }
    s->w[k] = fzx_writer_open_with(s->path[k], s->wflags, &code, errptr);
    if (s->w[k] == NULL) {
        free(s->path[k]);
        return code ? code : FZ_EINDEX;
    }
    s->txn[k] = 0;
    s->reports[k] = 0;
    s->n++;
    size_t len = 0;
    char *v = fzx_writer_get_metadata(s->w[k], "reports", &len, errptr);
    if (v)
        s->reports[k] = strtoul(v, NULL, 10);
    free(v);
    return FZ_OK;
}

int fz_shards_commit_some(struct fz_shards *s, unsigned j, unsigned nth,
                          char **errptr)
{
    int rc = FZ_OK;
    /* shard 0, which holds the catalogue, last: a file is in the
     * catalogue only once its reports are committed (indexer/collection.h) */
    for (size_t i = 1; i <= s->n; i++) {
        size_t k = i % s->n;
        if (k % nth != j || !s->txn[k])
            continue;
        s->txn[k] = 0;
        if (rc == FZ_OK)
            rc = fzx_writer_commit(s->w[k], errptr);
        else
            fzx_writer_cancel(s->w[k], NULL);
    }
    return rc;
}

int fz_shards_commit(struct fz_shards *s, char **errptr)
{
    return fz_shards_commit_some(s, 0, 1, errptr);
}

int fz_shards_close(struct fz_shards *s, char **errptr)
{
    int rc = FZ_OK;
    for (size_t k = 0; k < s->n; k++) {
        if (s->txn[k])
            fzx_writer_cancel(s->w[k], NULL);
        if (fzx_writer_close(s->w[k], rc == FZ_OK ? errptr : NULL) != FZ_OK)
            rc = FZ_EINDEX;
    }
    free(s->w);
    free(s->reports);
    free(s->txn);
    s->w = NULL;
    s->reports = NULL;
    s->txn = NULL;
    return rc;
}

void fz_shards_cancel_some(struct fz_shards *s, unsigned j, unsigned nth)
{
    for (size_t k = j; k < s->n; k += nth)
        if (s->txn[k]) {
            fzx_writer_cancel(s->w[k], NULL);
            s->txn[k] = 0;
        }
}

void fz_shards_release(struct fz_shards *s)
{
    fz_buf_release(&s->zdict);
    for (size_t k = 0; k < s->n; k++)
        free(s->path[k]);
    free(s->path);
    s->path = NULL;
    s->n = 0;
}

size_t fz_shards_hash(const struct fz_shards *s, const char *rid)
{
    return (size_t)(fz_hash64(rid, strlen(rid), FZ_HASH64_INIT)
                    % s->param);
}

int fz_shards_begin(struct fz_shards *s, size_t k, char **errptr)
{
    if (s->txn[k])
        return FZ_OK;
    int rc = fzx_writer_begin(s->w[k], errptr);
    if (rc == FZ_OK)
        s->txn[k] = 1;
    return rc;
}

int fz_shards_route(struct fz_shards *s, const char *rid, char **errptr)
{
    if (!s->sharded)
        return 0;
    if (s->mode == 'k')
        return (int)fz_shards_hash(s, rid);
    size_t last = s->n - 1;
    if (s->reports[last] >= s->param) {
        /* the newest shard is full: start the next one */
        if (fz_shards_commit(s, errptr) != FZ_OK
            || shard_add(s, errptr) != FZ_OK
            || fz_shards_write_stub(s, errptr) != FZ_OK)
            return -1;
        last = s->n - 1;
        if (fzx_writer_set_metadata(s->w[last], "schema", FZ_SCHEMA_VERSION,
                                    strlen(FZ_SCHEMA_VERSION), errptr)
            != FZ_OK
            || (s->zdict.len
                && put_dict(s->w[last], s->zdict.data, s->zdict.len,
                            errptr) != FZ_OK))
            return -1;
    }
    return (int)last;
}

int fz_shards_count(struct fz_shards *s, size_t k, long delta,
                    char **errptr)
{
    char n[32];
    s->reports[k] = (unsigned long)((long)s->reports[k] + delta);
    if (!s->sharded)
        return FZ_OK;
    snprintf(n, sizeof n, "%lu", s->reports[k]);
    return fzx_writer_set_metadata(s->w[k], "reports", n, strlen(n), errptr);
}

static int stop_at_first(void *ctx, const char *t, size_t len)
{
    (void)t;
    (void)len;
    *(int *)ctx = 1;
    return 1;
}

/* --db is a folder, made if missing, but never one holding other files:
 * `fzindex --db ~/reports ~/reports` must not mix index files into the
 * reports (nor read them as an index); and one we may write.  0, or -1
 * when said. */
int fz_shards_check_dir(struct fz_run *run, const char *dbdir)
{
    DIR *d = opendir(dbdir);
    if (d == NULL && errno == ENOTDIR) {
        fz_run_warn(run, "%s: not a folder", dbdir);
        return -1;
    }
    if (d == NULL)
        return 0;       /* missing, unreadable: Xapian will say */
    /* said here, before Xapian half-starts a commit it cannot finish */
    if (access(dbdir, W_OK) != 0) {
        fz_run_warn(run, "%s: cannot write the index here (%s)", dbdir,
                    strerror(errno));
        closedir(d);
        return -1;
    }
    const struct dirent *e;
    char other[256] = "";
    int index = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        enum fzx_name kind = fzx_dir_name(e->d_name);
        if (kind == FZX_NAME_MARK)
            index = 1;
        else if (kind == FZX_NAME_OTHER
                 && (other[0] == '\0' || strcmp(e->d_name, other) < 0))
            snprintf(other, sizeof other, "%s", e->d_name);   /* the first */
    }
    int rc = 0;
    if (other[0] && !index) {
        fz_run_warn(run, "%s: not an index, and not empty (%s is there); "
                    "give a new or empty folder", dbdir, other);
        rc = -1;
    }
    closedir(d);
    return rc;
}

/* An index is written in one layout (store/schema.h): a new one gets the
 * current version; an older one must be rebuilt, not mixed. */
static int check_schema(struct fz_run *run, fzx_writer *w,
                        const char *dbdir)
{
    char *err = NULL;
    size_t len = 0;
    int any = 0, rc = 0;
    char *have = fzx_writer_get_metadata(w, "schema", &len, &err);
    if (have == NULL && err == NULL)
        fzx_writer_each_term(w, FZ_PREFIX_ID, stop_at_first, &any, &err);
    if (err != NULL) {
        fz_run_warn(run, "%s: %s", dbdir, err);
        rc = -1;
    } else if ((have && strcmp(have, FZ_SCHEMA_VERSION) != 0) || any) {
        fz_run_warn(run, "%s: built by another version of fzindex (layout "
                    "%s, this one writes %s); remove it and index again",
                    dbdir, have ? have : "1", FZ_SCHEMA_VERSION);
        rc = -1;
    } else if (have == NULL
               && fzx_writer_set_metadata(w, "schema", FZ_SCHEMA_VERSION,
                                          strlen(FZ_SCHEMA_VERSION),
                                          &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", dbdir, err);
        rc = -1;
    }
    free(have);
    free(err);
    return rc;
}

int fz_shards_set_dict(struct fz_run *run, struct fz_shards *s,
                       const char *dict, size_t len, char **errptr)
{
    char id[16];
    snprintf(id, sizeof id, "%u", fz_codec_dict_id(dict, len));
    const struct fz_codec *c = fz_codec_load(dict, len, errptr);
    if (c == NULL)
        return FZ_EINDEX;
    for (size_t k = 0; k < s->n; k++) {
        size_t have = 0;
        char *err = NULL;
        char *v = fzx_writer_get_metadata(s->w[k], FZ_ZDICT_KEY, &have, &err);
        int same = v && have == len && memcmp(v, dict, len) == 0;
        free(v);
        if (same && err == NULL) {     /* an index from before the id */
            v = fzx_writer_get_metadata(s->w[k], FZ_ZDICT_ID_KEY, &have,
                                        &err);
            same = v && have == strlen(id) && memcmp(v, id, have) == 0;
            free(v);
        }
        if (err) {
            fz_set_error(errptr, "%s", err);
            free(err);
            return FZ_EINDEX;
        }
        int rc = FZ_OK;
        if (!same && (rc = fz_shards_begin(s, k, errptr)) == FZ_OK
            && (rc = put_dict(s->w[k], dict, len, errptr)) == FZ_OK) {
            rc = fzx_writer_commit(s->w[k], errptr);
            s->txn[k] = 0;
        }
        if (rc != FZ_OK)
            return rc;
    }
    fz_buf_reset(&s->zdict);
    if (fz_buf_append(&s->zdict, dict, len) != FZ_OK)
        return FZ_ENOMEM;
    run->codec = c;
    return FZ_OK;
}

/* The dictionary the first shard that has one holds, given to the others
 * (store/codec.h).  0, or 2 when said. */
static int load_dict(struct fz_run *run, struct fz_shards *s)
{
    int rc = FZ_OK;
    char *err = NULL;
    for (size_t k = 0; rc == FZ_OK && k < s->n; k++) {
        size_t len = 0;
        char *v = fzx_writer_get_metadata(s->w[k], FZ_ZDICT_KEY, &len, &err);
        if (err)
            rc = FZ_EINDEX;
        else if (v && len)
            rc = fz_shards_set_dict(run, s, v, len, &err);
        free(v);
        if (run->codec)
            break;
    }
    if (rc != FZ_OK) {
        fz_run_warn(run, "%s: %s", s->dir, err ? err : "out of memory");
        free(err);
        return 2;
    }
    return 0;
}

const char *const fz_shard_copy_kinds[] = { "compact", "old", "rebuild",
                                            "packed", NULL };

char *fz_shard_copy_name(const char *dir, const char *kind)
{
    char *p;
    return asprintf(&p, "%s.%s-%d", dir, kind, (int)getpid()) < 0 ? NULL : p;
}

/* Whether name is a fz_shard_copy_name() of the shard folder base, of
 * any process. */
static int is_copy(const char *name, const char *base)
{
    size_t bl = strlen(base);
    if (strncmp(name, base, bl) != 0 || name[bl] != '.')
        return 0;
    name += bl + 1;
    for (size_t i = 0; fz_shard_copy_kinds[i]; i++) {
        size_t kl = strlen(fz_shard_copy_kinds[i]);
        if (strncmp(name, fz_shard_copy_kinds[i], kl) == 0 && name[kl] == '-'
            && name[kl + 1]
            && strspn(name + kl + 1, "0123456789") == strlen(name + kl + 1))
            return 1;
    }
    return 0;
}

/* A run makes those copies only while it holds the shard's lock, and
 * removes them before it lets go; one found by a run that holds the lock
 * now was left by a run that was stopped (killed, or the machine went
 * down) and is as big as the shard.  Each is removed, and said; one that
 * cannot be removed is named, with why. */
static void remove_copies(struct fz_run *run, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *parent = slash ? strndup(path, (size_t)(slash - path)) : NULL;
    const char *base = slash ? slash + 1 : path;
    DIR *d = opendir(slash ? (parent && *parent ? parent : "/") : ".");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!is_copy(e->d_name, base))
            continue;
        char *p;
        if (asprintf(&p, "%s/%s", slash ? parent : ".", e->d_name) < 0)
            break;
        char *err = NULL;
        if (fzx_db_remove(p, &err) == FZ_OK)
            fz_run_warn(run, "%s: removed, a copy of a shard left by a run "
                        "that was stopped", p);
        else
            fz_run_warn(run, "%s: a copy of a shard left by a run that was "
                        "stopped; cannot remove it (%s): remove it by hand",
                        p, err ? err : "out of memory");
        free(err);
        free(p);
    }
    if (d)
        closedir(d);
    free(parent);
}

int fz_shards_open(struct fz_run *run, struct fz_shards *s, char mode,
                   unsigned long param, unsigned long jobs)
{
    char *err = NULL;
    char have_mode = 0;
    unsigned long have_param = 0;
    size_t have_n = 0;
    int frozen = 0;
    s->term_lists = run->term_lists;
    int st = read_stub(s->dir, &have_mode, &have_param, &have_n, &frozen);
    if (st == 1 && frozen) {
        fz_run_warn(run, "%s: frozen by fzindex --freeze: it can be "
                    "searched, not changed; index into a new folder", s->dir);
        return 2;
    }
    if (st < 0) {
        fz_run_warn(run, "%s: holds a Xapian stub file fz did not write; "
                    "give a folder of its own", s->dir);
        return 2;
    }
    if (st == 1) {
        if (mode && (mode != have_mode || param != have_param)) {
            fz_run_warn(run, "%s: already sharded with --%s %lu; give the "
                        "same or none", s->dir,
                        have_mode == 'k' ? "shards" : "shard-size",
                        have_param);
            return 2;
        }
        s->sharded = 1;
        s->mode = have_mode;
        s->param = have_param;
    } else {
        int plain = (fzx_dir_holds(s->dir) & FZX_HAS_DB) != 0;
        if (plain && mode) {
            fz_run_warn(run, "%s: is one database, not sharded; index into "
                        "a new folder to shard", s->dir);
            return 2;
        }
        if (plain)
            goto plain;
        if (!mode) {
            /* a new index: one shard per job, written in parallel */
            mode = 'k';
            param = jobs;
        }
        if (mkdir(s->dir, 0777) != 0 && errno != EEXIST) {
            fz_run_warn(run, "%s: %s", s->dir, strerror(errno));
            return 2;
        }
        s->sharded = 1;
        s->mode = mode;
        s->param = param;
        have_n = mode == 'k' ? param : 1;
    }
    if (0) {
plain:
        have_n = 1;
    }
    for (size_t k = 0; k < have_n; k++)
        if (shard_add(s, &err) != FZ_OK) {
            fz_run_warn(run, "%s: %s", s->dir,
                        err ? err : "cannot open the index");
            free(err);
            return 2;
        }
    if (s->sharded && st != 1 && fz_shards_write_stub(s, &err) != FZ_OK) {
        fz_run_warn(run, "%s", err);
        free(err);
        return 2;
    }
    for (size_t k = 0; k < s->n; k++) {
        if (check_schema(run, s->w[k], s->path[k]) != 0)
            return 2;
        /* make a new database visible to the readers of this run */
        if (fzx_writer_begin(s->w[k], &err) != FZ_OK
            || fzx_writer_commit(s->w[k], &err) != FZ_OK) {
            fz_run_warn(run, "%s: %s", s->path[k], err);
            free(err);
            return 2;
        }
        remove_copies(run, s->path[k]);
    }
    return load_dict(run, s);
}
