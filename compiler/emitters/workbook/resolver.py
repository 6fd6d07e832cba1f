"""The ExcelResolver of a workbook: names to cells, repeat fields to per-row cells, and hidden
helper columns added to repeat tables on request (compiler/expressions/excel.py asks)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from ...model import Guide, Item
from .layout import (
    CALC_SHEET,
    Q_VALUE,
    S_EFFECTIVE,
    T_FIRST_ROW,
    Layout,
    absolute,
    per_row,
    quote_sheet,
    score_value_col,
)

CALC_VALUE, CALC_RELEVANT, CALC_EFFECTIVE = 2, 3, 4


def gated(item: Item) -> bool:
    """True when the item or a container around it has a skip rule."""
    return any(n.relevant is not None for n in (item, *item.ancestors()))


class WorkbookResolver:
    """Cells of one workbook layout, for ExcelGenerator."""

    def __init__(self, guide: Guide, layout: Layout) -> None:
        self.layout = layout
        self.items = guide.items_by_name()

    def cell(self, name: str) -> str:
        """The value cell of a question, or of a calculation/score (blank when not relevant)."""
        if name in self.layout.computed:
            place = self.layout.computed[name]
            if place.sheet == CALC_SHEET:
                col = CALC_EFFECTIVE if gated(place.item) else CALC_VALUE
            else:
                col = S_EFFECTIVE if gated(place.item) else score_value_col(place.item)
            return absolute(place.sheet, col, place.row)
        return absolute(self.layout.questions_sheet, Q_VALUE, self.layout.row_of[name])

    def value_cell(self, name: str) -> str:
        """The computed value itself (not blanked by relevance) of a calculation or score."""
        place = self.layout.computed[name]
        col = CALC_VALUE if place.sheet == CALC_SHEET else score_value_col(place.item)
        return absolute(place.sheet, col, place.row)

    def record_cell(self, repeat: str, field: str) -> str:
        """A field's value in the current row: its hidden value column, or its computed column."""
        table = self.layout.tables[repeat]
        item = self.items[field]
        kind = "computed" if item.is_computed else "value"
        return per_row(table.sheet, table.column(kind, item).col)

    def record_present(self, repeat: str) -> str:
        """The current row holds a record (one of its answer cells is filled)."""
        table = self.layout.tables[repeat]
        return per_row(table.sheet, table.column("present").col)

    def helper_column(self, repeat: str, per_row_formula: str) -> str:
        """A hidden column holding per_row_formula on every prepared row; its range."""
        table = self.layout.tables[repeat]
        column = table.helpers.get(per_row_formula)
        if column is None:
            column = table.add("helper")
            column.formula = per_row_formula
            table.helpers[per_row_formula] = column
        letter = get_column_letter(column.col)
        return f"{quote_sheet(table.sheet)}!${letter}${T_FIRST_ROW}:${letter}${table.last_row}"
