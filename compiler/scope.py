"""Names and types of a guide's items, as the expression type checker and renderers see them."""

from __future__ import annotations

from functools import cached_property

from .expressions.typecheck import (
    BOOLEAN,
    DATE,
    ERROR,
    NUMBER,
    STRING,
    Context,
    Symbol,
    Type,
    infer,
)
from .model import Guide, Item

_ANSWER_TYPES = {"integer": NUMBER, "decimal": NUMBER, "text": STRING, "date": DATE}


class GuideScope:
    """Symbol table of a guide: look up names, their types and repeats; build type contexts."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.items = guide.items_by_name()
        self._types: dict[str, Type] = {}
        self._busy: set[str] = set()

    @cached_property
    def repeat_names(self) -> set[str]:
        return {i.name for i in self.guide.repeats()}

    def repeats_of(self, item: Item) -> tuple[str, ...]:
        return tuple(a.name for a in reversed(list(item.ancestors())) if a.type == "repeat")

    def type_of(self, item: Item) -> Type:
        if item.type in _ANSWER_TYPES:
            return _ANSWER_TYPES[item.type]
        if item.type == "select_one":
            return Type("select", item.list_name)
        if item.type == "select_multiple":
            return Type("multi", item.list_name)
        if item.is_computed:
            if item.name in self._types:
                return self._types[item.name]
            if item.name in self._busy or item.formula is None or item.formula.tree is None:
                return ERROR  # a cycle or a broken formula, reported elsewhere
            self._busy.add(item.name)
            ctx = self.context(item)
            result = infer(item.formula.tree, ctx)
            self._busy.discard(item.name)
            if result.kind == "boolean":
                result = BOOLEAN
            self._types[item.name] = result
            return result
        return ERROR

    def symbol(self, name: str) -> Symbol | None:
        item = self.items.get(name)
        if item is None:
            return None
        repeats = self.repeats_of(item)
        referable = item.is_question or item.is_computed
        return Symbol(
            name=name,
            type=self.type_of(item) if referable else ERROR,
            repeat=repeats[-1] if repeats else None,
            repeats=repeats,
            referable=referable,
            kind=item.type,
        )

    def context(self, owner: Item | None, current: Type | None = None) -> Context:
        """A fresh type-checking context for an expression owned by owner."""
        return Context(
            lookup=self.symbol,
            repeat_fields=lambda name: name in self.repeat_names,
            choices=lambda list_name: (
                self.guide.lists[list_name].names() if list_name in self.guide.lists else None
            ),
            numeric_list=lambda list_name: (
                list_name in self.guide.lists and self.guide.lists[list_name].numeric
            ),
            owner_repeats=self.repeats_of(owner) + ((owner.name,) if owner is not None and owner.type == "repeat" else ())
            if owner is not None
            else (),
            current=current,
        )
