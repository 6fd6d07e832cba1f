"""Rows of text cells (CSV tables) converted a chunk at a time, column by column.

`convert_rows` gives for each row what `tables.convert_row` gives it, but does the per-cell
work in C where it can: a question's column is looked up in its converter's memo with `map`
(each distinct text converted once, as `convert_row` does), carried calculations and
metadata are picked with `itemgetter`, and a row's values and carried calculations are
`ColumnRow`s onto the chunk's columns, not dicts of their own. Row by row, in Python, only
what a row has that others have not: problems, short rows, values without a header,
repeated columns, select multiples split into 1/0 columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter

from ..column_rows import ColumnRow
from ..records import BLANK, Answer, RecordIssue, Source, State
from .cells import CellConverter
from .tables import (
    ColumnMap,
    RowData,
    RowPlan,
    repeated_column,
    short_row,
    split_answer,
    unused_values,
)

CHUNK = 1000  # rows converted at once: few calls per column, little memory

ANSWERED = State.ANSWERED
_ANSWER = itemgetter(0)
_PROBLEM = itemgetter(1)

Row = tuple[int, list[str]]  # (row number counting header rows, cells)


def chunked(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    """The rows in lists of `size` (the last one shorter)."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def converted(
    cmap: ColumnMap, rows: Iterable[Row], where: str, sheet: str | None
) -> Iterator[tuple[RowData, Source]]:
    """Each row of a CSV table converted (`convert_rows`, a chunk at a time), with its place:
    the file `where`, the table `sheet` (None for a lone CSV) and the row's number."""
    for chunk in chunked(rows):
        sources = [Source(where, sheet, number) for number, _cells in chunk]
        yield from zip(convert_rows(cmap, chunk, sources), sources, strict=True)


def convert_rows(cmap: ColumnMap, rows: Sequence[Row], sources: Sequence[Source]) -> list[RowData]:
    """`tables.convert_row` of each row (cells all text, as CSV gives them): the same values,
    carried calculations (as `ColumnRow`s), metadata and issues in the same order."""
    plan = cmap.plan
    n = len(rows)
    if not n:
        return []
    width = plan.width
    out = [RowData() for _ in range(n)]
    cells_of: list[list[str]] = []
    for j, (_number, cells) in enumerate(rows):
        if len(cells) < width:
            if cells:
                out[j].issues.append(RecordIssue(None, short_row(len(cells), width), sources[j]))
            cells = [*cells, *([""] * (width - len(cells)))]  # missing cells read as empty
        cells_of.append(cells)
    _row_checks(plan, cells_of, sources, out)
    _metadata(plan, cells_of, out)
    _carried(plan, cells_of, out)
    _questions(plan, cells_of, sources, out)
    return out


def _row_checks(
    plan: RowPlan, cells_of: list[list[str]], sources: Sequence[Source], out: list[RowData]
) -> None:
    """Values in columns without a header (or past the last one), and a second column of a
    field holding another value: one issue per row, as `convert_row` says them."""
    unheadered = [index for index, header in plan.unknown_columns if not header.strip()]
    width = plan.width
    for j, cells in enumerate(cells_of):
        if unheadered or len(cells) > width:
            stray = [
                (index, value)
                for index in (*unheadered, *range(width, len(cells)))
                if (value := cells[index]).strip()
            ]
            if stray:
                out[j].issues.append(RecordIssue(None, unused_values(stray), sources[j]))
        for index, first, header in plan.repeated_columns:
            value = cells[index]
            if value.strip() and value != cells[first]:
                out[j].issues.append(RecordIssue(None, repeated_column(header, value), sources[j]))


def _pick(indices: list[int]) -> itemgetter | None:
    """A getter of these cells of a row as a tuple (None when there are none)."""
    if not indices:
        return None
    if len(indices) == 1:
        only = indices[0]
        return itemgetter(slice(only, only + 1))
    return itemgetter(*indices)


def _metadata(plan: RowPlan, cells_of: list[list[str]], out: list[RowData]) -> None:
    """Metadata columns then metadata fields, non-empty ones only (later keys win)."""
    pairs = [*plan.meta_columns, *plan.meta_fields]
    pick = _pick([index for index, _ in pairs])
    if pick is None:
        return
    keys = [key for _, key in pairs]
    for row, cells in zip(out, cells_of, strict=True):
        row.metadata = {key: text for key, text in zip(keys, pick(cells), strict=True) if text}


def _carried(plan: RowPlan, cells_of: list[list[str]], out: list[RowData]) -> None:
    """Every calculation the table carries, as text ('' when empty)."""
    pick = _pick([index for index, _ in plan.carried])
    if pick is None:
        return
    names = [name for _, name in plan.carried]
    columns = dict(zip(names, map(list, zip(*map(pick, cells_of), strict=True)), strict=True))
    for j, row in enumerate(out):
        row.carried = ColumnRow(columns, j)


def _questions(
    plan: RowPlan, cells_of: list[list[str]], sources: Sequence[Source], out: list[RowData]
) -> None:
    """Each question's column converted at once; each row's values in the form's order."""
    whole = [(name, index, convert) for name, index, convert, _ in plan.questions if convert]
    pick = _pick([index for _, index, _ in whole])
    columns = list(zip(*map(pick, cells_of), strict=True)) if pick is not None else []
    answers: dict[str, list] = {}
    column_of = {name: column for (name, _, _), column in zip(whole, columns, strict=True)}
    for name, _index, convert, split in plan.questions:
        if convert is not None:
            answers[name] = _column(name, convert, column_of[name], sources, out)
        elif split is not None:
            answers[name] = [
                split_answer(split, cells, source, row.issues)
                for cells, source, row in zip(cells_of, sources, out, strict=True)
            ]
    columns = {
        name: answers[name] if name in answers else [missing] * len(out)
        for name, missing in plan.values.items()
    }
    for j, row in enumerate(out):
        row.values = ColumnRow(columns, j)


def _column(
    name: str, convert: CellConverter, column: Sequence[str], sources: Sequence[Source],
    out: list[RowData],
) -> list:  # fmt: skip
    """The answers of one question's cells; each problem an issue of its row."""
    if not convert.remember:  # free text as written, blank when only spaces (CellConverter)
        return [Answer(raw, ANSWERED) if raw.strip() else BLANK for raw in column]
    results = list(map(convert.known.get, column))
    if None in results:  # texts not seen before (or past the memo's limit): each made once
        missing = dict.fromkeys(
            raw for found, raw in zip(results, column, strict=True) if not found
        )
        made = {raw: convert(raw) for raw in missing}
        results = [found or made[raw] for found, raw in zip(results, column, strict=True)]
    if any(map(_PROBLEM, results)):
        for j, (_answer, problem) in enumerate(results):
            if problem:
                out[j].issues.append(RecordIssue(name, problem, sources[j]))
    return list(map(_ANSWER, results))
