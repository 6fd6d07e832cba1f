"""outputs/manifest.json: every published file with its kind, language, path and sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .emitters import OutputFile
from .model import Guide

MANIFEST = "manifest.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_dict(guide: Guide, out_dir: Path, files: list[OutputFile]) -> dict[str, Any]:
    """The manifest as a dict, files sorted by kind, language and path."""
    entries = []
    for f in sorted(files, key=lambda f: (f.kind, f.language or "", f.path)):
        entry: dict[str, Any] = {"kind": f.kind, "path": f.path}
        if f.language:
            entry["language"] = f.language
        entry["form"] = f.form or guide.form_id
        entry["sha256"] = sha256(out_dir / f.path)
        entries.append(entry)
    return {
        "form_id": guide.form_id,  # the main form (the team assessment)
        "version": guide.version,
        "forms": [
            {"id": form.form_id, "version": form.version,
             "title": form.text(form.title, form.default_language)}
            for form in guide.all_forms()
        ],  # fmt: skip
        "languages": [{"code": lang.code, "name": lang.name} for lang in guide.languages],
        "default_language": guide.default_language,
        "outputs": entries,
    }


def manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    path = out_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
