/* shim/fzx.h - the C API over Xapian 1.4: the only door to C++ in fz.
 *
 * Conventions (leveldb's, see base/fz.h): opaque handles; strings as
 * pointer + length (terms and data may hold any bytes); `char **errptr`
 * last: on failure *errptr receives a malloc'd one-line message (the old
 * one freed), on success it is left alone; errptr may be NULL.  Functions
 * return FZ_OK (0) or a code of enum fz_code (base/fz.h), which
 * fz_strerror() names: FZ_EINDEX for Xapian errors, FZ_ENOMEM, FZ_EINVAL
 * for misuse (an empty term, id or key; commit without begin), and the
 * finer FZ_ELOCKED, FZ_ENOTFOUND, FZ_EMODIFIED, FZ_ENOTSTUB, FZ_ENETWORK
 * where a function says so; those returning pointers or numbers say a
 * failure through an `int *code` out-parameter (NULL: not wanted), set
 * on success too (to FZ_OK).  Every function is noexcept: no C++
 * exception crosses into C.  Strings handed to C are malloc'd (the
 * caller free()s them) unless a function says it lends them.  Like
 * Xapian objects, a handle is used by one thread at a time; destructors
 * accept NULL.
 *
 * Xapian's file names and formats (the stub file listing shards, the
 * marker and lock files of a database, the term list a frozen index
 * drops) are known here and nowhere else in fz.
 *
 * Entry points only the tests use are in shim/fzx_test.h. */
#ifndef FZ_FZX_H
#define FZ_FZX_H

#include "base/fz.h"

#include <stddef.h>

#ifdef __cplusplus
#define FZX_NOEXCEPT noexcept
extern "C" {
#else
#define FZX_NOEXCEPT
#endif

/* The Xapian library's version ("1.4.22"), for --version. */
const char *fzx_xapian_version(void) FZX_NOEXCEPT;

/* Call fn (which must not return: it ends the process) when Xapian cannot
 * go on: std::terminate().  Xapian 1.4 glass writes value streams from a
 * destructor (ValueUpdater, on commit), which C++ makes noexcept, so a
 * write error there, a full disk most often, ends the process instead of
 * failing the call.  What was committed before is safe on disk (glass
 * switches revisions atomically); fn can still say what was under way.
 * errno is then usually what the failed write set.  For main() only. */
void fzx_on_fatal(void (*fn)(void)) FZX_NOEXCEPT;

/* ---- databases ------------------------------------------------------- */

typedef struct fzx_db fzx_db;           /* read-only */
typedef struct fzx_writer fzx_writer;   /* the one writer of a database */

/* Open the database in dir for reading.  NULL on failure; *code (if not
 * NULL) receives FZ_ENOTFOUND when there is no database there, else
 * FZ_EINDEX ("not an index" for a file listing no database, "not an
 * index, or a damaged one (...)" when its files make no sense). */
fzx_db *fzx_db_open(const char *dir, int *code, char **errptr) FZX_NOEXCEPT;
void fzx_db_close(fzx_db *db) FZX_NOEXCEPT;
/* Re-read the latest committed revision (after a writer committed, or on
 * FZ_EMODIFIED).  Every fzx_mset of db is invalid afterwards: search
 * again.  FZ_OK or FZ_EINDEX. */
int fzx_db_reopen(fzx_db *db, char **errptr) FZX_NOEXCEPT;
/* ---- shards: one database made of several ---------------------------- */

/* Xapian's stub database lists the databases to search as one: a file
 * (or a folder's XAPIANDB) of lines `auto PATH`, `glass PATH` (relative
 * to the stub's folder), `remote HOST:PORT` (a xapian-tcpsrv) or
 * `remote :PROGRAM ARGS` (a program speaking the remote protocol on its
 * standard input and output, such as `ssh HOST xapian-progsrv DIR`);
 * `#` starts a comment.  Reading it here, rather than letting Xapian
 * open it, names the shard that fails and lets the others be searched. */
enum fzx_shard_kind { FZX_SHARD_LOCAL, FZX_SHARD_TCP, FZX_SHARD_PROG };
struct fzx_shard {
    enum fzx_shard_kind kind;
    char *name;         /* for messages: the path, HOST:PORT, or the
                           program and its arguments */
    char *path;         /* LOCAL: the database; PROG: the program */
    char *args;         /* PROG: its arguments, split at spaces */
    char *host;         /* TCP */
    unsigned port;      /* TCP */
};

/* The shards the stub at path lists, in its order: FZ_OK with *v
 * (malloc'd: fzx_shards_free) and *n, FZ_ENOTSTUB (no stub at the path:
 * a database folder, a single-file database, nothing, or a file it
 * cannot read as one: fzx_db_open says what it is), or FZ_ENOMEM.  A
 * remote database that does not answer later gives FZ_ENETWORK: the
 * connection was refused, closed or timed out (fzx_db_failed_shard()
 * says which). */
int fzx_stub_read(const char *path, struct fzx_shard **v, size_t *n,
                  char **errptr) FZX_NOEXCEPT;
void fzx_shards_free(struct fzx_shard *v, size_t n) FZX_NOEXCEPT;

/* Open v[k] for every k with skip[k] zero (skip may be NULL), and return
 * the database that searches all those that opened, as Xapian searches
 * a stub: statistics and rankings merged.  codes[k] receives FZ_OK or why
 * shard k failed (FZ_ENETWORK, FZ_ENOTFOUND, FZ_EINDEX; -1 when
 * skipped), msgs[k] NULL or a malloc'd message saying so.  Remote
 * shards wait at most timeout_ms for each answer and connect_ms to
 * connect (0: for ever).  NULL only when out of memory; a database of no
 * shard finds nothing. */
fzx_db *fzx_db_open_shards(const struct fzx_shard *v, size_t n,
                           const unsigned char *skip, unsigned timeout_ms,
                           unsigned connect_ms, int *codes, char **msgs)
        FZX_NOEXCEPT;
/* The k of the shard whose connection failed when a call on db (or on
 * an fzx_mset of it) last returned FZ_ENETWORK; -1 when unknown (db not
 * opened by fzx_db_open_shards, or no such failure).  When Xapian's error
 * does not name the connection, each remote shard is asked again on a
 * new one (with its timeouts), and the first that does not answer is
 * the one.  The connections to the other remote shards may be out of
 * step after such a failure: close db and open the shards again. */
long fzx_db_failed_shard(fzx_db *db) FZX_NOEXCEPT;

/* ---- an index folder: shards under a stub ---------------------------- */

/* fz keeps an index as a folder holding its shards, the databases s0000,
 * s0001, ..., and the stub file listing them (one `glass sNNNN` line
 * each), which fzx_stub_read and Xapian open as one database.  The stub
 * may begin with notes, comment lines for the program that wrote it. */

/* The name of the stub file in an index folder, for messages and help. */
#define FZX_STUB_NAME "XAPIANDB"

/* dir's shard k (dir/sNNNN), malloc'd; NULL when out of memory. */
char *fzx_shard_path(const char *dir, size_t k) FZX_NOEXCEPT;

/* Write dir's stub: each line of notes (NULL: none) as a comment, then
 * shards 0 to n - 1.  Replaced in one step (a temporary file, synced,
 * renamed over the old), so a reader finds the old stub or the new one.
 * FZ_OK, FZ_ENOMEM, or FZ_EIO with "STUB: reason" (STUB its path). */
int fzx_stub_write(const char *dir, const char *notes, size_t n,
                   char **errptr) FZX_NOEXCEPT;

/* Read dir's stub, as fzx_stub_read does: *notes receives its comment
 * lines (malloc'd; each without its "# " and ending in a newline; ""
 * when none) and *n the number of shards it lists.  FZ_OK; FZ_ENOTSTUB
 * when dir holds no stub file it can open; FZ_EINVAL (with a message)
 * for one with a line Xapian would not read; FZ_ENOMEM. */
int fzx_stub_notes(const char *dir, char **notes, size_t *n, char **errptr)
        FZX_NOEXCEPT;

/* What the folder dir holds: FZX_HAS_DB when a database (Xapian's marker
 * file), FZX_HAS_STUB when a stub, or both OR'd; 0 for neither, or for a
 * folder that is missing or cannot be looked into. */
#define FZX_HAS_DB      1u
#define FZX_HAS_STUB    2u
unsigned fzx_dir_holds(const char *dir) FZX_NOEXCEPT;

/* What a name found in an index folder is: FZX_NAME_MARK, the file that
 * makes the folder a database or an index of shards (Xapian's marker,
 * the stub); FZX_NAME_PART, another file of a database (its tables, its
 * lock file, its change sets), a shard, or a temporary copy of the stub
 * or of a shard; FZX_NAME_OTHER, anything else. */
enum fzx_name { FZX_NAME_OTHER, FZX_NAME_PART, FZX_NAME_MARK };
enum fzx_name fzx_dir_name(const char *name) FZX_NOEXCEPT;

/* Remove the database folder dir: its files, then the folder (Xapian
 * makes no subfolders).  FZ_OK, or FZ_EIO with the reason. */
int fzx_db_remove(const char *dir, char **errptr) FZX_NOEXCEPT;

/* Number of documents.  On error 0, with *code (FZ_EINDEX, FZ_ENETWORK,
 * FZ_EMODIFIED; FZ_OK on success) and *errptr; code may be NULL. */
unsigned long fzx_db_doccount(fzx_db *db, int *code, char **errptr)
        FZX_NOEXCEPT;
/* The number of documents indexed by term (0 if none).  On error 0 with
 * *code and *errptr, as fzx_db_doccount. */
unsigned long fzx_db_termfreq(fzx_db *db, const char *term, size_t len,
                              int *code, char **errptr) FZX_NOEXCEPT;
/* User metadata stored under key: malloc'd (with *len), NULL when absent
 * (then *len is 0) or on error (*errptr set). */
char *fzx_db_get_metadata(fzx_db *db, const char *key, size_t *len,
                          char **errptr) FZX_NOEXCEPT;
/* The data of the document indexed by unique term, malloc'd; NULL when
 * there is none (*code FZ_ENOTFOUND) or on error (*code says which, as
 * FZ_EMODIFIED when the database changed under the reader; *errptr).
 * code may be NULL. */
char *fzx_db_get_data_by_term(fzx_db *db, const char *term, size_t tlen,
                              size_t *len, int *code,
                              char **errptr) FZX_NOEXCEPT;

/* The data of the first document indexed by term whose value slot holds
 * exactly val, malloc'd; NULL when there is none or on error. */
char *fzx_db_get_data_by_value(fzx_db *db, const char *term, size_t tlen,
                               unsigned slot, const char *val, size_t vlen,
                               size_t *len, char **errptr) FZX_NOEXCEPT;

/* Of the documents indexed by term, the data of the one whose value in
 * slot is least (a report's first passage), malloc'd, with *docid its
 * document id when docid is not NULL; NULL when none is (*docid 0) or on
 * error (*errptr set). */
char *fzx_db_first_data(fzx_db *db, const char *term, size_t tlen,
                        unsigned slot, unsigned long *docid, size_t *len,
                        char **errptr) FZX_NOEXCEPT;

/* All terms beginning with prefix, in byte order, each passed to fn
 * (borrowed for the call); fn returning non-zero stops.  FZ_OK or a
 * code. */
int fzx_db_each_term(fzx_db *db, const char *prefix,
                     int (*fn)(void *ctx, const char *term, size_t len),
                     void *ctx, char **errptr) FZX_NOEXCEPT;

/* How many databases db reads: the shards of a stub opened by
 * fzx_db_open_shards(), else 1 (db itself). */
size_t fzx_db_n_parts(const fzx_db *db) FZX_NOEXCEPT;

/* The value of metadata key in part k (k < fzx_db_n_parts(db)) of db,
 * as fzx_db_get_metadata() gives it for db (which answers from the first
 * part alone). */
char *fzx_db_get_part_metadata(fzx_db *db, size_t k, const char *key,
                               size_t *len, char **errptr) FZX_NOEXCEPT;

/* All metadata keys beginning with prefix, in byte order, each passed to
 * fn with its value (both borrowed for the call); fn returning non-zero
 * stops.  FZ_OK or a code. */
int fzx_db_each_metadata(fzx_db *db, const char *prefix,
                         int (*fn)(void *ctx, const char *key, size_t klen,
                                   const char *val, size_t vlen),
                         void *ctx, char **errptr) FZX_NOEXCEPT;

/* Create or open dir for writing (the directory is made if missing).  A
 * second writer gets NULL with *code FZ_ELOCKED and "index is locked
 * by another writer" in *errptr; a lock that cannot be taken for another
 * reason gives FZ_EINDEX and "cannot lock the index for writing
 * (couldn't open lockfile: Permission denied)". */
fzx_writer *fzx_writer_open(const char *dir, int *code, char **errptr)
        FZX_NOEXCEPT;
/* The same, with flags: FZX_NO_TERMLIST makes a new database without
 * term lists (Xapian's DB_NO_TERMLIST), which then keeps its documents
 * as written: fzx_writer_delete(), fzx_writer_set_data() and
 * fzx_writer_replace() fail on it with FZ_EINDEX ("Database has no
 * termlist").  An existing database keeps what it has, either way. */
enum { FZX_NO_TERMLIST = 1 };
enum { FZX_DOC_SLOTS = 16 };        /* value slots fzx_writer_doc copies */
fzx_writer *fzx_writer_open_with(const char *dir, unsigned flags, int *code,
                                 char **errptr) FZX_NOEXCEPT;
/* How many documents a writer holds in memory before writing them into
 * its tables (inside a transaction that is not a commit: a transaction
 * stays whole whatever the number).  Xapian's default, 10000 documents,
 * suits long documents; with one passage a document its maps of pending
 * postings grow deep enough that adding to them is most of the writing
 * (measured: 1000 indexes the bench's 25 MB 1.47x as fast as 10000,
 * at half the peak memory).  Xapian reads it from the environment
 * (XAPIAN_FLUSH_THRESHOLD) when a writer opens, so this sets that unless
 * the user has: call it before any thread starts. */
#define FZX_FLUSH_DOCS 1000
void fzx_writer_defaults(void) FZX_NOEXCEPT;
/* Commits what is pending outside a transaction (an open transaction is
 * cancelled), then closes; w is freed even on failure.  FZ_OK or
 * FZ_EINDEX. */
int fzx_writer_close(fzx_writer *w, char **errptr) FZX_NOEXCEPT;
/* Transactions: nothing between begin and commit is visible, or survives
 * a crash, unless commit succeeds; cancel drops it.  Not nested. */
int fzx_writer_begin(fzx_writer *w, char **errptr) FZX_NOEXCEPT;
int fzx_writer_commit(fzx_writer *w, char **errptr) FZX_NOEXCEPT;
int fzx_writer_cancel(fzx_writer *w, char **errptr) FZX_NOEXCEPT;
/* Delete every document indexed by term (a unique id or a group term).
 * FZ_OK (also when none was) or FZ_EINDEX. */
int fzx_writer_delete(fzx_writer *w, const char *term, size_t len,
                      char **errptr) FZX_NOEXCEPT;
int fzx_writer_set_metadata(fzx_writer *w, const char *key,
                            const char *val, size_t len, char **errptr)
        FZX_NOEXCEPT;
char *fzx_writer_get_metadata(fzx_writer *w, const char *key, size_t *len,
                              char **errptr) FZX_NOEXCEPT;
/* All terms beginning with prefix, each passed to fn (term borrowed for
 * the call); fn returning non-zero stops.  FZ_OK or FZ_EINDEX. */
int fzx_writer_each_term(fzx_writer *w, const char *prefix,
                         int (*fn)(void *ctx, const char *term, size_t len),
                         void *ctx, char **errptr) FZX_NOEXCEPT;

/* The number of documents indexed by term, pending changes included;
 * -1 on error. */
long fzx_writer_termfreq(fzx_writer *w, const char *term, size_t len,
                         char **errptr) FZX_NOEXCEPT;

/* fzx_db_first_data() on the database being written, pending changes
 * included. */
char *fzx_writer_first_data(fzx_writer *w, const char *term, size_t tlen,
                            unsigned slot, unsigned long *docid,
                            size_t *len, char **errptr) FZX_NOEXCEPT;

/* The highest document id used, pending changes included; 0 for none
 * (or on error, with *errptr). */
unsigned long fzx_writer_lastdocid(fzx_writer *w, char **errptr)
        FZX_NOEXCEPT;

/* The ids of the documents indexed by term, ascending, pending changes
 * included: *ids malloc'd (NULL when *n is 0).  FZ_OK, FZ_ENOMEM or
 * FZ_EINDEX. */
int fzx_writer_postings(fzx_writer *w, const char *term, size_t tlen,
                        unsigned long **ids, size_t *n, char **errptr)
        FZX_NOEXCEPT;

/* A new document holding document docid's data and its values in slots
 * below FZX_DOC_SLOTS, not its terms (a database without term lists
 * cannot say them): for rebuilding it.
 * NULL with *code FZ_ENOTFOUND (no such document), FZ_EINDEX or
 * FZ_ENOMEM. */
struct fzx_doc *fzx_writer_doc(fzx_writer *w, unsigned long docid,
                               int *code, char **errptr) FZX_NOEXCEPT;

/* Replace the data of document docid, its terms and values unchanged.
 * FZ_OK, FZ_ENOTFOUND (no such document) or FZ_EINDEX. */
int fzx_writer_set_data(fzx_writer *w, unsigned long docid,
                        const char *data, size_t len, char **errptr)
        FZX_NOEXCEPT;

/* All metadata keys beginning with prefix, in byte order, each passed to
 * fn (borrowed for the call; fn may set or delete metadata); fn returning
 * non-zero stops.  FZ_OK or FZ_EINDEX. */
int fzx_writer_each_metadata_key(fzx_writer *w, const char *prefix,
                                 int (*fn)(void *ctx, const char *key,
                                           size_t len),
                                 void *ctx, char **errptr) FZX_NOEXCEPT;

/* ---- documents -------------------------------------------------------- */

typedef struct fzx_doc fzx_doc;

fzx_doc *fzx_doc_new(void) FZX_NOEXCEPT;
void fzx_doc_free(fzx_doc *d) FZX_NOEXCEPT;
/* A term with its within-document frequency increased by wdf_inc. */
int fzx_doc_add_term(fzx_doc *d, const char *term, size_t len,
                     unsigned wdf_inc) FZX_NOEXCEPT;
/* A boolean term: filters only, no weight. */
int fzx_doc_add_boolean(fzx_doc *d, const char *term, size_t len)
        FZX_NOEXCEPT;
int fzx_doc_set_value(fzx_doc *d, unsigned slot, const char *val,
                      size_t len) FZX_NOEXCEPT;
int fzx_doc_set_data(fzx_doc *d, const char *data, size_t len) FZX_NOEXCEPT;
/* d's data, or its value in slot: malloc'd, NULL when empty (*len 0) or
 * out of memory. */
char *fzx_doc_get_data(const fzx_doc *d, size_t *len) FZX_NOEXCEPT;
char *fzx_doc_get_value(const fzx_doc *d, unsigned slot, size_t *len)
        FZX_NOEXCEPT;

/* Add d as a new document; when idlen is not 0, d gains the unique term
 * id as a boolean term, for an id known not to be in the database yet.
 * d stays the caller's: use a fresh one per document.  FZ_OK or
 * FZ_EINDEX. */
int fzx_writer_add(fzx_writer *w, const char *id, size_t idlen, fzx_doc *d,
                   char **errptr) FZX_NOEXCEPT;

/* Write a compacted copy of the database (or stub) at src into the new
 * folder dst with Xapian's compactor; with merge, a stub's shards become
 * one database.  FZ_OK or FZ_EINDEX. */
int fzx_compact(const char *src, const char *dst, int merge,
                char **errptr) FZX_NOEXCEPT;

/* Freeze the database in dir, a copy fzx_compact just made that nothing
 * has opened: drop the term lists, which Xapian needs only to change or
 * delete documents (about 45% of a compacted index).  It searches as
 * before but can no longer be written.  FZ_OK, FZ_ENOMEM, or FZ_EIO
 * with "cannot drop the term list: reason". */
int fzx_freeze(const char *dir, char **errptr) FZX_NOEXCEPT;

/* ---- queries ----------------------------------------------------------- */

typedef struct fzx_query fzx_query;

/* Constructors take ownership of their subqueries (even on failure) and
 * return NULL only when out of memory; fzx_query_free frees a tree. */
fzx_query *fzx_query_term(const char *term, size_t len) FZX_NOEXCEPT;
/* Every term starting with prefix as listed from db now (not from each
 * of its shards during the match, as OP_WILDCARD would), OR'd: each term
 * is weighed with its own frequency over the whole database, so one
 * database and its shards give the same scores.  (As OP_SYNONYM, which
 * weighs the expansion as one term, each shard estimated the synonym's
 * frequency for itself and scores differed by up to 0.2%.)
 * NULL on failure, with *code (FZ_ENOMEM, FZ_ENETWORK, FZ_EINDEX). */
fzx_query *fzx_query_expand(fzx_db *db, const char *prefix, size_t len,
                            int *code, char **errptr) FZX_NOEXCEPT;
enum fzx_op {
    FZX_AND, FZX_OR, FZX_AND_NOT, FZX_FILTER, FZX_AND_MAYBE, FZX_PHRASE,
};
/* Combine n subqueries with op (AND_NOT, FILTER, AND_MAYBE: the first
 * is the left side).  PHRASE needs positional terms; window 0 means n. */
fzx_query *fzx_query_combine(enum fzx_op op, fzx_query **subs, size_t n,
                             unsigned window) FZX_NOEXCEPT;
/* Documents whose value in slot is between lo and hi, byte order, both
 * included (C strings); a document without the value is not one. */
fzx_query *fzx_query_value_range(unsigned slot, const char *lo,
                                 const char *hi) FZX_NOEXCEPT;
/* Multiply q's weight by factor (boolean when 0). */
fzx_query *fzx_query_scale(fzx_query *q, double factor) FZX_NOEXCEPT;
void fzx_query_free(fzx_query *q) FZX_NOEXCEPT;

/* ---- matching ---------------------------------------------------------- */

typedef struct fzx_mset fzx_mset;

struct fzx_search {
    unsigned offset, limit;     /* which ranks to return */
    int collapse_slot;          /* -1: no collapse; else one per value */
    unsigned check_at_least;    /* make the count exact up to this many */
    /* When accept is not NULL, a candidate counts as a match only if
     * accept(accept_ctx, its data) returns non-zero (Xapian's
     * MatchDecider: before collapsing, counting and spying).  It must
     * not fail: record trouble in ctx and return 0. */
    int (*accept)(void *ctx, const char *data, size_t len);
    void *accept_ctx;
    /* When spy is non-zero, count the matches per value of spy_slot
     * (Xapian's ValueCountMatchSpy): see fzx_mset_spy(). */
    int spy;
    unsigned spy_slot;
    /* Matches are ordered by weight, equal weights by document id (the
     * order the documents were added in), and a collapse keeps the first
     * of its key in that order.  When sort is non-zero, they are ordered
     * by the value in sort_slot first (ascending, byte order; descending
     * when sort_desc), documents without it last, then by weight. */
    int sort;
    unsigned sort_slot;
    int sort_desc;
    /* Xapian's remote backend cannot run a MatchDecider.  On a database
     * with remote shards, or when client_check is non-zero, accept is
     * applied here instead: every candidate of the match, best first, is
     * read to the client, checked, then spied, collapsed and counted as
     * inside the match, so the result is the same, at the cost of reading
     * every candidate's data (one round trip each to a remote shard). */
    int client_check;
};

/* Run q over db, ranked by BM25.  FZ_EMODIFIED: the database changed
 * under the reader: fzx_db_reopen() and try again; FZ_ENETWORK: a
 * remote shard did not answer.  Returns the result or NULL (then *code
 * says why when code is not NULL).  The result borrows db. */
fzx_mset *fzx_search_run(fzx_db *db, const fzx_query *q,
                         const struct fzx_search *how, int *code,
                         char **errptr) FZX_NOEXCEPT;
void fzx_mset_free(fzx_mset *m) FZX_NOEXCEPT;
size_t fzx_mset_size(const fzx_mset *m) FZX_NOEXCEPT;
/* Estimated matches; exact when lower == upper bound, which a search
 * with accept, a collapse_slot and check_at_least at least the number of
 * documents always is (its count is made as collapsing counts). */
unsigned long fzx_mset_estimated(const fzx_mset *m) FZX_NOEXCEPT;
unsigned long fzx_mset_lower(const fzx_mset *m) FZX_NOEXCEPT;
unsigned long fzx_mset_upper(const fzx_mset *m) FZX_NOEXCEPT;
double fzx_mset_weight(const fzx_mset *m, size_t i) FZX_NOEXCEPT;
/* The data of hit i, malloc'd (with *len); NULL on error (*code may say
 * FZ_EMODIFIED or FZ_ENETWORK). */
char *fzx_mset_data(const fzx_mset *m, size_t i, size_t *len, int *code,
                    char **errptr) FZX_NOEXCEPT;
/* Value slot of hit i, malloc'd; "" when unset. */
char *fzx_mset_value(const fzx_mset *m, size_t i, unsigned slot,
                     size_t *len, char **errptr) FZX_NOEXCEPT;
/* The spy's counts: the number of distinct values seen, and value k (lent:
 * valid while m lives) with the number of matches that had it.  Values
 * come in byte order; unset values are not counted. */
size_t fzx_mset_spy_size(const fzx_mset *m) FZX_NOEXCEPT;
const char *fzx_mset_spy_value(const fzx_mset *m, size_t k, size_t *len,
                               unsigned long *count) FZX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
