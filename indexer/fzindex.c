/* fzindex - add report files to an fz index.
 *
 * Reads .txt, .htm/.html and .jsonl files (folders recursively), runs each
 * report through the text pipeline and stores one Xapian document per
 * passage (text/schema.h).  Unchanged files are skipped by content hash;
 * a changed file replaces its reports; each report is one transaction. */
#include "shim/fzx.h"
#include "text/fz.h"
#include "text/report.h"
#include "text/schema.h"
#include "text/token.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
"usage: fzindex [--db <dir>] <path>...\n"
"       fzindex [--db <dir>] --remove <path>...\n"
"\n"
"Index report files for fzsearch: .txt (UTF-8 or GB18030), .htm/.html and\n"
".jsonl (one report per line: \"text\" or \"content\", and optional title,\n"
"url, date, year, issuer, region, level, source).  Folders are read\n"
"recursively; a NAME.json beside NAME.txt or NAME.html gives metadata.\n"
"Unchanged files are skipped; changed files replace their reports.\n"
"\n"
"      --db <dir>     the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                     else ~/.local/share/fz); made if missing\n"
"      --remove       remove the reports of the given files, or of every\n"
"                     file indexed under the given folders, from the index\n"
"  -q, --quiet        no progress line and no summary\n"
"  -h, --help         this help\n"
"\n"
"Exit status: 0 every input indexed, 1 some inputs could not be indexed\n"
"(each named on stderr; the others were), 2 usage error or the index\n"
"could not be opened or written.\n";

static const char *prog = "fzindex";
static volatile sig_atomic_t interrupted;

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

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
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

/* Collect path: a file as given (whatever its name), a folder's
 * indexable files recursively.  Symbolic links to folders inside a
 * folder are not followed (no loops, nothing outside what was named).
 * Returns the number of problems reported. */
static int collect(struct files *fs, const char *path, int top)
{
    struct stat st;
    if ((top ? stat(path, &st) : lstat(path, &st)) != 0) {
        warn("%s: %s", path, strerror(errno));
        return 1;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            warn("%s: broken symbolic link", path);
            return 1;
        }
        if (S_ISDIR(st.st_mode))
            return 0;
    }
    if (S_ISREG(st.st_mode)) {
        if (!top && !indexable(path))
            return 0;
        if (add_file(fs, path, st.st_size) != 0) {
            warn("%s: %s", path, strerror(errno));
            return 1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (top) {
            warn("%s: not a file or folder", path);
            return 1;
        }
        return 0;
    }
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort), bad = 0;
    if (n < 0) {
        warn("%s: %s", path, strerror(errno));
        return 1;
    }
    size_t pl = strlen(path);
    for (int i = 0; i < n; i++) {
        const char *d = ents[i]->d_name;
        if (d[0] != '.') {
            char *sub;
            if (asprintf(&sub, "%s%s%s", path,
                         pl && path[pl - 1] == '/' ? "" : "/", d) >= 0) {
                bad += collect(fs, sub, 0);
                free(sub);
            }
        }
        free(ents[i]);
    }
    free(ents);
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

/* Store one report: one transaction, which first drops what the report
 * had before. */
static int store_report(fzx_writer *w, struct fz_textctx *tc,
                        const struct fz_report *r, const char *path,
                        size_t record, const char *fid, struct stats *st,
                        char **errptr)
{
    char rid[17], term[64];
    fz_report_id(path, record, rid);
    char *ntitle = r->meta.title ? fz_norm_str(tc->norm, r->meta.title,
                                               strlen(r->meta.title)) : NULL;
    cJSON *rep = report_json(r, rid, ntitle, path);
    const char *sec_src[4] = { NULL, NULL, NULL, NULL };
    char *sec_norm[4] = { NULL, NULL, NULL, NULL };
    int rc = fzx_writer_begin(w, errptr);
    if (rc != FZ_OK)
        goto out;
    snprintf(term, sizeof term, FZ_PREFIX_REPORT "%s", rid);
    rc = fzx_writer_delete(w, term, strlen(term), errptr);
    for (size_t i = 0; rc == FZ_OK && i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        const char *norm = fz_buf_cstr(&r->norm[i].text);
        char pid[40], year[8];
        snprintf(pid, sizeof pid, "%s-%zu", rid, p->ordinal);
        fzx_doc *d = fzx_doc_new();
        cJSON *data = cJSON_CreateObject(), *jp = cJSON_CreateObject();
        cJSON *sec = cJSON_CreateArray();
        cJSON_AddStringToObject(jp, "id", pid);
        cJSON_AddNumberToObject(jp, "ordinal", (double)p->ordinal);
        for (size_t k = 0; k < p->n_section; k++)
            cJSON_AddItemToArray(sec, cJSON_CreateString(p->section[k]));
        cJSON_AddItemToObject(jp, "section", sec);
        cJSON_AddBoolToObject(jp, "heading", p->heading);
        cJSON_AddStringToObject(jp, "text", p->text);
        cJSON_AddStringToObject(jp, "norm", norm);
        cJSON_AddItemToObject(data, "p", jp);
        cJSON_AddItemReferenceToObject(data, "r", rep);
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
        if (rc == FZ_OK)
            rc = fzx_doc_set_value(d, FZ_SLOT_PASSAGE, pid, strlen(pid));
        if (rc == FZ_OK) {
            char fv[64];
            int n = snprintf(fv, sizeof fv, FZ_FACETS_FMT, rid,
                             r->meta.year, fz_level_name(r->meta.level),
                             code[0] ? code : "-");
            rc = fzx_doc_set_value(d, FZ_SLOT_FACETS, fv, (size_t)n);
        }
        if (rc == FZ_OK)
            rc = fzx_doc_set_data(d, json, strlen(json));
        if (rc == FZ_OK) {
            char qid[48];
            snprintf(qid, sizeof qid, FZ_PREFIX_ID "%s", pid);
            rc = fzx_writer_replace(w, qid, strlen(qid), d, errptr);
        } else if (errptr && !*errptr) {
            fz_set_error(errptr, "cannot build passage %zu", p->ordinal);
        }
        free(json);
        cJSON_Delete(data);
        fzx_doc_free(d);
    }
    if (rc == FZ_OK) {
        rc = fzx_writer_commit(w, errptr);
        st->reports++;
        st->passages += r->passages.n;
    } else {
        fzx_writer_cancel(w, NULL);
    }
out:
    for (size_t k = 0; k < 4; k++)
        free(sec_norm[k]);
    cJSON_Delete(rep);
    free(ntitle);
    return rc;
}

/* ---- one file ------------------------------------------------------------ */

/* Returns 0 when the file is fully indexed (or unchanged), 1 when some of
 * it could not be (said on stderr), 2 when the index failed. */
static int index_file(fzx_writer *w, struct fz_textctx *tc,
                      const struct file *f, struct stats *st)
{
    struct fz_buf raw = FZ_BUF_INIT, sraw = FZ_BUF_INIT;
    struct fz_record side;
    char *err = NULL, *old = NULL, key[PATH_MAX + 8], fid[17], hash[40];
    int status = 0, have_side = 0;
    memset(&side, 0, sizeof side);
    if (fz_buf_read_file(&raw, f->path) != 0) {
        warn("%s: %s", f->path, strerror(errno));
        status = 1;
        goto out;
    }
    have_side = has_ext(f->path, ".jsonl") ? 0
                : fz_sidecar_load(f->path, &sraw, &side, &err);
    if (have_side < 0) {
        warn("%s", err);
        status = 1;
        goto out;
    }
    uint64_t h = fz_hash64(raw.data ? raw.data : "", raw.len, FZ_HASH64_INIT);
    h = fz_hash64(sraw.data ? sraw.data : "", sraw.len, h);
    h = fz_hash64(FZ_SCHEMA_VERSION, 1, h);
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)h);
    snprintf(key, sizeof key, "file:%s", f->path);
    fz_file_id(f->path, fid);
    size_t olen = 0, old_reports = 0;
    old = fzx_writer_get_metadata(w, key, &olen, &err);
    if (err) {
        warn("%s: %s", f->path, err);
        status = 2;
        goto out;
    }
    if (old && strncmp(old, hash, 16) == 0) {
        st->unchanged++;
        goto out;
    }
    if (old)
        old_reports = strtoul(old + 16, NULL, 10);

    size_t records = 0;
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
                warn("%s:%zu: %s", f->path, lineno, err);
                status = 1;
            } else if (fz_report_parse(tc, rec.text, rec.len, &rec.given,
                                       NULL, &r, &err) != FZ_OK) {
                warn("%s:%zu: %s", f->path, lineno, err);
                status = 1;
            } else {
                if (r->warning)
                    warn("%s:%zu: %s", f->path, lineno, r->warning);
                if (r->passages.n == 0) {
                    warn("%s:%zu: no text found, not indexed", f->path,
                         lineno);
                    status = 1;
                } else if (store_report(w, tc, r, f->path, lineno, fid, st,
                                        &err) != FZ_OK) {
                    warn("%s:%zu: %s", f->path, lineno, err);
                    status = 2;
                }
            }
            records = lineno;
            free(err);
            err = NULL;
            fz_report_free(r);
            fz_record_release(&rec);
            if (status == 2)
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
            warn("%s: %s", f->path, err);
            status = 1;
        } else {
            if (r->warning)
                warn("%s: %s", f->path, r->warning);
            if (r->passages.n == 0) {
                warn("%s: no text found, not indexed", f->path);
                status = 1;
            } else if (store_report(w, tc, r, f->path, 0, fid, st, &err)
                       != FZ_OK) {
                warn("%s: %s", f->path, err);
                status = 2;
            }
        }
        fz_report_free(r);
        records = 1;
        if (status == 2)
            goto out;
    }
    if (interrupted)
        goto out;
    /* the file is done: forget reports it no longer has, remember it */
    char val[64];
    snprintf(val, sizeof val, "%s %zu", hash, records);
    if (fzx_writer_begin(w, &err) == FZ_OK) {
        int rc = FZ_OK;
        for (size_t k = records + 1; rc == FZ_OK && k <= old_reports; k++) {
            char rid[17], term[24];
            fz_report_id(f->path, has_ext(f->path, ".jsonl") ? k : 0, rid);
            snprintf(term, sizeof term, FZ_PREFIX_REPORT "%s", rid);
            rc = fzx_writer_delete(w, term, strlen(term), &err);
        }
        /* a file with errors is retried next time: don't record it */
        if (rc == FZ_OK && status == 0)
            rc = fzx_writer_set_metadata(w, key, val, strlen(val), &err);
        if (rc == FZ_OK)
            rc = fzx_writer_commit(w, &err);
        else
            fzx_writer_cancel(w, NULL);
        if (rc != FZ_OK) {
            warn("%s: %s", f->path, err);
            status = 2;
        }
    } else {
        warn("%s: %s", f->path, err);
        status = 2;
    }
out:
    st->files++;
    st->failed += status != 0;
    free(err);
    free(old);
    fz_record_release(&side);
    fz_buf_release(&sraw);
    fz_buf_release(&raw);
    return status;
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

/* --remove: a file, or every indexed file under a folder.  0, 1 when
 * nothing there is indexed, 2 when the index failed. */
static int remove_path(fzx_writer *w, const char *path, struct stats *st)
{
    char *abs = realpath(path, NULL), *err = NULL, key[PATH_MAX + 8];
    /* a file already deleted from disk is still removable by its name */
    const char *p = abs ? abs : path;
    snprintf(key, sizeof key, "file:%s", p);
    size_t len = 0, before = st->removed;
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
        if (rc == 0 && st->removed == before) {
            warn("%s: not in the index", path);
            rc = 1;
        }
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

/* An index is written in one layout (text/schema.h): a new one gets the
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

int main(int argc, char **argv)
{
    const char *db = NULL;
    int remove = 0, quiet = 0, i = 1, status = 0;
    setlocale(LC_ALL, "");
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            db = a + 5;
        } else if (strcmp(a, "--remove") == 0) {
            remove = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "%s: %s '%s' (see %s --help)\n", prog,
                    strcmp(a, "--db") == 0 ? "missing value for"
                                           : "unknown option", a, prog);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "%s: no files or folders given (see %s --help)\n",
                prog, prog);
        return 2;
    }
    char *dbdir = db ? strdup(db) : fz_default_db();
    if (dbdir == NULL) {
        warn("no index folder: give --db or set FZ_DB");
        return 2;
    }
    xmlInitParser();
    struct stats st = { 0 };
    struct files fs = { NULL, 0, 0, 0 };
    struct fz_textctx tc;
    char *err = NULL;
    int code = 0;
    fzx_writer *w = NULL;
    memset(&tc, 0, sizeof tc);
    if (!remove)
        for (int k = i; k < argc; k++)
            status |= collect(&fs, argv[k], 1) ? 1 : 0;
    w = fzx_writer_open(dbdir, &code, &err);
    if (w == NULL) {
        warn("%s: %s", dbdir, err ? err : "cannot open index");
        status = 2;
        goto out;
    }
    if (check_schema(w, dbdir) != 0) {
        status = 2;
        goto out;
    }
    if (remove) {
        for (int k = i; k < argc; k++) {
            int r = remove_path(w, argv[k], &st);
            status = r > status ? r : status;
        }
        goto out;
    }
    if (fz_textctx_open(&tc, NULL, &err) != FZ_OK) {
        warn("%s", err ? err : "cannot start the text pipeline");
        status = 2;
        goto out;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int tty = !quiet && isatty(2);
    time_t t0 = time(NULL), last = 0;
    for (size_t k = 0; k < fs.n && !interrupted; k++) {
        int r = index_file(w, &tc, &fs.v[k], &st);
        st.bytes_done += fs.v[k].size;
        status = r > status ? r : status;
        if (r == 2)
            break;
        if (tty && time(NULL) != last) {
            last = time(NULL);
            progress(&st, &fs, t0, 0);
        }
    }
    if (tty)
        progress(&st, &fs, t0, 1);
    if (interrupted) {
        warn("interrupted: %zu of %zu files done; run again to finish",
             st.files, fs.n);
        status = status > 1 ? status : 1;
    }
out:
    if (w && fzx_writer_close(w, &err) != FZ_OK) {
        warn("%s: %s", dbdir, err);
        status = 2;
    }
    if (!quiet && !remove && w)
        fprintf(stderr, "%s: %zu reports (%zu passages) indexed from %zu "
                "files, %zu unchanged, %zu with problems\n", prog,
                st.reports, st.passages, st.files - st.unchanged,
                st.unchanged, st.failed);
    if (!quiet && remove && w)
        fprintf(stderr, "%s: %zu files removed\n", prog, st.removed);
    fz_textctx_close(&tc);
    for (size_t k = 0; k < fs.n; k++)
        free(fs.v[k].path);
    free(fs.v);
    free(err);
    free(dbdir);
    xmlCleanupParser();
    return status;
}
