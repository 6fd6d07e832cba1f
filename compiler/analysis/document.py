"""The scores document: everything a scoring run made, as one JSON-ready dict.

It is what scores.json holds and what the report reads:
{"form_id", "form_version", "language", "submissions": [{"instance_id", "source", "form_version",
"scores", "null_reasons", "from_export", "issues"}], "rejected": [{"source", "reason", "instance_id"}],
"notes", "summary"}. Repeat-level scores are lists, one value per repeat record.
"""

from __future__ import annotations

from typing import Any

from ..importer.records import Source
from ..model import Guide
from .pipeline import ScoreRun
from .summary import summarise


def source_dict(source: Source) -> dict[str, Any]:
    """A record's place: file (as given), sheet or zip member, 1-based row (None for XML)."""
    return {"file": source.file, "sheet": source.sheet, "row": source.row}


def scores_document(guide: Guide, run: ScoreRun, lang: str) -> dict[str, Any]:
    """The whole run as a dict (deterministic order: sorted records, scores in guide order)."""
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
