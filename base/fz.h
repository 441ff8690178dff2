/* base/fz.h - result codes and error reporting shared by every fz module.
 *
 * Every library function that can fail returns FZ_OK (0) or one of the
 * codes below; fz_strerror() names them.  The detail travels in an optional
 * `char **errptr`, by leveldb's rules: on entry *errptr is NULL or malloc'd;
 * a failure replaces it with a malloc'd one-line message (lowercase, no full
 * stop, no program or file name; no control characters: those of any input
 * it quotes become spaces); success leaves it alone.  errptr itself may be
 * NULL when the caller does not want the message. */
#ifndef FZ_FZ_H
#define FZ_FZ_H

#include <stddef.h>

/* fz's own version, which --version prints with the index layout and
 * Xapian's. */
#define FZ_VERSION "0.5"

enum fz_code {
    FZ_OK = 0,
    FZ_ENOMEM = 1,      /* out of memory */
    FZ_EIO = 2,         /* a read or write failed */
    FZ_EINVAL = 3,      /* the input is not what the function accepts */
    FZ_EINDEX = 4,      /* the index is missing, locked or damaged */
    /* the index layer's (shim/fzx.h) finer answers, for callers that act
     * on them: */
    FZ_ELOCKED = 5,     /* another writer holds the index */
    FZ_ENOTFOUND = 6,   /* no database (or no such document) there */
    FZ_EMODIFIED = 7,   /* the index changed under a reader: reopen */
    FZ_ENOTSTUB = 8,    /* no stub file (list of shards) there */
    FZ_ENETWORK = 9,    /* a remote shard did not answer */
    FZ_EUNREADABLE = 10, /* a file holds no text fz can read (encrypted,
                           scanned without --ocr, corrupt, past a bound) */
};

/* A static string naming code; never NULL. */
const char *fz_strerror(int code);

/* Replace *errptr (if errptr is not NULL) with a malloc'd message made from
 * fmt.  Always returns -1 so that `return fz_set_error(...)` reads well in
 * functions returning an int status; callers that return a code do so
 * themselves. */
int fz_set_error(char **errptr, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

#endif
