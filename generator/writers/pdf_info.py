"""Document information entries added to a finished PDF, and read back.

LibreOffice does not carry a deck's custom properties into its PDF, so the
fingerprint is added afterwards as an incremental update (PDF 1.7, 7.5.6): a new
document information dictionary (the old entries and ours) and a cross-reference
section for it are appended; the bytes LibreOffice wrote stay as they are.
Values are UTF-16 text strings, which `pdfinfo -custom` shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.DOTALL)
_REF = rb"/%s\s+(\d+)\s+(\d+)\s+R"
_SIZE = re.compile(rb"/Size\s+(\d+)")
_ID = re.compile(rb"/ID\s*(\[[^\]]*\])")
_TAIL = 64 * 1024  # where the last trailer is: LibreOffice's is a few hundred bytes


def add_info(data: bytes, entries: Mapping[str, str]) -> bytes:
    """Return the PDF data with entries added to its document information.

    A PDF whose last section is not a classic cross-reference table (LibreOffice
    writes one) is returned as it is: there is nowhere safe to add them.
    """
    end = _STARTXREF.search(data[-1024:])
    trailers = list(_TRAILER.finditer(data[-_TAIL:]))
    if end is None or not trailers:
        return data
    trailer = trailers[-1].group(1)
    size = _SIZE.search(trailer)
    root = re.search(_REF % b"Root", trailer)
    if size is None or root is None:
        return data
    number = int(size.group(1))
    old = b""
    info = re.search(_REF % b"Info", trailer)
    if info is not None:
        start = re.search(rb"(?:^|[\r\n])%s\s+%s\s+obj\s*<<" % (info.group(1), info.group(2)), data)
        old = _dictionary_body(data, start.end()) if start is not None else b""
    ours = b"".join(
        b"/%s %s" % (key.encode("ascii"), _text(value)) for key, value in entries.items()
    )
    update = b"" if data.endswith(b"\n") else b"\n"
    body_start = len(data) + len(update)
    update += b"%d 0 obj\n<<%s%s>>\nendobj\n" % (number, old, ours)
    xref = len(data) + len(update)
    ident = _ID.search(trailer)
    update += b"xref\n%d 1\n%010d 00000 n \ntrailer\n" % (number, body_start)
    update += b"<</Size %d/Root %s %s R/Info %d 0 R/Prev %s%s>>\n" % (
        number + 1,
        root.group(1),
        root.group(2),
        number,
        end.group(1),
        b"/ID " + ident.group(1) if ident else b"",
    )
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return data + update


def _dictionary_body(data: bytes, at: int) -> bytes:
    """Return what lies between the `<<` that ends before at and its matching `>>`.

    Literal strings (which may hold `>>` and nested or escaped parentheses) and hex
    strings are skipped whole; b"" when the dictionary does not end.
    """
    depth, index = 1, at
    while index < len(data):
        char = data[index : index + 1]
        if char == b"(":
            nesting, index = 1, index + 1
            while index < len(data) and nesting:
                char = data[index : index + 1]
                if char == b"\\":
                    index += 1
                elif char in b"()":
                    nesting += 1 if char == b"(" else -1
                index += 1
            continue
        if data.startswith(b"<<", index):
            depth, index = depth + 1, index + 2
            continue
        if data.startswith(b">>", index):
            depth -= 1
            if depth == 0:
                return data[at:index].strip()
            index += 2
            continue
        if char == b"<":  # a hex string
            index = data.find(b">", index)
            if index < 0:
                break
        index += 1
    return b""


def read_info_entry(data: bytes, key: str) -> str | None:
    """Return the last value of entry key written by add_info in data (a PDF's tail)."""
    found = list(re.finditer(rb"/%s\s*<([0-9A-Fa-f\s]*)>" % re.escape(key.encode("ascii")), data))
    if not found:
        return None
    try:
        raw = bytes.fromhex(re.sub(rb"\s", b"", found[-1].group(1)).decode("ascii"))
    except ValueError:  # an odd number of digits: not one of ours
        return None
    return raw.decode("utf-16", "replace")


def _text(value: str) -> bytes:
    """Return value as a PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
