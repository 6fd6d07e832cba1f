"""CSV files as exported: encoding (UTF-8 with or without BOM, else Windows-1252 with a note),
delimiter sniffing (; or , or tab), quoted newlines, and an optional HXL tag row."""

from __future__ import annotations

import codecs
import csv
import io

from ...diagnostics import UserError


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
    text, note = decode(data, where)
    notes = [note] if note else []
    if not text.strip():
        raise UserError(f"{where}: the file is empty; export the data again")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UserError(f"{where}: not a readable CSV file ({exc}); export it again") from None
    if text.count('"') % 2:
        notes.append(
            f"{where}: the file ends inside a quoted value, so it may be cut short; "
            "the last record is read as it stands"
        )
    header, body = rows[0], rows[1:]
    numbered = [(n, cells) for n, cells in enumerate(body, start=2)]
    if numbered and is_hxl_row(numbered[0][1]):
        numbered = numbered[1:]
    numbered = [(n, cells) for n, cells in numbered if any(c.strip() for c in cells)]
    return header, numbered, notes


def is_hxl_row(cells: list) -> bool:
    """True for a row of HXL hashtags (#adm1 +name ...)."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    return bool(texts) and all(t.startswith("#") for t in texts)
