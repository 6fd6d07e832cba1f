"""The importer's issues as sentences in the report's language.

The importer writes each issue in English with the raw value and the field path (`impacts[3]/
evidence: ... (value 'media other none_yet')`): right for issues.csv, which keeps them for
tracing, wrong for a report a person reads in French. Here each issue is sorted into a kind by
the importer's own fixed wording, and said with the question's label in the report language;
issues.csv keeps the details.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..model import Guide

# the importer's fixed wordings (compiler/analysis/pipeline.py, importer/readers) -> a kind
KINDS = (
    ("required", re.compile(r"required, but left blank")),
    ("not_applicable", re.compile(r"does not apply|not reached")),
    ("recomputed", re.compile(r"the export says .* recomputed")),
    ("not_number", re.compile(r"is not a number")),
    ("not_date", re.compile(r"is not a date")),
    ("not_choice", re.compile(r"not in the list|not a choice|is not 1 or 0|unknown choice")),
    ("formula", re.compile(r"formula|without its value")),
    ("check", re.compile(r"does not meet the rule|\(value '")),
)
FIELD_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[\d+\])?$")


def issue_kind(message: str) -> str:
    """The kind of one importer issue ("other" when its wording is not known here)."""
    for kind, pattern in KINDS:
        if pattern.search(message):
            return kind
    return "other"


def question_label(guide: Guide, field: str | None, lang: str, items: dict[str, Any]) -> str | None:
    """The label of the question an issue's field path ends with, in lang; None when the
    issue is about the whole record or names no question of the guide."""
    if not field:
        return None
    last = str(field).replace("-", "/").split("/")[-1].strip()
    match = FIELD_NAME.match(last)
    item = items.get(match.group(1)) if match else None
    if item is None or item.label is None:
        return None
    return " ".join(guide.text(item.label, lang).split())


def issue_sentences(guide: Guide, issues: list[dict[str, Any]], lang: str, words: dict[str, str]) -> list[str]:
    """One sentence per kind of issue and question, with how many times it occurs, in lang
    (`words`: the report phrases, keys `issue_<kind>`, `issue_times`, `issue_record`)."""
    items = guide.items_by_name()
    counts: Counter[tuple[str, str | None]] = Counter()
    for issue in issues:
        kind = issue_kind(str(issue.get("message") or ""))
        counts[(kind, question_label(guide, issue.get("field"), lang, items))] += 1
    out = []
    for (kind, label), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        sentence = words["issue_" + kind]
        where = words["quoted"].format(text=label) if label else words["issue_record"]
        text = f"{where}{words['colon']} {sentence}"
        if n > 1:
            text += " " + words["issue_times"].format(n=n)
        out.append(text)
    return out
