/* reader/read.c - one file of any format into reports (read.h). */
#include "reader/read.h"
#include "base/fz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's name without its folder and extension: the title of last
 * resort, as a reader of the folder would name the report. */
static char *base_title(const char *name)
{
    if (name == NULL)
        return NULL;
    const char *b = strrchr(name, '/');
    char *t = strdup(b ? b + 1 : name);
    char *dot = t ? strrchr(t, '.') : NULL;
    if (dot && dot != t)
        *dot = '\0';
    return t;
}

static int jsonl(struct fz_textctx *tc, const char *s, size_t len,
                 fz_read_fn fn, void *ctx)
{
    size_t i = 0, lineno = 0;
    int rc = FZ_OK;
    while (rc == FZ_OK && i < len) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        lineno++;
        struct fz_read_item it = { lineno, NULL, NULL, FZ_FMT_JSONL, 0, 0 };
        struct fz_record rec;
        char *err = NULL;
        size_t l = e - i;
        if (l > 0 && s[i + l - 1] == '\r')
            l--;
        if (l == 0) {
            i = e + 1;
            continue;
        }
        int r = fz_record_parse(s + i, l, &rec, &err);
        if (r == FZ_OK) {
            r = fz_report_parse(tc, rec.text, rec.len, &rec.given, NULL,
                                &it.report, &err);
            fz_record_release(&rec);
        }
        if (r == FZ_ENOMEM) {
            free(err);
            return FZ_ENOMEM;
        }
        it.error = r == FZ_OK ? NULL : err ? err : fz_strerror(r);
        rc = fn(ctx, &it);
        free(err);
        i = e + 1;
    }
    return rc;
}

int fz_read(struct fz_textctx *tc, const char *bytes, size_t len,
            const char *name, const struct fz_meta_given *given,
            const struct fz_extract_opts *o, fz_read_fn fn, void *ctx,
            char **errptr)
{
    enum fz_format f = fz_format_sniff(bytes, len, name);
    struct fz_read_item it = { 0, NULL, NULL, f, 0, 0 };
    struct fz_extract ex;
    char *title = NULL;
    int rc;
    memset(&ex, 0, sizeof ex);
    switch (f) {
    case FZ_FMT_JSONL:
        return jsonl(tc, bytes, len, fn, ctx);
    case FZ_FMT_UNKNOWN:
        fz_set_error(errptr, "binary file, not text");
        return FZ_EINVAL;
    case FZ_FMT_TEXT:
    case FZ_FMT_HTML:
        title = base_title(name);
        if (name && title == NULL)
            return FZ_ENOMEM;
        rc = (f == FZ_FMT_HTML ? fz_report_parse_html : fz_report_parse)(
            tc, bytes, len, given, title, &it.report, errptr);
        break;
    case FZ_FMT_PDF:
    case FZ_FMT_DOCX:
    case FZ_FMT_DOC:
    case FZ_FMT_OFD:
        rc = f == FZ_FMT_PDF ? fz_extract_pdf(bytes, len, o, &ex, errptr)
           : f == FZ_FMT_DOCX ? fz_extract_docx(bytes, len, &ex, errptr)
           : f == FZ_FMT_DOC ? fz_extract_doc(bytes, len, &ex, errptr)
           : fz_extract_ofd(bytes, len, &ex, errptr);
        if (rc != FZ_OK)
            break;
        title = base_title(name);
        it.pages = ex.pages;
        it.ocr_pages = ex.ocr_pages;
        rc = fz_report_parse_extract(tc, &ex, given, title, &it.report,
                                     errptr);
        break;
    case FZ_FMT_MHTML:
        /* the page inside, as HTML: read as a saved web page */
        rc = fz_extract_mhtml(bytes, len, &ex, errptr);
        if (rc != FZ_OK)
            break;
        title = base_title(name);
        rc = fz_report_parse_html(tc, fz_buf_cstr(&ex.text), ex.text.len,
                                  given, ex.title ? ex.title : title,
                                  &it.report, errptr);
        break;
    default:
        fz_set_error(errptr, "%s files are not read", fz_format_name(f));
        rc = FZ_EUNREADABLE;
        break;
    }
    if (rc == FZ_OK)
        rc = fn(ctx, &it);
    fz_extract_release(&ex);
    free(title);
    return rc;
}
