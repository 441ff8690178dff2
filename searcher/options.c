/* searcher/options.c - argv into a checked struct fzs_options (see
 * options.h). */
#include "searcher/options.h"

#include "base/fz.h"
#include "cite/cite.h"
#include "shim/fzx.h"
#include "meta/meta.h"
#include "store/schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const facet_names[FZS_N_FACETS] = {
    "year", "level", "region",
};

const char *fzs_facet_name(int f)
{
    return facet_names[f];
}

int fzs_options_any_facet(const struct fzs_options *o)
{
    int any = 0;
    for (int f = 0; f < FZS_N_FACETS; f++)
        any |= o->facets[f] != 0;
    return any;
}

void fzs_options_init(struct fzs_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->color = -1;
    o->timeout_ms = 10000;          /* Xapian::Remote::open's default */
}

static const char usage[] =
"usage: fzsearch [<options>] <query>...\n"
"       fzsearch [<options>] --like <passage id>\n"
"\n"
"Search the passages of indexed reports.  Words are ANDed and meet in one\n"
"passage; a run of Han characters matches exactly where a passage contains\n"
"it (行政复议 finds 行政复议, never 行政 ... 复议); Traditional and\n"
"Simplified are the same.\n"
"\n"
"Query language (tightest first: NEAR, NOT, OR, AND):\n"
"  a b   a AND b   both           a OR b        either\n"
"  \"a phrase\"     as written      -a   NOT a    without a\n"
"  6% 《民法典》  punctuation and symbols as written: never 6年, 民法典\n"
"  title:a         in the title   a NEAR/5 b    at most 5 characters apart\n"
"  ( )             groups: (行政复议 应诉) OR 民法典; NOT (a OR b)\n"
"  行政复议 应诉 OR 民法典 is 行政复议 AND (应诉 OR 民法典).\n"
"  A word like -C or --cite is refused: options go before the query.\n"
"(at most 2000 characters and 64 terms)\n"
"\n"
"      --db <dir>         the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                         else ~/.local/share/fz), or a stub naming shards\n"
"                         (local folders, or xapian-tcpsrv servers)\n"
"      --partial          when a shard does not answer, search the others\n"
"                         and name it on stderr (default: an error)\n"
"      --timeout <s>      wait at most <s> seconds for a remote shard to\n"
"                         connect and for each answer (default 10)\n"
"  -n, --limit <n>        show at most <n> hits (default 10; 0: all; with\n"
"                         --compare and --cite every matching report\n"
"                         unless given; more matches than shown are\n"
"                         counted on stderr)\n"
"      --offset <n>       skip the first <n> hits\n"
"\n"
"Filters (a filter given again widens it: --region 广东 --region 重庆 is\n"
"either; different filters narrow):\n"
"      --year <y>         reports on year <y>, or <y1>..<y2> (also y1-y2;\n"
"                         open: 2020.., ..2010)\n"
"      --date <range>     reports published in a range: 2023-03-01..2023-06-30,\n"
"                         2023-03, 2023, 2023-01.., ..2022-12-31 (reports\n"
"                         with no known date are left out, and counted on\n"
"                         stderr)\n"
"      --region <r>       reports of a place: any part of its chain by name\n"
"                         (广东, 深圳市, 龙岗区, 广东 深圳 龙岗) or a division\n"
"                         code prefix (4403); 全国: the national reports.\n"
"                         What it was taken as is said on stderr.  A name\n"
"                         several places have is the one above township\n"
"                         level if no such township has reports here, else\n"
"                         the one with reports here, else an error listing\n"
"                         them\n"
"      --level <l>        national, province, city, county, township,\n"
"                         department, unknown (or 全国 省 市 区 县 街道 乡 镇\n"
"                         部门)\n"
"\n"
"What a hit is:\n"
"      --by-report        one best passage per report, reports ranked\n"
"      --within <w>       where the words must meet: passage (同段,\n"
"                         default), sentence (同句), or report (同篇:\n"
"                         anywhere in one report; the hit is its best\n"
"                         passage)\n"
"      --compare          one row per matching report, its best passage,\n"
"                         grouped by region (province › city › county ›\n"
"                         township) and ordered by year\n"
"      --like <id>        passages most like passage <id> (shown by\n"
"                         --show-ids and --json) in other reports, one per\n"
"                         report\n"
"\n"
"Output:\n"
"      --facets <list>    before the hits, the number of matching reports\n"
"                         per year, level and/or region (e.g. year,level);\n"
"                         CSV is one table: --count --facets prints them\n"
"      --format <f>       text (default), markdown, csv, json or xlsx (a\n"
"                         workbook: hits in one sheet, facets in another;\n"
"                         to stdout when it is not a terminal, or -o)\n"
"  -o, --output <file>    write the xlsx workbook to <file>\n"
"      --bom              start CSV with a UTF-8 byte order mark (for\n"
"                         Excel)\n"
"      --json             the same as --format json (schema in the README)\n"
"      --cite [<style>]   the reports behind the hits as a reference list:\n"
"                         gbt7714 (GB/T 7714-2015, default), gbt7714-2025,\n"
"                         csl-json, bibtex, ris\n"
"      --accessed <date>  the access date cited (YYYY-MM-DD; default today)\n"
"      --count            print only the number of hits\n"
"      --sort <order>     relevance (default); date or year: oldest first,\n"
"                         date-desc or year-desc: newest first (equal ones\n"
"                         by relevance; undated last)\n"
"      --show-ids         print each passage's id\n"
"      --color <when>     auto (default: on a terminal, unless NO_COLOR),\n"
"                         always, never\n"
"  -h, --help             this help\n"
"      --version          fz's, the index layout's and Xapian's versions\n"
"\n"
"Exit status: 0 some hit, 1 no hit, 2 error.\n";

static const char *prog = "fzsearch";

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 1000000 || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* 2023; 2020..2023 or 2020-2023; open: 2020.. (from 2020), ..2010 (up
 * to 2010).  An open end is the earliest or latest year any report can
 * have. */
#define FZS_YEAR_MIN 1949
#define FZS_YEAR_MAX 2100

static int parse_years(const char *s, int *lo, int *hi)
{
    int a, b, n;
    /* %n is set only when the whole pattern matched: reset it each time */
#define MATCHED(fmt, ...) (n = -1, sscanf(s, fmt "%n", __VA_ARGS__, &n), \
                           n >= 0 && s[n] == '\0')
    if (MATCHED("%d..%d", &a, &b) || MATCHED("%d-%d", &a, &b)) {
        *lo = a;
        *hi = b;
    } else if (MATCHED("%d..", &a)) {
        *lo = a;
        *hi = FZS_YEAR_MAX;
    } else if (s[0] == '.' && MATCHED("..%d", &b)) {
        *lo = FZS_YEAR_MIN;
        *hi = b;
    } else if (MATCHED("%d", &a)) {
        *lo = *hi = a;
    } else {
        return -1;
    }
#undef MATCHED
    return *lo >= 1000 && *hi <= 9999 && *lo <= *hi && *hi - *lo < 512
           ? 0 : -1;
}

/* One end of --date: YYYY, YYYY-MM or YYYY-MM-DD, widened to the first
 * (hi: the last) day it covers, as FZ_SLOT_DATE holds dates (2023-12-06,
 * compared as strings; the 31st of every month is late enough). */
static int parse_date_end(const char *s, size_t len, int hi, char out[11])
{
    int y, m = hi ? 12 : 1, d = hi ? 31 : 1, n = -1;
    char b[16];
    if (len == 0 || len >= sizeof b)
        return -1;
    memcpy(b, s, len);
    b[len] = '\0';
    if (!(len == 4 && sscanf(b, "%4d%n", &y, &n) == 1 && n == 4)
        && !(len == 7 && sscanf(b, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7)
        && !(len == 10 && sscanf(b, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3
             && n == 10))
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!((b[i] >= '0' && b[i] <= '9') || (b[i] == '-'
                                               && (i == 4 || i == 7))))
            return -1;
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(b, sizeof b, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, b, 11);
    return 0;
}

/* --date: FROM..TO, FROM.., ..TO, or one YYYY[-MM[-DD]] (that period). */
static int parse_dates(const char *s, char lo[11], char hi[11])
{
    const char *dots = strstr(s, "..");
    lo[0] = hi[0] = '\0';
    if (dots == NULL)
        return parse_date_end(s, strlen(s), 0, lo) != 0
               || parse_date_end(s, strlen(s), 1, hi) != 0 ? -1 : 0;
    if (dots == s && dots[2] == '\0')
        return -1;
    if (dots > s && parse_date_end(s, (size_t)(dots - s), 0, lo) != 0)
        return -1;
    if (dots[2] && parse_date_end(dots + 2, strlen(dots + 2), 1, hi) != 0)
        return -1;
    return lo[0] && hi[0] && strcmp(lo, hi) > 0 ? -1 : 0;
}

/* A word of ASCII letters, digits, '-' and '/': what a style name looks
 * like, mistyped or not (a query word after --cite is Han). */
static int ascii_word(const char *s)
{
    if (*s == '\0' || *s == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || *s == '-' || *s == '/'))
            return 0;
    return 1;
}

/* year,level,region in any order, each once. */
static int parse_facets(const char *s, int facets[FZS_N_FACETS])
{
    int rank = 0;
    memset(facets, 0, FZS_N_FACETS * sizeof *facets);
    while (*s) {
        size_t n = strcspn(s, ",");
        int f = 0;
        while (f < FZS_N_FACETS && !(strlen(facet_names[f]) == n
                                     && strncmp(s, facet_names[f], n) == 0))
            f++;
        if (f == FZS_N_FACETS || facets[f])
            return -1;
        facets[f] = ++rank;
        s += n + (s[n] == ',');
    }
    return rank ? 0 : -1;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see %s --help)\n", prog);
    return 2;
}

/* Options that take a value. */
static const char *const valued[] = {
    "--db", "--limit", "--offset", "--year", "--region", "--level",
    "--color", "--format", "--within", "--like", "--facets", "--accessed",
    "--timeout", "--date", "--sort", "--output",
};

/* Seconds, with a fraction, as milliseconds: 0 < s <= one day. */
static int parse_seconds(const char *s, unsigned *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 86400)
        return -1;
    *ms = (unsigned)(v * 1000 + 0.5);
    if (*ms == 0)
        *ms = 1;
    return 0;
}

static int is_valued(const char *a)
{
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
        if (strcmp(a, valued[k]) == 0)
            return 1;
    return 0;
}

/* The combinations of --format csv and xlsx, --bom and --output: 0, or
 * 2 when a usage error was said. */
static int check_export(const struct fzs_options *o)
{
    int csv = o->format == FZS_FORMAT_CSV, xlsx = o->format == FZS_FORMAT_XLSX;
    if (o->bom && !csv)
        return usage_error("%s", "--bom goes with --format csv");
    if (o->output && !xlsx)
        return usage_error("--output '%s' goes with --format xlsx (other "
                           "formats: redirect stdout)", o->output);
    if (xlsx && o->count)
        return usage_error("%s", "--count prints a number, not a workbook: "
                           "it cannot be combined with --format xlsx");
    /* facets and hits are two tables, and a CSV file holds one */
    if (csv && fzs_options_any_facet(o) && !o->count)
        return usage_error("%s", "--facets with --format csv: a CSV file "
                           "is one table; add --count for the facets' "
                           "table, or use --format xlsx or json");
    return 0;
}

/* Parse argv into o and the query words qv[0,*qn).  0, or the exit
 * status of a usage error (said). */
static int parse_args(int argc, char **argv, struct fzs_options *o,
                      const char **qv, int *qn)
{
    int dashdash = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        char name[32];
        /* options may come before or after the query; -word is a query
         * term (NOT word), and everything after -- is query */
        if (dashdash || a[0] != '-' || a[1] == '\0'
            || (a[1] != '-' && strcmp(a, "-n") && strcmp(a, "-h")
                && strcmp(a, "-o"))) {
            qv[(*qn)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        /* --name=value */
        const char *eq = strchr(a, '=');
        if (eq && a[1] == '-' && (size_t)(eq - a) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            v = eq + 1;
            a = name;
            if (!is_valued(a) && strcmp(a, "--cite") != 0)
                return usage_error("unknown option '%s'", argv[i]);
        } else if (is_valued(a) || strcmp(a, "-n") == 0
                   || strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            v = argv[++i];
        }
        if (!strcmp(a, "--db"))
            o->db = v;
        else if (!strcmp(a, "-n") || !strcmp(a, "--limit")) {
            if (parse_uint(v, &o->limit) != 0)
                return usage_error("--limit '%s': not a number", v);
            if (o->limit == 0)
                o->limit = FZS_LIMIT_ALL;       /* -n 0: all */
            o->limit_given = 1;
        } else if (!strcmp(a, "--offset")) {
            if (parse_uint(v, &o->offset) != 0)
                return usage_error("--offset '%s': not a number", v);
        } else if (!strcmp(a, "--year")) {
            if (o->n_years == FZS_MAX_VALUES)
                return usage_error("--year '%s': at most 32 --year", v);
            struct fzs_years *y = &o->years[o->n_years++];
            if (parse_years(v, &y->lo, &y->hi) != 0)
                return usage_error("--year '%s': give 2023, 2020..2023, "
                                   "2020-2023, 2020.. or ..2010", v);
        } else if (!strcmp(a, "--region")) {
            if (o->n_regions == FZS_MAX_VALUES)
                return usage_error("--region '%s': at most 32 --region", v);
            o->regions[o->n_regions++] = v;
        } else if (!strcmp(a, "--level")) {
            enum fz_level l;
            if (o->n_levels == FZS_MAX_VALUES)
                return usage_error("--level '%s': at most 32 --level", v);
            if (fz_level_parse(v, &l) != FZ_OK)
                return usage_error("--level '%s': national, province, city, "
                                   "county, township, department or unknown "
                                   "(or 全国 省 市 区 县 街道 乡 镇 部门)", v);
            o->levels[o->n_levels++] = fz_level_name(l);
        } else if (!strcmp(a, "--date")) {
            if (parse_dates(v, o->date_lo, o->date_hi) != 0)
                return usage_error("--date '%s': give 2023-03-01..2023-06-30, "
                                   "2023-03, 2023, 2023-01.. or ..2022-12-31",
                                   v);
        } else if (!strcmp(a, "--sort")) {
            static const struct { const char *name; enum fzs_sort s; }
            sorts[] = {
                { "relevance", FZS_SORT_RELEVANCE }, { "date", FZS_SORT_DATE },
                { "date-desc", FZS_SORT_DATE_DESC }, { "year", FZS_SORT_YEAR },
                { "year-desc", FZS_SORT_YEAR_DESC },
            };
            size_t k = 0;
            while (k < 5 && strcmp(v, sorts[k].name))
                k++;
            if (k == 5)
                return usage_error("--sort '%s': relevance, date, date-desc, "
                                   "year or year-desc", v);
            o->sort = sorts[k].s;
        } else if (!strcmp(a, "--color")) {
            if (!strcmp(v, "always"))
                o->color = 1;
            else if (!strcmp(v, "never"))
                o->color = 0;
            else if (!strcmp(v, "auto"))
                o->color = -1;
            else
                return usage_error("--color '%s': auto, always or never", v);
        } else if (!strcmp(a, "--format")) {
            static const char *const f[] = { "text", "markdown", "csv",
                                             "json", "xlsx" };
            int k = 0;
            while (k < 5 && strcmp(v, f[k]))
                k++;
            if (k == 5)
                return usage_error("--format '%s': text, markdown, csv, "
                                   "json or xlsx", v);
            o->format = (enum fzs_format)k;
        } else if (!strcmp(a, "--within")) {
            if (!strcmp(v, "passage") || !strcmp(v, "同段"))
                o->within = FZS_WITHIN_PASSAGE;
            else if (!strcmp(v, "sentence") || !strcmp(v, "同句"))
                o->within = FZS_WITHIN_SENTENCE;
            else if (!strcmp(v, "report") || !strcmp(v, "同篇"))
                o->within = FZS_WITHIN_REPORT;
            else
                return usage_error("--within '%s': passage (同段), sentence "
                                   "(同句) or report (同篇)", v);
        } else if (!strcmp(a, "--like"))
            o->like = v;
        else if (!strcmp(a, "--facets")) {
            if (parse_facets(v, o->facets) != 0)
                return usage_error("--facets '%s': a list of year, level, "
                                   "region (e.g. year,region)", v);
        } else if (!strcmp(a, "--accessed")) {
            if (!fz_cite_date_valid(v))
                return usage_error("--accessed '%s': give a date as "
                                   "YYYY-MM-DD", v);
            o->accessed = v;
        } else if (!strcmp(a, "--cite")) {
            /* the style is optional: the next word is one if it names one */
            enum fz_cite_format f;
            if (v == NULL && i + 1 < argc
                && (fz_cite_format_parse(argv[i + 1], &f, NULL) == FZ_OK
                    || ascii_word(argv[i + 1])))
                v = argv[++i];      /* a style, or a mistyped one */
            if (v && fz_cite_format_parse(v, &f, NULL) != FZ_OK)
                return usage_error("--cite '%s': gbt7714, gbt7714-2025, "
                                   "csl-json, bibtex or ris", v);
            o->cite = v ? v : "gbt7714";
        } else if (!strcmp(a, "--timeout")) {
            if (parse_seconds(v, &o->timeout_ms) != 0)
                return usage_error("--timeout '%s': give seconds, e.g. 10 "
                                   "or 2.5", v);
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (*v == '\0')
                return usage_error("%s", "--output needs a file name");
            o->output = v;
        } else if (!strcmp(a, "--bom"))
            o->bom = 1;
        else if (!strcmp(a, "--partial"))
            o->partial = 1;
        else if (!strcmp(a, "--by-report"))
            o->by_report = 1;
        else if (!strcmp(a, "--compare"))
            o->compare = 1;
        else if (!strcmp(a, "--count"))
            o->count = 1;
        else if (!strcmp(a, "--show-ids"))
            o->show_ids = 1;
        else if (!strcmp(a, "--json"))
            o->format = FZS_FORMAT_JSON;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return -1;
        } else if (!strcmp(a, "--version")) {
            printf("fzsearch (fz) %s; index layout %s, text pipeline %s; "
                   "Xapian %s\n", FZ_VERSION, FZ_SCHEMA_VERSION,
                   FZ_PIPELINE_VERSION, fzx_xapian_version());
            return -1;
        } else
            return usage_error("unknown option '%s'", a);
    }
    if (o->like && *qn > 0)
        return usage_error("--like '%s' takes no query words", o->like);
    if (o->like && o->within != FZS_WITHIN_PASSAGE)
        return usage_error("%s", "--like and --within cannot be combined");
    if (!o->like && *qn == 0)
        return usage_error("%s", "no query given");
    if (o->cite && (o->count || o->format != FZS_FORMAT_TEXT))
        return usage_error("%s", "--cite prints a reference list: it cannot "
                           "be combined with --count, --json or --format");
    if (o->sort != FZS_SORT_RELEVANCE && o->compare)
        return usage_error("%s", "--sort and --compare cannot be combined: "
                           "--compare orders by region, then year");
    if (o->sort != FZS_SORT_RELEVANCE && o->like)
        return usage_error("%s", "--sort and --like cannot be combined: "
                           "--like ranks by likeness");
    if (o->accessed && !o->cite)
        return usage_error("%s", "--accessed goes with --cite");
    if (check_export(o) != 0)
        return 2;
    /* a reference list is of reports: every matching one (as --compare
     * lists them), each quoted by its best passage, unless -n says how
     * many */
    if (o->cite) {
        o->by_report = 1;
        if (!o->limit_given)
            o->limit = FZS_LIMIT_ALL;
    }
    return 0;
}

int fzs_options_parse(int argc, char **argv, struct fzs_options *o,
                      const char **qv, int *qn)
{
    int bad = parse_args(argc, argv, o, qv, qn);
    if (bad != 0)
        return bad;
    /* a workbook on a terminal is noise; refused before searching */
    if (o->format == FZS_FORMAT_XLSX && !o->output && isatty(1))
        return usage_error("%s", "--format xlsx writes a binary workbook: "
                           "redirect stdout (> hits.xlsx) or give "
                           "--output <file>");
    const char *cc = getenv("FZ_CHECK_ON_CLIENT");
    o->client_check = cc && *cc && strcmp(cc, "0") != 0;
    if (o->color < 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        o->color = isatty(1) && !(nc && *nc)
                   && !(term && !strcmp(term, "dumb"));
    }
    /* only text is ever coloured */
    if (o->format != FZS_FORMAT_TEXT)
        o->color = 0;
    o->exact_total = o->count || o->format == FZS_FORMAT_JSON;
    return 0;
}
