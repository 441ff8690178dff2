/* reader/container.h - zip members and their XML, read within bounds, for
 * the readers of zip-based formats (DOCX, OFD).
 *
 * Promise: fz_zip_open() opens a zip archive held in memory without
 *          copying it; fz_zip_xml_open() streams one member through
 *          libxml2's reader (never a DOM: a member of any size costs a
 *          few buffers), refusing a member whose declared or actual
 *          inflated size passes FZ_EXTRACT_MAX_MEMBER (a zip bomb that
 *          lies about its size is stopped by counting) and XML nested
 *          deeper than FZ_EXTRACT_MAX_DEPTH.  The XML is parsed with no
 *          network, no DTD loading and no entity substitution, so a member
 *          can name no file or URL.  Every failure is FZ_EUNREADABLE (or
 *          FZ_ENOMEM) with a one-line message naming the member.
 * Memory:  the bytes given to fz_zip_open() must outlive the archive;
 *          fz_zip_close() and fz_xml_close() free (NULL: no-op).  Close
 *          every XML stream before its archive.
 * Threads: an archive and its streams are one thread's; libxml2 must have
 *          been initialised (fz_extract_init()). */
#ifndef FZ_CONTAINER_H
#define FZ_CONTAINER_H

#include <stddef.h>

#include <libxml/xmlreader.h>

#include "base/buf.h"

struct fz_zip;  /* opaque */
struct fz_xml;  /* opaque */

/* FZ_OK with *out open, or FZ_EUNREADABLE ("not a zip archive" or what
 * libzip says: truncated, inconsistent) or FZ_ENOMEM. */
int fz_zip_open(const char *bytes, size_t len, struct fz_zip **out,
                char **errptr);
void fz_zip_close(struct fz_zip *z);

/* Whether the archive holds member name (case-insensitively, a leading
 * '/' ignored, as OFD locations are written). */
int fz_zip_has(struct fz_zip *z, const char *name);

/* The whole of member name appended to out: FZ_OK, FZ_EUNREADABLE (absent,
 * past the bound, corrupt) or FZ_ENOMEM.  For small members only (their
 * bound is max bytes, at most FZ_EXTRACT_MAX_MEMBER). */
int fz_zip_read(struct fz_zip *z, const char *name, size_t max,
                struct fz_buf *out, char **errptr);

/* A stream of XML nodes from member name.  FZ_OK with *out open,
 * FZ_EUNREADABLE (absent or past the declared bound) or FZ_ENOMEM. */
int fz_zip_xml_open(struct fz_zip *z, const char *name, struct fz_xml **out,
                    char **errptr);
/* The next node: 1 (read it through fz_xml_reader()), 0 at the end of the
 * member, or a negative code (-FZ_EUNREADABLE: not well-formed, too big,
 * too deep; -FZ_ENOMEM) with *errptr set. */
int fz_xml_next(struct fz_xml *x, char **errptr);
/* The libxml2 reader positioned on the current node: borrowed, valid
 * until fz_xml_close(). */
xmlTextReaderPtr fz_xml_reader(struct fz_xml *x);
void fz_xml_close(struct fz_xml *x);

/* The current node's attribute with local name local (any namespace), or
 * NULL; borrowed until the next fz_xml_next() or the fourth call after
 * this one (four values may be held at once). */
const char *fz_xml_attr(struct fz_xml *x, const char *local);

/* Resolve location loc (an OFD ST_Loc: absolute from the archive's root
 * when it begins with '/', else relative to the folder of member base)
 * into out (replaced), with "." and ".." segments folded.  FZ_OK or
 * FZ_ENOMEM. */
int fz_zip_resolve(const char *base, const char *loc, struct fz_buf *out);

#endif
