"""Typed scores, repeat-level lists, and nulls with reasons."""

from __future__ import annotations

from compiler.model import Guide
from compiler.scoring.scores import Scorer, typed

CASE = {
    "measure_name": "Raids", "has_measure": "yes", "signs": "raids detention", "people": "20",
    "status_iccpr": "ratified", "status_cat": "dont_know",
    "impacts": [
        {"right": "liberty", "direction": "negative", "scale": "4", "scope": "5"},
        {"right": "health", "direction": "negative", "scale": "dk", "scope": "2"},
    ],
}


def test_scores_are_typed_and_named_as_in_source(test_guide: Guide) -> None:
    result = Scorer(test_guide).score(CASE)
    assert result.scores["sign_count"] == 2
    assert result.scores["outcome"] == "full"
    assert result.scores["commitment"] == 1
    assert result.scores["severity"] == [4.5, None]
    assert result.scores["worst_liberty"] == 4.5
    assert result.scores["worst_health"] is None
    assert "not computable" in result.reasons["worst_health"]
    assert set(result.scores) == {s.name for s in test_guide.scores()}


def test_scores_needing_repeats_are_null_without_repeat_data(test_guide: Guide) -> None:
    scorer = Scorer(test_guide)
    assert scorer.repeat_dependencies["worst_liberty"] == ["impacts"]
    assert scorer.repeat_dependencies["sign_count"] == []
    result = scorer.score({k: v for k, v in CASE.items() if k != "impacts"}, repeats_available=False)
    assert result.scores["negatives"] is None
    assert "repeat records" in result.reasons["negatives"]
    assert result.scores["sign_count"] == 2


def test_typed_values() -> None:
    assert typed("") is None
    assert typed("3") == 3 and isinstance(typed("3"), int)
    assert typed("4.5") == 4.5
    assert typed("full") == "full"
    assert typed("1.0E-5") == 1e-5
