"""A whole form compiled into straight-line Python: one generated module per guide.

`ReferenceEvaluator` (evaluator.py) is the specification; this module generates code that
does exactly what it does, without walking the item tree or looking anything up by name:

- `_walk(S, V)`: the fill walk in document order. Each question is an inlined
  `S.get(name)` guarded by the relevance of the question and its groups, evaluated on the
  values as they stand when the question is reached (as ODK Collect does); calculations a
  relevance reads are brought up to date first, and only when an answer changed since.
- `_pass(V, W, P, H, REL, CON, first)`: calculations in dependency order reading the view W
  (non-relevant nodes blank, non-relevant repeat records left out, after the hidden set H of
  the previous pass), then the relevance of every node and the constraints; it returns the
  new hidden set. Passes repeat until the hidden set is stable, as in the reference.
- The score-only variant (`full=False`) skips the relevance and constraint maps and tracks
  only the nodes some expression reads, which is all that can change a value.

Expression sources come from `expressions.python_code` (the same text the reference
compiles), so both read values identically. Repeats inside repeats are not compiled: the
reference evaluator is used for such guides (`compile_form` returns None).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ..expressions import xpath_runtime as rt
from ..expressions.ast import Aggregate, Binary, Boolean, Call, Node, Ref, String, Unary
from ..expressions.python_code import PythonGenerator
from ..model import Item

if TYPE_CHECKING:
    from .evaluator import ReferenceEvaluator

MAX_PASSES = 8  # as the reference: JavaRosa-style settling of relevance and calculations


def _typed_number(text: str) -> Any:
    if text == "":
        return ""
    value = rt.num(text)
    return "" if value != value else value


def _typed_date(text: str) -> Any:
    if text == "":
        return ""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return ""


def _text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return rt.string(value)
    return str(value)


_BOOLEAN_OPS = ("=", "!=", "<", "<=", ">", ">=", "and", "or")


def is_boolean(node: Node) -> bool:
    """Whether the generated Python for this node is always a bool."""
    if isinstance(node, Boolean):
        return True
    if isinstance(node, Binary):
        return node.op in _BOOLEAN_OPS
    if isinstance(node, Unary):
        return node.op == "not"
    return isinstance(node, Call) and node.func in ("selected", "answered")


class FastPythonGenerator(PythonGenerator):
    """The same values as `PythonGenerator`, with cheaper code for common shapes: text
    compared with a string literal, and booleans not converted again."""

    def condition(self, node: Node) -> str:
        source = self.render(node)
        return source if is_boolean(node) else f"_rt.boolean({source})"

    def _equals_text(self, value: str, literal: str, negate: bool = False) -> str:
        self._counter += 1
        var = f"_e{self._counter}"
        op, fn = ("!=", "not_equals") if negate else ("==", "equals")
        return (f"({var} {op} {literal} if ({var} := {value}).__class__ is str "
                f"else _rt.{fn}({var}, {literal}))")  # fmt: skip

    def visit_binary(self, node: Binary) -> str:
        if node.op in ("and", "or"):
            return f"({self.condition(node.left)} {node.op} {self.condition(node.right)})"
        if node.op in ("=", "!="):
            left, right = node.left, node.right
            if isinstance(left, String) and not isinstance(right, String):
                left, right = right, left
            if isinstance(right, String) and not isinstance(left, String):
                return self._equals_text(self.render(left), self.render(right), node.op == "!=")
        return super().visit_binary(node)

    def visit_unary(self, node: Unary) -> str:
        if node.op == "not":
            return f"(not {self.condition(node.operand)})"
        return super().visit_unary(node)

    def visit_call(self, node: Call) -> str:
        if node.func == "if":
            args = [self.render(a) for a in node.args[1:]]
            return f"({args[0]} if {self.condition(node.args[0])} else {args[1]})"
        if node.func == "count_equal" and len(node.args) > 1 and isinstance(node.args[0], String):
            values = ", ".join(self.render(a) for a in node.args[1:])
            test = self._equals_text("_x", self.render(node.args[0]))
            return f"float(sum(1 for _x in ({values},) if {test}))"
        return super().visit_call(node)



class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def add(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)


class CompiledForm:
    """The generated functions of one guide; `fill` runs them on one submission."""

    def __init__(self, namespace: dict[str, Any], source: str) -> None:
        self.source = source
        self._new = namespace["_new"]
        self._walk = namespace["_walk"]
        self._pass_full = namespace["_pass_full"]
        self._pass_fast = namespace["_pass_fast"]
        self._repeats: tuple[str, ...] = namespace["_REPEATS"]

    def fill(self, submission: Any, full: bool) -> tuple[dict, dict, dict]:
        """(values, relevance by path, constraint results by path) of one submission; the
        two maps are empty unless full."""
        values = self._new()
        self._walk(submission, values)
        run = self._pass_full if full else self._pass_fast
        repeats = self._repeats
        hidden: set = set()
        relevant: dict = {}
        constraint: dict = {}
        # pass 1: nothing hidden yet, so the view is the values themselves
        pairs = {name: [(r, r) for r in values[name]] for name in repeats}
        now = run(values, values, pairs, hidden, relevant, constraint, True)
        for _ in range(MAX_PASSES - 1):
            if now == hidden:
                break
            hidden = now
            view, pairs = _view(values, hidden, repeats)
            relevant, constraint = {}, {}
            now = run(values, view, pairs, hidden, relevant, constraint, False)
        return values, relevant, constraint


def _view(values: dict, hidden: set, repeats: tuple[str, ...]) -> tuple[dict, dict]:
    """Values as expressions see them: hidden top-level nodes blank, hidden records left out,
    hidden fields of visible records blank. Pairs map each repeat to (view record, record)."""
    view = dict(values)
    by_record: dict[int, list[str]] = {}
    for key, name in hidden:
        if key == 0:
            if name in view:
                view[name] = ""
        else:
            by_record.setdefault(key, []).append(name)
    pairs: dict[str, list] = {}
    for repeat in repeats:
        seen = []
        records = []
        for record in values[repeat]:
            names = by_record.get(id(record))
            if names is None:
                copy = dict(record)
            elif "" in names:
                continue
            else:
                copy = dict(record)
                for name in names:
                    copy[name] = ""
            seen.append((copy, record))
            records.append(copy)
        view[repeat] = records
        pairs[repeat] = seen
    return view, pairs


def compile_form(reference: ReferenceEvaluator) -> CompiledForm | None:
    """Generate and compile the form's code; None when the guide nests repeats."""
    guide = reference.guide
    if any(r.repeat is not None for r in guide.repeats()):
        return None
    source = _Generator(reference).module()
    namespace: dict[str, Any] = {
        "_rt": rt, "_b": rt.boolean, "_st": rt.stored, "_num": _typed_number,
        "_date": _typed_date, "_text": _text, "float": float, "sum": sum, "id": id,
        "dict": dict, "enumerate": enumerate, "str": str,
    }  # fmt: skip
    code = compile(source, f"<form {guide.form_id}>", "exec")
    _defaults(reference, namespace)
    exec(code, namespace)  # noqa: S102 - our own generated code, from the checked guide
    return CompiledForm(namespace, source)


def _defaults(reference: ReferenceEvaluator, namespace: dict[str, Any]) -> None:
    """Templates of the top-level values and of each repeat's new record."""
    guide = reference.guide
    top: dict[str, Any] = {}
    repeats: list[str] = []
    for item in guide.walk():
        if item.repeat is None and (item.is_question or item.is_computed):
            top[item.name] = reference.defaults.get(item.name, "")
        elif item.type == "repeat" and item.repeat is None:
            top[item.name] = None
            repeats.append(item.name)
    namespace["_TOP"] = top
    namespace["_REPEATS"] = tuple(repeats)
    for repeat in guide.repeats():
        namespace[f"_REC_{repeat.name}"] = {
            c.name: reference.defaults.get(c.name, "")
            for c in repeat.walk()
            if c is not repeat and c.repeat is repeat and (c.is_question or c.is_computed)
        }


class _Generator:
    def __init__(self, reference: ReferenceEvaluator) -> None:
        self.ref = reference
        self.guide = reference.guide
        self.read = self._read_names()

    def _read_names(self) -> set[str]:
        """Names of nodes some expression reads: only their relevance can change a value."""
        names: set[str] = set()
        for item in self.guide.walk():
            for _attr, expr in item.expressions():
                for node in expr.tree.walk() if expr.tree is not None else ():
                    if isinstance(node, Ref):
                        names.add(node.name)
                    elif isinstance(node, Aggregate):
                        names.add(node.repeat)
                        if node.field:
                            names.add(node.field)
        return names

    def matters(self, item: Item) -> bool:
        """Whether a node in this subtree is read by an expression or is a repeat."""
        return any(n.name in self.read or n.type == "repeat" for n in item.walk())

    def src(self, item: Item, attr: str) -> str | None:
        """The expression's Python source, or None when the item has none."""
        key = (item.name, attr)
        if key not in self.ref.scopes:
            return None
        expr = getattr(item, attr)
        return FastPythonGenerator(self.ref._repeat_of, self.ref.scopes[key]).render(expr.tree)

    def guard(self, item: Item) -> str | None:
        """The relevance as a Python bool expression, or None."""
        source = self.src(item, "relevant")
        if source is None:
            return None
        return source if is_boolean(item.relevant.tree) else f"_b({source})"

    def module(self) -> str:
        out = _Lines()
        out.add("def _new():")
        out.depth += 1
        out.add("V = _TOP.copy()")
        for item in self.guide.repeats():
            out.add(f"V[{item.name!r}] = []")
        out.add("return V")
        out.depth = 0
        self.calc_raw(out)
        self.walk_fn(out)
        for full in (True, False):
            self.pass_fn(out, full)
        return "\n".join(out.lines) + "\n"

    # -- calculations --------------------------------------------------------------------

    def _calc_groups(self) -> list[tuple[str | None, list[Item]]]:
        """The calculation order, consecutive calculations of one repeat grouped."""
        groups: list[tuple[str | None, list[Item]]] = []
        for item in self.ref.calc_order:
            repeat = item.repeat.name if item.repeat is not None else None
            if repeat is not None and groups and groups[-1][0] == repeat:
                groups[-1][1].append(item)
            else:
                groups.append((repeat, [item]))
        return groups

    def calc_raw(self, out: _Lines) -> None:
        """Every calculation on the values themselves (the walk's view of the form)."""
        out.add("def _calc_raw(V):")
        out.depth += 1
        out.add("R = None")
        for repeat, items in self._calc_groups():
            if repeat is None:
                out.add(f"V[{items[0].name!r}] = _st({self.src(items[0], 'formula')})")
                continue
            out.add(f"for R in V[{repeat!r}]:")
            for item in items:
                out.add(f"    R[{item.name!r}] = _st({self.src(item, 'formula')})")
        out.add("return None")
        out.depth = 0

    def calc_view(self, out: _Lines) -> None:
        """Calculations reading the view W (bound to V in expressions); results stored in the
        values VV always, and in the view unless the calculation itself is hidden."""
        out.add("R = None")
        for repeat, items in self._calc_groups():
            if repeat is None:
                name = items[0].name
                out.add(f"_x = _st({self.src(items[0], 'formula')})")
                out.add(f"VV[{name!r}] = _x")
                out.add(f"V[{name!r}] = _x if first or (0, {name!r}) not in H else ''")
                continue
            out.add(f"for R, _s in P[{repeat!r}]:")
            out.depth += 1
            out.add("_k = id(_s)")
            for item in items:
                out.add(f"_x = _st({self.src(item, 'formula')})")
                out.add(f"_s[{item.name!r}] = _x")
                out.add(f"R[{item.name!r}] = _x if first or (_k, {item.name!r}) not in H else ''")
            out.depth -= 1

    # -- the fill walk -------------------------------------------------------------------

    def walk_fn(self, out: _Lines) -> None:
        out.add("def _walk(S, V):")
        out.depth += 1
        out.add("D = True")
        out.add("R = None")
        out.add("C = None")
        for section in self.guide.sections:
            self.walk_item(out, section, "S", None)
        out.add("return None")
        out.depth = 0

    def walk_item(self, out: _Lines, item: Item, answers: str, record: str | None) -> None:
        if not (item.is_container or item.is_question):
            return  # notes and calculations: nothing to fill
        rel = self.guard(item)
        opened = False
        if rel is not None:
            if self.ref._relevance_needs_recalc.get(item.name):
                out.add("if D:")
                out.add("    _calc_raw(V)")
                out.add("    D = False")
            out.add(f"if {rel}:")
            out.depth += 1
            opened = True
        if item.type == "group":
            before = len(out.lines)
            for child in item.children:
                self.walk_item(out, child, answers, record)
            if len(out.lines) == before:
                out.add("pass")
        elif item.type == "repeat":
            var = f"_A_{item.name}"
            out.add(f"_L = V[{item.name!r}]")
            out.add(f"for {var} in {answers}.get({item.name!r}) or ():")
            out.depth += 1
            out.add(f"R = _REC_{item.name}.copy()")
            out.add("_L.append(R)")
            out.add("D = True")
            for child in item.children:
                self.walk_item(out, child, var, "R")
            out.depth -= 1
            out.add("R = None")
        else:
            target = record or "V"
            out.add(f"_t = {answers}.get({item.name!r})")
            out.add("if _t is not None:")
            out.add(f"    {target}[{item.name!r}] = {self._typed(item)}")
            out.add("    D = True")
        if opened:
            out.depth -= 1

    @staticmethod
    def _typed(item: Item) -> str:
        if item.type in ("integer", "decimal"):
            return "_num(str(_t))"
        if item.type == "date":
            return "_date(str(_t))"
        return "str(_t)"

    # -- a settling pass -----------------------------------------------------------------

    def pass_fn(self, out: _Lines, full: bool) -> None:
        out.add(f"def _pass_{'full' if full else 'fast'}(VV, V, P, H, REL, CON, first):")
        out.depth += 1
        self.calc_view(out)
        out.add("N = set()")
        out.add("R = None")
        counter = [0]
        for section in self.guide.sections:
            self.final_item(out, section, "True", "'/data'", True, None, full, counter)
        out.add("return N")
        out.depth = 0

    def final_item(
        self, out: _Lines, item: Item, parent_ok: str, base: str, literal: bool,
        record: str | None, full: bool, counter: list[int],
    ) -> None:  # fmt: skip
        if not full and not self.matters(item):
            return  # nothing read below: its relevance cannot change a value
        counter[0] += 1
        ok = f"_ok{counter[0]}"
        path = f"{base[:-1]}/{item.name}'" if literal else f"{base} + '/{item.name}'"
        rel = self.guard(item)
        key = "_k" if record else "0"
        if rel is None:
            out.add(f"{ok} = {parent_ok}")
        elif parent_ok == "True":
            out.add(f"{ok} = {rel}")
        else:
            out.add(f"{ok} = {parent_ok} and {rel}")
        if item.type == "repeat":
            self.final_repeat(out, item, ok, path, literal, full, counter)
            return
        if full:
            out.add(f"REL[{path}] = {ok}")
        if full or item.name in self.read:
            out.add(f"if not {ok}:")
            out.add(f"    N.add(({key}, {item.name!r}))")
        if item.type == "group":
            for child in item.children:
                self.final_item(out, child, ok, path, literal, record, full, counter)
            return
        con = self.src(item, "constraint")
        if con is not None and full:
            holder = "_s" if record else "VV"
            out.add(f"C = {holder}.get({item.name!r}, '')")
            out.add(f"CON[{path}] = True if _text(C) == '' else _b({con})")

    def final_repeat(
        self, out: _Lines, item: Item, ok: str, path: str, literal: bool, full: bool,
        counter: list[int],
    ) -> None:  # fmt: skip
        """Every record of a top-level repeat: relevant as the repeat (in its parent's
        context); children read the view record, or a copy of a hidden record."""
        out.add(f"_vis = {{id(_s): _w for _w, _s in P[{item.name!r}]}}")
        out.add(f"for _i, _s in enumerate(VV[{item.name!r}], 1):")
        out.depth += 1
        out.add("_k = id(_s)")
        out.add(f"_p = {path} + '[' + str(_i) + ']'" if full else "_p = ''")
        if full:
            out.add(f"REL[_p] = {ok}")
        out.add(f"if not {ok}:")
        out.add("    N.add((_k, ''))")
        out.add("R = _vis.get(_k)")
        out.add("if R is None:")
        out.add("    R = dict(_s)")
        for child in item.children:
            self.final_item(out, child, ok, "_p", False, "R", full, counter)
        out.depth -= 1
        out.add("R = None")


Fill = Callable[[Any, bool], tuple[dict, dict, dict]]
