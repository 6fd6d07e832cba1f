"""Shared by the table readers (Kobo, Central): headers matched to the form's fields, rows
turned into values, and repeat rows attached to their parents.

Headers are matched from the form description, never from fixed column names: every way an
exporter can name a field is generated (XML names or labels in any language of the form; no
group path, the full path, or the path inside the repeat; any separator) and the naming that
matches most headers wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..form_fields import META_TYPES, FormField, FormFields
from ..records import (
    MISSING_COLUMN,
    Answer,
    Record,
    RecordIssue,
    Rejected,
    RepeatRecord,
    Source,
    State,
)
from .cells import cell_text, convert, option_flag, order_choices

SEPARATORS = ("/", "-", ".", ":", "_", "__", " / ", " - ", "|", ">", " > ")


@dataclass
class Column:
    """One header: the field (and choice, for a split select_multiple column) it holds, or
    the metadata key, or nothing (unknown column)."""

    index: int
    header: str
    field: FormField | None = None
    option: str | None = None
    meta: str | None = None


@dataclass
class ColumnMap:
    columns: list[Column]
    fields: list[FormField]  # the fields of this table
    naming: str  # how headers were matched, for notes

    @property
    def unknown(self) -> list[Column]:
        return [c for c in self.columns if c.field is None and c.meta is None and c.header]

    @property
    def matched_fields(self) -> int:
        return len({c.field.name for c in self.columns if c.field is not None})


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def _separators(headers: list[str], fields: FormFields) -> list[str]:
    """Known separators plus any run of punctuation found after a known group name or label."""
    found: list[str] = list(SEPARATORS)
    prefixes = {
        key
        for f in fields.fields.values()
        if f.is_container
        for key in (f.name, *f.labels.values())
        if key
    }
    for header in headers:
        for prefix in prefixes:
            if header.startswith(prefix) and len(header) > len(prefix):
                run = re.match(r"[^\w]{1,3}", header[len(prefix) :])
                if run and run.group(0) not in found:
                    found.append(run.group(0))
    return found


def _part(fields: FormFields, name: str, lang: str | None) -> str:
    node = fields.fields.get(name)
    if node is None or lang is None:
        return name
    return node.label(lang)


def match_columns(
    headers: list[str], fields: FormFields, repeat: str | None, meta_names: Iterable[str]
) -> ColumnMap:
    """Match the headers of the table holding `repeat` (None: the main table) to fields."""
    table_fields = fields.in_table(repeat)
    repeat_depth = len(fields.fields[repeat].path) + 1 if repeat else 0
    clean = [_norm(h) for h in headers]
    best: tuple[int, dict[str, list[tuple[FormField, str | None]]], str] | None = None
    separators = _separators(clean, fields)
    for lang in [None, *fields.languages]:
        for style in ("name", "full", "relative"):
            for sep in separators if style != "name" else ["/"]:
                keys: dict[str, list[tuple[FormField, str | None]]] = {}
                for f in table_fields:
                    parts = {"name": (), "full": f.path, "relative": f.path[repeat_depth:]}[style]
                    own = f.name if lang is None else f.label(lang)
                    key = _norm(sep.join([*(_part(fields, p, lang) for p in parts), own]))
                    keys.setdefault(key, []).append((f, None))
                    if f.type == "select_multiple":
                        for choice in f.choices:
                            option = choice.name if lang is None else choice.labels.get(lang) or choice.name
                            for osep in dict.fromkeys(("/", sep)):
                                keys.setdefault(_norm(f"{key}{osep}{option}"), []).append((f, choice.name))
                score = sum(1 for h in clean if h in keys)
                if best is None or score > best[0]:
                    naming = "XML names" if lang is None else f"labels ({lang})"
                    if style != "name":
                        naming += f", group paths joined by '{sep}'"
                    best = (score, keys, naming)
    assert best is not None
    _, keys, naming = best
    meta = set(meta_names)
    used: dict[str, int] = {}
    columns: list[Column] = []
    for index, (raw, header) in enumerate(zip(headers, clean, strict=True)):
        targets = keys.get(header)
        if targets:
            position = used.get(header, 0)
            used[header] = position + 1
            target_field, option = targets[min(position, len(targets) - 1)]
            columns.append(Column(index, raw, target_field, option))
        elif header in meta or header.startswith("_"):
            columns.append(Column(index, raw, meta=header))
        else:
            columns.append(Column(index, raw))
    return ColumnMap(columns, table_fields, naming)


@dataclass
class RowData:
    values: dict[str, Answer] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    issues: list[RecordIssue] = field(default_factory=list)


def convert_row(cmap: ColumnMap, cells: list[Any], source: Source) -> RowData:
    """One row's cells -> values of every field of the table, metadata and issues."""
    out = RowData()

    def cell(column: Column) -> Any:
        return cells[column.index] if column.index < len(cells) else None

    if cells and len(cells) < len(cmap.columns):
        out.issues.append(
            RecordIssue(None, f"the row has {len(cells)} of {len(cmap.columns)} cells (cut short?); "
                        "the missing ones are read as blank", source)  # fmt: skip
        )
    by_field: dict[str, list[Column]] = {}
    for column in cmap.columns:
        if column.field is not None:
            by_field.setdefault(column.field.name, []).append(column)
        elif column.meta is not None:
            text = cell_text(cell(column))
            if text:
                out.metadata[column.meta] = text
        elif cell_text(cell(column)).strip():
            value = cell_text(cell(column))
            out.issues.append(
                RecordIssue(None, f"column '{column.header}' is not in the form; value '{value}' not used", source)
            )
    for f in cmap.fields:
        columns = by_field.get(f.name, [])
        whole = [c for c in columns if c.option is None]
        if f.type in META_TYPES:
            if whole and cell_text(cell(whole[0])):
                out.metadata[f.name] = cell_text(cell(whole[0]))
            continue
        if f.is_computed:
            if whole:
                out.carried[f.name] = cell_text(cell(whole[0]))
            continue
        if not f.is_question:
            continue
        if whole:
            answer, problem = convert(f, cell(whole[0]))
            if problem:
                out.issues.append(RecordIssue(f.name, problem, source))
            out.values[f.name] = answer
        elif columns:  # split select_multiple only: one 1/0 column per choice
            flags = [(c.option, option_flag(cell(c))) for c in columns]
            chosen = [option for option, flag in flags if flag and option]
            if chosen:
                out.values[f.name] = Answer(order_choices(f, chosen), State.ANSWERED)
            else:
                out.values[f.name] = Answer("", State.BLANK)
            for c in columns:
                raw = cell_text(cell(c)).strip()
                if raw and option_flag(cell(c)) is None:
                    out.issues.append(RecordIssue(f.name, f"'{raw}' in column '{c.header}' is not 1 or 0", source))
        else:
            out.values[f.name] = MISSING_COLUMN
    return out


@dataclass
class ChildRow:
    """A repeat row waiting for its parent."""

    repeat: str
    key: Any
    parent_key: Any
    order: Any
    record: RepeatRecord
    issues: list[RecordIssue]


def attach_repeats(
    fields: FormFields,
    parents: dict[Any, tuple[str | None, Record | RepeatRecord]],
    rows: list[ChildRow],
) -> list[Rejected]:
    """Attach repeat rows to their parent (a main record or another repeat row), in order.

    `parents` maps keys of main rows to (None, Record); repeat rows are added as they come.
    Rows whose parent is missing, or whose parent is in the wrong table, are rejected, and so
    are the rows nested in them."""
    index: dict[Any, tuple[str | None, Record | RepeatRecord]] = dict(parents)
    for row in rows:
        index.setdefault(row.key, (row.repeat, row.record))
    by_key = {row.key: row for row in rows}
    rejected: list[Rejected] = []
    reasons: dict[Any, str] = {}

    def root_of(row: ChildRow, depth: int = 0) -> Record | None:
        if row.key in reasons or depth > 50:
            return None
        parent = index.get(row.parent_key)
        expected = fields.fields[row.repeat].repeat
        if parent is None:
            reasons[row.key] = f"repeat row of '{row.repeat}' points to parent {_show(row.parent_key)}, which is not in the input"
            return None
        if parent[0] != expected:
            where = f"'{parent[0]}'" if parent[0] else "the main table"
            inside = f"'{expected}'" if expected else "the main table"
            reasons[row.key] = f"repeat row of '{row.repeat}' points to a row of {where}, but '{row.repeat}' belongs in {inside}"
            return None
        if isinstance(parent[1], Record):
            return parent[1]
        parent_row = by_key.get(row.parent_key)
        if parent_row is None:
            return None
        found = root_of(parent_row, depth + 1)
        if found is None and row.key not in reasons:
            reasons[row.key] = f"its parent row ({parent_row.record.source}) was rejected"
        return found

    placed: list[tuple[ChildRow, Record]] = []
    for row in rows:
        root = root_of(row)
        if root is None:
            rejected.append(Rejected(row.record.source, reasons.get(row.key, "parent not found")))
        else:
            placed.append((row, root))
    placed.sort(key=lambda pair: _order_key(pair[0].order))
    for row, root in placed:
        parent = index[row.parent_key][1]
        target = parent.repeats if isinstance(parent, Record) else parent.children
        target.setdefault(row.repeat, []).append(row.record)
        root.issues.extend(row.issues)
    return rejected


def _order_key(order: Any) -> tuple:
    return order if isinstance(order, tuple) else (order,)


def _show(key: Any) -> str:
    if isinstance(key, tuple):
        return " ".join(f"'{k}'" if isinstance(k, str) else str(k) for k in key)
    return f"'{key}'"


def empty_repeats(fields: FormFields, repeat: str | None) -> dict[str, list[RepeatRecord]]:
    """A repeats dict with an empty list for every repeat directly inside `repeat`."""
    return {r.name: [] for r in fields.child_repeats(repeat)}


def check_table_matches(cmap: ColumnMap, fields: FormFields, where: str) -> None:
    """Refuse a main table where no column is a question of the form (another form's export)."""
    from ...diagnostics import UserError

    if not any(c.field is not None and c.field.is_question for c in cmap.columns):
        raise UserError(
            f"{where}: no column matches a question of form '{fields.form_id}'; "
            "is this an export of another form? Export the data of this guide's form"
        )
