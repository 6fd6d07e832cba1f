"""Base class of every target: one method per node class, as in sqlglot's generators."""

from __future__ import annotations

from typing import Any

from .ast import Node


class Generator:
    """Render a syntax tree by dispatching on the node class to `visit_<classname>`."""

    def render(self, node: Node) -> Any:
        method = getattr(self, "visit_" + type(node).__name__.lower(), None)
        if method is None:
            raise NotImplementedError(f"{type(self).__name__} cannot render {type(node).__name__}")
        return method(node)


def format_number(value: float) -> str:
    """A number literal without a trailing '.0' for whole numbers."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
