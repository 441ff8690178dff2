/* cite/cite.h - citation lists for the reports behind search hits.
 *
 * Promise: fz_cite_write() prints reports, numbered in the order given
 *          (the searcher passes them in order of first appearance, each
 *          once, with the passages that matched), as a reference list:
 *            gbt7714       GB/T 7714-2015, numeric, with each entry exactly
 *                          what citeproc-js renders from fz's CSL-JSON item
 *                          with the official CSL style (tests/cite/styles),
 *                          the quoted passages on indented lines below it;
 *            gbt7714-2025  the same with the GB/T 7714-2025 style;
 *            csl-json      a JSON array of CSL items, one per line, the
 *                          passages in `note`;
 *            bibtex        @report entries that biblatex and classic
 *                          BibTeX styles (the gbt7714 package) both read:
 *                          `address` and `year` beside `date`; passages
 *                          in `note`;
 *            ris           RIS records (TY  - RPRT), one N1 per passage.
 *          Every report is a CSL `report` ([R]), the way Chinese law
 *          journals cite government reports: with a URL it is an online
 *          report with no publisher, so GB/T 7714 gives
 *            [1] 深圳市罗湖区人民政府. 深圳市罗湖区人民政府2023年法治政府
 *            建设年度报告[R/OL]. (2023-12-21)[2026-11-22]. https://….
 *          and without one the issuer is its publisher, in the city where
 *          it sits (the region's prefecture, a municipality, a province's
 *          capital, 北京 for national bodies; no 市 or 省 suffix):
 *            [2] 广州市海珠区人民政府. …的报告[R]. 广州: 广州市海珠区人民
 *            政府, 2024.
 *          A printed report that does not say by whom or where is cited
 *          as GB/T 7714-2015 8.4.1.3 and 8.4.2.3 prescribe:
 *          [出版地不详]: [出版者不详], 2024. (the CSL-JSON carries these
 *          words as publisher-place and publisher, so citeproc-js prints
 *          the same; BibTeX and RIS leave the fields out).
 *          (README, "Citing reports", says why.)  `date` is the publication date and
 *          the only source of the CSL `issued` date: `year`, the year
 *          reported on, is not when a report came out (海珠区's report on
 *          2023 was published on 2024-01-18).  The access date is given
 *          only to items with a URL.
 *          Text is used as given, in every format alike, except that
 *          runs of white space and control characters become one space
 *          and the ends are trimmed; a field (title, issuer, source, URL)
 *          also loses . : ; ! ? at its start, which citeproc-js would move
 *          out of it ("[1]: 标题"); a passage is printed inside “” with the
 *          quotation marks in it one level in (“” ↔ ‘’, GB/T 15834).
 *          Keys: each entry's CSL id, BibTeX key and RIS ID are the same
 *          string, fz-<area>-<year>-<hash>: area the region code (440303)
 *          or cn for a national body or x, year the year reported on or
 *          of the date or nd, hash 8 hex digits of FNV-1a 64 over title,
 *          issuer, date and URL; so the same report has the same key on
 *          every run and machine.  A key already used in the list gets
 *          b, c, ... appended.
 * Memory:  the caller owns everything passed in (borrowed for the call)
 *          and the output buffer.
 * Threads: no state; safe anywhere. */
#ifndef FZ_CITE_H
#define FZ_CITE_H

#include <stddef.h>

#include "base/buf.h"

enum fz_cite_format {
    FZ_CITE_GBT7714,            /* "gbt7714": GB/T 7714-2015, the default */
    FZ_CITE_GBT7714_2025,       /* "gbt7714-2025" */
    FZ_CITE_CSL_JSON,           /* "csl-json" */
    FZ_CITE_BIBTEX,             /* "bibtex" */
    FZ_CITE_RIS,                /* "ris" */
};

/* Parse a format name (as above, in any case; also gbt, gb7714,
 * gbt7714-2015, zotero, csl, json, bib, biblatex).  FZ_OK, or FZ_EINVAL
 * with "unknown citation format: NAME" in *errptr. */
int fz_cite_format_parse(const char *name, enum fz_cite_format *out,
                         char **errptr);
/* The name of f ("gbt7714", ...); "?" for a value outside the enum. */
const char *fz_cite_format_name(enum fz_cite_format f);

/* A passage quoted from a report: its text as printed (a passage's
 * `text`), and its section path from the outermost heading in. */
struct fz_cite_quote {
    const char *text;
    const char *const *section;
    size_t n_section;
    unsigned page;              /* the page it is on (PDF, OFD), or 0:
                                   given after the section as "p. 3" */
};

/* What the index stores about a report.  Any string may be NULL (or
 * empty): unknown.  level is a name fz_level_parse() accepts (national,
 * province, city, county, township, department, unknown); only
 * "national" matters here (such a body sits in 北京). */
struct fz_cite_report {
    const char *title, *issuer;
    const char *date;           /* publication date: YYYY-MM-DD, YYYY-MM
                                   or YYYY */
    const char *url;
    const char *source;         /* the office that released it (海珠区
                                   司法局): the publisher of a report with
                                   no URL and no issuer */
    const char *level;
    const char *region_code;    /* NBS code, 440303 */
    const char *const *region;  /* chain from the province down: 广东省,
                                   深圳市, 罗湖区 */
    size_t n_region;
    int year;                   /* the year reported on; 0 unknown */
    const struct fz_cite_quote *quotes;
    size_t n_quotes;
};

/* Append the citation list of r[0,n) in format f to out.  accessed is the
 * citation date, YYYY-MM-DD (fz_cite_today() for today; fzsearch's
 * --accessed), printed for reports with a URL.  Identical quotes of one
 * report (same text and section) are printed once.
 * FZ_OK; FZ_EINVAL when accessed or a report's date is not a real date
 * of the forms above, or text is not valid UTF-8 (*errptr says which
 * report, counting from 1, and what; nothing is appended); FZ_ENOMEM (out
 * keeps what it had). */
int fz_cite_write(struct fz_buf *out, enum fz_cite_format f,
                  const struct fz_cite_report *r, size_t n,
                  const char *accessed, char **errptr);

/* 1 when s is a real date YYYY-MM-DD (what accessed must be), else 0. */
int fz_cite_date_valid(const char *s);

/* Today's local date as YYYY-MM-DD. */
void fz_cite_today(char out[11]);

#endif
