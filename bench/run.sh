#!/bin/sh
# bench/run.sh BUILD - make bench: fz's indexing and search figures
# against ripgrep, Xapian's CJK n-gram indexing and Groonga, on a
# generated corpus of BENCH_MB megabytes (default 200) and on the smaller
# BENCH_GROWTH sizes (default "25 50 100 200").  The measuring is
# bench/bench.py; see README, "make bench", for the table.  Work files
# stay in BENCH_DIR (default BUILD/bench); the tables go to stdout and
# bench/results.md.
set -eu
B=${1:-build}
if ! command -v python3 > /dev/null 2>&1; then
    echo "bench: python3 not found (install the Debian package python3)" >&2
    exit 2
fi
for f in fzindex fzsearch gencorpus latency runstat fztext mkpdf; do
    if [ ! -x "$B/$f" ]; then
        echo "bench: $B/$f missing: run make first" >&2
        exit 2
    fi
done
exec python3 bench/bench.py "$B"
