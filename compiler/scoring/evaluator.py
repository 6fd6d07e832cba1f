"""Fill a form the way ODK Collect does, and compute every calculation and score.

A submission is given as answers by question name (values as the XForm writes them) and,
for each repeat, a list of records. Filling walks the form in document order: a question
is answered only if it is relevant when reached, as an interviewer on a phone would see it
(a calculation whose skip rules say it does not apply then reads blank, as in JavaRosa);
defaults stand where nothing is answered. What JavaRosa computes for one record only (inside a
record, `count` of its own repeat, or an aggregate over it in a formula or skip rule) is
refused by the checker, so it never reaches here. Then every calculation is computed in dependency
order, and relevance and constraints are evaluated on the final values.

Expressions are compiled to Python once per guide (`expressions.python_code`). This is the
specification the tests hold the batch evaluator (`batch.py`) and JavaRosa to, and what
`rightguide score --explain` runs; production scoring fills batches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..expressions import xpath_runtime as rt
from ..expressions.ast import Aggregate, Ref, references
from ..expressions.python_code import PythonGenerator, compile_expression
from ..model import Guide, Item

Compiled = Callable[[Any, Any, Any], Any]
MAX_PASSES = 8  # settling passes of relevance and calculations, as JavaRosa settles them
Submission = Mapping[str, Any]  # name -> str, repeat name -> list of Mapping[str, str]


def typed_value(item: Item, text: str) -> Any:
    """An answer as JavaRosa holds it: numbers as float, dates as date, the rest as text."""
    if text == "":
        return ""
    if item.type in ("integer", "decimal"):
        value = rt.num(text)
        return "" if value != value else value
    if item.type == "date":
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return ""
    return text


@dataclass
class FilledForm:
    """The form after filling: values by name (repeat records as lists of dicts), relevance and
    constraint results by instance path (e.g. /data/step5/impacts[2]/scale)."""

    values: dict[str, Any]
    relevant: dict[str, bool] = field(default_factory=dict)
    constraint: dict[str, bool] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """A top-level value as the XForm instance would hold it."""
        return as_text(self.values.get(name, ""))


def as_text(value: Any) -> str:
    """An instance value as text: numbers as JavaRosa writes them, dates as yyyy-mm-dd."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return rt.string(value)
    return str(value)


class ReferenceEvaluator:
    """The executable specification: walks the item tree per submission and settles relevance
    and calculations by iterating. Slow (about 1.5 ms per real-guide submission): production
    fills batches (`batch.BatchEvaluator`, checked against this one by the tests); this one
    fills the one submission `rightguide score --explain` explains."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.scopes: dict[tuple[str, str], str | None] = {}  # the record each expression reads
        self.items = guide.items_by_name()
        self.relevant: dict[str, Compiled] = {}
        self.constraint: dict[str, Compiled] = {}
        self.formula: dict[str, Compiled] = {}
        self._relevance_needs_recalc: dict[str, bool] = {}
        for item in guide.walk():
            repeat = item.repeat.name if item.repeat else None
            own_repeat = item.name if item.type == "repeat" else None
            for attr, expr in item.expressions():
                if expr.tree is None:
                    continue
                scope = repeat if attr == "relevant" or own_repeat is None else own_repeat
                if attr == "relevant" and item.type == "repeat":
                    scope = repeat
                source = PythonGenerator(self._repeat_of, scope).render(expr.tree)
                self.scopes[(item.name, attr)] = scope
                getattr(self, attr)[item.name] = compile_expression(source, f"{item.name}.{attr}")
                if attr == "relevant":
                    self._relevance_needs_recalc[item.name] = self._touches_calculations(expr.tree)
        self.calc_order = self._calculation_order()
        # calculations that are not always relevant (theirs or a group's skip rule): the walk
        # reads them blank where they are not, as JavaRosa does while the form is filled
        self.conditional: dict[str, list[Item]] = {}
        for item in self.calc_order:
            chain = [a for a in (item, *item.ancestors()) if a.name in self.relevant]
            if chain:
                self.conditional[item.name] = chain
        self._guard_hides: dict[str, bool] = {}
        for item in guide.walk():
            if item.relevant is not None and item.relevant.tree is not None:
                self._guard_hides[item.name] = self._reads_conditional(item.relevant.tree)
        self.defaults = {
            i.name: typed_value(i, i.default)
            for i in guide.walk()
            if i.default is not None and i.is_question
        }

    def _repeat_of(self, name: str) -> str | None:
        item = self.items.get(name)
        if item is None:
            return None
        if item.type == "repeat":
            return None
        return item.repeat.name if item.repeat else None

    def _deps(self, item: Item) -> list[str]:
        if item.formula is None or item.formula.tree is None:
            return []
        return references(item.formula.tree)

    def _touches_calculations(self, tree: Any) -> bool:
        for node in tree.walk():
            name = node.name if isinstance(node, Ref) else getattr(node, "field", None)
            if name and name in self.items and self.items[name].is_computed:
                return True
            if isinstance(node, Aggregate):
                return True
        return False

    def guard_hides(self, name: str) -> bool:
        """Whether the skip rule of name reads a conditional calculation (see `_walk_view`)."""
        return self._guard_hides.get(name, False)

    def _reads_conditional(self, tree: Any) -> bool:
        """Whether an expression reads a conditional calculation, directly or through others
        (or through the skip rules of those)."""
        todo, seen = [tree], set()
        while todo:
            for name in references(todo.pop()):
                item = self.items.get(name)
                if item is None or name in seen or name not in self.formula:
                    continue
                seen.add(name)
                if name in self.conditional:
                    return True
                todo.append(item.formula.tree)
        return False

    def _calculation_order(self) -> list[Item]:
        computed = [i for i in self.guide.walk() if i.is_computed and i.name in self.formula]
        order: list[Item] = []
        state: dict[str, int] = {}

        def visit(item: Item) -> None:
            if state.get(item.name):
                return
            state[item.name] = 1
            for dep in self._deps(item):
                dep_item = self.items.get(dep)
                if dep_item is not None and dep_item.is_computed and dep_item.name in self.formula:
                    visit(dep_item)
            state[item.name] = 2
            order.append(item)

        for item in computed:
            visit(item)
        return order

    # -- filling ---------------------------------------------------------------------------

    def fill(self, submission: Submission) -> FilledForm:
        """Fill the form with a submission, as ODK Collect would, and compute everything."""
        values: dict[str, Any] = {}
        for item in self.guide.walk():
            if item.repeat is None and (item.is_question or item.is_computed):
                values[item.name] = self.defaults.get(item.name, "")
            elif item.type == "repeat" and item.repeat is None:
                values[item.name] = []
        state = _State(values)
        for section in self.guide.sections:
            self._walk(section, submission, state, None)
        return self._settle(values)

    def _settle(self, values: dict[str, Any]) -> FilledForm:
        """Compute calculations and relevance until they agree: JavaRosa reads a non-relevant
        node as blank and leaves non-relevant records out of aggregates."""
        hidden: set[tuple[int, str]] = set()
        filled = FilledForm(values)
        for _ in range(MAX_PASSES):
            view = self._view(values, hidden)
            self._recalculate(values, view, hidden)
            filled = FilledForm(values)
            now: set[tuple[int, str]] = set()
            for section in self.guide.sections:
                self._final(section, view, None, "/data", True, filled, now)
            if now == hidden:
                break
            hidden = now
        return filled

    def _view(self, values: dict[str, Any], hidden: set[tuple[int, str]]) -> dict[str, Any]:
        """A copy of the values as expressions see them: non-relevant nodes blank, non-relevant
        records left out. Keys of hidden are (id of the record or 0, name)."""
        view: dict[str, Any] = {}
        for name, value in values.items():
            if isinstance(value, list):
                records = []
                for record in value:
                    if (id(record), "") in hidden:
                        continue
                    copy = {k: ("" if (id(record), k) in hidden else v) for k, v in record.items()}
                    copy["__source__"] = record
                    records.append(copy)
                view[name] = records
            else:
                view[name] = "" if (0, name) in hidden else value
        return view

    def _is_relevant(self, item: Item, state: _State, record: dict | None) -> bool:
        fn = self.relevant.get(item.name)
        if fn is None:
            return True
        if self._guard_hides.get(item.name):
            if state.dirty or state.view is None:
                state.view, state.copies = self._walk_view(state.values)
                state.dirty = False
            copy = state.copies.get(id(record)) if record is not None else None
            return rt.boolean(fn(state.view, copy if copy is not None else record, None))
        if state.dirty and self._relevance_needs_recalc.get(item.name):
            self._recalculate(state.values, state.values, set())
            state.dirty = False
            state.view = None
        return rt.boolean(fn(state.values, record, None))

    def _walk_view(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[int, dict]]:
        """Every calculation brought up to date, in order, on a view where a conditional
        calculation reads blank while its skip rules (its own, its groups') say it does not
        apply, as they say at that point; and each record's copy in the view by id."""
        view = self._view(values, set())
        copies = {id(c["__source__"]): c for v in view.values() if isinstance(v, list) for c in v}
        for item in self.calc_order:
            fn = self.formula[item.name]
            chain = self.conditional.get(item.name)
            records = [None] if item.repeat is None else view.get(item.repeat.name, ())
            for record in records:
                result = rt.stored(fn(view, record, None))
                target = view if record is None else record
                source = values if record is None else record["__source__"]
                source[item.name] = target[item.name] = result
                if chain and not all(
                    rt.boolean(self.relevant[a.name](view, record, None)) for a in chain
                ):
                    target[item.name] = ""
        return view, copies

    def _walk(self, item: Item, submission: Submission, state: _State, record: dict | None) -> None:
        if not self._is_relevant(item, state, record):
            return
        if item.type == "group":
            for child in item.children:
                self._walk(child, submission, state, record)
        elif item.type == "repeat":
            given = submission.get(item.name) or []
            target = (
                record.setdefault(item.name, []) if record is not None else state.values[item.name]
            )
            for answers in given:
                new = self._new_record(item)
                target.append(new)
                state.dirty = True
                for child in item.children:
                    self._walk(child, answers, state, new)
        elif item.is_question:
            text = submission.get(item.name)
            if text is not None:
                value = typed_value(item, str(text))
                if record is not None:
                    record[item.name] = value
                else:
                    state.values[item.name] = value
                state.dirty = True

    def _new_record(self, repeat: Item) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for child in repeat.walk():
            if child is repeat:
                continue
            if child.repeat is repeat and (child.is_question or child.is_computed):
                record[child.name] = self.defaults.get(child.name, "")
        return record

    def _recalculate(
        self, values: dict[str, Any], view: dict[str, Any], hidden: set[tuple[int, str]]
    ) -> None:
        """Compute every calculation reading view; store results in values, and in view
        unless the calculation itself is not relevant."""
        for item in self.calc_order:
            fn = self.formula[item.name]
            if item.repeat is None:
                result = rt.stored(fn(view, None, None))
                values[item.name] = result
                view[item.name] = "" if (0, item.name) in hidden else result
            else:
                for record in view.get(item.repeat.name, ()):
                    result = rt.stored(fn(view, record, None))
                    source = record.get("__source__", record)
                    source[item.name] = result
                    record[item.name] = "" if (id(source), item.name) in hidden else result

    def _final(
        self,
        item: Item,
        view: dict,
        record: dict | None,
        base: str,
        parent_ok: bool,
        out: FilledForm,
        hidden: set[tuple[int, str]],
    ) -> None:
        path = f"{base}/{item.name}"
        key = id(record.get("__source__", record)) if record is not None else 0
        if item.type == "repeat":
            records = view.get(item.name, [])
            sources = out.values.get(item.name, [])
            visible = {id(r.get("__source__", r)): r for r in records}
            for index, source in enumerate(sources, start=1):
                rpath = f"{path}[{index}]"
                rec = visible.get(id(source), {**source, "__source__": source})
                ok = parent_ok and self._relevant_final(item, view, record)
                out.relevant[rpath] = ok
                if not ok:
                    hidden.add((id(source), ""))
                for child in item.children:
                    self._final(child, view, rec, rpath, ok, out, hidden)
            return
        ok = parent_ok and self._relevant_final(item, view, record)
        out.relevant[path] = ok
        if not ok:
            hidden.add((key, item.name))
        if item.type == "group":
            for child in item.children:
                self._final(child, view, record, path, ok, out, hidden)
            return
        fn = self.constraint.get(item.name)
        if fn is not None:
            source = record.get("__source__", record) if record is not None else out.values
            value = source.get(item.name, "")
            out.constraint[path] = (
                True if as_text(value) == "" else rt.boolean(fn(view, record, value))
            )

    def _relevant_final(self, item: Item, view: dict, record: dict | None) -> bool:
        fn = self.relevant.get(item.name)
        return True if fn is None else rt.boolean(fn(view, record, None))


@dataclass
class _State:
    values: dict[str, Any]
    dirty: bool = True
    view: dict[str, Any] | None = None  # as guards reading conditional calculations see it
    copies: dict[int, dict] = field(default_factory=dict)
