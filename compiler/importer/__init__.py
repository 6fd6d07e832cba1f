"""Read collected data (Kobo, ODK Central, ODK Collect exports) into normalized records.

`read_inputs` reads every input with the reader its format needs, checks each record belongs
to this form, and keeps one record per submission. Every input record ends as a `Record` or a
`Rejected` with a reason; nothing is skipped silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import UserError
from .dedupe import dedupe
from .detect import FORMATS, detect_format
from .form_fields import FormField, FormFields
from .readers.central_zip import read_central_csv, read_central_zip
from .readers.collect_xml import read_collect
from .readers.kobo_csv import read_kobo_csv
from .readers.kobo_xlsx import read_kobo_xlsx
from .readers.workbook import read_workbook
from .records import (
    Answer,
    ReadResult,
    Record,
    RecordIssue,
    Rejected,
    RepeatRecord,
    Source,
    State,
)

__all__ = [
    "FORMATS", "Answer", "FormField", "FormFields", "ReadResult", "Record", "RecordIssue",
    "Rejected", "RepeatRecord", "Source", "State", "detect_format", "read_input", "read_inputs",
]  # fmt: skip


def _central(path: Path, fields: FormFields) -> ReadResult:
    if path.suffix.lower() == ".csv":
        return read_central_csv(path, fields)
    return read_central_zip(path, fields)


READERS: dict[str, Callable[[Path, FormFields], ReadResult]] = {
    "kobo-xlsx": read_kobo_xlsx,
    "kobo-csv": read_kobo_csv,
    "central": _central,
    "collect": read_collect,
    "workbook": read_workbook,
}


def read_input(path: Path, fields: FormFields, fmt: str | None = None) -> ReadResult:
    """Read one input (format detected unless given) and match its records to the form."""
    if fmt is not None and fmt not in READERS:
        raise UserError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    result = READERS[fmt or detect_format(path)](path, fields)
    return _match_form(result, fields, str(path))


def _match_form(result: ReadResult, fields: FormFields, where: str) -> ReadResult:
    """Reject records of another form; accept other versions of this form with an issue and a
    note (fields are matched by name)."""
    out = ReadResult(rejected=list(result.rejected), notes=list(result.notes))
    versions: Counter[str] = Counter()
    for record in result.records:
        if record.form_id and record.form_id != fields.form_id:
            out.rejected.append(
                Rejected(
                    record.source,
                    f"form '{record.form_id}' is not this guide's form '{fields.form_id}'",
                    record.instance_id,
                )
            )
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
        out.records.append(record)
    for version, count in versions.items():
        out.note(
            f"{where}: {count} record(s) collected with form version '{version}' "
            f"(this form is '{fields.version}'); fields matched by name"
        )
    return out


def read_inputs(
    paths: list[Path], fields: FormFields, fmt: str | None = None
) -> tuple[list[Record], list[Rejected], list[str]]:
    """Read every input: (records, rejected, notes). Duplicates and superseded edits across
    all inputs are rejected with the instanceID of the record kept."""
    total = ReadResult()
    for path in paths:
        total.extend(read_input(Path(path), fields, fmt))
    kept, duplicates = dedupe(total.records)
    return kept, total.rejected + duplicates, total.notes
