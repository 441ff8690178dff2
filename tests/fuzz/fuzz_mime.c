/* tests/fuzz/fuzz_mime.c - the bytes of a .mht file through
 * fz_extract_mhtml(), and the page it gives through fz_html_to_text():
 * reader/extract.h's promises (tests/fuzz/extract.h) hold, the page is
 * valid UTF-8 and text/html.h reads it. */
#include <gmime/gmime.h>

#include "tests/fuzz/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        fz_html_init();
        g_mime_init();
        init = 1;
    }
    struct fz_extract ex;
    char *err = NULL, *title = NULL;
    memset(&ex, 0, sizeof ex);
    int rc = fz_extract_mhtml((const char *)data, size, &ex, &err);
    if (rc == FZ_OK) {
        /* HTML, not lines: only its encoding is promised */
        FUZZ_CHECK(fuzz_utf8_ok(ex.text.data ? ex.text.data : "",
                                ex.text.len));
        struct fz_buf t = FZ_BUF_INIT;
        FUZZ_CHECK(fz_html_to_text(ex.text.data ? ex.text.data : "",
                                   ex.text.len, &t, &title, NULL) == FZ_OK);
        FUZZ_CHECK(fuzz_utf8_ok(t.data ? t.data : "", t.len));
        fz_buf_release(&t);
        free(title);
    } else {
        fuzz_check_extract(rc, err, &ex, 0, 0);
    }
    free(err);
    fz_extract_release(&ex);
    return 0;
}
