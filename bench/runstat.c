/* runstat - run a command and say how long it took and how much memory
 * it held, for bench/run.sh.
 *
 *   runstat [-n RUNS] -o FILE COMMAND [ARG...]
 *
 * Runs COMMAND (found on PATH) RUNS times (default 1), one after the
 * other, each with runstat's own stdin, stdout and stderr, and appends
 * one line per run to FILE:
 *
 *   <wall seconds> <peak RSS in KiB> <exit status> <CPU seconds>
 *
 * Wall time is CLOCK_MONOTONIC from just before fork() to wait4()
 * returning; peak RSS is ru_maxrss and CPU time ru_utime + ru_stime
 * (user and system, every thread) of the rusage wait4() gives for the
 * child, which covers the child and any descendants it waited for.  The
 * exit status is the child's, or 128 + the signal that ended it, or 127
 * when COMMAND could not be run.  runstat itself exits 0 when every run
 * was measured, 2 on a usage or system error.  It exists so that
 * `make bench` needs neither GNU time nor a shell's fork in the timed
 * path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    long runs = 1;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
            runs = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else {
            break;
        }
    }
    if (out == NULL || i >= argc || runs < 1) {
        fprintf(stderr, "usage: runstat [-n RUNS] -o FILE COMMAND [ARG...]\n");
        return 2;
    }
    FILE *fp = fopen(out, "a");
    if (fp == NULL) {
        fprintf(stderr, "runstat: %s: %s\n", out, strerror(errno));
        return 2;
    }
    for (long r = 0; r < runs; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
            fclose(fp);
            return 2;
        }
        if (pid == 0) {
            execvp(argv[i], argv + i);
            fprintf(stderr, "runstat: %s: %s\n", argv[i], strerror(errno));
            _exit(127);
        }
        int st;
        struct rusage ru;
        pid_t w;
        while ((w = wait4(pid, &st, 0, &ru)) < 0 && errno == EINTR)
            ;
        double t1 = now();
        if (w < 0) {
            fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
            fclose(fp);
            return 2;
        }
        int status = WIFEXITED(st) ? WEXITSTATUS(st)
                     : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
        double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec
                     + ((double)ru.ru_utime.tv_usec
                        + (double)ru.ru_stime.tv_usec) / 1e6;
        fprintf(fp, "%.6f %ld %d %.6f\n", t1 - t0, ru.ru_maxrss, status, cpu);
    }
    if (fclose(fp) != 0) {
        fprintf(stderr, "runstat: %s: %s\n", out, strerror(errno));
        return 2;
    }
    return 0;
}
