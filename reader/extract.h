/* reader/extract.h - the text of a report file, whatever its format.
 *
 * Promise: fz_format_sniff() decides a file's format by its content (the
 *          name only breaks ties between text formats), and each
 *          fz_extract_*() reader turns the bytes of one format into what
 *          the text pipeline reads (text/clean.h): UTF-8 lines, one per
 *          paragraph, a form feed ('\f') where a page starts (at a
 *          paragraph boundary: a paragraph that runs over a page break is
 *          written whole, on the page it starts on), and headings a
 *          format marks by style (Word's Heading 1, 标题 2, OFD/PDF
 *          outlines) as FZ_CLEAN_HEADING_MARK followed by a level digit.
 *          Printed layout is repaired by the reader: hard-wrapped lines
 *          joined, letter-spaced lines closed up, running headers, footers
 *          and page numbers dropped, table rows kept as lines.  A file
 *          whose text cannot be had says why in one line (errptr) and
 *          returns FZ_EUNREADABLE; nothing is ever indexed as junk.
 * Bounds:  every reader stops at FZ_EXTRACT_MAX_TEXT bytes of text,
 *          FZ_EXTRACT_MAX_PAGES pages, and (zip containers) refuses
 *          members that inflate past FZ_EXTRACT_MAX_MEMBER bytes or XML
 *          nested deeper than FZ_EXTRACT_MAX_DEPTH; a child process (DOC,
 *          WPS) runs under a time limit with bounded output.
 * Memory:  the caller owns struct fz_extract; fz_extract_release() frees
 *          it (and is a harmless no-op on a zeroed one).
 * Threads: the readers share no state; call fz_extract_init() once in
 *          the main thread before any thread reads. */
#ifndef FZ_EXTRACT_H
#define FZ_EXTRACT_H

#include <stddef.h>

#include "base/buf.h"

#define FZ_EXTRACT_MAX_FILE   (256u << 20)  /* a PDF, DOCX, ... file (scans
                                               make large ones) */
#define FZ_EXTRACT_MAX_TEXT   (64u << 20)   /* bytes of text per file */
#define FZ_EXTRACT_MAX_PAGES  5000
#define FZ_EXTRACT_MAX_MEMBER (256u << 20)  /* one zip member, inflated */
#define FZ_EXTRACT_MAX_DEPTH  256           /* XML element nesting */
#define FZ_EXTRACT_CHILD_SECONDS 60         /* antiword/catdoc */

enum fz_format {
    FZ_FMT_UNKNOWN = 0, /* binary of no kind fz reads (image, archive) */
    FZ_FMT_TEXT,        /* plain text, any encoding decode.h handles */
    FZ_FMT_HTML,        /* a saved web page */
    FZ_FMT_JSONL,       /* JSON Lines, one report per line */
    FZ_FMT_PDF,
    FZ_FMT_DOCX,        /* Office Open XML word processing (.docx, .wps
                           saved by WPS as OOXML) */
    FZ_FMT_DOC,         /* OLE compound document: Word 97-2003 .doc and
                           WPS 文字 .wps */
    FZ_FMT_OFD,         /* GB/T 33190-2016 */
    FZ_FMT_MHTML,       /* a web page saved as one MIME file (.mht) */
};

/* The format of a file from its first bytes (at least 4096 when the file
 * has them) and its name (may be NULL).  Content wins: a .pdf that is
 * really HTML is FZ_FMT_HTML; a .txt that is a PDF is FZ_FMT_PDF. */
enum fz_format fz_format_sniff(const char *head, size_t len,
                               const char *name);
/* "pdf", "docx", ... for messages and JSON. */
const char *fz_format_name(enum fz_format f);

struct fz_extract_opts {
    int ocr;            /* read pages without a usable text layer with
                           Tesseract (chi_sim + chi_tra) */
};

struct fz_extract {
    struct fz_buf text;     /* the lines, as the Promise says */
    char *title;            /* the document's own title (first page or
                               document info), or NULL */
    char *date;             /* "YYYY-MM-DD" from document info, or NULL */
    unsigned pages;         /* pages read (0: the format has none) */
    unsigned ocr_pages;     /* pages read by OCR */
};

/* One-time set-up of the libraries the readers use (libxml2, gmime). */
void fz_extract_init(void);

/* Each reader: FZ_OK; FZ_EUNREADABLE with *errptr saying why in one line
 * (encrypted, no text layer, text layer without Unicode, corrupt, too
 * large, a member past the bounds); FZ_ENOMEM. */
int fz_extract_pdf(const char *bytes, size_t len,
                   const struct fz_extract_opts *o, struct fz_extract *out,
                   char **errptr);
int fz_extract_docx(const char *bytes, size_t len, struct fz_extract *out,
                    char **errptr);
int fz_extract_doc(const char *bytes, size_t len, struct fz_extract *out,
                   char **errptr);
int fz_extract_ofd(const char *bytes, size_t len, struct fz_extract *out,
                   char **errptr);
/* The page of an .mht file, as HTML in out->text (read it as a web
 * page). */
int fz_extract_mhtml(const char *bytes, size_t len, struct fz_extract *out,
                     char **errptr);

void fz_extract_release(struct fz_extract *e);

#endif
