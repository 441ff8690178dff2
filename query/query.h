/* query/query.h - the query language, and deciding whether a passage
 * matches it.
 *
 * Promise: fz_query_parse() folds and tokenizes the query with the same
 *          code as the documents (normalize.h, token.h), so 行政復議 and
 *          行政复议 are one query.  Syntax: words separated by spaces (or
 *          AND, its explicit form) are ANDed; "quoted phrases"; OR
 *          between two items; -term or NOT term (never part of OR);
 *          title:term or title:"phrase"; A NEAR/k B (below); ( ) group
 *          (also fullwidth （ ）): '(' at the start of a word opens a
 *          group, ')' at the end of a word closes it, and a parenthesis
 *          inside a word is the word's (法(试行)).  Precedence, tightest
 *          first: NEAR, then NOT/-, then OR, then AND: 行政复议 应诉 OR
 *          民法典 is 行政复议 AND (应诉 OR 民法典), and (行政复议 应诉)
 *          OR 民法典 says the other.  NOT (A OR B) is NOT A AND NOT B;
 *          NOT of a group of several, a NEAR operand in parentheses, OR
 *          with a NEAR or a negated item are refused with their place.
 *          A word that looks like an option (-C, -n5, --cite) is refused
 *          too: it was meant for fzsearch, not as NOT C.  The query is
 *          kept as AND of OR-groups: an OR of groups is spelled out (each
 *          group of one side with each of the other), at most
 *          FZ_QUERY_MAX_GROUPS groups.  Each term is a clause: the sequence of its
 *          tokens at their relative positions, which a passage matches
 *          when its own tokens hold the sequence (a Han run of n >= 2
 *          characters: its n-1 bigrams in a row, i.e. the folded passage
 *          contains the run; one Han character: its unigram or any bigram
 *          starting with it).  A clause whose folded text has a character
 *          that is neither white space nor in a token (punctuation, a
 *          symbol: 6%, 《民法典》, 依法行政、依法) also needs the text to hold
 *          those folded characters as written around its tokens (white
 *          space in it: any run of white space), so % never means
 *          nothing and 、 never any one character; such a clause is
 *          checked (needs_check) like a multi-token one.
 *          fz_query_matches() is that decision, made
 *          on a passage's folded text: the index narrows the candidates,
 *          this makes them exact.
 *
 *          NEAR.  A NEAR/k B (k a whole number from 0 to 1000; NEAR alone
 *          is NEAR/10) holds in a text when some occurrence of A and some
 *          occurrence of B are at most k apart.  The distance between two
 *          occurrences, spans [as,ae) and [bs,be) of code points of the
 *          folded text (see struct fz_spans), is the number of code points
 *          between the end of one and the start of the other, in either
 *          order: max(as,bs) - min(ae,be), or 0 when they overlap or touch
 *          (that difference is <= 0).  So 法治 NEAR/0 政府 holds in 法治政府
 *          and in 政府法治, NEAR/1 also in 法治和政府, and NEAR/2 in
 *          法治，和政府 (punctuation counts like any character).  An
 *          occurrence never pairs with itself: A NEAR/k A needs two
 *          occurrences of A (which may overlap).  A and B are terms or
 *          "quoted phrases", neither negated nor title: nor part of OR;
 *          the operator is written in capitals (near is a word to search
 *          for).  A chain A NEAR/3 B NEAR/5 C means each adjacent pair is
 *          near, each pair found by occurrences of its own, and is one
 *          requirement: it holds where all its pairs hold.  Each operand
 *          is a group of its own (so it is ANDed like any term, and the
 *          index finds the passages having all operands); the pairs are in
 *          fz_query.near.
 *
 *          Where the terms meet (同句 / 同段 / 同篇): in one passage
 *          (fz_query_matches), in one sentence of it
 *          (fz_query_matches_within with FZ_WITHIN_SENTENCE), or anywhere
 *          in one report (fz_query_groups over its passages, ORed).
 * Memory:  the caller owns struct fz_query; fz_query_release() frees.
 * Threads: parsing uses the caller's struct fz_norm (one per thread);
 *          a parsed query is read-only and may be shared. */
#ifndef FZ_QUERY_H
#define FZ_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "text/normalize.h"

/* The longest query, in code points: a passage is at most about 1200
 * (text/segment.h), so a phrase longer than 2000 can match nothing, and
 * a pasted passage fits. */
#define FZ_QUERY_MAX_CP 2000
#define FZ_QUERY_MAX_BYTES (4 * FZ_QUERY_MAX_CP)    /* UTF-8: 4 a code point */
#define FZ_QUERY_MAX_GROUPS 64      /* groups are bits of a uint64_t */
#define FZ_NEAR_DEFAULT 10          /* NEAR without /k */
#define FZ_NEAR_MAX 1000            /* the largest k of NEAR/k */

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
    char *han;              /* its folded text when that is Han
                               characters only (one run: the clause is
                               where the text holds these bytes), else
                               NULL */
    size_t han_len;
    char *lit;              /* its folded text when that has a character
                               neither white space nor in a token
                               (punctuation, a symbol), else NULL: the
                               clause is then where its tokens are and
                               the text holds these bytes around them
                               (white space: any run of it) */
    size_t lit_len;
    size_t lit_off;         /* bytes of lit before its first token */
    size_t lit_cp;          /* the same in code points */
};

/* A group is satisfied when any of its clauses matches (OR); the query
 * when every positive group is, every NEAR pair holds (struct fz_qnear)
 * and no negated clause matches.  A negated clause is alone in its
 * group, and a group is positive when its clause is not negated. */
struct fz_qgroup {
    struct fz_qclause *c;
    size_t n;
};

/* Groups a and b (a + 1 == b: each a group of one positive text clause)
 * must be near: at most k code points apart.  The pairs of a chain
 * follow each other in fz_query.near, each one's b the next one's a. */
struct fz_qnear {
    size_t a, b;
    uint32_t k;
};

struct fz_query {
    struct fz_qgroup *g;
    size_t n;               /* at most FZ_QUERY_MAX_GROUPS */
    int needs_check;        /* some clause has more than one token or a
                               literal, or there is a NEAR: the index's
                               candidates must be verified */
    struct fz_qnear *near;
    size_t n_near;
};
#define FZ_QUERY_INIT { NULL, 0, 0, NULL, 0 }

/* Parse argv[0,argc) (the words of the command line, joined by spaces)
 * into *out, which need not be initialised; on failure *out is empty
 * (FZ_QUERY_INIT).  FZ_OK, FZ_ENOMEM, FZ_EIO when a term needs OpenCC
 * and it cannot be loaded (fz_norm_run), or FZ_EINVAL with *errptr saying
 * what and where (characters count from 1 in the joined query):
 * "unbalanced quote at character 5", "OR needs a term on each side",
 * "nothing to search for in '。，'", "only negated terms", "too long
 * (10000 characters; at most 2000)", "more than 64 terms: the 65th is at
 * character 130",
 * "a negated term at character 7 cannot be part of OR" (either side),
 * and for NEAR: "NEAR at character 1 needs a term on each side", "NEAR
 * at the end needs a term after it", "NEAR/abc at character 4: the
 * distance must be a whole number from 0 to 1000", "a negated term at
 * character 9 cannot be part of NEAR", "a title: term at character 1
 * cannot be part of NEAR", "NEAR at character 9 cannot join a term that
 * is part of OR", "OR at character 9 cannot join a term that is part of
 * NEAR",
 * and for the rest: "unbalanced parenthesis at character 1", "AND at
 * character 6 needs a term on each side", "NOT at character 6 needs a
 * term after it", "NOT at character 6 can negate a term or an OR of
 * terms, not a group of several", "'-C' at character 1 looks like an
 * option: ...", "OR at character 5 joins too much: ...". */
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
 * are appended (code points into text), whatever the answer; of a NEAR
 * operand only the occurrences that are near an occurrence of its
 * partner (those that make a pair hold).  Spans come clause by clause,
 * unsorted, and may repeat or overlap.  title may be NULL (tlen 0):
 * then title: clauses match nothing.  1 yes, 0 no, -1 out of memory. */
int fz_query_matches(const struct fz_query *q, const char *text,
                     size_t len, const char *title, size_t tlen,
                     struct fz_spans *spans);
void fz_spans_release(struct fz_spans *s);

/* Sentence ends, as fz_is_sentence_end() tells them: 。 (U+3002) and ｡
 * (U+FF61); ! ? ; and their fullwidth forms ！ ？ ； (U+FF01, U+FF1F,
 * U+FF1B); … (U+2026); the line breaks LF, VT, FF, CR, NEL (U+0085), LS
 * (U+2028) and PS (U+2029).  Folding turns ！？； and ｡ into ! ? ; and 。,
 * so in folded text the fullwidth forms never occur; it also turns … into
 * "...", and '.' is no sentence end (6.5, 1., www.gov.cn), so in folded
 * text an ellipsis does not end a sentence.  Commas, colons and the
 * enumeration comma 、 do not end one either.  1 or 0. */
int fz_is_sentence_end(uint32_t cp);

enum fz_within {
    FZ_WITHIN_PASSAGE,      /* the terms meet in one passage */
    FZ_WITHIN_SENTENCE,     /* ... in one sentence of it */
};

/* fz_query_matches(), with the terms meeting within w.  FZ_WITHIN_PASSAGE
 * is fz_query_matches() itself.  FZ_WITHIN_SENTENCE: the folded text is
 * split at sentence ends (fz_is_sentence_end; the ends belong to no
 * sentence) and the passage matches when one sentence satisfies every
 * positive group and every NEAR pair, each pair with occurrences inside
 * that sentence (a phrase across a sentence end never matches there).
 * title: clauses still look at the title, which every sentence shares, so
 * pass the title when q has them.  A negated clause excludes the passage
 * when it occurs anywhere in the passage, not only in the sentence: the
 * index's AND NOT works per passage, and "about X, not mentioning Y" is
 * meant of the passage a reader is shown.  Spans: those of the sentences
 * that satisfy the positive groups (whether or not a negated clause
 * excludes the passage), as fz_query_matches() gives them, code points
 * into the whole text; none when no sentence does.  Linear in the
 * passage: it is tokenized once and its sentences are runs of its tokens.
 * 1 yes, 0 no, -1 out of memory. */
int fz_query_matches_within(const struct fz_query *q, enum fz_within w,
                            const char *text, size_t len, const char *title,
                            size_t tlen, struct fz_spans *spans);

/* The groups of q that are positive (not one negated clause): bit i for
 * q->g[i]. */
uint64_t fz_query_positive_mask(const struct fz_query *q);

/* The report level: what one passage (folded text, and the report's
 * folded title, or NULL) contributes.  *groups gets bit i when positive
 * group i is satisfied in this passage (by its text, or by the title for
 * a title: clause); the groups of a NEAR chain only when every pair of
 * the chain holds in this passage (a chain is never met across
 * passages).  *negated is 1 when a negated clause occurs in the passage
 * or the title, else 0.  A report matches when the OR of its passages'
 * *groups is fz_query_positive_mask(q) and no passage set *negated.
 * 0, or -1 out of memory (then *groups is 0 and *negated 0). */
int fz_query_groups(const struct fz_query *q, const char *text, size_t len,
                    const char *title, size_t tlen, uint64_t *groups,
                    int *negated);

#endif
