"""Filled self-assessment workbooks are read back by name, whatever their language, and scored
exactly as the evaluator scores the same answers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_workbook import GUIDE_DIR, KNOWN_CASE, fill_cells, visible_answers, workbook_case

from compiler.cli import main
from compiler.emitters.workbook import build_workbook
from compiler.emitters.workbook.layout import plan_layout
from compiler.importer.detect import detect_format
from compiler.loader import load_guide
from compiler.scoring import FormEvaluator
from compiler.scoring.scores import Scorer


def filled_workbook(tmp_path: Path, lang: str) -> tuple[Path, dict]:
    guide = load_guide(GUIDE_DIR)
    case = workbook_case(guide, KNOWN_CASE)
    filled = FormEvaluator(guide).fill(case)
    wb = build_workbook(guide, lang)
    for (sheet, row, col), value in fill_cells(guide, plan_layout(guide, lang), filled).items():
        if isinstance(value, int) and not isinstance(value, bool):  # a date serial
            value = datetime(1899, 12, 30) + timedelta(days=value)
        wb[sheet].cell(row, col).value = value
    path = tmp_path / f"filled_{lang}.xlsx"
    wb.save(path)
    top, rows = visible_answers(guide, filled)
    answers = dict(top)
    answers.update({k: [r for r in v if any(r.values())] for k, v in rows.items()})
    return path, Scorer(guide).score(answers).scores


def run_score(tmp_path: Path, *inputs: Path) -> tuple[int, dict]:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["score", *map(str, inputs), "--out", str(out), "--source", str(GUIDE_DIR)]
    )
    assert "Traceback" not in result.output
    return result.exit_code, json.loads((out / "scores.json").read_text()) if (out / "scores.json").exists() else {}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_filled_workbook_scores_like_the_evaluator(tmp_path: Path, lang: str) -> None:
    path, expected = filled_workbook(tmp_path, lang)
    assert detect_format(path) == "workbook"
    code, doc = run_score(tmp_path, path)
    assert code == 0, doc
    [submission] = doc["submissions"]
    assert submission["scores"] == json.loads(json.dumps(expected))
    assert submission["instance_id"].startswith("workbook:")


def test_same_answers_in_two_languages_are_one_submission(tmp_path: Path) -> None:
    english, _ = filled_workbook(tmp_path, "en")
    french, _ = filled_workbook(tmp_path, "fr")
    code, doc = run_score(tmp_path, english, french)
    assert code == 3
    assert len(doc["submissions"]) == 1
    assert len(doc["rejected"]) == 1 and "duplicate" in doc["rejected"][0]["reason"]
