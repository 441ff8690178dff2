/* store/schema.c - see store/schema.h. */
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

uint64_t fz_report_id_add(uint64_t h, const char *folded)
{
    h = fz_hash64(folded, strlen(folded), h);
    return fz_hash64("\n", 1, h);
}

void fz_id_hex(uint64_t h, char out[17])
{
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

long fz_ids_find(const char *list, size_t len, const char *rid)
{
    for (size_t i = 0; list && i + 17 <= len; i += 17)
        if (memcmp(list + i + 1, rid, 16) == 0)
            return (long)i;
    return -1;
}
