"""The printed form of one language as plain data: what the PDF template and the HTML writer lay out.

`print_document(guide, lang)` turns the guide into a JSON-able dict: the cover, the sections
with their numbered questions and answer spaces, skip rules and checks in words, repeats as
blank records, and a scoring appendix. Every string in it is final text in that language (or
English where a translation is missing); the layouts only place it, never compute it.
"""

from __future__ import annotations

import re
from typing import Any

from ..expressions.ast import Binary, Ref, String
from ..expressions.phrases import phrasebook
from ..expressions.words import (
    WordsGenerator,
    constraint_sentence,
    formula_sentence,
    goto_sentences,
    helper_name,
    is_plain_constraint,
    named_helpers,
    number_bounds,
    skip_rule_sentence,
)
from ..model import Guide, Item, Table, Text
from .print_phrases import print_phrases

PAPER_RECORDS = 3  # blank records printed for a repeat; copy the pages for more
DEFAULT_LINES = 2  # ruled lines for a text question without `lines`
MAX_DIGITS = 12  # boxes for a number without an upper bound: room for a national budget
MIN_DIGITS = 2
DECIMAL_PLACES = 2
PAGE_PER_RECORD_FROM = 6  # repeats with this many items start each blank record on a new page

ALL_THAT_APPLY = re.compile(r"\s*(select|tick|choose|mark) all (that|which) apply", re.IGNORECASE)

TEMPLATE_HOLE = re.compile(r"[\s\u00a0\u202f]*[:\u2013\u2014-]?[\s\u00a0\u202f]*\{label\}")
GRID_FROM = 3  # this many groups of one template print as one grid

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
        "cover_fields": words["cover_fields"],
        "sections": sections,
        "scores": builder.scores(),
        "tables": [
            t for t in (builder.table(table) for table in guide.tables.values()) if t["rows"]
        ],
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

    def children(self, item: Item, level: int) -> list[Block]:
        """The printed blocks inside item; a run of groups made from one for_each template,
        asking only single-choice questions, becomes one grid (a row per group)."""
        blocks: list[Block] = []
        run: list[Item] = []
        for child in [*item.children, None]:
            if (
                child is not None
                and _grid_row(child)
                and (not run or _same_template(run[0], child))
            ):
                run.append(child)
                continue
            if len(run) >= GRID_FROM:
                blocks.append(self.grid(run))
            else:
                blocks += [b for b in (self.block(r, level + 1) for r in run) if b is not None]
            run = [child] if child is not None and _grid_row(child) else []
            if child is not None and not run:
                block = self.block(child, level + 1)
                if block is not None:
                    blocks.append(block)
        return blocks

    def grid(self, rows: list[Item]) -> Block:
        """Groups of one template as a table: a row per group, a column per question."""
        first = rows[0]
        columns = []
        for index, question in enumerate(_asked(first)):
            choice_list = self.guide.lists[question.list_name or ""]
            columns.append(
                {
                    "letter": chr(ord("A") + index),
                    "header": self.template_text(question.label),
                    "hint": self.text(question, "hint"),
                    "choices": [
                        {"code": c.name, "label": self.guide.text(c.label, self.lang)}
                        for c in choice_list.choices
                    ],
                }
            )
        notes = self.column_notes(rows, columns)
        printed_rows = []
        for row in rows:
            cells = []
            for index, question in enumerate(_asked(row)):
                generic = self.column_rule(rows, index) is not None
                cells.append(
                    {
                        "number": question.number or "",
                        "label": self.text(question, "label"),
                        "skip": "" if generic else self.skip(question),
                    }
                )
            printed_rows.append(
                {"label": self.text(row, "label"), "skip": self.skip(row), "cells": cells}
            )
        return {
            "kind": "grid",
            "columns": columns,
            "notes": notes,
            "rows": printed_rows,
        }

    def template_text(self, text: Text | None) -> str:
        """A for_each label without the part each row fills in: 'Does this exist for people
        affected by the measure?' for 'Does this exist …: {label}?'."""
        if text is None:
            return ""
        params = tuple((k, v) for k, v in text.params if k != "label")
        template = self.guide.text(Text(text.source, text.context, params), self.lang)
        return TEMPLATE_HOLE.sub("", template).strip()

    def column_rule(self, rows: list[Item], index: int) -> tuple[int, str] | None:
        """(other column, answer) when every row's question of column index is asked only if
        its row's question in the other column has that answer; None otherwise."""
        found: tuple[int, str] | None = None
        for row in rows:
            question = _asked(row)[index]
            tree = question.relevant.tree if question.relevant is not None else None
            if not (isinstance(tree, Binary) and tree.op == "=" and isinstance(tree.left, Ref)):
                return None
            names = [c.name for c in _asked(row)]
            if not isinstance(tree.right, String) or tree.left.name not in names:
                return None
            this = (names.index(tree.left.name), tree.right.value)
            if found is not None and this != found:
                return None
            found = this
        return found

    def column_notes(self, rows: list[Item], columns: list[dict[str, Any]]) -> list[str]:
        """'Answer B, C and D only if the answer to A is 'Yes'.': one line per shared rule."""
        by_rule: dict[tuple[int, str], list[str]] = {}
        for index, column in enumerate(columns):
            rule = self.column_rule(rows, index)
            if rule is not None:
                by_rule.setdefault(rule, []).append(column["letter"])
        notes = []
        book = phrasebook(self.lang)
        for (other, answer), letters in by_rule.items():
            last = letters[-1]
            joined = last if len(letters) == 1 else f"{', '.join(letters[:-1])} {book.conjunction('and', last)} {last}"
            choice = WordsGenerator(self.guide, self.lang).choice(answer, _asked(rows[0])[other].list_name)
            notes.append(
                str(self.words["grid_skip"]).format(column=joined, other=columns[other]["letter"], choice=choice)
            )
        return notes

    def container(self, item: Item, level: int) -> Block | None:
        children = self.children(item, level)
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
                record_scores=[self.text(c, "label") for c in item.children if c.type == "score"],
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
            "constraint": self.constraint(item),
            "goto": goto_sentences(self.guide, item, self.lang),
            "answer": self.answer(item),
        }

    def constraint(self, item: Item) -> str:
        """The check on an answer in words: bounds as words ('Between 1 and 200'); a rule
        that is a condition rather than bounds as the guide's own message for it, which says
        it better than the condition spelled out."""
        if item.constraint is None or item.constraint.tree is None:
            return ""
        if item.constraint_message is not None and not is_plain_constraint(item.constraint.tree):
            return self.text(item, "constraint_message")
        return constraint_sentence(self.guide, item, self.lang) or ""

    def hint_says_all_that_apply(self, item: Item) -> bool:
        """True when the guide's hint already tells to select all that apply (it is then not
        said twice). The English source decides, as every translation says the same."""
        return item.hint is not None and ALL_THAT_APPLY.match(item.hint.source) is not None

    def answer(self, item: Item) -> dict[str, Any]:
        if item.type in ("select_one", "select_multiple"):
            choice_list = self.guide.lists[item.list_name or ""]
            choices = [
                {"code": c.name, "label": self.guide.text(c.label, self.lang)}
                for c in choice_list.choices
            ]
            multiple = item.type == "select_multiple"
            return {
                "type": "choices",
                "multiple": multiple,
                "instruction": ""
                if multiple and self.hint_says_all_that_apply(item)
                else self.words["all_that_apply" if multiple else "one_answer"],
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

    def table(self, table: Table) -> Block:
        """A data table in words, a row per key with the labels of its values. Scores
        and skip rules name questions made from it; the table says what stands behind them."""
        keys = self.guide.lists.get(table.keys_list or "")
        values = self.guide.lists.get(table.values_list or "")
        if keys is None or values is None:
            return {"rows": []}
        rows = []
        for key in keys.choices:
            names = table.rows.get(key.name, [])
            labels = [
                self.guide.text(v.label, self.lang) for v in values.choices if v.name in names
            ]
            if labels:
                rows.append({"key": self.guide.text(key.label, self.lang), "values": labels})
        return {"rows": rows}

    def scores(self) -> list[Block]:
        """The scores in document order, with the helper calculations that formulas in words
        name (each with its own entry, so the name is explained once)."""
        helpers = {item.name for item in named_helpers(self.guide, self.lang)}
        return [self.score(i) for i in self.guide.walk() if i.type == "score" or i.name in helpers]

    def score(self, item: Item) -> Block:
        repeat = item.repeat
        results: list[dict[str, str]] = []
        if item.result_list and item.result_list in self.guide.lists:
            results = [
                {"code": c.name, "label": self.guide.text(c.label, self.lang)}
                for c in self.guide.lists[item.result_list].choices
            ]
        label = self.text(item, "label")
        if item.label is None:
            name = helper_name(self.guide, item, self.lang) or item.name
            label = name[:1].upper() + name[1:]
        return {
            "label": label,
            "description": self.text(item, "description"),
            "formula": formula_sentence(self.guide, item, self.lang) or "",
            "missing": self.text(item, "missing"),
            "per_record": self.text(repeat, "label") if repeat is not None else "",
            "section": self.text(_section_of(item), "label"),
            "results": results,
        }


def _asked(group: Item) -> list[Item]:
    """What paper shows of a group: its questions and notes (calculations are not printed)."""
    return [c for c in group.children if c.is_question or c.type == "note"]


def _grid_row(item: Item) -> bool:
    """A group that a grid can print as one row: single-choice questions only (calculations
    aside), no words of its own besides its label."""
    asked = _asked(item)
    return (
        item.type == "group"
        and item.intro is None
        and item.hint is None
        and bool(asked)
        and all(c.type == "select_one" and c.list_name for c in asked)
    )


def _same_template(a: Item, b: Item) -> bool:
    """True when two groups come from one for_each template: the same questions, lists and
    texts to translate, row by row."""
    if a.label is None or b.label is None or a.label.context != b.label.context:
        return False
    x_asked, y_asked = _asked(a), _asked(b)
    if len(x_asked) != len(y_asked):
        return False
    return all(
        x.list_name == y.list_name
        and x.label is not None
        and y.label is not None
        and x.label.context == y.label.context
        for x, y in zip(x_asked, y_asked, strict=True)
    )


def _section_of(item: Item) -> Item:
    ancestors = list(item.ancestors())
    return ancestors[-1] if ancestors else item


def _digits(item: Item) -> int:
    """Boxes for a number: enough for both bounds of its constraint (a sign box when it may be
    negative); MAX_DIGITS when a side is open (a budget has no upper bound)."""
    if item.constraint is None or item.constraint.tree is None:
        return MAX_DIGITS
    low, high = number_bounds(item.constraint.tree)
    if low is None or high is None:
        return MAX_DIGITS
    widest = max(len(str(int(abs(bound)))) + (1 if bound < 0 else 0) for bound in (low, high))
    return min(max(widest, MIN_DIGITS), MAX_DIGITS)
