#include "reader/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fz.h"

/* argv0 on PATH into path (a name with a slash is taken as it is); 0 when
 * found.  Done before fork(): execvp() is not async-signal-safe. */
static int find_program(const char *argv0, char *path, size_t size)
{
    if (strchr(argv0, '/')) {
        snprintf(path, size, "%s", argv0);
        return access(path, X_OK);
    }
    const char *p = getenv("PATH");
    if (p == NULL || *p == '\0')
        p = "/usr/local/bin:/usr/bin:/bin";
    while (*p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0 && (size_t)snprintf(path, size, "%.*s/%s", (int)n, p,
                                      argv0) < size
            && access(path, X_OK) == 0)
            return 0;
        p += n + (e != NULL);
    }
    return -1;
}

/* a temporary file holding the bytes, already unlinked: -1 on failure */
static int bytes_fd(const char *bytes, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fz-filter-XXXXXX",
             dir && *dir ? dir : "/tmp");
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -1;
    unlink(path);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int fz_child_filter(const char *const argv[], const char *bytes, size_t len,
                    unsigned seconds, size_t max_out, struct fz_buf *out,
                    char **errptr)
{
    char path[4096];
    const char *name = argv[0];
    int in = -1, po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    struct fz_buf err = FZ_BUF_INIT;
    int rc = FZ_OK, st = 0, timed_out = 0, too_much = 0;
    pid_t pid = -1;
    if (find_program(name, path, sizeof path) != 0) {
        fz_set_error(errptr, "%s not installed", name);
        return FZ_EUNREADABLE;
    }
    in = bytes_fd(bytes, len);
    if (in < 0 || pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
        fz_set_error(errptr, "cannot make a temporary file or pipe: %s",
                     strerror(errno));
        rc = FZ_EIO;
        goto out;
    }
    pid = fork();
    if (pid < 0) {
        fz_set_error(errptr, "cannot start %s: %s", name, strerror(errno));
        rc = FZ_EIO;
        goto out;
    }
    if (pid == 0) {
        /* the child: async-signal-safe calls only, then exec */
        int null = open("/dev/null", O_RDONLY);
        struct rlimit cpu = { seconds, seconds + 1 };
        struct rlimit as = { 1ul << 30, 1ul << 30 };
        struct rlimit core = { 0, 0 };
        setpgid(0, 0);
        if (null < 0 || dup2(null, 0) < 0 || dup2(po[1], 1) < 0
            || dup2(pe[1], 2) < 0
            || (in == 3 ? fcntl(3, F_SETFD, 0) : dup2(in, 3)) < 0)
            _exit(127);
        setrlimit(RLIMIT_CPU, &cpu);
        setrlimit(RLIMIT_AS, &as);
        setrlimit(RLIMIT_CORE, &core);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    po[1] = pe[1] = -1;
    double deadline = now() + seconds;
    int open_fds = 2;
    while (open_fds > 0) {
        struct pollfd pf[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
        double left = deadline - now();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        int n = poll(pf, 2, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        for (int k = 0; k < 2; k++) {
            if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP
                                                   | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t r = read(pf[k].fd, chunk, sizeof chunk);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                close(pf[k].fd);
                *(k ? &pe[0] : &po[0]) = -1;
                open_fds--;
                continue;
            }
            if (k == 0 && out->len + (size_t)r > max_out) {
                too_much = 1;
                break;
            }
            if (k == 1 && err.len > 4096)
                continue;   /* the first line is all we say */
            if (fz_buf_append(k ? &err : out, chunk, (size_t)r) != FZ_OK) {
                rc = FZ_ENOMEM;
                break;
            }
        }
        if (too_much || rc != FZ_OK)
            break;
    }
    if (open_fds > 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    } else {
        /* its output is complete: let it exit, until the deadline (a
         * child that shuts its pipes and goes on is still stopped) */
        pid_t w;
        while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now() < deadline) {
            struct timespec ms = { 0, 1000000 };
            nanosleep(&ms, NULL);
        }
        if (w == pid)
            goto reaped;
        timed_out = w == 0;
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
reaped:
    if (rc != FZ_OK) {
        fz_set_error(errptr, "out of memory");
    } else if (timed_out) {
        fz_set_error(errptr, "%s did not finish in %u seconds", name,
                     seconds);
        rc = FZ_EUNREADABLE;
    } else if (too_much) {
        fz_set_error(errptr, "%s wrote more than %zu MiB", name,
                     max_out >> 20);
        rc = FZ_EUNREADABLE;
    } else if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
        fz_set_error(errptr, "%s killed by signal %d (%s)", name,
                     WTERMSIG(st), strsignal(WTERMSIG(st)));
        rc = FZ_EUNREADABLE;
    } else if (WIFSIGNALED(st) || WEXITSTATUS(st) != 0) {
        /* the first line of its complaint, control characters blanked */
        const char *e = fz_buf_cstr(&err);
        size_t n = strcspn(e, "\n");
        char line[201];
        snprintf(line, sizeof line, "%.*s", (int)(n < 200 ? n : 200), e);
        for (char *c = line; *c; c++)
            if ((unsigned char)*c < 0x20)
                *c = ' ';
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && !*line)
            fz_set_error(errptr, "%s could not be run", name);
        else
            fz_set_error(errptr, "%s failed: %s", name,
                         *line ? line : "no reason given");
        rc = FZ_EUNREADABLE;
    }
out:
    if (in >= 0)
        close(in);
    for (int k = 0; k < 2; k++) {
        if (po[k] >= 0)
            close(po[k]);
        if (pe[k] >= 0)
            close(pe[k]);
    }
    fz_buf_release(&err);
    return rc;
}
