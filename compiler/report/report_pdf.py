"""The report as PDF: the Typst template `templates/report.typ` laid over `report_data`.

The document date is none, so the same scores always give the same bytes. A template that
makes Typst warn is refused rather than printed half right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..typst_pdf import compile_pdf

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = TEMPLATES / "report.typ"


def report_pdf_bytes(document: dict[str, Any]) -> bytes:
    """PDF bytes of one report (a `report_document` dict); refuses a report Typst warned about."""
    return compile_pdf(REPORT_TEMPLATE, document, f"the {document['lang']} report")
