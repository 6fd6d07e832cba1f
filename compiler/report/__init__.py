"""The reports of a scoring run: a dossier per assessment, and a network overview.

`write_report(guide, scores_doc, out_dir, lang, records=None, quote_evidence=False,
max_dossiers=MAX_DOSSIERS)` writes, in lang:

- `dossiers/<measure>-<date>.pdf` and `.html`: one dossier per assessment (one submission is
  one team's assessment of one measure at one date), for the first `max_dossiers`
  assessments (every one when None);
- `report.pdf` and `report.html`: the dossier itself when the run holds one assessment, else
  the network overview (one row per assessment, linking to its dossier).

A later assessment of a measure already assessed (same measure code, later date) has a
section "since the previous assessment". Severities are never pooled across assessments.
Same input, same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Guide
from ..xlsx_files import write_atomic
from .assessments import CONTEXT_FIELDS, Assessment, find_assessments, previous_assessments
from .dossier_data import (
    action_plan_questions,
    conclusion_names,
    dossier_document,
    mechanism_questions,
)
from .overview_data import overview_document
from .phrases import missing_report_phrase_languages
from .reassessment import compare_assessments, side_of
from .report_data import _instance_name_field
from .report_data import answer_names as _base_answer_names
from .report_html import report_html_bytes
from .report_pdf import report_pdf_bytes

__all__ = ["answer_names", "comparison_of", "find_assessments_of", "missing_report_phrase_languages",
           "report_document", "write_report"]

DOSSIERS = "dossiers"
MAX_DOSSIERS = 50  # past this, the overview lists every assessment and says which have none


def answer_names(guide: Guide) -> tuple[str, ...]:
    """The answers the reports read from `records` (a scoring run keeps only these): the
    measure, country and date, each step's conclusion, the action plan questions, whether
    each accountability mechanism exists, and the repeats. Never a sensitive question."""
    names = {*_base_answer_names(guide), *CONTEXT_FIELDS, *conclusion_names(guide),
             *(q.name for q in action_plan_questions(guide)), *(q.name for q in mechanism_questions(guide))}  # fmt: skip
    sensitive = {q.name for q in guide.questions() if q.sensitive}
    return tuple(sorted(names - sensitive))


def report_document(guide: Guide, scores_doc: dict[str, Any], lang: str,
                    records: dict[str, dict[str, Any]] | None = None, quote_evidence: bool = False,
                    max_dossiers: int | None = MAX_DOSSIERS) -> dict[str, Any]:  # fmt: skip
    """What report.pdf and report.html show, as the dict both renderers draw: the dossier when
    the scores document holds one assessment, else the network overview (which says how many
    have a dossier: the first `max_dossiers`, every one when None)."""
    assessments = find_assessments_of(scores_doc, records, guide)
    previous = previous_assessments(assessments)
    if len(assessments) == 1:
        return dossier_document(guide, scores_doc, assessments[0], lang, records, quote_evidence)
    return overview_document(guide, scores_doc, assessments, lang, records,
                             _dossier_count(len(assessments), max_dossiers), previous)  # fmt: skip


def _dossier_count(assessments: int, max_dossiers: int | None) -> int:
    return assessments if max_dossiers is None else min(assessments, max_dossiers)


def find_assessments_of(scores_doc: dict[str, Any], records: dict[str, dict[str, Any]] | None = None,
                        guide: Guide | None = None) -> list[Assessment]:  # fmt: skip
    """Each submission of a scores document as an assessment (measure, country, date, stem,
    and the measure's name when the guide and the answers give it)."""
    name_field = _instance_name_field(guide) if guide is not None else None
    return find_assessments(scores_doc.get("submissions") or [], records, name_field)


def comparison_of(guide: Guide, scores_doc: dict[str, Any], records: dict[str, dict[str, Any]] | None = None,
                  limit: int | None = None) -> tuple[list[Assessment], dict[int, dict[str, Any]]]:  # fmt: skip
    """The assessments of a scores document, and for each re-assessment (by index; among the
    first `limit` assessments when given) its comparison with the previous assessment of the
    same measure."""
    assessments = find_assessments_of(scores_doc, records, guide)
    subs = scores_doc.get("submissions") or []
    comparisons = {}
    for new, old in previous_assessments(assessments).items():
        if limit is not None and new >= limit:
            continue
        before, after = assessments[old], assessments[new]
        comparisons[new] = compare_assessments(guide, side_of(subs[old], records, before),
                                               side_of(subs[new], records, after))  # fmt: skip
    return assessments, comparisons


def write_report(
    guide: Guide,
    scores_doc: dict[str, Any],
    out_dir: Path,
    lang: str,
    records: dict[str, dict[str, Any]] | None = None,
    quote_evidence: bool = False,
    max_dossiers: int | None = MAX_DOSSIERS,
) -> list[Path]:
    """Write the dossiers and report.pdf / report.html for a scores document in lang; return
    report.pdf, report.html and the dossiers folder.

    records (optional): each submission's answers by instance id (question name -> value text,
    repeat name -> list of such dicts). quote_evidence: quote free-text evidence (cut, marked).
    max_dossiers: dossiers for the first so many assessments (None: every one).
    An unknown lang is one UserError line."""
    out_dir = Path(out_dir)
    folder = out_dir / DOSSIERS
    folder.mkdir(parents=True, exist_ok=True)
    # comparisons past the limit are not needed: those assessments get no dossier
    assessments, comparisons = comparison_of(guide, scores_doc, records, max_dossiers)
    count = _dossier_count(len(assessments), max_dossiers)
    pdf = page = b""
    for a in assessments[:count]:
        comparison = comparisons.get(a.index)
        document = dossier_document(guide, scores_doc, a, lang, records, quote_evidence, comparison)
        # the pages go to disk one dossier at a time: thousands of them are not held at once
        pdf, page = report_pdf_bytes(document), report_html_bytes(document)
        write_atomic(folder / f"{a.stem}.pdf", pdf)
        write_atomic(folder / f"{a.stem}.html", page)
    if len(assessments) == 1:
        if not count:  # the report is the one dossier, even when dossiers/ holds none
            document = dossier_document(guide, scores_doc, assessments[0], lang, records, quote_evidence)
            pdf, page = report_pdf_bytes(document), report_html_bytes(document)
    else:
        overview = overview_document(guide, scores_doc, assessments, lang, records, count,
                                     previous_assessments(assessments))  # fmt: skip
        pdf, page = report_pdf_bytes(overview), report_html_bytes(overview)
    written = []
    for name, data in (("report.pdf", pdf), ("report.html", page)):
        write_atomic(out_dir / name, data)
        written.append(out_dir / name)
    return [*written, folder]
