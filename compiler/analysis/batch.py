"""Records analysed a chunk at a time: scores, null reasons, issues and group counts.

A chunk of records is filled at once by the batch evaluator (`scoring.batch`), and each
record's issues are found by reading the filled columns only for the values the record
actually carries (answers, carried calculations) and for the constraints that failed:

- constraint violations ("5.3 (scale): <constraint message> (value 'x')");
- answers to questions that do not apply (not relevant once filled), which scoring ignores;
- answers the walk never reached (the question did not apply when it was reached);
- required questions that apply, left blank;
- calculations carried by the export that differ from the recomputed ones.

Reader issues are kept. The specification is one record at a time on the reference
evaluator (tests/support/reference_analysis.py); the tests compare both, record by record.
Nothing is dropped: every record given becomes a `ScoredRecord`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from ..gc_pause import gc_paused
from ..importer.column_rows import gather
from ..importer.readers.cells import canonical_number
from ..importer.records import MISSING_COLUMN, Answer, Record, Source, State
from ..model import Guide, Item
from ..scoring.batch import BatchEvaluator, BatchFill, BatchInput, RepeatInput
from ..scoring.evaluator import as_text, typed_value
from ..scoring.scores import Scorer, ScoreValue

NOT_APPLICABLE = "answer to a question that does not apply, ignored (value '{value}')"
CARRIED_DIFFERS = "the export says {name} = '{carried}', recomputed '{mine}'"
NOT_REACHED = (
    "answer ignored: the question did not apply when it was reached, as in ODK Collect "
    "(value '{value}')"
)
REQUIRED_BLANK = "required, but left blank (ODK Collect would not finalise such a record)"
TOLERANCE = 1e-9

_VALUE = attrgetter("value")
_TYPED_ANSWERS = ("integer", "decimal", "date")  # the only answers typed on filling


@dataclass
class Issue:
    """A problem with one record: the field (None for the whole record), what, and where."""

    field: str | None
    message: str
    source: Source


@dataclass
class ScoredRecord:
    """One submission, scored: scores by name (repeat-level scores as lists), why each null
    score is null, and every issue found."""

    instance_id: str | None
    source: Source
    form_version: str | None
    scores: dict[str, ScoreValue | list[ScoreValue]]
    null_reasons: dict[str, str]
    issues: list[Issue]
    repeats_available: bool = True
    group_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    deprecated_id: str | None = None  # kept for dedupe after scoring (`score_inputs`)
    submitted_at: str | None = None
    # scores taken as the export carried them (no repeat records to recompute them), and why
    from_export: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Field:
    """A question or calculation: its place in document order and how to read it."""

    item: Item
    position: int  # in guide.walk() order
    repeat: str | None
    typed: bool  # whether filling converts the answer (numbers, dates)


class Analyser:
    """Scores records of one guide and finds their issues; compile once, analyse many."""

    def __init__(
        self, guide: Guide, lang: str | None = None, evaluator: BatchEvaluator | None = None
    ) -> None:
        self.guide = guide
        self.lang = lang or guide.default_language
        self.evaluator = evaluator or BatchEvaluator(guide)
        self.scorer = Scorer(guide, self.evaluator)
        self.group_repeat, self.group_field, self.direction_field = group_fields(guide)
        self.fields: dict[str, _Field] = {}
        self.repeat_position: dict[str, int] = {}
        for position, item in enumerate(self.guide.walk()):
            if item.type == "repeat" and item.repeat is None:
                self.repeat_position[item.name] = position
            if item.is_question or item.is_computed:
                repeat = item.repeat.name if item.repeat is not None else None
                typed = item.type in _TYPED_ANSWERS
                self.fields[item.name] = _Field(item, position, repeat, typed)
        computed = [f for f in self.fields.values() if f.item.is_computed]
        self._carried_top = [f for f in computed if f.repeat is None]
        self._carried_in_repeat: dict[str, list[_Field]] = {}
        for f in computed:
            if f.repeat is not None:
                self._carried_in_repeat.setdefault(f.repeat, []).append(f)
        self.constrained = [f for f in self.fields.values() if f.item.constraint is not None]
        self.required = [f for f in self.fields.values() if f.item.required and f.item.is_question]
        self.questions, self.repeat_questions = self.evaluator.question_names()
        # calculations read from the records as columns: each table's, and the scores taken
        # as carried when a record has no repeat records
        self._carried_names: dict[str | None, list[str]] = {
            None: list(dict.fromkeys([f.item.name for f in self._carried_top]
                                     + self.scorer.needing_repeats)),
            **{r: [f.item.name for f in fs] for r, fs in self._carried_in_repeat.items()},
        }  # fmt: skip

    @staticmethod
    def group_fields(guide: Guide) -> tuple[Item | None, Item | None, Item | None]:
        """The impacts repeat, its affected-group field and its direction field (or None)."""
        return group_fields(guide)

    def analyse(self, record: Record) -> ScoredRecord:
        """Score one record and collect its issues (a chunk of one)."""
        return self.analyse_many([record])[0]

    def analyse_many(self, records: Sequence[Record]) -> list[ScoredRecord]:
        """Score records and collect their issues, in the order given."""
        with gc_paused():
            return self._analyse_many(records)

    def _analyse_many(self, records: Sequence[Record]) -> list[ScoredRecord]:
        given = _Given.of(records, self.questions, self.repeat_questions, self._carried_names)
        fill = self.evaluator.fill(given.batch_input(), full=True)
        available = [r.repeats_available for r in records]
        # without repeat records, scores that need them are taken as the export carried them
        scored = self.scorer.score_batch(fill, available, given.carried_top)
        columns = _Columns(fill)
        found: dict[int, list[Issue]] = {}
        self._answer_issues(records, given, columns, found)
        self._constraint_issues(records, fill, found)
        self._required_issues(records, columns, found)
        self._carried_issues(records, given, columns, found)
        counts = self._group_counts(columns, len(records))
        out = []
        for i, record in enumerate(records):
            issues = [Issue(x.field, x.message, x.source) for x in record.issues]
            issues += found.get(i, [])
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

    def required_issue(self, item: Item, label: str, source: Source) -> Issue:
        """A required question that applies, left blank: workbooks, paper and web forms can
        let such a record through, where ODK Collect refuses to finalise it."""
        where = f"{item.number} ({label})" if item.number else label
        return Issue(label, f"{where}: {REQUIRED_BLANK}", source)

    def constraint_issue(
        self, item: Item, label: str, answer: Answer | None, source: Source
    ) -> Issue:
        """A failed constraint: the guide's message (or the rule) and the value given."""
        message = (
            self.guide.text(item.constraint_message, self.lang) if item.constraint_message else ""
        )
        if not message:
            rule = item.constraint.text if item.constraint else ""
            message = f"does not meet the rule {rule}"
        value = answer.value if answer is not None else ""
        where = f"{item.number} ({label})" if item.number else label
        return Issue(label, f"{where}: {message} (value '{value}')", source)

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
        record)."""
        for f in self.required:
            name = f.item.name
            relevant = columns.relevant(name)
            for i, record in enumerate(records):
                if f.repeat is None:
                    answer = record.values.get(name)
                    if answer is not None and answer.state is State.BLANK and relevant[i]:
                        issue = self.required_issue(f.item, name, record.source)
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
                        issue = self.required_issue(f.item, label, record.source)
                        found.setdefault(i, []).append(issue)

    # -- calculations the export carried ---------------------------------------------------

    def _carried_issues(
        self, records: Sequence[Record], given: _Given, columns: _Columns,
        found: dict[int, list[Issue]],
    ) -> None:  # fmt: skip
        """Calculations the export carried that differ from the ones recomputed, where they
        apply, found column by column (most carried values equal the recomputed text)."""
        n = len(records)
        rows = np.arange(n)
        available = np.fromiter((r.repeats_available for r in records), np.bool_, n)
        self._carried_columns(
            self._carried_top, given.carried_top, rows, rows, None, available, records,
            columns, found,
        )  # fmt: skip
        for repeat, names in self._carried_in_repeat.items():
            parent, position = given.parent[repeat], given.position[repeat]
            bounds = columns.fill.record_bounds(repeat)
            walked = np.flatnonzero((bounds[1:] - bounds[:-1])[parent] > 0)
            filled = bounds[parent] + position - 1
            carried = {name: column[walked] for name, column in given.carried[repeat].items()}
            self._carried_columns(
                names, carried, filled[walked], parent[walked], position[walked], None, records,
                columns, found,
            )  # fmt: skip

    def _carried_columns(
        self, fields: list[_Field], carried: dict[str, np.ndarray], rows: np.ndarray,
        owners: np.ndarray, positions: np.ndarray | None, available: np.ndarray | None,
        records: Sequence[Record], columns: _Columns, found: dict[int, list[Issue]],
    ) -> None:  # fmt: skip
        """carried: the calculations the elements carried, by name (None where not);
        rows: their filled rows, owners: their records, positions: their 1-based place in a
        repeat (None at top level); available: per record, whether it carries repeat records
        (top level only)."""
        if not len(rows):
            return
        for f in fields:
            theirs = carried[f.item.name]
            at = np.flatnonzero(theirs != None)  # noqa: E711 - elementwise on an object array
            if not len(at):
                continue
            name = f.item.name
            at = at[columns.relevant_array(name)[rows[at]]]
            if available is not None and self.scorer.repeat_dependencies.get(name):
                at = at[available[owners[at]]]  # without its repeat records: not recomputed
            mine = columns.text_array(name)[rows[at]]
            differs = theirs[at] != mine
            for j, text in zip(at[differs].tolist(), mine[differs].tolist(), strict=True):
                if same_value(theirs[j], text):
                    continue
                label = name if positions is None else f"{f.repeat}[{positions[j]}]/{name}"
                message = CARRIED_DIFFERS.format(name=name, carried=theirs[j], mine=text)
                i = int(owners[j])
                found.setdefault(i, []).append(Issue(label, message, records[i].source))

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
                return []  # not a record of the input: nothing of it to report
            label, answer = f"{f.repeat}[{k}]/{name}", members[k - 1].values.get(name)
        return [self.constraint_issue(f.item, label, answer, record.source)]

    # -- order and group counts ------------------------------------------------------------

    def _order(self, label: str | None, record: Record) -> tuple[int, ...]:
        """The place of an issue's field among the record's fields (document order, repeat
        records in order): record-level issues first, fields the record has not after all."""
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
        repeat, group, direction = self.group_repeat, self.group_field, self.direction_field
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
    carried_top: dict[str, np.ndarray]  # the calculations the records carried (None: not)
    carried: dict[str, dict[str, np.ndarray]]  # ... and each repeat's records

    @classmethod
    def of(
        cls, records: Sequence[Record], top: list[str], repeats: dict[str, list[str]],
        carried: dict[str | None, list[str]],
    ) -> _Given:  # fmt: skip
        out = cls(
            len(records), _answer_columns([r.values for r in records], top), {}, {}, {},
            _carried_columns([r.carried_scores for r in records], carried.get(None, [])), {},
        )  # fmt: skip
        for repeat, names in repeats.items():
            members = [r.repeats.get(repeat, ()) if r.repeats_available else () for r in records]
            counts = np.fromiter(map(len, members), np.int64, len(records))
            parent = np.repeat(np.arange(len(records), dtype=np.int64), counts)
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            out.parent[repeat] = parent
            out.position[repeat] = np.arange(len(parent)) - starts[parent] + 1
            flat = list(chain.from_iterable(members))
            out.fields[repeat] = _answer_columns([m.values for m in flat], names)
            out.carried[repeat] = _carried_columns(
                [m.carried_scores for m in flat], carried.get(repeat, [])
            )
        return out

    def batch_input(self) -> BatchInput:
        """The columns as the batch evaluator takes them."""
        data = BatchInput(self.n, {k: v.tolist() for k, v in self.top.items()})
        for repeat, parent in self.parent.items():
            columns = {k: v.tolist() for k, v in self.fields[repeat].items()}
            data.repeats[repeat] = RepeatInput(parent, columns)
        return data


def _answer_columns(
    rows: Sequence[Mapping[str, Answer]], names: list[str]
) -> dict[str, np.ndarray]:
    """Answered values by name, None where not answered (blank, not relevant, no column:
    their value is always '')."""
    gathered = gather(rows, names, MISSING_COLUMN)  # rows of columns: taken as columns
    if gathered is not None:
        columns: Iterable[Sequence[str]] = (list(map(_VALUE, gathered[name])) for name in names)
    else:
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


def _carried_columns(rows: Sequence[Mapping[str, str]], names: list[str]) -> dict[str, np.ndarray]:
    """The calculations carried by each row, by name: text, None where a row carries none."""
    gathered = gather(rows, names, None)
    if gathered is None:
        table = [list(map(c.get, names)) for c in rows]
        columns = zip(*table, strict=True) if table else ([] for _ in names)
        gathered = dict(zip(names, columns, strict=True))
    out = {}
    for name in names:
        array = np.empty(len(rows), object)
        array[:] = gathered[name]
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


def same_value(carried: str, mine: str) -> bool:
    """Equal as numbers (within 1e-9) when both are numbers, else as text; a date-time
    carried for a date computed here compares on the date."""
    a, b = carried.strip(), mine.strip()
    if a.lower() == "nan":  # ODK Web Forms and Enketo write NaN where JavaRosa writes nothing
        a = ""
    if a == b:
        return True
    x, y = canonical_number(a), canonical_number(b)  # numbers as exports write them
    if x is not None and y is not None:
        return abs(float(x) - float(y)) <= TOLERANCE * max(1.0, abs(float(y)))
    return len(b) == 10 and a.startswith(b + "T")


def group_fields(guide: Guide) -> tuple[Item | None, Item | None, Item | None]:
    """The top-level repeat holding impact records, its affected-group field (a select on
    list 'groups') and its direction field (a select_one whose list has 'negative')."""
    for repeat in guide.repeats():
        if repeat.repeat is not None:
            continue
        own = [c for c in repeat.walk() if c.repeat is repeat and c.is_question]
        group = next(
            (
                c
                for c in own
                if c.type in ("select_one", "select_multiple") and c.list_name == "groups"
            ),
            None,
        )
        if group is None:
            continue
        direction = next(
            (
                c for c in own
                if c.type == "select_one" and c.list_name in guide.lists
                and "negative" in guide.lists[c.list_name].names()
            ),
            None,
        )  # fmt: skip
        return repeat, group, direction
    return None, None, None


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple] = set()
    out = []
    for issue in issues:
        key = (issue.field, issue.message, str(issue.source))
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
