/* meta/region.h - China's administrative divisions, and which one a report
 * is about.
 *
 * Promise: the table is the National Bureau of Statistics' 2023 division
 *          codes (provinces, prefectures, counties, townships; no villages;
 *          see meta/DIVISIONS.md), built into the library: nothing is read
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
 * Memory:  fz_regions_open() allocates about 4.5 MB (6.5 MB while it
 *          runs) that fz_regions_close() frees.  A struct fz_region is
 *          the caller's (usually on the stack); its chain[] strings are
 *          borrowed from the struct fz_regions and stay valid until
 *          fz_regions_close().
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
                             * lines.  Negative counts as 0, above 1000
                             * as 1000. */
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
 * Mentions, leftmost-longest: official names (深圳市, 龙岗区, 龙城街道);
 * the short form of a province or prefecture (广东, 深圳) where it stands
 * apart (at the start, after a non-Han character or another division,
 * after 关于/中共/中国/年; and before a non-Han character, another
 * division or a word such as 人民政府, 办事处, 关于), so not in 中山大学,
 * 长治久安 or 真金白银; the short form of a county or township only right
 * before 人民政府, 办事处, 党工委, 党委, 工委 or 管委会; an autonomous
 * unit's short form with 州, 县, 旗, 乡 or 镇 (黔东南州).  Short forms of
 * one character are never used.  A mention that does not stand apart
 * counts only as support: a township's name running on into other words
 * (建设镇村), a name with a one-character stem (和县 in 市和县两级, 城区)
 * not standing apart on both sides, the short forms above, and always
 * township-level units that are no 街道, 镇, 乡 or 苏木 (开发区, 林场).
 *
 * Decision: a name that fits k entries counts 1/k for each.  An entry
 * mentioned in a text of weight 1 or more is a candidate if one of those
 * mentions is more than support, or if an ancestor is mentioned too; its
 * score is the weight of the mentions of itself and of its ancestors
 * (mentions in weight-0 texts break ties).  The best score wins, which
 * favours the deepest division of a consistent chain: 龙城街道 is
 * 440307015, not one of the four others of that name, when 龙岗区 or
 * 深圳市 is mentioned too.  When candidates in different branches tie,
 * the result is their deepest common ancestor (广东省 for a 龙城街道 when
 * only 广东 supports it, as two of the five are there), or nothing.
 *
 * FZ_OK, or FZ_ENOMEM (then *out is empty). */
int fz_regions_resolve(const struct fz_regions *r,
                       const struct fz_region_text *texts, size_t n,
                       struct fz_region *out);

/* The division a user or input metadata names in name[0,len): an official
 * or short name or a chain of them, with or without separators (龙岗区,
 * 深圳, 广东省深圳市龙岗区, 广东 深圳 龙岗, 广东>深圳, 重庆市涪陵区荔枝街道),
 * each name inside the one before it (not necessarily its child); or a
 * code (4403, 440307015; the padded forms 440300 and 440307015000 are
 * accepted too).  Short forms of any level serve here (龙岗, 浦东).  Where
 * the last name fits several divisions, an official name is preferred to a
 * short one, then the higher level (深圳 is the city, not a street; 吉林
 * the province).
 * FZ_OK with *out filled, or FZ_EINVAL with "no division named ..." or
 * "ambiguous: 朝阳区 could be 北京市朝阳区 or 吉林省长春市朝阳区" in
 * *errptr; FZ_ENOMEM.  *out is empty unless FZ_OK. */
int fz_regions_lookup(const struct fz_regions *r, const char *name,
                      size_t len, struct fz_region *out, char **errptr);

/* Every division a user may mean by name[0,len), for a filter that must
 * not guess: read as fz_regions_lookup() does, official names preferred
 * to short forms, but with no preference of level, and a division inside
 * another reading left out (吉林: 吉林省 covers 吉林市).  So 龙城 is
 * 辽宁省朝阳市龙城区 and five 龙城街道, 海南 海南省 and 青海省海南藏族
 * 自治州; a code is its one entry.  FZ_OK with *n >= 1 readings, higher
 * levels first, then by code, the first max of them in out[]; FZ_EINVAL
 * ("no division named ...", or as fz_regions_lookup()); FZ_ENOMEM. */
int fz_regions_lookup_all(const struct fz_regions *r, const char *name,
                          size_t len, struct fz_region *out, size_t max,
                          size_t *n, char **errptr);

/* The entry whose code is exactly code (a C string of 2, 4, 6 or 9
 * digits).  FZ_OK, or FZ_EINVAL ("no division with code ...") with *out
 * empty. */
int fz_regions_from_code(const struct fz_regions *r, const char *code,
                         struct fz_region *out, char **errptr);

#endif
