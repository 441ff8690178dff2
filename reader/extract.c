/* reader/extract.c - what every format reader shares (extract.h). */
#include "reader/extract.h"

#include <gmime/gmime.h>
#include <gsf/gsf-utils.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

void fz_extract_init(void)
{
    xmlInitParser();
    g_mime_init();
    gsf_init();
}

void fz_extract_release(struct fz_extract *e)
{
    if (e == NULL)
        return;
    fz_buf_release(&e->text);
    free(e->title);
    free(e->date);
    memset(e, 0, sizeof *e);
}
