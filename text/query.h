/* text/query.h - the query language, and deciding whether a passage
 * matches it.
 *
 * Promise: fz_query_parse() folds and tokenizes the query with the same
 *          code as the documents (normalize.h, token.h), so 行政復議 and
 *          行政复议 are one query.  Syntax: words separated by spaces are
 *          ANDed; "quoted phrases"; OR between two terms; -term or NOT
 *          term; title:term or title:"phrase".  Each term is a clause: the
 *          sequence of its tokens at their relative positions, which a
 *          passage matches when its own tokens hold the sequence (a Han
 *          run of n >= 2 characters: its n-1 bigrams in a row, i.e. the
 *          folded passage contains the run; one Han character: its
 *          unigram or any bigram starting with it).
 *          fz_query_matches() is that decision, made on a passage's folded
 *          text: the index narrows the candidates, this makes them exact.
 * Memory:  the caller owns struct fz_query; fz_query_release() frees.
 * Threads: parsing uses the caller's struct fz_norm (one per thread);
 *          a parsed query is read-only and may be shared. */
#ifndef FZ_QUERY_H
#define FZ_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "text/normalize.h"

#define FZ_QUERY_MAX_BYTES 4096     /* longer queries are refused */

enum fz_qfield { FZ_QF_TEXT, FZ_QF_TITLE };

struct fz_qterm {
    char *term;             /* a token as the index stores it */
    size_t len;
    uint32_t rel;           /* position relative to the clause's first */
    int prefix;             /* one Han character: the unigram or any
                               bigram starting with it */
};

struct fz_qclause {
    enum fz_qfield field;
    int negated;
    struct fz_qterm *t;
    size_t n;
    char *text;             /* the clause as the user wrote it */
};

/* A group is satisfied when any of its clauses matches (OR); the query
 * when every positive group is and no negated clause matches. */
struct fz_qgroup {
    struct fz_qclause *c;
    size_t n;
};

struct fz_query {
    struct fz_qgroup *g;
    size_t n;
    int needs_check;        /* some clause has more than one token: the
                               index's candidates must be verified */
};

/* Parse argv[0,argc) (the words of the command line, joined by spaces).
 * FZ_OK, FZ_ENOMEM, or FZ_EINVAL with *errptr saying what and where:
 * "unbalanced quote at character 5", "OR needs a term on each side",
 * "nothing to search for in '。，'", "only negated terms", "query longer
 * than 4096 bytes". */
int fz_query_parse(struct fz_norm *norm, const char *const *argv,
                   size_t argc, struct fz_query *out, char **errptr);
void fz_query_release(struct fz_query *q);

/* Code-point spans [start,end) in folded text where clauses matched: from
 * the clause's first character to its last (a one-character term: that
 * character, though its token may be a bigram going on past it). */
struct fz_spans {
    size_t (*v)[2];
    size_t n, cap;
};

/* Does the passage (folded text, and its report's folded title) match q?
 * When spans is not NULL, the matches of positive text clauses in text
 * are appended (code points into text), whatever the answer.  1 yes,
 * 0 no, -1 out of memory. */
int fz_query_matches(const struct fz_query *q, const char *text,
                     size_t len, const char *title, size_t tlen,
                     struct fz_spans *spans);
void fz_spans_release(struct fz_spans *s);

#endif
