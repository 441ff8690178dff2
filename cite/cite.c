#include "cite/cite.h"
#include "cite/csl.h"
#include "base/fz.h"
#include "meta/meta.h"
#include "base/utf8.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const format_names[] = {
    [FZ_CITE_GBT7714] = "gbt7714",
    [FZ_CITE_GBT7714_2025] = "gbt7714-2025",
    [FZ_CITE_CSL_JSON] = "csl-json",
    [FZ_CITE_BIBTEX] = "bibtex",
    [FZ_CITE_RIS] = "ris",
};
#define N_FORMATS (sizeof format_names / sizeof format_names[0])

/* Other names users give the formats, compared without case. */
static const struct { const char *alias; enum fz_cite_format f; } aliases[] = {
    { "gbt7714-2015", FZ_CITE_GBT7714 }, { "gb/t7714", FZ_CITE_GBT7714 },
    { "gbt", FZ_CITE_GBT7714 }, { "gb7714", FZ_CITE_GBT7714 },
    { "gb/t7714-2025", FZ_CITE_GBT7714_2025 },
    { "gb7714-2025", FZ_CITE_GBT7714_2025 },
    { "csl", FZ_CITE_CSL_JSON }, { "csljson", FZ_CITE_CSL_JSON },
    { "zotero", FZ_CITE_CSL_JSON }, { "json", FZ_CITE_CSL_JSON },
    { "bib", FZ_CITE_BIBTEX }, { "biblatex", FZ_CITE_BIBTEX },
};

int fz_cite_format_parse(const char *name, enum fz_cite_format *out,
                         char **errptr)
{
    for (size_t i = 0; name && i < N_FORMATS; i++) {
        if (strcasecmp(name, format_names[i]) == 0) {
            *out = (enum fz_cite_format)i;
            return FZ_OK;
        }
    }
    for (size_t i = 0; name && i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0) {
            *out = aliases[i].f;
            return FZ_OK;
        }
    fz_set_error(errptr, "unknown citation format: %s", name ? name : "");
    return FZ_EINVAL;
}

const char *fz_cite_format_name(enum fz_cite_format f)
{
    return (size_t)f < N_FORMATS ? format_names[f] : "?";
}

/* The passages go into `note` (CSL-JSON, BibTeX) under this line.  It
 * also keeps citeproc-js from reading the first passage as note-field
 * variables ("type: ..." or "{:issued:2020}" at the head of a note set
 * the item's fields), and every passage line starts with “, which no
 * such variable line does. */
#define NOTE_HEAD "fz 检索命中段落："
#define SECTION_SEP " \u203a "          /* › between section headings */

struct quote {
    char *text;
    char *section;              /* the path joined with SECTION_SEP, or
                                   NULL */
};

/* A report as fz cites it: every string cleaned, NULL when empty. */
struct item {
    char key[64];
    char *title, *author, *publisher, *place, *url;
    int issued[3];
    int n_issued;               /* date parts given: 0 (no date) to 3 */
    bool no_place, no_publisher;        /* a printed report that does not
                                           say where or by whom */
    struct quote *quotes;
    size_t n_quotes;
};

static void item_release(struct item *it)
{
    free(it->title);
    free(it->author);
    free(it->publisher);
    free(it->place);
    free(it->url);
    for (size_t i = 0; i < it->n_quotes; i++) {
        free(it->quotes[i].text);
        free(it->quotes[i].section);
    }
    free(it->quotes);
}

/* Runs of white space and control characters become one space; the ends
 * are trimmed; a field (not a passage) loses . : ; ! ? at its start.  *out is NULL when nothing is left.  Only ASCII space
 * and the controls (C0, DEL, C1, U+2028, U+2029) count: no-break and
 * ideographic spaces are characters a title may mean, and citeproc-js
 * prints them as they are. */
static int clean_text(const char *s, bool field, char **out)
{
    *out = NULL;
    if (s == NULL)
        return FZ_OK;
    size_t len = strlen(s), i = 0;
    struct fz_buf b = FZ_BUF_INIT;
    bool gap = false;
    while (i < len) {
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                || c == 0x2028 || c == 0x2029) {
            gap = true;
            continue;
        }
        if ((gap && b.len > 0 && fz_buf_appendc(&b, ' ') != FZ_OK)
                || fz_buf_append(&b, s + at, i - at) != FZ_OK) {
            fz_buf_release(&b);
            return FZ_ENOMEM;
        }
        gap = false;
    }
    if (field && b.len > 0) {
        /* citeproc-js moves . : ; ! ? and spaces at the start of a field
         * out of it, into the punctuation around it, with results no
         * reference list wants ("[1]: 标题"); such a start is debris from
         * extraction anyway, so fz's items never have one */
        size_t k = 0;
        while (k < b.len && strchr(".:;!? ", b.data[k]))
            k++;
        memmove(b.data, b.data + k, b.len - k + 1);
        b.len -= k;
    }
    if (b.len == 0) {
        fz_buf_release(&b);
        return FZ_OK;
    }
    *out = fz_buf_detach(&b, NULL);
    return *out ? FZ_OK : FZ_ENOMEM;
}

static int clean(const char *s, char **out)
{
    return clean_text(s, true, out);
}

/* A passage is printed inside “”, so the quotation marks in it go one
 * level in, as GB/T 15834-2011 (4.1.3.4) has it: “” becomes ‘’ and ‘’
 * becomes “”.  Same length in UTF-8: U+201C/D and U+2018/9 are 3 bytes
 * each, differing only in the last byte. */
static void swap_quotes(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80) {
            unsigned char *c = (unsigned char *)&s[2];
            switch (*c) {
            case 0x9c: *c = 0x98; break;        /* “ → ‘ */
            case 0x9d: *c = 0x99; break;        /* ” → ’ */
            case 0x98: *c = 0x9c; break;        /* ‘ → “ */
            case 0x99: *c = 0x9d; break;        /* ’ → ” */
            }
            if (s[2])
                s += 2;
        }
    }
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real date: the parts and their number,
 * or 0. */
static int parse_date(const char *s, int parts[3])
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };
    size_t len = strlen(s);
    if (len != 4 && len != 7 && len != 10)
        return 0;
    for (size_t i = 0; i < len; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    parts[0] = atoi(s);
    parts[1] = len >= 7 ? atoi(s + 5) : 0;
    parts[2] = len == 10 ? atoi(s + 8) : 0;
    if (parts[0] == 0 || (len >= 7 && (parts[1] < 1 || parts[1] > 12)))
        return 0;
    if (len == 10) {
        int days = mdays[parts[1] - 1]
                   + (parts[1] == 2 && leap(parts[0]) ? 1 : 0);
        if (parts[2] < 1 || parts[2] > days)
            return 0;
    }
    return len == 4 ? 1 : len == 7 ? 2 : 3;
}

int fz_cite_date_valid(const char *s)
{
    int p[3];
    return s != NULL && parse_date(s, p) == 3;
}

void fz_cite_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL
            || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        strcpy(out, "1970-01-01");
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && memcmp(s + n - k, suffix, k) == 0;
}

/* Capitals of the provinces and autonomous regions, the seat of a
 * province-level body (GB/T 7714-2015 8.4.1.1: the place of publication
 * is the city where the publisher is).  Municipalities are their own. */
static const char *const capitals[][2] = {
    { "河北省", "石家庄" }, { "山西省", "太原" },
    { "内蒙古自治区", "呼和浩特" }, { "辽宁省", "沈阳" },
    { "吉林省", "长春" }, { "黑龙江省", "哈尔滨" }, { "江苏省", "南京" },
    { "浙江省", "杭州" }, { "安徽省", "合肥" }, { "福建省", "福州" },
    { "江西省", "南昌" }, { "山东省", "济南" }, { "河南省", "郑州" },
    { "湖北省", "武汉" }, { "湖南省", "长沙" }, { "广东省", "广州" },
    { "广西壮族自治区", "南宁" }, { "海南省", "海口" },
    { "四川省", "成都" }, { "贵州省", "贵阳" }, { "云南省", "昆明" },
    { "西藏自治区", "拉萨" }, { "陕西省", "西安" }, { "甘肃省", "兰州" },
    { "青海省", "西宁" }, { "宁夏回族自治区", "银川" },
    { "新疆维吾尔自治区", "乌鲁木齐" },
};

/* The place of publication of a report, as a reference list writes it:
 * 北京 for a national body; a municipality or prefecture-level city
 * without its 市 (深圳, 重庆); a province's capital; a prefecture that is
 * no city (an 自治州, 地区 or 盟) by its name.  NULL when the region is
 * unknown. */
static int place_of(const struct fz_cite_report *r, char **out)
{
    enum fz_level level = FZ_LEVEL_UNKNOWN;
    const char *p = NULL;
    size_t len;
    *out = NULL;
    if (r->level && fz_level_parse(r->level, &level) == FZ_OK
            && level == FZ_LEVEL_NATIONAL) {
        p = "北京";
        len = strlen(p);
    } else if (r->n_region > 0 && r->region && r->region[0]
               && r->region[0][0]) {
        const char *top = r->region[0];
        if (ends_with(top, "市")) {
            p = top;                    /* 北京市 天津市 上海市 重庆市 */
        } else if (r->n_region == 1 || r->region[1] == NULL
                   || r->region[1][0] == '\0') {
            for (size_t i = 0; i < sizeof capitals / sizeof capitals[0];
                 i++)
                if (strcmp(top, capitals[i][0]) == 0)
                    p = capitals[i][1];
            if (p == NULL)
                p = top;
        } else {
            p = r->region[1];
        }
        len = strlen(p);
        if (ends_with(p, "市"))
            len -= strlen("市");
    }
    if (p == NULL)
        return FZ_OK;
    char *s = strndup(p, len);
    if (s == NULL)
        return FZ_ENOMEM;
    int rc = clean(s, out);
    free(s);
    return rc;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static void make_key(const struct fz_cite_report *r, const struct item *it,
                     char key[64])
{
    const char *code = r->region_code;
    bool digits = code && *code && strlen(code) <= 12;
    for (const char *c = code; digits && *c; c++)
        digits = *c >= '0' && *c <= '9';
    enum fz_level level = FZ_LEVEL_UNKNOWN;
    if (r->level)
        fz_level_parse(r->level, &level);
    const char *area = digits ? code
                     : level == FZ_LEVEL_NATIONAL ? "cn" : "x";
    char year[16] = "nd";
    if (r->year > 0 && r->year <= 9999)
        snprintf(year, sizeof year, "%d", r->year);
    else if (it->n_issued > 0)
        snprintf(year, sizeof year, "%d", it->issued[0]);
    /* the date as cleaned, so white space never changes a key */
    char date[16] = "";
    if (it->n_issued > 0)
        snprintf(date, sizeof date, "%04d", it->issued[0]);
    if (it->n_issued > 1)
        snprintf(date + 4, sizeof date - 4, "-%02d", it->issued[1]);
    if (it->n_issued > 2)
        snprintf(date + 7, sizeof date - 7, "-%02d", it->issued[2]);
    uint64_t h = 14695981039346656037u;
    const char *fields[] = { it->title, it->author, date, it->url };
    for (size_t i = 0; i < 4; i++) {
        h = fnv1a(h, fields[i]);
        h = fnv1a(h, "\x1f");
    }
    snprintf(key, 64, "fz-%s-%s-%08x", area, year, (unsigned)(h >> 32));
}

static int invalid(char **errptr, size_t i, const char *what)
{
    fz_set_error(errptr, "report %zu: %s is not valid UTF-8", i + 1, what);
    return FZ_EINVAL;
}

/* The report r (number i in the list) as fz cites it. */
static int make_item(const struct fz_cite_report *r, size_t i,
                     struct item *it, char **errptr)
{
    const struct { const char *s, *name; } strs[] = {
        { r->title, "title" }, { r->issuer, "issuer" }, { r->url, "url" },
        { r->source, "source" }, { r->date, "date" },
    };
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
        if (strs[k].s && !fz_utf8_valid(strs[k].s, strlen(strs[k].s)))
            return invalid(errptr, i, strs[k].name);
    for (size_t k = 0; k < r->n_region; k++)
        if (r->region && r->region[k]
                && !fz_utf8_valid(r->region[k], strlen(r->region[k])))
            return invalid(errptr, i, "region");
    for (size_t q = 0; q < r->n_quotes; q++) {
        const struct fz_cite_quote *c = &r->quotes[q];
        if (c->text && !fz_utf8_valid(c->text, strlen(c->text)))
            return invalid(errptr, i, "quote");
        for (size_t k = 0; k < c->n_section; k++)
            if (c->section && c->section[k]
                    && !fz_utf8_valid(c->section[k], strlen(c->section[k])))
                return invalid(errptr, i, "section");
    }
    char *date = NULL;
    int rc = clean_text(r->date, false, &date);
    if (rc != FZ_OK)
        return rc;
    if (date && (it->n_issued = parse_date(date, it->issued)) == 0) {
        fz_set_error(errptr, "report %zu: date is not YYYY-MM-DD: %s",
                     i + 1, date);
        free(date);
        return FZ_EINVAL;
    }
    free(date);
    if ((rc = clean(r->title, &it->title)) != FZ_OK
            || (rc = clean(r->issuer, &it->author)) != FZ_OK
            || (rc = clean(r->url, &it->url)) != FZ_OK)
        return rc;
    if (it->url == NULL) {
        /* Printed reports name their publisher and its place; an online
         * one is cited as [R/OL] with its URL instead, as the standard's
         * own examples do. */
        if ((rc = clean(r->issuer, &it->publisher)) != FZ_OK)
            return rc;
        if (it->publisher == NULL
                && (rc = clean(r->source, &it->publisher)) != FZ_OK)
            return rc;
        if (it->publisher && (rc = place_of(r, &it->place)) != FZ_OK)
            return rc;
        it->no_publisher = it->publisher == NULL;
        it->no_place = it->place == NULL;
    }
    if (r->n_quotes > 0) {
        it->quotes = calloc(r->n_quotes, sizeof *it->quotes);
        if (it->quotes == NULL)
            return FZ_ENOMEM;
    }
    for (size_t q = 0; q < r->n_quotes; q++) {
        const struct fz_cite_quote *c = &r->quotes[q];
        struct quote nq = { NULL, NULL };
        struct fz_buf sec = FZ_BUF_INIT;
        if ((rc = clean_text(c->text, false, &nq.text)) != FZ_OK)
            return rc;
        if (nq.text)
            swap_quotes(nq.text);
        for (size_t k = 0; k < c->n_section && c->section; k++) {
            char *h = NULL;
            if ((rc = clean_text(c->section[k], false, &h)) != FZ_OK) {
                fz_buf_release(&sec);
                free(nq.text);
                return rc;
            }
            if (h && ((sec.len && fz_buf_appends(&sec, SECTION_SEP))
                      || fz_buf_appends(&sec, h))) {
                free(h);
                fz_buf_release(&sec);
                free(nq.text);
                return FZ_ENOMEM;
            }
            free(h);
        }
        if (c->page && fz_buf_appendf(&sec, "%sp. %u", sec.len ? " · " : "",
                                      c->page) != FZ_OK) {
            fz_buf_release(&sec);
            free(nq.text);
            return FZ_ENOMEM;
        }
        if (sec.len && (nq.section = fz_buf_detach(&sec, NULL)) == NULL) {
            free(nq.text);
            return FZ_ENOMEM;
        }
        if (nq.text == NULL) {          /* nothing to quote */
            free(nq.section);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < it->n_quotes && !dup; k++) {
            const struct quote *o = &it->quotes[k];
            dup = strcmp(o->text, nq.text) == 0
                  && (o->section == NULL) == (nq.section == NULL)
                  && (o->section == NULL
                      || strcmp(o->section, nq.section) == 0);
        }
        if (dup) {
            free(nq.text);
            free(nq.section);
            continue;
        }
        it->quotes[it->n_quotes++] = nq;
    }
    make_key(r, it, it->key);
    return FZ_OK;
}

/* Give each item a key no earlier one has: the second fz-...-1a2b3c4d
 * becomes fz-...-1a2b3c4db, the next ...c. */
static void unique_keys(struct item *items, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        char base[40];          /* keys are at most 29 bytes */
        snprintf(base, sizeof base, "%s", items[i].key);
        for (int suffix = 0;; suffix++) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; j++)
                taken = strcmp(items[j].key, items[i].key) == 0;
            if (!taken)
                break;
            if (suffix < 25)
                snprintf(items[i].key, 64, "%s%c", base, 'b' + suffix);
            else
                snprintf(items[i].key, 64, "%s%d", base, suffix + 2);
        }
    }
}

/* ---- GB/T 7714 text ---------------------------------------------------
 * The entry layouts of the two styles for fz's three item shapes, field
 * by field as the CSL macros give them:
 *   2015  author. title[R/OL]. (issued)[accessed]. URL.
 *         author. title[R]. place: publisher, year.
 *         author. title[R]. year.
 *   2025  author. title[R/OL]. issued. URL.        ([accessed year] with
 *                                                   no issued date)
 *         author. title[R]. place：publisher，year.
 *         author. title[R]. issued.
 * An empty field and its delimiter are left out; names are upper-cased
 * in the 2015 style (text-case="uppercase"). */

/* A CSL group being written: its text so far, and the quote tail of the
 * field that ends it.  A group adds a part with a delimiter only when both
 * the part and what came before are non-empty, as CSL groups do; a field
 * that renders to nothing (<i></i>) counts as absent. */
struct group {
    struct fz_buf b;
    size_t tail;
};
#define GROUP_INIT { FZ_BUF_INIT, 0 }

/* Add the group part (released here) after delim. */
static int add_group(struct group *g, const char *delim, struct group *part)
{
    int rc = FZ_OK;
    if (part->b.len > 0) {
        if (g->b.len > 0)
            rc = fz_csl_append_punct(&g->b, delim, g->tail);
        if (rc == FZ_OK)
            rc = fz_buf_append(&g->b, part->b.data, part->b.len);
        if (rc == FZ_OK)
            g->tail = part->tail;
    }
    fz_buf_release(&part->b);
    return rc;
}

/* Add the string variable s (may be NULL) after delim. */
static int add_field(struct group *g, const char *delim, const char *s,
                     bool upper)
{
    struct group part = GROUP_INIT;
    int rc = s ? fz_csl_rich_text(s, strlen(s), upper, &part.b, &part.tail)
               : FZ_OK;
    if (rc != FZ_OK) {
        fz_buf_release(&part.b);
        return rc;
    }
    return add_group(g, delim, &part);
}

/* Add literal text after delim. */
static int add_text(struct group *g, const char *delim, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));

static int add_text(struct group *g, const char *delim, const char *fmt,
                    ...)
{
    struct group part = GROUP_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = fz_buf_vappendf(&part.b, fmt, ap);
    va_end(ap);
    if (rc != FZ_OK) {
        fz_buf_release(&part.b);
        return rc;
    }
    return add_group(g, delim, &part);
}

static int add_date(struct group *g, const char *delim, const int *p, int n)
{
    return n == 1 ? add_text(g, delim, "%d", p[0])
         : n == 2 ? add_text(g, delim, "%d-%02d", p[0], p[1])
         : add_text(g, delim, "%d-%02d-%02d", p[0], p[1], p[2]);
}

/* GB/T 7714-2015 8.4.1.3 and 8.4.2.3: a Chinese document that names no
 * place or no publisher says so, in brackets.  The CSL-JSON carries the
 * same words, so citeproc-js prints what fz prints; BibTeX and RIS leave
 * the fields out. */
#define NO_PLACE "[出版地不详]"
#define NO_PUBLISHER "[出版者不详]"

static const char *place_or_unknown(const struct item *it)
{
    return it->place ? it->place : it->no_place ? NO_PLACE : NULL;
}

static const char *publisher_or_unknown(const struct item *it)
{
    return it->publisher ? it->publisher
         : it->no_publisher ? NO_PUBLISHER : NULL;
}

/* The part after the title: dates, or place, publisher and year. */
static int gbt_publisher(struct group *g, const struct item *it,
                         bool y2025, const int acc[3])
{
    int rc = FZ_OK;
    if (it->url) {
        if (y2025)
            return it->n_issued ? add_date(g, "", it->issued, it->n_issued)
                                : add_text(g, "", "[%d]", acc[0]);
        if (it->n_issued) {
            struct group d = GROUP_INIT;
            rc = add_date(&d, "", it->issued, it->n_issued);
            if (rc == FZ_OK)
                rc = add_text(g, "", "(%s)", d.b.data);
            fz_buf_release(&d.b);
        }
        if (rc == FZ_OK)
            rc = add_text(g, "", "[%d-%02d-%02d]", acc[0], acc[1], acc[2]);
        return rc;
    }
    if (publisher_or_unknown(it) || place_or_unknown(it)) {
        struct group who = GROUP_INIT;
        rc = add_field(&who, "", place_or_unknown(it), false);
        if (rc == FZ_OK)
            rc = add_field(&who, y2025 ? "\uff1a" : ": ",
                           publisher_or_unknown(it), false);
        if (rc == FZ_OK)
            rc = add_group(g, "", &who);
        else
            fz_buf_release(&who.b);
        if (rc == FZ_OK && it->n_issued)
            rc = add_text(g, y2025 ? "\uff0c" : ", ", "%d", it->issued[0]);
        return rc;
    }
    if (it->n_issued)
        rc = y2025 ? add_date(g, "", it->issued, it->n_issued)
                   : add_text(g, "", "%d", it->issued[0]);
    return rc;
}

static int gbt_entry(struct fz_buf *b, const struct item *it, size_t num,
                     bool y2025, const int acc[3])
{
    struct group e = GROUP_INIT, t = GROUP_INIT, p = GROUP_INIT;
    int rc = add_field(&e, "", it->author, !y2025);
    if (rc == FZ_OK)
        rc = add_field(&t, "", it->title, false);
    if (rc == FZ_OK)
        rc = add_text(&t, "", "%s", it->url ? "[R/OL]" : "[R]");
    if (rc == FZ_OK)
        rc = add_group(&e, ". ", &t);
    if (rc == FZ_OK)
        rc = gbt_publisher(&p, it, y2025, acc);
    if (rc == FZ_OK)
        rc = add_group(&e, ". ", &p);
    if (rc == FZ_OK)
        rc = add_field(&e, ". ", it->url, false);
    if (rc == FZ_OK)
        rc = fz_csl_append_punct(&e.b, ".", e.tail);
    if (rc == FZ_OK)
        rc = fz_buf_appendf(b, "[%zu] %s\n", num, e.b.data);
    for (size_t q = 0; q < it->n_quotes && rc == FZ_OK; q++) {
        const struct quote *c = &it->quotes[q];
        if (c->section)
            rc = fz_buf_appendf(b, "    %s\n", c->section);
        if (rc == FZ_OK)
            rc = fz_buf_appendf(b, "    \u201c%s\u201d\n", c->text);
    }
    fz_buf_release(&e.b);
    fz_buf_release(&t.b);
    fz_buf_release(&p.b);
    return rc;
}

static int date_numeric(struct fz_buf *b, const int *p, int n)
{
    int rc = fz_buf_appendf(b, "%d", p[0]);
    if (rc == FZ_OK && n > 1)
        rc = fz_buf_appendf(b, "-%02d", p[1]);
    if (rc == FZ_OK && n > 2)
        rc = fz_buf_appendf(b, "-%02d", p[2]);
    return rc;
}

/* ---- CSL-JSON ---------------------------------------------------------- */

/* "“passage”（section path）" lines under NOTE_HEAD. */
static int note_text(const struct item *it, const char *line_sep,
                     struct fz_buf *b)
{
    int rc = fz_buf_appends(b, NOTE_HEAD);
    for (size_t q = 0; q < it->n_quotes && rc == FZ_OK; q++) {
        const struct quote *c = &it->quotes[q];
        rc = fz_buf_appendf(b, "%s\u201c%s\u201d", line_sep, c->text);
        if (rc == FZ_OK && c->section)
            rc = fz_buf_appendf(b, "\uff08%s\uff09", c->section);
    }
    return rc;
}

static cJSON *date_parts(const int *p, int n)
{
    cJSON *d = cJSON_CreateObject(), *outer = cJSON_CreateArray(),
          *inner = cJSON_CreateArray();
    if (!d || !outer || !inner) {
        cJSON_Delete(d);
        cJSON_Delete(outer);
        cJSON_Delete(inner);
        return NULL;
    }
    cJSON_AddItemToObject(d, "date-parts", outer);
    cJSON_AddItemToArray(outer, inner);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(inner, cJSON_CreateNumber(p[i]));
    return d;
}

static int csl_item(struct fz_buf *b, const struct item *it,
                    const int acc[3])
{
    struct fz_buf note = FZ_BUF_INIT;
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    ok = ok && cJSON_AddStringToObject(o, "id", it->key);
    ok = ok && cJSON_AddStringToObject(o, "type", "report");
    if (ok && it->title)
        ok = cJSON_AddStringToObject(o, "title", it->title) != NULL;
    if (ok && it->author) {
        cJSON *a = cJSON_AddArrayToObject(o, "author"),
              *n = cJSON_CreateObject();
        ok = a && n && cJSON_AddStringToObject(n, "literal", it->author);
        if (a && n)
            cJSON_AddItemToArray(a, n);
        else
            cJSON_Delete(n);
    }
    if (ok && it->n_issued) {
        cJSON *d = date_parts(it->issued, it->n_issued);
        ok = d != NULL;
        if (ok)
            cJSON_AddItemToObject(o, "issued", d);
    }
    if (ok && it->url) {
        cJSON *d = date_parts(acc, 3);
        ok = d != NULL;
        if (ok)
            cJSON_AddItemToObject(o, "accessed", d);
        ok = ok && cJSON_AddStringToObject(o, "URL", it->url);
    }
    if (ok && publisher_or_unknown(it))
        ok = cJSON_AddStringToObject(o, "publisher",
                                     publisher_or_unknown(it)) != NULL;
    if (ok && place_or_unknown(it))
        ok = cJSON_AddStringToObject(o, "publisher-place",
                                     place_or_unknown(it)) != NULL;
    ok = ok && cJSON_AddStringToObject(o, "language", "zh-CN");
    if (ok && it->n_quotes) {
        ok = note_text(it, "\n", &note) == FZ_OK
             && cJSON_AddStringToObject(o, "note", note.data);
    }
    char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
    int rc = s ? fz_buf_appends(b, s) : FZ_ENOMEM;
    free(s);
    cJSON_Delete(o);
    fz_buf_release(&note);
    return rc;
}

/* ---- BibTeX ------------------------------------------------------------ */

/* Text for a braced biblatex field: the characters TeX treats specially
 * are escaped; anything else (UTF-8 included) is written as it is. */
static int bib_text(struct fz_buf *b, const char *s)
{
    int rc = FZ_OK;
    for (; *s && rc == FZ_OK; s++) {
        switch (*s) {
        case '\\': rc = fz_buf_appends(b, "\\textbackslash{}"); break;
        case '~': rc = fz_buf_appends(b, "\\textasciitilde{}"); break;
        case '^': rc = fz_buf_appends(b, "\\textasciicircum{}"); break;
        case '{': case '}': case '%': case '&': case '#': case '$':
        case '_':
            rc = fz_buf_appendc(b, '\\');
            if (rc == FZ_OK)
                rc = fz_buf_appendc(b, *s);
            break;
        default:
            rc = fz_buf_appendc(b, *s);
        }
    }
    return rc;
}

/* A URL for biblatex's verbatim url field: % # ~ _ stay as they are
 * (biber reads the field verbatim); the few characters that would end or
 * break the field are percent-encoded, which leaves the URL the same. */
static int bib_url(struct fz_buf *b, const char *s)
{
    int rc = FZ_OK;
    for (; *s && rc == FZ_OK; s++) {
        if (*s == '{' || *s == '}' || *s == '\\' || *s == ' ')
            rc = fz_buf_appendf(b, "%%%02X", (unsigned char)*s);
        else
            rc = fz_buf_appendc(b, *s);
    }
    return rc;
}

static int bib_field(struct fz_buf *b, const char *name, const char *value,
                     bool corporate)
{
    int rc = fz_buf_appendf(b, "  %s = {%s", name, corporate ? "{" : "");
    if (rc == FZ_OK)
        rc = bib_text(b, value);
    if (rc == FZ_OK)
        rc = fz_buf_appends(b, corporate ? "}},\n" : "},\n");
    return rc;
}

static int bib_entry(struct fz_buf *b, const struct item *it,
                     const int acc[3])
{
    int rc = fz_buf_appendf(b, "@report{%s,\n", it->key);
    if (rc == FZ_OK && it->author)      /* a body, not a person's name */
        rc = bib_field(b, "author", it->author, true);
    if (rc == FZ_OK && it->title)
        rc = bib_field(b, "title", it->title, false);
    if (rc == FZ_OK && it->publisher)
        rc = bib_field(b, "institution", it->publisher, false);
    /* address, not location, and year beside date: classic BibTeX
     * styles (the gbt7714 package) read only those; biblatex takes
     * address as location and prefers date */
    if (rc == FZ_OK && it->place)
        rc = bib_field(b, "address", it->place, false);
    if (rc == FZ_OK && it->n_issued)
        rc = fz_buf_appendf(b, "  year = {%04d},\n", it->issued[0]);
    if (rc == FZ_OK && it->n_issued) {
        rc = fz_buf_appends(b, "  date = {");
        if (rc == FZ_OK)
            rc = date_numeric(b, it->issued, it->n_issued);
        if (rc == FZ_OK)
            rc = fz_buf_appends(b, "},\n");
    }
    if (rc == FZ_OK && it->url) {
        rc = fz_buf_appends(b, "  url = {");
        if (rc == FZ_OK)
            rc = bib_url(b, it->url);
        if (rc == FZ_OK)
            rc = fz_buf_appendf(b, "},\n  urldate = {%d-%02d-%02d},\n",
                                acc[0], acc[1], acc[2]);
    }
    if (rc == FZ_OK && it->n_quotes) {
        struct fz_buf note = FZ_BUF_INIT;
        rc = note_text(it, "\n    ", &note);
        if (rc == FZ_OK)
            rc = bib_field(b, "note", note.data, false);
        fz_buf_release(&note);
    }
    if (rc == FZ_OK)
        rc = fz_buf_appends(b, "}\n");
    return rc;
}

/* ---- RIS --------------------------------------------------------------- */

static int ris_line(struct fz_buf *b, const char *tag, const char *value)
{
    return fz_buf_appendf(b, "%s  - %s\n", tag, value);
}

static int ris_date(struct fz_buf *b, const char *tag, const int *p, int n)
{
    int rc = fz_buf_appendf(b, "%s  - %04d", tag, p[0]);
    if (rc == FZ_OK && n > 1)
        rc = fz_buf_appendf(b, "/%02d", p[1]);
    if (rc == FZ_OK && n > 2)
        rc = fz_buf_appendf(b, "/%02d", p[2]);
    if (rc == FZ_OK)
        rc = fz_buf_appends(b, "\n");
    return rc;
}

static int ris_entry(struct fz_buf *b, const struct item *it,
                     const int acc[3])
{
    int rc = ris_line(b, "TY", "RPRT");
    if (rc == FZ_OK)
        rc = ris_line(b, "ID", it->key);
    if (rc == FZ_OK && it->author)
        rc = ris_line(b, "AU", it->author);
    if (rc == FZ_OK && it->title)
        rc = ris_line(b, "TI", it->title);
    if (rc == FZ_OK && it->n_issued) {
        rc = fz_buf_appendf(b, "PY  - %04d\n", it->issued[0]);
        if (rc == FZ_OK)
            rc = ris_date(b, "DA", it->issued, it->n_issued);
    }
    if (rc == FZ_OK && it->publisher)
        rc = ris_line(b, "PB", it->publisher);
    if (rc == FZ_OK && it->place)
        rc = ris_line(b, "CY", it->place);
    if (rc == FZ_OK && it->url) {
        rc = ris_line(b, "UR", it->url);
        if (rc == FZ_OK)
            rc = ris_date(b, "Y2", acc, 3);
    }
    if (rc == FZ_OK)
        rc = ris_line(b, "LA", "zh-CN");
    for (size_t q = 0; q < it->n_quotes && rc == FZ_OK; q++) {
        const struct quote *c = &it->quotes[q];
        rc = fz_buf_appendf(b, "N1  - \u201c%s\u201d", c->text);
        if (rc == FZ_OK && c->section)
            rc = fz_buf_appendf(b, "\uff08%s\uff09", c->section);
        if (rc == FZ_OK)
            rc = fz_buf_appends(b, "\n");
    }
    if (rc == FZ_OK)
        rc = fz_buf_appends(b, "ER  - \n");
    return rc;
}

int fz_cite_write(struct fz_buf *out, enum fz_cite_format f,
                  const struct fz_cite_report *r, size_t n,
                  const char *accessed, char **errptr)
{
    struct fz_buf b = FZ_BUF_INIT;
    struct item *items = NULL;
    size_t made = 0;
    int acc[3], rc = FZ_OK;
    if ((size_t)f >= N_FORMATS) {
        fz_set_error(errptr, "unknown citation format %d", (int)f);
        return FZ_EINVAL;
    }
    if (accessed == NULL || parse_date(accessed, acc) != 3) {
        fz_set_error(errptr, "accessed date is not YYYY-MM-DD: %s",
                     accessed ? accessed : "(none)");
        return FZ_EINVAL;
    }
    if (n > 0 && r == NULL) {
        fz_set_error(errptr, "no reports to cite");
        return FZ_EINVAL;
    }
    if (n > 0 && (items = calloc(n, sizeof *items)) == NULL)
        return FZ_ENOMEM;
    for (; made < n; made++)
        if ((rc = make_item(&r[made], made, &items[made], errptr))
                != FZ_OK) {
            made++;
            goto out;
        }
    unique_keys(items, n);
    if (f == FZ_CITE_CSL_JSON)
        rc = fz_buf_appends(&b, "[");
    for (size_t i = 0; i < n && rc == FZ_OK; i++) {
        switch (f) {
        case FZ_CITE_GBT7714:
        case FZ_CITE_GBT7714_2025:
            rc = gbt_entry(&b, &items[i], i + 1,
                           f == FZ_CITE_GBT7714_2025, acc);
            break;
        case FZ_CITE_CSL_JSON:
            rc = fz_buf_appends(&b, i ? ",\n" : "\n");
            if (rc == FZ_OK)
                rc = csl_item(&b, &items[i], acc);
            break;
        case FZ_CITE_BIBTEX:
            rc = fz_buf_appends(&b, i ? "\n" : "");
            if (rc == FZ_OK)
                rc = bib_entry(&b, &items[i], acc);
            break;
        case FZ_CITE_RIS:
            rc = fz_buf_appends(&b, i ? "\n" : "");
            if (rc == FZ_OK)
                rc = ris_entry(&b, &items[i], acc);
            break;
        }
    }
    if (rc == FZ_OK && f == FZ_CITE_CSL_JSON)
        rc = fz_buf_appends(&b, n ? "\n]\n" : "]\n");
    if (rc == FZ_OK)
        rc = fz_buf_append(out, b.data ? b.data : "", b.len);
out:
    for (size_t i = 0; i < made; i++)
        item_release(&items[i]);
    free(items);
    fz_buf_release(&b);
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory writing citations");
    return rc;
}
