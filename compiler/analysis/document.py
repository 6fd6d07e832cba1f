"""The scores document: everything a scoring run made, as one JSON-ready dict.

It is what scores.json holds and what the report reads:
{"form_id", "form_version", "language", "submissions": [{"instance_id", "source", "form_version",
"scores", "null_reasons", "from_export", "issues"}], "rejected": [{"source", "reason", "instance_id"}],
"notes", "summary"}, and "consultations" when the run read another form's records (see
`guide_document`). Repeat-level scores are lists, one value per repeat record. Each submission's
"assessment" says which assessment it is: {"measure_code", "country", "assessment_date",
"recommendation_rights"} (the right of each recommendation record, "" for the measure as a
whole; null when the input carried no repeat records), for dossiers and `rightguide compare`.
"""

from __future__ import annotations

from typing import Any

from ..importer.records import Source
from ..model import Guide
from ..report.assessments import context_answers
from ..report.reassessment import REC_REPEAT, recommendation_rights
from .consultation_tally import tally_document
from .guide_run import GuideRun
from .pipeline import ScoreRun
from .summary import summarise


def source_dict(source: Source) -> dict[str, Any]:
    """A record's place: file (as given), sheet or zip member, 1-based row (None for XML)."""
    return {"file": source.file, "sheet": source.sheet, "row": source.row}


def assessment_entry(answers: dict[str, Any] | None, repeats_available: bool, has_recs: bool) -> dict[str, Any]:
    """Which assessment a submission is (measure code, country, date) and the right of each of
    its recommendations, from its kept answers."""
    rights = recommendation_rights(answers) if repeats_available else None
    if rights is None and repeats_available and answers is not None and has_recs:
        rights = []  # the input carries repeats; this submission has no recommendation
    return {**context_answers(answers), "recommendation_rights": rights}


def scores_document(guide: Guide, run: ScoreRun, lang: str) -> dict[str, Any]:
    """The whole run as a dict (deterministic order: sorted records, scores in guide order)."""
    has_recs = any(r.name == REC_REPEAT for r in guide.repeats())
    return {
        "form_id": run.form_id,
        "form_version": run.form_version,
        "language": lang,
        "submissions": [
            {
                "instance_id": s.instance_id,
                "source": source_dict(s.source),
                "form_version": s.form_version,
                "assessment": assessment_entry(run.answers.get(s.instance_id or ""), s.repeats_available, has_recs),
                "scores": s.scores,
                "null_reasons": {k: s.null_reasons[k] for k in s.scores if k in s.null_reasons},
                "from_export": {k: s.from_export[k] for k in s.scores if k in s.from_export},
                "issues": [
                    {"field": i.field, "message": i.message, "source": source_dict(i.source)}
                    for i in s.issues
                ],
            }
            for s in run.submissions
        ],
        "rejected": [
            {"source": source_dict(r.source), "reason": r.reason, "instance_id": r.instance_id}
            for r in run.rejected
        ],
        "notes": list(run.notes),
        "summary": summarise(guide, run, lang),
    }


def guide_document(guide: Guide, run: GuideRun, lang: str) -> dict[str, Any]:
    """The scores document of a run over every form: the main form's submissions, every
    form's rejected records and notes, and under "consultations" each tallied form's counts
    per measure (hidden counts null; see `consultation_tally.tally_document`)."""
    doc = scores_document(guide, run.main, lang)
    if not run.others:
        return doc
    doc["rejected"] = [
        {"source": source_dict(r.source), "reason": r.reason, "instance_id": r.instance_id}
        for r in run.all_rejected()
    ]
    doc["notes"] = list(dict.fromkeys(n for form_run in run.runs() for n in form_run.notes))
    doc["consultations"] = [
        {
            "form_id": form_id,
            "form_version": form_run.form_version,
            "scored": len(form_run.submissions),
            "rejected": len(form_run.rejected),
            "measures": tally_document(run.tallies.get(form_id, {})),
        }
        for form_id, form_run in run.others.items()
    ]
    return doc


def form_document(form: Guide, run: ScoreRun, lang: str) -> dict[str, Any]:
    """The scored records of another form than the main one, as `scores_document` gives them
    (without its rejected records, which the main document lists with every form's)."""
    return {
        "form_id": run.form_id,
        "form_version": run.form_version,
        "language": lang,
        "submissions": [
            {
                "instance_id": s.instance_id,
                "source": source_dict(s.source),
                "form_version": s.form_version,
                "scores": s.scores,
                "issues": [
                    {"field": i.field, "message": i.message, "source": source_dict(i.source)}
                    for i in s.issues
                ],
            }
            for s in run.submissions
        ],
    }
