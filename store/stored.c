/* store/stored.c - the stored record (see stored.h). */
#include "store/stored.h"

#include "base/fz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record is printed by cJSON, whose number and string formats are
 * part of what an index holds: fz_stored_write() must give the bytes
 * fzindex has always written (tests/test_stored.c compares them with a
 * real index), so the tree is built in the order the README describes. */

/* ---- writing ----------------------------------------------------------- */

/* A string, or null when s is NULL or empty: unknown, not "". */
static cJSON *str_or_null(const char *s)
{
    return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Add v to o under k; 0, or -1 (v freed) when v is NULL or o cannot
 * take it. */
static int add(cJSON *o, const char *k, cJSON *v)
{
    if (v == NULL)
        return -1;
    if (!cJSON_AddItemToObject(o, k, v)) {
        cJSON_Delete(v);
        return -1;
    }
    return 0;
}

static cJSON *str_array(const char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t k = 0; a && k < n; k++) {
        cJSON *s = cJSON_CreateString(v[k]);
        if (s == NULL || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* The report part: the whole record (r given) or, when whole is 0, its
 * id alone. */
static cJSON *report_json(const struct fz_stored_report *r, int whole,
                          int folded)
{
    cJSON *o = cJSON_CreateObject();
    int bad = o == NULL || add(o, "id", str_or_null(r->id)) != 0;
    if (bad || !whole)
        goto out;
    bad = add(o, "title", str_or_null(r->title)) != 0
          || (folded && add(o, "ntitle", str_or_null(r->ntitle)) != 0)
          || add(o, "issuer", str_or_null(r->issuer)) != 0
          || add(o, "region", str_array(r->region, r->n_region)) != 0
          || add(o, "region_code", str_or_null(r->region_code)) != 0
          || add(o, "level", str_or_null(r->level)) != 0
          || add(o, "year", r->year ? cJSON_CreateNumber(r->year)
                                    : cJSON_CreateNull()) != 0
          || add(o, "date", str_or_null(r->date)) != 0
          || add(o, "url", str_or_null(r->url)) != 0
          || add(o, "source", str_or_null(r->source)) != 0
          || (r->path && add(o, "path", str_or_null(r->path)) != 0)
          || (r->path && add(o, "paths",
                             str_array(r->paths, r->n_paths)) != 0)
          || (r->ocr_pages
              && add(o, "ocr_pages", cJSON_CreateNumber(r->ocr_pages)) != 0);
out:
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The passage part; norm left out when NULL. */
static cJSON *passage_json(const struct fz_stored_passage *p,
                           const char *norm)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL
        || add(o, "id", cJSON_CreateString(p->id)) != 0
        || add(o, "ordinal", cJSON_CreateNumber((double)p->ordinal)) != 0
        || add(o, "section", str_array(p->section, p->n_section)) != 0
        || add(o, "heading", cJSON_CreateBool(p->heading)) != 0
        || (p->page && add(o, "page", cJSON_CreateNumber(p->page)) != 0)
        || add(o, "text", cJSON_CreateString(p->text ? p->text : "")) != 0
        || (norm && add(o, "norm", cJSON_CreateString(norm)) != 0)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *record_json(const struct fz_stored_passage *p,
                          const char *norm,
                          const struct fz_stored_report *r, int whole,
                          int folded)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || add(o, "p", passage_json(p, norm)) != 0
        || add(o, "r", report_json(r, whole, folded)) != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int fz_stored_write(struct fz_buf *out, const struct fz_stored_source *src,
                    const struct fz_passage *p, const char *norm, int whole)
{
    const struct fz_meta *m = src->meta;
    char pid[40];
    snprintf(pid, sizeof pid, "%s-%zu", src->rid, p->ordinal);
    struct fz_stored_passage sp = {
        pid, p->ordinal, (const char **)p->section, p->n_section,
        p->heading, p->page, p->text, norm,
    };
    struct fz_stored_report sr = {
        src->rid, whole, m->title, src->ntitle, m->issuer,
        (const char **)m->region.chain, m->region.depth, m->region.code,
        fz_level_name(m->level), m->year, m->date, m->url, m->source,
        src->n_paths ? src->paths[0] : NULL, (const char **)src->paths,
        src->n_paths,
        src->ocr_pages,
    };
    /* most text folds to itself: then the folded text is left out */
    cJSON *o = record_json(&sp, norm && strcmp(norm, p->text) != 0 ? norm
                                                                   : NULL,
                           &sr, whole, 1);
    char *json = o ? cJSON_PrintUnformatted(o) : NULL;
    int rc = json ? fz_buf_appends(out, json) : FZ_ENOMEM;
    free(json);
    cJSON_Delete(o);
    return rc;
}

cJSON *fz_stored_to_json(const struct fz_stored *s,
                         const struct fz_stored_report *r)
{
    if (r == NULL)
        r = &s->r;
    return record_json(&s->p, NULL, r, r->whole, 0);
}

/* ---- reading ----------------------------------------------------------- */

void fz_stored_release(struct fz_stored *s)
{
    cJSON_Delete(s->tree_);
    free(s->strs_);
    free(s->paths_);
    free(s->pathv_);
    *s = (struct fz_stored)FZ_STORED_INIT;
}

/* The string under k, NULL when absent, null or not a string. */
static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The strings of the array under k into v; how many. */
static size_t strings(const cJSON *o, const char *k, const char **v)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k), *s;
    size_t n = 0;
    cJSON_ArrayForEach(s, a)
        if (cJSON_IsString(s))
            v[n++] = s->valuestring;
    return n;
}

int fz_stored_parse(const char *data, size_t len, struct fz_stored *out,
                    char **errptr)
{
    *out = (struct fz_stored)FZ_STORED_INIT;
    cJSON *j = cJSON_ParseWithLength(data, len);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "p");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "r");
    out->tree_ = j;
    out->p.text = str(p, "text");
    out->r.id = str(r, "id");
    if (out->p.text == NULL || out->r.id == NULL) {
        fz_stored_release(out);
        fz_set_error(errptr, "damaged record");
        return FZ_EINVAL;
    }
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(p, "section");
    const cJSON *reg = cJSON_GetObjectItemCaseSensitive(r, "region");
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(r, "paths");
    size_t n = (size_t)cJSON_GetArraySize(sec) + cJSON_GetArraySize(reg)
               + cJSON_GetArraySize(pa);
    if (n && (out->strs_ = calloc(n, sizeof *out->strs_)) == NULL) {
        fz_stored_release(out);
        return FZ_ENOMEM;
    }
    out->p.id = str(p, "id");
    const cJSON *ord = cJSON_GetObjectItemCaseSensitive(p, "ordinal");
    out->p.ordinal = cJSON_IsNumber(ord) && ord->valuedouble > 0
                     ? (size_t)ord->valuedouble : 0;
    out->p.section = out->strs_;
    out->p.n_section = strings(p, "section", out->strs_);
    out->p.heading = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p,
                                                                  "heading"));
    const cJSON *pg = cJSON_GetObjectItemCaseSensitive(p, "page");
    out->p.page = cJSON_IsNumber(pg) && pg->valuedouble >= 1
                  && pg->valuedouble < 1e6 ? (unsigned)pg->valuedouble : 0;
    out->p.norm = str(p, "norm");
    if (out->p.norm == NULL)
        out->p.norm = out->p.text;
    /* a report's first passage holds its record, the others its id */
    out->r.whole = cJSON_HasObjectItem(r, "level");
    out->r.title = str(r, "title");
    out->r.ntitle = str(r, "ntitle");
    out->r.issuer = str(r, "issuer");
    out->r.region = out->strs_ ? out->strs_ + out->p.n_section : NULL;
    if (out->strs_)
        out->r.n_region = strings(r, "region", out->r.region);
    out->r.region_code = str(r, "region_code");
    out->r.level = str(r, "level");
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(r, "year");
    out->r.year = cJSON_IsNumber(y) ? y->valueint : 0;
    out->r.date = str(r, "date");
    out->r.url = str(r, "url");
    out->r.source = str(r, "source");
    out->r.path = str(r, "path");
    if (out->strs_) {
        out->r.paths = out->r.region + out->r.n_region;
        out->r.n_paths = strings(r, "paths", out->r.paths);
    }
    const cJSON *ocr = cJSON_GetObjectItemCaseSensitive(r, "ocr_pages");
    out->r.ocr_pages = cJSON_IsNumber(ocr) && ocr->valuedouble >= 1
                       && ocr->valuedouble < 1e6 ? (unsigned)ocr->valuedouble
                                                 : 0;
    return FZ_OK;
}

int fz_stored_use_paths(struct fz_stored *s, const char *list, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += list[i] == '\0';
    char *buf = malloc(len + 1);
    const char **v = calloc(n ? n : 1, sizeof *v);
    if (buf == NULL || v == NULL) {
        free(buf);
        free(v);
        return FZ_ENOMEM;
    }
    memcpy(buf, list, len);
    buf[len] = '\0';
    for (size_t i = 0, k = 0; k < n; i += strlen(buf + i) + 1)
        v[k++] = buf + i;
    free(s->paths_);
    free(s->pathv_);
    s->paths_ = buf;
    s->pathv_ = v;
    s->r.paths = v;
    s->r.n_paths = n;
    s->r.path = n ? v[0] : NULL;
    return FZ_OK;
}
