/* reader/report.h - one report through the whole text pipeline.
 *
 * Promise: fz_report_parse() runs decode → clean → segment → metadata →
 *          normalise over the bytes of one report and returns its
 *          metadata and passages, each passage with its folded text and
 *          the map back to its own text; fz_record_parse() reads one JSON
 *          Lines record into text and given metadata.  The indexer and
 *          the searcher both go through here, so a query is folded and
 *          tokenized exactly as the documents were.
 * Memory:  fz_report_free() frees a report; struct fz_textctx is opened
 *          once per thread and closed by the caller.
 * Threads: a struct fz_textctx is one thread's (it holds a converter);
 *          the struct fz_regions inside may be shared (read-only). */
#ifndef FZ_REPORT_H
#define FZ_REPORT_H

#include <stddef.h>

#include "text/clean.h"
#include "text/decode.h"
#include "meta/meta.h"
#include "text/normalize.h"
#include "meta/region.h"
#include "text/segment.h"

struct fz_textctx {
    struct fz_norm *norm;
    struct fz_regions *regions;
    int own_regions;
};

/* Open the converter, OpenCC loaded (fz_norm_load), and, when regions
 * is NULL, a division table of its own.  FZ_OK, or FZ_ENOMEM/FZ_EINVAL
 * with *errptr set. */
int fz_textctx_open(struct fz_textctx *tc, struct fz_regions *regions,
                    char **errptr);
void fz_textctx_close(struct fz_textctx *tc);

struct fz_report {
    struct fz_meta meta;
    struct fz_passages passages;
    struct fz_normed *norm;     /* passages.n entries: the folded text of
                                   each passage and its map */
    struct fz_decoded decoded;  /* what decoding found */
    size_t n_pinyin;            /* pinyin annotations removed */
    char *warning;              /* a one-line warning (replaced bytes, an
                                   unusable given value), or NULL */
    struct fz_buf dropped;      /* the lines cleaning dropped as page
                                   furniture, each ended by '\n' */
    unsigned pages;             /* a paged format's pages, else 0 */
    unsigned ocr_pages;         /* of which read by OCR (--ocr) */
};

/* Parse the bytes of one report.  given and fallback_title as in
 * fz_meta_extract().  On FZ_OK *out is a new report (free it); a report
 * with no passages is returned too (the caller decides).  FZ_EINVAL for
 * a binary file, FZ_ENOMEM. */
int fz_report_parse(struct fz_textctx *tc, const char *bytes, size_t len,
                    const struct fz_meta_given *given,
                    const char *fallback_title, struct fz_report **out,
                    char **errptr);
/* The same for the bytes of an HTML page: decoded, its text taken with
 * fz_html_to_text() (main() must have called xmlInitParser()), and its
 * <title>, when it has one, used instead of fallback_title. */
int fz_report_parse_html(struct fz_textctx *tc, const char *bytes,
                         size_t len, const struct fz_meta_given *given,
                         const char *fallback_title, struct fz_report **out,
                         char **errptr);
/* The same for the text a format reader extracted (reader/extract.h):
 * its pages and marked headings are kept; its document-info title is the
 * fallback when the text names none (a generic one such as "Microsoft
 * Word - 文档1" or 政府信息公开工作年度报告 never is), and its date when
 * neither the text nor given has one. */
struct fz_extract;
int fz_report_parse_extract(struct fz_textctx *tc,
                            const struct fz_extract *ex,
                            const struct fz_meta_given *given,
                            const char *fallback_title,
                            struct fz_report **out, char **errptr);
void fz_report_free(struct fz_report *r);       /* NULL: does nothing */

/* Limits on what comes in (README "Limits").  A report file (.txt, .htm,
 * .html) is one report: the longest in corpus/ is 167 KiB (the 1954
 * government work report) and a report page seldom passes 2 MiB, so
 * 16 MiB leaves room for pages with inline images while bounding what
 * one report costs (about 12 times its size in memory for text, up to 60
 * times for pathological HTML, where every few bytes open an element).  A JSON Lines record is one report
 * too, and JSON from the web is nested no deeper than a report needs
 * (cJSON's own limit, 1000, is a compile-time choice of the library). */
#define FZ_REPORT_MAX_BYTES (16u << 20)
#define FZ_RECORD_MAX_BYTES (16u << 20)
#define FZ_RECORD_MAX_DEPTH 16

/* One JSON Lines record: the report's text (`text` or `content`) and the
 * metadata it gives (title, url, date, year, issuer, region, level,
 * source; other fields ignored).  The text is the string's bytes, up to
 * a NUL (\u0000) if it has one, decoded later by fz_report_parse(); the
 * given values are valid UTF-8 (a value that is not, as in a file saved
 * in GBK, is decoded as decode.h decodes a file). */
struct fz_record {
    char *text;
    size_t len;
    struct fz_meta_given given;
    char *strings[8];           /* owned copies behind given */
};

/* Parse line[0,len).  FZ_OK, or FZ_EINVAL with *errptr saying what is
 * wrong ("not valid JSON", "no \"text\" or \"content\" string", "nested
 * deeper than 16 levels", "record of 17.0 MiB, larger than a report may
 * be (16 MiB)", "\"title\" is not text"); the depth and size are checked
 * before cJSON parses. */
int fz_record_parse(const char *line, size_t len, struct fz_record *out,
                    char **errptr);
/* Parse a sidecar NAME.json, the metadata of NAME.txt: the same fields,
 * text not required (out->text is NULL when absent).  Same results. */
int fz_sidecar_parse(const char *json, size_t len, struct fz_record *out,
                     char **errptr);
void fz_record_release(struct fz_record *r);

/* The sidecar of a report file: NAME.json beside NAME.txt or NAME.html.
 * 1 when read into *out (its bytes also appended to raw when raw is not
 * NULL), 0 when there is none, -1 when it cannot be read or used (then
 * *errptr is "NAME.json: reason").  A sidecar is never read through a
 * symbolic link ("NAME.json: symbolic link, not followed"): it is found,
 * not named, so a link could lead anywhere. */
int fz_sidecar_load(const char *path, struct fz_buf *raw,
                    struct fz_record *out, char **errptr);

#endif
