"""Read a filled self-assessment workbook back into answers, whatever its language.

Answer cells outside repeats are found by their defined names (the question names), repeat
tables by their hidden key row ('repeat:<name>', then field names), the language by the meta
sheet; select answers are turned from labels back into choice names.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import range_boundaries

from ...diagnostics import UserError
from ...expressions import xpath_runtime as rt
from ...model import Guide, Item
from .layout import T_FIRST_ROW, T_KEY_ROW, defined_name
from .phrases import WorkbookPhrases
from .tables_sheet import TABLE_MARK

Answers = dict[str, str]


def read_workbook_answers(path: Path | str, guide: Guide) -> tuple[Answers, dict[str, list[Answers]]]:
    """(answers by question name, records by repeat name) of a filled workbook, values as the
    XForm writes them: choice names, numbers as text, dates as yyyy-mm-dd."""
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one user error
        raise UserError(f"{path}: cannot be read as an .xlsx workbook ({exc}); save it as .xlsx") from exc
    lang = _meta(wb, "_rg_language") or guide.default_language
    form_id = _meta(wb, "_rg_form_id")
    if form_id is not None and form_id != guide.form_id:
        raise UserError(f"{path}: this workbook is for form '{form_id}', not '{guide.form_id}'")
    reader = _Reader(guide, lang)
    answers: Answers = {}
    for item in guide.walk():
        if item.is_question and item.repeat is None:
            cells = _named_cells(wb, defined_name(item.name))
            if cells is None:
                continue
            answers[item.name] = reader.value(item, cells)
    records: dict[str, list[Answers]] = {}
    tables = _tables(wb)
    for repeat in guide.repeats():
        if repeat.repeat is None and repeat.name in tables:
            records[repeat.name] = reader.records(repeat, tables[repeat.name])
    return answers, records


def workbook_meta(path: Path | str) -> dict[str, str]:
    """The form id, version, language and format marker a workbook carries ({} if none)."""
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one user error
        raise UserError(f"{path}: cannot be read as an .xlsx workbook ({exc}); save it as .xlsx") from exc
    out = {}
    for key in ("format", "form_id", "version", "language"):
        value = _meta(wb, f"_rg_{key}")
        if value is not None:
            out[key] = value
    return out


def _meta(wb: Any, name: str) -> str | None:
    cells = _named_cells(wb, name)
    if not cells or cells[0] is None:
        return None
    return str(cells[0])


def _named_cells(wb: Any, name: str) -> list[Any] | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    values: list[Any] = []
    for sheet, ref in defined.destinations:
        if sheet not in wb.sheetnames:
            return None
        ws = wb[sheet]
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True):
            values.extend(row)
    return values


def _tables(wb: Any) -> dict[str, Any]:
    out = {}
    for ws in wb.worksheets:
        mark = ws.cell(T_KEY_ROW, 1).value
        if isinstance(mark, str) and mark.startswith(TABLE_MARK):
            out[mark[len(TABLE_MARK):]] = ws
    return out


class _Reader:
    def __init__(self, guide: Guide, lang: str) -> None:
        self.guide = guide
        phrases = WorkbookPhrases(lang)
        self.yes = {phrases.say("yes").casefold(), "yes", "1", "true"}
        self.labels: dict[str, dict[str, str]] = {}
        for name, choice_list in guide.lists.items():
            table: dict[str, str] = {}
            for choice in choice_list.choices:
                table.setdefault(choice.name.casefold(), choice.name)
            for choice in choice_list.choices:  # labels win over names
                table[guide.text(choice.label, lang).strip().casefold()] = choice.name
            self.labels[name] = table

    def value(self, item: Item, cells: list[Any]) -> str:
        if item.type == "select_multiple":
            names = self.guide.lists[item.list_name].names() if item.list_name in self.guide.lists else []
            return " ".join(n for n, v in zip(names, cells, strict=False) if _text(v).strip().casefold() in self.yes)
        raw = cells[0] if cells else None
        if item.type == "select_one":
            text = _text(raw).strip()
            return self.labels.get(item.list_name or "", {}).get(text.casefold(), text)
        if item.type in ("integer", "decimal"):
            if isinstance(raw, bool):
                return ""
            if isinstance(raw, int | float):
                return rt.string(float(raw))
            return _text(raw).strip()
        if item.type == "date":
            if isinstance(raw, datetime):
                return raw.date().isoformat()
            if isinstance(raw, date):
                return raw.isoformat()
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return date.fromordinal(date(1899, 12, 30).toordinal() + int(raw)).isoformat()
            return _text(raw).strip()
        return _text(raw)

    def records(self, repeat: Item, ws: Any) -> list[Answers]:
        keys = {}
        for col in range(2, ws.max_column + 1):
            key = ws.cell(T_KEY_ROW, col).value
            if isinstance(key, str) and not key.startswith("_"):
                keys[col] = key
        fields = {f.name: f for f in repeat.walk() if f.repeat is repeat and f.is_question}
        out = []
        for row in range(T_FIRST_ROW, ws.max_row + 1):
            cells: dict[str, list[Any]] = {}
            filled = False
            for col, key in keys.items():
                name = key.split("/", 1)[0]
                if name not in fields:
                    continue
                value = ws.cell(row, col).value
                filled = filled or _text(value) != ""
                cells.setdefault(name, []).append(value)
            if filled:
                out.append({name: self.value(fields[name], values) for name, values in cells.items()})
        return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
