"""Find the answer cells of a filled self-assessment workbook, whatever its language and
whoever saved it last (this project, Excel, LibreOffice, as .xlsx or .ods).

Answer cells outside repeats are found by their defined names (the question names), repeat
tables by their hidden key row ('repeat:<name>', then field names), the language and form by
the meta names (_rg_*). Cells are given as read (text, number, date, bool): the importer turns
them into answers and says which are not valid (`importer.readers.workbook`).

The workbook is read as a stream, once, and only the cells named or in a table are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ...diagnostics import UserError
from ...model import Guide
from .layout import T_FIRST_ROW, T_KEY_ROW, defined_name
from .other_sheets import META_ROWS
from .phrases import WorkbookPhrases
from .tables_sheet import TABLE_MARK

Area = tuple[str, int, int, int, int]  # (sheet, first row, first column, last row, last column)
FORMAT_NAME = "_rg_format"  # the defined name every workbook of this project carries


class AnswerBook(Protocol):
    """An opened workbook (importer.readers.workbook_files): its defined names as cell areas
    and, once, each sheet's rows holding a value as (1-based number, cells from column A)."""

    path: Path
    names: dict[str, list[Area]]

    def sheets(self) -> Iterator[tuple[str, Iterator[tuple[int, list[Any]]]]]: ...


@dataclass(frozen=True)
class AnswerCell:
    """One answer cell as read: where it is, the choice it stands for (an option cell of a
    select_multiple question) and its raw value (None when the cell is empty)."""

    sheet: str
    row: int
    choice: str | None
    raw: Any


@dataclass
class TableRow:
    """A filled row of a repeat table: its answer cells by field name."""

    sheet: str
    row: int
    cells: dict[str, list[AnswerCell]]


@dataclass
class WorkbookCells:
    """What a filled workbook holds: its meta values (format, form_id, version, language), the
    language's yes and no, each question's answer cells and each repeat table's filled rows."""

    meta: dict[str, str]
    yes: str
    no: str
    questions: dict[str, list[AnswerCell]] = field(default_factory=dict)
    tables: dict[str, list[TableRow]] = field(default_factory=dict)


def read_workbook_cells(book: AnswerBook, guide: Guide, max_table_rows: int) -> WorkbookCells:
    """The answer cells of a filled workbook of `guide`, found by name (see the module); a
    table with more than `max_table_rows` filled rows is refused."""
    wanted = _Wanted(book.names)
    for key in META_ROWS:
        wanted.add(f"_rg_{key}", f"_rg_{key}", [None])
    lists = guide.lists
    for item in guide.walk():
        if item.is_question and item.repeat is None:
            choices: list[str | None] = [None]
            if item.type == "select_multiple" and item.list_name in lists:
                choices = list(lists[item.list_name].names())
            wanted.add(item.name, defined_name(item.name), choices)
    # the answer columns of each table: its questions (computed columns are keyed too)
    answers = {
        r.name: {f.name for f in r.walk() if f.repeat is r and f.is_question}
        for r in guide.repeats()
        if r.repeat is None
    }
    tables: dict[str, list[TableRow]] = {}
    for sheet, rows in book.sheets():
        _read_sheet(book.path, sheet, rows, wanted, answers, tables, max_table_rows)
    meta = {}
    for key in META_ROWS:
        cells = wanted.cells(f"_rg_{key}")
        if cells and cells[0].raw is not None:
            meta[key] = _text(cells[0].raw)
    phrases = WorkbookPhrases(meta.get("language") or guide.default_language)
    out = WorkbookCells(meta, phrases.say("yes"), phrases.say("no"))
    for item in guide.walk():
        if item.is_question and item.repeat is None:
            cells = wanted.cells(item.name)
            if cells is not None:
                out.questions[item.name] = cells
    out.tables = tables
    return out


class _Wanted:
    """The named cells to keep: each key's cells (at most one per choice, in order)."""

    def __init__(self, names: dict[str, list[Area]]) -> None:
        self._names = names
        self._places: dict[str, list[tuple[str, int, int, str | None]]] = {}
        self._by_sheet: dict[str, dict[int, list[tuple[int, str, int]]]] = {}  # row -> cols
        self._values: dict[tuple[str, int], Any] = {}  # (key, position) -> raw

    def add(self, key: str, name: str, choices: list[str | None]) -> None:
        areas = self._names.get(name)
        if not areas:
            return
        cells = ((sheet, row, col) for sheet, r1, c1, r2, c2 in areas
                 for row in range(r1, r2 + 1) for col in range(c1, c2 + 1))  # fmt: skip
        places = []
        for (sheet, row, col), choice in zip(cells, choices, strict=False):
            self._by_sheet.setdefault(sheet, {}).setdefault(row, []).append((col, key, len(places)))
            places.append((sheet, row, col, choice))
        self._places[key] = places

    def rows_of(self, sheet: str) -> dict[int, list[tuple[int, str, int]]]:
        return self._by_sheet.get(sheet, {})

    def keep(self, key: str, position: int, raw: Any) -> None:
        self._values[(key, position)] = raw

    def cells(self, key: str) -> list[AnswerCell] | None:
        """The key's cells (None when the workbook does not name them)."""
        places = self._places.get(key)
        if places is None:
            return None
        return [
            AnswerCell(sheet, row, choice, _raw(self._values.get((key, at))))
            for at, (sheet, row, _col, choice) in enumerate(places)
        ]


def _read_sheet(
    path: Path, sheet: str, rows: Iterator[tuple[int, list[Any]]], wanted: _Wanted,
    answers: dict[str, set[str]], tables: dict[str, list[TableRow]], max_table_rows: int,
) -> None:  # fmt: skip
    """Keep a sheet's named cells; read its table when its key row marks one."""
    named = wanted.rows_of(sheet)
    repeat: str | None = None
    keys: dict[int, tuple[str, str | None]] = {}  # 0-based column -> (field, choice)
    for number, cells in rows:
        for col, key, position in named.get(number, ()):
            wanted.keep(key, position, cells[col - 1] if col <= len(cells) else None)
        if (
            number == T_KEY_ROW
            and cells
            and isinstance(cells[0], str)
            and cells[0].startswith(TABLE_MARK)
        ):
            repeat = cells[0][len(TABLE_MARK) :]
            if repeat not in answers:
                repeat = None  # not a repeat of this guide
                continue
            for col, key in enumerate(cells[1:], start=1):
                if isinstance(key, str):
                    name, _, choice = key.partition("/")
                    if name in answers[repeat]:
                        keys[col] = (name, choice or None)
            tables.setdefault(repeat, [])
        elif repeat is not None and number >= T_FIRST_ROW:
            row = _table_row(sheet, number, cells, keys)
            if row is not None:
                if len(tables[repeat]) >= max_table_rows:
                    raise UserError(
                        f"{path} [{sheet}]: more than {max_table_rows} filled rows in the table "
                        f"'{repeat}'; refused (a workbook holds one assessment)"
                    )
                tables[repeat].append(row)


def _table_row(
    sheet: str, number: int, cells: list[Any], keys: dict[int, tuple[str, str | None]]
) -> TableRow | None:
    """A table row's answer cells, or None when none of them is filled."""
    out: dict[str, list[AnswerCell]] = {}
    filled = False
    for col, (name, choice) in keys.items():
        raw = _raw(cells[col]) if col < len(cells) else None
        filled = filled or raw is not None
        out.setdefault(name, []).append(AnswerCell(sheet, number, choice, raw))
    return TableRow(sheet, number, out) if filled else None


def _raw(value: Any) -> Any:
    """A cell as read, None when empty (streamed rows give "" for an empty cell)."""
    return None if value is None or value == "" else value


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
