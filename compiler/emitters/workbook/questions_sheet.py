"""The questions sheet: every step, group, note and question in form order, numbered as the
printed form, with drop-downs, range and date validation, skip rules greyed out and checks."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...expressions.ast import Binary, Current, Number
from ...expressions.words import constraint_sentence, skip_rule_sentence
from ...model import Guide, Item
from .cells import Formulas
from .layout import (
    Q_ANSWER,
    Q_CHECK,
    Q_FIRST_ROW,
    Q_HELP,
    Q_NUMBER,
    Q_RELEVANT,
    Q_TEXT,
    Q_VALUE,
    YES_NO_LIST,
    Layout,
    absolute,
    defined_name,
    quote_sheet,
)
from .style import (
    BOLD,
    CHECK_FONT,
    HEADING_FILL,
    answer_cell,
    formula,
    grey_when,
    name_cells,
    print_setup,
    protect,
    text,
    title,
)

_WIDE = 2147483647


def numeric_bounds(item: Item) -> tuple[float | None, float | None] | None:
    """(low, high) when the constraint is only '. >= a', '. <= b' joined by 'and' (either
    bound may be missing); None when data validation cannot express it."""
    tree = item.constraint.tree if item.constraint is not None else None
    if tree is None:
        return (None, None)
    low: float | None = None
    high: float | None = None
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Binary) and node.op == "and":
            stack += [node.left, node.right]
        elif isinstance(node, Binary) and isinstance(node.left, Current) and isinstance(node.right, Number):
            if node.op == ">=" and low is None:
                low = node.right.value
            elif node.op == "<=" and high is None:
                high = node.right.value
            else:
                return None
        else:
            return None
    return (low, high)


def validation_for(guide: Guide, layout: Layout, item: Item, lang: str) -> DataValidation | None:
    """The data validation of an answer cell of `item` (None for free text)."""
    title = guide.text(item.label, lang)[:32] or None
    if item.type == "select_one" and item.list_name in guide.lists:
        size = len(guide.lists[item.list_name].choices)
        dv = DataValidation("list", formula1=layout.list_range(item.list_name, True, size), allow_blank=True)
    elif item.type == "select_multiple":
        dv = DataValidation("list", formula1=layout.list_range(YES_NO_LIST, True, 2), allow_blank=True)
    elif item.type in ("integer", "decimal"):
        bounds = numeric_bounds(item) or (None, None)
        low = bounds[0] if bounds[0] is not None else -_WIDE
        high = bounds[1] if bounds[1] is not None else _WIDE
        kind = "whole" if item.type == "integer" else "decimal"
        dv = DataValidation(kind, operator="between", formula1=_num(low), formula2=_num(high), allow_blank=True)
    elif item.type == "date":
        dv = DataValidation("date", operator="between", formula1="1", formula2="2958465", allow_blank=True)
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = title
    message = constraint_sentence(guide, item, lang) if item.constraint is not None else None
    if message:
        dv.error = message[:255]
    return dv


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def help_text(guide: Guide, layout: Layout, item: Item) -> str:
    """Hint, skip rule, rule on the answer and 'required', as one cell of help."""
    lang = layout.lang
    parts = [guide.text(item.hint, lang)]
    parts.append(skip_rule_sentence(guide, item, lang) or "")
    if item.constraint is not None:
        parts.append(constraint_sentence(guide, item, lang) or "")
    if item.required:
        parts.append(layout.phrases.say("required"))
    return "\n".join(p for p in parts if p)


def write_questions(wb: Workbook, guide: Guide, layout: Layout, formulas: Formulas) -> Worksheet:
    """Fill the questions sheet and name every answer cell after its question."""
    lang, say = layout.lang, layout.phrases.say
    ws = wb.create_sheet(layout.questions_sheet)
    title(ws, guide.text(guide.title, lang), Q_HELP)
    for col, key in ((Q_NUMBER, "col_number"), (Q_TEXT, "col_question"), (Q_ANSWER, "col_answer"),
                     (Q_CHECK, "col_check"), (Q_HELP, "col_help")):
        text(ws, 2, col, say(key), BOLD).fill = HEADING_FILL
    validations: dict[str, DataValidation] = {}
    last = Q_FIRST_ROW
    for qrow in layout.question_rows:
        item, row = qrow.item, qrow.row
        last = row
        if qrow.kind == "option":
            assert qrow.choice is not None
            text(ws, row, Q_TEXT, "    " + guide.text(qrow.choice.label, lang))
            answer_cell(ws, row, Q_ANSWER)
            formula(ws, row, Q_RELEVANT, absolute(layout.questions_sheet, Q_RELEVANT, layout.row_of[item.name]))
            _validate(ws, validations, guide, layout, item, f"C{row}")
            continue
        formula(ws, row, Q_RELEVANT, formulas.q_relevant.get(item.name, "TRUE"))
        label = guide.text(item.label, lang)
        if qrow.kind in ("section", "group", "repeat"):
            if qrow.kind == "repeat":
                table = layout.tables[item.name]
                label = f"{label} \u2192 {table.sheet}"
            text(ws, row, Q_NUMBER, item.code or "", BOLD)
            text(ws, row, Q_TEXT, label, BOLD)
            for col in range(Q_NUMBER, Q_HELP + 1):
                ws.cell(row, col).fill = HEADING_FILL
            text(ws, row, Q_HELP, skip_rule_sentence(guide, item, lang) or guide.text(item.intro, lang))
            continue
        text(ws, row, Q_NUMBER, item.number or "")
        text(ws, row, Q_TEXT, label)
        text(ws, row, Q_HELP, help_text(guide, layout, item))
        if item.name in formulas.q_check:
            formula(ws, row, Q_CHECK, formulas.q_check[item.name]).font = CHECK_FONT
        if qrow.kind == "note":
            continue
        formula(ws, row, Q_VALUE, formulas.q_value[item.name])
        if item.type == "select_multiple":
            options = layout.option_rows.get(item.name, [])
            if options:
                ref = f"{quote_sheet(layout.questions_sheet)}!$C${options[0].row}:$C${options[-1].row}"
                name_cells(wb, defined_name(item.name), ref)
            continue
        cell = answer_cell(ws, row, Q_ANSWER)
        if item.default is not None:
            cell.value = _default_text(guide, item, lang)
        if item.type == "date":
            cell.number_format = "yyyy-mm-dd"
        _validate(ws, validations, guide, layout, item, f"C{row}")
        name_cells(wb, defined_name(item.name), absolute(layout.questions_sheet, Q_ANSWER, row))
    grey_when(ws, f"A{Q_FIRST_ROW}:E{last}", f"NOT($G{Q_FIRST_ROW})")
    for key in sorted(validations):
        ws.add_data_validation(validations[key])
    for col, width in (("A", 8), ("B", 60), ("C", 28), ("D", 30), ("E", 50)):
        ws.column_dimensions[col].width = width
    for col in ("F", "G"):
        ws.column_dimensions[col].hidden = True
    ws.freeze_panes = f"A{Q_FIRST_ROW}"
    print_setup(ws, Q_HELP, last, title_rows=f"{Q_FIRST_ROW - 1}:{Q_FIRST_ROW - 1}")
    protect(ws)
    return ws


def _default_text(guide: Guide, item: Item, lang: str) -> str | float:
    default = item.default or ""
    if item.type == "select_one" and item.list_name in guide.lists:
        choice = guide.lists[item.list_name].get(default)
        return guide.text(choice.label, lang) if choice is not None else default
    if item.type in ("integer", "decimal"):
        try:
            return float(default)
        except ValueError:
            return default
    return default


def _validate(ws: Worksheet, found: dict[str, DataValidation], guide: Guide, layout: Layout,
              item: Item, cells: str) -> None:
    """Add cells to the validation of `item` (one validation object per question)."""
    key = item.name
    if key not in found:
        dv = validation_for(guide, layout, item, layout.lang)
        if dv is None:
            return
        found[key] = dv
    found[key].add(cells)
