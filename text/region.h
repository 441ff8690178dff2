/* text/region.h - China's administrative divisions, and which one a report
 * is about.
 *
 * Promise: the table is the National Bureau of Statistics' 2023 division
 *          codes (provinces, prefectures, counties, townships; no villages;
 *          see text/DIVISIONS.md), built into the library: nothing is read
 *          at run time.  fz_regions_resolve() finds the division a report
 *          names in its header lines; fz_regions_lookup() reads one a user
 *          names.  A result is always a real entry of the table, given by
 *          its code, with its chain of official names from the province
 *          down.  Placeholder entries (市辖区, 县, 省直辖县级行政区划,
 *          自治区直辖县级行政区划) and entries repeating their parent's name
 *          (东莞市 441900 under 东莞市 4419) keep their codes but never
 *          appear in a chain.
 * Text:    every string is UTF-8 given as pointer + length in bytes, in the
 *          form the index stores (NFKC, then Traditional->Simplified; see
 *          text/normalize.h).  Names in the table are matched in that form
 *          too (its few full-width brackets fold to ASCII).
 * Memory:  fz_regions_open() allocates about 4 MB that fz_regions_close()
 *          frees.  A struct fz_region is the caller's (usually on the
 *          stack); its chain[] strings are borrowed from the struct
 *          fz_regions and stay valid until fz_regions_close().
 * Threads: a struct fz_regions is read-only once open: any number of
 *          threads may call the functions below on one at the same time.
 *          fz_regions_close() must wait until they are done. */
#ifndef FZ_REGION_H
#define FZ_REGION_H

#include <stddef.h>

struct fz_regions;                              /* opaque */

/* The level of a division, from the length of its code. */
enum {
    FZ_REGION_NONE = 0,
    FZ_REGION_PROVINCE = 1,     /* 2 digits: 省, 自治区, 直辖市 */
    FZ_REGION_CITY = 2,         /* 4 digits: 地级市, 地区, 自治州, 盟 */
    FZ_REGION_COUNTY = 3,       /* 6 digits: 市辖区, 县, 县级市, 旗 */
    FZ_REGION_TOWNSHIP = 4,     /* 9 digits: 街道, 镇, 乡, 苏木 */
};

struct fz_region {
    char code[16];          /* "440307015", or "" when unknown */
    size_t depth;           /* names in chain[], 0..4 */
    const char *chain[4];   /* official names from the province down:
                             * 广东省 深圳市 龙岗区 龙城街道; 重庆市 涪陵区
                             * 荔枝街道 (no 市辖区).  chain[depth..3] are
                             * NULL.  Borrowed, see Memory above. */
    int kind;               /* FZ_REGION_*: the level of code itself, which
                             * may be deeper than depth (5001 市辖区 is a
                             * CITY with the chain 重庆市) */
};

/* A text that may name the region, and how far to trust it. */
struct fz_region_text {
    const char *s;
    size_t len;             /* bytes */
    int weight;             /* 0: only supports a region the other texts
                             * propose (the opening paragraph of the body);
                             * 1: a header line (breadcrumb, source line);
                             * 2 or more: the title, the issuer, signature
                             * lines.  Negative counts as 0. */
};

/* Parse the built-in table.  Returns NULL on failure (out of memory, or a
 * damaged table: *errptr says which).  Takes a few tens of milliseconds:
 * open one per process and share it. */
struct fz_regions *fz_regions_open(char **errptr);
/* Free r and everything borrowed from it.  NULL: does nothing. */
void fz_regions_close(struct fz_regions *r);

/* Number of entries in the table (placeholders included). */
size_t fz_regions_count(const struct fz_regions *r);

/* Decide which division texts[0,n) are about, and fill *out (code "" and
 * depth 0 when none is named clearly enough).
 *
 * Mentions: official names anywhere (深圳市, 龙岗区, 龙城街道); the short
 * form of a province (广东, 内蒙古); of a prefecture when it stands on its
 * own (深圳 before a digit, a space, another division or 人民政府, but not
 * in 中山大学 or 长治久安, where it only supports); of a county or
 * township only directly before 人民政府, 办事处, 党工委, 管委会 and the
 * like.  Short forms of one character are never used.  A township's full
 * name that runs on into other words, and full names with a one-character
 * stem (城区, 郊区), only support.  Matching is leftmost-longest.
 * Decision: each division mentioned in a text of weight 1 or more is a
 * candidate; its score is the weight of the mentions of itself and of its
 * ancestors (mentions in weight-0 texts break ties).  The best score wins,
 * which favours the deepest division of a consistent chain: 龙城街道 is
 * 440307015, not one of the four others of that name, when 龙岗区 or
 * 深圳市 is mentioned too.  When candidates in different branches tie,
 * the result is their deepest common ancestor, or nothing.
 *
 * FZ_OK, or FZ_ENOMEM (then *out is empty). */
int fz_regions_resolve(const struct fz_regions *r,
                       const struct fz_region_text *texts, size_t n,
                       struct fz_region *out);

/* The division a user or input metadata names in name[0,len): an official
 * or short name or a chain of them, with or without separators (龙岗区,
 * 深圳, 广东省深圳市龙岗区, 广东 深圳 龙岗, 广东>深圳, 重庆市涪陵区荔枝街道),
 * each name inside the one before it; or a code (4403, 440307015; the
 * padded forms 440300 and 440307015000 are accepted too).  Where a name
 * fits several divisions, an official name is preferred to a short one,
 * then the higher level (深圳 is the city, not a street; 吉林 the
 * province).
 * FZ_OK with *out filled, or FZ_EINVAL with "no division named ..." or
 * "ambiguous: 朝阳区 could be 北京市朝阳区 or 吉林省长春市朝阳区" in
 * *errptr; FZ_ENOMEM.  *out is empty unless FZ_OK. */
int fz_regions_lookup(const struct fz_regions *r, const char *name,
                      size_t len, struct fz_region *out, char **errptr);

/* The entry whose code is exactly code (a C string of 2, 4, 6 or 9
 * digits).  FZ_OK, or FZ_EINVAL ("no division with code ...") with *out
 * empty. */
int fz_regions_from_code(const struct fz_regions *r, const char *code,
                         struct fz_region *out, char **errptr);

#endif
