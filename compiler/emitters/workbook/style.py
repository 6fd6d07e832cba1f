"""Shared cell styles, page setup and small writing helpers of the workbook sheets."""

from __future__ import annotations

import math

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ...xlsx_files import set_text
from ...xlsx_print import print_pages
from ...xlsx_text_fit import (
    DEFAULT_WIDTH,
    FONT_NAME,
    FONT_SIZE,
    LINE_HEIGHT,
    line_height,
    wrapped_lines,
)

# Every font names the workbook's default font (FONT_NAME): a font without a name is drawn by
# LibreOffice in a serif fallback, wider than the text the row heights were measured for.
BOLD = Font(name=FONT_NAME, bold=True)
TITLE = Font(name=FONT_NAME, bold=True, size=14)
HEADING_FILL = PatternFill("solid", fgColor="DDE7F0")
ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "the yellow answer cells"
GREY_FILL = PatternFill("solid", fgColor="BFBFBF", bgColor="BFBFBF")
FLAG_FILL = PatternFill("solid", fgColor="F4B6B6", bgColor="F4B6B6")
CONCERN_FILL = PatternFill("solid", fgColor="FCE4C4", bgColor="FCE4C4")
CHECK_FONT = Font(name=FONT_NAME, color="C00000", bold=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTERED = Alignment(wrap_text=True, vertical="top", horizontal="center")
VALUE = Alignment(vertical="top", horizontal="left")  # a computed value beside its top-aligned label
VALUE_WRAP = Alignment(vertical="top", horizontal="left", wrap_text=True)
UNLOCKED = Protection(locked=False)


def text(ws: Worksheet, row: int, col: int, value: str, font: Font | None = None) -> Cell:
    """Write text (never read as a formula) with wrapping."""
    cell = ws.cell(row, col)
    set_text(cell, value or None)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    return cell


def title(ws: Worksheet, value: str, last_col: int) -> Cell:
    """The sheet's title in A1, merged across columns A to `last_col` so that it is not wrapped
    inside column A (fit_row_heights gives the row the height of the merged width)."""
    cell = text(ws, 1, 1, value, TITLE)
    if last_col > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    return cell


def formula(ws: Worksheet, row: int, col: int, body: str) -> Cell:
    """Write a formula (body without '='), its result at the top of the row like the texts."""
    cell = ws.cell(row, col)
    cell.value = "=" + body
    cell.alignment = WRAP
    return cell


def answer_cell(ws: Worksheet, row: int, col: int) -> Cell:
    """An unlocked, boxed, yellow cell for the user's answer."""
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
    """Lock every cell but the answer cells; no password, so a user can unprotect. Rows and
    columns may be resized (it changes no answer): a cut text can always be made readable."""
    ws.protection.sheet = True
    ws.protection.formatRows = False  # False: not protected
    ws.protection.formatColumns = False


def name_cells(wb: Workbook, name: str, ref: str) -> None:
    """A workbook-level defined name."""
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def print_setup(ws: Worksheet, last_col: int, last_row: int, *, title_rows: str | None = None,
                title_cols: str | None = None, landscape: bool = True, pages_wide: int = 1) -> None:
    """Print the sheet's used range on A4, `pages_wide` pages across (as many down as it
    takes), with the header rows (and columns) repeated on every page."""
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 1)}"
    print_pages(ws, title_rows=title_rows, title_cols=title_cols, landscape=landscape,
                pages_wide=pages_wide)  # fmt: skip
    ws.print_options.gridLines = False


def column_width(ws: Worksheet, col: int) -> float:
    """A column's width in characters (Excel's default when it has none)."""
    dim = ws.column_dimensions.get(get_column_letter(col))
    return dim.width if dim is not None and dim.width else DEFAULT_WIDTH


def fit_row_heights(wb: Workbook) -> None:
    """Give every row with wrapped text the height its longest cell needs.

    Excel does not size rows of a file it did not write itself, so long labels would be cut
    off or overlap the next row; the estimate wraps the words in the column's width (all the
    columns of a merged cell) at the cell's font size."""
    for ws in wb.worksheets:
        spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
        widths: dict[int, float] = {}
        for row in ws.iter_rows():
            height = 0.0
            for cell in row:
                if isinstance(cell, MergedCell) or not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                if cell.value.startswith("="):
                    continue
                width = 0.0
                for col in range(cell.column, spans.get((cell.row, cell.column), cell.column) + 1):
                    if col not in widths:
                        widths[col] = column_width(ws, col)
                    width += widths[col]
                size = float(cell.font.sz or FONT_SIZE)
                lines = wrapped_lines(cell.value, width, size, bool(cell.font.b))
                height = max(height, lines * line_height(size))
            first = row[0].row if row else None
            if first is None or height <= LINE_HEIGHT:
                continue
            dim = ws.row_dimensions[first]
            if dim.hidden or dim.height:
                continue
            dim.height = math.ceil(height)
