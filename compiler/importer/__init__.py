"""Read collected data (Kobo, ODK Central, ODK Collect exports) into normalized records.

`read_inputs` reads every input with the reader its format needs, checks each record belongs
to this form, and keeps one record per submission. Every input record ends as a `Record` or a
`Rejected` with a reason; nothing is skipped silently.
"""

from __future__ import annotations

from pathlib import Path

from ..gc_pause import gc_paused
from .dedupe import dedupe
from .detect import FORMATS, detect_format
from .form_fields import FormField, FormFields
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
from .stream import OutOfOrder, iter_input, iter_inputs

__all__ = [
    "FORMATS", "Answer", "FormField", "FormFields", "ReadResult", "Record", "RecordIssue",
    "OutOfOrder", "Rejected", "RepeatRecord", "Source", "State", "detect_format", "iter_input",
    "iter_inputs", "read_input", "read_inputs",
]  # fmt: skip


def read_input(path: Path, fields: FormFields, fmt: str | None = None) -> ReadResult:
    """Read one input whole (format detected unless given) and match its records to the form
    (see `stream.iter_input`)."""
    result = ReadResult()
    with gc_paused():
        result.records.extend(iter_input(path, fields, result, fmt, join=False))
    return result


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
