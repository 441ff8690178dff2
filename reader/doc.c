/* reader/doc.c - fz_extract_doc(): Word 97-2003 .doc and WPS 文字 .wps,
 * both OLE compound documents with the text in a WordDocument stream.
 *
 * Which reader, and why: our own reading of Word 97's piece table
 * ([MS-DOC] 2.4.1: FIB, then the Clx in the 0Table/1Table stream, then
 * each piece's text, UTF-16LE or compressed cp1252) over libgsf's OLE
 * container reader, in process.  Tried on Chinese Word 97 files written
 * by tools/mkoffice (the seeds and the State Council reports, under
 * Word's and WPS's product ids):
 * - catdoc 0.95 (`catdoc -d utf-8 -w`) guesses, per 256-byte block,
 *   whether the text is UTF-16 by looking for an ASCII space or
 *   punctuation followed by a zero byte (reader.c, get_word8_char()); a
 *   block of Chinese with only full-width punctuation has none, and is
 *   printed as cp1252 junk: it lost 合法性审查, 公共法律服务 and 枫桥经验
 *   from the 2025 report, half its text.  Not usable for Chinese.
 * - antiword 0.37 reads the piece table, but died with SIGSEGV on the
 *   same (minimal but valid) files and refuses WordDocument streams
 *   under 4096 bytes; it has had buffer overflows (CVE-2014-8123).
 * - libwv (Debian's libwv-dev 1.2.9) reads Word, but is unmaintained
 *   since 2012 and a crash in it would take the indexer with it.
 * The piece table is all text extraction needs, and reading it is a few
 * bounded loops over bytes already in memory; libgsf (GNOME's, which
 * gnumeric and abiword use) parses the OLE container.  Word 6 and Word 95
 * files (nFib below 0xC1: no piece table of this shape) go to antiword
 * as a child (reader/child.h), killed after FZ_EXTRACT_CHILD_SECONDS,
 * with at most FZ_EXTRACT_MAX_TEXT bytes of output.
 *
 * What is read: the main text and the footnotes (their CPs follow the
 * main text's), not headers, comments or text boxes; a paragraph mark,
 * line break or page break ends a line; table cell marks are spaces (a
 * row's cells stay on one line with the rows after it); field codes
 * (between 0x13 and 0x14) are dropped and their results kept.
 * Bounds: streams are read only inside their length, pieces only inside
 * their stream; FZ_EXTRACT_MAX_TEXT bytes of text.
 * Not read: the summary information (title, dates): the report's own
 * text names its title. */
#include "reader/extract.h"

#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>

#include "base/fz.h"
#include "base/utf8.h"
#include "reader/child.h"

/* the OLE compound document signature ([MS-CFB] 2.2) */
static const char ole_magic[8] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

static unsigned get16(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* the whole of stream name, or NULL (*len 0) */
static unsigned char *read_stream(GsfInfile *ole, const char *name,
                                  size_t *len)
{
    GsfInput *in = gsf_infile_child_by_name(ole, name);
    unsigned char *data = NULL;
    *len = 0;
    if (in == NULL)
        return NULL;
    gsf_off_t size = gsf_input_size(in);
    if (size > 0 && (uint64_t)size <= FZ_EXTRACT_MAX_MEMBER
        && (data = malloc((size_t)size)) != NULL) {
        if (gsf_input_read(in, (size_t)size, data) != NULL) {
            *len = (size_t)size;
        } else {
            free(data);
            data = NULL;
        }
    }
    g_object_unref(in);
    return data;
}

/* cp1252's 0x80-0x9F; the rest of a compressed piece is Latin-1 */
static const uint16_t cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

struct wtext {
    struct fz_buf *out;
    int field;          /* open fields whose code is being skipped */
    int depth;          /* open fields */
    uint32_t high;      /* a high surrogate waiting for its low one */
};

static int put_char(struct wtext *w, uint32_t c)
{
    if (c == 0x13) {            /* field begin: its code follows */
        if (w->depth < 64)
            w->depth++;
        w->field = w->depth;
        return FZ_OK;
    }
    if (c == 0x14) {            /* separator: the result follows */
        w->field = 0;
        return FZ_OK;
    }
    if (c == 0x15) {            /* field end */
        if (w->depth > 0)
            w->depth--;
        w->field = 0;
        return FZ_OK;
    }
    if (w->field)
        return FZ_OK;
    if (c >= 0xD800 && c < 0xDC00) {
        w->high = c;
        return FZ_OK;
    }
    if (c >= 0xDC00 && c < 0xE000) {
        uint32_t h = w->high;
        w->high = 0;
        return h ? fz_buf_append_cp(w->out, 0x10000 + ((h - 0xD800) << 10)
                                    + (c - 0xDC00))
                 : fz_buf_append_cp(w->out, 0xFFFD);
    }
    w->high = 0;
    switch (c) {
    case 0x0D: case 0x0B: case 0x0C:
        return fz_buf_appendc(w->out, '\n');
    case 0x07: case 0x09: case 0xA0: case 0x3000:
        return fz_buf_appendc(w->out, ' ');
    case 0x1E:
        return fz_buf_appendc(w->out, '-');
    }
    if (c < 0x20 || c == 0x7F || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF)
        return FZ_OK;           /* marks of pictures, notes, objects */
    return fz_buf_append_cp(w->out, c);
}

/* The text of a Word 97 WordDocument stream (wd) through the Clx in the
 * table stream.  FZ_OK, FZ_EUNREADABLE (*errptr), FZ_ENOMEM. */
static int word97_text(const unsigned char *wd, size_t wlen,
                       const unsigned char *tbl, size_t tlen,
                       struct fz_buf *out, char **errptr)
{
    /* FIB: FibBase (32 bytes), csw and FibRgW97, cslw and FibRgLw97,
     * cbRgFcLcb and FibRgFcLcb97 (fcClx/lcbClx is its 34th pair) */
    size_t off = 32;
    if (off + 2 > wlen)
        goto corrupt;
    off += 2 + 2 * (size_t)get16(wd + off);
    if (off + 2 > wlen)
        goto corrupt;
    size_t lw = off + 2;
    off += 2 + 4 * (size_t)get16(wd + off);
    if (lw + 20 > wlen || off + 2 + 34 * 8 > wlen)
        goto corrupt;
    uint32_t ccp_text = get32(wd + lw + 12), ccp_ftn = get32(wd + lw + 16);
    uint32_t fc_clx = get32(wd + off + 2 + 33 * 8);
    uint32_t lcb_clx = get32(wd + off + 2 + 33 * 8 + 4);
    uint64_t limit = (uint64_t)ccp_text + ccp_ftn;
    if (fc_clx > tlen || lcb_clx > tlen - fc_clx)
        goto corrupt;
    const unsigned char *clx = tbl + fc_clx, *end = clx + lcb_clx;
    /* Prc entries (formatting) first, then the one Pcdt */
    while (clx < end && *clx == 0x01) {
        if (end - clx < 3)
            goto corrupt;
        clx += 3 + get16(clx + 1);
    }
    if (clx + 5 > end || *clx != 0x02)
        goto corrupt;
    uint32_t lcb = get32(clx + 1);
    clx += 5;
    if (lcb > (size_t)(end - clx) || lcb < 4 || (lcb - 4) % 12)
        goto corrupt;
    size_t n = (lcb - 4) / 12;
    const unsigned char *pcd = clx + 4 * (n + 1);
    struct wtext w = { out, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        uint32_t cp0 = get32(clx + 4 * i), cp1 = get32(clx + 4 * (i + 1));
        uint32_t fc = get32(pcd + 8 * i + 2);
        int compressed = (fc >> 30) & 1;
        if (cp1 <= cp0 || cp0 >= limit)
            continue;
        if (cp1 > limit)
            cp1 = (uint32_t)limit;
        size_t count = cp1 - cp0;
        size_t at = compressed ? (fc & 0x3FFFFFFF) / 2 : fc & 0x3FFFFFFF;
        size_t need = compressed ? count : 2 * count;
        if (at > wlen || need > wlen - at)
            goto corrupt;
        for (size_t k = 0; k < count; k++) {
            uint32_t c;
            if (compressed) {
                c = wd[at + k];
                if (c >= 0x80 && c < 0xA0)
                    c = cp1252[c - 0x80];
            } else {
                c = get16(wd + at + 2 * k);
            }
            if (put_char(&w, c) != FZ_OK)
                return FZ_ENOMEM;
        }
        if (out->len > FZ_EXTRACT_MAX_TEXT) {
            fz_set_error(errptr, "more than %u MiB of text",
                         FZ_EXTRACT_MAX_TEXT >> 20);
            return FZ_EUNREADABLE;
        }
    }
    return FZ_OK;
corrupt:
    fz_set_error(errptr, "damaged Word file (its piece table is not "
                 "where the FIB says)");
    return FZ_EUNREADABLE;
}

int fz_extract_doc(const char *bytes, size_t len, struct fz_extract *out,
                   char **errptr)
{
    static const char *const antiword[] = {
        "antiword", "-m", "UTF-8.txt", "-w", "0", "/dev/fd/3", NULL,
    };
    GsfInput *mem = NULL;
    GsfInfile *ole = NULL;
    GError *gerr = NULL;
    unsigned char *wd = NULL, *tbl = NULL;
    size_t wlen = 0, tlen = 0;
    struct fz_buf raw = FZ_BUF_INIT;
    int rc = FZ_OK;
    if (len < 512 || memcmp(bytes, ole_magic, 8) != 0) {
        fz_set_error(errptr, "not an OLE compound document (Word 97-2003 "
                     "or WPS)");
        return FZ_EUNREADABLE;
    }
    mem = gsf_input_memory_new((const guint8 *)bytes, (gsf_off_t)len,
                               FALSE);
    if (mem == NULL)
        return FZ_ENOMEM;
    ole = gsf_infile_msole_new(mem, &gerr);
    if (ole == NULL) {
        fz_set_error(errptr, "damaged OLE compound document");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    wd = read_stream(ole, "WordDocument", &wlen);
    if (wd == NULL || wlen < 0x200 || get16(wd) != 0xA5EC) {
        fz_set_error(errptr, "an OLE compound document with no Word text "
                     "(no WordDocument stream)");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    unsigned nfib = get16(wd + 2), flags = get16(wd + 10);
    if (flags & 0x0100) {
        fz_set_error(errptr, "encrypted (password-protected) Word file");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    if (nfib < 0xC1) {
        /* Word 6 and 95: antiword knows them */
        rc = fz_child_filter(antiword, bytes, len, FZ_EXTRACT_CHILD_SECONDS,
                             FZ_EXTRACT_MAX_TEXT, &raw, errptr);
        for (size_t i = 0; rc == FZ_OK && i < raw.len;) {
            bool ok = true;
            size_t st = i;
            uint32_t c = fz_utf8_next(raw.data, raw.len, &i, &ok);
            rc = !ok ? fz_buf_append_cp(&out->text, 0xFFFD)
               : c == '\n' || c == '\f' ? fz_buf_appendc(&out->text, '\n')
               : c < 0x20 ? fz_buf_appendc(&out->text, ' ')
               : fz_buf_append(&out->text, raw.data + st, i - st);
        }
        goto out;
    }
    tbl = read_stream(ole, flags & 0x0200 ? "1Table" : "0Table", &tlen);
    if (tbl == NULL) {
        fz_set_error(errptr, "damaged Word file (no %s stream)",
                     flags & 0x0200 ? "1Table" : "0Table");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    rc = word97_text(wd, wlen, tbl, tlen, &out->text, errptr);
out:
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    if (gerr)
        g_error_free(gerr);
    free(wd);
    free(tbl);
    fz_buf_release(&raw);
    if (ole)
        g_object_unref(ole);
    if (mem)
        g_object_unref(mem);
    return rc;
}
