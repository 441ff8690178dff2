#!/bin/sh
# tools/demo.sh - what `make demo` runs: install the Debian packages fz
# needs if any is missing, build, index corpus/ into build/demo-index and
# search it for 行政复议, one best passage per report.
set -eu
cd "$(dirname "$0")/.."
pkgs="build-essential pkg-config libxapian-dev libcjson-dev libcmocka-dev
libopencc-dev opencc libutf8proc-dev libxml2-dev"
missing=
for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "demo: installing$missing" >&2
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    $sudo apt-get install -y -q $missing
fi
make -s all
rm -rf build/demo-index
echo "\$ fzindex --db build/demo-index corpus/" >&2
build/fzindex --db build/demo-index corpus/
echo "\$ fzsearch --db build/demo-index --by-report 行政复议" >&2
build/fzsearch --db build/demo-index --by-report 行政复议
