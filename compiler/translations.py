"""Translations in gettext files: guide_source/locale/<code>.po, one per language.

The English text in the YAML is the msgid; msgctxt is a stable place in the guide
(e.g. 'qs_measure.label', 'choices.yes_no.yes'), so translators see where a string is used
and a changed English text is recognised as the same entry, marked fuzzy rather than lost.

`rightguide translations` (compiler/cli_translations.py) writes locale/messages.pot and merges it
into every language's .po with `update_catalogues`; `load_translations` reads the current
translations into the guide, never showing a stale one (fuzzy, or made for other English).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .diagnostics import Diagnostics, Location, UserError
from .model import Guide, Item, Text

LOCALE_DIR = "locale"
TEMPLATE_NAME = "messages.pot"
WRAP_WIDTH = 79
TEXT_FIELDS = ("label", "hint", "intro", "constraint_message", "description", "missing")
_FIELD_NAMES = {"constraint_message": "message when the answer is not accepted"}
# Fixed so that a rerun writes the same bytes; the version control history has the real dates.
FIXED_DATE = "2026-01-01 00:00+0000"


@dataclass
class _Place:
    """One translatable text with every item that uses it (several for a for_each template)."""

    text: Text
    field: str
    items: list[Item] = field(default_factory=list)


def _places(guide: Guide) -> list[_Place]:
    """Every translatable text once, in document order, with the items that show it."""
    found: dict[str, _Place] = {}

    def add(text: Text | None, attr: str, item: Item | None) -> None:
        if text is None:
            return
        place = found.setdefault(text.context, _Place(text, attr))
        if item is not None:
            place.items.append(item)

    for form in guide.all_forms():  # one catalogue for every form of the source
        add(form.title, "title", None)
        for item in form.walk():
            for attr in TEXT_FIELDS:
                add(getattr(item, attr), attr, item)
    for choice_list in guide.lists.values():
        for choice in choice_list.choices:
            add(choice.label, "choice", None)
    return list(found.values())


def iter_texts(guide: Guide) -> Iterator[Text]:
    """Every translatable text of the guide once, in document order (templates once)."""
    for place in _places(guide):
        yield Text(place.text.source, place.text.context)


def po_path(source_dir: Path, code: str) -> Path:
    """The catalogue file of one language: <source>/locale/<code>.po."""
    return source_dir / LOCALE_DIR / f"{code}.po"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:  # outside the current directory: as given
            return str(path)
    return str(path)


_LINE = re.compile(r"\(line (\d+)\)")
# A keyword line or a continuation line: one complete quoted string. polib silently accepts
# an unclosed quote (it drops the last character), so a translation would be cut unnoticed.
_PO_STRING_LINE = re.compile(
    r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"\s*'
)


def _check_quoting(text: str, display: str) -> None:
    """Refuse a .po line whose string is not one properly closed quoted string (other syntax
    errors are polib's to report)."""
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.strip()
        if content.startswith("#~"):
            content = content[2:].strip()  # obsolete entries keep the same syntax
        elif content.startswith("#"):
            continue
        if content.startswith(('"', "msg")) and not _PO_STRING_LINE.fullmatch(content):
            raise UserError(
                f"{display}:{number}: cannot read translations: the text is not one quoted "
                'string (an unclosed or stray "); fix that line'
            )


def read_po(path: Path) -> polib.POFile:
    """Parse a .po file; a syntax or encoding error becomes one UserError line with file:line."""
    display = display_path(path)
    try:
        _check_quoting(path.read_bytes().decode("utf-8"), display)
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=WRAP_WIDTH)
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{display}: cannot read translations: not UTF-8 text (byte {exc.start}); "
            "save the file as UTF-8"
        ) from None
    except (OSError, ValueError) as exc:
        line = _LINE.search(str(exc))
        if line:
            raise UserError(
                f"{display}:{line.group(1)}: cannot read translations: gettext syntax error; "
                "fix that line (or delete the file and run 'rightguide translations')"
            ) from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"{display}: cannot read translations: {reason}") from None


def load_translations(
    source_dir: Path, guide: Guide, diags: Diagnostics
) -> dict[str, dict[str, str]]:
    """Translated, current (non-fuzzy, same English) strings by language and context.

    Missing and stale translations are reported as one warning per language; those texts fall
    back to English (a stale translation is never shown)."""
    current = {t.context: t.source for t in iter_texts(guide)}
    out: dict[str, dict[str, str]] = {}
    for lang in guide.languages:
        if lang.code == guide.default_language:
            continue
        path = po_path(source_dir, lang.code)
        table: dict[str, str] = {}
        stale: list[str] = []
        lines: dict[str, int] = {}  # where each current entry is in the .po
        if path.is_file():
            for entry in read_po(path):
                if not entry.obsolete and entry.msgctxt in current:
                    lines[entry.msgctxt] = entry.linenum
                if entry.obsolete or not entry.msgstr or entry.msgctxt not in current:
                    continue
                if "fuzzy" in entry.flags or current[entry.msgctxt] != entry.msgid:
                    stale.append(entry.msgctxt)
                else:
                    table[entry.msgctxt] = entry.msgstr
        out[lang.code] = table
        stale = [c for c in stale if c not in table]
        missing = [c for c in current if c not in table and c not in stale]
        if missing or stale:
            parts = []
            if missing:
                parts.append(f"{_count(len(missing), 'text')} not translated to {lang.name}")
            if stale:
                what = (
                    str(len(stale)) if missing else _count(len(stale), f"{lang.name} translation")
                )
                parts.append(f"{what} out of date (fuzzy)")
            untranslated = set(missing) | set(stale)
            first = next(c for c in current if c in untranslated)
            diags.warning(
                _untranslated_at(guide, path, first, lines),
                f"{' and '.join(parts)} (first: '{first}'); "
                "run 'rightguide translations' and translate them",
            )
    return out


def _untranslated_at(guide: Guide, path: Path, context: str, lines: dict[str, int]) -> Location:
    """Where to act on an untranslated text: its entry in the .po file (line:column), or,
    when the .po has no entry for it yet, the text in the guide source."""
    if context in lines:
        return Location(display_path(path), lines[context], 1)
    for place in _places(guide):
        if place.text.context != context:
            continue
        if place.items:
            return place.items[0].at(place.field)
        list_name = context.split(".")[1] if context.startswith("choices.") else None
        if list_name in guide.lists:
            return guide.lists[list_name].location
    return Location(display_path(path))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


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

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def _where(place: _Place) -> str:
    """Where a text is shown, for the translator: 'Question QS.3 (has_measure): hint'."""
    what = _FIELD_NAMES.get(place.field, place.field)
    context = place.text.context
    if place.field == "title":
        return "Title of the guide"
    if place.field == "choice":
        _, list_name, name = context.split(".", 2)
        return f"Answer '{name}' in the answer list '{list_name}'"
    item_name = context.rpartition(".")[0]
    items = place.items
    first = items[0] if items else None
    kind = first.type if first else "item"
    if kind == "group":
        kind = "section" if first is not None and first.parent is None else "group"
    elif kind not in ("score", "note", "repeat", "calculate"):
        kind = "question"
    numbers = list(dict.fromkeys(i.number or i.code for i in items if i.number or i.code))
    label = kind.capitalize() + ("s" if len(items) > 1 else "")
    if numbers:
        label += " " + ", ".join(numbers)
    return f"{label} ({item_name}): {what}"


def _comment(place: _Place) -> str:
    """Translator notes: where the text is used, and what each {placeholder} becomes."""
    notes = [_where(place)]
    for key, value in place.text.params:
        if "{" + key + "}" not in place.text.source:
            continue
        list_name = value.context.split(".")[1] if value.context.startswith("choices.") else ""
        source = f" of the list '{list_name}'" if list_name else ""
        notes.append(
            f"{{{key}}} is replaced by each answer's label{source} (e.g. '{value.source}'), "
            f"already translated: keep {{{key}}} as it is"
        )
    return "\n".join(notes)


_TRANSLATOR_FIELDS = ("Last-Translator", "Language-Team", "Plural-Forms")


def _header(po: polib.POFile, guide: Guide, code: str | None, old: polib.POFile | None) -> None:
    """Fixed headers (no changing dates); the translator's own fields are kept from old."""
    name = guide.language(code).name if code else "every language"
    po.header = (
        f"{name} translations of '{guide.text(guide.title, guide.default_language)}'.\n"
        "Written by 'rightguide translations': translate the msgstr lines; when the English "
        "changes,\nthe entry is marked fuzzy and shows the previous English (#| msgid)."
    )
    po.metadata = {
        "Project-Id-Version": guide.form_id,
        "POT-Creation-Date": FIXED_DATE,
        "PO-Revision-Date": FIXED_DATE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if code:
        po.metadata["Language"] = code
    for key in _TRANSLATOR_FIELDS:
        if old is not None and old.metadata.get(key):
            po.metadata[key] = old.metadata[key]


def template(guide: Guide) -> polib.POFile:
    """The gettext template (.pot) of every translatable text, in document order."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    _header(pot, guide, None, None)
    for place in _places(guide):
        pot.append(
            polib.POEntry(
                msgctxt=place.text.context,
                msgid=place.text.source,
                msgstr="",
                comment=_comment(place),
            )
        )
    return pot


def merge(pot: polib.POFile, old: polib.POFile | None, guide: Guide, code: str) -> polib.POFile:
    """The language's catalogue brought up to date with the template: new texts added empty;
    texts whose English changed keep their old translation, marked fuzzy with the previous
    English; texts gone from the guide kept as obsolete (#~) entries, and revived if they
    come back."""
    entries = list(old or [])
    live = {e.msgctxt: e for e in entries if not e.obsolete}
    obsolete = {e.msgctxt: e for e in entries if e.obsolete}
    out = polib.POFile(wrapwidth=WRAP_WIDTH)
    _header(out, guide, code, old)
    for entry in pot:
        new = polib.POEntry(
            msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="", comment=entry.comment
        )
        previous = live.pop(entry.msgctxt, None) or obsolete.pop(entry.msgctxt, None)
        if previous is not None and previous.msgstr:
            new.msgstr = previous.msgstr
            new.tcomment = previous.tcomment
            if previous.msgid != entry.msgid:
                new.flags = ["fuzzy"]
                new.previous_msgid = previous.msgid
            elif "fuzzy" in previous.flags:
                new.flags = ["fuzzy"]
                new.previous_msgid = previous.previous_msgid
        out.append(new)
    gone = [e for e in list(live.values()) + list(obsolete.values()) if e.msgstr]
    for entry in sorted(gone, key=lambda e: (e.msgctxt or "", e.msgid)):
        out.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                tcomment=entry.tcomment,
                obsolete=True,
            )
        )
    return out


def coverage(po: polib.POFile, code: str) -> Coverage:
    """Counts of a language's catalogue: translated (current), fuzzy, and the total."""
    live = [e for e in po if not e.obsolete]
    fuzzy = sum(1 for e in live if e.msgstr and "fuzzy" in e.flags)
    translated = sum(1 for e in live if e.msgstr and "fuzzy" not in e.flags)
    return Coverage(code, len(live), translated, fuzzy)


def po_text(po: polib.POFile) -> bytes:
    """The exact bytes written for a catalogue (one final newline)."""
    return (str(po).rstrip("\n") + "\n").encode("utf-8")


def update_catalogues(source_dir: Path, guide: Guide, write: bool = True) -> list[Coverage]:
    """Write messages.pot and merge it into every language's .po; return coverage per language.

    With write=False nothing is written: the coverage is what the files would hold."""
    from .xlsx_files import write_atomic

    pot = template(guide)
    results = []
    locale = source_dir / LOCALE_DIR
    if write:
        locale.mkdir(parents=True, exist_ok=True)
        write_atomic(locale / TEMPLATE_NAME, po_text(pot))
    for lang in guide.languages:
        if lang.code == guide.default_language:
            continue
        path = po_path(source_dir, lang.code)
        old = read_po(path) if path.is_file() else None
        merged = merge(pot, old, guide, lang.code)
        if write:
            write_atomic(path, po_text(merged))
        results.append(coverage(merged, lang.code))
    return results
