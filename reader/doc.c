/* reader/doc.c - fz_extract_doc(): Word 97-2003 .doc and WPS 文字 .wps,
 * both OLE compound documents with the text in a WordDocument stream.
 *
 * Which reader, and why: catdoc (Debian's catdoc 0.95), run as a child
 * (reader/child.h) as `catdoc -d utf-8 -w FILE`, and antiword (0.37) the
 * same way only when catdoc fails or finds no text.
 * - Chinese Word and WPS files keep their text as UTF-16 pieces; catdoc
 *   reads them through the piece table and writes correct UTF-8 Han, one
 *   paragraph a line with -w.  Tried here on Word 97 files written by
 *   tools/mkoffice (the same bytes under Word's and WPS's product ids):
 *   catdoc gave every character of the seeds and the State Council
 *   reports; antiword 0.37 died with SIGSEGV on the same minimal but
 *   valid files (it wants the optional style and font tables Word
 *   writes), and it refuses WordDocument streams under 4096 bytes.
 *   Antiword is kept as the second try because it does read some files
 *   catdoc gets wrong (fast-saved Word 6 files).
 * - In process: libgsf opens the OLE container but knows nothing of
 *   Word's text; libwv (Debian's libwv-dev 1.2.9, unmaintained since 2012)
 *   does, but a crash or hang in it on a hostile file would take the
 *   indexer with it, and so would our own piece-table reader over libgsf.
 *   A child process is killed when it hangs or crashes, and the run goes
 *   on.
 * Bounds: FZ_EXTRACT_CHILD_SECONDS of wall and CPU time, 1 GiB of address
 * space, FZ_EXTRACT_MAX_TEXT bytes of output.  The bytes are handed over
 * as an unlinked temporary file, so nothing is left behind.
 * Not read: the document's summary information (title, dates): the
 * report's own text names its title. */
#include "reader/extract.h"

#include <stdlib.h>
#include <string.h>

#include "base/fz.h"
#include "base/utf8.h"
#include "reader/child.h"

/* the OLE compound document signature ([MS-CFB] 2.2) */
static const char ole_magic[8] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/* The filter's output as the lines extract.h promises: valid UTF-8 (bad
 * bytes become U+FFFD), tabs (cell separators) and other control
 * characters spaces, form feeds (catdoc's page breaks) line breaks. */
static int to_lines(const char *s, size_t len, struct fz_buf *out)
{
    int rc = FZ_OK;
    for (size_t i = 0; rc == FZ_OK && i < len;) {
        bool ok = true;
        size_t st = i;
        uint32_t cp = fz_utf8_next(s, len, &i, &ok);
        if (!ok)
            rc = fz_buf_append_cp(out, 0xFFFD);
        else if (cp == '\n' || cp == '\f' || cp == '\r')
            rc = cp == '\r' && i < len && s[i] == '\n'
                ? FZ_OK : fz_buf_appendc(out, '\n');
        else if (cp < 0x20 || cp == 0x7F)
            rc = fz_buf_appendc(out, ' ');
        else
            rc = fz_buf_append(out, s + st, i - st);
    }
    return rc;
}

static int has_text(const struct fz_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char)b->data[i] > ' ')
            return 1;
    return 0;
}

int fz_extract_doc(const char *bytes, size_t len, struct fz_extract *out,
                   char **errptr)
{
    static const char *const catdoc[] = {
        "catdoc", "-d", "utf-8", "-w", "/dev/fd/3", NULL,
    };
    static const char *const antiword[] = {
        "antiword", "-m", "UTF-8.txt", "-w", "0", "/dev/fd/3", NULL,
    };
    /* "WordDocument" as the OLE directory spells it (UTF-16LE) */
    static const char word_stream[] =
        "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
    struct fz_buf raw = FZ_BUF_INIT;
    char *first = NULL;
    int rc;
    if (len < 512 || memcmp(bytes, ole_magic, 8) != 0) {
        fz_set_error(errptr, "not an OLE compound document (Word 97-2003 "
                     "or WPS)");
        return FZ_EUNREADABLE;
    }
    if (!memmem(bytes, len, word_stream, sizeof word_stream - 1)) {
        fz_set_error(errptr, "an OLE compound document with no Word text "
                     "(no WordDocument stream)");
        return FZ_EUNREADABLE;
    }
    rc = fz_child_filter(catdoc, bytes, len, FZ_EXTRACT_CHILD_SECONDS,
                         FZ_EXTRACT_MAX_TEXT, &raw, &first);
    if (rc == FZ_ENOMEM)
        goto out;
    if (rc != FZ_OK || !has_text(&raw)) {
        char *second = NULL;
        fz_buf_reset(&raw);
        int rc2 = fz_child_filter(antiword, bytes, len,
                                  FZ_EXTRACT_CHILD_SECONDS,
                                  FZ_EXTRACT_MAX_TEXT, &raw, &second);
        if (rc2 == FZ_OK && has_text(&raw)) {
            rc = FZ_OK;
        } else if (rc != FZ_OK) {
            /* catdoc's reason: it is the reader we trust first */
            fz_set_error(errptr, "%s", first);
        } else {
            fz_buf_reset(&raw);    /* a document with no text */
        }
        free(second);
        if (rc != FZ_OK)
            goto out;
    }
    rc = to_lines(fz_buf_cstr(&raw), raw.len, &out->text);
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    free(first);
    fz_buf_release(&raw);
    return rc;
}
