"""One sheet per repeat (impact records, recommendations): a table of prepared rows, a hidden
key row of field names for the importer, drop-downs per column, greyed cells that do not
apply, a check column, computed columns, and hidden value and helper columns."""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...model import Guide
from .cells import Formulas
from .layout import (
    ROW,
    T_FIRST_ROW,
    T_HEADER_ROW,
    T_KEY_ROW,
    Layout,
    RepeatTable,
    quote_sheet,
)
from .questions_sheet import validation_for
from .style import (
    BOLD,
    CHECK_FONT,
    HEADING_FILL,
    answer_cell,
    column_width,
    formula,
    grey_when,
    name_cells,
    print_setup,
    protect,
    text,
    title,
)

TABLE_MARK = "repeat:"  # the first cell of a table's key row: 'repeat:<name>'
COLUMN_WIDTH = 22
TITLE_COLUMNS = 5  # the title is merged across the record number and 4 columns
PRINT_WIDTH = 190  # characters of column width on one landscape page printed at about 70 %


def write_table(wb: Workbook, guide: Guide, layout: Layout, table: RepeatTable, formulas: Formulas) -> Worksheet:
    """Fill one repeat's sheet."""
    lang, say = layout.lang, layout.phrases.say
    ws = wb.create_sheet(table.sheet)
    repeat = table.item
    text(ws, T_KEY_ROW, 1, TABLE_MARK + repeat.name)
    text(ws, T_HEADER_ROW, 1, say("record"), BOLD).fill = HEADING_FILL
    for column in table.columns:
        text(ws, T_KEY_ROW, column.col, column.key)
        item = column.item
        if column.kind == "answer" and item is not None:
            header = " ".join(p for p in (item.number or "", guide.text(item.label, lang)) if p)
            if column.choice is not None:
                header += "\n\u2192 " + guide.text(column.choice.label, lang)  # the option stands out
        elif column.kind == "check":
            header = say("col_check")
        elif column.kind == "computed" and item is not None:
            header = guide.text(item.label, lang) or item.name
        else:
            header = ""
        if header:
            text(ws, T_HEADER_ROW, column.col, header, BOLD).fill = HEADING_FILL
    first, last = T_FIRST_ROW, table.last_row
    for row in range(first, last + 1):
        ws.cell(row, 1, row - first + 1)
        for column in table.columns:
            if column.kind == "answer":
                cell = answer_cell(ws, row, column.col)
                if column.item is not None and column.item.type == "date":
                    cell.number_format = "yyyy-mm-dd"
            elif column.formula:
                cell = formula(ws, row, column.col, column.formula.replace(ROW, str(row)))
                if column.kind == "check":
                    cell.font = CHECK_FONT
    validations: dict[str, DataValidation] = {}
    for column in table.answer_columns():
        item = column.item
        assert item is not None
        letter = get_column_letter(column.col)
        cells = f"{letter}{first}:{letter}{last}"
        # greyed whether or not the column has a drop-down: free text typed in a cell that
        # does not apply (e.g. an 'other' column) is not imported
        relevant = formulas.row_relevant.get((repeat.name, item.name), "TRUE")
        if relevant != "TRUE":
            grey_when(ws, cells, f"NOT({relevant.replace(ROW, str(first))})")
        if item.name not in validations:
            dv = validation_for(guide, layout, item, lang)
            if dv is None:
                continue
            validations[item.name] = dv
        validations[item.name].add(cells)
    for dv in validations.values():
        ws.add_data_validation(dv)
    ws.row_dimensions[T_KEY_ROW].hidden = True  # the header row is sized to its text later
    visible = [1]
    for column in table.columns:
        letter = get_column_letter(column.col)
        if column.kind in ("present", "value", "helper"):
            ws.column_dimensions[letter].hidden = True
        else:
            ws.column_dimensions[letter].width = COLUMN_WIDTH
            visible.append(column.col)
    title(ws, guide.text(repeat.label, lang), visible[min(TITLE_COLUMNS, len(visible)) - 1])
    ws.freeze_panes = f"B{T_FIRST_ROW}"
    width = sum(column_width(ws, col) for col in visible)
    print_setup(ws, visible[-1], last, title_rows=f"{T_HEADER_ROW}:{T_HEADER_ROW}", title_cols="A:A",
                pages_wide=max(1, math.ceil(width / PRINT_WIDTH)))
    end = get_column_letter(table.columns[-1].col) if table.columns else "A"
    name_cells(wb, f"_rg_table_{repeat.name}", f"{quote_sheet(table.sheet)}!$A${T_KEY_ROW}:${end}${T_KEY_ROW}")
    protect(ws)
    return ws
