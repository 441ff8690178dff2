/* tests/fuzz/fuzz_docx.c - the bytes of a .docx file through
 * fz_extract_docx(): reader/extract.h's promises (tests/fuzz/extract.h)
 * hold for whatever zip, XML or nesting the bytes hold, and nothing is
 * read past the bounds (the sanitizers and libFuzzer's -rss_limit_mb
 * catch what the checks cannot). */
#include "tests/fuzz/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_extract_one(fz_extract_docx, data, size, 0, 1);
    return 0;
}
