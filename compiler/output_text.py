"""Text from submissions made safe for every output format that cannot hold all of Unicode.

Answers may carry control characters: Word turns Shift+Enter into a vertical tab and a page
break into a form feed, and a pasted terminal colour code brings an ESC. JSON and CSV hold
them, so scores.json and the CSVs keep the text exactly. XML 1.0 (and so the report's HTML,
SVG and .xlsx cells) forbids every C0 control but tab, line feed and carriage return, the
non-characters U+FFFE and U+FFFF and lone surrogates; lxml and openpyxl refuse them. There
`printable` gives the text to show instead: a vertical tab or form feed becomes a line break,
any other control its visible symbol from Unicode's Control Pictures block (ESC becomes
'\u241b'), and a non-character or lone surrogate becomes U+FFFD, the replacement character.

UTF-8 itself cannot hold a lone surrogate, which Python makes of a file name's bytes that are
not UTF-8 (a Latin-1 name on Linux): JSON and CSV are encoded with `UTF8_ERRORS`, which writes
U+FFFD for it instead of failing.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

# every character XML 1.0 does not allow (its `Char` production), and DEL, which it allows but
# no display can show
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = "\x0b\x0c"  # vertical tab (Word's Shift+Enter), form feed (page break)
SYMBOL_FOR_DELETE = "\u2421"
CONTROL_PICTURES = 0x2400  # U+2400 + code: the symbol for each C0 control


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in LINE_BREAKS:
        return "\n"
    if char == "\x7f":
        return SYMBOL_FOR_DELETE
    if char < " ":
        return chr(CONTROL_PICTURES + ord(char))
    return "\ufffd"


def printable(text: str) -> str:
    """The text with every character XML 1.0 cannot hold shown as something it can."""
    return _NOT_XML.sub(_shown, text)


def printable_data(value: Any) -> Any:
    """`printable` applied to every string (and key) in nested dicts, lists and tuples."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_data(k): printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(v) for v in value]
    return value


# OOXML writes a character XML cannot hold as _xHHHH_, so a spreadsheet reads "_x0041_" in a
# cell as "A"; "_x005F_" (an escaped underscore) keeps such text literal (ECMA-376, ST_Xstring)
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def ooxml_text(text: str) -> str:
    """Text for an .xlsx cell: `printable`, and every "_xHHHH_" kept literal."""
    return _OOXML_ESCAPE.sub("_x005F_", printable(text))


def _replace_unencodable(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError) or "utf-8" not in error.encoding:
        raise error
    # as bytes: CPython's UTF-8 encoder takes only ASCII text from an error handler
    return "\ufffd".encode() * (error.end - error.start), error.end


UTF8_ERRORS = "rightguide.replacement-character"  # an `errors` for str.encode and open()
codecs.register_error(UTF8_ERRORS, _replace_unencodable)
