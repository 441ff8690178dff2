/* indexer/document.c - see indexer/document.h.
 *
 * The stored record of a passage and of its report is store/stored.h's:
 * build_report() hands it what it writes. */
#include "indexer/document.h"

#include "base/fz.h"
#include "meta/meta.h"
#include "reader/read.h"
#include "store/schema.h"
#include "store/stored.h"
#include "text/normalize.h"
#include "text/token.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- passages to documents -------------------------------------------- */

struct term_ctx {
    fzx_doc *doc;
    const char *prefix;
    int rc;
};

static int add_token(void *ctx, const struct fz_token *t)
{
    struct term_ctx *tc = ctx;
    char term[FZ_TOKEN_MAX_BYTES + 8];
    size_t pl = strlen(tc->prefix);
    memcpy(term, tc->prefix, pl);
    memcpy(term + pl, t->term, t->len);
    tc->rc = fzx_doc_add_term(tc->doc, term, pl + t->len, 1);
    return tc->rc;
}

static int add_tokens(fzx_doc *d, const char *prefix, const char *s)
{
    struct term_ctx tc = { d, prefix, 0 };
    fz_tokenize(s, strlen(s), 0, add_token, &tc, NULL);
    return tc.rc;
}

static int add_bool(fzx_doc *d, const char *prefix, const char *v)
{
    char term[256];
    int n = snprintf(term, sizeof term, "%s%s", prefix, v);
    if (n < 0 || (size_t)n >= sizeof term)
        return FZ_EINVAL;
    return fzx_doc_add_boolean(d, term, (size_t)n);
}

int fz_document_terms(fzx_doc *d, const struct fz_doc_terms *t)
{
    int rc = add_tokens(d, "", t->norm);
    for (size_t k = 0; rc == FZ_OK && k < t->n_section; k++)
        rc = add_tokens(d, FZ_PREFIX_SECTION, t->section[k]);
    if (rc == FZ_OK && t->ntitle)
        rc = add_tokens(d, FZ_PREFIX_TITLE, t->ntitle);
    if (rc == FZ_OK)
        rc = add_bool(d, FZ_PREFIX_REPORT, t->rid);
    if (rc == FZ_OK)
        rc = add_bool(d, FZ_PREFIX_LEVEL, t->level);
    if (rc == FZ_OK && t->year) {
        char year[8];
        snprintf(year, sizeof year, "%04d", t->year);
        rc = add_bool(d, FZ_PREFIX_YEAR, year);
    }
    const char *code = t->code ? t->code : "";
    for (size_t l = 2; rc == FZ_OK && l <= strlen(code); l++) {
        if (l != 2 && l != 4 && l != 6 && l != 9)
            continue;
        char pre[16];
        snprintf(pre, sizeof pre, "%.*s", (int)l, code);
        rc = add_bool(d, FZ_PREFIX_REGION, pre);
    }
    return rc;
}

int fz_document_fold_sections(struct fz_norm *norm, char *const *section,
                              size_t n, const char *src[4], char *out[4])
{
    /* consecutive passages share their headings: fold each once */
    for (size_t k = 0; k < n && k < 4; k++) {
        if (src[k] && strcmp(src[k], section[k]) == 0)
            continue;
        free(out[k]);
        src[k] = section[k];
        out[k] = fz_norm_str(norm, section[k], strlen(section[k]));
        if (out[k] == NULL) {
            src[k] = NULL;
            return FZ_ENOMEM;
        }
    }
    return FZ_OK;
}

void fz_item_warn(const struct fz_run *run, struct fz_item *it,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fz_buf_appendf(&it->msgs, "%s: ", run->prog);
    fz_buf_vappendf(&it->msgs, fmt, ap);
    fz_buf_appendc(&it->msgs, '\n');
    va_end(ap);
}

void fz_item_release(struct fz_item *it)
{
    for (size_t i = 0; i < it->nr; i++) {
        for (size_t k = 0; k < it->r[i].n; k++)
            fzx_doc_free(it->r[i].d[k].doc);
        free(it->r[i].d);
    }
    free(it->r);
    fz_buf_release(&it->msgs);
    it->r = NULL;
    it->nr = 0;
}




/* Build the documents of one report (store/schema.h).  The first passage
 * carries the whole report record; the others only its id. */
static int build_report(struct fz_item *it, struct fz_textctx *tc,
                        const struct fz_codec *codec,
                        const struct fz_report *r, const char *path,
                        char **errptr)
{
    struct fz_prep *pr = realloc(it->r, (it->nr + 1) * sizeof *pr);
    if (pr == NULL)
        return FZ_ENOMEM;
    it->r = pr;
    pr = &it->r[it->nr++];
    memset(pr, 0, sizeof *pr);
    uint64_t h = FZ_HASH64_INIT;
    for (size_t i = 0; i < r->passages.n; i++)
        h = fz_report_id_add(h, fz_buf_cstr(&r->norm[i].text));
    fz_id_hex(h, pr->rid);
    pr->d = calloc(r->passages.n, sizeof *pr->d);
    if (pr->d == NULL)
        return FZ_ENOMEM;
    const char *rid = pr->rid;
    char *ntitle = r->meta.title ? fz_norm_str(tc->norm, r->meta.title,
                                               strlen(r->meta.title)) : NULL;
    const char *paths[1] = { path };
    struct fz_stored_source src = { rid, &r->meta, ntitle, paths, 1,
                                    r->ocr_pages };
    struct fz_buf data = FZ_BUF_INIT;
    const char *sec_src[4] = { NULL, NULL, NULL, NULL };
    char *sec_norm[4] = { NULL, NULL, NULL, NULL };
    int rc = FZ_OK;
    for (size_t i = 0; rc == FZ_OK && i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        const char *norm = fz_buf_cstr(&r->norm[i].text);
        char year[8];
        fzx_doc *d = fzx_doc_new();
        pr->d[i].doc = d;
        pr->n = i + 1;
        fz_buf_reset(&data);
        rc = fz_stored_write(&data, &src, p, norm, i == 0);
        if (rc == FZ_OK && codec)
            rc = fz_codec_pack(codec, &data);
        if (rc == FZ_OK && d == NULL)
            rc = FZ_ENOMEM;
        if (rc == FZ_OK)
            rc = fz_document_fold_sections(tc->norm, p->section,
                                           p->n_section, sec_src, sec_norm);
        const char *code = r->meta.region.code;
        struct fz_doc_terms dt = {
            rid, norm, (const char *const *)sec_norm,
            p->n_section < 4 ? p->n_section : 4, ntitle,
            fz_level_name(r->meta.level), r->meta.year, code,
        };
        if (rc == FZ_OK)
            rc = fz_document_terms(d, &dt);
        snprintf(year, sizeof year, "%04d", r->meta.year);
        if (rc == FZ_OK && r->meta.year)
            rc = fzx_doc_set_value(d, FZ_SLOT_YEAR, year, 4);
        if (rc == FZ_OK && r->meta.date[0])
            rc = fzx_doc_set_value(d, FZ_SLOT_DATE, r->meta.date,
                                   strlen(r->meta.date));
        if (rc == FZ_OK)
            rc = fzx_doc_set_value(d, FZ_SLOT_REPORT, rid, strlen(rid));
        if (rc == FZ_OK) {
            char key[40];
            int n = snprintf(key, sizeof key, FZ_PASSAGE_KEY_FMT, rid,
                             p->ordinal);
            rc = fzx_doc_set_value(d, FZ_SLOT_PASSAGE, key, (size_t)n);
        }
        if (rc == FZ_OK) {
            char fv[64];
            int n = snprintf(fv, sizeof fv, FZ_FACETS_FMT, rid,
                             r->meta.year, fz_level_name(r->meta.level),
                             code[0] ? code : "-");
            rc = fzx_doc_set_value(d, FZ_SLOT_FACETS, fv, (size_t)n);
        }
        if (rc == FZ_OK)
            rc = fzx_doc_set_data(d, data.data, data.len);
        else if (errptr && !*errptr)
            fz_set_error(errptr, "cannot build passage %zu", p->ordinal);
    }
    fz_buf_release(&data);
    it->passages += r->passages.n;
    for (size_t k = 0; k < 4; k++)
        free(sec_norm[k]);
    free(ntitle);
    return rc;
}

/* What fz_read() hands each report or bad record to. */
struct prep_ctx {
    struct fz_run *run;
    struct fz_item *it;
    struct fz_textctx *tc;
    const struct fz_file *f;
};

static int prepare_one(void *ctx, struct fz_read_item *ri)
{
    struct prep_ctx *c = ctx;
    struct fz_item *it = c->it;
    char where[PATH_MAX + 32], *err = NULL;
    if (ri->line)
        snprintf(where, sizeof where, "%s:%zu", c->f->path, ri->line);
    else
        snprintf(where, sizeof where, "%s", c->f->path);
    if (ri->report == NULL) {
        fz_item_warn(c->run, it, "%s: %s", where,
                     ri->error ? ri->error : "not readable");
        it->status = 1;
        return fz_run_interrupted(c->run) ? 1 : 0;
    }
    struct fz_report *r = ri->report;
    if (r->warning)
        fz_item_warn(c->run, it, "%s: %s", where, r->warning);
    if (r->passages.n == 0) {
        fz_item_warn(c->run, it, "%s: no text found, not indexed", where);
        it->status = 1;
    } else if (build_report(it, c->tc, c->run->codec, r, c->f->path,
                            &err) != FZ_OK) {
        fz_item_warn(c->run, it, "%s: %s", where,
                     err ? err : "out of memory");
        it->status = 2;
    }
    free(err);
    fz_report_free(r);
    if (it->status == 2)
        return 2;
    if (it->max_passages && it->passages >= it->max_passages)
        return 1;
    return fz_run_interrupted(c->run) ? 1 : 0;
}

void fz_document_prepare(struct fz_run *run, struct fz_item *it,
                         struct fz_textctx *tc, const struct fz_catalog *cat,
                         const struct fz_file *f, int shortcut)
{
    struct fz_buf raw = FZ_BUF_INIT, sraw = FZ_BUF_INIT;
    struct fz_record side;
    char *err = NULL;
    int have_side = 0;
    memset(&side, 0, sizeof side);
    it->old = fz_catalog_find(cat, f->path);
    /* the format sets how large the file may be; most files are within
     * a text report's bound whatever they are, so only a larger one has
     * its first bytes read on their own to tell */
    char head[4096];
    size_t hn = 0;
    if (f->size > (off_t)FZ_REPORT_MAX_BYTES) {
        FILE *hf = fopen(f->path, "rb");
        if (hf) {
            hn = fread(head, 1, sizeof head, hf);
            fclose(hf);
        }
    }
    enum fz_format fmt = f->size > (off_t)FZ_REPORT_MAX_BYTES
                         ? fz_format_sniff(head, hn, f->path)
                         : FZ_FMT_TEXT;
    int jsonl = fz_has_ext(f->path, ".jsonl") || fmt == FZ_FMT_JSONL;
    int text = fmt == FZ_FMT_TEXT || fmt == FZ_FMT_HTML;
    size_t max = jsonl ? FZ_JSONL_MAX_BYTES
               : text ? FZ_REPORT_MAX_BYTES : FZ_EXTRACT_MAX_FILE;
    if (fz_buf_read_file_max(&raw, f->path, max) != 0) {
        if (errno == EFBIG)
            fz_item_warn(run, it, "%s: file of %.1f MiB is larger than %s "
                         "may be (%zu MiB); not indexed", f->path,
                         (double)f->size / (1 << 20),
                         jsonl ? "a .jsonl file" : text ? "a report"
                         : "a document", max >> 20);
        else if (errno == EINVAL || errno == EISDIR || errno == ELOOP)
            fz_item_warn(run, it, "%s: no longer a regular file", f->path);
        else
            fz_item_warn(run, it, "%s: %s", f->path, strerror(errno));
        it->status = 1;
        goto out;
    }
    if (!jsonl)
        jsonl = fz_format_sniff(raw.data, raw.len, f->path) == FZ_FMT_JSONL;
    have_side = jsonl ? 0 : fz_sidecar_load(f->path, &sraw, &side, &err);
    if (have_side < 0) {
        fz_item_warn(run, it, "%s", err);
        it->status = 1;
        goto out;
    }
    uint64_t h = fz_hash64(raw.data ? raw.data : "", raw.len, FZ_HASH64_INIT);
    h = fz_hash64(sraw.data ? sraw.data : "", sraw.len, h);
    h = fz_hash64(FZ_SCHEMA_VERSION, 1, h);
    h = fz_hash64(FZ_PIPELINE_VERSION, strlen(FZ_PIPELINE_VERSION), h);
    snprintf(it->hash, sizeof it->hash, "%016llx", (unsigned long long)h);
    if (it->old && strcmp(it->old->hash, it->hash) == 0) {
        it->unchanged = 1;
        goto out;
    }
    /* the same bytes at another path: moved or copied, not read again */
    if (shortcut
        && (it->known = fz_catalog_find_hash(cat, it->hash, f->path)))
        goto out;
    struct prep_ctx c = { run, it, tc, f };
    int rc = fz_read(tc, fz_buf_cstr(&raw), raw.len, f->path,
                     have_side ? &side.given : NULL, &run->extract, prepare_one,
                     &c, &err);
    if (rc == FZ_ENOMEM) {
        fz_item_warn(run, it, "%s: out of memory", f->path);
        it->status = 2;
    } else if (rc != FZ_OK && rc != 1 && rc != 2) {
        /* the file as a whole: binary, encrypted, scanned, damaged */
        fz_item_warn(run, it, "%s: %s", f->path, err ? err : "not readable");
        it->status = 1;
    }
out:
    free(err);
    fz_record_release(&side);
    fz_buf_release(&sraw);
    fz_buf_release(&raw);
}
