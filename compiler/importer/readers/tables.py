"""Shared by the table readers (Kobo, Central): headers matched to the form's fields, rows
turned into values, and repeat rows attached to their parents.

Headers are matched from the form description, never from fixed column names: every way an
exporter can name a field is generated (XML names or labels in any language of the form; no
group path, the full path, or the path inside the repeat; any separator) and the naming that
matches most headers wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..form_fields import META_TYPES, FormField, FormFields
from ..records import (
    BLANK,
    MISSING_COLUMN,
    Answer,
    ReadResult,
    Record,
    RecordIssue,
    Rejected,
    RepeatRecord,
    Source,
    State,
)
from .cells import CellConverter, cell_text, option_flag, order_choices

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

    @cached_property
    def plan(self) -> RowPlan:
        """How each row of this table is read, worked out on the first row."""
        return row_plan(self)


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


# A field's header words in one naming: (field, group parts then its own name or label,
# (option text, choice name) of each choice of a select_multiple, else None)
FieldWords = tuple[FormField, list[str], list[tuple[str, str]] | None]


def _field_words(
    fields: FormFields, table_fields: list[FormField], lang: str | None, style: str, depth: int
) -> list[FieldWords]:
    """The words of every field's header for one language (None: XML names) and style (no
    group path, the full path, or the path inside the repeat), looked up once for every
    separator tried."""
    out: list[FieldWords] = []
    for f in table_fields:
        parts = {"name": (), "full": f.path, "relative": f.path[depth:]}[style]
        own = f.name if lang is None else f.label(lang)
        options = None
        if f.type == "select_multiple":
            options = [
                (
                    choice.name if lang is None else choice.labels.get(lang) or choice.name,
                    choice.name,
                )
                for choice in f.choices
            ]
        out.append((f, [*(_part(fields, p, lang) for p in parts), own], options))
    return out


def _header_keys(
    words: list[FieldWords], sep: str
) -> dict[str, list[tuple[FormField, str | None]]]:
    """Normalised header -> the (field, choice or None) it may name, in the form's order."""
    keys: dict[str, list[tuple[FormField, str | None]]] = {}
    for f, parts, options in words:
        key = _norm(sep.join(parts))
        keys.setdefault(key, []).append((f, None))
        for option, name in options or ():
            for osep in dict.fromkeys(("/", sep)):
                keys.setdefault(_norm(f"{key}{osep}{option}"), []).append((f, name))
    return keys


def match_columns(
    headers: list[str], fields: FormFields, repeat: str | None, meta_names: Iterable[str]
) -> ColumnMap:
    """Match the headers of the table holding `repeat` (None: the main table) to fields."""
    table_fields = fields.in_table(repeat)
    repeat_depth = len(fields.fields[repeat].path) + 1 if repeat else 0
    clean = [_norm(h) for h in headers]
    best: tuple[int, dict[str, list[tuple[FormField, str | None]]], str] | None = None
    separators = _separators(clean, fields)
    joined = "\n".join(clean)  # to see at once whether a separator is in any header
    for lang in [None, *fields.languages]:
        for style in ("name", "full", "relative"):
            if style == "relative" and not repeat_depth:
                continue  # the same keys as "full" (tried just before), so it cannot score more
            words = _field_words(fields, table_fields, lang, style, repeat_depth)
            for sep in separators if style != "name" else ["/"]:
                if style != "name" and sep.strip() and sep.strip() not in joined:
                    # every key with this separator in it matches no header, and the others
                    # are the "name" keys, tried before: it cannot score more
                    continue
                keys = _header_keys(words, sep)
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
    values: Mapping[str, Answer] = field(default_factory=dict)
    carried: Mapping[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    issues: list[RecordIssue] = field(default_factory=list)


@dataclass(frozen=True)
class SplitSelect:
    """A select_multiple exported as one 1/0 column per choice and no whole column:
    (index, choice name, header) of each of its columns."""

    field: FormField
    columns: list[tuple[int, str | None, str]]


@dataclass(frozen=True)
class RowPlan:
    """What `convert_row` does with each cell of a table, worked out once from the ColumnMap
    (it never depends on the row), so a row costs a lookup and a conversion per cell.

    The lists keep the order the record's dicts and issues have always had: metadata columns
    then metadata fields, questions in the form's order."""

    width: int  # cells in a full row
    meta_columns: list[tuple[int, str]]  # (index, metadata key) of metadata columns
    unknown_columns: list[tuple[int, str]]  # (index, header) of columns not in the form
    meta_fields: list[tuple[int, str]]  # (index, name) of start, end, deviceid ... fields
    carried: list[tuple[int, str]]  # (index, name) of calculations carried by the export
    # (index, index of the column read, header) of a second column naming the same field
    repeated_columns: list[tuple[int, int, str]]
    # (name, index, converter, None) for a question in one column (the common case), or
    # (name, -1, None, SplitSelect) for a select_multiple split into 1/0 columns
    questions: list[tuple[str, int, CellConverter | None, SplitSelect | None]]
    values: dict[str, Answer]  # every question in order: MISSING_COLUMN when no column has it


def row_plan(cmap: ColumnMap) -> RowPlan:
    """The RowPlan of a table (see RowPlan)."""
    by_field: dict[str, list[Column]] = {}
    meta_columns: list[tuple[int, str]] = []
    unknown_columns: list[tuple[int, str]] = []
    for column in cmap.columns:
        if column.field is not None:
            by_field.setdefault(column.field.name, []).append(column)
        elif column.meta is not None:
            meta_columns.append((column.index, column.meta))
        else:
            unknown_columns.append((column.index, column.header))
    meta_fields: list[tuple[int, str]] = []
    carried: list[tuple[int, str]] = []
    questions: list[tuple[str, int, CellConverter | None, SplitSelect | None]] = []
    values: dict[str, Answer] = {}
    repeated: list[tuple[int, int, str]] = []
    for f in cmap.fields:
        columns = by_field.get(f.name, [])
        # when several columns name the field itself (a repeated header), the first is read
        # and a different value in another is reported (see convert_row)
        wholes = [c for c in columns if c.option is None]
        whole = wholes[0] if wholes else None
        repeated += [(c.index, wholes[0].index, c.header) for c in wholes[1:]]
        if f.type in META_TYPES:
            if whole is not None:
                meta_fields.append((whole.index, f.name))
        elif f.is_computed:
            if whole is not None:
                carried.append((whole.index, f.name))
        elif not f.is_question:
            continue
        elif whole is not None:
            questions.append((f.name, whole.index, CellConverter(f), None))
            values[f.name] = BLANK  # placeholder, always replaced: keeps the form's order
        elif columns:
            split = SplitSelect(f, [(c.index, c.option, c.header) for c in columns])
            questions.append((f.name, -1, None, split))
            values[f.name] = BLANK
        else:
            values[f.name] = MISSING_COLUMN
    return RowPlan(
        len(cmap.columns), meta_columns, unknown_columns, meta_fields, carried, repeated,
        questions, values,
    )  # fmt: skip


def convert_row(cmap: ColumnMap, cells: list[Any], source: Source) -> RowData:
    """One row's cells -> values of every field of the table, metadata and issues."""
    plan = cmap.plan
    out = RowData(values=plan.values.copy())
    if len(cells) < plan.width:
        if cells:
            out.issues.append(RecordIssue(None, short_row(len(cells), plan.width), source))
        cells = [*cells, *([None] * (plan.width - len(cells)))]  # missing cells read as empty
    metadata, issues, values = out.metadata, out.issues, out.values
    for index, key in plan.meta_columns:
        if text := cell_text(cells[index]):
            metadata[key] = text
    # a column not in the form is named once per input (kobo_common.unknown_columns_note), and
    # values without a header are one issue per row: never an issue per cell (an export with
    # 20,000 extra columns gave a million issues)
    unheadered = [index for index, header in plan.unknown_columns if not header.strip()]
    stray = [
        (index, value)
        for index in (*unheadered, *range(plan.width, len(cells)))  # and past the last header
        if (value := cell_text(cells[index])).strip()
    ]
    if stray:
        issues.append(RecordIssue(None, unused_values(stray), source))
    for index, first, header in plan.repeated_columns:
        value = cell_text(cells[index])
        if value.strip() and value != cell_text(cells[first]):
            issues.append(RecordIssue(None, repeated_column(header, value), source))
    for index, name in plan.meta_fields:
        if text := cell_text(cells[index]):
            metadata[name] = text
    for index, name in plan.carried:
        out.carried[name] = cell_text(cells[index])
    for name, index, convert_cell, split in plan.questions:
        if convert_cell is not None:
            raw = cells[index]
            # a text seen before in this column: a lookup, not a call (see CellConverter)
            answer, problem = convert_cell.known.get(raw) or convert_cell(raw)
            if problem:
                issues.append(RecordIssue(name, problem, source))
            values[name] = answer
        elif split is not None:
            values[name] = split_answer(split, cells, source, issues)
    return out


def short_row(count: int, width: int) -> str:
    """The issue of a row with fewer cells than the header."""
    return f"the row has {count} of {width} cells (cut short?); the missing ones are read as blank"


def repeated_column(header: str, value: str) -> str:
    """The issue of a second column of a field holding another value than the first."""
    return f"column '{header}' repeats a column read before; value '{value}' not used"


def unused_values(stray: list[tuple[int, str]]) -> str:
    """The issue for values in columns without a header: the first, and how many more."""
    index, value = stray[0]
    message = f"column {index + 1} has no header; value '{value}' not used"
    if len(stray) > 1:
        message += f", nor {len(stray) - 1} more value(s) in columns without a header"
    return message


def split_answer(
    split: SplitSelect, cells: list[Any], source: Source, issues: list[RecordIssue]
) -> Answer:
    """The answer of a select_multiple read from its 1/0 columns; other marks are issues."""
    f = split.field
    chosen = [option for index, option, _ in split.columns if option_flag(cells[index]) and option]
    for index, _, header in split.columns:
        raw = cell_text(cells[index]).strip()
        if raw and option_flag(cells[index]) is None:
            issues.append(
                RecordIssue(f.name, f"'{raw}' in column '{header}' is not 1 or 0", source)
            )
    if chosen:
        return Answer(order_choices(f, chosen), State.ANSWERED)
    return Answer("", State.BLANK)


@dataclass
class ChildRow:
    """A repeat row waiting for its parent."""

    repeat: str
    key: Any
    parent_key: Any
    order: Any
    record: RepeatRecord
    issues: list[RecordIssue]
    submission: str | None = None  # the submission's uuid, where the export repeats it


def wrong_submission(row: ChildRow, root: Record) -> str | None:
    """Why a repeat row cannot belong to the submission its parent keys lead to: Kobo repeats
    the submission's `_uuid` on each repeat row (`_submission__uuid`), and the two must agree.
    None when they do, or when either is missing."""
    own = root.metadata.get("_uuid")
    if not row.submission or not own or _bare(row.submission) == _bare(own):
        return None
    return (
        f"repeat row of '{row.repeat}' points to parent {_show(row.parent_key)}, a row of "
        f"submission '{_bare(own)}', but names submission '{_bare(row.submission)}'"
    )


def _bare(uuid: str) -> str:
    return uuid.strip().removeprefix("uuid:")


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
    roots = _Roots(fields, index, {row.key: row for row in rows})
    rejected: list[Rejected] = []
    placed: list[tuple[ChildRow, Record]] = []
    for row in rows:
        root = roots.root_of(row)
        if root is None:
            reason = roots.reasons.get(row.key, "parent not found")
            rejected.append(Rejected(row.record.source, reason))
        else:
            placed.append((row, root))
    placed.sort(key=lambda pair: _order_key(pair[0].order))
    for row, root in placed:
        parent = index[row.parent_key][1]
        target = parent.repeats if isinstance(parent, Record) else parent.children
        target.setdefault(row.repeat, []).append(row.record)
        root.issues.extend(row.issues)
    return rejected


@dataclass
class _Roots:
    """Finds the main record a repeat row belongs to, through its parent rows, and why not
    when it has none. (A class rather than a nested function that calls itself, which would
    be a reference cycle holding every row until the garbage collector runs.)"""

    fields: FormFields
    index: dict[Any, tuple[str | None, Record | RepeatRecord]]  # every row by key
    by_key: dict[Any, ChildRow]  # repeat rows by key
    reasons: dict[Any, str] = field(default_factory=dict)  # key -> why it has no root

    def root_of(self, row: ChildRow, depth: int = 0) -> Record | None:
        """The main record the row belongs to, or None (the reason in `reasons`): its parent
        chain must lead to a main row of the submission the row names, if it names one."""
        root = self._walk(row, depth)
        if root is not None and (reason := wrong_submission(row, root)) is not None:
            self.reasons[row.key] = reason  # rows nested in it are rejected too
            return None
        return root

    def _walk(self, row: ChildRow, depth: int) -> Record | None:
        if row.key in self.reasons or depth > 50:
            return None
        parent = self.index.get(row.parent_key)
        expected = self.fields.fields[row.repeat].repeat
        if parent is None:
            self.reasons[row.key] = orphan_reason(row)
            return None
        if parent[0] != expected:
            where = f"'{parent[0]}'" if parent[0] else "the main table"
            inside = f"'{expected}'" if expected else "the main table"
            self.reasons[row.key] = (
                f"repeat row of '{row.repeat}' points to a row of {where}, but '{row.repeat}' belongs in {inside}"
            )
            return None
        if isinstance(parent[1], Record):
            return parent[1]
        parent_row = self.by_key.get(row.parent_key)
        if parent_row is None:
            return None
        found = self.root_of(parent_row, depth + 1)
        if found is None and row.key not in self.reasons:
            self.reasons[row.key] = f"its parent row ({parent_row.record.source}) was rejected"
        return found


def orphan_reason(row: ChildRow) -> str:
    """Why a repeat row whose parent is not in the input is rejected."""
    return (
        f"repeat row of '{row.repeat}' points to parent {_show(row.parent_key)}, "
        "which is not in the input"
    )


class OutOfOrder(Exception):
    """A one-pass join met repeat rows it cannot place as `attach_repeats` would (rows not in
    their parents' order, a parent key read twice, a parent that is not a main row): the
    input must be read whole instead."""


class RepeatJoin:
    """Attaches repeat rows to main records in one pass over every table at once, as
    `attach_repeats` does, when each repeat table lists its rows in the order of their parents
    (as Kobo and Central write them): memory holds one row per table, not the input.

    For each main record, in the main table's order, `attach` takes the rows of every table
    that point to it. A row it cannot place as a whole read would (it points to a main record
    already passed, or to none: rows sorted by hand, orphans, a parent key read twice) raises
    OutOfOrder, and the input is read whole instead, which also says why a row is rejected."""

    def __init__(self, tables: list[Iterator[ChildRow]]) -> None:
        self.tables = tables
        self.held: list[ChildRow | None] = [next(t, None) for t in tables]
        self.passed: set[Any] = set()

    def attach(self, record: Record, key: Any) -> None:
        """Attach the rows pointing to `key` to `record` (issues too), in `attach_repeats`
        order: by the rows' order key, then table."""
        if key in self.passed:
            raise OutOfOrder(f"parent key {_show(key)} read twice")
        found: list[tuple[tuple, int, ChildRow]] = []
        for position, table in enumerate(self.tables):
            row = self.held[position]
            while row is not None and row.parent_key == key:
                if wrong_submission(row, record) is not None:
                    raise OutOfOrder(f"{row.record.source}: names another submission")
                found.append((_order_key(row.order), position, row))
                row = next(table, None)
            self.held[position] = row
        self.passed.add(key)
        for row in self.held:
            if row is not None and row.parent_key in self.passed:
                raise OutOfOrder(f"{row.record.source}: after other rows of its parent's")
        found.sort(key=lambda item: (item[0], item[1]))
        for _, _, row in found:
            record.repeats.setdefault(row.repeat, []).append(row.record)
            record.issues.extend(row.issues)

    def finish(self) -> None:
        """Once every main record is attached: any row left points to no main record."""
        for row in self.held:
            if row is not None:
                raise OutOfOrder(f"{row.record.source}: its parent was not met")


def with_repeats(
    fields: FormFields, records: Iterable[tuple[Record, Any]],
    tables: Callable[[], list[Iterator[ChildRow]]], out: ReadResult, join: bool,
) -> Iterator[Record]:  # fmt: skip
    """Main records (with the key their repeat rows point to) with their repeat rows
    attached, one at a time. With `join` (and no repeat inside a repeat), the repeat tables
    are read alongside the main one (`RepeatJoin`); else every main record is read, then
    every repeat table (`tables()` is called only then), then `attach_repeats` places them
    and rejects the rest into `out`."""
    if join and not any(r.repeat is not None for r in fields.repeats()):
        joined = RepeatJoin(tables())
        for record, key in records:
            joined.attach(record, key)
            yield record
        joined.finish()
        return
    parents: dict[Any, tuple[str | None, Record | RepeatRecord]] = {}
    kept: list[Record] = []
    for record, key in records:
        kept.append(record)
        parents[key] = (None, record)
    out.rejected += attach_repeats(fields, parents, [row for rows in tables() for row in rows])
    yield from kept


def _order_key(order: Any) -> tuple:
    return order if isinstance(order, tuple) else (order,)


def _show(key: Any) -> str:
    if isinstance(key, tuple):  # a Kobo row: (repeat, or None for the main sheet; its _index)
        table, index = key
        return f"row _index '{index}' of " + (f"'{table}'" if table else "the main sheet")
    return f"'{key}'"


class EmptyRepeats:
    """Makes a repeats dict with an empty list for every repeat directly inside `repeat` (None:
    top-level repeats), one per row; the names are looked up once per table, not per row."""

    def __init__(self, fields: FormFields, repeat: str | None) -> None:
        self.names = tuple(r.name for r in fields.child_repeats(repeat))

    def __call__(self) -> dict[str, list[RepeatRecord]]:
        return {name: [] for name in self.names}


def foreign_table(cmap: ColumnMap, fields: FormFields) -> str | None:
    """Why a main table is another form's (no column is a question of this form), or None.
    Its rows are then rejected with this reason, as rows of another form's Central export
    are, so the other inputs of a run are still scored."""
    if any(c.field is not None and c.field.is_question for c in cmap.columns):
        return None
    return (
        f"no column matches a question of form '{fields.form_id}': an export of another "
        "form? Export the data of this guide's form"
    )


def reject_rows(
    rows: Iterable[tuple[int, Any]], where: str, sheet: str | None, reason: str, out: ReadResult
) -> None:
    """Reject every row of a table with one reason (nothing is dropped silently)."""
    out.rejected += [Rejected(Source(where, sheet, number), reason) for number, _cells in rows]
