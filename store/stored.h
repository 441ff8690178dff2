/* store/stored.h - the stored record: what each passage's document keeps
 * for the searcher to print (store/schema.h, README "Index layout").
 *
 * Promise: the one place that knows the record's layout.  A document's
 *          data is a JSON object {"p": passage, "r": report}, written by
 *          fz_stored_write() and read back by fz_stored_parse(); nothing
 *          else spells its field names.  The passage part holds its id
 *          ("<report id>-<ordinal>"), ordinal, section headings, whether
 *          it is a heading, its text and, only where folding changed the
 *          text, its folded text.  The report part of a report's first
 *          passage holds the whole report record (title, folded title,
 *          issuer, region chain and code, level, year, date, URL,
 *          source; not its paths, which can change while the documents
 *          cannot: fz_stored_use_paths()); its other passages hold only
 *          the report's id, which keeps the index small.  Unknown values are JSON null.
 * Memory:  fz_stored_write() appends to a caller's struct fz_buf; the
 *          caller owns struct fz_stored and frees what fz_stored_parse()
 *          put in it with fz_stored_release().  Strings in a struct
 *          fz_stored are borrowed from it until then.
 * Threads: no shared state; one struct fz_stored per thread. */
#ifndef FZ_STORED_H
#define FZ_STORED_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "base/buf.h"
#include "meta/meta.h"
#include "store/codec.h"
#include "text/segment.h"

/* ---- writing: what the indexer stores -------------------------------- */

/* The report a passage belongs to, as the indexer knows it. */
struct fz_stored_source {
    const char *rid;                /* fz_report_id(): 16 hex digits */
    const struct fz_meta *meta;
    const char *ntitle;             /* meta->title folded (fz_norm_str),
                                       or NULL when it has none */
    const char *const *paths;       /* the files it is found at,
                                       absolute, the first its "path" */
    size_t n_paths;                 /* at least 1 */
    unsigned ocr_pages;             /* pages read by OCR (--ocr), or 0 */
};

/* Append to out the data of passage p of the report src describes; norm
 * is p's folded text (it is stored only when it differs from p->text).
 * whole: 1 for the report's first passage, which carries the whole
 * report record, 0 for the others, which carry only its id.  The
 * passage id is "<src->rid>-<p->ordinal>".  FZ_OK, or FZ_ENOMEM with out
 * unchanged. */
int fz_stored_write(struct fz_buf *out, const struct fz_stored_source *src,
                    const struct fz_passage *p, const char *norm, int whole);

/* ---- reading: what the searcher prints -------------------------------- */

struct fz_stored_passage {
    const char *id;                 /* "<report id>-<ordinal>" */
    size_t ordinal;                 /* 1, 2, ... in report order */
    const char **section;           /* headings in force, outermost first */
    size_t n_section;
    int heading;                    /* a heading line by itself */
    unsigned page;                  /* the page it starts on (PDF, OFD),
                                       0 when the format has none */
    const char *text;               /* as the report writes it */
    const char *norm;               /* folded: text itself when folding
                                       changed nothing (never NULL when
                                       text is not) */
};

struct fz_stored_report {
    const char *id;                 /* 16 hex digits */
    int whole;                      /* 0: only id is known (a passage
                                       after the report's first) */
    const char *title, *ntitle;     /* as written; folded */
    const char *issuer;
    const char **region;            /* names, province first */
    size_t n_region;
    const char *region_code;        /* "440307015" */
    const char *level;              /* fz_level_name(): "county" */
    int year;                       /* 0: unknown */
    const char *date;               /* YYYY-MM-DD */
    const char *url, *source, *path;
    const char **paths;             /* every path, path first */
    size_t n_paths;
    unsigned ocr_pages;             /* pages read by OCR; 0: none */
};

/* One parsed record.  Strings are NULL where the record has null (or
 * nothing); arrays are empty then. */
struct fz_stored {
    struct fz_stored_passage p;
    struct fz_stored_report r;
    cJSON *tree_;                   /* private: what the strings borrow */
    const char **strs_;             /* private: section[] and region[] */
    char *paths_;                   /* private: fz_stored_use_paths() */
    const char **pathv_;
};

#define FZ_STORED_INIT { { NULL, 0, NULL, 0, 0, 0, NULL, NULL }, \
                         { NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, \
                           0, NULL, NULL, NULL, NULL, NULL, 0, 0 }, \
                         NULL, NULL, NULL, NULL }

/* Parse data[0,len) into *out (anything in it is overwritten, not
 * freed); a packed record is unpacked first (store/codec.h: its
 * dictionary must have been loaded).  FZ_OK; FZ_EINVAL with *errptr
 * "damaged record" when data is not a record (not JSON, no passage text
 * or no report id, packed with a dictionary not loaded; cJSON also
 * fails so when it runs out of memory, and does not say which);
 * FZ_ENOMEM.  On failure *out is FZ_STORED_INIT. */
int fz_stored_parse(const char *data, size_t len, struct fz_stored *out,
                    char **errptr);
/* Free what parsing put in s and set it to FZ_STORED_INIT. */
void fz_stored_release(struct fz_stored *s);

/* What the searcher's exactness check reads of a record, taken from it
 * without building the rest: the passage's folded text (its text where
 * folding changed nothing), the report id, and whether the record is
 * the report's whole one (its first passage), with the folded title
 * then.  The buffers are the caller's, reused from record to record:
 * FZ_STORED_PEEK_INIT, and fz_stored_peek_release() at the end. */
struct fz_stored_peek {
    struct fz_buf norm, rid, ntitle;
    struct fz_buf plain;            /* the record unpacked */
    int whole;                      /* the record has the whole report */
    int has_ntitle;                 /* ntitle is a string, not null */
};

#define FZ_STORED_PEEK_INIT { FZ_BUF_INIT, FZ_BUF_INIT, FZ_BUF_INIT, \
                              FZ_BUF_INIT, 0, 0 }

/* Fill *pk from data[0,len), which fz_stored_write() wrote (and
 * fz_codec_pack() may have packed): what fz_stored_parse() would give
 * as p.norm, r.id, r.whole and r.ntitle.  FZ_OK; FZ_EINVAL when data is
 * not a record (as fz_stored_parse()); FZ_ENOMEM. */
int fz_stored_peek(const char *data, size_t len, struct fz_stored_peek *pk);
void fz_stored_peek_release(struct fz_stored_peek *pk);

/* The paths a report was found at are not in its documents, which a
 * database without term lists cannot change: they are kept apart
 * (store/schema.h, FZ_PATHS_KEY) as the paths one after the other, each
 * ended by a NUL.  fz_stored_use_paths() gives the parsed record s the
 * paths list[0,len) in that form (a copy): s->r.path the first, s->r.paths
 * all.  FZ_OK or FZ_ENOMEM. */
int fz_stored_use_paths(struct fz_stored *s, const char *list, size_t len);

/* The record s as JSON, as stored but with the report r in place of s's
 * own (s->r when r is NULL) and without the folded text and title: the
 * example fzsearch --json shows under "like".  NULL when out of memory;
 * the caller frees it with cJSON_Delete(). */
cJSON *fz_stored_to_json(const struct fz_stored *s,
                         const struct fz_stored_report *r);

#endif
