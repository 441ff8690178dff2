/* searcher/emit_json.c - hits as one JSON object (see emit_json.h). */
#include "searcher/emit_json.h"

#include "base/buf.h"
#include "searcher/compare.h"
#include "searcher/facets.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

/* Built with cJSON, which skips an item it could not make: out of
 * memory, the object may come out short, as it always could. */

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *strings(const char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t k = 0; k < n; k++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[k]));
    return a;
}

/* A hit: rank and score when ranked (not the --like example), its
 * passage and its report. */
static cJSON *hit_json(const struct fzs_row *w, int ranked)
{
    const struct fz_stored_passage *p = w->p;
    const struct fz_stored_report *r = w->r;
    cJSON *o = cJSON_CreateObject(), *jp = cJSON_CreateObject();
    cJSON *jr = cJSON_CreateObject(), *hl = cJSON_CreateArray();
    if (ranked) {
        cJSON_AddNumberToObject(o, "rank", (double)w->rank);
        cJSON_AddNumberToObject(o, "score", w->hit->score);
    }
    cJSON_AddItemToObject(jp, "id", str_or_null(p->id));
    cJSON_AddItemToObject(jp, "ordinal", cJSON_CreateNumber(
                                             (double)p->ordinal));
    cJSON_AddItemToObject(jp, "section", strings(p->section, p->n_section));
    if (p->page)
        cJSON_AddNumberToObject(jp, "page", p->page);
    cJSON_AddItemToObject(jp, "text", str_or_null(p->text));
    for (size_t i = 0; i < w->spans.n; i++) {
        cJSON *pair = cJSON_CreateArray();
        for (int e = 0; e < 2; e++)
            cJSON_AddItemToArray(pair, cJSON_CreateNumber(
                                           (double)w->spans.v[i][e]));
        cJSON_AddItemToArray(hl, pair);
    }
    cJSON_AddItemToObject(jp, "highlights", hl);
    cJSON_AddItemToObject(jr, "id", str_or_null(r->id));
    cJSON_AddItemToObject(jr, "title", str_or_null(r->title));
    cJSON_AddItemToObject(jr, "issuer", str_or_null(r->issuer));
    cJSON_AddItemToObject(jr, "region", strings(r->region, r->n_region));
    cJSON_AddItemToObject(jr, "region_code", str_or_null(r->region_code));
    cJSON_AddItemToObject(jr, "level", str_or_null(r->level));
    cJSON_AddItemToObject(jr, "year", r->year ? cJSON_CreateNumber(r->year)
                                              : cJSON_CreateNull());
    cJSON_AddItemToObject(jr, "date", str_or_null(r->date));
    cJSON_AddItemToObject(jr, "url", str_or_null(r->url));
    cJSON_AddItemToObject(jr, "source", str_or_null(r->source));
    cJSON_AddItemToObject(jr, "path", str_or_null(r->path));
    /* the same report found in several files: every path, the first
     * being "path" */
    if (r->n_paths > 1)
        cJSON_AddItemToObject(jr, "paths", strings(r->paths, r->n_paths));
    if (r->ocr_pages)
        cJSON_AddNumberToObject(jr, "ocr_pages", r->ocr_pages);
    cJSON_AddItemToObject(o, "passage", jp);
    cJSON_AddItemToObject(o, "report", jr);
    return o;
}

/* The groups of --compare: name, region, code, count and ranks. */
static cJSON *groups_json(const struct fzs_hits *h,
                          const struct fzs_row *rows)
{
    cJSON *groups = cJSON_CreateArray(), *g = NULL, *ranks = NULL;
    struct fz_buf name = FZ_BUF_INIT;
    for (size_t k = 0; k < h->n; k++) {
        if (k == 0 || !fzs_compare_same_group(&rows[k - 1], &rows[k])) {
            const struct fz_stored_report *r = rows[k].r;
            g = cJSON_CreateObject();
            fz_buf_reset(&name);
            fzs_compare_group_name(&name, r);
            cJSON_AddStringToObject(g, "name", fz_buf_cstr(&name));
            cJSON_AddItemToObject(g, "region",
                                  strings(r->region, r->n_region));
            cJSON_AddItemToObject(g, "region_code",
                                  str_or_null(r->region_code));
            cJSON_AddNumberToObject(g, "count", 0);
            ranks = cJSON_CreateArray();
            cJSON_AddItemToObject(g, "ranks", ranks);
            cJSON_AddItemToArray(groups, g);
        }
        cJSON_AddItemToArray(ranks,
                             cJSON_CreateNumber((double)rows[k].rank));
        cJSON_SetNumberValue(cJSON_GetObjectItem(g, "count"),
                             cJSON_GetArraySize(ranks));
    }
    fz_buf_release(&name);
    return groups;
}

int fzs_emit_json(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows, struct fz_regions *regions)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    int rc = 0;
    cJSON_AddNumberToObject(root, "schema", FZS_JSON_SCHEMA);
    if (o->query_text)
        cJSON_AddStringToObject(root, "query", o->query_text);
    cJSON_AddNumberToObject(root, "total", (double)h->total);
    cJSON_AddStringToObject(root, "unit", h->per_report ? "reports"
                                                        : "passages");
    if (h->n_regions > 0) {
        /* what each --region was taken as */
        cJSON *rs = cJSON_AddArrayToObject(root, "regions");
        for (size_t k = 0; k < h->n_regions; k++) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "given", h->regions[k].given);
            cJSON_AddStringToObject(r, "code", h->regions[k].code);
            cJSON_AddStringToObject(r, "name", h->regions[k].chain);
            cJSON_AddItemToArray(rs, r);
        }
    }
    if (fzs_options_any_facet(o))
        cJSON_AddItemToObject(root, "facets", fzs_facets_json(o, h, regions));
    if (h->like) {
        struct fzs_row src = fzs_row_of(h->like);
        cJSON_AddItemToObject(root, "like", hit_json(&src, 0));
    }
    for (size_t k = 0; k < h->n; k++)
        cJSON_AddItemToArray(arr, hit_json(&rows[k], 1));
    cJSON_AddItemToObject(root, "hits", arr);
    if (o->compare)
        cJSON_AddItemToObject(root, "groups", groups_json(h, rows));
    char *js = cJSON_PrintUnformatted(root);
    if (js)
        puts(js);
    else
        rc = -1;
    free(js);
    cJSON_Delete(root);
    return rc;
}
