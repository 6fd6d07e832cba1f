"""`rightguide score` on an assessment export and a consultation export of the same measure,
in one run: each input is scored with its own form, the consultations are counted per
measure, and the measure's dossier shows the counts in its step 5 evidence, small counts
hidden (including the subtraction case), with the rights people reported but the team did
not record flagged.

The inputs are made by benchmarks/producers/ from the tools' documented behaviour (an ODK
Central submissions.csv.zip of the assessment, a KoboToolbox XLSX export of the
consultations, a phone's folder of ODK Collect instances holding both forms), never by the
importer's code. Answers are filled as the phone fills them (`test_dossier._submissions`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from producers.central import write_central_zip  # noqa: E402
from producers.collect import write_collect_folder  # noqa: E402
from producers.form import form_of  # noqa: E402
from producers.kobo import write_kobo_xlsx  # noqa: E402
from support.libreoffice import Calc  # noqa: E402
from support.pdf_pages import pages_cut_on_the_right  # noqa: E402
from test_dossier import _submissions  # noqa: E402

from compiler.loader import load_checked_guide  # noqa: E402
from compiler.model import Guide  # noqa: E402

CONSULTATION = "right_guide_consultation"
STEM = "KE-RAIDS-2026-03-01"


def _person(measure: str, groups: str = "", consent: str = "yes", **experiences: str) -> dict[str, Any]:
    answers: dict[str, Any] = {"c_measure": measure, "c_adult": "yes", "c_consent": consent}
    if groups:
        answers["c_groups"] = groups
    return {**answers, **{f"exp_{name}": value for name, value in experiences.items()}}


# KE-RAIDS: 16 people agreed (13 sex workers, 3 migrant workers), 2 did not. Held somewhere
# they could not leave: 7 sex workers and 3 migrant workers, so the 3 is hidden, and the 7 too
# (10 - 7 would give it away). Tested without agreeing: 7 sex workers only. EX-RETURN: 3
# people, every count hidden.
PEOPLE = (
    [_person("KE-RAIDS", "sex_workers", held="yes", tested="yes")] * 7
    + [_person("KE-RAIDS", "migrant_workers", held="yes")] * 3
    + [_person("KE-RAIDS", "sex_workers")] * 6
    + [_person("KE-RAIDS", consent="no")] * 2
    + [_person("EX-RETURN", "migrant_workers", sent_back="yes")] * 3
)


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_checked_guide(ROOT / "guide_source")[0]


def _assessment(guide: Guide) -> dict[str, Any]:
    from test_guide_content import CASE_D

    # the team recorded harm to asylum, health, privacy and liberty (hand-worked case D)
    return dict(CASE_D["answers"], measure_code="KE-RAIDS", country="Kenya",
                assessment_date="2026-03-01")  # fmt: skip


def _score(out: Path, *inputs: Path, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "compiler.cli", "score", *map(str, inputs), "--out", str(out),
         "--lang", lang, "--source", str(ROOT / "guide_source")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip


@pytest.fixture(scope="module")
def exports(guide: Guide, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("consultation_exports")
    consultation = guide.form(CONSULTATION)
    team = _submissions(guide, [("team", _assessment(guide))])
    # every phone gives each submission its own UUID: none is the team's
    people = [dataclasses.replace(sub, instance_id=sub.instance_id.replace("uuid:0", "uuid:c"))
              for sub in _submissions(consultation, [(str(n), p) for n, p in enumerate(PEOPLE)])]  # fmt: skip
    return {
        "central": write_central_zip(work / "submissions.csv.zip", form_of(guide), team),
        "kobo": write_kobo_xlsx(work / "consultation.xlsx", form_of(consultation), people),
        "people": people,  # type: ignore[dict-item]
        "team": team,  # type: ignore[dict-item]
        "work": work,
    }


@pytest.fixture(scope="module")
def run(exports: dict[str, Path], guide: Guide, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("consultation_run")
    proc = _score(out, exports["central"], exports["kobo"])
    assert proc.returncode == 0, proc.stderr
    assert f"1 submission(s) of form {guide.form_id} scored" in proc.stderr, proc.stderr
    assert f"21 submission(s) of form {CONSULTATION} scored" in proc.stderr, proc.stderr
    return out


def _rows(table: Any) -> list[list[str]]:
    return [[" ".join(c.text_content().split()) for c in tr.xpath("./td|./th")] for tr in table.xpath(".//tr")]


def _section_tables(page: Path) -> tuple[str, list[list[list[str]]]]:
    tree = html.parse(str(page))
    [section] = tree.xpath("//section[@id='consultation']")
    return " ".join(section.text_content().split()), [_rows(t) for t in section.xpath(".//table")]


def test_the_dossier_shows_the_counts_beside_the_team_records(run: Path, guide: Guide) -> None:
    text, tables = _section_tables(run / "dossiers" / f"{STEM}.html")
    everyone, rights, experiences = tables
    # people consulted: 16 shown; the 3 migrant workers hidden, and the 13 with them
    assert everyone[1] == ["Everyone who agreed to answer", "16", "fewer than 5", "fewer than 5"]
    by_right = {row[0]: row for row in rights[1:]}
    label = {c.name: guide.text(c.label, "en") for c in guide.lists["rights"].choices}
    # held (liberty, movement): 10 people, 7 sex workers and 3 migrant workers: both hidden
    assert by_right[label["movement"]][1:4] == ["10", "fewer than 5", "fewer than 5"]
    # tested without agreeing (health, privacy): 7 sex workers, no one else: shown
    assert by_right[label["privacy"]][1:4] == ["7", "7", "0"]
    assert by_right[label["privacy"]][-1] == "harm recorded"
    assert by_right[label["movement"]][-1] == "no harm recorded"
    held = [row for row in experiences[1:] if row[1] == "10"]
    assert held and held[0][2:4] == ["fewer than 5", "fewer than 5"]
    # movement: reported by people consulted, recorded by no one in the team
    assert f"on which the team recorded no harm: {label['movement']}." in text
    assert "did not agree to answer): fewer than 5." in text  # the 2 who said no
    # no hidden count appears anywhere in the section
    assert not any(cell in ("1", "2", "3", "4", "13") for t in tables for row in t for cell in row[1:])


def test_counts_files_hold_no_hidden_count(run: Path) -> None:
    with (run / "consultations" / "counts.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    returns = [r for r in rows if r["measure"] == "EX-RETURN"]
    assert returns and all(r["total"] in ("<5", "0") for r in returns)
    consulted = next(r for r in rows if r["measure"] == "KE-RAIDS" and r["kind"] == "consulted")
    assert (consulted["total"], consulted["sex_workers"], consulted["migrant_workers"]) == ("16", "<5", "<5")
    doc = json.loads((run / "scores.json").read_text(encoding="utf-8"))
    [entry] = doc["consultations"]
    assert entry["form_id"] == CONSULTATION and entry["scored"] == 21 and entry["rejected"] == 0
    raids = entry["measures"]["KE-RAIDS"]
    assert raids["consulted"] == {"total": 16, "by_group": {"sex_workers": None, "migrant_workers": None}}
    assert raids["excluded"] is None  # 2: hidden too
    # every consultation record is scored in its own file; none is lost
    with (run / "consultations" / CONSULTATION / "scores.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 21
    # the assessment's own files hold the one assessment
    assert len(doc["submissions"]) == 1
    # scores.xlsx: the same counts in words, hidden ones "<5"
    sheet = openpyxl.load_workbook(run / "scores.xlsx", read_only=True)["consultations"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    head = rows[0]
    assert head[:4] == ["Measure", "Counted", "What", "People"]
    columns = [0, 1, 2, 3, head.index("A sex worker"), head.index("A migrant worker, with or without papers")]
    assert ["KE-RAIDS", "People consulted", "People consulted", 16, "<5", "<5"] in [
        [r[i] for i in columns] for r in rows[1:] if len(r) == len(head)]



def test_scores_xlsx_reads_and_prints_in_words(run: Path, guide: Guide, tmp_path: Path) -> None:
    """What LibreOffice showed of scores.xlsx before: long labels run into the next row (no
    row is sized for its wrapped text), a sheet printed portrait with no header row on later
    pages, bold headers in a serif fallback, and a commitment as the choice name 'treaty'."""
    book = openpyxl.load_workbook(run / "scores.xlsx")
    for sheet in book.worksheets:
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9), sheet.title
        assert all(c.font.name == "Calibri" for c in sheet[1] if c.value), sheet.title
    counts = book["consultations"]
    assert counts.sheet_properties.pageSetUpPr.fitToPage and counts.page_setup.fitToWidth == 1
    for row in counts.iter_rows(min_row=2):
        wrapped = [c for c in row if isinstance(c.value, str) and c.alignment.wrap_text]
        width = {c.column_letter: counts.column_dimensions[c.column_letter].width for c in wrapped}
        if any(len(c.value) > width[c.column_letter] * 1.1 for c in wrapped):
            assert (counts.row_dimensions[row[0].row].height or 0) >= 30, [c.value for c in row]
        hidden = [c for c in row if c.value == "<5"]
        assert all(c.alignment.horizontal == "right" for c in hidden)
    # a commitment in words of the run's language, as the dossier says it
    sheet = book["submissions"]
    head = [c.value for c in sheet[1]]
    commitment = guide.items_by_name()["commitment_life"]
    words = {guide.text(c.label, "en") for c in guide.lists[commitment.result_list].choices}
    value = sheet.cell(2, head.index(guide.text(commitment.label, "en")) + 1).value
    assert value in words, value
    # as LibreOffice prints it: every sheet footed with its name, no text off the page
    [pdf] = Calc(tmp_path / "profile").convert([run / "scores.xlsx"], "pdf", tmp_path / "pdf")
    assert pages_cut_on_the_right(pdf) == []


def test_a_phone_folder_with_both_forms_is_split_between_them(exports: dict[str, Any], guide: Guide,
                                                              tmp_path: Path) -> None:  # fmt: skip
    """ODK Collect keeps every form's instances in one folder: each goes to its own form, and
    neither form's run rejects the other's."""
    folder = tmp_path / "instances"
    write_collect_folder(folder, form_of(guide), exports["team"])
    write_collect_folder(folder, form_of(guide.form(CONSULTATION)), exports["people"][:5])
    proc = _score(tmp_path / "out", folder)
    assert proc.returncode == 0, proc.stderr
    assert f"5 submission(s) of form {CONSULTATION} scored" in proc.stderr
    assert "rejected" not in proc.stderr.replace("0 rejected", "")


def test_a_consultation_alone_gives_an_overview_of_people_consulted(exports: dict[str, Any],
                                                                    tmp_path: Path) -> None:  # fmt: skip
    proc = _score(tmp_path / "out", exports["kobo"], lang="fr")
    assert proc.returncode == 0, proc.stderr
    tree = html.parse(str(tmp_path / "out" / "report.html"))
    [section] = tree.xpath("//section[@id='consultations']")
    rows = [r for t in section.xpath(".//table") for r in _rows(t)]
    # no team assessment: said in words, never an empty table
    [overview] = tree.xpath("//section[@id='overview']")
    assert not overview.xpath(".//table") and "seulement des consultations" in overview.text_content()
    none = "aucune : aucune évaluation de cette mesure par l’équipe n’a été lue"  # spaces joined
    assert ["EX-RETURN", "moins de 5", none] in rows and ["KE-RAIDS", "16", none] in rows


def test_explain_finds_a_consultation_record_and_uses_its_form(exports: dict[str, Any], tmp_path: Path) -> None:
    """--explain reads every form's inputs: a consultation's id is explained with the
    consultation's own scores."""
    first = exports["people"][0].instance_id  # 7 sex workers held and tested: the first one
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.cli", "score", str(exports["central"]), str(exports["kobo"]),
         "--explain", first, "--source", str(ROOT / "guide_source")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{first} (") and "consultation.xlsx" in proc.stdout.splitlines()[0]
    assert "c_reported_liberty" in proc.stdout and "worst_actual_liberty" not in proc.stdout
