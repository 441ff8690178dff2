/* searcher/like.c - the query of --like (see like.h). */
#include "searcher/like.h"

#include "base/fz.h"
#include "store/schema.h"
#include "text/token.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct like_term {
    char t[FZ_TOKEN_MAX_BYTES + 1];
    unsigned tf;
    double w;
};

struct like_terms {
    struct like_term *v;
    size_t n, cap;
};

static int like_collect(void *ctx, const struct fz_token *t)
{
    struct like_terms *L = ctx;
    for (size_t i = 0; i < L->n; i++)
        if (strlen(L->v[i].t) == t->len
            && memcmp(L->v[i].t, t->term, t->len) == 0) {
            L->v[i].tf++;
            return 0;
        }
    if (L->n == L->cap) {
        size_t nc = L->cap ? 2 * L->cap : 64;
        void *v = realloc(L->v, nc * sizeof *L->v);
        if (v == NULL)
            return -1;
        L->v = v;
        L->cap = nc;
    }
    memcpy(L->v[L->n].t, t->term, t->len);
    L->v[L->n].t[t->len] = '\0';
    L->v[L->n].tf = 1;
    L->v[L->n++].w = 0;
    return 0;
}

static int by_weight(const void *a, const void *b)
{
    double x = ((const struct like_term *)a)->w;
    double y = ((const struct like_term *)b)->w;
    return x < y ? 1 : x > y ? -1
           : strcmp(((const struct like_term *)a)->t,
                    ((const struct like_term *)b)->t);
}

fzx_query *fzs_like_query(fzx_db *db, const char *norm, const char *rid,
                          const char *pid, int *code, char **errptr)
{
    struct like_terms L = { NULL, 0, 0 };
    *code = FZ_EINVAL;
    if (fz_tokenize(norm, strlen(norm), 0, like_collect, &L, NULL) != 0) {
        free(L.v);
        *code = FZ_ENOMEM;
        return NULL;
    }
    double n = (double)fzx_db_doccount(db, NULL, NULL);
    for (size_t i = 0; i < L.n; i++) {
        double df = (double)fzx_db_termfreq(db, L.v[i].t, strlen(L.v[i].t), NULL, NULL);
        L.v[i].w = df < 2 ? 0 : (1 + log(L.v[i].tf))
                                 * log((n - df + 0.5) / (df + 0.5) + 1);
    }
    qsort(L.v, L.n, sizeof *L.v, by_weight);
    fzx_query *subs[FZS_LIKE_TERMS];
    size_t ns = 0;
    for (size_t i = 0; i < L.n && ns < FZS_LIKE_TERMS && L.v[i].w > 0; i++)
        subs[ns++] = fzx_query_term(L.v[i].t, strlen(L.v[i].t));
    free(L.v);
    if (ns == 0) {
        fz_set_error(errptr, "--like '%s': the passage has no words found "
                     "elsewhere", pid);
        return NULL;
    }
    char rterm[128];
    snprintf(rterm, sizeof rterm, "%s%s", FZ_PREFIX_REPORT, rid);
    fzx_query *like = fzx_query_combine(FZX_OR, subs, ns, 0);
    fzx_query *pair[2] = { like, fzx_query_term(rterm, strlen(rterm)) };
    *code = FZ_OK;
    return fzx_query_combine(FZX_AND_NOT, pair, 2, 0);
}
