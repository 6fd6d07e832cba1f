"""The XLSForm: survey, choices and settings sheets, every translatable column in every language."""

from __future__ import annotations

from openpyxl import Workbook

from ..expressions.xpath import XPathGenerator
from ..model import Expression, Guide, Item, Text
from ..xlsx_files import set_text, workbook_bytes

SURVEY_TEXT = ("label", "hint", "constraint_message")
SURVEY_PLAIN = ("relevant", "constraint", "calculation", "required", "default", "read_only", "appearance")


def xpath_generator(guide: Guide) -> XPathGenerator:
    """An XPath generator bound to this guide's repeat and field paths."""
    items = guide.items_by_name()

    def repeat_path(name: str) -> str:
        return items[name].xpath

    def field_path(repeat: str, name: str) -> str:
        item = items.get(name)
        if item is None or item.repeat is None or item.repeat.name != repeat:
            return ""
        return item.xpath[len(items[repeat].xpath) + 1 :]

    return XPathGenerator(repeat_path, field_path)


def to_xpath(guide: Guide, expr: Expression | None, gen: XPathGenerator | None = None) -> str | None:
    """An expression of the guide as ODK XPath (None when absent)."""
    if expr is None or expr.tree is None:
        return None
    return (gen or xpath_generator(guide)).render(expr.tree)


def intro_name(item: Item) -> str:
    """Name of the note that carries a group's introduction."""
    return f"{item.name}_intro"


class _Sheet:
    def __init__(self, guide: Guide, text_columns: tuple[str, ...], plain_columns: tuple[str, ...]) -> None:
        self.guide = guide
        self.columns = ["type", "name"]
        self.text_columns = text_columns
        for col in text_columns:
            self.columns += [f"{col}::{lang.xlsform}" for lang in guide.languages]
        self.columns += list(plain_columns)
        self.rows: list[dict[str, str]] = []

    def add(self, texts: dict[str, Text | None] | None = None, **plain: str | None) -> None:
        row = {k: v for k, v in plain.items() if v not in (None, "")}
        for col, text in (texts or {}).items():
            if text is not None:
                for lang in self.guide.languages:
                    row[f"{col}::{lang.xlsform}"] = self.guide.text(text, lang.code)
        self.rows.append(row)

    def used_columns(self) -> list[str]:
        used = {k for row in self.rows for k in row}
        return [c for c in self.columns if c in used or c in ("type", "name")]


def build_sheets(guide: Guide) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """Sheet name -> (columns, rows) of the XLSForm."""
    gen = xpath_generator(guide)
    survey = _Sheet(guide, SURVEY_TEXT, SURVEY_PLAIN)

    def emit(item: Item) -> None:
        relevant = to_xpath(guide, item.relevant, gen)
        if item.is_container:
            survey.add({"label": item.label}, type=f"begin {item.type}", name=item.name, relevant=relevant)
            if item.intro is not None:
                survey.add({"label": item.intro}, type="note", name=intro_name(item))
            for child in item.children:
                emit(child)
            survey.add(type=f"end {item.type}")
            return
        kind = item.type
        if kind in ("select_one", "select_multiple"):
            kind = f"{kind} {item.list_name}"
        elif kind == "score":
            kind = "calculate"
        survey.add(
            {"label": item.label, "hint": item.hint, "constraint_message": item.constraint_message},
            type=kind,
            name=item.name,
            relevant=relevant,
            constraint=to_xpath(guide, item.constraint, gen),
            calculation=to_xpath(guide, item.formula, gen),
            required="yes" if item.required else None,
            default=item.default,
            read_only="yes" if item.read_only else None,
        )

    for section in guide.sections:
        emit(section)

    choices = _Sheet(guide, ("label",), ())
    choices.columns.insert(0, "list_name")
    for choice_list in guide.lists.values():
        if not _is_used(guide, choice_list.name):
            continue
        for choice in choice_list.choices:
            choices.add({"label": choice.label}, list_name=choice_list.name, name=choice.name)

    default = guide.language(guide.default_language)
    settings = {
        "form_id": guide.form_id,
        "form_title": guide.text(guide.title, guide.default_language),
        "version": guide.version,
        "default_language": default.xlsform,
        "instance_name": to_xpath(guide, guide.instance_name, gen),
    }
    settings = {k: v for k, v in settings.items() if v}
    return {
        "survey": (survey.used_columns(), survey.rows),
        "choices": (choices.used_columns(), choices.rows),
        "settings": (list(settings), [settings]),
    }


def _is_used(guide: Guide, list_name: str) -> bool:
    return any(i.list_name == list_name for i in guide.walk())


def xlsform_bytes(guide: Guide) -> bytes:
    """The XLSForm as reproducible .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, (columns, rows) in build_sheets(guide).items():
        ws = wb.create_sheet(sheet_name)
        ws.append(columns)
        for r, row in enumerate(rows, start=2):
            for c, col in enumerate(columns, start=1):
                set_text(ws.cell(r, c), row.get(col))
    return workbook_bytes(wb)
