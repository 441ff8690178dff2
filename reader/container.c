#include "reader/container.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "base/fz.h"
#include "reader/extract.h"

struct fz_zip {
    zip_t *zip;
};

struct fz_xml {
    xmlTextReaderPtr r;
    zip_file_t *f;
    char *name;             /* the member, for messages */
    size_t read;            /* inflated bytes so far */
    int too_big, zip_error;
    char *error;            /* libxml2's first error, one line */
    struct fz_buf attr[4];
    unsigned next_attr;
};

int fz_zip_open(const char *bytes, size_t len, struct fz_zip **out,
                char **errptr)
{
    zip_error_t ze;
    zip_error_init(&ze);
    *out = NULL;
    struct fz_zip *z = calloc(1, sizeof *z);
    if (z == NULL)
        return FZ_ENOMEM;
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    if (src == NULL) {
        free(z);
        zip_error_fini(&ze);
        return FZ_ENOMEM;
    }
    /* no ZIP_CHECKCONS: editors write small inconsistencies that Word
     * and WPS accept, and every member read is bounded anyway */
    z->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (z->zip == NULL) {
        int code = zip_error_code_zip(&ze);
        fz_set_error(errptr, "%s",
                     code == ZIP_ER_NOZIP ? "not a zip archive, or a truncated one"
                     : code == ZIP_ER_MEMORY ? "out of memory"
                     : zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        free(z);
        return code == ZIP_ER_MEMORY ? FZ_ENOMEM : FZ_EUNREADABLE;
    }
    zip_error_fini(&ze);
    *out = z;
    return FZ_OK;
}

void fz_zip_close(struct fz_zip *z)
{
    if (z == NULL)
        return;
    zip_discard(z->zip);
    free(z);
}

static zip_int64_t locate(struct fz_zip *z, const char *name)
{
    while (*name == '/')
        name++;
    return zip_name_locate(z->zip, name, ZIP_FL_NOCASE);
}

int fz_zip_has(struct fz_zip *z, const char *name)
{
    return locate(z, name) >= 0;
}

/* Open member name after checking its declared size against max. */
static int open_member(struct fz_zip *z, const char *name, size_t max,
                       zip_file_t **out, char **errptr)
{
    zip_int64_t i = locate(z, name);
    zip_stat_t st;
    *out = NULL;
    if (i < 0) {
        fz_set_error(errptr, "no %s in the archive", name);
        return FZ_EUNREADABLE;
    }
    zip_stat_init(&st);
    if (zip_stat_index(z->zip, (zip_uint64_t)i, 0, &st) != 0) {
        fz_set_error(errptr, "%s: %s", name, zip_strerror(z->zip));
        return FZ_EUNREADABLE;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > max) {
        fz_set_error(errptr, "%s inflates to %llu bytes, more than %zu",
                     name, (unsigned long long)st.size, max);
        return FZ_EUNREADABLE;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD)
        && st.encryption_method != ZIP_EM_NONE) {
        fz_set_error(errptr, "%s is encrypted", name);
        return FZ_EUNREADABLE;
    }
    *out = zip_fopen_index(z->zip, (zip_uint64_t)i, 0);
    if (*out == NULL) {
        fz_set_error(errptr, "%s: %s", name, zip_strerror(z->zip));
        return FZ_EUNREADABLE;
    }
    return FZ_OK;
}

int fz_zip_read(struct fz_zip *z, const char *name, size_t max,
                struct fz_buf *out, char **errptr)
{
    zip_file_t *f = NULL;
    size_t got = 0;
    if (max > FZ_EXTRACT_MAX_MEMBER)
        max = FZ_EXTRACT_MAX_MEMBER;
    int rc = open_member(z, name, max, &f, errptr);
    while (rc == FZ_OK) {
        char chunk[16384];
        zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
        if (n < 0) {
            fz_set_error(errptr, "%s: %s", name, zip_file_strerror(f));
            rc = FZ_EUNREADABLE;
        } else if (n == 0) {
            break;
        } else if ((got += (size_t)n) > max) {
            /* the declared size lied: a zip bomb, stopped by counting */
            fz_set_error(errptr, "%s inflates past %zu bytes", name, max);
            rc = FZ_EUNREADABLE;
        } else {
            rc = fz_buf_append(out, chunk, (size_t)n);
        }
    }
    if (f)
        zip_fclose(f);
    return rc;
}

static int xml_read(void *ctx, char *buf, int len)
{
    struct fz_xml *x = ctx;
    zip_int64_t n = zip_fread(x->f, buf, (zip_uint64_t)len);
    if (n < 0) {
        x->zip_error = 1;
        return -1;
    }
    x->read += (size_t)n;
    if (x->read > FZ_EXTRACT_MAX_MEMBER) {
        x->too_big = 1;
        return -1;
    }
    return (int)n;
}

static int xml_close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2's first message, kept as one line */
static void xml_error(void *ctx, xmlErrorPtr e)
{
    struct fz_xml *x = ctx;
    if (x->error || e == NULL || e->message == NULL)
        return;
    x->error = strdup(e->message);
    if (x->error)
        for (char *p = x->error; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
    if (x->error) {
        size_t n = strlen(x->error);
        while (n > 0 && x->error[n - 1] == ' ')
            x->error[--n] = '\0';
    }
}

int fz_zip_xml_open(struct fz_zip *z, const char *name, struct fz_xml **out,
                    char **errptr)
{
    *out = NULL;
    struct fz_xml *x = calloc(1, sizeof *x);
    if (x == NULL || (x->name = strdup(name)) == NULL) {
        free(x);
        return FZ_ENOMEM;
    }
    int rc = open_member(z, name, FZ_EXTRACT_MAX_MEMBER, &x->f, errptr);
    if (rc != FZ_OK) {
        fz_xml_close(x);
        return rc;
    }
    /* no NOENT (entities are not substituted), no DTDLOAD, no network;
     * no HUGE, so libxml2's own limits stay too */
    x->r = xmlReaderForIO(xml_read, xml_close_cb, x, NULL, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR
                          | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (x->r == NULL) {
        /* an empty member: xmlReaderForIO() reads ahead and gives up */
        fz_set_error(errptr, "%s: empty or not XML", name);
        fz_xml_close(x);
        return FZ_EUNREADABLE;
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, xml_error, x);
    *out = x;
    return FZ_OK;
}

int fz_xml_next(struct fz_xml *x, char **errptr)
{
    int rc = xmlTextReaderRead(x->r);
    if (rc == 1 && xmlTextReaderDepth(x->r) > FZ_EXTRACT_MAX_DEPTH)
        goto deep;
    if (rc >= 0)
        return rc;
    if (x->too_big) {
        fz_set_error(errptr, "%s inflates past %u bytes", x->name,
                     FZ_EXTRACT_MAX_MEMBER);
    } else if (x->zip_error) {
        fz_set_error(errptr, "%s: %s", x->name, zip_file_strerror(x->f));
    } else if (x->error && strstr(x->error, "depth")) {
        goto deep;  /* libxml2's own nesting limit came first */
    } else {
        fz_set_error(errptr, "%s: not well-formed XML (line %d: %s)",
                     x->name, xmlTextReaderGetParserLineNumber(x->r),
                     x->error ? x->error : "unexpected end");
    }
    return -FZ_EUNREADABLE;
deep:
    fz_set_error(errptr, "%s: XML nested deeper than %d levels", x->name,
                 FZ_EXTRACT_MAX_DEPTH);
    return -FZ_EUNREADABLE;
}

xmlTextReaderPtr fz_xml_reader(struct fz_xml *x)
{
    return x->r;
}

const char *fz_xml_attr(struct fz_xml *x, const char *local)
{
    const char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(x->r) != 1)
        return NULL;
    do {
        const char *ln = (const char *)xmlTextReaderConstLocalName(x->r);
        if (ln && strcmp(ln, local) == 0) {
            struct fz_buf *b = &x->attr[x->next_attr++ % 4];
            const char *val = (const char *)xmlTextReaderConstValue(x->r);
            fz_buf_reset(b);
            if (val && fz_buf_appends(b, val) == FZ_OK)
                v = fz_buf_cstr(b);
            else if (val && *val == '\0')
                v = "";
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(x->r) == 1);
    xmlTextReaderMoveToElement(x->r);
    return v;
}

void fz_xml_close(struct fz_xml *x)
{
    if (x == NULL)
        return;
    if (x->r)
        xmlFreeTextReader(x->r);
    if (x->f)
        zip_fclose(x->f);
    for (int i = 0; i < 4; i++)
        fz_buf_release(&x->attr[i]);
    free(x->error);
    free(x->name);
    free(x);
}

int fz_zip_resolve(const char *base, const char *loc, struct fz_buf *out)
{
    struct fz_buf path = FZ_BUF_INIT;
    int rc = FZ_OK;
    fz_buf_reset(out);
    if (loc[0] != '/') {
        const char *slash = strrchr(base, '/');
        if (slash)
            rc = fz_buf_append(&path, base, (size_t)(slash - base + 1));
    }
    if (rc == FZ_OK)
        rc = fz_buf_appends(&path, loc);
    /* fold the segments: empty and "." vanish, ".." drops one */
    const char *s = fz_buf_cstr(&path);
    size_t n = path.len, i = 0;
    while (rc == FZ_OK && i < n) {
        size_t e = i;
        while (e < n && s[e] != '/' && s[e] != '\\')
            e++;
        size_t sl = e - i;
        if (sl == 0 || (sl == 1 && s[i] == '.')) {
            /* nothing */
        } else if (sl == 2 && s[i] == '.' && s[i + 1] == '.') {
            char *last = out->len ? memrchr(out->data, '/', out->len) : NULL;
            out->len = last ? (size_t)(last - out->data) : 0;
            if (out->data)
                out->data[out->len] = '\0';
        } else {
            if (out->len)
                rc = fz_buf_appendc(out, '/');
            if (rc == FZ_OK)
                rc = fz_buf_append(out, s + i, sl);
        }
        i = e + 1;
    }
    fz_buf_release(&path);
    return rc;
}
