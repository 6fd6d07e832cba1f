"""Every input's records one at a time: what `rightguide score` reads, so a run holds the
records of one chunk, not of the whole export.

Each format has a record stream: `(path, fields, out, join) -> Iterator[Record]` yielding
records in input order, putting rejected rows and notes in `out`. `join` lets a reader of
tables read its repeat tables alongside the main one (`RepeatJoin`); it raises OutOfOrder when
that cannot give what a whole read gives, and the caller reads the inputs again with
`join=False`. Streams of formats that cannot be read in one pass read their input whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path

from ..diagnostics import UserError
from .detect import FORMATS, detect_format
from .form_fields import FormFields
from .input_files import check_input_path
from .readers.central_zip import iter_central_csv, iter_central_zip
from .readers.collect_xml import iter_collect
from .readers.kobo_csv import iter_kobo_csv
from .readers.kobo_xlsx import iter_kobo_xlsx
from .readers.tables import OutOfOrder
from .readers.workbook import read_workbook
from .records import ReadResult, Record, RecordIssue, Rejected

__all__ = ["STREAMS", "OutOfOrder", "RecordStream", "iter_input", "iter_inputs"]

RecordStream = Callable[[Path, FormFields, ReadResult, bool], Iterator[Record]]


def whole(reader: Callable[[Path, FormFields], ReadResult]) -> RecordStream:
    """A reader that reads its input whole, as a record stream."""

    def stream(path: Path, fields: FormFields, out: ReadResult, join: bool) -> Iterator[Record]:
        result = reader(path, fields)
        out.rejected += result.rejected
        for text in result.notes:
            out.note(text)
        yield from result.records

    return stream


def _central(path: Path, fields: FormFields, out: ReadResult, join: bool) -> Iterator[Record]:
    if path.suffix.lower() == ".csv":
        return iter_central_csv(path, fields, out, join)
    return iter_central_zip(path, fields, out, join)


STREAMS: dict[str, RecordStream] = {
    "kobo-xlsx": iter_kobo_xlsx,
    "kobo-csv": iter_kobo_csv,
    "central": _central,
    "collect": iter_collect,
    "workbook": whole(read_workbook),
}


def iter_input(
    path: Path, fields: FormFields, out: ReadResult, fmt: str | None = None, join: bool = True,
    elsewhere: Collection[str] = (),
) -> Iterator[Record]:  # fmt: skip
    """One input's records of this form (format detected unless given), one at a time.
    Records of another form are rejected, but those of a form in `elsewhere` (another form of
    the guide, whose run reads this input too) are passed over; other versions of this form
    are kept with an issue and a note (fields are matched by name)."""
    if fmt is not None and fmt not in STREAMS:
        raise UserError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    check_input_path(path)
    versions: Counter[str] = Counter()
    for record in STREAMS[fmt or detect_format(path)](path, fields, out, join):
        if record.form_id and record.form_id != fields.form_id:
            if record.form_id in elsewhere:
                continue  # scored by that form's run
            reason = f"form '{record.form_id}' is not this guide's form '{fields.form_id}'"
            out.rejected.append(Rejected(record.source, reason, record.instance_id))
            continue
        if record.form_version and fields.version and record.form_version != fields.version:
            record.issues.append(
                RecordIssue(
                    None,
                    f"collected with form version '{record.form_version}', "
                    f"not '{fields.version}'; fields matched by name",
                    record.source,
                )
            )
            versions[record.form_version] += 1
        yield record
    for version, count in versions.items():
        out.note(
            f"{path}: {count} record(s) collected with form version '{version}' "
            f"(this form is '{fields.version}'); fields matched by name"
        )


def iter_inputs(
    paths: Iterable[Path], fields: FormFields, out: ReadResult, fmt: str | None = None,
    join: bool = True, elsewhere: Mapping[Path, Collection[str]] | None = None,
) -> Iterator[Record]:  # fmt: skip
    """Every input's records, input after input (see `iter_input`; `elsewhere`: each input's
    other forms, whose records are passed over)."""
    for path in paths:
        path = Path(path)
        yield from iter_input(path, fields, out, fmt, join, (elsewhere or {}).get(path, ()))
