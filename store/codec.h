/* store/codec.h - records packed with a dictionary of the index's own.
 *
 * Promise: a stored record (store/stored.h) is JSON, which Xapian keeps
 *          deflated one record at a time: a passage of a few hundred
 *          bytes shares nothing with the next, so zlib halves it at
 *          best.  An index may hold a zstd dictionary trained on a
 *          sample of its own records (FZ_ZDICT_KEY in every shard's
 *          metadata); a record written with it is a zstd frame naming
 *          the dictionary, about 40% smaller than zlib makes it and
 *          three times faster to read (README, "Index layout").  Records
 *          written before an index had a dictionary stay plain JSON, and
 *          fz_codec_unpack() tells the two apart by the frame's magic
 *          number, which no JSON text begins with.  Shards indexed apart
 *          and searched together each have their own dictionary: a
 *          reader loads every shard's (fz_codec_load()), and a record is
 *          unpacked with the one its frame names.
 * Memory:  a codec loaded is kept until the process ends; the output
 *          buffers are the caller's.
 * Threads: codecs are read-only once loaded and shared by any number of
 *          threads (loading takes a lock, finding one none); each thread
 *          packs and unpacks with zstd contexts of its own, made on
 *          first use and freed when it exits. */
#ifndef FZ_STORE_CODEC_H
#define FZ_STORE_CODEC_H

#include "base/buf.h"

#include <stddef.h>

struct fz_codec;

/* The most dictionary a sample trains (and no more than a sixteenth of
 * the sample: 64 KB from 1 MB of records gave the figures above; a
 * dictionary trained on 1, 2 or 4 MB packed other reports' records
 * alike) and the sample an indexer gathers for it. */
#define FZ_CODEC_DICT_MAX ((size_t)64 << 10)
#define FZ_CODEC_SAMPLE_BYTES ((size_t)1 << 20)

/* Train a dictionary on the n records samples holds one after another,
 * sizes[i] bytes each; the dictionary into *dict (reset first).  FZ_OK;
 * FZ_EINVAL with *errptr when the sample is too small to learn from (a
 * few hundred records are needed); FZ_ENOMEM. */
int fz_codec_train(const char *samples, const size_t *sizes, size_t n,
                   struct fz_buf *dict, char **errptr);

/* The codec of the dictionary dict[0,len), made the first time it is
 * loaded in this process (a copy) and kept: readers load a shard's
 * dictionary search after search.  NULL when len is 0 (no dictionary);
 * NULL with *errptr when dict is not a zstd dictionary, when another
 * loaded one has its id, or out of memory. */
const struct fz_codec *fz_codec_load(const void *dict, size_t len,
                                     char **errptr);

/* The id of the zstd dictionary dict[0,len) (0: not one), and whether
 * a dictionary of that id is loaded in this process. */
unsigned fz_codec_dict_id(const void *dict, size_t len);
int fz_codec_loaded(unsigned id);

/* Replace the record rec (plain JSON) with its packed form.  FZ_OK or
 * FZ_ENOMEM (rec unchanged). */
int fz_codec_pack(const struct fz_codec *c, struct fz_buf *rec);

/* Whether data[0,len) is a packed record (a zstd frame). */
int fz_codec_packed(const char *data, size_t len);

/* The plain record of data[0,len): when it is packed, unpacked into out
 * (reset first) with the loaded dictionary its frame names, and *plain,
 * *plain_len pointed at out; otherwise data itself.  FZ_OK; FZ_EINVAL
 * when data is packed but damaged, or with a dictionary not loaded;
 * FZ_ENOMEM. */
int fz_codec_unpack(const char *data, size_t len, struct fz_buf *out,
                    const char **plain, size_t *plain_len);

#endif
