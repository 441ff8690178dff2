/* tests/fuzz/fuzz_ofd.c - the bytes of a .ofd file through
 * fz_extract_ofd(): reader/extract.h's promises (tests/fuzz/extract.h)
 * hold for whatever zip, XML or nesting the bytes hold, and nothing is
 * read past the bounds (the sanitizers and libFuzzer's -rss_limit_mb
 * catch what the checks cannot). */
#include "tests/fuzz/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_extract_one(fz_extract_ofd, data, size, 1, 0);
    return 0;
}
