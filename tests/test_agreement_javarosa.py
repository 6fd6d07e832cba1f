"""The reference evaluator and the batch evaluator (production) must give exactly what
JavaRosa (ODK Collect's engine) gives: every calculation and score, every relevance and every
constraint, on random answer sets with blanks, "don't know" answers and several repeat
records (the batch fills each list of cases in one batch)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.cases import case_strategy, nested_case, random_case
from support.javarosa import JavaRosa

from compiler.model import Guide
from compiler.scoring.batch import BatchEvaluator
from compiler.scoring.evaluator import FilledForm, ReferenceEvaluator, as_text

BATCH = 4
BULK = 1500
BULK_REAL = 350  # the reference fills the real guide (some 650 questions) in ~90 ms a case


@pytest.fixture(scope="module", params=["test", "real", "consultation"])
def engines(
    request: pytest.FixtureRequest, compiled_forms: dict
) -> Iterator[tuple[Guide, BatchEvaluator, JavaRosa]]:
    guide, xform = compiled_forms[request.param]
    with JavaRosa(Path(xform)) as jr:
        yield guide, BatchEvaluator(guide, ReferenceEvaluator(guide)), jr


def python_values(guide: Guide, filled: FilledForm) -> dict[str, str]:
    """Every question and computed value by instance path, as text."""
    out: dict[str, str] = {}

    def visit(item: Any, source: dict, base: str) -> None:
        path = f"{base}/{item.name}"
        if item.type == "group":
            for child in item.children:
                visit(child, source, path)
        elif item.type == "repeat":
            for index, record in enumerate(source.get(item.name, []), start=1):
                for child in item.children:
                    visit(child, record, f"{path}[{index}]")
        elif item.is_question or item.is_computed:
            value = as_text(source.get(item.name, ""))
            # JavaRosa writes decimal answers as Java doubles ("3.0"); compare their numbers
            out[path] = _decimal(value) if item.type == "decimal" else value

    for section in guide.sections:
        visit(section, filled.values, "/data")
    return out


def decimal_paths(guide: Guide, paths: dict[str, str]) -> set[str]:
    names = {i.name for i in guide.walk() if i.type == "decimal"}
    return {p for p in paths if p.rsplit("/", 1)[-1] in names}


def _decimal(text: str) -> str:
    return repr(float(text)) if text else text


def compare(guide: Guide, batch: BatchEvaluator, jr: JavaRosa, cases: list[dict]) -> None:
    results = jr.evaluate_many([nested_case(guide, c) for c in cases])
    batch_fill = batch.fill(cases)
    for i, (case, java) in enumerate(zip(cases, results, strict=True)):
        assert "fatal" not in java, java
        assert not java.get("errors"), (java["errors"], case)
        reference = batch.reference.fill(case)
        for filled in (reference, batch_fill.filled_form(i)):
            check_one(guide, filled, java, case)


def check_one(guide: Guide, filled: FilledForm, java: dict, case: dict) -> None:
    """One filled form (by either evaluator) against JavaRosa's."""
    mine = python_values(guide, filled)
    decimals = decimal_paths(guide, mine)
    theirs = {
        p: _decimal(java["values"][p])
        if p in decimals and java["values"].get(p)
        else java["values"].get(p)
        for p in mine
    }
    diffs = {p: (v, theirs[p]) for p, v in mine.items() if theirs[p] != v}
    assert not diffs, f"values differ (python, javarosa) {diffs} for case {case}"
    rel = {
        p: (v, java["relevant"].get(p))
        for p, v in filled.relevant.items()
        if java["relevant"].get(p) != v
    }
    assert not rel, f"relevance differs {rel} for case {case}"
    con = {
        p: (v, java["constraint"].get(p))
        for p, v in filled.constraint.items()
        if java["constraint"].get(p) != v
    }
    assert not con, f"constraints differ {con} for case {case}"


# Hypothesis draws every question of a case: about 1.5 s a case on the real guide (some 600
# questions), so the real guide gets fewer drawn cases; the seeded test below covers it in bulk.
EXAMPLES = {"test_guide": (40, BATCH), "right_guide": (8, 2)}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_cases_agree_with_javarosa(
    engines: tuple[Guide, BatchEvaluator, JavaRosa], data: st.DataObject
) -> None:
    guide, evaluator, jr = engines
    examples, size = EXAMPLES.get(guide.form_id, (40, BATCH))
    if data.draw(st.integers(0, 39), label="example") >= examples:
        return  # this guide's share of the examples is drawn
    cases = data.draw(st.lists(case_strategy(guide), min_size=size, max_size=size))
    compare(guide, evaluator, jr, cases)


def test_thousands_of_seeded_cases_agree(engines: tuple[Guide, BatchEvaluator, JavaRosa]) -> None:
    guide, evaluator, jr = engines
    rng = random.Random(20261128)
    bulk = BULK_REAL if guide.form_id == "right_guide" else BULK
    compare(guide, evaluator, jr, [random_case(guide, rng) for _ in range(bulk)])


def test_empty_and_full_cases_agree(engines: tuple[Guide, BatchEvaluator, JavaRosa]) -> None:
    guide, evaluator, jr = engines
    compare(guide, evaluator, jr, [{}])


def _edge_compare(tmp_path: Path, edge: str) -> None:
    from support.edge_guide import edge_guide

    from compiler.build import emit_odk

    guide = edge_guide(tmp_path / "edge", edge)
    emit_odk(guide, tmp_path / "odk")
    with JavaRosa(tmp_path / "odk" / f"{guide.form_id}.xml") as jr:
        rng = random.Random(4)
        cases = [random_case(guide, rng, max_records=5) for _ in range(200)]
        compare(guide, BatchEvaluator(guide), jr, cases)


def test_edge_guide_agrees_with_javarosa(tmp_path: Path) -> None:
    """Constructs the real guide does not use (support/edge_guide.py), among them a guard
    reading a calculation that is not relevant."""
    from support.edge_guide import EDGE

    _edge_compare(tmp_path, EDGE)


@pytest.mark.xfail(
    strict=True,
    reason="known divergence: JavaRosa stores x div 0 as 'Infinity' and reads numbers it wrote "
    "with an exponent (1.8E-4) back as numbers in aggregates; both evaluators store '' and "
    "read NaN (xpath_runtime.stored, numpy_code.stored_numbers)",
)
def test_edge_numbers_agree_with_javarosa(tmp_path: Path) -> None:
    from support.edge_guide import NUMERIC

    _edge_compare(tmp_path, NUMERIC)
