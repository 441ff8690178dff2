/* reader/sniff.c - a file's format from its first bytes (extract.h). */
#include "reader/extract.h"
#include "text/decode.h"

#include <string.h>
#include <strings.h>

/* memmem() for a needle in the first len bytes, ignoring ASCII case */
static const char *find_nocase(const char *h, size_t len, const char *n)
{
    size_t nl = strlen(n);
    for (size_t i = 0; nl <= len && i <= len - nl; i++)
        if (strncasecmp(h + i, n, nl) == 0)
            return h + i;
    return NULL;
}

static int has_ext(const char *name, const char *ext)
{
    if (name == NULL)
        return 0;
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int starts(const char *h, size_t len, const char *magic, size_t mlen)
{
    return len >= mlen && memcmp(h, magic, mlen) == 0;
}

/* Magic numbers of images, archives, executables and media: binary fz
 * does not read (each from the format's own specification). */
static int other_binary(const char *h, size_t len)
{
    static const struct { size_t off, len; const char *m; } magic[] = {
        { 0, 8, "\x89PNG\r\n\x1a\n" },
        { 0, 3, "\xff\xd8\xff" },               /* JPEG */
        { 0, 4, "GIF8" },
        { 0, 4, "II*\0" }, { 0, 4, "MM\0*" },   /* TIFF */
        { 0, 2, "\x1f\x8b" },                   /* gzip */
        { 0, 6, "7z\xbc\xaf\x27\x1c" },
        { 0, 6, "Rar!\x1a\x07" },
        { 0, 6, "\xfd" "7zXZ\0" },
        { 0, 4, "\x7f" "ELF" },
        { 0, 4, "\0\0\1\0" },                   /* .ico */
        { 8, 4, "WEBP" }, { 8, 4, "AVI " }, { 8, 4, "WAVE" },
        { 4, 4, "ftyp" },                       /* MP4, HEIC */
        { 0, 4, "%!PS" },
    };
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (len >= magic[i].off + magic[i].len
            && memcmp(h + magic[i].off, magic[i].m, magic[i].len) == 0)
            return 1;
    /* bzip2: "BZh", a block size digit, then the block magic 1AY&SY */
    return len >= 10 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1'
           && h[3] <= '9' && memcmp(h + 4, "1AY&SY", 6) == 0;
}

/* A zip: a Word document holds word/document.xml, an OFD package
 * OFD.xml.  Member names stand in the local headers, which come first,
 * so they are in the head unless the package opens with large members;
 * then the name decides. */
static enum fz_format zip_kind(const char *h, size_t len, const char *name)
{
    if (find_nocase(h, len, "word/document.xml")
        || find_nocase(h, len, "word/_rels"))
        return FZ_FMT_DOCX;
    if (memmem(h, len, "OFD.xml", 7))
        return FZ_FMT_OFD;
    if (memmem(h, len, "[Content_Types].xml", 19)
        && (has_ext(name, ".docx") || has_ext(name, ".wps")
            || has_ext(name, ".docm")))
        return FZ_FMT_DOCX;
    if (has_ext(name, ".docx") && !find_nocase(h, len, "xl/")
        && !find_nocase(h, len, "ppt/"))
        return FZ_FMT_DOCX;
    if (has_ext(name, ".ofd"))
        return FZ_FMT_OFD;
    return FZ_FMT_UNKNOWN;
}

/* MIME headers with a multipart/related body or a Content-Location: a
 * page saved by a browser as one file (RFC 2557). */
static int is_mhtml(const char *h, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    if (!find_nocase(h, n, "mime-version:") && !find_nocase(h, n, "from:")
        && !find_nocase(h, n, "content-type:"))
        return 0;
    /* the headers: up to the first empty line */
    size_t hn = n;
    for (size_t i = 0; i + 1 < n; i++)
        if (h[i] == '\n' && (h[i + 1] == '\n'
                             || (h[i + 1] == '\r' && i + 2 < n
                                 && h[i + 2] == '\n'))) {
            hn = i;
            break;
        }
    return find_nocase(h, hn, "multipart/related") != NULL
           || find_nocase(h, hn, "content-location:") != NULL;
}

static int is_html(const char *h, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r'
                       || h[i] == '\n'))
        i++;
    if (i >= len || h[i] != '<')
        return 0;
    size_t n = len - i < 1024 ? len - i : 1024;
    static const char *const tags[] = {
        "<html", "<!doctype html", "<head", "<body",
    };
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
        if (find_nocase(h + i, n, tags[k]))
            return 1;
    return 0;
}

enum fz_format fz_format_sniff(const char *head, size_t len,
                               const char *name)
{
    if (head == NULL)
        len = 0;
    if (len >= 5 && memmem(head, len < 1024 ? len : 1024, "%PDF-", 5))
        return FZ_FMT_PDF;
    if (starts(head, len, "PK\3\4", 4))
        return zip_kind(head, len, name);
    if (starts(head, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
        /* other Office files are compound documents too */
        if (has_ext(name, ".xls") || has_ext(name, ".ppt")
            || has_ext(name, ".msg") || has_ext(name, ".et")
            || has_ext(name, ".dps"))
            return FZ_FMT_UNKNOWN;
        return FZ_FMT_DOC;
    }
    if (other_binary(head, len))
        return FZ_FMT_UNKNOWN;
    /* control bytes make a binary file, except in UTF-16 text with its
     * byte order mark; decoding's rule, so a stray NUL stays text */
    int utf16 = starts(head, len, "\xff\xfe", 2)
                || starts(head, len, "\xfe\xff", 2);
    if (!utf16 && fz_decode_looks_binary(head, len))
        return FZ_FMT_UNKNOWN;
    if (!utf16 && is_mhtml(head, len))
        return FZ_FMT_MHTML;
    if (!utf16 && is_html(head, len))
        return FZ_FMT_HTML;
    /* text: the name decides which kind */
    if (has_ext(name, ".jsonl") || has_ext(name, ".ndjson"))
        return FZ_FMT_JSONL;
    if (has_ext(name, ".htm") || has_ext(name, ".html")
        || has_ext(name, ".xhtml") || has_ext(name, ".shtml"))
        return FZ_FMT_HTML;
    if (has_ext(name, ".mht") || has_ext(name, ".mhtml"))
        return FZ_FMT_MHTML;
    return FZ_FMT_TEXT;
}

const char *fz_format_name(enum fz_format f)
{
    switch (f) {
    case FZ_FMT_TEXT:  return "text";
    case FZ_FMT_HTML:  return "html";
    case FZ_FMT_JSONL: return "jsonl";
    case FZ_FMT_PDF:   return "pdf";
    case FZ_FMT_DOCX:  return "docx";
    case FZ_FMT_DOC:   return "doc";
    case FZ_FMT_OFD:   return "ofd";
    case FZ_FMT_MHTML: return "mhtml";
    case FZ_FMT_UNKNOWN:
        break;
    }
    return "unknown";
}
