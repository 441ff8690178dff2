/* searcher/emit_text.c - hits as text (see emit_text.h). */
#include "searcher/emit_text.h"

#include "base/buf.h"
#include "searcher/compare.h"
#include "searcher/facets.h"

#include <stdio.h>

static void print_row(const struct fzs_row *w, const struct fzs_options *o,
                      const struct fzs_marks *mk,
                      const struct fzs_marks *head, const char *indent,
                      int numbered)
{
    const char *title = w->r->title, *issuer = w->r->issuer;
    int year = w->r->year;
    struct fz_buf b = FZ_BUF_INIT;
    if (numbered)
        printf("%s%zu. %s%s", head->on, w->rank, title ? title : "(untitled)",
               head->off);
    else
        printf("%s%s%s%s", indent, head->on, title ? title : "(untitled)",
               head->off);
    if (year)
        printf(" (%d)", year);
    if (issuer)
        printf(" %s", issuer);
    if (o->show_ids)
        printf("  [%s]", w->p->id ? w->p->id : "?");
    fputc('\n', stdout);
    if (w->p->n_section > 0 || w->p->page) {
        fzs_join(&b, w->p->section, w->p->n_section, " › ");
        /* the page a paged report (PDF, OFD) shows it on */
        if (w->p->page)
            fz_buf_appendf(&b, "%sp. %u", w->p->n_section ? " · " : "",
                           w->p->page);
        printf("%s   %s\n", indent, fz_buf_cstr(&b));
        fz_buf_reset(&b);
    }
    const char *text = w->p->text;
    fzs_snippet(&b, text ? text : "", &w->spans, mk, 0, 0);
    printf("%s   %s\n", indent, fz_buf_cstr(&b));
    fz_buf_release(&b);
}

void fzs_emit_text(const struct fzs_options *o, const struct fzs_hits *h,
                   const struct fzs_row *rows, struct fz_regions *regions,
                   int tty)
{
    struct fzs_marks mk = o->color
                          ? (struct fzs_marks){ "\033[1;31m", "\033[0m" }
                          : (struct fzs_marks){ "【", "】" };
    struct fzs_marks head = o->color
                            ? (struct fzs_marks){ "\033[1m", "\033[0m" }
                            : (struct fzs_marks){ "", "" };
    struct fz_buf name = FZ_BUF_INIT;
    if (fzs_options_any_facet(o))
        fzs_facets_print(o, h, regions, tty);
    if (h->like) {
        struct fzs_row src = fzs_row_of(h->like);
        printf("Like %s:\n", o->like);
        print_row(&src, o, &mk, &head, "", 0);
        fputc('\n', stdout);
    }
    for (size_t k = 0; k < h->n; k++) {
        const struct fzs_row *w = &rows[k];
        int new_group = o->compare
                        && (k == 0 || !fzs_compare_same_group(&rows[k - 1],
                                                              w));
        if (new_group) {
            size_t count = fzs_compare_group_size(w, h->n - k);
            fz_buf_reset(&name);
            fzs_compare_group_name(&name, w->r);
            printf("%s%s%s%s  (%zu)\n", k ? "\n" : "", head.on,
                   fz_buf_cstr(&name), head.off, count);
        }
        if (o->compare) {
            if (!new_group)
                fputc('\n', stdout);
            print_row(w, o, &mk, &head, "  ", 0);
        } else {
            if (k)
                fputc('\n', stdout);
            print_row(w, o, &mk, &head, "", 1);
        }
    }
    fz_buf_release(&name);
}
