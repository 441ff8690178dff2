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
    struct fz_buf plain = FZ_BUF_INIT;
    int rc = fz_codec_unpack(data, len, &plain, &data, &len);
    if (rc != FZ_OK) {
        fz_buf_release(&plain);
        if (rc == FZ_EINVAL)
            fz_set_error(errptr, "damaged record");
        return rc;
    }
    cJSON *j = cJSON_ParseWithLength(data, len);
    fz_buf_release(&plain);
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

/* ---- peeking: the check's fields, without the tree --------------------- */

/* A small reader of the JSON cJSON prints: every value is walked (so a
 * key inside a nested value is never mistaken for one outside it), and
 * only the strings asked for are decoded. */
struct jr {
    const char *s, *end;
    int bad;
};

static void jws(struct jr *j)
{
    while (j->s < j->end && (*j->s == ' ' || *j->s == '\t'
                             || *j->s == '\n' || *j->s == '\r'))
        j->s++;
}

static int hex4(const char *s, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

/* The string at j->s (its opening quote), decoded into out when out is
 * not NULL.  0, -1 (j->bad set) or FZ_ENOMEM. */
static int jstring(struct jr *j, struct fz_buf *out)
{
    if (j->s >= j->end || *j->s != '"')
        return j->bad = -1;
    const char *s = j->s + 1;
    for (;;) {
        /* the next quote or backslash, by memchr: a passage's text is
         * the most of a record, and every check reads one */
        const char *run = s, *q = memchr(s, '"', (size_t)(j->end - s));
        if (q == NULL)
            return j->bad = -1;
        const char *bs = memchr(s, '\\', (size_t)(q - s));
        s = bs ? bs : q;
        if (out && s > run && fz_buf_append(out, run, (size_t)(s - run)))
            return FZ_ENOMEM;
        if (*s == '"')
            break;
        if (s + 1 >= j->end)
            return j->bad = -1;
        char c = s[1], lit = 0;
        uint32_t cp = 0;
        s += 2;
        switch (c) {
        case '"': case '\\': case '/': lit = c; break;
        case 'b': lit = '\b'; break;
        case 'f': lit = '\f'; break;
        case 'n': lit = '\n'; break;
        case 'r': lit = '\r'; break;
        case 't': lit = '\t'; break;
        case 'u':
            if (j->end - s < 4 || hex4(s, &cp) != 0)
                return j->bad = -1;
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (j->end - s < 6 || s[0] != '\\' || s[1] != 'u'
                    || hex4(s + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                    return j->bad = -1;
                s += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
                return j->bad = -1;
            }
            break;
        default:
            return j->bad = -1;
        }
        if (out && (lit ? fz_buf_appendc(out, lit)
                        : fz_buf_append_cp(out, cp)))
            return FZ_ENOMEM;
    }
    j->s = s + 1;
    return 0;
}

static int jvalue(struct jr *j, int depth);

/* After a member or element of a container that close ends: 1 when
 * another follows (past its comma), 0 when the container ends (past
 * close), -1 (j->bad set) otherwise. */
static int jnext(struct jr *j, char close)
{
    jws(j);
    if (j->s < j->end && (*j->s == ',' || *j->s == close))
        return *j->s++ == ',';
    return j->bad = -1;
}

/* The members of the object at j->s; each key is handed to fn, which
 * reads its value (or returns 1 to have it skipped). */
static int jobject(struct jr *j, int depth,
                   int (*fn)(struct jr *, const char *, size_t, void *),
                   void *ctx)
{
    if (j->s >= j->end || *j->s != '{' || depth > 64)
        return j->bad = -1;
    j->s++;
    jws(j);
    if (j->s < j->end && *j->s == '}') {
        j->s++;
        return 0;
    }
    for (;;) {
        jws(j);
        const char *k = j->s + 1;
        int rc = jstring(j, NULL);
        if (rc)
            return rc;
        size_t kl = (size_t)(j->s - 1 - k);
        jws(j);
        if (j->s >= j->end || *j->s != ':')
            return j->bad = -1;
        j->s++;
        jws(j);
        if (j->s >= j->end)
            return j->bad = -1;
        rc = fn ? fn(j, k, kl, ctx) : 1;
        if (rc == 1)
            rc = jvalue(j, depth + 1);
        if (rc)
            return rc;
        if ((rc = jnext(j, '}')) != 1)
            return rc;
    }
}

/* Any value, skipped. */
static int jvalue(struct jr *j, int depth)
{
    if (j->s >= j->end)
        return j->bad = -1;
    char c = *j->s;
    if (c == '"')
        return jstring(j, NULL);
    if (c == '{')
        return jobject(j, depth, NULL, NULL);
    if (c == '[') {
        if (depth > 64)
            return j->bad = -1;
        j->s++;
        jws(j);
        if (j->s < j->end && *j->s == ']') {
            j->s++;
            return 0;
        }
        for (;;) {
            jws(j);
            int rc = jvalue(j, depth + 1);
            if (rc)
                return rc;
            if ((rc = jnext(j, ']')) != 1)
                return rc;
        }
    }
    /* a number, true, false or null */
    const char *s = j->s;
    while (j->s < j->end && strchr(",}] \t\r\n", *j->s) == NULL)
        j->s++;
    return j->s > s ? 0 : (j->bad = -1);
}

static int key_is(const char *k, size_t kl, const char *want)
{
    return kl == strlen(want) && memcmp(k, want, kl) == 0;
}

struct peek_state {
    struct fz_stored_peek *pk;
    int text, norm, id;     /* seen as strings */
};

static int peek_p(struct jr *j, const char *k, size_t kl, void *ctx)
{
    struct peek_state *st = ctx;
    int norm = key_is(k, kl, "norm");
    if (!norm && !key_is(k, kl, "text"))
        return 1;
    if (*j->s != '"')
        return 1;                   /* null: as if absent */
    if (norm || !st->norm) {
        /* the folded text wins over the text, whichever comes first */
        fz_buf_reset(&st->pk->norm);
        int rc = jstring(j, &st->pk->norm);
        *(norm ? &st->norm : &st->text) = 1;
        return rc;
    }
    st->text = 1;
    return jstring(j, NULL);
}

static int peek_r(struct jr *j, const char *k, size_t kl, void *ctx)
{
    struct peek_state *st = ctx;
    struct fz_stored_peek *pk = st->pk;
    if (key_is(k, kl, "level"))
        pk->whole = 1;
    if (*j->s != '"')
        return 1;
    if (key_is(k, kl, "id")) {
        fz_buf_reset(&pk->rid);
        st->id = 1;
        return jstring(j, &pk->rid);
    }
    if (key_is(k, kl, "ntitle")) {
        fz_buf_reset(&pk->ntitle);
        pk->has_ntitle = 1;
        return jstring(j, &pk->ntitle);
    }
    return 1;
}

static int peek_top(struct jr *j, const char *k, size_t kl, void *ctx)
{
    if (*j->s == '{' && key_is(k, kl, "p"))
        return jobject(j, 1, peek_p, ctx);
    if (*j->s == '{' && key_is(k, kl, "r"))
        return jobject(j, 1, peek_r, ctx);
    return 1;
}

int fz_stored_peek(const char *data, size_t len, struct fz_stored_peek *pk)
{
    int rc = fz_codec_unpack(data, len, &pk->plain, &data, &len);
    if (rc != FZ_OK)
        return rc;
    struct jr j = { data, data + len, 0 };
    struct peek_state st = { pk, 0, 0, 0 };
    fz_buf_reset(&pk->norm);
    fz_buf_reset(&pk->rid);
    fz_buf_reset(&pk->ntitle);
    pk->whole = pk->has_ntitle = 0;
    jws(&j);
    rc = jobject(&j, 0, peek_top, &st);
    if (rc == FZ_ENOMEM)
        return FZ_ENOMEM;
    jws(&j);
    if (rc != 0 || j.bad || j.s != j.end || !(st.text || st.norm) || !st.id)
        return FZ_EINVAL;
    return FZ_OK;
}

void fz_stored_peek_release(struct fz_stored_peek *pk)
{
    fz_buf_release(&pk->norm);
    fz_buf_release(&pk->rid);
    fz_buf_release(&pk->ntitle);
    fz_buf_release(&pk->plain);
    pk->whole = pk->has_ntitle = 0;
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
