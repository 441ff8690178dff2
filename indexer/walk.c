/* indexer/walk.c - see indexer/walk.h. */
#include "indexer/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int fz_has_ext(const char *p, const char *ext)
{
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcasecmp(p + n - e, ext) == 0;
}

static int indexable(const char *p)
{
    return fz_has_ext(p, ".txt") || fz_has_ext(p, ".htm")
        || fz_has_ext(p, ".html") || fz_has_ext(p, ".jsonl");
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
        if (root && !indexable(path))
            return 0;
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
        return 0;
    }
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

void fz_files_release(struct fz_files *fs)
{
    for (size_t k = 0; k < fs->n; k++)
        free(fs->v[k].path);
    free(fs->v);
    memset(fs, 0, sizeof *fs);
}
