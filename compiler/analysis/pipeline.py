"""Records -> submissions -> scored results, with every problem reported per record and field.

Each record read from the field becomes a flat submission (question name -> value text,
repeat name -> list of flat submissions) made of ANSWERED values only; the form is filled as
ODK Collect fills it, and every score is read back. Reader issues are kept, and the pipeline
adds its own:

- constraint violations ("5.3 (scale): <constraint message> (value 'x')");
- answers to questions that do not apply (not relevant once filled), which scoring ignores;
- calculations carried by the export that differ from the recomputed ones.

Nothing is dropped: every record either becomes a `ScoredRecord` or was rejected by a reader.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..gc_pause import gc_paused
from ..importer import FormFields, OutOfOrder, iter_inputs
from ..importer.dedupe import dedupe
from ..importer.readers.cells import canonical_number
from ..importer.records import Answer, ReadResult, Record, Rejected, RepeatRecord, Source, State
from ..model import Guide, Item
from ..scoring.evaluator import FilledForm, as_text, typed_value
from ..scoring.scores import Scorer, ScoreValue

NOT_APPLICABLE = "answer to a question that does not apply, ignored (value '{value}')"
CARRIED_DIFFERS = "the export says {name} = '{carried}', recomputed '{mine}'"
NOT_REACHED = (
    "answer ignored: the question did not apply when it was reached, as in ODK Collect "
    "(value '{value}')"
)
REQUIRED_BLANK = "required, but left blank (ODK Collect would not finalise such a record)"
TOLERANCE = 1e-9
CHUNK = 5000  # records filled at once by the vectorized evaluator: bounded memory, few calls


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


@dataclass
class ScoreRun:
    """Everything a scoring run made: scored submissions, rejected records, notes said once."""

    form_id: str
    form_version: str
    submissions: list[ScoredRecord]
    rejected: list[Rejected]
    notes: list[str]
    # each scored submission's answers by instance id, when asked for (the report's details)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def input_records(self) -> int:
        return len(self.submissions) + len(self.rejected)


def submission_from(
    record: Record | RepeatRecord, repeats_available: bool = True
) -> dict[str, Any]:
    """A record as the evaluator takes it: answered values only (blank, not relevant and
    missing columns left out); repeats as lists of the same, when the input carries them."""
    out: dict[str, Any] = {name: a.value for name, a in record.values.items() if a.answered}
    children = record.repeats if isinstance(record, Record) else record.children
    if repeats_available:
        for name, members in children.items():
            out[name] = [submission_from(m) for m in members]
    return out


def sort_key(source: Source, instance_id: str | None = None) -> tuple:
    """Deterministic order of records: file, sheet, row, then instance id."""
    return (source.file, source.sheet or "", source.row or 0, instance_id or "")


@dataclass
class _Entry:
    """One question or calculation of one record, at its instance path."""

    path: str
    field: str  # e.g. "scale" or "impacts[2]/scale"
    item: Item
    answer: Answer | None  # questions
    carried: str | None  # calculations carried by the export
    filled: dict[str, Any] | None  # the filled container holding the recomputed value


class Analyser:
    """Scores records of one guide; compile once, analyse many."""

    def __init__(self, guide: Guide, lang: str | None = None) -> None:
        self.guide = guide
        self.lang = lang or guide.default_language
        self.scorer = Scorer(guide)
        self.items = guide.items_by_name()
        self.group_repeat, self.group_field, self.direction_field = self.group_fields(guide)

    @staticmethod
    def group_fields(guide: Guide) -> tuple[Item | None, Item | None, Item | None]:
        """The impacts repeat, its affected-group field and its direction field (or None)."""
        return group_fields(guide)

    def analyse(self, record: Record) -> ScoredRecord:
        """Score one record and collect its issues."""
        available = record.repeats_available
        submission = submission_from(record, available)
        filled = self.scorer.evaluator.fill(submission)
        scored = self.scorer.score_filled(filled, available)
        if not available:
            self.scorer.take_carried(scored, record.carried_scores)
        issues = [Issue(i.field, i.message, i.source) for i in record.issues]
        entries: list[_Entry] = []
        for section in self.guide.sections:
            self._walk(section, record.values, record.repeats, record.carried_scores,
                       filled.values, "/data", "", record.source, entries)  # fmt: skip
        by_path = {e.path: e for e in entries}
        for entry in entries:
            issues += self._entry_issues(entry, filled, record, available)
        for path, ok in filled.constraint.items():
            if not ok and path in by_path:
                issues.append(self._constraint_issue(by_path[path], record.source))
        order = {e.field: n for n, e in enumerate(entries)}
        issues.sort(
            key=lambda i: (
                -1 if i.field is None else order.get(i.field, len(order)),
                i.field or "",
                i.message,
            )
        )
        return ScoredRecord(
            instance_id=record.instance_id,
            source=record.source,
            form_version=record.form_version,
            scores=scored.scores,
            null_reasons=scored.reasons,
            from_export=scored.from_export,
            issues=_unique(issues),
            repeats_available=available,
            group_counts=self._group_counts(filled) if available else {},
            deprecated_id=record.deprecated_id,
            submitted_at=record.submitted_at,
        )

    def _walk(
        self, item: Item, values: dict[str, Answer], repeats: dict[str, list[RepeatRecord]],
        carried: dict[str, str], filled: dict[str, Any] | None, base: str, prefix: str,
        source: Source, out: list[_Entry],
    ) -> None:  # fmt: skip
        path = f"{base}/{item.name}"
        if item.type == "group":
            for child in item.children:
                self._walk(child, values, repeats, carried, filled, path, prefix, source, out)
        elif item.type == "repeat":
            done = (filled or {}).get(item.name) or []
            for index, member in enumerate(repeats.get(item.name, []), start=1):
                inner = done[index - 1] if index <= len(done) else None
                for child in item.children:
                    self._walk(child, member.values, member.children, member.carried_scores, inner,
                               f"{path}[{index}]", f"{prefix}{item.name}[{index}]/", source, out)  # fmt: skip
        elif item.is_question:
            out.append(_Entry(path, prefix + item.name, item, values.get(item.name), None, filled))
        elif item.is_computed:
            out.append(_Entry(path, prefix + item.name, item, None, carried.get(item.name), filled))

    def _entry_issues(
        self, entry: _Entry, filled: FilledForm, record: Record, available: bool
    ) -> list[Issue]:
        relevant = filled.relevant.get(entry.path, True)
        if entry.answer is not None and entry.answer.answered and not relevant:
            return [
                Issue(entry.field, NOT_APPLICABLE.format(value=entry.answer.value), record.source)
            ]
        if (
            entry.item.required and relevant and entry.filled is not None
            and entry.answer is not None and entry.answer.state is State.BLANK
        ):  # fmt: skip
            return [self.required_issue(entry.item, entry.field, record.source)]
        if entry.answer is not None and entry.answer.answered and entry.filled is not None:
            given = as_text(typed_value(entry.item, entry.answer.value))
            kept = as_text(entry.filled.get(entry.item.name, ""))
            if given and given != kept:
                return [
                    Issue(entry.field, NOT_REACHED.format(value=entry.answer.value), record.source)
                ]
        if entry.carried is None or entry.filled is None:
            return []
        if not relevant or (not available and self.scorer.repeat_dependencies.get(entry.item.name)):
            return []
        mine = as_text(entry.filled.get(entry.item.name, ""))
        if same_value(entry.carried, mine):
            return []
        message = CARRIED_DIFFERS.format(name=entry.item.name, carried=entry.carried, mine=mine)
        return [Issue(entry.field, message, record.source)]

    def required_issue(self, item: Item, label: str, source: Source) -> Issue:
        """A required question that applies, left blank: workbooks, paper and web forms can
        let such a record through, where ODK Collect refuses to finalise it."""
        where = f"{item.number} ({label})" if item.number else label
        return Issue(label, f"{where}: {REQUIRED_BLANK}", source)

    def _constraint_issue(self, entry: _Entry, source: Source) -> Issue:
        item = entry.item
        message = (
            self.guide.text(item.constraint_message, self.lang) if item.constraint_message else ""
        )
        if not message:
            rule = item.constraint.text if item.constraint else ""
            message = f"does not meet the rule {rule}"
        value = entry.answer.value if entry.answer is not None else ""
        where = f"{item.number} ({entry.field})" if item.number else entry.field
        return Issue(entry.field, f"{where}: {message} (value '{value}')", source)

    def _group_counts(self, filled: FilledForm) -> dict[str, dict[str, int]]:
        """Impact records per affected group, and how many of them are negative."""
        if self.group_repeat is None or self.group_field is None:
            return {}
        counts: dict[str, dict[str, int]] = {}
        base = self.group_repeat.xpath
        for index, member in enumerate(filled.values.get(self.group_repeat.name, []), start=1):
            if not filled.relevant.get(f"{base}[{index}]", True):
                continue
            negative = False
            if self.direction_field is not None:
                negative = as_text(member.get(self.direction_field.name, "")) == "negative"
            for group in as_text(member.get(self.group_field.name, "")).split():
                slot = counts.setdefault(group, {"records": 0, "negative": 0})
                slot["records"] += 1
                slot["negative"] += int(negative)
        return counts


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


def analyse(
    guide: Guide, records: list[Record], rejected: list[Rejected], notes: list[str],
    lang: str | None = None, progress: Callable[[Iterable[Record]], Iterable[Record]] | None = None,
) -> ScoreRun:  # fmt: skip
    """Score every record; submissions and rejected records sorted by source."""
    scoring = _Scoring(guide, lang)
    stream = progress(records) if progress else records
    scored = [s for chunk in _chunks(stream, CHUNK) for s in scoring.chunk(chunk)]
    return _finish(guide, scored, rejected, notes)


def score_inputs(
    guide: Guide, paths: Iterable[Path], fmt: str | None = None, lang: str | None = None,
    progress: Callable[[int], None] | None = None, keep_answers: bool | Collection[str] = False,
) -> ScoreRun:  # fmt: skip
    """Read and score every input as `read_inputs` then `analyse` would, in chunks of CHUNK
    records (`importer.iter_inputs`), so memory holds one chunk of records, not the input;
    duplicates are rejected after scoring. progress(n) is told of every n records scored;
    keep_answers keeps each kept submission's answers (`ScoreRun.answers`): all of them when
    True, only the named ones (questions or repeats) when a collection of names."""
    paths = [Path(p) for p in paths]
    fields = FormFields.from_guide(guide)
    try:
        return _score_inputs(guide, fields, paths, fmt, lang, progress, keep_answers, True)
    except OutOfOrder:  # repeat rows not in their parents' order: read every table first
        return _score_inputs(guide, fields, paths, fmt, lang, progress, keep_answers, False)


def _score_inputs(
    guide: Guide, fields: FormFields, paths: list[Path], fmt: str | None, lang: str | None,
    progress: Callable[[int], None] | None, keep_answers: bool | Collection[str], join: bool,
) -> ScoreRun:  # fmt: skip
    scoring = _Scoring(guide, lang)
    out = ReadResult()
    scored: list[ScoredRecord] = []
    answers: list[dict[str, Any]] = []
    with gc_paused():
        for chunk in _chunks(iter_inputs(paths, fields, out, fmt, join), CHUNK):
            scored += scoring.chunk(chunk)
            if keep_answers is True:
                answers += [submission_from(r, r.repeats_available) for r in chunk]
            elif keep_answers:
                answers += [_only(submission_from(r, r.repeats_available), keep_answers)
                            for r in chunk]  # fmt: skip
            if progress is not None:
                progress(len(chunk))
    kept, duplicates = dedupe(scored)
    run = _finish(guide, kept, out.rejected + duplicates, out.notes)
    if keep_answers:
        alive = {id(s) for s in kept}
        run.answers = {
            s.instance_id: a
            for s, a in zip(scored, answers, strict=True)
            if s.instance_id and id(s) in alive
        }
    return run


def _only(answers: dict[str, Any], names: Collection[str]) -> dict[str, Any]:
    return {name: answers[name] for name in names if name in answers}


class _Scoring:
    """The analyser of one run: chunks of records analysed together when the guide allows
    it (`BatchAnalyser`), else one by one."""

    def __init__(self, guide: Guide, lang: str | None) -> None:
        from .batch import BatchAnalyser

        self.analyser = Analyser(guide, lang)
        self.batch = BatchAnalyser(self.analyser)

    def chunk(self, records: list[Record]) -> list[ScoredRecord]:
        if self.batch.supported:
            return self.batch.analyse_many(records)
        return [self.analyser.analyse(r) for r in records]


def _finish(
    guide: Guide, scored: list[ScoredRecord], rejected: list[Rejected], notes: list[str]
) -> ScoreRun:
    """The run: submissions and rejected records sorted by source, notes said once."""
    scored.sort(key=lambda s: sort_key(s.source, s.instance_id))
    kept = sorted(rejected, key=lambda r: (*sort_key(r.source, r.instance_id), r.reason))
    all_notes = list(dict.fromkeys(notes))
    without = sum(1 for s in scored if not s.repeats_available)
    if without and guide.repeats():
        all_notes.append(
            f"{without} submission(s) came from inputs without repeat data (Kobo CSV or a bare "
            "Central CSV): scores that need repeat records are the values the export carried, "
            "marked 'from the export', or null with a reason, never zero"
        )
    return ScoreRun(guide.form_id, guide.version, scored, kept, all_notes)


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


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple] = set()
    out = []
    for issue in issues:
        key = (issue.field, issue.message, str(issue.source))
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
