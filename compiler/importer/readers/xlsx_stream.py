"""An .xlsx workbook read one worksheet at a time, as a stream: rows come out while the sheet is
unzipped, so memory does not grow with the sheet (only the shared-strings table is held).

It gives what python-calamine gives (`tests/support/calamine_sheets`), as far as `cell_text`
can tell: row 1 first, then every row holding a value, with the same row numbers and, cell by
cell, the same text. Calamine loads a whole sheet (1.2 GB for the main sheet of 100,000 Kobo
submissions); this reader holds one row's elements and one chunk of XML at a time.

A worksheet is parsed by lxml's pull parser (libxml2, safe options, a DOCTYPE refused by expat
first: `xlsx_parts`) a chunk at a time; each <row> is read when it ends, then dropped. Cell
values follow calamine's rules (`xlsx_values`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree

from ...diagnostics import UserError
from .. import limits
from ..safe_zip import open_checked_zip
from .xlsx_parts import Member, WorkbookParts, local, pull_parser, unreadable
from .xlsx_values import WS as _WS
from .xlsx_values import XML_SPACE as _XML_SPACE
from .xlsx_values import (
    CellError,
    CellValues,
    FormulaWithoutValue,
    rich_text,
    unescape_x,
    whole_text,
)

Rows = Iterator[tuple[int, list[Any]]]  # (1-based row number, typed cells from column A)

_MAX_COLUMNS = 16_384  # Excel's last column is XFD; a wider reference is refused
_DIGITS = "0123456789"
_REF = re.compile(r"([A-Za-z]*)([0-9]+)")
_UPPER_COLUMN = re.compile(r"[A-Z]{1,3}")
_EVENTS = ("start", "end")
_TAGS = ("{*}worksheet", "{*}sheetData", "{*}row", "{*}dimension")
_HELD_CELLS = 4096  # an open row longer than this has its complete cells read and dropped


def _column_numbers() -> dict[str, int]:
    numbers: dict[str, int] = {}
    for index in range(_MAX_COLUMNS):
        n, name = index + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        numbers[name] = index
    return numbers


_COLUMNS = _column_numbers()  # "A" -> 0 ... "XFD" -> 16383


def open_stream_book(path: Path) -> StreamBook:
    """Open an .xlsx workbook for streaming after the zip checks (`open_checked_zip`): its
    sheet names, number formats, date system and shared strings are read now, each sheet's
    rows when `StreamBook.rows` is iterated. One clear line if it cannot be read."""
    archive = open_checked_zip(path, workbook=True)
    try:
        return StreamBook(archive, path)
    except BaseException:
        archive.close()
        raise


class StreamBook:
    """An .xlsx workbook read one sheet at a time, streaming."""

    sheet_names: list[str]
    defined_names: dict[str, str]  # name -> formula, e.g. 'Questions'!$C$4

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self._archive = archive
        self._path = path
        self._parts = WorkbookParts(archive, path)
        self._values = CellValues(
            self._parts.shared_strings, self._parts.style_kinds, self._parts.is_1904
        )
        self.sheet_names = self._parts.sheet_names
        self.defined_names = self._parts.defined_names

    def rows(self, name: str) -> Rows:
        """Row 1 (the header, `(1, [])` when the sheet has none) and every row holding a value,
        as (1-based row number, cells from column A with gaps as ""), read as they are asked
        for; what calamine gives, for `cell_text`.

        Rows end at their last value, but a row shorter than the header is filled with "" to
        its width: calamine gives every row the sheet's width, and a short row reads as cut
        short (`tables.convert_row`). A row longer than the header is given whole."""
        width = -1  # the header's, once read
        member = self._parts.sheet_member(name)
        for number, cells in _SheetReader(self._archive, self._path, member, self._values).rows():
            if width < 0:
                width = len(cells) if number == 1 else 0
                if number != 1:
                    yield 1, []
            elif len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells
        if width < 0:
            yield 1, []

    def close(self) -> None:
        """Close the zip file."""
        self._archive.close()

    def __enter__(self) -> StreamBook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _SheetReader:
    """One worksheet's rows, read from its member as each <row> ends.

    Cells are placed the way calamine places them: at their own reference (`r`), or, without
    one, after the previous cell of the row (a row without `r` follows the previous row).
    Empty cells are not kept; a row is given when it holds a value, once a later row starts
    (two <row> elements with the same number make one row; a row going back is refused).

    After each chunk, what is read is dropped from lxml's tree (`_prune`): memory holds one
    chunk's elements, whatever the sheet, its rows or what surrounds them."""

    def __init__(
        self, archive: zipfile.ZipFile, path: Path, member: str, values: CellValues
    ) -> None:
        self._archive = archive
        self._path = path
        self._member = member
        self._values = values
        self._out: list[tuple[int, list[Any]]] = []  # rows completed, not yet given
        self._at = -1  # the 0-based row being filled (its values are in _cells), -1 before any
        self._cells: list[Any] = []
        self._top: etree._Element | None = None  # <worksheet>, then <sheetData>
        self._row: etree._Element | None = None  # the <row> being parsed
        self._row_index = 0  # calamine's 0-based row for cells without a reference
        self._column = 0  # and its column
        self._suffix = "-"  # the row's number as its cell references end with it
        self._row_tag = ""  # the tag of the rows read, and of their values:
        self._v = self._is = self._t = ""  # in the namespace of the rows

    def _error(self, detail: str) -> UserError:
        return unreadable(self._path, f"{self._member}: {detail}")

    def rows(self) -> Rows:
        """The rows holding a value, in order, as (1-based number, cells from column A)."""
        member = Member(self._archive, self._member, self._path, limits.MAX_SHEET_BYTES)
        parser, source = pull_parser(_EVENTS, _TAGS)
        in_data = done = False
        try:
            for events in member.events(parser, source):
                for event, item in events:
                    name = local(item.tag)
                    if name == "row":
                        if not in_data:
                            continue
                        if event == "start":
                            self._start_row(item)
                        else:
                            self._read_cells(item.iterchildren("{*}c"))
                            self._row = None
                            self._row_index += 1
                    elif name == "sheetData":
                        if event == "end":  # calamine reads nothing past it
                            done = True
                            break
                        in_data = True
                        self._top = item
                    elif name == "worksheet":
                        if event == "start" and self._top is None:
                            self._top = item
                    elif event == "end" and not in_data:
                        self._dimension(item)
                yield from self._out
                self._out.clear()
                if done:
                    break
                self._prune()
        finally:
            member.close()
        if self._cells:
            yield self._at + 1, self._cells

    def _prune(self) -> None:
        """Drop the elements read, from <worksheet> or <sheetData> down the ones still open
        (each the last child of its parent): all before them are complete and their events
        read. The cells of a long open row are read now, and dropped."""
        node = self._top
        while node is not None and len(node):
            if node is self._row:
                if len(node) > _HELD_CELLS:
                    done = node[:-1]
                    del node[:-1]
                    self._read_cells(
                        c for c in done if isinstance(c.tag, str) and local(c.tag) == "c"
                    )
                return
            if len(node) > 1:
                del node[:-1]
            node = node[-1]

    def _start_row(self, row: etree._Element) -> None:
        """A <row> starts: where its cells go (its attributes are read; its cells not yet)."""
        if row.tag != self._row_tag:
            self._name_tags(row.tag)
        ref = row.get("r")
        if ref is not None:
            found = _cell_ref(ref)
            if found is None:
                raise self._error(f"row reference '{ref[:20]}'")
            self._row_index = found[0]
        # a cell reference is most often column letters and this row's number, as written
        self._suffix = ref if ref is not None and ref.isdigit() else "-"
        self._column = 0
        self._row = row

    def _read_cells(self, row_cells: Iterable[etree._Element]) -> None:
        """Place cells of the row being read (<c> elements, complete), in order."""
        row_index, suffix, column = self._row_index, self._suffix, self._column
        cut = -len(suffix)
        at, cells = self._at, self._cells
        columns, v_tag, is_tag, t_tag = _COLUMNS, self._v, self._is, self._t
        value_of = self._values.value
        try:
            for c in row_cells:
                ref = c.get("r")
                index = columns.get(ref[:cut]) if ref is not None and ref.endswith(suffix) else None
                if index is not None:
                    row_at = row_index
                else:
                    row_at, index = self._place(ref, row_index, column)
                column = index + 1
                # the common cells read here: <is><t>text</t></is> or <v>text</v>
                size = len(c)
                if size == 1:
                    child = c[0]
                    tag = child.tag
                    if tag == is_tag and len(child) == 1:
                        t = child[0]
                        if t.tag != t_tag or len(t):
                            value = rich_text(child)
                        elif (text := t.text) is None:
                            continue
                        else:  # trimmed unless xml:space="preserve" (asked only when it counts)
                            value = text.strip(_WS)
                            if value is not text and t.get(_XML_SPACE) == "preserve":
                                value = text
                            if "_x" in value:
                                value = unescape_x(value)
                    elif tag == v_tag and not len(child):
                        value = value_of(c.get("t"), c.get("s"), child.text or "")
                    else:
                        value = self._cell_value(c)
                elif size:
                    value = self._cell_value(c)
                else:
                    continue
                if value == "":  # no value: no cell, and no row, in calamine either
                    continue
                if row_at != at:
                    if row_at < at:
                        raise self._error(f"row {row_at + 1} comes after row {at + 1}")
                    if cells:
                        self._out.append((at + 1, cells))
                    cells = []
                    at = row_at
                size = len(cells)
                if index == size:
                    cells.append(value)
                elif index > size:
                    cells.extend([""] * (index - size))
                    cells.append(value)
                else:
                    cells[index] = value
        except CellError as exc:
            raise self._error(str(exc)) from None
        finally:
            self._at, self._cells, self._column = at, cells, column

    def _place(self, ref: str | None, row_index: int, column: int) -> tuple[int, int]:
        """(0-based row, column) of a cell: at its reference, or after the previous cell."""
        if ref is None:
            if column >= _MAX_COLUMNS:
                raise self._error("a cell past the last column XFD")
            return row_index, column
        found = _cell_ref(ref)
        if found is None or found[1] is None:
            raise self._error(f"cell reference '{ref[:20]}'")
        if found[1] >= _MAX_COLUMNS:
            letters = ref.rstrip(_DIGITS)
            if _UPPER_COLUMN.fullmatch(letters):
                raise self._error(f"column {letters} is past the last column XFD")
            raise self._error("a cell past the last column XFD")
        return found[0], found[1]

    def _cell_value(self, c: etree._Element) -> Any:
        """A cell's value in any form: the last <v>, <is> or <f> gives it, as in calamine (but
        a formula without a value is a FormulaWithoutValue, reported, not "")."""
        kind, value = c.get("t"), ""
        for child in c:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            name = local(child.tag)
            if name == "is":
                value = rich_text(child)
            elif name == "v":
                text = "".join(child.itertext()) if whole_text(kind) else child.text or ""
                if text or not isinstance(value, FormulaWithoutValue):  # openpyxl writes <v/>
                    value = self._values.value(kind, c.get("s"), text)
            elif name == "f":  # a <v> after it gives the value saved with it
                value = FormulaWithoutValue("".join(child.itertext()).strip())
            else:
                raise self._error("Expecting 'v, f, or is' node")
        return value

    def _name_tags(self, row_tag: str) -> None:
        """The tags of cells and values in the namespace of the rows (usually spreadsheetml)."""
        namespace = row_tag[: row_tag.rfind("}") + 1]
        self._row_tag = row_tag
        self._v, self._is, self._t = namespace + "v", namespace + "is", namespace + "t"

    def _dimension(self, item: etree._Element) -> None:
        """calamine refuses a sheet whose <dimension> has no ref, or a ref it cannot read."""
        ref = item.get("ref")
        if ref is None:
            raise self._error("Expecting 'dimension' node")
        parts = ref.split(":")
        for part in parts:
            found = _cell_ref(part)
            if found is None or found[1] is None:
                raise self._error(f"dimension '{ref[:40]}'")
        if len(parts) > 2:
            raise self._error(f"dimension '{ref[:40]}'")


def _cell_ref(ref: str) -> tuple[int, int | None] | None:
    """(0-based row, 0-based column or None) of "B12" (letters in any case), None if invalid."""
    found = _REF.fullmatch(ref)
    if found is None or int(found.group(2)) == 0:
        return None
    letters = found.group(1).upper()
    column = _COLUMNS.get(letters) if letters else None
    if letters and column is None:
        column = _MAX_COLUMNS  # refused by the caller
    return int(found.group(2)) - 1, column
