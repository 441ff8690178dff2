/* text/heading.h - the numbered headings of Chinese official documents.
 *
 * Promise: fz_heading_level() says whether a line opens with a heading
 *          marker (一、 (一) 1. (1) ① 第一章 …) and at which level, by the
 *          marker alone.  Cleaning (which must never take a heading for a
 *          page's furniture or footer) and segmenting (section paths) both
 *          use it, so it sits below them.
 * Threads: a pure function. */
#ifndef FZ_HEADING_H
#define FZ_HEADING_H

#include <stddef.h>
#include <stdint.h>

/* The heading level of a line: 1 for 一、 and 第一部分/章/篇, 2 for (一) and
 * 第一节, 3 for 1. and 1、, 4 for (1) and ①; 0 if it is not a heading.
 * *marker_len (if not NULL) receives the bytes of the marker. */
int fz_heading_level(const char *s, size_t len, size_t *marker_len);

/* 1 if c is a Chinese numeral of a heading marker (一…十 百 零 〇 两). */
int fz_is_cn_numeral(uint32_t c);

#endif
