"""The summary of a scoring run: per right, per affected group, and overall.

Per right (each choice of list `rights`), from the scores the guide names by convention:
`worst_<right>`, `worst_actual_<right>` and `worst_potential_<right>` (worst severity: the
maximum over submissions, never an average), `negative_<right>`, `unrated_<right>` (harms of
unknown severity) and `positive_<right>` (record counts, summed), `gap_<right>`,
`concern_<right>` and `committed_<right>` (submissions where the flag is set). A guide without some of these gets
null for them and lists the measures it has in `measures`. Per group: impact records and
negative ones per affected group, when the guide's impacts repeat has a select on list
`groups`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Guide
from .pipeline import Analyser, ScoreRun

MEASURES = {
    "worst_severity": ("worst_", "max"),
    "worst_actual": ("worst_actual_", "max"),
    "worst_potential": ("worst_potential_", "max"),
    "negative_records": ("negative_", "sum"),
    "unrated_records": ("unrated_", "sum"),
    "positive_records": ("positive_", "sum"),
    "gap_flags": ("gap_", "flags"),
    "concern_flags": ("concern_", "flags"),
    "committed": ("committed_", "flags"),
}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _combine(values: list[Any], how: str) -> float | int | None:
    numbers = [n for n in (_number(v) for v in values) if n is not None]
    if how == "max":
        return max(numbers) if numbers else None
    if how == "sum":
        return sum(numbers)
    return sum(1 for n in numbers if n)


def summarise(guide: Guide, run: ScoreRun, lang: str) -> dict[str, Any]:
    """The summary as a JSON-ready dict (labels in lang)."""
    score_names = {s.name for s in guide.scores()}
    rights_list = guide.lists.get("rights")
    rights: list[dict[str, Any]] = []
    measures = [
        key for key, (prefix, _) in MEASURES.items()
        if rights_list and any(prefix + r in score_names for r in rights_list.names())
    ]  # fmt: skip
    for choice in rights_list.choices if rights_list else []:
        row: dict[str, Any] = {"right": choice.name, "label": guide.text(choice.label, lang)}
        for key, (prefix, how) in MEASURES.items():
            name = prefix + choice.name
            if name not in score_names:
                row[key] = None
                continue
            row[key] = _combine([s.scores.get(name) for s in run.submissions], how)
        rights.append(row)
    return {
        "overall": _overall(guide, run),
        "measures": measures,
        "rights": rights,
        "groups": _groups(guide, run, lang),
    }


def _groups(guide: Guide, run: ScoreRun, lang: str) -> list[dict[str, Any]]:
    repeat, field, _direction = Analyser.group_fields(guide)
    if repeat is None or field is None or field.list_name not in guide.lists:
        return []
    counted = [s for s in run.submissions if s.repeats_available]
    out = []
    for choice in guide.lists[field.list_name].choices:
        records = sum(s.group_counts.get(choice.name, {}).get("records", 0) for s in counted)
        negative = sum(s.group_counts.get(choice.name, {}).get("negative", 0) for s in counted)
        out.append(
            {"group": choice.name, "label": guide.text(choice.label, lang),
             "records": records, "negative_records": negative}
        )  # fmt: skip
    return out


def _overall(guide: Guide, run: ScoreRun) -> dict[str, Any]:
    versions = Counter(s.form_version or "" for s in run.submissions)
    stats: dict[str, Any] = {}
    for item in guide.scores():
        if item.repeat is not None:
            continue
        values = [s.scores.get(item.name) for s in run.submissions]
        numbers = [n for n in (_number(v) for v in values) if n is not None]
        stats[item.name] = {
            "count": sum(1 for v in values if v is not None),
            "null": sum(1 for v in values if v is None),
            "min": min(numbers) if numbers else None,
            "max": max(numbers) if numbers else None,
        }
    return {
        "input_records": run.input_records,
        "submissions": len(run.submissions),
        "rejected": len(run.rejected),
        "submissions_with_issues": sum(1 for s in run.submissions if s.issues),
        "issues": sum(len(s.issues) for s in run.submissions),
        "without_repeat_data": sum(1 for s in run.submissions if not s.repeats_available),
        "form_versions": {v or "(unknown)": n for v, n in sorted(versions.items())},
        "scores": stats,
    }
