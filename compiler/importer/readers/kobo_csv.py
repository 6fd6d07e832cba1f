"""KoboToolbox CSV export: one main table, no repeat data (formpack leaves repeats out of CSV)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import limits
from ..form_fields import FormFields
from ..input_files import read_whole_file
from ..records import ReadResult, Record
from .csv_text import iter_rows
from .kobo_common import KOBO_META, kobo_record, unknown_columns_note
from .tables import foreign_table, match_columns, reject_rows
from .text_rows import converted


def iter_kobo_csv(
    path: Path, fields: FormFields, out: ReadResult, join: bool = True
) -> Iterator[Record]:
    """The records of a Kobo CSV export one at a time; notes go to `out`."""
    where = str(path)
    data = read_whole_file(path, limits.MAX_CSV_BYTES, "CSV export")
    header, rows, notes = iter_rows(data, where)
    del data  # the rows are read from the decoded text
    for text in notes:
        out.note(text)
    cmap = match_columns(header, fields, None, KOBO_META)
    if (reason := foreign_table(cmap, fields)) is not None:
        reject_rows(rows, where, None, reason, out)
        return
    if note := unknown_columns_note(where, cmap):
        out.note(note)
    repeats = [r.name for r in fields.repeats()]
    if repeats:
        out.note(
            f"{where}: Kobo CSV exports carry no repeat data ({', '.join(repeats)}): "
            "results that need them are left empty; export XLSX to include them"
        )
    for data, source in converted(cmap, rows, where, None):  # column by column (`text_rows`)
        yield kobo_record(data, source, None)
