"""`rightguide score --explain ID`: every score of one submission with the value
`rightguide score` gives it, its rule in words and the values it read, on an export of the
real guide written by the producers (benchmarks/producers: the tools' documented behaviour)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.analysis.pipeline import score_inputs, submission_from
from compiler.cli import main
from compiler.expressions.words import formula_sentence
from compiler.importer import FormFields, read_inputs
from compiler.loader import load_checked_guide
from compiler.model import Guide
from compiler.scoring.explain import BLANK, Explainer, explanation_lines

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "guide_source"


def _generate(out: Path, n: int) -> dict[str, Path]:
    spec = importlib.util.spec_from_file_location(
        "bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.generate(out, n, impacts=3, recs=1, seed=5)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _generate(tmp_path_factory.mktemp("explain"), 4)


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_checked_guide(REAL)[0]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["score", *args, "--source", str(REAL)])
    return result.exit_code, result.stdout, result.stderr


def test_explain_shows_every_score_as_scored(exports: dict[str, Path], guide: Guide) -> None:
    path = exports["kobo-xlsx"]
    run = score_inputs(guide, [path])
    scored = run.submissions[1]
    code, out, err = _run(str(path), "--explain", scored.instance_id)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"{scored.instance_id} ({path}")
    english = guide.default_language
    for item in guide.scores():
        label = guide.text(item.label, english)
        heads = [line for line in lines if line.startswith(f"{label} ({item.name}) = ")]
        assert len(heads) == 1, item.name
        rule = formula_sentence(guide, item, english)
        assert f"  rule: {rule}" in lines
    # the values shown are the scores `rightguide score` writes
    explainer = Explainer(guide)
    record = next(r for r in read_inputs([path], FormFields.from_guide(guide))[0]
                  if r.instance_id == scored.instance_id)  # fmt: skip
    explained = explainer.explain(submission_from(record))
    assert {e.item.name: e.value for e in explained} == scored.scores
    assert explanation_lines(explained, guide, english) == lines[1:]


def test_the_values_read_are_the_filled_ones(exports: dict[str, Path], guide: Guide) -> None:
    """Each value listed is what the rule read: the filled value, blank where it does not
    apply; for an aggregate, one value per record that applies."""
    path = exports["kobo-xlsx"]
    records = read_inputs([path], FormFields.from_guide(guide))[0]
    explainer = Explainer(guide)
    checked = aggregated = 0
    for record in records:
        submission = submission_from(record)
        filled = explainer.reference.fill(submission)
        for score in explainer.explain(submission):
            if score.item.repeat is not None:
                continue
            for read in score.reads:
                item = explainer.items[read.name]
                if read.repeat is None:
                    applies = filled.relevant.get(item.xpath, True)
                    value = filled.text(item.name) if applies else ""
                    assert (read.values[0] == BLANK) == (value == ""), (score.item.name, read)
                    if value and (item.list_name or item.result_list) is None:
                        assert read.values[0] == value
                    elif value:
                        assert read.values[0].endswith(f"({value.split()[-1]})")
                    checked += 1
                else:
                    records_in = filled.values[read.repeat]
                    applying = [
                        k for k in range(1, len(records_in) + 1)
                        if filled.relevant.get(f"{explainer.items[read.repeat].xpath}[{k}]", True)
                    ]  # fmt: skip
                    assert len(read.values) == len(applying)
                    assert read.hidden == len(records_in) - len(applying)
                    aggregated += 1
    assert checked > 100 and aggregated > 10


def test_french_rules_and_a_csv_without_repeats(exports: dict[str, Path], guide: Guide) -> None:
    path = exports["kobo-csv"]
    scored = score_inputs(guide, [path]).submissions[0]
    code, out, err = _run(str(path), "--explain", scored.instance_id, "--lang", "fr")
    assert code == 0, err
    assert "carries no repeat records" in out
    item = next(i for i in guide.scores() if i.repeat is None and i.formula is not None)
    assert f"  rule: {formula_sentence(guide, item, 'fr')}" in out.splitlines()
    for name, why in scored.from_export.items():
        assert f"  {why}" in out, name


def test_unknown_id_and_missing_out(exports: dict[str, Path]) -> None:
    code, out, err = _run(str(exports["kobo-xlsx"]), "--explain", "uuid:nobody")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no submission with instance id 'uuid:nobody'" in err
    assert "4 record(s) read" in err
    code, _out, err = _run(str(exports["kobo-xlsx"]))
    assert code == 2 and "--out is required" in err and err.count("\n") == 1
