/* tests/fuzz/fuzz_docx.c - the bytes of a .docx file through
 * fz_extract_docx(): reader/extract.h's promises (tests/fuzz/extract.h)
 * hold for whatever zip, XML or nesting the bytes hold, and nothing is
 * read past the bounds (the sanitizers and libFuzzer's -rss_limit_mb
 * catch what the checks cannot). */
#include "tests/fuzz/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        fz_html_init();     /* xmlInitParser(), no entity loading */
        init = 1;
    }
    struct fz_extract ex;
    char *err = NULL;
    memset(&ex, 0, sizeof ex);
    int rc = fz_extract_docx((const char *)data, size, &ex, &err);
    fuzz_check_extract(rc, err, &ex, 0, 1);
    free(err);
    fuzz_extract_release(&ex);
    return 0;
}
