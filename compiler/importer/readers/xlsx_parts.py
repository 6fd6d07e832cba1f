"""The parts of an .xlsx workbook other than its worksheets, read as python-calamine reads them:
sheet names and their members (workbook.xml and its relationships), the date system, shared
strings and the number-format kind of each cell style. Also what reading any part safely takes:
a zip member read a chunk at a time within a limit, a DOCTYPE refused before libxml2 parses
anything, lxml's parser options, and the one line for a workbook that cannot be read.
"""

from __future__ import annotations

import itertools
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from lxml import etree

from ...diagnostics import UserError
from .. import limits
from ..form_fields import DOCTYPE_REFUSED, has_doctype
from ..safe_zip import read_member
from .xlsx_values import DATETIME, DURATION, OTHER, rich_text

CHUNK = 1 << 16  # bytes of unzipped XML fed to libxml2 at a time (fits the CPU caches)

# lxml's parser options for every part: no entities, no DTD, no network, libxml2's limits on
# text and depth. Comments and processing instructions are kept as nodes, so an element's text
# is its first text, as calamine reads <v> (the worksheet reader skips them).
SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": False,
    "remove_pis": False,
}

_REL_IDS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_SHEET_TYPES = ("worksheets", "chartsheets", "dialogsheets")
_VISIBILITY = ("visible", "hidden", "veryHidden")
_PARSERS = itertools.count(1)
_BUILTIN_KINDS = {str(i): DATETIME for i in (*range(14, 23), 45, 47)} | {"46": DURATION}


def unreadable(path: Path, detail: object) -> UserError:
    """The one line for a workbook that cannot be read (the wording kept from calamine days)."""
    text = " ".join(str(detail).split())[:200]
    return UserError(f"{path}: not a readable .xlsx workbook ({text}); export it again")


def message(exc: Exception, source: str | None = None) -> str:
    """lxml's message for the first error in the XML, without its '(<string>, line 1)' tail.

    A pull parser stops at an undefined entity without raising (lxml lets those pass when
    entities are not resolved) and raises at the next feed or at close about something else:
    so the first error logged for `source` (the parser's base_url) is the one given."""
    for error in getattr(exc, "error_log", None) or ():
        if error.filename == source and error.level >= etree.ErrorLevels.ERROR:
            return f"{error.message}, line {error.line}, column {error.column}"
    return getattr(exc, "msg", None) or str(exc)


def pull_parser(events: tuple[str, ...], tags: tuple[str, ...]) -> tuple[etree.XMLPullParser, str]:
    """A safe pull parser giving `events` for `tags`, and the name its errors are logged under
    (lxml's error log is shared by every parser of the thread: see `message`)."""
    source = f"xlsx-part-{next(_PARSERS)}"
    return etree.XMLPullParser(events=events, tag=tags, base_url=source, **SAFE), source


def local(tag: str) -> str:
    """An element's name without its namespace (calamine reads names without them)."""
    return tag.rpartition("}")[2]


class WorkbookParts:
    """What a workbook says about its sheets, read when it is opened: `sheet_names` in order,
    each sheet's member, the 1904 date system flag, shared strings and style kinds."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self._archive = archive
        self._path = path
        self._names: dict[str, str] = {}  # member name, lower case -> as stored (calamine's lookup)
        for info in archive.infolist():
            self._names.setdefault(info.filename.lower(), info.filename)
        self.shared_strings = self._shared_strings()
        self.style_kinds = self._style_kinds()
        self.is_1904 = False
        self.sheet_names: list[str] = []
        self.defined_names: dict[str, str] = {}  # name -> its formula ('Sheet'!$C$4)
        self._sheets: dict[str, str] = {}
        self._read_workbook(self._relationships())

    def sheet_member(self, name: str) -> str:
        """The zip member of sheet `name`; one line when there is none."""
        target = self._sheets.get(name)
        member = self.member(target) if target is not None else None
        if member is None:
            raise unreadable(self._path, f"Worksheet '{name}' not found")
        return member

    def member(self, name: str) -> str | None:
        """A member's name as stored, looked up without case, as calamine does."""
        return self._names.get(name.lower())

    def _small_xml(self, name: str) -> etree._Element:
        return small_xml(self._archive, name, self._path)

    def _shared_strings(self) -> list[str]:
        name = self.member("xl/sharedStrings.xml")
        if name is None:
            return []
        strings: list[str] = []
        parser, source = pull_parser(("end",), ("{*}si",))
        member = Member(self._archive, name, self._path, limits.MAX_MEMBER_BYTES)
        try:
            for events in member.events(parser, source):
                for _event, item in events:
                    strings.append(rich_text(item))
                    item.clear()
                    while item.getprevious() is not None:  # drop the strings already read
                        del item.getparent()[0]
        finally:
            member.close()
        return strings

    def _style_kinds(self) -> list[int]:
        """The kind of number format (other, date/time, duration) of each cell style, as
        calamine reads styles.xml: numFmts seen so far, then each cellXfs xf in order."""
        name = self.member("xl/styles.xml")
        if name is None:
            return []
        formats: dict[str, str] = {}
        kinds: list[int] = []
        for block in self._small_xml(name).iter("{*}numFmts", "{*}cellXfs"):
            if local(block.tag) == "numFmts":
                for fmt in block.iter("{*}numFmt"):
                    code = fmt.get("formatCode") or ""
                    if code:
                        formats[fmt.get("numFmtId") or ""] = code
                continue
            for xf in block.iter("{*}xf"):
                number_format = xf.get("numFmtId")
                if number_format is None:
                    kinds.append(OTHER)
                elif number_format in formats:
                    kinds.append(format_kind(formats[number_format]))
                else:
                    kinds.append(_BUILTIN_KINDS.get(number_format, OTHER))
        return kinds

    def _relationships(self) -> dict[str, str]:
        name = self.member("xl/_rels/workbook.xml.rels")
        if name is None:
            raise unreadable(self._path, "File not found 'xl/_rels/workbook.xml.rels'")
        return {
            rel.get("Id") or "": rel.get("Target") or ""
            for rel in self._small_xml(name).iter("{*}Relationship")
        }

    def _read_workbook(self, targets: dict[str, str]) -> None:
        name = self.member("xl/workbook.xml")
        if name is None:  # calamine: a workbook with no sheets
            return
        root = self._small_xml(name)
        self.defined_names = defined_names(root)
        for item in root.iter("{*}sheet", "{*}workbookPr"):
            if local(item.tag) == "workbookPr":
                self.is_1904 = item.get("date1904") in ("1", "true")
                continue
            sheet = item.get("name") or ""
            if item.get("state", "visible") not in _VISIBILITY:
                raise unreadable(self._path, f"Unrecognized sheet:state: {item.get('state')}")
            rel = next((item.get(key) for key in _REL_IDS if item.get(key) is not None), None)
            if rel is None or rel not in targets:
                raise unreadable(self._path, f"Relationship not found for sheet '{sheet}'")
            target = targets[rel]
            if target.startswith("/xl/"):
                target = target[1:]
            elif not target.startswith("xl/"):
                target = "xl/" + target
            parts = target.split("/")
            if len(parts) < 2 or parts[1] not in _SHEET_TYPES:
                raise unreadable(self._path, f"Unrecognized sheet:type: {target}")
            self._sheets.setdefault(sheet, target)
            self.sheet_names.append(sheet)


def small_xml(archive: zipfile.ZipFile, name: str, path: Path) -> etree._Element:
    """A small part (workbook, relationships, styles) parsed whole, safely: read within
    MAX_MEMBER_BYTES, a DOCTYPE refused before libxml2 sees it."""
    where = f"{path} [{name}]"
    data = read_member(archive, name, str(path))
    if has_doctype(data):
        raise UserError(f"{where}: {DOCTYPE_REFUSED}")
    try:
        root = etree.fromstring(data, etree.XMLParser(**SAFE))
    except etree.XMLSyntaxError as exc:
        raise unreadable(path, f"{name}: {message(exc)}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UserError(f"{where}: {DOCTYPE_REFUSED}")
    return root


BUILT_IN_NAME = "_xlnm."  # Excel's own names (print area, print titles): never an answer


def defined_names(workbook: etree._Element) -> dict[str, str]:
    """The defined names of a parsed xl/workbook.xml and their formulas, by their attributes
    (Excel writes `name` first, LibreOffice `function` and `hidden` before it). A name scoped
    to one sheet (localSheetId) counts only where no workbook-wide name has it; Excel's built-in
    names (_xlnm.Print_Area, ...) are left out."""
    names: dict[str, str] = {}
    local_names: dict[str, str] = {}
    for item in workbook.iter("{*}definedName"):
        name = item.get("name")
        if not name or name.startswith(BUILT_IN_NAME):
            continue
        target = local_names if item.get("localSheetId") is not None else names
        target.setdefault(name, (item.text or "").strip())
    return local_names | names


class Member:
    """One zip member's unzipped bytes, a chunk at a time, never past `limit`, its prolog read
    by expat first so that a DOCTYPE (and any entity it declares) never reaches libxml2."""

    def __init__(
        self, archive: zipfile.ZipFile, name: str, path: Path, limit: int,
        error: Callable[[Path, object], UserError] = unreadable,
    ) -> None:  # fmt: skip
        self._name = name
        self._path = path
        self._limit = limit
        self._error = error  # the one line for a file that cannot be read (.xlsx or .ods)
        self._prolog: Any = expat.ParserCreate()
        self._prolog.StartDoctypeDeclHandler = _doctype_seen
        self._prolog.StartElementHandler = _root_seen
        try:
            self._handle = archive.open(name)
        except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
            raise error(path, f"{name}: {exc}") from None

    def chunks(self) -> Iterator[bytes]:
        """The member's bytes, CHUNK at a time, then b"" once at its end."""
        read = 0
        while True:
            try:
                data = self._handle.read(CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
                raise self._error(self._path, f"{self._name}: {exc}") from None
            read += len(data)
            if read > self._limit:
                raise UserError(
                    f"{self._path}: '{self._name}' unpacks past {self._limit} bytes; "
                    "refused (is it a zip bomb?)"
                )
            if self._prolog is not None:
                self._check_prolog(data)
            yield data
            if not data:
                return

    def events(
        self, parser: etree.XMLPullParser, source: str
    ) -> Iterator[Iterator[tuple[str, Any]]]:
        """The member fed to a pull parser (`pull_parser`) a chunk at a time: after each chunk,
        the events it gave. Malformed XML is the one `error` line."""
        for data in self.chunks():
            try:
                if data:
                    parser.feed(data)
                else:
                    parser.close()
            except etree.XMLSyntaxError as exc:
                raise self._error(self._path, f"{self._name}: {message(exc, source)}") from None
            yield parser.read_events()

    def close(self) -> None:
        """Close the member (the zip stays open)."""
        self._handle.close()

    def _check_prolog(self, data: bytes) -> None:
        try:
            self._prolog.Parse(data, not data)
        except _RootSeen:
            self._prolog = None
        except _DoctypeSeen:
            raise UserError(f"{self._path} [{self._name}]: {DOCTYPE_REFUSED}") from None
        except (expat.ExpatError, ValueError, LookupError) as exc:  # LookupError: encoding
            raise self._error(self._path, f"{self._path} [{self._name}]: {exc}") from None


class _RootSeen(Exception):
    """Raised by expat's handler at the root element: the prolog holds no DOCTYPE."""


class _DoctypeSeen(Exception):
    """Raised by expat's handler at a DOCTYPE, before its internal subset is read."""


def _root_seen(*_args: object) -> None:
    raise _RootSeen


def _doctype_seen(*_args: object) -> None:
    raise _DoctypeSeen


def format_kind(code: str) -> int:
    """calamine's reading of a custom number format: a date/time when it has a date or time
    token outside quotes, escapes and brackets, a duration for [h], [mm], [ss]..."""
    escaped = quoted = am_pm = hms = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":  # the next character is a literal
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":  # only the first section counts
            return OTHER
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return DURATION
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not am_pm and not brackets:
            am_pm = True
        elif ch in "pm/PM" and am_pm and not brackets:
            return DATETIME
        elif ch in "dmhysDMHYS" and not am_pm and not brackets:
            return DATETIME
        elif not (hms and _same_letter(ch, prev)):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return OTHER


def _same_letter(a: str, b: str) -> bool:
    return a == b or (a.isascii() and b.isascii() and a.lower() == b.lower())
