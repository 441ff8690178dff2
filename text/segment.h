/* text/segment.h - split the body of a report into passages.
 *
 * Promise: every body line of a struct fz_cleaned becomes one passage, or
 *          several when it is longer than max_cp code points: then it is
 *          cut at sentence ends (。；;！？!?) or before an enumeration
 *          (一是, 二是...), never inside a sentence unless one sentence
 *          alone exceeds FZ_SEG_HARD_MAX code points.  Each passage keeps
 *          its ordinal and its section path: the headings above it
 *          (一、... › (一)... › 1. ... › (1)...; also 第一部分, 第一章),
 *          its own included when it starts with one.  The lines between
 *          the title and the body (a dateline, the speaker, a salutation:
 *          "——2021年3月5日在…会议上", "国务院总理 李克强") and the
 *          signature lines after it (issuer, date) are the report's text
 *          too: each run of them is one passage, its lines joined by a
 *          space, with no section and its kind marked, so a search finds
 *          them and metadata can tell them from the body.  The title, the
 *          date and source lines near it, and boilerplate are not
 *          passages.
 * Memory:  the caller owns struct fz_passages; fz_passages_release().
 * Threads: no shared state. */
#ifndef FZ_SEGMENT_H
#define FZ_SEGMENT_H

#include <stddef.h>

#include "text/clean.h"
#include "text/heading.h"

#define FZ_SEG_MAX_CP 400       /* the "about 400 characters" */
#define FZ_SEG_HARD_MAX 1200    /* a "sentence" longer than this is cut */
#define FZ_SEG_HEADING_MAX 60   /* section names are cut to this */

enum fz_passage_kind {
    FZ_PASSAGE_BODY,        /* a piece of a body line */
    FZ_PASSAGE_FRONT,       /* the lines between title and body */
    FZ_PASSAGE_SIGNATURE,   /* signature lines after the body */
};

struct fz_passage {
    size_t ordinal;         /* 1, 2, ... in report order */
    char *text;             /* cleaned text in the report's own script */
    size_t len;             /* bytes */
    char **section;         /* headings in force, outermost first */
    size_t n_section;
    int heading;            /* the passage is a heading line by itself */
    unsigned page;          /* the page it starts on, 0 when unknown */
    enum fz_passage_kind kind;
};

struct fz_passages {
    struct fz_passage *v;
    size_t n;
};

/* The passages of c's body, front and signature lines, cut at max_cp code points (0 means
 * FZ_SEG_MAX_CP).  FZ_OK or FZ_ENOMEM. */
int fz_seg_run(const struct fz_cleaned *c, size_t max_cp,
               struct fz_passages *out, char **errptr);
void fz_passages_release(struct fz_passages *ps);

#endif
