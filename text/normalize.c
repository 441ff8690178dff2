#include "text/normalize.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <dlfcn.h>
#include <pthread.h>
#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The code points that let OpenCC's t2s change a text, sorted: made at
 * build time from the keys of its dictionaries (tools/t2s_table.c says
 * how, tools/opencc-keys.sh where from). */
extern const uint32_t fz_t2s_cps[];
extern const size_t fz_t2s_n_cps;
/* Every code point of every key of those dictionaries, sorted. */
extern const uint32_t fz_t2s_key_cps[];
extern const size_t fz_t2s_n_key_cps;

/* OpenCC's library is loaded by fz_norm_load(), not linked: loading
 * libopencc and libmarisa cost every fzsearch about 0.5 ms of start-up
 * (`fzsearch --version` 7% faster without), for a converter most
 * searches never open.
 * FZ_OPENCC_LIB is its soname, which the Makefile reads from the library
 * the headers came with.  The calls go through these pointers, typed by
 * OpenCC's own declarations. */
#ifndef FZ_OPENCC_LIB
#error "FZ_OPENCC_LIB: libopencc's soname, which the Makefile sets"
#endif
_Static_assert(sizeof FZ_OPENCC_LIB > 1, "FZ_OPENCC_LIB is empty: the "
               "Makefile found no libopencc.so (Debian: libopencc-dev)");
#define CC_CALLS(X) \
    X(opencc_open) X(opencc_close) X(opencc_convert_utf8) \
    X(opencc_convert_utf8_free) X(opencc_error)
#define CC_POINTER(f) __typeof__(&f) f;
struct cc_calls { CC_CALLS(CC_POINTER) };
#undef CC_POINTER

struct fz_norm {
    void *lib;              /* FZ_OPENCC_LIB, NULL until a text needs it */
    struct cc_calls fn;
    opencc_t cc;            /* open exactly when lib is */
    struct fz_buf nfkc;     /* scratch, reused between calls */
    uint32_t *map;          /* scratch: NFKC code point -> source */
    size_t map_cap;
};

struct fz_norm *fz_norm_open(char **errptr)
{
    struct fz_norm *n = calloc(1, sizeof *n);
    if (n == NULL)
        fz_set_error(errptr, "out of memory");
    return n;
}

/* OpenCC's opening and closing share state inside the library (found by
 * ThreadSanitizer: two pipeline threads opening their converters at once
 * raced in libopencc): one at a time.  Converting is the thread's own. */
static pthread_mutex_t cc_mu = PTHREAD_MUTEX_INITIALIZER;

static int load_locked(struct fz_norm *n, char **errptr);

int fz_norm_load(struct fz_norm *n, char **errptr)
{
    if (n->lib != NULL)
        return FZ_OK;
    pthread_mutex_lock(&cc_mu);
    int rc = load_locked(n, errptr);
    pthread_mutex_unlock(&cc_mu);
    return rc;
}

static int load_locked(struct fz_norm *n, char **errptr)
{
    /* kept loaded to the end of the process once loaded (NODELETE): a
     * C++ library is not unloaded and loaded again with each converter */
    void *lib = dlopen(FZ_OPENCC_LIB, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    int ok = lib != NULL;
#define CC_BIND(f) \
    if (ok && (*(void **)&n->fn.f = dlsym(lib, #f)) == NULL) \
        ok = 0;
    CC_CALLS(CC_BIND)
#undef CC_BIND
    if (!ok) {
        fz_set_error(errptr, "cannot load OpenCC: %s", dlerror());
        if (lib != NULL)
            dlclose(lib);
        return FZ_EIO;
    }
    opencc_t cc = n->fn.opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    if (cc == (opencc_t)-1) {
        fz_set_error(errptr, "cannot load OpenCC %s: %s",
                     OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP,
                     n->fn.opencc_error());
        dlclose(lib);
        return FZ_EIO;
    }
    n->lib = lib;
    n->cc = cc;
    return FZ_OK;
}

int fz_norm_opened(const struct fz_norm *n)
{
    return n->lib != NULL;
}

static int in_sorted(const uint32_t *v, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    if (n == 0 || cp < v[0] || cp > v[n - 1])
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == cp;
}

int fz_norm_cc_may_change(uint32_t cp)
{
    return in_sorted(fz_t2s_cps, fz_t2s_n_cps, cp);
}

/* cp is in some key of OpenCC's dictionaries */
static int in_some_key(uint32_t cp)
{
    return in_sorted(fz_t2s_key_cps, fz_t2s_n_key_cps, cp);
}

void fz_norm_close(struct fz_norm *n)
{
    if (n == NULL)
        return;
    if (n->lib != NULL) {
        pthread_mutex_lock(&cc_mu);
        n->fn.opencc_close(n->cc);
        dlclose(n->lib);
        pthread_mutex_unlock(&cc_mu);
    }
    fz_buf_release(&n->nfkc);
    free(n->map);
    free(n);
}

void fz_normed_release(struct fz_normed *nd)
{
    if (nd == NULL)
        return;
    fz_buf_release(&nd->text);
    free(nd->src_cp);
    nd->src_cp = NULL;
    nd->n_cp = nd->n_src_cp = 0;
}

static int push_map(uint32_t **map, size_t *cap, size_t n, uint32_t v)
{
    if (n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        uint32_t *m = realloc(*map, nc * sizeof *m);
        if (m == NULL)
            return FZ_ENOMEM;
        *map = m;
        *cap = nc;
    }
    (*map)[n] = v;
    return FZ_OK;
}

/* utf8proc's NFKC_Casefold: decompose (compatibility), case fold, drop
 * default ignorables, reorder marks, compose.  COMPAT acts only together
 * with COMPOSE (or DECOMPOSE): without it Ａ is left as ａ after folding. */
#define NFKC_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD \
                   | UTF8PROC_IGNORE | UTF8PROC_COMPOSE)

static int is_common_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* End of the cluster that starts with c, whose next byte is in[i]: an
 * extended grapheme cluster (UAX #29), so a character with its combining
 * marks, a Hangul syllable's jamo, a vowel sign with its consonant.  NFKC
 * composes and reorders only inside such a cluster.  A character NFKC
 * removes (a zero-width space, a byte order mark) joins the cluster
 * before it and does not end it: folding the whole text drops it first,
 * so that in e<U+200B><U+0304> the macron composes with the e (ē).  *ncp
 * counts its code points.  ASCII and common Han never continue a
 * cluster. */
/* The first (or last) code point of c's compatibility decomposition:
 * what NFKC composes with.  A halfwidth ﾞ is U+3099, a combining mark;
 * a compatibility jamo ㅡ is U+1173, a vowel that joins the consonant
 * before it. */
static uint32_t compat_end(uint32_t c, int last)
{
    utf8proc_int32_t d[32];
    int bound = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        (utf8proc_int32_t)c, d, 32, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE,
        &bound);
    return n > 0 && n <= 32 ? (uint32_t)d[last ? n - 1 : 0] : c;
}

static size_t cluster_end(const char *in, size_t len, size_t i, uint32_t c,
                          size_t *ncp)
{
    utf8proc_int32_t state = 0;
    uint32_t prev = c;
    *ncp = 1;
    while (i < len && (unsigned char)in[i] >= 0x80) {
        size_t k = i;
        bool ok;
        uint32_t d = fz_utf8_next(in, len, &k, &ok);
        if (!ok || is_common_han(d))
            break;
        if (!utf8proc_get_property((utf8proc_int32_t)d)->ignorable) {
            /* decide on the characters NFKC will see, not the raw ones */
            if (utf8proc_grapheme_break_stateful(
                    (utf8proc_int32_t)compat_end(prev, 1),
                    (utf8proc_int32_t)compat_end(d, 0), &state))
                break;
            prev = d;
        }
        i = k;
        ++*ncp;
    }
    return i;
}

/* NFKC + case fold of in into b, one source cluster at a time, so each
 * output code point knows its source.  The clusters that need no change
 * (ASCII, the common Han blocks) are copied without asking utf8proc. */
static int nfkc(const char *in, size_t len, struct fz_buf *b,
                uint32_t **map, size_t *cap, size_t *n_out, size_t *n_src)
{
    utf8proc_int32_t small[64], *buf = small;
    utf8proc_ssize_t buf_cap = (utf8proc_ssize_t)(sizeof small
                                                  / sizeof small[0]);
    size_t i = 0, src = 0, n = 0;
    int rc = FZ_OK;
    while (i < len) {
        size_t at = i, ncp;
        bool ok;
        uint32_t c = fz_utf8_next(in, len, &i, &ok);
        if (!ok) {
            rc = FZ_EINVAL;
            goto out;
        }
        size_t end = cluster_end(in, len, i, c, &ncp);
        if (ncp == 1 && c < 0x80) {
            char ch = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            if (fz_buf_appendc(b, ch) != FZ_OK
                || push_map(map, cap, n++, (uint32_t)src) != FZ_OK)
                goto nomem;
            src++;
            continue;
        }
        if (ncp == 1 && is_common_han(c)) {
            if (fz_buf_append(b, in + at, i - at) != FZ_OK
                || push_map(map, cap, n++, (uint32_t)src) != FZ_OK)
                goto nomem;
            src++;
            continue;
        }
        utf8proc_ssize_t m;
        for (;;) {
            m = utf8proc_decompose((const utf8proc_uint8_t *)in + at,
                                   (utf8proc_ssize_t)(end - at), buf, buf_cap,
                                   NFKC_OPTS);
            if (m < 0) {
                rc = m == UTF8PROC_ERROR_NOMEM ? FZ_ENOMEM : FZ_EINVAL;
                goto out;
            }
            if (m <= buf_cap)
                break;
            /* a long pile of marks or a long expansion (U+FDFA) */
            utf8proc_int32_t *nb = malloc((size_t)m * sizeof *nb);
            if (nb == NULL)
                goto nomem;
            if (buf != small)
                free(buf);
            buf = nb;
            buf_cap = m;
        }
        m = utf8proc_normalize_utf32(buf, m, NFKC_OPTS);
        for (utf8proc_ssize_t k = 0; k < m; k++) {
            if (fz_buf_append_cp(b, (uint32_t)buf[k]) != FZ_OK
                || push_map(map, cap, n++, (uint32_t)src) != FZ_OK)
                goto nomem;
        }
        src += ncp;
        i = end;
    }
    *n_out = n;
    *n_src = src;
    goto out;
nomem:
    rc = FZ_ENOMEM;
out:
    if (buf != small)
        free(buf);
    return rc;
}

/* Whether OpenCC could change in[0,len) (valid UTF-8): not when no code
 * point is at or above U+3000, where every Han character is, as then the
 * text was never given to OpenCC; else when one is in the table, or when
 * a NUL is there, since OpenCC stops at the first NUL and drops the
 * rest. */
static int needs_cc(const char *in, size_t len, int *nul_out)
{
    int han = 0, nul = 0, may = 0;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)in[i];
        if (b < 0xE3) {             /* below U+3000 */
            nul |= b == 0;
            i++;
            continue;
        }
        han = 1;
        if (!may && fz_norm_cc_may_change(fz_utf8_next(in, len, &i, NULL)))
            may = 1;
        else if (may)
            i++;
    }
    *nul_out = han && nul;
    return may || (han && nul);
}

/* out's map when each code point of the text stayed one: map itself */
static int same_map(const uint32_t *map, size_t n_in, struct fz_normed *out)
{
    out->src_cp = malloc((n_in ? n_in : 1) * sizeof *out->src_cp);
    if (out->src_cp == NULL)
        return FZ_ENOMEM;
    if (n_in > 0)           /* map is NULL before the first code point */
        memcpy(out->src_cp, map, n_in * sizeof *map);
    out->n_cp = n_in;
    return FZ_OK;
}

/* OpenCC converts phrase by phrase and, for t2s, nearly always one code
 * point for one.  When a chunk's length changes, its code points are
 * spread evenly over the chunk's sources: approximate, but only there.
 * A text it would leave as it is is copied without it, and it is opened
 * for the first text it could change. */
/* OpenCC's folding of in[0,len), in_cp code points whose sources are
 * src[0,in_cp), appended to out: its code points spread evenly over
 * those sources when the length changes.  OpenCC must be open. */
static int convert_piece(struct fz_norm *n, const char *in, size_t len,
                         const uint32_t *src, size_t in_cp,
                         struct fz_normed *out, size_t *cap)
{
    char *part = n->fn.opencc_convert_utf8(n->cc, in, len);
    if (part == NULL)
        return FZ_ENOMEM;
    size_t plen = strlen(part), pcp = fz_utf8_count(part, plen);
    int rc = fz_buf_append(&out->text, part, plen);
    n->fn.opencc_convert_utf8_free(part);
    for (size_t k = 0; rc == FZ_OK && k < pcp; k++) {
        size_t rel = pcp == in_cp ? k : k * in_cp / pcp;
        rc = push_map(&out->src_cp, cap, out->n_cp++, src[rel]);
    }
    return rc;
}

/* OpenCC segments a text by the keys of its dictionaries and converts
 * each segment alone, and no key holds a code point outside
 * fz_t2s_key_cps: no segment crosses one.  So a text without a NUL goes
 * to OpenCC run by run: each longest run of key code points that holds
 * one of the table's, the rest copied, with the same result as the whole
 * text given at once (tests/test_normalize.c compares them) while OpenCC
 * reads a small part of it (about 1% of the characters of a Simplified
 * report).  A run whose length changes spreads its code points over its
 * own sources. */
static int t2s_runs(struct fz_norm *n, const char *in, size_t len,
                    const uint32_t *map, struct fz_normed *out,
                    char **errptr)
{
    size_t cap = 0, i = 0, cp = 0;
    while (i < len) {
        size_t j = i, jcp = cp;
        int may = 0;
        while (j < len) {
            size_t k = j;
            uint32_t c = fz_utf8_next(in, len, &k, NULL);
            if (!in_some_key(c))
                break;
            may |= fz_norm_cc_may_change(c);
            j = k;
            jcp++;
        }
        if (j == i) {               /* a code point in no key: as it is */
            fz_utf8_next(in, len, &j, NULL);
            jcp++;
        }
        if (!may) {
            if (fz_buf_append(&out->text, in + i, j - i) != FZ_OK)
                return FZ_ENOMEM;
            for (size_t k = cp; k < jcp; k++)
                if (push_map(&out->src_cp, &cap, out->n_cp++, map[k])
                    != FZ_OK)
                    return FZ_ENOMEM;
            i = j;
            cp = jcp;
            continue;
        }
        int rc = fz_norm_load(n, errptr);
        if (rc == FZ_OK)
            rc = convert_piece(n, in + i, j - i, map + cp, jcp - cp, out,
                               &cap);
        if (rc != FZ_OK)
            return rc;
        i = j;
        cp = jcp;
    }
    return FZ_OK;
}

static int t2s(struct fz_norm *n, const char *in, size_t len,
               const uint32_t *map, size_t n_in, struct fz_normed *out,
               char **errptr)
{
    size_t cap = 0;
    int nul = 0;
    if (!needs_cc(in, len, &nul))
        return fz_buf_append(&out->text, in, len) == FZ_OK
               ? same_map(map, n_in, out) : FZ_ENOMEM;
    if (!nul)
        return t2s_runs(n, in, len, map, out, errptr);
    /* OpenCC drops what follows a NUL: the text goes to it whole, and
     * chunk by chunk when that changes its length (below) */
    int rc = fz_norm_load(n, errptr);
    if (rc != FZ_OK)
        return rc;
    char *conv = n->fn.opencc_convert_utf8(n->cc, in, len);
    if (conv == NULL)
        return FZ_ENOMEM;
    size_t clen = strlen(conv);
    size_t ccp = fz_utf8_count(conv, clen);
    if (ccp == n_in) {
        rc = fz_buf_append(&out->text, conv, clen);
        n->fn.opencc_convert_utf8_free(conv);
        return rc == FZ_OK ? same_map(map, n_in, out) : rc;
    }
    n->fn.opencc_convert_utf8_free(conv);
    /* Lengths differ: convert again chunk by chunk (chunks end after
     * punctuation or space) and map within each chunk. */
    size_t i = 0, cp = 0;
    while (i < len) {
        size_t start = i, start_cp = cp;
        while (i < len) {
            uint32_t c = fz_utf8_next(in, len, &i, NULL);
            cp++;
            if (!fz_is_han(c) && !fz_is_wordchar(c))
                break;
        }
        rc = convert_piece(n, in + start, i - start, map + start_cp,
                           cp - start_cp, out, &cap);
        if (rc != FZ_OK)
            return rc;
    }
    return FZ_OK;
}

/* The end of fz_norm_run() and fz_norm_run_as(): rc's message, or out
 * completed. */
static int finish(int rc, size_t n_src, struct fz_normed *out,
                  char **errptr)
{
    if (rc == FZ_OK && out->text.data == NULL)
        rc = fz_buf_append(&out->text, "", 0);
    if (rc != FZ_OK) {
        fz_normed_release(out);
        if (rc == FZ_EINVAL)
            fz_set_error(errptr, "text to normalise is not valid UTF-8");
        else if (rc == FZ_ENOMEM)
            fz_set_error(errptr, "out of memory normalising text");
        return rc;              /* FZ_EIO: fz_norm_load() said why */
    }
    out->n_src_cp = n_src;
    return FZ_OK;
}

int fz_norm_run(struct fz_norm *n, const char *in, size_t len,
                struct fz_normed *out, char **errptr)
{
    size_t n_in = 0, n_src = 0;
    fz_normed_release(out);
    fz_buf_reset(&n->nfkc);
    int rc = nfkc(in, len, &n->nfkc, &n->map, &n->map_cap, &n_in, &n_src);
    if (rc == FZ_OK)
        rc = t2s(n, fz_buf_cstr(&n->nfkc), n->nfkc.len, n->map, n_in, out,
                 errptr);
    return finish(rc, n_src, out, errptr);
}

/* When t2s keeps the number of code points, fz_norm_run()'s map is the
 * NFKC stage's, whether OpenCC was asked or not (t2s() above); it does
 * so unless a NUL is there, and then the numbers differ. */
int fz_norm_run_as(struct fz_norm *n, const char *in, size_t len,
                   const char *folded, size_t folded_len,
                   struct fz_normed *out, char **errptr)
{
    size_t n_in = 0, n_src = 0;
    fz_normed_release(out);
    fz_buf_reset(&n->nfkc);
    int rc = nfkc(in, len, &n->nfkc, &n->map, &n->map_cap, &n_in, &n_src);
    if (rc != FZ_OK || fz_utf8_count(folded, folded_len) != n_in)
        return fz_norm_run(n, in, len, out, errptr);
    rc = fz_buf_append(&out->text, folded, folded_len);
    if (rc == FZ_OK)
        rc = same_map(n->map, n_in, out);
    return finish(rc, n_src, out, errptr);
}

void fz_normed_span_to_source(const struct fz_normed *nd, size_t a, size_t b,
                              size_t *lo, size_t *hi)
{
    if (a >= nd->n_cp) {
        *lo = *hi = nd->n_src_cp;
        return;
    }
    *lo = nd->src_cp[a];
    if (b <= a) {
        *hi = *lo;
        return;
    }
    size_t last = nd->src_cp[b - 1];
    /* past the source of b-1: where the next different source begins */
    size_t h = b < nd->n_cp ? nd->src_cp[b] : nd->n_src_cp;
    if (h <= last)
        h = last + 1;
    *hi = h;
}

char *fz_norm_str(struct fz_norm *n, const char *s, size_t len)
{
    struct fz_normed nd = FZ_NORMED_INIT;
    if (fz_norm_run(n, s, len, &nd, NULL) != FZ_OK)
        return NULL;
    free(nd.src_cp);
    return fz_buf_detach(&nd.text, NULL);
}
