#!/bin/sh
# tests/fuzz/run.sh DIR SECONDS NAME... - run the libFuzzer targets
# DIR/fuzz_NAME (built by `make fuzz`) for SECONDS each, one after the
# other, and fail when any of them finds a crash, a leak, undefined
# behaviour, a timeout or a broken invariant.
#
# Each reads its seeds from tests/fuzz/NAME/ and its regressions from
# tests/fuzz/regress/NAME/ and writes what it finds new into
# DIR/corpus/NAME/ (kept between runs: `make clean` forgets it), never
# into tests/fuzz/.  A failing input goes to DIR/crash/NAME/; replay it
# with `DIR/fuzz_NAME FILE`, and keep it as a regression in
# tests/fuzz/regress/NAME/ once fixed.  The full output of each run is
# DIR/fuzz_NAME.log.
set -u
dir=$1
secs=$2
shift 2
names=$*
failed=
for name in $names; do
    corpus=$dir/corpus/$name
    crash=$dir/crash/$name
    log=$dir/fuzz_$name.log
    mkdir -p "$corpus" "$crash"
    # whole pages for decode/segment/records; a query is at most 4096
    # bytes (query.h) and a little more tries the limit
    case $name in
    query) maxlen=4200 ;;
    normalize|tokenize) maxlen=16384 ;;
    *) maxlen=65536 ;;
    esac
    # the options, in "$@" (the names were saved above)
    set -- -max_total_time="$secs" -max_len=$maxlen -timeout=30 \
        -rss_limit_mb=2048 -artifact_prefix="$crash/" -print_final_stats=1
    if [ -f "tests/fuzz/$name.dict" ]; then
        set -- "$@" -dict="tests/fuzz/$name.dict"
    fi
    set -- "$@" "$corpus" "tests/fuzz/$name"
    if [ -d "tests/fuzz/regress/$name" ]; then
        set -- "$@" "tests/fuzz/regress/$name"
    fi
    "$dir/fuzz_$name" "$@" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "fuzz_$name: ok, ${runs:-?} runs in ${secs}s (${rate:-?}/s), $cov"
    else
        unit=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
        echo "fuzz_$name: FAILED (exit $rc): ${unit:-see $log}"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken)' "$log" \
            | head -n 5 | sed 's/^/    /'
        echo "    replay: $dir/fuzz_$name ${unit:-FILE}; log: $log"
        failed="$failed $name"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed" >&2
    exit 1
fi
