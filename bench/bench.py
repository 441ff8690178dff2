#!/usr/bin/env python3
"""bench/bench.py - the measurements behind `make bench` (run by bench/run.sh).

For each corpus size (BENCH_GROWTH, and BENCH_MB itself) it generates a
deterministic corpus with build/gencorpus, indexes it with fzindex and with
Xapian's omindex (XAPIAN_CJK_NGRAM=1), compacts both, loads fz's cleaned
text into Groonga (one groonga process, TokenBigram, NormalizerAuto, an
index WITH_POSITION), checks every workload query of bench/queries.txt
against the ground truth for fz, quest, Groonga and ripgrep, and times
them: in process (build/latency; Groonga's own elapsed times over one
process's stdin) and as whole processes (build/runstat, which also gives
peak RSS).  Prints the tables on stdout
(progress on stderr) and writes them as Markdown to bench/results.md.

Environment: BENCH_MB (default 200), BENCH_GROWTH (default "25 50 100
200"; sizes above BENCH_MB are dropped, BENCH_MB is always run),
BENCH_DIR (default BUILD/bench), BENCH_ROUNDS (in-process rounds, 20),
BENCH_RUNS (whole-process runs per query, 11), BENCH_RESULTS (default
bench/results.md), BENCH_OMINDEX_MAX_MB (default 200: omindex and quest
are not run on larger corpora, where omindex alone would take hours and
tens of GB of memory; the tables say so).  Everything generated stays
under BENCH_DIR.  The tables are those of the largest size, and the
queries and issue 14's targets again for every other size of 200 MB or
more.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata

B = sys.argv[1] if len(sys.argv) > 1 else "build"
MB = float(os.environ.get("BENCH_MB", "200"))
GROWTH = [float(x) for x in os.environ.get("BENCH_GROWTH",
                                           "25 50 100 200").split()]
DIR = os.environ.get("BENCH_DIR", os.path.join(B, "bench"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
RUNS = int(os.environ.get("BENCH_RUNS", "11"))
RESULTS = os.environ.get("BENCH_RESULTS", "bench/results.md")
OMEGA_MAX = float(os.environ.get("BENCH_OMINDEX_MAX_MB", "200"))
QUERIES_FILE = "bench/queries.txt"
NGRAM = dict(os.environ, XAPIAN_CJK_NGRAM="1")

FZINDEX = os.path.join(B, "fzindex")
FZSEARCH = os.path.join(B, "fzsearch")
RUNSTAT = os.path.join(B, "runstat")
LATENCY = os.path.join(B, "latency")


def say(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def fmt_mb(n):
    return "%g" % n


# --- tools -------------------------------------------------------------

def have(cmd):
    return shutil.which(cmd) is not None


TOOLS = {  # command: the Debian package that has it
    "rg": "ripgrep", "omindex": "xapian-omega", "quest": "xapian-tools",
    "xapian-compact": "xapian-tools", "opencc": "opencc",
    "groonga": "groonga-bin",
}
MISSING = {t: p for t, p in TOOLS.items() if not have(t)}
for t, p in MISSING.items():
    say("%s not found (install the Debian package %s): %s" % (t, p, {
        "rg": "the ripgrep columns stay empty",
        "omindex": "no Xapian n-gram baseline",
        "quest": "no Xapian n-gram baseline",
        "xapian-compact": "no compacted sizes unless fzindex --compact",
        "opencc": "the ground truth folds NFKC only, not Traditional",
        "groonga": "the Groonga rows are skipped",
    }[t]))
HAVE_RG = "rg" not in MISSING
HAVE_XAPIAN = "omindex" not in MISSING and "quest" not in MISSING
HAVE_GROONGA = "groonga" not in MISSING


def fz_help():
    r = subprocess.run([FZINDEX, "--help"], capture_output=True, text=True)
    return r.stdout


FZ_HELP = fz_help()
FZ_JOBS = " -j" in FZ_HELP or "--jobs" in FZ_HELP
FZ_COMPACT = "--compact" in FZ_HELP
FZ_FREEZE = "--freeze" in FZ_HELP


# --- measuring ---------------------------------------------------------

def runstat(cmd, runs=1, env=None, stdout=subprocess.DEVNULL, stderr=None,
            stdin=None, cpu=False):
    """Run cmd runs times under build/runstat: [(wall s, rss KiB, status)],
    with CPU s (user + system) fourth when cpu is true."""
    out = os.path.join(DIR, "runstat.out")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run([RUNSTAT, "-n", str(runs), "-o", out] + cmd, env=env,
                   stdin=stdin, stdout=stdout, stderr=stderr, check=True)
    with open(out) as f:
        rows = [line.split() for line in f]
    if cpu:
        return [(float(x[0]), int(x[1]), int(x[2]), float(x[3]))
                for x in rows]
    return [(float(x[0]), int(x[1]), int(x[2])) for x in rows]


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


TABLES = ("postlist.glass", "docdata.glass", "termlist.glass")


def xtables(db):
    """Bytes of each Xapian table summed over an index's shards (s0000,
    s0001, ...): {postlist.glass, docdata.glass, termlist.glass, other}."""
    t = dict.fromkeys(TABLES + ("other",), 0)
    for root, _, files in os.walk(db):
        for f in files:
            t[f if f in TABLES else "other"] += os.path.getsize(
                os.path.join(root, f))
    return t


def fz_status(db):
    """fzindex --status's counts: {reports, passages, shards}."""
    r = subprocess.run([FZINDEX, "--db", db, "--status"],
                       capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(":")
        if k.strip() in ("reports", "passages", "shards") and v.split():
            try:
                out[k.strip()] = int(v.split()[0])
            except ValueError:
                pass
    return out


def du_alloc(path):
    """Bytes allocated on disk (st_blocks): Groonga creates its files
    sparse, at sizes far above what they hold, so their apparent size
    (du above) says little."""
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.stat(os.path.join(root, f)).st_blocks * 512
    return total


def median(v):
    return statistics.median(v) if v else None


def load_queries():
    qs = []
    with open(QUERIES_FILE, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                qs.append(line)
    return qs


# --- ground truth ------------------------------------------------------

def body(text):
    """The report text of a gencorpus file: every line but the title and
    the date/source line at the top, which fzindex keeps as the report's
    title and date rather than as passages (bench/gencorpus.c lays them
    out); the two signature lines at the bottom (issuer, date) are the
    report's text, a passage of their own."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines[2:])


def opencc_t2s(texts):
    """texts folded Traditional to Simplified by the opencc command (an
    independent program, not fz's code), or unchanged without it."""
    if "opencc" in MISSING:
        return texts
    sep = "\n@@bench-file-separator@@\n"
    src = os.path.join(DIR, "truth-in.txt")
    dst = os.path.join(DIR, "truth-out.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(sep.join(texts))
    subprocess.run(["opencc", "-c", "t2s.json", "-i", src, "-o", dst],
                   check=True)
    with open(dst, encoding="utf-8") as f:
        out = f.read().split(sep)
    os.remove(src)
    os.remove(dst)
    if len(out) != len(texts):
        sys.exit("bench: opencc changed the file separators")
    return out


def fold(texts):
    """What fz promises to treat as the same text: NFKC (fullwidth and
    halfwidth), Traditional and Simplified, Latin case."""
    return [t.lower() for t in
            opencc_t2s([unicodedata.normalize("NFKC", t) for t in texts])]


def ground_truth(corpus, queries):
    """{query: set of file names whose report text holds every word of
    the query}, compared after folding both."""
    names = sorted(os.listdir(corpus))
    texts = []
    for n in names:
        with open(os.path.join(corpus, n), encoding="utf-8") as f:
            texts.append(body(f.read()))
    texts = fold(texts)
    fq = fold(queries)
    truth = {}
    for q, f in zip(queries, fq):
        words = f.split()
        truth[q] = {n for n, t in zip(names, texts)
                    if all(w in t for w in words)}
    return truth, names


# --- what each engine finds --------------------------------------------

def fz_found(db, q):
    # --within report: every word anywhere in the report, the ground
    # truth's AND (fzsearch's default wants them in one passage)
    r = subprocess.run([FZSEARCH, "--db", db, "--json", "--by-report",
                        "--within", "report", "-n", "1000000"] + q.split(),
                       capture_output=True)
    if r.returncode == 2:
        sys.exit("bench: fzsearch %s: %s" % (q, r.stderr.decode()))
    hits = json.loads(r.stdout)["hits"]
    return {os.path.basename(h["report"]["path"]) for h in hits}


def rg_cmd(q, corpus):
    words = q.split()
    if len(words) == 1:
        return ["rg", "-l", "-F", "--", words[0], corpus]
    # rg cannot AND words over a file in one pass: each further word
    # filters the files the previous found
    script = 'rg -l -F -- "$1" "$2"'
    for k in range(len(words) - 1):
        script += ' | xargs -r -d "\\n" rg -l -F -- "$%d"' % (k + 3)
    return ["sh", "-c", script, "sh", words[0], corpus] + words[1:]


def rg_found(q, corpus):
    r = subprocess.run(rg_cmd(q, corpus), capture_output=True, text=True)
    return {os.path.basename(p) for p in r.stdout.split("\n") if p}


def quest_cmd(db, q, m):
    # -o and: every word must match, as in fz and the ground truth
    # (quest's default operator is OR)
    return ["quest", "-d", db, "-o", "and", "-m", str(m), q]


def quest_found(db, q, ndocs):
    r = subprocess.run(quest_cmd(db, q, ndocs), capture_output=True,
                       text=True, env=NGRAM)
    if r.returncode != 0:
        sys.exit("bench: quest %s: %s" % (q, r.stderr))
    return {os.path.basename(line[4:]) for line in r.stdout.split("\n")
            if line.startswith("url=")}


def compare(found, truth):
    """(exact?, missed, extra)"""
    return found == truth, sorted(truth - found), sorted(found - truth)


# --- Groonga ------------------------------------------------------------
#
# Groonga gets the text fz indexes: each report's passages as fzindex
# reads them (build/fztext --json, the same text pipeline: decoding,
# cleaning, the title and date lines kept apart), one line a
# passage, in a Text column, plus the title in a ShortText column for
# display.  Groonga folds that text itself (NormalizerAuto), as fz folds
# it; only body is indexed, the text the ground truth searches.

FZTEXT = os.path.join(B, "fztext")
GRN_TABLE = "Reports"
GRN_SHOW = "_key,_score,title,snippet_html(body)"
GRN_INDEX = [
    "table_create Terms TABLE_PAT_KEY ShortText "
    "--default_tokenizer TokenBigram --normalizer NormalizerAuto",
    "column_create Terms body_index COLUMN_INDEX|WITH_POSITION %s body"
    % GRN_TABLE,
]


def grn_quote(v):
    """A value for Groonga's command syntax (its command line re-parses
    the arguments it is given, so a value with a space needs quotes)."""
    return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')


def grn_responses(text):
    """The JSON responses groonga printed, one after another."""
    dec, out, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        v, i = dec.raw_decode(text, i)
        out.append(v)


def grn_check(responses, what):
    for r in responses:
        if not (isinstance(r, list) and r and isinstance(r[0], list)
                and r[0][0] == 0):
            sys.exit("bench: groonga %s: %s" % (what, json.dumps(
                r, ensure_ascii=False)[:300]))


def groonga_input(corpus, names, tag):
    """Write the records Groonga loads (a JSON array) from fztext --json;
    (path, wall s of fztext, peak RSS, bytes of body text, column type)."""
    js = os.path.join(DIR, "groonga-%s.fztext.json" % tag)
    data = os.path.join(DIR, "groonga-%s.records.json" % tag)
    wall, rss, cpu = 0.0, 0, 0.0
    with open(js, "wb") as out:
        for k in range(0, len(names), 2000):  # within ARG_MAX at 1 GB
            batch = [os.path.join(corpus, n) for n in names[k:k + 2000]]
            w, r, st, c = runstat([FZTEXT, "--json"] + batch, stdout=out,
                                  cpu=True)[0]
            if st != 0:
                sys.exit("bench: fztext --json exited %d on %s" % (st, corpus))
            wall, rss, cpu = wall + w, max(rss, r), cpu + c
    text_bytes, longest, n = 0, 0, 0
    with open(js, encoding="utf-8") as f, \
            open(data, "w", encoding="utf-8") as out:
        out.write("[\n")
        for line in f:
            d = json.loads(line)
            b = "\n".join(p["text"] for p in d["passages"])
            nb = len(b.encode("utf-8"))
            text_bytes, longest = text_bytes + nb, max(longest, nb)
            out.write((",\n" if n else "") + json.dumps(
                {"_key": os.path.basename(d["file"]),
                 "title": d.get("title") or "", "body": b},
                ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    os.remove(js)
    if n != len(names):
        sys.exit("bench: fztext --json gave %d reports for %d files"
                 % (n, len(names)))
    # Text holds 64 KiB; a longer report needs LongText
    ctype = "Text" if longest < 65536 else "LongText"
    return dict(data=data, wall=wall, rss=rss, cpu=cpu, text=text_bytes,
                ctype=ctype, n=n)


def index_groonga(gin, db, static=True):
    """One groonga process creates the database, loads the records and
    indexes them: static (the index column created after the load, in one
    pass, as Groonga's documentation advises for a bulk load) or
    incremental (the index exists first; every record is indexed as it
    is loaded, as in a database that is kept up to date)."""
    d = os.path.dirname(db)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    schema = ["table_create %s TABLE_HASH_KEY ShortText" % GRN_TABLE,
              "column_create %s title COLUMN_SCALAR ShortText" % GRN_TABLE,
              "column_create %s body COLUMN_SCALAR %s"
              % (GRN_TABLE, gin["ctype"])]
    cmds = os.path.join(d, "load.grn")
    with open(cmds, "w", encoding="utf-8") as f:
        f.write("\n".join(schema + ([] if static else GRN_INDEX)) + "\n")
        f.write("load --table %s\n" % GRN_TABLE)
        with open(gin["data"], encoding="utf-8") as src:
            shutil.copyfileobj(src, f)
        if static:
            f.write("\n".join(GRN_INDEX) + "\n")
    log = os.path.join(d, "load.log")
    with open(cmds, "rb") as fin, open(log, "wb") as flog:
        w, rss, st = runstat(["groonga", "-n", db], stdin=fin, stdout=flog,
                             stderr=flog)[0]
    os.remove(cmds)
    with open(log, encoding="utf-8", errors="replace") as f:
        resp = grn_responses(f.read())
    if st != 0:
        sys.exit("bench: groonga exited %d (see %s)" % (st, log))
    grn_check(resp, "load")
    loaded = [r[1] for r in resp if type(r[1]) is int]
    if loaded != [gin["n"]]:
        sys.exit("bench: groonga loaded %s of %d records (see %s)"
                 % (loaded, gin["n"], log))
    return dict(wall=w, rss=rss, size=du_alloc(d), apparent=du(d), db=db,
                static=static)


def groonga_select(q, show=True):
    """The select command for query q: the 10 best by score with title
    and highlighted snippets (what fzsearch shows), or every match's key
    (show=False, for exactness).  --query: Groonga's query syntax, where
    words separated by spaces must all match (AND)."""
    if show:
        tail = ["--output_columns", grn_quote(GRN_SHOW),
                "--sort_keys", "-_score", "--limit", "10"]
    else:
        tail = ["--output_columns", "_key", "--limit", "-1"]
    # --cache no: Groonga keeps the last selects' answers in memory, so
    # that the rounds of groonga_latency would time a cache look-up (fz
    # keeps no answers)
    return ["select", GRN_TABLE, "--match_columns", "body",
            "--query", grn_quote(q), "--cache", "no"] + tail


def groonga_found(db, q):
    r = subprocess.run(["groonga", db] + groonga_select(q, show=False),
                       capture_output=True, text=True)
    resp = grn_responses(r.stdout)
    grn_check(resp, "select %s" % q)
    return {row[0] for row in resp[0][1][0][2:]}


def groonga_latency(db, queries):
    """In process: every query's select sent to one groonga process on
    stdin, a warm-up round and then ROUNDS rounds, round by round as
    build/latency does; each command's time is the elapsed time Groonga
    reports in its response header (the command's execution and its
    output, not the pipe).  {query: p50 p95 p99}, query "*" pooled."""
    cmds = os.path.join(DIR, "groonga-latency.grn")
    with open(cmds, "w", encoding="utf-8") as f:
        for _ in range(ROUNDS + 1):
            for q in queries:
                f.write(" ".join(groonga_select(q)) + "\n")
    with open(cmds, "rb") as fin:
        r = subprocess.run(["groonga", db], stdin=fin, capture_output=True,
                           text=True)
    os.remove(cmds)
    resp = grn_responses(r.stdout)
    grn_check(resp, "select")
    if len(resp) != (ROUNDS + 1) * len(queries):
        sys.exit("bench: groonga answered %d of %d selects"
                 % (len(resp), (ROUNDS + 1) * len(queries)))
    t = [x[0][2] * 1e3 for x in resp[len(queries):]]  # after the warm-up
    out = {}
    for i, q in enumerate(queries):
        out[q] = pcts(t[i::len(queries)])
    out["*"] = pcts(t)
    return out


def pcts(v):
    """p50 p95 p99, nearest rank, as build/latency computes them."""
    v = sorted(v)

    def p(x):
        k = int(x / 100.0 * len(v) + 0.999999)
        return v[k - 1 if k else 0]
    return dict(p50=p(50), p95=p(95), p99=p(99))


def run_groonga(res, corpus, names, queries, truth, tag):
    say("%s MB: Groonga: fztext --json (its input)" % tag)
    gin = groonga_input(corpus, names, tag)
    say("%s MB: Groonga: load, index after (static)" % tag)
    g = index_groonga(gin, os.path.join(DIR, "groonga-%s" % tag, "db"))
    say("%s MB: Groonga %.1f s, %.2f MB/s" % (tag, g["wall"],
                                               res["raw"] / 1e6 / g["wall"]))
    say("%s MB: Groonga: load into an indexed table (incremental)" % tag)
    gi = index_groonga(gin, os.path.join(DIR, "groonga-inc-%s" % tag, "db"),
                       static=False)
    shutil.rmtree(os.path.dirname(gi["db"]), ignore_errors=True)
    os.remove(gin["data"])
    g.update(inc=gi, text=gin["text"], prep_wall=gin["wall"],
             prep_rss=gin["rss"], prep_cpu=gin["cpu"], ctype=gin["ctype"])
    res["groonga"] = g
    say("%s MB: Groonga exactness" % tag)
    for q in queries:
        res["queries"][q]["groonga"] = compare(groonga_found(g["db"], q),
                                               truth[q])
    say("%s MB: Groonga in-process latency, %d rounds" % (tag, ROUNDS))
    g["lat"] = groonga_latency(g["db"], queries)


# --- one corpus size ---------------------------------------------------

def index_fz(corpus, db):
    shutil.rmtree(db, ignore_errors=True)
    shutil.rmtree(db + ".c", ignore_errors=True)
    cmd = [FZINDEX, "-q", "--db", db] + (["-j", "2"] if FZ_JOBS else [])
    w, rss, st, cpu = runstat(cmd + [corpus], cpu=True)[0]
    if st != 0:
        sys.exit("bench: fzindex exited %d on %s" % (st, corpus))
    size = du(db)
    tables = xtables(db)
    qdb, csize, cwall = db, None, None
    fsize, ftables = None, None
    if FZ_COMPACT:
        cw, _, st = runstat([FZINDEX, "--db", db, "--compact"])[0]
        if st == 0:
            csize, cwall = du(db), cw
        if FZ_FREEZE:
            # a frozen copy: the read-only archive layout
            frozen = db + ".frozen"
            shutil.rmtree(frozen, ignore_errors=True)
            shutil.copytree(db, frozen)
            _, _, st = runstat([FZINDEX, "--db", frozen, "--freeze"])[0]
            if st == 0:
                fsize, ftables = du(frozen), xtables(frozen)
            shutil.rmtree(frozen, ignore_errors=True)
    elif "xapian-compact" not in MISSING:
        cw, _, st = runstat(["xapian-compact", db, db + ".c"])[0]
        if st == 0:
            qdb, csize, cwall = db + ".c", du(db + ".c"), cw
    return dict(wall=w, rss=rss, cpu=cpu, size=size, csize=csize,
                cwall=cwall, qdb=qdb, fsize=fsize, tables=tables,
                ftables=ftables, status=fz_status(qdb))


def index_omega(corpus, db):
    shutil.rmtree(db, ignore_errors=True)
    shutil.rmtree(db + ".c", ignore_errors=True)
    log = open(os.path.join(DIR, "omindex.log"), "w")
    w, rss, st = runstat(["omindex", "--db", db, "--url", "/", corpus],
                         env=NGRAM, stdout=log, stderr=log)[0]
    log.close()
    if st != 0:
        sys.exit("bench: omindex exited %d (see %s/omindex.log)" % (st, DIR))
    size = du(db)
    qdb, csize, cwall = db, None, None
    if "xapian-compact" not in MISSING:
        cw, _, st = runstat(["xapian-compact", db, db + ".c"])[0]
        if st == 0:
            qdb, csize, cwall = db + ".c", du(db + ".c"), cw
    return dict(wall=w, rss=rss, size=size, csize=csize, cwall=cwall,
                qdb=qdb)


def latency(db):
    r = subprocess.run([LATENCY, "-r", str(ROUNDS), db, QUERIES_FILE],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("bench: latency: " + r.stderr)
    out = {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        q, mode, hits, p50, p95, p99 = f[:6]
        out[(q, mode)] = dict(hits=int(hits), p50=float(p50),
                              p95=float(p95), p99=float(p99))
        if len(f) >= 8:  # the posting lists the query opens, their entries
            out[(q, mode)].update(lists=int(f[6]), postings=int(f[7]))
    return out


PROC_RSS = {}  # command name: the largest peak RSS (KiB) of any timed run
LAST_RSS = [0]  # the largest peak RSS (KiB) of proc_times's last call


def proc_times(cmd, env=None, ok=(0, 1), key=None):
    """Milliseconds of each of RUNS runs; exit statuses outside ok are an
    error (0 and 1: hits or none).  The runs' peak RSS goes to
    PROC_RSS[key]."""
    rows = runstat(cmd, runs=RUNS, env=env)
    bad = [s for _, _, s in rows if s not in ok]
    if bad:
        sys.exit("bench: %s exited %d" % (" ".join(cmd), bad[0]))
    LAST_RSS[0] = max(r for _, r, _ in rows)
    if key:
        PROC_RSS[key] = max(PROC_RSS.get(key, 0), LAST_RSS[0])
    return [w * 1e3 for w, _, _ in rows]


def shared_libs(cmd):
    """How many shared libraries the dynamic loader maps for cmd (ldd's
    lines naming one), or None."""
    path = shutil.which(cmd)
    if path is None or not have("ldd"):
        return None
    r = subprocess.run(["ldd", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return sum(1 for line in r.stdout.splitlines() if "=>" in line)


# Starting a process and nothing else: fzsearch --version (its shared
# libraries loaded, no index opened), /bin/true (fork and exec alone) and
# quest --version.  They are timed beside each query's runs, so that their
# pooled medians meet the same load on a shared machine as the searches.
STARTUP = {"fz-start": [FZSEARCH, "--version"], "true": ["/bin/true"],
           "quest-start": ["quest", "--version"]}


def startup_times(res):
    """res["startup"]: the start-up medians pooled over every query's
    runs, fzsearch --version's peak RSS, and how many shared libraries
    fzsearch and quest load."""
    pa = res["proc_all"]
    st = {"fz": pa.get("fz-start"), "true": pa.get("true"),
          "fz_rss": res["proc_rss"].get("fz-start"),
          "fz_libs": shared_libs(FZSEARCH)}
    if HAVE_XAPIAN:
        st["quest"] = pa.get("quest-start")
        st["quest_libs"] = shared_libs("quest")
    res["startup"] = st


def run_size(mb, queries):
    """Every figure for one corpus size."""
    tag = fmt_mb(mb)
    corpus = os.path.join(DIR, "corpus-%s" % tag)
    shutil.rmtree(corpus, ignore_errors=True)
    subprocess.run([os.path.join(B, "gencorpus"), corpus, "--mb", tag],
                   check=True, stderr=subprocess.DEVNULL)
    names = sorted(os.listdir(corpus))
    raw = sum(os.path.getsize(os.path.join(corpus, n)) for n in names)
    res = dict(mb=mb, files=len(names), raw=raw, queries={})
    say("%s MB: %d files, %.1f MB; ground truth" % (tag, len(names),
                                                   raw / 1e6))
    truth, _ = ground_truth(corpus, queries)

    say("%s MB: fzindex%s" % (tag, " -j 2" if FZ_JOBS else ""))
    res["fz"] = index_fz(corpus, os.path.join(DIR, "fz-%s" % tag))
    say("%s MB: fzindex %.1f s, %.2f MB/s" % (
        tag, res["fz"]["wall"], raw / 1e6 / res["fz"]["wall"]))
    xapian = HAVE_XAPIAN and mb <= OMEGA_MAX
    if HAVE_XAPIAN and not xapian:
        res["omega_skipped"] = True
        say("%s MB: omindex and quest not run (above BENCH_OMINDEX_MAX_MB="
            "%s)" % (tag, fmt_mb(OMEGA_MAX)))
    if xapian:
        say("%s MB: omindex" % tag)
        res["omega"] = index_omega(corpus, os.path.join(DIR, "omega-%s" % tag))
        say("%s MB: omindex %.1f s, %.2f MB/s" % (
            tag, res["omega"]["wall"], raw / 1e6 / res["omega"]["wall"]))

    fzdb = res["fz"]["qdb"]
    say("%s MB: exactness" % tag)
    for q in queries:
        row = dict(truth=len(truth[q]))
        row["fz"] = compare(fz_found(fzdb, q), truth[q])
        if HAVE_RG:
            row["rg"] = compare(rg_found(q, corpus), truth[q])
        if xapian:
            row["quest"] = compare(quest_found(res["omega"]["qdb"], q,
                                               len(names)), truth[q])
        res["queries"][q] = row
    if HAVE_GROONGA:
        run_groonga(res, corpus, names, queries, truth, tag)
        g = res["groonga"]
        res["pipeline"] = dict(wall=g["prep_wall"], cpu=g["prep_cpu"],
                               rss=g["prep_rss"], how="fztext --json")
    else:
        say("%s MB: the text pipeline alone (fztext --summary)" % tag)
        res["pipeline"] = pipeline_time(corpus, names)

    say("%s MB: in-process latency, %d rounds" % (tag, ROUNDS))
    lat = latency(fzdb)
    res["lat_all"] = {m: lat[("*", m)] for m in ("text", "by-report")}

    say("%s MB: whole processes, %d runs a query (and start-up alone)"
        % (tag, RUNS))
    pooled = {k: [] for k in ("fz", "fzr", "quest", "groonga", "rg")
              + tuple(STARTUP)}
    PROC_RSS.clear()
    for q in queries:
        row = res["queries"][q]
        row["lat"] = {m: lat[(q, m)] for m in ("text", "by-report")}
        t = {"fz": proc_times([FZSEARCH, "--db", fzdb] + q.split(),
                              key="fz")}
        row["rss"] = LAST_RSS[0]
        t["fzr"] = proc_times([FZSEARCH, "--db", fzdb, "--by-report"]
                              + q.split(), key="fzr")
        row["rss"] = max(row["rss"], LAST_RSS[0])
        if xapian:
            t["quest"] = proc_times(quest_cmd(res["omega"]["qdb"], q, 10),
                                    env=NGRAM, key="quest")
        if HAVE_GROONGA:
            # one process per query, as a user would run it
            t["groonga"] = proc_times(["groonga", res["groonga"]["db"]]
                                      + groonga_select(q), key="groonga")
        if HAVE_RG:
            # xargs says 123 when the rg it ran found nothing
            t["rg"] = proc_times(rg_cmd(q, corpus), ok=(0, 1, 123),
                                 key="rg")
        for k, cmd in STARTUP.items():
            if k != "quest-start" or HAVE_XAPIAN:
                t[k] = proc_times(cmd, ok=(0,), key=k)
        row["proc"] = {k: median(v) for k, v in t.items()}
        for k, v in t.items():
            pooled[k] += v
    res["proc_all"] = {k: median(v) for k, v in pooled.items() if v}
    res["proc_rss"] = dict(PROC_RSS)
    startup_times(res)
    res["truth_files"] = {q: sorted(truth[q]) for q in queries}
    res["corpus"] = corpus
    return res


def pipeline_time(corpus, names):
    """The text pipeline alone over a corpus, when Groonga's fztext --json
    is not there to reuse: fztext --summary (decode, clean, segment,
    fold; no index), in batches within ARG_MAX."""
    wall, rss, cpu = 0.0, 0, 0.0
    for k in range(0, len(names), 2000):
        batch = [os.path.join(corpus, n) for n in names[k:k + 2000]]
        w, r, st, c = runstat([FZTEXT, "--summary"] + batch, cpu=True)[0]
        if st != 0:
            sys.exit("bench: fztext --summary exited %d on %s" % (st, corpus))
        wall, rss, cpu = wall + w, max(rss, r), cpu + c
    return dict(wall=wall, cpu=cpu, rss=rss, how="fztext --summary")


# --- the text pipeline row (the old bench/run.sh) ----------------------

def text_pipeline():
    src = "corpus/gov-work-reports-1954-2025.jsonl"
    if not os.path.exists(src) or not os.path.exists(os.path.join(B,
                                                                  "fztext")):
        return None
    dst = os.path.join(DIR, "reports-x10.jsonl")
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        for _ in range(10):
            f.write(data)
    w, rss, st = runstat([os.path.join(B, "fztext"), "--summary", dst])[0]
    os.remove(dst)
    return dict(bytes=len(data) * 10, wall=w, rss=rss) if st == 0 else None


# --- OCR: scanned pages read by fztext --ocr -----------------------------

def ocr_rate(pages=3):
    """Pages a second fz reads by OCR: pages 1..pages of a seed, printed
    and scanned at 200 ppi by tools/mkpdf (no text layer), read by
    fztext --ocr one after the other.  OMP_THREAD_LIMIT=1, as fzindex(1)
    advises on a busy machine."""
    mkpdf, fztext = os.path.join(B, "mkpdf"), os.path.join(B, "fztext")
    if not (os.path.exists(mkpdf) and os.path.exists(fztext)):
        return None
    files = []
    for k in range(1, pages + 1):
        out = os.path.join(DIR, "scan%d.pdf" % k)
        if subprocess.run([mkpdf, "--scan", str(k),
                           "corpus/003_65475f305930a54e.txt", out]).returncode:
            return None
        files.append(out)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    w, rss, st = runstat([fztext, "--ocr", "--summary"] + files, env=env)[0]
    for f in files:
        os.remove(f)
    return dict(pages=pages, wall=w, rss=rss) if st == 0 else None


# --- tables ------------------------------------------------------------

def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


WHY = "why, and what would close it"  # a column of prose, left-aligned


def left(head, k):
    return k == 0 or head[k] == WHY


def text_table(head, rows):
    cols = list(zip(*([head] + rows)))
    w = [max(width(c) for c in col) for col in cols]

    def line(r):
        cells = []
        for k, c in enumerate(r):
            pad = " " * (w[k] - width(c))
            cells.append(c + pad if left(head, k) else pad + c)
        return "  ".join(cells).rstrip()
    out = [line(head), "  ".join("-" * (width(head[k]) if head[k] == WHY
                                        else x) for k, x in enumerate(w))]
    return "\n".join(out + [line(r) for r in rows])


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if left(head, k) else "--:"
                          for k in range(len(head))) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def ms(v):
    if v is None:
        return "—"
    return "%.2f" % v if v < 10 else "%.1f" % v if v < 100 else "%.0f" % v


def msu(v):
    return "—" if v is None else ms(v) + " ms"


def exact_cell(c):
    if c is None:
        return "—"
    ok, missed, extra = c
    if ok:
        return "yes"
    parts = (["−%d" % len(missed)] if missed else []) + \
            (["+%d" % len(extra)] if extra else [])
    return "no (%s)" % " ".join(parts)


def ratio(a, b):
    return a / b if a is not None and b else None


def xs(v):
    return "—" if v is None else "%.2f×" % v if v < 10 else "%.0f×" % v


def mbs(n):
    return "—" if n is None else "%.1f" % (n / 1e6)


def verdict(ok):
    return "—" if ok is None else "MET" if ok else "MISSED"


def omega_note(sizes, s):
    """A sentence for a size where omindex and quest were not run."""
    if not s.get("omega_skipped"):
        return ""
    ran = [x for x in sizes if x.get("omega")]
    t = "  omindex and quest were not run at this size (above "
    t += "BENCH_OMINDEX_MAX_MB=%s)" % fmt_mb(OMEGA_MAX)
    if ran:
        x = ran[-1]
        t += (": at %s MB omindex took %.0f s at %.0f MB peak RSS, so %s MB "
              "would take about %.1f h at its rate"
              % (fmt_mb(x["mb"]), x["omega"]["wall"],
                 x["omega"]["rss"] / 1024, fmt_mb(s["mb"]),
                 x["omega"]["wall"] * s["raw"] / x["raw"] / 3600))
    return t + "."


def queries_section(sizes, main, queries):
    """The queries table of one size."""
    nq = len(queries)
    head = ["query", "reports", "fz exact", "text p50", "p95", "p99",
            "by-report p50", "p95", "p99", "fzsearch", "--by-report",
            "quest", "fz/quest", "quest exact", "rg", "fz/rg", "rg exact"]
    rows = []
    for q in queries:
        r = main["queries"][q]
        lt, lr = r["lat"]["text"], r["lat"]["by-report"]
        p = r["proc"]
        rows.append([q, str(r["truth"]), exact_cell(r["fz"]),
                     ms(lt["p50"]), ms(lt["p95"]), ms(lt["p99"]),
                     ms(lr["p50"]), ms(lr["p95"]), ms(lr["p99"]),
                     ms(p["fz"]), ms(p["fzr"]), ms(p.get("quest")),
                     xs(ratio(p["fz"], p.get("quest"))),
                     exact_cell(r.get("quest")), ms(p.get("rg")),
                     xs(ratio(p["fz"], p.get("rg"))),
                     exact_cell(r.get("rg"))])
    la, pa = main["lat_all"], main["proc_all"]

    def n_exact(k):
        v = [main["queries"][q].get(k) for q in queries]
        return "—" if v[0] is None else "%d/%d" % (sum(c[0] for c in v), nq)
    rows.append(["all queries", "", n_exact("fz"),
                 ms(la["text"]["p50"]), ms(la["text"]["p95"]),
                 ms(la["text"]["p99"]), ms(la["by-report"]["p50"]),
                 ms(la["by-report"]["p95"]), ms(la["by-report"]["p99"]),
                 ms(pa.get("fz")), ms(pa.get("fzr")), ms(pa.get("quest")),
                 xs(ratio(pa.get("fz"), pa.get("quest"))), n_exact("quest"),
                 ms(pa.get("rg")), xs(ratio(pa.get("fz"), pa.get("rg"))),
                 n_exact("rg")])
    return (
        "Queries, %s MB corpus (times in ms)" % fmt_mb(main["mb"]), head,
        rows,
        "reports: how many files hold every word of the query (the ground "
        "truth); exact: the files found are those, or how many were "
        "missed (−) and found wrongly (+); fz's are those of fzsearch "
        "--by-report --within report.  text / by-report p50 p95 p99: "
        "in-process search with the index open, %d rounds after a warm-up.  "
        "fzsearch, --by-report, quest, rg: whole processes, median of %d "
        "runs; fz/quest, fz/rg: fzsearch's time over theirs; \"all queries\" "
        "pools every query's samples.%s"
        % (ROUNDS, RUNS, omega_note(sizes, main)))


def build_report(sizes, main, queries, pipe):
    """[(title, head, rows, note)] for the text and Markdown outputs."""
    sections = [queries_section(sizes, main, queries)]
    nq = len(queries)
    la, pa = main["lat_all"], main["proc_all"]

    fz, om = main["fz"], main.get("omega")
    raw = main["raw"]
    head = ["indexer", "wall s", "MB/s", "peak RSS MB", "index MB",
            "× text", "compacted MB", "× text", "compact s", "frozen MB",
            "× text"]
    rows = []
    for name, x in (("fzindex" + (" -j 2" if FZ_JOBS else ""), fz),
                    ("omindex (CJK n-gram)", om)):
        if x is None:
            continue
        rows.append([name, "%.1f" % x["wall"], "%.2f" % (raw / 1e6 / x["wall"]),
                     "%.0f" % (x["rss"] / 1024), mbs(x["size"]),
                     xs(x["size"] / raw), mbs(x["csize"]),
                     xs(ratio(x["csize"], raw)),
                     "—" if x["cwall"] is None else "%.1f" % x["cwall"],
                     mbs(x.get("fsize")), xs(ratio(x.get("fsize"), raw))])
    if om is not None:
        rows.append(["fzindex / omindex", xs(fz["wall"] / om["wall"]),
                     xs(om["wall"] / fz["wall"]), xs(fz["rss"] / om["rss"]),
                     "", xs(fz["size"] / om["size"]), "",
                     xs(ratio(fz["csize"], om["csize"])), "", "", ""])
    g = main.get("groonga")
    if g is not None:
        for name, x in (("groonga load, index after (static, 1 process)", g),
                        ("groonga load into indexed table (incremental)",
                         g["inc"])):
            rows.append([name, "%.1f" % x["wall"],
                         "%.2f" % (raw / 1e6 / x["wall"]),
                         "%.0f" % (x["rss"] / 1024), mbs(x["size"]),
                         xs(x["size"] / raw), "", "", "", "", ""])
        rows.append(["fzindex / groonga (static)", xs(fz["wall"] / g["wall"]),
                     xs(g["wall"] / fz["wall"]), xs(fz["rss"] / g["rss"]),
                     "", xs(fz["size"] / g["size"]), "",
                     xs(ratio(fz["csize"], g["size"])), "", "", ""])
        rows.append(["fztext --json (Groonga's input; not in its time)",
                     "%.1f" % g["prep_wall"],
                     "%.2f" % (raw / 1e6 / g["prep_wall"]),
                     "%.0f" % (g["prep_rss"] / 1024), "", "", "", "", "", "",
                     ""])
    if pipe:
        # another input than the corpus: the row says which
        rows.append(["fztext --summary (text pipeline only), over the "
                     "State Council reports ×10 (%.1f MB), not this corpus"
                     % (pipe["bytes"] / 1e6),
                     "%.1f" % pipe["wall"],
                     "%.2f" % (pipe["bytes"] / 1e6 / pipe["wall"]),
                     "%.0f" % (pipe["rss"] / 1024), "", "", "", "", "", "",
                     ""])
    sections.append((
        "Indexing, %s MB corpus (%d files, %.1f MB of text)"
        % (fmt_mb(main["mb"]), main["files"], raw / 1e6), head, rows,
        "MB are 10^6 bytes of the input files; × text: the index's size "
        "(all files of its folder) over them.  %s%s"
        % ("fzindex -j 2 keeps both cores busy." if FZ_JOBS else
           "This fzindex has no -j: it indexed on one core.",
           "" if g is None else
           "  groonga: one process, TokenBigram and NormalizerAuto, index "
           "WITH_POSITION, over fz's cleaned text (%.1f MB, %s column); "
           "its size is what its files allocate on disk (they are sparse: "
           "%.1f MB apparent); the incremental database is deleted after "
           "it is measured." % (g["text"] / 1e6, g["ctype"],
                                g["apparent"] / 1e6))))


    head = ["MB", "files", "fzindex s", "MB/s", "RSS MB", "× text",
            "omindex MB/s", "× text", "in-proc p50", "p99", "fzsearch p50",
            "quest p50", "fz/quest", "rg p50", "rg/fz", "exact fz/quest/rg"]
    rows = []
    for s in sizes:
        ex = []
        for k in ("fz", "quest", "rg"):
            v = [s["queries"][q].get(k) for q in queries]
            ex.append("—" if v[0] is None else str(sum(c[0] for c in v)))
        om = s.get("omega")
        rows.append([fmt_mb(s["mb"]), str(s["files"]),
                     "%.1f" % s["fz"]["wall"],
                     "%.2f" % (s["raw"] / 1e6 / s["fz"]["wall"]),
                     "%.0f" % (s["fz"]["rss"] / 1024),
                     xs(ratio(s["fz"]["csize"], s["raw"])),
                     "%.2f" % (s["raw"] / 1e6 / om["wall"]) if om else "—",
                     xs(ratio(om["csize"], s["raw"])) if om else "—",
                     ms(s["lat_all"]["text"]["p50"]),
                     ms(s["lat_all"]["text"]["p99"]),
                     ms(s["proc_all"].get("fz")),
                     ms(s["proc_all"].get("quest")),
                     xs(ratio(s["proc_all"].get("fz"),
                              s["proc_all"].get("quest"))),
                     ms(s["proc_all"].get("rg")),
                     xs(ratio(s["proc_all"].get("rg"),
                              s["proc_all"].get("fz"))),
                     "/".join(ex)])
    note = ("Each size is a fresh corpus, index and run; × text after "
            "compaction; latencies in ms, text mode, all queries pooled.")
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]

        def grow(get):
            x, y = get(a), get(b)
            return "—" if not x or y is None else "%.1f×" % (y / x)
        note += ("  From %s to %s MB the corpus grows %.1f×; in-process "
                 "p50 %s, fzsearch p50 %s, quest p50 %s, rg p50 %s."
                 % (fmt_mb(a["mb"]), fmt_mb(b["mb"]), b["raw"] / a["raw"],
                    grow(lambda s: s["lat_all"]["text"]["p50"]),
                    grow(lambda s: s["proc_all"].get("fz")),
                    grow(lambda s: s["proc_all"].get("quest")),
                    grow(lambda s: s["proc_all"].get("rg"))))
    sections.append(("Growth", head, rows, note))
    sections += issue14_at(sizes, main, queries)
    for s in sizes:
        if s is not main and s["mb"] >= 200:
            sections.append(queries_section(sizes, s, queries))
            sections += issue14_at(sizes, s, queries)
    sections += issue14_growth(sizes, main, queries)

    # where fz parts from the ground truth: the evidence, for whoever
    # looks into it
    rows = []
    for q in queries:
        ok, missed, extra = main["queries"][q]["fz"]
        for kind, files in (("missed", missed), ("extra", extra)):
            for f in files[:3]:
                rows.append([q, kind, f, evidence(main["corpus"], f, q)])
            if len(files) > 3:
                rows.append([q, kind, "and %d more" % (len(files) - 3), ""])
    if rows:
        sections.append(("Where fz differs from the ground truth",
                         ["query", "", "file", "first occurrence (raw text)"],
                         rows, "Up to three files per query and kind; the "
                         "corpus is kept in %s." % main["corpus"]))
    # and where Groonga does: the cases its normalizer and tokenizer
    # treat otherwise (README, "What exact means")
    rows = []
    for q in queries:
        c = main["queries"][q].get("groonga")
        if c is None:
            continue
        for kind, files in (("missed", c[1]), ("extra", c[2])):
            for f in files[:3]:
                rows.append([q, kind, f, evidence(main["corpus"], f, q)])
            if len(files) > 3:
                rows.append([q, kind, "and %d more" % (len(files) - 3), ""])
    if rows:
        sections.append(("Where Groonga differs from the ground truth",
                         ["query", "", "file", "first occurrence (raw text)"],
                         rows, "Up to three files per query and kind."))
    return sections


# --- why a target is missed --------------------------------------------
#
# Each returns the text of the targets table's last column for a MISSED
# row: figures measured in this run in fixed words, and what would close
# the gap.  "" when a figure it needs was not measured.

def mb1(n):
    return "%.1f MB" % (n / 1e6)


def pct_of(a, b):
    return "—" if not b else "%.0f%%" % (100.0 * a / b)


def more_less(v, what):
    """'1.2 ms more than what' or '0.3 ms less than what'."""
    return "%s %s than %s" % (msu(abs(v)), "more" if v > 0 else "less", what)


def why_throughput(main):
    fz, g, p = main["fz"], main.get("groonga"), main.get("pipeline")
    if g is None or p is None or not fz.get("cpu"):
        return ""
    w, c, pc = fz["wall"], fz["cpu"], p["cpu"]
    cores, rest = c / w, c - pc
    st = fz.get("status") or {}
    docs = ("%d documents, one per passage, for %d reports"
            % (st["passages"], st["reports"])
            if "passages" in st and "reports" in st
            else "one document per passage")
    s = ("fzindex took %.1f s wall and %.1f s CPU (user+sys: %.2f cores "
         "busy).  The text pipeline alone over the same files (%s, one "
         "process at a time: decode, clean, segment, fold) took %.1f s "
         "CPU, %s of that; the other %s, %.1f s, is tokenizing, building the "
         "documents and Xapian writing and compacting them (%s)."
         % (w, c, cores, p["how"], pc, pct_of(pc, c), pct_of(rest, c), rest,
            docs))
    target = c * g["wall"] / w
    need = target - pc
    jobs = 2 if FZ_JOBS else 1
    busy = ("" if cores >= jobs * 0.9 else
            "; keeping all %d cores busy (%.1f s CPU in Groonga's time) "
            "would help too" % (jobs, jobs * g["wall"]))
    if need > 0 and rest > 0:
        s += ("  Groonga's %.1f s at the same %.2f cores is %.1f s CPU, so "
              "the part after the pipeline must fall from %.1f s to %.1f s "
              "(%s less).  Fewer postings do not reach that: a prototype "
              "writing one Xapian document per block of 4 or 16 passages "
              "(README, \"Index layout, and why\") wrote a third to "
              "half fewer postings and took only a quarter off, as what "
              "Xapian's writer spends per posting stays most of the time; "
              "only a writer other than Xapian's could close it%s."
              % (g["wall"], cores, target, rest, need,
                 pct_of(rest - need, rest), busy))
    else:
        s += ("  Groonga's %.1f s at the same %.2f cores is %.1f s CPU, "
              "less than the pipeline alone: the pipeline must get faster "
              "too, and the writing far more than fewer postings give (one "
              "Xapian document per block of passages took a quarter off "
              "in a prototype: README, \"Index layout, and why\")%s."
              % (g["wall"], cores, target, busy))
    return s


def why_size(t, size, raw, limit, what):
    if not t or not size:
        return ""
    parts = [("postings (postlist.glass)", t["postlist.glass"]),
             ("records (docdata.glass)", t["docdata.glass"])]
    if t["termlist.glass"]:
        parts.append(("term lists (termlist.glass)", t["termlist.glass"]))
    over = size - limit * raw
    s = ("%s, summed over the shards: %s, other files %s.  To be %g× the "
         "text it must lose %s, %s of it"
         % (what, ", ".join("%s %s, %s the text" % (n, mb1(v), xs(v / raw))
                            for n, v in parts), mb1(t["other"]), limit,
            mb1(over), pct_of(over, size)))
    post, rec = t["postlist.glass"], t["docdata.glass"]
    if t["termlist.glass"] >= over:
        s += (", less than its term lists, which only an index written "
              "with --term-lists (for xapian-tcpsrv) keeps: without them "
              "it would be within.")
    elif over > rec and over > post:
        s += (", more than all its records or all its postings: both must "
              "shrink, and fewer postings (one Xapian document per block of "
              "passages, a layout change) would not be enough alone.")
    else:
        def share(v, what):
            return ("more than all the " + what if over > v else
                    "%s of the %s" % (pct_of(over, v), what))
        s += (" (%s, %s): fewer postings, one Xapian document per block "
              "of passages, a layout change (a prototype with blocks of 4 "
              "passages wrote a third fewer; records packed a block at a "
              "time with the index's dictionary were hardly smaller: "
              "README, \"Index layout, and why\")."
              % (share(rec, "records"), share(post, "postings")))
    return s


def why_process(main):
    pa, st = main["proc_all"], main.get("startup")
    f, q = pa.get("fz"), pa.get("quest")
    if f is None or q is None or not st:
        return ""
    sf, tr, sq = st["fz"], st["true"], st.get("quest")
    if sf is None or tr is None:
        return ""
    if not tr < sf < f:
        return ("fzsearch's median is %s; starting the process alone "
                "(fzsearch --version) %s and fork and exec (/bin/true) %s, "
                "timed beside the searches: not in that order, so the "
                "machine's load swamped the split; run again on a quieter "
                "machine." % (msu(f), msu(sf), msu(tr)))
    libs = ("its %d shared libraries" % st["fz_libs"]
            if st.get("fz_libs") else "its shared libraries")
    s = ("fzsearch's median is %s; starting the process alone (fzsearch "
         "--version, the median of %d runs beside the queries') takes %s "
         "of it, %s: fork and exec %s (/bin/true), loading %s and "
         "initialising %s.  The search, folding the query and printing "
         "take the other %s."
         % (msu(f), RUNS * len(main["queries"]), msu(sf), pct_of(sf, f),
            msu(tr), libs, msu(sf - tr), msu(f - sf)))
    if sq is None:
        return s
    if not sq < q:
        return s + ("  quest: %s, starting alone %s: the load swamped its "
                    "split." % (msu(q), msu(sq)))
    ql = (", %d shared libraries" % st["quest_libs"]
          if st.get("quest_libs") else "")
    ds, dq = sf - sq, (f - sf) - (q - sq)
    s += ("  quest: %s, of which %s starting (quest --version%s).  "
          "To reach quest's median fzsearch must lose %s: its start-up "
          "takes %s, its search and output %s.  "
          % (msu(q), msu(sq), ql, msu(f - q), more_less(ds, "quest's"),
             more_less(dq, "quest's")))
    rows = [r for r in main["queries"].values() if r.get("quest")]
    qok = sum(1 for r in rows if r["quest"][0])
    fok = sum(1 for r in rows if r["fz"][0])
    s += ("quest answers from the postings alone (exact on %d of %d "
          "workload queries here, fz on %d): fz reads and checks the "
          "stored text of every candidate, which is what makes its counts "
          "exact.  " % (qok, len(rows), fok))
    cheaper = ("a check that reads no record (positions in the index "
               "decide a phrase without its text, for a larger index and "
               "slower indexing)")
    if ds > 0 and dq > 0:
        s += ("Loading fewer libraries at start and %s would close it."
              % cheaper)
    elif ds > 0:
        s += "Loading fewer libraries at start would close it."
    else:
        s += cheaper[0].upper() + cheaper[1:] + " would close it."
    return s


def lat_rows(main, queries):
    """Per query: the slower mode's p50 and p99, and what it reads."""
    out = []
    for q in queries:
        lt = main["queries"][q]["lat"]
        t, r = lt["text"], lt["by-report"]
        out.append(dict(q=q, p50=max(t["p50"], r["p50"]),
                        p99=max(t["p99"], r["p99"]), hits=t["hits"],
                        rhits=r.get("hits"),
                        lists=t.get("lists"), postings=t.get("postings"),
                        by_report={k: r[k] > t[k] for k in ("p50", "p99")}))
    return out


def why_latency(main, queries, key, limit):
    rows = lat_rows(main, queries)
    slow = sorted((x for x in rows if x[key] > limit), key=lambda x: -x[key])
    fast = [x for x in rows if x[key] <= limit]
    have_p = all(x["postings"] is not None for x in rows)

    def one(x):
        d = "%s %s%s" % (x["q"], msu(x[key]),
                         " --by-report" if x["by_report"][key] else "")
        if have_p:
            d += (" (%d matching passages; %d posting lists, %d postings)"
                  % (x["hits"], x["lists"], x["postings"]))
        return d
    if slow:
        s = "%d of %d queries are over %s at %s; the slowest: %s%s." % (
            len(slow), len(rows), msu(limit), key,
            "; ".join(one(x) for x in slow[:3]),
            "; and %d more" % (len(slow) - 3) if len(slow) > 3 else "")
    else:
        slow = sorted(rows, key=lambda x: -x[key])[:3]
        s = ("No query alone is over %s at %s, the pooled samples are; "
             "the slowest: %s." % (msu(limit), key,
                                   "; ".join(one(x) for x in slow)))
    if not have_p:
        return s
    if fast:
        fmax = max(x["postings"] for x in fast)
        smin = min(x["postings"] for x in slow)
        if fmax < smin:
            s += ("  The postings separate them: the queries within %s "
                  "open at most %d, those over at least %d."
                  % (msu(limit), fmax, smin))
        else:
            s += ("  The postings alone do not separate them (within %s: "
                  "up to %d; over: from %d): checking the candidates "
                  "against the stored text counts too."
                  % (msu(limit), fmax, smin))
    # a lone Han character is the OR of every term it begins: many more
    # lists than the query has characters
    wide = [x for x in slow if x["lists"] > 4 * len(x["q"].replace(" ", ""))]
    s += "  Closing it means fewer postings for them to read"
    if wide:
        s += (" (%s: a lone character opens every term it begins; one "
              "term per character would be one list)"
              % ", ".join("%s %d lists" % (x["q"], x["lists"])
                          for x in wide[:3]))
    s += (" and fewer records to read: a check reads each candidate "
          "passage's record.  One Xapian document per block of passages "
          "(a layout change) reads one record per block")
    # a lone character is not checked: its terms decide it
    per = [x for x in slow if x.get("rhits") and len(x["q"]) > 1]
    many = sorted(per, key=lambda x: -x["hits"] / x["rhits"])
    if many and many[0]["hits"] >= 2 * many[0]["rhits"]:
        m, o = many[0], many[-1]
        s += (", which cuts the reads where a report has many matching "
              "passages (%s: %d in %d reports)" % (m["q"], m["hits"],
                                                    m["rhits"]))
        if o["hits"] < 2 * o["rhits"]:
            s += (" but hardly where it has about one (%s: %d in %d)"
                  % (o["q"], o["hits"], o["rhits"]))
    elif many:
        s += (", which would hardly cut them here: each of these queries "
              "has about one matching passage a report (%s)"
              % ", ".join("%s: %d in %d reports" % (x["q"], x["hits"],
                                                    x["rhits"])
                          for x in many[:3]))
    s += ("; positions in the index would decide a phrase without its "
          "record, but a prototype made phrases only about 4× faster, "
          "for an index 5.9× the text and 1.8× the indexing work (README, "
          "\"Index layout, and why\").")
    return s


def why_rg(sizes, main):
    import math
    pa, st = main["proc_all"], main.get("startup") or {}
    rg, f = pa.get("rg"), pa.get("fz")
    if rg is None or f is None:
        return ""
    s = ("At %s MB rg -l -F takes %s, fzsearch %s%s: %s." % (
        fmt_mb(main["mb"]), msu(rg), msu(f),
        " (starting the process alone %s of it)" % msu(st["fz"])
        if st.get("fz") else "", "rg/fz " + xs(rg / f)))
    s += "  20× at this size needs fzsearch within %s%s." % (
        msu(rg / 20), ", less than its start-up alone" if st.get("fz")
        and rg / 20 < st["fz"] else "")
    pts = [(x["raw"], x["proc_all"].get("rg"), x["proc_all"].get("fz"))
           for x in sizes if x["proc_all"].get("rg")
           and x["proc_all"].get("fz")]
    if len(pts) < 2:
        return s + ("  One size was measured; more sizes (BENCH_GROWTH) "
                    "would give the trend.")
    (xa, ra, fa), (xb, rb, fb) = pts[0], pts[-1]
    k = math.log(xb / xa)
    erg, efz = math.log(rb / ra) / k, math.log(fb / fa) / k
    s += ("  From %s to %s of text (%.1f×) rg's median went from %s to %s, "
          "fzsearch's from %s to %s."
          % (fmt_text_mb(xa), fmt_text_mb(xb), xb / xa, msu(ra), msu(rb),
             msu(fa), msu(fb)))
    if erg <= 0:
        return s + ("  rg's did not grow between them: no trend to "
                    "extrapolate; larger sizes (BENCH_GROWTH) would give "
                    "one.")
    efz0 = max(efz, 0.0)
    if erg > efz0:
        x20 = xb * (20 / (rb / fb)) ** (1 / (erg - efz0))
        if x20 > 1000 * xb:
            return s + ("  rg's grew too little between them (rg ∝ "
                        "text^%.2f, fzsearch ∝ text^%.2f) for two sizes to "
                        "say where: the extrapolation falls beyond 1000× "
                        "the largest size measured.  Larger sizes "
                        "(BENCH_GROWTH) would say." % (erg, efz))
        s += ("  As powers of the text (rg ∝ text^%.2f, fzsearch ∝ "
              "text^%.2f%s), rg/fz would reach 20× at about %s of text if "
              "that trend holds: an extrapolation from two sizes, not a "
              "measurement." % (erg, efz0, ", taken as flat: it fell"
                                if efz < 0 else "", fmt_text_mb(x20)))
    else:
        s += ("  fzsearch's grew as fast (rg ∝ text^%.2f, fzsearch ∝ "
              "text^%.2f): on that trend (two sizes) 20× is not reached."
              % (erg, efz))
    return s


def fmt_text_mb(n):
    if n >= 1e12:
        return "%.1f TB" % (n / 1e12)
    return ("%.0f MB" % (n / 1e6) if n < 1e9 else
            "%.0f MB (%.1f GB)" % (n / 1e6, n / 1e9))


def why_index_rss(main):
    fz, p = main["fz"], main.get("pipeline")
    s = "fzindex peaked at %.0f MB" % (fz["rss"] / 1024)
    if p and p.get("rss"):
        s += ("; the text pipeline alone (%s) at %.0f MB"
              % (p["how"], p["rss"] / 1024))
    return s + (".  The rest is what the writers hold between commits "
                 "(FZ_BATCH passages a commit, per writing shard): a "
                 "smaller FZ_BATCH or fewer -j would lower it.")


def why_search_rss(main, queries, fs):
    st = main.get("startup") or {}
    worst = max(queries, key=lambda q: main["queries"][q].get("rss", 0))
    s = "The largest peak, %.0f MB, was on %s" % (fs / 1024, worst)
    if st.get("fz_rss"):
        s += ("; starting the process alone (fzsearch --version) peaks at "
              "%.0f MB, so %.0f MB is the index pages the search maps and "
              "its memory" % (st["fz_rss"] / 1024,
                              (fs - st["fz_rss"]) / 1024))
    return s + (".  Reading fewer pages (shorter posting lists, smaller "
                "records) would lower it.")


def why_exact(main, queries):
    bad = [(q, main["queries"][q]["fz"]) for q in queries
           if not main["queries"][q]["fz"][0]]
    return ("%s: the files and their lines are under \"Where fz differs "
            "from the ground truth\"." % "; ".join(
                "%s %s" % (q, exact_cell(c)) for q, c in bad))


MILLION = 15e9  # a million reports of about 15 KB: bytes of text


def fit_size(sizes, get):
    """Bytes at MILLION bytes of text from the growth sizes: a least-
    squares line through (text, get(size)), or the largest size's ratio
    when there is one size."""
    pts = [(s["raw"], get(s)) for s in sizes if get(s)]
    if not pts:
        return None
    if len(pts) == 1:
        return pts[0][1] / pts[0][0] * MILLION
    n = len(pts)
    mx = sum(x for x, _ in pts) / n
    my = sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sxx
    return my + slope * (MILLION - mx)


def fit_latency(sizes, get):
    """(ms at MILLION, exponent): a power law through the smallest and
    largest sizes, time = a·text^e (e at least 0), or None with one
    size."""
    pts = [(s["raw"], get(s)) for s in sizes if get(s)]
    if len(pts) < 2:
        return None
    (xa, ya), (xb, yb) = pts[0], pts[-1]
    import math
    e = max(0.0, math.log(yb / ya) / math.log(xb / xa))
    return yb * (MILLION / xb) ** e, e


def issue14_at(sizes, main, queries):
    """Issue 14's targets at one size with Groonga's figures beside fz's,
    and the queries beside Groonga's."""
    out = []
    nq = len(queries)
    g = main.get("groonga")
    fz, raw = main["fz"], main["raw"]
    la, pa, prss = main["lat_all"], main["proc_all"], main.get("proc_rss", {})
    at = "%s MB" % fmt_mb(main["mb"])

    if g is not None:
        head = ["query", "reports", "fz exact", "groonga exact",
                "fz p50", "p99", "groonga p50", "p99", "fzsearch",
                "groonga", "fz/groonga"]
        rows = []
        for q in queries:
            r = main["queries"][q]
            lt, gl, p = r["lat"]["text"], g["lat"][q], r["proc"]
            rows.append([q, str(r["truth"]), exact_cell(r["fz"]),
                         exact_cell(r["groonga"]), ms(lt["p50"]),
                         ms(lt["p99"]), ms(gl["p50"]), ms(gl["p99"]),
                         ms(p["fz"]), ms(p.get("groonga")),
                         xs(ratio(p["fz"], p.get("groonga")))])
        ok = sum(main["queries"][q]["groonga"][0] for q in queries)
        okf = sum(main["queries"][q]["fz"][0] for q in queries)
        rows.append(["all queries", "", "%d/%d" % (okf, nq),
                     "%d/%d" % (ok, nq), ms(la["text"]["p50"]),
                     ms(la["text"]["p99"]), ms(g["lat"]["*"]["p50"]),
                     ms(g["lat"]["*"]["p99"]), ms(pa.get("fz")),
                     ms(pa.get("groonga")),
                     xs(ratio(pa.get("fz"), pa.get("groonga")))])
        out.append((
            "Queries beside Groonga, %s corpus (times in ms)" % at, head,
            rows,
            "groonga exact: select --match_columns body --query Q (words "
            "ANDed) against the same ground truth.  fz p50 p99: "
            "build/latency, text mode; groonga p50 p99: the elapsed time "
            "in Groonga's response header, every select sent to one "
            "groonga process on stdin (%d rounds after a warm-up, --cache "
            "no).  fzsearch, groonga: whole processes, median of %d runs of "
            "fzsearch --db IDX Q and groonga DB select ... --sort_keys "
            "-_score --limit 10 --output_columns %s."
            % (ROUNDS, RUNS, GRN_SHOW)))

    # the targets; for a missed one, why, from figures of this run
    def gcell(v, f):
        return "—" if g is None or v is None else f(v)
    rows = []

    def add(row, why):
        rows.append(row + [why() if row[-1] == "MISSED" else ""])
    fzr = raw / 1e6 / fz["wall"]
    gr = raw / 1e6 / g["wall"] if g else None
    add(["indexing throughput fzindex%s ≥ Groonga's one-process load"
         % (" -j 2" if FZ_JOBS else ""), "%.2f MB/s" % fzr,
         gcell(gr, lambda v: "%.2f MB/s" % v), xs(ratio(fzr, gr)),
         "incremental %.2f MB/s" % (raw / 1e6 / g["inc"]["wall"])
         if g else "", verdict(None if gr is None else fzr >= gr)],
        lambda: why_throughput(main))
    r = fz["size"] / raw
    gx = g["size"] / raw if g else None
    add(["index as written ≤ 2.5× the text", xs(r), xs(gx),
         xs(ratio(r, gx)), "fz compacted " + xs(ratio(fz["csize"], raw)),
         verdict(r <= 2.5)],
        lambda: why_size(fz.get("tables"), fz["size"], raw, 2.5,
                         "As written"))
    r = ratio(fz.get("fsize"), raw)
    add(["frozen archive ≤ 1.5× the text (fzindex --freeze)", xs(r), xs(gx),
         xs(ratio(r, gx)), "",
         verdict(None if r is None else r <= 1.5)],
        lambda: why_size(fz.get("ftables"), fz["fsize"], raw, 1.5,
                         "Frozen (a compacted, read-only copy)"))
    fzp, qp, gp, rgp = (pa.get("fz"), pa.get("quest"), pa.get("groonga"),
                        pa.get("rg"))
    add(["whole-process fzsearch median ≤ quest's", msu(fzp),
         msu(gp), xs(ratio(fzp, gp)),
         "quest %s (fz/quest %s)" % (msu(qp), xs(ratio(fzp, qp))),
         verdict(None if qp is None else fzp <= qp)],
        lambda: why_process(main))
    v = max(la["text"]["p50"], la["by-report"]["p50"])
    gv = g["lat"]["*"]["p50"] if g else None
    add(["in-process p50 ≤ 2 ms (text and --by-report)", msu(v),
         msu(gv), xs(ratio(v, gv)), "", verdict(v <= 2)],
        lambda: why_latency(main, queries, "p50", 2))
    v = max(la["text"]["p99"], la["by-report"]["p99"])
    gv = g["lat"]["*"]["p99"] if g else None
    add(["in-process p99 ≤ 20 ms (text and --by-report)", msu(v),
         msu(gv), xs(ratio(v, gv)), "", verdict(v <= 20)],
        lambda: why_latency(main, queries, "p99", 20))
    r = ratio(rgp, fzp)
    add(["≥ 20× faster than rg -l -F (at 200 MB), whole process",
         "rg/fz " + xs(r), "rg/groonga " + xs(ratio(rgp, gp))
         if g else "—", xs(ratio(fzp, gp)), "rg " + msu(rgp),
         verdict(None if r is None else r >= 20)],
        lambda: why_rg(sizes, main))
    add(["peak RSS ≤ 1 GB indexing", "%.0f MB" % (fz["rss"] / 1024),
         gcell(g and g["rss"], lambda v: "%.0f MB" % (v / 1024)),
         xs(ratio(fz["rss"], g["rss"] if g else None)),
         "omindex %.0f MB" % (main["omega"]["rss"] / 1024)
         if main.get("omega") else "",
         verdict(fz["rss"] * 1024 <= 1e9)],
        lambda: why_index_rss(main))
    fs = max(prss.get("fz", 0), prss.get("fzr", 0)) or None
    gs = prss.get("groonga")
    add(["peak RSS ≤ 100 MB searching (fzsearch, whole process)",
         "—" if fs is None else "%.0f MB" % (fs / 1024),
         "—" if gs is None else "%.0f MB" % (gs / 1024),
         xs(ratio(fs, gs)),
         "quest %.0f MB" % (prss["quest"] / 1024)
         if prss.get("quest") else "",
         verdict(None if fs is None else fs * 1024 <= 100e6)],
        lambda: why_search_rss(main, queries, fs))
    okf = sum(main["queries"][q]["fz"][0] for q in queries)
    add(["exact on every workload query", "%d/%d" % (okf, nq),
         "%d/%d" % (sum(main["queries"][q]["groonga"][0]
                        for q in queries), nq) if g else "—", "",
         "", verdict(okf == nq)],
        lambda: why_exact(main, queries))
    out.append((
        "Issue 14 targets beside Groonga, %s corpus" % at,
        ["target", "fz", "Groonga", "fz/Groonga", "other", "verdict", WHY],
        rows,
        "The verdict is fz's against the target; fz/Groonga is fz's figure "
        "over Groonga's from the same run on the same files (below 1: fz "
        "is smaller or faster, except throughput, where above 1 is fz "
        "faster).  Index as written: fzindex's folder before --compact "
        "(layout 5 compacts at the end of the run); frozen: a copy after "
        "fzindex --freeze; Groonga's allocated bytes after its load beside "
        "both.  Searching RSS: the largest peak RSS of any timed "
        "whole-process run (ru_maxrss, which counts the index pages a "
        "process maps).  The rg target is stated for 200 MB; this row is "
        "at %s.  Why, and what would close it: for a MISSED row only, "
        "every figure from this run: CPU time (user + system, runstat), "
        "the text pipeline alone over the same files, the Xapian tables' "
        "sizes summed over the shards, process start-up alone "
        "(fzsearch --version, quest --version, /bin/true: %d runs beside "
        "each query's, pooled medians), the posting lists each query "
        "opens (build/latency), and the growth between the smallest and "
        "largest size; what would "
        "close it is said in fixed words around them.%s"
        % (at, RUNS,
           "" if g else "  Groonga was not run (groonga-bin missing).")
        + omega_note(sizes, main)))
    return out


def issue14_growth(sizes, main, queries):
    """Growth beside Groonga, and a million reports extrapolated."""
    out = []
    g = main.get("groonga")
    if g is not None:
        head = ["MB", "fzindex MB/s", "groonga MB/s", "fz × text",
                "groonga × text", "fz in-proc p50", "groonga p50",
                "fzsearch p50", "groonga p50", "exact fz/groonga"]
        rows = []
        for s in sizes:
            sg = s["groonga"]
            rows.append([fmt_mb(s["mb"]),
                         "%.2f" % (s["raw"] / 1e6 / s["fz"]["wall"]),
                         "%.2f" % (s["raw"] / 1e6 / sg["wall"]),
                         xs(s["fz"]["size"] / s["raw"]),
                         xs(sg["size"] / s["raw"]),
                         ms(s["lat_all"]["text"]["p50"]),
                         ms(sg["lat"]["*"]["p50"]),
                         ms(s["proc_all"].get("fz")),
                         ms(s["proc_all"].get("groonga")),
                         "%d/%d" % (sum(s["queries"][q]["fz"][0]
                                        for q in queries),
                                    sum(s["queries"][q]["groonga"][0]
                                        for q in queries))])
        out.append(("Growth beside Groonga", head, rows,
                    "× text as written (fz before --compact); latencies in "
                    "ms, all queries pooled."))

    # a million reports
    rows = []
    big = sizes[-1]

    def gb(v):
        return "—" if v is None else "%.0f GB" % (v / 1e9)

    def hours(s, get):
        w = get(s)
        return "—" if not w else "%.1f h" % (MILLION / (s["raw"] / w) / 3600)

    def lat(get):
        v = fit_latency(sizes, get)
        return "—" if v is None else "%s (×text^%.2f)" % (msu(v[0]), v[1])
    hg = g is not None
    rows.append(["index as written", gb(fit_size(sizes,
                                                 lambda s: s["fz"]["size"])),
                 gb(fit_size(sizes, lambda s: s["groonga"]["size"]))
                 if hg else "—"])
    rows.append(["index compacted (fzindex --compact)",
                 gb(fit_size(sizes, lambda s: s["fz"]["csize"])), ""])
    rows.append(["indexing at the measured MB/s (%s MB)" % fmt_mb(big["mb"]),
                 hours(big, lambda s: s["fz"]["wall"]),
                 hours(big, lambda s: s["groonga"]["wall"]) if hg else "—"])
    rows.append(["peak RSS indexing (largest size's)",
                 "%.0f MB" % (big["fz"]["rss"] / 1024),
                 "%.0f MB" % (big["groonga"]["rss"] / 1024) if hg else "—"])
    rows.append(["in-process p50",
                 lat(lambda s: s["lat_all"]["text"]["p50"]),
                 lat(lambda s: s["groonga"]["lat"]["*"]["p50"])
                 if hg else "—"])
    rows.append(["whole-process p50", lat(lambda s: s["proc_all"].get("fz")),
                 lat(lambda s: s["proc_all"].get("groonga")) if hg else "—"])
    rows.append(["rg -l -F p50 (whole process)",
                 lat(lambda s: s["proc_all"].get("rg")), ""])
    out.append((
        "A million reports (15 GB of text), extrapolated", ["", "fz",
                                                            "Groonga"], rows,
        "Sizes: a least-squares line through the growth sizes (%s MB), "
        "or the ratio when one size ran.  Hours: 15 GB at the largest "
        "size's MB/s.  Latency: a power law through the smallest and the "
        "largest size (the exponent shown; 1 is linear in the text, 0 "
        "flat), a rough guide: it assumes the growth keeps its shape and "
        "that the index stays in the page cache, which at these sizes it "
        "does not on one machine."
        % " ".join(fmt_mb(s["mb"]) for s in sizes)))
    return out


def evidence(corpus, name, q):
    with open(os.path.join(corpus, name), encoding="utf-8") as f:
        lines = f.read().split("\n")
    w = q.split()[0]
    for k, line in enumerate(lines):
        i = line.find(w)
        if i >= 0:
            s = line[max(0, i - 12):i + len(w) + 12].replace("|", "｜")
            return "line %d: …%s…" % (k + 1, s.strip())
    return "(not in the raw text: a folded match)"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rev = subprocess.run(["git", "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    return "%s, %d cores, %s; fz %s; %s" % (
        cpu, os.cpu_count() or 0, platform.platform(terse=True),
        rev or "?", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))


def main():
    os.makedirs(DIR, exist_ok=True)
    queries = load_queries()
    sizes = sorted({g for g in GROWTH if g <= MB} | {MB})
    t0 = time.time()
    results = [run_size(mb, queries) for mb in sizes]
    pipe = text_pipeline()
    ocr = ocr_rate()
    with open(os.path.join(DIR, "results.json"), "w") as f:
        json.dump(results, f, ensure_ascii=False, indent=1, default=list)
    sections = build_report(results, results[-1], queries, pipe)
    if ocr:
        sections.append(("OCR (fztext --ocr, scanned pages)",
                         ["pages", "wall s", "pages/s", "peak RSS MB"],
                         [[str(ocr["pages"]), "%.1f" % ocr["wall"],
                           "%.2f" % (ocr["pages"] / ocr["wall"]),
                           "%.0f" % (ocr["rss"] / 1024)]],
                         "Pages of seed 003 printed and scanned at 200 ppi "
                         "by tools/mkpdf (an image, no text layer), read by "
                         "Tesseract (chi_sim + chi_tra) with "
                         "OMP_THREAD_LIMIT=1; model loading included."))
    header = ("make bench: BENCH_MB=%s, growth %s; %s.  Ground truth: "
              "substring search over each report's text (NFKC, "
              "Traditional→Simplified%s).  quest: -o and; rg over several "
              "words: rg -l -F a | xargs rg -l -F b.%s"
              % (fmt_mb(MB), " ".join(fmt_mb(s) for s in sizes), machine(),
                 " by opencc" if "opencc" not in MISSING else " skipped: "
                 "no opencc",
                 "  Groonga: one groonga process loads fz's cleaned text "
                 "(fztext --json) into a Text column, TokenBigram lexicon, "
                 "NormalizerAuto, index WITH_POSITION built after the load; "
                 "select --query, --cache no." if HAVE_GROONGA else ""))
    missing = "".join("\nMissing: %s (package %s)." % (t, p)
                      for t, p in MISSING.items())
    txt = [header + missing]
    title = "# make bench results: BENCH_MB=%s" % fmt_mb(MB)
    if MB < 200:
        title += " (a small run, not the issue's 200 MB figures)"
    md = [title, "", header + missing.replace("\n", "  \n")]
    for title, head, rows, note in sections:
        txt += ["", title, "", text_table(head, rows), note]
        md += ["", "## " + title, "", md_table(head, rows), "", note]
    print("\n".join(txt))
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    say("done in %.0f s; tables in %s, everything else in %s"
        % (time.time() - t0, RESULTS, DIR))


if __name__ == "__main__":
    main()
