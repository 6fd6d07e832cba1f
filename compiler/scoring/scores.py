"""Scores of one submission, typed for reports: numbers, texts, or None with a reason.

Scores are named exactly as in the guide source. A repeat-level score is a list with one
value per record. A score that needs repeat records is None with a reason when the input
carried no repeat data (Kobo CSV exports), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..expressions.ast import Aggregate, Ref
from ..model import Guide, Item
from .evaluator import FilledForm, FormEvaluator, Submission

ScoreValue = float | int | str | None

NO_REPEATS = "needs the repeat records ({repeats}), which this input does not carry"
MISSING = "not computable from the answers given: {rule}"


@dataclass
class ScoredSubmission:
    """Every score of one submission, and why each empty one is empty."""

    scores: dict[str, ScoreValue | list[ScoreValue]]
    reasons: dict[str, str] = field(default_factory=dict)


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

    def __init__(self, guide: Guide, evaluator: FormEvaluator | None = None) -> None:
        self.guide = guide
        self.evaluator = evaluator or FormEvaluator(guide)
        self.items = guide.items_by_name()
        self.scores = guide.scores()

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

    def score(self, submission: Submission, repeats_available: bool = True) -> ScoredSubmission:
        """Fill the form with the submission and read every score (the fast path: no
        relevance or constraint maps are made)."""
        return self.score_filled(FilledForm(self.evaluator.values(submission)), repeats_available)

    def score_filled(self, filled: FilledForm, repeats_available: bool = True) -> ScoredSubmission:
        """Every score of a form already filled (`FormEvaluator.fill`)."""
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


def score_names(guide: Guide) -> list[str]:
    """Score names in document order."""
    return [s.name for s in guide.scores()]


