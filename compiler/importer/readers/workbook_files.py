"""The two ways to open a self-assessment workbook for its answers: as .xlsx (as written by
`rightguide build`, or saved again by Excel or LibreOffice) or as .ods (saved by LibreOffice),
told apart by content, not by name. Both give what `readback.read_workbook_cells` reads: the
defined names as cell areas and each sheet's rows, streamed.

Every opening goes through the zip limits (`safe_zip.open_checked_zip`), detection included.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from ..safe_zip import open_checked_zip
from .ods_stream import Area, OdsBook, Rows, column_number, is_ods
from .xlsx_parts import defined_names, small_xml
from .xlsx_stream import StreamBook

# one area of an Excel formula: 'Sheet name'!$A$1:$B$2 or Sheet!A1
_AREA = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!,\s][^'!,]*))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})"
    r"(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?"
)


class XlsxBook:
    """An .xlsx workbook (`StreamBook`) with its defined names read as cell areas."""

    def __init__(self, book: StreamBook, path: Path) -> None:
        self.path = path
        self._book = book
        self.names = {name: formula_areas(text) for name, text in book.defined_names.items()}

    def sheets(self) -> Iterator[tuple[str, Rows]]:
        """Each sheet's name and its rows holding a value (`StreamBook.rows`)."""
        for name in self._book.sheet_names:
            yield name, self._book.rows(name)

    def close(self) -> None:
        """Close the zip file."""
        self._book.close()


class AnswerFile:
    """An opened workbook, .xlsx or .ods: `book` has `path`, `names` and `sheets()`."""

    def __init__(self, path: Path) -> None:
        archive = open_checked_zip(path, workbook=True)
        try:
            self.book: XlsxBook | OdsBook = (
                OdsBook(archive, path)
                if is_ods(archive)
                else XlsxBook(StreamBook(archive, path), path)
            )
        except BaseException:
            archive.close()
            raise

    def __enter__(self) -> XlsxBook | OdsBook:
        return self.book

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.book.close()


def workbook_names(path: Path) -> set[str]:
    """The defined names (.xlsx) or named ranges (.ods) of a spreadsheet file, read after the
    zip limits are checked (a zip bomb is refused here, with its one line); an empty set when
    the file is not a zip or holds no workbook part (the reader of its format says why)."""
    if not zipfile.is_zipfile(path):
        return set()
    with open_checked_zip(path, workbook=True) as archive:
        if is_ods(archive):
            return set(OdsBook(archive, path).names)
        member = next((n for n in archive.namelist() if n.lower() == "xl/workbook.xml"), None)
        if member is None:
            return set()
        return set(defined_names(small_xml(archive, member, path)))


def formula_areas(text: str) -> list[Area]:
    """The areas of a defined name's formula ('Questions'!$C$9:$C$11, several separated by
    commas); [] when it is not a plain reference (e.g. '#REF!' after a deleted sheet)."""
    areas: list[Area] = []
    for part in _split_areas(text):
        found = _AREA.fullmatch(part.strip())
        if found is None:
            return []
        quoted, bare, col1, row1, col2, row2 = found.groups()
        sheet = quoted.replace("''", "'") if quoted is not None else bare.strip()
        first = (int(row1), column_number(col1))
        last = (int(row2), column_number(col2)) if col2 else first
        areas.append((sheet, min(first[0], last[0]), min(first[1], last[1]),
                      max(first[0], last[0]), max(first[1], last[1])))  # fmt: skip
    return areas


def _split_areas(text: str) -> list[str]:
    """The formula cut at commas outside quoted sheet names."""
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts
