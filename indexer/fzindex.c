/* fzindex - add report files to an fz index.
 *
 * Reads .txt, .htm/.html and .jsonl files (folders recursively), runs each
 * report through the text pipeline and stores one Xapian document per
 * passage (store/schema.h).  Unchanged files are skipped by content hash;
 * a changed file replaces its reports; each report is one transaction.
 *
 * This file is the options and main(); the work is done by
 *   walk.c      the files to read (folders walked, links checked)
 *   document.c  a file's reports turned into documents (stored record)
 *   shards.c    the index folder: stub, shards, routing, writing, commit
 *   pipeline.c  the threads that read and write
 *   remove.c    --remove
 *   compact.c   --compact and --freeze
 *   run.c       what they share: settings, warnings, counts */
#include "base/fz.h"
#include "indexer/catalog.h"
#include "indexer/collection.h"
#include "indexer/compact.h"
#include "indexer/dict.h"
#include "indexer/pipeline.h"
#include "indexer/remove.h"
#include "indexer/run.h"
#include "indexer/shards.h"
#include "indexer/status.h"
#include "indexer/walk.h"
#include "reader/extract.h"
#include "shim/fzx.h"
#include "store/schema.h"
#include "text/html.h"

#include <errno.h>
#include <libxml/parser.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
"usage: fzindex [--db <dir>] [-j N] [--shards K | --shard-size N] <path>...\n"
"       fzindex [--db <dir>] --remove <path>...\n"
"       fzindex [--db <dir>] --compact | --freeze [<path>...]\n"
"       fzindex [--db <dir>] --status | --list\n"
"\n"
"Index report files for fzsearch: PDF, Word (.docx, .doc), WPS (.wps), OFD,\n"
"web pages (.htm/.html, .mht), text (UTF-8 or GB18030) and .jsonl (one\n"
"report per line: \"text\" or \"content\", and optional title, url, date,\n"
"year, issuer, region, level, source).  A file's content decides how it\n"
"is read.  Folders are read recursively (a file without an extension when\n"
"its content is one of these); what they hold besides is counted in one\n"
"line.  A NAME.json beside a report file gives its metadata, and is\n"
"never a report, however it is named.\n"
"\n"
"The index mirrors the folders it is given.  A report is its text: the\n"
"same text in two files is one report with two paths.  Unchanged files\n"
"are skipped; a moved or copied file is found by its content and not\n"
"read again; an edited file replaces its reports; the reports of files\n"
"that left a folder given are removed (files outside it are not\n"
"touched).  The summary counts reports indexed, files unchanged, moved,\n"
"duplicates, files with problems and reports removed.\n"
"\n"
"Inside a folder, symbolic links are followed only to files in it.  A\n"
"text or web page may be 16 MiB, a PDF, Word, WPS or OFD file 256 MiB, a\n"
".jsonl file 1 GiB and a record 16 MiB.\n"
"\n"
"An index is a folder holding shards (Xapian databases s0000, s0001, ...)\n"
"and the Xapian stub file " FZX_STUB_NAME " that lists them; fzsearch "
"opens it as\n"
"one.  A report lives in one shard (the one its id hashes to); -j\n"
"threads read, one writes.  Options may come before or after paths;\n"
"-- ends them.\n"
"\n"
"      --db <dir>     the index (default $FZ_DB, else $XDG_DATA_HOME/fz,\n"
"                     else ~/.local/share/fz); made if missing, never in\n"
"                     a folder holding other files\n"
"  -j, --jobs N       threads reading and writing (default: the number of\n"
"                     cores)\n"
"      --shards K     a new index gets K shards, each report going to the\n"
"                     one its id hashes to (default: as many as -j)\n"
"      --shard-size N a new index fills one shard until it holds N reports,\n"
"                     then starts the next\n"
"      --compact      afterwards (or alone), rewrite every shard with\n"
"                     Xapian's compactor: smaller and faster to search\n"
"      --freeze       compact, and make the index read-only (an archive);\n"
"                     an index written with --term-lists loses them:\n"
"                     about 45% smaller, searchable as before\n"
"      --term-lists   a new index keeps the term lists Xapian needs to\n"
"                     serve it with xapian-tcpsrv (its remote server reads\n"
"                     a document's values through them); about 1.8x the\n"
"                     size.  Without, shards have none (see README)\n"
"      --remove       remove the given files, or every file indexed under\n"
"                     the given folders, from the index (relative or\n"
"                     absolute; they need not exist any more): a report\n"
"                     goes with its last file\n"
"      --status       what the index holds: reports, passages, files,\n"
"                     shards, size on disk, last run\n"
"      --list         one JSON line per report: its metadata, path, paths\n"
"                     and passages\n"
"      --ocr          read scanned pages (no text layer) with Tesseract\n"
"                     (chi_sim, chi_tra): seconds a page\n"
"  -q, --quiet        no progress line and no summary\n"
"  -v, --verbose      name each file a folder walk skipped (the summary\n"
"                     counts them by kind)\n"
"  -h, --help         this help\n"
"      --version      fz's, the index layout's and Xapian's versions\n"
"\n"
"Environment: FZ_BATCH, passages per commit (default 20000): each commit\n"
"holds whole files, so an interrupted run keeps every file committed.\n"
"\n"
"Exit status: 0 every input indexed, 1 some inputs could not be indexed\n"
"(each named on stderr; the others were), 2 usage error or the index\n"
"could not be opened or written.\n";

static const char *prog = "fzindex";

/* "1 report", "2 reports": w is a string literal */
#define noun(n, w) ((n) == 1 ? w : w "s")

/* Set by on_signal(), read through run.interrupted by every thread: an
 * atomic, not a volatile sig_atomic_t, which is safe only within the
 * thread the signal interrupted (ThreadSanitizer saw the race). */
static atomic_int interrupted;
/* The index being written, for on_fatal(), which takes no argument:
 * set once in main() before anything is written. */
static const char *fatal_db;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&interrupted, 1);
}

/* Xapian cannot go on: a write failed where it cannot say so (shim/fzx.h,
 * fzx_on_fatal), most often on a full disk.  Every report committed
 * before is safe; say which file was under way, and why, in one line. */
static void on_fatal(void)
{
    int e = errno;
    const char *why = e ? strerror(e) : "unexpected error in Xapian";
    const char *file = fz_shards_writing();
    if (file)
        fprintf(stderr, "%s: %s: not indexed: cannot write %s (%s); the "
                "reports indexed before it are kept\n", prog, file,
                fatal_db, why);
    else
        fprintf(stderr, "%s: %s: cannot write the index (%s); the reports "
                "indexed before are kept\n", prog, fatal_db, why);
    _exit(2);
}

static int parse_count(const char *opt, const char *v, unsigned long max,
                       unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v ? v : "", &end, 10);
    if (v == NULL || !*v || *end || errno || n == 0 || n > max
        || v[0] == '-') {
        fprintf(stderr, "%s: %s needs a number from 1 to %lu, not '%s' "
                "(see %s --help)\n", prog, opt, max, v ? v : "", prog);
        return -1;
    }
    *out = n;
    return 0;
}

/* What main() was asked to do, from argv: options anywhere, "--" ends
 * them; the paths in order. */
struct args {
    const char *db;
    int remove, quiet, compact, freeze, verbose, ocr, status, list;
    int term_lists;
    char mode;
    unsigned long param, jobs;
    const char **paths;
    size_t n;
};

/* 0, or the exit status when main() should stop (help, version: 0 with
 * done set; a usage error: 2, said). */
static int parse_args(int argc, char **argv, struct args *A, int *done)
{
    int opts = 1;
    *done = 0;
    A->paths = calloc((size_t)argc + 1, sizeof *A->paths);
    if (A->paths == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!opts || a[0] != '-' || a[1] == '\0') {
            A->paths[A->n++] = a;
        } else if (strcmp(a, "--") == 0) {
            opts = 0;
        } else if (strcmp(a, "--db") == 0 && v) {
            A->db = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            A->db = a + 5;
        } else if (strcmp(a, "--remove") == 0) {
            A->remove = 1;
        } else if (strcmp(a, "--compact") == 0) {
            A->compact = 1;
        } else if (strcmp(a, "--term-lists") == 0) {
            A->term_lists = 1;
        } else if (strcmp(a, "--freeze") == 0) {
            A->compact = A->freeze = 1;
        } else if (strcmp(a, "--status") == 0) {
            A->status = 1;
        } else if (strcmp(a, "--list") == 0) {
            A->list = 1;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (parse_count(a, v, 256, &A->jobs) != 0)
                return 2;
            i++;
        } else if (strncmp(a, "-j", 2) == 0 && a[2] != '-') {
            if (parse_count("-j", a + 2, 256, &A->jobs) != 0)
                return 2;
        } else if (strcmp(a, "--shards") == 0
                   || strcmp(a, "--shard-size") == 0) {
            if (parse_count(a, v, a[7] == 's' ? 4096 : 1000000000UL,
                            &A->param) != 0)
                return 2;
            A->mode = a[7] == 's' ? 'k' : 'n';
            i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            A->quiet = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            A->verbose = 1;
        } else if (strcmp(a, "--ocr") == 0) {
            A->ocr = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            *done = 1;
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("fzindex (fz) %s; index layout %s, text pipeline %s; "
                   "Xapian %s\n", FZ_VERSION, FZ_SCHEMA_VERSION,
                   FZ_PIPELINE_VERSION, fzx_xapian_version());
            *done = 1;
            return 0;
        } else {
            int needs = strcmp(a, "--db") == 0;
            fprintf(stderr, "%s: %s '%s' (see %s --help)\n", prog,
                    needs ? "missing value for" : "unknown option", a, prog);
            return 2;
        }
    }
    const char *alone = A->status ? "--status" : A->list ? "--list" : NULL;
    if (alone && (A->n || A->remove || A->compact || A->term_lists
                  || (A->status && A->list))) {
        fprintf(stderr, "%s: %s goes alone (see %s --help)\n", prog, alone,
                prog);
        return 2;
    }
    if (A->n == 0 && !A->compact && !alone) {
        fprintf(stderr, "%s: no files or folders given (see %s --help)\n",
                prog, prog);
        return 2;
    }
    if (A->remove && A->n == 0) {
        fprintf(stderr, "%s: --remove needs files or folders (see %s "
                "--help)\n", prog, prog);
        return 2;
    }
    return 0;
}

/* The folders named on the command line, as real paths, and whether
 * walking each went without a problem: what fz_coll_prune() mirrors. */
struct root {
    char *dir;
    int ok;
};

int main(int argc, char **argv)
{
    struct args A;
    memset(&A, 0, sizeof A);
    int status = 0, opened = 0, done;
    setlocale(LC_ALL, "");
    fzx_writer_defaults();          /* before any thread */
    int rc = parse_args(argc, argv, &A, &done);
    if (rc != 0 || done) {
        free(A.paths);
        return rc;
    }
    if (A.jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        A.jobs = n > 0 ? (unsigned long)n : 1;
    }
    char *dbdir = A.db ? strdup(A.db) : fz_default_db();
    if (dbdir == NULL) {
        fprintf(stderr, "%s: no index folder: give --db or set FZ_DB\n",
                prog);
        free(A.paths);
        return 2;
    }
    struct fz_run run;
    fz_run_init(&run, prog, dbdir, &interrupted);
    run.extract.ocr = A.ocr;
    if (A.status || A.list) {
        status = A.status ? fz_status_print(&run, dbdir)
                          : fz_list_print(&run, dbdir);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            if (errno != EPIPE)
                fz_run_warn(&run, "stdout: %s", strerror(errno));
            status = errno == EPIPE ? status : 2;
        }
        fz_run_release(&run);
        free(dbdir);
        free(A.paths);
        return status;
    }
    const char *batch = getenv("FZ_BATCH");
    if (batch && strtoul(batch, NULL, 10) > 0)
        run.batch_passages = strtoul(batch, NULL, 10);
    if (A.compact && A.n == 0 && fzx_dir_holds(dbdir) == 0) {
        /* --compact or --freeze alone: on an index that exists */
        fz_run_warn(&run, "%s: no index here", dbdir);
        fz_run_release(&run);
        free(dbdir);
        free(A.paths);
        return 2;
    }
    fz_html_init();
    fz_extract_init();
    struct fz_stats *st = &run.st;
    struct fz_files fs = FZ_FILES_INIT;
    struct fz_catalog cat = FZ_CATALOG_INIT;
    struct fz_coll coll;
    struct fz_shards sh;
    struct root *roots = calloc(A.n + 1, sizeof *roots);
    size_t n_roots = 0, bad_args = 0;
    memset(&sh, 0, sizeof sh);
    memset(&coll, 0, sizeof coll);
    sh.dir = dbdir;
    char *err = NULL;
    if (roots == NULL) {
        fz_run_warn(&run, "out of memory");
        status = 2;
        goto out;
    }
    for (size_t k = 0; !A.remove && k < A.n; k++) {
        struct stat sb;
        int bad = fz_walk_collect(&run, &fs, A.paths[k]);
        if (bad && stat(A.paths[k], &sb) != 0)
            bad_args++;         /* not there: a problem of its own */
        status |= bad ? 1 : 0;
        if (stat(A.paths[k], &sb) == 0 && S_ISDIR(sb.st_mode)
            && (roots[n_roots].dir = realpath(A.paths[k], NULL)) != NULL)
            roots[n_roots++].ok = !bad;
    }
    fz_walk_dedupe(&fs);
    if (fz_shards_check_dir(&run, dbdir) != 0) {
        status = 2;
        goto out;
    }
    fatal_db = dbdir;
    fzx_on_fatal(on_fatal);
    run.term_lists = A.term_lists;
    if (fz_shards_open(&run, &sh, A.mode, A.param, A.jobs) != 0) {
        status = 2;
        goto out;
    }
    opened = 1;
    if (fz_catalog_load(&cat, sh.w[0], &err) != FZ_OK
        || fz_coll_init(&coll, &run, &sh, &cat) != FZ_OK) {
        fz_run_warn(&run, "%s: %s", dbdir, err ? err : "out of memory");
        status = 2;
        goto out;
    }
    if (A.remove) {
        for (size_t k = 0; k < A.n && status < 2; k++) {
            int r = fz_remove_path(&coll, A.paths[k], st);
            status = r > status ? r : status;
        }
        if (status < 2 && fz_coll_stamp(&coll, &err) != FZ_OK) {
            fz_run_warn(&run, "%s: %s", dbdir, err);
            status = 2;
        }
        if (status < 2 && fz_coll_commit(&coll) != 0)
            status = 2;
        if (status < 2 && fz_coll_finish(&coll) != 0)
            status = 2;
        goto out;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (fs.n && fz_dict_train(&run, &sh, &cat, &fs) != 0) {
        status = 2;
        goto out;
    }
    if (fs.n) {
        run.tty = !A.quiet && isatty(2);
        int r = fz_pipeline_run(&run, &coll, &fs, (unsigned)A.jobs);
        status = r > status ? r : status;
    }
    /* the folders mirrored: what left them leaves the index */
    for (size_t k = 0; k < n_roots && status < 2
                       && !fz_run_interrupted(&run); k++) {
        int r = fz_coll_prune(&coll, roots[k].dir, roots[k].ok, &fs, st);
        status = r > status ? r : status;
    }
    if (status < 2 && fz_coll_stamp(&coll, &err) != FZ_OK) {
        fz_run_warn(&run, "%s: %s", dbdir, err);
        status = 2;
    }
    if (status < 2 && fz_coll_commit(&coll) != 0)
        status = 2;
    if (status < 2 && !fz_run_interrupted(&run) && fz_coll_finish(&coll) != 0)
        status = 2;
out:
    if (sh.w && fz_shards_close(&sh, &err) != FZ_OK) {
        fz_run_warn(&run, "%s: %s", dbdir, err);
        status = 2;
    }
    if (!A.quiet && !A.remove && opened && A.n > 0)
        fprintf(stderr, "%s: %zu %s (%zu %s) indexed from %zu %s, %zu "
                "unchanged, %zu moved, %zu %s, %zu with problems, %zu %s "
                "removed\n", prog, st->reports, noun(st->reports, "report"),
                st->passages, noun(st->passages, "passage"), st->indexed,
                noun(st->indexed, "file"), st->unchanged, st->moved,
                st->copies, noun(st->copies, "duplicate"),
                st->failed + bad_args, st->removed,
                noun(st->removed, "report"));
    if (!A.quiet && !A.remove && fs.n_skipped > 0) {
        /* what a folder walk did not read, by kind: never silently */
        char *sum = fz_walk_skipped_summary(&fs);
        if (A.verbose)
            for (size_t k = 0; k < fs.n_skipped; k++)
                fprintf(stderr, "%s: skipped %s: %s\n", prog,
                        fs.skipped[k].path, fs.skipped[k].kind);
        fprintf(stderr, "%s: skipped %s%s\n", prog, sum ? sum : "files",
                A.verbose ? "" : " (--verbose names them)");
        free(sum);
    }
    if (!A.quiet && A.remove && opened)
        fprintf(stderr, "%s: %zu %s removed, %zu %s with %s\n", prog,
                st->gone, noun(st->gone, "file"), st->removed,
                noun(st->removed, "report"), st->gone == 1 ? "it" : "them");
    if (A.compact && status < 2 && !atomic_load(&interrupted)
        && fz_compact_index(&run, &sh, A.freeze, A.quiet) != 0)
        status = 2;
    for (size_t k = 0; k < n_roots; k++)
        free(roots[k].dir);
    free(roots);
    fz_coll_release(&coll);
    fz_catalog_release(&cat);
    fz_shards_release(&sh);
    fz_files_release(&fs);
    free(err);
    fz_run_release(&run);
    free(dbdir);
    free(A.paths);
    xmlCleanupParser();
    return status;
}
