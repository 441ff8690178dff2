/* text/clean.h - from decoded page text to the lines of a report.
 *
 * Promise: fz_clean_run() takes the UTF-8 text of a saved web page or
 *          text file and returns it as lines, one per paragraph, each
 *          classified: the title, date/source lines, the body, signature
 *          lines, and web-page boilerplate (navigation, breadcrumbs,
 *          sharing and font-size controls, footers).  Boilerplate is found
 *          by rules about position, length and vocabulary that hold for
 *          pages not seen before, not by a list of known lines.
 *          Pinyin annotations after Han characters (區(qū) → 區) are
 *          removed; other parentheses ((一), (2023), (试行), 〔2015〕) stay.
 *          Lines are trimmed, runs of white space become one space, and
 *          lines broken inside a sentence are joined.
 * Memory:  the caller owns struct fz_cleaned; fz_cleaned_release() frees.
 * Threads: no shared state. */
#ifndef FZ_CLEAN_H
#define FZ_CLEAN_H

#include <stddef.h>

#include "base/buf.h"

enum fz_line_kind {
    FZ_LINE_BOILER,     /* navigation, sharing, footers: not the report */
    FZ_LINE_TITLE,      /* the report's title line */
    FZ_LINE_META,       /* date, source, view count lines near the title */
    FZ_LINE_FRONT,      /* other lines between title and body (datelines,
                           speaker, salutation) */
    FZ_LINE_BODY,       /* paragraphs and headings: what passages are */
    FZ_LINE_SIGNATURE,  /* issuer names and date after the body */
};

struct fz_line {
    size_t off, len;            /* bytes into fz_cleaned.text */
    enum fz_line_kind kind;
    unsigned page;              /* the page the line starts on (1, 2, ...)
                                   when the input had page breaks, else 0 */
    int level;                  /* the heading level a reader marked, or 0 */
};

/* What readers of paged and styled formats (PDF, DOCX, OFD) put in the
 * text they hand to fz_clean_run(): a form feed ('\f') starts a new page
 * (the text before the first one is page 1), and a line that begins with
 * FZ_CLEAN_HEADING_MARK and a digit 1-4 is a heading of that level (Word's
 * Heading 1, 标题 2), whatever its words; both marks are removed. */
#define FZ_CLEAN_HEADING_MARK '\x1E'


struct fz_cleaned {
    struct fz_buf text;         /* the lines, each ended by '\n' */
    struct fz_line *lines;
    size_t n_lines;
    size_t n_pinyin;            /* pinyin annotations removed */
};

/* Clean in[0,len) (valid UTF-8).  FZ_OK or FZ_ENOMEM. */
int fz_clean_run(const char *in, size_t len, struct fz_cleaned *out,
                 char **errptr);
void fz_cleaned_release(struct fz_cleaned *c);

/* Remove pinyin annotations from s into out (appended): exposed for tests
 * and for metadata given as text.  Returns the number removed, or -1 on
 * allocation failure (out unchanged). */
long fz_clean_pinyin(const char *s, size_t len, struct fz_buf *out);

/* The classes the rules use, exposed for metadata and tests. */
int fz_clean_is_breadcrumb(const char *s, size_t len);
/* A line that is web-page furniture (font size, share, print, back to top,
 * QR code, view counts, copyright): short and made of such words. */
int fz_clean_is_ui(const char *s, size_t len);

#endif
