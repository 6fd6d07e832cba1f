"""A worksheet cell's typed value, by python-calamine's rules: from the cell's type attribute
(t="..."), the number-format kind of its style (s="...") and its text, the Python value
python-calamine gives (text, float, bool, date, time, datetime, timedelta; "" for no value).

Also the text of shared and inline strings (<si>, <is>): their <t> texts outside phonetic
runs, trimmed unless xml:space="preserve", with Excel's _xHHHH_ escapes decoded.

One departure from calamine: a formula saved without its value (by a program that writes
workbooks without calculating them) is a `FormulaWithoutValue`, read as blank and reported,
where calamine gives "" and the cell would be blank without a word.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from lxml import etree

WS = " \t\n\r"  # XML white space: what calamine trims from <t> text
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Number formats (styles.xml), as calamine classifies them.
OTHER, DATETIME, DURATION = 0, 1, 2

_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER_CHARS = "0123456789.+-eE"
_SPECIAL_NUMBER = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)

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


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A cell holding a formula (its text, maybe "") but no saved value."""

    formula: str

    def __str__(self) -> str:
        return ""

    def problem(self) -> str:
        """The issue: what the cell holds and what to do."""
        shown = f" ={self.formula[:60]}" if self.formula else ""
        return (f"the cell holds a formula{shown} saved without its value; read as blank: open "
                "the workbook in Excel or LibreOffice and save it, so its values are stored")  # fmt: skip


class CellError(Exception):
    """A cell calamine refuses; the message is calamine's reason, in one line."""


class CellValues:
    """Typed values of the <v> cells of one workbook: its shared strings, the number-format
    kind of each style and its date system."""

    def __init__(self, shared: list[str], kinds: list[int], is_1904: bool) -> None:
        self._sst = shared
        self._kinds = kinds
        self._forms = {str(index): kind for index, kind in enumerate(kinds)}
        self._is_1904 = is_1904

    def value(self, kind: str | None, style: str | None, text: str) -> Any:
        """The value of a cell with t=`kind`, s=`style` and <v> text `text` ("" when the cell
        holds none, which no row keeps). Raises CellError where calamine refuses the cell."""
        if not text:
            return ""
        if kind is None or kind == "n":
            if text.strip(_NUMBER_CHARS):  # not only number characters: rarely a number
                number = _special_number(text)
            else:
                try:
                    number = float(text)
                except ValueError:
                    number = None
            if number is None:
                if kind:
                    raise CellError(f"Parse float error: '{text[:40]}' is not a number")
                return text
            if style is None:
                return number
            form = self._forms.get(style)
            if form is None:
                form = self._style_kind(style)
            return dated(number, form, self._is_1904) if form else number
        if kind == "s":
            index = int(text) if text.isascii() and text.isdigit() else 0
            if index >= 2**64:  # calamine reads a number it cannot hold as string 0
                index = 0
            if index >= len(self._sst):
                raise CellError("Cell string index not found in shared strings table")
            return self._sst[index]
        if kind == "str":
            return unescape_x(text)
        if kind == "b":
            flag = text.strip().lower()
            if flag in ("1", "true"):
                return True
            if flag in ("0", "false"):
                return False
            if not flag:
                return ""
            raise CellError(f"Unrecognized boolean cell value: {text[:40]}")
        if kind == "e":
            if text in _ERRORS:
                return ""  # python-calamine gives "" for error cells
            raise CellError(f"Unsupported cell error value '{text[:40]}'")
        if kind == "d":
            return iso(text)
        if kind in ("inlineStr", "is"):
            return ""
        raise CellError(f"Unknown cell 't' attribute: {kind[:20]!r}")

    def _style_kind(self, style: str) -> int:
        """The number-format kind of s="..." read as calamine does (not digits -> style 0)."""
        index = int(style) if style.isascii() and style.isdigit() else 0
        return self._kinds[index] if index < len(self._kinds) else OTHER


def whole_text(kind: str | None) -> bool:
    """True when calamine reads a <v> of this type whole (its texts joined, comments left
    out), False when it reads only the first text (numbers, shared strings, booleans, errors)."""
    return kind not in (None, "n", "s", "b", "e", "inlineStr", "is")


def rich_text(item: etree._Element) -> str:
    """A shared string (<si>) or inline string (<is>): its <t> texts outside phonetic runs
    (<rPh>), each trimmed of white space unless xml:space="preserve"."""
    if len(item) == 1:
        only = item[0]  # the usual <si><t>text</t></si>
        if not len(only) and _is_named(only, "t"):
            return unescape_x(_t_text(only))
    parts: list[str] = []
    _collect_t(item, parts)
    return unescape_x("".join(parts))


def _collect_t(item: etree._Element, parts: list[str]) -> None:
    for child in item:
        if _is_named(child, "t"):
            parts.append(_t_text(child))
        elif isinstance(child.tag, str) and not _is_named(child, "rPh"):
            _collect_t(child, parts)


def _t_text(item: etree._Element) -> str:
    text = "".join(item.itertext()) if len(item) else item.text or ""  # comments left out
    return text if item.get(XML_SPACE) == "preserve" else text.strip(WS)


def _is_named(item: etree._Element, local: str) -> bool:
    """True for an element of that local name, in any namespace (calamine ignores them)."""
    tag = item.tag
    return isinstance(tag, str) and (tag == local or tag.endswith("}" + local))


def unescape_x(text: str) -> str:
    """Excel's _xHHHH_ escapes (control characters in strings) decoded, as calamine does."""
    return _X_ESCAPE.sub(_x_char, text) if "_x" in text else text


def _x_char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def _special_number(text: str) -> float | None:
    """inf, infinity and nan, signed, in any case (Rust's float syntax), or None."""
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


def dated(value: float, kind: int, is_1904: bool) -> Any:
    """A number in a date/time or duration format as python-calamine gives it: a timedelta,
    a time (below 1), a date (whole), a datetime, or the number when out of range."""
    try:
        if kind == DURATION:
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


def iso(text: str) -> Any:
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
