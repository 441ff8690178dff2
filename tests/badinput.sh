#!/bin/sh
# tests/badinput.sh BUILD - bad and hostile input (issue 7, points 5-7).
#
# Each case builds its input in a temporary folder and checks what the
# README's "Reliability" section promises: the exit status (fzindex 0 all
# indexed, 1 some inputs not, 2 usage or index error; fzsearch 0 hits, 1
# none, 2 error), exactly one line on stderr for the bad thing, naming the
# file or argument and what is wrong, nothing on stdout, and nothing else
# lost: the good files of the same run are found afterwards by a phrase
# of their own, and the index still opens.  Expected phrases, names, line
# numbers and lengths are taken from the inputs as they are made here.
#
# Some cases need root or must not run as root: a full disk is a 2 MiB
# tmpfs when mount(8) is allowed, else `ulimit -f` (a file size limit:
# EFBIG where a full disk gives ENOSPC); an unreadable file and a folder
# that is not writable stop no one as root, so as root they run as user
# 65534 under setpriv(1), and are skipped (said) when that is impossible.
# VERBOSE=1 prints each case's stderr.
set -u
B=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
FZINDEX=$B/fzindex
FZSEARCH=$B/fzsearch
export NO_COLOR=1 LC_ALL=C.UTF-8
unset FZ_DB

t=$(mktemp -d)
mnt=
cleanup()
{
    if [ -n "$mnt" ]; then umount "$mnt" 2>/dev/null; fi
    chmod -R u+rwX "$t" 2>/dev/null
    rm -rf "$t"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ulimit -c 0     # a crash is reported by expect, and leaves no core
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
note() { skip=$((skip + 1)); echo "skip $1: $2"; }

# run CMD...: status in $st, stdout in $t/out, stderr in $t/err.
run()
{
    "$@" > "$t/out" 2> "$t/err"
    st=$?
    if [ "${VERBOSE:-0}" = 1 ]; then
        echo "     \$ exit $st"
        sed 's/^/     | /' "$t/err"
    fi
}

# expect NAME STATUS LINES WORD...: the last run ended with STATUS, wrote
# LINES lines on stderr, each WORD among them, and nothing on stdout.
# Returns 1 (said) on a mismatch.
expect()
{
    _case=$1 _want=$2 _lines=$3
    shift 3
    _got=$(wc -l < "$t/err")
    if [ "$st" -gt 128 ] && [ "$_want" -le 128 ]; then
        bad "$_case" "killed by signal $((st - 128)) ($(kill -l $((st - 128)))); stderr: $(head -c 300 "$t/err")"
        return 1
    fi
    if [ "$st" != "$_want" ]; then
        bad "$_case" "exit $st, want $_want; stderr: $(head -c 300 "$t/err")"
        return 1
    fi
    if [ "$_got" != "$_lines" ]; then
        bad "$_case" "$_got lines on stderr, want $_lines: $(head -c 600 "$t/err")"
        return 1
    fi
    for _w in "$@"; do
        if ! grep -qF -- "$_w" "$t/err"; then
            bad "$_case" "stderr lacks '$_w': $(head -c 300 "$t/err")"
            return 1
        fi
    done
    if [ -s "$t/out" ]; then
        bad "$_case" "stdout not empty: $(head -c 200 "$t/out")"
        return 1
    fi
    return 0
}

# hits DB PHRASE: the number of passages holding PHRASE ("" on error).
hits()
{
    "$FZSEARCH" --db "$1" --count "$2" 2> /dev/null
}

# found NAME DB PHRASE... / absent NAME DB PHRASE...: each is (not) found
# and the index opens.  Returns 1 (said) on a mismatch.
found()
{
    _case=$1 _db=$2
    shift 2
    for _p in "$@"; do
        _n=$(hits "$_db" "$_p")
        case $_n in
        ''|0) bad "$_case" "'$_p' not found in $_db (count '$_n')"; return 1 ;;
        esac
    done
    return 0
}
absent()
{
    _case=$1 _db=$2
    shift 2
    for _p in "$@"; do
        _n=$(hits "$_db" "$_p")
        if [ "$_n" != 0 ]; then
            bad "$_case" "'$_p' in $_db: count '$_n', want 0"
            return 1
        fi
    done
    return 0
}

# A good report every run indexes beside the bad input.
GOOD='依法行政工作扎实推进'
printf '一、总体情况\n2023年，本区%s，行政复议案件全部办结。\n' "$GOOD" > "$t/good.txt"

# newdb: a fresh index path in $db (not in a subshell: n must count)
n=0
newdb() { n=$((n + 1)); db=$t/idx$n; }

# ---- point 5: bad input to fzindex -----------------------------------

# GB18030 (with 𠀾, four bytes in GB18030, outside GBK) and GBK: indexed,
# silently, and found by a phrase of their own.
GB='政务公开标准化规范化'
printf '二、政务公开\n本区推进%s建设，𠀾字照录。\n' "$GB" |
    iconv -f UTF-8 -t GB18030 > "$t/gb18030.txt"
GBK='深入开展法治宣传教育'
printf '三、法治宣传\n%s，落实普法责任制。\n' "$GBK" |
    iconv -f UTF-8 -t GBK > "$t/gbk.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/gb18030.txt" "$t/gbk.txt"
expect gb18030-gbk 0 0 && found gb18030-gbk "$db" "$GOOD" "$GB" "$GBK" "𠀾" &&
    ok gb18030-gbk

# Invalid UTF-8 in the middle: indexed, the bytes replaced and said.
BADU='严格规范公正文明执法'
printf '四、行政执法\n%s\377\376坚持执法公示。\n' "$BADU" > "$t/invalid-utf8.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/invalid-utf8.txt"
expect invalid-utf8 0 1 invalid-utf8.txt "invalid" &&
    found invalid-utf8 "$db" "$GOOD" "$BADU" && ok invalid-utf8

# Binary files: a PNG named .txt, an ELF (a copy of /bin/true) named as
# it is.  Each refused, by name; the good file indexed.
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001\0\0\0\001\010\006\0\0\0' \
    > "$t/image.txt"
head -c 4096 /dev/zero >> "$t/image.txt"
cp /bin/true "$t/program"
for f in image.txt program; do
    newdb
    run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/$f"
    expect "binary-$f" 1 1 "$f" "binary" && found "binary-$f" "$db" "$GOOD" &&
        ok "binary-$f"
done

# An empty file: nothing to index, said.
: > "$t/empty.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/empty.txt"
expect empty 1 1 empty.txt "no text" && found empty "$db" "$GOOD" && ok empty

# A 50 MiB file with no newline: real report text over and over.  More
# than a report may be (16 MiB, README "Limits"): refused unread, said.
tr -d '\n' < "$top/corpus/001_5786f2a229778fa1.txt" > "$t/chunk"
size=$(wc -c < "$t/chunk")
copies=$(( (50 * 1048576 + size - 1) / size ))
yes "$(cat "$t/chunk")" | head -n "$copies" | tr -d '\n' > "$t/huge.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/huge.txt"
expect huge-no-newline 1 1 huge.txt "larger than a report may be" &&
    found huge-no-newline "$db" "$GOOD" && ok huge-no-newline
# ... while 1 MiB of the same, no newline either, is one report, found
# by a phrase from its text.
copies=$(( 1048576 / size ))
yes "$(cat "$t/chunk")" | head -n "$copies" | tr -d '\n' > "$t/long-line.txt"
LONG='依法公正作出行政复议决定'        # a phrase of that report
grep -qF "$LONG" "$t/chunk" || bad long-line "'$LONG' is not in the corpus"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/long-line.txt"
expect long-line 0 0 && found long-line "$db" "$GOOD" "$LONG" && ok long-line

# NUL bytes: replaced, said; the text around them is indexed.
NULA='加强行政执法监督' NULB='推动严格规范执法'
printf '五、监督\n%s\0%s。\n' "$NULA" "$NULB" > "$t/nul.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/nul.txt"
expect nul 0 1 nul.txt "NUL" && found nul "$db" "$GOOD" "$NULA" "$NULB" &&
    ok nul

# JSON Lines: one malformed line among good ones; one record without
# text.  Each bad line named as file:line; the other records indexed.
J1='行政复议体制改革稳步推进' J2='行政机关负责人出庭应诉'
rec1="{\"title\":\"甲\",\"text\":\"一、复议\\n$J1。\"}"
rec2="{\"title\":\"乙\",\"text\":\"二、应诉\\n$J2。\"}"
printf '%s\n{"title":"坏", "text": "未完\n%s\n' "$rec1" "$rec2" \
    > "$t/malformed.jsonl"
printf '%s\n%s\n{"title":"无正文","year":2023}\n' "$rec1" "$rec2" \
    > "$t/no-text.jsonl"
for f in malformed:2:"not valid JSON" no-text:3:'no "text" or "content"'; do
    name=${f%%:*} rest=${f#*:}
    line=${rest%%:*} why=${rest#*:}
    newdb
    run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/$name.jsonl"
    expect "jsonl-$name" 1 1 "$name.jsonl:$line: $why" &&
        found "jsonl-$name" "$db" "$GOOD" "$J1" "$J2" && ok "jsonl-$name"
done

# HTML with broken markup: unclosed and stray tags, no quotes; the text
# is all there, inline tags joining what they split.
H1='重大行政决策程序' H2='程序规范有序' H3='听证制度全面落实'
printf '<html><head><title>八、决策<body><p>%s<b>规范<i>有序</p></div></span><table><td>%s<p align=center>' \
    "$H1" "$H3" > "$t/broken.html"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/broken.html"
expect broken-html 0 0 && found broken-html "$db" "$GOOD" "$H1" "$H2" "$H3" &&
    ok broken-html

# Names with spaces and Han characters, in a folder named so too: found;
# and a bad file so named is named whole.
SP='规范性文件备案审查'
mkdir "$t/法治 报告"
printf '九、备案\n%s全覆盖。\n' "$SP" > "$t/法治 报告/2023 年度 报告.txt"
: > "$t/法治 报告/空 的.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/法治 报告"
expect spaces-han 1 1 "法治 报告/空 的.txt: no text" &&
    found spaces-han "$db" "$GOOD" "$SP" && ok spaces-han

# A missing path.
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/no such.txt"
expect missing 1 1 "no such.txt: No such file or directory" &&
    found missing "$db" "$GOOD" && ok missing

# Symbolic links.  Named on the command line: followed; a loop (a -> b ->
# a) said.  Inside a folder: a link to a file in it is indexed; a loop,
# a link to a folder (here to its own parent) and one out of the folder
# (to a secret beside it) are each one line, and not followed.
SECRET='机密标记甲乙丙丁戊'
printf '十、机密\n%s\n' "$SECRET" > "$t/secret.txt"
ln -s loop-b "$t/loop-a"
ln -s loop-a "$t/loop-b"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/loop-a"
expect link-loop-named 1 1 "loop-a: symbolic link loop" &&
    found link-loop-named "$db" "$GOOD" && ok link-loop-named
IN='政府信息主动公开'
mkdir -p "$t/tree/sub"
printf '十一、公开\n%s\n' "$IN" > "$t/tree/sub/real.txt"
ln -s sub/real.txt "$t/tree/inside.txt"
ln -s .. "$t/tree/sub/up"
ln -s ../secret.txt "$t/tree/out.txt"
ln -s lb.txt "$t/tree/la.txt"
ln -s la.txt "$t/tree/lb.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/tree"
expect links-in-folder 1 4 "tree/la.txt: symbolic link loop" \
    "tree/lb.txt: symbolic link loop" \
    "tree/sub/up: symbolic link to a folder, not followed" \
    "tree/out.txt: symbolic link out of the folder" &&
    found links-in-folder "$db" "$GOOD" "$IN" &&
    absent links-in-folder "$db" "$SECRET" && ok links-in-folder
# the same secret named on the command line through a link: followed
ln -s secret.txt "$t/named-link.txt"
newdb
run "$FZINDEX" -q --db "$db" "$t/named-link.txt"
expect link-named 0 0 && found link-named "$db" "$SECRET" && ok link-named

# A FIFO: named, refused; in a folder (as x.txt, or as a sidecar x.json)
# it must not block the run.
mkfifo "$t/fifo.txt"
newdb
run timeout 60 "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/fifo.txt"
expect fifo-named 1 1 "fifo.txt: not a file or folder" &&
    found fifo-named "$db" "$GOOD" && ok fifo-named
mkdir "$t/fifos"
mkfifo "$t/fifos/pipe.txt" "$t/fifos/side.json"
cp "$t/good.txt" "$t/fifos/side.txt"
newdb
run timeout 60 "$FZINDEX" -q --db "$db" "$t/fifos"
expect fifo-folder 1 1 "side.json: not a regular file" && ok fifo-folder

# Unreadable: a file mode 000, and an index folder mode 555.  Root reads
# and writes them anyway: then as user 65534, if setpriv(1) can.
as_user=
if [ "$(id -u)" != 0 ]; then
    as_user=" "
elif command -v setpriv > /dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups \
         "$FZINDEX" --help > /dev/null 2>&1; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -n "$as_user" ]; then
    chmod 755 "$t"
    mkdir "$t/user"
    chmod 777 "$t/user"
    printf '十二、审计\n审计监督全覆盖。\n' > "$t/unreadable.txt"
    chmod 000 "$t/unreadable.txt"
    chmod 644 "$t/good.txt"
    run $as_user "$FZINDEX" -q --db "$t/user/idx" "$t/good.txt" \
        "$t/unreadable.txt"
    expect unreadable 1 1 "unreadable.txt: Permission denied" &&
        found unreadable "$t/user/idx" "$GOOD" && ok unreadable
    # an index the user may read but not write
    newdb
    "$FZINDEX" -q --db "$db" "$t/good.txt"
    chmod -R a+rX "$db"
    chmod 555 "$db"
    run $as_user "$FZINDEX" -q --db "$db" "$t/gbk.txt"
    expect index-not-writable 2 1 \
        "idx$n: cannot write the index here (Permission denied)" &&
        found index-not-writable "$db" "$GOOD" && ok index-not-writable
    chmod 755 "$db"
else
    note unreadable "running as root without setpriv: chmod stops no one"
    note index-not-writable "running as root without setpriv"
fi
# ... and what stops root too: a file where the index folder would go.
: > "$t/plain"
run "$FZINDEX" -q --db "$t/plain/idx" "$t/good.txt"
expect index-under-file 2 1 "plain/idx: not a folder" && ok index-under-file

# A full disk: a 2 MiB tmpfs (or a 2 MiB file size limit) and a good
# report indexed (and committed) first, then generated reports until the
# index no longer fits.  One line names the report being written; what
# was committed before is kept and the index still opens.
(cd "$top" && "$B/gencorpus" "$t/gen" --files 80 --seed 7 \
    --from "$top/corpus" > /dev/null 2>&1)
full=
mkdir "$t/mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m fz-badinput "$t/mnt" \
    2> /dev/null; then
    mnt=$t/mnt
    full="tmpfs"
    why="No space left on device"
    "$FZINDEX" -q --db "$mnt/idx" "$t/good.txt"
    run "$FZINDEX" -q --db "$mnt/idx" "$t/gen"
else
    full="ulimit -f"
    why="File too large"
    "$FZINDEX" -q --db "$t/mnt/idx" "$t/good.txt"
    run sh -c 'trap "" XFSZ; ulimit -f 2048; exec "$@"' sh \
        "$FZINDEX" -q --db "$t/mnt/idx" "$t/gen"
fi
echo "     (full disk: $full)"
expect "full-disk" 2 1 "/gen/r" "$why" &&
    found full-disk "$t/mnt/idx" "$GOOD" && ok full-disk
# ... and a read-only file system, which stops root too
if [ -n "$mnt" ] && mount -o remount,ro "$mnt" 2> /dev/null; then
    run "$FZINDEX" -q --db "$mnt/idx" "$t/gbk.txt"
    expect index-read-only 2 1 \
        "idx: cannot write the index here (Read-only file system)" &&
        found index-read-only "$mnt/idx" "$GOOD" && ok index-read-only
else
    note index-read-only "no tmpfs to remount read-only"
fi

# --db that is not an index folder: a file; a folder of other files.
echo "一些笔记" > "$t/notes"
mkdir "$t/papers"
cp "$t/good.txt" "$t/papers/a.txt"
run "$FZINDEX" -q --db "$t/notes" "$t/good.txt"
expect index-db-file 2 1 "notes: not a folder" && ok index-db-file
run "$FZINDEX" -q --db "$t/papers" "$t/good.txt"
expect index-db-folder 2 1 "papers: not an index, and not empty" &&
    [ "$(ls "$t/papers")" = a.txt ] && ok index-db-folder

# An unknown option.
run "$FZINDEX" --frobnicate "$t/good.txt"
expect index-unknown-option 2 1 "unknown option '--frobnicate'" &&
    ok index-unknown-option

# ---- point 5: bad input to fzsearch -----------------------------------

db=$t/idx1                      # gb18030-gbk: good, GB18030, GBK

# 10,000 characters: too long, counted in characters; 2000 are a query.
q=$(yes '法' | head -n 10000 | tr -d '\n')
run "$FZSEARCH" --db "$db" "$q"
expect query-10000 2 1 "too long (10000 characters" && ok query-10000
q=$(yes '法' | head -n 2000 | tr -d '\n')
run "$FZSEARCH" --db "$db" --count "$q"
[ "$st" = 1 ] && [ "$(cat "$t/out")" = 0 ] && ok query-2000 ||
    bad query-2000 "exit $st: $(cat "$t/err")"

# Punctuation only, unbalanced quotes, an unknown option.
run "$FZSEARCH" --db "$db" '。，！？……'
expect query-punctuation 2 1 "nothing to search for" && ok query-punctuation
run "$FZSEARCH" --db "$db" "\"$GOOD"
expect query-quote 2 1 "unbalanced quote at character 1" && ok query-quote
run "$FZSEARCH" --db "$db" "$GOOD" '“依法'
expect query-curly-quote 2 1 "unbalanced quote" && ok query-curly-quote
run "$FZSEARCH" --db "$db" --frobnicate "$GOOD"
expect search-unknown-option 2 1 "unknown option '--frobnicate'" &&
    ok search-unknown-option

# --db that is not an index: an empty folder, a plain file (empty, and
# text), a folder of random files, one whose version file is junk.
mkdir "$t/empty-dir" "$t/random" "$t/junk"
: > "$t/empty-file"
for i in 1 2 3; do head -c 4096 /dev/urandom > "$t/random/f$i"; done
head -c 4096 /dev/urandom > "$t/junk/iamglass"
for d in empty-dir:"no index here; build one with" \
         random:"no index here, but other files" \
         empty-file:"not an index" notes:"not an index" \
         junk:"not an index, or a damaged one"; do
    name=${d%%:*} why=${d#*:}
    run "$FZSEARCH" --db "$t/$name" "$GOOD"
    expect "search-db-$name" 2 1 "$name: $why" && ok "search-db-$name"
done

# ---- point 6: hostile input ---------------------------------------------

# XXE: an internal subset with an external entity on a local secret and
# one on a URL, used in the text; the secret's folder links, frames and
# XInclude.  Nothing of the secret comes in, nothing is fetched: a
# listener on loopback (when python3 is there) sees no connection.
port=9 listener=
if command -v python3 > /dev/null; then
    python3 - "$t/port" "$t/connected" <<'EOF' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(120)
try:
    c, _ = s.accept()
    open(sys.argv[2], "w").write("connected\n")
except Exception:
    pass
EOF
    listener=$!
    i=0
    while [ ! -s "$t/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    port=$(cat "$t/port" 2> /dev/null || echo 9)
fi
X1='外部实体之后的正文照常'
url="http://127.0.0.1:$port/xxe"
cat > "$t/xxe.html" <<EOF
<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY xxe SYSTEM "file://$t/secret.txt">
  <!ENTITY net SYSTEM "$url">
  <!ENTITY % dtd SYSTEM "$url.dtd"> %dtd;
]>
<html xmlns:xi="http://www.w3.org/2001/XInclude"><head>
<title>外部实体&xxe;</title>
<link rel="stylesheet" href="$url.css"><script src="$url.js"></script>
</head><body>
<p>本地文件：&xxe;</p><p>网络：&net;</p>
<xi:include href="file://$t/secret.txt" parse="text"/>
<iframe src="file://$t/secret.txt">框架</iframe>
<img src="$url.png"><object data="file://$t/secret.txt"></object>
<p>$X1</p>
</body></html>
EOF
newdb
run timeout 60 "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/xxe.html"
expect xxe 0 0 && found xxe "$db" "$GOOD" "$X1" &&
    absent xxe "$db" "$SECRET" && ok xxe
if [ -n "$listener" ]; then
    kill "$listener" 2> /dev/null
    wait "$listener" 2> /dev/null
    if [ -e "$t/connected" ]; then
        bad xxe-network "something connected to $url"
    else
        ok xxe-network
    fi
else
    note xxe-network "no python3 to listen on loopback"
fi

# Billion laughs: 10^9 "lol"s if expanded.  Done in seconds, the entity
# left as written (so no "lollol" anywhere); without ASan, in 1 GiB of
# address space.
{
    printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    prev=lol
    for i in 1 2 3 4 5 6 7 8 9; do
        printf ' <!ENTITY lol%s "' $i
        for k in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $prev; done
        printf '">\n'
        prev=lol$i
    done
    printf ']>\n<html><body><p>十亿笑：&lol9;</p><p>笑声之后依然可以检索</p></body></html>\n'
} > "$t/laughs.html"
LAUGH='笑声之后依然可以检索'
limit=
if ! ldd "$FZINDEX" 2> /dev/null | grep -q libasan; then
    limit='ulimit -v 1048576;'
fi
newdb
run timeout 60 sh -c "$limit"' exec "$@"' sh "$FZINDEX" -q --db "$db" \
    "$t/good.txt" "$t/laughs.html"
expect billion-laughs 0 0 && found billion-laughs "$db" "$GOOD" "$LAUGH" &&
    absent billion-laughs "$db" lollol && ok billion-laughs

# JSON nested a million deep, and a record over 16 MiB: each refused as
# file:line before it is parsed; the records around them indexed.
{
    printf '%s\n' "$rec1"
    printf '{"text":"深","x":'
    yes '[' | head -n 1000000 | tr -d '\n'
    echo
    printf '{"title":"大","text":"'
    head -c $((16 * 1048576)) /dev/zero | tr '\0' 'a'
    echo '"}'
    printf '%s\n' "$rec2"
} > "$t/hostile.jsonl"
newdb
run timeout 120 "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/hostile.jsonl"
expect json-hostile 1 2 "hostile.jsonl:2: nested deeper than 16 levels" \
    "hostile.jsonl:3: record of 16.0 MiB, larger than a report may be" &&
    found json-hostile "$db" "$GOOD" "$J1" "$J2" && ok json-hostile

# A sidecar that is a link to the secret: not followed, and the report
# beside it is not indexed without the metadata it was given.
mkdir "$t/side"
cp "$t/good.txt" "$t/side/r.txt"
ln -s ../secret.txt "$t/side/r.json"
newdb
run "$FZINDEX" -q --db "$db" "$t/side"
expect sidecar-link 1 1 "r.json: symbolic link, not followed" &&
    absent sidecar-link "$db" "$SECRET" && ok sidecar-link

# ---- documents: PDF, DOCX, OFD that cannot be read ----------------------
# Each is named in one line with the reason, the run goes on (exit 1), and
# the good report of the same run is found.  Made here: a print of seed
# 003 (tools/mkpdf), cut in half; a scan of its first page; a DOCX whose
# document.xml inflates past the bound (a zip bomb); an OFD without its
# OFD.xml; a PDF that is really a web page (read as one).
"$B/mkpdf" "$top/corpus/003_65475f305930a54e.txt" "$t/print.pdf"
head -c $(( $(wc -c < "$t/print.pdf") / 2 )) "$t/print.pdf" > "$t/half.pdf"
"$B/mkpdf" --scan 1 "$top/corpus/003_65475f305930a54e.txt" "$t/scan.pdf"
python3 - "$t" <<'PY'
import sys, zipfile
t = sys.argv[1]
with zipfile.ZipFile(t + "/bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", "<w:document>" + " " * (300 << 20))
with zipfile.ZipFile(t + "/empty.ofd", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Doc_0/Document.xml", "<ofd:Document/>")
PY
PAGE='网页形式保存的年度报告正文'
printf '<html><body><p>2023年，%s，依法行政各项工作取得新成效，行政复议案件全部办结。</p></body></html>' "$PAGE" > "$t/page.pdf"
newdb
run "$FZINDEX" -q --db "$db" "$t/good.txt" "$t/half.pdf" "$t/scan.pdf" \
    "$t/bomb.docx" "$t/empty.ofd" "$t/page.pdf"
expect documents 1 4 "half.pdf: truncated PDF" \
    "scan.pdf: no text layer on 1 of 1 page (scanned; --ocr reads it)" \
    "bomb.docx:" "empty.ofd:" &&
    found documents "$db" "$GOOD" "$PAGE" && ok documents

echo "badinput: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
