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


def _comment(guide: Guide, text: Text) -> str:
    """Translator notes: where the text is used, and what a {label} placeholder becomes."""
    item_name, _, attr = text.context.rpartition(".")
    notes = []
    if text.context.startswith("choices."):
        notes.append(f"Answer in list '{text.context.split('.')[1]}'")
    else:
        notes.append(f"{attr} of {item_name}")
    if "{label}" in text.source:
        notes.append("{label} is replaced by each answer's label, already translated: keep it")
    return "\n".join(notes)


def _header(po: polib.POFile, guide: Guide, code: str | None) -> None:
    po.header = f"Translations of {guide.text(guide.title, guide.default_language)}"
    po.metadata = {
        "Project-Id-Version": guide.form_id,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if code:
        po.metadata["Language"] = code


def template(guide: Guide) -> polib.POFile:
    """The gettext template (.pot) of every translatable text, in document order."""
    pot = polib.POFile(wrapwidth=79)
    _header(pot, guide, None)
    for text in iter_texts(guide):
        pot.append(
            polib.POEntry(
                msgctxt=text.context, msgid=text.source, msgstr="", comment=_comment(guide, text)
            )
        )
    return pot


def merge(pot: polib.POFile, old: polib.POFile | None, guide: Guide, code: str) -> polib.POFile:
    """The language's catalogue brought up to date with the template: new texts added empty;
    texts whose English changed keep their old translation, marked fuzzy with the previous
    English; texts gone from the guide kept as obsolete entries."""
    existing = {e.msgctxt: e for e in old or [] if not e.obsolete}
    out = polib.POFile(wrapwidth=79)
    _header(out, guide, code)
    for entry in pot:
        new = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="", comment=entry.comment)
        previous = existing.pop(entry.msgctxt, None)
        if previous is not None:
            new.msgstr = previous.msgstr
            new.flags = [f for f in previous.flags if f == "fuzzy"]
            if previous.msgid != entry.msgid and previous.msgstr:
                new.flags = ["fuzzy"]
                new.previous_msgid = previous.msgid
            elif "fuzzy" in new.flags:
                new.previous_msgid = previous.previous_msgid
        out.append(new)
    gone = list(existing.values()) + [e for e in old or [] if e.obsolete]
    for entry in sorted(gone, key=lambda e: (e.msgctxt or "", e.msgid)):
        if entry.msgstr:
            entry.obsolete = True
            out.append(entry)
    return out


def coverage(po: polib.POFile, code: str) -> Coverage:
    """Counts of a language's catalogue: translated (current), fuzzy, and the total."""
    live = [e for e in po if not e.obsolete]
    fuzzy = sum(1 for e in live if "fuzzy" in e.flags)
    translated = sum(1 for e in live if e.msgstr and "fuzzy" not in e.flags)
    return Coverage(code, len(live), translated, fuzzy)


def update_catalogues(source_dir: Path, guide: Guide, write: bool = True) -> list[Coverage]:
    """Write messages.pot and merge it into every language's .po; return coverage per language."""
    pot = template(guide)
    results = []
    locale = source_dir / LOCALE_DIR
    if write:
        locale.mkdir(parents=True, exist_ok=True)
        _save(pot, locale / "messages.pot")
    for lang in guide.languages:
        if lang.code == guide.default_language:
            continue
        path = po_path(source_dir, lang.code)
        old = _read_po(path, str(path)) if path.is_file() else None
        merged = merge(pot, old, guide, lang.code)
        if write:
            _save(merged, path)
        results.append(coverage(merged, lang.code))
    return results


def _save(po: polib.POFile, path: Path) -> None:
    from .xlsx_files import write_atomic

    write_atomic(path, (str(po).rstrip("\n") + "\n").encode("utf-8"))
