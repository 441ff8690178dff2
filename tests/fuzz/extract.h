/* tests/fuzz/extract.h - what reader/extract.h promises of any reader's
 * result, checked by the DOCX, OFD and MIME targets. */
#ifndef FZ_FUZZ_EXTRACT_H
#define FZ_FUZZ_EXTRACT_H

#include <libxml/parser.h>

#include "tests/fuzz/fuzz.h"
#include "base/fz.h"
#include "reader/extract.h"
#include "text/clean.h"
#include "text/html.h"

/* rc is FZ_OK, or FZ_EUNREADABLE / FZ_ENOMEM with a one-line message;
 * on FZ_OK the text is valid UTF-8 within FZ_EXTRACT_MAX_TEXT, its only
 * control characters '\n', '\f' (paged formats only) and a heading mark
 * at a line's start followed by a level 1-4 (marked formats only); the
 * title valid UTF-8 of one line, the date YYYY-MM-DD. */
static inline void fuzz_check_extract(int rc, char *err,
                                      const struct fz_extract *ex,
                                      int paged, int marked)
{
    if (rc != FZ_OK) {
        FUZZ_CHECK(rc == FZ_EUNREADABLE || rc == FZ_ENOMEM);
        fuzz_check_message(err);
        return;
    }
    FUZZ_CHECK(err == NULL);
    const char *t = ex->text.data ? ex->text.data : "";
    size_t n = ex->text.len;
    FUZZ_CHECK(n <= FZ_EXTRACT_MAX_TEXT + (1u << 20));
    FUZZ_CHECK(fuzz_utf8_ok(t, n));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == (unsigned char)FZ_CLEAN_HEADING_MARK) {
            FUZZ_CHECK(marked);
            FUZZ_CHECK(i == 0 || t[i - 1] == '\n' || t[i - 1] == '\f');
            FUZZ_CHECK(i + 1 < n && t[i + 1] >= '1' && t[i + 1] <= '4');
        } else if (c == '\f') {
            FUZZ_CHECK(paged);
        } else if (c < 0x20) {
            FUZZ_CHECK(c == '\n');
        }
    }
    if (ex->title) {
        FUZZ_CHECK(fuzz_utf8_ok(ex->title, strlen(ex->title)));
        FUZZ_CHECK(strchr(ex->title, '\n') == NULL);
    }
    if (ex->date) {
        FUZZ_CHECK(strlen(ex->date) == 10);
        FUZZ_CHECK(ex->date[4] == '-' && ex->date[7] == '-');
    }
    FUZZ_CHECK(ex->pages <= FZ_EXTRACT_MAX_PAGES);
}

/* One reader's run over data[0,size): its result checked as above (paged,
 * marked: what the format may hold), then released. */
static inline void fuzz_extract_one(int (*read)(const char *, size_t,
                                                struct fz_extract *, char **),
                                    const uint8_t *data, size_t size,
                                    int paged, int marked)
{
    static int init;
    if (!init) {
        fz_html_init();     /* xmlInitParser(), no entity loading */
        init = 1;
    }
    struct fz_extract ex;
    char *err = NULL;
    memset(&ex, 0, sizeof ex);
    int rc = read((const char *)data, size, &ex, &err);
    fuzz_check_extract(rc, err, &ex, paged, marked);
    free(err);
    fz_extract_release(&ex);
}

#endif
