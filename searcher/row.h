/* searcher/row.h - one hit as the emitters print it: its highlights and
 * the pieces every format is made of.
 *
 * Promise: fzs_rows_make() gives each hit its highlights: the passage
 *          text folded again (the stored folded text has no map), matched
 *          as the search matched it, mapped back to code points of the
 *          text as printed (STYLE 2.7), sorted and merged.  The helpers
 *          cut a snippet around the first highlight, join a heading or
 *          region chain, and measure text as a terminal shows it (Han and
 *          full-width characters are two columns).
 * Memory:  rows borrow their hits (the caller keeps struct fzs_hits
 *          alive); fzs_rows_free() frees the rows and their highlights.
 * Threads: no shared state. */
#ifndef FZS_ROW_H
#define FZS_ROW_H

#include <stddef.h>

#include "base/buf.h"
#include "query/query.h"
#include "searcher/options.h"
#include "searcher/search.h"
#include "text/normalize.h"

/* What goes around a highlight. */
struct fzs_marks {
    const char *on, *off;
};

struct fzs_row {
    const struct fzs_hit *hit;
    const struct fz_stored_passage *p;
    const struct fz_stored_report *r;   /* the whole report record */
    size_t rank;                    /* 1-based, in the order printed */
    struct fz_spans spans;          /* highlights, code points of p->text */
};

/* The rows of h's hits, in h's order (rank 0: the caller ranks them in
 * the order it prints), each with its highlights for q as o->within
 * matches (none when q is NULL: --like).  *out is a new array of h->n
 * rows (at least one allocated).  FZ_OK; FZ_ENOMEM
 * when the array cannot be made (*out NULL); -1 when some highlights
 * could not be made (*out is usable; those rows have fewer), with
 * *errptr saying why when folding a passage failed (OpenCC cannot be
 * loaded). */
int fzs_rows_make(struct fz_norm *norm, const struct fz_query *q,
                  const struct fzs_options *o, const struct fzs_hits *h,
                  struct fzs_row **out, char **errptr);
void fzs_rows_free(struct fzs_row *rows, size_t n);    /* NULL: nothing */

/* The row for a hit shown outside the ranking (the --like example): no
 * highlights, rank 0. */
struct fzs_row fzs_row_of(const struct fzs_hit *hit);

#define FZS_SNIPPET_CP 160

/* How fzs_snippet() writes the text (the marks are written as given). */
enum {
    FZS_SNIP_FLAT = 1,              /* line breaks as spaces */
    FZS_SNIP_MARKDOWN = 2,          /* escaped by fzs_md_escape() */
};

/* Append to b the part of text around its first highlight in sp (all of
 * it when short, or when whole), highlights between mk's marks, written
 * as how (FZS_SNIP_* or 0) says. */
void fzs_snippet(struct fz_buf *b, const char *text,
                 const struct fz_spans *sp, const struct fzs_marks *mk,
                 int whole, int how);

/* Append s[0,len) to b as markdown text that shows s, also in a table
 * cell: a backslash before each ASCII character markdown gives a meaning
 * ` * _ [ ] < > # | ~ & and the backslash itself; line breaks as
 * spaces. */
void fzs_md_escape(struct fz_buf *b, const char *s, size_t len);

/* Append v[0,n) to b with sep between. */
void fzs_join(struct fz_buf *b, const char *const *v, size_t n,
              const char *sep);

/* Columns s takes on a terminal. */
size_t fzs_display_width(const char *s);
/* Print s to stdout, padded with spaces to width columns. */
void fzs_pad_to(const char *s, size_t width);
/* The terminal's width: stdout's, else $COLUMNS (over 20), else 80. */
int fzs_terminal_columns(void);

#endif
