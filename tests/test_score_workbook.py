"""Filled self-assessment workbooks are read back by name, whatever their language, and scored
exactly as the evaluator scores the same answers."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import builders as b
from support.cases import random_case
from test_workbook import (
    GUIDE_DIR,
    KNOWN_CASE,
    fill_cells,
    libreoffice_save,
    needs_libreoffice,
    visible_answers,
    workbook_case,
)

from compiler.cli import main
from compiler.emitters.workbook import build_workbook
from compiler.emitters.workbook.layout import Q_ANSWER, T_FIRST_ROW, plan_layout
from compiler.importer import FormFields
from compiler.importer.detect import detect_format
from compiler.importer.readers.workbook import read_workbook
from compiler.importer.readers.workbook_files import AnswerFile
from compiler.loader import load_guide
from compiler.scoring import ReferenceEvaluator
from compiler.scoring.scores import Scorer


def filled_workbook(
    tmp_path: Path, lang: str, typed: dict[tuple[str, int, int], object] | None = None,
    given: dict | None = None, name: str = "filled",
) -> tuple[Path, dict]:  # fmt: skip
    """The workbook of `lang` filled with `given` (KNOWN_CASE) as a user would (labels in its
    language), then `typed` put into cells, saved by openpyxl; and the case's scores."""
    guide = load_guide(GUIDE_DIR)
    case = workbook_case(guide, KNOWN_CASE if given is None else given)
    filled = ReferenceEvaluator(guide).fill(case)
    wb = build_workbook(guide, lang)
    for (sheet, row, col), value in fill_cells(guide, plan_layout(guide, lang), filled).items():
        if isinstance(value, int) and not isinstance(value, bool):  # a date serial
            value = datetime(1899, 12, 30) + timedelta(days=value)
        wb[sheet].cell(row, col).value = value
    for (sheet, row, col), value in (typed or {}).items():
        wb[sheet].cell(row, col).value = value
    path = tmp_path / f"{name}_{lang}.xlsx"
    wb.save(path)
    top, rows = visible_answers(guide, filled)
    answers = dict(top)
    answers.update({k: [r for r in v if any(r.values())] for k, v in rows.items()})
    return path, Scorer(guide).score(answers).scores


def run_score(tmp_path: Path, *inputs: Path, out_name: str = "out") -> tuple[int, dict]:
    out = tmp_path / out_name
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


# -- saved again by LibreOffice (issue 12), as .xlsx and as .ods ------------------------------


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_workbook_saved_by_libreoffice_scores_the_same(tmp_path: Path, fmt: str) -> None:
    """A filled workbook opened and saved by LibreOffice (names written with other
    attributes, cells retyped, shared strings, .ods named ranges) is detected and scores as
    the original: the same scores and the same submission id."""
    original, expected = filled_workbook(tmp_path, "fr")
    saved = libreoffice_save(original, fmt, tmp_path)
    if fmt == "xlsx":  # what the exact-bytes detection missed
        with zipfile.ZipFile(saved) as archive:
            names = archive.read("xl/workbook.xml")
        assert b'<definedName function="false" hidden="false" name="_rg_format"' in names
    assert detect_format(saved) == "workbook"
    code, doc = run_score(tmp_path, original, out_name="original")
    assert code == 0, doc
    [first] = doc["submissions"]
    code, doc = run_score(tmp_path, saved, out_name="saved")
    assert code == 0, doc
    [again] = doc["submissions"]
    assert again["scores"] == first["scores"] == json.loads(json.dumps(expected))
    assert again["instance_id"] == first["instance_id"]
    assert again["issues"] == []
    if fmt == "ods":  # told by content, not by name
        renamed = tmp_path / "renamed.xlsx"
        shutil.copy(saved, renamed)
        assert detect_format(renamed) == "workbook"
        code, doc = run_score(tmp_path, renamed, out_name="renamed")
        assert code == 0 and doc["submissions"][0]["scores"] == first["scores"]


@needs_libreoffice
def test_libreoffice_keeps_every_answer_of_random_cases(tmp_path: Path) -> None:
    """Random answer sets (blanks, every type, up to 25 table rows, both languages) read the
    same from the workbook as filled and once LibreOffice saved it as .xlsx and as .ods."""
    guide = load_guide(GUIDE_DIR)
    fields = FormFields.from_guide(guide)
    rng = random.Random(12)
    filled = tmp_path / "filled"
    filled.mkdir()
    originals = [
        filled_workbook(filled, ("en", "fr")[n % 2], given=random_case(guide, rng, 25), name=f"case{n}")[0]
        for n in range(4)
    ]  # fmt: skip
    for fmt in ("xlsx", "ods"):
        out = tmp_path / fmt
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
             "--convert-to", fmt, "--outdir", str(out), *map(str, originals)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        for original in originals:
            [want] = read_workbook(original, fields).records
            [got] = read_workbook(out / f"{original.stem}.{fmt}", fields).records
            assert got.values == want.values, (fmt, original.name)
            assert {k: [r.values for r in v] for k, v in got.repeats.items()} == {
                k: [r.values for r in v] for k, v in want.repeats.items()
            }, (fmt, original.name)
            assert got.instance_id == want.instance_id
            assert [(i.field, i.message) for i in got.issues] == [(i.field, i.message) for i in want.issues]


# -- invalid answers typed into a workbook: record issues, as in exports -----------------------

BAD_TOP = {"has_measure": "Peut-être", "people": "beaucoup", "start_date": "31/02/2020"}
BAD_IMPACT = {"scale": "énorme"}


def bad_answers_workbook(tmp_path: Path) -> Path:
    """The French workbook filled, then answers typed that the lists and checks do not allow:
    a label not in the list, text in a number cell, a date that is no date, a mark that is
    neither yes nor no for a select_multiple option, a bad label in a table row."""
    guide = load_guide(GUIDE_DIR)
    layout = plan_layout(guide, "fr")
    typed: dict[tuple[str, int, int], object] = {
        (layout.questions_sheet, layout.row_of[name], Q_ANSWER): value
        for name, value in BAD_TOP.items()
    }
    detention = layout.option_rows["signs"][1]  # 'Non' in KNOWN_CASE
    typed[(layout.questions_sheet, detention.row, Q_ANSWER)] = "peut-être"
    table = layout.tables["impacts"]
    scale = next(c for c in table.answer_columns() if c.item is not None and c.item.name == "scale")
    typed[(table.sheet, T_FIRST_ROW, scale.col)] = BAD_IMPACT["scale"]
    path, _ = filled_workbook(tmp_path, "fr", typed)
    return path


def issues_of(doc: dict) -> set[tuple[str, str]]:
    [submission] = doc["submissions"]
    return {(i["field"], i["message"]) for i in submission["issues"]}


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice-xlsx", "libreoffice-ods"])
def test_invalid_answers_are_issues_as_in_kobo_exports(tmp_path: Path, saved_by: str) -> None:
    path = bad_answers_workbook(tmp_path)
    if saved_by != "openpyxl":
        if shutil.which("soffice") is None:
            pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        path = libreoffice_save(path, saved_by.split("-")[1], tmp_path)
    code, doc = run_score(tmp_path, path)
    assert code == 0, doc
    # the same answers in a Kobo XLSX export give these issues
    guide = load_guide(GUIDE_DIR)
    top, rows = visible_answers(guide, ReferenceEvaluator(guide).fill(workbook_case(guide, KNOWN_CASE)))
    impacts = [dict(r) for r in rows["impacts"] if any(r.values())]
    impacts[0].update(BAD_IMPACT)
    kobo = tmp_path / "kobo.xlsx"
    kobo.write_bytes(b.kobo_xlsx([{"id": "uuid:bad", "values": top | BAD_TOP, "impacts": impacts}]))
    code, kobo_doc = run_score(tmp_path, kobo, out_name="kobo")
    assert code == 0, kobo_doc
    expected = issues_of(kobo_doc)
    assert {field for field, _ in expected} >= {*BAD_TOP, *BAD_IMPACT}, expected
    option = ("signs", "'peut-être' for option 'detention' is not 'Oui' or 'Non'")
    assert issues_of(doc) == expected | {option}
    [submission] = doc["submissions"]
    people = next(i for i in submission["issues"] if i["field"] == "people")
    assert people["source"]["sheet"] == "Questions" and people["source"]["row"] > 2


@needs_libreoffice
def test_ods_stream_reads_what_calamine_reads(tmp_path: Path) -> None:
    """The streaming .ods reader gives python-calamine's values, sheet by sheet, and the same
    named ranges as LibreOffice writes as defined names when it saves the workbook as .xlsx."""
    from python_calamine import CalamineWorkbook

    original, _ = filled_workbook(tmp_path, "fr")
    ods = libreoffice_save(original, "ods", tmp_path)
    xlsx = libreoffice_save(original, "xlsx", tmp_path)
    calamine = CalamineWorkbook.from_path(str(ods))
    with AnswerFile(ods) as book:
        names = book.names
        sheets = 0
        for name, rows in book.sheets():
            sheets += 1
            mine = {number: list(cells) for number, cells in rows}
            theirs = {}
            grid = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for number, cells in enumerate(grid, start=1):
                cells = list(cells)
                while cells and cells[-1] == "":
                    cells.pop()
                if cells:
                    theirs[number] = cells
            assert mine == theirs, name
        assert sheets == len(calamine.sheet_names)
    with AnswerFile(xlsx) as book:
        assert names == book.names
    layout = plan_layout(load_guide(GUIDE_DIR), "fr")
    options = [q.row for q in layout.option_rows["signs"]]
    assert names["signs"] == [(layout.questions_sheet, options[0], Q_ANSWER, options[-1], Q_ANSWER)]
