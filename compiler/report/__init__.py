"""The assessment report of a scoring run: report.pdf and report.html in one language.

`write_report(guide, scores_doc, out_dir, lang, records=None)` writes both files. The report is
what an NGO takes to a ministry or a treaty body: the Quick Scan outcome, the harm to each right
(and to each affected group when the answers are given), gaps between promise and practice,
accountability, the salient impacts with their evidence, recommendations, data quality, and what
each score means. Same input, same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Guide
from ..xlsx_files import write_atomic
from .phrases import missing_report_phrase_languages
from .report_data import answer_names, report_document
from .report_html import report_html_bytes
from .report_pdf import report_pdf_bytes

__all__ = ["answer_names", "missing_report_phrase_languages", "report_document", "write_report"]


def write_report(
    guide: Guide,
    scores_doc: dict[str, Any],
    out_dir: Path,
    lang: str,
    records: dict[str, dict[str, Any]] | None = None,
) -> list[Path]:
    """Write report.pdf and report.html for a scores document in lang; return their paths.

    records (optional): each submission's answers by instance id (question name -> value text,
    repeat name -> list of such dicts), for the rights x groups view and the impacts with their
    evidence. An unknown lang is one UserError line."""
    document = report_document(guide, scores_doc, lang, records)
    pdf = report_pdf_bytes(document)
    page = report_html_bytes(document)
    out_dir = Path(out_dir)
    written = []
    for name, data in (("report.pdf", pdf), ("report.html", page)):
        path = out_dir / name
        write_atomic(path, data)
        written.append(path)
    return written
