"""scores.json: the scores document, UTF-8, indented, byte-identical for the same inputs; text
kept exactly (control characters escaped by JSON), but for a lone surrogate (a file name that
was not UTF-8), which UTF-8 cannot hold: U+FFFD (`output_text.UTF8_ERRORS`)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, BinaryIO

from ...output_text import UTF8_ERRORS
from ...xlsx_files import atomic_file

_OPTIONS: dict[str, Any] = {"ensure_ascii": False, "indent": 2, "allow_nan": False}


def json_bytes(doc: dict[str, Any]) -> bytes:
    """The document as JSON text (keys in the document's order, no NaN)."""
    return (json.dumps(doc, **_OPTIONS) + "\n").encode("utf-8", UTF8_ERRORS)


def dump_json(doc: dict[str, Any], out: BinaryIO) -> None:
    """Write the same bytes as `json_bytes` a piece at a time: the text of 100,000 submissions
    (~0.9 GB) is never held whole, nor its UTF-8 copy."""
    text = io.TextIOWrapper(out, encoding="utf-8", errors=UTF8_ERRORS, newline="\n")
    json.dump(doc, text, **_OPTIONS)
    text.write("\n")
    text.flush()
    text.detach()  # the caller closes out


def write_json(doc: dict[str, Any], out_dir: Path) -> Path:
    """Write scores.json atomically; return its path."""
    path = out_dir / "scores.json"
    with atomic_file(path) as out:
        dump_json(doc, out)
    return path
