#include "text/decode.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

static void note_bad(struct fz_decoded *info, size_t off, int nul)
{
    if (info->n_offsets < FZ_DECODE_MAX_OFFSETS)
        info->offsets[info->n_offsets++] = off;
    info->n_invalid++;
    if (nul)
        info->n_nul++;
}

/* Binary files (PNG, ELF, PDF, Office) are full of NUL and C0 control
 * bytes, which text of any of our encodings almost never has: more than
 * 1 in 100 such bytes in the first 64 KiB is not a report. */
int fz_decode_looks_binary(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = len < 65536 ? len : 65536, ctl = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t'
            && p[i] != '\f' && p[i] != '\v' && p[i] != 0x1B)
            ctl++;
    return n > 0 && ctl > 4 && ctl * 100 > n;
}

static int decode_utf8(const char *in, size_t len, size_t start,
                       struct fz_buf *out, struct fz_decoded *info)
{
    size_t i = start, run = start;
    while (i < len) {
        size_t at = i;
        bool ok;
        uint32_t c = fz_utf8_next(in, len, &i, &ok);
        if (ok && c != 0)
            continue;
        if (fz_buf_append(out, in + run, at - run) != FZ_OK
            || fz_buf_append_cp(out, FZ_REPLACEMENT) != FZ_OK)
            return FZ_ENOMEM;
        note_bad(info, at, c == 0 && ok);
        run = i;
    }
    return fz_buf_append(out, in + run, len - run);
}

/* The n bytes at offset off, a bad code unit (or a NUL one, when nul),
 * become one U+FFFD each. */
static int replace_unit(size_t off, size_t n, int nul, struct fz_buf *out,
                        struct fz_decoded *info)
{
    for (size_t k = 0; k < n; k++) {
        if (fz_buf_append_cp(out, FZ_REPLACEMENT) != FZ_OK)
            return FZ_ENOMEM;
        note_bad(info, off + k, nul);
    }
    return FZ_OK;
}

static int is_nul_unit(const char *in, size_t len, size_t off, size_t unit)
{
    if (off + unit > len)
        return 0;
    for (size_t k = 0; k < unit; k++)
        if (in[off + k] != '\0')
            return 0;
    return 1;
}

/* Convert in[pos,end), which holds no NUL unit, replacing each undecodable
 * code unit and going on after it: glibc's //IGNORE would drop bytes
 * without saying where. */
static int convert(iconv_t cd, const char *in, size_t pos, size_t end,
                   size_t unit, struct fz_buf *out, struct fz_decoded *info)
{
    char *ip = (char *)in + pos;
    size_t ileft = end - pos;
    while (ileft > 0) {
        if (fz_buf_grow(out, ileft * 2 + 16) != FZ_OK)
            return FZ_ENOMEM;
        char *op = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
        out->len = (size_t)(op - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        /* EILSEQ or EINVAL (cut short): the code unit at ip is bad.
         * Skipping a whole unit keeps UTF-16 aligned; skipping one byte
         * would turn the rest of the file into other characters. */
        size_t bad = ileft < unit ? ileft : unit;
        if (replace_unit((size_t)(ip - in), bad, 0, out, info) != FZ_OK)
            return FZ_ENOMEM;
        ip += bad;
        ileft -= bad;
    }
    return FZ_OK;
}

/* Decode in[start,len) from the encoding from, whose code unit is unit
 * bytes (2 for UTF-16, 1 for GB18030).  NUL units are cut out before
 * iconv sees them (iconv would pass them through), so that their offsets
 * are known and kept in order with the invalid bytes'. */
static int decode_iconv(const char *from, size_t unit, const char *in,
                        size_t len, size_t start, struct fz_buf *out,
                        struct fz_decoded *info, char **errptr)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        fz_set_error(errptr, "cannot convert from %s: %s", from,
                     strerror(errno));
        return FZ_EINVAL;
    }
    int rc = FZ_OK;
    size_t pos = start;
    while (pos < len && rc == FZ_OK) {
        size_t end = pos;
        while (end < len && !is_nul_unit(in, len, end, unit))
            end += unit;
        if (end > len)
            end = len;
        rc = convert(cd, in, pos, end, unit, out, info);
        if (rc == FZ_OK && end < len)
            rc = replace_unit(end, unit, 1, out, info);
        pos = end + unit;
    }
    iconv_close(cd);
    return rc;
}

int fz_decode_to_utf8(const char *in, size_t len, struct fz_buf *out,
                      struct fz_decoded *info, char **errptr)
{
    const unsigned char *p = (const unsigned char *)in;
    memset(info, 0, sizeof *info);
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE)
                     || (p[0] == 0xFE && p[1] == 0xFF))) {
        info->encoding = p[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        info->had_bom = 1;
        return decode_iconv(info->encoding, 2, in, len, 2, out, info,
                            errptr);
    }
    if (fz_decode_looks_binary((const char *)p, len)) {
        fz_set_error(errptr, "binary file, not text");
        return FZ_EINVAL;
    }
    size_t start = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        info->had_bom = 1;
        start = 3;
    }
    /* UTF-8 checks itself: text in GBK or GB18030 read as UTF-8 breaks on
     * almost every Han character, while a damaged UTF-8 file breaks in a
     * few places only: GBK text read as UTF-8 yields about one valid
     * multi-byte sequence for five broken ones (a lead byte C2-DF with a
     * trail byte 80-BF is rare).  So: UTF-8 while valid sequences are at
     * least twice the broken ones (or the BOM says so). */
    size_t i = start, good_mb = 0, bad = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        bool ok;
        fz_utf8_next(in, len, &i, &ok);
        if (ok)
            good_mb++;
        else
            bad++;
    }
    if (info->had_bom || bad == 0 || good_mb >= 2 * bad) {
        info->encoding = "UTF-8";
        return decode_utf8(in, len, start, out, info);
    }
    info->encoding = "GB18030";
    return decode_iconv("GB18030", 1, in, len, 0, out, info, errptr);
}

char *fz_decoded_describe(const struct fz_decoded *info)
{
    if (info->n_invalid == 0)
        return NULL;
    struct fz_buf b = FZ_BUF_INIT;
    int rc;
    if (info->n_nul == info->n_invalid)
        rc = fz_buf_appendf(&b, "%zu NUL byte%s replaced by U+FFFD",
                            info->n_nul, info->n_nul == 1 ? "" : "s");
    else
        rc = fz_buf_appendf(&b, "%zu invalid byte%s in %s replaced by U+FFFD",
                            info->n_invalid, info->n_invalid == 1 ? "" : "s",
                            info->encoding);
    if (rc == FZ_OK && info->n_offsets > 0) {
        rc = fz_buf_appendf(&b, ", at byte %zu", info->offsets[0]);
        for (size_t k = 1; rc == FZ_OK && k < info->n_offsets; k++)
            rc = fz_buf_appendf(&b, ", %zu", info->offsets[k]);
        if (rc == FZ_OK && info->n_invalid > info->n_offsets)
            rc = fz_buf_appends(&b, ", ...");
    }
    if (rc != FZ_OK) {
        fz_buf_release(&b);
        return NULL;
    }
    return fz_buf_detach(&b, NULL);
}
