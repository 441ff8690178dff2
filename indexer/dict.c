/* indexer/dict.c - see indexer/dict.h. */
#include "indexer/dict.h"

#include "base/fz.h"
#include "indexer/document.h"
#include "meta/region.h"
#include "reader/report.h"
#include "store/codec.h"

#include <stdlib.h>
#include <string.h>

/* Files read for the sample at most: spread over the list, so that one
 * folder's kind of report does not make the whole dictionary. */
#define SAMPLE_FILES 256
/* and passages from one file at most (a .jsonl file of many reports is
 * read only as far as this) */
#define SAMPLE_PASSAGES 500

struct sample {
    struct fz_buf bytes;
    size_t *sizes;
    size_t n, cap;
};

static int take(struct sample *sm, const struct fz_item *it)
{
    for (size_t r = 0; r < it->nr; r++)
        for (size_t i = 0; i < it->r[r].n; i++) {
            size_t len = 0;
            char *d = fzx_doc_get_data(it->r[r].d[i].doc, &len);
            if (d == NULL)
                continue;
            if (sm->n == sm->cap) {
                size_t cap = sm->cap ? 2 * sm->cap : 1024;
                size_t *v = realloc(sm->sizes, cap * sizeof *v);
                if (v == NULL) {
                    free(d);
                    return FZ_ENOMEM;
                }
                sm->sizes = v;
                sm->cap = cap;
            }
            int rc = fz_buf_append(&sm->bytes, d, len);
            free(d);
            if (rc != FZ_OK)
                return rc;
            sm->sizes[sm->n++] = len;
        }
    return FZ_OK;
}

/* Read the sample's files into sm.  FZ_OK or FZ_ENOMEM. */
static int gather(struct fz_run *run, const struct fz_catalog *cat,
                  const struct fz_files *fs, struct sample *sm)
{
    char *err = NULL;
    struct fz_regions *regions = fz_regions_open(&err);
    struct fz_textctx tc;
    if (regions == NULL || fz_textctx_open(&tc, regions, &err) != FZ_OK) {
        free(err);
        fz_regions_close(regions);
        return FZ_ENOMEM;
    }
    /* the sample is read for its text: a scan read by OCR would be read
     * twice, and at OCR's pace */
    struct fz_extract_opts keep = run->extract;
    run->extract.ocr = 0;
    size_t files = fs->n < SAMPLE_FILES ? fs->n : SAMPLE_FILES;
    int rc = FZ_OK;
    for (size_t j = 0; rc == FZ_OK && j < files
                       && sm->bytes.len < FZ_CODEC_SAMPLE_BYTES
                       && !fz_run_interrupted(run); j++) {
        struct fz_item it;
        memset(&it, 0, sizeof it);
        it.max_passages = SAMPLE_PASSAGES;
        fz_document_prepare(run, &it, &tc, cat, &fs->v[j * fs->n / files],
                            1);
        rc = take(sm, &it);
        fz_item_release(&it);
    }
    run->extract = keep;
    fz_textctx_close(&tc);
    fz_regions_close(regions);
    return rc;
}

int fz_dict_train(struct fz_run *run, struct fz_shards *s,
                  const struct fz_catalog *cat, const struct fz_files *fs)
{
    if (run->codec || fs->n == 0)
        return 0;
    struct sample sm = { FZ_BUF_INIT, NULL, 0, 0 };
    struct fz_buf dict = FZ_BUF_INIT;
    char *err = NULL;
    int rc = gather(run, cat, fs, &sm);
    int status = 0;
    if (rc == FZ_OK && fz_codec_train(sm.bytes.data, sm.sizes, sm.n, &dict,
                                      NULL) == FZ_OK
        && fz_shards_set_dict(run, s, dict.data, dict.len, &err) != FZ_OK) {
        fz_run_warn(run, "%s: %s", s->dir, err ? err : "out of memory");
        status = 2;
    } else if (rc != FZ_OK) {
        fz_run_warn(run, "out of memory");
        status = 2;
    }
    free(err);
    fz_buf_release(&dict);
    fz_buf_release(&sm.bytes);
    free(sm.sizes);
    return status;
}
