"""The printed form as PDF: the Typst template `templates/form.typ` laid over `print_data`.

Only the fonts bundled with Typst (and any under `fonts/`) are used, and the document date is
fixed by the version, so the same guide always gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import typst_pdf

TEMPLATES = Path(__file__).parent / "templates"
FORM_TEMPLATE = TEMPLATES / "form.typ"
FONTS = Path(__file__).parent / "fonts"


def _fonts() -> list[str]:
    return [str(FONTS)] if FONTS.is_dir() else []


def compile_pdf(document: dict[str, Any]) -> tuple[bytes, list[str]]:
    """PDF bytes of one printed form (a `print_document` dict) and Typst's warnings as text."""
    return typst_pdf.compile_with_warnings(FORM_TEMPLATE, document, _what(document), _fonts())


def pdf_bytes(document: dict[str, Any]) -> bytes:
    """PDF bytes of one printed form; refuses a form Typst warned about."""
    return typst_pdf.compile_pdf(FORM_TEMPLATE, document, _what(document), _fonts())


def _what(document: dict[str, Any]) -> str:
    return f"printing the {document['lang']} form"
