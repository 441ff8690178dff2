/* fztext - show how fz reads reports: metadata, passages, tokens.
 *
 * A developer's and a curious user's window on the text library: what the
 * indexer will store for a file, before any index exists. */
#include "base/fz.h"
#include "store/schema.h"
#include "text/html.h"
#include "reader/read.h"
#include "reader/report.h"
#include "text/token.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
"usage: fztext [--summary | --json | --passages | --dropped] [--ocr]\n"
"              <path>...\n"
"       fztext --tokens <text>\n"
"\n"
"Show what fz reads from report files (.txt, .htm/.html, .jsonl, .pdf; a\n"
"file named here is read by what it holds, whatever its name):\n"
"  --summary    one line per report: region code, chain, level, year,\n"
"               date, passages, title (the default)\n"
"  --json       one JSON object per report, passages included\n"
"  --passages   each passage with its ordinal and section path\n"
"  --dropped    the lines cleaning dropped as page furniture (navigation,\n"
"               sharing controls, footers), one per line after the file\n"
"  --ocr        read PDF pages that have no usable text layer (scans, or\n"
"               fonts that map to no characters) with Tesseract: slow,\n"
"               a few seconds a page; without it such a file is refused\n"
"  --tokens     the index terms of <text> with their positions\n"
"  -h, --help   this help\n"
"  --version    fz's and the text pipeline's versions\n"
"\n"
"Exit status: 0 all read, 1 some could not be read, 2 usage error.\n";

enum mode { SUMMARY, JSON, PASSAGES, DROPPED };

static int status;

static void print_report(const char *name, const struct fz_read_item *it,
                         enum mode mode)
{
    const struct fz_report *r = it->report;
    const struct fz_meta *m = &r->meta;
    if (mode == SUMMARY) {
        printf("%s\t%s\t", name, m->region.code[0] ? m->region.code : "-");
        for (size_t k = 0; k < m->region.depth; k++)
            printf("%s%s", k ? "›" : "", m->region.chain[k]);
        printf("%s\t%s\t%d\t%s\t%zu\t%s\n", m->region.depth ? "" : "-",
               fz_level_name(m->level), m->year, m->date[0] ? m->date : "-",
               r->passages.n, m->title ? m->title : "-");
        return;
    }
    if (mode == DROPPED) {
        size_t n = 0;
        for (size_t i = 0; i < r->dropped.len; i++)
            n += r->dropped.data[i] == '\n';
        printf("== %s: %zu line%s dropped\n", name, n, n == 1 ? "" : "s");
        fwrite(r->dropped.data ? r->dropped.data : "", 1, r->dropped.len,
               stdout);
        return;
    }
    if (mode == PASSAGES) {
        printf("== %s: %s\n", name, m->title ? m->title : "-");
        for (size_t i = 0; i < r->passages.n; i++) {
            const struct fz_passage *p = &r->passages.v[i];
            printf("[%zu]%s", p->ordinal, p->heading ? " (heading)" : "");
            if (p->page)
                printf(" p. %u", p->page);
            putchar(' ');
            for (size_t k = 0; k < p->n_section; k++)
                printf("%s%s", k ? " › " : "", p->section[k]);
            printf("\n    %s\n", p->text);
        }
        return;
    }
    cJSON *o = cJSON_CreateObject(), *reg = cJSON_CreateObject();
    cJSON *chain = cJSON_CreateArray(), *ps = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "file", name);
#define STR(k, v) ((v) ? cJSON_AddStringToObject(o, k, v) \
                       : cJSON_AddNullToObject(o, k))
    STR("title", m->title);
    STR("issuer", m->issuer);
    STR("source", m->source);
    STR("url", m->url);
    STR("date", m->date[0] ? m->date : NULL);
#undef STR
    if (m->year)
        cJSON_AddNumberToObject(o, "year", m->year);
    else
        cJSON_AddNullToObject(o, "year");
    cJSON_AddStringToObject(o, "level", fz_level_name(m->level));
    if (m->region.code[0])
        cJSON_AddStringToObject(reg, "code", m->region.code);
    else
        cJSON_AddNullToObject(reg, "code");
    for (size_t k = 0; k < m->region.depth; k++)
        cJSON_AddItemToArray(chain, cJSON_CreateString(m->region.chain[k]));
    cJSON_AddItemToObject(reg, "chain", chain);
    cJSON_AddItemToObject(o, "region", reg);
    cJSON_AddStringToObject(o, "encoding", r->decoded.encoding);
    if (it->pages) {
        cJSON_AddStringToObject(o, "format", fz_format_name(it->format));
        cJSON_AddNumberToObject(o, "pages", it->pages);
        cJSON_AddNumberToObject(o, "ocr_pages", it->ocr_pages);
    }
    for (size_t i = 0; i < r->passages.n; i++) {
        const struct fz_passage *p = &r->passages.v[i];
        cJSON *jp = cJSON_CreateObject(), *sec = cJSON_CreateArray();
        cJSON_AddNumberToObject(jp, "ordinal", (double)p->ordinal);
        for (size_t k = 0; k < p->n_section; k++)
            cJSON_AddItemToArray(sec, cJSON_CreateString(p->section[k]));
        cJSON_AddItemToObject(jp, "section", sec);
        cJSON_AddBoolToObject(jp, "heading", p->heading);
        if (p->page)
            cJSON_AddNumberToObject(jp, "page", p->page);
        cJSON_AddStringToObject(jp, "text", p->text);
        cJSON_AddStringToObject(jp, "normalized",
                                fz_buf_cstr(&r->norm[i].text));
        cJSON_AddItemToArray(ps, jp);
    }
    cJSON_AddItemToObject(o, "passages", ps);
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(o);
}

static int has_ext(const char *p, const char *ext)
{
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcasecmp(p + n - e, ext) == 0;
}

struct walk {
    const char *path;
    enum mode mode;
};

/* fz_read()'s callback: print one report, or name the record that could
 * not be read */
static int got(void *ctx, struct fz_read_item *it)
{
    const struct walk *w = ctx;
    char *name = NULL;
    if (it->line && asprintf(&name, "%s:%zu", w->path, it->line) < 0)
        return FZ_ENOMEM;
    const char *n = name ? name : w->path;
    if (it->report == NULL) {
        fprintf(stderr, "fztext: %s: %s\n", n, it->error);
        status = 1;
    } else {
        if (it->report->warning)
            fprintf(stderr, "fztext: %s: %s\n", n, it->report->warning);
        if (it->report->passages.n == 0)
            fprintf(stderr, "fztext: %s: no text found\n", n);
        print_report(n, it, w->mode);
    }
    fz_report_free(it->report);
    it->report = NULL;
    free(name);
    return 0;
}

/* What a folder walk reads: the formats fz reads, by their names (a file
 * named on the command line is read whatever its name) */
static int wanted(const char *d)
{
    static const char *const ext[] = {
        ".txt", ".htm", ".html", ".jsonl", ".pdf",
    };
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (has_ext(d, ext[i]))
            return 1;
    return 0;
}

static void do_path(struct fz_textctx *tc, const char *path, enum mode mode,
                    const struct fz_extract_opts *opts)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fztext: %s: %s\n", path, strerror(errno));
        status = 1;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **ents;
        int n = scandir(path, &ents, NULL, alphasort);
        if (n < 0) {
            fprintf(stderr, "fztext: %s: %s\n", path, strerror(errno));
            status = 1;
            return;
        }
        for (int i = 0; i < n; i++) {
            const char *d = ents[i]->d_name;
            if (d[0] != '.' && (wanted(d) || ents[i]->d_type == DT_DIR)) {
                char *sub;
                size_t pl = strlen(path);
                int slash = pl > 0 && path[pl - 1] == '/';
                if (asprintf(&sub, "%s%s%s", path, slash ? "" : "/", d) >= 0) {
                    do_path(tc, sub, mode, opts);
                    free(sub);
                }
            }
            free(ents[i]);
        }
        free(ents);
        return;
    }
    struct fz_buf b = FZ_BUF_INIT;
    if (fz_buf_read_file(&b, path) != 0) {
        fprintf(stderr, "fztext: %s: %s\n", path, strerror(errno));
        status = 1;
        fz_buf_release(&b);
        return;
    }
    /* a sidecar that cannot be used: the report is not read rather than
     * read with the wrong metadata */
    struct fz_record side;
    char *err = NULL;
    int have_side = has_ext(path, ".jsonl") ? 0
                    : fz_sidecar_load(path, NULL, &side, &err);
    if (have_side < 0) {
        fprintf(stderr, "fztext: %s\n", err);
        status = 1;
    } else {
        struct walk w = { path, mode };
        int rc = fz_read(tc, fz_buf_cstr(&b), b.len, path,
                         have_side ? &side.given : NULL, opts, got, &w,
                         &err);
        if (rc != FZ_OK) {
            fprintf(stderr, "fztext: %s: %s\n", path,
                    err ? err : fz_strerror(rc));
            status = 1;
        }
    }
    if (have_side > 0)
        fz_record_release(&side);
    free(err);
    fz_buf_release(&b);
}

static int print_token(void *ctx, const struct fz_token *t)
{
    (void)ctx;
    static const char *const kinds[] = { "word", "bigram", "unigram" };
    printf("%u\t%.*s\t%s\t[%zu,%zu)\n", t->pos, (int)t->len, t->term,
           kinds[t->kind], t->cp_start, t->cp_end);
    return 0;
}

int main(int argc, char **argv)
{
    enum mode mode = SUMMARY;
    struct fz_extract_opts opts = { 0 };
    int tokens = 0, i = 1;
    setlocale(LC_ALL, "");
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--summary") == 0) {
            mode = SUMMARY;
        } else if (strcmp(argv[i], "--json") == 0) {
            mode = JSON;
        } else if (strcmp(argv[i], "--passages") == 0) {
            mode = PASSAGES;
        } else if (strcmp(argv[i], "--dropped") == 0) {
            mode = DROPPED;
        } else if (strcmp(argv[i], "--ocr") == 0) {
            opts.ocr = 1;
        } else if (strcmp(argv[i], "--tokens") == 0) {
            tokens = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("fztext (fz) %s; text pipeline %s\n", FZ_VERSION,
                   FZ_PIPELINE_VERSION);
            return 0;
        } else {
            fprintf(stderr, "fztext: unknown option '%s' (see fztext "
                    "--help)\n", argv[i]);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "fztext: nothing to read (see fztext --help)\n");
        return 2;
    }
    struct fz_textctx tc;
    char *err = NULL;
    fz_html_init();
    fz_extract_init();
    if (fz_textctx_open(&tc, NULL, &err) != FZ_OK) {
        fprintf(stderr, "fztext: %s\n", err ? err : "cannot start");
        free(err);
        return 2;
    }
    for (; i < argc; i++) {
        if (tokens) {
            char *n = fz_norm_str(tc.norm, argv[i], strlen(argv[i]));
            if (n)
                fz_tokenize(n, strlen(n), 0, print_token, NULL, NULL);
            free(n);
        } else {
            do_path(&tc, argv[i], mode, &opts);
        }
    }
    fz_textctx_close(&tc);
    xmlCleanupParser();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "fztext: write error: %s\n", strerror(errno));
        return 2;
    }
    return status;
}
