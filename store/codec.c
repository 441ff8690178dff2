/* store/codec.c - records packed with the index's dictionary (see
 * codec.h).  zstd does the work; this file picks its settings and keeps
 * a context per thread. */
#include "store/codec.h"

#include "base/fz.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

/* Level 3, zstd's default: at record size it packs as fast as Xapian
 * deflates, and higher levels gained 4% for three times the time. */
#define LEVEL 3

/* A record is a passage and its report's record: far below this.  A
 * frame claiming more is damaged, not a reason to allocate it. */
#define PLAIN_MAX ((unsigned long long)64 << 20)

/* ---- a context per thread ------------------------------------------- */

struct ctxs {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int key_ok;

static void free_ctxs(void *p)
{
    struct ctxs *x = p;
    ZSTD_freeCCtx(x->c);
    ZSTD_freeDCtx(x->d);
    free(x);
}

static void make_key(void)
{
    key_ok = pthread_key_create(&key, free_ctxs) == 0;
}

static struct ctxs *ctxs(void)
{
    pthread_once(&once, make_key);
    if (!key_ok)
        return NULL;
    struct ctxs *x = pthread_getspecific(key);
    if (x == NULL && (x = calloc(1, sizeof *x)) != NULL
        && pthread_setspecific(key, x) != 0) {
        free(x);
        x = NULL;
    }
    return x;
}

/* ---- dictionaries ---------------------------------------------------- */

int fz_codec_train(const char *samples, const size_t *sizes, size_t n,
                   struct fz_buf *dict, char **errptr)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sizes[i];
    /* zstd needs a few samples per dictionary byte to learn anything */
    size_t cap = total / 16 < FZ_CODEC_DICT_MAX ? total / 16
                                               : FZ_CODEC_DICT_MAX;
    fz_buf_reset(dict);
    if (n < 64 || cap < 4096 || n > 0xffffffffu) {
        fz_set_error(errptr, "too few records to train a dictionary on "
                     "(%zu, %zu bytes)", n, total);
        return FZ_EINVAL;
    }
    if (fz_buf_grow(dict, cap) != FZ_OK)
        return FZ_ENOMEM;
    size_t got = ZDICT_trainFromBuffer(dict->data, cap, samples, sizes,
                                       (unsigned)n);
    if (ZDICT_isError(got)) {
        fz_set_error(errptr, "no dictionary from %zu records: %s", n,
                     ZDICT_getErrorName(got));
        return FZ_EINVAL;
    }
    dict->len = got;
    dict->data[got] = '\0';
    return FZ_OK;
}

/* Codecs loaded, newest first: a list only ever added to, each entry
 * complete before it is published, so that finding one takes no lock. */
struct fz_codec {
    struct fz_codec *next;
    ZSTD_CDict *_Atomic cd;         /* made by the first fz_codec_pack():
                                       a reader never packs, and making
                                       it costs more than a search */
    ZSTD_DDict *dd;
    unsigned id;
    size_t len;
    char dict[];
};

static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fz_codec *_Atomic loaded;

static const struct fz_codec *find(unsigned id)
{
    for (const struct fz_codec *c = atomic_load_explicit(&loaded,
                                                        memory_order_acquire);
         c; c = c->next)
        if (c->id == id)
            return c;
    return NULL;
}

const struct fz_codec *fz_codec_load(const void *dict, size_t len,
                                     char **errptr)
{
    if (len == 0)
        return NULL;
    unsigned id = ZSTD_getDictID_fromDict(dict, len);
    if (id == 0) {
        fz_set_error(errptr, "not a zstd dictionary");
        return NULL;
    }
    pthread_mutex_lock(&load_mu);
    struct fz_codec *c = (struct fz_codec *)find(id);
    if (c && !(c->len == len && memcmp(c->dict, dict, len) == 0)) {
        fz_set_error(errptr, "two dictionaries with id %u", id);
        c = NULL;
    } else if (c == NULL && (c = calloc(1, sizeof *c + len)) != NULL) {
        c->id = id;
        c->len = len;
        memcpy(c->dict, dict, len);
        c->dd = ZSTD_createDDict(c->dict, len);
        if (c->dd == NULL) {
            free(c);
            c = NULL;
            fz_set_error(errptr, "out of memory");
        } else {
            c->next = atomic_load_explicit(&loaded, memory_order_relaxed);
            atomic_store_explicit(&loaded, c, memory_order_release);
        }
    } else if (c == NULL) {
        fz_set_error(errptr, "out of memory");
    }
    pthread_mutex_unlock(&load_mu);
    return c;
}

unsigned fz_codec_dict_id(const void *dict, size_t len)
{
    return len ? ZSTD_getDictID_fromDict(dict, len) : 0;
}

int fz_codec_loaded(unsigned id)
{
    return id != 0 && find(id) != NULL;
}

/* ---- records --------------------------------------------------------- */

/* c's compression dictionary, made on first use.  NULL when out of
 * memory. */
static ZSTD_CDict *cdict(const struct fz_codec *c)
{
    struct fz_codec *w = (struct fz_codec *)c;  /* only cd changes */
    ZSTD_CDict *cd = atomic_load_explicit(&w->cd, memory_order_acquire);
    if (cd)
        return cd;
    pthread_mutex_lock(&load_mu);
    if ((cd = atomic_load_explicit(&w->cd, memory_order_relaxed)) == NULL
        && (cd = ZSTD_createCDict(c->dict, c->len, LEVEL)) != NULL)
        atomic_store_explicit(&w->cd, cd, memory_order_release);
    pthread_mutex_unlock(&load_mu);
    return cd;
}

int fz_codec_pack(const struct fz_codec *c, struct fz_buf *rec)
{
    struct ctxs *x = ctxs();
    ZSTD_CDict *cd = cdict(c);
    if (cd == NULL || x == NULL
        || (x->c == NULL && (x->c = ZSTD_createCCtx()) == NULL))
        return FZ_ENOMEM;
    size_t cap = ZSTD_compressBound(rec->len);
    char *out = malloc(cap + 1);
    if (out == NULL)
        return FZ_ENOMEM;
    size_t n = ZSTD_compress_usingCDict(x->c, out, cap, rec->data, rec->len,
                                        cd);
    if (ZSTD_isError(n)) {          /* only when memory ran out */
        free(out);
        return FZ_ENOMEM;
    }
    out[n] = '\0';
    free(rec->data);
    rec->data = out;
    rec->len = n;
    rec->cap = cap + 1;
    return FZ_OK;
}

int fz_codec_packed(const char *data, size_t len)
{
    static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
    return len >= 4 && memcmp(data, magic, 4) == 0;
}

int fz_codec_unpack(const char *data, size_t len, struct fz_buf *out,
                    const char **plain, size_t *plain_len)
{
    if (!fz_codec_packed(data, len)) {
        *plain = data;
        *plain_len = len;
        return FZ_OK;
    }
    const struct fz_codec *c = find(ZSTD_getDictID_fromFrame(data, len));
    if (c == NULL)
        return FZ_EINVAL;
    unsigned long long n = ZSTD_getFrameContentSize(data, len);
    if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR
        || n > PLAIN_MAX)
        return FZ_EINVAL;
    struct ctxs *x = ctxs();
    if (x == NULL || (x->d == NULL && (x->d = ZSTD_createDCtx()) == NULL))
        return FZ_ENOMEM;
    fz_buf_reset(out);
    if (fz_buf_grow(out, (size_t)n) != FZ_OK)
        return FZ_ENOMEM;
    size_t got = ZSTD_decompress_usingDDict(x->d, out->data, (size_t)n, data,
                                            len, c->dd);
    if (ZSTD_isError(got) || got != n)
        return FZ_EINVAL;
    out->len = got;
    out->data[got] = '\0';
    *plain = out->data;
    *plain_len = got;
    return FZ_OK;
}
