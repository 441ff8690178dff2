/* gencorpus - a deterministic corpus of report-shaped files from real
 * paragraphs, for benchmarks and for the crash-safety test.
 *
 *   gencorpus OUT_DIR [--mb N] [--files N] [--seed S] [--from DIR]
 *
 * Every paragraph is real text from the reports in DIR (default corpus/:
 * its .txt files and the "content" of its .jsonl records, less licence
 * notices and line fragments: see keep()); only their order and grouping
 * into reports is made up, so term statistics stay close to real reports
 * while the corpus grows as large as a measurement needs.  Each file OUT_DIR/rNNNNNNN.txt is shaped like a seed report: a
 * title naming a real district, a date line, numbered sections whose
 * headings are the opening words of real paragraphs, the paragraphs, and
 * a signature.  --mb is the total size (default 200); --files the number
 * of files (default: about 15 KB each).  The same arguments give the same
 * bytes on every machine. */
#include "base/buf.h"
#include "base/utf8.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;         /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

struct paras {
    char **v;
    size_t n, cap;
};

/* Does s[0,len) contain w? */
static int has(const char *s, size_t len, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= len; i++)
        if (memcmp(s + i, w, wl) == 0)
            return 1;
    return 0;
}

/* Does s[0,len) start with w? */
static int starts(const char *s, size_t len, const char *w)
{
    size_t wl = strlen(w);
    return len >= wl && memcmp(s, w, wl) == 0;
}

/* A body paragraph: at least 30 Han characters, most of it Han.  Not the
 * Wikisource licence notice the State Council reports in corpus/ carry
 * (本作品是…法律…官方正式译文。根据《著作权法》…公有领域): it is no
 * report's text, and a report reader rightly stops at it as a footer, so
 * a report built around it would be cut short.  Not a fragment either:
 * the .jsonl text breaks lines around wiki links, leaving lines that
 * begin with the punctuation after a link (，国家机关的决议…); a reader
 * joins such a line to the one before, across what the generator meant
 * as a paragraph break. */
static void keep(struct paras *ps, const char *s, size_t len)
{
    static const char *const licence[] = {
        "本作品", "公有领域", "著作权法", "官方正式译文",
    };
    static const char *const continuing[] = {
        "，", "、", "。", "；", "：", "》", "）", "」", "』", "”",
    };
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
        len--;
    for (size_t k = 0; k < sizeof licence / sizeof *licence; k++)
        if (has(s, len, licence[k]))
            return;
    for (size_t k = 0; k < sizeof continuing / sizeof *continuing; k++)
        if (starts(s, len, continuing[k]))
            return;
    size_t han = 0, cps = 0, i = 0;
    while (i < len) {
        uint32_t cp = fz_utf8_next(s, len, &i, NULL);
        han += fz_is_han(cp);
        cps++;
    }
    if (han < 30 || han * 10 < cps * 6)
        return;
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 1024;
        ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
        if (ps->v == NULL)
            exit(2);
    }
    ps->v[ps->n++] = strndup(s, len);
}

static void split_lines(struct paras *ps, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        keep(ps, s, n);
        s += n + (s[n] == '\n');
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load(struct paras *ps, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "gencorpus: %s: %s\n", dir, strerror(errno));
        exit(2);
    }
    char *names[4096];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nn < 4096)
        if (strstr(e->d_name, ".txt") || strstr(e->d_name, ".jsonl"))
            names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nn, sizeof *names, by_name);       /* same order anywhere */
    for (size_t k = 0; k < nn; k++) {
        char path[4096];
        struct fz_buf b = FZ_BUF_INIT;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (fz_buf_read_file(&b, path) != 0) {
            fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
            exit(2);
        }
        if (strstr(names[k], ".jsonl")) {
            const char *s = fz_buf_cstr(&b);
            while (*s) {
                size_t n = strcspn(s, "\n");
                cJSON *j = cJSON_ParseWithLength(s, n);
                const cJSON *c = cJSON_GetObjectItem(j, "content");
                if (cJSON_IsString(c))
                    split_lines(ps, c->valuestring);
                cJSON_Delete(j);
                s += n + (s[n] == '\n');
            }
        } else {
            split_lines(ps, fz_buf_cstr(&b));
        }
        fz_buf_release(&b);
        free(names[k]);
    }
}

/* Real divisions, so that fzindex resolves each report's region. */
static const char *const places[][3] = {
    { "广东省", "深圳市", "龙岗区" }, { "广东省", "深圳市", "南山区" },
    { "广东省", "深圳市", "福田区" }, { "广东省", "广州市", "海珠区" },
    { "广东省", "广州市", "天河区" }, { "浙江省", "杭州市", "西湖区" },
    { "江苏省", "南京市", "鼓楼区" }, { "四川省", "成都市", "锦江区" },
    { "湖北省", "武汉市", "江汉区" }, { "湖南省", "长沙市", "岳麓区" },
    { "河南省", "郑州市", "金水区" }, { "福建省", "厦门市", "思明区" },
    { "安徽省", "合肥市", "蜀山区" }, { "陕西省", "西安市", "雁塔区" },
    { "云南省", "昆明市", "五华区" }, { "贵州省", "贵阳市", "南明区" },
};

static const char *const numerals[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
};

/* A heading from a paragraph's opening words: up to its first comma or
 * full stop, at most 16 characters. */
static void heading(struct fz_buf *b, const char *p)
{
    size_t len = strlen(p), i = 0, n = 0;
    while (i < len && n < 16) {
        size_t at = i;
        uint32_t cp = fz_utf8_next(p, len, &i, NULL);
        if (cp == 0xFF0C || cp == 0x3002 || cp == ',' || cp == 0xFF1B) {
            i = at;
            break;
        }
        n++;
    }
    fz_buf_append(b, p, i);
}

static void report(struct fz_buf *b, const struct paras *ps, size_t target,
                   size_t serial)
{
    const char *const *pl = places[pick(sizeof places / sizeof *places)];
    int year = 2015 + (int)pick(10);
    int month = 1 + (int)pick(12), day = 1 + (int)pick(28);
    fz_buf_appendf(b, "%s%s%s人民政府%d年法治政府建设年度报告\n", pl[0], pl[1],
                   pl[2], year);
    fz_buf_appendf(b, "发布日期：%d-%02d-%02d  来源：%s司法局  编号：%zu\n\n",
                   year + 1, month, day, pl[2], serial);
    fz_buf_appendf(b, "%d年，%s%s深入学习贯彻习近平法治思想，全面推进法治"
                   "政府建设，现将有关情况报告如下。\n\n", year, pl[1], pl[2]);
    for (size_t s = 0; b->len < target && s < 10; s++) {
        fz_buf_appendf(b, "%s、", numerals[s]);
        heading(b, ps->v[pick(ps->n)]);
        fz_buf_appends(b, "\n");
        size_t k = 2 + pick(5);
        for (size_t i = 0; i < k && (i == 0 || b->len < target); i++)
            fz_buf_appendf(b, "%s\n", ps->v[pick(ps->n)]);
        fz_buf_appends(b, "\n");
    }
    fz_buf_appendf(b, "%s%s人民政府\n%d年%d月%d日\n", pl[1], pl[2], year + 1,
                   month, day);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *from = "corpus";
    double mb = 200;
    size_t files = 0;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--mb") && v)
            mb = atof(argv[++i]);
        else if (!strcmp(argv[i], "--files") && v)
            files = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && v)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--from") && v)
            from = argv[++i];
        else if (argv[i][0] != '-' && out == NULL)
            out = argv[i];
        else {
            fprintf(stderr, "usage: gencorpus OUT_DIR [--mb N] [--files N] "
                    "[--seed S] [--from DIR]\n");
            return 2;
        }
    }
    if (out == NULL || mb <= 0) {
        fprintf(stderr, "usage: gencorpus OUT_DIR [--mb N] [--files N] "
                "[--seed S] [--from DIR]\n");
        return 2;
    }
    rng_state = 0x9E3779B97F4A7C15ULL ^ (seed * 0xD1B54A32D192ED03ULL);
    if (rng_state == 0)
        rng_state = 1;
    struct paras ps = { NULL, 0, 0 };
    load(&ps, from);
    if (ps.n == 0) {
        fprintf(stderr, "gencorpus: %s: no paragraphs to build from\n", from);
        return 2;
    }
    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "gencorpus: %s: %s\n", out, strerror(errno));
        return 2;
    }
    size_t total = (size_t)(mb * 1e6);
    if (files == 0)
        files = total / 15000 ? total / 15000 : 1;
    size_t each = total / files, written = 0;
    struct fz_buf b = FZ_BUF_INIT;
    for (size_t f = 0; f < files; f++) {
        char path[4096];
        fz_buf_reset(&b);
        report(&b, &ps, each, f);
        snprintf(path, sizeof path, "%s/r%07zu.txt", out, f);
        FILE *fp = fopen(path, "wb");
        if (fp == NULL || fwrite(b.data, 1, b.len, fp) != b.len
            || fclose(fp) != 0) {
            fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
            return 2;
        }
        written += b.len;
    }
    fprintf(stderr, "gencorpus: %zu files, %.1f MB from %zu paragraphs\n",
            files, (double)written / 1e6, ps.n);
    fz_buf_release(&b);
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i]);
    free(ps.v);
    return 0;
}
