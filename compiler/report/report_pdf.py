"""The report as PDF: the Typst template `templates/report.typ` laid over `report_data`.

All text travels as JSON through Typst's sys.inputs, never pasted into markup. Only the fonts
bundled with Typst are used and the document date is none, so the same scores always give the
same bytes. A template that makes Typst warn is refused rather than printed half right.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst

from ..diagnostics import UserError

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = TEMPLATES / "report.typ"


class TypstWarnings(RuntimeError):
    """Typst compiled the report but warned: the template or data need fixing."""


def report_pdf_bytes(document: dict[str, Any]) -> bytes:
    """PDF bytes of one report (a `report_document` dict); refuses a report Typst warned about."""
    data = json.dumps(document, ensure_ascii=False, sort_keys=True)
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(REPORT_TEMPLATE),
            root=str(TEMPLATES),
            font_paths=[],
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={"data": data},
        )
    except typst.TypstError as exc:
        raise UserError(f"the {document['lang']} report failed in Typst: {_first_line(exc)}") from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - one output file is asked for
        raise TypeError("Typst returned pages instead of one PDF")
    if warnings:
        texts = [str(getattr(w, "message", None) or w) for w in warnings]
        raise TypstWarnings(f"Typst warned on the {document['lang']} report: " + "; ".join(texts))
    return pdf


def _first_line(exc: Exception) -> str:
    message = str(getattr(exc, "message", None) or exc).strip()
    return message.splitlines()[0] if message else repr(exc)
