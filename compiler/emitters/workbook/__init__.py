"""Excel self-assessment workbooks, one per guide language, with live scores.

`emit_workbooks(guide, out_dir)` writes workbooks/<form_id>_<lang>.xlsx: instructions, the
questions (numbered as the printed form, drop-downs of labels, validation, skip rules greyed
out, checks), one table per repeat, the scores as live formulas rendered by the Excel target
of the expression language, and a dashboard. Answer cells and form-level scores carry defined
names equal to their names in the guide source; `importer.readers.workbook.read_workbook` reads a
filled workbook back.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ...model import Guide
from ...xlsx_files import workbook_bytes, write_atomic
from .. import OutputFile
from .cells import plan_formulas
from .layout import plan_layout
from .other_sheets import write_instructions, write_lists, write_meta
from .questions_sheet import write_questions
from .resolver import WorkbookResolver
from .results_sheets import write_calculations, write_dashboard, write_scores
from .style import fit_row_heights
from .tables_sheet import write_table

WORKBOOK_DIR = "workbooks"


def workbook_path(guide: Guide, lang: str) -> str:
    """The workbook's path relative to the outputs directory."""
    return f"{WORKBOOK_DIR}/{guide.form_id}_{lang}.xlsx"


def build_workbook(guide: Guide, lang: str) -> Workbook:
    """The workbook of one language, as an openpyxl Workbook."""
    layout = plan_layout(guide, lang)
    resolver = WorkbookResolver(guide, layout)
    formulas = plan_formulas(guide, layout, resolver)
    wb = Workbook()
    wb.remove(wb.active)
    write_instructions(wb, guide, layout)
    write_questions(wb, guide, layout, formulas)
    for table in layout.tables.values():
        write_table(wb, guide, layout, table, formulas)
    write_scores(wb, guide, layout, formulas)
    write_dashboard(wb, guide, layout, resolver)
    write_lists(wb, guide, layout)
    write_calculations(wb, layout, formulas)
    write_meta(wb, guide, layout)
    fit_row_heights(wb)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    return wb


def workbook_file_bytes(guide: Guide, lang: str) -> bytes:
    """The .xlsx bytes of one language's workbook (byte-identical for the same guide)."""
    return workbook_bytes(build_workbook(guide, lang))


def emit_workbooks(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """Write one workbook per guide language; the files for the manifest."""
    files = []
    for lang in guide.languages:
        path = workbook_path(guide, lang.code)
        write_atomic(out_dir / path, workbook_file_bytes(guide, lang.code))
        files.append(OutputFile("workbook", path, lang.code))
    return files
