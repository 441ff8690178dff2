/* indexer/status.c - see indexer/status.h. */
#include "indexer/status.h"

#include "base/fz.h"
#include "shim/fzx.h"
#include "store/schema.h"
#include "store/stored.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The index's shards, opened for reading: *n of them, each db[k] with
 * its folder path[k].  0, or 2 when said. */
struct index {
    size_t n;
    fzx_db **db;
    char **path;
    char *notes;                /* the stub's, or NULL */
};

static void index_close(struct index *x)
{
    for (size_t k = 0; k < x->n; k++) {
        fzx_db_close(x->db[k]);
        free(x->path[k]);
    }
    free(x->db);
    free(x->path);
    free(x->notes);
    memset(x, 0, sizeof *x);
}

static int index_open(struct fz_run *run, const char *dir, struct index *x)
{
    char *err = NULL;
    size_t n = 1;
    int stub = fzx_stub_notes(dir, &x->notes, &n, NULL) == FZ_OK;
    if (!stub && !(fzx_dir_holds(dir) & FZX_HAS_DB)) {
        fz_run_warn(run, "%s: no index here", dir);
        return 2;
    }
    x->db = calloc(n ? n : 1, sizeof *x->db);
    x->path = calloc(n ? n : 1, sizeof *x->path);
    if (x->db == NULL || x->path == NULL) {
        fz_run_warn(run, "out of memory");
        return 2;
    }
    for (size_t k = 0; k < n; k++) {
        x->path[k] = stub ? fzx_shard_path(dir, k) : strdup(dir);
        x->n = k + 1;
        if (x->path[k] == NULL
            || (x->db[k] = fzx_db_open(x->path[k], NULL, &err)) == NULL) {
            fz_run_warn(run, "%s: %s", x->path[k] ? x->path[k] : dir,
                        err ? err : "out of memory");
            free(err);
            return 2;
        }
    }
    return 0;
}

static int count_term(void *ctx, const char *t, size_t len)
{
    (void)t;
    (void)len;
    (*(size_t *)ctx)++;
    return 0;
}

static int count_key(void *ctx, const char *k, size_t kl, const char *v,
                     size_t vl)
{
    (void)k;
    (void)kl;
    (void)v;
    (void)vl;
    (*(size_t *)ctx)++;
    return 0;
}

/* Bytes of the files in folder dir (not below). */
static unsigned long long folder_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    unsigned long long sum = 0;
    const struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char *p;
        struct stat st;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            break;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            sum += (unsigned long long)st.st_size;
        free(p);
    }
    if (d)
        closedir(d);
    return sum;
}

int fz_status_print(struct fz_run *run, const char *dbdir)
{
    struct index x;
    memset(&x, 0, sizeof x);
    char *err = NULL;
    int status = index_open(run, dbdir, &x);
    size_t reports = 0, files = 0;
    unsigned long passages = 0;
    unsigned long long bytes = x.notes ? folder_bytes(dbdir) : 0;
    for (size_t k = 0; status == 0 && k < x.n; k++) {
        int code = FZ_OK;
        passages += fzx_db_doccount(x.db[k], &code, &err);
        if (code != FZ_OK
            || fzx_db_each_term(x.db[k], FZ_PREFIX_REPORT, count_term,
                                &reports, &err) != FZ_OK)
            status = 2;
        bytes += folder_bytes(x.path[k]);
    }
    if (status == 0 && fzx_db_each_metadata(x.db[0], FZ_FILE_KEY, count_key,
                                            &files, &err) != FZ_OK)
        status = 2;
    /* removed reports, and documents replaced, wait for a rebuild of their
     * shard: not counted */
    char *dead = status == 0 ? fzx_db_get_metadata(x.db[0], FZ_DEAD_KEY,
                                                   NULL, &err) : NULL;
    char *purge = status == 0 ? fzx_db_get_metadata(x.db[0], FZ_PURGE_KEY,
                                                    NULL, &err) : NULL;
    for (size_t i = 0; dead && i + 17 <= strlen(dead); i += 17) {
        char t[24];
        snprintf(t, sizeof t, FZ_PREFIX_REPORT "%.16s", dead + i + 1);
        for (size_t k = 0; k < x.n; k++) {
            int code = FZ_OK;
            unsigned long n = fzx_db_termfreq(x.db[k], t, strlen(t), &code,
                                              &err);
            reports -= n > 0 && reports > 0;
            passages -= n <= passages ? n : passages;
        }
    }
    for (char *p = purge, *end; p && *p; p = end) {
        strtoul(p, &end, 10);
        strtoul(end, &end, 10);
        if (end == p)
            break;
        passages -= passages > 0;
    }
    free(dead);
    free(purge);
    char *last = status == 0 ? fzx_db_get_metadata(x.db[0], FZ_LAST_RUN_KEY,
                                                   NULL, &err) : NULL;
    char *schema = status == 0 ? fzx_db_get_metadata(x.db[0], "schema",
                                                     NULL, &err) : NULL;
    size_t zlen = 0;
    char *zdict = status == 0 && err == NULL
                  ? fzx_db_get_metadata(x.db[0], FZ_ZDICT_KEY, &zlen, &err)
                  : NULL;
    free(zdict);
    if (err) {
        fz_run_warn(run, "%s: %s", dbdir, err);
        status = 2;
    }
    if (status == 0) {
        char when[64] = "never";
        if (last) {
            time_t t = (time_t)strtoll(last, NULL, 10);
            struct tm tm;
            if (localtime_r(&t, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
        }
        char how[80] = "one database";
        if (x.notes) {
            char kind[16];
            unsigned long param;
            if (sscanf(x.notes, "fz shards: %15s %lu", kind, &param) == 2)
                snprintf(how, sizeof how, "--%s %lu%s",
                         strcmp(kind, "count") == 0 ? "shards"
                                                    : "shard-size", param,
                         strstr(x.notes, "frozen") ? ", frozen" : "");
        }
        printf("index:    %s\n", dbdir);
        printf("reports:  %zu\n", reports);
        printf("passages: %lu\n", passages);
        printf("files:    %zu\n", files);
        printf("shards:   %zu (%s)\n", x.n, how);
        printf("size:     %.1f MB\n", (double)bytes / 1e6);
        printf("last run: %s\n", when);
        printf("layout:   %s\n", schema ? schema : "unknown");
        if (zlen)
            printf("records:  packed with a %.0f KB dictionary\n",
                   (double)zlen / 1024);
        else
            printf("records:  plain (too few yet to train a dictionary)\n");
    }
    free(last);
    free(schema);
    free(err);
    index_close(&x);
    return status;
}

struct list_ctx {
    fzx_db *db, *db0;           /* the shard; shard 0 (paths) */
    const char *dead;           /* FZ_DEAD_KEY */
    int status;
    char *err;
};

static int list_one(void *ctx, const char *t, size_t len)
{
    struct list_ctx *l = ctx;
    char key[40];
    if (len == 17 && l->dead
        && fz_ids_find(l->dead, strlen(l->dead), t + 1) >= 0)
        return 0;               /* removed, waiting for a rebuild */
    size_t dlen = 0, plen = 0;
    char *data = fzx_db_first_data(l->db, t, len, FZ_SLOT_PASSAGE, NULL,
                                   &dlen, &l->err);
    struct fz_stored s = FZ_STORED_INIT;
    int code = FZ_OK;
    unsigned long n = fzx_db_termfreq(l->db, t, len, &code, &l->err);
    if (data == NULL || code != FZ_OK
        || fz_stored_parse(data, dlen, &s, &l->err) != FZ_OK) {
        free(data);
        l->status = 2;
        return 1;
    }
    snprintf(key, sizeof key, FZ_PATHS_KEY "%.16s", s.r.id);
    char *paths = fzx_db_get_metadata(l->db0, key, &plen, &l->err);
    if (paths && fz_stored_use_paths(&s, paths, plen) != FZ_OK)
        l->status = 2;
    free(paths);
    cJSON *o = fz_stored_to_json(&s, NULL);
    cJSON *r = o ? cJSON_DetachItemFromObjectCaseSensitive(o, "r") : NULL;
    char *line = NULL;
    if (r && cJSON_AddNumberToObject(r, "passages", (double)n))
        line = cJSON_PrintUnformatted(r);
    if (line)
        puts(line);
    else
        l->status = 2;
    free(line);
    cJSON_Delete(r);
    cJSON_Delete(o);
    fz_stored_release(&s);
    free(data);
    return l->status != 0;
}

int fz_list_print(struct fz_run *run, const char *dbdir)
{
    struct index x;
    memset(&x, 0, sizeof x);
    int status = index_open(run, dbdir, &x);
    char *err = NULL;
    char *dead = status == 0 ? fzx_db_get_metadata(x.db[0], FZ_DEAD_KEY,
                                                   NULL, &err) : NULL;
    if (err) {
        fz_run_warn(run, "%s: %s", dbdir, err);
        status = 2;
    }
    free(err);
    for (size_t k = 0; status == 0 && k < x.n; k++) {
        struct list_ctx l = { x.db[k], x.db[0], dead, 0, NULL };
        size_t zlen = 0;
        char *zdict = fzx_db_get_metadata(x.db[k], FZ_ZDICT_KEY, &zlen,
                                          &l.err);
        if (zdict && zlen)
            fz_codec_load(zdict, zlen, &l.err);     /* its records' */
        free(zdict);
        if (l.err != NULL
            || fzx_db_each_term(x.db[k], FZ_PREFIX_REPORT, list_one, &l,
                                &l.err) != FZ_OK || l.status) {
            fz_run_warn(run, "%s: %s", x.path[k],
                        l.err ? l.err : "out of memory");
            status = 2;
        }
        free(l.err);
    }
    free(dead);
    index_close(&x);
    return status;
}
