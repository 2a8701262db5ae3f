#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Files and measures for tests/integration/desktop.bats and tests/bench/first-window.

usage: desktop.py png FILE          a 320x240 PNG: pure green (0,200,0) but for a grey ramp
                                    along its right edge
       desktop.py pdf FILE TEXT     a one-page PDF: TEXT in large letters above a pure blue
                                    (0,0,255) rectangle
       desktop.py html FILE TITLE   a page titled TITLE, pure blue (0,0,255) all over
       desktop.py share FILE R G B  how many of the pixels of FILE (raw 8-bit RGB, as
                                    `import -window root rgb:FILE` or `stream -map rgb
                                    -storage-type char` write it) are of colour R G B (each
                                    component within 24), in per mille, as an integer

Standard library only: the tests need no Python package.
"""
import struct
import sys
import zlib

GREEN = (0, 200, 0)


def png(path):
    w, h = 320, 240
    rows = bytearray()
    for _ in range(h):
        rows.append(0)  # filter: none
        for x in range(w):
            if x < w - 40:
                rows += bytes(GREEN)
            else:
                v = (x - (w - 40)) * 6
                rows += bytes((v, v, v))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(rows))))
        f.write(chunk(b"IEND", b""))


def pdf(path, text):
    content = ("BT /F1 48 Tf 72 700 Td (%s) Tj ET 0 0 1 rg 72 300 468 300 re f" % text).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def html(path, title):
    with open(path, "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                "<body style=\"margin:0; background:#0000ff\"><h1>%s</h1></body></html>\n"
                % (title, title))


def share(path, r, g, b):
    with open(path, "rb") as f:
        data = f.read()
    n = len(data) // 3
    if n == 0:
        return 0
    hits = sum(1 for pr, pg, pb in zip(data[0::3], data[1::3], data[2::3])
               if abs(pr - r) <= 24 and abs(pg - g) <= 24 and abs(pb - b) <= 24)
    return hits * 1000 // n


def main(argv):
    if len(argv) >= 2 and argv[0] == "png":
        png(argv[1])
    elif len(argv) >= 3 and argv[0] == "pdf":
        pdf(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "html":
        html(argv[1], argv[2])
    elif len(argv) == 5 and argv[0] == "share":
        print(share(argv[1], int(argv[2]), int(argv[3]), int(argv[4])))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
