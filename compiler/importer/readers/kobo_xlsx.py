"""KoboToolbox XLSX export: the main sheet (named after the project's title, often shortened)
and one sheet per repeat, each found by its columns; repeat rows join their parent row by
`_parent_index` -> `_index` (`_parent_table_name` naming a repeat for nested repeats) and must
name the same submission (`_submission__uuid` -> `_uuid`) where the export carries it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...diagnostics import UserError
from ..form_fields import FormFields
from ..records import ReadResult, Record, Rejected, RepeatRecord, Source
from .cells import cell_text
from .csv_text import is_hxl_row
from .kobo_common import KOBO_META, kobo_record, unknown_columns_note
from .tables import (
    ChildRow,
    ColumnMap,
    EmptyRepeats,
    convert_row,
    foreign_table,
    match_columns,
    reject_rows,
    with_repeats,
)
from .xlsx_stream import StreamBook, open_stream_book

Rows = Iterator[tuple[int, list[Any]]]  # (1-based row number, typed cells)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files


def not_a_workbook(path: Path) -> str | None:
    """Why the file is not an .xlsx workbook (by its first bytes), or None when it is a zip."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK"):
        return None
    if not head:
        return "the file is empty; export the data again"
    if head.startswith(OLE_MAGIC):
        return ("a password-protected (encrypted) or old-format .xls workbook; remove the "
                "password, or save it as .xlsx, and try again")  # fmt: skip
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "an HTML or XML page saved as .xlsx, not a workbook; export the data as XLSX again"
    return (
        "text (a CSV file?) saved as .xlsx, not a workbook; rename it to .csv or export XLSX again"
    )


def _table(rows: Rows) -> tuple[list[str], Rows]:
    """The header and the data rows (an HXL hashtag row under the header and rows of blank
    text left out), read as they are asked for."""
    _, cells = next(rows)
    header = [cell_text(c) for c in cells]
    return header, _body(rows)


def _body(rows: Rows) -> Rows:
    for number, cells in rows:
        if number == 2 and is_hxl_row(cells):
            continue
        if any(cell_text(c).strip() for c in cells):
            yield number, cells


def _index(value: Any, fallback: int) -> Any:
    text = cell_text(value).strip()
    return text if text else f"row{fallback}"


def iter_kobo_xlsx(
    path: Path, fields: FormFields, out: ReadResult, join: bool = True
) -> Iterator[Record]:
    """The records of a Kobo XLSX export with their repeats, one at a time; rejected rows and
    notes go to `out`. With `join`, the repeat sheets are read alongside the main sheet
    (`RepeatJoin`: memory for one row per sheet) and OutOfOrder is raised when their rows are
    not in their parents' order; without, every sheet is read before the first record."""
    with _open_book(path) as book:
        yield from _records(path, fields, out, join, book)


def _records(
    path: Path, fields: FormFields, out: ReadResult, join: bool, book: StreamBook
) -> Iterator[Record]:
    where = str(path)
    names = list(book.sheet_names)
    if not names:
        raise UserError(f"{where}: the workbook has no sheets; export it again")
    layout = _sheet_layout(book, names, fields)
    main = layout.main
    _, rows = _table(book.rows(main))
    cmap = layout.maps[main]
    if (reason := foreign_table(cmap, fields)) is not None:
        for sheet in names:  # every sheet's rows: the main one's, then the others'
            reject_rows(rows if sheet == main else _table(book.rows(sheet))[1], where, sheet,
                        reason, out)  # fmt: skip
        return
    if note := unknown_columns_note(f"{where} [{main}]", cmap):
        out.note(note)
    records = _main_records(where, main, rows, cmap, fields)
    repeat_names = {r.name for r in fields.repeats()}

    def repeat_sheets() -> list[Iterator[ChildRow]]:
        """Every other sheet's rows (headers read now, in order, for their notes); read
        after the main sheet in a whole read, so one sheet is in memory at a time."""
        tables = [_repeat_rows(book, where, sheet, layout, repeat_names, fields, out)
                  for sheet in names if sheet != main]  # fmt: skip
        missing = [r.name for r in fields.repeats() if r.name not in layout.repeats.values()]
        if missing:
            out.note(
                f"{where}: no sheet for repeat(s) {', '.join(missing)}: read as no records of them"
            )
        return tables

    yield from with_repeats(fields, records, repeat_sheets, out, join)


@dataclass(frozen=True)
class SheetLayout:
    """Which sheet holds the submissions and which repeat each other sheet holds."""

    main: str
    repeats: dict[str, str]  # sheet -> repeat name
    maps: dict[str, ColumnMap]  # sheet -> its columns matched to the table it holds


def _sheet_layout(book: StreamBook, names: list[str], fields: FormFields) -> SheetLayout:
    """Find the sheets by what they hold, never by their names: KoboToolbox names the main
    sheet after the project's title, replacing characters Excel forbids and shortening a long
    one (28 characters and '...'), so no name can be re-derived. The main sheet is the one
    without `_parent_index` whose columns match most questions outside repeats; each sheet with
    `_parent_index` holds the repeat whose fields its columns match most."""
    headers = {name: _header(book, name) for name in names}
    parents = [n for n in names if "_parent_index" not in {h.strip() for h in headers[n]}]
    main_maps = {n: match_columns(headers[n], fields, None, KOBO_META) for n in parents or names}
    main = max(main_maps, key=lambda n: (_questions_matched(main_maps[n]), -names.index(n)))
    repeats: dict[str, str] = {}
    maps = {main: main_maps[main]}
    for sheet in names:
        if sheet == main or not fields.repeats():
            continue
        candidates = {r.name: match_columns(headers[sheet], fields, r.name, KOBO_META)
                      for r in fields.repeats()}  # fmt: skip
        scores = {r: _questions_matched(m) for r, m in candidates.items()}
        best = max(scores, key=lambda r: (scores[r], _named_after(sheet, r)))
        if scores[best] or _named_after(sheet, best):
            repeats[sheet] = best
            maps[sheet] = candidates[best]
    return SheetLayout(main, repeats, maps)


def main_sheet_headers(path: Path) -> list[list[str]]:
    """The header rows of the sheets of a Kobo XLSX export that may hold the submissions (those
    without `_parent_index`; every sheet when all have it), for telling which form it is."""
    with _open_book(path) as book:
        headers = [_header(book, name) for name in book.sheet_names]
    mains = [h for h in headers if "_parent_index" not in {c.strip() for c in h}]
    return mains or headers


def _header(book: StreamBook, name: str) -> list[str]:
    """A sheet's header row as `_table` reads it (only that row is read)."""
    rows = book.rows(name)
    try:
        header, _ = _table(rows)
    finally:
        rows.close()
    return header


def _questions_matched(cmap: ColumnMap) -> int:
    return len({c.field.name for c in cmap.columns if c.field is not None and c.field.is_question})


def _named_after(sheet: str, repeat: str) -> bool:
    """True when the sheet's name is the repeat's, whole or shortened with '...' (a tie-breaker
    only: columns decide)."""
    if sheet == repeat:
        return True
    stem = re.sub(r"\.\.\.( \(\d+\))?$", "", sheet)
    return stem != sheet and re.sub(r"[\[\]:*?/\\]", "_", repeat).startswith(stem)


def _main_records(
    where: str, main: str, rows: Rows, cmap: ColumnMap, fields: FormFields
) -> Iterator[tuple[Record, Any]]:
    """Each main row as a Record (its repeats empty) and its key for repeat rows: the main
    table (None) and the row's `_index`, which `_parent_index` of repeat rows names."""
    top_repeats = EmptyRepeats(fields, None)
    for number, cells in rows:
        source = Source(where, main, number)
        data = convert_row(cmap, cells, source)
        key = (None, _index(data.metadata.get("_index"), number))
        yield kobo_record(data, source, top_repeats()), key


def _repeat_rows(
    book: Any, where: str, sheet: str, layout: SheetLayout, repeat_names: set[str],
    fields: FormFields, out: ReadResult,
) -> Iterator[ChildRow]:  # fmt: skip
    """The rows of one repeat sheet, read as asked for (its columns matched by `_sheet_layout`).
    The rows of a sheet that is not a repeat of this form are rejected as they are read."""
    _, s_rows = _table(book.rows(sheet))
    repeat = layout.repeats.get(sheet)
    if repeat is None:
        return _not_a_repeat(where, sheet, s_rows, out)
    s_map = layout.maps[sheet]
    if note := unknown_columns_note(f"{where} [{sheet}]", s_map):
        out.note(note)
    return _child_rows(where, sheet, repeat, repeat_names, s_rows, s_map, fields)


def _not_a_repeat(where: str, sheet: str, rows: Rows, out: ReadResult) -> Iterator[ChildRow]:
    for number, _cells in rows:
        out.rejected.append(
            Rejected(Source(where, sheet, number), f"sheet '{sheet}' is not a repeat of this form")
        )
    return
    yield  # a generator that yields no row


def _child_rows(
    where: str, sheet: str, repeat: str, repeat_names: set[str], rows: Rows, s_map: ColumnMap,
    fields: FormFields,
) -> Iterator[ChildRow]:  # fmt: skip
    """Each row of a repeat sheet, keyed (repeat, `_index`) and pointing to its parent
    (`_parent_table_name`, `_parent_index`). `_parent_table_name` holds the parent section's
    whole name: a repeat's name, or the project title for the main sheet (any name that is no
    repeat of the form), so it is compared with repeat names only."""
    inner_repeats = EmptyRepeats(fields, repeat)
    expected = fields.fields[repeat].repeat
    for number, cells in rows:
        source = Source(where, sheet, number)
        data = convert_row(s_map, cells, source)
        named = cell_text(data.metadata.get("_parent_table_name", "")).strip()
        parent_table = named if named in repeat_names else (expected if not named else None)
        parent_index = cell_text(data.metadata.get("_parent_index", "")).strip()
        record = RepeatRecord(data.values, source, inner_repeats(), data.carried)
        yield ChildRow(
            repeat,
            (repeat, _index(data.metadata.get("_index"), number)),
            (parent_table, parent_index or "(none)"),
            number,
            record,
            data.issues,
            cell_text(data.metadata.get("_submission__uuid", "")).strip() or None,
        )


def _open_book(path: Path) -> StreamBook:
    """The workbook, read as a stream (memory for one chunk of a sheet, whatever its size);
    one clear line first when the file is not an .xlsx workbook at all."""
    why = not_a_workbook(path)
    if why is not None:
        raise UserError(f"{path}: {why}")
    return open_stream_book(path)
