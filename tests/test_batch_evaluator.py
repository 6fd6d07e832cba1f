"""The batch evaluator must give exactly what the reference evaluator gives (which is itself
checked against JavaRosa): values, relevance and constraints of every submission of a batch,
the columns it exposes, and the scores of `Scorer.score_many`."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.cases import case_strategy, random_case
from support.edge_guide import EDGE, NESTED, edge_guide

from compiler.diagnostics import GuideInvalid
from compiler.loader import load_checked_guide
from compiler.model import Guide
from compiler.scoring.batch import BatchEvaluator, BatchInput, RepeatInput
from compiler.scoring.evaluator import ReferenceEvaluator, as_text
from compiler.scoring.scores import ScoredSubmission, Scorer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Guide]:
    base = tmp_path_factory.mktemp("batch_guides")
    return {
        "real": load_checked_guide(ROOT / "guide_source")[0],
        "test": load_checked_guide(ROOT / "tests" / "guides" / "full")[0],
        "edge": edge_guide(base / "edge", EDGE),
    }


@pytest.fixture(scope="module")
def engines(guides: dict[str, Guide]) -> dict[str, tuple[ReferenceEvaluator, BatchEvaluator]]:
    out = {}
    for key, guide in guides.items():
        evaluator = ReferenceEvaluator(guide)
        out[key] = (evaluator, BatchEvaluator(guide, evaluator))
    return out


def assert_same_fill(
    evaluator: ReferenceEvaluator, batch: BatchEvaluator, cases: list[dict]
) -> None:
    """Every submission filled in one batch equals the reference's fill."""
    filled = batch.fill(cases)
    assert filled.n == len(cases)
    for i, case in enumerate(cases):
        expected = evaluator.fill(case)
        got = filled.filled_form(i)
        assert got.values == expected.values, case
        assert _types(got.values) == _types(expected.values), case
        assert list(got.relevant.items()) == list(expected.relevant.items()), case
        assert list(got.constraint.items()) == list(expected.constraint.items()), case
        assert filled.values(i) == expected.values, case


def _types(value: Any) -> Any:
    """The Python types inside a value (3 == 3.0, but a float is not an int)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def reference_scores(
    scorer: Scorer, cases: list[dict], available: list[bool] | bool
) -> list[ScoredSubmission]:
    """The specification: each case filled by the reference evaluator, its scores read."""
    flags = available if isinstance(available, list) else [available] * len(cases)
    reference = scorer.batch.reference
    return [scorer.score_filled(reference.fill(c), a) for c, a in zip(cases, flags, strict=True)]


def assert_same_scores(scorer: Scorer, cases: list[dict], repeats_available: bool) -> None:
    expected = reference_scores(scorer, cases, repeats_available)
    got = scorer.score_many(cases, repeats_available)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert isinstance(mine, ScoredSubmission)
        assert mine == theirs
        assert list(mine.scores) == list(theirs.scores)
        assert list(mine.reasons.items()) == list(theirs.reasons.items())
        assert _types(mine.scores) == _types(theirs.scores)


@pytest.mark.parametrize("key", ["real", "edge"])
def test_random_cases_in_one_batch(key: str, engines: dict) -> None:
    evaluator, batch = engines[key]
    assert batch.supported, batch.reason
    rng = random.Random(20261201)
    cases = [random_case(batch.guide, rng, max_records=4) for _ in range(300)]
    repeat = batch.guide.repeats()[0].name
    counts = {len(c.get(repeat, [])) for c in cases}
    assert 0 in counts and len(counts) > 2  # rows differ in record counts, none included
    assert_same_fill(evaluator, batch, cases)


@pytest.mark.parametrize("key", ["real", "test", "edge"])
def test_hypothesis_cases(key: str, engines: dict, guides: dict) -> None:
    evaluator, batch = engines[key]
    strategy = st.lists(case_strategy(guides[key], max_records=3), min_size=1, max_size=12)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(cases: list[dict]) -> None:
        assert_same_fill(evaluator, batch, cases)

    check()


@pytest.mark.parametrize("key", ["real", "test", "edge"])
@pytest.mark.parametrize("repeats_available", [True, False])
def test_score_many_equals_score(key: str, repeats_available: bool, guides: dict) -> None:
    scorer = Scorer(guides[key])
    rng = random.Random(7)
    cases = [random_case(guides[key], rng, max_records=3) for _ in range(150)]
    assert_same_scores(scorer, cases, repeats_available)


@pytest.mark.parametrize("key", ["real", "edge"])
def test_score_batch_with_repeats_available_per_submission(key: str, engines: dict) -> None:
    evaluator, batch = engines[key]
    scorer = Scorer(batch.guide, batch)
    rng = random.Random(13)
    cases = [random_case(batch.guide, rng, max_records=3) for _ in range(80)]
    available = [rng.random() < 0.5 for _ in cases]
    got = scorer.score_batch(batch.fill(cases), available)
    expected = reference_scores(scorer, cases, available)
    assert got == expected
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine.reasons.items()) == list(theirs.reasons.items())
        assert _types(mine.scores) == _types(theirs.scores)


def test_empty_batch_and_batch_of_one(engines: dict, guides: dict) -> None:
    evaluator, batch = engines["real"]
    empty = batch.fill([])
    assert empty.n == 0
    assert len(empty.text("qs_outcome")) == 0
    assert len(empty.repeat_parent("impacts")) == 0
    assert Scorer(guides["real"]).score_many([]) == []
    one = random_case(guides["real"], random.Random(3), max_records=2)
    assert_same_fill(evaluator, batch, [one])
    assert_same_fill(evaluator, batch, [{}])
    assert_same_scores(Scorer(guides["real"]), [one], True)


TRICKY = [
    "", " 5 ", "1e5", "Infinity", "NaN", "-0", "00012", "9" * 400, "0.125", "2.675", "-2.5",
    "1.005", "yes", "no", "dont_know", "negative", "liberty", "ratified", "other", "none_yet",
    "x", "2020-02-30", "2020-01-05T10:00", "3", "5", "dk", "raids detention", ".5", "5.",
    "1234567.891", "0.0001", 12, 3.5, True,
]  # fmt: skip


@pytest.mark.parametrize("key", ["real", "edge"])
def test_tricky_answers(key: str, engines: dict) -> None:
    """Answers outside the lists, numbers JavaRosa reads oddly, values that are not text."""
    evaluator, batch = engines[key]
    rng = random.Random(1)

    def answers(items: list, repeat: Any) -> dict:
        return {
            q.name: rng.choice(TRICKY)
            for q in items
            if q.is_question and q.repeat is repeat and rng.random() < 0.7
        }

    cases = []
    for _ in range(200):
        case = answers(list(batch.guide.walk()), None)
        for r in batch.guide.repeats():
            case[r.name] = [answers(list(r.walk()), r) for _ in range(rng.randint(0, 3))]
        cases.append(case)
    assert_same_fill(evaluator, batch, cases)
    assert_same_scores(Scorer(batch.guide, batch), cases, True)


def test_columns_match_the_filled_forms(engines: dict) -> None:
    evaluator, batch = engines["edge"]
    rng = random.Random(11)
    cases = [random_case(batch.guide, rng, max_records=3) for _ in range(120)]
    filled = batch.fill(cases)
    forms = [evaluator.fill(c) for c in cases]
    assert filled.text("share").tolist() == [f.text("share") for f in forms]
    assert filled.relevant("after_calc").tolist() == [
        f.relevant["/data/edge/after_calc"] for f in forms
    ]
    parent = filled.repeat_parent("visits")
    position = filled.repeat_position("visits")
    rates = filled.text("visit_rate")
    relevant = filled.relevant("visit_note")
    records = filled.record_relevant("visits")
    constraint = filled.constraint_ok("visit_days")
    assert len(parent) == sum(len(f.values["visits"]) for f in forms)
    assert np.all(np.diff(parent) >= 0)
    for j, (i, k) in enumerate(zip(parent.tolist(), position.tolist(), strict=True)):
        record = forms[i].values["visits"][k - 1]
        base = f"/data/edge/visits[{k}]"
        assert rates[j] == as_text(record["visit_rate"])
        assert relevant[j] == forms[i].relevant[f"{base}/visit_more/visit_note"]
        assert records[j] == forms[i].relevant[base]
        assert constraint[j] == forms[i].constraint[f"{base}/visit_days"]
    assert filled.constraint_ok("people").tolist() == [
        f.constraint["/data/screen/people"] for f in forms
    ]


def test_columns_given_directly(engines: dict) -> None:
    """A columnar reader passes BatchInput; records may come in any order, values as text
    or not (read as str(), as the evaluator reads them)."""
    evaluator, batch = engines["edge"]
    rng = random.Random(5)
    cases = [random_case(batch.guide, rng, max_records=3) for _ in range(60)]
    cases[0]["people"] = 12  # an int, as some readers give
    cases[1]["count_a"] = 2.5
    data = BatchInput.from_submissions(cases)
    assert data.n == len(cases) and "visits" in data.repeats and "people" in data.columns
    rep = data.repeats["visits"]
    order = np.argsort(-rep.parent, kind="stable")  # submissions reversed, records in order
    data.repeats["visits"] = RepeatInput(
        rep.parent[order], {k: [v[i] for i in order.tolist()] for k, v in rep.columns.items()}
    )
    filled = batch.fill(data)
    for i, case in enumerate(cases):
        assert filled.filled_form(i).values == evaluator.fill(case).values


def test_fill_for_scores_only_skips_what_scores_do_not_need(engines: dict) -> None:
    evaluator, batch = engines["real"]
    scores = [s.name for s in batch.guide.scores()]
    rng = random.Random(9)
    cases = [random_case(batch.guide, rng, max_records=3) for _ in range(50)]
    filled = batch.fill(cases, full=False, only=scores)
    needed = batch.needed(scores)
    assert "qs_measure_name" not in needed and "qs_clear_measure" in needed
    for name in ("qs_outcome", "commitment_liberty", "committed_count"):
        assert filled.text(name).tolist() == [evaluator.fill(c).text(name) for c in cases]
    with pytest.raises(ValueError):
        filled.values(0)
    with pytest.raises(ValueError):
        filled.relevant("qs_stage")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "relevant: \"visit_kind != 'none' and (worst_liberty >= 2 or count_a > 2)\"",
            'relevant: "count(visits) < 3"',
            "count(visits) inside a record of 'visits' counts only that record in ODK Collect",
        ),
        (
            "relevant: \"visit_kind != 'none' and (worst_liberty >= 2 or count_a > 2)\"",
            "relevant: \"count(visits where visit_kind = 'none') < 3\"",
            "'visit_days' is inside a record of 'visits' and its skip rule reads count() over",
        ),
        (
            '"visit_days * negatives"',
            '"visit_days / kind_days"',
            "its formula reads sum() over 'visits' (through 'kind_days'): ODK Collect updates it",
        ),
    ],
)
def test_aggregates_over_the_own_repeat_in_a_record_are_refused(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """JavaRosa computes these for the record being filled only (count(visits) is read from
    that record; a calculation or skip rule is updated when its own record changes, not when
    others do): the checker refuses them, so every accepted guide is scored as Collect does."""
    assert old in EDGE
    with pytest.raises(GuideInvalid) as refused:
        edge_guide(tmp_path / "guide", EDGE.replace(old, new))
    assert any(message in str(d) for d in refused.value.diagnostics.errors)


def test_nested_repeats_are_refused_by_the_checker(tmp_path: Path) -> None:
    """Neither evaluator follows ODK Collect inside a repeat nested in a repeat: the checker
    refuses such a guide, so every guide it accepts is scored by the one batch path."""
    flag = "          - {name: visit_flag, type: select_one, list: yes_no_dk, label: Flag}\n"
    assert flag in EDGE
    with pytest.raises(GuideInvalid) as refused:
        edge_guide(tmp_path / "nested", EDGE.replace(flag, flag + NESTED))
    [error] = [str(d) for d in refused.value.diagnostics.errors if "inside repeat" in str(d)]
    assert "edge.yaml:" in error and "repeat 'visit_people' is inside repeat 'visits'" in error
