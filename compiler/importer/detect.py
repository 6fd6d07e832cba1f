"""Which reader an input path needs, from its shape and content (`--format` overrides it)."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from ..diagnostics import UserError
from ..emitters.workbook.readback import FORMAT_NAME
from .input_files import check_input_path, read_head
from .limits import DETECT_BYTES
from .readers.csv_text import decode, read_rows
from .readers.workbook_files import workbook_names

FORMATS = ("kobo-xlsx", "kobo-csv", "central", "collect", "workbook")


def detect_format(path: Path) -> str:
    """One of FORMATS for this path; a UserError line when it cannot be told."""
    check_input_path(path)
    if path.is_dir():
        return "collect"
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "collect"
    if suffix == ".csv":
        header = csv_header(path)
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
    if suffix == ".xls":
        raise UserError(
            f"{path}: an old Excel (.xls) workbook, which cannot be read; open it in Excel or "
            "LibreOffice, save it as .xlsx and give that file"
        )
    raise UserError(
        f"{path}: cannot tell the format from the name{f' ({suffix})' if suffix else ''}; "
        "give a Kobo or Central export (.xlsx, .csv, .zip), ODK Collect instances (.xml, a "
        "folder, .zip) or a filled workbook (.xlsx, .ods); when the file is one of these under "
        f"another name, give --format ({', '.join(FORMATS)})"
    )


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV export (only the start of the file is read)."""
    text, _ = decode(_whole_lines(read_head(path, DETECT_BYTES)), str(path))
    if not text.strip():
        raise UserError(f"{path}: the file is empty; export the data again")
    header, _, _ = read_rows(text.splitlines()[0].encode("utf-8"), str(path))
    return header


def _whole_lines(head: bytes) -> bytes:
    """The first bytes of a file up to the end of their last whole line (a character cut at
    the end would not decode), in UTF-16 too; all of them when no line ends."""
    if len(head) < DETECT_BYTES:
        return head  # the whole file
    newline = {codecs.BOM_UTF16_LE: b"\n\x00", codecs.BOM_UTF16_BE: b"\x00\n"}.get(head[:2], b"\n")
    end = len(head)
    while (found := head.rfind(newline, 0, end)) > 0 and len(newline) == 2 and found % 2:
        end = found + 1  # not on a character boundary: look further back
    return head[: found + len(newline)] if found > 0 else head


def is_self_assessment_workbook(path: Path) -> bool:
    """True for a workbook this project made, as .xlsx or .ods, whoever saved it last: it
    carries the defined name _rg_format (read from the workbook's XML, after the zip limits;
    a zip bomb is refused here with its one line)."""
    return FORMAT_NAME in workbook_names(path)
