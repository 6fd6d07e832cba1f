"""The scores sheet (every score as a live formula, with its label and its description in
words), the hidden calculations sheet, and the dashboard (key results, per-right table,
native charts, gap flags highlighted)."""

from __future__ import annotations

import math
import re

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ...expressions.words import formula_sentence
from ...model import Guide, Item
from .cells import Formulas
from .layout import (
    CALC_SHEET,
    S_CODE,
    S_DESCRIPTION,
    S_EFFECTIVE,
    S_FIRST_ROW,
    S_FORMULA,
    S_LABEL,
    S_MEANING,
    S_MISSING,
    S_RELEVANT,
    S_VALUE,
    Layout,
    absolute,
    defined_name,
    score_value_col,
)
from .resolver import CALC_EFFECTIVE, CALC_RELEVANT, CALC_VALUE, WorkbookResolver
from .style import (
    BOLD,
    CENTERED,
    CONCERN_FILL,
    FLAG_FILL,
    HEADING_FILL,
    VALUE,
    VALUE_WRAP,
    formula,
    name_cells,
    print_setup,
    protect,
    text,
    title,
)

KEY_SCORE_PATTERN = re.compile(r"accountab|commitment|readiness|participation|recommend")
PER_RIGHT = (("commitment", "col_commitment"), ("worst", "col_worst"), ("negative", "col_negative"),
             ("positive", "col_positive"), ("gap", "col_gap"), ("concern", "col_concern"))
NUMBER_WIDTH = 16


def meaning_formula(guide: Guide, layout: Layout, item: Item, cell: str) -> str | None:
    """The label, in the workbook's language, of a score whose result is a choice name."""
    if not item.result_list or item.result_list not in guide.lists:
        return None
    size = len(guide.lists[item.result_list].choices)
    names = layout.list_range(item.result_list, False, size)
    labels = layout.list_range(item.result_list, True, size)
    return f'IFERROR(INDEX({labels},MATCH({cell},{names},0)),"")'


def write_scores(wb: Workbook, guide: Guide, layout: Layout, formulas: Formulas) -> Worksheet:
    """Every score outside repeats as a named live formula; scores per record described. A
    score whose result is a choice name shows the choice's label; the name itself is in the
    hidden S_CODE column, which carries the defined name."""
    lang, say = layout.lang, layout.phrases.say
    ws = wb.create_sheet(layout.scores_sheet)
    title(ws, guide.text(guide.title, lang), S_MISSING)
    for col, key in ((S_LABEL, "col_score"), (S_VALUE, "col_value"), (S_DESCRIPTION, "col_description"),
                     (S_FORMULA, "col_formula"), (S_MISSING, "col_missing")):
        text(ws, 2, col, say(key), BOLD).fill = HEADING_FILL
    row = S_FIRST_ROW
    for place in layout.computed.values():
        if place.sheet != layout.scores_sheet:
            continue
        item, row = place.item, place.row
        _describe(ws, guide, lang, item, row)
        col = score_value_col(item)
        formula(ws, row, col, formulas.computed[item.name]).font = BOLD
        value = absolute(ws.title, col, row)
        meaning = meaning_formula(guide, layout, item, value)
        if meaning:
            formula(ws, row, S_VALUE, meaning).font = BOLD
        ws.cell(row, S_VALUE).alignment = VALUE_WRAP if meaning else VALUE
        if item.name in formulas.computed_relevant:
            formula(ws, row, S_RELEVANT, formulas.computed_relevant[item.name])
            formula(ws, row, S_EFFECTIVE, f'IF({absolute(ws.title, S_RELEVANT, row)},{value},"")')
        name_cells(wb, defined_name(item.name), value)
    for table in layout.tables.values():
        for column in table.columns:
            if column.kind == "computed" and column.item is not None and column.item.type == "score":
                row += 1
                _describe(ws, guide, lang, column.item, row)
                text(ws, row, S_VALUE, say("per_record", table=table.sheet))
    for col, width in (("A", 30), ("B", 24), ("D", 40), ("E", 50), ("F", 36)):
        ws.column_dimensions[col].width = width
    for col in (S_MEANING, S_RELEVANT, S_EFFECTIVE, S_CODE):  # the value column shows meanings
        ws.column_dimensions[get_column_letter(col)].hidden = True
    ws.freeze_panes = f"A{S_FIRST_ROW}"
    print_setup(ws, S_MISSING, row, title_rows=f"{S_FIRST_ROW - 1}:{S_FIRST_ROW - 1}")
    protect(ws)
    return ws


def _describe(ws: Worksheet, guide: Guide, lang: str, item: Item, row: int) -> None:
    text(ws, row, S_LABEL, guide.text(item.label, lang) or item.name)
    text(ws, row, S_DESCRIPTION, guide.text(item.description, lang))
    text(ws, row, S_FORMULA, formula_sentence(guide, item, lang) or "")
    text(ws, row, S_MISSING, guide.text(item.missing, lang))


def write_calculations(wb: Workbook, layout: Layout, formulas: Formulas) -> Worksheet:
    """The hidden sheet of calculations (computed values that are not scores), each named
    after its calculation so that any of them can be read back and checked."""
    ws = wb.create_sheet(CALC_SHEET)
    for place in layout.computed.values():
        if place.sheet != CALC_SHEET:
            continue
        item, row = place.item, place.row
        text(ws, row, 1, item.name)
        formula(ws, row, CALC_VALUE, formulas.computed[item.name])
        value = absolute(CALC_SHEET, CALC_VALUE, row)
        name_cells(wb, defined_name(item.name), value)
        if item.name in formulas.computed_relevant:
            formula(ws, row, CALC_RELEVANT, formulas.computed_relevant[item.name])
            formula(ws, row, CALC_EFFECTIVE, f'IF({absolute(CALC_SHEET, CALC_RELEVANT, row)},{value},"")')
    ws.sheet_state = "hidden"
    protect(ws)
    return ws


def write_dashboard(wb: Workbook, guide: Guide, layout: Layout, resolver: WorkbookResolver) -> Worksheet:
    """Key results, a per-right table with charts, and gap and concern flags highlighted."""
    lang, say = layout.lang, layout.phrases.say
    ws = wb.create_sheet(layout.dashboard_sheet)
    ws.column_dimensions["A"].width = 55  # most rights' names on one line
    text(ws, 3, 1, say("key_results"), BOLD).fill = HEADING_FILL
    row = 4
    top_scores = [p.item for p in layout.computed.values() if p.sheet == layout.scores_sheet]
    rights = guide.lists.get("rights")
    per_right = tuple(f"_{c.name}" for c in rights.choices) if rights is not None else ()
    for item in top_scores:
        if not (item.result_list or KEY_SCORE_PATTERN.search(item.name)) or item.name.endswith(per_right):
            continue  # a score per right is in the table of rights
        text(ws, row, 1, guide.text(item.label, lang) or item.name)
        cell = resolver.value_cell(item.name)
        value = formula(ws, row, 2, meaning_formula(guide, layout, item, cell) or cell)
        value.font, value.alignment = BOLD, VALUE
        row += 1
    names = {i.name for i in top_scores}
    kinds = [
        (prefix, key) for prefix, key in PER_RIGHT
        if rights is not None and any(f"{prefix}_{c.name}" in names for c in rights.choices)
    ]
    row += 1
    text(ws, row, 1, say("per_right"), BOLD).fill = HEADING_FILL
    row += 1
    if rights is None or not kinds:
        title(ws, guide.text(guide.title, lang), 4)
        text(ws, row, 1, say("no_per_right"))
        print_setup(ws, 4, row, title_rows="1:1", landscape=False)
        protect(ws)
        return ws
    header = row
    text(ws, header, 1, say("col_right"), BOLD).fill = HEADING_FILL
    col_of = {}
    for col, (prefix, key) in enumerate(kinds, start=2):
        cell = text(ws, header, col, say(key), BOLD)
        cell.alignment, cell.fill = CENTERED, HEADING_FILL
        col_of[prefix] = col
        ws.column_dimensions[get_column_letter(col)].width = NUMBER_WIDTH
    last_col = max(col_of.values())
    title(ws, guide.text(guide.title, lang), last_col)
    for choice in rights.choices:
        row += 1
        text(ws, row, 1, guide.text(choice.label, lang))
        for prefix, col in col_of.items():
            name = f"{prefix}_{choice.name}"
            if name in names:
                item = layout.computed[name].item
                cell = resolver.value_cell(name)
                formula(ws, row, col, meaning_formula(guide, layout, item, cell) or cell).alignment = CENTERED
    for prefix, col in col_of.items():  # a column of labels (commitment) as wide as its labels
        place = layout.computed.get(f"{prefix}_{rights.choices[0].name}")
        if place is not None and place.item.result_list in guide.lists:
            longest = max(len(guide.text(c.label, lang)) for c in guide.lists[place.item.result_list].choices)
            ws.column_dimensions[get_column_letter(col)].width = max(NUMBER_WIDTH, math.ceil(longest / 1.1) + 2)
    last = row
    end = get_column_letter(last_col)
    for prefix, fill in (("gap", FLAG_FILL), ("concern", CONCERN_FILL)):
        if prefix in col_of:
            flag = f"${get_column_letter(col_of[prefix])}{header + 1}"
            rule = FormulaRule(formula=[f'OR({flag}=1,{flag}="1",{flag}="true")'], fill=fill)
            ws.conditional_formatting.add(f"A{header + 1}:{end}{last}", rule)
    categories = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    anchor_row = last + 3
    charts = []
    if "worst" in col_of:
        chart = _bar(say("chart_worst"), len(rights.choices))
        chart.add_data(Reference(ws, min_col=col_of["worst"], min_row=header, max_row=last), titles_from_data=True)
        chart.y_axis.scaling.max = 5  # severity is 1 to 5
        chart.y_axis.majorUnit = 1
        charts.append(chart)
    counts = [col_of[p] for p in ("negative", "positive") if p in col_of]
    if counts:
        chart = _bar(say("chart_records"), len(rights.choices))
        for col in counts:
            chart.add_data(Reference(ws, min_col=col, min_row=header, max_row=last), titles_from_data=True)
        charts.append(chart)
    for chart in charts:
        ws.row_breaks.append(Break(id=anchor_row - 2))  # each chart printed whole on its own page
        chart.set_categories(categories)
        ws.add_chart(chart, f"A{anchor_row}")
        anchor_row += math.ceil(chart.height / ROW_CM) + 2
    print_setup(ws, last_col, anchor_row, title_rows="1:1")
    protect(ws)
    return ws


ROW_CM = 0.45  # a default row in centimetres, at its smallest (LibreOffice; Excel's is 0.53)
CHART_WIDTH_CM = 24.0
CATEGORY_CM = 0.9  # height per right, so that every right's name has room for two lines
CHART_FRAME_CM = 4.0  # title, value axis and legend


def _bar(title_text: str, categories: int) -> BarChart:
    """A horizontal bar chart tall enough for every category's label: no label is skipped,
    and the rights read from the top in the table's order."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title_text
    chart.height = CHART_FRAME_CM + CATEGORY_CM * categories
    chart.width = CHART_WIDTH_CM
    chart.legend.position = "b"
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.tickMarkSkip = 1
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.crosses = "max"  # the value axis below the last right, not above the first
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorGridlines = None
    return chart
