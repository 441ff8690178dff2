#include "meta/meta.h"
#include "base/fz.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; enum fz_level level; } levels[] = {
    { "unknown", FZ_LEVEL_UNKNOWN }, { "national", FZ_LEVEL_NATIONAL },
    { "province", FZ_LEVEL_PROVINCE }, { "city", FZ_LEVEL_CITY },
    { "county", FZ_LEVEL_COUNTY }, { "township", FZ_LEVEL_TOWNSHIP },
    { "department", FZ_LEVEL_DEPARTMENT },
    /* aliases */
    { "国家", FZ_LEVEL_NATIONAL }, { "全国", FZ_LEVEL_NATIONAL }, { "国务院", FZ_LEVEL_NATIONAL },
    { "中央", FZ_LEVEL_NATIONAL }, { "省", FZ_LEVEL_PROVINCE },
    { "省级", FZ_LEVEL_PROVINCE }, { "市", FZ_LEVEL_CITY },
    { "地级", FZ_LEVEL_CITY }, { "区", FZ_LEVEL_COUNTY },
    { "县", FZ_LEVEL_COUNTY }, { "县级", FZ_LEVEL_COUNTY },
    { "旗", FZ_LEVEL_COUNTY }, { "街道", FZ_LEVEL_TOWNSHIP },
    { "乡", FZ_LEVEL_TOWNSHIP }, { "镇", FZ_LEVEL_TOWNSHIP },
    { "乡镇", FZ_LEVEL_TOWNSHIP }, { "部门", FZ_LEVEL_DEPARTMENT },
};

const char *fz_level_name(enum fz_level level)
{
    for (size_t i = 0; i < 7; i++)
        if (levels[i].level == level)
            return levels[i].name;
    return "unknown";
}

int fz_level_parse(const char *s, enum fz_level *out)
{
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (strcasecmp(s, levels[i].name) == 0) {
            *out = levels[i].level;
            return FZ_OK;
        }
    }
    return FZ_EINVAL;
}

/* ---- dates --------------------------------------------------------------- */

static int cn_digit(uint32_t c)
{
    switch (c) {
    case 0x3007: case 0x96F6: case 'O': case 0x25CB: return 0; /* 〇零○ */
    case 0x4E00: return 1; case 0x4E8C: return 2; case 0x4E09: return 3;
    case 0x56DB: return 4; case 0x4E94: return 5; case 0x516D: return 6;
    case 0x4E03: return 7; case 0x516B: return 8; case 0x4E5D: return 9;
    }
    return -1;
}

/* A number at s[*i]: ASCII or fullwidth digits, or Chinese numerals
 * (二〇二三 digit by digit; 十二, 二十六 as tens).  Skips spaces before
 * it.  Returns -1 when there is none. */
static long number_at(const char *s, size_t len, size_t *i, int *ndig)
{
    size_t j = *i;
    while (j < len && s[j] == ' ')
        j++;
    long v = 0;
    int n = 0, tens = 0;
    while (j < len) {
        size_t k = j;
        uint32_t c = fz_utf8_next(s, len, &k, NULL);
        int d = -1;
        if (c >= '0' && c <= '9')
            d = (int)(c - '0');
        else if (c >= 0xFF10 && c <= 0xFF19)
            d = (int)(c - 0xFF10);
        else if (c != 'O')
            d = cn_digit(c);
        if (c == 0x5341) {                          /* 十 */
            v = (n == 0 ? 1 : v) * 10;
            tens = 1;
            j = k;
            if (++n > 8)        /* 十十十...: no number, and v overflows */
                return -1;
            continue;
        }
        if (d < 0)
            break;
        v = tens ? v + d : v * 10 + d;
        n++;
        j = k;
        if (n > 8)
            return -1;
    }
    if (n == 0)
        return -1;
    *i = j;
    *ndig = n;
    return v;
}

static int eat(const char *s, size_t len, size_t *i, const char *w)
{
    size_t j = *i;
    while (j < len && s[j] == ' ')
        j++;
    size_t n = strlen(w);
    if (len - j >= n && memcmp(s + j, w, n) == 0) {
        *i = j + n;
        return 1;
    }
    return 0;
}

int fz_meta_parse_date(const char *s, size_t len, char out[11])
{
    for (size_t i = 0; i < len;) {
        size_t j = i;
        int nd;
        long y = number_at(s, len, &j, &nd);
        if (y >= 1949 && y <= 2100 && nd == 4) {
            long m = -1, d = -1;
            size_t k = j;
            if (eat(s, len, &k, "年")) {
                m = number_at(s, len, &k, &nd);
                if (m > 0 && eat(s, len, &k, "月")) {
                    d = number_at(s, len, &k, &nd);
                    if (!eat(s, len, &k, "日") && !eat(s, len, &k, "号"))
                        d = -1;
                }
            } else if (k < len && (s[k] == '-' || s[k] == '/' || s[k] == '.')) {
                char sep = s[k++];
                m = number_at(s, len, &k, &nd);
                if (m > 0 && k < len && s[k] == sep) {
                    k++;
                    d = number_at(s, len, &k, &nd);
                } else {
                    d = -1;
                }
            }
            if (m >= 1 && m <= 12 && d >= 1 && d <= 31) {
                snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
                return 1;
            }
        }
        fz_utf8_next(s, len, &i, NULL);
    }
    return 0;
}

/* The first year (1949-2100) written as 4 digits before 年: 2023年度. */
static int year_in(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t j = i;
        int nd;
        long y = number_at(s, len, &j, &nd);
        if (nd == 4 && y >= 1949 && y <= 2100 && eat(s, len, &j, "年"))
            return (int)y;
        if (j > i) {
            i = j;
            continue;
        }
        fz_utf8_next(s, len, &i, NULL);
    }
    return 0;
}

/* ---- issuers ------------------------------------------------------------- */

/* Endings of the names of bodies that publish reports, longest first so
 * that 人民政府 wins over 政府.  1 marks a government (its level is its
 * place's), 2 a department, 3 a national body. */
static const struct { const char *w; int kind; } org_end[] = {
    { "全国人民代表大会", 3 }, { "国务院办公厅", 3 }, { "国务院", 3 },
    { "街道办事处", 1 }, { "人民政府", 1 }, { "办事处", 1 },
    { "管理委员会", 2 }, { "委员会", 2 }, { "管委会", 2 }, { "办公室", 2 },
    { "政府", 1 }, { "总局", 2 }, { "司法局", 2 }, { "局", 2 }, { "厅", 2 },
    { "部", 2 }, { "署", 2 }, { "中心", 2 }, { "法院", 2 },
    { "检察院", 2 },
};

static int org_kind_of(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof org_end / sizeof org_end[0]; i++) {
        size_t n = strlen(org_end[i].w);
        if (len >= n && memcmp(s + len - n, org_end[i].w, n) == 0)
            return org_end[i].kind;
    }
    return 0;
}

/* The body named at the start of a (Simplified) title: "深圳市光明区人民
 * 政府关于..." → "深圳市光明区人民政府".  Leading years and 第X届 are
 * skipped.  *kind receives org_kind_of the result; returns NULL when
 * no name ends before 关于, a year or the report's own words. */
static char *title_issuer(const char *t, size_t len, int *kind)
{
    size_t i = 0;
    *kind = 0;
    while (i < len && ((t[i] >= '0' && t[i] <= '9') || t[i] == ' '))
        i++;
    if (i > 0) {
        eat(t, len, &i, "年度");
        eat(t, len, &i, "年");
    }
    if (eat(t, len, &i, "第")) {            /* 第十四届全国人民代表大会 */
        size_t j = i;
        while (j < len) {
            size_t k = j;
            uint32_t c = fz_utf8_next(t, len, &k, NULL);
            if (cn_digit(c) < 0 && c != 0x5341)
                break;
            j = k;
        }
        if (eat(t, len, &j, "届"))
            i = j;
    }
    /* where the name must end by: 关于, a digit, 法治, 年度 */
    size_t stop = len;
    static const char *const stops[] = { "关于", "法治", "年度", "工作报告",
                                         NULL };
    for (const char *const *w = stops; *w; w++) {
        const char *p = memmem(t + i, len - i, *w, strlen(*w));
        if (p && (size_t)(p - t) < stop)
            stop = (size_t)(p - t);
    }
    for (size_t j = i; j < stop; j++)
        if (t[j] >= '0' && t[j] <= '9') {
            stop = j;
            break;
        }
    /* the shortest prefix of t[i,stop) that ends like a body's name:
     * "中华人民共和国国务院政府工作报告" is the State Council's */
    for (size_t e = i + 1; e <= stop; e++) {
        if (e < len && ((unsigned char)t[e] & 0xC0) == 0x80)
            continue;               /* not at a character boundary */
        int k = org_kind_of(t + i, e - i);
        if (k) {
            *kind = k;
            return strndup(t + i, e - i);
        }
    }
    return NULL;
}

/* ---- extraction ---------------------------------------------------------- */

static char *line_value(const char *s, size_t len, const char *key)
{
    const char *p = memmem(s, len, key, strlen(key));
    if (p == NULL)
        return NULL;
    size_t i = (size_t)(p - s) + strlen(key);
    while (i < len && (s[i] == ' ' || s[i] == ':'))
        i++;
    if (len - i >= 3 && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0)   /* ： */
        i += 3;
    while (i < len && s[i] == ' ')
        i++;
    size_t e = i;
    while (e < len && s[e] != ' ')
        e++;
    return e > i ? strndup(s + i, e - i) : NULL;
}

static int set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? strdup(v) : NULL;
    return v && *dst == NULL ? FZ_ENOMEM : FZ_OK;
}

struct texts {
    struct fz_region_text v[48];
    char *own[48];
    size_t n;
};

static void add_text(struct texts *t, char *s, int weight)
{
    if (s == NULL || t->n == sizeof t->v / sizeof t->v[0]) {
        free(s);
        return;
    }
    t->v[t->n] = (struct fz_region_text){ s, strlen(s), weight };
    t->own[t->n++] = s;
}

int fz_meta_extract(struct fz_norm *norm, const struct fz_regions *regions,
                    const struct fz_cleaned *c, const struct fz_passages *ps,
                    const struct fz_meta_given *given,
                    const char *fallback_title, struct fz_meta *out,
                    char **errptr)
{
    static const struct fz_meta_given none = { 0 };
    struct texts tx = { .n = 0 };
    char *ntitle = NULL, *sig_gov = NULL, *sig_any = NULL, *weak = NULL;
    struct fz_buf bad = FZ_BUF_INIT;   /* given values we cannot use */
    int rc = FZ_ENOMEM, kind = 0;
    if (given == NULL)
        given = &none;
    memset(out, 0, sizeof *out);
    const char *t = fz_buf_cstr(&c->text);
#define LINE(k) (t + c->lines[k].off), c->lines[k].len

    /* title */
    for (size_t k = 0; k < c->n_lines && !out->title; k++)
        if (c->lines[k].kind == FZ_LINE_TITLE
            && (out->title = strndup(LINE(k))) == NULL)
            goto out;
    if (given->title && set_str(&out->title, given->title) != FZ_OK)
        goto out;
    if (out->title == NULL && fallback_title
        && set_str(&out->title, fallback_title) != FZ_OK)
        goto out;
    if (out->title) {
        if ((ntitle = fz_norm_str(norm, out->title, strlen(out->title)))
            == NULL)
            goto out;
        add_text(&tx, strdup(ntitle), 2);
    }

    /* date, source, signature, breadcrumbs */
    char date_meta[11] = "", date_sig[11] = "", date_front[11] = "";
    for (size_t k = 0; k < c->n_lines; k++) {
        const char *s = t + c->lines[k].off;
        size_t len = c->lines[k].len;
        switch (c->lines[k].kind) {
        case FZ_LINE_META:
            if (!date_meta[0])
                fz_meta_parse_date(s, len, date_meta);
            if (!out->source) {
                char *v = line_value(s, len, "来源");
                if (v == NULL)
                    v = line_value(s, len, "來源");
                if (v) {
                    out->source = fz_norm_str(norm, v, strlen(v));
                    free(v);
                    if (out->source == NULL)
                        goto out;
                    add_text(&tx, strdup(out->source), 1);
                }
            }
            break;
        case FZ_LINE_SIGNATURE: {
            if (!date_sig[0] && fz_meta_parse_date(s, len, date_sig))
                break;
            char *n = fz_norm_str(norm, s, len);
            if (n == NULL)
                goto out;
            int k2 = org_kind_of(n, strlen(n));
            if (k2 == 1 && !sig_gov)
                sig_gov = strdup(n);
            if (k2 && !sig_any)
                sig_any = strdup(n);
            add_text(&tx, n, 2);
            break;
        }
        case FZ_LINE_FRONT:
            if (!date_front[0])
                fz_meta_parse_date(s, len, date_front);
            break;
        case FZ_LINE_BOILER:
            if (k < c->n_lines / 2 + 1 && fz_clean_is_breadcrumb(s, len))
                add_text(&tx, fz_norm_str(norm, s, len), 1);
            break;
        default:
            break;
        }
    }
    memcpy(out->date, date_meta[0] ? date_meta
                      : date_sig[0] ? date_sig : date_front, 11);
    if (given->date) {
        if (!fz_meta_parse_date(given->date, strlen(given->date), out->date)
            && fz_buf_appendf(&bad, "%sdate '%s' is not a date",
                              bad.len ? "; " : "", given->date) != FZ_OK)
            goto out;
    }

    /* issuer: the title's own body, else the government among the
     * signatures, else any signature, else the source */
    if (ntitle) {
        weak = title_issuer(ntitle, strlen(ntitle), &kind);
        if (weak && kind) {
            out->issuer = weak;
            weak = NULL;
        }
    }
    if (!out->issuer && (sig_gov || sig_any)) {
        out->issuer = strdup(sig_gov ? sig_gov : sig_any);
        kind = org_kind_of(out->issuer, strlen(out->issuer));
    }
    if (!out->issuer && out->source
        && (kind = org_kind_of(out->source, strlen(out->source))) != 0)
        out->issuer = strdup(out->source);
    if (given->issuer) {
        char *n = fz_norm_str(norm, given->issuer, strlen(given->issuer));
        if (n == NULL)
            goto out;
        free(out->issuer);
        out->issuer = n;
        kind = org_kind_of(n, strlen(n));
    }
    if (out->issuer)
        add_text(&tx, strdup(out->issuer), 2);

    /* the first paragraph: the body's, not a dateline before it */
    const struct fz_passage *first = NULL;
    for (size_t i = 0; ps && i < ps->n && first == NULL; i++)
        if (ps->v[i].kind == FZ_PASSAGE_BODY)
            first = &ps->v[i];

    /* region */
    if (first)
        add_text(&tx, fz_norm_str(norm, first->text, first->len), 0);
    if (given->region) {
        char *err = NULL;
        if (fz_regions_lookup(regions, given->region, strlen(given->region),
                              &out->region, &err) != FZ_OK
            && fz_buf_appendf(&bad, "%sregion: %s", bad.len ? "; " : "",
                              err ? err : given->region) != FZ_OK) {
            free(err);
            goto out;
        }
        free(err);
    } else if (kind != 3) {
        if (fz_regions_resolve(regions, tx.v, tx.n, &out->region) != FZ_OK)
            goto out;
    }

    /* year: as given, in the title, at the head of the first paragraph,
     * else from the date: reports on a year come out in its first half
     * of the next one */
    out->year = given->year;
    if (!out->year && ntitle)
        out->year = year_in(ntitle, strlen(ntitle));
    if (!out->year && first) {
        int y = year_in(first->text, first->len < 12 ? first->len : 12);
        out->year = y;
    }
    if (!out->year && out->date[0]) {
        int y = atoi(out->date), m = atoi(out->date + 5);
        out->year = m <= 6 ? y - 1 : y;
    }

    /* level */
    if (kind == 3)
        out->level = FZ_LEVEL_NATIONAL;
    else if (kind == 2)
        out->level = FZ_LEVEL_DEPARTMENT;
    else
        switch (out->region.kind) {
        case FZ_REGION_PROVINCE: out->level = FZ_LEVEL_PROVINCE; break;
        case FZ_REGION_CITY:     out->level = FZ_LEVEL_CITY; break;
        case FZ_REGION_COUNTY:   out->level = FZ_LEVEL_COUNTY; break;
        case FZ_REGION_TOWNSHIP: out->level = FZ_LEVEL_TOWNSHIP; break;
        default:                 out->level = FZ_LEVEL_UNKNOWN; break;
        }
    if (given->level && fz_level_parse(given->level, &out->level) != FZ_OK
        && fz_buf_appendf(&bad, "%slevel '%s' is not one of national, "
                          "province, city, county, township, department",
                          bad.len ? "; " : "", given->level) != FZ_OK)
        goto out;

    if (set_str(&out->url, given->url) != FZ_OK)
        goto out;
    if (given->source) {
        char *n = fz_norm_str(norm, given->source, strlen(given->source));
        if (n == NULL)
            goto out;
        free(out->source);
        out->source = n;
    }
    rc = FZ_OK;
    if (bad.len) {
        fz_set_error(errptr, "%s", bad.data);
        rc = FZ_EINVAL;
    }
#undef LINE
out:
    if (rc == FZ_ENOMEM) {
        fz_set_error(errptr, "out of memory reading report metadata");
        fz_meta_release(out);
    }
    for (size_t i = 0; i < tx.n; i++)
        free(tx.own[i]);
    free(ntitle);
    free(sig_gov);
    free(sig_any);
    free(weak);
    fz_buf_release(&bad);
    return rc;
}

void fz_meta_release(struct fz_meta *m)
{
    if (m == NULL)
        return;
    free(m->title);
    free(m->issuer);
    free(m->source);
    free(m->url);
    memset(m, 0, sizeof *m);
}
