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
