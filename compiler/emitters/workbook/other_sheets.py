"""The instructions sheet, the hidden lists sheet (choice names and labels for drop-downs
and label-to-name lookups) and the hidden meta sheet (form id, version, language)."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ...model import Guide
from .layout import LISTS_SHEET, META_SHEET, YES_NO_LIST, Layout, absolute
from .style import BOLD, TITLE, name_cells, print_setup, protect, text

META_FORMAT = "rightguide-workbook-1"
META_ROWS = ("format", "form_id", "version", "language")
INSTRUCTIONS_WIDTH = 68  # characters: what A4 portrait holds as LibreOffice draws Calibri 11


def write_instructions(wb: Workbook, guide: Guide, layout: Layout) -> Worksheet:
    """What the assessment is, how to fill it, and how to send it back for import."""
    lang, say = layout.lang, layout.phrases.say
    ws = wb.create_sheet(layout.instructions_sheet)
    title = guide.text(guide.title, lang)
    text(ws, 1, 1, say("title", title=title), TITLE)
    text(ws, 3, 1, say("what", title=title))
    text(ws, 5, 1, say("how_heading"), BOLD)
    tables = ", ".join(t.sheet for t in layout.tables.values()) or "-"
    steps = layout.phrases.lines(
        "how", questions=layout.questions_sheet, yes=say("yes"), no=say("no"), check=say("col_check"),
        tables=tables, scores=layout.scores_sheet, dashboard=layout.dashboard_sheet,
    )
    row = 6
    for n, step in enumerate(steps, start=1):
        text(ws, row, 1, f"{n}. {step}")
        row += 1
    row += 1
    text(ws, row, 1, say("send_heading"), BOLD)
    text(ws, row + 1, 1, say("send"))
    row += 3
    language = next((lg.name for lg in guide.languages if lg.code == lang), lang)
    for key, value in (("form_id", guide.form_id), ("version", guide.version), ("language", f"{language} ({lang})")):
        text(ws, row, 1, f"{say(key)}{say('colon')} {value}")
        row += 1
    # LibreOffice never scales one column down to the page (it counts pages across by
    # columns): the column itself must fit A4 portrait
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    print_setup(ws, 1, row - 1, landscape=False)
    protect(ws)
    return ws


def write_lists(wb: Workbook, guide: Guide, layout: Layout) -> Worksheet:
    """Every answer list as a column of names and a column of labels in the language."""
    ws = wb.create_sheet(LISTS_SHEET)
    say = layout.phrases.say
    pairs = {name: [(c.name, guide.text(c.label, layout.lang)) for c in lst.choices] for name, lst in guide.lists.items()}
    pairs[YES_NO_LIST] = [("yes", say("yes")), ("no", say("no"))]
    for name, choices in pairs.items():
        col = layout.list_columns[name]
        text(ws, 1, col, name)
        for row, (choice, label) in enumerate(choices, start=2):
            text(ws, row, col, choice)
            text(ws, row, col + 1, label)
    ws.sheet_state = "hidden"
    protect(ws)
    return ws


def write_meta(wb: Workbook, guide: Guide, layout: Layout) -> Worksheet:
    """Form id, version and language, also as defined names _rg_<key>."""
    ws = wb.create_sheet(META_SHEET)
    values = dict(zip(META_ROWS, (META_FORMAT, guide.form_id, guide.version, layout.lang), strict=True))
    for row, key in enumerate(META_ROWS, start=1):
        text(ws, row, 1, key)
        text(ws, row, 2, values[key])
        name_cells(wb, f"_rg_{key}", absolute(META_SHEET, 2, row))
    ws.sheet_state = "hidden"
    protect(ws)
    return ws
