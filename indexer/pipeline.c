/* indexer/pipeline.c - see indexer/pipeline.h. */
#include "indexer/pipeline.h"

#include "base/fz.h"
#include "indexer/collection.h"
#include "indexer/document.h"
#include "meta/region.h"
#include "reader/report.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void progress(const struct fz_run *run, const struct fz_files *fs,
                     time_t t0, int final)
{
    const struct fz_stats *st = &run->st;
    double secs = difftime(time(NULL), t0);
    double mb = (double)st->bytes_done / 1e6, total = (double)fs->bytes / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    double eta = rate > 0 ? (total - mb) / rate : 0;
    fprintf(stderr, "\r%s: %zu/%zu files, %.1f/%.1f MB, %.2f MB/s, ETA "
            "%d:%02d ", run->prog, st->files, fs->n, mb, total, rate,
            (int)eta / 60, (int)eta % 60);
    if (final)
        fputc('\n', stderr);
}

/* ---- worker threads read files, this thread writes -------------------- */

struct queue {
    struct fz_run *run;
    const struct fz_files *fs;
    const struct fz_catalog *cat;
    struct fz_item *items;
    size_t next;                /* the next file to claim */
    size_t applied;             /* files the writer has taken */
    size_t window;              /* how far workers may run ahead */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    struct fz_regions *regions;
};

/* What a thread needs to read files: its text pipeline. */
struct reader {
    struct fz_textctx tc;
    int tc_open;
};

static int reader_open(struct reader *rd, struct fz_regions *regions,
                       char **errptr)
{
    memset(rd, 0, sizeof *rd);
    int rc = fz_textctx_open(&rd->tc, regions, errptr);
    rd->tc_open = rc == FZ_OK;
    return rc;
}

static void reader_close(struct reader *rd)
{
    if (rd->tc_open)
        fz_textctx_close(&rd->tc);
    memset(rd, 0, sizeof *rd);
}

static void *worker(void *arg)
{
    struct queue *R = arg;
    struct reader rd;
    char *err = NULL;
    int ok = reader_open(&rd, R->regions, &err) == FZ_OK;
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
        struct fz_item *it = &R->items[k];
        if (!ok) {
            fz_item_warn(R->run, it, "%s", err ? err : "out of memory");
            it->status = 2;
        } else {
            fz_document_prepare(R->run, it, &rd.tc, R->cat, &R->fs->v[k],
                                1);
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

int fz_pipeline_run(struct fz_run *run, struct fz_coll *c,
                    const struct fz_files *fs, unsigned jobs)
{
    struct fz_stats *st = &run->st;
    struct queue R;
    memset(&R, 0, sizeof R);
    R.run = run;
    R.fs = fs;
    R.cat = c->cat;
    R.items = calloc(fs->n ? fs->n : 1, sizeof *R.items);
    R.window = 4 * (size_t)jobs + 2;
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.ready, NULL);
    pthread_cond_init(&R.space, NULL);
    char *err = NULL;
    int status = 0;
    if (R.items == NULL || (R.regions = fz_regions_open(&err)) == NULL) {
        fz_run_warn(run, "%s", err ? err : "out of memory");
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
    /* this thread's reader: for every file with one job, else for a file
     * it must read itself (FZ_COLL_REREAD); opened when first needed */
    struct reader rd;
    memset(&rd, 0, sizeof rd);
    time_t t0 = time(NULL), last = 0;
    for (size_t k = 0; k < fs->n && status < 2; k++) {
        struct fz_item *it = &R.items[k];
        int again = 0;
        if (nth > 0) {
            pthread_mutex_lock(&R.mu);
            while (!it->ready)
                pthread_cond_wait(&R.ready, &R.mu);
            pthread_mutex_unlock(&R.mu);
        }
        for (;;) {
            if ((nth == 0 || again) && !rd.tc_open
                && reader_open(&rd, R.regions, &err) != FZ_OK) {
                fz_run_warn(run, "%s", err ? err : "out of memory");
                status = 2;
                break;
            }
            if (nth == 0 || again) {
                fz_item_release(it);
                memset(it, 0, sizeof *it);
                fz_document_prepare(run, it, &rd.tc, c->cat, &fs->v[k],
                                    !again);
            }
            if (fz_run_interrupted(run))
                break;
            int r = it->status;
            if (!it->unchanged && r < 2) {
                int a = fz_coll_write_file(c, it, fs->v[k].path, st);
                if (a == FZ_COLL_REREAD && !again) {
                    again = 1;
                    continue;
                }
                r = a > r ? a : r;
            }
            fputs(fz_buf_cstr(&it->msgs), stderr);
            st->unchanged += it->unchanged;
            st->files++;
            st->failed += r != 0;
            st->bytes_done += fs->v[k].size;
            status = r > status ? r : status;
            break;
        }
        fz_item_release(it);
        if (fz_run_interrupted(run))
            break;
        pthread_mutex_lock(&R.mu);
        R.applied = k + 1;
        pthread_cond_broadcast(&R.space);
        pthread_mutex_unlock(&R.mu);
        if (run->tty && time(NULL) != last) {
            last = time(NULL);
            progress(run, fs, t0, 0);
        }
    }
    pthread_mutex_lock(&R.mu);
    R.stop = 1;
    pthread_cond_broadcast(&R.space);
    pthread_mutex_unlock(&R.mu);
    for (size_t j = 0; j < nth; j++)
        pthread_join(th[j], NULL);
    free(th);
    size_t pending = c->pending;
    if (status < 2 && fz_coll_commit(c) != 0)
        status = 2;
    /* a failed write was said, naming its file: one line is enough */
    if (status == 2 && pending && !run->index_failed)
        fz_run_warn(run, "%s: the files read since the last commit are not "
                    "in the index; run again to add them", c->s->dir);
    if (run->tty)
        progress(run, fs, t0, 1);
    if (fz_run_interrupted(run)) {
        fz_run_warn(run, "interrupted: %zu of %zu files done; run again to "
                    "finish", st->files, fs->n);
        status = status > 1 ? status : 1;
    }
    for (size_t k = 0; k < fs->n; k++)
        fz_item_release(&R.items[k]);
    free(R.items);
    reader_close(&rd);
    fz_regions_close(R.regions);
    free(err);
    pthread_mutex_destroy(&R.mu);
    pthread_cond_destroy(&R.ready);
    pthread_cond_destroy(&R.space);
    return status;
}
