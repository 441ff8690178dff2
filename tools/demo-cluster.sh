#!/bin/sh
# tools/demo-cluster.sh - what `make demo-cluster` runs: three shards of
# corpus/ and a generated corpus, each served by xapian-tcpsrv on
# 127.0.0.1, searched through one stub; the same searches on one index
# of the same files print the same JSON.  Then a server stops, and
# fzsearch says so.  The servers started here are stopped on exit.
#
# Work files go to build/demo-cluster (DEMO_MB megabytes generated,
# default 5).  Only the loopback interface is used: xapian-tcpsrv has no
# authentication (see the README, "Shards and clusters").
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
W=$B/demo-cluster
MB=${DEMO_MB:-5}
PATH="$PWD/$B:$PATH"
if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    echo "demo-cluster: xapian-tcpsrv is missing (Debian: apt-get install" \
         "xapian-tools)" >&2
    exit 2
fi
make -s all

# SIGKILL: xapian-tcpsrv answers SIGTERM by signalling its whole process
# group, which is ours; and SIGINT is ignored by background jobs
pids=
stop() {
    for p in $pids; do
        kill -KILL "$p" 2>/dev/null || true
    done
}
trap stop EXIT
trap 'exit 2' HUP INT PIPE TERM

say() {
    printf '$ %s\n' "$*"
}

rm -rf "$W"
mkdir -p "$W"
here=$PWD
gencorpus "$W/gen" --mb "$MB" >/dev/null
# the generated files in three parts; corpus/ too: the report ids are
# hashes of absolute paths, so every index sees the same paths
for k in 0 1 2; do mkdir "$W/part$k"; done
i=0
for f in "$W"/gen/*.txt; do
    mv "$f" "$W/part$((i % 3))/"
    i=$((i + 1))
done
c=$here/corpus
say "fzindex --db $W/one corpus/ $W/part0 $W/part1 $W/part2"
fzindex --db "$W/one" "$c" "$here/$W/part0" "$here/$W/part1" "$here/$W/part2"
say "fzindex --term-lists --db $W/s0 corpus/00[01]*.txt $W/part0"
fzindex --term-lists --db "$W/s0" "$c"/000_*.txt "$c"/001_*.txt "$here/$W/part0"
say "fzindex --term-lists --db $W/s1 corpus/00[234]*.txt $W/part1"
fzindex --term-lists --db "$W/s1" "$c"/002_*.txt "$c"/003_*.txt "$c"/004_*.txt \
    "$here/$W/part1"
say "fzindex --term-lists --db $W/s2 corpus/*.jsonl $W/part2"
fzindex --term-lists --db "$W/s2" "$c"/*.jsonl "$here/$W/part2"

# one server per shard, on free ports from 7481
port=${DEMO_PORT:-7480}
mkdir "$W/cluster"
for k in 0 1 2; do
    tries=0
    while :; do
        port=$((port + 1))
        xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" \
            "$W/s$k" >/dev/null 2>&1 &
        pid=$!
        printf 'remote 127.0.0.1:%s\n' "$port" > "$W/probe"
        up=
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            sleep 0.2
            kill -0 "$pid" 2>/dev/null || break      # the port was taken
            if fzsearch --db "$W/probe" --count x >/dev/null 2>&1 ||
               [ $? -eq 1 ]; then
                up=1
                break
            fi
        done
        if [ -n "$up" ]; then
            break
        fi
        kill -KILL "$pid" 2>/dev/null || true
        tries=$((tries + 1))
        if [ $tries -ge 10 ]; then
            echo "demo-cluster: xapian-tcpsrv does not start" >&2
            exit 2
        fi
    done
    pids="$pids $pid"
    eval "port$k=$port pid$k=$pid"
    say "xapian-tcpsrv --interface 127.0.0.1 --port $port $W/s$k &"
    printf 'remote 127.0.0.1:%s\n' "$port" >> "$W/cluster/XAPIANDB"
done
rm -f "$W/probe"
say "cat $W/cluster/XAPIANDB"
cat "$W/cluster/XAPIANDB"

same=0
differ=0
compare() {
    say "fzsearch --db $W/cluster $*"
    fzsearch --db "$W/cluster" --color never "$@" || true
    fzsearch --db "$W/one" --json "$@" > "$W/one.json" || true
    fzsearch --db "$W/cluster" --json "$@" > "$W/cluster.json" || true
    if cmp -s "$W/one.json" "$W/cluster.json"; then
        echo "(the JSON of one index and of the cluster: identical," \
             "$(wc -c < "$W/one.json") bytes)"
        same=$((same + 1))
    else
        echo "(the JSON of one index and of the cluster differ:)"
        diff "$W/one.json" "$W/cluster.json" | head -5 || true
        differ=$((differ + 1))
    fi
    echo
}
echo
compare -n 3 行政复议
compare --by-report -n 3 执法 监督
compare --facets level -n 0 --by-report 依法行政
compare --compare --region 深圳 行政复议
compare --within sentence -n 2 '"重大行政决策" 听证'

say "kill -9 $pid1    # the server of $W/s1"
kill -KILL "$pid1"
sleep 0.2
say "fzsearch --db $W/cluster --count 行政复议"
fzsearch --db "$W/cluster" --count 行政复议 || echo "(exit $?)"
say "fzsearch --db $W/cluster --partial --count 行政复议"
fzsearch --db "$W/cluster" --partial --count 行政复议 || echo "(exit $?)"
echo
echo "demo-cluster: $same searches identical on one index and on the" \
     "cluster, $differ different"
[ "$differ" -eq 0 ]
