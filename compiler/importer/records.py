"""The normalized record: what every reader yields, whatever the input format.

This is the contract between readers, scoring and reports.

Values are kept as the XForm would serialise them, as text:
- select_one: the choice name; select_multiple: choice names joined by one space, in the order
  of the form's choice list (selection order carries no meaning in XForms and some exports
  lose it, so every reader uses the list order), unknown values kept at the end;
- integer: "3" (never "3.0"); decimal: the shortest exact decimal, "1250.5", "980", "0";
- date: yyyy-mm-dd; datetime: ISO 8601 as written; text: as written.

Each value carries a state:
- ANSWERED: a non-empty value;
- BLANK: the field was there and empty;
- NOT_RELEVANT: the field was not in the submission, which XForm instances (ODK Collect) do for
  every non-relevant question;
- MISSING_COLUMN: the export does not carry this field at all.

Exports (Kobo, Central) write an empty cell both for a blank answer and for a non-relevant
question, and cannot tell them apart; readers of exports say BLANK and set
`Record.relevance_known = False`, so scoring re-evaluates relevance itself rather than trusting
the state. XML readers set it True: there NOT_RELEVANT and BLANK are facts.

`values` and `carried_scores` are read-only mappings: a dict of the record's own, or (CSV
tables) a row of the columns of the chunk the record was read with (`column_rows.ColumnRow`).

KoboToolbox exports drop repeat instances that hold no answer at all (ODK Central and Collect
keep them); `RepeatRecord.is_empty` lets a comparison ignore those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..diagnostics import one_line


class State(StrEnum):
    """How a field stands in one record."""

    ANSWERED = "answered"
    BLANK = "blank"
    NOT_RELEVANT = "not_relevant"
    MISSING_COLUMN = "missing_column"


@dataclass(frozen=True)
class Answer:
    """One field's value (text as the XForm serialises it; "" unless ANSWERED) and its state."""

    value: str
    state: State

    @property
    def answered(self) -> bool:
        return self.state is State.ANSWERED


BLANK = Answer("", State.BLANK)
NOT_RELEVANT = Answer("", State.NOT_RELEVANT)
MISSING_COLUMN = Answer("", State.MISSING_COLUMN)


@dataclass(frozen=True)
class Source:
    """Where a record came from: the file, the sheet (xlsx) or member (zip), and the 1-based row
    in that sheet or CSV counting header rows (None for XML)."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.sheet:
            place += f" [{self.sheet}]"
        if self.row is not None:
            place += f" row {self.row}"
        return place


@dataclass
class RecordIssue:
    """A problem with one value of a record: unknown choice, not a number, bad date, a value in
    a column that is not in the form... The record is kept; the value is kept as read."""

    field: str | None
    message: str
    source: Source

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class RepeatRecord:
    """One instance of a repeat: its fields by name, the calculations it carried, and the
    instances of repeats nested in it."""

    values: Mapping[str, Answer]
    source: Source
    children: dict[str, list[RepeatRecord]] = field(default_factory=dict)
    carried_scores: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when nothing in this instance (or nested in it) is answered."""
        return not any(a.answered for a in self.values.values()) and all(
            child.is_empty for records in self.children.values() for child in records
        )


@dataclass
class Record:
    """One submission, normalized."""

    source: Source
    form_id: str | None
    form_version: str | None
    instance_id: str | None
    deprecated_id: str | None
    submitted_at: str | None  # ISO 8601
    values: Mapping[str, Answer]  # by field name, fields outside repeats; every question of the form
    repeats: dict[str, list[RepeatRecord]]  # by repeat name, top-level repeats
    repeats_available: bool  # False when the input cannot carry repeats (Kobo CSV)
    relevance_known: bool  # True for XML (absent = NOT_RELEVANT); False for exports
    issues: list[RecordIssue] = field(default_factory=list)
    carried_scores: Mapping[str, str] = field(default_factory=dict)  # calculate/score values read
    metadata: dict[str, str] = field(default_factory=dict)  # start, end, _id, SubmitterName ...


@dataclass
class Rejected:
    """An input record that did not become a Record, and why (one line)."""

    source: Source
    reason: str
    instance_id: str | None = None

    def __str__(self) -> str:
        return one_line(f"{self.source}: {self.reason}")


@dataclass
class ReadResult:
    """What one reader made of one input: records, rejected rows and notes said once."""

    records: list[Record] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def extend(self, other: ReadResult) -> None:
        self.records += other.records
        self.rejected += other.rejected
        for text in other.notes:
            self.note(text)
