/* meta/meta.h - what a report is: title, issuer, region, level, year, date.
 *
 * Promise: fz_meta_extract() reads the classified lines of a cleaned
 *          report and fills struct fz_meta.  Values given by the input (a
 *          JSON Lines record or a sidecar NAME.json) override what the
 *          heuristics find; a region given by name is still resolved to
 *          its chain and code against the official division table.
 *          Unknown values are NULL (strings), 0 (year) or
 *          FZ_LEVEL_UNKNOWN.
 * Memory:  the caller owns struct fz_meta; fz_meta_release() frees its
 *          strings.  region.chain[] is borrowed from the struct fz_regions
 *          it was resolved with, valid until that is closed.
 * Threads: as the struct fz_norm passed in: one per thread. */
#ifndef FZ_META_H
#define FZ_META_H

#include <stddef.h>

#include "text/clean.h"
#include "text/normalize.h"
#include "meta/region.h"
#include "text/segment.h"

enum fz_level {
    FZ_LEVEL_UNKNOWN,
    FZ_LEVEL_NATIONAL,      /* the State Council, ministries, the NPC */
    FZ_LEVEL_PROVINCE,      /* provinces, autonomous regions, the four
                               municipalities */
    FZ_LEVEL_CITY,
    FZ_LEVEL_COUNTY,        /* 区, 县, 县级市, 旗 */
    FZ_LEVEL_TOWNSHIP,      /* 街道, 乡, 镇 */
    FZ_LEVEL_DEPARTMENT,    /* a bureau reporting for itself: 司法局 */
};

struct fz_meta {
    char *title;            /* as the report writes it (its own script) */
    char *issuer;           /* the publishing body, Simplified */
    char *source;           /* 来源 / 信息来源 line, Simplified */
    char *url;
    char date[11];          /* publication date YYYY-MM-DD, or "" */
    int year;               /* the year reported on, or 0 */
    enum fz_level level;
    struct fz_region region;
};

/* Values given by the input; NULL or 0 where not given.  Strings are
 * valid UTF-8 (fz_record_parse() makes them so). */
struct fz_meta_given {
    const char *title, *issuer, *source, *url, *date, *region, *level;
    int year;
};

/* "national", "province", ... "unknown". */
const char *fz_level_name(enum fz_level level);
/* Parse a level by name or Chinese alias (省 市 区 县 街道 乡 镇 部门 国家).
 * FZ_OK or FZ_EINVAL. */
int fz_level_parse(const char *s, enum fz_level *out);

/* The first date in s[0,len): 2023年12月6日, 2020年 12月 22日, 2023-03-13,
 * 2023/3/13, 2023.03.13, 二〇二三年十二月六日.  Writes YYYY-MM-DD into
 * out and returns 1, or returns 0 when there is none. */
int fz_meta_parse_date(const char *s, size_t len, char out[11]);

/* Fill *out from c (lines) and ps (passages, for the opening paragraph).
 * fallback_title (may be NULL) is used when neither the input nor the
 * text gives a title: the file name, say.  FZ_OK, FZ_ENOMEM, or FZ_EINVAL
 * when a given value is unusable (an unknown level or region, a bad date:
 * *errptr names it; the rest of *out is still filled). */
int fz_meta_extract(struct fz_norm *norm, const struct fz_regions *regions,
                    const struct fz_cleaned *c, const struct fz_passages *ps,
                    const struct fz_meta_given *given,
                    const char *fallback_title, struct fz_meta *out,
                    char **errptr);
void fz_meta_release(struct fz_meta *m);

#endif
