"""The reference the streaming .xlsx reader (`readers/xlsx_stream`) is tested against:
python-calamine, a well-kept Rust reader that loads whole sheets (so the importer does not use
it: 1.2 GB for the main sheet of 100,000 Kobo submissions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compiler.diagnostics import UserError
from compiler.importer.readers.kobo_xlsx import not_a_workbook
from compiler.importer.safe_zip import open_checked_zip

Rows = Iterator[tuple[int, list[Any]]]


def open_workbook(path: Path) -> Any:
    """The workbook, opened with python-calamine after the same checks as the importer."""
    from python_calamine import CalamineWorkbook

    why = not_a_workbook(path)
    if why is not None:
        raise UserError(f"{path}: {why}")
    open_checked_zip(path, workbook=True).close()
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception) -> UserError:
    detail = " ".join(str(exc).split())[:200]
    return UserError(f"{path}: not a readable .xlsx workbook ({detail}); export it again")


def sheet_rows(book: Any, path: Path, name: str) -> Rows:
    """What `StreamBook.rows` must give: row 1 (the header) and every row holding a value, as
    (1-based row number, typed cells from column A). Calamine starts rows at the first row
    but columns at the first used column, so cells are padded."""
    try:
        sheet = book.get_sheet_by_name(name)
    except Exception as exc:
        raise _unreadable(path, exc) from None
    first_col = sheet.start[1] if sheet.start else 0
    pad = [""] * first_col
    header_seen = False
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number == 1:
            header_seen = True
            yield number, pad + list(cells)
        elif any(c is not None and c != "" for c in cells):
            yield number, pad + list(cells)
    if not header_seen:
        yield 1, []
