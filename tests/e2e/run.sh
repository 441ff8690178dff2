#!/bin/sh
# tests/e2e/run.sh BUILD - run each case of tests/e2e/cases and compare
# its exit status, stdout and stderr with the golden files
# tests/e2e/golden/NAME.out and NAME.err.  UPDATE=1 rewrites the golden
# files (then read the diff before committing it).
set -u
B=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
PATH="$top/$B:$PATH"
export FZ_E2E_TMP="$tmp" NO_COLOR=1 LC_ALL=C.UTF-8
# fixtures made here rather than committed: binary and odd files
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001\0\0\0\001\010\006\0\0\0' > "$tmp/image.png"
head -c 4096 /dev/zero >> "$tmp/image.png"
: > "$tmp/empty.txt"
printf '回到顶部\n分享到:\n字号:\n' > "$tmp/only-boilerplate.txt"
printf '<html><head><title>页面标题</title><script>var a=1;</script></head><body><div>首页 &gt; 政务公开 &gt; 法治政府</div><p>2023年，我区全面推进依法行政，行政复议案件全部办结，法治政府建设取得新\377成效。</p></body></html>' > "$tmp/page.html"
ulimit -c 0     # a crash is reported below, and leaves no core
pass=0 fail=0
while IFS='	' read -r name want cmd; do
    case "$name" in ''|'#'*) continue ;; esac
    sh -c "$cmd" > "$tmp/out" 2> "$tmp/err"
    got=$?
    sed -e "s#$tmp#TMP#g" "$tmp/err" > "$tmp/err2"
    sed -e "s#$tmp#TMP#g" "$tmp/out" > "$tmp/out2" && mv "$tmp/out2" "$tmp/out"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/out" "$here/golden/$name.out"
        cp "$tmp/err2" "$here/golden/$name.err"
    fi
    ok=1
    if [ "$got" -gt 128 ]; then
        echo "FAIL $name: killed by signal $((got - 128)) ($(kill -l $((got - 128))))"
    fi
    [ "$got" = "$want" ] || { echo "FAIL $name: exit $got, want $want"; ok=0; }
    cmp -s "$tmp/out" "$here/golden/$name.out" ||
        { echo "FAIL $name: stdout differs"; diff "$here/golden/$name.out" "$tmp/out" | head -20; ok=0; }
    cmp -s "$tmp/err2" "$here/golden/$name.err" ||
        { echo "FAIL $name: stderr differs"; diff "$here/golden/$name.err" "$tmp/err2" | head -20; ok=0; }
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done < "$here/cases"
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
