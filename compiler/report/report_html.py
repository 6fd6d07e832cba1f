"""The report as one self-contained HTML page, built with lxml from `report_data`.

Accessible as well as printable: the page has its language, one h1 and real section headings,
tables have captions and header cells with scopes, each chart is an inline SVG with role="img",
a <title> and a <desc> giving every value in words (and the rights x groups view is a real
table whose cells carry their numbers, not only a colour). The print style sheet
`templates/report.css` is inlined, so the file opens and prints offline.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from lxml import html

from ..html_elements import Element, set_tail, set_text
from ..html_elements import element as _el

CSS_FILE = Path(__file__).parent / "templates" / "report.css"
SVG = "http://www.w3.org/2000/svg"
LEVEL_FILL = {
    "low": "#fde0d2",
    "moderate": "#f9a982",
    "high": "#ea6446",
    "severe": "#b0201e",
    "plain": "#3f6a9a",
    "none": "#ffffff",
}
CHART_WIDTH = 680
LABEL_WIDTH = 250
VALUE_WIDTH = 50
LABEL_CHARS = 36  # characters per label line at 12px in LABEL_WIDTH
LINE = 14



def _num(value: float) -> str:
    """A coordinate with at most 2 decimals, always written the same way."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Writer:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.w: dict[str, Any] = doc["words"]
        self.figures = 0

    def page(self) -> Element:
        doc = self.doc
        root = _el(None, "html", lang=doc["lang"])
        head = _el(root, "head")
        _el(head, "meta", charset="utf-8")
        _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        _el(head, "title", f"{doc['title']} \u2014 {doc['kind']}")
        _el(head, "style", CSS_FILE.read_text(encoding="utf-8"))
        body = _el(root, "body")
        header = _el(body, "header", class_="title-page")
        _el(header, "p", doc["kind"], class_="kind")
        _el(header, "h1", doc["title"])
        facts = _el(header, "dl", class_="facts")
        for term, value in doc["facts"]:
            _el(facts, "dt", term)
            _el(facts, "dd", value)
        nav = _el(header, "nav", aria_labelledby="contents")
        _el(nav, "h2", self.w["contents"], id="contents")
        entries = _el(nav, "ol")
        for section in doc["sections"]:
            _el(_el(entries, "li"), "a", section["title"], href=f"#{section['id']}")
        main = _el(body, "main")
        for section in doc["sections"]:
            box = _el(main, "section", id=section["id"], aria_labelledby=f"{section['id']}-title",
                      class_=f"section {section['id']}")  # fmt: skip
            _el(box, "h2", section["title"], id=f"{section['id']}-title")
            for block in section["blocks"]:
                self.block(box, block)
        return root

    def block(self, parent: Element, b: dict[str, Any]) -> None:
        kind = b["kind"]
        if kind == "text":
            _el(parent, "p", b["text"])
        elif kind == "callout":
            _el(_el(parent, "p", class_="callout"), "strong", b["text"])
        elif kind == "subheading":
            _el(parent, "h3", b["text"])
        elif kind == "quote":
            _el(parent, "p", b["title"], class_="quote-title")
            _el(parent, "blockquote", b["text"])
        elif kind == "table":
            self.table(parent, b)
        elif kind == "bars":
            self.bars(parent, b)
        elif kind == "heat":
            self.heat(parent, b)
        elif kind == "list":
            items = _el(parent, "ul")
            for text in b["items"]:
                _el(items, "li", text)
        elif kind == "definitions":
            self.definitions(parent, b)

    def table(self, parent: Element, b: dict[str, Any]) -> None:
        if b["caption"]:
            _el(parent, "h3", b["caption"])
        table = _el(parent, "table", class_="data")
        if b["caption"]:
            _el(table, "caption", b["caption"], class_="visually-hidden")
        row = _el(_el(table, "thead"), "tr")
        for text, numeric in zip(b["header"], b["numeric"], strict=True):
            _el(row, "th", text, scope="col", class_="num" if numeric else "text")
        body = _el(table, "tbody")
        links = b.get("links") or [None] * len(b["rows"])
        for cells, link in zip(b["rows"], links, strict=True):
            row = _el(body, "tr")
            for index, (text, numeric) in enumerate(zip(cells, b["numeric"], strict=True)):
                attrs = {"class_": "num" if numeric else "text"}
                if index == 0 and link:
                    _el(_el(row, "th", scope="row", **attrs), "a", text, href=f"dossiers/{link}.html")
                elif index == 0:
                    _el(row, "th", text, scope="row", **attrs)
                else:
                    _el(row, "td", text, **attrs)

    def chart_ids(self) -> tuple[str, str]:
        self.figures += 1
        return f"chart-{self.figures}-title", f"chart-{self.figures}-desc"

    def bars(self, parent: Element, b: dict[str, Any]) -> None:
        figure = _el(parent, "figure", class_="chart")
        title_id, desc_id = self.chart_ids()
        bar_x, bar_w = LABEL_WIDTH + 10, CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
        rows = [textwrap.wrap(bar["label"], LABEL_CHARS) or [""] for bar in b["bars"]]
        heights = [max(22, LINE * len(lines) + 8) for lines in rows]
        ticks = b["ticks"]
        total = sum(heights) + (22 if len(ticks) > 1 else 4)
        svg = _el(None, "svg", xmlns=SVG)
        figure.append(svg)
        for key, value in (("viewBox", f"0 0 {CHART_WIDTH} {total}"), ("width", str(CHART_WIDTH)),
                           ("height", str(total)), ("role", "img"),
                           ("aria-labelledby", f"{title_id} {desc_id}")):  # fmt: skip
            svg.set(key, value)
        _el(svg, "title", b["title"], id=title_id)
        _el(svg, "desc", b["alt"], id=desc_id)
        height = sum(heights)
        if len(ticks) > 1:
            for i, tick in enumerate(ticks):
                x = bar_x + bar_w * i / (len(ticks) - 1)
                _el(svg, "line", x1=_num(x), x2=_num(x), y1="0", y2=_num(height),
                    stroke="#cccccc", stroke_width="0.6")  # fmt: skip
                _el(svg, "text", tick, x=_num(x), y=_num(height + 15), text_anchor="middle",
                    class_="tick")  # fmt: skip
        y = 0.0
        for bar, lines, h in zip(b["bars"], rows, heights, strict=True):
            middle = y + h / 2
            label = _el(svg, "text", x=str(LABEL_WIDTH), text_anchor="end", class_="label")
            first = middle - (len(lines) - 1) * LINE / 2 + 4
            for i, line in enumerate(lines):
                _el(label, "tspan", line, x=str(LABEL_WIDTH), y=_num(first + i * LINE))
            if bar["fraction"] > 0:
                _el(svg, "rect", x=str(bar_x), y=_num(middle - 8), height="16",
                    width=_num(bar_w * min(bar["fraction"], 1.0)), fill=LEVEL_FILL[bar["level"]],
                    stroke="#777777", stroke_width="0.6")  # fmt: skip
            _el(svg, "text", bar["text"], x=str(bar_x + bar_w + 8), y=_num(middle + 4),
                class_="value")  # fmt: skip
            y += h
        _el(figure, "figcaption", b["title"])

    def heat(self, parent: Element, b: dict[str, Any]) -> None:
        figure = _el(parent, "figure", class_="heat")
        table = _el(figure, "table", class_="heat")
        _el(table, "caption", b["title"])
        row = _el(_el(table, "thead"), "tr")
        _el(row, "th", b["corner"], scope="col")
        for column in b["columns"]:
            _el(row, "th", column, scope="col")
        body = _el(table, "tbody")
        for entry in b["rows"]:
            row = _el(body, "tr")
            _el(row, "th", entry["label"], scope="row")
            for cell in entry["cells"]:
                _el(row, "td", cell["text"], class_=f"level-{cell['level']}")
        legend = _el(figure, "figcaption", self.w["legend"] + ": ", class_="legend")
        for level, words in self.w["levels"]:
            swatch = _el(legend, "span", "\u00a0", class_=f"swatch level-{level}", aria_hidden="true")
            set_tail(swatch, f" {words} ")

    def definitions(self, parent: Element, b: dict[str, Any]) -> None:
        items = _el(parent, "dl", class_="definitions")
        for item in b["items"]:
            _el(items, "dt", item["term"])
            dd = _el(items, "dd")
            for title, text in item["facts"]:
                line = _el(dd, "p")
                if title:
                    sep = " " if title.endswith(("?", ":")) else ": "  # a question: no ": "
                    set_tail(_el(line, "em", title), sep + text)
                else:
                    set_text(line, text)


def report_html_bytes(document: dict[str, Any]) -> bytes:
    """The report of one language (a `report_document` dict) as HTML bytes."""
    root = _Writer(document).page()
    return html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8", method="html") + b"\n"
