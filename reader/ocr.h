/* reader/ocr.h - the lines of a page image, read by Tesseract.
 *
 * Promise: fz_ocr_page() recognises a grey page image with libtesseract
 *          and Debian's chi_sim + chi_tra models and hands back its text
 *          lines with their boxes, in Tesseract's reading order, spaces
 *          between two CJK characters removed (Tesseract puts one between
 *          many Han characters, which printed Chinese never has).
 * Memory:  the caller owns struct fz_ocr_lines (fz_ocr_lines_release())
 *          and the handle (fz_ocr_close()).
 * Threads: a handle is one thread's; handles share nothing. */
#ifndef FZ_OCR_H
#define FZ_OCR_H

#include <stddef.h>

#include "base/buf.h"

struct fz_ocr;                                  /* opaque */

struct fz_ocr_line {
    size_t off, len;            /* bytes into fz_ocr_lines.text */
    int x1, y1, x2, y2;         /* pixels, y downwards, half-open */
};

struct fz_ocr_lines {
    struct fz_buf text;         /* the lines' UTF-8, one after another */
    struct fz_ocr_line *v;
    size_t n;
};

/* Load the models (a second or so).  NULL with *errptr set when the
 * models are missing. */
struct fz_ocr *fz_ocr_open(char **errptr);
void fz_ocr_close(struct fz_ocr *o);            /* NULL: does nothing */

/* Recognise gray[0, h*stride) (8 bits a pixel, 0 black) of w x h pixels
 * scanned at ppi into out (appended).  FZ_OK, FZ_EUNREADABLE (Tesseract
 * failed) or FZ_ENOMEM. */
int fz_ocr_page(struct fz_ocr *o, const unsigned char *gray, int w, int h,
                int stride, int ppi, struct fz_ocr_lines *out,
                char **errptr);
void fz_ocr_lines_release(struct fz_ocr_lines *l);

#endif
