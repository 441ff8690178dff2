/* indexer/run.c - see indexer/run.h. */
#include "indexer/run.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fz_run_init(struct fz_run *run, const char *prog, const char *db,
                 atomic_int *interrupted)
{
    memset(run, 0, sizeof *run);
    run->prog = prog;
    run->db = db;
    run->batch_passages = 20000;
    run->interrupted = interrupted;
    pthread_mutex_init(&run->mu, NULL);
}

void fz_run_release(struct fz_run *run)
{
    pthread_mutex_destroy(&run->mu);
}

void fz_run_warn(struct fz_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&run->mu);
    fprintf(stderr, "%s: ", run->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&run->mu);
    va_end(ap);
}

int fz_run_interrupted(const struct fz_run *run)
{
    return run->interrupted != NULL && atomic_load(run->interrupted);
}
