"""Records analysed many at a time: the same `ScoredRecord`s as `Analyser.analyse`, faster.

`Analyser.analyse` (pipeline.py) is the specification: one record filled, scored and checked
at a time. Here a chunk of records is filled at once by the vectorized evaluator
(`scoring.batch`), and each record's issues are found by reading the filled columns only
for the values the record actually carries (answers, carried calculations) and for the
constraints that failed, instead of walking every field of the form per record. The tests
compare both, record by record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from ..gc_pause import gc_paused
from ..importer.records import MISSING_COLUMN, Answer, Record, State
from ..model import Item
from ..scoring.batch import BatchEvaluator, BatchFill, BatchInput, RepeatInput
from ..scoring.evaluator import as_text, typed_value
from .pipeline import (
    CARRIED_DIFFERS,
    NOT_APPLICABLE,
    NOT_REACHED,
    Analyser,
    Issue,
    ScoredRecord,
    _Entry,
    _unique,
    same_value,
)

_VALUE = attrgetter("value")
_TYPED_ANSWERS = ("integer", "decimal", "date")  # the only answers typed on filling


@dataclass(frozen=True)
class _Field:
    """A question or calculation: its place in document order and how to read it."""

    item: Item
    position: int  # in guide.walk() order
    repeat: str | None
    typed: bool  # whether filling converts the answer (numbers, dates)


class BatchAnalyser:
    """Analyse chunks of records of one guide with the vectorized evaluator."""

    def __init__(self, analyser: Analyser, evaluator: BatchEvaluator | None = None) -> None:
        self.analyser = analyser
        self.guide = analyser.guide
        self.scorer = analyser.scorer
        self.evaluator = evaluator or BatchEvaluator(self.guide, self.scorer.evaluator.reference)
        self.fields: dict[str, _Field] = {}
        self.repeat_position: dict[str, int] = {}
        for position, item in enumerate(self.guide.walk()):
            if item.type == "repeat" and item.repeat is None:
                self.repeat_position[item.name] = position
            if item.is_question or item.is_computed:
                repeat = item.repeat.name if item.repeat is not None else None
                typed = item.type in _TYPED_ANSWERS
                self.fields[item.name] = _Field(item, position, repeat, typed)
        self._top_level = {n: f for n, f in self.fields.items() if f.repeat is None}
        self._in_repeat: dict[str, dict[str, _Field]] = {}
        for name, f in self.fields.items():
            if f.repeat is not None:
                self._in_repeat.setdefault(f.repeat, {})[name] = f
        self.constrained = [f for f in self.fields.values() if f.item.constraint is not None]
        self.required = [f for f in self.fields.values() if f.item.required and f.item.is_question]
        if self.evaluator.supported:
            self.questions, self.repeat_questions = self.evaluator.question_names()

    @property
    def supported(self) -> bool:
        """Whether the vectorized evaluator handles this guide exactly."""
        return self.evaluator.supported

    def analyse_many(self, records: Sequence[Record]) -> list[ScoredRecord]:
        """Score records and collect their issues: equal, record by record, to
        `Analyser.analyse`."""
        with gc_paused():
            return self._analyse_many(records)

    def _analyse_many(self, records: Sequence[Record]) -> list[ScoredRecord]:
        given = _Given.of(records, self.questions, self.repeat_questions)
        fill = self.evaluator.fill(given.batch_input(), full=True)
        available = [r.repeats_available for r in records]
        scored = self.scorer.score_batch(fill, available)
        columns = _Columns(fill)
        found: dict[int, list[Issue]] = {}
        self._answer_issues(records, given, columns, found)
        self._constraint_issues(records, fill, found)
        self._required_issues(records, columns, found)
        counts = self._group_counts(columns, len(records))
        out = []
        for i, record in enumerate(records):
            if not record.repeats_available:
                self.scorer.take_carried(scored[i], record.carried_scores)
            issues = [Issue(x.field, x.message, x.source) for x in record.issues]
            issues += found.get(i, [])
            if record.carried_scores or record.repeats_available and record.repeats:
                issues += self._carried_issues(record, i, columns)
            issues.sort(key=lambda x: (*self._order(x.field, record), x.field or "", x.message))
            out.append(
                ScoredRecord(
                    instance_id=record.instance_id,
                    source=record.source,
                    form_version=record.form_version,
                    scores=scored[i].scores,
                    null_reasons=scored[i].reasons,
                    from_export=scored[i].from_export,
                    issues=_unique(issues),
                    repeats_available=record.repeats_available,
                    group_counts=counts[i] if record.repeats_available else {},
                    deprecated_id=record.deprecated_id,
                    submitted_at=record.submitted_at,
                )
            )
        return out

    # -- answers: not applicable, not reached ----------------------------------------------

    def _answer_issues(
        self, records: Sequence[Record], given: _Given, columns: _Columns,
        found: dict[int, list[Issue]],
    ) -> None:  # fmt: skip
        """Answers given to questions that do not apply, and answers the walk never reached,
        found column by column."""
        for name in self.questions:
            values = given.top[name]
            rows = np.arange(len(values))
            self._check_column(self.fields[name], values, rows, rows, None, records, columns, found)
        for repeat, names in self.repeat_questions.items():
            parent, position = given.parent[repeat], given.position[repeat]
            # the filled record of each record given: the walk fills all of a submission's
            # records where the repeat applied when reached, none elsewhere
            bounds = columns.fill.record_bounds(repeat)
            walked = (bounds[1:] - bounds[:-1])[parent] > 0
            filled = bounds[parent] + position - 1
            for name in names:
                values = given.fields[repeat][name][walked]
                self._check_column(
                    self.fields[name], values, filled[walked], parent[walked],
                    position[walked], records, columns, found,
                )  # fmt: skip

    def _check_column(
        self, f: _Field, values: np.ndarray, rows: np.ndarray, owners: np.ndarray,
        positions: np.ndarray | None, records: Sequence[Record], columns: _Columns,
        found: dict[int, list[Issue]],
    ) -> None:  # fmt: skip
        """values: answers given (None where not), rows: their filled rows, owners: their
        records, positions: their 1-based place in a repeat (None at top level)."""
        answered = values != None  # noqa: E711 - elementwise on an object array
        if not answered.any():
            return
        relevant = columns.relevant_array(f.item.name)[rows]
        hits = [(NOT_APPLICABLE, np.flatnonzero(answered & ~relevant))]
        maybe = np.flatnonzero(answered & relevant)
        if len(maybe):
            given = values[maybe]
            if f.typed:
                given = np.array([as_text(typed_value(f.item, v)) for v in given], object)
            kept = columns.text_array(f.item.name)[rows[maybe]]
            differs = (given != kept) & (given != "")
            hits.append((NOT_REACHED, maybe[differs]))
        for message, at in hits:
            for j in at.tolist():
                label = f.item.name
                if positions is not None:
                    label = f"{f.repeat}[{positions[j]}]/{label}"
                i = int(owners[j])
                issue = Issue(label, message.format(value=values[j]), records[i].source)
                found.setdefault(i, []).append(issue)

    # -- required questions left blank ------------------------------------------------------

    def _required_issues(
        self, records: Sequence[Record], columns: _Columns, found: dict[int, list[Issue]]
    ) -> None:
        """Required questions that apply, left blank in the input (few: looked up record by
        record), as `Analyser` finds them."""
        for f in self.required:
            name = f.item.name
            relevant = columns.relevant(name)
            for i, record in enumerate(records):
                if f.repeat is None:
                    answer = record.values.get(name)
                    if answer is not None and answer.state is State.BLANK and relevant[i]:
                        issue = self.analyser.required_issue(f.item, name, record.source)
                        found.setdefault(i, []).append(issue)
                    continue
                if not record.repeats_available:
                    continue
                rows = columns.rows(f.repeat, i)
                members = record.repeats.get(f.repeat, [])
                for k, member in enumerate(members[: len(rows)], start=1):
                    answer = member.values.get(name)
                    if answer is not None and answer.state is State.BLANK and relevant[rows[k - 1]]:
                        label = f"{f.repeat}[{k}]/{name}"
                        issue = self.analyser.required_issue(f.item, label, record.source)
                        found.setdefault(i, []).append(issue)

    # -- calculations the export carried ---------------------------------------------------

    def _carried_issues(self, record: Record, i: int, columns: _Columns) -> list[Issue]:
        out: list[Issue] = []
        top = self._top_level
        for name, carried in record.carried_scores.items():
            if name in top:
                out += self._carried(top[name], name, carried, i, columns, record)
        if not record.repeats_available:
            return out
        for repeat, members in record.repeats.items():
            own = self._in_repeat.get(repeat, {})
            rows = columns.rows(repeat, i)
            for k, member in enumerate(members[: len(rows)], start=1):
                for name, carried in member.carried_scores.items():
                    if name in own:
                        label = f"{repeat}[{k}]/{name}"
                        out += self._carried(
                            own[name], label, carried, rows[k - 1], columns, record
                        )
        return out

    def _carried(
        self, f: _Field, label: str, carried: str, row: int, columns: _Columns, record: Record
    ) -> list[Issue]:
        """A calculation the export carried that differs from the one recomputed."""
        if not f.item.is_computed or not columns.relevant(f.item.name)[row]:
            return []
        if not record.repeats_available and self.scorer.repeat_dependencies.get(f.item.name):
            return []
        mine = columns.text(f.item.name)[row]
        if same_value(carried, mine):
            return []
        message = CARRIED_DIFFERS.format(name=f.item.name, carried=carried, mine=mine)
        return [Issue(label, message, record.source)]

    # -- constraints -----------------------------------------------------------------------

    def _constraint_issues(
        self, records: Sequence[Record], fill: BatchFill, found: dict[int, list[Issue]]
    ) -> None:
        """Failed constraints of the records' fields (not of records the input lacks)."""
        for f in self.constrained:
            rows = np.flatnonzero(~np.asarray(fill.constraint_ok(f.item.name), dtype=bool))
            if f.repeat is None:
                for i in rows.tolist():
                    found.setdefault(i, []).extend(self._constraint_issue(records[i], f, 0))
                continue
            parents = fill.repeat_parent(f.repeat)[rows].tolist()
            positions = fill.repeat_position(f.repeat)[rows].tolist()
            for i, k in zip(parents, positions, strict=True):
                found.setdefault(i, []).extend(self._constraint_issue(records[i], f, k))

    def _constraint_issue(self, record: Record, f: _Field, k: int) -> list[Issue]:
        name = f.item.name
        if k == 0:
            label, answer = name, record.values.get(name)
        else:
            members = record.repeats.get(f.repeat or "", [])
            if k > len(members):
                return []  # not a record of the input: Analyser.analyse has no entry for it
            label, answer = f"{f.repeat}[{k}]/{name}", members[k - 1].values.get(name)
        entry = _Entry("", label, f.item, answer, None, None)
        return [self.analyser._constraint_issue(entry, record.source)]

    # -- order and group counts ------------------------------------------------------------

    def _order(self, label: str | None, record: Record) -> tuple[int, ...]:
        """The place of an issue's field among the record's fields, as `Analyser.analyse`
        orders them: record-level issues first, fields the record has not after all."""
        if label is None:
            return (-1,)
        f = self.fields.get(label)
        if f is not None and f.repeat is None:
            return (0, f.position, 0, 0)
        repeat, _, rest = label.partition("[")
        index, _, name = rest.partition("]/")
        f = self.fields.get(name)
        if (
            f is not None
            and f.repeat == repeat
            and index.isdigit()
            and 1 <= int(index) <= len(record.repeats.get(repeat, []))
        ):
            return (0, self.repeat_position[repeat], int(index), f.position)
        return (1,)

    def _group_counts(self, columns: _Columns, n: int) -> list[dict[str, dict[str, int]]]:
        """Per submission: impact records per affected group, and how many are negative."""
        counts: list[dict[str, dict[str, int]]] = [{} for _ in range(n)]
        repeat, group, direction = (
            self.analyser.group_repeat,
            self.analyser.group_field,
            self.analyser.direction_field,
        )
        if repeat is None or group is None:
            return counts
        visible = columns.record_relevant(repeat.name)
        groups = columns.text(group.name)
        directions = columns.text(direction.name) if direction is not None else None
        parents = _as_list(columns.fill.repeat_parent(repeat.name))
        for row, i in enumerate(parents):
            if not visible[row]:
                continue
            negative = directions is not None and directions[row] == "negative"
            for name in groups[row].split():
                slot = counts[i].setdefault(name, {"records": 0, "negative": 0})
                slot["records"] += 1
                slot["negative"] += int(negative)
        return counts


@dataclass
class _Given:
    """The answers the records give, as columns (None where a record gives none), with each
    repeat's records: the record they belong to and their 1-based place in it. A record
    without repeat data gives no repeat records, as `submission_from` makes it."""

    n: int
    top: dict[str, np.ndarray]
    parent: dict[str, np.ndarray]
    position: dict[str, np.ndarray]
    fields: dict[str, dict[str, np.ndarray]]

    @classmethod
    def of(cls, records: Sequence[Record], top: list[str], repeats: dict[str, list[str]]) -> _Given:
        out = cls(len(records), _answer_columns([r.values for r in records], top), {}, {}, {})
        for repeat, names in repeats.items():
            members = [r.repeats.get(repeat, ()) if r.repeats_available else () for r in records]
            counts = np.fromiter(map(len, members), np.int64, len(records))
            parent = np.repeat(np.arange(len(records), dtype=np.int64), counts)
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            out.parent[repeat] = parent
            out.position[repeat] = np.arange(len(parent)) - starts[parent] + 1
            flat = [m.values for m in chain.from_iterable(members)]
            out.fields[repeat] = _answer_columns(flat, names)
        return out

    def batch_input(self) -> BatchInput:
        """The columns as the batch evaluator takes them."""
        data = BatchInput(self.n, {k: v.tolist() for k, v in self.top.items()})
        for repeat, parent in self.parent.items():
            columns = {k: v.tolist() for k, v in self.fields[repeat].items()}
            data.repeats[repeat] = RepeatInput(parent, columns)
        return data


def _answer_columns(rows: Sequence[dict[str, Answer]], names: list[str]) -> dict[str, np.ndarray]:
    """Answered values by name, None where not answered (blank, not relevant, no column:
    their value is always '')."""
    # row by row in C (map), then transposed: much cheaper than one pass over rows per name
    missing = [MISSING_COLUMN] * len(names)
    table = [list(map(_VALUE, map(v.get, names, missing))) for v in rows]
    columns = zip(*table, strict=True) if table else ([] for _ in names)
    out = {}
    for name, column in zip(names, columns, strict=True):
        array = np.empty(len(rows), object)
        array[:] = column
        array[array == ""] = None
        out[name] = array
    return out


class _Columns:
    """The filled columns as Python lists (indexing a list is cheaper than an array), made
    once per chunk on first use, and each repeat's rows per submission."""

    def __init__(self, fill: BatchFill) -> None:
        self.fill = fill
        self._text: dict[str, list[str]] = {}
        self._text_arrays: dict[str, np.ndarray] = {}
        self._relevant: dict[str, list[bool]] = {}
        self._records: dict[str, list[bool]] = {}
        self._bounds: dict[str, list[int]] = {}

    def text_array(self, name: str) -> np.ndarray:
        if name not in self._text_arrays:
            self._text_arrays[name] = np.asarray(self.fill.text(name), dtype=object)
        return self._text_arrays[name]

    def relevant_array(self, name: str) -> np.ndarray:
        return np.asarray(self.fill.relevant(name), dtype=bool)

    def text(self, name: str) -> list[str]:
        if name not in self._text:
            self._text[name] = _as_list(self.fill.text(name))
        return self._text[name]

    def relevant(self, name: str) -> list[bool]:
        if name not in self._relevant:
            self._relevant[name] = _as_list(self.fill.relevant(name))
        return self._relevant[name]

    def record_relevant(self, repeat: str) -> list[bool]:
        if repeat not in self._records:
            self._records[repeat] = _as_list(self.fill.record_relevant(repeat))
        return self._records[repeat]

    def rows(self, repeat: str, i: int) -> range:
        """Rows of the repeat's filled records of submission i, in record order."""
        if repeat not in self._bounds:
            self._bounds[repeat] = self.fill.record_bounds(repeat).tolist()
        bounds = self._bounds[repeat]
        return range(bounds[i], bounds[i + 1])


def _as_list(values: Any) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)
