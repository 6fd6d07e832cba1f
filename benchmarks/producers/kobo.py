"""KoboToolbox exports, as its export library (formpack) and KPI write them.

XLSX: one sheet per section, in the order sections first appear in the data: the main
sheet is named after the project (the form title), each repeat's sheet after the repeat.
Excel allows 31 characters and no `[]:*?/\\`, so a name gets `_` for those (and for a
leading or trailing apostrophe) and a longer one is cut to 28 characters + `...`; where two
names would clash the later one ends in `... (1)`, `... (2)`. Columns: every field of the
section (questions, calculates, notes) in form order, then `_id ... _tags`, `meta/rootUuid`,
`_index` (main) or `_index`, `_parent_table_name` (the parent section's FULL name: the
title, or the parent repeat's name), `_parent_index` (the parent row's `_index`) and
`_submission_*` copies of the main metadata (repeats). Repeat instances without any value
are left out. Headers: XML names or labels in one language (a field without a label keeps
its name), with the group path joined by `/` or not; select_multiple as the answer column
(`summary`), one 1/0 column per option `question/option` (`details`), or both. Cells typed
(numbers, dates) or all text ("Store date and number responses as text"); `_id` and the
indexes are numbers either way. No second header row: Kobo writes one of HXL tags only when
a field has one, and these producers read no `hxl` column.

CSV: the main section only (no repeats), `;`, every field quoted, CRLF, text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .form import DATE_TYPES, DATETIME_TYPES, NUMBER_TYPES, Form, Node, Submission
from .plain_xlsx import Cell, write_xlsx

EXCEL_FORBIDDEN = "[]:*?/\\"
SHEET_NAME_LIMIT = 31
META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
        "_submitted_by", "__version__", "_tags", "meta/rootUuid"]  # fmt: skip
MULTIPLE_MODES = ("both", "summary", "details")


@dataclass(frozen=True)
class KoboOptions:
    """The export options of KoboToolbox's export dialog."""

    lang: str | None = None  # labels in this XLSForm language ("Français (fr)"); None: XML
    groups: bool = False  # "Include groups in headers"
    multiple: str = "both"  # select_multiple: both, summary or details
    typed: bool = True  # False: "Store date and number responses as text"

    @property
    def slug(self) -> str:
        """A short ASCII name of the variant, like the fixtures' file names: xml_hier0_both,
        fr_hier1_details_astext (the language's code, or its name when it has none)."""
        code = re.search(r"\(([\w-]+)\)\s*$", self.lang or "")
        head = "xml" if self.lang is None else (code.group(1) if code else self.lang)
        text = "" if self.typed else "_astext"
        return f"{head}_hier{int(self.groups)}_{self.multiple}{text}"


def ellipsize(name: str, limit: int, ellipsis: str) -> str:
    """name cut so that it ends in ellipsis and holds at most limit characters."""
    return name if len(name) <= limit else name[: limit - len(ellipsis)] + ellipsis


def sheet_name(section: str, taken: list[str]) -> str:
    """The worksheet name Kobo gives a section, given the names already taken."""
    name = "".join("_" if ch in EXCEL_FORBIDDEN else ch for ch in section)
    if name.startswith("'"):
        name = "_" + name[1:]
    if name.endswith("'"):
        name = name[:-1] + "_"
    candidate = ellipsize(name, SHEET_NAME_LIMIT, "...")
    n = 1
    while candidate in taken:
        if len(name) <= SHEET_NAME_LIMIT:  # Kobo's own loop never ends here: refuse instead
            raise ValueError(f"two sections named {name!r}: Kobo cannot export them")
        candidate = ellipsize(name, SHEET_NAME_LIMIT, f"... ({n})")
        n += 1
    return candidate


@dataclass
class _Column:
    header: str
    cell: Callable[[dict[str, Any]], Cell]


def _has_value(instance: dict[str, Any]) -> bool:
    """A repeat instance holding any value (Kobo stores no empty element, so an instance
    with none never reaches the export)."""
    for value in instance.values():
        if isinstance(value, list):
            if any(_has_value(i) for i in value):
                return True
        elif value not in ("", None):
            return True
    return False


def _number(text: str) -> int | float | str:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _date(text: str) -> date | str:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return text


def _datetime(text: str) -> datetime | str:
    """The moment as the phone wrote it, its clock time kept (Excel has no time zones)."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return text


class _Layout:
    """Columns of every section for one set of options."""

    def __init__(self, form: Form, opts: KoboOptions) -> None:
        if opts.multiple not in MULTIPLE_MODES:
            raise ValueError(f"multiple must be one of {MULTIPLE_MODES}")
        self.form = form
        self.opts = opts

    def header(self, node: Node) -> str:
        lang = self.opts.lang
        if not self.opts.groups:
            return node.label(lang)
        return "/".join(level.label(lang) for level in (*self.form.ancestors(node), node))

    def columns(self, section: Node) -> list[_Column]:
        out: list[_Column] = []
        for node, _path in self.form.fields(section):
            out += self._field_columns(node)
        return out

    def _field_columns(self, node: Node) -> list[_Column]:
        opts, name, header = self.opts, node.name, self.header(node)
        lang = opts.lang
        if node.type == "select_multiple":
            out: list[_Column] = []
            if opts.multiple in ("both", "summary"):

                def summary(values: dict[str, Any]) -> Cell:
                    text = values.get(name) or ""
                    return " ".join(node.choice_label(v, lang) for v in text.split())

                out.append(_Column(header, summary))
            if opts.multiple in ("both", "details"):
                for choice in node.choices:
                    option = (choice.labels.get(lang) if lang else None) or choice.name
                    out.append(_Column(f"{header}/{option}", self._option_cell(name, choice.name)))
            return out
        if node.type == "select_one" and lang:
            return [_Column(header, lambda v: node.choice_label(v.get(name) or "", lang))]
        if opts.typed and node.type in NUMBER_TYPES:
            return [_Column(header, lambda v: _number(v.get(name) or ""))]
        if opts.typed and node.type in DATE_TYPES:
            return [_Column(header, lambda v: _date(v.get(name) or ""))]
        if opts.typed and node.type in DATETIME_TYPES:
            return [_Column(header, lambda v: _datetime(v.get(name) or ""))]
        return [_Column(header, lambda v: v.get(name) or "")]

    def _option_cell(self, name: str, option: str) -> Callable[[dict[str, Any]], Cell]:
        one: Cell = 1 if self.opts.typed else "1"
        zero: Cell = 0 if self.opts.typed else "0"

        def cell(values: dict[str, Any]) -> Cell:
            text = values.get(name) or ""
            if not text:
                return ""
            return one if option in text.split() else zero

        return cell

    def meta(self, form: Form, sub: Submission) -> list[Cell]:
        time: Cell = sub.submitted if self.opts.typed else _iso(sub.submitted)
        return [sub.number, sub.instance_id.removeprefix("uuid:"), time, "", "",
                "submitted_via_web", "", form.version, "", sub.instance_id]  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


@dataclass
class Section:
    """One table of the export: its full name, header and rows (made when iterated, so a
    100,000-submission export is never held whole)."""

    name: str
    header: list[str]
    rows: Iterable[list[Cell]]


# (section node, its full name, instance values, its _index, parent name and _index, main meta)
_Entry = tuple[Node, str, dict[str, Any], int, list[Cell], list[Cell]]


def _entries(form: Form, layout: _Layout, subs: list[Submission], project: str) -> Iterator[_Entry]:
    """Every row of every section in the order Kobo's exporter makes them: a submission's
    main row, then each of its repeat instances that holds a value, depth first; _index
    counts the rows of each section across the export."""
    indexes: dict[str, int] = {}
    repeats: dict[str, list[tuple[Node, tuple[Node, ...]]]] = {}

    def walk(section: Node, name: str, values: dict[str, Any], parent: list[Cell],
             meta: list[Cell]) -> Iterator[_Entry]:  # fmt: skip
        indexes[name] = index = indexes.get(name, 0) + 1
        yield section, name, values, index, parent, meta
        if name not in repeats:
            repeats[name] = form.child_repeats(section)
        for repeat, _path in repeats[name]:
            for instance in values.get(repeat.name) or []:
                if _has_value(instance):
                    yield from walk(repeat, repeat.name, instance, [name, index], meta)

    for sub in subs:
        yield from walk(form.root, project, sub.answers, [], layout.meta(form, sub))


def kobo_sections(
    form: Form, subs: list[Submission], opts: KoboOptions, project: str | None = None
) -> list[Section]:
    """Every section that has rows, in the order it first appears in the data (main first).
    The main section is named after the project, which Kobo names after the form's title."""
    layout = _Layout(form, opts)
    project = project or form.title
    nodes: dict[str, Node] = {}
    for node, name, *_rest in _entries(form, layout, subs, project):
        nodes.setdefault(name, node)
    if not nodes:
        nodes[project] = form.root

    def rows(name: str, columns: list[_Column]) -> Iterator[list[Cell]]:
        for _node, entry, values, index, parent, meta in _entries(form, layout, subs, project):
            if entry == name:
                row = [c.cell(values) for c in columns]
                yield row + ([*meta, index] if not parent else [index, *parent, *meta])

    out = []
    for name, node in nodes.items():
        columns = layout.columns(node)
        extra = [*META, "_index"] if node is form.root else [
            "_index", "_parent_table_name", "_parent_index", *(f"_submission_{m}" for m in META)]  # fmt: skip
        out.append(Section(name, [c.header for c in columns] + extra, rows(name, columns)))
    return out


def kobo_tables(
    form: Form, subs: list[Submission], opts: KoboOptions, project: str | None = None
) -> list[tuple[str, Iterable[list[Cell]]]]:
    """(worksheet name, header then rows, made when iterated) of an XLSX export."""
    taken: list[str] = []
    out: list[tuple[str, Iterable[list[Cell]]]] = []
    for section in kobo_sections(form, subs, opts, project):
        name = sheet_name(section.name, taken)
        taken.append(name)
        out.append((name, itertools.chain([section.header], section.rows)))
    return out


def kobo_sheets(
    form: Form, subs: list[Submission], opts: KoboOptions, project: str | None = None
) -> list[tuple[str, list[list[Cell]]]]:
    """(worksheet name, rows with the header first) of an XLSX export."""
    return [(name, list(rows)) for name, rows in kobo_tables(form, subs, opts, project)]


def write_kobo_xlsx(
    path: Path, form: Form, subs: list[Submission], opts: KoboOptions = KoboOptions(),
    project: str | None = None,
) -> Path:  # fmt: skip
    """A KoboToolbox XLSX export of the submissions (project: its name, the title if None)."""
    write_xlsx(path, kobo_tables(form, subs, opts, project))
    return path


def kobo_csv_lines(
    form: Form, subs: list[Submission], opts: KoboOptions = KoboOptions()
) -> Iterator[str]:
    """The lines of a KoboToolbox CSV export (main section only), CRLF included."""
    main = kobo_sections(form, subs, KoboOptions(opts.lang, opts.groups, opts.multiple, False))[0]
    for row in itertools.chain([main.header], main.rows):
        cells = (str(c).replace('"', '""') for c in row)
        yield '"' + '";"'.join(cells) + '"\r\n'


def write_kobo_csv(
    path: Path, form: Form, subs: list[Submission], opts: KoboOptions = KoboOptions()
) -> Path:
    """A KoboToolbox CSV export of the submissions."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(kobo_csv_lines(form, subs, opts))
    return path


def every_xlsx_option(languages: list[str]) -> list[KoboOptions]:
    """Every XLSX export variant: XML or labels in each language x groups in headers or not x
    select_multiple both/summary/details x typed or text."""
    return [KoboOptions(lang, groups, multiple, typed)
            for lang in [None, *languages] for groups in (False, True)
            for multiple in MULTIPLE_MODES for typed in (True, False)]  # fmt: skip
