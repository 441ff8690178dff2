/* text/html.h - the text of a saved web page (.htm/.html), one line per
 * block, by libxml2's HTML parser.
 *
 * Promise: fz_html_to_text() parses the page as a browser would lay it
 *          out, without scripts or styles, and appends its text to a
 *          struct fz_buf in the shape text/clean.h reads:
 *          - each block (p, div, li, tr, h1-h6, table, section, title...;
 *            the list is in html.c) is one line, and blocks are separated
 *            by one blank line; <br> (and a newline inside <pre>) ends a
 *            line without a blank one, and a line holding only <br> makes
 *            a blank line; never two blank lines in a row;
 *          - inline elements (span, a, strong, font, unknown tags...) add
 *            nothing; table cells (td, th) are separated by one space on
 *            their row's line;
 *          - white space (fz_is_space(), control characters) inside a line
 *            becomes one space; lines are trimmed; a run of ASCII white
 *            space containing a newline between two CJK characters (a
 *            source line wrapped inside a Chinese sentence) disappears, as
 *            CSS Text 3 says;
 *          - entities and character references are decoded (&nbsp; is a
 *            space, &amp; is &, &#x4e2d; is 中); unknown ones stay as
 *            written (&foo;);
 *          - dropped with everything inside: comments, <script>, <style>,
 *            <noscript>, <template>, everything in <head> but <title>, and
 *            what is not page text: embedded objects and media (iframe,
 *            object, embed, svg, math, canvas, audio, video), form
 *            controls (select, textarea, button) and ruby annotations (rt,
 *            rp);
 *          - every line, the last included, ends with '\n'; the output is
 *            valid UTF-8 with no control characters but '\n', whatever
 *            the input (invalid bytes become U+FFFD).
 *          Nothing is judged here: navigation, breadcrumbs and footers are
 *          kept as lines for text/clean to recognise.
 *          The parser never touches the network or the file system: DTDs
 *          and entity declarations are not read (an internal subset is
 *          text to the HTML parser, so no external or nested entity is
 *          ever expanded), and options are HTML_PARSE_RECOVER |
 *          HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
 *          HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE (only to lift the
 *          nesting limit: see html.c).  Broken markup does not fail: it
 *          gives the text libxml2 recovers (unclosed tags are closed,
 *          stray end tags ignored, missing <html>/<body> implied), and
 *          so does text that is not HTML at all.
 * Memory:  the caller owns out (appended to) and *title (free()).
 * Threads: no shared state of our own, but libxml2 must be initialised
 *          once per process: main() calls fz_html_init() before any thread
 *          calls fz_html_to_text(), and may call xmlCleanupParser() (from
 *          <libxml/parser.h>) after the last call returns.  Then any
 *          number of threads may call it at once. */
#ifndef FZ_HTML_H
#define FZ_HTML_H

#include <stddef.h>

#include "base/buf.h"

/* xmlInitParser(), and an external entity loader that loads nothing, for
 * the whole process: the options above already read no DTD and no entity,
 * and with this no libxml2 code path, in this release or a later one,
 * can open a file or a URL named by a page.  Call it once, in main(). */
void fz_html_init(void);

/* Extract the text of the HTML page utf8[0,len).
 *
 * @param[in]  utf8   the page as UTF-8: the file's bytes go through
 *                    fz_decode_to_utf8() (text/decode.h) first.  The
 *                    encoding is taken to be UTF-8 whatever the page
 *                    declares (<meta charset="gbk"> is ignored), since
 *                    decode has already converted it.  May be NULL when
 *                    len is 0.
 * @param[in]  len    bytes; at most INT_MAX (libxml2 takes an int)
 * @param[out] out    the text is appended, as described above; nothing is
 *                    appended for a page with no text
 * @param[out] title  (may be NULL) receives the text of the first <title>
 *                    element, white space folded and trimmed as for a
 *                    line, malloc'd (caller free()s); NULL when the page
 *                    has no <title> or it holds no text.  The title is
 *                    also a line of out, where the page has it.
 * @param[out] errptr (may be NULL) the fz.h rules
 * @return FZ_OK; FZ_ENOMEM; FZ_EINVAL when len exceeds INT_MAX or libxml2
 *         returns no document at all (*errptr says which).  On failure
 *         out is as it was and *title is NULL. */
int fz_html_to_text(const char *utf8, size_t len, struct fz_buf *out,
                    char **title, char **errptr);

#endif
