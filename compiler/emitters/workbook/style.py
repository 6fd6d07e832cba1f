"""Shared cell styles and small writing helpers of the workbook sheets."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ...xlsx_files import set_text

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADING_FILL = PatternFill("solid", fgColor="DDE7F0")
ANSWER_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F4F4F4")
GREY_FILL = PatternFill("solid", fgColor="BFBFBF", bgColor="BFBFBF")
FLAG_FILL = PatternFill("solid", fgColor="F4B6B6", bgColor="F4B6B6")
CHECK_FONT = Font(color="C00000", bold=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def text(ws: Worksheet, row: int, col: int, value: str, font: Font | None = None) -> Cell:
    """Write text (never read as a formula) with wrapping."""
    cell = ws.cell(row, col)
    set_text(cell, value or None)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    return cell


def formula(ws: Worksheet, row: int, col: int, body: str) -> Cell:
    """Write a formula (body without '=')."""
    cell = ws.cell(row, col)
    cell.value = "=" + body
    return cell


def answer_cell(ws: Worksheet, row: int, col: int) -> Cell:
    """An unlocked, boxed cell for the user's answer."""
    cell = ws.cell(row, col)
    cell.protection = UNLOCKED
    cell.fill = ANSWER_FILL
    cell.border = BOX
    cell.alignment = WRAP
    return cell


def grey_when(ws: Worksheet, cells: str, condition: str) -> None:
    """Grey out `cells` when `condition` (relative to the range's first cell) holds."""
    ws.conditional_formatting.add(cells, FormulaRule(formula=[condition], fill=GREY_FILL, stopIfTrue=False))


def protect(ws: Worksheet) -> None:
    """Lock every cell but the answer cells; no password, so a user can unprotect."""
    ws.protection.sheet = True


def name_cells(wb: Workbook, name: str, ref: str) -> None:
    """A workbook-level defined name."""
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


LINE_HEIGHT = 15.0  # points per line of 11-point text
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters


def fit_row_heights(wb: Workbook) -> None:
    """Give every row with wrapped text the height its longest cell needs.

    Excel does not size rows of a file it did not write itself, so long labels would be cut
    off or overlap the next row; the estimate counts characters against the column width."""
    import math

    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils import get_column_letter

    for ws in wb.worksheets:
        widths: dict[int, float] = {}
        for row in ws.iter_rows():
            lines = 1
            for cell in row:
                if isinstance(cell, MergedCell) or not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                if cell.value.startswith("="):
                    continue
                if cell.column not in widths:
                    dim = ws.column_dimensions.get(get_column_letter(cell.column))
                    widths[cell.column] = (dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
                per_line = max(1, int(widths[cell.column] * 1.1))
                needed = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
                lines = max(lines, needed)
            first = row[0].row if row else None
            if first is None or lines <= 1:
                continue
            dim = ws.row_dimensions[first]
            if dim.hidden or dim.height:
                continue
            dim.height = LINE_HEIGHT * lines
