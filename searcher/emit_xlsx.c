/* searcher/emit_xlsx.c - hits as an Excel workbook (see emit_xlsx.h). */
#include "searcher/emit_xlsx.h"

#include "base/utf8.h"
#include "searcher/facets.h"
#include "searcher/table.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* libxlsxwriter is loaded when a workbook is asked for, not when
 * fzsearch starts: with zlib, minizip and libcrypto behind it, linking it
 * made every search's start-up 3 ms slower (9.2 ms, against 6.5 without;
 * see README, "make bench").  The calls below go through these pointers,
 * typed by the library's own declarations. */
#define XLSX_CALLS(X) \
    X(workbook_new) X(workbook_add_worksheet) X(workbook_add_format) \
    X(workbook_close) X(format_set_bold) X(format_set_align) \
    X(format_set_num_format) X(format_set_text_wrap) \
    X(worksheet_write_string) X(worksheet_write_number) \
    X(worksheet_write_datetime) X(worksheet_set_column) \
    X(worksheet_freeze_panes) X(worksheet_autofilter) X(lxw_strerror)

#define XLSX_POINTER(f) __typeof__(&f) f;
static struct { XLSX_CALLS(XLSX_POINTER) } xl;
#undef XLSX_POINTER

/* The library's soname in Debian 12 (package libxlsxwriter4). */
#define XLSX_LIBRARY "libxlsxwriter.so.4"

/* Load libxlsxwriter once: 0, or -1 after saying why. */
static int xlsx_load(void)
{
    static int loaded;
    if (loaded)
        return 0;
    void *h = dlopen(XLSX_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    int ok = h != NULL;
#define XLSX_BIND(f) \
    if (ok && (*(void **)&xl.f = dlsym(h, #f)) == NULL) \
        ok = 0;
    XLSX_CALLS(XLSX_BIND)
#undef XLSX_BIND
    if (!ok) {
        fprintf(stderr, "fzsearch: --format xlsx needs %s (Debian package "
                "libxlsxwriter4): %s\n", XLSX_LIBRARY, dlerror());
        return -1;
    }
    loaded = 1;
    return 0;
}

#define workbook_new xl.workbook_new
#define workbook_add_worksheet xl.workbook_add_worksheet
#define workbook_add_format xl.workbook_add_format
#define workbook_close xl.workbook_close
#define format_set_bold xl.format_set_bold
#define format_set_align xl.format_set_align
#define format_set_num_format xl.format_set_num_format
#define format_set_text_wrap xl.format_set_text_wrap
#define worksheet_write_string xl.worksheet_write_string
#define worksheet_write_number xl.worksheet_write_number
#define worksheet_write_datetime xl.worksheet_write_datetime
#define worksheet_set_column xl.worksheet_set_column
#define worksheet_freeze_panes xl.worksheet_freeze_panes
#define worksheet_autofilter xl.worksheet_autofilter
#define lxw_strerror xl.lxw_strerror

/* Excel's specification and limits: "Total number of characters that a
 * cell can contain: 32,767"; libxlsxwriter refuses a longer string. */
#define FZS_XLSX_CELL_MAX 32767

static const char *prog = "fzsearch";

/* Column widths in characters (Excel's unit), for reading: the passage
 * wide and wrapped, ids as long as they are. */
static const double widths[FZS_N_COLUMNS] = {
    6, 24, 10, 6, 11, 40, 24, 30, 6, 80, 30, 12, 18, 22,
};

struct book {
    lxw_workbook *wb;
    lxw_format *bold, *date, *wrap;
    int bad;                        /* a cell could not be written */
};

static void string_cell(struct book *bk, lxw_worksheet *ws, lxw_row_t r,
                        lxw_col_t c, const char *s, lxw_format *f)
{
    if (*s && worksheet_write_string(ws, r, c, s, f) != LXW_NO_ERROR)
        bk->bad = 1;
}

/* The passage: cut at FZS_XLSX_CELL_MAX characters, with a warning. */
static void passage_cell(struct book *bk, lxw_worksheet *ws, lxw_row_t r,
                         const struct fzs_row *w, const char *s)
{
    size_t len = strlen(s), n_cp = fz_utf8_count(s, len);
    if (n_cp <= FZS_XLSX_CELL_MAX) {
        string_cell(bk, ws, r, FZS_COL_PASSAGE, s, bk->wrap);
        return;
    }
    char *cut = strndup(s, fz_utf8_prefix(s, len, FZS_XLSX_CELL_MAX));
    if (cut == NULL) {
        bk->bad = 1;
        return;
    }
    fprintf(stderr, "%s: passage %s: %zu characters, cut to the %d a "
            "spreadsheet cell holds\n", prog, w->p->id ? w->p->id : "?",
            n_cp, FZS_XLSX_CELL_MAX);
    string_cell(bk, ws, r, FZS_COL_PASSAGE, cut, bk->wrap);
    free(cut);
}

static void hit_row(struct book *bk, lxw_worksheet *ws, lxw_row_t r,
                    const struct fzs_row *w, struct fz_buf cells[])
{
    fzs_table_cells(w, cells);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++) {
        const char *s = fz_buf_cstr(&cells[k]);
        lxw_col_t c = (lxw_col_t)k;
        lxw_datetime dt = { 0, 0, 0, 0, 0, 0 };
        int n = -1;
        if (*s == '\0')
            continue;               /* unknown: a blank cell */
        if (fzs_column_numeric((enum fzs_column)k)) {
            if (worksheet_write_number(ws, r, c, strtod(s, NULL), NULL)
                != LXW_NO_ERROR)
                bk->bad = 1;
        } else if (k == FZS_COL_DATE
                   && sscanf(s, "%4d-%2d-%2d%n", &dt.year, &dt.month,
                             &dt.day, &n) == 3 && s[n] == '\0'
                   && dt.year >= 1900) {
            if (worksheet_write_datetime(ws, r, c, &dt, bk->date)
                != LXW_NO_ERROR)
                bk->bad = 1;
        } else if (k == FZS_COL_PASSAGE) {
            passage_cell(bk, ws, r, w, s);
        } else {
            string_cell(bk, ws, r, c, s, NULL);
        }
    }
}

struct facet_sheet {
    struct book *bk;
    lxw_worksheet *ws;
    lxw_row_t row;
};

static void facet_row(void *ctx, int facet, const char *value,
                      const char *label, unsigned long reports)
{
    struct facet_sheet *fs = ctx;
    lxw_row_t r = ++fs->row;
    string_cell(fs->bk, fs->ws, r, 0, fzs_facet_name(facet), NULL);
    if (facet == FZS_FACET_YEAR && *value) {
        if (worksheet_write_number(fs->ws, r, 1, atoi(value), NULL)
            != LXW_NO_ERROR)
            fs->bk->bad = 1;
    } else
        string_cell(fs->bk, fs->ws, r, 1, value, NULL);
    string_cell(fs->bk, fs->ws, r, 2, label, NULL);
    if (worksheet_write_number(fs->ws, r, 3, (double)reports, NULL)
        != LXW_NO_ERROR)
        fs->bk->bad = 1;
}

/* The sheets of the workbook; libxlsxwriter writes it at close. */
static void fill(struct book *bk, const struct fzs_options *o,
                 const struct fzs_hits *h, const struct fzs_row *rows,
                 struct fz_regions *regions)
{
    struct fz_buf cells[FZS_N_COLUMNS];
    lxw_worksheet *ws = workbook_add_worksheet(bk->wb, "hits");
    bk->bold = workbook_add_format(bk->wb);
    bk->date = workbook_add_format(bk->wb);
    bk->wrap = workbook_add_format(bk->wb);
    if (ws == NULL || bk->bold == NULL || bk->date == NULL
        || bk->wrap == NULL) {
        bk->bad = 1;
        return;
    }
    format_set_bold(bk->bold);
    format_set_num_format(bk->date, "yyyy-mm-dd");
    format_set_text_wrap(bk->wrap);
    format_set_align(bk->wrap, LXW_ALIGN_VERTICAL_TOP);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++) {
        cells[k] = (struct fz_buf)FZ_BUF_INIT;
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k],
                             NULL);
        string_cell(bk, ws, 0, (lxw_col_t)k, fzs_columns[k], bk->bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)h->n, FZS_N_COLUMNS - 1);
    for (size_t i = 0; i < h->n; i++)
        hit_row(bk, ws, (lxw_row_t)(i + 1), &rows[i], cells);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_release(&cells[k]);
    if (!fzs_options_any_facet(o))
        return;
    static const char *const fcols[] = { "facet", "value", "name",
                                         "reports" };
    struct facet_sheet fs = { bk, workbook_add_worksheet(bk->wb, "facets"),
                              0 };
    if (fs.ws == NULL) {
        bk->bad = 1;
        return;
    }
    for (lxw_col_t c = 0; c < 4; c++)
        string_cell(bk, fs.ws, 0, c, fcols[c], bk->bold);
    worksheet_set_column(fs.ws, 2, 2, 24, NULL);
    worksheet_freeze_panes(fs.ws, 1, 0);
    fzs_facets_each(o, h, regions, facet_row, &fs);
}

/* Copy the file at path to stdout and remove it.  0, or -1 (errno). */
static int copy_out(const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    int rc = 0;
    if (f == NULL)
        return -1;
    /* removed before writing: a reader that closes the pipe early ends
     * fzsearch by SIGPIPE, which must leave no file behind */
    unlink(path);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) {
            rc = -1;
            break;
        }
    if (ferror(f))
        rc = -1;
    fclose(f);
    return rc;
}

int fzs_emit_xlsx(const struct fzs_options *o, const struct fzs_hits *h,
                  const struct fzs_row *rows, struct fz_regions *regions)
{
    struct book bk = { NULL, NULL, NULL, NULL, 0 };
    char tmp[4096] = "";
    const char *path = o->output;
    int rc = -1;
    if (xlsx_load() != 0)
        return -1;
    if (path == NULL) {
        const char *dir = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/fzsearch-XXXXXX.xlsx",
                 dir && *dir ? dir : "/tmp");
        int fd = mkstemps(tmp, 5);
        if (fd < 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
            tmp[0] = '\0';
            goto out;
        }
        close(fd);
        path = tmp;
    } else {
        /* said here, in one line: libxlsxwriter would print its own
         * "[ERROR]" lines when it cannot create the file */
        FILE *f = fopen(path, "wb");
        if (f == NULL) {
            fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
            goto out;
        }
        fclose(f);
    }
    if ((bk.wb = workbook_new(path)) == NULL) {
        fprintf(stderr, "%s: %s: cannot make a workbook\n", prog, path);
        goto out;
    }
    fill(&bk, o, h, rows, regions);
    lxw_error err = workbook_close(bk.wb);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, lxw_strerror(err));
        goto out;
    }
    if (bk.bad) {
        fprintf(stderr, "%s: %s: some cells could not be written (out of "
                "memory)\n", prog, path);
        goto out;
    }
    if (tmp[0] && copy_out(tmp) != 0) {
        if (errno != EPIPE)
            fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (tmp[0])
        unlink(tmp);
    return rc;
}
