#!/bin/sh
# tools/opencc-keys.sh DIR CONFIG - print the key of every entry of every
# dictionary that OpenCC's configuration DIR/CONFIG (t2s.json) names, one
# a line: what tools/t2s_table.c makes text/normalize.c's table from.
# opencc_dict (Debian package opencc) turns each .ocd2 file into text,
# one "key<TAB>values" line an entry.  Every dictionary file the
# configuration names counts, the segmenter's too; a configuration this
# script cannot read completely fails the build rather than give a table
# too small.
set -eu
dir=$1 conf=$1/$2
if ! command -v opencc_dict >/dev/null 2>&1; then
    echo "$0: opencc_dict not found (Debian package opencc)" >&2
    exit 1
fi
files=$(sed -n 's/^.*"file" *: *"\([^"]*\)".*$/\1/p' "$conf")
# one "file" a line, as in OpenCC's own configurations: a second on a line
# would go unseen
named=$(grep -o '"file"' "$conf" | wc -l)
if [ -z "$files" ] || [ "$named" -ne "$(echo "$files" | grep -c .)" ]; then
    echo "$0: $conf: cannot list its dictionaries" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in $(echo "$files" | sort -u); do
    case $f in
    *.ocd2)
        opencc_dict -i "$dir/$f" -o "$tmp/dict.txt" -f ocd2 -t text >&2
        cut -f1 "$tmp/dict.txt" ;;
    *.txt)
        cut -f1 "$dir/$f" ;;
    *)
        echo "$0: $conf: $f: a kind of dictionary this script cannot read" >&2
        exit 1 ;;
    esac
done
