/* indexer/pipeline.c - see indexer/pipeline.h. */
#include "indexer/pipeline.h"

#include "base/fz.h"
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
    struct fz_item *items;
    size_t next;                /* the next file to claim */
    size_t applied;             /* files the writer has taken */
    size_t window;              /* how far workers may run ahead */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    /* the shards' folders when the run started: a copy of the array,
     * because adding a shard (--shard-size) reallocs the live one while
     * workers may still be reading it in reader_open() */
    char **paths;
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

static int reader_open(struct reader *rd, char *const *paths, size_t n,
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
        if ((rd->dbs[k] = fzx_db_open(paths[k], NULL, errptr)) == NULL)
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
    struct queue *R = arg;
    struct reader rd;
    char *err = NULL;
    /* the shards as they were at the start: those started during the
     * run (--shard-size) hold none of the files looked up */
    int ok = reader_open(&rd, R->paths, R->ndbs, 0, 1, R->regions, &err)
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
        struct fz_item *it = &R->items[k];
        if (!ok) {
            fz_item_warn(R->run, it, "%s", err ? err : "out of memory");
            it->status = 2;
        } else {
            fz_document_prepare(R->run, it, &rd.tc, rd.dbs, rd.n,
                                &R->fs->v[k]);
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

static int index_files(struct fz_run *run, struct fz_shards *s,
                       const struct fz_files *fs, unsigned jobs)
{
    struct fz_stats *st = &run->st;
    struct queue R;
    memset(&R, 0, sizeof R);
    R.run = run;
    R.fs = fs;
    R.items = calloc(fs->n ? fs->n : 1, sizeof *R.items);
    R.window = 4 * (size_t)jobs + 2;
    R.ndbs = s->n;
    R.paths = malloc((s->n ? s->n : 1) * sizeof *R.paths);
    if (R.paths)
        memcpy(R.paths, s->path, s->n * sizeof *R.paths);
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.ready, NULL);
    pthread_cond_init(&R.space, NULL);
    char *err = NULL;
    int status = 0;
    if (R.items == NULL || R.paths == NULL
        || (R.regions = fz_regions_open(&err)) == NULL) {
        fz_run_warn(run, "%s", err ? err : "out of memory");
        free(err);
        free(R.items);
        free(R.paths);
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
        if (reader_open(&rd, R.paths, R.ndbs, 0, 1, R.regions, &err)
            != FZ_OK) {
            fz_run_warn(run, "%s", err ? err : "out of memory");
            status = 2;
        }
    }
    time_t t0 = time(NULL), last = 0;
    size_t pending = 0;
    for (size_t k = 0; k < fs->n && status < 2; k++) {
        struct fz_item *it = &R.items[k];
        if (nth == 0) {
            fz_document_prepare(run, it, &rd.tc, rd.dbs, rd.n, &fs->v[k]);
        } else {
            pthread_mutex_lock(&R.mu);
            while (!it->ready)
                pthread_cond_wait(&R.ready, &R.mu);
            pthread_mutex_unlock(&R.mu);
        }
        if (fz_run_interrupted(run))
            break;
        fputs(fz_buf_cstr(&it->msgs), stderr);
        int r = it->status;
        if (it->unchanged)
            st->unchanged++;
        else if (r < 2) {
            int a = fz_shards_write_file(run, s, it, fs->v[k].path, &pending,
                                         st, 0, 1);
            r = a > r ? a : r;
        }
        fz_item_release(it);
        st->files++;
        st->failed += r != 0;
        st->bytes_done += fs->v[k].size;
        status = r > status ? r : status;
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
    if (status < 2 && fz_shards_commit(s, &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", s->dir, err);
        status = 2;
    }
    if (status == 2 && pending)
        fz_run_warn(run, "%s: the files read since the last commit are not "
                    "in the index; run again to add them", s->dir);
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
    free(R.paths);
    reader_close(&rd);
    fz_regions_close(R.regions);
    free(err);
    pthread_mutex_destroy(&R.mu);
    pthread_cond_destroy(&R.ready);
    pthread_cond_destroy(&R.space);
    return status;
}

/* ---- shards written in parallel ----------------------------------------- */

/* One thread of index_partitioned: the shards k % nth == j are its. */
struct part {
    struct fz_run *run;
    struct fz_shards *s;
    const struct fz_files *fs;
    unsigned j, nth;
    struct fz_regions *regions;
    int status;
    int *running;               /* under run->mu: threads not yet done */
    pthread_cond_t *changed;    /* with run->mu: a file done, a thread */
};

static void *part_worker(void *arg)
{
    struct part *P = arg;
    struct fz_run *run = P->run;
    struct fz_shards *s = P->s;
    struct reader rd;
    char *err = NULL;
    size_t pending = 0;
    int ok = reader_open(&rd, s->path, s->n, P->j, P->nth, P->regions, &err)
             == FZ_OK;
    if (!ok) {
        fz_run_warn(run, "%s", err ? err : "out of memory");
        P->status = 2;
    }
    for (size_t f = 0; ok && f < P->fs->n && !fz_run_interrupted(run); f++) {
        pthread_mutex_lock(&run->mu);
        int failed = run->index_failed;
        pthread_mutex_unlock(&run->mu);
        if (failed)
            break;
        const char *path = P->fs->v[f].path;
        size_t k = fz_shards_hash(s, path);
        if (k % P->nth != P->j)
            continue;
        struct fz_item it;
        memset(&it, 0, sizeof it);
        fz_document_prepare(run, &it, &rd.tc, &rd.dbs[k], 1, &P->fs->v[f]);
        if (fz_run_interrupted(run)) {
            fz_item_release(&it);
            break;
        }
        if (it.shard == 0)
            it.shard = (int)k;
        int r = it.status;
        struct fz_stats mine = { 0 };
        pthread_mutex_lock(&run->mu);
        fputs(fz_buf_cstr(&it.msgs), stderr);
        pthread_mutex_unlock(&run->mu);
        if (it.unchanged) {
            mine.unchanged++;
        } else if (r < 2) {
            int a = fz_shards_write_file(run, s, &it, path, &pending, &mine,
                                         P->j, P->nth);
            r = a > r ? a : r;
        }
        fz_item_release(&it);
        pthread_mutex_lock(&run->mu);
        run->st.files++;
        run->st.unchanged += mine.unchanged;
        run->st.reports += mine.reports;
        run->st.passages += mine.passages;
        run->st.failed += r != 0;
        run->st.bytes_done += P->fs->v[f].size;
        pthread_cond_signal(P->changed);
        pthread_mutex_unlock(&run->mu);
        P->status = r > P->status ? r : P->status;
        if (r == 2)
            break;
    }
    if (P->status < 2
        && fz_shards_commit_some(s, P->j, P->nth, &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", s->dir, err);
        P->status = 2;
    } else if (P->status == 2) {
        fz_shards_cancel_some(s, P->j, P->nth);
    }
    reader_close(&rd);
    free(err);
    pthread_mutex_lock(&run->mu);
    (*P->running)--;
    pthread_cond_signal(P->changed);
    pthread_mutex_unlock(&run->mu);
    return NULL;
}

static int index_partitioned(struct fz_run *run, struct fz_shards *s,
                             const struct fz_files *fs, unsigned jobs)
{
    unsigned nth = jobs < s->n ? jobs : (unsigned)s->n;
    struct part *P = calloc(nth, sizeof *P);
    pthread_t *th = calloc(nth, sizeof *th);
    char *err = NULL;
    struct fz_regions *regions = P && th ? fz_regions_open(&err) : NULL;
    int status = 0, running = 0;
    pthread_cond_t changed;
    if (regions == NULL) {
        fz_run_warn(run, "%s", err ? err : "out of memory");
        free(err);
        free(P);
        free(th);
        return 2;
    }
    pthread_cond_init(&changed, NULL);
    unsigned started = 0;
    for (unsigned j = 0; j < nth; j++) {
        P[j] = (struct part){ run, s, fs, j, nth, regions, 0, &running,
                              &changed };
        pthread_mutex_lock(&run->mu);
        running++;
        pthread_mutex_unlock(&run->mu);
        if (pthread_create(&th[j], NULL, part_worker, &P[j]) != 0) {
            fz_run_warn(run, "cannot start a thread: %s", strerror(errno));
            P[j].status = 2;
            pthread_mutex_lock(&run->mu);
            running--;
            pthread_mutex_unlock(&run->mu);
            break;
        }
        started++;
    }
    /* woken by each file done and each thread ending; the progress line
     * at most once a second */
    time_t t0 = time(NULL), last = 0;
    pthread_mutex_lock(&run->mu);
    while (running > 0) {
        pthread_cond_wait(&changed, &run->mu);
        if (run->tty && time(NULL) != last) {
            last = time(NULL);
            progress(run, fs, t0, 0);
        }
    }
    pthread_mutex_unlock(&run->mu);
    for (unsigned j = 0; j < started; j++) {
        pthread_join(th[j], NULL);
        status = P[j].status > status ? P[j].status : status;
    }
    if (run->tty)
        progress(run, fs, t0, 1);
    if (fz_run_interrupted(run)) {
        fz_run_warn(run, "interrupted: %zu of %zu files done; run again to "
                    "finish", run->st.files, fs->n);
        status = status > 1 ? status : 1;
    }
    pthread_cond_destroy(&changed);
    fz_regions_close(regions);
    free(P);
    free(th);
    return status;
}

int fz_pipeline_run(struct fz_run *run, struct fz_shards *s,
                    const struct fz_files *fs, unsigned jobs)
{
    if (s->sharded && s->mode == 'k' && s->n > 1 && jobs > 1)
        return index_partitioned(run, s, fs, jobs);
    return index_files(run, s, fs, jobs);
}
