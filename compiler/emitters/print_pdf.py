"""The printed form as PDF: the Typst template `templates/form.typ` laid over `print_data`.

The guide text travels as JSON through Typst's sys.inputs, never pasted into markup. Only the
fonts bundled with Typst (and any under `fonts/`) are used, and the document date is fixed by
the version, so the same guide always gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst

from ..diagnostics import UserError

TEMPLATES = Path(__file__).parent / "templates"
FORM_TEMPLATE = TEMPLATES / "form.typ"
FONTS = Path(__file__).parent / "fonts"


class TypstWarnings(RuntimeError):
    """Typst compiled the form but warned: the template or data need fixing."""


def compile_pdf(document: dict[str, Any]) -> tuple[bytes, list[str]]:
    """PDF bytes of one printed form (a `print_document` dict) and Typst's warnings as text."""
    data = json.dumps(document, ensure_ascii=False, sort_keys=True)
    font_paths = [str(FONTS)] if FONTS.is_dir() else []
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(FORM_TEMPLATE),
            root=str(TEMPLATES),
            font_paths=font_paths,
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={"data": data},
        )
    except typst.TypstError as exc:
        raise UserError(
            f"printing the {document['lang']} form failed in Typst: {_first_line(exc)}"
        ) from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - one output file is asked for
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf, [_warning_text(w) for w in warnings]


def pdf_bytes(document: dict[str, Any]) -> bytes:
    """PDF bytes of one printed form; refuses a form Typst warned about."""
    pdf, warnings = compile_pdf(document)
    if warnings:
        raise TypstWarnings(f"Typst warned on the {document['lang']} form: " + "; ".join(warnings))
    return pdf


def _first_line(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return str(message).strip().splitlines()[0] if str(message).strip() else repr(exc)


def _warning_text(warning: Any) -> str:
    message = getattr(warning, "message", None)
    return str(message) if message else str(warning)
