"""Scores as JavaRosa computed them, to compare with what `rightguide score` reports."""

from __future__ import annotations

from typing import Any

from compiler.model import Guide
from compiler.scoring.scores import typed


def repeat_count(java: dict[str, Any], repeat_path: str) -> int:
    """How many instances of the repeat at repeat_path JavaRosa made."""
    return sum(1 for p in java["values"] if p.startswith(repeat_path + "[") and p.endswith("]"))


def expected_scores(guide: Guide, java: dict[str, Any]) -> dict[str, Any]:
    """Every score as JavaRosa computed it (typed like the command's output); repeat-level
    scores as one value per instance."""
    out: dict[str, Any] = {}
    for item in guide.scores():
        if item.repeat is None:
            out[item.name] = typed(java["values"].get(item.xpath, ""))
            continue
        base = item.repeat.xpath
        out[item.name] = [
            typed(java["values"].get(f"{base}[{i}]{item.xpath[len(base) :]}", ""))
            for i in range(1, repeat_count(java, base) + 1)
        ]
    return out


def same(a: Any, b: Any) -> bool:
    """Equal scores (numbers within 1e-9; lists element by element)."""
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(map(same, a, b))
        )
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= 1e-9
    return a == b
