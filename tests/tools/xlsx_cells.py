#!/usr/bin/env python3
"""tests/tools/xlsx_cells.py FILE - the cells of an .xlsx workbook as JSON,
read with nothing but the standard library (zipfile, xml.etree), so that
the tests check fzsearch's workbooks independently of libxlsxwriter.

Prints {"sheets": {"<name>": [[cell, ...], ...]}}: one list per row, from
the first column; a blank cell is null, a string cell (shared or inline)
is {"s": text}, a number is {"n": value}, and a number whose style has a
date format is {"date": "YYYY-MM-DD"} (Excel's 1900 date system: serial 1
is 1900-01-01, with the phantom 1900-02-29, so day 0 is 1899-12-30 for
every date from March 1900 on).  ECMA-376 Part 1, 18.3 (sheets), 18.4
(shared strings), 18.8.30 (numFmt: built-in ids 14-22 are dates)."""
import datetime
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def text_of(si):
    # a string item: <t>, or rich text runs <r><t>
    return "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def main(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = [text_of(si) for si in sst.findall("m:si", NS)]
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode")
            for f in styles.iter("{%s}numFmt" % NS["m"])}
    date_style = []
    for xf in styles.find("m:cellXfs", NS).findall("m:xf", NS):
        fid = int(xf.get("numFmtId", "0"))
        code = fmts.get(fid, "")
        date_style.append(14 <= fid <= 22
                          or bool(re.search(r"[yd]", code.lower())))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    book = ET.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for sh in book.find("m:sheets", NS).findall("m:sheet", NS):
        t = target[sh.get(REL)]
        ws = ET.fromstring(z.read("xl/" + t.lstrip("/").replace("xl/", "", 1)))
        rows = []
        for row in ws.find("m:sheetData", NS).findall("m:row", NS):
            r = int(row.get("r")) - 1
            while len(rows) <= r:
                rows.append([])
            cells = rows[r]
            for c in row.findall("m:c", NS):
                k = col_index(c.get("r"))
                while len(cells) <= k:
                    cells.append(None)
                typ, v = c.get("t", "n"), c.find("m:v", NS)
                if typ == "s":
                    cells[k] = {"s": shared[int(v.text)]}
                elif typ == "inlineStr":
                    cells[k] = {"s": text_of(c.find("m:is", NS))}
                elif typ == "str":
                    cells[k] = {"s": v.text or ""}
                elif v is None:
                    cells[k] = None
                elif date_style[int(c.get("s", "0"))]:
                    day = datetime.date(1899, 12, 30) + \
                        datetime.timedelta(days=float(v.text))
                    cells[k] = {"date": day.isoformat()}
                else:
                    cells[k] = {"n": float(v.text)}
        out[sh.get("name")] = rows
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
