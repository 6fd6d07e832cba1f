"""Render expressions to Python source over numpy arrays: one element per submission, or per
repeat record for expressions in a repeat's scope.

The generated function takes the columns X (a dict) and returns an array. X maps each
top-level name to an array with one element per submission and each field of a repeat R to
an array with one element per record of R; `X['^R']` is the submission index of each record
of R, `X['~R']` the records aggregates count (those not hidden), `X['#n']` the number of
submissions, `X['#R']` the number of records of R, `X['.']` the answer a constraint checks,
`X['#V']` the `Vocab` texts are coded in, and `X['name@']` the numbers of a calculation
holding a stored number (`_snum` of it, kept alongside so that it is made once).

Each sub-expression has a static kind, which fixes how its values are held so that the hot
path is pure numpy and the values are exactly what `xpath_runtime` gives:

- NUM: float64; XPath numbers (NaN is a missing number);
- BOOL: bool;
- TEXT: int32 codes into the Vocab (0 is '');
- NUMQ: float64; an integer or decimal answer, a float or '' (NaN stands for '');
- STNUM: float64; a stored number (a calculation's text): '' where NaN, otherwise the
  number as JavaRosa writes it, which is what XPath reads back (`_snum`);
- OBJ: object array of runtime values (dates, mixed kinds), evaluated per element with the
  `xpath_runtime` functions: exact, and slow, so only for what the guides rarely use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from . import xpath_runtime as rt
from .ast import Aggregate, Binary, Boolean, Call, Current, Node, Number, Ref, String, Unary
from .generator import Generator
from .python_code import PythonGenerator, compile_expression

NUM, BOOL, TEXT, NUMQ, STNUM, OBJ = "num", "bool", "text", "numq", "stnum", "obj"
BLANK: dict[str, Any] = {TEXT: 0, NUMQ: math.nan, STNUM: math.nan, OBJ: ""}
DTYPES: dict[str, Any] = {
    NUM: np.float64, BOOL: np.bool_, TEXT: np.int32, NUMQ: np.float64, STNUM: np.float64,
    OBJ: object,
}  # fmt: skip


class Unsupported(Exception):
    """An expression this target cannot evaluate exactly over columns."""


class _Codes(dict):
    """Text -> code; a new text is added on lookup (None, no answer, is -1; other values are
    coded as their str() without being kept, since 1 == 1.0 == True as keys)."""

    def __init__(self, items: Any, texts: list[str]) -> None:
        super().__init__(items)
        self.texts = texts

    def __missing__(self, key: Any) -> int:
        if key.__class__ is not str:
            return -1 if key is None else self[str(key)]
        code = self[key] = len(self.texts)
        self.texts.append(key)
        return code


class Vocab:
    """Texts coded as integers, so that comparing texts compares integers. Tables of what
    the runtime makes of each text (its number, its words) are built once per text."""

    def __init__(self, texts: Sequence[str] = ()) -> None:
        self.texts: list[str] = [""]
        self.index = _Codes({"": 0, None: -1}, self.texts)
        self._tables: dict[Any, np.ndarray] = {}
        self._base: Vocab | None = None
        for text in texts:
            self.code(text)

    def code(self, text: str) -> int:
        """The code of a text, added when new."""
        return self.index[text]

    def copy(self) -> Vocab:
        """A copy to add a batch's texts to. Its tables start from this one's, which are made
        once (this vocab's texts begin every copy's)."""
        other = Vocab.__new__(Vocab)
        other.texts = list(self.texts)
        other.index = _Codes(self.index, other.texts)
        other._tables = {}
        other._base = self
        return other

    def encode(self, values: Iterable[Any], size: int) -> np.ndarray:
        """Codes of size answers as given: str, or None for no answer (-1); other values are
        coded as their str(), as the evaluator reads them."""
        if not isinstance(values, Sequence):
            values = list(values)
        try:
            return np.fromiter(map(self.index.__getitem__, values), np.int32, size)
        except TypeError:  # an unhashable value
            return np.array([self.code(str(v)) if v is not None else -1 for v in values], np.int32)

    def encode_rows(self, rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> np.ndarray:
        """Codes of the answers to names in each row (a mapping), one array per name: read row
        by row in one pass, without making a list per row."""
        size = len(rows) * len(names)
        if size == 0:
            return np.zeros((len(names), len(rows)), np.int32)
        flat = chain.from_iterable(map(row.get, names) for row in rows)
        try:
            codes = np.fromiter(map(self.index.__getitem__, flat), np.int32, size)
        except TypeError:
            flat = chain.from_iterable(map(row.get, names) for row in rows)
            codes = self.encode(list(flat), size)
        return codes.reshape(len(rows), len(names)).T.copy()

    def intern(self, texts: np.ndarray) -> np.ndarray:
        """Codes of an object array of texts."""
        return np.fromiter((self.code(t) for t in texts.tolist()), np.int32, len(texts))

    def format(self, x: np.ndarray, nan_text: str) -> np.ndarray:
        """Codes of numbers as JavaRosa writes them; NaN as nan_text."""
        if len(x) == 0:
            return np.zeros(0, np.int32)
        unique, inverse = np.unique(x, return_inverse=True)
        texts = [nan_text if v != v else rt.format_double(v) for v in unique.tolist()]
        return np.array([self.code(t) for t in texts], np.int32)[inverse.reshape(-1)]

    def table(self, key: Any, fn: Callable[[str], Any], dtype: Any) -> np.ndarray:
        """fn of every text, by code (extended as texts are added)."""
        found = self._tables.get(key)
        if found is None and self._base is not None:
            found = self._base.table(key, fn, dtype)
        size = len(self.texts)
        if found is None or len(found) < size:
            start = 0 if found is None else len(found)
            extra = np.empty(size - start, dtype)
            extra[:] = [fn(t) for t in self.texts[start:]]
            found = extra if found is None else np.concatenate([found, extra])
        self._tables[key] = found
        return found

    def str(self, codes: np.ndarray) -> np.ndarray:
        """The texts of codes, as an object array."""
        return self.table("str", str, object)[codes]

    def num(self, codes: np.ndarray) -> np.ndarray:
        """XPath number() of the texts of codes."""
        return self.table("num", rt.num, np.float64)[codes]

    def count(self, codes: np.ndarray) -> np.ndarray:
        """count-selected() of the texts of codes."""
        return self.table("count", rt.count_selected, np.float64)[codes]

    def selected(self, choice: str, codes: np.ndarray) -> np.ndarray:
        """selected(text, choice) of the texts of codes."""
        table = self.table(("selected", choice), lambda t: rt.selected(t, choice), np.bool_)
        return table[codes]


@dataclass(frozen=True)
class Code:
    """Generated source of one sub-expression, its kind, and its value when constant."""

    src: str
    kind: str
    const: bool = False
    value: Any = None
    number: str | None = None  # source of its numbers, when kept alongside (STNUM columns)

    def __str__(self) -> str:
        return self.src


def _literal(value: Any) -> str:
    if isinstance(value, float):
        if value != value:
            return "_nan"
        if math.isinf(value):
            return "_inf" if value > 0 else "(-_inf)"
        return repr(value)
    return repr(value)


def _is_constant(node: Node) -> bool:
    return not any(isinstance(n, Ref | Current | Aggregate) for n in node.walk())


class NumpyGenerator(Generator):
    """Python source evaluating an expression over columns.

    `symbol(name)` gives (kind, repeat) of a question or calculation, or None; scope is the
    repeat whose records the expression is evaluated for (None: per submission); current
    the kind of '.' in a constraint. String literals are coded in vocab."""

    def __init__(
        self,
        symbol: Callable[[str], tuple[str, str | None] | None],
        vocab: Vocab,
        scope: str | None = None,
        current: str | None = None,
    ) -> None:
        self.symbol = symbol
        self.vocab = vocab
        self.scopes: list[str | None] = [scope]
        self.current = current

    # -- entry points ----------------------------------------------------------------------

    def function(self, node: Node, mode: str = "value") -> tuple[str, str]:
        """(source of a whole-array expression, kind): mode 'value' as the expression gives
        it, 'condition' as XPath boolean(), 'stored' as a calculate stores it."""
        if mode == "condition":
            code = self.boolean(self.render(node))
        elif mode == "stored":
            code = self.stored(node)
        else:
            code = self.render(node)
        if code.const:
            dtype = {OBJ: "object", BOOL: "_np.bool_", TEXT: "_np.int32"}.get(code.kind, "_f8")
            return f"_np.full({self.length()}, {code.src}, {dtype})", code.kind
        return code.src, code.kind

    def length(self) -> str:
        """Source of the number of elements in the innermost scope."""
        scope = self.scopes[-1]
        return "X['#n']" if scope is None else f"X['#{scope}']"

    def render(self, node: Node) -> Code:
        if _is_constant(node):
            folded = self._fold(node)
            if folded is not None:
                return folded
        return super().render(node)

    def _fold(self, node: Node) -> Code | None:
        """A constant sub-expression, evaluated once by the Python runtime."""
        source = PythonGenerator(lambda _name: None).render(node)
        try:
            value = compile_expression(source)(None, None, None)
        except Exception:  # noqa: BLE001 - left to fail (or not) per element, as the runtime does
            return None
        return self.const(value)

    def const(self, value: Any) -> Code:
        """A constant of the runtime value's own kind."""
        if isinstance(value, bool):
            return Code(repr(value), BOOL, True, value)
        if isinstance(value, float):
            return Code(_literal(value), NUM, True, value)
        if isinstance(value, str):
            return Code(str(self.vocab.code(value)), TEXT, True, value)
        return Code(_literal(value), OBJ, True, value)

    # -- conversions (XPath number(), boolean(), string(); runtime values) -------------------

    def num(self, c: Code) -> Code:
        """XPath number()."""
        if c.const:
            return self.const(rt.num(c.value))
        if c.number is not None:
            return Code(c.number, NUM)
        src = {
            NUM: "{}", NUMQ: "{}", BOOL: "{}.astype(_f8)", TEXT: "X['#V'].num({})",
            STNUM: "_snum({})", OBJ: "_onum({})",
        }[c.kind].format(c.src)  # fmt: skip
        return Code(src, NUM)

    def boolean(self, c: Code) -> Code:
        """XPath boolean()."""
        if c.const:
            return self.const(rt.boolean(c.value))
        src = {
            BOOL: "{}", NUM: "_nbool({})", NUMQ: "_nbool({})", TEXT: "({} != 0)",
            STNUM: "~_np.isnan({})", OBJ: "_obool({})",
        }[c.kind].format(c.src)  # fmt: skip
        return Code(src, BOOL)

    def text(self, c: Code) -> Code:
        """XPath string() as codes."""
        if c.const:
            return self.const(rt.string(c.value))
        kind, src = c.kind, c.src
        if kind == TEXT:
            return c
        if kind == BOOL:
            yes, no = self.vocab.code("true"), self.vocab.code("false")
            return Code(f"_np.where({src}, {yes}, {no}).astype(_np.int32)", TEXT)
        if kind == NUM:
            return Code(f"X['#V'].format({src}, 'NaN')", TEXT)
        if kind in (NUMQ, STNUM):
            return Code(f"X['#V'].format({src}, '')", TEXT)
        return Code(f"X['#V'].intern(_ostring({src}))", TEXT)

    def obj(self, c: Code) -> Code:
        """Runtime values, one Python object per element."""
        if c.const:
            return Code(_literal(c.value), OBJ, True, c.value)
        src = {
            OBJ: "{}", NUM: "{}.astype(object)", BOOL: "{}.astype(object)",
            TEXT: "X['#V'].str({})", NUMQ: "_qobj({})",
            STNUM: "X['#V'].str(X['#V'].format({}, ''))",
        }[c.kind].format(c.src)  # fmt: skip
        return Code(src, OBJ)

    def stored(self, node: Node) -> Code:
        """The text a calculate stores for node's value: STNUM or TEXT (OBJ never)."""
        if isinstance(node, Call) and node.func in ("if", "coalesce"):
            if node.func == "if":
                cond = self.boolean(self.render(node.args[0]))
                yes, no = node.args[1], node.args[2]
            else:  # coalesce(a, b): a where string(a) != '', else b
                cond = self.answered(self.render(node.args[0]))
                yes, no = node.args
            if cond.const:
                return self.stored(yes if cond.value else no)
            return self._join_stored(cond, self.stored(yes), self.stored(no))
        c = self.render(node)
        if c.const:
            value = rt.stored(c.value)
            if isinstance(c.value, float):
                return Code(_literal(c.value if value != "" else math.nan), STNUM, True, c.value)
            return self.const(value)
        if c.kind in (NUM, NUMQ):
            return Code(f"_stnum({c.src})", STNUM)
        if c.kind in (STNUM, TEXT):
            return c
        if c.kind == BOOL:
            return self.text(c)
        return Code(f"X['#V'].intern(_ostored({c.src}))", TEXT)

    def _join_stored(self, cond: Code, a: Code, b: Code) -> Code:
        if a.kind != b.kind:
            blank_text = next(
                (c for c in (a, b) if c.kind == TEXT and c.const and c.value == ""), None
            )
            if blank_text is not None:  # '' beside a number: a stored number, NaN for ''
                a, b = (
                    Code("_nan", STNUM, True, math.nan) if c is blank_text else c for c in (a, b)
                )
            else:
                a, b = self._text_of_stored(a), self._text_of_stored(b)
        return Code(f"_np.where({cond}, {a}, {b})", a.kind)

    def _text_of_stored(self, c: Code) -> Code:
        if c.kind != STNUM:
            return c
        if c.const:
            return self.const(rt.stored(c.value))
        return Code(f"X['#V'].format({c.src}, '')", TEXT)

    # -- nodes -----------------------------------------------------------------------------

    def visit_number(self, node: Number) -> Code:
        return self.const(float(node.value))

    def visit_string(self, node: String) -> Code:
        return self.const(node.value)

    def visit_boolean(self, node: Boolean) -> Code:
        return self.const(bool(node.value))

    def visit_current(self, node: Current) -> Code:
        if self.current is None:
            raise Unsupported("'.' outside a constraint")
        return Code("X['.']", self.current)

    def visit_ref(self, node: Ref) -> Code:
        found = self.symbol(node.name)
        if found is None:
            raise Unsupported(f"'{node.name}' has no value")
        kind, repeat_name = found
        inner = self.scopes[-1]
        if repeat_name is None and inner is not None:
            index = f"[X['^{inner}']]"
        elif repeat_name == inner:
            index = ""
        else:
            raise Unsupported(f"'{node.name}' read outside a record of its repeat '{repeat_name}'")
        number = f"X[{node.name + '@'!r}]{index}" if kind == STNUM else None
        return Code(f"X[{node.name!r}]{index}", kind, number=number)

    def visit_unary(self, node: Unary) -> Code:
        inner = self.render(node.operand)
        if node.op == "not":
            return Code(f"~{self.boolean(inner)}", BOOL)
        return Code(f"(-{self.num(inner)})", NUM)

    def visit_binary(self, node: Binary) -> Code:
        a, b = self.render(node.left), self.render(node.right)
        op = node.op
        if op in ("and", "or"):
            return Code(
                f"({self.boolean(a)} {'&' if op == 'and' else '|'} {self.boolean(b)})", BOOL
            )
        if op == "=":
            return self.equals(a, b)
        if op == "!=":
            equal = self.equals(a, b)
            return self.const(not equal.value) if equal.const else Code(f"~{equal}", BOOL)
        if op in ("<", "<=", ">", ">="):
            return Code(f"({self.num(a)} {op} {self.num(b)})", BOOL)
        if op == "/":
            return Code(f"_div({self.num(a)}, {self.num(b)})", NUM)
        return Code(f"({self.num(a)} {op} {self.num(b)})", NUM)

    def equals(self, a: Code, b: Code) -> Code:
        """XPath '=' between single values: as booleans if either is a boolean, else as
        numbers if either is a number, else as texts."""
        if a.const and b.const:
            return self.const(rt.equals(a.value, b.value))
        kinds = {a.kind, b.kind}
        if OBJ in kinds:
            return Code(f"_oeq({self.obj(a)}, {self.obj(b)})", BOOL)
        if BOOL in kinds:
            return Code(f"({self.boolean(a)} == {self.boolean(b)})", BOOL)
        if NUM in kinds:
            return Code(f"({self.num(a)} == {self.num(b)})", BOOL)
        order = {NUMQ: 0, STNUM: 1, TEXT: 2}
        if order[a.kind] > order[b.kind]:
            a, b = b, a
        if a.kind == b.kind == TEXT:
            return Code(f"({a} == {b})", BOOL)
        if a.kind == b.kind == NUMQ:
            return Code(f"_eq_qq({a}, {b})", BOOL)
        if a.kind == NUMQ and b.kind == STNUM:
            return Code(f"_eq_qs({a}, {b})", BOOL)
        if a.kind == NUMQ and b.kind == TEXT:
            if not b.const:
                return Code(f"_eq_qt({a}, {b}, X['#V'])", BOOL)
            if b.value == "":
                return Code(f"_np.isnan({a})", BOOL)
            return Code(f"({a} == {_literal(rt.num(b.value))})", BOOL)
        if a.kind == STNUM and b.kind == TEXT and b.const and "E" not in b.value:
            return self._stored_equals(a, b.value)
        return Code(f"_oeq({self.obj(a)}, {self.obj(b)})", BOOL)

    def _stored_equals(self, a: Code, literal: str) -> Code:
        """A stored number against a text without an exponent: equal exactly where the text
        is how JavaRosa writes that number, which is where their numbers are equal."""
        if literal == "":
            return Code(f"_np.isnan({a})", BOOL)
        number = rt.num(literal)
        if number != number or rt.format_double(number) != literal:
            return self.const(False)
        return Code(f"(_snum({a}) == {_literal(number)})", BOOL)

    def answered(self, c: Code) -> Code:
        """string(x) != ''."""
        if c.const:
            return self.const(rt.string(c.value) != "")
        if c.kind == TEXT:
            return Code(f"({c} != 0)", BOOL)
        if c.kind in (NUMQ, STNUM):
            return Code(f"~_np.isnan({c})", BOOL)
        if c.kind in (NUM, BOOL):
            return self.const(True)
        return Code(f"(_ostring({c}) != '')", BOOL)

    def join(self, cond: Code, a: Code, b: Code) -> Code:
        """Where cond, a, else b, in a kind that holds both exactly."""
        if a.kind != b.kind:
            pair = {a.kind, b.kind}
            blank = next((c for c in (a, b) if c.kind == TEXT and c.const and c.value == ""), None)
            number = next(
                (c for c in (a, b) if c.kind == NUM and c.const and c.value == c.value), None
            )
            if pair in ({TEXT, NUMQ}, {TEXT, STNUM}) and blank is not None:
                kind = (pair - {TEXT}).pop()
                a, b = (Code("_nan", kind, True, math.nan) if c is blank else c for c in (a, b))
            elif pair == {NUM, NUMQ} and number is not None:
                a, b = (Code(c.src, NUMQ, True, c.value) if c is number else c for c in (a, b))
            elif pair == {TEXT, STNUM}:
                a, b = self.text(a), self.text(b)
            else:
                a, b = self.obj(a), self.obj(b)
        return Code(f"_np.where({cond}, {a}, {b})", a.kind)

    def visit_call(self, node: Call) -> Code:
        f = node.func
        if f == "if":
            cond = self.boolean(self.render(node.args[0]))
            if cond.const:
                return self.render(node.args[1] if cond.value else node.args[2])
            return self.join(cond, self.render(node.args[1]), self.render(node.args[2]))
        if f == "coalesce":
            first = self.render(node.args[0])
            cond = self.answered(first)
            if cond.const:
                return first if cond.value else self.render(node.args[1])
            return self.join(cond, first, self.render(node.args[1]))
        args = [self.render(a) for a in node.args]
        if f == "selected":
            if not args[1].const:
                return Code(f"_osel({self.obj(args[0])}, {self.obj(args[1])})", BOOL)
            choice = rt.string(args[1].value)
            return Code(f"X['#V'].selected({choice!r}, {self.text(args[0])})", BOOL)
        if f == "count_selected":
            return Code(f"X['#V'].count({self.text(args[0])})", NUM)
        if f == "answered":
            return self.answered(args[0])
        if f == "count_equal":
            flags = [self.equals(a, args[0]) for a in args[1:]]
            return Code(f"_count({self.length()}, {', '.join(map(str, flags))})", NUM)
        if f == "count_answered":
            flags = [self.answered(a) for a in args]
            return Code(f"_count({self.length()}, {', '.join(map(str, flags))})", NUM)
        if f == "round":
            digits = args[1]
            if digits.const and rt.num(digits.value) == rt.num(digits.value):
                return Code(f"_round({self.num(args[0])}, {int(rt.num(digits.value))})", NUM)
            return Code(f"_oround({self.obj(args[0])}, {self.obj(digits)})", NUM)
        raise Unsupported(f"function {f}")

    def visit_aggregate(self, node: Aggregate) -> Code:
        outer = self.scopes[-1]
        self.scopes.append(node.repeat)
        try:
            mask = f"X['~{node.repeat}']"
            if node.where is not None:
                where = self.boolean(self.render(node.where))
                if where.const:
                    mask = mask if where.value else f"_np.zeros_like({mask})"
                else:
                    mask = f"({mask} & {where})"
            if node.func == "count":
                values = None
            elif node.field is None:
                values = f"_np.full(X['#{node.repeat}'], _nan)"
            else:
                values = self.num(self.render(Ref(node.field))).src
        finally:
            self.scopes.pop()
        parent = f"X['^{node.repeat}']"
        if values is None:
            src = f"_agg_count({parent}, {mask}, X['#n'])"
        else:
            src = f"_agg_{node.func}({parent}, {mask}, {values}, X['#n'])"
        if outer is not None:
            src = f"{src}[X['^{outer}']]"
        return Code(src, NUM)


# -- runtime helpers of the generated code -----------------------------------------------------


def stored_numbers(x: np.ndarray) -> np.ndarray:
    """XPath number() of stored numbers: JavaRosa writes near-whole numbers as whole ones and
    very small or large ones with an exponent, which number() does not read (NaN)."""
    whole = np.trunc(x)
    size = np.abs(x)
    near = (size < 9.2e18) & (np.abs(x - whole) < 1e-9)
    exponent = (size < 1e-3) | (size >= 1e7)
    return np.where(near, whole + 0.0, np.where(exponent, np.nan, x))


def _stnum(x: np.ndarray) -> np.ndarray:
    """A number as a calculate stores it: NaN and infinities store as ''."""
    return np.where(np.isfinite(x), x, np.nan)


def _nbool(x: np.ndarray) -> np.ndarray:
    return (x == x) & (x != 0)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    quotient = a / b
    zero = b == 0
    if np.any(zero):
        signed = np.where(a > 0, np.inf, -np.inf)
        quotient = np.where(zero, np.where((a != a) | (a == 0), np.nan, signed), quotient)
    return quotient


def _round(x: np.ndarray, digits: int) -> np.ndarray:
    """JavaRosa round(x, n) (half up on the decimal digits Java prints): in floats where that
    is exact (far from a tie, small enough), per element with the runtime otherwise."""
    if digits == 0:
        return np.floor(x + 0.5)
    x = np.asarray(x, np.float64)
    if not 0 < digits <= 15:
        return _oround(x.astype(object), digits)
    scale = 10.0**digits
    size = np.abs(x) * scale
    rounded = np.floor(size + 0.5)
    out = np.copysign(rounded / scale, x)
    finite = np.isfinite(x)
    out = np.where(finite, out, x)
    risky = finite & ((size >= 1e6) | (np.abs(size - np.floor(size) - 0.5) < 1e-6))
    if np.any(risky):
        unique, inverse = np.unique(x[risky], return_inverse=True)
        exact = [rt.xround(v, float(digits)) for v in unique.tolist()]
        out[risky] = np.array(exact, np.float64)[inverse.reshape(-1)]
    return out


def _count(n: int, *flags: Any) -> np.ndarray:
    out = np.zeros(n)
    for flag in flags:
        out += flag
    return out


def _eq_qq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | ((a != a) & (b != b))


def _eq_qs(q: np.ndarray, s: np.ndarray) -> np.ndarray:
    return np.where(q != q, s != s, q == stored_numbers(s))


def _eq_qt(q: np.ndarray, codes: np.ndarray, vocab: Vocab) -> np.ndarray:
    """A number answer against text: '' equals only '', a number the text's number()."""
    return np.where(q != q, codes == 0, q == vocab.num(codes))


def _qobj(q: np.ndarray) -> np.ndarray:
    out = q.astype(object)
    out[q != q] = ""
    return out


def _agg_count(parent: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(parent[mask], minlength=n).astype(np.float64)


def _agg_sum(parent: np.ndarray, mask: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    # bincount adds each submission's values in record order, as the runtime's loop does
    keep = mask & (values == values)
    return np.bincount(parent[keep], weights=values[keep], minlength=n)


def _agg_mean(parent: np.ndarray, mask: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    keep = mask & (values == values)
    total = np.bincount(parent[keep], weights=values[keep], minlength=n)
    return _div(total, np.bincount(parent[keep], minlength=n).astype(np.float64))


def _extreme(ufunc: np.ufunc, start: float) -> Callable[..., np.ndarray]:
    def reduce(parent: np.ndarray, mask: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
        keep = mask & (values == values)
        out = np.full(n, start)
        ufunc.at(out, parent[keep], values[keep])
        out[np.bincount(parent[keep], minlength=n) == 0] = np.nan
        return out

    return reduce


def _objects(fn: Callable[..., Any], arity: int, dtype: Any) -> Callable[..., np.ndarray]:
    """fn per element (np.frompyfunc), the result as dtype; over columns of texts, fn is
    called once per distinct tuple of texts (`_distinct_texts`)."""
    ufunc = np.frompyfunc(fn, arity, 1)

    def apply(*args: Any) -> np.ndarray:
        out = _distinct_texts(ufunc, args)
        if out is None:
            out = np.asarray(ufunc(*args), dtype=object)
        return out if dtype is object else out.astype(dtype)

    return apply


def _distinct_texts(ufunc: np.ufunc, args: Sequence[Any]) -> np.ndarray | None:
    """ufunc over arrays holding only texts (as `Vocab.str` makes them), applied to each
    distinct tuple of texts once: the same values, far fewer calls (columns hold a few
    distinct texts). None when an argument is not such an array (numbers, dates, scalars:
    1, 1.0 and True would be one key, not one value)."""
    if not all(isinstance(a, np.ndarray) and a.dtype == object and a.ndim == 1 for a in args):
        return None
    size = len(args[0])
    if size < 64 or any(len(a) != size for a in args):
        return None
    codes: list[np.ndarray] = []
    distinct: list[list[str]] = []
    for array in args:
        seen: dict[Any, int] = {}
        code = [seen.setdefault(v, len(seen)) for v in array.tolist()]
        if not all(type(v) is str for v in seen):  # a str key equals no other kind
            return None
        codes.append(np.asarray(code, dtype=np.int64))
        distinct.append(list(seen))
    key = codes[0]
    for code, texts in zip(codes[1:], distinct[1:], strict=True):
        key = key * len(texts) + code
    keys, inverse = np.unique(key, return_inverse=True)
    firsts = np.zeros(len(keys), np.int64)
    firsts[inverse[::-1]] = np.arange(size)[::-1]  # an element holding each distinct tuple
    picked = [np.asarray(a, dtype=object)[firsts] for a in args]
    return np.asarray(ufunc(*picked), dtype=object)[inverse.reshape(-1)]


NAMESPACE: dict[str, Any] = {
    "_np": np, "_f8": np.float64, "_nan": math.nan, "_inf": math.inf,
    "_snum": stored_numbers, "_stnum": _stnum, "_nbool": _nbool, "_div": _div, "_round": _round,
    "_count": _count, "_eq_qq": _eq_qq, "_eq_qs": _eq_qs, "_eq_qt": _eq_qt, "_qobj": _qobj,
    "_agg_count": _agg_count, "_agg_sum": _agg_sum, "_agg_mean": _agg_mean,
    "_agg_max": _extreme(np.maximum, -math.inf), "_agg_min": _extreme(np.minimum, math.inf),
    "_oeq": _objects(rt.equals, 2, np.bool_), "_onum": _objects(rt.num, 1, np.float64),
    "_obool": _objects(rt.boolean, 1, np.bool_), "_ostring": _objects(rt.string, 1, object),
    "_ostored": _objects(rt.stored, 1, object), "_osel": _objects(rt.selected, 2, np.bool_),
    "_oround": _objects(rt.xround, 2, np.float64),
}  # fmt: skip


def _oround(x: np.ndarray, digits: Any) -> np.ndarray:
    return NAMESPACE["_oround"](x, digits)


def compile_numpy(source: str, label: str = "<expression>") -> Callable[[dict], np.ndarray]:
    """Compile generated source into a function f(X) over columns."""
    code = compile(f"lambda X: {source}", label, "eval")
    return eval(code, dict(NAMESPACE))  # noqa: S307 - our own generated code
