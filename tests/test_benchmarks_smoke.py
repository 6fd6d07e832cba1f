"""A tiny run of the benchmark generator and runner: every format is generated from the real
guide, read back and scored, and the table is printed (the real figures: benchmarks/README.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from compiler.loader import load_checked_guide

ROOT = Path(__file__).resolve().parents[1]
N = 6


def _module(name: str):
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generate_and_run_score_every_submission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _module("generate").generate(tmp_path, N, impacts=2, recs=1)
    assert {p.name for p in paths.values()} == {
        "kobo.xlsx",
        "kobo.csv",
        "central.zip",
        "collect.zip",
    }
    rows = _module("run").run(tmp_path, ["kobo-xlsx", "kobo-csv", "central", "collect"])
    table = capsys.readouterr().out
    assert "measurement" in table and "import+score kobo-xlsx" in table
    imports = [r for r in rows if r["what"].startswith("import+score")]
    assert len(imports) == 4
    assert all(r["scored"] == N and r["rejected"] == 0 for r in imports)
    scoring = [r for r in rows if r["what"].startswith("scoring alone")]
    assert len(scoring) == 2
    assert all(r["scored"] >= 1 and r["per_second"] > 0 for r in scoring)
    assert sum(r["scored"] for r in scoring) == N + 1  # the reference scores a tenth


def test_generator_is_reproducible(tmp_path: Path) -> None:
    """The same N and seed write the same bytes (zip members carry a fixed time stamp)."""
    generate = _module("generate").generate
    first = generate(tmp_path / "a", 3, impacts=1, recs=1, consulted=3)
    second = generate(tmp_path / "b", 3, impacts=1, recs=1, consulted=3)
    assert len(first) == 8
    for fmt, path in first.items():
        assert path.read_bytes() == second[fmt].read_bytes(), fmt


def test_consultation_rows_count_every_conversation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The consultation form's exports go through `score_guide_inputs` (routed to their form,
    scored and counted per measure), and the whole `rightguide score` writes its files."""
    consulted = 40
    paths = _module("generate").generate(tmp_path, 0, consulted=consulted)
    assert {p.name for p in paths.values()} == {
        "consultation-kobo.xlsx", "consultation-kobo.csv", "consultation-central.zip",
        "consultation-collect.zip",
    }  # fmt: skip
    run = _module("run")
    formats = [f for f in run.FILES if f.startswith(run.CONSULTATION)]
    rows = run.run(tmp_path, formats, cli=["consultation-kobo-csv"])
    assert "import+score+count consultation central" in capsys.readouterr().out
    imports = [r for r in rows if r["what"].startswith("import+score+count")]
    assert len(imports) == 4
    assert all(r["form"] == "right_guide_consultation" for r in imports)
    assert all(r["scored"] == consulted and r["rejected"] == 0 for r in imports)
    assert len({r["measures"] for r in imports}) == 1 and imports[0]["measures"] >= 3
    (cli,) = [r for r in rows if r["what"].startswith("rightguide score")]
    assert cli["exit"] == 0 and cli["scored"] == consulted and cli["peak_mb"] > 0
    # a row per measure: the people consulted, then one per right and per experience
    guide = load_checked_guide(ROOT / "guide_source")[0]
    per_measure = 1 + len(guide.lists["rights"].names()) + len(guide.lists["experiences"].names())
    assert cli["counts"] == imports[0]["measures"] * per_measure
    assert not any(r["what"].startswith("scoring alone") for r in rows)
