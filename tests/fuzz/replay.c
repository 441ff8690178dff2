/* tests/fuzz/replay.c - run a fuzz target over saved inputs without
 * libFuzzer: `make check` builds each target with this main() and the
 * usual compiler, and replays its seeds and its regressions, so that
 * every invariant the target checks holds on them in every build (and
 * under ASan+UBSan with SANITIZE=1).
 *
 * usage: replay_<target> <file or folder>...
 * A folder stands for the files in it (not recursively).  Exit 0 when
 * every input passed; a broken invariant aborts. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "base/buf.h"

static const char *current;     /* the input being run */

/* A broken invariant (or a sanitizer, with abort_on_error) aborts: say
 * which input it was, then die of the signal as before. */
static void on_abort(int sig)
{
    static const char msg[] = "replay: the input was ";
    if (current) {
        if (write(2, msg, sizeof msg - 1) < 0
            || write(2, current, strlen(current)) < 0
            || write(2, "\n", 1) < 0)
            _exit(134);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_file(const char *path)
{
    struct fz_buf b = FZ_BUF_INIT;
    if (fz_buf_read_file(&b, path) != 0) {
        perror(path);
        return -1;
    }
    /* a copy of exactly the input's size, as libFuzzer passes it, so
     * that ASan sees a read past its end */
    size_t len = b.len;
    unsigned char *copy = malloc(len ? len : 1);
    if (copy == NULL) {
        fz_buf_release(&b);
        return -1;
    }
    if (len)
        memcpy(copy, b.data, len);
    fz_buf_release(&b);
    current = path;
    LLVMFuzzerTestOneInput(copy, len);
    current = NULL;
    free(copy);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, in name order (the same order on every machine). */
static int run_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t nn = 0, cap = 0;
    int rc = 0;
    if (d == NULL) {
        perror(dir);
        return -1;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *v);
            if (v == NULL) {
                rc = -1;
                break;
            }
            names = v;
        }
        if ((names[nn] = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL) {
            rc = -1;
            break;
        }
        sprintf(names[nn++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (rc == 0)
        qsort(names, nn, sizeof *names, cmp);
    for (size_t k = 0; k < nn; k++) {
        struct stat st;
        if (rc == 0 && stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
            rc = run_file(names[k]);
            ++*n;
        }
        free(names[k]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    signal(SIGABRT, on_abort);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &n) != 0)
                return 1;
        } else {
            if (run_file(argv[i]) != 0)
                return 1;
            n++;
        }
    }
    printf("%s: %zu inputs, every invariant held\n", argv[0], n);
    return 0;
}
