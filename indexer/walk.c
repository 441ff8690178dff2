/* indexer/walk.c - see indexer/walk.h. */
#include "indexer/walk.h"
#include "base/buf.h"
#include "reader/extract.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int fz_has_ext(const char *p, const char *ext)
{
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcasecmp(p + n - e, ext) == 0;
}

/* The names of the formats fz reads (reader/extract.h). */
static const char *const report_exts[] = {
    ".txt", ".text", ".htm", ".html", ".shtml", ".xhtml", ".jsonl", ".pdf",
    ".docx", ".doc", ".wps", ".ofd", ".mht", ".mhtml", NULL,
};

static int has_report_ext(const char *p)
{
    for (const char *const *e = report_exts; *e; e++)
        if (fz_has_ext(p, *e))
            return 1;
    return 0;
}

/* The extension of a file name (".png"), or "" when it has none. */
static const char *ext_of(const char *p)
{
    const char *base = strrchr(p, '/'), *dot;
    base = base ? base + 1 : p;
    dot = strrchr(base, '.');
    return dot && dot != base && strlen(dot) <= 12 ? dot : "";
}

/* path with its extension replaced by ext exists as a regular file. */
static int sibling_exists(const char *path, const char *ext)
{
    const char *e = ext_of(path);
    size_t stem = strlen(path) - strlen(e);
    char buf[PATH_MAX];
    struct stat st;
    if (stem + strlen(ext) + 1 > sizeof buf)
        return 0;
    memcpy(buf, path, stem);
    strcpy(buf + stem, ext);
    return stat(buf, &st) == 0 && S_ISREG(st.st_mode);
}

int fz_walk_is_sidecar(const char *path)
{
    if (!fz_has_ext(path, ".json"))
        return 0;
    for (const char *const *e = report_exts; *e; e++)
        if (strcmp(*e, ".jsonl") != 0 && sibling_exists(path, *e))
            return 1;
    return 0;
}

/* A saved page's folder of images and scripts: NAME_files or NAME.files
 * beside NAME.htm(l) or NAME.mht(ml). */
static int is_page_assets(const char *dir)
{
    size_t n = strlen(dir);
    if (n < 7 || (strcmp(dir + n - 6, "_files") != 0
                  && strcmp(dir + n - 6, ".files") != 0))
        return 0;
    static const char *const page[] = { ".htm", ".html", ".mht", ".mhtml" };
    char buf[PATH_MAX];
    struct stat st;
    for (size_t i = 0; i < sizeof page / sizeof page[0]; i++) {
        if (n - 6 + strlen(page[i]) + 1 > sizeof buf)
            continue;
        memcpy(buf, dir, n - 6);
        strcpy(buf + n - 6, page[i]);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
    }
    return 0;
}

/* Inside a folder: a file fz reads by its name, or one without an
 * extension whose content is a format fz reads (a download saved without
 * its .pdf).  Plain text without an extension (README, LICENSE) is not a
 * report. */
static int indexable(const char *p)
{
    if (has_report_ext(p))
        return 1;
    if (*ext_of(p) != '\0')
        return 0;
    char head[4096];
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    enum fz_format k = fz_format_sniff(head, n, p);
    return k != FZ_FMT_UNKNOWN && k != FZ_FMT_TEXT;
}

static int skip_file(struct fz_files *fs, const char *path, const char *kind)
{
    if (fs->n_skipped == fs->cap_skipped) {
        size_t nc = fs->cap_skipped ? fs->cap_skipped * 2 : 16;
        struct fz_skipped *v = realloc(fs->skipped, nc * sizeof *v);
        if (v == NULL)
            return -1;
        fs->skipped = v;
        fs->cap_skipped = nc;
    }
    struct fz_skipped *k = &fs->skipped[fs->n_skipped];
    k->path = strdup(path);
    if (k->path == NULL)
        return -1;
    snprintf(k->kind, sizeof k->kind, "%s", kind);
    fs->n_skipped++;
    return 0;
}

static int add_file(struct fz_files *fs, const char *path, off_t size)
{
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 64;
        struct fz_file *v = realloc(fs->v, nc * sizeof *v);
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
static int collect(struct fz_run *run, struct fz_files *fs, const char *path,
                   const char *root)
{
    struct stat st;
    char *real = NULL;
    if ((root ? lstat(path, &st) : stat(path, &st)) != 0) {
        fz_run_warn(run, "%s: %s", path, errno == ELOOP ? "symbolic link loop"
                    : strerror(errno));
        return 1;
    }
    if (S_ISLNK(st.st_mode)) {
        real = realpath(path, NULL);
        if (real == NULL || stat(real, &st) != 0) {
            fz_run_warn(run, "%s: %s", path,
                        errno == ELOOP ? "symbolic link loop"
                        : errno == ENOENT ? "broken symbolic link"
                        : strerror(errno));
            free(real);
            return 1;
        }
        int bad = 0;
        if (S_ISDIR(st.st_mode)) {
            fz_run_warn(run, "%s: symbolic link to a folder, not followed",
                        path);
            bad = 1;
        } else if (S_ISREG(st.st_mode) && indexable(path)
                   && !inside(real, root)) {
            fz_run_warn(run, "%s: symbolic link out of the folder (to %s), not "
                        "followed", path, real);
            bad = 1;
        }
        free(real);
        if (bad)
            return 1;
    }
    if (S_ISREG(st.st_mode)) {
        if (fz_walk_is_sidecar(path))
            return 0;           /* metadata of its report, never one */
        if (root && !indexable(path)) {
            const char *e = ext_of(path);
            if (skip_file(fs, path, *e ? e : "without extension") != 0) {
                fz_run_warn(run, "%s: %s", path, strerror(errno));
                return 1;
            }
            return 0;
        }
        if (add_file(fs, path, st.st_size) != 0) {
            fz_run_warn(run, "%s: %s", path, strerror(errno));
            return 1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!root) {
            fz_run_warn(run, "%s: not a file or folder", path);
            return 1;
        }
        if (skip_file(fs, path, "not a regular file") != 0)
            return 1;
        return 0;
    }
    if (root && is_page_assets(path))
        return skip_file(fs, path, "saved-page folder") != 0;
    if (root == NULL && (real = realpath(path, NULL)) == NULL) {
        fz_run_warn(run, "%s: %s", path, strerror(errno));
        return 1;
    }
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort), bad = 0;
    if (n < 0) {
        fz_run_warn(run, "%s: %s", path, strerror(errno));
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
                bad += collect(run, fs, sub, root ? root : real);
                free(sub);
            }
        }
        free(ents[i]);
    }
    free(ents);
    free(real);
    return bad;
}

int fz_walk_collect(struct fz_run *run, struct fz_files *fs,
                    const char *path)
{
    return collect(run, fs, path, NULL);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const struct fz_file *)a)->path,
                  ((const struct fz_file *)b)->path);
}

void fz_walk_dedupe(struct fz_files *fs)
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

static int by_count(const void *a, const void *b)
{
    const struct fz_skipped *x = a, *y = b;
    return strcmp(x->kind, y->kind);
}

char *fz_walk_skipped_summary(const struct fz_files *fs)
{
    if (fs->n_skipped == 0)
        return NULL;
    /* count the kinds: a sorted copy, then runs */
    struct fz_skipped *v = malloc(fs->n_skipped * sizeof *v);
    struct { const char *kind; size_t n; } *k = calloc(fs->n_skipped,
                                                        sizeof *k);
    char *out = NULL;
    if (v == NULL || k == NULL)
        goto done;
    memcpy(v, fs->skipped, fs->n_skipped * sizeof *v);
    qsort(v, fs->n_skipped, sizeof *v, by_count);
    size_t nk = 0;
    for (size_t i = 0; i < fs->n_skipped; i++) {
        if (nk == 0 || strcmp(k[nk - 1].kind, v[i].kind) != 0)
            k[nk++].kind = v[i].kind;
        k[nk - 1].n++;
    }
    /* most first; equal counts by name */
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && k[j].n > k[j - 1].n; j--) {
            const char *tk = k[j].kind;
            size_t tn = k[j].n;
            k[j] = k[j - 1];
            k[j - 1].kind = tk;
            k[j - 1].n = tn;
        }
    struct fz_buf b = FZ_BUF_INIT;
    fz_buf_appendf(&b, "%zu file%s: ", fs->n_skipped,
                   fs->n_skipped == 1 ? "" : "s");
    for (size_t i = 0; i < nk; i++)
        fz_buf_appendf(&b, "%s%zu %s", i ? ", " : "", k[i].n, k[i].kind);
    out = fz_buf_detach(&b, NULL);
done:
    free(v);
    free(k);
    return out;
}

void fz_files_release(struct fz_files *fs)
{
    for (size_t k = 0; k < fs->n; k++)
        free(fs->v[k].path);
    free(fs->v);
    for (size_t k = 0; k < fs->n_skipped; k++)
        free(fs->skipped[k].path);
    free(fs->skipped);
    memset(fs, 0, sizeof *fs);
}

/* path made absolute and normalised by its text alone: "." and ".."
 * and repeated slashes resolved, relative to cwd. */
static char *lexical(const char *path)
{
    struct fz_buf in = FZ_BUF_INIT;
    char cwd[PATH_MAX];
    if (path[0] != '/') {
        if (getcwd(cwd, sizeof cwd) == NULL)
            return NULL;
        fz_buf_appendf(&in, "%s/", cwd);
    }
    fz_buf_appends(&in, path);
    char *s = fz_buf_detach(&in, NULL), *out = s ? malloc(strlen(s) + 2)
                                                : NULL;
    if (out == NULL) {
        free(s);
        return NULL;
    }
    size_t o = 0;
    for (char *p = s, *seg; (seg = strsep(&p, "/")) != NULL;) {
        if (*seg == '\0' || strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;            /* the slash before the name */
            continue;
        }
        out[o++] = '/';
        size_t n = strlen(seg);
        memcpy(out + o, seg, n);
        o += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(s);
    return out;
}

char *fz_walk_abspath(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    char *lex = lexical(path);
    if (lex == NULL)
        return NULL;
    /* the folder may still be there, reached through a link: as indexed */
    char *slash = strrchr(lex, '/');
    if (slash && slash != lex) {
        *slash = '\0';
        char *dir = realpath(lex, NULL);
        *slash = '/';
        if (dir) {
            char *out;
            int n = asprintf(&out, "%s%s", strcmp(dir, "/") ? dir : "",
                             slash);
            free(dir);
            if (n >= 0) {
                free(lex);
                return out;
            }
        }
    }
    return lex;
}
