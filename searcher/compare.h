/* searcher/compare.h - the order and groups of --compare.
 *
 * Promise: rows grouped by region in the order of the division codes
 *          (the national statistics' order: 北京 11 ... 新疆 65),
 *          national reports first, reports with no known region last;
 *          within a group by year, then score, then rank.  A group is
 *          named by its region chain (广东省 › 深圳市), 全国 or 地区不详.
 *          The text, markdown and JSON emitters print these groups.
 * Memory:  nothing kept.
 * Threads: no shared state. */
#ifndef FZS_COMPARE_H
#define FZS_COMPARE_H

#include <stddef.h>

#include "base/buf.h"
#include "searcher/row.h"

/* Sort rows[0,n) into the comparison order. */
void fzs_compare_sort(struct fzs_row *rows, size_t n);
/* Whether a and b are in one group. */
int fzs_compare_same_group(const struct fzs_row *a, const struct fzs_row *b);
/* The rows in rows[0,n) from rows[0] on that are in its group. */
size_t fzs_compare_group_size(const struct fzs_row *rows, size_t n);
/* Append the name of r's group to b. */
void fzs_compare_group_name(struct fz_buf *b,
                            const struct fz_stored_report *r);

#endif
