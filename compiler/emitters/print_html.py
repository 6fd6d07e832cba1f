"""The printed form as one self-contained HTML page, built with lxml from `print_data`.

Accessible as well as printable: the page has its language, real headings, every answer space
is a form control with a <label>, choice questions are <fieldset>s with a <legend>. The print
style sheet `templates/print.css` is inlined, so the file opens and prints offline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import html

from ..html_elements import Element, set_tail, set_text
from ..html_elements import element as _el

CSS_FILE = Path(__file__).parent / "templates" / "print.css"



def _css_string(text: str) -> str:
    """text as a CSS string literal; everything but ASCII letters and digits hex-escaped, so
    guide text can never close the string or the style element. Each escape ends with the one
    space CSS reads as its end (a space after an escape is otherwise swallowed: 'Form:right_guide')."""
    out = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):x} " for c in text)
    return f'"{out}"'


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


class _Writer:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.words: dict[str, Any] = doc["words"]

    def page(self) -> Element:
        doc, w = self.doc, self.words
        root = _el(None, "html", lang=doc["lang"])
        head = _el(root, "head")
        _el(head, "meta", charset="utf-8")
        _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        _el(head, "title", f"{doc['title']} ({doc['language']})")
        c = w["colon"]
        running = (
            f"{w['form_id']}{c} {doc['form_id']} \u00b7 {w['version']}{c} {doc['version']} \u00b7 "
            f"{w['language']}{c} {doc['language']} ({doc['lang']})"
        )
        footer = (
            "@page {\n"
            f"  @bottom-left {{ content: {_css_string(running)}; }}\n"
            f"  @bottom-right {{ content: {_css_string(w['page'] + ' ')} counter(page) "
            f"{_css_string(' ' + w['of'] + ' ')} counter(pages); }}\n}}\n"
        )
        _el(head, "style", CSS_FILE.read_text(encoding="utf-8") + footer)
        body = _el(root, "body")
        _el(body, "p", running, class_="running")
        self.cover(_el(body, "header", class_="cover"))
        main = _el(body, "main")
        for section in doc["sections"]:
            self.block(main, section, "")
        _el(main, "p", w["end"], class_="end")
        if doc["scores"]:
            self.scoring(_el(body, "section", class_="scoring", aria_labelledby="scoring"))
        return root

    def cover(self, header: Element) -> None:
        doc, w = self.doc, self.words
        _el(header, "h1", doc["title"])
        facts = _el(header, "dl", class_="facts")
        rows = [
            (w["form_id"], doc["form_id"]),
            (w["version"], doc["version"]),
            (w["language"], f"{doc['language']} ({doc['lang']})"),
        ]
        if doc["printed"]:
            rows.append((w["printed"], doc["printed"]))
        for term, value in rows:
            _el(facts, "dt", term)
            _el(facts, "dd", value)
        _el(header, "h2", w["fields"])
        for index, field in enumerate(doc["cover_fields"], start=1):
            line = _el(header, "p", class_="field")
            _el(line, "label", field, for_=f"cover-{index}")
            _el(line, "input", type="text", id=f"cover-{index}", name=f"cover-{index}")
        safety = _el(header, "aside", class_="safety")
        _el(safety, "h2", w["safety_title"])
        for paragraph in w["safety"]:
            _el(safety, "p", paragraph)
        _el(header, "h2", w["how_title"])
        for paragraph in w["how"]:
            _el(header, "p", paragraph)

    def rule(self, parent: Element, text: str) -> None:
        if text:
            _el(parent, "p", text, class_="rule")

    def block(self, parent: Element, block: dict[str, Any], suffix: str) -> None:
        kind = block["kind"]
        if kind == "question":
            self.question(parent, block, suffix)
        elif kind == "grid":
            self.grid(parent, block, suffix)
        elif kind == "note":
            box = _el(parent, "div", class_="note")
            _el(box, "p", block["text"])
            self.rule(box, block["skip"])
        else:
            self.container(parent, block, suffix)

    def grid(self, parent: Element, grid: dict[str, Any], suffix: str) -> None:
        """Groups of one template as a table: a row per group, a column (A, B…) per question;
        each cell a fieldset whose legend holds the whole question for screen readers."""
        box = _el(parent, "div", class_="grid")
        for column in grid["columns"]:
            _el(box, "p", f"{column['letter']}. {column['header']}", class_="grid-header")
            if column["hint"]:
                _el(box, "p", column["hint"], class_="hint")
        for note in grid["notes"]:
            self.rule(box, note)
        table = _el(box, "table")
        head = _el(_el(table, "thead"), "tr")
        _el(head, "td")
        for column in grid["columns"]:
            _el(head, "th", column["letter"], scope="col")
        body = _el(table, "tbody")
        for row in grid["rows"]:
            line = _el(body, "tr")
            header = _el(line, "th", row["label"], scope="row")
            self.rule(header, row["skip"])
            for cell, column in zip(row["cells"], grid["columns"], strict=True):
                ident = "q-" + _slug(cell["number"] or cell["label"]) + suffix
                fieldset = _el(_el(line, "td"), "fieldset", class_="cell", id=ident)
                legend = _el(fieldset, "legend")
                number = _el(legend, "span", cell["number"], class_="number")
                number.tail = " "
                _el(legend, "span", cell["label"], class_="visually-hidden")
                self.rule(fieldset, cell["skip"])
                self.choices(fieldset, column["choices"], "radio", ident)

    def choices(
        self, parent: Element, choices: list[dict[str, str]], control: str, ident: str
    ) -> None:
        items = _el(parent, "ul", class_="choices")
        for choice in choices:
            entry = _el(items, "li")
            cid = f"{ident}-{_slug(choice['code'])}"
            _el(entry, "input", type=control, id=cid, name=ident, value=choice["code"])
            label = _el(entry, "label", choice["label"] + " ", for_=cid)
            _el(label, "code", choice["code"])

    def container(self, parent: Element, block: dict[str, Any], suffix: str) -> None:
        level = min(block["level"] + 1, 6)
        section = _el(parent, "section", class_=block["kind"] + (" part" if level == 2 else ""))
        _el(section, f"h{level}", block["title"])
        if block["intro"]:
            _el(section, "p", block["intro"], class_="intro")
        if block["hint"]:
            _el(section, "p", block["hint"], class_="hint")
        self.rule(section, block["skip"])
        if block["kind"] != "repeat":
            for child in block["children"]:
                self.block(section, child, suffix)
            return
        _el(section, "p", block["note"], class_="copy-note")
        copies = block["copies"]
        for index in range(1, copies + 1):
            record = _el(section, "section", class_="record")
            title = f"{block['title']} \u2014 {block['record']} {index} / {copies}"
            _el(record, f"h{min(level + 1, 6)}", title)
            for child in block["children"]:
                self.block(record, child, f"{suffix}-r{index}")
            if block["record_scores"]:
                scores = _el(record, "div", class_="record-scores")
                _el(scores, "p", block["score_note"], class_="instruction")
                for number, label in enumerate(block["record_scores"], start=1):
                    sid = f"{_slug(block['title'])}{suffix}-r{index}-score-{number}"
                    line = _el(scores, "p", class_="field")
                    _el(line, "label", label, for_=sid)
                    _el(line, "input", type="text", id=sid, name=sid)

    def question(self, parent: Element, q: dict[str, Any], suffix: str) -> None:
        answer = q["answer"]
        ident = "q-" + _slug(q["number"] or q["label"]) + suffix
        if answer["type"] == "choices":
            box = _el(parent, "fieldset", class_="question", id=ident)
            heading = _el(box, "legend")
        else:
            box = _el(parent, "div", class_="question", id=ident)
            heading = _el(box, "label", for_=ident + "-answer")
        number = _el(heading, "span", q["number"], class_="number")
        set_tail(number, " ")
        label = _el(heading, "span", q["label"], class_="label")
        if q["required"]:
            set_text(label, q["label"] + " ")
            _el(label, "abbr", "*", class_="required", title=self.words["required"])
        if q["hint"]:
            _el(box, "p", q["hint"], class_="hint")
        self.rule(box, q["skip"])
        self.rule(box, q["constraint"])
        self.answer(box, answer, ident)
        for sentence in q["goto"]:
            self.rule(box, sentence)

    def answer(self, box: Element, answer: dict[str, Any], ident: str) -> None:
        kind = answer["type"]
        if kind == "choices":
            if answer["instruction"]:
                _el(box, "p", answer["instruction"], class_="instruction")
            # one column, read down, like the PDF: a scale reads in its order
            self.choices(box, answer["choices"], "checkbox" if answer["multiple"] else "radio", ident)
            return
        answer_id = ident + "-answer"
        if kind == "text":
            _el(box, "textarea", "", id=answer_id, name=ident, rows=str(answer["lines"]),
                style=f"--lines: {answer['lines']}")
        elif kind == "date":
            line = _el(box, "p", class_="date")
            _el(line, "input", type="text", id=answer_id, name=ident,
                placeholder=answer["format"], class_="date")
            _el(line, "span", answer["format"], class_="format")
        else:
            digits = answer["digits"]
            line = _el(box, "p", class_="number-answer")
            _el(line, "input", type="text", id=answer_id, name=ident, inputmode="decimal" if kind == "decimal" else "numeric",
                class_="digits", style=f"--digits: {digits}", aria_label=answer["caption"])
            if kind == "decimal":
                _el(line, "span", answer["separator"], class_="separator")
                _el(line, "input", type="text", id=answer_id + "-decimals", name=ident + "-decimals",
                    inputmode="numeric", class_="digits", style=f"--digits: {answer['decimals']}",
                    aria_label=answer["caption"])

    def scoring(self, section: Element) -> None:
        w = self.words
        _el(section, "h2", w["scoring_title"], id="scoring")
        _el(section, "p", w["scoring_intro"])
        current = None
        for index, score in enumerate(self.doc["scores"], start=1):
            if score["section"] != current:
                current = score["section"]
                _el(section, "h3", current)
            article = _el(section, "article", class_="score")
            _el(article, "h4", score["label"])
            if score["per_record"]:
                _el(article, "p", f"{w['per_record']}{w['colon']} {score['per_record']}", class_="per-record")
            if score["description"]:
                _el(article, "p", score["description"])
            self.fact(article, w["how_calculated"], score["formula"])
            if score["missing"]:
                self.fact(article, w["missing"], score["missing"])
            if score["results"]:
                _el(article, "p", w["results"] + w["colon"], class_="fact-title")
                results = _el(article, "ul", class_="results")
                for result in score["results"]:
                    item = _el(results, "li", result["label"] + " ")
                    _el(item, "code", result["code"])
            line = _el(article, "p", class_="field")
            _el(line, "label", w["score_value"], for_=f"score-{index}")
            _el(line, "input", type="text", id=f"score-{index}", name=f"score-{index}")
        if self.doc["tables"]:
            _el(section, "h3", w["tables_title"])
            _el(section, "p", w["tables_intro"])
            for table in self.doc["tables"]:
                body = _el(_el(section, "table", class_="data-table"), "tbody")
                for row in table["rows"]:
                    line = _el(body, "tr")
                    _el(line, "th", row["key"], scope="row")
                    items = _el(_el(line, "td"), "ul")
                    for value in row["values"]:
                        _el(items, "li", value)


    def fact(self, parent: Element, title: str, text: str) -> None:
        line = _el(parent, "p")
        strong = _el(line, "strong", title)
        set_tail(strong, self.words["colon"] + " " + text)


def html_bytes(document: dict[str, Any]) -> bytes:
    """The printed form of one language (a `print_document` dict) as HTML bytes."""
    root = _Writer(document).page()
    return html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8", method="html") + b"\n"
