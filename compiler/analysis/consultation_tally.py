"""Counting consultations per measure, right, experience and group, with small counts hidden.

What is counted is declared in the guide source (`tally:` of a form in guide.yaml): the
question holding the measure code, the condition a conversation must meet to count (the
person agreed), the select_multiple of self-described groups (its own answer list gives the
groups' order), a score per right (1 when the person reported harm to it) and a question per
experience (counted when answered "yes").

Every count from 1 to 4 is hidden ("fewer than 5"), and so is a second count wherever a
published total minus the others would reveal a hidden one: in each row (a right, an
experience, or the people consulted) the total is the sum of its group cells when every
person names one group, so a row with exactly one hidden group cell gets its smallest other
non-zero group cell hidden too, or its total when there is none. The people who named no
group have their own column, so that the total minus the groups gives nothing away either.
Groups are chosen freely (a person may name several), so rows are not always sums; hiding as if
they were is the cautious reading. Zero is shown: it reveals no one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..expressions.python_code import PythonGenerator, compile_expression
from ..model import Guide

SMALL = 5  # counts below this (and above 0) are never shown
TOTAL = ""  # the column of a row's total
NO_GROUP = "_none"  # the column of the people who named no group (a group name has no "_" first)


@dataclass
class Row:
    """One row of a measure's table: a total and a count per group, with what is hidden."""

    key: str  # "consulted", or a right's or an experience's choice name
    total: int = 0
    by_group: dict[str, int] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # TOTAL and/or group names

    def shown(self, column: str = TOTAL) -> int | None:
        """The count in a column (TOTAL or a group), or None when it is hidden."""
        if column in self.hidden:
            return None
        return self.total if column == TOTAL else self.by_group.get(column, 0)


@dataclass
class MeasureTally:
    """The consultations of one measure: people consulted, per right and per experience."""

    measure: str
    groups: list[str]  # the groups named, in the list's order
    consulted: Row
    rights: dict[str, Row]
    experiences: dict[str, Row]
    excluded: int = 0  # conversations not counted (the person did not agree, or was a minor)

    def rows(self) -> list[Row]:
        return [self.consulted, *self.rights.values(), *self.experiences.values()]


def tally(form: Guide, submissions: Iterable[Mapping[str, Any]]) -> dict[str, MeasureTally]:
    """Each measure's counts from the scored submissions of a form with a tally (answers and
    scores by item name), small counts hidden. Measures are keyed by their code as given."""
    spec = form.tally
    if spec is None:
        raise ValueError(f"form '{form.form_id}' declares no tally")
    include = None
    if spec.include is not None and spec.include.tree is not None:
        generator = PythonGenerator(lambda name: None)
        include = compile_expression(generator.condition(spec.include.tree))
    groups_order = _group_order(form, spec.groups)
    rights = spec.reported.names(form)
    experiences = spec.experiences.names(form) if spec.experiences else {}
    counted = spec.experiences.counted if spec.experiences else None
    # each submission as what it adds (its measure, and its groups and the rows it counts in,
    # or None when not counted), counted alike ones together, then added in the order first
    # met: the same counts, with groups met in the same order, for far fewer additions
    alike: Counter[tuple] = Counter()
    for values in submissions:
        measure = str(values.get(spec.measure) or "").strip()
        if not measure:
            continue  # no measure: the pipeline lists it as an issue of the record
        if include is not None and not include(values, None, None):
            alike[(measure, None)] += 1
            continue
        named = tuple(str(values.get(spec.groups) or "").split()) if spec.groups else ()
        harmed = tuple(r for r, name in rights.items() if _number(values.get(name)) == 1)
        lived = tuple(e for e, name in experiences.items() if str(values.get(name) or "") == counted)
        alike[(measure, (named, harmed, lived))] += 1
    out: dict[str, MeasureTally] = {}
    for (measure, counts), times in alike.items():
        table = out.get(measure)
        if table is None:
            table = out[measure] = MeasureTally(
                measure, [], Row("consulted"), {r: Row(r) for r in rights},
                {e: Row(e) for e in experiences},
            )  # fmt: skip
        if counts is None:
            table.excluded += times
            continue
        named, harmed, lived = counts
        _add(table.consulted, named, times)
        for right in harmed:
            _add(table.rights[right], named, times)
        for experience in lived:
            _add(table.experiences[experience], named, times)
    for table in out.values():
        present = {g for row in table.rows() for g, n in row.by_group.items() if n}
        known = [g for g in groups_order if g in present]
        table.groups = known + sorted(present - set(known) - {NO_GROUP}) + (
            [NO_GROUP] if NO_GROUP in present else []
        )
        for row in table.rows():
            hide_small(row, table.groups)
    return dict(sorted(out.items()))


def _group_order(form: Guide, question: str | None) -> list[str]:
    """The choice names of the groups question's own answer list, in the list's order."""
    item = form.items_by_name().get(question or "")
    if item is None or item.list_name not in form.lists:
        return []
    return form.lists[item.list_name].names()


def _add(row: Row, groups: tuple[str, ...], times: int = 1) -> None:
    row.total += times
    for group in groups or (NO_GROUP,):
        row.by_group[group] = row.by_group.get(group, 0) + times


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def hide_small(row: Row, groups: list[str]) -> None:
    """Hide the row's counts from 1 to 4, then one more cell wherever the total minus the
    shown cells would give a hidden one away."""
    cells = {TOTAL: row.total, **{g: row.by_group.get(g, 0) for g in groups}}
    row.hidden = {column for column, n in cells.items() if 0 < n < SMALL}
    hidden_groups = [g for g in groups if g in row.hidden]
    if TOTAL in row.hidden or len(hidden_groups) != 1:
        return
    others = sorted((n, g) for g, n in cells.items() if g != TOTAL and g not in row.hidden and n > 0)
    if others:
        row.hidden.add(others[0][1])
    else:
        row.hidden.add(TOTAL)


def unrecorded_rights(table: MeasureTally, recorded: Iterable[str]) -> list[str]:
    """Rights that consulted people reported harmed (at least one person) but on which the
    team recorded nothing: for the team to look at."""
    seen = set(recorded)
    return [r for r, row in table.rights.items() if row.total > 0 and r not in seen]


def row_document(row: Row, groups: list[str]) -> dict[str, Any]:
    """A row as published: counts with every hidden one null (never the count itself)."""
    return {"total": row.shown(), "by_group": {g: row.shown(g) for g in groups}}


def tally_document(tables: Mapping[str, MeasureTally]) -> dict[str, Any]:
    """Each measure's counts as published in scores.json and read by the dossiers: hidden
    counts (1 to 4, and those that would give one away) are null, so no file the run writes
    holds them."""
    return {
        measure: {
            "groups": list(t.groups),
            "excluded": t.excluded if not 0 < t.excluded < SMALL else None,
            "consulted": row_document(t.consulted, t.groups),
            "rights": {r: row_document(row, t.groups) for r, row in t.rights.items()},
            "experiences": {e: row_document(row, t.groups) for e, row in t.experiences.items()},
            # a right someone reported harmed, even when the count itself is hidden
            "reported_rights": [r for r, row in t.rights.items() if row.total > 0],
        }
        for measure, t in tables.items()
    }
