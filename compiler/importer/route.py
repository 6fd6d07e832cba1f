"""Which of a guide's forms each input holds, so one `rightguide score` run can take the team
assessment's exports and the consultation's side by side.

An input is told by what its producer writes, never by its file name: a Central zip by the
form id its main table is named after, ODK Collect instances by the id on their root element,
a filled workbook by the form id it carries, and a Kobo export (which carries no form id) or a
bare Central CSV by which form's questions its columns match most. A folder or zip of Collect
instances may hold several forms' instances (a phone collects both): it goes to each of them,
and each form's run passes over the other's records. An input that matches no form goes to the
guide's main form, whose reader rejects its records with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..diagnostics import UserError
from ..emitters.workbook.readback import read_workbook_cells
from . import limits
from .detect import csv_header, detect_format
from .form_fields import FormFields
from .input_files import check_input_path, read_head, refusal
from .limits import DETECT_BYTES
from .readers.central_zip import CENTRAL_META, is_central_header, open_zip
from .readers.collect_xml import folder_files
from .readers.kobo_common import KOBO_META
from .readers.kobo_xlsx import main_sheet_headers
from .readers.tables import match_columns
from .readers.workbook_files import AnswerFile
from .records import ReadResult
from .safe_zip import read_member

# the first element of an instance after the XML declaration, comments and processing
# instructions: its name and attributes (a peek; the reader parses the file in full)
_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->)*<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)([^>]*)>", re.DOTALL
)
_ID = re.compile(rb"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def route_inputs(
    forms: list[FormFields], paths: Iterable[Path], fmt: str | None = None
) -> dict[Path, list[str]]:
    """Each input's forms (ids, among `forms`, the guide's main form first): one form for an
    export of one form, several for Collect instances of several, the main form when none
    matches (its reader then rejects the records with the reason)."""
    ids = [f.form_id for f in forms]
    routed: dict[Path, list[str]] = {}
    for path in paths:
        path = Path(path)
        check_input_path(path)  # a named pipe or a device: its one line before a byte is read
        found = [i for i in ids if i in _forms_of(path, fmt or detect_format(path), forms)]
        routed[path] = found or [ids[0]]
    return routed


def _forms_of(path: Path, fmt: str, forms: list[FormFields]) -> set[str]:
    if fmt == "collect":
        return _collect_ids(path)
    if fmt == "workbook":
        form_id = _workbook_form_id(path, forms[0])
        return {form_id} if form_id else set()
    if fmt == "central" and path.suffix.lower() != ".csv":
        return _central_zip_ids(path)
    if fmt == "kobo-xlsx":
        headers = main_sheet_headers(path)
        return _best_match(headers, forms, KOBO_META)
    header = csv_header(path)
    meta = CENTRAL_META if is_central_header(header) else KOBO_META
    return _best_match([header], forms, meta)


def _best_match(headers: list[list[str]], forms: list[FormFields], meta: tuple[str, ...]) -> set[str]:
    """The form whose questions the columns of one of the tables match most (none: no match)."""
    best, chosen = 0, ""
    for fields in forms:
        for header in headers:
            cmap = match_columns(header, fields, None, meta)
            matched = len({c.field.name for c in cmap.columns
                           if c.field is not None and c.field.is_question})  # fmt: skip
            if matched > best:
                best, chosen = matched, fields.form_id
    return {chosen} if best else set()


def _central_zip_ids(path: Path) -> set[str]:
    """A Central export zip names its main table after the form id (FORMID.csv)."""
    with open_zip(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".csv") and "/" not in n]
    stems = {PurePosixPath(n).stem for n in names}
    # FORMID-REPEAT.csv tables sit beside FORMID.csv: the main table's stem prefixes the others
    return {s for s in stems if not any(s.startswith(o + "-") for o in stems if o != s)}


def _collect_ids(path: Path) -> set[str]:
    """The form ids on the root elements of Collect instance files (a file, folder or zip)."""
    if path.is_dir():
        files, _ = folder_files(path, ReadResult())
        return {i for f in files if (i := _root_id(_head(f)))}
    if path.suffix.lower() == ".zip":
        with open_zip(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".xml")]
            return {i for n in names if (i := _root_id(read_member(archive, n, str(path))[:DETECT_BYTES]))}
    return {i} if (i := _root_id(_head(path))) else set()


def _head(path: Path) -> bytes:
    """The start of an instance file; nothing for one the reader refuses (a link, a named
    pipe, too large), which says why."""
    if path.is_symlink() or refusal(path, limits.MAX_XML_BYTES, "file") is not None:
        return b""
    try:
        return read_head(path, DETECT_BYTES)
    except (OSError, UserError):
        return b""


def _workbook_form_id(path: Path, fields: FormFields) -> str | None:
    """The form id a filled workbook carries (its meta cells are the same in every form's)."""
    if fields.guide is None:
        return None
    with AnswerFile(path) as book:
        found = read_workbook_cells(book, fields.guide, limits.MAX_WORKBOOK_TABLE_ROWS)
    return found.meta.get("form_id") or None


def _root_id(head: bytes) -> str | None:
    """The form id of an instance (its root's id attribute, else the root's name), or None
    when the start of the file is not an XML element."""
    match = _ROOT.match(head.lstrip(b"\xef\xbb\xbf"))
    if match is None:
        return None
    found = _ID.search(match.group(2))
    if found is not None:
        return (found.group(1) or found.group(2) or b"").decode("utf-8", "replace")
    return match.group(1).split(b":")[-1].decode("utf-8", "replace")
