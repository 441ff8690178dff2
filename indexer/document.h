/* indexer/document.h - one report file read and turned into documents.
 *
 * Promise: fz_document_prepare() reads a file (.txt, .htm/.html with its
 *          NAME.json sidecar, or .jsonl, one report a line), runs each
 *          report through the text pipeline and builds the Xapian
 *          documents of its passages (store/schema.h: terms, values, and
 *          the stored JSON record of passage and report, the file's
 *          path its one path); a report's id is its text's hash
 *          (store/schema.h).  It looks the file up in the catalogue
 *          first, by its file hash, and stops there when the file is
 *          unchanged, or, when asked, when the same bytes are indexed at
 *          another path (moved or copied: their reports are known).
 *          Nothing is written: the item waits for a writer
 *          (indexer/collection.h).
 * Memory:  struct fz_item owns its documents and warnings;
 *          fz_item_release() frees them (an item zeroed is empty).
 * Threads: one item is prepared by one thread; the fz_textctx and the
 *          readers passed in are that thread's own. */
#ifndef FZ_INDEXER_DOCUMENT_H
#define FZ_INDEXER_DOCUMENT_H

#include "base/buf.h"
#include "indexer/catalog.h"
#include "indexer/run.h"
#include "indexer/walk.h"
#include "reader/report.h"
#include "shim/fzx.h"

#include <stddef.h>

/* A .jsonl file is read whole and its records cut from it in memory: a
 * bound, so that a runaway file is one line on stderr rather than all of
 * memory; bigger ones can be split.  Records: FZ_RECORD_MAX_BYTES. */
#define FZ_JSONL_MAX_BYTES ((size_t)1 << 30)

struct fz_pdoc {
    fzx_doc *doc;
};

/* One report: its id and its passages' documents. */
struct fz_prep {
    char rid[17];
    struct fz_pdoc *d;
    size_t n;
};

/* One file, read and turned into documents, waiting for the writer. */
struct fz_item {
    int ready;                  /* pipeline: prepared (under its lock) */
    int status;                 /* 0 all read, 1 some not (said), 2 fatal */
    int unchanged;              /* same path, same hash: nothing to do */
    const struct fz_entry *old; /* the catalogue's entry of this path */
    const struct fz_entry *known;   /* one of another path with this
                                       hash: its reports are this file's
                                       (not read: r is empty) */
    char hash[17];
    struct fz_prep *r;
    size_t nr;
    size_t passages;
    size_t max_passages;        /* set by the caller: stop reading the
                                   file's reports once it has this many
                                   passages (a sample); 0: read it all */
    struct fz_buf msgs;         /* its warnings, printed in file order */
};

/* Read f and build its documents into it (zeroed by the caller).  tc is
 * the thread's text pipeline; cat the catalogue, for it->old,
 * it->unchanged and, when shortcut is non-zero, it->known.  Problems go
 * to it->msgs and it->status; the jsonl loop stops early when run is
 * interrupted. */
void fz_document_prepare(struct fz_run *run, struct fz_item *it,
                         struct fz_textctx *tc, const struct fz_catalog *cat,
                         const struct fz_file *f, int shortcut);

/* What a passage's document is found by (store/schema.h): the tokens
 * of its folded text, of its folded section headings (S, at most 4) and
 * of its report's folded title (T, when it has one), and the boolean
 * terms of its report (R), level (L), year (Y, when known) and each
 * prefix of its region code (G).  Its values and data are the caller's. */
struct fz_doc_terms {
    const char *rid;
    const char *norm;
    const char *const *section;
    size_t n_section;
    const char *ntitle;
    const char *level;              /* fz_level_name() */
    int year;                       /* 0: unknown */
    const char *code;               /* "" or NULL: none */
};
int fz_document_terms(fzx_doc *d, const struct fz_doc_terms *t);

/* Fold the section headings section[0,min(n,4)) into out[], reusing
 * what out[] holds for a heading equal to src[] (both kept by the caller
 * across a report's passages, NULL at first; out[] freed by it).  FZ_OK
 * or FZ_ENOMEM. */
struct fz_norm;
int fz_document_fold_sections(struct fz_norm *norm, char *const *section,
                              size_t n, const char *src[4], char *out[4]);

/* Add "prog: message\n" to it->msgs. */
void fz_item_warn(const struct fz_run *run, struct fz_item *it,
                  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Free it's documents and warnings; it->nr becomes 0. */
void fz_item_release(struct fz_item *it);

#endif
