#!/bin/sh
# bench/run.sh BUILD - text pipeline throughput: fztext over the State
# Council reports and the corpus, repeated.  The index and query
# benchmarks of the performance issue will grow from here.
set -eu
B=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
    cat tests/data/gov-work-reports-1954-2025.jsonl
done > "$tmp/reports.jsonl"
bytes=$(wc -c < "$tmp/reports.jsonl")
start=$(date +%s.%N)
"$B/fztext" --summary "$tmp/reports.jsonl" > /dev/null
end=$(date +%s.%N)
awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN {
    t = e - s; printf "text pipeline: %.1f MB in %.2f s = %.2f MB/s\n",
    b / 1e6, t, b / 1e6 / t }'
