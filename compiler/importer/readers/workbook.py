"""Read a filled self-assessment workbook (made by `rightguide build`) as one record.

Answers are found by the guide's names (defined names and the hidden key rows of repeat
tables), so a workbook in any language reads the same. A workbook has no instanceID: its
record is named by a hash of its answers, so the same workbook read twice is one submission.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ...diagnostics import UserError
from ...emitters.workbook.readback import read_workbook_answers, workbook_meta
from ..form_fields import FormFields
from ..records import BLANK, Answer, ReadResult, Record, Rejected, RepeatRecord, Source, State


def read_workbook(path: Path, fields: FormFields) -> ReadResult:
    """One Record from a filled workbook of this guide."""
    guide = fields.guide
    if guide is None:
        raise UserError(f"{path}: a self-assessment workbook can only be read against the guide")
    meta = workbook_meta(path)
    source = Source(str(path), "workbook", None)
    if meta.get("form_id") and meta["form_id"] != guide.form_id:
        reason = f"form '{meta['form_id']}' is not this guide's form '{guide.form_id}'"
        return ReadResult(rejected=[Rejected(source, reason)])
    answers, repeats = read_workbook_answers(path, guide)
    values = {
        name: Answer(value, State.ANSWERED) if value != "" else BLANK
        for name, value in answers.items()
    }
    for field in fields.in_table(None):
        if field.type not in ("note", "calculate") and field.name not in values:
            values[field.name] = BLANK
    records = {
        name: [
            RepeatRecord(
                {k: Answer(v, State.ANSWERED) if v != "" else BLANK for k, v in record.items()},
                Source(str(path), name, index),
            )
            for index, record in enumerate(rows, start=1)
        ]
        for name, rows in repeats.items()
    }
    digest = hashlib.sha256(
        json.dumps([answers, repeats], sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:32]
    record = Record(
        source=source,
        form_id=meta.get("form_id"),
        form_version=meta.get("version"),
        instance_id=f"workbook:{digest}",
        deprecated_id=None,
        submitted_at=None,
        values=values,
        repeats=records,
        repeats_available=True,
        relevance_known=False,
    )
    return ReadResult(records=[record])
