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
from typing import Any

import numpy as np

from ..importer.records import Record, Source
from ..model import Item
from ..scoring.batch import BatchEvaluator, BatchFill
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
    submission_from,
)

_TEXT_TYPES_KEEP = ("integer", "decimal", "date")  # the only answers typed on filling


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
                typed = item.type in _TEXT_TYPES_KEEP
                self.fields[item.name] = _Field(item, position, repeat, typed)
        self._top_level = {n: f for n, f in self.fields.items() if f.repeat is None}
        self._in_repeat: dict[str, dict[str, _Field]] = {}
        for name, f in self.fields.items():
            if f.repeat is not None:
                self._in_repeat.setdefault(f.repeat, {})[name] = f
        self.constrained = [f for f in self.fields.values() if f.item.constraint is not None]

    @property
    def supported(self) -> bool:
        """Whether the vectorized evaluator handles this guide exactly."""
        return self.evaluator.supported

    def analyse_many(self, records: Sequence[Record]) -> list[ScoredRecord]:
        """Score records and collect their issues: equal, record by record, to
        `Analyser.analyse`."""
        subs = [submission_from(r, r.repeats_available) for r in records]
        fill = self.evaluator.fill(subs, full=True)
        available = [r.repeats_available for r in records]
        scored = self.scorer.score_batch(fill, available)
        columns = _Columns(fill)
        failed = self._constraint_failures(fill, len(records))
        out = []
        for i, record in enumerate(records):
            issues = [Issue(x.field, x.message, x.source) for x in record.issues]
            issues += self._value_issues(record, i, columns)
            for name, row, k in failed.get(i, ()):
                issues += self._constraint_issue(record, name, row, k)
            issues.sort(key=lambda x: (*self._order(x.field, record), x.field or "", x.message))
            out.append(
                ScoredRecord(
                    instance_id=record.instance_id,
                    source=record.source,
                    form_version=record.form_version,
                    scores=scored[i].scores,
                    null_reasons=scored[i].reasons,
                    issues=_unique(issues),
                    repeats_available=record.repeats_available,
                    group_counts=self._group_counts(columns, i) if record.repeats_available else {},
                )
            )
        return out

    # -- issues of the values a record carries ---------------------------------------------

    def _value_issues(self, record: Record, i: int, columns: _Columns) -> list[Issue]:
        out: list[Issue] = []
        source = record.source
        top = self._top_level
        for name, answer in record.values.items():
            if answer.answered and name in top:
                out += self._answer_issues(top[name], name, answer.value, i, columns, source)
        for name, carried in record.carried_scores.items():
            if name in top:
                out += self._carried_issues(top[name], name, carried, i, columns, record)
        if not record.repeats_available:
            return out
        for repeat, members in record.repeats.items():
            own = self._in_repeat.get(repeat, {})
            rows = columns.rows(repeat, i)
            for k, member in enumerate(members, start=1):
                row = rows[k - 1] if k <= len(rows) else None
                prefix = f"{repeat}[{k}]/"
                for name, answer in member.values.items():
                    if answer.answered and name in own:
                        out += self._answer_issues(
                            own[name], prefix + name, answer.value, row, columns, source
                        )
                if row is None:
                    continue
                for name, carried in member.carried_scores.items():
                    if name in own:
                        out += self._carried_issues(
                            own[name], prefix + name, carried, row, columns, record
                        )
        return out

    def _answer_issues(
        self, f: _Field, label: str, value: str, row: int | None, columns: _Columns, source: Source
    ) -> list[Issue]:
        """Not applicable (answered, not relevant) or not reached (dropped by the walk)."""
        if row is None:  # a repeat record the walk never reached: no filled values
            return []
        if not columns.relevant(f.item.name)[row]:
            return [Issue(label, NOT_APPLICABLE.format(value=value), source)]
        given = as_text(typed_value(f.item, value)) if f.typed else value
        if given and given != columns.text(f.item.name)[row]:
            return [Issue(label, NOT_REACHED.format(value=value), source)]
        return []

    def _carried_issues(
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

    def _constraint_failures(
        self, fill: BatchFill, n: int
    ) -> dict[int, list[tuple[str, int, int]]]:
        """Failed constraints by submission: (field name, row, 1-based record or 0)."""
        failed: dict[int, list[tuple[str, int, int]]] = {}
        for f in self.constrained:
            rows = np.flatnonzero(~np.asarray(fill.constraint_ok(f.item.name), dtype=bool))
            if f.repeat is None:
                for row in rows.tolist():
                    failed.setdefault(row, []).append((f.item.name, row, 0))
                continue
            parents = fill.repeat_parent(f.repeat)
            positions = fill.repeat_position(f.repeat)
            for row in rows.tolist():
                failed.setdefault(int(parents[row]), []).append(
                    (f.item.name, row, int(positions[row]))
                )
        return failed

    def _constraint_issue(self, record: Record, name: str, row: int, k: int) -> list[Issue]:
        f = self.fields[name]
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

    def _group_counts(self, columns: _Columns, i: int) -> dict[str, dict[str, int]]:
        """Impact records per affected group, and how many of them are negative."""
        repeat, group, direction = (
            self.analyser.group_repeat,
            self.analyser.group_field,
            self.analyser.direction_field,
        )
        if repeat is None or group is None:
            return {}
        counts: dict[str, dict[str, int]] = {}
        visible = columns.record_relevant(repeat.name)
        groups = columns.text(group.name)
        directions = columns.text(direction.name) if direction is not None else None
        for row in columns.rows(repeat.name, i):
            if not visible[row]:
                continue
            negative = directions is not None and directions[row] == "negative"
            for name in groups[row].split():
                slot = counts.setdefault(name, {"records": 0, "negative": 0})
                slot["records"] += 1
                slot["negative"] += int(negative)
        return counts


class _Columns:
    """The filled columns as Python lists (indexing a list is cheaper than an array), made
    once per chunk on first use, and each repeat's rows per submission."""

    def __init__(self, fill: BatchFill) -> None:
        self.fill = fill
        self._text: dict[str, list[str]] = {}
        self._relevant: dict[str, list[bool]] = {}
        self._records: dict[str, list[bool]] = {}
        self._rows: dict[str, list[list[int]]] = {}

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

    def rows(self, repeat: str, i: int) -> list[int]:
        """Rows of the repeat's filled records of submission i, in record order."""
        if repeat not in self._rows:
            by_submission: list[list[int]] = [[] for _ in range(self.fill.n)]
            for row, parent in enumerate(_as_list(self.fill.repeat_parent(repeat))):
                by_submission[parent].append(row)
            self._rows[repeat] = by_submission
        return self._rows[repeat][i]


def _as_list(values: Any) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)
