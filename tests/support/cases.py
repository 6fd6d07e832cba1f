"""Random answer sets for a guide, for agreement tests against JavaRosa and Excel.

A case is flat (answers by question name; each repeat a list of records) for the Python
evaluator, and nested by group for the JavaRosa harness (`nested_case`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from compiler.model import Guide, Item

MISSING = None


def _value_strategy(guide: Guide, item: Item) -> st.SearchStrategy[str | None]:
    if item.type in ("select_one", "select_multiple"):
        names = guide.lists[item.list_name].names() if item.list_name in guide.lists else []
        if item.type == "select_one":
            answer = st.sampled_from(names)
        else:
            answer = st.lists(st.sampled_from(names), unique=True, min_size=1).map(
                lambda chosen: " ".join(n for n in names if n in chosen)
            )
    elif item.type == "integer":
        answer = st.one_of(st.integers(0, 12), st.integers(-5, 200000)).map(str)
    elif item.type == "decimal":
        answer = st.one_of(
            st.integers(0, 40).map(lambda n: str(n / 4)), st.integers(-100, 1000).map(str)
        )
    elif item.type == "date":
        answer = st.integers(0, 20000).map(lambda d: (date(1980, 1, 1) + timedelta(days=d)).isoformat())
    else:
        answer = st.sampled_from(["x", "Some words", "Rights: é à ü", "12"])
    return st.one_of(st.just(MISSING), answer, answer)


def case_strategy(guide: Guide, max_records: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """Random flat cases for every question of the guide, with 0..max_records per repeat."""

    def fields_of(container_items: list[Item], in_repeat: Item | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in container_items:
            for node in item.walk():
                if node.repeat is not in_repeat:
                    continue
                if node.is_question:
                    out[node.name] = _value_strategy(guide, node)
                elif node.type == "repeat" and node.repeat is in_repeat:
                    record = st.fixed_dictionaries(fields_of(node.children, node))
                    out[node.name] = st.lists(record, max_size=max_records)
        return out

    return st.fixed_dictionaries(fields_of(guide.sections, None)).map(_drop_missing)


def _drop_missing(case: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in case.items():
        if value is MISSING:
            continue
        out[key] = [_drop_missing(r) for r in value] if isinstance(value, list) else value
    return out


def nested_case(guide: Guide, case: dict[str, Any]) -> dict[str, Any]:
    """The flat case nested by group and repeat, as the JavaRosa harness reads it."""

    def build(items: list[Item], answers: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in items:
            if item.type == "group":
                inner = build(item.children, answers)
                if inner:
                    out[item.name] = inner
            elif item.type == "repeat":
                # always explicit: pyxform's default instance would otherwise stay as a record
                records = answers.get(item.name) or []
                out[item.name] = [build(item.children, rec) for rec in records]
            elif item.is_question and item.name in answers:
                out[item.name] = answers[item.name]
        return out

    return build(guide.sections, case)


def random_case(guide: Guide, rng: Any, max_records: int = 4) -> dict[str, Any]:
    """A random flat case drawn with a seeded random.Random: the same shapes as case_strategy,
    cheap enough for thousands of cases in one batch."""

    def value(item: Item) -> str | None:
        if rng.random() < 0.3:
            return None
        if item.type in ("select_one", "select_multiple"):
            names = guide.lists[item.list_name].names() if item.list_name in guide.lists else []
            if item.type == "select_one":
                return rng.choice(names)
            chosen = set(rng.sample(names, rng.randint(1, len(names))))
            return " ".join(n for n in names if n in chosen)
        if item.type == "integer":
            return str(rng.randint(0, 12) if rng.random() < 0.8 else rng.randint(-5, 200000))
        if item.type == "decimal":
            return str(rng.randint(0, 40) / 4)
        if item.type == "date":
            return (date(1980, 1, 1) + timedelta(days=rng.randint(0, 20000))).isoformat()
        return rng.choice(["x", "Some words", "Rights: é à ü", "12"])

    def fill(items: list[Item], in_repeat: Item | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for top in items:
            for node in top.walk():
                if node.repeat is not in_repeat:
                    continue
                if node.is_question:
                    answer = value(node)
                    if answer is not None:
                        out[node.name] = answer
                elif node.type == "repeat":
                    out[node.name] = [fill(node.children, node) for _ in range(rng.randint(0, max_records))]
        return out

    return fill(guide.sections, None)
