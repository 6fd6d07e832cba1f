"""The analysis of one record at a time on the reference evaluator: the specification the
production analyser (`compiler.analysis.batch.Analyser`, a chunk at a time over columns) is
tested against, record by record. It walks every field of the form for each record; it was
the production path until the batch analyser handled every guide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.analysis.batch import (
    CARRIED_DIFFERS,
    NOT_APPLICABLE,
    NOT_REACHED,
    REQUIRED_BLANK,
    Issue,
    ScoredRecord,
    _unique,
    group_fields,
    same_value,
)
from compiler.analysis.pipeline import submission_from
from compiler.importer.records import Answer, Record, RepeatRecord, Source, State
from compiler.model import Guide, Item
from compiler.scoring.evaluator import FilledForm, ReferenceEvaluator, as_text, typed_value
from compiler.scoring.scores import Scorer


@dataclass
class _Entry:
    """One question or calculation of one record, at its instance path."""

    path: str
    field: str  # e.g. "scale" or "impacts[2]/scale"
    item: Item
    answer: Answer | None  # questions
    carried: str | None  # calculations carried by the export
    filled: dict[str, Any] | None  # the filled container holding the recomputed value


class ReferenceAnalyser:
    """Scores records of one guide one at a time on the reference evaluator."""

    def __init__(self, guide: Guide, lang: str | None = None) -> None:
        self.guide = guide
        self.lang = lang or guide.default_language
        self.scorer = Scorer(guide)
        self.reference = ReferenceEvaluator(guide)
        self.items = guide.items_by_name()
        self.group_repeat, self.group_field, self.direction_field = group_fields(guide)

    def analyse(self, record: Record) -> ScoredRecord:
        """Score one record and collect its issues."""
        available = record.repeats_available
        submission = submission_from(record, available)
        filled = self.reference.fill(submission)
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
