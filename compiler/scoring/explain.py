"""How one submission's scores were reached, in words: `rightguide score --explain ID`.

The submission is filled by the reference evaluator (the executable specification, which the
tests hold the batch evaluator and JavaRosa to), and each score is shown with its formula in
words (`expressions.words`, in the guide's language) and the values the formula read, as it
read them: a question or calculation that does not apply reads as blank, and repeat records
that do not apply are left out of the values listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..expressions.ast import Aggregate, Node, Ref
from ..expressions.words import formula_sentence
from ..model import Guide, Item
from .evaluator import FilledForm, ReferenceEvaluator, Submission, as_text
from .scores import ScoredSubmission, Scorer, ScoreValue

BLANK = "blank"
SHOWN_RECORDS = 20  # values listed per repeat field; the rest are counted
LABEL_CHARS = 70  # labels shortened past this, as the rules in words shorten them


@dataclass
class Read:
    """One value (or one repeat field's values) a formula read."""

    name: str
    label: str
    values: list[str]  # one value, or one per repeat record that applies
    repeat: str | None = None  # the repeat the values come from, when aggregated
    hidden: int = 0  # repeat records that do not apply, left out


@dataclass
class ScoreExplained:
    """One score: its value, the rule in words, what it read, and why it is empty."""

    item: Item
    value: ScoreValue | list[ScoreValue]
    rule: str
    reads: list[Read] | list[list[Read]] = field(default_factory=list)  # per record in a repeat
    reason: str | None = None
    from_export: str | None = None


class Explainer:
    """Explains submissions of one guide; compile once, explain many."""

    def __init__(self, guide: Guide, lang: str | None = None) -> None:
        self.guide = guide
        self.lang = lang or guide.default_language
        self.reference = ReferenceEvaluator(guide)
        self.scorer = Scorer(guide)
        self.items = guide.items_by_name()

    def explain(
        self, submission: Submission, repeats_available: bool = True,
        carried: Mapping[str, str] | None = None,
    ) -> list[ScoreExplained]:  # fmt: skip
        """Every score of the submission (answers by name, repeats as lists of records, as
        the scoring pipeline makes them), explained; carried: calculations the export
        carried, taken for scores its missing repeat records leave empty."""
        filled = self.reference.fill(submission)
        scored = self.scorer.score_filled(filled, repeats_available)
        if not repeats_available:
            self.scorer.take_carried(scored, dict(carried or {}))
        return [self._score(item, filled, scored) for item in self.guide.scores()]

    def _score(self, item: Item, filled: FilledForm, scored: ScoredSubmission) -> ScoreExplained:
        rule = formula_sentence(self.guide, item, self.lang) or ""
        out = ScoreExplained(item, scored.scores.get(item.name), rule)
        out.reason = scored.reasons.get(item.name)
        out.from_export = scored.from_export.get(item.name)
        tree = item.formula.tree if item.formula is not None else None
        if tree is None or out.from_export:
            return out
        if item.repeat is None:
            out.reads = self._reads(tree, filled, None, None)
        else:
            path = item.repeat.xpath
            records = filled.values.get(item.repeat.name, [])
            out.reads = [
                self._reads(tree, filled, record, f"{path}[{k}]")
                for k, record in enumerate(records, start=1)
            ]
        return out

    def _reads(
        self, tree: Node, filled: FilledForm, record: dict[str, Any] | None, record_path: str | None
    ) -> list[Read]:
        """The values tree read: of the submission, of the record (a repeat-level score), or
        of every record of an aggregated repeat."""
        out: list[Read] = []
        seen: set[str] = set()
        for node in tree.walk():
            if isinstance(node, Aggregate):
                names = [n.name for n in node.walk() if isinstance(n, Ref)]
                names = ([node.field] if node.field else []) + names
                for name in names:
                    if name not in seen:
                        seen.add(name)
                        out.append(self._aggregated(name, node.repeat, filled))
                if not names and node.repeat not in seen:
                    seen.add(node.repeat)
                    out.append(self._aggregated(None, node.repeat, filled))
            elif isinstance(node, Ref) and node.name not in seen:
                item = self.items.get(node.name)
                if item is None or item.repeat is not None and record is None:
                    continue  # a field read inside an aggregate: listed with it
                seen.add(node.name)
                out.append(self._one(item, filled, record, record_path))
        return out

    def _one(
        self, item: Item, filled: FilledForm, record: dict[str, Any] | None, record_path: str | None
    ) -> Read:
        if item.repeat is not None and record is not None and record_path is not None:
            path = f"{record_path}/{item.xpath[len(item.repeat.xpath) + 1 :]}"
            value = as_text(record.get(item.name, "")) if filled.relevant.get(path, True) else ""
        else:
            value = filled.text(item.name) if filled.relevant.get(item.xpath, True) else ""
        return Read(item.name, self._label(item), [self._shown(item, value)])

    def _aggregated(self, name: str | None, repeat_name: str, filled: FilledForm) -> Read:
        """A repeat field's values over the records that apply (count: the records)."""
        repeat = self.items[repeat_name]
        item = self.items.get(name) if name else None
        values: list[str] = []
        hidden = 0
        for k, record in enumerate(filled.values.get(repeat_name, []), start=1):
            base = f"{repeat.xpath}[{k}]"
            if not filled.relevant.get(base, True):
                hidden += 1
                continue
            if item is None:
                values.append(str(k))
                continue
            path = f"{base}/{item.xpath[len(repeat.xpath) + 1 :]}"
            value = as_text(record.get(item.name, "")) if filled.relevant.get(path, True) else ""
            values.append(self._shown(item, value))
        label = self._label(item) if item is not None else self._label(repeat)
        return Read(name or repeat_name, label, values, repeat_name, hidden)

    def _label(self, item: Item) -> str:
        """The item's number and label (shortened), or its name when it has no label."""
        if item.label is None:
            return item.name
        label = self.guide.text(item.label, self.lang)
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1].rstrip() + "…"
        return f"{item.number} {label}" if item.number else label

    def _shown(self, item: Item, value: str) -> str:
        """A value as read: choices with their labels, blank said in words."""
        if value == "":
            return BLANK
        return choice_text(self.guide, item.list_name or item.result_list, value, self.lang)


def choice_text(guide: Guide, list_name: str | None, value: str, lang: str) -> str:
    """Choice names with their labels ('dont_know' -> "Don't know (dont_know)"); other values
    as they are."""
    choices = guide.lists.get(list_name) if list_name else None
    if choices is None:
        return value
    parts = []
    for name in value.split():
        choice = choices.get(name)
        parts.append(f"{guide.text(choice.label, lang)} ({name})" if choice else name)
    return ", ".join(parts)


def explanation_lines(explained: list[ScoreExplained], guide: Guide, lang: str) -> list[str]:
    """The explanation as text lines, score after score: the value, the rule, each value
    read on a line of its own, and why the score is empty."""
    lines: list[str] = []
    for score in explained:
        item = score.item
        label = guide.text(item.label, lang) if item.label is not None else item.name
        lines.append(f"{label} ({item.name}) = {_value(guide, item, score.value, lang)}")
        if score.rule:
            lines.append(f"  rule: {score.rule}")
        if score.from_export:
            lines.append(f"  {score.from_export}")
        elif score.reads and isinstance(score.reads[0], list):
            for k, reads in enumerate(score.reads, start=1):
                lines.append(f"  record {k} read:")
                lines += [f"    {line}" for line in _reads(reads)]  # type: ignore[arg-type]
        elif score.reads:
            lines.append("  read:")
            lines += [f"    {line}" for line in _reads(score.reads)]  # type: ignore[arg-type]
        if score.reason:
            lines.append(f"  empty: {score.reason}")
    return lines


def _value(guide: Guide, item: Item, value: ScoreValue | list[ScoreValue], lang: str) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(guide, item, v, lang) for v in value) + "]"
    if value is None:
        return "empty"
    return choice_text(guide, item.result_list, str(value), lang)


def _reads(reads: list[Read]) -> list[str]:
    lines = []
    for read in reads:
        if read.repeat is None:
            lines.append(f"{read.label} ({read.name}) = {read.values[0]}")
            continue
        where = f"{len(read.values)} record(s) of {read.repeat}"
        if read.hidden:
            where += f"; {read.hidden} that do not apply left out"
        if read.name == read.repeat:
            lines.append(f"{read.label} ({where})")
            continue
        shown = " | ".join(read.values[:SHOWN_RECORDS])  # labels may hold ';' and ','
        more = len(read.values) - SHOWN_RECORDS
        if more > 0:
            shown += f" | ... {more} more"
        lines.append(f"{read.label} ({read.name}, {where}) = {shown or 'none'}")
    return lines
