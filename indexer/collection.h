/* indexer/collection.h - the index as a collection: files and reports.
 *
 * Promise: a report is its text (its id is the hash of it), and its
 *          record lists the paths it was found at; the catalogue in
 *          shard 0 lists each file with its hash and its reports
 *          (store/schema.h).  fz_coll_write_file() brings the index in
 *          line with one prepared file: a report new to the index is
 *          added to the shard fz_shards_route() gives; one already there
 *          gains the path (or, read again from its first path, has its
 *          documents rewritten, its paths kept); reports the file no
 *          longer yields lose the path, and are deleted when they have
 *          none left; then the catalogue entry.  fz_coll_remove_file()
 *          does the same for a file that is gone.  Every step is
 *          idempotent and shard 0 is committed last, so a run killed
 *          at any moment leaves whole reports, and the next run finishes
 *          the job: a catalogue entry never names a report that was not
 *          committed.
 * Memory:  struct fz_coll borrows run, s and cat; fz_coll_release() frees
 *          what it keeps (the hashes of copies, to tell moves).
 * Threads: the one writing thread.  It adds the documents of new
 *          reports to K shards by count a thread per shard, waiting for
 *          them (collection.c, "writing shards side by side"). */
#ifndef FZ_INDEXER_COLLECTION_H
#define FZ_INDEXER_COLLECTION_H

#include "base/buf.h"
#include "indexer/catalog.h"
#include "indexer/document.h"
#include "indexer/run.h"
#include "indexer/shards.h"
#include "indexer/walk.h"

#include <stddef.h>

struct fz_coll {
    struct fz_run *run;
    struct fz_shards *s;
    const struct fz_catalog *cat;
    size_t pending;             /* passages (and files) not committed */
    char (*copies)[17];         /* hashes of the files counted as copies */
    size_t n_copies, cap_copies;
    unsigned char *gone;        /* cat->v[k] removed in this run */
    struct held *held;          /* per shard: documents held back, to be
                                   added a thread per shard (private) */
    size_t n_held;              /* shards when the run began */
    char (*held_rids)[17];      /* the reports they are of */
    size_t n_held_rids, cap_held_rids, held_passages;
    struct fz_buf dead;         /* FZ_DEAD_KEY: " RID RID ..." */
    int dead_dirty;
    struct fz_purge *purge;     /* per shard: documents replaced, for the
                                   rebuild to drop (private) */
    unsigned long *added;       /* per shard: documents added this run */
    size_t n_purge;             /* room in purge and added */
};

/* it->known names reports the index no longer has: the caller reads the
 * file (fz_document_prepare without the shortcut) and writes it again. */
#define FZ_COLL_REREAD 3

/* FZ_OK or FZ_ENOMEM. */
int fz_coll_init(struct fz_coll *c, struct fz_run *run, struct fz_shards *s,
                 const struct fz_catalog *cat);
void fz_coll_release(struct fz_coll *c);

/* Write the prepared file it (at path, absolute), counting into st.  A
 * file with the bytes of one indexed at a path that is no longer there,
 * wherever that was, moved: the old path leaves the index.
 * commit every shard once run->batch_passages are pending.  0; 2 when
 * the index failed (said, run->index_failed set); FZ_COLL_REREAD. */
int fz_coll_write_file(struct fz_coll *c, struct fz_item *it,
                       const char *path, struct fz_stats *st);

/* Remove the file of catalogue entry e from the index (st->gone, and
 * st->removed for the reports deleted).  A file whose hash a copy
 * counted in this run has is counted as moved instead (st->moved one up,
 * st->copies one down).  0, or 2 as above. */
int fz_coll_remove_file(struct fz_coll *c, const struct fz_entry *e,
                        struct fz_stats *st);

/* The end of a run, after its last fz_coll_commit(): each shard holding
 * documents replaced by a rewrite of their report, or whose removed
 * reports hold a quarter of its documents, is rebuilt without them
 * (indexer/rebuild.h), and the list of removed reports shortened; a
 * shard this run added a quarter of its documents to is compacted, so
 * that the index as written is as small as Xapian makes it.  0, or 2
 * when said. */
int fz_coll_finish(struct fz_coll *c);

/* The files of the catalogue under the folder dir (absolute) that the
 * walk fs (sorted) did not find, removed: the index mirrors dir.  When
 * the walk of dir had problems (walk_ok 0), only those whose path is no
 * longer there, lest an unreadable subfolder empty the index.  0, 1
 * when interrupted, or 2 as above. */
int fz_coll_prune(struct fz_coll *c, const char *dir, int walk_ok,
                  const struct fz_files *fs, struct fz_stats *st);

/* Commit what is pending.  0, or 2 as above. */
int fz_coll_commit(struct fz_coll *c);

/* Set the catalogue's "last-run" to now (in the open transaction of
 * shard 0).  FZ_OK or a code. */
int fz_coll_stamp(struct fz_coll *c, char **errptr);

#endif
