#include "reader/report.h"
#include "reader/extract.h"
#include "base/fz.h"
#include "text/html.h"
#include "base/utf8.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fz_textctx_open(struct fz_textctx *tc, struct fz_regions *regions,
                    char **errptr)
{
    memset(tc, 0, sizeof *tc);
    tc->regions = regions;
    if (regions == NULL) {
        tc->regions = fz_regions_open(errptr);
        if (tc->regions == NULL)
            return FZ_ENOMEM;
        tc->own_regions = 1;
    }
    /* OpenCC loaded now, not by the first text that needs it: nearly
     * every report does, and a missing OpenCC is then one error at the
     * start, not one a file */
    tc->norm = fz_norm_open(errptr);
    if (tc->norm == NULL || fz_norm_load(tc->norm, errptr) != FZ_OK) {
        fz_textctx_close(tc);
        return FZ_EINVAL;
    }
    return FZ_OK;
}

void fz_textctx_close(struct fz_textctx *tc)
{
    if (tc == NULL)
        return;
    fz_norm_close(tc->norm);
    if (tc->own_regions)
        fz_regions_close(tc->regions);
    memset(tc, 0, sizeof *tc);
}

static int parse(struct fz_textctx *tc, const char *bytes, size_t len,
                 int html, const struct fz_meta_given *given,
                 const char *fallback_title, struct fz_report **out,
                 char **errptr)
{
    struct fz_buf utf8 = FZ_BUF_INIT, text = FZ_BUF_INIT;
    struct fz_cleaned cl = { FZ_BUF_INIT, NULL, 0, 0 };
    char *metaerr = NULL, *htitle = NULL;
    struct fz_report *r = calloc(1, sizeof *r);
    int rc = FZ_ENOMEM;
    *out = NULL;
    if (r == NULL)
        goto out;
    rc = fz_decode_to_utf8(bytes, len, &utf8, &r->decoded, errptr);
    if (rc != FZ_OK)
        goto out;
    if (html) {
        rc = fz_html_to_text(fz_buf_cstr(&utf8), utf8.len, &text, &htitle,
                             errptr);
        if (rc != FZ_OK)
            goto out;
        fz_buf_release(&utf8);
        utf8 = text;
        text = (struct fz_buf)FZ_BUF_INIT;
        if (htitle)
            fallback_title = htitle;
    }
    rc = fz_clean_run(fz_buf_cstr(&utf8), utf8.len, &cl, errptr);
    if (rc != FZ_OK)
        goto out;
    r->n_pinyin = cl.n_pinyin;
    for (size_t k = 0; k < cl.n_lines; k++)
        if (cl.lines[k].kind == FZ_LINE_BOILER
            && (fz_buf_append(&r->dropped, cl.text.data + cl.lines[k].off,
                              cl.lines[k].len + 1) != FZ_OK)) {
            rc = FZ_ENOMEM;
            goto out;
        }
    rc = fz_seg_run(&cl, 0, &r->passages, errptr);
    if (rc != FZ_OK)
        goto out;
    rc = fz_meta_extract(tc->norm, tc->regions, &cl, &r->passages, given,
                         fallback_title, &r->meta, &metaerr);
    if (rc == FZ_ENOMEM)
        goto out;
    r->norm = calloc(r->passages.n ? r->passages.n : 1, sizeof *r->norm);
    rc = FZ_ENOMEM;
    if (r->norm == NULL)
        goto out;
    for (size_t i = 0; i < r->passages.n; i++) {
        rc = fz_norm_run(tc->norm, r->passages.v[i].text,
                         r->passages.v[i].len, &r->norm[i], errptr);
        if (rc != FZ_OK)
            goto out;
    }
    /* warnings: what decoding replaced, a given value we could not use */
    char *dec = fz_decoded_describe(&r->decoded);
    if (dec && metaerr) {
        if (asprintf(&r->warning, "%s; %s", dec, metaerr) < 0)
            r->warning = NULL;
        free(dec);
    } else {
        r->warning = dec ? dec : metaerr;
        if (!dec)
            metaerr = NULL;
    }
    rc = FZ_OK;
out:
    if (rc != FZ_OK) {
        if (rc == FZ_ENOMEM)
            fz_set_error(errptr, "out of memory");
        fz_report_free(r);
        r = NULL;
    }
    *out = r;
    free(metaerr);
    free(htitle);
    fz_cleaned_release(&cl);
    fz_buf_release(&text);
    fz_buf_release(&utf8);
    return rc;
}

int fz_report_parse(struct fz_textctx *tc, const char *bytes, size_t len,
                    const struct fz_meta_given *given,
                    const char *fallback_title, struct fz_report **out,
                    char **errptr)
{
    return parse(tc, bytes, len, 0, given, fallback_title, out, errptr);
}

int fz_report_parse_html(struct fz_textctx *tc, const char *bytes,
                         size_t len, const struct fz_meta_given *given,
                         const char *fallback_title, struct fz_report **out,
                         char **errptr)
{
    return parse(tc, bytes, len, 1, given, fallback_title, out, errptr);
}

/* A document-info title that says nothing of the report: an editor's
 * default, a file name, or a genre name any report could carry. */
static int generic_title(const char *t)
{
    static const char *const w[] = {
        "Microsoft Word", "Microsoft", "WPS", "文档", "Document", "Untitled",
        "无标题", "新建", ".doc", ".docx", ".pdf", ".wps",
    };
    static const char *const whole[] = {
        "政府信息公开工作年度报告", "法治政府建设年度报告", "年度报告",
        "工作报告", "报告",
    };
    size_t n = strlen(t), han = 0;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strstr(t, w[i]))
            return 1;
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        if (strcmp(t, whole[i]) == 0)
            return 1;
    for (size_t i = 0; i < n;)
        han += fz_is_han(fz_utf8_next(t, n, &i, NULL));
    return han < 4;
}

int fz_report_parse_extract(struct fz_textctx *tc,
                            const struct fz_extract *ex,
                            const struct fz_meta_given *given,
                            const char *fallback_title,
                            struct fz_report **out, char **errptr)
{
    if (ex->title && !generic_title(ex->title))
        fallback_title = ex->title;
    int rc = parse(tc, fz_buf_cstr(&ex->text), ex->text.len, 0, given,
                   fallback_title, out, errptr);
    if (rc == FZ_OK) {
        (*out)->pages = ex->pages;
        (*out)->ocr_pages = ex->ocr_pages;
    }
    if (rc == FZ_OK && (*out)->meta.date[0] == '\0' && ex->date
        && strlen(ex->date) == 10) {
        memcpy((*out)->meta.date, ex->date, 11);
    }
    return rc;
}

void fz_report_free(struct fz_report *r)
{
    if (r == NULL)
        return;
    if (r->norm)
        for (size_t i = 0; i < r->passages.n; i++)
            fz_normed_release(&r->norm[i]);
    free(r->norm);
    fz_passages_release(&r->passages);
    fz_meta_release(&r->meta);
    free(r->warning);
    fz_buf_release(&r->dropped);
    free(r);
}

/* The deepest nesting of JSON text s[0,len), by its brackets outside
 * strings, counted before parsing: cJSON recurses once per level, so a
 * line of a million '[' must be refused before it is parsed.  Stops
 * counting past FZ_RECORD_MAX_DEPTH. */
static int json_depth(const char *s, size_t len)
{
    int depth = 0, deepest = 0, in_str = 0;
    for (size_t i = 0; i < len && deepest <= FZ_RECORD_MAX_DEPTH; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest)
                deepest = depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

/* A given value as the report's metadata, which is valid UTF-8.  JSON is
 * UTF-8 (RFC 8259), but cJSON passes any bytes through, and .jsonl files
 * saved in GBK exist: a value that is not UTF-8 is decoded as a file
 * would be (text/decode.h: GB18030 when it reads as that, else U+FFFD
 * for each bad byte).  FZ_OK with *out malloc'd, or NULL when nothing is
 * left (a UTF-16 byte order mark alone); FZ_EINVAL when it looks binary
 * (*errptr names key); FZ_ENOMEM. */
static int given_string(const char *key, const char *v, char **out,
                        char **errptr)
{
    size_t len = strlen(v);
    if (fz_utf8_valid(v, len))
        return (*out = strdup(v)) ? FZ_OK : FZ_ENOMEM;
    struct fz_buf b = FZ_BUF_INIT;
    struct fz_decoded info;
    int rc = fz_decode_to_utf8(v, len, &b, &info, NULL);
    if (rc == FZ_EINVAL)
        fz_set_error(errptr, "\"%s\" is not text", key);
    if (rc == FZ_OK && b.len > 0 && (*out = fz_buf_detach(&b, NULL)) == NULL)
        rc = FZ_ENOMEM;
    fz_buf_release(&b);
    return rc;
}

static int parse_record(const char *line, size_t len, int need_text,
                        struct fz_record *out, char **errptr)
{
    static const char *const keys[] = {
        "title", "url", "date", "issuer", "region", "level", "source",
    };
    memset(out, 0, sizeof *out);
    if (len > FZ_RECORD_MAX_BYTES) {
        fz_set_error(errptr, "record of %.1f MiB, larger than a report may "
                     "be (%u MiB)", (double)len / (1 << 20),
                     FZ_RECORD_MAX_BYTES >> 20);
        return FZ_EINVAL;
    }
    if (json_depth(line, len) > FZ_RECORD_MAX_DEPTH) {
        fz_set_error(errptr, "nested deeper than %d levels",
                     FZ_RECORD_MAX_DEPTH);
        return FZ_EINVAL;
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    /* cJSON stops after the first value; what follows must be space */
    while (j != NULL && end < line + len && *end && strchr(" \t\r\n", *end))
        end++;
    if (j == NULL || end < line + len) {
        cJSON_Delete(j);
        fz_set_error(errptr, "not valid JSON");
        return FZ_EINVAL;
    }
    int rc = FZ_EINVAL;
    if (!cJSON_IsObject(j)) {
        fz_set_error(errptr, "not a JSON object");
        goto out;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
    if (!cJSON_IsString(t))
        t = cJSON_GetObjectItemCaseSensitive(j, "content");
    if (!cJSON_IsString(t) && need_text) {
        fz_set_error(errptr, "no \"text\" or \"content\" string");
        goto out;
    }
    rc = FZ_ENOMEM;
    if (cJSON_IsString(t)) {
        if ((out->text = strdup(t->valuestring)) == NULL)
            goto out;
        out->len = strlen(out->text);
    }
    const char **dst[] = {
        &out->given.title, &out->given.url, &out->given.date,
        &out->given.issuer, &out->given.region, &out->given.level,
        &out->given.source,
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[k]);
        if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
            continue;
        rc = given_string(keys[k], v->valuestring, &out->strings[k], errptr);
        if (rc != FZ_OK)
            goto out;
        *dst[k] = out->strings[k];
    }
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(j, "year");
    if (cJSON_IsNumber(y))
        out->given.year = y->valueint;
    else if (cJSON_IsString(y))
        out->given.year = atoi(y->valuestring);
    if (out->given.year < 0 || out->given.year > 9999)
        out->given.year = 0;
    rc = FZ_OK;
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    if (rc != FZ_OK)
        fz_record_release(out);
    cJSON_Delete(j);
    return rc;
}

int fz_record_parse(const char *line, size_t len, struct fz_record *out,
                    char **errptr)
{
    return parse_record(line, len, 1, out, errptr);
}

int fz_sidecar_parse(const char *json, size_t len, struct fz_record *out,
                     char **errptr)
{
    return parse_record(json, len, 0, out, errptr);
}

void fz_record_release(struct fz_record *r)
{
    if (r == NULL)
        return;
    free(r->text);
    for (size_t k = 0; k < sizeof r->strings / sizeof r->strings[0]; k++)
        free(r->strings[k]);
    memset(r, 0, sizeof *r);
}

int fz_sidecar_load(const char *path, struct fz_buf *raw,
                    struct fz_record *out, char **errptr)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    struct fz_buf b = FZ_BUF_INIT;
    char *json = NULL, *err = NULL;
    int rc = 0;
    memset(out, 0, sizeof *out);
    if (dot == NULL || (slash && dot < slash))
        return 0;
    if (asprintf(&json, "%.*s.json", (int)(dot - path), path) < 0) {
        fz_set_error(errptr, "out of memory");
        return -1;
    }
    if (fz_buf_read_file_max(&b, json, FZ_RECORD_MAX_BYTES) != 0) {
        if (errno == ELOOP) {
            fz_set_error(errptr, "%s: symbolic link, not followed", json);
            rc = -1;
        } else if (errno == EFBIG) {
            fz_set_error(errptr, "%s: larger than a record may be (%u MiB)",
                         json, FZ_RECORD_MAX_BYTES >> 20);
            rc = -1;
        } else if (errno == EINVAL || errno == EISDIR) {
            fz_set_error(errptr, "%s: not a regular file", json);
            rc = -1;
        } else if (errno != ENOENT) {
            fz_set_error(errptr, "%s: %s", json, strerror(errno));
            rc = -1;
        }
    } else if (fz_sidecar_parse(fz_buf_cstr(&b), b.len, out, &err)
               != FZ_OK) {
        fz_set_error(errptr, "%s: %s", json, err ? err : "unusable");
        rc = -1;
    } else if (raw && fz_buf_append(raw, fz_buf_cstr(&b), b.len) != FZ_OK) {
        fz_record_release(out);
        fz_set_error(errptr, "out of memory");
        rc = -1;
    } else {
        rc = 1;
    }
    free(err);
    free(json);
    fz_buf_release(&b);
    return rc;
}
