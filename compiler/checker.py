"""`rightguide check`: every problem in the guide's meaning, once, with its place.

The loader has already checked the files' shape; this checks names, references, answer
lists, expression types, cycles, documentation of scores and tables.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Location
from .expressions.ast import Aggregate, Boolean, Ref
from .expressions.fold import fold
from .expressions.typecheck import ERROR, infer
from .model import Expression, Guide, Item
from .scope import GuideScope

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = {"meta", "instanceID", "instanceName", "deprecatedID", "data"}


def _at(expr: Expression, column: int) -> Location:
    loc = expr.location
    return Location(loc.file, loc.line, loc.column + column - 1, loc.path)


def check_guide(guide: Guide, diags: Diagnostics) -> None:
    """Add every problem of the guide's meaning to diags: each form's own (names, items,
    expressions, cycles, each at its file and line), then what the forms share."""
    for form in guide.all_forms():
        scope = GuideScope(form)
        _check_names(form, diags)
        _check_items(form, scope, diags)
        _check_cycles(form, scope, diags)
        _fold_constants(form, diags)
    _check_forms(guide, diags)
    for form in guide.all_forms():
        if form.tally is not None:
            _check_tally(form, diags)
    _check_list_names(guide, diags)
    _check_lists(guide, diags)
    _check_tables(guide, diags)
    _check_phrase_languages(guide, diags)


def _check_tally(form: Guide, diags: Diagnostics) -> None:
    """The tally names this form's own items, of the kinds the importer counts."""
    tally = form.tally
    assert tally is not None
    where = tally.location
    items = form.items_by_name()

    def need(name: str | None, types: tuple[str, ...], what: str) -> None:
        item = items.get(name or "")
        if item is None or item.type not in types or item.repeat is not None:
            diags.error(where, f"tally of form '{form.form_id}': {what} '{name}' must be a "
                        f"{' or '.join(types)} of this form, outside any repeat")  # fmt: skip

    need(tally.measure, ("select_one", "text"), "measure")
    if tally.groups is not None:
        # any answer list: the group order is the question's own list's (consultation_tally)
        need(tally.groups, ("select_multiple",), "groups")
    for part, types in ((tally.reported, ("score", "calculate")),
                        (tally.experiences, ("select_one",))):  # fmt: skip
        if part is None:
            continue
        if part.list_name not in form.lists:
            diags.error(
                where, f"tally of form '{form.form_id}': unknown answer list '{part.list_name}'"
            )
            continue
        for name in part.names(form).values():
            need(name, types, "item")
    if tally.include is not None and tally.include.tree is not None:
        ctx = GuideScope(form).context(None)
        result = infer(tally.include.tree, ctx)
        for column, message in ctx.errors:
            diags.error(_at(tally.include, column), message)
        if result is not ERROR and result.kind != "boolean":
            diags.error(tally.include.location, "the tally's 'include' must be a condition")


def _check_forms(guide: Guide, diags: Diagnostics) -> None:
    """Forms share one translation catalogue, whose contexts are item names: a name may be
    used in one form only, and each form needs its own id."""
    where = Location(str(Path(guide.source_dir).name) + "/guide.yaml", 0, 0, "forms")
    ids: set[str] = set()
    for form in guide.all_forms():
        if form.form_id in ids:
            diags.error(where, f"two forms have the id '{form.form_id}': give each its own")
        ids.add(form.form_id)
    owner: dict[str, tuple[str, Item]] = {}
    for form in guide.all_forms():
        for item in form.walk():
            first = owner.setdefault(item.name, (form.form_id, item))
            if first[0] != form.form_id:
                diags.error(item.location, f"name '{item.name}' is also used in form '{first[0]}' "
                            f"(at {first[1].location.file}:{first[1].location.line}): the forms "
                            "share their translations, so give it another name")  # fmt: skip


def _fold_constants(guide: Guide, diags: Diagnostics) -> None:
    """Fold what reads no answer (`expressions.fold`), so no target emits or prints a constant
    condition: one always true is dropped; one always false is an error (the question would
    never be asked, or no answer could pass its check)."""
    for item in guide.walk():
        for attr in ("relevant", "constraint", "formula"):
            expr = getattr(item, attr)
            if expr is None or expr.tree is None:
                continue
            tree = fold(expr.tree)
            if attr == "formula" or not isinstance(tree, Boolean):
                expr.tree = tree
            elif tree.value:
                setattr(item, attr, None)  # always true: no condition at all
            elif attr == "relevant":
                diags.error(expr.location, f"'{expr.text}' is never true: {item.name} would never "
                            "be asked; fix or remove the condition")  # fmt: skip
            else:
                diags.error(expr.location, f"'{expr.text}' is never true: no answer to "
                            f"{item.name} could pass this check; fix or remove it")  # fmt: skip


def _check_phrase_languages(guide: Guide, diags: Diagnostics) -> None:
    """Warn for each language whose fixed phrases (written by the compiler, not the guide) are
    missing: those outputs fall back to English for that text."""
    from .analysis.outputs.xlsx_out import missing_ui_languages
    from .emitters.print_phrases import missing_print_phrase_languages
    from .emitters.workbook.phrases import missing_languages
    from .expressions.words import missing_phrase_languages
    from .report.phrases import missing_report_phrase_languages

    parts = {
        "skip rules and formulas in words (compiler/expressions/phrases.py)": missing_phrase_languages(
            guide
        ),
        "printed forms (compiler/emitters/print_phrases.py)": missing_print_phrase_languages(guide),
        "workbooks (compiler/emitters/workbook/phrases.py)": missing_languages(
            [lang.code for lang in guide.languages]
        ),
        "reports (compiler/report/phrases.py)": missing_report_phrase_languages(guide),
        "scored workbooks (compiler/analysis/outputs/xlsx_out.py)": missing_ui_languages(
            [lang.code for lang in guide.languages]
        ),
    }
    where = Location(str(Path(guide.source_dir).name) + "/guide.yaml", 0, 0, "form.languages")
    for lang in guide.languages:
        lacking = [part for part, codes in parts.items() if lang.code in codes]
        if lacking:
            diags.warning(
                where,
                f"language '{lang.code}' has no fixed phrases for: {'; '.join(lacking)}; "
                "that text will be in English",
            )


def _check_names(guide: Guide, diags: Diagnostics) -> None:
    seen: dict[str, Item] = {}
    for item in guide.walk():
        if not NAME.match(item.name):
            diags.error(
                item.location,
                f"name '{item.name}' is not allowed: use letters, digits and _, starting with a letter",
            )
        elif item.name.lower().startswith("xml"):
            diags.error(
                item.location,
                f"name '{item.name}' is not allowed: XML names cannot start with 'xml'",
            )
        elif item.name in RESERVED:
            diags.error(item.location, f"name '{item.name}' is reserved by ODK")
        if item.name in seen:
            first = seen[item.name].location
            diags.error(
                item.location,
                f"duplicate name '{item.name}' (first used at {first.file}:{first.line})",
            )
        else:
            seen[item.name] = item


def _check_list_names(guide: Guide, diags: Diagnostics) -> None:
    for name, choice_list in guide.lists.items():
        if not NAME.match(name):
            diags.error(
                choice_list.location,
                f"list name '{name}' is not allowed: use letters, digits and _",
            )
        for choice in choice_list.choices:
            if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", choice.name):
                diags.error(
                    choice_list.location,
                    f"choice name '{choice.name}' in list '{name}' is not allowed: no spaces",
                )


def _check_items(guide: Guide, scope: GuideScope, diags: Diagnostics) -> None:
    for item in guide.walk():
        loc = item.location
        if item.type in ("select_one", "select_multiple"):
            if not item.list_name:
                diags.error(loc, f"{item.type} '{item.name}' needs an answer list ('list:')")
            elif item.list_name not in guide.lists:
                diags.error(item.at("list"), f"unknown answer list '{item.list_name}'")
        elif item.list_name:
            diags.error(
                item.at("list"),
                f"'list' is only for select_one and select_multiple, not {item.type}",
            )
        if (item.is_question or item.type == "note") and item.label is None:
            diags.error(loc, f"{item.type} '{item.name}' needs a label")
        if item.type == "repeat" and item.repeat is not None:
            # neither evaluator follows ODK Collect inside nested records: the form could be
            # deployed, but what comes back could not be scored as the phone scored it
            diags.error(loc, f"repeat '{item.name}' is inside repeat '{item.repeat.name}': "
                        "repeats inside repeats are not supported (their records would not be "
                        f"scored as ODK Collect scores them); move '{item.name}' out of "
                        f"'{item.repeat.name}'")  # fmt: skip
        if item.is_container and not item.children:
            diags.error(loc, f"{item.type} '{item.name}' is empty")
        if item.is_computed and item.formula is None:
            diags.error(loc, f"{item.type} '{item.name}' needs a formula")
        if not item.is_computed and item.formula is not None:
            diags.error(loc, f"'formula' is only for calculate and score, not {item.type}")
        if item.type == "score":
            for attr in ("label", "description", "missing"):
                if getattr(item, attr) is None:
                    diags.error(
                        loc, f"score '{item.name}' needs '{attr}' (every score is documented)"
                    )
        if item.result_list and item.result_list not in guide.lists:
            diags.error(item.at("result_list"), f"unknown answer list '{item.result_list}'")
        if item.base is not None:
            base = guide.items_by_name().get(item.base)
            if item.type != "score" or base is None or base.type != "score" or base.repeat:
                diags.error(item.at("base"), f"'base' of a score must name another form-level "
                            f"score; '{item.base}' is not one")  # fmt: skip
        if item.constraint_message is not None and item.constraint is None:
            diags.warning(item.at("constraint_message"), "constraint_message without a constraint")
        if item.default is not None and item.type == "select_one" and item.list_name in guide.lists:
            if item.default not in guide.lists[item.list_name].names():
                diags.error(
                    item.at("default"),
                    f"default '{item.default}' is not in list '{item.list_name}'",
                )
        for attr, expr in item.expressions():
            _check_expression(item, attr, expr, scope, diags)
            _check_own_repeat(guide, item, attr, expr, diags)


def _check_expression(
    item: Item, attr: str, expr: Expression, scope: GuideScope, diags: Diagnostics
) -> None:
    if expr.tree is None:
        return  # parse error already reported
    current = scope.type_of(item) if attr == "constraint" else None
    owner = item if attr != "relevant" or item.type != "repeat" else item.parent
    ctx = scope.context(owner, current)
    result = infer(expr.tree, ctx)
    for column, message in ctx.errors:
        diags.error(_at(expr, column), message)
    if result is ERROR:
        return
    if attr in ("relevant", "constraint") and result.kind != "boolean":
        diags.error(
            expr.location,
            f"a {attr.replace('relevant', 'skip rule')} must be a condition, not {result}",
        )
    if attr == "formula" and result.kind == "boolean":
        diags.error(
            expr.location,
            f"a {item.type} must give a number or text, not a condition: write if(condition, 1, 0)",
        )


# ODK Collect (JavaRosa) computes these for the record being filled only: refused, so every
# guide the checker accepts is scored exactly as Collect computes it.
OWN_REPEAT = (
    "'{name}' is inside a record of '{repeat}' and its {what} reads {func}() over "
    "'{repeat}'{via}: ODK Collect updates it when its own record changes, not when other "
    "records do, so it would depend on the order the records were filled; compute it after "
    "the repeat instead"
)
OWN_REPEAT_COUNT = (
    "count({repeat}) inside a record of '{repeat}' counts only that record in ODK Collect "
    "(the repeat path is read from the record being filled); compute it after the repeat instead"
)
_WHAT = {"formula": "formula", "relevant": "skip rule"}


def _check_own_repeat(
    guide: Guide, item: Item, attr: str, expr: Expression, diags: Diagnostics
) -> None:
    """An expression inside a record of a repeat that aggregates over that repeat, which
    Collect does not compute over every record: a formula or skip rule that reads such an
    aggregate, directly or through calculations, and an unfiltered count anywhere."""
    owner = item.parent if attr == "relevant" and item.type == "repeat" else item
    chain = (owner, *owner.ancestors()) if owner is not None else ()
    inside = {a.name for a in chain if a.type == "repeat"}
    if not inside or expr.tree is None:
        return
    for node in expr.tree.walk():
        if (
            isinstance(node, Aggregate)
            and node.repeat in inside
            and node.func == "count"
            and node.where is None
        ):
            diags.error(_at(expr, node.column), OWN_REPEAT_COUNT.format(repeat=node.repeat))
            return
    if attr not in _WHAT:
        return
    found = _aggregate_read(guide, expr.tree, inside)
    if found is not None:
        node, via = found
        diags.error(expr.location, OWN_REPEAT.format(
            name=item.name, repeat=node.repeat, what=_WHAT[attr], func=node.func,
            via=f" (through '{via}')" if via else "",
        ))  # fmt: skip


def _aggregate_read(
    guide: Guide, tree: Any, repeats: set[str]
) -> tuple[Aggregate, str | None] | None:
    """The first aggregate over one of repeats the expression reads, directly or through
    calculations, and the calculation it is read through (None: directly)."""
    items = guide.items_by_name()
    todo: list[tuple[Any, str | None]] = [(tree, None)]
    seen: set[str] = set()
    while todo:
        node_tree, via = todo.pop(0)
        for node in node_tree.walk():
            if isinstance(node, Aggregate) and node.repeat in repeats:
                return node, via
            name = node.name if isinstance(node, Ref) else None
            found = items.get(name) if name else None
            if found is not None and found.is_computed and found.formula is not None:
                if found.formula.tree is not None and found.name not in seen:
                    seen.add(found.name)
                    todo.append((found.formula.tree, via or found.name))
    return None


def _check_lists(guide: Guide, diags: Diagnostics) -> None:
    """Lists no form uses are reported (a list used by one form only is used)."""
    items = [item for form in guide.all_forms() for item in form.walk()]
    used = {i.list_name for i in items} | {i.result_list for i in items}
    used |= {t.keys_list for t in guide.tables.values()} | {
        t.values_list for t in guide.tables.values()
    }
    # lists iterated by for_each leave no trace after expansion: a choice label used as a template param
    for item in items:
        for attr in ("label", "hint", "intro"):
            text = getattr(item, attr)
            if text is not None:
                for _, value in text.params:
                    used.add(value.context.split(".")[1])
    for name, choice_list in guide.lists.items():
        if name not in used:
            diags.warning(choice_list.location, f"answer list '{name}' is never used")
        if not choice_list.choices:
            diags.error(choice_list.location, f"answer list '{name}' is empty")


def _check_tables(guide: Guide, diags: Diagnostics) -> None:
    for table in guide.tables.values():
        for list_attr, names in (
            ("keys_list", list(table.rows)),
            ("values_list", [v for vs in table.rows.values() for v in vs]),
        ):
            list_name = getattr(table, list_attr)
            if list_name is None:
                continue
            if list_name not in guide.lists:
                diags.error(
                    table.location, f"table '{table.name}' names unknown answer list '{list_name}'"
                )
                continue
            known = set(guide.lists[list_name].names())
            for name in names:
                if name not in known:
                    diags.error(
                        table.location,
                        f"table '{table.name}': '{name}' is not in list '{list_name}'",
                    )


def _check_cycles(guide: Guide, scope: GuideScope, diags: Diagnostics) -> None:
    graph: dict[str, list[str]] = {}
    items = scope.items
    counts = Counter(item.name for item in guide.walk())
    # a duplicated name is reported once as such: which item a reference to it means is not
    # known, so it is left out of the graph rather than reported as a cycle it may not be
    duplicated = {name for name, count in counts.items() if count > 1}
    for item in guide.walk():
        if item.name in duplicated:
            continue
        deps: list[str] = []
        for attr, expr in item.expressions():
            if attr != "constraint" and expr.tree is not None:
                ctx = scope.context(item)
                infer(expr.tree, ctx)
                deps.extend(ctx.refs)
        graph[item.name] = [d for d in deps if d in items and d not in duplicated]
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        stack.append(name)
        for dep in graph.get(name, []):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :] + [dep]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    dep_item = items[dep]
                    where = dep_item.at("formula" if dep_item.formula is not None else "relevant")
                    diags.error(
                        where, "cycle among calculations and skip rules: " + " -> ".join(cycle)
                    )
            elif state.get(dep) is None:
                visit(dep, stack)
        stack.pop()
        state[name] = 2

    for name in graph:
        if state.get(name) is None:
            visit(name, [])
