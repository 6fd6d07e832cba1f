"""CSV files as exported: encoding (UTF-8 with or without BOM, else Windows-1252 with a note),
delimiter sniffing (; or , or tab), quoted newlines, and an optional HXL tag row."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from typing import Any

from ...diagnostics import UserError
from .. import limits


def decode(data: bytes, where: str) -> tuple[str, str | None]:
    """Bytes -> (text, note or None). UTF-16 with a byte order mark, UTF-8 (BOM allowed),
    then Windows-1252; text with NUL bytes (UTF-16 without a BOM, binary) is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise UserError(
                f"{where}: the file says it is UTF-16 but is not; export it again as UTF-8"
            ) from None
    if b"\x00" in data:
        raise UserError(
            f"{where}: the file holds NUL bytes (UTF-16 without a byte order mark, or not text); "
            "export it again as UTF-8"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UserError(
            f"{where}: the file is neither UTF-8 nor Windows-1252 text; export it again as UTF-8"
        ) from None
    return text, f"{where}: not UTF-8; read as Windows-1252 (cp1252): check accented letters"


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , tab outside quotes."""
    header = _first_record(text)
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_record(text: str) -> str:
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[:i]
    return text


def read_rows(data: bytes, where: str) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """(header, [(row number counting header rows, cells)], notes). Skips an HXL tag row
    (row 2 whose non-empty cells all start with '#'), keeping row numbers true."""
    header, rows, notes = iter_rows(data, where)
    return header, list(rows), notes


def iter_rows(data: bytes, where: str) -> tuple[list[str], Iterator[tuple[int, list[str]]], list[str]]:
    """`read_rows` with the rows read as they are asked for (the text is decoded at once)."""
    text, note = decode(data, where)
    del data  # the caller's bytes are its own; the text is what the rows are read from
    notes = [note] if note else []
    if not text.strip():
        raise UserError(f"{where}: the file is empty; export the data again")
    if text.count('"') % 2:
        notes.append(
            f"{where}: the file ends inside a quoted value, so it may be cut short; "
            "the last record is read as it stands"
        )
    # the csv module has one limit for the whole process: set it to ours before each file
    csv.field_size_limit(limits.MAX_CSV_VALUE_CHARS)
    reader = csv.reader(_lines(text), delimiter=sniff_delimiter(text))
    header = _next_row(reader, where)
    return header or [], _body(reader, where), notes


# a line as a file opened with newline="" gives it: up to \r\n, \r or \n, or the last one
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines of the text, one at a time (io.StringIO would hold a copy of the text at
    four bytes per character)."""
    if text.count("\r") == text.count("\r\n"):  # every line ends in \n: cut there, in C
        return _lines_ending_lf(text)
    return (m.group() for m in _LINE.finditer(text))


def _lines_ending_lf(text: str) -> Iterator[str]:
    """The lines of a text without a lone \r: each up to its \n, as `_LINE` cuts them."""
    find = text.find
    start = 0
    while (end := find("\n", start)) >= 0:
        yield text[start : end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


def _next_row(reader: Any, where: str) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UserError(
                f"{where}: line {reader.line_num}: a value is longer than "
                f"{limits.MAX_CSV_VALUE_CHARS} characters, more than any export holds; "
                "check this is the exported file"
            ) from None
        raise UserError(f"{where}: not a readable CSV file ({exc}); export it again") from None


def _body(reader: Iterator[list[str]], where: str) -> Iterator[tuple[int, list[str]]]:
    number = 1
    while (cells := _next_row(reader, where)) is not None:
        number += 1
        if number == 2 and is_hxl_row(cells):
            continue
        if any(c.strip() for c in cells):
            yield number, cells


def is_hxl_row(cells: list) -> bool:
    """True for a row of HXL hashtags (#adm1 +name ...)."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    return bool(texts) and all(t.startswith("#") for t in texts)
