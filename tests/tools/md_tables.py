#!/usr/bin/env python3
"""tests/tools/md_tables.py < MARKDOWN - the tables of a markdown document
as JSON, by the GitHub Flavored Markdown spec's rules (0.29-gfm, section
4.10 "Tables (extension)" and 6.1 "Backslash escapes"), written for the
tests without fzsearch's code: a row is a line starting with |; cells are
split at each | not preceded by a backslash; the delimiter row (only |, -,
: and spaces) is skipped; a blank line or any other line ends a table.
Within a cell, leading and trailing spaces are dropped, a backslash before
ASCII punctuation stands for that character, ** (strong emphasis, fz's
highlight) is dropped, and an autolink <scheme:...> is its URL.

Prints {"tables": [[[cell, ...], ...], ...], "headings": [...]}: each
table's rows, header first; and the text of each ### heading, unescaped
the same way."""
import json
import re
import string
import sys

PUNCT = set(string.punctuation)


def inline(s):
    s = s.strip()
    m = re.fullmatch(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>", s)
    if m:
        return m.group(1)
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in PUNCT:
            out.append(s[i + 1])
            i += 2
        elif s.startswith("**", i):
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def split_row(line):
    body = line.strip()
    cells, cur, i = [], [], 1 if body.startswith("|") else 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            cur.append(body[i:i + 2])
            i += 2
        elif body[i] == "|":
            cells.append("".join(cur))
            cur = []
            i += 1
        else:
            cur.append(body[i])
            i += 1
    if "".join(cur).strip():
        cells.append("".join(cur))
    return cells


def main():
    tables, headings, cur = [], [], None
    for line in sys.stdin.read().split("\n"):
        if line.startswith("|"):
            cells = split_row(line)
            if all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in cells):
                continue
            if cur is None:
                cur = []
                tables.append(cur)
            cur.append([inline(c) for c in cells])
        else:
            cur = None
            if line.startswith("### "):
                headings.append(inline(line[4:]))
    json.dump({"tables": tables, "headings": headings}, sys.stdout,
              ensure_ascii=False)
    print()


main()
