"""Translations in gettext files: guide_source/locale/<code>.po, one per language.

The English text in the YAML is the msgid; msgctxt is a stable place in the guide
(e.g. 'qs_measure.label'), so translators see where a string is used and a changed English
text is recognised as the same entry, marked fuzzy rather than lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from .diagnostics import Diagnostics, Location, UserError
from .model import Guide, Text

LOCALE_DIR = "locale"


def iter_texts(guide: Guide) -> Iterator[Text]:
    """Every translatable text of the guide once, in document order (templates once)."""
    seen: set[str] = set()

    def emit(text: Text | None) -> Iterator[Text]:
        if text is not None and text.context not in seen:
            seen.add(text.context)
            yield Text(text.source, text.context)

    yield from emit(guide.title)
    for item in guide.walk():
        for attr in ("label", "hint", "intro", "constraint_message", "description", "missing"):
            yield from emit(getattr(item, attr))
    for choice_list in guide.lists.values():
        for choice in choice_list.choices:
            yield from emit(choice.label)


def po_path(source_dir: Path, code: str) -> Path:
    return source_dir / LOCALE_DIR / f"{code}.po"


def _read_po(path: Path, display: str) -> polib.POFile:
    try:
        return polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{display}: cannot read translations: {exc}") from None


def load_translations(source_dir: Path, guide: Guide, diags: Diagnostics) -> dict[str, dict[str, str]]:
    """Translated, current (non-fuzzy, same English) strings by language and context.

    Missing and stale translations are reported as warnings; the text falls back to English."""
    current = {t.context: t.source for t in iter_texts(guide)}
    out: dict[str, dict[str, str]] = {}
    for lang in guide.languages:
        if lang.code == guide.default_language:
            continue
        path = po_path(source_dir, lang.code)
        display = f"{source_dir.name}/{LOCALE_DIR}/{lang.code}.po"
        table: dict[str, str] = {}
        if path.is_file():
            for entry in _read_po(path, display):
                if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                    continue
                if entry.msgctxt in current and current[entry.msgctxt] == entry.msgid:
                    table[entry.msgctxt] = entry.msgstr
        out[lang.code] = table
        missing = [c for c in current if c not in table]
        if missing:
            diags.warning(
                Location(display),
                f"{len(missing)} of {len(current)} texts not translated to {lang.name} "
                f"(first: '{missing[0]}'); run 'rightguide translations'",
            )
    return out


@dataclass
class Coverage:
    """Per-language counts of translated, missing and fuzzy entries."""

    code: str
    total: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0
