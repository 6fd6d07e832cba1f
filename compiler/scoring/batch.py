"""Fill many submissions at once: the fill walk and the settling passes over columns.

This is the production path: `rightguide score` scores every submission here, in chunks.
`ReferenceEvaluator` (evaluator.py) is the specification; the tests hold both to each other
and to JavaRosa. Every expression is rendered by `expressions.numpy_code` to numpy over
columns (one element per submission, or per repeat record), and the form is filled for all
submissions together, giving exactly what the reference gives each one:

- the fill walk in document order: a question's answer is kept where the question is relevant
  when reached (its guards evaluated on the values as they stand, the calculations a guard
  reads brought up to date first, a calculation whose skip rules say it does not apply read
  blank, as JavaRosa reads it); a repeat's records are added where the repeat is relevant.
  A relevance inside a repeat that reads an aggregate over that repeat is never met: the
  checker refuses it (JavaRosa updates such a rule only when its own record changes, so its
  value would depend on the order records were filled in, not on the answers);
- then settling passes over all submissions: calculations in dependency order reading a view
  where non-relevant nodes are blank and non-relevant records are left out, then relevance of
  every node, until no submission's hidden set changes (at most MAX_PASSES). A submission whose
  hidden set is stable gives the same pass again, so passing over all of them is exact.

Repeats inside repeats are not filled: the checker refuses such guides (the reference does
not follow JavaRosa inside nested records either), so every guide that loads is filled here;
`supported` and `reason` stay as a guard for a guide built without the checker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np

from ..expressions.ast import Aggregate, Node, Ref
from ..expressions.numpy_code import (
    BLANK,
    DTYPES,
    NUMQ,
    OBJ,
    STNUM,
    TEXT,
    NumpyGenerator,
    Unsupported,
    Vocab,
    compile_numpy,
    stored_numbers,
)
from ..gc_pause import gc_paused
from ..model import Guide, Item
from .evaluator import (
    MAX_PASSES,
    FilledForm,
    ReferenceEvaluator,
    Submission,
    as_text,
    typed_value,
)

__all__ = [
    "MAX_PASSES", "BatchEvaluator", "BatchFill", "BatchInput", "RepeatInput",
]  # fmt: skip

Fn = Any  # a compiled column function f(X) -> np.ndarray
_ANSWER_KINDS = {"integer": NUMQ, "decimal": NUMQ, "date": OBJ}  # other questions: TEXT


@dataclass
class RepeatInput:
    """One repeat's records across a batch: the submission index of each record (records in
    submission order, then record order) and the answers by field (None: not given)."""

    parent: np.ndarray
    columns: dict[str, Sequence[Any]] = field(default_factory=dict)


@dataclass
class BatchInput:
    """Answers of a batch of submissions as columns: top-level answers by name (one per
    submission, None where not given) and each repeat's records."""

    n: int
    columns: dict[str, Sequence[Any]] = field(default_factory=dict)
    repeats: dict[str, RepeatInput] = field(default_factory=dict)

    @classmethod
    def from_submissions(
        cls,
        submissions: Sequence[Submission],
        questions: Iterable[str] | None = None,
        repeats: Mapping[str, Iterable[str]] | None = None,
    ) -> BatchInput:
        """Columns of submissions given as mappings (answers by name, each repeat a list of
        records). questions and repeats (repeat -> field names) say which to take; by default
        every key: those holding lists are repeats."""
        subs = list(submissions)
        n = len(subs)
        if questions is None or repeats is None:
            found_questions, found_repeats = _discover(subs)
            questions = found_questions if questions is None else questions
            repeats = found_repeats if repeats is None else repeats
        names = list(questions)
        out = cls(n, _columns(subs, names))
        for repeat, fields in repeats.items():
            given = [s.get(repeat) or () for s in subs]
            counts = np.fromiter(map(len, given), np.int64, n)
            records = list(chain.from_iterable(given))
            parent = np.repeat(np.arange(n, dtype=np.int64), counts)
            out.repeats[repeat] = RepeatInput(parent, _columns(records, list(fields)))
        return out


def _columns(rows: Sequence[Mapping[str, Any]], names: list[str]) -> dict[str, Sequence[Any]]:
    if not rows:
        return {name: [] for name in names}
    # row by row, then transposed: much faster than one pass over the rows per name
    table = [list(map(row.get, names)) for row in rows]
    return dict(zip(names, map(list, zip(*table, strict=True)), strict=True)) if names else {}


def _discover(subs: Sequence[Submission]) -> tuple[list[str], dict[str, list[str]]]:
    keys: dict[str, None] = {}
    for s in subs:
        keys.update(dict.fromkeys(s))
    repeats: dict[str, dict[str, None]] = {}
    for s in subs:
        for key, value in s.items():
            if isinstance(value, list | tuple):
                fields = repeats.setdefault(key, {})
                for record in value:
                    fields.update(dict.fromkeys(record))
    questions = [k for k in keys if k not in repeats]
    return questions, {k: list(v) for k, v in repeats.items()}


def _references(tree: Node) -> Iterable[tuple[str | None, str | None]]:
    """(name read, repeat aggregated) of every node that reads something."""
    for node in tree.walk():
        if isinstance(node, Ref):
            yield node.name, None
        elif isinstance(node, Aggregate):
            yield node.field, node.repeat


class BatchEvaluator:
    """A guide compiled to column functions; `fill` fills a batch of submissions."""

    def __init__(self, guide: Guide, reference: ReferenceEvaluator | None = None) -> None:
        self.guide = guide
        self.reference = reference or ReferenceEvaluator(guide)
        self.items = guide.items_by_name()
        self.reason: str | None = None
        self.kinds: dict[str, str] = {}
        self.relevance: dict[str, Fn] = {}
        self.constraint: dict[str, Fn] = {}
        self.formula: dict[str, Fn] = {}
        self.calc_order: list[Item] = []
        self.guard_calcs: dict[str, list[Item]] = {}
        self._plans: dict[Any, _Plan] = {}
        for item in guide.walk():
            if item.is_question:
                self.kinds[item.name] = _ANSWER_KINDS.get(item.type, TEXT)
            elif item.is_computed:
                self.kinds[item.name] = TEXT  # until its formula says (no formula: always '')
        self.read: set[str] = self._read_names()
        self.matters: set[str] = {
            i.name for i in guide.walk()
            if any(n.name in self.read or n.type == "repeat" for n in i.walk())
        }  # fmt: skip
        # the values of a submission (top level) and of a record of each repeat, in order
        self.top_values = [i for i in guide.walk() if i.repeat is None and i.name in self.kinds]
        self.fields = {
            r.name: [i for i in r.walk() if i.repeat is r and i.name in self.kinds]
            for r in guide.repeats()
        }
        self.vocab = Vocab(["true", "false"])
        for choices in guide.lists.values():
            for name in choices.names():
                self.vocab.code(name)
        try:
            self._compile()
        except Unsupported as error:
            self.reason = str(error)

    @property
    def supported(self) -> bool:
        """Whether this guide is filled here (not when repeats are nested, see `reason`)."""
        return self.reason is None

    # -- compiling -------------------------------------------------------------------------

    def _read_names(self) -> set[str]:
        """Names some expression reads (and the repeats aggregated)."""
        names: set[str] = set()
        for item in self.guide.walk():
            for _attr, expr in item.expressions():
                if expr.tree is not None:
                    for name, repeat in _references(expr.tree):
                        names.update(n for n in (name, repeat) if n)
        return names

    def _symbol(self, name: str) -> tuple[str, str | None] | None:
        item = self.items.get(name)
        if item is None or name not in self.kinds:
            return None
        return self.kinds[name], item.repeat.name if item.repeat else None

    def _generator(self, scope: str | None, current: str | None = None) -> NumpyGenerator:
        return NumpyGenerator(self._symbol, self.vocab, scope, current)

    def _compile(self) -> None:
        guide, ref = self.guide, self.reference
        if any(r.repeat is not None for r in guide.repeats()):
            raise Unsupported("repeats inside repeats")
        self.calc_order = list(ref.calc_order)
        position = {item.name: i for i, item in enumerate(self.calc_order)}
        for item in self.calc_order:
            for name, _repeat in _references(item.formula.tree):
                if name in position and position[name] >= position[item.name]:
                    raise Unsupported(f"a cycle through '{item.name}'")
            scope = ref.scopes[(item.name, "formula")]
            source, kind = self._generator(scope).function(item.formula.tree, "stored")
            self.formula[item.name] = compile_numpy(source, f"{item.name}.formula")
            self.kinds[item.name] = kind
        for item in guide.walk():
            if (item.name, "relevant") in ref.scopes:
                scope = ref.scopes[(item.name, "relevant")]
                source, _ = self._generator(scope).function(item.relevant.tree, "condition")
                self.relevance[item.name] = compile_numpy(source, f"{item.name}.relevant")
                self.guard_calcs[item.name] = self._calcs_read(item.relevant.tree)
            if (item.name, "constraint") in ref.scopes and not item.is_container:
                scope = ref.scopes[(item.name, "constraint")]
                gen = self._generator(scope, self.kinds.get(item.name, TEXT))
                source, _ = gen.function(item.constraint.tree, "condition")
                self.constraint[item.name] = compile_numpy(source, f"{item.name}.constraint")

    def _calcs_read(self, tree: Node) -> list[Item]:
        """The calculations a guard reads, directly or through others, in calculation order."""
        seen: set[str] = set()
        stack = [tree]
        while stack:
            for name, _repeat in _references(stack.pop()):
                item = self.items.get(name) if name else None
                if item is not None and item.name in self.formula and item.name not in seen:
                    seen.add(item.name)
                    stack.append(item.formula.tree)
                    # a conditional calculation is read through its skip rules too
                    stack.extend(
                        a.relevant.tree for a in self.reference.conditional.get(item.name, ())
                    )
        return [c for c in self.calc_order if c.name in seen]

    # -- filling ---------------------------------------------------------------------------

    def needed(self, targets: Iterable[str]) -> set[str]:
        """Every node whose value or relevance can change the values of targets: what their
        formulas read, what the relevance of each (and of its groups and repeat) reads, and
        so on."""
        need: set[str] = set()
        todo = list(targets)
        while todo:
            name = todo.pop()
            item = self.items.get(name)
            if item is None or name in need:
                continue
            need.add(name)
            trees = [item.formula.tree] if name in self.formula else []
            for node in (item, *item.ancestors()):
                if node.relevant is not None and node.relevant.tree is not None:
                    trees.append(node.relevant.tree)
                if node.type == "repeat":
                    todo.append(node.name)
            for tree in trees:
                for found in _references(tree):
                    todo.extend(n for n in found if n)
        return need

    def plan(self, full: bool = True, only: Iterable[str] | None = None) -> _Plan:
        """What a fill computes: everything (full), every value (not full), or only what the
        values of the calculations named in only need."""
        key = (full, None if only is None else frozenset(only))
        if key not in self._plans:
            if only is not None:
                if full:
                    raise ValueError("fill(only=...) keeps no relevance: use full=False")
                need = self.needed(key[1])
                walked = need | {a.name for n in need for a in self.items[n].ancestors()}
                self._plans[key] = _Plan(
                    False, frozenset(walked), [c for c in self.calc_order if c.name in need],
                    frozenset(walked), frozenset(need & self.read),
                )  # fmt: skip
            elif full:
                self._plans[key] = _Plan(True, None, self.calc_order, None, None)
            else:
                self._plans[key] = _Plan(
                    True, None, self.calc_order, frozenset(self.matters), frozenset(self.read)
                )
        return self._plans[key]

    def question_names(self, plan: _Plan | None = None) -> tuple[list[str], dict[str, list[str]]]:
        """Top-level question names and each repeat's field names (those the plan walks)."""
        top: list[str] = []
        repeats: dict[str, list[str]] = {r.name: [] for r in self.guide.repeats()}
        for item in self.guide.walk():
            if item.is_question and (plan is None or plan.walks(item.name)):
                (repeats[item.repeat.name] if item.repeat else top).append(item.name)
        return top, repeats

    def fill(
        self,
        submissions: Sequence[Submission] | BatchInput,
        full: bool = True,
        only: Iterable[str] | None = None,
    ) -> BatchFill:
        """Fill the form for every submission (mappings, or columns already made). full: the
        final relevance and constraints too; only: names of calculations, when only their
        values are wanted (the questions and relevance that cannot change them are skipped)."""
        if not self.supported:
            raise ValueError(f"this guide is not filled in batches: {self.reason}")
        plan = self.plan(full, only)
        top, repeats = self.question_names(plan)
        vocab = self.vocab.copy()
        with gc_paused(), np.errstate(all="ignore"):
            if isinstance(submissions, BatchInput):
                data = _sorted(submissions)
                answers = _Answers.from_input(data, top, repeats, self.kinds, vocab)
            else:
                answers = _Answers.from_rows(submissions, top, repeats, self.kinds, vocab)
            run = _Run(self, answers, vocab, full, plan)
            run.walk()
            run.settle()
        return BatchFill(self, run)


@dataclass(frozen=True)
class _Plan:
    """What one fill computes. None: every item."""

    complete: bool  # every value is filled
    walked: frozenset[str] | None  # items walked (and so questions read from the input)
    calcs: list[Item]  # calculations computed, in order
    relevance: frozenset[str] | None  # items whose final relevance is evaluated
    tracked: frozenset[str] | None  # nodes whose hidden status matters (records always)

    def walks(self, name: str) -> bool:
        return self.walked is None or name in self.walked

    def evaluates(self, name: str) -> bool:
        return self.relevance is None or name in self.relevance

    def tracks(self, name: str) -> bool:
        return self.tracked is None or name in self.tracked


@dataclass
class _Answers:
    """The answers of a batch, coded: per question, Vocab codes (-1: not given), or the
    values as given for dates; each repeat's records with their submission index."""

    n: int
    top: dict[str, np.ndarray]
    parent: dict[str, np.ndarray]
    fields: dict[str, dict[str, np.ndarray]]

    @classmethod
    def from_input(
        cls, data: BatchInput, top: list[str], repeats: dict[str, list[str]], kinds: dict[str, str],
        vocab: Vocab,
    ) -> _Answers:  # fmt: skip
        def code(
            columns: Mapping[str, Sequence[Any]], names: list[str], size: int
        ) -> dict[str, np.ndarray]:
            out = {}
            for name in names:
                if name in columns:
                    values = columns[name]
                    if len(values) != size:
                        raise ValueError(f"'{name}' has {len(values)} values for {size} rows")
                    out[name] = _raw(values) if kinds[name] == OBJ else vocab.encode(values, size)
            return out

        out = cls(data.n, code(data.columns, top, data.n), {}, {})
        for repeat, names in repeats.items():
            rep = data.repeats.get(repeat)
            if rep is not None:
                out.parent[repeat] = rep.parent
                out.fields[repeat] = code(rep.columns, names, len(rep.parent))
        return out

    @classmethod
    def from_rows(
        cls, submissions: Sequence[Submission], top: list[str], repeats: dict[str, list[str]],
        kinds: dict[str, str], vocab: Vocab,
    ) -> _Answers:  # fmt: skip
        def code(rows: Sequence[Mapping[str, Any]], names: list[str]) -> dict[str, np.ndarray]:
            coded = [name for name in names if kinds[name] != OBJ]
            out = dict(zip(coded, vocab.encode_rows(rows, coded), strict=True))
            for name in names:
                if kinds[name] == OBJ:
                    out[name] = _raw([row.get(name) for row in rows])
            return out

        subs = submissions if isinstance(submissions, Sequence) else list(submissions)
        n = len(subs)
        out = cls(n, code(subs, top), {}, {})
        for repeat, names in repeats.items():
            given = [s.get(repeat) or () for s in subs]
            counts = np.fromiter(map(len, given), np.int64, n)
            out.parent[repeat] = np.repeat(np.arange(n, dtype=np.int64), counts)
            out.fields[repeat] = code(list(chain.from_iterable(given)), names)
        return out


def _raw(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), object)
    out[:] = list(values)
    return out


def _sorted(data: BatchInput) -> BatchInput:
    """Records in submission order (stable), as the walk appends them."""
    out = BatchInput(data.n, data.columns, {})
    for name, rep in data.repeats.items():
        parent = np.asarray(rep.parent, dtype=np.int64)
        if len(parent) and (parent.min() < 0 or parent.max() >= data.n):
            raise ValueError(f"records of '{name}' name submissions outside 0..{data.n - 1}")
        if len(parent) > 1 and np.any(parent[1:] < parent[:-1]):
            order = np.argsort(parent, kind="stable")
            columns = {k: [v[i] for i in order.tolist()] for k, v in rep.columns.items()}
            rep = RepeatInput(parent[order], columns)
        else:
            rep = RepeatInput(parent, rep.columns)
        out.repeats[name] = rep
    return out


class _Columns(dict):
    """Columns by name; `name@`, the numbers of a stored number, is made when first read."""

    def __missing__(self, key: str) -> np.ndarray:
        if not key.endswith("@"):
            raise KeyError(key)
        numbers = self[key] = stored_numbers(self[key[:-1]])
        return numbers


class _Run:
    """The state of one batch being filled."""

    def __init__(
        self, ev: BatchEvaluator, answers: _Answers, vocab: Vocab, full: bool, plan: _Plan
    ) -> None:
        self.ev = ev
        self.answers = answers
        self.full = full
        self.plan = plan
        self.n = n = answers.n
        self.vocab = vocab
        self.X: dict[str, Any] = _Columns({"#n": n, "#V": self.vocab})
        self.kept: dict[str, np.ndarray] = {}  # repeat -> index of each kept input record
        self.version = 0  # answers set so far: calculations are refreshed when it moved
        self.computed: dict[str, int] = {}
        self.ok: dict[str, np.ndarray | None] = {}
        self.view: dict[str, Any] = {}
        self.passes = 0
        defaults = ev.reference.defaults
        for item in ev.top_values:
            default = defaults.get(item.name, "")
            self._put(self.X, item.name, self._blank(ev.kinds[item.name], n, default))
        for repeat in ev.fields:
            self._records(repeat, np.zeros(0, np.int64))

    def _blank(self, kind: str, size: int, default: Any = "") -> np.ndarray:
        """A column of a default value (typed as `typed_value` makes it)."""
        if kind == TEXT:
            value: Any = self.vocab.code(default) if default != "" else 0
        elif kind in (NUMQ, STNUM):
            value = default if isinstance(default, float) else np.nan
        else:
            value = default
        return np.full(size, value, DTYPES[kind])

    def _records(self, repeat: str, kept: np.ndarray) -> None:
        """Add the kept input records of a repeat, every field at its default."""
        ev = self.ev
        given = self.answers.parent.get(repeat)
        parent = given[kept] if given is not None else np.zeros(0, np.int64)
        self.kept[repeat] = kept
        size = len(kept)
        self.X[f"^{repeat}"] = parent
        self.X[f"#{repeat}"] = size
        self.X[f"~{repeat}"] = np.ones(size, np.bool_)
        for item in ev.fields[repeat]:
            default = ev.reference.defaults.get(item.name, "")
            self._put(self.X, item.name, self._blank(ev.kinds[item.name], size, default))

    # -- the fill walk -----------------------------------------------------------------------

    def walk(self) -> None:
        for section in self.ev.guide.sections:
            self._walk(section, None)

    def _walk(self, item: Item, mask: np.ndarray | None) -> None:
        ev = self.ev
        if not (item.is_container or item.is_question):
            return
        if not self.plan.walks(item.name):
            return
        guard = ev.relevance.get(item.name)
        if guard is not None:
            if ev.reference.guard_hides(item.name):
                relevant = guard(self._walk_view(ev.guard_calcs[item.name]))
            else:
                self._refresh(ev.guard_calcs[item.name])
                relevant = guard(self.X)
            mask = relevant if mask is None else mask & relevant
        if item.type == "group":
            for child in item.children:
                self._walk(child, mask)
        elif item.type == "repeat":
            parent = self.answers.parent.get(item.name, np.zeros(0, np.int64))
            if mask is None:
                kept = np.arange(len(parent), dtype=np.int64)
            else:
                kept = np.flatnonzero(mask[parent])
            self._records(item.name, kept)
            self.version += 1
            for child in item.children:
                self._walk(child, None)
        else:
            self._answer(item, mask)

    def _answer(self, item: Item, mask: np.ndarray | None) -> None:
        """Keep the answers given where the question is relevant."""
        if item.repeat is None:
            column = self.answers.top.get(item.name)
        else:
            column = self.answers.fields.get(item.repeat.name, {}).get(item.name)
            kept = self.kept[item.repeat.name]
            if column is not None and len(kept) != len(column):
                column = column[kept]
        if column is None:
            return
        given, values = self._typed(item, column)
        keep = given if mask is None else given & mask
        if keep.all():
            self.X[item.name] = values
        elif keep.any():
            self.X[item.name] = np.where(keep, values, self.X[item.name])
        self.version += 1

    def _typed(self, item: Item, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(answer given, the answer typed as `typed_value` types it) per element."""
        kind = self.ev.kinds[item.name]
        if kind == OBJ:
            given = np.fromiter((v is not None for v in column.tolist()), np.bool_, len(column))
            values = np.empty(len(column), object)
            values[:] = ["" if v is None else typed_value(item, str(v)) for v in column.tolist()]
            return given, values
        given = column >= 0
        if kind == NUMQ:  # number(): '' and text that is not a number are '' (NaN)
            return given, self.vocab.num(column)
        return given, column

    def _refresh(self, calcs: list[Item]) -> None:
        """Bring the calculations a guard reads up to date with the values as they stand."""
        for item in calcs:
            if self.computed.get(item.name) != self.version:
                self._put(self.X, item.name, self.ev.formula[item.name](self.X))
                self.computed[item.name] = self.version

    def _walk_view(self, calcs: list[Item]) -> dict:
        """The calculations a guard reads brought up to date, in order, on a view where a
        conditional calculation is blank where its skip rules say it does not apply now
        (`ReferenceEvaluator._walk_view`)."""
        ev, X = self.ev, self.X
        view = _Columns(X)
        for item in calcs:
            result = ev.formula[item.name](view)
            self._put(X, item.name, result)
            self._put(view, item.name, result)
            self.computed[item.name] = self.version
            chain = ev.reference.conditional.get(item.name)
            if chain:
                ok = self._chain_ok(item, chain, view)
                self._put(view, item.name, np.where(ok, result, BLANK[ev.kinds[item.name]]))
        return view

    def _chain_ok(self, item: Item, chain: list[Item], view: dict) -> np.ndarray:
        """Where the skip rules of item and of its groups all hold, per value of item."""
        size = len(view[item.name])
        ok = np.ones(size, np.bool_)
        for node in chain:
            relevant = np.broadcast_to(
                self.ev.relevance[node.name](view), (len(self._level(node)),)
            )
            if (
                self.ev.reference.scopes[(node.name, "relevant")] is None
                and item.repeat is not None
            ):
                relevant = relevant[view[f"^{item.repeat.name}"]]
            ok &= relevant
        return ok

    def _level(self, node: Item) -> np.ndarray:
        scope = self.ev.reference.scopes[(node.name, "relevant")]
        return np.zeros(self.n) if scope is None else self.X[f"^{scope}"]

    # -- settling --------------------------------------------------------------------------

    def settle(self) -> None:
        ev, X = self.ev, self.X
        repeats = [r.name for r in ev.guide.repeats()]
        hidden: dict[str, np.ndarray] = {}  # node (or '^R' for R's records) -> hidden where
        for number in range(1, MAX_PASSES + 1):
            self.passes = number
            view = _Columns(X)
            for repeat in repeats:
                if f"^{repeat}" in hidden:
                    view[f"~{repeat}"] = ~hidden[f"^{repeat}"]
            for name in hidden:
                if name in ev.read and name in ev.kinds:
                    self._put(view, name, self._masked(name, hidden[name], X, view))
            self._calculate(view, hidden)
            self.ok = {}
            now: dict[str, np.ndarray] = {}
            for section in ev.guide.sections:
                self._final(section, view, None, now)
            self.view = view
            if not self._changed(hidden, now).any():
                break
            hidden = now

    def _masked(self, name: str, hidden: np.ndarray, X: dict, view: dict) -> np.ndarray:
        """The values of name as the view shows them: blank where hidden."""
        item = self.ev.items[name]
        if item.repeat is not None:  # a hidden record is read as it is (constraints only)
            hidden = hidden & view[f"~{item.repeat.name}"]
        return np.where(hidden, BLANK[self.ev.kinds[name]], X[name])

    @staticmethod
    def _put(target: dict, name: str, values: np.ndarray, number: Any = None) -> None:
        """Set a column; the numbers of a stored number are kept alongside (given, or made
        when first read, see `_Columns`)."""
        target[name] = values
        if number is not None:
            target[name + "@"] = number
        else:
            target.pop(name + "@", None)

    def _calculate(self, view: dict, hidden: dict[str, np.ndarray]) -> None:
        """Every calculation reading the view; hidden records keep their values."""
        X = self.X
        for item in self.plan.calcs:
            name = item.name
            result = self.ev.formula[name](view)
            if item.repeat is not None and f"^{item.repeat.name}" in hidden:
                result = np.where(view[f"~{item.repeat.name}"], result, X[name])
            self._put(X, name, result)
            if name in hidden:
                self._put(view, name, self._masked(name, hidden[name], X, view))
            else:
                self._put(view, name, result)

    def _final(self, item: Item, view: dict, parent_ok: np.ndarray | None, now: dict) -> None:
        ev = self.ev
        if not self.plan.evaluates(item.name):
            return
        fn = ev.relevance.get(item.name)
        ok = parent_ok
        if fn is not None:
            relevant = fn(view)
            ok = relevant if parent_ok is None else parent_ok & relevant
        self.ok[item.name] = ok
        if item.type == "repeat":
            record_ok = None if ok is None else ok[view[f"^{item.name}"]]
            if record_ok is not None and not record_ok.all():
                now[f"^{item.name}"] = ~record_ok
            for child in item.children:
                self._final(child, view, record_ok, now)
            return
        if ok is not None and self.plan.tracks(item.name) and not ok.all():
            now[item.name] = ~ok
        for child in item.children:
            self._final(child, view, ok, now)

    def _changed(self, before: dict[str, np.ndarray], now: dict[str, np.ndarray]) -> np.ndarray:
        """Submissions whose hidden set changed."""
        changed = np.zeros(self.n, np.bool_)
        for key in before.keys() | now.keys():
            old, new = before.get(key), now.get(key)
            diff = new if old is None else old if new is None else old ^ new
            item = self.ev.items.get(key.lstrip("^"))
            repeat = item.name if key.startswith("^") else item.repeat.name if item.repeat else None
            if repeat is None:
                changed |= diff
            else:
                changed[self.X[f"^{repeat}"][diff]] = True
        return changed


class BatchFill:
    """A filled batch as columns: values, final relevance and constraints (when full) of
    every node, per submission for top-level nodes and per record for nodes in a repeat."""

    def __init__(self, ev: BatchEvaluator, run: _Run) -> None:
        self.evaluator = ev
        self.n = run.n
        self.full = run.full
        self.complete = run.plan.complete
        self.passes = run.passes
        self.vocab = run.vocab
        self._X = run.X
        self._ok = run.ok
        self._view = run.view
        self._python: dict[str, list[Any]] = {}
        self._constraints: dict[str, np.ndarray] = {}
        self._starts: dict[str, np.ndarray] = {}

    # -- columns ---------------------------------------------------------------------------

    def column(self, name: str) -> tuple[np.ndarray, str]:
        """The raw column of a question or calculation and its kind (numpy_code kinds)."""
        ev = self.evaluator
        if name not in self._X or name not in ev.kinds:
            raise KeyError(f"no values of '{name}' in this fill")
        return self._X[name], ev.kinds[name]

    def text(self, name: str) -> np.ndarray:
        """Values as text (`evaluator.as_text`), one per submission or per record."""
        values, kind = self.column(name)
        if kind == TEXT:
            return self.vocab.str(values)
        if kind in (NUMQ, STNUM):
            return self.vocab.str(self.vocab.format(values, ""))
        out = np.empty(len(values), object)
        out[:] = [as_text(v) for v in values.tolist()]
        return out

    def repeat_parent(self, repeat: str) -> np.ndarray:
        """The submission index of each record (submission order, then record order)."""
        return self._X[f"^{repeat}"]

    def repeat_position(self, repeat: str) -> np.ndarray:
        """The 1-based position of each record within its submission."""
        parent = self.repeat_parent(repeat)
        return np.arange(len(parent)) - self._start(repeat)[parent] + 1

    def record_bounds(self, repeat: str) -> np.ndarray:
        """Index of each submission's first record, and the number of records (n + 1 values):
        submission i has records bounds[i] to bounds[i + 1]."""
        return self._start(repeat)

    def _start(self, repeat: str) -> np.ndarray:
        if repeat not in self._starts:
            parent = self.repeat_parent(repeat)
            self._starts[repeat] = np.searchsorted(parent, np.arange(self.n + 1))
        return self._starts[repeat]

    def relevant(self, name: str) -> np.ndarray:
        """Final relevance, ancestors included (per submission, or per record in a repeat)."""
        self._need_full()
        ok = self._ok[name]
        item = self.evaluator.items[name]
        size = self.n if item.repeat is None else len(self.repeat_parent(item.repeat.name))
        return np.ones(size, np.bool_) if ok is None else ok

    def record_relevant(self, repeat: str) -> np.ndarray:
        """Final relevance of each record of a repeat."""
        return self.relevant(repeat)[self.repeat_parent(repeat)]

    def constraint_ok(self, name: str) -> np.ndarray:
        """Whether the constraint holds (True where there is none or the value is blank)."""
        self._need_full()
        if name not in self._constraints:
            values, kind = self.column(name)
            fn = self.evaluator.constraint.get(name)
            if fn is None:
                result = np.ones(len(values), np.bool_)
            else:
                view = _Columns(self._view)
                view["."] = values
                with np.errstate(all="ignore"):
                    result = fn(view) | self._blank(values, kind)
            self._constraints[name] = result
        return self._constraints[name]

    def _blank(self, values: np.ndarray, kind: str) -> np.ndarray:
        if kind == TEXT:
            return values == 0
        if kind in (NUMQ, STNUM):
            return values != values
        return np.fromiter((as_text(v) == "" for v in values.tolist()), np.bool_, len(values))

    def _need_full(self) -> None:
        if not self.full:
            raise ValueError("relevance and constraints are kept only by fill(full=True)")

    # -- per submission ------------------------------------------------------------------

    def python(self, name: str) -> list[Any]:
        """The typed values of a column as the evaluator holds them (str, float, date)."""
        if name not in self._python:
            values, kind = self.column(name)
            if kind == TEXT:
                out = self.vocab.str(values).tolist()
            elif kind == NUMQ:
                out = [("" if v != v else v) for v in values.tolist()]
            elif kind == STNUM:
                out = self.vocab.str(self.vocab.format(values, "")).tolist()
            else:
                out = values.tolist()
            self._python[name] = out
        return self._python[name]

    def values(self, i: int) -> dict[str, Any]:
        """Exactly the values `ReferenceEvaluator.fill` gives submission i."""
        if not self.complete:
            raise ValueError("values of every question are kept only by fill(only=None)")
        out: dict[str, Any] = {}
        for item in self.evaluator.guide.walk():
            if item.repeat is not None:
                continue
            if item.type == "repeat":
                out[item.name] = self._records(item.name, i)
            elif item.name in self.evaluator.kinds:
                out[item.name] = self.python(item.name)[i]
        return out

    def _records(self, repeat: str, i: int) -> list[dict[str, Any]]:
        fields = [f.name for f in self.evaluator.fields[repeat]]
        start, end = self._start(repeat)[i : i + 2].tolist()
        columns = [self.python(f) for f in fields]
        return [{f: c[j] for f, c in zip(fields, columns, strict=True)} for j in range(start, end)]

    def filled_form(self, i: int) -> FilledForm:
        """Exactly `ReferenceEvaluator.fill` of submission i."""
        self._need_full()
        filled = FilledForm(self.values(i))
        for section in self.evaluator.guide.sections:
            self._paths(section, "/data", i, filled)
        return filled

    def _paths(self, item: Item, base: str, j: int, out: FilledForm) -> None:
        """Relevance and constraints of item for submission j (or record j in a repeat)."""
        path = f"{base}/{item.name}"
        if item.type == "repeat":
            ok = self.relevant(item.name)[j]
            start, end = self._start(item.name)[j : j + 2].tolist()
            for index, record in enumerate(range(start, end), start=1):
                rpath = f"{path}[{index}]"
                out.relevant[rpath] = bool(ok)
                for child in item.children:
                    self._paths(child, rpath, record, out)
            return
        out.relevant[path] = bool(self.relevant(item.name)[j])
        if item.type == "group":
            for child in item.children:
                self._paths(child, path, j, out)
        elif item.name in self.evaluator.constraint:
            out.constraint[path] = bool(self.constraint_ok(item.name)[j])
