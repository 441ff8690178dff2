/* reader/ocr.c - page images through libtesseract (ocr.h). */
#include "reader/ocr.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

struct fz_ocr {
    TessBaseAPI *api;
};

struct fz_ocr *fz_ocr_open(char **errptr)
{
    struct fz_ocr *o = calloc(1, sizeof *o);
    if (o == NULL || (o->api = TessBaseAPICreate()) == NULL) {
        free(o);
        fz_set_error(errptr, "out of memory");
        return NULL;
    }
    /* Tesseract writes its debug chatter to stderr unless told where */
    TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
    if (TessBaseAPIInit3(o->api, NULL, "chi_sim+chi_tra") != 0) {
        fz_set_error(errptr, "cannot load the Tesseract models chi_sim "
                     "and chi_tra (Debian: tesseract-ocr-chi-sim, "
                     "tesseract-ocr-chi-tra)");
        fz_ocr_close(o);
        return NULL;
    }
    TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
    TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
    return o;
}

void fz_ocr_close(struct fz_ocr *o)
{
    if (o == NULL)
        return;
    if (o->api) {
        TessBaseAPIEnd(o->api);
        TessBaseAPIDelete(o->api);
    }
    free(o);
}

/* CJK characters and punctuation, between which a space is noise */
static int cjk(uint32_t c)
{
    return fz_is_han(c) || (c >= 0x3000 && c <= 0x303f)
           || (c >= 0xff00 && c <= 0xffef) || c == 0x201c || c == 0x201d
           || c == 0x2018 || c == 0x2019 || c == 0x2014 || c == 0x2026;
}

/* s (one line, trimmed of its newline) into out with the spaces between
 * two CJK characters removed */
static int close_up(const char *s, size_t len, struct fz_buf *out)
{
    size_t i = 0;
    uint32_t prev = 0;
    while (i < len) {
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (c == ' ') {
            size_t j = i;
            while (j < len && s[j] == ' ')
                j++;
            size_t k = j;
            uint32_t next = j < len ? fz_utf8_next(s, len, &k, NULL) : 0;
            if (prev == 0 || next == 0 || (cjk(prev) && cjk(next))) {
                i = j;
                continue;
            }
            if (fz_buf_appendc(out, ' ') != FZ_OK)
                return FZ_ENOMEM;
            i = j;
            continue;
        }
        if (c == '\n' || c == '\r')
            continue;
        if (fz_buf_append(out, s + at, i - at) != FZ_OK)
            return FZ_ENOMEM;
        prev = c;
    }
    return FZ_OK;
}

int fz_ocr_page(struct fz_ocr *o, const unsigned char *gray, int w, int h,
                int stride, int ppi, struct fz_ocr_lines *out,
                char **errptr)
{
    TessBaseAPISetImage(o->api, gray, w, h, 1, stride);
    TessBaseAPISetSourceResolution(o->api, ppi);
    if (TessBaseAPIRecognize(o->api, NULL) != 0) {
        TessBaseAPIClear(o->api);
        fz_set_error(errptr, "tesseract could not read a page");
        return FZ_EUNREADABLE;
    }
    int rc = FZ_OK;
    TessResultIterator *ri = TessBaseAPIGetIterator(o->api);
    if (ri == NULL)
        goto out;                       /* a page without text */
    do {
        char *t = TessResultIteratorGetUTF8Text(ri, RIL_TEXTLINE);
        int x1, y1, x2, y2;
        if (t == NULL)
            continue;
        if (TessPageIteratorBoundingBox(
                TessResultIteratorGetPageIteratorConst(ri), RIL_TEXTLINE,
                &x1, &y1, &x2, &y2)) {
            size_t off = out->text.len;
            rc = close_up(t, strlen(t), &out->text);
            if (rc == FZ_OK && out->text.len > off) {
                void *v = realloc(out->v, (out->n + 1) * sizeof *out->v);
                if (v == NULL) {
                    rc = FZ_ENOMEM;
                } else {
                    out->v = v;
                    out->v[out->n++] = (struct fz_ocr_line){
                        off, out->text.len - off, x1, y1, x2, y2 };
                }
            }
        }
        TessDeleteText(t);
    } while (rc == FZ_OK && TessResultIteratorNext(ri, RIL_TEXTLINE));
    TessResultIteratorDelete(ri);
out:
    TessBaseAPIClear(o->api);
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    return rc;
}

void fz_ocr_lines_release(struct fz_ocr_lines *l)
{
    if (l == NULL)
        return;
    fz_buf_release(&l->text);
    free(l->v);
    memset(l, 0, sizeof *l);
}
