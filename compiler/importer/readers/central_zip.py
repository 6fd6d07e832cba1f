"""ODK Central exports: `submissions.csv.zip` (FORMID.csv + FORMID-REPEAT.csv joined on
KEY / PARENT_KEY) or a bare main CSV."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ...diagnostics import UserError
from .. import limits
from ..form_fields import FormFields
from ..input_files import read_whole_file
from ..records import ReadResult, Record, Rejected, RepeatRecord, Source
from ..safe_zip import nested_zip_note, open_checked_zip, read_member
from .csv_text import iter_rows
from .kobo_common import unknown_columns_note
from .tables import (
    ChildRow,
    ColumnMap,
    EmptyRepeats,
    RowData,
    foreign_table,
    match_columns,
    reject_rows,
    with_repeats,
)
from .text_rows import converted

CENTRAL_META = (
    "SubmissionDate", "KEY", "PARENT_KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
    "meta-instanceID", "instanceID", "meta-deprecatedID", "deprecatedID", "meta-instanceName",
    "instanceName", "meta-audit", "audit", "start", "end", "today", "deviceid", "username",
)  # fmt: skip
_POSITION = re.compile(r"\[(\d+)\]$")


def is_central_header(header: list[str]) -> bool:
    """True for a Central main table header (SubmissionDate ... KEY)."""
    return "KEY" in header and "SubmissionDate" in header


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip with one clear line when it is not one, or is past the `limits`."""
    return open_checked_zip(path)


def iter_central_zip(
    path: Path, fields: FormFields, out: ReadResult, join: bool = True
) -> Iterator[Record]:
    """The records of a submissions.csv.zip with their repeats, one at a time; rejected rows
    and notes go to `out`. With `join`, the repeat tables are read alongside the main one
    (`RepeatJoin`), raising OutOfOrder when their rows are not in their parents' order;
    without, every table is read before the first record."""
    where = str(path)
    with open_zip(path) as archive:
        names = sorted(archive.namelist())
        tables = {
            name: iter_rows(read_member(archive, name, where), f"{where}:{name}")
            for name in names
            if name.lower().endswith(".csv") and not name.startswith("media/")
        }
    mains = [n for n, (header, _, _) in tables.items() if is_central_header(header)]
    if len(mains) != 1:
        raise UserError(
            f"{where}: expected one main table (a CSV with SubmissionDate and KEY), found "
            f"{len(mains)}; is this an ODK Central submissions.csv.zip?"
        )
    main = mains[0]
    form_id = PurePosixPath(main).stem
    if note := nested_zip_note(names, where):
        out.note(note)
    records, foreign = _main_records(where, main, tables[main], fields, form_id, out)
    if form_id != fields.form_id:
        foreign = f"form '{form_id}' is not this guide's form '{fields.form_id}'"
    children: list[Iterator[ChildRow]] = []
    repeat_names = {r.name for r in fields.repeats()}
    for name, (header, rows, notes) in tables.items():
        if name == main:
            continue
        for text in notes:
            out.note(text)
        stem = PurePosixPath(name).stem
        repeat = stem[len(form_id) + 1 :] if stem.startswith(form_id + "-") else None
        if foreign is not None and "PARENT_KEY" in header:
            reject_rows(rows, where, name, foreign, out)
            continue
        if repeat not in repeat_names or "PARENT_KEY" not in header:
            listed = list(rows)
            if listed and "PARENT_KEY" in header:
                reason = f"table '{stem}' is not a repeat of this form"
                out.rejected += [Rejected(Source(where, name, n), reason) for n, _cells in listed]
            else:
                out.note(f"{where}: '{name}' is not a submission table (audit log?); not read")
            continue
        children.append(_repeat_rows(where, name, header, rows, fields, repeat, out))
    present = {PurePosixPath(n).stem[len(form_id) + 1 :] for n in tables}
    missing = [r for r in sorted(repeat_names) if r not in present]
    if missing:
        out.note(f"{where}: no table for repeat(s) {', '.join(missing)}: read as no records of them")
    yield from with_repeats(fields, records, lambda: children, out, join)


def iter_central_csv(
    path: Path, fields: FormFields, out: ReadResult, join: bool = True
) -> Iterator[Record]:
    """The records of a bare Central main CSV one at a time, without repeat data."""
    where = str(path)
    table = iter_rows(read_whole_file(path, limits.MAX_CSV_BYTES, "CSV export"), where)
    records, _ = _main_records(where, None, table, fields, None, out)
    for record, _key in records:
        record.repeats_available = False
        record.repeats = {}
        yield record
    if fields.repeats():
        out.note(
            f"{where}: a single Central CSV carries no repeat data; "
            "read the whole submissions.csv.zip to include repeats"
        )


def _main_records(
    where: str, sheet: str | None, table: Any, fields: FormFields, form_id: str | None,
    result: ReadResult,
) -> tuple[Iterator[tuple[Record, Any]], str | None]:  # fmt: skip
    """Each main row as a Record (repeats empty) with its KEY, as the rows are read; the
    header is matched (and its notes said) now. When no column is a question of this form,
    every row is rejected with the reason, which is returned too (`foreign_table`)."""
    header, rows, notes = table
    for text in notes:
        result.note(text)
    cmap = match_columns(header, fields, None, CENTRAL_META)
    place = f"{where}:{sheet}" if sheet else where
    if form_id is None or form_id == fields.form_id:
        if (reason := foreign_table(cmap, fields)) is not None:
            reject_rows(rows, where, sheet, reason, result)
            return iter(()), reason
    if note := unknown_columns_note(place, cmap):
        result.note(note)
    return _main_rows(where, sheet, rows, cmap, fields, form_id), None


def _main_rows(
    where: str, sheet: str | None, rows: Iterator[tuple[int, list[str]]], cmap: ColumnMap,
    fields: FormFields, form_id: str | None,
) -> Iterator[tuple[Record, Any]]:  # fmt: skip
    top_repeats = EmptyRepeats(fields, None)
    for data, source in converted(cmap, rows, where, sheet):  # column by column (`text_rows`)
        yield _main_record(data, source, form_id, top_repeats(), where)


def _main_record(
    data: RowData, source: Source, form_id: str | None, repeats: dict[str, list[RepeatRecord]],
    where: str,
) -> tuple[Record, Any]:  # fmt: skip
    meta = data.metadata
    instance = meta.get("meta-instanceID") or meta.get("instanceID") or meta.get("KEY")
    record = Record(
        source=source,
        form_id=form_id,
        form_version=meta.get("FormVersion"),
        instance_id=instance,
        deprecated_id=meta.get("meta-deprecatedID") or meta.get("deprecatedID"),
        submitted_at=meta.get("SubmissionDate"),
        values=data.values,
        repeats=repeats,
        repeats_available=True,
        relevance_known=False,
        issues=data.issues,
        carried_scores=data.carried,
        metadata=meta,
    )
    return record, meta.get("KEY") or f"{where}:row{source.row}"


def _repeat_rows(
    where: str, name: str, header: list[str], rows: Iterator[tuple[int, list[str]]],
    fields: FormFields, repeat: str, result: ReadResult,
) -> Iterator[ChildRow]:  # fmt: skip
    """The rows of one repeat table, read as asked for (the header matched now)."""
    cmap = match_columns(header, fields, repeat, CENTRAL_META)
    if note := unknown_columns_note(f"{where}:{name}", cmap):
        result.note(note)
    return _child_rows(where, name, rows, cmap, fields, repeat)


def _child_rows(
    where: str, name: str, rows: Iterator[tuple[int, list[str]]], cmap: ColumnMap,
    fields: FormFields, repeat: str,
) -> Iterator[ChildRow]:  # fmt: skip
    inner_repeats = EmptyRepeats(fields, repeat)
    for data, source in converted(cmap, rows, where, name):  # column by column (`text_rows`)
        number = source.row
        key = data.metadata.get("KEY") or f"{name}:row{number}"
        found = _POSITION.search(key)
        order = (int(found.group(1)) if found else 0, number)
        record = RepeatRecord(data.values, source, inner_repeats(), data.carried)
        yield ChildRow(
            repeat, key, data.metadata.get("PARENT_KEY", "(none)"), order, record, data.issues
        )
