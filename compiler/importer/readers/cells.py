"""One cell or element value -> the canonical text the XForm would hold, by field type.

Typed cells (numbers, dates, datetimes from the streaming .xlsx reader or openpyxl) and text
cells give the same result. Choice labels in any language of the form are mapped back to
choice names.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from ..form_fields import FormField
from ..records import BLANK, Answer, State
from .xlsx_values import FormulaWithoutValue

# Types whose canonical text is a pure function of the cell's text and worth remembering:
# the same few choices, numbers and dates come back row after row. Free text is not.
_MEMO_TYPES = frozenset(("integer", "decimal", "date", "today", "select_one", "select_multiple"))
MEMO_LIMIT = 4096  # distinct texts remembered per field, so a hostile column cannot fill memory
# A number as exports write it: ASCII digits, one point, an exponent. Python's Decimal also takes
# '1_000' (as 1000), other scripts' digits and 'Infinity': no export writes those, so such text
# is not a number (read as 10, '1_0' would change a value without a word).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def cell_text(raw: Any) -> str:
    """Any cell as text: numbers canonical ("3", "1250.5"), dates ISO, None as ""."""
    if type(raw) is str:  # nearly every cell: CSV cells always, most .xlsx cells
        return raw
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return canonical_number(repr(raw)) or repr(raw)
    if isinstance(raw, datetime):
        return raw.isoformat()
    if isinstance(raw, date | time):
        return raw.isoformat()
    if isinstance(raw, timedelta):
        return str(raw)
    return str(raw)


def canonical_number(text: str) -> str | None:
    """'980.0' -> '980', '1250.50' -> '1250.5', '1e3' -> '1000'; None if not a finite number
    written as exports write numbers ('1_000' is not one)."""
    text = text.strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def convert(field: FormField, raw: Any) -> tuple[Answer, str | None]:
    """A raw value for `field` -> (Answer, problem or None). Problems keep the value as read."""
    if isinstance(raw, FormulaWithoutValue):
        return BLANK, raw.problem()
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK, None
    if isinstance(raw, float) and math.isnan(raw):
        return BLANK, None
    kind = field.type
    if kind == "integer":
        text = cell_text(raw).strip()
        number = canonical_number(text)
        if number is None or "." in number:
            return Answer(text, State.ANSWERED), f"'{text}' is not a whole number"
        return Answer(number, State.ANSWERED), None
    if kind == "decimal":
        text = cell_text(raw).strip()
        number = canonical_number(text)
        if number is None:
            return Answer(text, State.ANSWERED), f"'{text}' is not a number"
        return Answer(number, State.ANSWERED), None
    if kind in ("date", "today"):
        return _date(raw)
    if kind == "select_one":
        return _select_one(field, cell_text(raw))
    if kind == "select_multiple":
        return _select_multiple(field, cell_text(raw))
    if isinstance(raw, str):
        return Answer(raw, State.ANSWERED), None
    return Answer(cell_text(raw), State.ANSWERED), None


class CellConverter:
    """`convert` for one field, made once per table and called for each of its cells.

    `known` holds the result for every text cell seen before (up to MEMO_LIMIT), so the common
    case is one dict lookup; callers on a hot path look there first. Typed cells are converted
    each time (3, 3.0 and True are one dict key, not one cell), and free text is not kept
    (answers rarely repeat)."""

    __slots__ = ("field", "known", "remember")

    def __init__(self, field: FormField) -> None:
        self.field = field
        self.known: dict[str, tuple[Answer, str | None]] = {"": _NO_ANSWER}
        self.remember = field.type in _MEMO_TYPES

    def __call__(self, raw: Any) -> tuple[Answer, str | None]:
        if not isinstance(raw, str):
            return convert(self.field, raw)
        found = self.known.get(raw)
        if found is not None:
            return found
        if not self.remember:  # free text, as written (as `convert` does)
            return (Answer(raw, State.ANSWERED), None) if raw.strip() else _NO_ANSWER
        found = convert(self.field, raw)
        if len(self.known) < MEMO_LIMIT:
            self.known[raw] = found
        return found


_NO_ANSWER = (BLANK, None)


def _date(raw: Any) -> tuple[Answer, str | None]:
    if isinstance(raw, datetime):
        return Answer(raw.date().isoformat(), State.ANSWERED), None
    if isinstance(raw, date):
        return Answer(raw.isoformat(), State.ANSWERED), None
    text = cell_text(raw).strip()
    try:
        return Answer(date.fromisoformat(text[:10]).isoformat(), State.ANSWERED), None
    except ValueError:
        return Answer(text, State.ANSWERED), f"'{text}' is not a date (yyyy-mm-dd)"


def _select_one(field: FormField, text: str) -> tuple[Answer, str | None]:
    names, by_label = choice_maps(field)
    value = text.strip()
    if value in names:
        return Answer(value, State.ANSWERED), None
    name = by_label.get(value) or by_label.get(_fold(value))
    if name is not None:
        return Answer(name, State.ANSWERED), None
    number = canonical_number(value)
    if number is not None and number in names:  # a typed cell 1.0 for choice "1"
        return Answer(number, State.ANSWERED), None
    return Answer(value, State.ANSWERED), f"'{value}' is not a choice of list '{field.list_name}'"


def _select_multiple(field: FormField, text: str) -> tuple[Answer, str | None]:
    names, by_label = choice_maps(field)
    tokens = text.split()
    if all(t in names for t in tokens):
        return Answer(order_choices(field, tokens), State.ANSWERED), None
    parsed = split_labels(text.strip(), by_label)
    if parsed is not None:
        return Answer(order_choices(field, parsed), State.ANSWERED), None
    unknown = [t for t in tokens if t not in names]
    value = order_choices(field, tokens)
    listed = ", ".join(f"'{u}'" for u in unknown)
    return Answer(value, State.ANSWERED), f"{listed} not in choice list '{field.list_name}'"


def order_choices(field: FormField, selected: list[str]) -> str:
    """Selected names in the choice list's order, unknown ones after, no duplicates."""
    chosen = set(selected)
    known = [c.name for c in field.choices if c.name in chosen]
    extra = [s for s in dict.fromkeys(selected) if s not in {c.name for c in field.choices}]
    return " ".join(known + extra)


def choice_maps(field: FormField) -> tuple[set[str], dict[str, str]]:
    """(choice names, label -> name over every language, exact and case-folded)."""
    return _choice_maps(tuple((c.name, tuple(sorted(c.labels.values()))) for c in field.choices))


@lru_cache(maxsize=256)
def _choice_maps(
    choices: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[set[str], dict[str, str]]:
    names = {name for name, _ in choices}
    by_label: dict[str, str] = {}
    for name, labels in choices:
        for label in labels:
            clean = " ".join(label.split())
            if clean:
                by_label.setdefault(clean, name)
                by_label.setdefault(_fold(clean), name)
    return names, by_label


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_labels(text: str, by_label: dict[str, str]) -> list[str] | None:
    """Split space-joined choice labels (labels contain spaces) into names, longest label
    first with backtracking; None when the text is not made of known labels."""
    words = text.split()
    folded = [w.casefold() for w in words]
    longest = max((len(label.split()) for label in by_label), default=0)

    # names[i]: the names of words[i:], or None when they are not made of labels. Filled from
    # the end (no recursion, so no reference cycle left for the garbage collector): each start
    # takes its longest label whose rest can be read, backtracking to shorter ones.
    names: list[tuple[str, ...] | None] = [None] * len(words) + [()]
    for start in range(len(words) - 1, -1, -1):
        for size in range(min(longest, len(words) - start), 0, -1):
            rest = names[start + size]
            if rest is None:
                continue
            piece = " ".join(words[start : start + size])
            name = by_label.get(piece) or by_label.get(" ".join(folded[start : start + size]))
            if name is not None:
                names[start] = (name, *rest)
                break
    found = names[0]
    return list(found) if found is not None else None


def option_flag(raw: Any) -> bool | None:
    """A split select_multiple cell: True (1), False (0), None (empty or unreadable)."""
    text = cell_text(raw).strip().casefold()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    return None
