/* End to end: the exports a researcher opens, on corpus/ indexed by
 * fzindex and on a report written here whose text holds every character
 * that breaks a table (| * _ [ ] < > # \ ` ~ & " ,).  Each export is read
 * back by a reader that shares no code with fzsearch and compared, cell by
 * cell, with what --json says of the same hits: --format csv by Python's
 * csv module, --format xlsx by tests/tools/xlsx_cells.py (zipfile and
 * ElementTree over the workbook's XML), --format markdown by
 * tests/tools/md_tables.py (GFM's table and escape rules).  The columns'
 * values are worked from the JSON fields here; the region chain is also
 * checked against the reports' metadata read by the library
 * (tests/searchfixture.h). */
#include "tests/searchfixture.h"

#include <math.h>

enum { NCOL = 14 };

/* The columns every table format promises (README "fzsearch"). */
static const char *const cols[NCOL] = {
    "rank", "region", "level", "year", "date", "title", "issuer", "section",
    "page", "passage", "url", "score", "report_id", "passage_id",
};

/* Which are numbers in a workbook: rank, year, page, score. */
static int numeric(int c)
{
    return c == 0 || c == 3 || c == 8 || c == 11;
}

static char hdb[600];                   /* the hostile report's index */

static int setup_all(void **state)
{
    if (setup(state) != 0)
        return -1;
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/hostile", db);
    snprintf(hdb, sizeof hdb, "%s/hidx", db);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/r.txt", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("某县人民政府2023年法治政府建设年度报告\n\n"
          "一、推进*依法*行政|公开\n"
          "行政复议案件办理中，坚持\"公开|公正\"原则，对*重点*案件、"
          "_专项_案件、[示范](http://x.org)案件、<b>标签</b>案件、"
          "#话题案件、`代码`案件、~删除~案件、a\\b路径与A&amp;B案件，"
          "统一公开。\n"
          "二、第二段\n"
          "行政复议 | 表格 | 分隔 || 双竖线，逗号,引号\"\" 结尾\\\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/r.json", dir);
    if ((f = fopen(path, "w")) == NULL)
        return -1;
    fputs("{\"url\":\"http://example.org/a_b?x=1|2\",\"date\":"
          "\"2024-02-29\"}", f);
    fclose(f);
    return test_sh("%s/fzindex -q --db %s %s", bin, hdb, dir) == 0 ? 0 : -1;
}

/* ---- running fzsearch ---------------------------------------------------- */

/* Output of "fzsearch --db idx opts -- 'query' | pipe" (idx: the corpus's
 * index, or hdb when hostile), its exit status checked: 0 or 1. */
static char *fzsearch(int hostile, const char *opts, const char *query,
                      const char *pipe)
{
    char cmd[8192], dbdir[700];
    struct fz_buf out = FZ_BUF_INIT;
    snprintf(dbdir, sizeof dbdir, "%s", hostile ? hdb : db);
    if (!hostile)
        strcat(dbdir, "/idx");
    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s %s %s%s%s%s%s", bin,
             dbdir, opts, *query ? "-- '" : "", query, *query ? "'" : "",
             pipe ? " | " : "", pipe ? pipe : "");
    int st = run(cmd, &out);
    if (st != 0 && st != 1)
        fail_msg("%s: exit %d", cmd, st);
    return fz_buf_detach(&out, NULL);
}

static cJSON *parse(char *s)
{
    cJSON *j = cJSON_Parse(s);
    if (j == NULL)
        fail_msg("not JSON: %.300s", s);
    free(s);
    return j;
}

static cJSON *fzjson(int hostile, const char *opts, const char *query)
{
    char o[1024];
    snprintf(o, sizeof o, "--json %s", opts);
    return parse(fzsearch(hostile, o, query, NULL));
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---- what each cell must be, from the --json hit ------------------------- */

static void join(char *out, size_t cap, const cJSON *arr)
{
    const cJSON *s;
    out[0] = '\0';
    cJSON_ArrayForEach(s, arr) {
        if (out[0])
            strncat(out, " › ", cap - strlen(out) - 1);
        strncat(out, s->valuestring, cap - strlen(out) - 1);
    }
}

/* The report in the fixture with this title and year: its region chain,
 * as the library read it. */
static const char *fixture_chain(const cJSON *r)
{
    const cJSON *y = cJSON_GetObjectItem(r, "year");
    for (size_t i = 0; i < nreports; i++)
        if (reports[i].title && !strcmp(reports[i].title, jstr(r, "title"))
            && reports[i].year == (cJSON_IsNumber(y) ? y->valueint : 0))
            return reports[i].chain;
    return NULL;
}

/* want[c]: the text of each column for hit h ("" when unknown); num[c]:
 * the number of a numeric column (NAN when empty). */
static void want_cells(const cJSON *h, char want[NCOL][8192], double num[NCOL])
{
    const cJSON *p = cJSON_GetObjectItem(h, "passage");
    const cJSON *r = cJSON_GetObjectItem(h, "report");
    const cJSON *v;
    for (int c = 0; c < NCOL; c++) {
        want[c][0] = '\0';
        num[c] = NAN;
    }
    num[0] = cJSON_GetObjectItem(h, "rank")->valuedouble;
    snprintf(want[0], 8192, "%d", (int)num[0]);
    join(want[1], 8192, cJSON_GetObjectItem(r, "region"));
    /* a national report: the name --compare gives its group */
    if (!want[1][0] && !strcmp(jstr(r, "level"), "national"))
        snprintf(want[1], 8192, "全国");
    const char *chain = fixture_chain(r);
    if (chain && chain[0])
        assert_string_equal(want[1], chain);
    snprintf(want[2], 8192, "%s", jstr(r, "level"));
    if (cJSON_IsNumber(v = cJSON_GetObjectItem(r, "year"))) {
        num[3] = v->valuedouble;
        snprintf(want[3], 8192, "%d", v->valueint);
    }
    snprintf(want[4], 8192, "%s", jstr(r, "date"));
    snprintf(want[5], 8192, "%s", jstr(r, "title"));
    snprintf(want[6], 8192, "%s", jstr(r, "issuer"));
    join(want[7], 8192, cJSON_GetObjectItem(p, "section"));
    if (cJSON_IsNumber(v = cJSON_GetObjectItem(p, "page"))) {
        num[8] = v->valuedouble;
        snprintf(want[8], 8192, "%d", v->valueint);
    }
    snprintf(want[9], 8192, "%s", jstr(p, "text"));
    snprintf(want[10], 8192, "%s", jstr(r, "url"));
    num[11] = cJSON_GetObjectItem(h, "score")->valuedouble;
    snprintf(want[11], 8192, "%.17g", num[11]);
    snprintf(want[12], 8192, "%s", jstr(r, "id"));
    snprintf(want[13], 8192, "%s", jstr(p, "id"));
}

/* ---- CSV ----------------------------------------------------------------- */

#define CSV_READ "python3 -c 'import csv, json, io, sys; " \
    "print(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, " \
    "encoding=\"utf-8\", newline=\"\")))))'"

static void check_csv(int hostile, const char *opts, const char *query)
{
    char o[1024];
    cJSON *j = fzjson(hostile, opts, query);
    const cJSON *hits = cJSON_GetObjectItem(j, "hits");
    snprintf(o, sizeof o, "--format csv %s", opts);
    cJSON *csv = parse(fzsearch(hostile, o, query, CSV_READ));
    print_message("csv  %-28s %-8s %d rows\n", opts, query,
                  cJSON_GetArraySize(hits));
    assert_int_equal(cJSON_GetArraySize(csv), cJSON_GetArraySize(hits) + 1);
    const cJSON *head = cJSON_GetArrayItem(csv, 0);
    assert_int_equal(cJSON_GetArraySize(head), NCOL);
    for (int c = 0; c < NCOL; c++)
        assert_string_equal(cJSON_GetArrayItem(head, c)->valuestring,
                            cols[c]);
    static char want[NCOL][8192];
    double num[NCOL];
    for (int i = 0; i < cJSON_GetArraySize(hits); i++) {
        const cJSON *row = cJSON_GetArrayItem(csv, i + 1);
        want_cells(cJSON_GetArrayItem(hits, i), want, num);
        assert_int_equal(cJSON_GetArraySize(row), NCOL);
        for (int c = 0; c < NCOL; c++) {
            const char *got = cJSON_GetArrayItem(row, c)->valuestring;
            if (c == 11)            /* the same number, as written */
                assert_true(strtod(got, NULL) == num[11]);
            else
                assert_string_equal(got, want[c]);
        }
    }
    cJSON_Delete(csv);
    cJSON_Delete(j);
}

static void test_csv(void **state)
{
    (void)state;
    check_csv(0, "-n 20", "行政复议");
    check_csv(0, "-n 0 --compare", "行政复议");
    check_csv(0, "--by-report -n 0", "复议");
    check_csv(0, "--offset 5 -n 5 --region 深圳", "法治");
    check_csv(1, "", "行政复议");

    /* --bom: the same bytes after EF BB BF */
    char *plain = fzsearch(0, "--format csv -n 5", "行政复议", NULL);
    char *bom = fzsearch(0, "--format csv --bom -n 5", "行政复议", NULL);
    assert_memory_equal(bom, "\xEF\xBB\xBF", 3);
    assert_string_equal(bom + 3, plain);
    assert_true(strncmp(plain, "rank,", 5) == 0);
    free(plain);
    free(bom);

    /* RFC 4180 on the hostile report: CRLF after every record, a field
     * with a quote quoted and the quote doubled */
    char *out = fzsearch(1, "--format csv", "双竖线", NULL);
    const char *nl = strchr(out, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[-1], '\r');
    assert_non_null(strstr(out, ",\"行政复议 | 表格 | 分隔 || 双竖线，逗号,"
                                "引号\"\"\"\" 结尾\\\","));
    free(out);
}

/* --count --facets --format csv: the facets' table and the total equal
 * --json's facets and --count. */
static void test_csv_count_facets(void **state)
{
    (void)state;
    static const char *const opts[] = { "", "--by-report", "--region 广东" };
    for (size_t k = 0; k < 3; k++) {
        char o[512];
        cJSON *j = fzjson(0, opts[k][0] ? opts[k] : "-n 1", "依法行政");
        snprintf(o, sizeof o, "--json --facets year,level,region -n 1 %s",
                 opts[k]);
        cJSON *jf = parse(fzsearch(0, o, "依法行政", NULL));
        snprintf(o, sizeof o, "--count --format csv --facets "
                 "year,level,region %s", opts[k]);
        cJSON *csv = parse(fzsearch(0, o, "依法行政", CSV_READ));
        const cJSON *head = cJSON_GetArrayItem(csv, 0);
        static const char *const fh[] = { "facet", "value", "name",
                                          "count" };
        for (int c = 0; c < 4; c++)
            assert_string_equal(cJSON_GetArrayItem(head, c)->valuestring,
                                fh[c]);
        int row = 1;
        const cJSON *facets = cJSON_GetObjectItem(jf, "facets"), *f, *e;
        cJSON_ArrayForEach(f, facets) {
            cJSON_ArrayForEach(e, f) {
                const cJSON *r = cJSON_GetArrayItem(csv, row++);
                const cJSON *v = cJSON_GetObjectItem(e, "value");
                char val[64] = "";
                if (cJSON_IsNumber(v))
                    snprintf(val, sizeof val, "%d", v->valueint);
                else if (cJSON_IsString(v))
                    snprintf(val, sizeof val, "%s", v->valuestring);
                assert_string_equal(cJSON_GetArrayItem(r, 0)->valuestring,
                                    f->string);
                assert_string_equal(cJSON_GetArrayItem(r, 1)->valuestring,
                                    val);
                if (cJSON_GetObjectItem(e, "name"))
                    assert_string_equal(
                        cJSON_GetArrayItem(r, 2)->valuestring,
                        jstr(e, "name"));
                assert_int_equal(
                    atoi(cJSON_GetArrayItem(r, 3)->valuestring),
                    cJSON_GetObjectItem(e, "reports")->valueint);
            }
        }
        /* the last row: the total, in the unit --json names */
        const cJSON *t = cJSON_GetArrayItem(csv, row);
        assert_int_equal(cJSON_GetArraySize(csv), row + 1);
        assert_string_equal(cJSON_GetArrayItem(t, 0)->valuestring, "total");
        assert_string_equal(cJSON_GetArrayItem(t, 1)->valuestring,
                            jstr(j, "unit"));
        assert_int_equal(atoi(cJSON_GetArrayItem(t, 3)->valuestring),
                         cJSON_GetObjectItem(j, "total")->valueint);
        assert_int_equal(atoi(cJSON_GetArrayItem(t, 3)->valuestring),
                         count(opts[k], "依法行政"));
        print_message("csv facets %-12s %d rows, total %s\n", opts[k], row,
                      cJSON_GetArrayItem(t, 3)->valuestring);
        cJSON_Delete(csv);
        cJSON_Delete(jf);
        cJSON_Delete(j);
    }
}

/* ---- xlsx ---------------------------------------------------------------- */

/* One cell of xlsx_cells.py's rows equals the column's value. */
static void check_xcell(const cJSON *cell, int c, const char *want,
                        double num)
{
    if (!want[0]) {
        assert_true(cJSON_IsNull(cell) || cell == NULL);
    } else if (numeric(c)) {
        const cJSON *n = cJSON_GetObjectItem(cell, "n");
        assert_non_null(n);
        assert_true(n->valuedouble == num);
    } else if (c == 4) {
        assert_string_equal(jstr(cell, "date"), want);
    } else {
        assert_string_equal(jstr(cell, "s"), want);
    }
}

static cJSON *read_xlsx(const char *path)
{
    char cmd[1024];
    struct fz_buf out = FZ_BUF_INIT;
    snprintf(cmd, sizeof cmd, "python3 tests/tools/xlsx_cells.py %s", path);
    assert_int_equal(run(cmd, &out), 0);
    return parse(fz_buf_detach(&out, NULL));
}

static void check_xlsx(int hostile, const char *opts, const char *query,
                       int to_file)
{
    char o[1024], path[700];
    snprintf(path, sizeof path, "%s/hits.xlsx", db);
    unlink(path);
    cJSON *j = fzjson(hostile, opts, query);
    const cJSON *hits = cJSON_GetObjectItem(j, "hits");
    char redirect[800];
    snprintf(redirect, sizeof redirect, "cat > %s", path);
    if (to_file) {
        snprintf(o, sizeof o, "--format xlsx -o %s %s", path, opts);
        char *out = fzsearch(hostile, o, query, NULL);
        assert_string_equal(out, "");       /* nothing on stdout */
        free(out);
    } else {
        snprintf(o, sizeof o, "--format xlsx %s", opts);
        free(fzsearch(hostile, o, query, redirect));
    }
    cJSON *x = read_xlsx(path);
    const cJSON *sheets = cJSON_GetObjectItem(x, "sheets");
    const cJSON *rows = cJSON_GetObjectItem(sheets, "hits");
    print_message("xlsx %-28s %-8s %d rows%s\n", opts, query,
                  cJSON_GetArraySize(hits), to_file ? " (-o)" : "");
    assert_int_equal(cJSON_GetArraySize(rows), cJSON_GetArraySize(hits) + 1);
    for (int c = 0; c < NCOL; c++)
        assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetArrayItem(
            rows, 0), c), "s"), cols[c]);
    static char want[NCOL][8192];
    double num[NCOL];
    for (int i = 0; i < cJSON_GetArraySize(hits); i++) {
        const cJSON *row = cJSON_GetArrayItem(rows, i + 1);
        want_cells(cJSON_GetArrayItem(hits, i), want, num);
        assert_true(cJSON_GetArraySize(row) <= NCOL);
        for (int c = 0; c < NCOL; c++)
            check_xcell(cJSON_GetArrayItem(row, c), c, want[c], num[c]);
    }
    /* the facets sheet: --json's facets, row by row */
    const cJSON *facets = cJSON_GetObjectItem(j, "facets");
    const cJSON *fsheet = cJSON_GetObjectItem(sheets, "facets");
    assert_int_equal(facets != NULL, fsheet != NULL);
    if (facets) {
        int row = 1;
        const cJSON *f, *e;
        cJSON_ArrayForEach(f, facets) {
            cJSON_ArrayForEach(e, f) {
                const cJSON *r = cJSON_GetArrayItem(fsheet, row++);
                const cJSON *v = cJSON_GetObjectItem(e, "value");
                assert_string_equal(jstr(cJSON_GetArrayItem(r, 0), "s"),
                                    f->string);
                if (cJSON_IsNumber(v))
                    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(
                        r, 1), "n")->valuedouble == v->valuedouble);
                else if (cJSON_IsString(v))
                    assert_string_equal(jstr(cJSON_GetArrayItem(r, 1), "s"),
                                        v->valuestring);
                else
                    assert_true(cJSON_IsNull(cJSON_GetArrayItem(r, 1)));
                if (cJSON_GetObjectItem(e, "name"))
                    assert_string_equal(jstr(cJSON_GetArrayItem(r, 2), "s"),
                                        jstr(e, "name"));
                assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(r, 3),
                                                "n")->valuedouble
                            == cJSON_GetObjectItem(e, "reports")
                               ->valuedouble);
            }
        }
        assert_int_equal(cJSON_GetArraySize(fsheet), row);
    }
    cJSON_Delete(x);
    cJSON_Delete(j);
}

static void test_xlsx(void **state)
{
    (void)state;
    check_xlsx(0, "-n 20", "行政复议", 0);
    check_xlsx(0, "-n 0 --compare --facets year,level,region", "行政复议", 0);
    check_xlsx(0, "--by-report -n 0 --facets region,year", "复议", 1);
    check_xlsx(0, "-n 0 --year 1954..1960", "人民", 0);
    check_xlsx(1, "--facets level", "行政复议", 1);
    check_xlsx(0, "", "量子纠缠", 0);           /* no hit: the header */

    /* the hostile report's date, 2024-02-29, is a date cell */
    char path[700];
    snprintf(path, sizeof path, "%s/hits.xlsx", db);
    check_xlsx(1, "-n 1", "双竖线", 0);
    cJSON *x = read_xlsx(path);
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(x, "sheets"), "hits"), 1);
    assert_string_equal(jstr(cJSON_GetArrayItem(row, 4), "date"),
                        "2024-02-29");
    cJSON_Delete(x);
}

/* xlsx is never written to a terminal; -o to a folder that is not there:
 * one line, exit 2, nothing on stdout. */
static void test_xlsx_refused(void **state)
{
    (void)state;
    char cmd[8192];
    struct fz_buf out = FZ_BUF_INIT;
    /* a pseudo-terminal as stdout (Python's pty), stderr kept a pipe */
    snprintf(cmd, sizeof cmd, "python3 -c 'import os, pty, sys; "
             "e = os.dup(2); pid, fd = pty.fork()\nif pid == 0:\n"
             "  os.dup2(e, 2); os.execv(sys.argv[1], sys.argv[1:])\nbuf = b\"\"\nwhile True:\n  try: d = "
             "os.read(fd, 4096)\n  except OSError: break\n  if not d: break\n"
             "  buf += d\nst = os.waitpid(pid, 0)[1]\nsys.stderr.write("
             "\"stdout %%d bytes\\n\" %% len(buf))\nsys.exit("
             "os.waitstatus_to_exitcode(st))' %s/fzsearch --db %s/idx "
             "--format xlsx 行政复议 2>&1", bin, db);
    assert_int_equal(run(cmd, &out), 2);
    const char *s = fz_buf_cstr(&out);
    print_message("on a terminal: %s", s);
    assert_non_null(strstr(s, "fzsearch: --format xlsx"));
    assert_non_null(strstr(s, "stdout 0 bytes\n"));
    fz_buf_reset(&out);

    snprintf(cmd, sizeof cmd, "%s/fzsearch --db %s/idx --format xlsx -o "
             "%s/no/such/dir/h.xlsx 行政复议 2>&1 >%s/stdout", bin, db, db,
             db);
    assert_int_equal(run(cmd, &out), 2);
    s = fz_buf_cstr(&out);
    print_message("-o in no folder: %s", s);
    assert_non_null(strstr(s, "no/such/dir/h.xlsx: "));
    assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
    snprintf(cmd, sizeof cmd, "%s/stdout", db);
    struct stat st;
    assert_int_equal(stat(cmd, &st), 0);
    assert_int_equal(st.st_size, 0);
    fz_buf_release(&out);
}

/* ---- markdown ------------------------------------------------------------ */

#define MD_READ "python3 tests/tools/md_tables.py"

/* Every row of every hits table has NCOL cells, and each cell, unescaped
 * by GFM's rules, is the column's value (the passage: a part of it). */
static void check_markdown(int hostile, const char *opts, const char *query)
{
    char o[1024];
    cJSON *j = fzjson(hostile, opts, query);
    const cJSON *hits = cJSON_GetObjectItem(j, "hits");
    snprintf(o, sizeof o, "--format markdown %s", opts);
    cJSON *md = parse(fzsearch(hostile, o, query, MD_READ));
    const cJSON *tables = cJSON_GetObjectItem(md, "tables"), *t, *r;
    const cJSON *facets = cJSON_GetObjectItem(j, "facets"), *f, *e;
    int ti = 0, hi = 0;
    /* the facets first, a table each: value (a region by name), reports */
    cJSON_ArrayForEach(f, facets) {
        t = cJSON_GetArrayItem(tables, ti++);
        assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(t, 0), 0)
                            ->valuestring, f->string);
        int k = 1;
        cJSON_ArrayForEach(e, f) {
            const cJSON *row = cJSON_GetArrayItem(t, k++);
            const cJSON *v = cJSON_GetObjectItem(e, "value");
            char label[64];
            if (cJSON_GetObjectItem(e, "name"))
                snprintf(label, sizeof label, "%s", jstr(e, "name"));
            else if (cJSON_IsNumber(v))
                snprintf(label, sizeof label, "%d", v->valueint);
            else
                snprintf(label, sizeof label, "%s", cJSON_IsString(v)
                         ? v->valuestring
                         : strcmp(f->string, "region") ? "unknown"
                                                       : "(none)");
            assert_string_equal(cJSON_GetArrayItem(row, 0)->valuestring,
                                label);
            assert_int_equal(atoi(cJSON_GetArrayItem(row, 1)->valuestring),
                             cJSON_GetObjectItem(e, "reports")->valueint);
        }
        assert_int_equal(cJSON_GetArraySize(t), k);
    }
    static char want[NCOL][8192];
    double num[NCOL];
    for (; (t = cJSON_GetArrayItem(tables, ti)) != NULL; ti++) {
        int first = 1;
        cJSON_ArrayForEach(r, t) {
            assert_int_equal(cJSON_GetArraySize(r), NCOL);
            if (first) {
                for (int c = 0; c < NCOL; c++)
                    assert_string_equal(cJSON_GetArrayItem(r, c)
                                        ->valuestring, cols[c]);
                first = 0;
                continue;
            }
            want_cells(cJSON_GetArrayItem(hits, hi++), want, num);
            for (int c = 0; c < NCOL; c++) {
                const char *got = cJSON_GetArrayItem(r, c)->valuestring;
                if (c == 11) {
                    assert_true(strtod(got, NULL) == num[11]);
                } else if (c == 9) {
                    /* a snippet: whole when short, else a part between
                     * ellipses; line breaks as spaces */
                    char part[8192];
                    const char *a = got, *z = got + strlen(got);
                    if (strncmp(a, "…", 3) == 0)
                        a += 3;
                    if (z - a >= 3 && strncmp(z - 3, "…", 3) == 0)
                        z -= 3;
                    snprintf(part, sizeof part, "%.*s", (int)(z - a), a);
                    for (char *s = want[9]; *s; s++)
                        if (*s == '\n' || *s == '\r')
                            *s = ' ';
                    assert_true(strlen(part) > 0);
                    if (a == got && z == got + strlen(got))
                        assert_string_equal(part, want[9]);
                    else
                        assert_non_null(strstr(want[9], part));
                } else {
                    assert_string_equal(got, want[c]);
                }
            }
        }
    }
    print_message("md   %-28s %-8s %d rows\n", opts, query, hi);
    assert_int_equal(hi, cJSON_GetArraySize(hits));
    cJSON_Delete(md);
    cJSON_Delete(j);
}

static void test_markdown(void **state)
{
    (void)state;
    check_markdown(1, "", "行政复议");
    check_markdown(1, "--compare --facets year,level", "公开");
    check_markdown(0, "-n 10 --facets year,level,region", "行政复议");
    check_markdown(0, "-n 0 --compare --region 广东", "复议");

    /* the raw lines: the hostile passage's | and * are escaped, so that a
     * renderer sees the cells above; the URL with a | is not a link */
    char *out = fzsearch(1, "--format markdown", "双竖线", NULL);
    assert_non_null(strstr(out, "行政复议 \\| 表格 \\| 分隔 \\|\\| **双竖线**，逗号,"
                                "引号\"\" 结尾\\\\ |"));
    assert_non_null(strstr(out, "| http://example.org/a\\_b?x=1\\|2 |"));
    free(out);
    out = fzsearch(1, "--format markdown", "代码", NULL);
    assert_non_null(strstr(out, "对\\*重点\\*案件、\\_专项\\_案件、\\[示范\\]"
                                "(http://x.org)案件、\\<b\\>标签\\</b\\>案件、"
                                "\\#话题案件、\\`**代码**\\`案件、\\~删除\\~"
                                "案件、a\\\\b路径与A\\&amp;B案件"));
    free(out);
}

/* ---- --like in JSON ------------------------------------------------------ */

/* The names of o's members, in order, joined by commas. */
static void keys(const cJSON *o, char *out, size_t cap)
{
    const cJSON *e;
    out[0] = '\0';
    cJSON_ArrayForEach(e, o) {
        strncat(out, e->string, cap - strlen(out) - 1);
        strncat(out, ",", cap - strlen(out) - 1);
    }
}

/* "like" is a hit: the same passage and report members, with the
 * values --json gives the same passage as a hit. */
static void test_like_json(void **state)
{
    (void)state;
    cJSON *j = fzjson(0, "-n 1 --region 罗湖", "行政复议");
    const cJSON *hit = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hits"), 0);
    char o[256], a[512], b[512];
    snprintf(o, sizeof o, "--like %s -n 3", jstr(cJSON_GetObjectItem(
        hit, "passage"), "id"));
    cJSON *l = fzjson(0, o, "");
    assert_int_equal(cJSON_GetObjectItem(l, "schema")->valueint, 2);
    const cJSON *like = cJSON_GetObjectItem(l, "like");
    const cJSON *h0 = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "hits"), 0);
    static const char *const parts[] = { "passage", "report" };
    for (int k = 0; k < 2; k++) {
        keys(cJSON_GetObjectItem(like, parts[k]), a, sizeof a);
        keys(cJSON_GetObjectItem(h0, parts[k]), b, sizeof b);
        assert_string_equal(a, b);
        /* the same values as the passage found as a hit, highlights
         * apart (none: the example matched no words) */
        cJSON *x = cJSON_Duplicate(cJSON_GetObjectItem(hit, parts[k]), 1);
        cJSON *y = cJSON_Duplicate(cJSON_GetObjectItem(like, parts[k]), 1);
        cJSON_DeleteItemFromObject(x, "highlights");
        cJSON_DeleteItemFromObject(y, "highlights");
        assert_true(cJSON_Compare(x, y, 1));
        cJSON_Delete(x);
        cJSON_Delete(y);
    }
    assert_null(cJSON_GetObjectItem(like, "p"));
    assert_null(cJSON_GetObjectItem(like, "r"));
    cJSON_Delete(l);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_count_facets),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_xlsx_refused),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_like_json),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown);
}
