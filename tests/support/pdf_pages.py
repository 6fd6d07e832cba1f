"""What a printed PDF shows: text that runs off a page's right edge."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

EDGE = 20  # points from the page's right edge: closer is cut or touching it


def pages_cut_on_the_right(pdf_path: Path) -> list[tuple[int, str]]:
    """Each page (1-based) with text past the right edge, and how the page begins."""
    pdf = pypdfium2.PdfDocument(pdf_path)
    cut = []
    for number in range(len(pdf)):
        text, width = pdf[number].get_textpage(), pdf[number].get_width()
        if any(text.get_charbox(k)[2] > width - EDGE for k in range(text.count_chars())):
            cut.append((number + 1, text.get_text_range()[:60]))
    return cut
