"""Render expressions to Excel formulas that compute what the Python evaluator computes.

XPath values are mapped to Excel values: numbers are numbers, a missing number (XPath NaN) is
the error #N/A, text is text, booleans are TRUE/FALSE. Every comparison is wrapped so that an
error compares false ('<>' true), as NaN does in XPath. Text becomes a number with
`IFERROR(VALUE(x&""),NA())` (a blank cell gives #N/A). Aggregates over repeat records use a
hidden helper column in the repeat's table (asked of the resolver) holding, per row, the
number to aggregate (or 1 to count) when the row is a record matching the filter, else "".

Only functions Excel 2010 and LibreOffice both have are used (no MAXIFS, no LET), all of
which the `formulas` package evaluates. Not reproduced: date arithmetic (dates are text here),
comparisons involving an infinite quotient (x div 0 is an error, hence missing, in Excel) and
text that Excel's VALUE reads as a number but XPath does not (e.g. '1e3', '50%').
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Guide, Item
from .ast import Aggregate, Binary, Boolean, Call, Current, Node, Number, Ref, String, Unary
from .generator import Generator, format_number

_NUMERIC_QUESTIONS = ("integer", "decimal")
_RELATIONAL = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


class ExcelResolver(Protocol):
    """Where the workbook holds things; the workbook emitter (or a test) implements it."""

    def cell(self, name: str) -> str:
        """Absolute cell of a value outside repeats, e.g. "Answers!$C$12"."""

    def record_cell(self, repeat: str, field: str) -> str:
        """Cell of a field in the current row of a repeat's table (for per-row formulas)."""

    def record_present(self, repeat: str) -> str:
        """Excel condition, in a per-row formula, that the current row holds a record."""

    def helper_column(self, repeat: str, per_row_formula: str) -> str:
        """Add a hidden column to the repeat's table with this per-row formula; its range."""


@dataclass(frozen=True)
class Ex:
    """A rendered subexpression: its Excel text, XPath kind ('num', 'str', 'bool' or 'any':
    text or number known only when computed) and, for cell references, the raw cell."""

    text: str
    kind: str
    raw: str | None = None  # a referenced cell, whose blank reads as '' in XPath
    computed: bool = False  # a calculation's cell: the evaluator stores its value as text


def excel_string(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


class ExcelGenerator(Generator):
    """Excel formula text (without '=') of an expression of `guide`. `record_repeat` names the
    repeat whose current row is the context (for calculations inside a repeat)."""

    def __init__(
        self,
        guide: Guide,
        resolver: ExcelResolver,
        record_repeat: str | None = None,
        current: str | None = None,
    ) -> None:
        self.items: dict[str, Item] = guide.items_by_name()
        self.resolver = resolver
        self.scopes: list[str] = [record_repeat] if record_repeat else []
        self.current = current  # the question a '.' stands for (in its constraint)

    # -- entry point -------------------------------------------------------------------------

    def cell_formula(self, node: Node) -> str:
        """The formula of a calculation's cell: missing (NaN, infinity) shows blank, booleans
        as the evaluator stores them ('true'/'false')."""
        ex = self.render(node)
        if ex.kind == "bool":
            return f'IF({ex.text},"true","false")'
        return f'IFERROR({ex.text},"")'

    def condition(self, node: Node) -> str:
        """An Excel condition (TRUE/FALSE) for a skip rule or a constraint."""
        return self.boolean(self.render(node))

    # -- conversions (XPath number(), string(), boolean()) ----------------------------------

    def num(self, ex: Ex) -> str:
        if ex.computed and ex.raw:
            return f'IF(ISNUMBER({ex.raw}),{ex.raw},IFERROR(VALUE({ex.raw}&""),NA()))'
        if ex.kind == "num":
            return ex.text
        if ex.kind == "bool":
            return f"IF({ex.text},1,0)"
        if ex.kind == "any":
            return f'IF(ISNUMBER({ex.text}),{ex.text},IFERROR(VALUE({ex.text}&""),NA()))'
        return f'IFERROR(VALUE({ex.text}&""),NA())'

    def string(self, ex: Ex) -> str:
        if ex.raw:
            return f'{ex.raw}&""'
        if ex.kind == "str":
            return ex.text
        if ex.kind == "bool":
            return f'IF({ex.text},"true","false")'
        return f'IFERROR({ex.text}&"","NaN")'

    def boolean(self, ex: Ex) -> str:
        if ex.kind == "bool":
            return ex.text
        if ex.kind == "num" and not ex.raw:
            return f"IFERROR({ex.text}<>0,FALSE)"
        if ex.kind == "num":  # a number question: blank or '' is false, else its number
            return f"IF(ISNUMBER({ex.raw}),{ex.raw}<>0,FALSE)"
        if ex.kind == "any":
            return f"IF(ISTEXT({ex.text}),LEN({ex.text})>0,IFERROR({ex.text}<>0,FALSE))"
        return f"LEN({self.string(ex)})>0"

    def is_number(self, ex: Ex) -> str:
        """Excel condition that the XPath value is a number at run time."""
        if ex.kind == "num":
            return f"ISNUMBER({ex.raw})" if ex.raw else "TRUE"
        if ex.kind == "any":
            return f"NOT(ISTEXT({ex.text}))"
        return "FALSE"

    # -- leaves ------------------------------------------------------------------------------

    def visit_number(self, node: Number) -> Ex:
        return Ex(format_number(node.value), "num")

    def visit_string(self, node: String) -> Ex:
        return Ex(excel_string(node.value), "str")

    def visit_boolean(self, node: Boolean) -> Ex:
        return Ex("TRUE" if node.value else "FALSE", "bool")

    def visit_current(self, node: Current) -> Ex:
        if self.current is None:
            raise NotImplementedError("'.' is only rendered for a question's own constraint")
        return self.visit_ref(Ref(self.current))

    def visit_ref(self, node: Ref) -> Ex:
        item = self.items[node.name]
        repeat = item.repeat.name if item.repeat else None
        if repeat is not None and repeat in self.scopes:
            cell = self.resolver.record_cell(repeat, node.name)
        elif repeat is not None:
            raise NotImplementedError(f"'{node.name}' is read outside its repeat '{repeat}'")
        else:
            cell = self.resolver.cell(node.name)
        if item.type in _NUMERIC_QUESTIONS:
            return Ex(f"IF(ISNUMBER({cell}),{cell},NA())", "num", raw=cell)
        if item.is_computed:
            return Ex(f'{cell}&""', "str", raw=cell, computed=True)
        return Ex(f'{cell}&""', "str", raw=cell)

    # -- operators ---------------------------------------------------------------------------

    def visit_unary(self, node: Unary) -> Ex:
        inner = self.render(node.operand)
        if node.op == "not":
            return Ex(f"NOT({self.boolean(inner)})", "bool")
        return Ex(f"-({self.num(inner)})", "num")

    def visit_binary(self, node: Binary) -> Ex:
        a, b = self.render(node.left), self.render(node.right)
        op = node.op
        if op in ("and", "or"):
            return Ex(f"{op.upper()}({self.boolean(a)},{self.boolean(b)})", "bool")
        if op in ("=", "!="):
            return Ex(self.equals(a, b, op == "!="), "bool")
        if op in _RELATIONAL:
            return Ex(f"IFERROR(({self.num(a)}){op}({self.num(b)}),FALSE)", "bool")
        return Ex(f"({self.num(a)}){op}({self.num(b)})", "num")

    def equals(self, a: Ex, b: Ex, negate: bool = False) -> str:
        """XPath '=' (or '!='): as booleans if either is one, as numbers if either is a
        number at run time, else as exact (case-sensitive) text."""
        if a.kind == "bool" or b.kind == "bool":
            op = "<>" if negate else "="
            return f"({self.boolean(a)}){op}({self.boolean(b)})"
        if negate:
            numeric = f"IFERROR(({self.num(a)})<>({self.num(b)}),TRUE)"
            text = f"NOT(EXACT({self.string(a)},{self.string(b)}))"
        else:
            numeric = f"IFERROR(({self.num(a)})=({self.num(b)}),FALSE)"
            text = f"EXACT({self.string(a)},{self.string(b)})"
        na, nb = self.is_number(a), self.is_number(b)
        if "TRUE" in (na, nb):
            return numeric
        if na == nb == "FALSE":
            return text
        tests = ",".join(t for t in (na, nb) if t != "FALSE")
        return f"IF(OR({tests}),{numeric},{text})"

    # -- functions ---------------------------------------------------------------------------

    def visit_call(self, node: Call) -> Ex:
        f = node.func
        args = [self.render(a) for a in node.args]
        if f == "selected":
            value, choice = self.string(args[0]), self.string(args[1])
            return Ex(
                f'AND(LEN(TRIM({choice}))>0,ISNUMBER(FIND(" "&TRIM({choice})&" "," "&TRIM({value})&" ")))',
                "bool",
            )
        if f == "count_selected":
            v = f"TRIM({self.string(args[0])})"
            return Ex(f'IF(LEN({v})=0,0,LEN({v})-LEN(SUBSTITUTE({v}," ",""))+1)', "num")
        if f == "if":
            return self._choose(self.boolean(args[0]), args[1], args[2])
        if f == "answered":
            return Ex(f"LEN({self.string(args[0])})>0", "bool")
        if f == "coalesce":
            return self._choose(f"LEN({self.string(args[0])})>0", args[0], args[1])
        if f == "count_equal":
            terms = [f"IF({self.equals(a, args[0])},1,0)" for a in args[1:]]
            return Ex("(" + "+".join(terms) + ")" if terms else "0", "num")
        if f == "count_answered":
            terms = [f"IF(LEN({self.string(a)})>0,1,0)" for a in args]
            return Ex("(" + "+".join(terms) + ")" if terms else "0", "num")
        if f == "round":
            x = self.num(args[0])
            if isinstance(node.args[1], Number):
                digits = int(node.args[1].value)
                return Ex(f"INT({x}+0.5)" if digits == 0 else f"ROUND({x},{digits})", "num")
            n = self.num(args[1])
            return Ex(f"IF(TRUNC({n})=0,INT({x}+0.5),ROUND({x},TRUNC({n})))", "num")
        raise NotImplementedError(f)

    def _choose(self, condition: str, a: Ex, b: Ex) -> Ex:
        """IF(condition, a, b) keeping the kind when both branches share it."""
        if a.kind == b.kind and not a.computed and not b.computed:
            kind = a.kind
            ta, tb = a.text, b.text
        else:
            kind = "any"
            ta, tb = self._value(a), self._value(b)
        return Ex(f"IF({condition},{ta},{tb})", kind)

    def _value(self, ex: Ex) -> str:
        """The value as an 'any' branch: numbers (or #N/A) and text; booleans as text."""
        if ex.computed and ex.raw:
            return f'{ex.raw}&""'
        if ex.kind == "bool":
            return f'IF({ex.text},"true","false")'
        if ex.kind == "num" and ex.raw:  # a blank number question reads as ''
            return f'IF(ISNUMBER({ex.raw}),{ex.raw},{ex.raw}&"")'
        return ex.text

    # -- aggregates --------------------------------------------------------------------------

    def visit_aggregate(self, node: Aggregate) -> Ex:
        self.scopes.append(node.repeat)
        try:
            where = self.boolean(self.render(node.where)) if node.where is not None else None
            field = self.num(self.render(Ref(node.field))) if node.field else None
        finally:
            self.scopes.pop()
        present = self.resolver.record_present(node.repeat)
        condition = f"AND({present},{where})" if where else present
        if node.func == "count":
            per_row = f'IF({condition},1,"")'
        else:
            per_row = f'IF({condition},IFERROR({field},""),"")'
        rng = self.resolver.helper_column(node.repeat, per_row)
        if node.func == "count":
            return Ex(f"COUNT({rng})", "num")
        if node.func == "sum":
            return Ex(f"SUM({rng})", "num")
        excel = {"max": "MAX", "min": "MIN", "mean": "AVERAGE"}[node.func]
        return Ex(f"IF(COUNT({rng})=0,NA(),{excel}({rng}))", "num")
