#include "reader/savedpage.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int fz_saved_page_assets(const char *dir)
{
    static const char *const suffix[] = { "_files", ".files", "_文件" };
    static const char *const ext[] = {
        "htm", "html", "shtml", "xhtml", "mht", "mhtml",
        "HTM", "HTML", "SHTML", "XHTML", "MHT", "MHTML",
    };
    char base[4096];
    struct stat st;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n >= sizeof base - 8)
        return 0;
    memcpy(base, dir, n);
    base[n] = '\0';
    if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        size_t sl = strlen(suffix[i]);
        const char *name = strrchr(base, '/');
        name = name ? name + 1 : base;
        if (n < sl || strlen(name) <= sl || strcmp(base + n - sl, suffix[i]))
            continue;
        for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
            char page[4200];
            snprintf(page, sizeof page, "%.*s.%s", (int)(n - sl), base,
                     ext[k]);
            if (stat(page, &st) == 0 && S_ISREG(st.st_mode))
                return 1;
        }
    }
    return 0;
}
