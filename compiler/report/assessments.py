"""Which assessment each submission is: its measure code, country and date, its dossier's file
name, and the earlier assessment of the same measure (a re-assessment).

An assessment is one team's assessment of one measure at one date (see the domain notes): the
guide's `measure_code`, `country` and `assessment_date` answers, by convention. scores.json
carries them per submission (`assessment`); a report made from answers alone reads them there.
A submission without a measure code is named by its order (`assessment-3`), one without an
assessment date by the date it was submitted, or `undated`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MEASURE_FIELD = "measure_code"
COUNTRY_FIELD = "country"
DATE_FIELD = "assessment_date"
CONTEXT_FIELDS = (MEASURE_FIELD, COUNTRY_FIELD, DATE_FIELD)
# when the team gave no assessment date: the submission's own date, as exports write it
SUBMITTED_FIELDS = ("_submission_time", "SubmissionDate", "end", "today", "submission_date")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
STEM_CHARS = 40


@dataclass(frozen=True)
class Assessment:
    """One submission as an assessment: its order (0-based), measure code, country and date
    (None when not answered), and the stem of its dossier's file names."""

    index: int
    measure: str | None
    country: str | None
    date: str | None
    stem: str
    name: str | None = None  # the measure's name, when the guide's instance name gives one


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def context_answers(answers: dict[str, Any] | None) -> dict[str, str | None]:
    """measure_code, country and assessment_date of one submission's answers (None when not
    answered); the date falls back to the submission's own date."""
    answers = answers or {}
    out = {name: _text(answers.get(name)) for name in CONTEXT_FIELDS}
    date = out[DATE_FIELD]
    if date is None or not DATE.match(date):
        found = [str(answers[k])[:10] for k in SUBMITTED_FIELDS
                 if isinstance(answers.get(k), str) and DATE.match(answers[k])]  # fmt: skip
        out[DATE_FIELD] = found[0] if found else date
    elif date:
        out[DATE_FIELD] = date[:10]
    return out


def _slug(text: str) -> str:
    """Letters and digits of text in ASCII, other runs made '-' (a file name any system takes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:STEM_CHARS].strip("-")


def find_assessments(subs: list[dict[str, Any]], records: dict[str, dict[str, Any]] | None,
                     name_field: str | None = None) -> list[Assessment]:  # fmt: skip
    """Each submission of a scores document as an assessment, in order; stems are unique
    (`KE-RAIDS-2026-03-01`, a second one the same day `KE-RAIDS-2026-03-01-2`). name_field:
    the question whose answer names the measure (the guide's instance name), if any."""
    records = records or {}
    out: list[Assessment] = []
    taken: set[str] = set()
    for index, sub in enumerate(subs):
        facts = sub.get("assessment")
        if not isinstance(facts, dict):
            facts = context_answers(records.get(sub.get("instance_id") or ""))
        measure, date = facts.get(MEASURE_FIELD), facts.get(DATE_FIELD)
        stem = f"{_slug(measure or '') or f'assessment-{index + 1}'}-{date if date and DATE.match(date) else 'undated'}"
        unique, n = stem, 1
        while unique.lower() in taken:
            n += 1
            unique = f"{stem}-{n}"
        taken.add(unique.lower())
        answers = records.get(sub.get("instance_id") or "") or {}
        raw = answers.get(name_field) if name_field and name_field != MEASURE_FIELD else None
        name = raw.strip() if isinstance(raw, str) and raw.strip() else None  # as written
        out.append(Assessment(index, measure, facts.get(COUNTRY_FIELD), date, unique, name))
    return out


def previous_assessments(assessments: list[Assessment]) -> dict[int, int]:
    """For each assessment with an earlier one of the same measure code: the index of the
    latest earlier one (dates compared as yyyy-mm-dd; undated assessments are never paired).
    Sorted once per measure, so a run of 100,000 submissions stays quick."""
    by_measure: dict[str, list[Assessment]] = {}
    for a in assessments:
        if a.measure and a.date:
            by_measure.setdefault(a.measure.casefold(), []).append(a)
    out: dict[int, int] = {}
    for group in by_measure.values():
        group.sort(key=lambda b: (b.date, b.index))
        latest_before: Assessment | None = None  # the latest of the earlier dates
        for i, a in enumerate(group):
            if i and group[i - 1].date != a.date:
                latest_before = group[i - 1]
            if latest_before is not None:
                out[a.index] = latest_before.index
    return out
