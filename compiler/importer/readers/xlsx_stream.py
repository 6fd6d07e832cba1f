"""An .xlsx workbook read one worksheet at a time, as a stream: rows come out while the sheet is
unzipped, so memory does not grow with the sheet (only the shared-strings table is held).

It gives what python-calamine gives (the tests' reference: tests/support/calamine_sheets), as
far as `cell_text` can tell: row 1 first, then every row holding a value, with the same row
numbers and, cell by cell, the same text (calamine's rules for shared and inline strings,
numbers, booleans, errors, dates in the 1900 and 1904 systems, ISO dates, durations). Calamine
loads a whole sheet (1.2 GB for the main sheet of 100,000 Kobo submissions); this reader holds
one chunk of XML at a time.

A worksheet is read chunk by chunk of unzipped bytes, without building an element tree (which
is what made lxml's iterparse twice as slow as calamine):
1. expat reads the prolog and refuses a DOCTYPE before anything else parses the member;
2. lxml (libxml2, with no callbacks and no tree) checks that the XML is well formed, in a
   thread of its own (libxml2 runs without the GIL), while
3. one regular expression reads the same text: one match per cell in the forms Excel,
   openpyxl, xlsxwriter and Kobo write, and token by token, with calamine's rules, otherwise.
   A chunk's rows are given once the chunk is known to be well formed.
"""

from __future__ import annotations

import codecs
import math
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.parsers import expat

from lxml import etree

from ...diagnostics import UserError
from .. import limits
from ..form_fields import DOCTYPE_REFUSED, has_doctype
from ..safe_zip import open_checked_zip, read_member

Rows = Iterator[tuple[int, list[Any]]]  # (1-based row number, typed cells from column A)

_CHUNK = 1 << 20  # bytes of unzipped XML read at a time
_WS = " \t\n\r"  # XML white space: what calamine trims from <t> text
_MAX_COLUMNS = 16_384  # Excel's last column is XFD; a wider reference is refused
_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_REL_IDS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SHEET_TYPES = ("worksheets", "chartsheets", "dialogsheets")
_VISIBILITY = ("visible", "hidden", "veryHidden")

# Number formats (styles.xml), as calamine classifies them.
_OTHER, _DATETIME, _DURATION = 0, 1, 2
_BUILTIN_KINDS = {str(i): _DATETIME for i in (*range(14, 23), 45, 47)} | {"46": _DURATION}

# Cells and other tokens of a worksheet. The first alternative is a whole cell in its usual
# forms (groups: column, row, style, type, <v> text, <t> text, preserved <t> text); anything
# else is one token (group 8): comment, CDATA, processing instruction, tag, text, or a lone
# '<' (a token cut by the end of the chunk).
_TOKENS = re.compile(
    r'<c r="([A-Z]{1,3})([1-9][0-9]{0,9})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?'
    r"(?:/>|>(?:<v>([^<&]*)</v>|<is><t>([^<&]*)</t></is>"
    r'|<is><t xml:space="preserve">([^<&]*)</t></is>)?</c>)'
    r"|(<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    r"""|<[^!?<>][^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>|[^<]+|<)""",
    re.DOTALL,
)
_ROW_R = re.compile(r'<row r="([1-9][0-9]{0,9})"')
_TAG = re.compile(r"</?([^\s/>]+)(.*?)(/?)>\Z", re.DOTALL)
_ATTR = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(r"([A-Za-z]*)([0-9]+)")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER_CHARS = "0123456789.+-eE"
_SPECIAL_NUMBER = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

# Dates: calamine counts milliseconds from 1899-12-30 and chrono holds years -262143..262142.
_EPOCH = datetime(1899, 12, 30)
_DAY_MS = 86_400_000
_CHRONO_MIN_MS = (date(257, 1, 1).toordinal() - 656 * 146_097 - _EPOCH.toordinal()) * _DAY_MS
_I64 = 2**63
_ISO_DATE = r"\s*([0-9]{4})\s*-\s*([0-9]{1,2})\s*-\s*([0-9]{1,2})"
_ISO_TIME = r"\s*([0-9]{1,2})\s*:\s*([0-9]{1,2})"
_ISO_DATETIME = re.compile(_ISO_DATE + "T" + _ISO_TIME + r"\s*:\s*([0-9]{1,2})(?:\.([0-9]+))?\s*")
_ISO_TIME_ONLY = re.compile(_ISO_TIME + r"(?:\s*:\s*([0-9]{1,2})(?:\.([0-9]+))?)?\s*")
_ISO_DATE_ONLY = re.compile(_ISO_DATE + r"\s*")

# Where the token reader is in a worksheet.
_HEAD, _OUT, _CELL, _VALUE, _DONE = range(5)  # before <sheetData>, in it, in <c>, in <v>/<f>/<is>


def _column_numbers() -> dict[str, int]:
    numbers: dict[str, int] = {}
    for index in range(_MAX_COLUMNS):
        n, name = index + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        numbers[name] = index
    return numbers


_COLUMNS = _column_numbers()  # "A" -> 0 ... "XFD" -> 16383


def _unreadable(path: Path, detail: object) -> UserError:
    """The one line kobo_xlsx gives for a workbook calamine cannot read."""
    text = " ".join(str(detail).split())[:200]
    return UserError(f"{path}: not a readable .xlsx workbook ({text}); export it again")


def open_stream_book(path: Path) -> StreamBook:
    """Open an .xlsx workbook for streaming after the zip checks (`open_checked_zip`): its
    sheet names, number formats, date system and shared strings are read now, each sheet's
    rows when `StreamBook.rows` is iterated. One clear line if it cannot be read."""
    archive = open_checked_zip(path, workbook=True)
    try:
        return StreamBook(archive, path)
    except BaseException:
        archive.close()
        raise


class StreamBook:
    """An .xlsx workbook read one sheet at a time, streaming."""

    sheet_names: list[str]

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self._archive = archive
        self._path = path
        self._names: dict[str, str] = {}  # member name, lower case -> as stored (calamine's lookup)
        for info in archive.infolist():
            self._names.setdefault(info.filename.lower(), info.filename)
        self._sst = self._shared_strings()
        self._kinds = self._style_kinds()
        targets = self._relationships()
        self._is_1904 = False
        self._sheets: dict[str, str] = {}
        self.sheet_names = []
        self._read_workbook(targets)

    def rows(self, name: str) -> Rows:
        """Row 1 (the header, `(1, [])` when the sheet has none) and every row holding a value,
        as (1-based row number, cells from column A with gaps as ""), read as they are asked
        for; exactly what calamine gives, for `cell_text`.

        Rows end at their last value, but a row shorter than the header is filled with "" to
        its width: calamine gives every row the sheet's width, and a short row reads as cut
        short (`tables.convert_row`). A row longer than the header is given whole."""
        width = -1  # the header's, once read
        for number, cells in self._sheet_rows(name):
            if width < 0:
                width = len(cells) if number == 1 else 0
                if number != 1:
                    yield 1, []
            elif len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells
        if width < 0:
            yield 1, []

    def close(self) -> None:
        """Close the zip file."""
        self._archive.close()

    def __enter__(self) -> StreamBook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ---------------------------------------------------------------------- workbook parts

    def _member(self, name: str) -> str | None:
        return self._names.get(name.lower())

    def _small_xml(self, name: str) -> etree._Element:
        """A small part (workbook, relationships, styles) parsed whole, safely."""
        where = f"{self._path} [{name}]"
        data = read_member(self._archive, name, str(self._path))
        if has_doctype(data):
            raise UserError(f"{where}: {DOCTYPE_REFUSED}")
        try:
            root = etree.fromstring(data, _safe_parser())
        except etree.XMLSyntaxError as exc:
            raise _unreadable(self._path, f"{name}: {_message(exc)}") from None
        tree = root.getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise UserError(f"{where}: {DOCTYPE_REFUSED}")
        return root

    def _shared_strings(self) -> list[str]:
        name = self._member("xl/sharedStrings.xml")
        if name is None:
            return []
        strings: list[str] = []
        parser = etree.XMLPullParser(events=("end",), tag="{*}si", **_SAFE)
        member = _Member(self._archive, name, self._path, limits.MAX_MEMBER_BYTES)
        prolog = _Prolog(f"{self._path} [{name}]", self._path)
        try:
            while True:
                data = member.read(_CHUNK)
                prolog.feed(data, final=not data)  # a DOCTYPE never reaches libxml2
                try:
                    if data:
                        parser.feed(data)
                    else:
                        parser.close()
                except etree.XMLSyntaxError as exc:
                    raise _unreadable(self._path, f"{name}: {_message(exc)}") from None
                for _event, item in parser.read_events():
                    strings.append(_rich_text(item))
                    item.clear()
                    while item.getprevious() is not None:  # drop the strings already read
                        del item.getparent()[0]
                if not data:
                    return strings
        finally:
            member.close()

    def _style_kinds(self) -> list[int]:
        """The kind of number format (other, date/time, duration) of each cell style, as
        calamine reads styles.xml: numFmts seen so far, then each cellXfs xf in order."""
        name = self._member("xl/styles.xml")
        if name is None:
            return []
        formats: dict[str, str] = {}
        kinds: list[int] = []
        for block in self._small_xml(name).iter("{*}numFmts", "{*}cellXfs"):
            if _local(block.tag) == "numFmts":
                for fmt in block.iter("{*}numFmt"):
                    code = fmt.get("formatCode") or ""
                    if code:
                        formats[fmt.get("numFmtId") or ""] = code
                continue
            for xf in block.iter("{*}xf"):
                number_format = xf.get("numFmtId")
                if number_format is None:
                    kinds.append(_OTHER)
                elif number_format in formats:
                    kinds.append(_format_kind(formats[number_format]))
                else:
                    kinds.append(_BUILTIN_KINDS.get(number_format, _OTHER))
        return kinds

    def _relationships(self) -> dict[str, str]:
        name = self._member("xl/_rels/workbook.xml.rels")
        if name is None:
            raise _unreadable(self._path, "File not found 'xl/_rels/workbook.xml.rels'")
        return {
            rel.get("Id") or "": rel.get("Target") or ""
            for rel in self._small_xml(name).iter("{*}Relationship")
        }

    def _read_workbook(self, targets: dict[str, str]) -> None:
        name = self._member("xl/workbook.xml")
        if name is None:  # calamine: a workbook with no sheets
            return
        for item in self._small_xml(name).iter("{*}sheet", "{*}workbookPr"):
            if _local(item.tag) == "workbookPr":
                self._is_1904 = item.get("date1904") in ("1", "true")
                continue
            sheet = item.get("name") or ""
            if item.get("state", "visible") not in _VISIBILITY:
                raise _unreadable(self._path, f"Unrecognized sheet:state: {item.get('state')}")
            rel = next((item.get(key) for key in _REL_IDS if item.get(key) is not None), None)
            if rel is None or rel not in targets:
                raise _unreadable(self._path, f"Relationship not found for sheet '{sheet}'")
            target = targets[rel]
            if target.startswith("/xl/"):
                target = target[1:]
            elif not target.startswith("xl/"):
                target = "xl/" + target
            parts = target.split("/")
            if len(parts) < 2 or parts[1] not in _SHEET_TYPES:
                raise _unreadable(self._path, f"Unrecognized sheet:type: {target}")
            self._sheets.setdefault(sheet, target)
            self.sheet_names.append(sheet)

    def _sheet_rows(self, name: str) -> Rows:
        target = self._sheets.get(name)
        member = self._member(target) if target is not None else None
        if member is None:
            raise _unreadable(self._path, f"Worksheet '{name}' not found")
        return _SheetReader(self, member).rows()


# --------------------------------------------------------------------------- XML plumbing

_SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(**_SAFE)


def _message(exc: Exception) -> str:
    """lxml's message without its '(<string>, line 1)' tail."""
    return getattr(exc, "msg", None) or str(exc)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _RootSeen(Exception):
    """Raised by expat's handler at the root element: the prolog holds no DOCTYPE."""


class _DoctypeSeen(Exception):
    """Raised by expat's handler at a DOCTYPE, before its internal subset is read."""


def _root_seen(*_args: object) -> None:
    raise _RootSeen


def _doctype_seen(*_args: object) -> None:
    raise _DoctypeSeen


class _Prolog:
    """Expat reads a member's prolog, chunk by chunk, until the root element starts, so a
    DOCTYPE (and any entity it declares) is refused before lxml or the cell reader sees it."""

    def __init__(self, where: str, path: Path) -> None:
        self._where = where
        self._path = path
        self._parser: Any = expat.ParserCreate()
        self._parser.StartDoctypeDeclHandler = _doctype_seen
        self._parser.StartElementHandler = _root_seen

    def feed(self, data: bytes, final: bool = False) -> None:
        if self._parser is None:
            return
        try:
            self._parser.Parse(data, final)
        except _RootSeen:
            self._parser = None
        except _DoctypeSeen:
            raise UserError(f"{self._where}: {DOCTYPE_REFUSED}") from None
        except (expat.ExpatError, ValueError) as exc:
            raise _unreadable(self._path, f"{self._where}: {exc}") from None


class _Discard:
    """An lxml parser target with no callbacks: libxml2 checks the XML and builds nothing."""

    def close(self) -> None:
        return None


class _Checker:
    """libxml2 checks a member's XML in a thread of its own while the cell reader reads the
    same chunks (lxml lets go of the GIL while it parses, so both run at once); `checked`
    waits for a chunk's check, so no row is given from XML not yet known to be well formed."""

    def __init__(self) -> None:
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._count = 0  # chunks checked
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._check, name="xlsx-check", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> None:
        """Check `data` next; b"" ends the document (a truncated one is an error)."""
        self._chunks.put(data)

    def checked(self, count: int) -> Exception | None:
        """Wait until `count` chunks are checked; the error found, if any."""
        with self._done:
            while self._count < count and self._error is None:
                self._done.wait()
            return self._error

    def stop(self) -> None:
        self._chunks.put(None)
        self._thread.join()

    def _check(self) -> None:
        parser = etree.XMLParser(target=_Discard(), **_SAFE)  # made and used in this thread
        while (data := self._chunks.get()) is not None:
            if self._error is not None:
                continue  # keep taking chunks until stopped
            try:
                if data:
                    parser.feed(data)
                else:
                    parser.close()
            except Exception as exc:  # XMLSyntaxError, or anything: never leave the reader waiting
                error: Exception | None = exc
            else:
                error = None
            with self._done:
                self._count += 1
                self._error = error
                self._done.notify_all()


class _Member:
    """One zip member's unzipped bytes, read a chunk at a time and never past `limit`."""

    def __init__(self, archive: zipfile.ZipFile, name: str, path: Path, limit: int) -> None:
        self._name = name
        self._path = path
        self._limit = limit
        self._read = 0
        try:
            self._handle = archive.open(name)
        except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
            raise _unreadable(path, f"{name}: {exc}") from None

    def read(self, size: int) -> bytes:
        try:
            data = self._handle.read(size)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
            self._handle.close()
            raise _unreadable(self._path, f"{self._name}: {exc}") from None
        self._read += len(data)
        if self._read > self._limit:
            self._handle.close()
            raise UserError(
                f"{self._path}: '{self._name}' unpacks past {self._limit} bytes; "
                "refused (is it a zip bomb?)"
            )
        if not data:
            self._handle.close()
        return data

    def close(self) -> None:
        self._handle.close()


def _decoder(head: bytes) -> codecs.IncrementalDecoder:
    """A text decoder for a member, from its byte order mark or XML declaration."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = "utf-16"
    elif head.startswith((b"<\x00?\x00", b"\x00<\x00?")):
        name = "utf-16-le" if head[0] == 0x3C else "utf-16-be"
    else:
        found = _ENCODING.match(head.removeprefix(codecs.BOM_UTF8))
        name = found.group(1).decode() if found else "utf-8"
        if codecs.lookup(name).name == "utf-8":
            name = "utf-8-sig"  # a UTF-8 byte order mark is not text
    return codecs.getincrementaldecoder(name)(errors="strict")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _decode_text(raw: str) -> str:
    return _ENTITY.sub(_entity, raw) if "&" in raw else raw


def _attributes(raw: str) -> dict[str, str]:
    """A start tag's attributes, values normalised as XML does (white space -> space)."""
    found: dict[str, str] = {}
    for key, double, single in _ATTR.findall(raw):
        value = (double or single).translate({9: " ", 10: " "})
        found[key] = _decode_text(value)
    return found


def _unescape_x(text: str) -> str:
    """Excel's _xHHHH_ escapes (control characters in strings) decoded, as calamine does."""
    return _X_ESCAPE.sub(_x_char, text) if "_x" in text else text


def _x_char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def _rich_text(item: etree._Element) -> str:
    """A shared string (<si>) or inline string (<is>): its <t> texts outside phonetic runs
    (<rPh>), each trimmed of white space unless xml:space="preserve"."""
    if len(item) == 1:
        only = item[0]  # the usual <si><t>text</t></si>
        if not len(only) and isinstance(only.tag, str) and _local(only.tag) == "t":
            return _unescape_x(_t_text(only))
    parts: list[str] = []
    _collect_t(item, parts)
    return _unescape_x("".join(parts))


def _collect_t(item: etree._Element, parts: list[str]) -> None:
    for child in item:
        if not isinstance(child.tag, str):
            continue
        local = _local(child.tag)
        if local == "t":
            parts.append(_t_text(child))
        elif local != "rPh":
            _collect_t(child, parts)


def _t_text(item: etree._Element) -> str:
    text = "".join(item.itertext()) if len(item) else item.text or ""
    return text if item.get(_XML_SPACE) == "preserve" else text.strip(_WS)


def _format_kind(code: str) -> int:
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
            return _OTHER
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return _DURATION
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not am_pm and not brackets:
            am_pm = True
        elif ch in "pm/PM" and am_pm and not brackets:
            return _DATETIME
        elif ch in "dmhysDMHYS" and not am_pm and not brackets:
            return _DATETIME
        elif not (hms and _same_letter(ch, prev)):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return _OTHER


def _same_letter(a: str, b: str) -> bool:
    return a == b or (a.isascii() and b.isascii() and a.lower() == b.lower())


# ------------------------------------------------------------------------------ cell values


def _number(text: str) -> float | None:
    """The number calamine reads from a <v> (Rust float syntax: no spaces, no '_'), or None."""
    if not text.strip(_NUMBER_CHARS):
        try:
            return float(text)
        except ValueError:
            return None
    return float(text) if _SPECIAL_NUMBER.fullmatch(text) else None


def _round_i64(value: float) -> int:
    """Rust's `value.round() as i64`: half away from zero, saturating, NaN -> 0."""
    if value != value:
        return 0
    if value >= _I64:
        return _I64 - 1
    if value <= -_I64:
        return -_I64
    whole = math.floor(abs(value))
    if abs(value) - whole >= 0.5:
        whole += 1
    return whole if value >= 0 else -whole


def _excel_ms(value: float, is_1904: bool) -> int:
    """Milliseconds from 1899-12-30 of an Excel serial date (with the 1900 leap-year bug)."""
    days = value + 1462.0 if is_1904 else value
    if not days >= 60.0:
        days += 1.0
    return _round_i64(days * _DAY_MS)


def _dated(value: float, kind: int, is_1904: bool) -> Any:
    """A number in a date/time or duration format as python-calamine gives it: a timedelta,
    a time (below 1), a date (whole), a datetime, or the number when out of range."""
    try:
        if kind == _DURATION:
            return timedelta(milliseconds=_round_i64(value * _DAY_MS))
        ms = _excel_ms(value, is_1904)
        if value < 1.0:
            if ms < _CHRONO_MIN_MS:
                return value
            of_day = ms % _DAY_MS
            return time(of_day // 3_600_000, of_day // 60_000 % 60, of_day // 1000 % 60,
                        of_day % 1000 * 1000)  # fmt: skip
        moment = _EPOCH + timedelta(milliseconds=ms)
    except OverflowError:  # beyond Python's years 1..9999: calamine gives the number too
        return value
    return moment.date() if value.is_integer() else moment


def _iso(text: str) -> Any:
    """A t="d" cell (ISO 8601) as python-calamine gives it, or the text when unreadable."""
    try:
        if "T" in text:
            found = _ISO_DATETIME.fullmatch(text)
            if found:
                y, mo, d, h, mi, s, frac = found.groups()
                micro = int((frac or "")[:6].ljust(6, "0"))
                return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro)
        elif ":" in text:
            found = _ISO_TIME_ONLY.fullmatch(text)
            if found:
                h, mi, s, frac = found.groups()
                micro = int((frac or "")[:6].ljust(6, "0"))
                return time(int(h), int(mi), int(s or 0), micro)
        else:
            found = _ISO_DATE_ONLY.fullmatch(text)
            if found:
                return date(*(int(part) for part in found.groups()))
    except ValueError:
        pass
    return text


def _cell_ref(ref: str) -> tuple[int, int | None] | None:
    """(0-based row, 0-based column or None) of "B12" (letters in any case), None if invalid."""
    found = _REF.fullmatch(ref)
    if found is None or int(found.group(2)) == 0:
        return None
    letters = found.group(1).upper()
    column = _COLUMNS.get(letters) if letters else None
    if letters and column is None:
        column = _MAX_COLUMNS  # refused by the caller
    return int(found.group(2)) - 1, column


# --------------------------------------------------------------------------- worksheet rows


class _SheetReader:
    """One worksheet's rows, read from its member chunk by chunk (see the module docstring).

    Cells are placed the way calamine places them: at their own reference (`r`), or, without
    one, after the previous cell of the row (`<row r>` and `</row>` move the row). Empty cells
    are not kept; a row is given when it holds a value, once the next row starts."""

    def __init__(self, book: StreamBook, member: str) -> None:
        self._book = book
        self._path = book._path
        self._member_name = member
        self._sst = book._sst
        self._kinds = book._kinds
        self._is_1904 = book._is_1904
        # Styles that make a number a date, time or duration, by their text in s="..."
        self._dated_styles = {str(i): kind for i, kind in enumerate(self._kinds) if kind}
        self._out: list[tuple[int, list[Any]]] = []  # rows completed in the current chunk
        self._phase = _HEAD
        self._number = 0  # the row being filled (its values are in _cells), 0 before any
        self._digits = ""  # that row's number as written in the cell references
        self._cells: list[Any] = []
        self._row_index = 0  # calamine's position for cells without a reference
        self._col_index = 0
        self._cell_at: tuple[int, int] = (0, 0)  # the cell read token by token
        self._cell_type = ""
        self._cell_style = ""
        self._cell_value: Any = ""
        self._value_tag = ""  # v, f or is
        self._value_depth = 0
        self._value_events: list[tuple[str, str]] = []  # (kind, raw text) inside <v>
        self._t_parts: list[str] | None = None  # the <t> being read in <is>
        self._t_preserve = False
        self._is_parts: list[str] = []
        self._is_found = False
        self._phonetic = False

    def _error(self, detail: str) -> UserError:
        return _unreadable(self._path, f"{self._member_name}: {detail}")

    def rows(self) -> Rows:
        member = _Member(self._book._archive, self._member_name, self._path, limits.MAX_SHEET_BYTES)
        prolog = _Prolog(f"{self._path} [{self._member_name}]", self._path)
        checker = _Checker()
        chunks = 0
        decoder: codecs.IncrementalDecoder | None = None
        buffer = ""
        carriage = ""  # a '\r' at the end of a chunk, kept until the next shows if '\n' follows
        size = _CHUNK
        try:
            while self._phase != _DONE:
                data = member.read(size)
                prolog.feed(data, final=not data)  # a DOCTYPE never reaches libxml2
                checker.feed(data)
                chunks += 1
                try:
                    if decoder is None:
                        decoder = _decoder(data)
                    text = carriage + decoder.decode(data, final=not data)
                except (UnicodeDecodeError, LookupError) as exc:
                    self._raise_if_malformed(checker, chunks)  # that first
                    raise self._error(str(exc)) from None
                carriage = ""
                if data and text.endswith("\r"):
                    text, carriage = text[:-1], "\r"
                if "\r" in text:  # XML line ends: \r\n and \r are \n
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                buffer += text
                # ('!' in buffer is a memchr: most chunks have no '!' or '?', so no 2-char search)
                special = ("!" in buffer and "<!" in buffer) or ("?" in buffer and "<?" in buffer)
                if special or not data:  # read comments etc. only from XML known well formed
                    self._raise_if_malformed(checker, chunks)
                cut = len(buffer) if not data else self._cut(buffer, special)
                if cut:
                    try:
                        self._scan(buffer, cut)
                    except (UserError, ValueError, OverflowError) as exc:
                        self._raise_if_malformed(checker, chunks)  # that first
                        if isinstance(exc, UserError):
                            raise
                        raise self._error(str(exc)) from None
                    buffer = buffer[cut:]
                    size = _CHUNK
                else:  # one token longer than the buffer: read it whole, in fewer rescans
                    size = max(_CHUNK, len(buffer))
                self._raise_if_malformed(checker, chunks)
                yield from self._out
                self._out.clear()
                if not data:
                    break
        finally:
            checker.stop()
            member.close()
        if self._phase not in (_HEAD, _DONE):
            raise self._error("Unexpected end of xml, expecting '</sheetData>'")
        if self._cells:
            yield self._number, self._cells

    def _raise_if_malformed(self, checker: _Checker, chunks: int) -> None:
        error = checker.checked(chunks)
        if error is not None:
            raise self._error(_message(error))

    @staticmethod
    def _cut(buffer: str, special: bool) -> int:
        """Where the complete tokens of the buffer end: before its last '<', unless a comment,
        CDATA section or processing instruction (`special`) may hold one: then token by token."""
        if not special:
            return max(buffer.rfind("<"), 0)
        cut = 0
        for found in _TOKENS.finditer(buffer):
            other = found.group(8)
            if other == "<" or (other and other[0] != "<" and found.end() == len(buffer)):
                break  # a token cut by the end of the chunk, or text that may go on
            cut = found.end()
        return cut

    def _scan(self, text: str, end: int) -> None:
        """Read the tokens of text[:end] into rows. The common cases are read here with local
        variables (this is the hot loop); the rest by `_token`, with the state in self."""
        out = self._out
        phase = self._phase
        number, digits, cells = self._number, self._digits, self._cells
        row_index, col_index = self._row_index, self._col_index
        columns = _COLUMNS
        sst = self._sst
        n_sst = len(sst)
        dated = self._dated_styles
        for col, row, style, kind, v, inline, kept, other in _TOKENS.findall(text, 0, end):
            if col:  # a whole cell
                if phase != _OUT:
                    if phase == _HEAD:  # calamine reads cells only inside <sheetData>
                        continue
                    raise self._error("a cell inside a cell")
                index = columns.get(col)
                if index is None:
                    raise self._error(f"column {col} is past the last column XFD")
                col_index = index + 1
                # (an empty value is never stored: it makes no row, in calamine either)
                if inline:
                    value: Any = inline.strip(_WS)
                    if not value:
                        continue
                    if "_x" in value:
                        value = _unescape_x(value)
                elif v:
                    if not kind or kind == "n":
                        if v.strip(_NUMBER_CHARS):
                            value = _number(v)
                        else:
                            try:
                                value = float(v)
                            except ValueError:
                                value = None
                        if value is None:  # the text as it is, or an error for t="n"
                            value = self._convert(kind, style, v)
                        elif style:
                            form = dated.get(style) if style[0] != "0" else self._style(style)
                            if form:
                                value = _dated(value, form, self._is_1904)
                    elif kind == "s" and v.isascii() and v.isdigit() and int(v) < n_sst:
                        value = sst[int(v)]
                        if not value:
                            continue
                    else:
                        value = self._convert(kind, style, v)
                        if isinstance(value, str) and not value:
                            continue
                elif kept:
                    value = _unescape_x(kept)
                else:
                    continue
                if row != digits:
                    at = int(row)
                    if at != number:
                        if at < number:
                            raise self._error(f"row {at} comes after row {number}")
                        if cells:
                            out.append((number, cells))
                        cells = []
                        number = at
                    digits = row
                size = len(cells)
                if index == size:
                    cells.append(value)
                elif index > size:
                    cells.extend([""] * (index - size))
                    cells.append(value)
                else:
                    cells[index] = value
                continue
            if phase == _OUT:  # rows, as calamine counts them for cells with no reference
                if other == "</row>":
                    row_index += 1
                    col_index = 0
                    continue
                if other[0] != "<":  # white space between elements
                    continue
                if other.startswith("<row "):
                    found = _ROW_R.match(other)
                    if found:
                        row_index = int(found.group(1)) - 1
                        if other.endswith("/>"):
                            row_index += 1
                            col_index = 0
                        continue
            elif phase == _HEAD and other[0] != "<":
                continue
            self._phase, self._number, self._digits, self._cells = phase, number, digits, cells
            self._row_index, self._col_index = row_index, col_index
            self._token(other)
            phase, number, digits, cells = self._phase, self._number, self._digits, self._cells
            row_index, col_index = self._row_index, self._col_index
            if phase == _DONE:
                break
        self._phase, self._number, self._digits, self._cells = phase, number, digits, cells
        self._row_index, self._col_index = row_index, col_index

    def _style(self, style: str) -> int:
        """The number-format kind of s="..." read as calamine does (not digits -> style 0)."""
        index = int(style) if style.isascii() and style.isdigit() else 0
        return self._kinds[index] if index < len(self._kinds) else _OTHER

    def _convert(self, kind: str, style: str, v: str) -> Any:
        """A <v>'s text as calamine types it by the cell's t="..." and s="..."."""
        if not v:
            return ""
        if kind in ("", "n"):
            value = _number(v)
            if value is None:
                if kind:
                    raise self._error(f"Parse float error: '{v[:40]}' is not a number")
                return v
            form = self._style(style) if style else _OTHER
            return _dated(value, form, self._is_1904) if form else value
        if kind == "s":
            index = int(v) if v.isascii() and v.isdigit() else 0
            if index >= 2**64:  # calamine reads a number it cannot hold as string 0
                index = 0
            if index >= len(self._sst):
                raise self._error("Cell string index not found in shared strings table")
            return self._sst[index]
        if kind == "str":
            return _unescape_x(v)
        if kind == "b":
            flag = v.strip().lower()
            if flag in ("1", "true"):
                return True
            if flag in ("0", "false"):
                return False
            if not flag:
                return ""
            raise self._error(f"Unrecognized boolean cell value: {v[:40]}")
        if kind == "e":
            if v in _ERRORS:
                return ""  # python-calamine gives "" for error cells
            raise self._error(f"Unsupported cell error value '{v[:40]}'")
        if kind == "d":
            return _iso(v)
        if kind in ("inlineStr", "is"):
            return ""
        raise self._error(f"Unknown cell 't' attribute: {kind[:20]!r}")

    def _store(self, at: tuple[int, int], value: Any) -> None:
        """Put a value read token by token in its row (as the hot loop does)."""
        if isinstance(value, str) and value == "":
            return
        row, index = at
        number = row + 1
        if number != self._number:
            if number < self._number:
                raise self._error(f"row {number} comes after row {self._number}")
            if self._cells:
                self._out.append((self._number, self._cells))
            self._cells = []
            self._number = number
        self._digits = ""
        cells = self._cells
        if index >= len(cells):
            cells.extend([""] * (index - len(cells)))
            cells.append(value)
        else:
            cells[index] = value

    # -------------------------------------------------------------- token by token (rare)

    def _token(self, token: str) -> None:
        """One token read with calamine's rules, for whatever the hot loop does not read."""
        if token == "<":
            raise self._error("a token cut short")
        if token[0] != "<":
            self._text(token, _decode_text(token), "text")
        elif token.startswith("<![CDATA["):
            self._text(token, token[9:-3], "cdata")
        elif token.startswith(("<!--", "<?")):
            if self._phase == _VALUE and self._value_tag == "v":
                self._value_events.append(("other", ""))
        else:
            found = _TAG.match(token)
            if found is None:
                raise self._error(f"unreadable tag {token[:40]}")
            name = found.group(1).rpartition(":")[2]
            if token[1] == "/":
                self._end(name)
            else:
                self._start(name, _attributes(found.group(2)))
                if found.group(3):
                    self._end(name)

    def _text(self, raw: str, text: str, kind: str) -> None:
        if self._phase != _VALUE:
            return
        if self._value_tag == "v":
            self._value_events.append((kind, raw if kind == "text" else text))
        elif self._value_tag == "is" and self._t_parts is not None:
            self._t_parts.append(text)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        phase = self._phase
        if phase == _HEAD:
            if name == "sheetData":
                self._phase = _OUT
            elif name == "dimension":
                self._dimension(attrs)
        elif phase == _OUT:
            if name == "row":
                ref = attrs.get("r")
                if ref is not None:
                    found = _cell_ref(ref)
                    if found is None:
                        raise self._error(f"row reference '{ref[:20]}'")
                    self._row_index = found[0]
            elif name == "c":
                self._start_cell(attrs)
        elif phase == _CELL:
            if name not in ("v", "f", "is"):
                raise self._error("Expecting 'v, f, or is' node")
            self._phase = _VALUE
            self._value_tag = name
            self._value_depth = 0
            self._value_events = []
            self._is_parts = []
            self._is_found = False
            self._phonetic = False
            self._t_parts = None
        elif phase == _VALUE:
            if name == self._value_tag:
                self._value_depth += 1
            if self._value_tag == "v":
                self._value_events.append(("other", ""))
            elif self._value_tag == "is":
                if name == "rPh":
                    self._phonetic = True
                elif name == "t" and not self._phonetic and self._t_parts is None:
                    self._t_parts = []
                    self._t_preserve = attrs.get("xml:space") == "preserve"

    def _end(self, name: str) -> None:
        phase = self._phase
        if phase == _OUT:
            if name == "row":
                self._row_index += 1
                self._col_index = 0
            elif name == "sheetData":
                self._phase = _DONE
        elif phase == _HEAD and name == "sheetData":
            self._phase = _DONE  # <sheetData/>
        elif phase == _CELL:
            if name == "c":
                self._store(self._cell_at, self._cell_value)
                self._col_index += 1
                self._phase = _OUT
        elif phase == _VALUE:
            if name == self._value_tag and not self._value_depth:
                self._end_value()
                return
            if name == self._value_tag:
                self._value_depth -= 1
            if self._value_tag == "v":
                self._value_events.append(("other", ""))
            elif self._value_tag == "is":
                if name == "rPh":
                    self._phonetic = False
                elif name == "t" and self._t_parts is not None:
                    text = "".join(self._t_parts)
                    self._is_parts.append(text if self._t_preserve else text.strip(_WS))
                    self._is_found = True
                    self._t_parts = None

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is not None:
            found = _cell_ref(ref)
            if found is None or found[1] is None:
                raise self._error(f"cell reference '{ref[:20]}'")
            self._cell_at = (found[0], found[1])
            self._col_index = found[1]
        else:
            self._cell_at = (self._row_index, self._col_index)
        if self._cell_at[1] >= _MAX_COLUMNS:
            raise self._error("a cell past the last column XFD")
        self._cell_type = attrs.get("t", "")
        self._cell_style = attrs.get("s", "")
        self._cell_value = ""
        self._phase = _CELL

    def _end_value(self) -> None:
        """A <v>, <f> or <is> ends: the cell takes its value (the last one read wins)."""
        tag, kind = self._value_tag, self._cell_type
        self._phase = _CELL
        if tag == "f":
            self._cell_value = ""
        elif tag == "is":
            found = self._is_found
            self._cell_value = _unescape_x("".join(self._is_parts)) if found else ""
        elif kind in ("", "n", "s", "b", "e"):
            # calamine reads these from the first text of <v>, as written, up to an entity
            events = self._value_events
            first = events[0][1].partition("&")[0] if events and events[0][0] == "text" else ""
            self._cell_value = self._convert(kind, self._cell_style, first)
        elif kind in ("inlineStr", "is"):
            self._cell_value = ""
        else:  # str, d or unknown: the whole text, entities decoded, CDATA left out
            text = "".join(_decode_text(raw) for k, raw in self._value_events if k == "text")
            self._cell_value = self._convert(kind, self._cell_style, text)

    def _dimension(self, attrs: dict[str, str]) -> None:
        """calamine refuses a sheet whose <dimension> has no ref, or a ref it cannot read."""
        ref = attrs.get("ref")
        if ref is None:
            raise self._error("Expecting 'dimension' node")
        parts = ref.split(":")
        for part in parts:
            found = _cell_ref(part)
            if found is None or found[1] is None:
                raise self._error(f"dimension '{ref[:40]}'")
        if len(parts) > 2:
            raise self._error(f"dimension '{ref[:40]}'")
