/* mkpdf - a report's text printed as a government-style PDF (tests/pdfgen.h:
 * A4, 28 characters a line, running header, page numbers), or as a scan of
 * one of its pages: the input of make bench's OCR figure.
 *
 *   mkpdf IN.txt OUT.pdf             the text, printed
 *   mkpdf --scan PAGE IN.txt OUT.pdf page PAGE of that print, scanned at
 *                                    200 ppi (an image and no text layer) */
#include "tests/pdfgen.h"

#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0, k;
    char *b = malloc(cap);
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (nb == NULL)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

int main(int argc, char **argv)
{
    int scan = 0, i = 1;
    if (argc == 5 && strcmp(argv[1], "--scan") == 0) {
        scan = atoi(argv[2]);
        i = 3;
    }
    if (argc - i != 2 || (i == 3 && scan < 1)) {
        fprintf(stderr, "usage: mkpdf [--scan PAGE] IN.txt OUT.pdf\n");
        return 2;
    }
    size_t len;
    char *text = slurp(argv[i], &len);
    if (text == NULL) {
        fprintf(stderr, "mkpdf: %s: cannot read\n", argv[i]);
        return 1;
    }
    /* paragraphs: the non-blank lines */
    size_t n = 0, cap = 64;
    const char **p = malloc(cap * sizeof *p);
    size_t *l = malloc(cap * sizeof *l);
    for (size_t a = 0; a < len && p && l;) {
        size_t e = a;
        while (e < len && text[e] != '\n')
            e++;
        size_t b = e;
        while (b > a && (text[b - 1] == '\r' || text[b - 1] == ' '))
            b--;
        if (b > a) {
            if (n == cap) {
                cap *= 2;
                p = realloc(p, cap * sizeof *p);
                l = realloc(l, cap * sizeof *l);
                if (p == NULL || l == NULL)
                    break;
            }
            p[n] = text + a;
            l[n++] = b - a;
        }
        a = e + 1;
    }
    unsigned *page_of = calloc(n ? n : 1, sizeof *page_of);
    struct pg_opts *o = calloc(1, sizeof *o);
    if (p == NULL || l == NULL || page_of == NULL || o == NULL) {
        fprintf(stderr, "mkpdf: out of memory\n");
        return 1;
    }
    o->header = "法治政府建设年度报告";
    o->numbers = PG_DASH;
    o->letterspace = 1;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.print.pdf", argv[i + 1]);
    const char *out = scan ? tmp : argv[i + 1];
    int rc = pg_write(out, p, l, n, 0, o, page_of);
    if (rc == 0 && scan) {
        size_t plen;
        char *pdf = slurp(tmp, &plen);
        rc = pdf && (unsigned)scan <= o->pages
             ? pg_scan(pdf, plen, scan, 200, argv[i + 1]) : -1;
        free(pdf);
        remove(tmp);
    }
    if (rc != 0)
        fprintf(stderr, "mkpdf: %s: cannot write\n", argv[i + 1]);
    free(o);
    free(page_of);
    free(p);
    free(l);
    free(text);
    return rc == 0 ? 0 : 1;
}
