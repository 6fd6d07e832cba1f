"""Which reader an input path needs, from its shape and content (`--format` overrides it)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..diagnostics import UserError
from ..emitters.workbook.readback import FORMAT_NAME
from .readers.csv_text import decode, read_rows
from .readers.workbook_files import workbook_names

FORMATS = ("kobo-xlsx", "kobo-csv", "central", "collect", "workbook")


def detect_format(path: Path) -> str:
    """One of FORMATS for this path; a UserError line when it cannot be told."""
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    if path.is_dir():
        return "collect"
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "collect"
    if suffix == ".csv":
        text, _ = decode(path.read_bytes()[:65536], str(path))
        if not text.strip():
            raise UserError(f"{path}: the file is empty; export the data again")
        header, _, _ = read_rows(text.splitlines()[0].encode("utf-8"), str(path))
        return "central" if "KEY" in header and "SubmissionDate" in header else "kobo-csv"
    if suffix == ".zip":
        if not zipfile.is_zipfile(path):
            raise UserError(f"{path}: not a readable zip file; download the export again")
        with zipfile.ZipFile(path) as archive:
            names = [n.lower() for n in archive.namelist()]
        if any(n.endswith(".csv") for n in names):
            return "central"
        if any(n.endswith(".xml") for n in names):
            return "collect"
        raise UserError(f"{path}: the zip holds neither CSV tables nor XML instances")
    if suffix in (".xlsx", ".xlsm"):
        return "workbook" if is_self_assessment_workbook(path) else "kobo-xlsx"
    if suffix == ".ods":
        if is_self_assessment_workbook(path):
            return "workbook"
        raise UserError(
            f"{path}: not a self-assessment workbook of `rightguide build` (no defined name "
            f"{FORMAT_NAME}); only those are read as .ods: export the data as XLSX or CSV"
        )
    raise UserError(
        f"{path}: cannot tell the format from the name; give --format ({', '.join(FORMATS)})"
    )


def is_self_assessment_workbook(path: Path) -> bool:
    """True for a workbook this project made, as .xlsx or .ods, whoever saved it last: it
    carries the defined name _rg_format (read from the workbook's XML, after the zip limits;
    a zip bomb is refused here with its one line)."""
    return FORMAT_NAME in workbook_names(path)
