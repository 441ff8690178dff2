/* reader/read.h - a report file of any format, read into reports.
 *
 * Promise: fz_read() decides the format of a file's bytes by their
 *          content (fz_format_sniff(); the name breaks ties), runs that
 *          format's reader (extract.h) and the text pipeline (report.h),
 *          and hands each report to a callback: one report for a report
 *          file, one a line for JSON Lines (a bad line is handed over
 *          with its reason, and the lines after it are read).  The
 *          indexer and fztext both read files through here, so they
 *          read every format alike.
 * Memory:  the callback owns each report it is handed (fz_report_free());
 *          the item itself and its strings are borrowed for the call.
 * Threads: as report.h: a struct fz_textctx is one thread's. */
#ifndef FZ_READ_H
#define FZ_READ_H

#include <stddef.h>

#include "reader/extract.h"
#include "reader/report.h"

struct fz_read_item {
    size_t line;                /* JSON Lines: the record's line (1, 2,
                                   ...); 0 for a report file */
    struct fz_report *report;   /* the report (the callback frees it), or
                                   NULL when this record could not be read */
    const char *error;          /* why not, one line; NULL with a report */
    enum fz_format format;      /* what the file was read as */
    unsigned pages;             /* pages of a paged format, else 0 */
    unsigned ocr_pages;         /* of which read by OCR */
};

/* Called once for each report or bad record; a nonzero return stops the
 * reading and is fz_read()'s result. */
typedef int (*fz_read_fn)(void *ctx, struct fz_read_item *it);

/* Read the file bytes[0,len), whose name (for the tie-break and, without
 * its folder and extension, the title of last resort) may be NULL.
 * given: metadata that overrides the text's (a sidecar), or NULL; o: the
 * readers' options, or NULL for the defaults.
 * Returns FZ_OK when the file was read (each report went to fn);
 * FZ_EINVAL (a binary file of no kind fz reads, or not text);
 * FZ_EUNREADABLE (the format's reader refused it: encrypted, scanned
 * without o->ocr, damaged, past a bound, or a format not read yet); both
 * with *errptr saying why in one line; FZ_ENOMEM; or fn's nonzero
 * return. */
int fz_read(struct fz_textctx *tc, const char *bytes, size_t len,
            const char *name, const struct fz_meta_given *given,
            const struct fz_extract_opts *o, fz_read_fn fn, void *ctx,
            char **errptr);

#endif
