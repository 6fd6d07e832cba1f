"""Static types of expressions, and the errors a guide author can make in them.

Types: number, string, boolean, date, select (one answer from a list), multi (select_multiple).
A select whose list names are all numbers (a 1-5 scale) also counts as a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .ast import (
    ARITHMETIC,
    Aggregate,
    Binary,
    Boolean,
    Call,
    Current,
    Node,
    Number,
    Ref,
    String,
    Unary,
)


@dataclass(frozen=True)
class Type:
    kind: str  # number string boolean date select multi error
    list_name: str | None = None

    def __str__(self) -> str:
        return {"select": "a single-choice answer", "multi": "a multiple-choice answer"}.get(
            self.kind, f"a {self.kind}" if self.kind != "error" else "an error"
        )


NUMBER = Type("number")
STRING = Type("string")
BOOLEAN = Type("boolean")
DATE = Type("date")
ERROR = Type("error")


@dataclass
class Symbol:
    """What a name refers to, as the type checker needs it."""

    name: str
    type: Type
    repeat: str | None  # the innermost repeat the item lives in
    repeats: tuple[str, ...] = ()  # every repeat the item lives in, outermost first
    referable: bool = True
    kind: str = "question"


@dataclass
class Context:
    """Where an expression stands: its owner's repeats and the symbols it may use."""

    lookup: Callable[[str], Symbol | None]
    repeat_fields: Callable[[str], bool]  # is this name a repeat?
    choices: Callable[[str], list[str] | None]  # list name -> choice names
    numeric_list: Callable[[str], bool]
    owner_repeats: tuple[str, ...] = ()
    current: Type | None = None  # the type of '.' in a constraint
    errors: list[tuple[int, str]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def error(self, node: Node, message: str) -> Type:
        self.errors.append((node.column, message))
        return ERROR


def _numeric(t: Type, ctx: Context) -> bool:
    return t.kind in ("number", "error") or (
        t.kind == "select" and t.list_name is not None and ctx.numeric_list(t.list_name)
    )


def infer(node: Node, ctx: Context, record_repeat: str | None = None) -> Type:
    """The type of node; errors are collected in ctx.errors as (column, message)."""
    method = _RULES.get(type(node))
    if method is None:  # pragma: no cover - every node class has a rule
        return ctx.error(node, f"cannot type {type(node).__name__}")
    return method(node, ctx, record_repeat)


def _number(node: Number, ctx: Context, rr: str | None) -> Type:
    return NUMBER


def _string(node: String, ctx: Context, rr: str | None) -> Type:
    return STRING


def _boolean(node: Boolean, ctx: Context, rr: str | None) -> Type:
    return BOOLEAN


def _current(node: Current, ctx: Context, rr: str | None) -> Type:
    if ctx.current is None:
        return ctx.error(node, "'.' (this answer) can only be used in a constraint")
    return ctx.current


def _ref(node: Ref, ctx: Context, rr: str | None) -> Type:
    sym = ctx.lookup(node.name)
    if sym is None:
        return ctx.error(node, f"unknown name '{node.name}'")
    ctx.refs.append(node.name)
    if not sym.referable:
        return ctx.error(node, f"'{node.name}' is a {sym.kind} and has no value")
    visible = set(ctx.owner_repeats) | ({rr} if rr else set())
    missing = [r for r in sym.repeats if r not in visible]
    if missing:
        rep = missing[-1]
        return ctx.error(
            node,
            f"'{node.name}' is a field of repeat '{rep}' and has one value per record: "
            f"use an aggregate such as max({node.name} from {rep})",
        )
    return sym.type


def _unary(node: Unary, ctx: Context, rr: str | None) -> Type:
    t = infer(node.operand, ctx, rr)
    if node.op == "not":
        if t.kind not in ("boolean", "error"):
            ctx.error(node, f"'not' needs a condition, not {t}")
        return BOOLEAN
    if not _numeric(t, ctx):
        ctx.error(node, f"'-' needs a number, not {t}")
    return NUMBER


def _literal_in_list(node: Node, t: Type, other: Node, ctx: Context) -> None:
    if isinstance(other, String) and t.list_name:
        names = ctx.choices(t.list_name) or []
        if other.value not in names:
            ctx.error(other, f"'{other.value}' is not an answer in list '{t.list_name}' ({', '.join(names)})")


def _binary(node: Binary, ctx: Context, rr: str | None) -> Type:
    left = infer(node.left, ctx, rr)
    right = infer(node.right, ctx, rr)
    if ERROR in (left, right):
        return BOOLEAN if node.op not in ARITHMETIC else NUMBER
    if node.op in ("and", "or"):
        for side, t in ((node.left, left), (node.right, right)):
            if t.kind != "boolean":
                ctx.error(side, f"'{node.op}' joins conditions, not {t}")
        return BOOLEAN
    if node.op in ARITHMETIC:
        for side, t in ((node.left, left), (node.right, right)):
            if not _numeric(t, ctx):
                ctx.error(side, f"'{node.op}' needs numbers, not {t}")
        return NUMBER
    # comparisons
    kinds = {left.kind, right.kind}
    if "multi" in kinds:
        return ctx.error(node, "a multiple-choice answer cannot be compared: use selected(question, 'answer')")
    if node.op in ("=", "!="):
        if left.kind == "select" or right.kind == "select":
            sel, other_t, other = (left, right, node.right) if left.kind == "select" else (right, left, node.left)
            if other_t.kind == "number" and not _numeric(sel, ctx):
                return ctx.error(node, f"a single-choice answer (list '{sel.list_name}') compared with a number")
            if other_t.kind in ("boolean", "date"):
                return ctx.error(node, f"a single-choice answer compared with {other_t}")
            _literal_in_list(node, sel, other, ctx)
            return BOOLEAN
        if kinds == {"number", "string"}:
            return ctx.error(node, "a number compared with text")
        if "boolean" in kinds and kinds != {"boolean"}:
            return ctx.error(node, f"a condition compared with {left if left.kind != 'boolean' else right}")
        if "date" in kinds and kinds != {"date"} and not (
            kinds == {"date", "string"}
        ):
            return ctx.error(node, "a date compared with something else")
        return BOOLEAN
    if kinds == {"date"}:
        return BOOLEAN
    for side, t in ((node.left, left), (node.right, right)):
        if not _numeric(t, ctx):
            ctx.error(side, f"'{node.op}' compares numbers, not {t}")
    return BOOLEAN


def _call(node: Call, ctx: Context, rr: str | None) -> Type:
    f = node.func
    args = node.args
    if f in ("selected", "count_selected"):
        t = infer(args[0], ctx, rr)
        if not isinstance(args[0], (Ref, Current)):
            ctx.error(args[0], f"{f}() needs a question name")
        wanted = ("multi", "select") if f == "selected" else ("multi",)
        if t.kind not in wanted + ("error",):
            ctx.error(args[0], f"{f}() needs a {'choice' if f == 'selected' else 'multiple-choice'} question, not {t}")
        if f == "selected":
            if not isinstance(args[1], String):
                ctx.error(args[1], "selected() needs an answer name in quotes")
            else:
                _literal_in_list(node, t, args[1], ctx)
            return BOOLEAN
        return NUMBER
    if f == "if":
        cond = infer(args[0], ctx, rr)
        if cond.kind not in ("boolean", "error"):
            ctx.error(args[0], f"if() needs a condition first, not {cond}")
        a = infer(args[1], ctx, rr)
        b = infer(args[2], ctx, rr)
        return _join(a, b, args, node, ctx)
    if f == "answered":
        infer(args[0], ctx, rr)
        if not isinstance(args[0], Ref):
            ctx.error(args[0], "answered() needs a question name")
        return BOOLEAN
    if f == "coalesce":
        a = infer(args[0], ctx, rr)
        if not isinstance(args[0], Ref):
            ctx.error(args[0], "coalesce() needs a question name first")
        b = infer(args[1], ctx, rr)
        return _join(a, b, args, node, ctx)
    if f in ("count_equal", "count_answered"):
        rest = args
        if f == "count_equal":
            if not isinstance(args[0], String | Number):
                ctx.error(args[0], "count_equal() needs the answer to count first, in quotes")
            rest = args[1:]
        for arg in rest:
            t = infer(arg, ctx, rr)
            if not isinstance(arg, Ref):
                ctx.error(arg, f"{f}() counts questions: give question names")
            elif f == "count_equal" and isinstance(args[0], String) and t.kind == "select":
                _literal_in_list(node, t, args[0], ctx)
        return NUMBER
    if f == "round":
        t = infer(args[0], ctx, rr)
        if not _numeric(t, ctx):
            ctx.error(args[0], f"round() needs a number, not {t}")
        if not isinstance(args[1], Number) or args[1].value != int(args[1].value):
            ctx.error(args[1], "round() needs a whole number of decimals")
        return NUMBER
    return ctx.error(node, f"unknown function {f}")  # pragma: no cover


def _join(a: Type, b: Type, args: tuple[Node, ...], node: Node, ctx: Context) -> Type:
    if ERROR in (a, b):
        return a if b == ERROR else b
    if a == b:
        return a
    if _numeric(a, ctx) and _numeric(b, ctx):
        return NUMBER
    if {a.kind, b.kind} <= {"string", "select"}:
        return STRING
    return ctx.error(node, f"the two results differ in kind: {a} and {b}")


def _aggregate(node: Aggregate, ctx: Context, rr: str | None) -> Type:
    if not ctx.repeat_fields(node.repeat):
        return ctx.error(node, f"'{node.repeat}' is not a repeat")
    if node.field is not None:
        sym = ctx.lookup(node.field)
        if sym is None:
            return ctx.error(node, f"unknown name '{node.field}'")
        ctx.refs.append(node.field)
        if sym.repeat != node.repeat:
            return ctx.error(node, f"'{node.field}' is not a field of repeat '{node.repeat}'")
        if not _numeric(sym.type, ctx):
            ctx.error(node, f"{node.func}() needs a number field, and '{node.field}' is {sym.type}")
    if node.where is not None:
        t = infer(node.where, ctx, node.repeat)
        if t.kind not in ("boolean", "error"):
            ctx.error(node.where, f"'where' needs a condition, not {t}")
    return NUMBER


_RULES: dict[type, Callable[..., Type]] = {
    Number: _number,
    String: _string,
    Boolean: _boolean,
    Current: _current,
    Ref: _ref,
    Unary: _unary,
    Binary: _binary,
    Call: _call,
    Aggregate: _aggregate,
}
