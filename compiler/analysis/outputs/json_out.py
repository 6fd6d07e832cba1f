"""scores.json: the scores document, UTF-8, indented, byte-identical for the same inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...xlsx_files import write_atomic


def json_bytes(doc: dict[str, Any]) -> bytes:
    """The document as JSON text (keys in the document's order, no NaN)."""
    return (json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def write_json(doc: dict[str, Any], out_dir: Path) -> Path:
    """Write scores.json atomically; return its path."""
    path = out_dir / "scores.json"
    write_atomic(path, json_bytes(doc))
    return path
