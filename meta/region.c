/* meta/region.c - the division table and the region resolver.
 *
 * The table is meta/divisions.tsv, embedded by tools/embed.sh: lines
 * "code\tname\n" sorted by code as a byte string, so every entry comes
 * after its parent, and a parent's descendants follow it.  Open copies it
 * once, cuts it into NUL-terminated code and name strings, and builds one
 * sorted array of match keys (official names and their short forms) that
 * all lookups binary-search.  Nothing is written after open. */
#include "meta/region.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/fz.h"
#include "base/utf8.h"

/* Built from meta/divisions.tsv by tools/embed.sh (see Makefile). */
extern const unsigned char fz_divisions_tsv[];
extern const unsigned long fz_divisions_tsv_len;

#define NO_ENT UINT32_MAX
/* Longest name, in code points, that the scanner can match: the table's
 * longest is 24 (a development zone); open fails on longer ones rather
 * than silently missing them. */
#define MAX_NAME_CP 64
/* fz_regions_lookup() reads names, not documents. */
#define MAX_LOOKUP_LEN 1024

enum {
    E_PLACEHOLDER = 1,      /* 市辖区 and the like: has a code, no name */
    E_ALIAS = 2,            /* repeats its parent's name: 441900 东莞市 */
    E_THIN = 4,             /* a stem of one code point (城区, 和县, 高县),
                             * which running text has by accident: 省、市
                             * 和县两级, 提高县域 */
    E_GENERIC = 8,          /* a township-level unit that is no 街道, 镇,
                             * 乡 or 苏木 (开发区, 林场): only supports */
    E_AUTONOMOUS = 16,       /* an ethnic autonomous unit, so short form +
                             * 州/县/旗/乡 is a common abbreviation */
};

struct ent {
    const char *code;       /* in pool */
    const char *name;       /* official, in pool */
    const char *mname;      /* match form: name, or its own malloc'd NFKC
                             * when that differs (full-width brackets) */
    uint32_t parent;        /* index, NO_ENT for a province */
    unsigned char level;    /* FZ_REGION_PROVINCE..TOWNSHIP */
    unsigned char flags;    /* E_* */
};

/* A string a text may use for an entry: its whole match name, or that
 * name's first len bytes (the short form, 深圳 of 深圳市). */
struct key {
    const char *s;
    uint64_t head;          /* s[0..7] big-endian, NUL-padded: sorts as s */
    uint16_t len;           /* bytes; MAX_NAME_CP * 4 fits */
    uint16_t is_short;
    uint32_t ent;
};

struct fz_regions {
    char *pool;             /* the table, tabs and newlines made NULs */
    struct ent *ents;       /* sorted by code */
    size_t n;
    struct key *keys;       /* sorted by key_order() */
    size_t n_keys;
};

/* City-level entries that stand for "the counties directly under the
 * province" rather than a place (NBS 统计用区划代码编制规则). */
static const char *const placeholders[] = {
    "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划",
};

/* Suffixes stripped to get a short form, per level, longest first where
 * one ends another.  A name ending in none has no short form. */
static const char *const suffix_province[] = {
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区",
    "省", "市", NULL,
};
static const char *const suffix_city[] = {
    "自治州", "地区", "盟", "市", NULL,
};
static const char *const suffix_county[] = {
    "自治县", "自治旗", "新区", "林区", "特区", "矿区", "区", "县", "市",
    "旗", NULL,
};
static const char *const suffix_township[] = {
    "民族苏木", "民族乡", "民族镇", "街道", "苏木", "镇", "乡", NULL,
};
static const char *const *const suffixes[] = {
    NULL, suffix_province, suffix_city, suffix_county, suffix_township,
};

/* The 55 minority nationalities (GB/T 3304), stripped with 族 from the
 * end of a stem: 黔东南苗族侗族自治州 -> 黔东南, 于家务回族乡 -> 于家务. */
static const char *const nationalities[] = {
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满",
    "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤",
    "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
};

/* Words after a name that show it names a body, not part of a longer
 * word: 龙城街道办事处, 深圳人民政府, 光明区关于... */
static const char *const body_words[] = {
    "人民政府", "政府", "办事处", "党工委", "党委", "工委", "委员会",
    "管委会", "司法局", "司法所", "关于",
};
/* Words before a short form that show it starts a name:
 * 关于深圳..., 2023年深圳... (but not 真金白银). */
static const char *const lead_words[] = { "关于", "中共", "中国", "年" };
/* The narrower set that lets a county or township use its short form
 * (罗湖人民政府, 龙城党工委).  Not 政府 alone: the short form 人民 (of the
 * 人民街道s and 人民镇s) would then match inside every 人民政府. */
static const char *const short_body_words[] = {
    "人民政府", "办事处", "党工委", "党委", "工委", "管委会",
};

static int level_of(size_t code_len)
{
    switch (code_len) {
    case 2: return FZ_REGION_PROVINCE;
    case 4: return FZ_REGION_CITY;
    case 6: return FZ_REGION_COUNTY;
    case 9: return FZ_REGION_TOWNSHIP;
    }
    return FZ_REGION_NONE;
}

static bool ends_with(const char *s, size_t len, const char *suf)
{
    size_t n = strlen(suf);
    return n <= len && memcmp(s + len - n, suf, n) == 0;
}

static bool starts_with(const char *s, size_t len, const char *pre)
{
    size_t n = strlen(pre);
    return n <= len && memcmp(s, pre, n) == 0;
}

static bool starts_with_any(const char *s, size_t len,
                            const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (starts_with(s, len, words[i]))
            return true;
    return false;
}

/* A name's stem: the name without its level's suffix and any
 * nationalities before it. */
struct stem {
    size_t len;             /* bytes; the whole name when !found */
    bool found;             /* it ends in a suffix of its level */
    bool autonomous;        /* 自治 or 民族 in the suffix, or nationalities
                             * stripped */
};

/* The nationality, if any, that ends s[0,len) and leaves at least one
 * code point before it: with 族 after it, or also without (博尔塔拉蒙古
 * 自治州) if bare, for names of two or more characters.  Returns its
 * bytes, 族 included, or 0. */
static size_t nationality_at_end(const char *s, size_t len, bool bare)
{
    static const char zu[] = "族";
    size_t zl = strlen(zu), best = 0;
    bool with_zu = ends_with(s, len, zu);
    size_t n = with_zu ? len - zl : len;
    if (!with_zu && !bare)
        return 0;
    for (size_t i = 0; i < sizeof nationalities / sizeof *nationalities;
         i++) {
        size_t m = strlen(nationalities[i]);
        if (m < n && ends_with(s, n, nationalities[i]) && m > best &&
            (with_zu || fz_utf8_count(nationalities[i], m) >= 2))
            best = m;
    }
    return best == 0 ? 0 : best + (with_zu ? zl : 0);
}

static struct stem stem_of(const char *name, size_t len, int level)
{
    struct stem st = { len, false, false };
    /* The first suffix that leaves two code points, else the first that
     * matches: 清新区 is 清新 + 区, not 清 + 新区 as 浦东新区 is 浦东 +
     * 新区; 城区 is 城 + 区. */
    const char *suf = NULL;
    for (const char *const *p = suffixes[level]; *p != NULL; p++) {
        size_t sl = strlen(*p);
        if (sl < len && ends_with(name, len, *p)) {
            if (suf == NULL)
                suf = *p;
            if (fz_utf8_count(name, len - sl) >= 2) {
                suf = *p;
                break;
            }
        }
    }
    if (suf == NULL)
        return st;
    st.len = len - strlen(suf);
    st.found = true;
    st.autonomous = strstr(suf, "自治") != NULL || strstr(suf, "民族") != NULL;
    size_t n;
    while ((n = nationality_at_end(name, st.len, st.autonomous)) > 0) {
        st.len -= n;
        st.autonomous = true;
    }
    return st;
}

/* Order of r->keys: bytes, shorter first on a common prefix (so the keys
 * equal to a string open the block of keys it prefixes), full names before
 * short forms, then by entry. */
static int key_order(const struct key *a, const struct key *b)
{
    if (a->head != b->head)
        return a->head < b->head ? -1 : 1;
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, m);
    if (c != 0)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->is_short != b->is_short)
        return a->is_short < b->is_short ? -1 : 1;
    return a->ent < b->ent ? -1 : a->ent > b->ent;
}

/* <0, 0 or >0 as k sorts before, among or after the keys starting with
 * s[0,n). */
static int key_vs_prefix(const struct key *k, const char *s, size_t n)
{
    size_t m = k->len < n ? k->len : n;
    int c = memcmp(k->s, s, m);
    if (c != 0)
        return c;
    return k->len < n ? -1 : 0;
}

/* Narrow keys[*lo,*hi) to the keys starting with s[0,n).  The range must
 * hold every such key, as it does when narrowed from a shorter prefix. */
static void narrow(const struct key *keys, size_t *lo, size_t *hi,
                   const char *s, size_t n)
{
    size_t a = *lo, b = *hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (key_vs_prefix(&keys[mid], s, n) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    size_t first = a;
    b = *hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (key_vs_prefix(&keys[mid], s, n) <= 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = first;
    *hi = a;
}

/* Keys equal to s[pos,end), for one end. */
struct hit {
    size_t end;
    size_t lo, hi;          /* r->keys[lo,hi) */
};

/* The keys that match s at pos, shortest first; returns how many ends.
 * Each end is a code point longer than the last, so MAX_NAME_CP hits
 * hold every match (open checks the names' lengths). */
static size_t hits_at(const struct fz_regions *r, const char *s, size_t len,
                      size_t pos, struct hit h[MAX_NAME_CP])
{
    size_t lo = 0, hi = r->n_keys, n = 0, i = pos;
    while (i < len && n < MAX_NAME_CP) {
        fz_utf8_next(s, len, &i, NULL);
        narrow(r->keys, &lo, &hi, s + pos, i - pos);
        if (lo == hi)
            break;
        size_t e = lo;
        while (e < hi && r->keys[e].len == i - pos)
            e++;
        if (e > lo) {
            h[n].end = i;
            h[n].lo = lo;
            h[n].hi = e;
            n++;
        }
    }
    return n;
}

static bool is_placeholder(const char *name)
{
    for (size_t i = 0; i < sizeof placeholders / sizeof *placeholders; i++)
        if (strcmp(name, placeholders[i]) == 0)
            return true;
    return false;
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool all_han(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len)
        if (!fz_is_han(fz_utf8_next(s, len, &i, NULL)))
            return false;
    return true;
}

/* Cut the pool into entries; *errptr says what is wrong with the table. */
static int parse_table(struct fz_regions *r, size_t len, char **errptr)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += r->pool[i] == '\n';
    if (len == 0 || r->pool[len - 1] != '\n') {
        fz_set_error(errptr, "division table: not newline-terminated");
        return FZ_EINVAL;
    }
    r->ents = calloc(lines, sizeof *r->ents);
    if (r->ents == NULL)
        return FZ_ENOMEM;
    r->n = lines;       /* for fz_regions_close() if we stop half-way */
    /* last[L]: the latest entry of level L, the parent of what follows */
    uint32_t last[5] = { NO_ENT, NO_ENT, NO_ENT, NO_ENT, NO_ENT };
    char *p = r->pool, *end = r->pool + len;
    for (size_t i = 0; i < lines; i++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *tab = memchr(p, '\t', (size_t)(nl - p));
        *nl = '\0';
        if (tab == NULL || tab + 1 == nl) {
            fz_set_error(errptr, "division table, line %zu: not code<TAB>"
                         "name", i + 1);
            return FZ_EINVAL;
        }
        *tab = '\0';
        struct ent *e = &r->ents[i];
        e->code = p;
        e->name = e->mname = tab + 1;
        size_t code_len = (size_t)(tab - p);
        int level = level_of(code_len);
        if (level == FZ_REGION_NONE || !all_digits(p, code_len)) {
            fz_set_error(errptr, "division table, line %zu: bad code",
                         i + 1);
            return FZ_EINVAL;
        }
        if (i > 0 && strcmp(r->ents[i - 1].code, e->code) >= 0) {
            fz_set_error(errptr, "division table: %s out of order", e->code);
            return FZ_EINVAL;
        }
        size_t name_len = (size_t)(nl - tab - 1);
        if (!fz_utf8_valid(e->name, name_len)) {
            fz_set_error(errptr, "division table: bad name for %s", e->code);
            return FZ_EINVAL;
        }
        e->level = (unsigned char)level;
        e->parent = level == FZ_REGION_PROVINCE ? NO_ENT : last[level - 1];
        if (level > FZ_REGION_PROVINCE) {
            const char *pc = e->parent == NO_ENT ? NULL
                             : r->ents[e->parent].code;
            if (pc == NULL || strncmp(pc, e->code, strlen(pc)) != 0) {
                fz_set_error(errptr, "division table: %s has no parent",
                             e->code);
                return FZ_EINVAL;
            }
        }
        last[level] = (uint32_t)i;
        for (int l = level + 1; l < 5; l++)
            last[l] = NO_ENT;
        if (is_placeholder(e->name))
            e->flags |= E_PLACEHOLDER;
        else if (e->parent != NO_ENT &&
                 strcmp(r->ents[e->parent].name, e->name) == 0)
            e->flags |= E_ALIAS;
        /* Texts are NFKC; a name with anything but Han in it (the
         * full-width brackets of 中国(上海)自由贸易试验区) is matched in
         * that form. */
        if (!all_han(e->name, name_len)) {
            char *m = (char *)utf8proc_NFKC((const utf8proc_uint8_t *)e->name);
            if (m == NULL)
                return FZ_ENOMEM;
            if (strcmp(m, e->name) == 0)
                free(m);
            else
                e->mname = m;
        }
        if (fz_utf8_count(e->mname, strlen(e->mname)) > MAX_NAME_CP) {
            fz_set_error(errptr, "division table: name of %s too long",
                         e->code);
            return FZ_EINVAL;
        }
        p = nl + 1;
    }
    return FZ_OK;
}

/* Sort keys[0,n) by key_order(), using tmp[0,n).  A merge sort of our
 * own rather than qsort(), whose calls through a pointer and byte-wise
 * moves made fz_regions_open() a third slower (25 ms against 18). */
static void sort_keys(struct key *keys, struct key *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_keys(keys, tmp, h);
    sort_keys(keys + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = key_order(&keys[j], &keys[i]) < 0 ? keys[j++] : keys[i++];
    while (i < h)
        tmp[k++] = keys[i++];
    memcpy(keys, tmp, k * sizeof *keys);    /* keys[j,n) are in place */
}

static struct key make_key(const char *s, size_t len, bool is_short,
                           size_t ent)
{
    uint64_t head = 0;
    for (size_t i = 0; i < 8; i++)
        head = head << 8 | (i < len ? (unsigned char)s[i] : 0);
    return (struct key){ s, head, (uint16_t)len, is_short, (uint32_t)ent };
}

static int build_keys(struct fz_regions *r)
{
    r->keys = malloc(2 * r->n * sizeof *r->keys);
    struct key *tmp = malloc(2 * r->n * sizeof *tmp);
    if (r->keys == NULL || tmp == NULL) {
        free(tmp);
        return FZ_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct ent *e = &r->ents[i];
        if (e->flags & (E_PLACEHOLDER | E_ALIAS))
            continue;
        size_t len = strlen(e->mname);
        struct stem st = stem_of(e->mname, len, e->level);
        r->keys[k++] = make_key(e->mname, len, false, i);
        if (st.found && fz_utf8_count(e->mname, st.len) < 2)
            e->flags |= E_THIN;
        if (e->level == FZ_REGION_TOWNSHIP && !st.found)
            e->flags |= E_GENERIC;
        if (st.autonomous)
            e->flags |= E_AUTONOMOUS;
        if (st.found && fz_utf8_count(e->mname, st.len) >= 2)
            r->keys[k++] = make_key(e->mname, st.len, true, i);
    }
    r->n_keys = k;
    sort_keys(r->keys, tmp, k);
    free(tmp);
    return FZ_OK;
}

struct fz_regions *fz_regions_open(char **errptr)
{
    struct fz_regions *r = calloc(1, sizeof *r);
    size_t len = (size_t)fz_divisions_tsv_len;
    int rc = FZ_ENOMEM;
    if (r == NULL || (r->pool = malloc(len + 1)) == NULL)
        goto out;
    memcpy(r->pool, fz_divisions_tsv, len);
    r->pool[len] = '\0';
    rc = parse_table(r, len, errptr);
    if (rc == FZ_OK)
        rc = build_keys(r);
out:
    if (rc == FZ_OK)
        return r;
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    fz_regions_close(r);
    return NULL;
}

void fz_regions_close(struct fz_regions *r)
{
    if (r == NULL)
        return;
    if (r->ents != NULL)
        for (size_t i = 0; i < r->n; i++)
            if (r->ents[i].mname != r->ents[i].name)
                free((char *)r->ents[i].mname);
    free(r->keys);
    free(r->ents);
    free(r->pool);
    free(r);
}

size_t fz_regions_count(const struct fz_regions *r)
{
    return r->n;
}

static void clear(struct fz_region *out)
{
    *out = (struct fz_region){ .depth = 0 };
}

static void fill(const struct fz_regions *r, uint32_t e,
                 struct fz_region *out)
{
    clear(out);
    const struct ent *x = &r->ents[e];
    memcpy(out->code, x->code, strlen(x->code) + 1);   /* <= 9 digits */
    out->kind = x->level;
    const char *names[4];
    size_t n = 0;
    for (uint32_t i = e; i != NO_ENT && n < 4; i = r->ents[i].parent)
        if (!(r->ents[i].flags & (E_PLACEHOLDER | E_ALIAS)))
            names[n++] = r->ents[i].name;
    out->depth = n;
    for (size_t i = 0; i < n; i++)
        out->chain[i] = names[n - 1 - i];
}

static bool is_ancestor(const struct fz_regions *r, uint32_t a, uint32_t e)
{
    for (uint32_t i = r->ents[e].parent; i != NO_ENT; i = r->ents[i].parent)
        if (i == a)
            return true;
    return false;
}

/* The deepest entry that is a or an ancestor of a, and b or an ancestor of
 * b; NO_ENT when they are in different provinces. */
static uint32_t common_ancestor(const struct fz_regions *r, uint32_t a,
                                uint32_t b)
{
    for (uint32_t i = a; i != NO_ENT; i = r->ents[i].parent)
        if (i == b || is_ancestor(r, i, b))
            return i;
    return NO_ENT;
}

/* ---- fz_regions_resolve ---- */

/* A name that fits k entries is evidence for each of them by 1/k: the
 * 城区 of 海珠区城区治理 (eight entries) weighs less than 海珠区 (one).
 * SHARE / k is exact for k up to 16: SHARE is lcm(1, ..., 16). */
#define SHARE 720720L
/* Weights above this count as this: keeps the sums far from overflow. */
#define MAX_WEIGHT 1000

struct mention {
    uint32_t ent;
    int weight;             /* of its text, 0..MAX_WEIGHT */
    long share;             /* SHARE / entries the name fits */
    bool weak;              /* may support, may not propose */
};

struct mentions {
    struct mention *v;
    size_t n, cap;
};

static int push(struct mentions *m, uint32_t ent, int weight, bool weak)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        struct mention *v = realloc(m->v, cap * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (struct mention){ ent, weight, SHARE, weak };
    return FZ_OK;
}

/* Split the evidence of the name just recorded in m->v[from,m->n). */
static void split(struct mentions *m, size_t from)
{
    for (size_t i = from; i < m->n; i++)
        m->v[i].share = SHARE / (long)(m->n - from);
}

/* Does a division name start at s[pos]?  Full names, and short forms of
 * provinces and prefectures: 广东深圳, 深圳光明区. */
static bool place_at(const struct fz_regions *r, const char *s, size_t len,
                     size_t pos)
{
    struct hit h[MAX_NAME_CP];
    size_t n = hits_at(r, s, len, pos, h);
    for (size_t j = 0; j < n; j++)
        for (size_t k = h[j].lo; k < h[j].hi; k++)
            if (!r->keys[k].is_short ||
                r->ents[r->keys[k].ent].level <= FZ_REGION_CITY)
                return true;
    return false;
}

/* Does the name ending at s[end] stand on its own: the text ends, or goes
 * on with something other than a Han character, with another division or
 * with a word such as 人民政府? */
static bool bounded(const struct fz_regions *r, const char *s, size_t len,
                    size_t end)
{
    if (end >= len)
        return true;
    size_t i = end;
    if (!fz_is_han(fz_utf8_next(s, len, &i, NULL)))
        return true;
    return starts_with_any(s + end, len - end, body_words,
                           sizeof body_words / sizeof *body_words) ||
           place_at(r, s, len, end);
}

/* Does a name starting at s[pos] begin there: the text starts there, or
 * has something other than a Han character before it, or a division name
 * (joined: the last match ended at pos), or one of lead_words? */
static bool led(const char *s, size_t pos, bool joined)
{
    if (pos == 0 || joined)
        return true;
    size_t i = pos - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    size_t j = i;
    if (!fz_is_han(fz_utf8_next(s, pos, &j, NULL)))
        return true;
    for (size_t k = 0; k < sizeof lead_words / sizeof *lead_words; k++)
        if (ends_with(s, pos, lead_words[k]))
            return true;
    return false;
}

/* The abbreviated suffix of an autonomous unit's name after its short
 * form at s[0,len): 黔东南州, 长阳县, 于家务乡; or NULL. */
static const char *abbreviation(const struct ent *e, const char *s,
                                size_t len)
{
    static const char *const abbr[][2] = {
        [FZ_REGION_CITY] = { "州", NULL },
        [FZ_REGION_COUNTY] = { "县", "旗" },
        [FZ_REGION_TOWNSHIP] = { "乡", "镇" },
    };
    if (!(e->flags & E_AUTONOMOUS) || e->level == FZ_REGION_PROVINCE)
        return NULL;
    for (size_t i = 0; i < 2; i++)
        if (abbr[e->level][i] != NULL && starts_with(s, len,
                                                     abbr[e->level][i]))
            return abbr[e->level][i];
    return NULL;
}

/* Is the full (or abbreviated) name of e at s[pos,end) a weak mention?
 * A township's must end where a word does: 建设镇 is no place in 法治政府
 * 建设镇村...; a thin one must begin where a word does too.  *bnd caches
 * bounded(). */
static bool weak_full(const struct fz_regions *r, const struct ent *e,
                      const char *s, size_t len, size_t pos, size_t end,
                      bool joined, int *bnd)
{
    if (e->flags & E_GENERIC)
        return true;
    if (e->level != FZ_REGION_TOWNSHIP && !(e->flags & E_THIN))
        return false;
    if (*bnd < 0)
        *bnd = bounded(r, s, len, end);
    return !*bnd || ((e->flags & E_THIN) && !led(s, pos, joined));
}

/* Record the entries of the keys h, found at s[pos], that s may mean
 * there, and set *next to where the text goes on after them (0 when none
 * may: the caller tries a shorter match).  joined: a division name ends at
 * pos.  FZ_OK or FZ_ENOMEM. */
static int take(const struct fz_regions *r, const char *s, size_t len,
                size_t pos, bool joined, const struct hit *h, int weight,
                struct mentions *m, size_t *next)
{
    int bnd = -1;
    size_t from = m->n;
    const char *after = s + h->end;
    size_t left = len - h->end;
    *next = 0;

    /* 黔东南州: the short form and the abbreviated suffix, which stand
     * for the full name and win over 黔东南 alone. */
    size_t abbr_len = 0;
    for (size_t k = h->lo; k < h->hi && abbr_len == 0; k++) {
        const char *a = abbreviation(&r->ents[r->keys[k].ent], after, left);
        if (r->keys[k].is_short && a != NULL)
            abbr_len = strlen(a);
    }
    if (abbr_len > 0) {
        for (size_t k = h->lo; k < h->hi; k++) {
            uint32_t x = r->keys[k].ent;
            const struct ent *e = &r->ents[x];
            const char *a = abbreviation(e, after, left);
            if (!r->keys[k].is_short || a == NULL || strlen(a) != abbr_len)
                continue;
            bool weak = weak_full(r, e, s, len, pos, h->end + abbr_len,
                                  joined, &bnd);
            if (push(m, x, weight, weak) != FZ_OK)
                return FZ_ENOMEM;
        }
        split(m, from);
        *next = h->end + abbr_len;
        return FZ_OK;
    }

    /* A short form shared by a province and a prefecture, or by a
     * prefecture and a county, means the higher level (海南 is the
     * province, not 海南藏族自治州; 朝阳 the city, not a district). */
    int top = FZ_REGION_TOWNSHIP + 1;
    for (size_t k = h->lo; k < h->hi; k++) {
        const struct ent *e = &r->ents[r->keys[k].ent];
        if (r->keys[k].is_short && e->level <= FZ_REGION_CITY &&
            e->level < top)
            top = e->level;
    }
    bool short_ok = top > FZ_REGION_CITY &&
        starts_with_any(after, left, short_body_words,
                        sizeof short_body_words / sizeof *short_body_words);
    for (size_t k = h->lo; k < h->hi; k++) {
        uint32_t x = r->keys[k].ent;
        const struct ent *e = &r->ents[x];
        bool weak;
        if (!r->keys[k].is_short) {
            weak = weak_full(r, e, s, len, pos, h->end, joined, &bnd);
        } else if (e->level <= FZ_REGION_CITY) {
            if (e->level != top)
                continue;
            /* 深圳2023年, 广东深圳 but not 真金白银, 洞庭湖北部 */
            if (bnd < 0)
                bnd = bounded(r, s, len, h->end);
            weak = !bnd || !led(s, pos, joined);
        } else if (short_ok) {
            weak = false;
        } else {
            continue;
        }
        if (push(m, x, weight, weak) != FZ_OK)
            return FZ_ENOMEM;
        *next = h->end;
    }
    split(m, from);
    return FZ_OK;
}

static int scan(const struct fz_regions *r, const struct fz_region_text *t,
                struct mentions *m)
{
    int weight = t->weight < 0 ? 0 : t->weight > MAX_WEIGHT ? MAX_WEIGHT
                 : t->weight;
    size_t pos = 0, last = SIZE_MAX;    /* last: where the last match ended */
    while (pos < t->len) {
        struct hit h[MAX_NAME_CP];
        size_t n = hits_at(r, t->s, t->len, pos, h);
        size_t next = 0;
        /* leftmost-longest: the longest match some entry may use */
        for (size_t j = n; j-- > 0 && next == 0;)
            if (take(r, t->s, t->len, pos, last == pos, &h[j], weight, m,
                     &next) != FZ_OK)
                return FZ_ENOMEM;
        if (next == 0) {
            fz_utf8_next(t->s, t->len, &pos, NULL);
        } else {
            pos = next;
            last = next;
        }
    }
    return FZ_OK;
}

/* What the texts say about one entry. */
struct evidence {
    uint32_t ent;
    long weight;            /* sum of weight * share of its mentions */
    long body;              /* sum of share of those in weight-0 texts */
    bool weighted;          /* mentioned in a text of weight >= 1 */
    bool strong;            /* ... and there not weakly */
};

static int mention_order(const void *pa, const void *pb)
{
    const struct mention *a = pa, *b = pb;
    return a->ent < b->ent ? -1 : a->ent > b->ent;
}

static const struct evidence *find_ev(const struct evidence *ev, size_t n,
                                      uint32_t ent)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (ev[mid].ent < ent)
            a = mid + 1;
        else
            b = mid;
    }
    return a < n && ev[a].ent == ent ? &ev[a] : NULL;
}

int fz_regions_resolve(const struct fz_regions *r,
                       const struct fz_region_text *texts, size_t n,
                       struct fz_region *out)
{
    struct mentions m = { NULL, 0, 0 };
    struct evidence *ev = NULL;
    uint32_t *tied = NULL;
    int rc = FZ_OK;
    clear(out);
    for (size_t i = 0; i < n && rc == FZ_OK; i++)
        rc = scan(r, &texts[i], &m);
    if (rc != FZ_OK || m.n == 0)
        goto out;

    qsort(m.v, m.n, sizeof *m.v, mention_order);
    ev = malloc(m.n * sizeof *ev);
    tied = malloc(m.n * sizeof *tied);
    if (ev == NULL || tied == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    size_t n_ev = 0;
    for (size_t i = 0; i < m.n; i++) {
        const struct mention *x = &m.v[i];
        if (n_ev == 0 || ev[n_ev - 1].ent != x->ent)
            ev[n_ev++] = (struct evidence){ x->ent, 0, 0, false, false };
        struct evidence *e = &ev[n_ev - 1];
        bool body = x->weight == 0;
        e->weight += x->weight * x->share;
        e->body += body ? x->share : 0;
        e->weighted |= !body;
        e->strong |= !body && !x->weak;
    }

    /* Candidates: entries named in a weighted text, strongly or with an
     * ancestor named too.  Score: the evidence for the entry and all its
     * ancestors, weight first, weight-0 mentions to break ties. */
    long best_w = -1, best_b = -1;
    size_t n_tied = 0;
    for (size_t i = 0; i < n_ev; i++) {
        if (!ev[i].weighted)
            continue;
        long w = ev[i].weight, b = ev[i].body;
        bool supported = false;
        for (uint32_t a = r->ents[ev[i].ent].parent; a != NO_ENT;
             a = r->ents[a].parent) {
            const struct evidence *ea = find_ev(ev, n_ev, a);
            if (ea != NULL) {
                supported = true;
                w += ea->weight;
                b += ea->body;
            }
        }
        if (!ev[i].strong && !supported)
            continue;
        if (w > best_w || (w == best_w && b > best_b)) {
            best_w = w;
            best_b = b;
            n_tied = 0;
        }
        if (w == best_w && b == best_b)
            tied[n_tied++] = ev[i].ent;
    }
    if (n_tied == 0)
        goto out;
    /* Readings that tie: say only what they share. */
    uint32_t e = tied[0];
    for (size_t i = 1; i < n_tied && e != NO_ENT; i++)
        e = common_ancestor(r, e, tied[i]);
    while (e != NO_ENT && (r->ents[e].flags & (E_PLACEHOLDER | E_ALIAS)))
        e = r->ents[e].parent;
    if (e != NO_ENT)
        fill(r, e, out);
out:
    free(tied);
    free(ev);
    free(m.v);
    return rc;
}

/* ---- fz_regions_lookup and fz_regions_from_code ---- */

static uint32_t find_code(const struct fz_regions *r, const char *code,
                          size_t len)
{
    size_t a = 0, b = r->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        const char *c = r->ents[mid].code;
        size_t cl = strlen(c);
        int d = memcmp(c, code, cl < len ? cl : len);
        if (d == 0)
            d = cl < len ? -1 : cl > len;
        if (d < 0)
            a = mid + 1;
        else if (d > 0)
            b = mid;
        else
            return (uint32_t)mid;
    }
    return NO_ENT;
}

int fz_regions_from_code(const struct fz_regions *r, const char *code,
                         struct fz_region *out, char **errptr)
{
    uint32_t e = find_code(r, code, strlen(code));
    if (e == NO_ENT) {
        clear(out);
        fz_set_error(errptr, "no division with code %s", code);
        return FZ_EINVAL;
    }
    fill(r, e, out);
    return FZ_OK;
}

/* Separators between names in a lookup: 广东 深圳, 广东>深圳, 广东/深圳. */
static bool is_sep(uint32_t cp)
{
    static const char seps[] = ">/|,;";
    return fz_is_space(cp) || (cp < 0x80 && cp != 0 && strchr(seps, (int)cp))
           || cp == 0x3001 /* 、 */ || cp == 0xFF0C /* ， */
           || cp == 0x203A /* › */ || cp == 0x00BB /* » */
           || cp == 0x00B7 /* · */ || cp == 0xFF1B /* ； */;
}

static int lookup_code(const struct fz_regions *r, const char *s,
                       size_t len, struct fz_region *out, char **errptr)
{
    uint32_t e = find_code(r, s, len);
    /* Padded forms: GB/T 2260's six digits (440300 is 4403) and the
     * statistical code's twelve (440307015000 is 440307015). */
    static const size_t cut[] = { 9, 6, 4, 2 };
    for (size_t i = 0; e == NO_ENT && (len == 6 || len == 12) && i < 4;
         i++) {
        size_t z = cut[i];
        while (z < len && s[z] == '0')
            z++;
        if (cut[i] < len && z == len)
            e = find_code(r, s, cut[i]);
    }
    if (e == NO_ENT) {
        fz_set_error(errptr, "no division with code %.*s", (int)len, s);
        return FZ_EINVAL;
    }
    fill(r, e, out);
    return FZ_OK;
}

/* Readings of a lookup so far: the entries the names up to one position
 * can mean, each inside the one named before it. */
struct reading {
    uint32_t ent;
    bool full;              /* its last name was an official one */
};

struct readings {
    struct reading *v;
    size_t n, cap;
    bool start;             /* nothing named yet: any entry may follow */
};

static int add_reading(struct readings *s, uint32_t ent, bool full)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].ent == ent) {
            s->v[i].full |= full;
            return FZ_OK;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        struct reading *v = realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return FZ_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (struct reading){ ent, full };
    return FZ_OK;
}

static bool follows(const struct fz_regions *r, const struct readings *s,
                    uint32_t ent)
{
    if (s->start)
        return true;
    for (size_t i = 0; i < s->n; i++)
        if (is_ancestor(r, s->v[i].ent, ent))
            return true;
    return false;
}

static int reading_order(const void *pa, const void *pb)
{
    const struct reading *a = pa, *b = pb;
    return a->ent < b->ent ? -1 : a->ent > b->ent;
}

static int chain_text(const struct fz_regions *r, uint32_t e,
                      struct fz_buf *b)
{
    struct fz_region x;
    fill(r, e, &x);
    for (size_t i = 0; i < x.depth; i++)
        if (fz_buf_appends(b, x.chain[i]) != FZ_OK)
            return FZ_ENOMEM;
    return FZ_OK;
}

/* Pick the one reading of name in fin, or say why there is none. */
static int choose(const struct fz_regions *r, struct readings *fin,
                  const char *name, size_t len, struct fz_region *out,
                  char **errptr)
{
    struct fz_buf a = FZ_BUF_INIT, b = FZ_BUF_INIT;
    if (fin->n == 0) {
        fz_set_error(errptr, "no division named %.*s", (int)len, name);
        return FZ_EINVAL;
    }
    bool any_full = false;
    int top = FZ_REGION_TOWNSHIP;
    for (size_t i = 0; i < fin->n; i++)
        any_full |= fin->v[i].full;
    size_t k = 0;
    for (size_t i = 0; i < fin->n; i++)
        if (fin->v[i].full || !any_full)
            fin->v[k++] = fin->v[i];
    fin->n = k;
    for (size_t i = 0; i < fin->n; i++)
        if (r->ents[fin->v[i].ent].level < top)
            top = r->ents[fin->v[i].ent].level;
    k = 0;
    for (size_t i = 0; i < fin->n; i++)
        if (r->ents[fin->v[i].ent].level == top)
            fin->v[k++] = fin->v[i];
    fin->n = k;
    if (fin->n == 1) {
        fill(r, fin->v[0].ent, out);
        return FZ_OK;
    }
    qsort(fin->v, fin->n, sizeof *fin->v, reading_order);
    int rc = chain_text(r, fin->v[0].ent, &a);
    if (rc == FZ_OK)
        rc = chain_text(r, fin->v[1].ent, &b);
    if (rc == FZ_OK) {          /* else the caller reports FZ_ENOMEM */
        if (fin->n == 2)
            fz_set_error(errptr, "ambiguous: %.*s could be %s or %s",
                         (int)len, name, fz_buf_cstr(&a), fz_buf_cstr(&b));
        else
            fz_set_error(errptr, "ambiguous: %.*s could be %s, %s or %zu "
                         "more", (int)len, name, fz_buf_cstr(&a),
                         fz_buf_cstr(&b), fin->n - 2);
        rc = FZ_EINVAL;
    }
    fz_buf_release(&b);
    fz_buf_release(&a);
    return rc;
}

/* The readings of the whole of name[0,len) (trimmed of separators) in
 * *fin, or a code's one entry in *code_out (then *is_code).  FZ_OK,
 * FZ_EINVAL (empty, too long, an unknown code: said), FZ_ENOMEM. */
static int readings_of(const struct fz_regions *r, const char *name,
                       size_t len, struct readings *fin, const char **np,
                       size_t *nlen, struct fz_region *code_out,
                       bool *is_code, char **errptr)
{
    struct readings *at = NULL;     /* at[i]: readings of name[0,i) */
    int rc = FZ_OK;
    *is_code = false;
    /* trim separators */
    size_t a = 0, b = len;
    while (a < b) {
        size_t i = a;
        if (!is_sep(fz_utf8_next(name, len, &i, NULL)))
            break;
        a = i;
    }
    while (b > a) {
        size_t i = b - 1;
        while (i > a && ((unsigned char)name[i] & 0xC0) == 0x80)
            i--;
        size_t j = i;
        if (!is_sep(fz_utf8_next(name, b, &j, NULL)))
            break;
        b = i;
    }
    name += a;
    len = b - a;
    *np = name;
    *nlen = len;
    if (len == 0) {
        fz_set_error(errptr, "empty region name");
        return FZ_EINVAL;
    }
    if (len > MAX_LOOKUP_LEN) {
        fz_set_error(errptr, "region name too long");
        return FZ_EINVAL;
    }
    if (all_digits(name, len)) {
        *is_code = true;
        return lookup_code(r, name, len, code_out, errptr);
    }

    at = calloc(len + 1, sizeof *at);
    if (at == NULL) {
        rc = FZ_ENOMEM;
        goto out;
    }
    at[0].start = true;
    for (size_t i = 0; i < len && rc == FZ_OK; ) {
        struct readings *s = &at[i];
        size_t next = i;
        uint32_t cp = fz_utf8_next(name, len, &next, NULL);
        if (s->start || s->n > 0) {
            if (is_sep(cp)) {
                /* carry the readings across the separator */
                at[next].start |= s->start;
                for (size_t k = 0; k < s->n && rc == FZ_OK; k++)
                    rc = add_reading(&at[next], s->v[k].ent, s->v[k].full);
            } else {
                struct hit h[MAX_NAME_CP];
                size_t nh = hits_at(r, name, len, i, h);
                for (size_t j = 0; j < nh && rc == FZ_OK; j++)
                    for (size_t k = h[j].lo; k < h[j].hi && rc == FZ_OK; k++)
                        if (follows(r, s, r->keys[k].ent))
                            rc = add_reading(&at[h[j].end], r->keys[k].ent,
                                             !r->keys[k].is_short);
            }
        }
        i = next;
    }
    if (rc == FZ_OK) {
        *fin = at[len];
        at[len].v = NULL;
    }
out:
    if (at != NULL)
        for (size_t i = 0; i <= len; i++)
            free(at[i].v);
    free(at);
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    return rc;
}

int fz_regions_lookup(const struct fz_regions *r, const char *name,
                      size_t len, struct fz_region *out, char **errptr)
{
    struct readings fin = { NULL, 0, 0, false };
    bool is_code;
    clear(out);
    int rc = readings_of(r, name, len, &fin, &name, &len, out, &is_code,
                         errptr);
    if (rc == FZ_OK && !is_code)
        rc = choose(r, &fin, name, len, out, errptr);
    if (rc == FZ_ENOMEM)
        fz_set_error(errptr, "out of memory");
    free(fin.v);
    return rc;
}

/* Higher levels first, then by code. */
static bool before(const struct fz_regions *r, uint32_t x, uint32_t y)
{
    const struct ent *a = &r->ents[x], *b = &r->ents[y];
    if (a->level != b->level)
        return a->level < b->level;
    return strcmp(a->code, b->code) < 0;
}

int fz_regions_lookup_all(const struct fz_regions *r, const char *name,
                          size_t len, struct fz_region *out, size_t max,
                          size_t *n, char **errptr)
{
    struct readings fin = { NULL, 0, 0, false };
    struct fz_region one;
    bool is_code;
    *n = 0;
    int rc = readings_of(r, name, len, &fin, &name, &len, &one, &is_code,
                         errptr);
    if (rc == FZ_OK && is_code) {
        *n = 1;
        if (max > 0)
            out[0] = one;
    } else if (rc == FZ_OK && fin.n == 0) {
        fz_set_error(errptr, "no division named %.*s", (int)len, name);
        rc = FZ_EINVAL;
    } else if (rc == FZ_OK) {
        bool any_full = false;
        size_t k = 0;
        for (size_t i = 0; i < fin.n; i++)
            any_full |= fin.v[i].full;
        for (size_t i = 0; i < fin.n; i++)
            if (fin.v[i].full || !any_full)
                fin.v[k++] = fin.v[i];
        fin.n = k;
        /* a division inside another reading is covered by it */
        k = 0;
        for (size_t i = 0; i < fin.n; i++) {
            bool inside = false;
            for (size_t j = 0; j < fin.n && !inside; j++)
                inside = j != i && is_ancestor(r, fin.v[j].ent,
                                               fin.v[i].ent);
            if (!inside)
                fin.v[k++] = fin.v[i];
        }
        fin.n = k;
        for (size_t i = 1; i < fin.n; i++)      /* a few, or 88 城关镇 */
            for (size_t j = i; j > 0 && before(r, fin.v[j].ent,
                                                fin.v[j - 1].ent); j--) {
                struct reading t = fin.v[j];
                fin.v[j] = fin.v[j - 1];
                fin.v[j - 1] = t;
            }
        for (size_t i = 0; i < fin.n && i < max; i++)
            fill(r, fin.v[i].ent, &out[i]);
        *n = fin.n;
    }
    free(fin.v);
    return rc;
}
