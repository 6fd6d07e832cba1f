"""The form as the field tools see it (its XLSForm: groups, repeats, fields, labels, choices)
and a filled submission as a phone sends it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from compiler.emitters.xlsform import build_sheets
from compiler.model import Guide

# XLSForm types whose value is a number, a date or a date and time in a typed Kobo export
NUMBER_TYPES = ("integer", "decimal")
DATE_TYPES = ("date", "today")
DATETIME_TYPES = ("datetime", "start", "end")
_CONTAINER_TYPES = ("begin_group", "end_group", "begin_repeat", "end_repeat")


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str]  # XLSForm language name ("English (en)") -> label


@dataclass
class Node:
    """A row of the XLSForm survey: a group, a repeat or a field (question, calculate, note)."""

    name: str
    kind: str  # "group", "repeat" or "field"
    type: str = ""  # the XLSForm type word of a field: text, integer, select_one, calculate...
    labels: dict[str, str] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def label(self, lang: str | None) -> str:
        """The label in lang, or the name (XML headers, or no label in that language)."""
        return (self.labels.get(lang) if lang else None) or self.name

    def choice_label(self, value: str, lang: str | None) -> str:
        """A choice's label in lang, or the value itself (XML values, unknown choice)."""
        if not lang:
            return value
        for c in self.choices:
            if c.name == value:
                return c.labels.get(lang) or value
        return value


@dataclass
class Form:
    """The deployed form: id, version, title, languages (XLSForm names, default first)."""

    form_id: str
    version: str
    title: str
    languages: list[str]
    root: Node
    instance_name: bool = False  # the form sets meta/instanceName
    _memo: dict[tuple[str, int], Any] = field(default_factory=dict, repr=False, compare=False)

    def fields(self, section: Node) -> list[tuple[Node, tuple[Node, ...]]]:
        """(field, containers between section and field) of one table, in document order;
        fields of repeats inside it belong to those repeats' tables."""
        key = ("fields", id(section))
        if key not in self._memo:
            self._memo[key] = self._fields(section)
        return self._memo[key]

    def child_repeats(self, section: Node) -> list[tuple[Node, tuple[Node, ...]]]:
        """(repeat, groups between section and repeat) directly inside a table."""
        key = ("repeats", id(section))
        if key not in self._memo:
            self._memo[key] = self._child_repeats(section)
        return self._memo[key]

    def _fields(self, section: Node) -> list[tuple[Node, tuple[Node, ...]]]:
        out: list[tuple[Node, tuple[Node, ...]]] = []

        def walk(node: Node, path: tuple[Node, ...]) -> None:
            for child in node.children:
                if child.kind == "field":
                    out.append((child, path))
                elif child.kind == "group":
                    walk(child, (*path, child))

        walk(section, ())
        return out

    def _child_repeats(self, section: Node) -> list[tuple[Node, tuple[Node, ...]]]:
        out: list[tuple[Node, tuple[Node, ...]]] = []

        def walk(node: Node, path: tuple[Node, ...]) -> None:
            for child in node.children:
                if child.kind == "repeat":
                    out.append((child, path))
                elif child.kind == "group":
                    walk(child, (*path, child))

        walk(section, ())
        return out

    def ancestors(self, target: Node) -> tuple[Node, ...]:
        """Every container from the root (excluded) down to target (excluded)."""

        def walk(node: Node, path: tuple[Node, ...]) -> tuple[Node, ...] | None:
            for child in node.children:
                if child is target:
                    return path
                if child.kind != "field":
                    found = walk(child, (*path, child))
                    if found is not None:
                        return found
            return None

        found = walk(self.root, ())
        if found is None:
            raise KeyError(target.name)
        return found

    def node(self, name: str) -> Node:
        """A group, repeat or field by name."""

        def walk(node: Node) -> Node | None:
            for child in node.children:
                if child.name == name:
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        found = walk(self.root)
        if found is None:
            raise KeyError(name)
        return found


def form_of(guide: Guide) -> Form:
    """The form laid out from the XLSForm the guide compiles to (what Kobo and Central get)."""
    sheets = build_sheets(guide)
    survey_columns, survey = sheets["survey"]
    return form_from_rows(survey_columns, survey, sheets["choices"][1], sheets["settings"][1][0])


def form_from_xlsform(path: Path) -> Form:
    """The form laid out from any XLSForm file (survey, choices and settings sheets)."""
    book = load_workbook(path, read_only=True)
    sheets: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    for name in ("survey", "choices", "settings"):
        rows = [list(r) for r in book[name].iter_rows(values_only=True)] if name in book else [[]]
        header = [str(h or "") for h in rows[0]]
        sheets[name] = (header, [
            {h: str(v) for h, v in zip(header, row, strict=False) if h and v not in (None, "")}
            for row in rows[1:] if any(v not in (None, "") for v in row)
        ])  # fmt: skip
    book.close()
    settings = sheets["settings"][1][0] if sheets["settings"][1] else {}
    return form_from_rows(sheets["survey"][0], sheets["survey"][1], sheets["choices"][1], settings)


def form_from_rows(survey_columns: list[str], survey: list[dict[str, str]],
                   choice_rows: list[dict[str, str]], settings: dict[str, str]) -> Form:  # fmt: skip
    """The form from XLSForm rows (column name -> cell text)."""
    languages = [c.split("::", 1)[1] for c in survey_columns if c.startswith("label::")]
    default = settings.get("default_language")
    if default in languages:
        languages.remove(default)
        languages.insert(0, default)
    lists: dict[str, list[Choice]] = {}
    for row in choice_rows:
        labels = {lang: row[f"label::{lang}"] for lang in languages if row.get(f"label::{lang}")}
        lists.setdefault(row["list_name"], []).append(Choice(row["name"], labels))
    root = Node("data", "group")
    stack = [root]
    for row in survey:
        words = row["type"].split()
        if words[0] in _CONTAINER_TYPES:  # "begin_group" is "begin group"
            words = words[0].split("_") + words[1:]
        labels = {lang: row[f"label::{lang}"] for lang in languages if row.get(f"label::{lang}")}
        container = len(words) > 1 and words[1] in ("group", "repeat")
        if container and words[0] == "begin":
            node = Node(row["name"], words[1], labels=labels)
            stack[-1].children.append(node)
            stack.append(node)
        elif container and words[0] == "end":
            stack.pop()
        else:
            choices = lists.get(words[1], []) if len(words) > 1 else []
            stack[-1].children.append(Node(row["name"], "field", words[0], labels, choices))
    return Form(
        settings.get("form_id", ""), str(settings.get("version", "")),
        settings.get("form_title", settings.get("form_id", "")), languages, root,
        bool(settings.get("instance_name")),
    )  # fmt: skip


@dataclass
class Submission:
    """One filled form as the phone sends it and the server stores it.

    answers: value text by field name (questions, calculates and notes), and each repeat as a
    list of instances of the same shape; a name left out is not relevant (absent from the
    instance), "" is relevant and blank. number is the server's id; submitted its receipt time.
    """

    instance_id: str  # "uuid:..."
    answers: dict[str, Any]
    number: int
    submitted: datetime
    instance_name: str | None = None
