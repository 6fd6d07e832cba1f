"""KoboToolbox XLSX export: the main sheet (named after the form title) and one sheet per
repeat, joined by _index / _parent_index / _parent_table_name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...diagnostics import UserError
from ..form_fields import FormFields
from ..records import ReadResult, Rejected, RepeatRecord, Source
from .cells import cell_text
from .csv_text import is_hxl_row
from .kobo_common import KOBO_META, kobo_record, kobo_sheet_name, unknown_columns_note
from .tables import (
    ChildRow,
    attach_repeats,
    check_table_matches,
    convert_row,
    empty_repeats,
    match_columns,
)


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's rows (typed cells) with python-calamine; one clear line if unreadable."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    except Exception as exc:  # calamine raises its own error types for broken files
        raise UserError(f"{path}: not a readable .xlsx workbook ({exc}); export it again") from None


def _table(rows: list[list[Any]]) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    if not rows:
        return [], []
    header = [cell_text(c) for c in rows[0]]
    body = [(n, cells) for n, cells in enumerate(rows[1:], start=2)]
    if body and is_hxl_row(body[0][1]):
        body = body[1:]
    body = [(n, cells) for n, cells in body if any(cell_text(c).strip() for c in cells)]
    return header, body


def _index(value: Any, fallback: int) -> Any:
    text = cell_text(value).strip()
    return text if text else f"row{fallback}"


def read_kobo_xlsx(path: Path, fields: FormFields) -> ReadResult:
    """Read a Kobo XLSX export into Records with their repeats."""
    where = str(path)
    sheets = read_sheets(path)
    result = ReadResult()
    titles = {kobo_sheet_name(t) for t in fields.titles}
    names = list(sheets)
    main = next((n for n in names if n in titles), None)
    repeat_by_sheet = {kobo_sheet_name(r.name): r.name for r in fields.repeats()}
    if main is None:
        main = next((n for n in names if n not in repeat_by_sheet), names[0] if names else None)
        if main is None:
            raise UserError(f"{where}: the workbook has no sheets; export it again")
        result.note(f"{where}: no sheet is named after the form title; read '{main}' as the main sheet")
    header, rows = _table(sheets[main])
    cmap = match_columns(header, fields, None, KOBO_META)
    check_table_matches(cmap, fields, f"{where} [{main}]")
    if note := unknown_columns_note(f"{where} [{main}]", cmap):
        result.note(note)
    parents: dict[Any, tuple[str | None, Any]] = {}
    table_of = {kobo_sheet_name(main): None}
    for number, cells in rows:
        source = Source(where, main, number)
        data = convert_row(cmap, cells, source)
        record = kobo_record(fields, data, source, True)
        result.records.append(record)
        parents[(kobo_sheet_name(main), _index(data.metadata.get("_index"), number))] = (None, record)
    table_of.update({sheet: name for sheet, name in repeat_by_sheet.items()})
    children: list[ChildRow] = []
    for sheet in names:
        if sheet == main:
            continue
        s_header, s_rows = _table(sheets[sheet])
        repeat = repeat_by_sheet.get(sheet)
        if repeat is None:
            for number, _cells in s_rows:
                result.rejected.append(
                    Rejected(Source(where, sheet, number), f"sheet '{sheet}' is not a repeat of this form")
                )
            continue
        s_map = match_columns(s_header, fields, repeat, KOBO_META)
        if note := unknown_columns_note(f"{where} [{sheet}]", s_map):
            result.note(note)
        for number, cells in s_rows:
            source = Source(where, sheet, number)
            data = convert_row(s_map, cells, source)
            parent_table = kobo_sheet_name(data.metadata.get("_parent_table_name", main))
            parent_index = cell_text(data.metadata.get("_parent_index", "")).strip()
            record = RepeatRecord(data.values, source, empty_repeats(fields, repeat), data.carried)
            children.append(
                ChildRow(
                    repeat,
                    (sheet, _index(data.metadata.get("_index"), number)),
                    (parent_table, parent_index or "(none)"),
                    number,
                    record,
                    data.issues,
                )
            )
    missing = [r for sheet, r in repeat_by_sheet.items() if sheet not in sheets]
    if missing:
        result.note(
            f"{where}: no sheet for repeat(s) {', '.join(missing)}: "
            "read as no records of them"
        )
    result.rejected += attach_repeats(fields, parents, children)
    return result
