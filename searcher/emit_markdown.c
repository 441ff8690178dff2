/* searcher/emit_markdown.c - hits as a markdown table (see
 * emit_markdown.h). */
#include "searcher/emit_markdown.h"

#include "searcher/compare.h"
#include "searcher/facets.h"
#include "searcher/table.h"

#include <stdio.h>
#include <string.h>

/* A markdown cell: b holds it escaped. */
static void md_cell(struct fz_buf *b, const char *s)
{
    fz_buf_reset(b);
    fzs_md_escape(b, s, strlen(s));
    printf("| %s ", fz_buf_cstr(b));
}

/* A URL as an autolink <url>, which markdown takes as it is (no escapes
 * inside), when it is one: http(s), and nothing that ends it or a table
 * cell (< > | space, control characters).  Else escaped text. */
static void md_url_cell(struct fz_buf *b, const char *s)
{
    int link = strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
    for (const char *p = s; link && *p; p++)
        link = (unsigned char)*p > ' ' && *p != 0x7f && !strchr("<>|", *p);
    if (link)
        printf("| <%s> ", s);
    else
        md_cell(b, s);
}

static void md_header(struct fz_buf *b)
{
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        md_cell(b, fzs_columns[k]);
    fputs("|\n", stdout);
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fputs(fzs_column_numeric((enum fzs_column)k) ? "|--:" : "|---",
              stdout);
    fputs("|\n", stdout);
}

struct facet_state {
    struct fz_buf b;
    int last;                       /* the facet of the table open, or -1 */
};

static void facet_row(void *ctx, int facet, const char *value,
                      const char *label, unsigned long reports)
{
    struct facet_state *st = ctx;
    (void)value;
    if (facet != st->last) {
        if (st->last >= 0)
            fputc('\n', stdout);
        md_cell(&st->b, fzs_facet_name(facet));
        fputs("| reports |\n|---|--:|\n", stdout);
        st->last = facet;
    }
    md_cell(&st->b, label);
    printf("| %lu |\n", reports);
}

void fzs_emit_markdown_facets(const struct fzs_options *o,
                              const struct fzs_hits *h,
                              struct fz_regions *regions)
{
    struct facet_state st = { FZ_BUF_INIT, -1 };
    fzs_facets_each(o, h, regions, facet_row, &st);
    if (st.last >= 0)
        fputc('\n', stdout);
    fz_buf_release(&st.b);
}

void fzs_emit_markdown(const struct fzs_options *o, const struct fzs_hits *h,
                       const struct fzs_row *rows,
                       struct fz_regions *regions)
{
    static const struct fzs_marks bold = { "**", "**" };
    struct fz_buf cells[FZS_N_COLUMNS], name = FZ_BUF_INIT, b = FZ_BUF_INIT;
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        cells[k] = (struct fz_buf)FZ_BUF_INIT;
    if (fzs_options_any_facet(o))
        fzs_emit_markdown_facets(o, h, regions);
    if (!o->compare && h->n)
        md_header(&b);
    for (size_t k = 0; k < h->n; k++) {
        const struct fzs_row *w = &rows[k];
        if (o->compare
            && (k == 0 || !fzs_compare_same_group(&rows[k - 1], w))) {
            fz_buf_reset(&name);
            fzs_compare_group_name(&name, w->r);
            fz_buf_reset(&b);
            fzs_md_escape(&b, name.data ? name.data : "", name.len);
            printf("%s### %s (%zu)\n\n", k ? "\n" : "", fz_buf_cstr(&b),
                   fzs_compare_group_size(w, h->n - k));
            md_header(&b);
        }
        fzs_table_cells(w, cells);
        for (size_t c = 0; c < FZS_N_COLUMNS; c++) {
            if (c == FZS_COL_URL) {
                md_url_cell(&b, fz_buf_cstr(&cells[c]));
                continue;
            }
            if (c != FZS_COL_PASSAGE) {
                md_cell(&b, fz_buf_cstr(&cells[c]));
                continue;
            }
            /* the passage: a snippet, escaped around the bold marks */
            fz_buf_reset(&b);
            fzs_snippet(&b, w->p->text ? w->p->text : "", &w->spans, &bold,
                        0, FZS_SNIP_FLAT | FZS_SNIP_MARKDOWN);
            printf("| %s ", fz_buf_cstr(&b));
        }
        fputs("|\n", stdout);
    }
    for (size_t k = 0; k < FZS_N_COLUMNS; k++)
        fz_buf_release(&cells[k]);
    fz_buf_release(&name);
    fz_buf_release(&b);
}
