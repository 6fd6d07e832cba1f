"""A re-assessment: what changed between two assessments of the same measure.

`compare_assessments(guide, old, new)` is the one comparison behind both the dossier's section
"since the previous assessment" and `rightguide compare OLD NEW`. Each side is one assessment:
its scores (a submission of scores.json) and the rights its recommendations protect. Per right,
the worst actual and the worst potential harm are compared apart (a potential harm never
offsets an actual one): better (lower), worse (higher), new (none before), gone (none now) or
unchanged. Per right, recommendations are new (none before), dropped (none now) or unchanged
(some on both sides, with their numbers). Severities are never pooled: each side is its own
assessment's scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Guide
from .report_data import _number

KINDS = (("actual", "worst_actual_"), ("potential", "worst_potential_"))
WHOLE_MEASURE = ""  # a recommendation linked to no right: the measure as a whole
REC_REPEAT = "recommendations"
REC_RIGHT = "rec_right"


@dataclass(frozen=True)
class Side:
    """One assessment to compare: its scores, the right of each of its recommendations
    (WHOLE_MEASURE when it names none), and its measure code and date."""

    scores: dict[str, Any]
    recommendation_rights: list[str] | None = None  # None: the input held no such records
    measure: str | None = None
    date: str | None = None


def recommendation_rights(answers: dict[str, Any] | None) -> list[str] | None:
    """The right of each recommendation record in one submission's answers, in order; None
    when the answers hold no recommendation records (a CSV without repeats)."""
    if not answers or REC_REPEAT not in answers:
        return None
    records = answers.get(REC_REPEAT) or []
    return [str(r.get(REC_RIGHT) or WHOLE_MEASURE).strip() for r in records if any(
        str(v).strip() for v in r.values() if not isinstance(v, list))]  # fmt: skip


def _change(old: float | None, new: float | None) -> str | None:
    if old is None and new is None:
        return None
    if old is None:
        return "new"
    if new is None:
        return "gone"
    if new > old:
        return "worse"
    if new < old:
        return "better"
    return "unchanged"


def compare_assessments(guide: Guide, old: Side, new: Side) -> dict[str, Any]:
    """The comparison as a JSON-ready dict: {"measure", "old_date", "new_date", "rights": [{"right",
    "actual": {"old", "new", "change"}, "potential": {...}}], "recommendations": [{"right",
    "old", "new", "change"}] or None when a side holds no recommendation records}. Rights with
    no harm on either side and no recommendation are left out."""
    rights_list = guide.lists.get("rights")
    names = rights_list.names() if rights_list else []
    rights = []
    for right in names:
        row: dict[str, Any] = {"right": right}
        for kind, prefix in KINDS:
            before = _number(old.scores.get(prefix + right))
            after = _number(new.scores.get(prefix + right))
            row[kind] = {"old": before, "new": after, "change": _change(before, after)}
        if any(row[kind]["change"] for kind, _ in KINDS):
            rights.append(row)
    recommendations = None
    if old.recommendation_rights is not None and new.recommendation_rights is not None:
        recommendations = []
        for right in [*names, WHOLE_MEASURE]:
            before = old.recommendation_rights.count(right)
            after = new.recommendation_rights.count(right)
            if before or after:
                change = "new" if not before else "dropped" if not after else "unchanged"
                recommendations.append({"right": right, "old": before, "new": after, "change": change})
    return {
        "measure": new.measure or old.measure,
        "old_date": old.date,
        "new_date": new.date,
        "rights": rights,
        "recommendations": recommendations,
    }


def side_of(sub: dict[str, Any], records: dict[str, dict[str, Any]] | None, assessment: Any) -> Side:
    """One submission of a scores document (and its answers, when given) as a side: the
    recommendations' rights come from scores.json's `assessment` entry, else from the answers."""
    facts = sub.get("assessment") if isinstance(sub.get("assessment"), dict) else {}
    rights = facts.get("recommendation_rights") if facts else None
    answers = (records or {}).get(sub.get("instance_id") or "")
    if rights is None and answers:
        # answers without the repeat: no record (scores.json says when the input had none)
        rights = recommendation_rights(answers) or []
    return Side(sub.get("scores") or {}, rights, assessment.measure, assessment.date)
