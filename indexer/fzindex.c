/* fzindex - add report files to an fz index.
 *
 * Reads .txt, .htm/.html and .jsonl files (folders recursively), runs each
 * report through the text pipeline and stores one Xapian document per
 * passage (store/schema.h).  Unchanged files are skipped by content hash;
 * a changed file replaces its reports; each report is one transaction. */
#include "shim/fzx.h"
#include "base/fz.h"
#include "text/html.h"
#include "meta/region.h"
#include "reader/report.h"
#include "store/schema.h"
#include "text/token.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
"usage: fzindex [--db <dir>] [-j N] [--shards K | --shard-size N] <path>...\n"
"       fzindex [--db <dir>] --remove <path>...\n"
"       fzindex [--db <dir>] --compact | --freeze [<path>...]\n"
"\n"
"Index report files for fzsearch: .txt (UTF-8 or GB18030), .htm/.html and\n"
".jsonl (one report per line: \"text\" or \"content\", and optional title,\n"
"url, date, year, issuer, region, level, source).  Folders are read\n"
"recursively; a NAME.json beside NAME.txt or NAME.html gives metadata.\n"
"Unchanged files are skipped; changed files replace their reports.\n"
"Inside a folder, symbolic links are followed only to files in it.  A\n"
"report file may be 16 MiB, a .jsonl file 1 GiB and a record 16 MiB.\n"
"\n"
"An index is a folder holding shards (Xapian databases s0000, s0001, ...)\n"
"and the Xapian stub file XAPIANDB that lists them; fzsearch opens it as\n"
"one.  A file's reports all go to one shard; shards are written in\n"
"parallel.\n"
"\n"
"      --db <dir>     the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                     else ~/.local/share/fz); made if missing, never in\n"
"                     a folder holding other files\n"
"  -j, --jobs N       threads reading and writing (default: the number of\n"
"                     cores)\n"
"      --shards K     a new index gets K shards, each file going to the one\n"
"                     its path hashes to (default: as many as -j)\n"
"      --shard-size N a new index fills one shard until it holds N reports,\n"
"                     then starts the next (written by one thread)\n"
"      --compact      afterwards (or alone), rewrite every shard with\n"
"                     Xapian's compactor: smaller and faster to search\n"
"      --freeze       compact, and drop the term lists Xapian needs only to\n"
"                     change documents: about 45% smaller, searchable as\n"
"                     before, but no longer writable (an archive)\n"
"      --remove       remove the reports of the given files, or of every\n"
"                     file indexed under the given folders, from the index\n"
"  -q, --quiet        no progress line and no summary\n"
"  -h, --help         this help\n"
"\n"
"Environment: FZ_BATCH, passages per commit (default 20000): each commit\n"
"holds whole files, so an interrupted run keeps every file committed.\n"
"\n"
"Exit status: 0 every input indexed, 1 some inputs could not be indexed\n"
"(each named on stderr; the others were), 2 usage error or the index\n"
"could not be opened or written.\n";

static const char *prog = "fzindex";
static volatile sig_atomic_t interrupted;
static int index_failed;            /* under out_mu: a writer failed */
/* What is being written, for on_fatal(): the index and the file. */
static const char *doing_db;
static _Thread_local const char *doing_file;

/* A .jsonl file is read whole and its records cut from it in memory: a
 * bound, so that a runaway file is one line on stderr rather than all of
 * memory; bigger ones can be split.  Records: FZ_RECORD_MAX_BYTES. */
#define JSONL_MAX_BYTES ((size_t)1 << 30)

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&out_mu);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&out_mu);
    va_end(ap);
}

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Xapian cannot go on: a write failed where it cannot say so (shim/fzx.h,
 * fzx_on_fatal), most often on a full disk.  Every report committed
 * before is safe; say which file was under way, and why, in one line. */
static void on_fatal(void)
{
    int e = errno;
    const char *why = e ? strerror(e) : "unexpected error in Xapian";
    if (doing_file)
        fprintf(stderr, "%s: %s: not indexed: cannot write %s (%s); the "
                "reports indexed before it are kept\n", prog, doing_file,
                doing_db, why);
    else
        fprintf(stderr, "%s: %s: cannot write the index (%s); the reports "
                "indexed before are kept\n", prog, doing_db, why);
    _exit(2);
}

/* ---- the files to read ------------------------------------------------- */

struct file {
    char *path;         /* absolute */
    off_t size;
};

struct files {
    struct file *v;
    size_t n, cap;
    off_t bytes;
};

static int has_ext(const char *p, const char *ext)
{
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcasecmp(p + n - e, ext) == 0;
}

static int indexable(const char *p)
{
    return has_ext(p, ".txt") || has_ext(p, ".htm") || has_ext(p, ".html")
        || has_ext(p, ".jsonl");
}

static int add_file(struct files *fs, const char *path, off_t size)
{
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 64;
        struct file *v = realloc(fs->v, nc * sizeof *v);
        if (v == NULL)
            return -1;
        fs->v = v;
        fs->cap = nc;
    }
    char *abs = realpath(path, NULL);
    if (abs == NULL)
        return -1;
    fs->v[fs->n].path = abs;
    fs->v[fs->n].size = size;
    fs->n++;
    fs->bytes += size;
    return 0;
}

/* A file or folder at abs (a real path) is inside the folder root. */
static int inside(const char *abs, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return 1;
    return strncmp(abs, root, n) == 0 && abs[n] == '/';
}

/* Collect path: a file as given (whatever its name), a folder's
 * indexable files recursively.  root is NULL for a path named on the
 * command line (followed wherever it leads: the user named it) and the
 * real path of the named folder for what is found inside it.  There a
 * symbolic link is followed only to a file inside root; one to a folder
 * (it could loop, or index a tree twice) or out of root (a folder of
 * downloaded files must not make fzindex read ~/.ssh/id_rsa named
 * report.txt) is named on stderr and skipped, like a broken one or a
 * loop.  Returns the number of problems reported. */
static int collect(struct files *fs, const char *path, const char *root)
{
    struct stat st;
    char *real = NULL;
    if ((root ? lstat(path, &st) : stat(path, &st)) != 0) {
        warn("%s: %s", path, errno == ELOOP ? "symbolic link loop"
                                            : strerror(errno));
        return 1;
    }
    if (S_ISLNK(st.st_mode)) {
        real = realpath(path, NULL);
        if (real == NULL || stat(real, &st) != 0) {
            warn("%s: %s", path, errno == ELOOP ? "symbolic link loop"
                 : errno == ENOENT ? "broken symbolic link"
                 : strerror(errno));
            free(real);
            return 1;
        }
        int bad = 0;
        if (S_ISDIR(st.st_mode)) {
            warn("%s: symbolic link to a folder, not followed", path);
            bad = 1;
        } else if (S_ISREG(st.st_mode) && indexable(path)
                   && !inside(real, root)) {
            warn("%s: symbolic link out of the folder (to %s), not "
                 "followed", path, real);
            bad = 1;
        }
        free(real);
        if (bad)
            return 1;
    }
    if (S_ISREG(st.st_mode)) {
        if (root && !indexable(path))
            return 0;
        if (add_file(fs, path, st.st_size) != 0) {
            warn("%s: %s", path, strerror(errno));
            return 1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!root) {
            warn("%s: not a file or folder", path);
            return 1;
        }
        return 0;
    }
    if (root == NULL && (real = realpath(path, NULL)) == NULL) {
        warn("%s: %s", path, strerror(errno));
        return 1;
    }
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort), bad = 0;
    if (n < 0) {
        warn("%s: %s", path, strerror(errno));
        free(real);
        return 1;
    }
    size_t pl = strlen(path);
    for (int i = 0; i < n; i++) {
        const char *d = ents[i]->d_name;
        if (d[0] != '.') {
            char *sub;
            if (asprintf(&sub, "%s%s%s", path,
                         pl && path[pl - 1] == '/' ? "" : "/", d) >= 0) {
                bad += collect(fs, sub, root ? root : real);
                free(sub);
            }
        }
        free(ents[i]);
    }
    free(ents);
    free(real);
    return bad;
}

/* ---- passages to documents -------------------------------------------- */

struct term_ctx {
    fzx_doc *doc;
    const char *prefix;
    int rc;
};

static int add_token(void *ctx, const struct fz_token *t)
{
    struct term_ctx *tc = ctx;
    char term[FZ_TOKEN_MAX_BYTES + 8];
    size_t pl = strlen(tc->prefix);
    memcpy(term, tc->prefix, pl);
    memcpy(term + pl, t->term, t->len);
    tc->rc = fzx_doc_add_term(tc->doc, term, pl + t->len, 1);
    return tc->rc;
}

static int add_tokens(fzx_doc *d, const char *prefix, const char *s)
{
    struct term_ctx tc = { d, prefix, 0 };
    fz_tokenize(s, strlen(s), 0, add_token, &tc, NULL);
    return tc.rc;
}

static int add_bool(fzx_doc *d, const char *prefix, const char *v)
{
    char term[256];
    int n = snprintf(term, sizeof term, "%s%s", prefix, v);
    if (n < 0 || (size_t)n >= sizeof term)
        return FZ_EINVAL;
    return fzx_doc_add_boolean(d, term, (size_t)n);
}

static cJSON *str_or_null(const char *s)
{
    return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* The report part of every passage's data. */
static cJSON *report_json(const struct fz_report *r, const char *rid,
                          const char *ntitle, const char *path)
{
    const struct fz_meta *m = &r->meta;
    cJSON *o = cJSON_CreateObject(), *reg = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "id", rid);
    cJSON_AddItemToObject(o, "title", str_or_null(m->title));
    cJSON_AddItemToObject(o, "ntitle", str_or_null(ntitle));
    cJSON_AddItemToObject(o, "issuer", str_or_null(m->issuer));
    for (size_t k = 0; k < m->region.depth; k++)
        cJSON_AddItemToArray(reg, cJSON_CreateString(m->region.chain[k]));
    cJSON_AddItemToObject(o, "region", reg);
    cJSON_AddItemToObject(o, "region_code", str_or_null(m->region.code));
    cJSON_AddStringToObject(o, "level", fz_level_name(m->level));
    if (m->year)
        cJSON_AddNumberToObject(o, "year", m->year);
    else
        cJSON_AddNullToObject(o, "year");
    cJSON_AddItemToObject(o, "date", str_or_null(m->date));
    cJSON_AddItemToObject(o, "url", str_or_null(m->url));
    cJSON_AddItemToObject(o, "source", str_or_null(m->source));
    cJSON_AddItemToObject(o, "path", str_or_null(path));
    return o;
}

struct stats {
    size_t files, reports, passages, unchanged, failed, removed;
    off_t bytes_done;
};

/* ---- where reports go: one database, or shards under a stub ---------- */

/* A sharded index is a folder holding a Xapian stub file (XAPIANDB) that
 * lists its shards, s0000, s0001, ...; each shard is a complete index of
 * the files it was given (their metadata keys included).  A file's
 * reports all live in one shard: with --shards K the one its path hashes
 * to, with --shard-size N the newest until that holds N reports. */
#define STUB_NAME "XAPIANDB"
/* --freeze drops the shards' term lists (Xapian needs them to change or
 * delete a document, not to search) and says so in the stub. */
#define FROZEN_LINE "# fz frozen: read-only\n"

struct shards {
    char *dir;
    int sharded;
    char mode;                  /* 'k': --shards K, 'n': --shard-size N */
    int frozen;                 /* --freeze: searchable, not writable */
    unsigned long param;
    size_t n;
    char **path;                /* each shard's folder */
    fzx_writer **w;             /* open writers, one per shard */
    unsigned long *reports;     /* metadata "reports" of each shard */
    int *txn;                   /* a transaction is open */
};

static char *shard_path(const char *dir, size_t k)
{
    char *p;
    return asprintf(&p, "%s/s%04zu", dir, k) < 0 ? NULL : p;
}

static int write_stub(const struct shards *s, char **errptr)
{
    char *tmp, *stub;
    if (asprintf(&tmp, "%s/%s.tmp", s->dir, STUB_NAME) < 0)
        return FZ_ENOMEM;
    if (asprintf(&stub, "%s/%s", s->dir, STUB_NAME) < 0) {
        free(tmp);
        return FZ_ENOMEM;
    }
    FILE *f = fopen(tmp, "w");
    int rc = FZ_OK;
    if (f != NULL) {
        fprintf(f, "# fz shards: %s %lu\n", s->mode == 'k' ? "count" : "size",
                s->param);
        if (s->frozen)
            fputs(FROZEN_LINE, f);
        for (size_t k = 0; k < s->n; k++)
            fprintf(f, "glass s%04zu\n", k);
    }
    if (f == NULL || fflush(f) != 0 || fsync(fileno(f)) != 0
        || fclose(f) != 0 || rename(tmp, stub) != 0) {
        fz_set_error(errptr, "%s: %s", stub, strerror(errno));
        rc = FZ_EIO;
    }
    free(tmp);
    free(stub);
    return rc;
}

/* The sharding of an existing index folder from its stub: 1 sharded, 0
 * not (no stub), -1 a stub fz did not write. */
static int read_stub(const char *dir, char *mode, unsigned long *param,
                     size_t *n, int *frozen)
{
    char *stub, line[512], kind[16];
    if (asprintf(&stub, "%s/%s", dir, STUB_NAME) < 0)
        return -1;
    FILE *f = fopen(stub, "r");
    free(stub);
    if (f == NULL)
        return 0;
    int rc = -1;
    *n = 0;
    *frozen = 0;
    if (fgets(line, sizeof line, f)
        && sscanf(line, "# fz shards: %15s %lu", kind, param) == 2) {
        *mode = strcmp(kind, "count") == 0 ? 'k' : 'n';
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "glass s", 7) == 0)
                (*n)++;
            else if (strcmp(line, FROZEN_LINE) == 0)
                *frozen = 1;
        rc = 1;
    }
    fclose(f);
    return rc;
}

static int shard_add(struct shards *s, char **errptr)
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
        || (s->path[k] = s->sharded ? shard_path(s->dir, k)
                                    : strdup(s->dir)) == NULL)
        return FZ_ENOMEM;
    int code = 0;
    s->w[k] = fzx_writer_open(s->path[k], &code, errptr);
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

/* Commit the open transactions of shards k with k % nth == j (every
 * shard: shards_commit). */
static int shards_commit_some(struct shards *s, unsigned j, unsigned nth,
                              char **errptr)
{
    int rc = FZ_OK;
    for (size_t k = j; k < s->n; k += nth) {
        if (!s->txn[k])
            continue;
        s->txn[k] = 0;
        if (rc == FZ_OK)
            rc = fzx_writer_commit(s->w[k], errptr);
        else
            fzx_writer_cancel(s->w[k], NULL);
    }
    return rc;
}

static int shards_commit(struct shards *s, char **errptr)
{
    return shards_commit_some(s, 0, 1, errptr);
}

static int shards_close(struct shards *s, char **errptr)
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

/* ---- a file's reports as documents (run by the worker threads) -------- */

struct pdoc {
    fzx_doc *doc;
};

struct prep {
    char rid[17];
    struct pdoc *d;
    size_t n;
};

/* One file, read and turned into documents, waiting for the writer. */
struct item {
    int ready;
    int status;                 /* 0 all read, 1 some not (said), 2 fatal */
    int unchanged;
    int shard;                  /* the shard holding it before, or -1 */
    size_t old_reports, records;
    char hash[17];
    struct prep *r;
    size_t nr;
    size_t passages;
    struct fz_buf msgs;         /* its warnings, printed in file order */
};

static void item_warn(struct item *it, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void item_warn(struct item *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fz_buf_appendf(&it->msgs, "%s: ", prog);
    fz_buf_vappendf(&it->msgs, fmt, ap);
    fz_buf_appendc(&it->msgs, '\n');
    va_end(ap);
}

static void item_release(struct item *it)
{
    for (size_t i = 0; i < it->nr; i++) {
        for (size_t k = 0; k < it->r[i].n; k++)
            fzx_doc_free(it->r[i].d[k].doc);
        free(it->r[i].d);
    }
    free(it->r);
    fz_buf_release(&it->msgs);
    it->r = NULL;
    it->nr = 0;
}



/* Build the documents of one report (store/schema.h).  The first passage
 * carries the whole report record; the others only its id. */
static int build_report(struct item *it, struct fz_textctx *tc,
                        const struct fz_report *r, const char *path,
                        size_t record, const char *fid, char **errptr)
{
    struct prep *pr = realloc(it->r, (it->nr + 1) * sizeof *pr);
    if (pr == NULL)
        return FZ_ENOMEM;
    it->r = pr;
    pr = &it->r[it->nr++];
    memset(pr, 0, sizeof *pr);
    fz_report_id(path, record, pr->rid);
    pr->d = calloc(r->passages.n, sizeof *pr->d);
    if (pr->d == NULL)
        return FZ_ENOMEM;
    const char *rid = pr->rid;
    char *ntitle = r->meta.title ? fz_norm_str(tc->norm, r->meta.title,
                                               strlen(r->meta.title)) : NULL;
    cJSON *rep = report_json(r, rid, ntitle, path);
    cJSON *rstub = cJSON_CreateObject();
    cJSON_AddStringToObject(rstub, "id", rid);
    const char *sec_src[4] = { NULL, NULL, NULL, NULL };
    char *sec_norm[4] = { NULL, NULL, NULL, NULL };
    int rc = FZ_OK;
    for (size_t i = 0; rc == FZ_OK && i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        const char *norm = fz_buf_cstr(&r->norm[i].text);
        char pid[40], year[8];
        snprintf(pid, sizeof pid, "%s-%zu", rid, p->ordinal);
        fzx_doc *d = fzx_doc_new();
        pr->d[i].doc = d;
        pr->n = i + 1;
        cJSON *data = cJSON_CreateObject(), *jp = cJSON_CreateObject();
        cJSON *sec = cJSON_CreateArray();
        cJSON_AddStringToObject(jp, "id", pid);
        cJSON_AddNumberToObject(jp, "ordinal", (double)p->ordinal);
        for (size_t k = 0; k < p->n_section; k++)
            cJSON_AddItemToArray(sec, cJSON_CreateString(p->section[k]));
        cJSON_AddItemToObject(jp, "section", sec);
        cJSON_AddBoolToObject(jp, "heading", p->heading);
        cJSON_AddStringToObject(jp, "text", p->text);
        /* most text folds to itself: then "norm" is left out */
        if (strcmp(norm, p->text) != 0)
            cJSON_AddStringToObject(jp, "norm", norm);
        cJSON_AddItemToObject(data, "p", jp);
        cJSON_AddItemReferenceToObject(data, "r", i == 0 ? rep : rstub);
        char *json = cJSON_PrintUnformatted(data);
        rc = d && json ? FZ_OK : FZ_ENOMEM;
        if (rc == FZ_OK)
            rc = add_tokens(d, "", norm);
        for (size_t k = 0; rc == FZ_OK && k < p->n_section && k < 4; k++) {
            /* consecutive passages share their headings: fold each once */
            if (!sec_src[k] || strcmp(sec_src[k], p->section[k]) != 0) {
                free(sec_norm[k]);
                sec_src[k] = p->section[k];
                sec_norm[k] = fz_norm_str(tc->norm, p->section[k],
                                          strlen(p->section[k]));
            }
            rc = sec_norm[k] ? add_tokens(d, FZ_PREFIX_SECTION, sec_norm[k])
                             : FZ_ENOMEM;
        }
        if (rc == FZ_OK && ntitle)
            rc = add_tokens(d, FZ_PREFIX_TITLE, ntitle);
        if (rc == FZ_OK)
            rc = add_bool(d, FZ_PREFIX_REPORT, rid);
        if (rc == FZ_OK)
            rc = add_bool(d, FZ_PREFIX_FILE, fid);
        if (rc == FZ_OK)
            rc = add_bool(d, FZ_PREFIX_LEVEL, fz_level_name(r->meta.level));
        snprintf(year, sizeof year, "%04d", r->meta.year);
        if (rc == FZ_OK && r->meta.year) {
            rc = add_bool(d, FZ_PREFIX_YEAR, year);
            if (rc == FZ_OK)
                rc = fzx_doc_set_value(d, FZ_SLOT_YEAR, year, 4);
        }
        const char *code = r->meta.region.code;
        for (size_t l = 2; rc == FZ_OK && l <= strlen(code); l++) {
            if (l != 2 && l != 4 && l != 6 && l != 9)
                continue;
            char pre[16];
            snprintf(pre, sizeof pre, "%.*s", (int)l, code);
            rc = add_bool(d, FZ_PREFIX_REGION, pre);
        }
        if (rc == FZ_OK && r->meta.date[0])
            rc = fzx_doc_set_value(d, FZ_SLOT_DATE, r->meta.date,
                                   strlen(r->meta.date));
        if (rc == FZ_OK)
            rc = fzx_doc_set_value(d, FZ_SLOT_REPORT, rid, strlen(rid));
        if (rc == FZ_OK) {
            char key[40];
            int n = snprintf(key, sizeof key, FZ_PASSAGE_KEY_FMT, rid,
                             p->ordinal);
            rc = fzx_doc_set_value(d, FZ_SLOT_PASSAGE, key, (size_t)n);
        }
        if (rc == FZ_OK) {
            char fv[64];
            int n = snprintf(fv, sizeof fv, FZ_FACETS_FMT, rid,
                             r->meta.year, fz_level_name(r->meta.level),
                             code[0] ? code : "-");
            rc = fzx_doc_set_value(d, FZ_SLOT_FACETS, fv, (size_t)n);
        }
        if (rc == FZ_OK)
            rc = fzx_doc_set_data(d, json, strlen(json));
        else if (errptr && !*errptr)
            fz_set_error(errptr, "cannot build passage %zu", p->ordinal);
        free(json);
        cJSON_Delete(data);
    }
    it->passages += r->passages.n;
    for (size_t k = 0; k < 4; k++)
        free(sec_norm[k]);
    cJSON_Delete(rep);
    cJSON_Delete(rstub);
    free(ntitle);
    return rc;
}

/* The shard whose metadata knows key, with its value; -1 when none. */
static int find_key(fzx_db **dbs, size_t n, const char *key, char **val,
                    char **errptr)
{
    for (size_t k = 0; k < n; k++) {
        size_t len = 0;
        for (int tries = 0; tries < 3; tries++) {
            char *err = NULL;
            *val = fzx_db_get_metadata(dbs[k], key, &len, &err);
            if (err == NULL)
                break;
            /* the writer moved on under this reader: catch up */
            if (tries == 2 || fzx_db_reopen(dbs[k], NULL) != FZ_OK) {
                free(*errptr);
                *errptr = err;
                return -2;
            }
            free(err);
        }
        if (*val)
            return (int)k;
    }
    return -1;
}

/* Read file f and build its documents into it (run by a worker). */
static void prepare_file(struct item *it, struct fz_textctx *tc,
                         fzx_db **dbs, size_t ndbs, const struct file *f)
{
    struct fz_buf raw = FZ_BUF_INIT, sraw = FZ_BUF_INIT;
    struct fz_record side;
    char *err = NULL, *old = NULL, key[PATH_MAX + 8], fid[17];
    int have_side = 0;
    memset(&side, 0, sizeof side);
    it->shard = -1;
    int jsonl = has_ext(f->path, ".jsonl");
    size_t max = jsonl ? JSONL_MAX_BYTES : FZ_REPORT_MAX_BYTES;
    if (fz_buf_read_file_max(&raw, f->path, max) != 0) {
        if (errno == EFBIG)
            item_warn(it, "%s: file of %.1f MiB is larger than %s may be "
                      "(%zu MiB); not indexed", f->path,
                      (double)f->size / (1 << 20),
                      jsonl ? "a .jsonl file" : "a report", max >> 20);
        else if (errno == EINVAL || errno == EISDIR || errno == ELOOP)
            item_warn(it, "%s: no longer a regular file", f->path);
        else
            item_warn(it, "%s: %s", f->path, strerror(errno));
        it->status = 1;
        goto out;
    }
    have_side = has_ext(f->path, ".jsonl") ? 0
                : fz_sidecar_load(f->path, &sraw, &side, &err);
    if (have_side < 0) {
        item_warn(it, "%s", err);
        it->status = 1;
        goto out;
    }
    uint64_t h = fz_hash64(raw.data ? raw.data : "", raw.len, FZ_HASH64_INIT);
    h = fz_hash64(sraw.data ? sraw.data : "", sraw.len, h);
    h = fz_hash64(FZ_SCHEMA_VERSION, 1, h);
    snprintf(it->hash, sizeof it->hash, "%016llx", (unsigned long long)h);
    snprintf(key, sizeof key, "file:%s", f->path);
    fz_file_id(f->path, fid);
    it->shard = find_key(dbs, ndbs, key, &old, &err);
    if (it->shard == -2) {
        item_warn(it, "%s: %s", f->path, err);
        it->status = 2;
        goto out;
    }
    if (old && strncmp(old, it->hash, 16) == 0) {
        it->unchanged = 1;
        goto out;
    }
    if (old)
        it->old_reports = strtoul(old + 16, NULL, 10);

    if (has_ext(f->path, ".jsonl")) {
        const char *s = fz_buf_cstr(&raw);
        size_t i = 0, lineno = 0;
        while (i < raw.len && !interrupted) {
            size_t e = i;
            while (e < raw.len && s[e] != '\n')
                e++;
            lineno++;
            size_t a = i;
            i = e + 1;
            while (a < e && (s[a] == ' ' || s[a] == '\r' || s[a] == '\t'))
                a++;
            if (a == e)
                continue;
            struct fz_record rec;
            struct fz_report *r = NULL;
            if (fz_record_parse(s + a, e - a, &rec, &err) != FZ_OK) {
                item_warn(it, "%s:%zu: %s", f->path, lineno, err);
                it->status = 1;
            } else if (fz_report_parse(tc, rec.text, rec.len, &rec.given,
                                       NULL, &r, &err) != FZ_OK) {
                item_warn(it, "%s:%zu: %s", f->path, lineno, err);
                it->status = 1;
            } else {
                if (r->warning)
                    item_warn(it, "%s:%zu: %s", f->path, lineno, r->warning);
                if (r->passages.n == 0) {
                    item_warn(it, "%s:%zu: no text found, not indexed",
                              f->path, lineno);
                    it->status = 1;
                } else if (build_report(it, tc, r, f->path, lineno, fid,
                                        &err) != FZ_OK) {
                    item_warn(it, "%s:%zu: %s", f->path, lineno,
                              err ? err : "out of memory");
                    it->status = 2;
                }
            }
            it->records = lineno;
            free(err);
            err = NULL;
            fz_report_free(r);
            fz_record_release(&rec);
            if (it->status == 2)
                goto out;
        }
    } else {
        const struct fz_meta_given *given = have_side ? &side.given : NULL;
        const char *base = strrchr(f->path, '/');
        char *fallback = strdup(base ? base + 1 : f->path);
        if (fallback && strrchr(fallback, '.'))
            *strrchr(fallback, '.') = '\0';
        struct fz_report *r = NULL;
        int html = has_ext(f->path, ".htm") || has_ext(f->path, ".html");
        int rc = (html ? fz_report_parse_html : fz_report_parse)(
            tc, fz_buf_cstr(&raw), raw.len, given, fallback, &r, &err);
        free(fallback);
        if (rc != FZ_OK) {
            item_warn(it, "%s: %s", f->path, err);
            it->status = 1;
        } else {
            if (r->warning)
                item_warn(it, "%s: %s", f->path, r->warning);
            if (r->passages.n == 0) {
                item_warn(it, "%s: no text found, not indexed", f->path);
                it->status = 1;
            } else if (build_report(it, tc, r, f->path, 0, fid, &err)
                       != FZ_OK) {
                item_warn(it, "%s: %s", f->path, err ? err : "out of memory");
                it->status = 2;
            }
        }
        fz_report_free(r);
        it->records = 1;
    }
out:
    free(err);
    free(old);
    fz_record_release(&side);
    fz_buf_release(&sraw);
    fz_buf_release(&raw);
}

/* ---- the writer ------------------------------------------------------- */

/* Commit after this many passages (or at the end): each commit holds
 * whole files, so a crash loses at most the files of one batch and never
 * leaves half a report; memory stays bounded. */
static size_t batch_passages = 20000;     /* FZ_BATCH */

/* The shard a file goes to. */
static int route(struct shards *s, const char *path, int had,
                 char **errptr)
{
    if (!s->sharded)
        return 0;
    if (had >= 0)
        return had;
    if (s->mode == 'k')
        return (int)(fz_hash64(path, strlen(path), FZ_HASH64_INIT)
                     % s->param);
    size_t last = s->n - 1;
    if (s->reports[last] >= s->param) {
        /* the newest shard is full: start the next one */
        if (shards_commit(s, errptr) != FZ_OK || shard_add(s, errptr) != FZ_OK
            || write_stub(s, errptr) != FZ_OK)
            return -1;
        last = s->n - 1;
        char *err = NULL;
        if (fzx_writer_set_metadata(s->w[last], "schema", FZ_SCHEMA_VERSION,
                                    strlen(FZ_SCHEMA_VERSION), &err)
            != FZ_OK) {
            free(*errptr);
            *errptr = err;
            return -1;
        }
    }
    return (int)last;
}

/* Write one prepared file into its shard.  0, or 2 when the index failed
 * (said). */
static int apply_file(struct shards *s, struct item *it, const char *path,
                      size_t *pending, struct stats *st, unsigned thr,
                      unsigned nth)
{
    char *err = NULL, key[PATH_MAX + 8], val[64];
    doing_file = path;
    int k = route(s, path, it->shard, &err), rc = FZ_OK;
    if (k < 0)
        goto fail;
    fzx_writer *w = s->w[k];
    if (!s->txn[k]) {
        if ((rc = fzx_writer_begin(w, &err)) != FZ_OK)
            goto fail;
        s->txn[k] = 1;
    }
    int known = it->shard >= 0;
    long delta = 0;
    for (size_t i = 0; rc == FZ_OK && i < it->nr; i++) {
        struct prep *p = &it->r[i];
        char term[24];
        snprintf(term, sizeof term, FZ_PREFIX_REPORT "%s", p->rid);
        if (known)
            rc = fzx_writer_delete(w, term, strlen(term), &err);
        for (size_t j = 0; rc == FZ_OK && j < p->n; j++)
            rc = fzx_writer_add(w, "", 0, p->d[j].doc, &err);
    }
    /* forget reports a shrunk JSON Lines file no longer has */
    for (size_t r = it->records + 1; rc == FZ_OK && r <= it->old_reports;
         r++) {
        char rid[17], term[24];
        fz_report_id(path, has_ext(path, ".jsonl") ? r : 0, rid);
        snprintf(term, sizeof term, FZ_PREFIX_REPORT "%s", rid);
        rc = fzx_writer_delete(w, term, strlen(term), &err);
    }
    /* a file with problems is tried again next time ("-" never matches
     * a hash), replacing what of it got in */
    snprintf(key, sizeof key, "file:%s", path);
    snprintf(val, sizeof val, "%s %zu", it->status == 0 ? it->hash
                                        : "----------------", it->records);
    if (rc == FZ_OK)
        rc = fzx_writer_set_metadata(w, key, val, strlen(val), &err);
    delta = (long)it->nr - (long)(known ? it->old_reports : 0);
    if (s->sharded && rc == FZ_OK) {
        char n[32];
        s->reports[k] = (unsigned long)((long)s->reports[k] + delta);
        snprintf(n, sizeof n, "%lu", s->reports[k]);
        rc = fzx_writer_set_metadata(w, "reports", n, strlen(n), &err);
    }
    if (rc != FZ_OK)
        goto fail;
    st->reports += it->nr;
    st->passages += it->passages;
    *pending += it->passages + 1;
    if (*pending >= batch_passages) {
        *pending = 0;
        if (shards_commit_some(s, thr, nth, &err) != FZ_OK)
            goto fail;
    }
    doing_file = NULL;
    return 0;
fail:
    doing_file = NULL;
    /* the index failed: once said, by the first thread it failed for */
    pthread_mutex_lock(&out_mu);
    int first = !index_failed;
    index_failed = 1;
    pthread_mutex_unlock(&out_mu);
    if (first)
        warn("%s: %s", path, err ? err : "cannot write the index");
    free(err);
    return 2;
}

/* Remove the file whose absolute path is p (as indexed).  0, or 2 when
 * the index failed (said). */
static int remove_file(fzx_writer *w, const char *p, struct stats *st)
{
    char *err = NULL, key[PATH_MAX + 8], fid[17], term[24];
    snprintf(key, sizeof key, "file:%s", p);
    fz_file_id(p, fid);
    snprintf(term, sizeof term, FZ_PREFIX_FILE "%s", fid);
    if (fzx_writer_begin(w, &err) != FZ_OK
        || fzx_writer_delete(w, term, strlen(term), &err) != FZ_OK
        || fzx_writer_set_metadata(w, key, "", 0, &err) != FZ_OK
        || fzx_writer_commit(w, &err) != FZ_OK) {
        warn("%s: %s", p, err);
        free(err);
        return 2;
    }
    st->removed++;
    return 0;
}

struct rm_ctx {
    fzx_writer *w;
    struct stats *st;
    int rc;
};

static int remove_key(void *ctx, const char *key, size_t len)
{
    struct rm_ctx *rc = ctx;
    (void)len;
    rc->rc = remove_file(rc->w, key + 5, rc->st);    /* after "file:" */
    return rc->rc != 0 || interrupted;
}

/* --remove: a file, or every indexed file under a folder, from one
 * database.  0, or 2 when the index failed (said); st->removed counts. */
static int remove_path(fzx_writer *w, const char *path, struct stats *st)
{
    char *abs = realpath(path, NULL), *err = NULL, key[PATH_MAX + 8];
    /* a file already deleted from disk is still removable by its name */
    const char *p = abs ? abs : path;
    snprintf(key, sizeof key, "file:%s", p);
    size_t len = 0;
    char *old = fzx_writer_get_metadata(w, key, &len, &err);
    int rc = 0;
    if (old != NULL) {
        rc = remove_file(w, p, st);
    } else if (err == NULL) {
        /* a folder: the files indexed under it */
        struct rm_ctx c = { w, st, 0 };
        size_t n = strlen(key);
        snprintf(key + n, sizeof key - n, "%s", n && key[n - 1] == '/'
                                                ? "" : "/");
        if (fzx_writer_each_metadata_key(w, key, remove_key, &c, &err)
            != FZ_OK)
            rc = 2;
        else
            rc = c.rc;
    }
    if (err) {
        warn("%s: %s", path, err);
        rc = 2;
    }
    free(old);
    free(err);
    free(abs);
    return rc;
}

static void progress(const struct stats *st, const struct files *fs,
                     time_t t0, int final)
{
    double secs = difftime(time(NULL), t0);
    double mb = (double)st->bytes_done / 1e6, total = (double)fs->bytes / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    double eta = rate > 0 ? (total - mb) / rate : 0;
    fprintf(stderr, "\r%s: %zu/%zu files, %.1f/%.1f MB, %.2f MB/s, ETA "
            "%d:%02d ", prog, st->files, fs->n, mb, total, rate,
            (int)eta / 60, (int)eta % 60);
    if (final)
        fputc('\n', stderr);
}

static int stop_at_first(void *ctx, const char *t, size_t len)
{
    (void)t;
    (void)len;
    *(int *)ctx = 1;
    return 1;
}

/* Whether a name in a folder is one Xapian's glass backend writes. */
/* A file of a Xapian database, or of an fz index: its stub and shards
 * (s0000, and the copies --compact makes and swaps in). */
static int xapian_file(const char *d)
{
    return strcmp(d, "iamglass") == 0 || strcmp(d, "flintlock") == 0
        || has_ext(d, ".glass") || has_ext(d, ".tmp")
        || strncmp(d, "changes", 7) == 0 || strncmp(d, STUB_NAME, 8) == 0
        || (d[0] == 's' && strspn(d + 1, "0123456789") == 4);
}

/* --db is a folder, made if missing, but never one holding other files:
 * `fzindex --db ~/reports ~/reports` must not mix index files into the
 * reports (nor read them as an index); and one we may write.  0, or -1
 * when said. */
static int check_db_dir(const char *dbdir)
{
    DIR *d = opendir(dbdir);
    if (d == NULL && errno == ENOTDIR) {
        warn("%s: not a folder", dbdir);
        return -1;
    }
    if (d == NULL)
        return 0;       /* missing, unreadable: Xapian will say */
    /* said here, before Xapian half-starts a commit it cannot finish */
    if (access(dbdir, W_OK) != 0) {
        warn("%s: cannot write the index here (%s)", dbdir, strerror(errno));
        closedir(d);
        return -1;
    }
    const struct dirent *e;
    char other[256] = "";
    int index = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strcmp(e->d_name, "iamglass") == 0
            || strcmp(e->d_name, STUB_NAME) == 0)
            index = 1;
        else if (!xapian_file(e->d_name)
                 && (other[0] == '\0' || strcmp(e->d_name, other) < 0))
            snprintf(other, sizeof other, "%s", e->d_name);   /* the first */
    }
    int rc = 0;
    if (other[0] && !index) {
        warn("%s: not an index, and not empty (%s is there); give a new or "
             "empty folder", dbdir, other);
        rc = -1;
    }
    closedir(d);
    return rc;
}

/* An index is written in one layout (store/schema.h): a new one gets the
 * current version; an older one must be rebuilt, not mixed. */
static int check_schema(fzx_writer *w, const char *dbdir)
{
    char *err = NULL;
    size_t len = 0;
    int any = 0, rc = 0;
    char *have = fzx_writer_get_metadata(w, "schema", &len, &err);
    if (have == NULL && err == NULL)
        fzx_writer_each_term(w, FZ_PREFIX_ID, stop_at_first, &any, &err);
    if (err != NULL) {
        warn("%s: %s", dbdir, err);
        rc = -1;
    } else if ((have && strcmp(have, FZ_SCHEMA_VERSION) != 0) || any) {
        warn("%s: built by another version of fzindex (layout %s, this one "
             "writes %s); remove it and index again", dbdir,
             have ? have : "1", FZ_SCHEMA_VERSION);
        rc = -1;
    } else if (have == NULL
               && fzx_writer_set_metadata(w, "schema", FZ_SCHEMA_VERSION,
                                          strlen(FZ_SCHEMA_VERSION),
                                          &err) != FZ_OK) {
        warn("%s: %s", dbdir, err);
        rc = -1;
    }
    free(have);
    free(err);
    return rc;
}


/* ---- compaction ------------------------------------------------------- */

static off_t dir_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    off_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char *p;
        struct stat sb;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            break;
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
            n += sb.st_size;
        free(p);
    }
    if (d)
        closedir(d);
    return n;
}

/* Remove a database folder (files only, as Xapian writes them). */
static int remove_db_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            return -1;
        rc |= unlink(p);
        free(p);
    }
    closedir(d);
    return rc | rmdir(dir);
}

/* Compact the database in dir into a fresh copy and put it in place.
 * The caller holds dir's write lock, so no writer changes it meanwhile;
 * readers that open it during the swap retry. */
static int compact_one(const char *dir, int freeze, off_t *before,
                       off_t *after)
{
    char *tmp = NULL, *old = NULL, *err = NULL;
    int rc = 2;
    if (asprintf(&tmp, "%s.compact-%d", dir, (int)getpid()) < 0
        || asprintf(&old, "%s.old-%d", dir, (int)getpid()) < 0) {
        free(tmp);
        tmp = NULL;
        goto out;
    }
    *before += dir_bytes(dir);
    if (fzx_compact(dir, tmp, 0, &err) != FZ_OK) {
        warn("%s: cannot compact: %s", dir, err);
        remove_db_dir(tmp);
        goto out;
    }
    if (freeze) {
        char *tl;
        if (asprintf(&tl, "%s/termlist.glass", tmp) < 0)
            goto out;
        int u = unlink(tl);
        free(tl);
        if (u != 0 && errno != ENOENT) {
            warn("%s: cannot drop the term list: %s", tmp, strerror(errno));
            remove_db_dir(tmp);
            goto out;
        }
    }
    /* swap the two folders in one step, so that a reader opening the
     * index meanwhile finds one or the other, never neither */
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        remove_db_dir(tmp);     /* now the old one */
    } else if ((errno == EINVAL || errno == ENOSYS)
               && rename(dir, old) == 0 && rename(tmp, dir) == 0) {
        remove_db_dir(old);     /* a file system that cannot swap */
    } else {
        warn("%s: cannot put the compacted copy in place: %s", dir,
             strerror(errno));
        remove_db_dir(tmp);
        goto out;
    }
    *after += dir_bytes(dir);
    rc = 0;
out:
    free(tmp);
    free(old);
    free(err);
    return rc;
}

/* ---- the run: worker threads read files, this thread writes ---------- */

struct run {
    const struct files *fs;
    struct item *items;
    size_t next;                /* the next file to claim */
    size_t applied;             /* files the writer has taken */
    size_t window;              /* how far workers may run ahead */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    const struct shards *shards;
    size_t ndbs;                /* shards when the run started */
    struct fz_regions *regions;
};

/* What a thread needs to read files: its text pipeline and, to find
 * what the index already has of a file, a reader of each shard it looks
 * in (shards first, first + step, ... below n). */
struct reader {
    struct fz_textctx tc;
    int tc_open;
    fzx_db **dbs;
    size_t n;
};

static int reader_open(struct reader *rd, const struct shards *s, size_t n,
                       size_t first, size_t step,
                       struct fz_regions *regions, char **errptr)
{
    memset(rd, 0, sizeof *rd);
    rd->n = n;
    if ((rd->dbs = calloc(n + 1, sizeof *rd->dbs)) == NULL)
        return FZ_ENOMEM;
    int rc = fz_textctx_open(&rd->tc, regions, errptr);
    rd->tc_open = rc == FZ_OK;
    for (size_t k = first; rc == FZ_OK && k < n; k += step)
        if ((rd->dbs[k] = fzx_db_open(s->path[k], NULL, errptr)) == NULL)
            rc = FZ_EINDEX;
    return rc;
}

static void reader_close(struct reader *rd)
{
    for (size_t k = 0; rd->dbs && k < rd->n; k++)
        fzx_db_close(rd->dbs[k]);
    free(rd->dbs);
    if (rd->tc_open)
        fz_textctx_close(&rd->tc);
    memset(rd, 0, sizeof *rd);
}

static void *worker(void *arg)
{
    struct run *R = arg;
    struct reader rd;
    char *err = NULL;
    /* the shards as they were at the start: those started during the
     * run (--shard-size) hold none of the files looked up */
    int ok = reader_open(&rd, R->shards, R->ndbs, 0, 1, R->regions, &err)
             == FZ_OK;
    for (;;) {
        pthread_mutex_lock(&R->mu);
        while (!R->stop && R->next < R->fs->n
               && R->next >= R->applied + R->window)
            pthread_cond_wait(&R->space, &R->mu);
        size_t k = R->next;
        int done = R->stop || k >= R->fs->n;
        if (!done)
            R->next++;
        pthread_mutex_unlock(&R->mu);
        if (done)
            break;
        struct item *it = &R->items[k];
        if (!ok) {
            item_warn(it, "%s", err ? err : "out of memory");
            it->status = 2;
        } else {
            prepare_file(it, &rd.tc, rd.dbs, rd.n, &R->fs->v[k]);
        }
        pthread_mutex_lock(&R->mu);
        it->ready = 1;
        pthread_cond_broadcast(&R->ready);
        pthread_mutex_unlock(&R->mu);
    }
    reader_close(&rd);
    free(err);
    return NULL;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->path,
                  ((const struct file *)b)->path);
}

/* A file named twice (or inside a folder also named) is read once. */
static void dedupe(struct files *fs)
{
    if (fs->n < 2)
        return;
    qsort(fs->v, fs->n, sizeof *fs->v, cmp_path);
    size_t o = 1;
    for (size_t i = 1; i < fs->n; i++) {
        if (strcmp(fs->v[i].path, fs->v[o - 1].path) == 0) {
            fs->bytes -= fs->v[i].size;
            free(fs->v[i].path);
        } else {
            fs->v[o++] = fs->v[i];
        }
    }
    fs->n = o;
}

static int index_files(struct shards *s, struct files *fs, unsigned jobs,
                       int tty, struct stats *st)
{
    struct run R;
    memset(&R, 0, sizeof R);
    R.fs = fs;
    R.items = calloc(fs->n ? fs->n : 1, sizeof *R.items);
    R.window = 4 * (size_t)jobs + 2;
    R.shards = s;
    R.ndbs = s->n;
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.ready, NULL);
    pthread_cond_init(&R.space, NULL);
    char *err = NULL;
    int status = 0;
    if (R.items == NULL || (R.regions = fz_regions_open(&err)) == NULL) {
        warn("%s", err ? err : "out of memory");
        free(err);
        free(R.items);
        return 2;
    }
    pthread_t *th = calloc(jobs, sizeof *th);
    size_t nth = 0;
    /* with one job this thread reads too, file by file */
    for (unsigned j = 0; th && jobs > 1 && j < jobs; j++)
        if (pthread_create(&th[nth], NULL, worker, &R) == 0)
            nth++;
    struct reader rd;
    memset(&rd, 0, sizeof rd);
    if (nth == 0) {
        if (reader_open(&rd, s, R.ndbs, 0, 1, R.regions, &err) != FZ_OK) {
            warn("%s", err ? err : "out of memory");
            status = 2;
        }
    }
    time_t t0 = time(NULL), last = 0;
    size_t pending = 0;
    for (size_t k = 0; k < fs->n && status < 2; k++) {
        struct item *it = &R.items[k];
        if (nth == 0) {
            prepare_file(it, &rd.tc, rd.dbs, rd.n, &fs->v[k]);
        } else {
            pthread_mutex_lock(&R.mu);
            while (!it->ready)
                pthread_cond_wait(&R.ready, &R.mu);
            pthread_mutex_unlock(&R.mu);
        }
        if (interrupted)
            break;
        fputs(fz_buf_cstr(&it->msgs), stderr);
        int r = it->status;
        if (it->unchanged)
            st->unchanged++;
        else if (r < 2) {
            int a = apply_file(s, it, fs->v[k].path, &pending, st, 0, 1);
            r = a > r ? a : r;
        }
        item_release(it);
        st->files++;
        st->failed += r != 0;
        st->bytes_done += fs->v[k].size;
        status = r > status ? r : status;
        pthread_mutex_lock(&R.mu);
        R.applied = k + 1;
        pthread_cond_broadcast(&R.space);
        pthread_mutex_unlock(&R.mu);
        if (tty && time(NULL) != last) {
            last = time(NULL);
            progress(st, fs, t0, 0);
        }
    }
    pthread_mutex_lock(&R.mu);
    R.stop = 1;
    pthread_cond_broadcast(&R.space);
    pthread_mutex_unlock(&R.mu);
    for (size_t j = 0; j < nth; j++)
        pthread_join(th[j], NULL);
    free(th);
    if (status < 2 && shards_commit(s, &err) != FZ_OK) {
        warn("%s: %s", s->dir, err);
        status = 2;
    }
    if (status == 2 && pending)
        warn("%s: the files read since the last commit are not in the "
             "index; run again to add them", s->dir);
    if (tty)
        progress(st, fs, t0, 1);
    if (interrupted) {
        warn("interrupted: %zu of %zu files done; run again to finish",
             st->files, fs->n);
        status = status > 1 ? status : 1;
    }
    for (size_t k = 0; k < fs->n; k++)
        item_release(&R.items[k]);
    free(R.items);
    reader_close(&rd);
    fz_regions_close(R.regions);
    free(err);
    pthread_mutex_destroy(&R.mu);
    pthread_cond_destroy(&R.ready);
    pthread_cond_destroy(&R.space);
    return status;
}

/* ---- shards written in parallel ----------------------------------------- */

/* With --shards K (K > 1) a file's shard is known from its path, so each
 * of nth threads reads and writes the files of its own shards (k % nth ==
 * j): Xapian's writing, the larger part of the work, runs in parallel. */
struct part {
    struct shards *s;
    const struct files *fs;
    unsigned j, nth;
    struct fz_regions *regions;
    struct stats *st;           /* shared, under out_mu */
    int status;
};

static void *part_worker(void *arg)
{
    struct part *P = arg;
    struct shards *s = P->s;
    struct reader rd;
    char *err = NULL;
    size_t pending = 0;
    int ok = reader_open(&rd, s, s->n, P->j, P->nth, P->regions, &err)
             == FZ_OK;
    if (!ok) {
        warn("%s", err ? err : "out of memory");
        P->status = 2;
    }
    for (size_t f = 0; ok && f < P->fs->n && !interrupted; f++) {
        pthread_mutex_lock(&out_mu);
        int failed = index_failed;
        pthread_mutex_unlock(&out_mu);
        if (failed)
            break;
        const char *path = P->fs->v[f].path;
        size_t k = (size_t)(fz_hash64(path, strlen(path), FZ_HASH64_INIT)
                            % s->param);
        if (k % P->nth != P->j)
            continue;
        struct item it;
        memset(&it, 0, sizeof it);
        prepare_file(&it, &rd.tc, &rd.dbs[k], 1, &P->fs->v[f]);
        if (interrupted) {
            item_release(&it);
            break;
        }
        if (it.shard == 0)
            it.shard = (int)k;
        int r = it.status;
        struct stats mine = { 0 };
        pthread_mutex_lock(&out_mu);
        fputs(fz_buf_cstr(&it.msgs), stderr);
        pthread_mutex_unlock(&out_mu);
        if (it.unchanged) {
            mine.unchanged++;
        } else if (r < 2) {
            int a = apply_file(s, &it, path, &pending, &mine, P->j, P->nth);
            r = a > r ? a : r;
        }
        item_release(&it);
        pthread_mutex_lock(&out_mu);
        P->st->files++;
        P->st->unchanged += mine.unchanged;
        P->st->reports += mine.reports;
        P->st->passages += mine.passages;
        P->st->failed += r != 0;
        P->st->bytes_done += P->fs->v[f].size;
        pthread_mutex_unlock(&out_mu);
        P->status = r > P->status ? r : P->status;
        if (r == 2)
            break;
    }
    if (P->status < 2 && shards_commit_some(s, P->j, P->nth, &err) != FZ_OK) {
        warn("%s: %s", s->dir, err);
        P->status = 2;
    } else if (P->status == 2) {
        for (size_t k = P->j; k < s->n; k += P->nth)
            if (s->txn[k]) {
                fzx_writer_cancel(s->w[k], NULL);
                s->txn[k] = 0;
            }
    }
    reader_close(&rd);
    free(err);
    return NULL;
}

static int index_partitioned(struct shards *s, struct files *fs,
                             unsigned jobs, int tty, struct stats *st)
{
    unsigned nth = jobs < s->n ? jobs : (unsigned)s->n;
    struct part *P = calloc(nth, sizeof *P);
    pthread_t *th = calloc(nth, sizeof *th);
    char *err = NULL;
    struct fz_regions *regions = P && th ? fz_regions_open(&err) : NULL;
    int status = 0;
    if (regions == NULL) {
        warn("%s", err ? err : "out of memory");
        free(err);
        free(P);
        free(th);
        return 2;
    }
    unsigned started = 0;
    for (unsigned j = 0; j < nth; j++) {
        P[j] = (struct part){ s, fs, j, nth, regions, st, 0 };
        if (pthread_create(&th[j], NULL, part_worker, &P[j]) != 0) {
            warn("cannot start a thread: %s", strerror(errno));
            P[j].status = 2;
            break;
        }
        started++;
    }
    time_t t0 = time(NULL);
    for (;;) {
        pthread_mutex_lock(&out_mu);
        size_t done = st->files;
        pthread_mutex_unlock(&out_mu);
        if (done >= fs->n || interrupted)
            break;
        int alive = 0;
        for (unsigned j = 0; j < started; j++)
            alive |= pthread_tryjoin_np(th[j], NULL) == EBUSY;
        if (!alive)
            break;
        if (tty) {
            pthread_mutex_lock(&out_mu);
            progress(st, fs, t0, 0);
            pthread_mutex_unlock(&out_mu);
        }
        usleep(200000);
    }
    for (unsigned j = 0; j < started; j++) {
        pthread_join(th[j], NULL);
        status = P[j].status > status ? P[j].status : status;
    }
    if (tty)
        progress(st, fs, t0, 1);
    if (interrupted) {
        warn("interrupted: %zu of %zu files done; run again to finish",
             st->files, fs->n);
        status = status > 1 ? status : 1;
    }
    fz_regions_close(regions);
    free(P);
    free(th);
    return status;
}

static int parse_count(const char *opt, const char *v, unsigned long max,
                       unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v ? v : "", &end, 10);
    if (v == NULL || !*v || *end || errno || n == 0 || n > max
        || v[0] == '-') {
        fprintf(stderr, "%s: %s needs a number from 1 to %lu, not '%s' "
                "(see %s --help)\n", prog, opt, max, v ? v : "", prog);
        return -1;
    }
    *out = n;
    return 0;
}

/* Open the index folder: one database, or the shards its stub lists
 * (made with --shards/--shard-size when the folder is new). */
static int open_index(struct shards *s, char mode, unsigned long param,
                      unsigned long jobs)
{
    char *err = NULL;
    char have_mode = 0;
    unsigned long have_param = 0;
    size_t have_n = 0;
    int frozen = 0;
    int st = read_stub(s->dir, &have_mode, &have_param, &have_n, &frozen);
    if (st == 1 && frozen) {
        warn("%s: frozen by fzindex --freeze: it can be searched, not "
             "changed; index into a new folder", s->dir);
        return 2;
    }
    if (st < 0) {
        warn("%s: holds a Xapian stub file fz did not write; give a "
             "folder of its own", s->dir);
        return 2;
    }
    if (st == 1) {
        if (mode && (mode != have_mode || param != have_param)) {
            warn("%s: already sharded with --%s %lu; give the same or "
                 "none", s->dir, have_mode == 'k' ? "shards" : "shard-size",
                 have_param);
            return 2;
        }
        s->sharded = 1;
        s->mode = have_mode;
        s->param = have_param;
    } else {
        char *probe;
        struct stat sb;
        if (asprintf(&probe, "%s/iamglass", s->dir) < 0)
            return 2;
        int plain = stat(probe, &sb) == 0;
        free(probe);
        if (plain && mode) {
            warn("%s: is one database, not sharded; index into a new folder "
                 "to shard", s->dir);
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
            warn("%s: %s", s->dir, strerror(errno));
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
            warn("%s: %s", s->n < have_n && s->sharded ? s->dir : s->dir,
                 err ? err : "cannot open the index");
            free(err);
            return 2;
        }
    if (s->sharded && st != 1 && write_stub(s, &err) != FZ_OK) {
        warn("%s", err);
        free(err);
        return 2;
    }
    for (size_t k = 0; k < s->n; k++) {
        if (check_schema(s->w[k], s->path[k]) != 0)
            return 2;
        /* make a new database visible to the readers of this run */
        if (fzx_writer_begin(s->w[k], &err) != FZ_OK
            || fzx_writer_commit(s->w[k], &err) != FZ_OK) {
            warn("%s: %s", s->path[k], err);
            free(err);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *db = NULL;
    int remove = 0, quiet = 0, compact = 0, freeze = 0, i = 1, status = 0;
    int opened = 0;
    char mode = 0;
    unsigned long param = 0, jobs = 0;
    setlocale(LC_ALL, "");
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--db") == 0 && v) {
            db = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            db = a + 5;
        } else if (strcmp(a, "--remove") == 0) {
            remove = 1;
        } else if (strcmp(a, "--compact") == 0) {
            compact = 1;
        } else if (strcmp(a, "--freeze") == 0) {
            compact = freeze = 1;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (parse_count(a, v, 256, &jobs) != 0)
                return 2;
            i++;
        } else if (strncmp(a, "-j", 2) == 0 && a[2] != '-') {
            if (parse_count("-j", a + 2, 256, &jobs) != 0)
                return 2;
        } else if (strcmp(a, "--shards") == 0
                   || strcmp(a, "--shard-size") == 0) {
            if (parse_count(a, v, a[7] == 's' ? 4096 : 1000000000UL,
                            &param) != 0)
                return 2;
            mode = a[7] == 's' ? 'k' : 'n';
            i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            int needs = strcmp(a, "--db") == 0 || strcmp(a, "--shards") == 0
                        || strcmp(a, "--shard-size") == 0
                        || strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0;
            fprintf(stderr, "%s: %s '%s' (see %s --help)\n", prog,
                    needs ? "missing value for" : "unknown option", a, prog);
            return 2;
        }
    }
    if (i >= argc && !compact) {
        fprintf(stderr, "%s: no files or folders given (see %s --help)\n",
                prog, prog);
        return 2;
    }
    if (remove && compact && i >= argc) {
        fprintf(stderr, "%s: --remove needs files or folders (see %s "
                "--help)\n", prog, prog);
        return 2;
    }
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned long)n : 1;
    }
    char *dbdir = db ? strdup(db) : fz_default_db();
    if (dbdir == NULL) {
        warn("no index folder: give --db or set FZ_DB");
        return 2;
    }
    const char *batch = getenv("FZ_BATCH");
    if (batch && strtoul(batch, NULL, 10) > 0)
        batch_passages = strtoul(batch, NULL, 10);
    if (compact && i >= argc) {
        /* --compact or --freeze alone: on an index that exists */
        char *stub = NULL, *glass = NULL;
        struct stat sb;
        int there = asprintf(&stub, "%s/" STUB_NAME, dbdir) >= 0
                    && asprintf(&glass, "%s/iamglass", dbdir) >= 0
                    && (stat(stub, &sb) == 0 || stat(glass, &sb) == 0);
        free(stub);
        free(glass);
        if (!there) {
            warn("%s: no index here", dbdir);
            free(dbdir);
            return 2;
        }
    }
    fz_html_init();
    struct stats st = { 0 };
    struct files fs = { NULL, 0, 0, 0 };
    struct shards sh;
    memset(&sh, 0, sizeof sh);
    sh.dir = dbdir;
    char *err = NULL;
    if (!remove)
        for (int k = i; k < argc; k++)
            status |= collect(&fs, argv[k], NULL) ? 1 : 0;
    dedupe(&fs);
    if (check_db_dir(dbdir) != 0) {
        status = 2;
        goto out;
    }
    doing_db = dbdir;
    fzx_on_fatal(on_fatal);
    if (open_index(&sh, mode, param, jobs) != 0) {
        status = 2;
        goto out;
    }
    opened = 1;
    if (remove) {
        for (int k = i; k < argc; k++) {
            size_t before = st.removed;
            int r = 0;
            for (size_t s = 0; s < sh.n && r < 2; s++)
                r = remove_path(sh.w[s], argv[k], &st);
            if (r == 0 && st.removed == before) {
                warn("%s: not in the index", argv[k]);
                r = 1;
            }
            status = r > status ? r : status;
        }
        goto out;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (fs.n) {
        int tty = !quiet && isatty(2);
        int r = sh.sharded && sh.mode == 'k' && sh.n > 1 && jobs > 1
                ? index_partitioned(&sh, &fs, (unsigned)jobs, tty, &st)
                : index_files(&sh, &fs, (unsigned)jobs, tty, &st);
        status = r > status ? r : status;
    }
out:
    if (sh.w && shards_close(&sh, &err) != FZ_OK) {
        warn("%s: %s", dbdir, err);
        status = 2;
    }
    if (!quiet && !remove && opened && i < argc && 1)
        fprintf(stderr, "%s: %zu reports (%zu passages) indexed from %zu "
                "files, %zu unchanged, %zu with problems\n", prog,
                st.reports, st.passages, st.files - st.unchanged,
                st.unchanged, st.failed);
    if (!quiet && remove && opened)
        fprintf(stderr, "%s: %zu files removed\n", prog, st.removed);
    if (compact && status < 2 && !interrupted) {
        off_t before = 0, after = 0;
        /* hold the write lock of each shard while it is compacted */
        for (size_t k = 0; k < sh.n && status < 2; k++) {
            fzx_writer *w = fzx_writer_open(sh.path[k], NULL, &err);
            if (w == NULL) {
                warn("%s: %s", sh.path[k], err ? err : "out of memory");
                status = 2;
            } else {
                status = compact_one(sh.path[k], freeze, &before, &after)
                         ? 2 : status;
                fzx_writer_close(w, NULL);
            }
        }
        if (freeze && status < 2) {
            sh.frozen = 1;
            if (write_stub(&sh, &err) != FZ_OK) {
                warn("%s", err);
                status = 2;
            }
        }
        if (!quiet && status < 2)
            fprintf(stderr, "%s: %s %s: %.1f MB -> %.1f MB\n", prog,
                    freeze ? "froze" : "compacted", dbdir,
                    (double)before / 1e6, (double)after / 1e6);
    }
    for (size_t k = 0; k < sh.n; k++)
        free(sh.path[k]);
    free(sh.path);
    for (size_t k = 0; k < fs.n; k++)
        free(fs.v[k].path);
    free(fs.v);
    free(err);
    free(dbdir);
    xmlCleanupParser();
    return status;
}
