"""Render expressions to Python source, compiled once into functions `f(V, R, C)`.

V holds the submission's values outside repeats (and each repeat's list of records), R the
current repeat record (a dict) or None, C the answer being constrained. The code calls
`xpath_runtime` so the results follow XPath as JavaRosa evaluates it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import xpath_runtime
from .ast import Aggregate, Binary, Boolean, Call, Current, Node, Number, Ref, String, Unary
from .generator import Generator

_RELATIONAL = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ARITH = {"+": "+", "-": "-", "*": "*"}


class PythonGenerator(Generator):
    """Python source of an expression. `repeat_of(name)` names the repeat a field lives in."""

    def __init__(self, repeat_of: Callable[[str], str | None], record_repeat: str | None = None) -> None:
        self.repeat_of = repeat_of
        self.scopes: list[tuple[str, str]] = [(record_repeat, "R")] if record_repeat else []
        self._counter = 0

    def visit_number(self, node: Number) -> str:
        return repr(float(node.value))

    def visit_string(self, node: String) -> str:
        return repr(node.value)

    def visit_boolean(self, node: Boolean) -> str:
        return "True" if node.value else "False"

    def visit_current(self, node: Current) -> str:
        return "C"

    def visit_ref(self, node: Ref) -> str:
        repeat = self.repeat_of(node.name)
        for scope_repeat, var in reversed(self.scopes):
            if repeat == scope_repeat:
                return f"{var}.get({node.name!r}, '')"
        return f"V.get({node.name!r}, '')"

    def visit_unary(self, node: Unary) -> str:
        inner = self.render(node.operand)
        if node.op == "not":
            return f"(not _rt.boolean({inner}))"
        return f"(-_rt.num({inner}))"

    def visit_binary(self, node: Binary) -> str:
        a, b = self.render(node.left), self.render(node.right)
        op = node.op
        if op in ("and", "or"):
            return f"(_rt.boolean({a}) {op} _rt.boolean({b}))"
        if op == "=":
            return f"_rt.equals({a}, {b})"
        if op == "!=":
            return f"_rt.not_equals({a}, {b})"
        if op in _RELATIONAL:
            return f"(_rt.num({a}) {op} _rt.num({b}))"
        if op == "/":
            return f"_rt.divide({a}, {b})"
        return f"(_rt.num({a}) {_ARITH[op]} _rt.num({b}))"

    def visit_call(self, node: Call) -> str:
        f = node.func
        args = [self.render(a) for a in node.args]
        if f == "selected":
            return f"_rt.selected({args[0]}, {args[1]})"
        if f == "count_selected":
            return f"_rt.count_selected({args[0]})"
        if f == "if":
            return f"({args[1]} if _rt.boolean({args[0]}) else {args[2]})"
        if f == "answered":
            return f"(_rt.string({args[0]}) != '')"
        if f == "coalesce":
            return f"_rt.coalesce({args[0]}, {args[1]})"
        if f == "count_equal":
            if len(args) == 1:
                return "0.0"
            values = ", ".join(args[1:])
            return f"float(sum(1 for _x in ({values},) if _rt.equals(_x, {args[0]})))"
        if f == "count_answered":
            if not args:
                return "0.0"
            return f"float(sum(1 for _x in ({', '.join(args)},) if _rt.string(_x) != ''))"
        if f == "round":
            return f"_rt.xround({args[0]}, {args[1]})"
        raise NotImplementedError(f)

    def condition(self, node: Node) -> str:
        """Python source of node as a truth value (XPath boolean())."""
        return f"_rt.boolean({self.render(node)})"

    def visit_aggregate(self, node: Aggregate) -> str:
        self._counter += 1
        var = f"_r{self._counter}"
        self.scopes.append((node.repeat, var))
        try:
            where = self.condition(node.where) if node.where is not None else None
            field = f"{var}.get({node.field!r}, '')" if node.field else None
        finally:
            self.scopes.pop()
        source = f"V.get({node.repeat!r}, ())"
        condition = f" if {where}" if where else ""
        if node.func == "count":
            return f"float(sum(1 for {var} in {source}{condition}))"
        values = f"_rt.numeric_values([{field} for {var} in {source}{condition}])"
        return f"_rt.agg_{node.func}({values})"


def compile_expression(source: str, label: str = "<expression>") -> Callable[[Any, Any, Any], Any]:
    """Compile generated source into a function f(V, R, C)."""
    code = compile(f"lambda V, R, C: {source}", label, "eval")
    return eval(code, {"_rt": xpath_runtime, "__builtins__": {"float": float, "sum": sum}})  # noqa: S307
