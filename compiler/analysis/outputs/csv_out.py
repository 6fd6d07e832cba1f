"""scores.csv, issues.csv and rejected.csv: comma-separated, UTF-8 with a BOM (so Excel reads
the accents), CRLF line ends, every field quoted (OWASP's remedy for CSV injection, with the
single quotes `safe_cells.csv_cell` puts before formula triggers in text).

scores.csv has one row per submission: instance_id, file, sheet, row, form_version, the
number of issues, the scores taken as the export carried them (`from_export`: their names,
space-separated; an input without repeat records), then every form-level score by name. Repeat-level scores (one value per
repeat record) are omitted: they are lists, kept in scores.json.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ...model import Guide
from ...output_text import UTF8_ERRORS
from ...xlsx_files import write_atomic
from ..safe_cells import csv_cell


def form_level_scores(guide: Guide) -> list[str]:
    """Names of the scores outside repeats, in guide order."""
    return [s.name for s in guide.scores() if s.repeat is None]


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig", UTF8_ERRORS)


def _place(source: dict[str, Any]) -> list[Any]:
    return [source["file"], source["sheet"], source["row"]]


def write_csvs(guide: Guide, doc: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write scores.csv, issues.csv and rejected.csv (when the document lists rejected
    records) atomically; return their paths."""
    names = form_level_scores(guide)
    scores = [["instance_id", "file", "sheet", "row", "form_version", "issues", "from_export",
               *names]]  # fmt: skip
    issues = [["instance_id", "file", "sheet", "row", "field", "message"]]
    for sub in doc["submissions"]:
        values = [sub["scores"].get(n) for n in names]
        scores.append(
            [
                sub["instance_id"],
                *_place(sub["source"]),
                sub["form_version"],
                len(sub["issues"]),
                " ".join(sub.get("from_export") or ()),
                *values,
            ]
        )
        for issue in sub["issues"]:
            issues.append(
                [sub["instance_id"], *_place(issue["source"]), issue["field"], issue["message"]]
            )
    tables = [("scores.csv", scores), ("issues.csv", issues)]
    if "rejected" in doc:  # another form's document lists none: the main one lists them all
        rejected = [["file", "sheet", "row", "instance_id", "reason"]]
        for rej in doc["rejected"]:
            rejected.append([*_place(rej["source"]), rej["instance_id"], rej["reason"]])
        tables.append(("rejected.csv", rejected))
    out = []
    for name, rows in tables:
        path = out_dir / name
        write_atomic(path, csv_bytes(rows))
        out.append(path)
    return out
