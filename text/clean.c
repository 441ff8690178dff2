#include "text/clean.h"
#include "base/fz.h"
#include "text/heading.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- pinyin annotations ------------------------------------------------ */

/* Letters of Hanyu Pinyin with tone marks (and ü, ê). */
static int is_tone_vowel(uint32_t c)
{
    static const uint32_t tv[] = {
        0x101, 0xE1, 0x1CE, 0xE0,       /* ā á ǎ à */
        0x113, 0xE9, 0x11B, 0xE8,       /* ē é ě è */
        0x12B, 0xED, 0x1D0, 0xEC,       /* ī í ǐ ì */
        0x14D, 0xF3, 0x1D2, 0xF2,       /* ō ó ǒ ò */
        0x16B, 0xFA, 0x1D4, 0xF9,       /* ū ú ǔ ù */
        0x1D6, 0x1D8, 0x1DA, 0x1DC,     /* ǖ ǘ ǚ ǜ */
        0x144, 0x148, 0x1F9, 0x1E3F,    /* ń ň ǹ ḿ */
    };
    for (size_t i = 0; i < sizeof tv / sizeof tv[0]; i++)
        if (tv[i] == c)
            return 1;
    return 0;
}

/* What sits between the parentheses after a Han character: 1 when it is
 * pinyin with a tone mark (fù, qū), 2 when it could be toneless pinyin
 * (de, ma: lowercase a-z/ü only, with a vowel), 0 otherwise.  Capitals,
 * digits and Han ((AI), (2023), (一), (试行)) are never pinyin. */
static int pinyin_class(const char *s, size_t len)
{
    size_t i = 0, letters = 0;
    int tone = 0, vowel = 0;
    while (i < len) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (c == ' ' && letters > 0 && i < len)
            continue;           /* several syllables: (fù yì) */
        if (is_tone_vowel(c))
            tone = vowel = 1;
        else if (c == 0xFC || c == 0xEA)
            vowel = 1;
        else if (c >= 'a' && c <= 'z')
            vowel |= strchr("aeiouv", (int)c) != NULL;
        else
            return 0;
        letters++;
    }
    if (letters == 0 || letters > 12 || !vowel)
        return 0;
    return tone ? 1 : 2;
}

/* Find the annotation starting at s[i] (an opening parenthesis): sets *end
 * past the closing one and returns its class, or 0. */
static int annotation_at(const char *s, size_t len, size_t i, size_t *end)
{
    size_t j = i;
    uint32_t open = fz_utf8_next(s, len, &j, NULL);
    if (open != '(' && open != 0xFF08)
        return 0;
    size_t start = j;
    /* 12 letters of at most 2 bytes and a few spaces: 32 bytes is plenty */
    while (j < len && j - start <= 32) {
        size_t k = j;
        uint32_t c = fz_utf8_next(s, len, &k, NULL);
        if (c == ')' || c == 0xFF09) {
            *end = k;
            return pinyin_class(s + start, j - start);
        }
        if (c == '(' || c == 0xFF08 || c == '\n')
            return 0;
        j = k;
    }
    return 0;
}

long fz_clean_pinyin(const char *s, size_t len, struct fz_buf *out)
{
    /* Toneless syllables (的 de, 吗 ma) count as annotations only in a text
     * that has tone-marked ones too: otherwise (app) after a Han character
     * would be taken for pinyin. */
    size_t toned = 0, i = 0;
    uint32_t prev = 0;
    while (i < len) {
        size_t at = i, end;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (fz_is_han(prev) && annotation_at(s, len, at, &end) == 1)
            toned++;
        prev = c;
    }
    size_t old = out->len;
    long n = 0;
    size_t run = 0;
    i = 0;
    prev = 0;
    while (i < len) {
        size_t at = i, end;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        int k = fz_is_han(prev) ? annotation_at(s, len, at, &end) : 0;
        if (k == 1 || (k == 2 && toned >= 3)) {
            if (fz_buf_append(out, s + run, at - run) != FZ_OK)
                goto nomem;
            run = i = end;
            n++;
            continue;           /* prev stays the Han character */
        }
        prev = c;
    }
    if (fz_buf_append(out, s + run, len - run) != FZ_OK)
        goto nomem;
    return n;
nomem:
    out->len = old;
    if (out->data)
        out->data[old] = '\0';
    return -1;
}

/* ---- line classes ------------------------------------------------------ */

static int has(const char *s, size_t len, const char *w)
{
    return memmem(s, len, w, strlen(w)) != NULL;
}

static size_t count_han(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len)
        n += fz_is_han(fz_utf8_next(s, len, &i, NULL));
    return n;
}

static int count_words(const char *s, size_t len, const char *const *w)
{
    int n = 0;
    for (; *w; w++)
        n += has(s, len, *w);
    return n;
}

/* A line that says something: it holds a sentence's end (。！？). */
static int has_sentence(const char *s, size_t len)
{
    return has(s, len, "。") || has(s, len, "！") || has(s, len, "？");
}

int fz_clean_is_breadcrumb(const char *s, size_t len)
{
    static const char *const lead[] = {
        "当前位置", "您的位置", "您现在的位置", "所在位置", "當前位置",
        "您所在的位置", NULL,
    };
    /* 当前位置：首页 > …: the word opens the line (after a mark or two);
     * a sentence that says 当前位置 is the report's ("把握当前位置。") */
    if (!has_sentence(s, len))
        for (const char *const *w = lead; *w; w++) {
            const char *at = memmem(s, len, *w, strlen(*w));
            if (at && fz_utf8_count(s, (size_t)(at - s)) <= 3)
                return 1;
        }
    /* 首页 > 信息公开 > 规划计划: two or more separators, short parts */
    size_t seps = 0, i = 0, part = 0, longest = 0;
    while (i < len) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if (c == '>' || c == 0x203A || c == 0xBB || c == 0x2192
            || c == 0xFF1E) {
            seps++;
            part = 0;
        } else if (++part > longest) {
            longest = part;
        }
    }
    return seps >= 2 && longest <= 30 && !has(s, len, "。");
}

/* Words of web-page furniture, in the Simplified and Traditional forms
 * sites use.  A line is furniture when it is short and has one of them:
 * a paragraph of a report that mentions 分享 or 打印 is long. */
static const char *const ui_words[] = {
    "字号", "字號", "字体", "打印", "列印", "关闭", "關閉", "分享", "扫一扫",
    "掃一掃", "二维码", "顶部", "頂部", "收藏", "浏览次数", "瀏覽次數",
    "阅读次数", "访问次数", "点击数", "点击量", "浏览量", "视力保护",
    "无障碍", "繁体", "繁體", "简体", "登录", "注册", "搜索", "首页",
    "首頁", "上一篇", "下一篇", "相关链接", "相关信息", "相关文章",
    "相关阅读", "知识图谱", "返回", "网站地图", "微信", "微博", "手机上",
    "手机版", "专题专栏", "点击", "标签", "纠错", "【大", "[大", "大 中 小",
    "Baidu", "baidu", "footer", "header", "English", NULL,
};

/* s without its spaces, into flat[0, cap): sites space out short labels
 * ("字 号", "打 印").  The length, cap when s did not fit. */
static size_t flatten(const char *s, size_t len, char *flat, size_t cap)
{
    size_t fl = 0;
    for (size_t i = 0; i < len && fl < cap; i++)
        if (s[i] != ' ')
            flat[fl++] = s[i];
    return fl;
}

static int has_digit(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
            return 1;
    }
    return 0;
}

/* A line that is nothing but labels: a UI line (fz_clean_is_ui) whose
 * words, marks and spaces leave at most one other Han character and no
 * digit ("分享到：", "【打印】【关闭】", "字号：大 中 小", "返回顶部").
 * The same words in a report's own lines are what they talk about
 * ("微信公众号、政务微博", "| 政务微博 | 210 |", "行政复议纠错率"). */
static int is_label_line(const char *s, size_t len)
{
    if (!fz_clean_is_ui(s, len))
        return 0;
    char flat[128];
    size_t fl = flatten(s, len, flat, sizeof flat);
    if (fl == sizeof flat || has_digit(flat, fl))
        return 0;
    unsigned char cover[sizeof flat] = { 0 };
    static const char *const more[] = { "大中小", NULL };
    for (int set = 0; set < 2; set++)
        for (const char *const *w = set ? more : ui_words; *w; w++) {
            size_t wl = strlen(*w);
            for (const char *at = flat;
                 (at = memmem(at, fl - (size_t)(at - flat), *w, wl)) != NULL;
                 at += wl)
                memset(cover + (at - flat), 1, wl);
        }
    size_t i = 0, left = 0;
    while (i < fl) {
        size_t at = i;
        left += fz_is_han(fz_utf8_next(flat, fl, &i, NULL)) && !cover[at];
    }
    return left <= 1;
}

/* Footers.  Copyright and licence marks say what the line is wherever
 * they stand; site-operator labels (承办单位, 技术支持) are also everyday
 * words of a report's sentences, so they mark only a line of labels. */
static const char *const licence_words[] = {
    "版权所有", "Copyright", "copyright", "©", "ICP备", "公网安备",
    "网站标识码", "Public domain", "公有领域", "本作品", "免责声明", NULL,
};
static const char *const operator_words[] = {
    "主办单位", "承办单位", "技术支持", "联系我们", NULL,
};

int fz_clean_is_ui(const char *s, size_t len)
{
    size_t cps = fz_utf8_count(s, len);
    if (cps > 30 || has(s, len, "。"))
        return 0;
    char flat[128];
    size_t fl = flatten(s, len, flat, sizeof flat);
    if (count_words(flat, fl, ui_words) > 0)
        return 1;
    /* "<", "×", "map": no Han, no digit, a few characters */
    if (cps <= 12 && count_han(s, len) == 0) {
        size_t i = 0;
        while (i < len) {
            uint32_t c = fz_utf8_next(s, len, &i, NULL);
            if (c >= '0' && c <= '9')
                return 0;
        }
        return 1;
    }
    return 0;
}

static int footer_words(const char *s, size_t len)
{
    return count_words(s, len, licence_words)
         + count_words(s, len, operator_words);
}

/* A footer line: copyright, licence and site-operator lines, never a
 * numbered heading of the report ("五、为传统产业升级提供技术支持").
 * A line of labels is one when it is short and has a footer word, or has
 * two; a sentence only when it states a copyright or licence ("本作品…
 * 属于公有领域。"): "区司法局为重大行政决策承办单位提供技术支持。" is the
 * report's. */
static int is_footer(const char *s, size_t len)
{
    int n = footer_words(s, len);
    if (n == 0 || fz_heading_level(s, len, NULL) > 0)
        return 0;
    if (has_sentence(s, len))
        return count_words(s, len, licence_words) > 0;
    return n >= 2 || fz_utf8_count(s, len) <= 60;
}

/* The most prose a licence footer may have below its first line. */
#define FOOTER_NOTE_HAN 100

/* Web-page furniture (a breadcrumb, a label such as 分享 or 打印), but
 * never a numbered heading or item of the report ("（三）关闭违规网站"):
 * what a page's header and the end of a page after the report hold. */
static int is_furniture(const char *s, size_t len)
{
    return (fz_clean_is_breadcrumb(s, len) || fz_clean_is_ui(s, len))
        && fz_heading_level(s, len, NULL) == 0;
}

/* What is plainly not the report's wherever it stands, inside the body
 * too: a breadcrumb or a line of bare labels.  A short line of the
 * report that names 微信, 首页 or 纠错 is not. */
static int is_chrome(const char *s, size_t len)
{
    return (fz_clean_is_breadcrumb(s, len) || is_label_line(s, len))
        && fz_heading_level(s, len, NULL) == 0;
}

/* Date, source, author and counter lines under a title. */
static int is_meta(const char *s, size_t len)
{
    static const char *const w[] = {
        "日期", "时间", "來源", "来源", "发布", "發布", "浏览", "阅读",
        "作者", "编辑", "信息索引", "索引号", "文号", "發文", "发文",
        "时间:", "時間", NULL,
    };
    return fz_utf8_count(s, len) <= 120 && !has(s, len, "。")
        && count_words(s, len, w) > 0;
}

/* Prose: a line of the report's body, long and with clause punctuation. */
static int is_prose(const char *s, size_t len)
{
    size_t han = count_han(s, len);
    if (han >= 40)
        return 1;
    return han >= 12 && (has(s, len, "。") || has(s, len, "，")
                         || has(s, len, ",") || has(s, len, "；")
                         || has(s, len, ";"));
}

static int is_report_word_line(const char *s, size_t len)
{
    static const char *const w[] = {
        "报告", "報告", "总结", "總結", "情况", "情況", "工作", "年度",
        "年报", "年報", "白皮书", "公告", "通知", "意见", "方案", "规划",
        NULL,
    };
    return count_words(s, len, w) > 0;
}

static int is_date_line(const char *s, size_t len)
{
    /* 2023年12月6日, 2023-12-06, 二〇二三年十二月六日: digits, 年月日 and
     * separators only */
    size_t i = 0, digits = 0;
    int nian = 0;
    while (i < len) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        if ((c >= '0' && c <= '9') || c == 0x3007 || c == 0x96F6)
            digits++;
        else if (c == 0x5E74)
            nian = 1;
        else if (c == 0x6708 || c == 0x65E5 || c == '-' || c == '.'
                 || c == '/' || c == ' ')
            ;
        else if (c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB
                 || c == 0x4E94 || c == 0x516D || c == 0x4E03 || c == 0x516B
                 || c == 0x4E5D || c == 0x5341)
            digits++;       /* 一二三四五六七八九十 */
        else
            return 0;
    }
    return digits >= 4 && (nian || has(s, len, "-") || has(s, len, "."));
}

/* Whether s ends with w. */
static int ends_with(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return len >= n && memcmp(s + len - n, w, n) == 0;
}

static int is_org_line(const char *s, size_t len)
{
    static const char *const suffix[] = {
        "人民政府", "政府", "办事处", "委员会", "管委会", "党工委", "局",
        "厅", "部", "办公室", "院", "署", "中心", "街道", "镇", "乡", "委",
        "辦事處", "委員會", NULL,
    };
    if (fz_utf8_count(s, len) > 40 || count_han(s, len) < 3)
        return 0;
    for (const char *const *w = suffix; *w; w++)
        if (ends_with(s, len, *w))
            return 1;
    return 0;
}

/* Whether s opens with word w followed by a colon. */
static int opens_label(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w), i = n;
    if (len <= n || memcmp(s, w, n) != 0)
        return 0;
    while (i < len && s[i] == ' ')
        i++;
    uint32_t c = i < len ? fz_utf8_next(s, len, &i, NULL) : 0;
    return c == ':' || c == 0xFF1A;
}

/* The colophon that closes an official document (GB/T 9704): the note
 * under the date (（此件主动公开）), the copy-to line (抄送：…, 抄报：…)
 * and the printing line (市政府办公厅 2024年1月21日印发).  It follows the signature, so it is not prose that
 * carries the body on past it. */
static int is_colophon(const char *s, size_t len)
{
    if (opens_label(s, len, "抄送") || opens_label(s, len, "抄报")
        || opens_label(s, len, "抄報"))
        return 1;
    /* the note under the date: （此件主动公开）, (此件不予公开) */
    if (fz_utf8_count(s, len) <= 20
        && (strncmp(s, "（此件", strlen("（此件")) == 0
            || strncmp(s, "(此件", strlen("(此件")) == 0))
        return 1;
    return fz_utf8_count(s, len) <= 60 && has_digit(s, len)
        && (ends_with(s, len, "印发") || ends_with(s, len, "印發"));
}

/* The head of an official document above its title: the issuer's
 * letterhead (深圳市人民政府文件) and the document number on a line of its
 * own (深府〔2024〕3号, 国发[2023]1号, 龙司发（2024）12号). */
static int is_document_head(const char *s, size_t len)
{
    if (fz_utf8_count(s, len) > 30 || has_sentence(s, len))
        return 0;
    if (ends_with(s, len, "文件") && count_han(s, len) >= 4)
        return 1;
    /* Han, an opening bracket, a year, its closing bracket, a number, 号 */
    size_t i = 0, han = 0, year = 0, num = 0;
    int state = 0;
    while (i < len) {
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        int digit = c >= '0' && c <= '9';
        if (state == 0 && fz_is_han(c))
            han++;
        else if (state == 0 && han && (c == 0x3014 || c == '[' || c == 0xFF3B
                                       || c == '(' || c == 0xFF08
                                       || c == 0x3010))
            state = 1;
        else if (state == 1 && digit)
            year++;
        else if (state == 1 && year == 4 && (c == 0x3015 || c == ']'
                                             || c == 0xFF3D || c == ')'
                                             || c == 0xFF09 || c == 0x3011))
            state = 2;
        else if (state == 2 && digit)
            num++;
        else if (state == 2 && num && c == 0x53F7 && i == len)
            return 1;
        else if (c != ' ')
            return 0;
    }
    return 0;
}

/* ---- lines and paragraphs ---------------------------------------------- */

struct para {
    size_t off, len;        /* into the working buffer */
    unsigned page;          /* the page it starts on, 0 when unknown */
    int level;              /* a heading level the reader marked, or 0 */
};

static int ends_sentence(const char *s, size_t len)
{
    static const uint32_t fin[] = {
        0x3002, '!', '?', ';', ':', 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x2026,
        0x300D, 0x300F, 0x201D, 0x2019, ')', 0xFF09, 0x300B,
    };
    if (len == 0)
        return 1;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    size_t j = i;
    uint32_t c = fz_utf8_next(s, len, &j, NULL);
    for (size_t k = 0; k < sizeof fin / sizeof fin[0]; k++)
        if (fin[k] == c)
            return 1;
    return 0;
}

static uint32_t last_cp(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return fz_utf8_next(s, len, &i, NULL);
}

static uint32_t first_cp(const char *s, size_t len)
{
    size_t i = 0;
    return len ? fz_utf8_next(s, len, &i, NULL) : 0;
}

static int opens(uint32_t c)
{
    return c == 0x300A || c == 0x201C || c == 0x2018 || c == '('
        || c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010;
}

/* The mark that closes what c opens (opens(c)). */
static uint32_t closer_of(uint32_t c)
{
    switch (c) {
    case 0x300A: return 0x300B;     /* 《》 */
    case 0x201C: return 0x201D;     /* “” */
    case 0x2018: return 0x2019;     /* ‘’ */
    case '(': return ')';
    case 0xFF08: return 0xFF09;     /* （） */
    case 0x300C: return 0x300D;     /* 「」 */
    case 0x300E: return 0x300F;     /* 『』 */
    case 0x3010: return 0x3011;     /* 【】 */
    }
    return 0;
}

/* Whether s closes a bracket o left open above it: its closer comes
 * before another o opens ("条例》" does, "【打印】【关闭】" after 【 not). */
static int closes_open(const char *s, size_t len, uint32_t o)
{
    uint32_t c = closer_of(o);
    size_t i = 0;
    while (i < len) {
        uint32_t x = fz_utf8_next(s, len, &i, NULL);
        if (x == c)
            return 1;
        if (x == o)
            return 0;
    }
    return 0;
}

static int closes(uint32_t c)
{
    return c == 0x3002 || c == 0xFF0C || c == 0x3001 || c == 0xFF1B
        || c == 0xFF1A || c == 0xFF01 || c == 0xFF1F || c == 0xFF09
        || c == 0x300B || c == 0x300D || c == 0x300F || c == 0x201D
        || c == 0x2019 || c == ',' || c == ')' || c == ';' || c == 0x3011;
}

static int cjk_side(uint32_t c)
{
    return fz_is_han(c) || (c >= 0x3000 && c <= 0x303F)
        || (c >= 0xFF00 && c <= 0xFF65) || c == 0x201C || c == 0x201D;
}

/* A line that stops inside a sentence: long, not ending in punctuation,
 * and not a title (a title has no clause punctuation and says what the
 * document is). */
static int broken_sentence(const char *s, size_t len)
{
    if (ends_sentence(s, len) || count_han(s, len) < 15)
        return 0;
    int clause = has(s, len, "，") || has(s, len, ",") || has(s, len, "、");
    return clause || !is_report_word_line(s, len);
}

/* Trim a raw line and fold its white space (and control characters) to
 * single spaces, appending the result to b. */
static int append_folded(struct fz_buf *b, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    int pending = 0, any = 0;
    while (i < len) {
        size_t at = i;
        uint32_t c = fz_utf8_next(s, len, &i, NULL);
        int sp = fz_is_space(c) || c < 0x20 || (c >= 0x7F && c < 0xA0)
                 || c == 0x2028 || c == 0x2029;
        if (sp) {
            if (at > run && fz_buf_append(b, s + run, at - run) != FZ_OK)
                return FZ_ENOMEM;
            pending = any;
            run = i;
            continue;
        }
        if (pending && at == run) {
            if (fz_buf_appendc(b, ' ') != FZ_OK)
                return FZ_ENOMEM;
            pending = 0;
        }
        any = 1;
    }
    if (len > run && fz_buf_append(b, s + run, len - run) != FZ_OK)
        return FZ_ENOMEM;
    return FZ_OK;
}

int fz_clean_run(const char *in, size_t len, struct fz_cleaned *out,
                 char **errptr)
{
    struct fz_buf nopy = FZ_BUF_INIT, work = FZ_BUF_INIT;
    struct para *p = NULL;
    unsigned char *gap = NULL;
    size_t np = 0, capp = 0, capl = 0;
    int rc = FZ_ENOMEM;
    memset(out, 0, sizeof *out);

    long npy = fz_clean_pinyin(in, len, &nopy);
    if (npy < 0)
        goto out;
    out->n_pinyin = (size_t)npy;

    /* Split into folded lines; remember which were preceded by a blank. */
    const char *s = fz_buf_cstr(&nopy);
    size_t slen = nopy.len, i = 0, blanks = 0, gaps = 0;
    int blank_before = 0;
    unsigned page = memchr(s, '\f', slen) ? 1 : 0;
    while (i <= slen) {
        size_t e = i;
        while (e < slen && s[e] != '\n' && s[e] != '\r' && s[e] != '\f')
            e++;
        /* a reader's heading mark: FZ_CLEAN_HEADING_MARK and a level */
        int level = 0;
        if (e - i >= 2 && s[i] == FZ_CLEAN_HEADING_MARK && s[i + 1] >= '1'
            && s[i + 1] <= '4') {
            level = s[i + 1] - '0';
            i += 2;
        }
        size_t off = work.len;
        if (append_folded(&work, s + i, e - i) != FZ_OK)
            goto out;
        if (work.len > off) {
            if (np == capp) {
                size_t nc = capp ? capp * 2 : 64;
                struct para *q = realloc(p, nc * sizeof *q);
                unsigned char *g = realloc(gap, nc);
                if (q)
                    p = q;
                if (g)
                    gap = g;
                if (!q || !g)
                    goto out;
                capp = nc;
            }
            p[np].off = off;
            p[np].len = work.len - off;
            p[np].page = page;
            p[np].level = level;
            gap[np] = (unsigned char)blank_before;
            if (np > 0) {
                gaps++;
                blanks += blank_before;
            }
            np++;
            blank_before = 0;
        } else if (e < slen || i < slen) {
            blank_before = 1;
        }
        if (e < slen && s[e] == '\f')
            page++;
        if (e < slen && s[e] == '\r' && e + 1 < slen && s[e + 1] == '\n')
            e++;
        i = e + 1;
    }
    /* Pages that separate paragraphs by blank lines break lines inside
     * them only where the source had markup (a link, a <br>): join those.
     * Elsewhere a line is a paragraph, and only a short piece after a
     * line that stops mid-sentence (a link's text) is joined to it. */
    int block_mode = gaps > 0 && blanks * 2 >= gaps;

    const char *w = fz_buf_cstr(&work);
    for (size_t k = 0; k < np; k++) {
        const char *ls = w + p[k].off;
        size_t ll = p[k].len;
        int join = 0;
        if (out->text.len > 0) {
            size_t lo = out->n_lines - 1;
            const char *ps = out->text.data + out->lines[lo].off;
            size_t pl = out->lines[lo].len;
            uint32_t a = last_cp(ps, pl), b = first_cp(ls, ll);
            /* a bracket left open joins the next line, but not across
             * a blank line, not page furniture that does not close it
             * (a paragraph cut after 《, then 当前位置：首页 > …), and a
             * date line (a signature's) never */
            join = ((!gap[k] && !p[k].level && !out->lines[lo].level
                     && (closes(b)
                         || (opens(a)
                             && (!is_chrome(ls, ll)
                                 || closes_open(ls, ll, a)))))
                    || (!gap[k] && broken_sentence(ps, pl)
                    && (block_mode || fz_utf8_count(ls, ll) <= 20)
                    && fz_heading_level(ps, pl, NULL) == 0
                    && out->lines[lo].level == 0 && p[k].level == 0
                    && fz_heading_level(ls, ll, NULL) == 0
                    && !fz_clean_is_breadcrumb(ls, ll)
                    && !is_label_line(ls, ll) && !is_meta(ls, ll)))
                   && !is_date_line(ls, ll);
            if (join) {
                out->text.len--;            /* drop the '\n' */
                if (!(cjk_side(a) && cjk_side(b)) && !closes(b) && !opens(a)
                    && fz_buf_appendc(&out->text, ' ') != FZ_OK)
                    goto out;
                if (fz_buf_append(&out->text, ls, ll) != FZ_OK
                    || fz_buf_appendc(&out->text, '\n') != FZ_OK)
                    goto out;
                out->lines[lo].len = out->text.len - 1 - out->lines[lo].off;
                continue;
            }
        }
        if (out->n_lines == capl) {
            size_t nc = capl ? capl * 2 : 64;
            struct fz_line *q = realloc(out->lines, nc * sizeof *q);
            if (q == NULL)
                goto out;
            out->lines = q;
            capl = nc;
        }
        struct fz_line *nl = out->lines;
        nl[out->n_lines].off = out->text.len;
        nl[out->n_lines].len = ll;
        nl[out->n_lines].kind = FZ_LINE_BOILER;
        nl[out->n_lines].page = p[k].page;
        nl[out->n_lines].level = p[k].level;
        out->n_lines++;
        if (fz_buf_append(&out->text, ls, ll) != FZ_OK
            || fz_buf_appendc(&out->text, '\n') != FZ_OK)
            goto out;
    }

    /* Classify.  The body runs from the first to the last line of prose.
     * The page's footer is chrome sitting after it: the first footer line
     * (labels, never a sentence) that no plain line of prose follows.  A
     * footer word inside the body is the report's, so a body sentence or
     * a table row that holds one never ends the report. */
    size_t n = out->n_lines, body_start = n, body_end = 0, footer = n;
    const char *t = fz_buf_cstr(&out->text);
    struct fz_line *L = out->lines;
#define LINE(k) (t + L[k].off), L[k].len
#define HEADING(k) (L[k].level > 0 || fz_heading_level(LINE(k), NULL) > 0)
    for (size_t k = 0; k < n && body_start == n; k++)
        if (!is_chrome(LINE(k)) && is_prose(LINE(k)) && !is_meta(LINE(k)))
            body_start = k;
    if (body_start == n) {
        /* No prose: a short note, a list.  Everything that is not
         * furniture is body, so no report is dropped for being terse. */
        for (size_t k = 0; k < n; k++)
            if (!is_furniture(LINE(k)) && !is_footer(LINE(k)))
                L[k].kind = FZ_LINE_BODY;
        rc = FZ_OK;
        goto out;
    }
    /* The page's footer is chrome after the report: the first footer line
     * below which the report says nothing more.  tail[k] counts the Han
     * characters of prose from line k to the end (a footer's own licence
     * sentences aside), and a heading counts as the report going on.  A
     * copyright or licence line may have a note's worth of prose below it
     * (Wikisource's remark on its licence); a line of operator labels
     * (承办单位：…) none, or it is a row of the report's own table. */
    size_t *tail = calloc(n + 1, sizeof *tail);
    if (tail == NULL)
        goto out;
    for (size_t k = n; k-- > 0;) {
        tail[k] = tail[k + 1];
        if (HEADING(k))
            tail[k] += FOOTER_NOTE_HAN + 1;
        else if (!is_chrome(LINE(k)) && is_prose(LINE(k))
                 && !is_meta(LINE(k)) && !is_footer(LINE(k))
                 && !is_colophon(LINE(k)))
            tail[k] += count_han(LINE(k));
    }
    for (size_t k = body_start + 1; k < n; k++) {
        if (!is_footer(LINE(k)))
            continue;
        int licence = count_words(LINE(k), licence_words) > 0;
        if (tail[k + 1] <= (licence ? FOOTER_NOTE_HAN : 0)) {
            footer = k;
            break;
        }
    }
    free(tail);
    for (size_t k = body_start; k < footer; k++)
        if (!is_chrome(LINE(k)) && is_prose(LINE(k)) && !is_meta(LINE(k))
            && !is_colophon(LINE(k)))
            body_end = k;
    size_t title = n, fallback = n;
    for (size_t k = body_start; k-- > 0;) {
        if (is_furniture(LINE(k)) || HEADING(k)
            || is_meta(LINE(k)) || count_han(LINE(k)) < 4
            || fz_utf8_count(LINE(k)) > 120 || has(LINE(k), "。")
            || ends_sentence(LINE(k)))
            continue;
        if (is_report_word_line(LINE(k))) {
            title = k;
            break;
        }
        if (fallback == n && count_han(LINE(k)) >= 6)
            fallback = k;
    }
    if (title == n)
        title = fallback;
    /* A report that goes from its title straight to a heading (一、主要
     * 工作) has its body start there: the heading is the report's. */
    for (size_t k = title == n ? 0 : title + 1; k < body_start; k++)
        if (HEADING(k) && !is_meta(LINE(k)) && count_han(LINE(k)) >= 2) {
            body_start = k;
            break;
        }
    /* After the body: the signature, then what the page adds.  Lines
     * there are the report's (a list of short items, 附件) until the first
     * piece of furniture (分享到, 上一篇, 相关链接); below that only a
     * sentence is. */
    int chrome = 0;
    for (size_t k = 0; k < n; k++) {
        enum fz_line_kind kind = FZ_LINE_BOILER;
        int furniture = is_furniture(LINE(k));
        if (k == title)
            kind = FZ_LINE_TITLE;
        else if (k < body_start)
            kind = furniture ? FZ_LINE_BOILER
                 : is_meta(LINE(k)) ? FZ_LINE_META
                 : (title == n || k > title
                    || is_document_head(LINE(k))) ? FZ_LINE_FRONT
                 : FZ_LINE_BOILER;
        else if (k <= body_end)
            /* inside the body only what is plainly not the report's:
             * a breadcrumb or a line of labels */
            kind = is_chrome(LINE(k)) ? FZ_LINE_BOILER : FZ_LINE_BODY;
        else if (k < footer) {
            /* a table's row (it has figures) is the report's */
            furniture = is_chrome(LINE(k))
                        || (furniture && !has_digit(LINE(k)));
            chrome |= furniture;
            kind = furniture ? FZ_LINE_BOILER
                 : (is_org_line(LINE(k)) || is_date_line(LINE(k))
                    || is_colophon(LINE(k)))
                   ? FZ_LINE_SIGNATURE
                 : has_sentence(LINE(k)) ? FZ_LINE_BODY
                 : (chrome || is_meta(LINE(k))) ? FZ_LINE_BOILER
                 : FZ_LINE_BODY;
        }
        L[k].kind = kind;
    }
#undef LINE
#undef HEADING
    rc = FZ_OK;
out:
    if (rc != FZ_OK) {
        fz_set_error(errptr, "out of memory cleaning text");
        fz_cleaned_release(out);
    }
    free(gap);
    free(p);
    fz_buf_release(&work);
    fz_buf_release(&nopy);
    return rc;
}

void fz_cleaned_release(struct fz_cleaned *c)
{
    if (c == NULL)
        return;
    fz_buf_release(&c->text);
    free(c->lines);
    c->lines = NULL;
    c->n_lines = 0;
    c->n_pinyin = 0;
}
