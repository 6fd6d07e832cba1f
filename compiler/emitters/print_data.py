"""The printed form of one language as plain data: what the PDF template and the HTML writer lay out.

`print_document(guide, lang)` turns the guide into a JSON-able dict: the cover, the sections
with their numbered questions and answer spaces, skip rules and checks in words, repeats as
blank records, and a scoring appendix. Every string in it is final text in that language (or
English where a translation is missing); the layouts only place it, never compute it.
"""

from __future__ import annotations

from typing import Any

from ..expressions.ast import Number
from ..expressions.phrases import phrasebook
from ..expressions.words import (
    constraint_sentence,
    formula_sentence,
    goto_sentences,
    skip_rule_sentence,
)
from ..model import Guide, Item
from .print_phrases import print_phrases

PAPER_RECORDS = 3  # blank records printed for a repeat; copy the pages for more
DEFAULT_LINES = 2  # ruled lines for a text question without `lines`
DEFAULT_DIGITS = 6  # boxes for a number without a bound to size them
DECIMAL_PLACES = 2
TWO_COLUMNS_FROM = 6  # choice lists this long with short labels print in two columns
SHORT_LABEL = 38
PAGE_PER_RECORD_FROM = 6  # repeats with this many items start each blank record on a new page

Block = dict[str, Any]


def printed_date(version: str) -> str:
    """The fixed 'printed' date of a version like 2026112801: '2026-11-28'; '' when the version
    does not start with a date (the date must not change between rebuilds of one version)."""
    digits = version[:8]
    if len(digits) == 8 and digits.isdigit():
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def text_language(code: str) -> str:
    """The ISO 639 code a layout engine understands (hyphenation, quotes): 'sr' for 'sr-Latn';
    'en' when the guide's code is not one."""
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base.isascii() and base.isalpha() and 2 <= len(base) <= 3 else "en"


def print_document(guide: Guide, lang: str) -> dict[str, Any]:
    """The whole printed form in lang as a JSON-able dict (see the module docstring)."""
    words = print_phrases(lang)
    language = guide.language(lang)
    builder = _Builder(guide, lang, words)
    sections = [b for b in (builder.block(s, 1) for s in guide.sections) if b is not None]
    return {
        "lang": lang,
        "text_lang": text_language(lang),
        "language": language.name,
        "title": guide.text(guide.title, lang),
        "form_id": guide.form_id,
        "version": guide.version,
        "printed": printed_date(guide.version),
        "words": words,
        "cover_fields": [
            words["assessment_name"],
            words["interviewer"],
            words["date"],
            words["place"],
            words["respondent"],
        ],
        "sections": sections,
        "scores": [builder.score(item) for item in guide.scores()],
    }


class _Builder:
    def __init__(self, guide: Guide, lang: str, words: dict[str, Any]) -> None:
        self.guide = guide
        self.lang = lang
        self.words = words
        self.decimal = phrasebook(lang).decimal

    def text(self, item: Item, field: str) -> str:
        return self.guide.text(getattr(item, field), self.lang)

    def block(self, item: Item, level: int) -> Block | None:
        """The printed block of an item; None for what paper does not show (calculations,
        scores, groups with nothing printable)."""
        if item.is_container:
            return self.container(item, level)
        if item.is_question:
            return self.question(item)
        if item.type == "note":
            return {"kind": "note", "text": self.text(item, "label"), "skip": self.skip(item)}
        return None

    def skip(self, item: Item) -> str:
        return skip_rule_sentence(self.guide, item, self.lang) or ""

    def container(self, item: Item, level: int) -> Block | None:
        children = [b for b in (self.block(c, level + 1) for c in item.children) if b is not None]
        if not children:
            return None
        block: Block = {
            "kind": item.type,
            "level": min(level, 3),
            "title": self.text(item, "label"),
            "intro": self.text(item, "intro"),
            "hint": self.text(item, "hint"),
            "skip": self.skip(item),
            "children": children,
        }
        if item.type == "repeat":
            copies = PAPER_RECORDS
            if item.min_records and item.min_records < PAPER_RECORDS:
                copies = max(item.min_records, 2)
            note = str(self.words["records_note"]).format(n=copies)
            if item.min_records and item.min_records > copies:
                note += " " + str(self.words["records_min"]).format(min=item.min_records)
            block.update(
                copies=copies,
                note=note,
                record=self.words["record"],
                page_per_record=len(item.children) >= PAGE_PER_RECORD_FROM,
                record_scores=[
                    self.text(c, "label") for c in item.children if c.type == "score"
                ],
                score_note=self.words["record_score"],
            )
        return block

    def question(self, item: Item) -> Block:
        return {
            "kind": "question",
            "number": item.number or "",
            "label": self.text(item, "label"),
            "hint": self.text(item, "hint"),
            "required": item.required,
            "skip": self.skip(item),
            "constraint": constraint_sentence(self.guide, item, self.lang) or "",
            "goto": goto_sentences(self.guide, item, self.lang),
            "answer": self.answer(item),
        }

    def answer(self, item: Item) -> dict[str, Any]:
        if item.type in ("select_one", "select_multiple"):
            choice_list = self.guide.lists[item.list_name or ""]
            choices = [
                {"code": c.name, "label": self.guide.text(c.label, self.lang)}
                for c in choice_list.choices
            ]
            short = all(len(c["label"]) <= SHORT_LABEL for c in choices)
            multiple = item.type == "select_multiple"
            return {
                "type": "choices",
                "multiple": multiple,
                "instruction": self.words["all_that_apply" if multiple else "one_answer"],
                "columns": 2 if short and len(choices) >= TWO_COLUMNS_FROM else 1,
                "choices": choices,
            }
        if item.type == "integer":
            return {"type": "integer", "digits": _digits(item), "caption": self.words["number"]}
        if item.type == "decimal":
            return {
                "type": "decimal",
                "digits": _digits(item),
                "decimals": DECIMAL_PLACES,
                "separator": self.decimal,
                "caption": self.words["decimal_number"],
            }
        if item.type == "date":
            return {"type": "date", "format": self.words["date_format"]}
        return {"type": "text", "lines": max(item.lines or DEFAULT_LINES, 1)}

    def score(self, item: Item) -> Block:
        repeat = item.repeat
        results: list[dict[str, str]] = []
        if item.result_list and item.result_list in self.guide.lists:
            results = [
                {"code": c.name, "label": self.guide.text(c.label, self.lang)}
                for c in self.guide.lists[item.result_list].choices
            ]
        return {
            "label": self.text(item, "label"),
            "description": self.text(item, "description"),
            "formula": formula_sentence(self.guide, item, self.lang) or "",
            "missing": self.text(item, "missing"),
            "per_record": self.text(repeat, "label") if repeat is not None else "",
            "section": self.text(_section_of(item), "label"),
            "results": results,
        }


def _section_of(item: Item) -> Item:
    ancestors = list(item.ancestors())
    return ancestors[-1] if ancestors else item


def _digits(item: Item) -> int:
    """Boxes for a number: enough for the largest bound in its constraint, else a default."""
    if item.constraint is None or item.constraint.tree is None:
        return DEFAULT_DIGITS
    bounds = [abs(n.value) for n in item.constraint.tree.walk() if isinstance(n, Number)]
    if not bounds:
        return DEFAULT_DIGITS
    return min(max(len(str(int(max(bounds)))), 2), 12)
