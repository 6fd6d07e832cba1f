"""The chunked, vectorized analysis (`Analyser.analyse_many`) gives, record by record,
exactly what the specification (one record at a time on the reference evaluator,
`support.reference_analysis`) gives: scores, null reasons, issues (not applicable, not reached, carried calculations that
differ, failed constraints, reader issues) in the same order, and group counts."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from support.cases import random_case
from support.edge_guide import edge_guide
from support.reference_analysis import ReferenceAnalyser

from compiler.analysis.pipeline import (
    CARRIED_DIFFERS,
    NOT_APPLICABLE,
    NOT_REACHED,
    Analyser,
    analyse,
)
from compiler.importer.records import (
    BLANK,
    MISSING_COLUMN,
    Answer,
    Record,
    RecordIssue,
    RepeatRecord,
    Source,
    State,
)
from compiler.loader import load_checked_guide
from compiler.model import Guide, Item

ROOT = Path(__file__).resolve().parents[1]
REAL = load_checked_guide(ROOT / "guide_source")[0]
ODD_VALUES = ["", "abc", "-3", "99999", "1.5", "=1+1", "2026-13-45", "nan"]


def _answers(items: list[Item], answers: dict[str, Any], rng: random.Random) -> dict[str, Answer]:
    """Every question as a reader gives it: answered, blank, or a missing column; now and
    then a value the form would refuse or never reach."""
    out: dict[str, Answer] = {}
    for item in items:
        if not item.is_question:
            continue
        text = answers.get(item.name)
        if text is None and rng.random() < 0.05:
            text = rng.choice(ODD_VALUES)
        elif text is not None and rng.random() < 0.03:
            text = rng.choice(ODD_VALUES)
        if text:
            out[item.name] = Answer(str(text), State.ANSWERED)
        else:
            out[item.name] = MISSING_COLUMN if rng.random() < 0.1 else BLANK
    return out


def _carried(items: list[Item], rng: random.Random) -> dict[str, str]:
    """Calculations an export carried: some right by chance, most not."""
    return {
        i.name: rng.choice(["", "0", "1", "2.5", "x", "3"])
        for i in items
        if i.is_computed and rng.random() < 0.1
    }


def random_record(guide: Guide, rng: random.Random, n: int) -> Record:
    case = random_case(guide, rng)
    top = [i for i in guide.walk() if i.repeat is None]
    repeats: dict[str, list[RepeatRecord]] = {}
    for repeat in guide.repeats():
        own = [c for c in repeat.walk() if c.repeat is repeat]
        repeats[repeat.name] = [
            RepeatRecord(
                _answers(own, rec, rng),
                Source("in.xlsx", repeat.name, k + 2),
                carried_scores=_carried(own, rng),
            )
            for k, rec in enumerate(case.get(repeat.name, []))
        ]
    source = Source("in.xlsx", "main", n + 2)
    issues = (
        [RecordIssue(rng.choice([None, "scale", "impacts[1]/scale"]), "odd cell", source)]
        if rng.random() < 0.2
        else []
    )
    return Record(
        source=source,
        form_id=guide.form_id,
        form_version=guide.version,
        instance_id=f"uuid:{n}",
        deprecated_id=None,
        submitted_at=None,
        values=_answers(top, case, rng),
        repeats=repeats,
        repeats_available=rng.random() < 0.8,
        relevance_known=False,
        issues=issues,
        carried_scores=_carried(top, rng),
    )


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Guide]:
    return {
        "real": REAL,
        "full": load_checked_guide(ROOT / "tests" / "guides" / "full")[0],
        "edge": edge_guide(tmp_path_factory.mktemp("analysis") / "edge"),
    }


KINDS = {
    "not applicable": NOT_APPLICABLE.split("{")[0],
    "not reached": NOT_REACHED.split("{")[0],
    "carried differs": CARRIED_DIFFERS.split("{")[0],
    "constraint": "(value '",
}


def test_batch_analysis_equals_record_by_record(guides: dict[str, Guide]) -> None:
    found: set[str] = set()
    for guide in guides.values():
        rng = random.Random(7)
        records = [random_record(guide, rng, n) for n in range(250)]
        reference = ReferenceAnalyser(guide)
        expected = [reference.analyse(r) for r in records]
        got = Analyser(guide).analyse_many(records)
        assert len(got) == len(expected)
        for mine, theirs in zip(got, expected, strict=True):
            assert mine == theirs, mine.source
            for issue in theirs.issues:
                found |= {k for k, start in KINDS.items() if start in issue.message}
    # the cases exercise every issue the batch finds its own way
    assert found == set(KINDS)


def test_analyse_uses_chunks_and_keeps_every_record() -> None:
    guide = REAL
    rng = random.Random(3)
    records = [random_record(guide, rng, n) for n in range(30)]
    run = analyse(guide, records, [], [])
    analyser = ReferenceAnalyser(guide)
    assert run.submissions == sorted(
        (analyser.analyse(r) for r in records), key=lambda s: s.source.row or 0
    )
    assert analyse(guide, [], [], []).submissions == []


def test_a_guide_with_nested_repeats_cannot_score(tmp_path: Path) -> None:
    """A guide with a repeat inside a repeat is refused by the checker, so `rightguide
    score` with it stops before reading any input, with the checker's line naming the place."""
    from click.testing import CliRunner
    from support.edge_guide import EDGE, NESTED

    from compiler.cli import main
    from compiler.diagnostics import GuideInvalid

    flag = "          - {name: visit_flag, type: select_one, list: yes_no_dk, label: Flag}\n"
    with pytest.raises(GuideInvalid):
        edge_guide(tmp_path / "nested", EDGE.replace(flag, flag + NESTED))
    data = tmp_path / "in.csv"
    data.write_text("people\n3\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["score", str(data), "--out", str(tmp_path / "out"), "--source", str(tmp_path / "nested")]
    )
    assert result.exit_code == 2, result.output
    [line] = [e for e in result.stderr.splitlines() if "inside repeat" in e]
    assert "edge.yaml:" in line and "repeats inside repeats" in line
    assert not (tmp_path / "out").exists()
