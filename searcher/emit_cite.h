/* searcher/emit_cite.h - the reports behind the hits as a reference list
 * (--cite).
 *
 * Promise: the distinct reports of the rows, in order of first
 *          appearance, each with the passages of its rows (text and
 *          headings) as quotes, in their order, written by cite/cite.h
 *          in o->cite's format with o->accessed (default today) as the
 *          access date.
 * Memory:  nothing kept.
 * Threads: writes stdout; a failure is said on stderr. */
#ifndef FZS_EMIT_CITE_H
#define FZS_EMIT_CITE_H

#include <stddef.h>

#include "searcher/options.h"
#include "searcher/row.h"

/* 0, or -1 after saying why on stderr ("fzsearch: --cite: ..."). */
int fzs_emit_cite(const struct fzs_options *o, const struct fzs_row *rows,
                  size_t n);

#endif
