"""Scores of one submission, typed for reports: numbers, texts, or None with a reason.

Scores are named exactly as in the guide source. A repeat-level score is a list with one
value per record. A score that needs repeat records, when the input carried no repeat data
(a Kobo CSV export, a Central main CSV alone), is the value the phone computed and the export
carried, marked as such (`FROM_EXPORT`), or None with a reason; never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..expressions import xpath_runtime as rt
from ..expressions.ast import Aggregate, Ref
from ..expressions.numpy_code import STNUM, TEXT
from ..gc_pause import gc_paused
from ..model import Guide, Item
from .batch import BatchEvaluator, BatchFill
from .evaluator import FilledForm, Submission

ScoreValue = float | int | str | None

NO_REPEATS = "needs the repeat records ({repeats}), which this input does not carry"
MISSING = "not computable from the answers given: {rule}"
FROM_EXPORT = "from the export: repeat records not in this file"


@dataclass
class ScoredSubmission:
    """Every score of one submission, and why each empty one is empty."""

    scores: dict[str, ScoreValue | list[ScoreValue]]
    reasons: dict[str, str] = field(default_factory=dict)
    # scores taken as the export carried them, not recomputed, and why (FROM_EXPORT)
    from_export: dict[str, str] = field(default_factory=dict)


def carried_value(text: str | None) -> ScoreValue:
    """A calculation's value as an export carried it, typed; None when blank. ODK Web Forms
    and Enketo write NaN where JavaRosa writes nothing: read as blank."""
    if text is None or text.strip().lower() in ("", "nan"):
        return None
    return typed(text.strip())


def typed(text: str) -> ScoreValue:
    """A stored calculate value as a JSON value: whole numbers as int, other numbers as float."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    if number != number or text.strip().lower() in ("nan", "infinity", "-infinity"):
        return text
    return int(number) if number.is_integer() and "." not in text and "E" not in text else number


class Scorer:
    """Scores submissions of one guide; compile once, score many."""

    def __init__(self, guide: Guide, batch: BatchEvaluator | None = None) -> None:
        self.guide = guide
        self.batch = batch or BatchEvaluator(guide)
        self.items = guide.items_by_name()
        self.scores = guide.scores()
        self._carried_memo: dict[str, Any] = {}

    @cached_property
    def repeat_dependencies(self) -> dict[str, list[str]]:
        """For each calculation and score, the repeats its value depends on (directly or
        through other calculations)."""
        memo: dict[str, set[str]] = {}

        def deps(item: Item, seen: frozenset[str]) -> set[str]:
            if item.name in memo:
                return memo[item.name]
            found: set[str] = set()
            if item.repeat is not None:
                found.add(item.repeat.name)
            tree = item.formula.tree if item.formula else None
            for node in tree.walk() if tree is not None else ():
                if isinstance(node, Aggregate):
                    found.add(node.repeat)
                if isinstance(node, Ref) and node.name in self.items and node.name not in seen:
                    other = self.items[node.name]
                    if other.is_computed:
                        found |= deps(other, seen | {item.name})
                    elif other.repeat is not None:
                        found.add(other.repeat.name)
            memo[item.name] = found
            return found

        return {i.name: sorted(deps(i, frozenset())) for i in self.guide.walk() if i.is_computed}

    @property
    def needing_repeats(self) -> list[str]:
        """Form-level scores whose value depends on repeat records, in score order."""
        return self._needing_repeats

    @cached_property
    def _needing(self) -> frozenset[str]:
        return frozenset(self._needing_repeats)

    @cached_property
    def _needing_repeats(self) -> list[str]:
        """Form-level scores whose value depends on repeat records, in score order."""
        return [
            i.name for i in self.scores if i.repeat is None and self.repeat_dependencies[i.name]
        ]

    def take_carried(self, scored: ScoredSubmission, carried: dict[str, str]) -> None:
        """For a submission whose input carried no repeat records: each form-level score left
        empty for want of them takes the value the export carried (the phone computed it with
        every record), marked FROM_EXPORT; recomputed values are never replaced."""
        scores = scored.scores
        memo = self._carried_memo  # few distinct texts: each typed once
        for name in self._needing_repeats:
            if scores.get(name) is not None:
                continue
            text = carried.get(name)
            if text is None:
                continue
            value = memo.get(text, memo)
            if value is memo:
                value = memo[text] = carried_value(text)
            if value is not None:
                scores[name] = value
                scored.reasons.pop(name, None)
                scored.from_export[name] = FROM_EXPORT

    def score(self, submission: Submission, repeats_available: bool = True) -> ScoredSubmission:
        """Every score of one submission (a batch of one)."""
        return self.score_many([submission], repeats_available)[0]

    def score_many(
        self, submissions: Sequence[Submission], repeats_available: bool = True
    ) -> list[ScoredSubmission]:
        """Every score of each submission, filled together in one batch (only the
        calculations the scores need are computed)."""
        fill = self.batch.fill(submissions, full=False, only=[s.name for s in self.scores])
        return self.score_batch(fill, repeats_available)

    def score_batch(
        self, fill: BatchFill, repeats_available: bool | Sequence[bool] = True,
        carried: Mapping[str, Sequence[str | None]] | None = None,
    ) -> list[ScoredSubmission]:  # fmt: skip
        """Every score of each submission of a filled batch (`BatchEvaluator.fill`), as
        `score_filled` gives it; repeats_available for all submissions or one per submission.
        carried: the calculations each submission's input carried, by name (None where it
        carried none); those of a submission without repeat records are taken as
        `take_carried` takes them, column by column."""
        n = fill.n
        if isinstance(repeats_available, bool):
            cut = [] if repeats_available else list(range(n))
        else:
            available = np.fromiter(repeats_available, np.bool_, n)
            cut = np.flatnonzero(~available).tolist()
        with gc_paused():
            reasons: list[dict[str, str]] = [{} for _ in range(n)]
            exported: list[dict[str, str]] = [{} for _ in range(n)]
            columns = [
                self._column(fill, item, cut, reasons, (carried or {}).get(item.name), exported)
                for item in self.scores
            ]
            names = [item.name for item in self.scores]
            rows = zip(*columns, strict=True) if columns else ([] for _ in range(n))
            return [
                ScoredSubmission(dict(zip(names, row, strict=True)), why, taken)
                for row, why, taken in zip(rows, reasons, exported, strict=True)
            ]

    def _column(
        self, fill: BatchFill, item: Item, cut: list[int], reasons: list[dict[str, str]],
        carried: Sequence[str | None] | None, exported: list[dict[str, str]],
    ) -> list[Any]:  # fmt: skip
        """One score for every submission, adding each empty one's reason (in score order,
        as `score_filled` does); cut: submissions whose repeat records are not available,
        which take the value carried (`take_carried`) where there is one."""
        name, n = item.name, fill.n
        needs = self.repeat_dependencies[name]
        cut = cut if needs else []
        if len(cut) == n and n:
            return self._cut(name, needs, [None] * n, cut, reasons, carried, exported)
        values, blank = typed_column(fill, name)
        if item.repeat is not None:
            bounds = fill.record_bounds(item.repeat.name).tolist()
            column: list[Any] = [values[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        else:
            column = values
            if blank.any():
                blank[cut] = False
                rule = self.guide.text(item.missing, self.guide.default_language)
                reason = MISSING.format(rule=rule)
                for i in np.flatnonzero(blank).tolist():
                    reasons[i][name] = reason
        if cut:
            return self._cut(name, needs, column, cut, reasons, carried, exported)
        return column

    def _cut(
        self, name: str, needs: list[str], column: list[Any], cut: list[int],
        reasons: list[dict[str, str]], carried: Sequence[str | None] | None,
        exported: list[dict[str, str]],
    ) -> list[Any]:  # fmt: skip
        """A score of submissions without repeat records: the value carried, for a form-level
        score (`take_carried`), else None and why."""
        reason = NO_REPEATS.format(repeats=", ".join(needs))
        if carried is None or name not in self._needing:
            for i in cut:
                column[i] = None
                reasons[i][name] = reason
            return column
        texts = [carried[i] for i in cut]
        memo = self._carried_memo  # few distinct texts: each typed once
        for text in set(texts).difference(memo):
            memo[text] = carried_value(text)  # None for None (carried nothing)
        for i, value in zip(cut, map(memo.__getitem__, texts), strict=True):
            column[i] = value
            if value is None:
                reasons[i][name] = reason
            else:
                exported[i][name] = FROM_EXPORT
        return column

    def score_filled(self, filled: FilledForm, repeats_available: bool = True) -> ScoredSubmission:
        """Every score of a form filled by the reference (`ReferenceEvaluator.fill`): the
        specification `score_batch` is tested against, and what `--explain` shows."""
        result = ScoredSubmission({})
        for item in self.scores:
            needs = self.repeat_dependencies[item.name]
            if needs and not repeats_available:
                result.scores[item.name] = None
                result.reasons[item.name] = NO_REPEATS.format(repeats=", ".join(needs))
                continue
            if item.repeat is not None:
                records = filled.values.get(item.repeat.name, [])
                result.scores[item.name] = [typed(str(r.get(item.name, ""))) for r in records]
                continue
            value = typed(filled.text(item.name))
            result.scores[item.name] = value
            if value is None:
                rule = self.guide.text(item.missing, self.guide.default_language)
                result.reasons[item.name] = MISSING.format(rule=rule)
        return result


def typed_column(fill: BatchFill, name: str) -> tuple[list[ScoreValue], np.ndarray]:
    """`typed` of every value of a calculation in a batch (one per submission or record),
    computed over the column where that is exact; and where the value is blank (None)."""
    values, kind = fill.column(name)
    if kind == TEXT:
        return fill.vocab.table("typed", typed, object)[values].tolist(), values == 0
    if kind != STNUM:
        texts = fill.text(name).tolist()
        return [typed(t) for t in texts], np.array([t == "" for t in texts], np.bool_)
    # a stored number is written whole when near whole (typed: int), else as repr (typed:
    # that float), or with an exponent when very small or large (typed from its text)
    blank = values != values
    whole = np.trunc(values)
    size = np.abs(values)
    near = (size < 9.2e18) & (np.abs(values - whole) < 1e-9)
    if near.all():
        return whole.astype(np.int64).tolist(), blank
    out = values.astype(object)
    out[near] = whole[near].astype(np.int64).tolist()
    out[blank] = None
    exponent = ~near & ~blank & ((size < 1e-3) | (size >= 1e7))
    for i in np.flatnonzero(exponent).tolist():
        out[i] = typed(rt.stored(float(values[i])))
    return out.tolist(), blank


def score_names(guide: Guide) -> list[str]:
    """Score names in document order."""
    return [s.name for s in guide.scores()]
