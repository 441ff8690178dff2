/* reader/mhtml.c - fz_extract_mhtml(): a web page saved as one MIME file
 * (.mht, .mhtml: RFC 2557, as Internet Explorer, Word and Chrome save).
 *
 * The page is the part multipart/related's start parameter names (by
 * Content-ID), else the first text/html part (depth first), else a
 * message that is itself text/html.  Its transfer encoding
 * (quoted-printable, base64) is undone by gmime, and its charset
 * (Content-Type, else the page's own, which decode.h finds) turned into
 * UTF-8: gb2312 and gbk labels are read as GB18030, their superset, since
 * pages labelled gb2312 routinely hold GBK characters.  The result is
 * HTML for the HTML path (text/html.h); the page's <meta charset> may
 * still name the old charset, which fz_html_to_text() ignores.
 * Bounds: the decoded page is at most FZ_EXTRACT_MAX_TEXT bytes; a file
 * with more than FZ_EXTRACT_MAX_DEPTH multipart headers is refused before
 * gmime parses it (its parser recurses once per nesting level). */
#include "reader/extract.h"

#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "base/fz.h"
#include "text/decode.h"

/* case-insensitive count of needle in s[0,len), stopping past max */
static size_t count_ci(const char *s, size_t len, const char *needle,
                       size_t max)
{
    size_t n = 0, nl = strlen(needle);
    for (size_t i = 0; i + nl <= len && n <= max; i++)
        if ((s[i] | 0x20) == needle[0] && strncasecmp(s + i, needle, nl) == 0)
            n++;
    return n;
}

static int is_html(GMimeObject *o)
{
    GMimeContentType *ct = g_mime_object_get_content_type(o);
    return ct && g_mime_content_type_is_type(ct, "text", "html");
}

/* depth-first: the part whose Content-ID is cid, or (cid NULL) the first
 * text/html part */
static GMimeObject *find(GMimeObject *o, const char *cid, int depth)
{
    if (o == NULL || depth > FZ_EXTRACT_MAX_DEPTH)
        return NULL;
    if (GMIME_IS_MULTIPART(o)) {
        GMimeMultipart *mp = GMIME_MULTIPART(o);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimeObject *r = find(g_mime_multipart_get_part(mp, i), cid,
                                  depth + 1);
            if (r)
                return r;
        }
        return NULL;
    }
    if (GMIME_IS_MESSAGE_PART(o))
        return find(g_mime_message_get_mime_part(g_mime_message_part_get_message(
            GMIME_MESSAGE_PART(o))), cid, depth + 1);
    if (!GMIME_IS_PART(o))
        return NULL;
    if (cid) {
        const char *id = g_mime_object_get_content_id(o);
        return id && strcmp(id, cid) == 0 ? o : NULL;
    }
    return is_html(o) ? o : NULL;
}

/* the charset label as iconv should read it */
static const char *iconv_name(const char *cs)
{
    static const char *const gb[] = {
        "gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn",
        "x-euc-cn", "csgb2312", "gb18030", "windows-936",
    };
    for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++)
        if (strcasecmp(cs, gb[i]) == 0)
            return "GB18030";
    return cs;
}

int fz_extract_mhtml(const char *bytes, size_t len, struct fz_extract *out,
                     char **errptr)
{
    GMimeStream *stream = NULL, *mem = NULL;
    GMimeParser *parser = NULL;
    GMimeMessage *msg = NULL;
    struct fz_decoded info;
    int rc = FZ_OK;
    if (count_ci(bytes, len, "multipart/", FZ_EXTRACT_MAX_DEPTH)
        > FZ_EXTRACT_MAX_DEPTH) {
        fz_set_error(errptr, "more than %d multipart headers",
                     FZ_EXTRACT_MAX_DEPTH);
        return FZ_EUNREADABLE;
    }
    stream = g_mime_stream_mem_new_with_buffer(bytes, len);
    parser = g_mime_parser_new_with_stream(stream);
    msg = g_mime_parser_construct_message(parser, NULL);
    if (msg == NULL) {
        fz_set_error(errptr, "not a MIME message");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    GMimeObject *root = g_mime_message_get_mime_part(msg), *page = NULL;
    if (root && GMIME_IS_MULTIPART(root)) {
        const char *start = g_mime_object_get_content_type_parameter(
            root, "start");
        if (start) {
            /* "<id@host>": Content-IDs are compared without brackets */
            char id[512];
            size_t sl = strlen(start);
            if (sl >= 2 && start[0] == '<' && start[sl - 1] == '>'
                && sl - 2 < sizeof id) {
                memcpy(id, start + 1, sl - 2);
                id[sl - 2] = '\0';
                page = find(root, id, 0);
            }
        }
    }
    if (page == NULL)
        page = find(root, NULL, 0);
    if (page == NULL) {
        fz_set_error(errptr, "no text/html part in the MIME file");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(page));
    if (w == NULL) {
        fz_set_error(errptr, "the text/html part is empty");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    mem = g_mime_stream_mem_new();
    /* undoes the transfer encoding */
    if (g_mime_data_wrapper_write_to_stream(w, mem) < 0) {
        fz_set_error(errptr, "the text/html part cannot be decoded");
        rc = FZ_EUNREADABLE;
        goto out;
    }
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    if (ba->len > FZ_EXTRACT_MAX_TEXT) {
        fz_set_error(errptr, "a page of more than %u MiB",
                     FZ_EXTRACT_MAX_TEXT >> 20);
        rc = FZ_EUNREADABLE;
        goto out;
    }
    const char *cs = g_mime_object_get_content_type_parameter(page,
                                                              "charset");
    gsize got = 0;
    gchar *utf8 = NULL;
    if (cs && ba->len && strcasecmp(cs, "utf-8") != 0
        && strcasecmp(cs, "utf8") != 0
        && strcasecmp(cs, "us-ascii") != 0)
        utf8 = g_convert((const gchar *)ba->data, (gssize)ba->len, "UTF-8",
                         iconv_name(cs), NULL, &got, NULL);
    if (utf8) {
        rc = fz_buf_append(&out->text, utf8, got);
        g_free(utf8);
    } else {
        /* no label, UTF-8, a label iconv does not know, or bytes that
         * are not what the label says: decode.h decides, as for a saved
         * .html file */
        rc = fz_decode_to_utf8(ba->len ? (const char *)ba->data : "",
                               ba->len, &out->text, &info, errptr);
        if (rc == FZ_EINVAL)
            rc = FZ_EUNREADABLE;
    }
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
out:
    if (mem)
        g_object_unref(mem);
    if (msg)
        g_object_unref(msg);
    if (parser)
        g_object_unref(parser);
    if (stream)
        g_object_unref(stream);
    return rc;
}
