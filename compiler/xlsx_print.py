"""How a worksheet prints: A4, its header rows (and columns) on every page, fitted to the page
width or not, and the sheet's name and page in the footer. Both workbooks print this way
(the self-assessment workbook, scores.xlsx)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4


def print_pages(ws: Any, *, title_rows: str | None = None, title_cols: str | None = None,
                landscape: bool = True, pages_wide: int | None = 1) -> None:  # fmt: skip
    """Print on A4 with `title_rows` (and `title_cols`) repeated on every page, `pages_wide`
    pages across and as many down as it takes (None: as many across as the columns take).
    ws: a worksheet, write-only or not."""
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if pages_wide is not None:
        ws.page_setup.fitToWidth = pages_wide
        ws.page_setup.fitToHeight = 0  # 0: as many pages down as needed
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.center.text = "&A \u2013 &P / &N"  # sheet name, page / pages
