"""Printable forms: one PDF and one HTML page per guide language, under print/."""

from __future__ import annotations

from pathlib import Path

from ..model import Guide
from ..xlsx_files import write_atomic
from . import OutputFile
from .print_data import print_document
from .print_html import html_bytes
from .print_pdf import pdf_bytes

PRINT_DIR = "print"


def emit_print(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """Write print/<form_id>_<lang>.pdf and .html for every language of the guide."""
    files: list[OutputFile] = []
    for language in guide.languages:
        document = print_document(guide, language.code)
        stem = f"{PRINT_DIR}/{guide.form_id}_{language.code}"
        write_atomic(out_dir / f"{stem}.pdf", pdf_bytes(document))
        files.append(OutputFile("print-pdf", f"{stem}.pdf", language.code))
        write_atomic(out_dir / f"{stem}.html", html_bytes(document))
        files.append(OutputFile("print-html", f"{stem}.html", language.code))
    return files
