"""How much room a text takes in a spreadsheet cell: lines in a wrapping column, points per line.

Excel and LibreOffice do not size the rows of a file they did not write themselves, so a
writer that wraps text sets each row's height from this estimate (the self-assessment
workbook, scores.xlsx)."""

from __future__ import annotations

FONT_NAME = "Calibri"  # the font both workbooks name in every font the estimate measures
FONT_SIZE = 11.0  # the default font size of both workbooks
LINE_HEIGHT = 15.0  # points per line of 11-point text
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
CHARS_PER_WIDTH = 1.1  # characters of 11-point text per unit of column width
BOLD_SHRINK = 0.9  # bold text is wider


def wrapped_lines(value: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """Lines a text takes in a wrapping cell `width` characters wide: words are wrapped whole at
    plain spaces (a no-break space binds its words, as in French '« mot »'), a word longer
    than a line is cut, and line breaks in the text are kept."""
    per_line = max(
        1, int(width * CHARS_PER_WIDTH * FONT_SIZE / size * (BOLD_SHRINK if bold else 1.0))
    )
    lines = 0
    for part in value.split("\n"):
        lines += 1
        used, placed = 0, False
        for word in part.split(" "):  # '' for each extra space: they take room too
            need = used + (1 if placed else 0) + len(word)
            if need <= per_line:
                used, placed = need, True
                continue
            if placed:
                lines += 1
            lines += (len(word) - 1) // per_line if word else 0
            used, placed = len(word) % per_line or per_line, True
    return lines


def line_height(size: float = FONT_SIZE) -> float:
    """Points per line of text of `size` points."""
    return LINE_HEIGHT * size / FONT_SIZE
