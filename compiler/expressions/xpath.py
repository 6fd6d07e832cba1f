"""Render expressions to ODK XPath for the XLSForm (`${name}` references, as XLSForm expects).

Semantics follow XPath 1.0 as JavaRosa implements it; the Python evaluator mirrors them.
Numeric aggregates skip records whose field is not a number (blank or don't know):
`number(f) = number(f)` is false only for NaN.
"""

from __future__ import annotations

from collections.abc import Callable

from .ast import Aggregate, Binary, Boolean, Call, Current, Node, Number, Ref, String, Unary
from .generator import Generator, format_number

_XPATH_OPS = {"/": "div", "!=": "!="}
# XPath 1.0 precedence, loosest first: equality binds looser than order comparisons.
_PRECEDENCE = {
    "or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "/": 6,
}


def quote(text: str) -> str:
    """An XPath string literal."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in parts) + ")"


class XPathGenerator(Generator):
    """ODK XPath. `repeat_path(name)` gives a repeat's absolute path; `field_path(repeat, field)`
    a field's path relative to one record of the repeat."""

    def __init__(
        self,
        repeat_path: Callable[[str], str],
        field_path: Callable[[str, str], str],
    ) -> None:
        self.repeat_path = repeat_path
        self.field_path = field_path
        self._record: str | None = None  # repeat whose record is the context, inside a filter

    def visit_number(self, node: Number) -> str:
        return format_number(node.value)

    def visit_string(self, node: String) -> str:
        return quote(node.value)

    def visit_boolean(self, node: Boolean) -> str:
        return "true()" if node.value else "false()"

    def visit_current(self, node: Current) -> str:
        return "."

    def visit_ref(self, node: Ref) -> str:
        if self._record is not None:
            relative = self.field_path(self._record, node.name)
            if relative:
                return relative
        return "${" + node.name + "}"

    def visit_unary(self, node: Unary) -> str:
        inner = self.render(node.operand)
        if node.op == "not":
            return f"not({inner})"
        return f"-({inner})"

    def visit_binary(self, node: Binary) -> str:
        op = _XPATH_OPS.get(node.op, node.op)
        return f"{self._operand(node.left, node.op, False)} {op} {self._operand(node.right, node.op, True)}"

    def _operand(self, child: Node, parent_op: str, right: bool) -> str:
        """Parenthesise a child only where XPath's precedence would read it otherwise."""
        text = self.render(child)
        if isinstance(child, Binary):
            mine, parents = _PRECEDENCE[child.op], _PRECEDENCE[parent_op]
            if mine < parents or (mine == parents and right):
                return f"({text})"
        return text

    def visit_call(self, node: Call) -> str:
        f, args = node.func, node.args
        r = self.render
        if f == "selected":
            return f"selected({r(args[0])}, {r(args[1])})"
        if f == "count_selected":
            return f"count-selected({r(args[0])})"
        if f == "if":
            return f"if({r(args[0])}, {r(args[1])}, {r(args[2])})"
        if f == "answered":
            return f"(string-length({r(args[0])}) > 0)"
        if f == "coalesce":
            return f"coalesce({r(args[0])}, {r(args[1])})"
        if f == "count_equal":
            value = r(args[0])
            terms = [f"if({r(a)} = {value}, 1, 0)" for a in args[1:]]
            return "(" + " + ".join(terms) + ")" if terms else "0"
        if f == "count_answered":
            terms = [f"if(string-length({r(a)}) > 0, 1, 0)" for a in args]
            return "(" + " + ".join(terms) + ")" if terms else "0"
        if f == "round":
            return f"round({r(args[0])}, {r(args[1])})"
        raise NotImplementedError(f)

    def visit_aggregate(self, node: Aggregate) -> str:
        base = self.repeat_path(node.repeat)
        conditions: list[str] = []
        if node.where is not None:
            outer, self._record = self._record, node.repeat
            try:
                conditions.append(self.render(node.where))
            finally:
                self._record = outer
        if node.func == "count":
            return f"count({base}{_predicate(conditions)})"
        field = self.field_path(node.repeat, node.field or "")
        conditions.append(f"number({field}) = number({field})")
        selection = f"{base}{_predicate(conditions)}/{field}"
        if node.func == "sum":
            return f"sum({selection})"
        if node.func == "mean":
            return f"(sum({selection}) div count({selection}))"
        return f"{node.func}({selection})"


def _predicate(conditions: list[str]) -> str:
    if not conditions:
        return ""
    if len(conditions) == 1:
        return f"[{conditions[0]}]"
    return "[" + " and ".join(f"({c})" for c in conditions) + "]"
