#include "store/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t fz_hash64(const void *p, size_t len, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void fz_report_id(const char *path, size_t record, char out[17])
{
    char num[24];
    uint64_t h = fz_hash64(path, strlen(path), FZ_HASH64_INIT);
    snprintf(num, sizeof num, "\n%zu", record);
    h = fz_hash64(num, strlen(num), h);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void fz_file_id(const char *path, char out[17])
{
    uint64_t h = fz_hash64(path, strlen(path), FZ_HASH64_INIT);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

char *fz_default_db(void)
{
    const char *e = getenv("FZ_DB");
    char *out = NULL;
    if (e && *e)
        return strdup(e);
    if ((e = getenv("XDG_DATA_HOME")) && *e)
        return asprintf(&out, "%s/fz", e) < 0 ? NULL : out;
    if ((e = getenv("HOME")) && *e)
        return asprintf(&out, "%s/.local/share/fz", e) < 0 ? NULL : out;
    return NULL;
}
