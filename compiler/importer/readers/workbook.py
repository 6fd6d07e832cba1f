"""Read a filled self-assessment workbook (made by `rightguide build`, saved as .xlsx or .ods by
Excel or LibreOffice) as one record.

Answers are found by the guide's names (`readback.read_workbook_cells`), so a workbook in any
language reads the same, and turned into values by the same cell conversion as Kobo and
Central exports (`cells.CellConverter`): a label that is not a choice, text in a number cell or
a bad date is kept as read with a record issue naming its sheet and row, never dropped. A
workbook has no instanceID: its record is named by a hash of its answers, so the same workbook
read twice (or saved again, or in another language) is one submission.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ...diagnostics import UserError
from ...emitters.workbook.readback import FORMAT_NAME, AnswerCell, read_workbook_cells
from .. import limits
from ..form_fields import FormField, FormFields
from ..records import (
    BLANK,
    Answer,
    ReadResult,
    Record,
    RecordIssue,
    Rejected,
    RepeatRecord,
    Source,
    State,
)
from .cells import CellConverter, cell_text, order_choices
from .workbook_files import AnswerFile


def read_workbook(path: Path, fields: FormFields) -> ReadResult:
    """One Record from a filled workbook of this guide (.xlsx or .ods)."""
    guide = fields.guide
    if guide is None:
        raise UserError(f"{path}: a self-assessment workbook can only be read against the guide")
    with AnswerFile(path) as book:
        if FORMAT_NAME not in book.names:
            raise UserError(
                f"{path}: not a self-assessment workbook of `rightguide build` (it has no defined "
                f"name {FORMAT_NAME}); give the workbook built for this guide, filled in"
            )
        found = read_workbook_cells(book, guide, limits.MAX_WORKBOOK_TABLE_ROWS)
    source = Source(str(path), "workbook", None)
    form_id = found.meta.get("form_id")
    if form_id and form_id != guide.form_id:
        reason = f"form '{form_id}' is not this guide's form '{guide.form_id}'"
        return ReadResult(rejected=[Rejected(source, reason)])
    convert = _Converter(fields, str(path), found.yes, found.no)
    values = {name: convert(name, cells) for name, cells in found.questions.items()}
    for item in fields.in_table(None):
        if item.type not in ("note", "calculate") and item.name not in values:
            values[item.name] = BLANK
    repeats = {
        name: [
            RepeatRecord(
                {field: convert(field, cells) for field, cells in row.cells.items()},
                Source(str(path), name, index),
            )
            for index, row in enumerate(rows, start=1)
        ]
        for name, rows in found.tables.items()
    }
    answers = {name: values[name].value for name in found.questions}
    texts = {
        name: [{k: a.value for k, a in r.values.items()} for r in rs]
        for name, rs in repeats.items()
    }
    digest = hashlib.sha256(
        json.dumps([answers, texts], sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:32]
    record = Record(
        source=source,
        form_id=form_id,
        form_version=found.meta.get("version"),
        instance_id=f"workbook:{digest}",
        deprecated_id=None,
        submitted_at=None,
        values=values,
        repeats=repeats,
        repeats_available=True,
        relevance_known=False,
        issues=convert.issues,
    )
    return ReadResult(records=[record])


class _Converter:
    """Answer cells -> an Answer by field type, as exports are read; problems become issues
    at the cell's sheet and row. A select_multiple question has one cell per option, answered
    with the workbook language's yes or no (or 1/0, true/false, yes/no)."""

    def __init__(self, fields: FormFields, path: str, yes: str, no: str) -> None:
        self.fields = fields
        self.path = path
        self.marks = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        self.marks |= {yes.strip().casefold(): True, no.strip().casefold(): False}
        self.shown = f"'{yes}' or '{no}'"
        self.converters: dict[str, CellConverter] = {}
        self.issues: list[RecordIssue] = []

    def __call__(self, name: str, cells: list[AnswerCell]) -> Answer:
        field = self.fields.fields.get(name)
        if field is None or not cells:
            return BLANK
        if field.type == "select_multiple" and any(c.choice is not None for c in cells):
            return self._options(field, cells)
        cell = cells[0]
        converter = self.converters.get(name)
        if converter is None:
            converter = self.converters[name] = CellConverter(field)
        answer, problem = converter(cell.raw)
        if problem:
            self.issues.append(RecordIssue(name, problem, Source(self.path, cell.sheet, cell.row)))
        return answer

    def _options(self, field: FormField, cells: list[AnswerCell]) -> Answer:
        chosen = []
        for cell in cells:
            text = cell_text(cell.raw).strip()
            mark = self.marks.get(text.casefold()) if text else False
            if mark is None:
                problem = f"'{text}' for option '{cell.choice}' is not {self.shown}"
                self.issues.append(
                    RecordIssue(field.name, problem, Source(self.path, cell.sheet, cell.row))
                )
            elif mark and cell.choice is not None:
                chosen.append(cell.choice)
        return Answer(order_choices(field, chosen), State.ANSWERED) if chosen else BLANK
