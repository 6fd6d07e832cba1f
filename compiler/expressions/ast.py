"""Syntax tree of the expression language. Every node records the 1-based column it starts at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Node:
    """Base of all nodes."""

    column: int = field(default=1, compare=False, kw_only=True)

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Node))

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True)
class Number(Node):
    value: float


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class Boolean(Node):
    value: bool


@dataclass(frozen=True)
class Ref(Node):
    """A reference to a question, calculation or score by name."""

    name: str


@dataclass(frozen=True)
class Current(Node):
    """'.': the answer being constrained."""


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "not"
    operand: Node


COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/")
LOGICAL = ("and", "or")


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


FUNCTIONS = {
    # name: (min args, max args or None for any)
    "selected": (2, 2),
    "count_selected": (1, 1),
    "if": (3, 3),
    "answered": (1, 1),
    "coalesce": (2, 2),
    "count_equal": (1, None),
    "count_answered": (0, None),
    "round": (2, 2),
}


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


AGGREGATES = ("max", "min", "sum", "mean", "count")


@dataclass(frozen=True)
class Aggregate(Node):
    """max/min/sum/mean of a field over a repeat's records, or count of records, with a filter."""

    func: str
    repeat: str
    field: str | None
    where: Node | None


def references(node: Node) -> list[str]:
    """Names the expression reads, in order, each once: references and aggregate fields."""
    seen: dict[str, None] = {}
    for n in node.walk():
        if isinstance(n, Ref):
            seen.setdefault(n.name, None)
        elif isinstance(n, Aggregate) and n.field:
            seen.setdefault(n.field, None)
    return list(seen)
