"""KoboToolbox CSV export: one main table, no repeat data (formpack leaves repeats out of CSV)."""

from __future__ import annotations

from pathlib import Path

from ...gc_pause import reads_with_gc_paused
from ..form_fields import FormFields
from ..records import ReadResult, Source
from .csv_text import read_rows
from .kobo_common import KOBO_META, kobo_record, unknown_columns_note
from .tables import check_table_matches, convert_row, match_columns


@reads_with_gc_paused
def read_kobo_csv(path: Path, fields: FormFields) -> ReadResult:
    """Read a Kobo CSV export: every row a Record with repeats_available False."""
    where = str(path)
    header, rows, notes = read_rows(path.read_bytes(), where)
    result = ReadResult(notes=list(notes))
    cmap = match_columns(header, fields, None, KOBO_META)
    check_table_matches(cmap, fields, where)
    if note := unknown_columns_note(where, cmap):
        result.note(note)
    repeats = [r.name for r in fields.repeats()]
    if repeats:
        result.note(
            f"{where}: Kobo CSV exports carry no repeat data ({', '.join(repeats)}): "
            "results that need them are left empty; export XLSX to include them"
        )
    for number, cells in rows:
        source = Source(where, None, number)
        result.records.append(kobo_record(convert_row(cmap, cells, source), source, None))
    return result
