/* indexer/dict.h - the dictionary an index packs its records with.
 *
 * Promise: fz_dict_train() gives an index that has no dictionary one
 *          (store/codec.h), trained on the records of a sample of the
 *          files about to be indexed: files spread evenly over the list,
 *          read as the run will read them (but never by OCR), until
 *          FZ_CODEC_SAMPLE_BYTES of records.  Every shard gets it,
 *          committed before the first record packed with it
 *          (fz_shards_set_dict()), and run->codec is set.  A sample too
 *          small to learn from (a few hundred passages) leaves the index
 *          without one: its records are written plain, and a later run
 *          with more files trains it.  Records written plain stay plain.
 * Memory:  the sample is freed before it returns.
 * Threads: the writing thread, before the pipeline starts. */
#ifndef FZ_INDEXER_DICT_H
#define FZ_INDEXER_DICT_H

#include "indexer/catalog.h"
#include "indexer/run.h"
#include "indexer/shards.h"
#include "indexer/walk.h"

/* 0, or 2 when the index failed (said).  Nothing is done when
 * run->codec is set already. */
int fz_dict_train(struct fz_run *run, struct fz_shards *s,
                  const struct fz_catalog *cat, const struct fz_files *fs);

#endif
