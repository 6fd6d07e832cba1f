"""Cell text that no spreadsheet will execute (formula injection, OWASP "CSV injection").

Text that came from a submission may start with =, +, -, @, a tab, a carriage return or a
line feed; Excel and LibreOffice run such a cell as a formula when they open a CSV. A CSV
opened with another separator than it was written with (LibreOffice and Excel in French or
Spanish split on ';', some users choose tab) splits a field at that separator, and a line
break inside a field may start a row, so a trigger after a ';', ',', tab or line break inside
the text starts a cell too. In CSV, a single quote is put before every such trigger (OWASP's
remedy), and `csv_out` quotes every field. In XLSX every text is written as a string cell
(data_type 's'), which no spreadsheet evaluates, so the text stays as collected, except what
XML cannot hold (`output_text.ooxml_text`: a control character is shown as its symbol).
Numbers stay numbers.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell

from ..importer.limits import XLSX_MAX_CELL_CHARS
from ..output_text import ooxml_text

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# a trigger at the start of the text, or after a separator or line break inside it: what a
# spreadsheet splitting the field there would read as the start of a cell (a CR LF is one
# line break, not a break followed by a trigger)
_CELL_STARTS = re.compile(r"(?:^|(?<=[;,\t\r\n]))(?!(?<=\r)\n)(?=[=+\-@\t\r\n])")


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return text.startswith(DANGEROUS_START)


def csv_text(text: str) -> str:
    """The text with a single quote before every formula trigger that starts it or follows a
    ';', ',', tab or line break in it ('x;=1+1' becomes "x;'=1+1")."""
    return _CELL_STARTS.sub("'", text)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: None as "", numbers unchanged, text through `csv_text`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return csv_text(str(value))


def set_cell(cell: Cell, value: Any) -> None:
    """Put a value in an XLSX cell: numbers as numbers, any text as a string cell that XML can
    hold, cut to Excel's 32,767 characters (the whole text stays in scores.json)."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = int(value)
    elif isinstance(value, int | float):
        cell.value = value
    else:
        whole = str(value)
        text = ooxml_text(whole)
        if len(text) > XLSX_MAX_CELL_CHARS:  # Excel refuses a file with a longer cell
            cut = f"... [cut: {len(whole)} characters in all; see scores.json]"
            text = text[: XLSX_MAX_CELL_CHARS - len(cut)] + cut
        cell.value = text
        cell.data_type = "s"
