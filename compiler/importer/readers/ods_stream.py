"""An OpenDocument spreadsheet (.ods, as LibreOffice saves it) read as a stream: its named
ranges, then its sheets' rows one at a time, from content.xml fed to lxml's pull parser a
chunk at a time (safe options, a DOCTYPE refused first: `xlsx_parts.Member`).

Values are what python-calamine gives for the same cells (text, float, bool, date, datetime,
time; "" for none), but repeated rows and cells (`number-rows-repeated`, which LibreOffice
writes for blank areas and a hostile file can set to a million on a filled row) are never
expanded into a grid: calamine does, so a 40 KB .ods can ask it for gigabytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from lxml import etree

from ...diagnostics import UserError
from .. import limits
from .xlsx_parts import BUILT_IN_NAME, Member, pull_parser

Rows = Iterator[tuple[int, list[Any]]]  # (1-based row number, cells from column A)
Area = tuple[str, int, int, int, int]  # (sheet, first row, first column, last row, last column)

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ROWS = 1_048_576  # LibreOffice's last row; a filled row past it is refused
MAX_COLUMNS = 16_384  # LibreOffice's last column (XFD); a filled cell past it is refused

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T_TABLE, _T_ROW = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
_T_CELL, _T_COVERED = f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
_T_RANGE = f"{{{_TABLE}}}named-range"
_T_NAME, _T_ADDRESS = f"{{{_TABLE}}}name", f"{{{_TABLE}}}cell-range-address"
_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE}}}value-type"
_P, _S, _TAB, _BREAK = (f"{{{_TEXT}}}{t}" for t in ("p", "s", "tab", "line-break"))
_NUMBERS = ("float", "percentage", "currency")
# one end of a range: $'Sheet name'.$A$1 or $Sheet.$A$1 or .$A$1 (the sheet of the other end)
_END = r"\$?(?:'((?:[^']|'')*)'|([^.'\s:$][^.'\s:]*))?\.\$?([A-Za-z]{1,3})\$?([0-9]{1,7})"
_RANGE = re.compile(_END + r"(?::" + _END + r")?")


def is_ods(archive: zipfile.ZipFile) -> bool:
    """True for an OpenDocument spreadsheet: its 'mimetype' member says so (ODF's rule)."""
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return False
    if info.file_size > 200:
        return False
    try:
        return archive.read(info).strip() == MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return False


def unreadable(path: Path, detail: object) -> UserError:
    """The one line for an .ods file that cannot be read."""
    text = " ".join(str(detail).split())[:200]
    return UserError(f"{path}: not a readable .ods spreadsheet ({text}); save it again")


class OdsBook:
    """An .ods spreadsheet read as a stream: `names` now, the rows of each sheet by `sheets`."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.path = path
        self._archive = archive
        if "content.xml" not in archive.namelist():
            raise unreadable(path, "no content.xml")
        self.names = self._named_ranges()

    def _events(self, tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        member = Member(
            self._archive, "content.xml", self.path, limits.MAX_MEMBER_BYTES, unreadable
        )
        parser, source = pull_parser(("start", "end"), tags)
        try:
            for events in member.events(parser, source):
                yield from events
        finally:
            member.close()

    def _named_ranges(self) -> dict[str, list[Area]]:
        """Named ranges by name: the workbook's, then a sheet's own where the name is free."""
        names: dict[str, list[Area]] = {}
        # cells and rows are dropped as they end: the ranges come after every sheet
        for event, item in self._events((_T_RANGE, _T_ROW, _T_CELL, _T_COVERED)):
            if event != "end":
                continue
            if item.tag == _T_RANGE:
                name = item.get(_T_NAME)
                if name and name not in names and not name.startswith(BUILT_IN_NAME):
                    names[name] = range_areas(item.get(_T_ADDRESS) or "")
            _drop(item)
        return names

    def sheets(self) -> Iterator[tuple[str, Rows]]:
        """Each sheet's name and its rows holding a value, in order, as (1-based row number,
        cells from column A, "" where empty). Read in one pass: read a sheet's rows before
        asking for the next sheet. A repeated row is given as the same list each time."""
        events = self._events((_T_TABLE, _T_ROW, _T_CELL, _T_COVERED))
        for event, item in events:
            if item.tag == _T_TABLE and event == "start":
                yield item.get(_T_NAME) or "", self._rows(events)

    def _rows(self, events: Iterator[tuple[str, Any]]) -> Rows:
        row = 0  # rows before the current one
        cells: list[Any] = []
        column = 0
        for event, item in events:
            tag = item.tag
            if tag in (_T_CELL, _T_COVERED):
                if event == "end":
                    column = self._cell(item, cells, column)
                    _drop(item)
            elif tag == _T_ROW:
                if event == "start":
                    cells, column = [], 0
                    continue
                repeat = _count(item.get(_ROWS_REPEATED), self.path)
                _drop(item)
                if cells:
                    if row + repeat > MAX_ROWS:
                        raise unreadable(self.path, f"a filled row past row {MAX_ROWS}")
                    for number in range(row + 1, row + repeat + 1):
                        yield number, cells
                row += repeat
            elif tag == _T_TABLE and event == "end":
                _drop(item)
                return

    def _cell(self, item: Any, cells: list[Any], column: int) -> int:
        """Put a cell's value (repeated as it says) into `cells`; the next column."""
        repeat = _count(item.get(_COLUMNS_REPEATED), self.path)
        value = cell_value(item) if item.tag == _T_CELL else ""
        if value == "":
            return column + repeat
        if column + repeat > MAX_COLUMNS:
            raise unreadable(self.path, f"a filled cell past column {MAX_COLUMNS}")
        cells.extend([""] * (column - len(cells)))
        cells.extend([value] * repeat)
        return column + repeat

    def close(self) -> None:
        """Close the zip file."""
        self._archive.close()


def _count(text: str | None, path: Path) -> int:
    if text is None:
        return 1
    if not text.isdigit() or not 0 < int(text) <= MAX_ROWS:
        raise unreadable(path, f"a repeat count '{text[:20]}'")
    return int(text)


def _drop(item: Any) -> None:
    """Free an element read, and the siblings before it (all read by then)."""
    item.clear()
    parent = item.getparent()
    while item.getprevious() is not None and parent is not None:
        del parent[0]


def cell_value(cell: Any) -> Any:
    """A <table:table-cell>'s value as python-calamine gives it ("" when it holds none)."""
    kind = cell.get(_VALUE_TYPE)
    if kind is None:
        return ""
    if kind in _NUMBERS:
        try:
            return float(cell.get(f"{{{_OFFICE}}}value") or "")
        except ValueError:
            return _text(cell)
    if kind == "boolean":
        return (cell.get(f"{{{_OFFICE}}}boolean-value") or "").strip().lower() == "true"
    if kind == "date":
        text = cell.get(f"{{{_OFFICE}}}date-value") or ""
        try:
            return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "time":
        found = re.fullmatch(
            r"PT(\d+)H(\d+)M(\d+)(?:\.\d+)?S", cell.get(f"{{{_OFFICE}}}time-value") or ""
        )
        if found and int(found.group(1)) < 24:
            return time(*(int(g) for g in found.groups()))
        return _text(cell)
    string = cell.get(f"{{{_OFFICE}}}string-value")
    return string if string is not None else _text(cell)


def _text(cell: Any) -> str:
    """The text of a cell's paragraphs (one per line), spaces and tabs written as elements
    (<text:s text:c="3"/>, <text:tab/>, <text:line-break/>) put back."""
    lines = []
    for paragraph in cell.iterchildren(_P):
        parts: list[str] = []
        for event, el in etree.iterwalk(paragraph, events=("start", "end")):
            if event == "start":
                if el.tag == _S:
                    count = el.get(f"{{{_TEXT}}}c") or "1"
                    parts.append(" " * min(int(count) if count.isdigit() else 1, 1024))
                elif el.tag == _TAB:
                    parts.append("\t")
                elif el.tag == _BREAK:
                    parts.append("\n")
                if el.text and el.tag not in (_S, _TAB, _BREAK):
                    parts.append(el.text)
            elif el is not paragraph and el.tail:
                parts.append(el.tail)
        lines.append("".join(parts))
    return "\n".join(lines)


def range_areas(address: str) -> list[Area]:
    """The areas of an ODF range address ('$Questions.$C$9:.$C$11', several separated by
    spaces); [] when it is not one (e.g. '#REF!' after a deleted sheet)."""
    areas: list[Area] = []
    at = 0
    while at < len(address):
        if address[at] == " ":
            at += 1
            continue
        found = _RANGE.match(address, at)
        if found is None or (found.end() < len(address) and address[found.end()] != " "):
            return []
        at = found.end()
        quoted, bare, col1, row1, quoted2, bare2, col2, row2 = found.groups()
        sheet = quoted.replace("''", "'") if quoted is not None else bare
        if not sheet:
            return []
        first = (int(row1), column_number(col1))
        last = (int(row2), column_number(col2)) if col2 else first
        other = quoted2.replace("''", "'") if quoted2 is not None else bare2
        if other and other != sheet:
            return []  # a 3-D range over several sheets: not a range of answer cells
        areas.append((sheet, min(first[0], last[0]), min(first[1], last[1]),
                      max(first[0], last[0]), max(first[1], last[1])))  # fmt: skip
    return areas


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number
