/* End to end: the comparison view, its tables, facets, more-like-this,
 * where terms meet (sentence, NEAR, report) and citation lists, on
 * corpus/ indexed by fzindex.  Every expected value is computed here from
 * the same files read by the library (tests/searchfixture.h): the
 * reports' metadata and a substring search over the passages' folded
 * text.  Tables are read back with independent parsers (Python's csv
 * module for CSV). */
#include "tests/searchfixture.h"

#include "query/query.h"

/* fzsearch's stdout for opts and query (none when ""), with its exit
 * status checked (-1: 0 or 1). */
static char *fzsearch(const char *opts, const char *query, int status)
{
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    if (*query)
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx %s -- '%s'", bin,
                 db, opts, query);
    else
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx %s", bin, db,
                 opts);
    int st = run(cmd, &out);
    if (status >= 0 ? st != status : st != 0 && st != 1)
        fail_msg("%s: exit %d, wanted %d", cmd, st, status);
    return fz_buf_detach(&out, NULL);
}

static cJSON *fzsearch_json(const char *opts, const char *query)
{
    char o[1024];
    snprintf(o, sizeof o, "--json %s", opts);
    char *out = fzsearch(o, query, -1);
    cJSON *j = cJSON_Parse(out);
    if (j == NULL)
        fail_msg("not JSON: %s", out);
    free(out);
    return j;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int jint(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* The fixture's report a hit's report object is: by title and year. */
static size_t report_of(const cJSON *r)
{
    for (size_t i = 0; i < nreports; i++)
        if (reports[i].title && strcmp(reports[i].title, jstr(r, "title")) == 0
            && reports[i].year == jint(r, "year"))
            return i;
    fail_msg("no report titled %s", jstr(r, "title"));
    return 0;
}

/* hit[r] = 1 for the reports with a passage holding query. */
static size_t matching_reports(const char *query, unsigned char *hit)
{
    char *q = fz_norm_str(tc.norm, query, strlen(query));
    size_t n = 0;
    memset(hit, 0, nreports);
    for (size_t i = 0; i < nps; i++)
        if (!hit[ps[i].report] && psg_has(i, q)) {
            hit[ps[i].report] = 1;
            n++;
        }
    free(q);
    return n;
}

/* A report's group in the comparison view: its region code, or national
 * ("" and rank 0) or unknown ("" and rank 2). */
static int group_rank(size_t r)
{
    if (reports[r].code[0])
        return 1;
    return reports[r].level == FZ_LEVEL_NATIONAL ? 0 : 2;
}

static const char *const compare_queries[] = {
    "行政复议", "法治政府", "依法行政", "执法", "规范性文件", "普法",
    "街道", "粮",
};

/* Groups, their order and counts, and the rows in them, equal what the
 * metadata and a substring search say. */
static void test_compare_groups(void **state)
{
    (void)state;
    unsigned char hit[200];
    for (size_t qi = 0; qi < sizeof compare_queries / sizeof *compare_queries;
         qi++) {
        const char *query = compare_queries[qi];
        size_t want = matching_reports(query, hit);
        cJSON *j = fzsearch_json("--compare", query);
        const cJSON *hits = cJSON_GetObjectItem(j, "hits");
        const cJSON *groups = cJSON_GetObjectItem(j, "groups");
        print_message("%-10s %zu reports in %d groups\n", query, want,
                      cJSON_GetArraySize(groups));
        assert_int_equal(cJSON_GetArraySize(hits), want);
        assert_int_equal(jint(j, "total"), want);
        /* every row a different matching report */
        unsigned char seen[200] = { 0 };
        const cJSON *h;
        cJSON_ArrayForEach(h, hits) {
            size_t r = report_of(cJSON_GetObjectItem(h, "report"));
            assert_true(hit[r]);
            assert_false(seen[r]++);
        }
        /* the groups: in order, each the right count, rows by year */
        int prev_rank = -1, rank_no = 0;
        const char *prev_code = "";
        const cJSON *g;
        cJSON_ArrayForEach(g, groups) {
            const cJSON *ranks = cJSON_GetObjectItem(g, "ranks"), *k;
            size_t first = report_of(cJSON_GetObjectItem(
                cJSON_GetArrayItem(hits, rank_no), "report"));
            int grank = group_rank(first);
            const char *code = reports[first].code;
            assert_true(grank > prev_rank
                        || (grank == prev_rank && strcmp(code, prev_code) > 0));
            size_t count = 0;
            for (size_t r = 0; r < nreports; r++)
                count += hit[r] && group_rank(r) == grank
                         && strcmp(reports[r].code, code) == 0;
            assert_int_equal(jint(g, "count"), count);
            assert_int_equal(cJSON_GetArraySize(ranks), count);
            assert_string_equal(jstr(g, "name"),
                                grank == 1 ? reports[first].chain
                                : grank == 0 ? "全国" : "地区不详");
            int prev_year = 0;
            cJSON_ArrayForEach(k, ranks) {
                assert_int_equal(k->valueint, ++rank_no);
                size_t r = report_of(cJSON_GetObjectItem(
                    cJSON_GetArrayItem(hits, rank_no - 1), "report"));
                assert_int_equal(group_rank(r), grank);
                assert_string_equal(reports[r].code, code);
                assert_true(reports[r].year >= prev_year);
                prev_year = reports[r].year;
            }
            prev_rank = grank;
            prev_code = code;
        }
        assert_int_equal(rank_no, want);
        cJSON_Delete(j);
    }
}

/* ---- tables --------------------------------------------------------------- */

/* Cells of a markdown table line "| a | b \| c |": unescaped (a
 * backslash before ASCII punctuation is that character; <url> a URL). */
static size_t md_cells(const char *line, char cells[][4096], size_t max)
{
    size_t n = 0, k = 0;
    const char *p = line;
    assert_true(strncmp(p, "| ", 2) == 0);
    p += 2;
    while (*p && n < max) {
        if (p[0] == '\\' && p[1] && strchr("\\`*_[]<>#|~&", p[1])) {
            cells[n][k++] = p[1];
            p += 2;
        } else if (p[0] == ' ' && p[1] == '|') {
            cells[n][k] = '\0';
            if (cells[n][0] == '<' && k > 1 && cells[n][k - 1] == '>') {
                memmove(cells[n], cells[n] + 1, k - 2);
                cells[n][k - 2] = '\0';
            }
            n++;
            k = 0;
            p += 2;
            if (*p == ' ')
                p++;
        } else {
            assert_true(k < 4095);
            cells[n][k++] = *p++;
        }
    }
    return n;
}

/* The passage without its markdown bold marks and ellipses. */
static void strip_marks(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (r[0] == '*' && r[1] == '*')
            r += 2;
        else if (strncmp(r, "…", 3) == 0)
            r += 3;
        else
            *w++ = *r++;
    }
    *w = '\0';
}

static void flatten(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

static void test_compare_tables(void **state)
{
    (void)state;
    /* the columns of README "fzsearch"; those checked here against the
     * reports' metadata: region, level, year, title, issuer, section,
     * passage, url, passage_id (tests/test_export.c checks all of them
     * against --json) */
    static const char *const cols[] = {
        "rank", "region", "level", "year", "date", "title", "issuer",
        "section", "page", "passage", "url", "score", "report_id",
        "passage_id",
    };
    static const int checked[9] = { 1, 2, 6, 3, 5, 7, 9, 10, 13 };
    enum { NCOL = 14 };
    for (size_t qi = 0; qi < 3; qi++) {
        const char *query = compare_queries[qi];
        cJSON *j = fzsearch_json("--compare", query);
        const cJSON *hits = cJSON_GetObjectItem(j, "hits");
        /* CSV, read by Python's csv module */
        char cmd[8192];
        struct fz_buf out = FZ_BUF_INIT;
        snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --compare "
                 "--format csv -- '%s' | python3 -c 'import csv, json, sys; "
                 "print(json.dumps(list(csv.reader(sys.stdin))))'",
                 bin, db, query);
        assert_int_equal(run(cmd, &out), 0);
        cJSON *csv = cJSON_Parse(fz_buf_cstr(&out));
        fz_buf_release(&out);
        assert_non_null(csv);
        assert_int_equal(cJSON_GetArraySize(csv),
                         cJSON_GetArraySize(hits) + 1);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetArrayItem(csv, 0)),
                         NCOL);
        for (int c = 0; c < NCOL; c++)
            assert_string_equal(cJSON_GetArrayItem(
                cJSON_GetArrayItem(csv, 0), c)->valuestring, cols[c]);
        /* markdown */
        char *md = fzsearch("--compare --format markdown", query, 0);
        char *save = NULL, *line = strtok_r(md, "\n", &save);
        static char cells[NCOL][4096];
        for (int i = 0; i < cJSON_GetArraySize(hits); i++) {
            const cJSON *h = cJSON_GetArrayItem(hits, i);
            const cJSON *p = cJSON_GetObjectItem(h, "passage");
            const cJSON *r = cJSON_GetObjectItem(h, "report");
            const cJSON *row = cJSON_GetArrayItem(csv, i + 1);
            size_t rep = report_of(r);
            assert_int_equal(cJSON_GetArraySize(row), NCOL);
            char want[9][4096];
            snprintf(want[0], 4096, "%s", reports[rep].chain[0]
                     ? reports[rep].chain
                     : reports[rep].level == FZ_LEVEL_NATIONAL ? "全国" : "");
            snprintf(want[1], 4096, "%s", fz_level_name(reports[rep].level));
            snprintf(want[2], 4096, "%s", reports[rep].issuer
                                          ? reports[rep].issuer : "");
            if (reports[rep].year)
                snprintf(want[3], 4096, "%d", reports[rep].year);
            else
                want[3][0] = '\0';
            snprintf(want[4], 4096, "%s", reports[rep].title);
            struct fz_buf sec = FZ_BUF_INIT;
            const cJSON *s;
            cJSON_ArrayForEach(s, cJSON_GetObjectItem(p, "section")) {
                if (sec.len)
                    fz_buf_appends(&sec, " › ");
                fz_buf_appends(&sec, s->valuestring);
            }
            snprintf(want[5], 4096, "%s", fz_buf_cstr(&sec));
            fz_buf_release(&sec);
            snprintf(want[6], 4096, "%s", jstr(p, "text"));
            snprintf(want[7], 4096, "%s", reports[rep].url
                                          ? reports[rep].url : "");
            snprintf(want[8], 4096, "%s", jstr(p, "id"));
            /* CSV: the passage whole, line breaks and all */
            for (int c = 0; c < 9; c++)
                assert_string_equal(cJSON_GetArrayItem(
                    row, checked[c])->valuestring, want[c]);
            flatten(want[6]);
            /* the markdown row: the same cells, the passage a snippet */
            while (line && strncmp(line, "| ", 2) != 0)
                line = strtok_r(NULL, "\n", &save);
            while (line && (strncmp(line, "| rank |", 8) == 0
                            || strncmp(line, "|--", 3) == 0))
                line = strtok_r(NULL, "\n", &save);
            assert_non_null(line);
            assert_int_equal(md_cells(line, cells, NCOL), NCOL);
            for (int c = 0; c < 9; c++) {
                char *cell = cells[checked[c]];
                if (c == 6) {
                    strip_marks(cell);
                    assert_non_null(strstr(want[6], cell));
                    assert_true(strlen(cell) > 0);
                } else {
                    assert_string_equal(cell, want[c]);
                }
            }
            line = strtok_r(NULL, "\n", &save);
        }
        free(md);
        cJSON_Delete(csv);
        cJSON_Delete(j);
    }
}

/* ---- facets --------------------------------------------------------------- */

/* The facet's entry for value (a string, a year, or NULL); its count, or
 * 0 when absent. */
static int facet_count(const cJSON *facet, const char *value, int year)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, facet) {
        const cJSON *v = cJSON_GetObjectItem(e, "value");
        if ((year && cJSON_IsNumber(v) && v->valueint == year)
            || (!year && value && cJSON_IsString(v)
                && strcmp(v->valuestring, value) == 0)
            || (!year && !value && cJSON_IsNull(v)))
            return jint(e, "reports");
    }
    return 0;
}

static void check_facets(const char *query, const char *filter,
                         const char *prefix, size_t depth)
{
    unsigned char hit[200];
    matching_reports(query, hit);
    for (size_t r = 0; r < nreports; r++)
        if (prefix && strncmp(reports[r].code, prefix, strlen(prefix)) != 0)
            hit[r] = 0;
    char o[256];
    snprintf(o, sizeof o, "--facets year,level,region %s", filter);
    cJSON *j = fzsearch_json(o, query);
    const cJSON *f = cJSON_GetObjectItem(j, "facets");
    const cJSON *fy = cJSON_GetObjectItem(f, "year");
    const cJSON *fl = cJSON_GetObjectItem(f, "level");
    const cJSON *fr = cJSON_GetObjectItem(f, "region");
    size_t sum_y = 0, sum_l = 0, sum_r = 0, n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, fy) sum_y += (size_t)jint(e, "reports");
    cJSON_ArrayForEach(e, fl) sum_l += (size_t)jint(e, "reports");
    cJSON_ArrayForEach(e, fr) sum_r += (size_t)jint(e, "reports");
    for (size_t r = 0; r < nreports; r++) {
        if (!hit[r])
            continue;
        n++;
        size_t y = 0, l = 0, g = 0;
        char code[16] = "";
        snprintf(code, sizeof code, "%.*s", (int)depth, reports[r].code);
        for (size_t s = 0; s < nreports; s++) {
            if (!hit[s])
                continue;
            y += reports[s].year == reports[r].year;
            l += reports[s].level == reports[r].level;
            g += strncmp(reports[s].code, code, depth) == 0
                 && (code[0] || !reports[s].code[0]);
        }
        assert_int_equal(facet_count(fy, NULL, reports[r].year), y);
        assert_int_equal(facet_count(fl, fz_level_name(reports[r].level), 0),
                         l);
        assert_int_equal(facet_count(fr, code[0] ? code : NULL, 0), g);
    }
    print_message("%-10s %-16s %zu reports\n", query, filter, n);
    assert_int_equal(sum_y, n);
    assert_int_equal(sum_l, n);
    assert_int_equal(sum_r, n);
    cJSON_Delete(j);
}

static void test_facets(void **state)
{
    (void)state;
    for (size_t qi = 0; qi < sizeof compare_queries / sizeof *compare_queries;
         qi++) {
        check_facets(compare_queries[qi], "", NULL, 2);
        check_facets(compare_queries[qi], "--by-report", NULL, 2);
        check_facets(compare_queries[qi], "--region 广东", "44", 4);
        check_facets(compare_queries[qi], "--region 深圳", "4403", 6);
    }
}

/* ---- more like this --------------------------------------------------------- */

static void test_like(void **state)
{
    (void)state;
    /* from a passage: others only, one per report */
    cJSON *j = fzsearch_json("-n 1 --region 罗湖", "行政复议");
    const cJSON *h = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hits"), 0);
    char id[64], rid[32];
    snprintf(id, sizeof id, "%s",
             jstr(cJSON_GetObjectItem(h, "passage"), "id"));
    snprintf(rid, sizeof rid, "%s",
             jstr(cJSON_GetObjectItem(h, "report"), "id"));
    cJSON_Delete(j);
    char o[256];
    snprintf(o, sizeof o, "-n 100 --like %s", id);
    j = fzsearch_json(o, "");
    const cJSON *hits = cJSON_GetObjectItem(j, "hits");
    assert_true(cJSON_GetArraySize(hits) > 10);
    const cJSON *like = cJSON_GetObjectItem(j, "like");
    assert_string_equal(jstr(cJSON_GetObjectItem(like, "passage"), "id"), id);
    for (int a = 0; a < cJSON_GetArraySize(hits); a++) {
        const char *ra = jstr(cJSON_GetObjectItem(
            cJSON_GetArrayItem(hits, a), "report"), "id");
        assert_string_not_equal(ra, rid);
        for (int b = 0; b < a; b++)
            assert_string_not_equal(ra, jstr(cJSON_GetObjectItem(
                cJSON_GetArrayItem(hits, b), "report"), "id"));
    }
    cJSON_Delete(j);

    /* a passage indexed twice under two reports: the twin comes first */
    char twin[512], cmd[8192];
    snprintf(twin, sizeof twin, "%s/twin", db);
    mkdir(twin, 0755);
    j = fzsearch_json("-n 1 --region 海珠", "行政复议");
    h = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hits"), 0);
    const char *text = jstr(cJSON_GetObjectItem(h, "passage"), "text");
    snprintf(id, sizeof id, "%s",
             jstr(cJSON_GetObjectItem(h, "passage"), "id"));
    snprintf(cmd, sizeof cmd, "%s/twin/某县2023年法治政府建设年度报告.txt", db);
    FILE *f = fopen(cmd, "w");
    assert_non_null(f);
    fprintf(f, "某县人民政府2023年法治政府建设年度报告\n\n%s\n", text);
    fclose(f);
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --db %s/idx %s", bin, db, twin);
    assert_int_equal(run(cmd, NULL), 0);
    snprintf(o, sizeof o, "-n 3 --like %s", id);
    j = fzsearch_json(o, "");
    h = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hits"), 0);
    assert_non_null(strstr(jstr(cJSON_GetObjectItem(h, "report"), "path"),
                           "/twin/"));
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s/fzindex -q --db %s/idx --remove %s", bin,
             db, twin);
    assert_int_equal(run(cmd, NULL), 0);

    /* an unknown id: one clear line, exit 2 */
    char *out = fzsearch("--like 0123456789abcdef-1 2>&1", "", 2);
    assert_non_null(strstr(out, "0123456789abcdef-1"));
    assert_null(strchr(strchr(out, '\n') + 1, '\n'));
    free(out);
}


/* ---- where the terms meet ------------------------------------------------------ */

/* Sentence ends in folded text, as the README states them: 。 ! ? ; and
 * line breaks (fullwidth ！？； fold to these). */
static int sentence_end(const char *p, size_t *len)
{
    static const char *const ends[] = {
        "。", "!", "?", ";", "\n", "\r", "\v", "\f", "\xc2\x85",
        "\xe2\x80\xa8", "\xe2\x80\xa9", "！", "？", "；", "｡",
    };
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
        if (strncmp(p, ends[k], strlen(ends[k])) == 0) {
            *len = strlen(ends[k]);
            return 1;
        }
    return 0;
}

/* Whether some sentence of s holds every one of terms[0,n). */
static int sentence_has_all(const char *s, char *const *terms, size_t n)
{
    const char *start = s;
    for (const char *p = s;; p++) {
        size_t el = 0;
        if (*p == '\0' || sentence_end(p, &el)) {
            size_t len = (size_t)(p - start);
            char *sent = strndup(start, len);
            int all = 1;
            for (size_t k = 0; k < n && all; k++)
                all = strstr(sent, terms[k]) != NULL;
            free(sent);
            if (all)
                return 1;
            if (*p == '\0')
                return 0;
            p += el - 1;
            start = p + 1;
        }
    }
}

/* The smallest gap in code points between an occurrence of a and one of
 * b in s (overlapping or touching: 0); -1 when either is absent. */
static long near_gap(const char *s, const char *a, const char *b)
{
    long best = -1;
    size_t la = fz_utf8_count(a, strlen(a)), lb = fz_utf8_count(b, strlen(b));
    for (const char *p = s; (p = strstr(p, a)) != NULL; p++) {
        long as = (long)fz_utf8_count(s, (size_t)(p - s));
        long ae = as + (long)la;
        for (const char *r = s; (r = strstr(r, b)) != NULL; r++) {
            long bs = (long)fz_utf8_count(s, (size_t)(r - s));
            long be = bs + (long)lb;
            if (p == r && strcmp(a, b) == 0)
                continue;       /* an occurrence is not near itself */
            long gap = (as > bs ? as : bs) - (ae < be ? ae : be);
            if (gap < 0)
                gap = 0;
            if (best < 0 || gap < best)
                best = gap;
        }
    }
    return best;
}

static const char *const pairs[][2] = {
    { "行政复议", "应诉" }, { "依法", "行政" }, { "法治", "政府" },
    { "改革", "开放" }, { "经济", "增长" }, { "人民", "政府" },
    { "执法", "监督" }, { "农业", "粮食" }, { "教育", "科技" },
    { "规范性文件", "备案" }, { "法律", "顾问" }, { "社会", "主义" },
};

static void test_within(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        char *t[2];
        for (int i = 0; i < 2; i++)
            t[i] = fz_norm_str(tc.norm, pairs[k][i], strlen(pairs[k][i]));
        size_t in_passage = 0, in_sentence = 0, in_reports = 0;
        unsigned char has[200][2];
        memset(has, 0, sizeof has);
        for (size_t i = 0; i < nps; i++) {
            int a = strstr(ps[i].norm, t[0]) != NULL;
            int b = strstr(ps[i].norm, t[1]) != NULL;
            has[ps[i].report][0] |= a;
            has[ps[i].report][1] |= b;
            in_passage += a && b;
            in_sentence += a && b && sentence_has_all(ps[i].norm, t, 2);
        }
        for (size_t r = 0; r < nreports; r++)
            in_reports += has[r][0] && has[r][1];
        char query[256];
        snprintf(query, sizeof query, "%s %s", pairs[k][0], pairs[k][1]);
        print_message("%-18s passage %4zu sentence %4zu report %3zu\n",
                      query, in_passage, in_sentence, in_reports);
        assert_int_equal(count("", query), in_passage);
        assert_int_equal(count("--within passage", query), in_passage);
        assert_int_equal(count("--within sentence", query), in_sentence);
        assert_int_equal(count("--within report", query), in_reports);
        /* --within report: those very reports, each once */
        cJSON *j = fzsearch_json("--within report -n 200", query);
        const cJSON *h;
        unsigned char seen[200] = { 0 };
        cJSON_ArrayForEach(h, cJSON_GetObjectItem(j, "hits")) {
            size_t r = report_of(cJSON_GetObjectItem(h, "report"));
            assert_true(has[r][0] && has[r][1]);
            assert_false(seen[r]++);
            /* its best passage holds at least one of the terms */
            const char *text = jstr(cJSON_GetObjectItem(h, "passage"), "text");
            char *n = fz_norm_str(tc.norm, text, strlen(text));
            assert_true(strstr(n, t[0]) || strstr(n, t[1]));
            free(n);
        }
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "hits")),
                         in_reports);
        cJSON_Delete(j);
        /* NEAR/k for a few k */
        static const unsigned ks[] = { 0, 1, 5, 20 };
        for (size_t ki = 0; ki < 4; ki++) {
            size_t want = 0;
            for (size_t i = 0; i < nps; i++) {
                long g = near_gap(ps[i].norm, t[0], t[1]);
                want += g >= 0 && g <= (long)ks[ki];
            }
            snprintf(query, sizeof query, "%s NEAR/%u %s", pairs[k][0],
                     ks[ki], pairs[k][1]);
            assert_int_equal(count("", query), want);
        }
        free(t[0]);
        free(t[1]);
    }
}

/* ---- citation lists ------------------------------------------------------------ */

/* A reference list is of reports: those --by-report finds with the same
 * options, in its order, each once, quoted by its best passage (the one
 * --by-report shows). */
static void test_cite_reports(void **state)
{
    (void)state;
    static const char *const opts[] = { "-n 20", "--by-report -n 30",
                                        "--compare", "-n 15 --year 2020..2024" };
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        char jo[256];
        snprintf(jo, sizeof jo, "%s --by-report", opts[k]);
        cJSON *j = fzsearch_json(jo, "行政复议");
        const cJSON *hits = cJSON_GetObjectItem(j, "hits"), *h;
        const char *order[200];
        size_t quotes[200], n = 0;
        cJSON_ArrayForEach(h, hits) {
            const char *t = jstr(cJSON_GetObjectItem(h, "report"), "title");
            size_t i = 0;
            while (i < n && strcmp(order[i], t) != 0)
                i++;
            if (i == n) {
                order[n] = t;
                quotes[n++] = 0;
            }
            quotes[i]++;
        }
        char o[256];
        snprintf(o, sizeof o, "%s --cite csl-json --accessed 2026-01-02",
                 opts[k]);
        char *out = fzsearch(o, "行政复议", 0);
        cJSON *items = cJSON_Parse(out);
        assert_non_null(items);
        assert_int_equal(cJSON_GetArraySize(items), n);
        for (size_t i = 0; i < n; i++) {
            const cJSON *it = cJSON_GetArrayItem(items, (int)i);
            assert_string_equal(jstr(it, "title"), order[i]);
            const char *note = jstr(it, "note");
            /* every quoted passage is in the note */
            size_t found = 0;
            cJSON_ArrayForEach(h, hits) {
                const cJSON *r = cJSON_GetObjectItem(h, "report");
                if (strcmp(jstr(r, "title"), order[i]) != 0)
                    continue;
                const char *t = jstr(cJSON_GetObjectItem(h, "passage"),
                                     "text");
                char head[64];
                snprintf(head, sizeof head, "%.*s",
                         (int)fz_utf8_prefix(t, strlen(t), 12), t);
                found += strstr(note, head) != NULL;
            }
            assert_int_equal(found, quotes[i]);
        }
        print_message("%-26s %zu reports cited\n", opts[k], n);
        cJSON_Delete(items);
        free(out);
        /* GB/T 7714: one numbered entry per report */
        snprintf(o, sizeof o, "%s --cite --accessed 2026-01-02", opts[k]);
        out = fzsearch(o, "行政复议", 0);
        size_t entries = 0;
        for (char *l = out; l; l = strchr(l, '\n')) {
            if (*l == '\n')
                l++;
            char want[16];
            snprintf(want, sizeof want, "[%zu] ", entries + 1);
            entries += strncmp(l, want, strlen(want)) == 0;
        }
        assert_int_equal(entries, n);
        free(out);
        cJSON_Delete(j);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_groups),
        cmocka_unit_test(test_compare_tables),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_within),
        cmocka_unit_test(test_cite_reports),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
