"""Compile a Typst template into PDF bytes, with the data passed as JSON through sys.inputs.

Guide and submission text never enters Typst markup, so no text can break the layout or
inject markup, and control characters in it are shown as symbols (`output_text.printable`).
Only bundled fonts are used, so the same data gives the same bytes anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst

from .diagnostics import UserError
from .output_text import printable_data


class TypstWarnings(RuntimeError):
    """Typst compiled but warned: the template or its data need fixing."""


def compile_with_warnings(
    template: Path, data: dict[str, Any], what: str, font_paths: list[str] | None = None
) -> tuple[bytes, list[str]]:
    """PDF bytes of template laid over data, and Typst's warnings as text.

    `what` names the document in the one-line error Typst failures become."""
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(template),
            root=str(template.parent),
            font_paths=font_paths or [],
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={"data": json.dumps(printable_data(data), ensure_ascii=False, sort_keys=True)},
        )
    except typst.TypstError as exc:
        raise UserError(f"{what} failed in Typst: {_first_line(exc)}") from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - one output file is asked for
        raise TypeError("Typst returned pages instead of one PDF")
    return pdf, [str(getattr(w, "message", None) or w) for w in warnings]


def compile_pdf(template: Path, data: dict[str, Any], what: str, font_paths: list[str] | None = None) -> bytes:
    """PDF bytes of template laid over data; refuses a document Typst warned about."""
    pdf, warnings = compile_with_warnings(template, data, what, font_paths)
    if warnings:
        raise TypstWarnings(f"Typst warned on {what}: " + "; ".join(warnings))
    return pdf


def _first_line(exc: Exception) -> str:
    message = str(getattr(exc, "message", None) or exc).strip()
    return message.splitlines()[0] if message else repr(exc)
