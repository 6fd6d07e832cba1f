"""The assessment report: report.pdf and report.html from a real scoring of hand-written cases."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from lxml import html

from compiler.diagnostics import UserError
from compiler.loader import load_guide
from compiler.model import Guide, Language
from compiler.report import missing_report_phrase_languages, report_document, write_report
from compiler.report.assessments import find_assessments
from compiler.report.dossier_data import dossier_document
from compiler.report.phrases import report_phrases
from compiler.scoring.scores import Scorer

ROOT = Path(__file__).resolve().parents[1]
SPECIAL = "Held # * _ $ @ < > & [ ] here"
HEADINGS = ("summary_title", "steps_title", "rights_title", "harms_title", "gaps_title", "quality_title",
            "appendix_title")  # fmt: skip

CASES: dict[str, dict[str, Any]] = {
    "uuid:one": {
        "measure_name": "Raids", "signs": "raids detention", "people": "20",
        "status_iccpr": "ratified", "status_cat": "dont_know",
        "impacts": [
            {"right": "liberty", "direction": "negative", "scale": "4", "scope": "5", "evidence": SPECIAL},
            {"right": "health", "direction": "negative", "scale": "2", "scope": "3",
             "evidence": "Compulsory tests."},
            {"right": "health", "direction": "positive", "evidence": "Clinic access."},
        ],
    },
    "uuid:two": {
        "measure_name": "Shelter rules", "signs": "raids", "status_iccpr": "signed",
        "impacts": [{"right": "liberty", "direction": "negative", "scale": "2", "scope": "dk"}],
    },
    "uuid:three": {"measure_name": "Hotline", "has_measure": "no", "impacts": []},
}  # fmt: skip


def scores_doc(guide: Guide, cases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A scores document exactly as `rightguide score` writes it, from real scoring."""
    scorer = Scorer(guide)
    subs = []
    for row, (iid, case) in enumerate(cases.items(), start=2):
        result = scorer.score(case)
        source = {"file": "export.xlsx", "sheet": "data", "row": row}
        issues = [{"field": "people", "message": "people: Between 0 and 100000. (value '-3')",
                   "source": source}] if row == 3 else []  # fmt: skip
        subs.append({"instance_id": iid, "source": source, "form_version": guide.version,
                     "scores": result.scores, "null_reasons": result.reasons, "issues": issues})  # fmt: skip
    rejected = [{"source": {"file": "export.xlsx", "sheet": "data", "row": 9},
                 "reason": "unknown form version 1999", "instance_id": None}]  # fmt: skip
    return {"form_id": guide.form_id, "form_version": guide.version, "submissions": subs,
            "rejected": rejected, "notes": ["2 duplicate rows merged"], "summary": {}}  # fmt: skip


def pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(ROOT / "tests" / "guides" / "full")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_in_each_language(guide: Guide, lang: str, tmp_path: Path) -> None:
    """Three assessments: report.* is the overview, each assessment has its own dossier."""
    doc = scores_doc(guide, CASES)
    paths = write_report(guide, doc, tmp_path, lang, records=CASES)
    assert [p.name for p in paths] == ["report.pdf", "report.html", "dossiers"]
    names = sorted(p.name for p in (tmp_path / "dossiers").iterdir())
    assert names == sorted(f"assessment-{n}-undated.{x}" for n in (1, 2, 3) for x in ("pdf", "html"))
    words = report_phrases(lang)
    overview = pdf_text(tmp_path / "report.pdf")
    assert words["overview_title"] in overview and words["dossier_kind"] not in overview
    page = html.fromstring((tmp_path / "report.html").read_bytes())
    assert page.get("lang") == lang and page.findtext(".//h1") == guide.text(guide.title, lang)
    assert [a.get("href") for a in page.iter("a") if "dossiers/" in (a.get("href") or "")] == [
        f"dossiers/assessment-{n}-undated.html" for n in (1, 2, 3)]
    text = pdf_text(tmp_path / "dossiers" / "assessment-1-undated.pdf")
    for key in HEADINGS:
        assert words[key] in text, key
    for choice in guide.lists["rights"].choices:
        assert guide.text(choice.label, lang) in text
    assert "${" not in text and SPECIAL not in text  # free text is quoted only when asked
    dossier = html.fromstring((tmp_path / "dossiers" / "assessment-1-undated.html").read_bytes())
    assert dossier.get("lang") == lang
    headings = [h.text for h in dossier.iter("h2")]
    assert [h for h in headings if h in {words[k] for k in HEADINGS}] == [words[k] for k in HEADINGS]
    charts = dossier.findall(".//svg")
    assert charts and all(c.get("role") == "img" and c.find("title") is not None for c in charts)
    assert all(c.find("desc").text for c in charts)
    assert dossier.findall(".//th[@scope='col']") and dossier.findall(".//th[@scope='row']")


def test_reports_are_byte_identical_on_rerun(guide: Guide, tmp_path: Path) -> None:
    doc = scores_doc(guide, CASES)
    write_report(guide, doc, tmp_path / "a", "en", records=CASES)
    write_report(guide, doc, tmp_path / "b", "en", records=CASES)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 8
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_worst_first_and_never_pooled_across_assessments(guide: Guide) -> None:
    """Each dossier shows its own assessment's worst severities; the overview shows none."""
    doc = scores_doc(guide, CASES)
    found = find_assessments(doc["submissions"], CASES)
    one = {s["id"]: s for s in dossier_document(guide, doc, found[0], "en", CASES)["sections"]}
    two = {s["id"]: s for s in dossier_document(guide, doc, found[1], "en", CASES)["sections"]}
    bars = next(b for b in one["rights"]["blocks"] if b["kind"] == "bars")["bars"]
    assert [(b["label"], b["text"], b["level"]) for b in bars] == [
        ("Liberty", "4.5", "severe"), ("Health", "2.5", "moderate")]
    bars = next(b for b in two["rights"]["blocks"] if b["kind"] == "bars")["bars"]
    assert [(b["label"], b["text"]) for b in bars] == [("Liberty", "\u2014"), ("Health", "\u2014")]
    harms = next(b for b in one["harms"]["blocks"] if b["kind"] == "table")
    assert [row[0] for row in harms["rows"]] == ["Liberty", "Health"]
    assert [row[2] for row in harms["rows"]] == ["4.5", "2.5"]
    gaps = next(b for b in one["gaps"]["blocks"] if b["kind"] == "table")
    assert gaps["rows"] == [["Liberty", "4.5", "Yes"]]
    overview = report_document(guide, doc, "en", CASES)
    table = next(b for b in overview["sections"][0]["blocks"] if b["kind"] == "table")
    assert len(table["rows"]) == 3 and not any("4.5" in cell for row in table["rows"] for cell in row)


def test_single_assessment_without_records_leaves_sections_out(guide: Guide, tmp_path: Path) -> None:
    doc = scores_doc(guide, {"uuid:one": CASES["uuid:one"]})
    doc["rejected"], doc["notes"] = [], []
    data = report_document(guide, doc, "fr", None)
    ids = [s["id"] for s in data["sections"]]
    assert "harms" not in ids and "accountability" not in ids and ids[0] == "summary"
    summary = data["sections"][0]
    table = next(b for b in summary["blocks"] if b["kind"] == "table")
    assert ["Résultat de l’examen rapide", "Évaluation complète recommandée"] in table["rows"]
    write_report(guide, doc, tmp_path, "fr")
    assert (tmp_path / "report.pdf").read_bytes() == (tmp_path / "dossiers" / "assessment-1-undated.pdf").read_bytes()
    text = pdf_text(tmp_path / "report.pdf")
    assert "Résultat de l’examen rapide" in text and "4,5" in text


def test_language_without_phrases_falls_back_to_english_and_says_so(guide: Guide) -> None:
    german = dataclasses.replace(guide, languages=[*guide.languages, Language("de", "Deutsch")])
    assert missing_report_phrase_languages(german) == ["de"]
    one = {"uuid:one": CASES["uuid:one"]}
    data = report_document(german, scores_doc(german, one), "de", one)
    quality = next(s for s in data["sections"] if s["id"] == "quality")
    assert any("not available in Deutsch" in (b.get("text") or "") for b in quality["blocks"])
    with pytest.raises(UserError, match="unknown language 'xx'"):
        report_document(guide, scores_doc(guide, one), "xx", one)


def test_rights_by_groups_heat_table(guide: Guide, tmp_path: Path) -> None:
    source = tmp_path / "guide"
    shutil.copytree(ROOT / "tests" / "guides" / "full", source)
    choices = source / "choices.yaml"
    choices.write_text(choices.read_text(encoding="utf-8").replace(
        "  rights:\n",
        "  groups:\n    - {name: sex_workers, label: \"Sex workers\"}\n"
        "    - {name: migrants, label: \"Migrant workers\"}\n  rights:\n"), encoding="utf-8")  # fmt: skip
    impacts = source / "impacts.yaml"
    impacts.write_text(impacts.read_text(encoding="utf-8").replace(
        "      - name: direction\n",
        "      - name: affected_group\n        type: select_multiple\n        list: groups\n"
        "        label: Which groups?\n      - name: direction\n"), encoding="utf-8")  # fmt: skip
    grouped = load_guide(source)
    cases = {"uuid:g": {"measure_name": "Raids", "impacts": [
        {"right": "liberty", "affected_group": "sex_workers migrants", "direction": "negative",
         "scale": "4", "scope": "5", "evidence": "Detained."},
        {"right": "liberty", "affected_group": "migrants", "direction": "negative",
         "scale": "2", "scope": "2"},
        {"right": "health", "affected_group": "migrants", "direction": "negative",
         "scale": "3", "scope": "4"},
    ]}}  # fmt: skip
    data = report_document(grouped, scores_doc(grouped, cases), "en", cases)
    rights = next(s for s in data["sections"] if s["id"] == "rights")
    heat = next(b for b in rights["blocks"] if b["kind"] == "heat")
    assert heat["columns"] == ["Sex workers", "Migrant workers"]
    assert [[c["text"] for c in r["cells"]] for r in heat["rows"]] == [["4.5", "4.5"], ["", "3.5"]]
    write_report(grouped, scores_doc(grouped, cases), tmp_path / "out", "en", records=cases)
    page = html.fromstring((tmp_path / "out" / "report.html").read_bytes())
    cells = page.findall(".//table[@class='heat']//td")
    assert [c.get("class") for c in cells[:2]] == ["level-severe", "level-severe"]
    assert "Migrant workers" in pdf_text(tmp_path / "out" / "report.pdf")


def test_long_lists_are_cut_in_the_overview(tmp_path: Path) -> None:
    from support.synthetic import generate_exports

    from compiler.analysis.document import scores_document
    from compiler.analysis.pipeline import score_inputs
    from compiler.loader import load_checked_guide
    from compiler.report import MAX_DOSSIERS
    from compiler.report.report_data import MAX_LISTED

    real = load_checked_guide(ROOT / "guide_source")[0]
    n = MAX_LISTED + 10
    exports = generate_exports(tmp_path, n, impacts=1, recs=0)
    run = score_inputs(real, [exports["kobo-csv"]], keep_answers=True)
    scores = scores_document(real, run, "en")
    doc = report_document(real, scores, "en", run.answers)
    blocks = doc["sections"][0]["blocks"]
    assert len(blocks[1]["rows"]) == MAX_LISTED
    assert blocks[2]["text"] == "10 more rows are not shown here; every one is in scores.csv."
    assert blocks[3]["text"].startswith(f"Dossiers were written for the first {MAX_DOSSIERS} ")


def test_the_answers_kept_for_the_report_give_the_same_report(tmp_path: Path) -> None:
    """`rightguide score` keeps only `answer_names` of each submission for the report (memory);
    the report must be exactly the one made from every answer."""
    from support.synthetic import generate_exports

    from compiler.analysis.document import scores_document
    from compiler.analysis.pipeline import score_inputs
    from compiler.loader import load_checked_guide
    from compiler.report import answer_names

    real = load_checked_guide(ROOT / "guide_source")[0]
    exports = generate_exports(tmp_path, 40, impacts=3, recs=1)
    names = answer_names(real)
    assert "impacts" in names and len(names) < 60
    every = score_inputs(real, [exports["kobo-xlsx"]], keep_answers=True)
    some = score_inputs(real, [exports["kobo-xlsx"]], keep_answers=names)
    assert some.answers.keys() == every.answers.keys()
    assert all(set(a) < set(every.answers[k]) for k, a in some.answers.items())
    scores = scores_document(real, every, "en")
    assert report_document(real, scores, "en", some.answers) == report_document(real, scores, "en", every.answers)
    for found in find_assessments(scores["submissions"], every.answers)[:5]:
        full = dossier_document(real, scores, found, "en", every.answers)
        assert dossier_document(real, scores, found, "en", some.answers) == full
        assert any(s["id"] == "harms" for s in full["sections"])  # made from the kept answers


@pytest.mark.parametrize("lang", ["fr", "es", "sr-Latn"])
def test_empty_scores_give_their_reason_in_the_report_language(lang: str) -> None:
    """scores.json keeps why a score is empty in English; the dossier says it in its language."""
    from test_guide_content import CASE_A, CASE_B, CASE_D

    real = load_guide(ROOT / "guide_source")
    cases = {f"uuid:{n}": c["answers"] for n, c in (("a", CASE_A), ("b", CASE_B), ("d", CASE_D))}
    doc = scores_doc(real, cases)
    w = report_phrases(lang)
    missing = {real.text(i.label, lang): real.text(i.missing, lang) for i in real.scores() if i.missing}
    said = []
    for found in find_assessments(doc["submissions"], cases):
        data = dossier_document(real, doc, found, lang, cases)
        quality = next(s for s in data["sections"] if s["id"] == "quality")
        blocks = quality["blocks"]
        texts = [b.get("text") for b in blocks]
        if w["nulls_title"] in texts:
            said += blocks[texts.index(w["nulls_title"]) + 1]["items"]
    assert said
    for line in said:
        label, _, reason = line.partition(w["colon"] + " ")
        assert reason == w["null_missing"].format(rule=missing[label])


@pytest.mark.parametrize("lang", ["en", "fr", "es", "sr-Latn"])
def test_gaps_and_concerns_are_worded_apart_and_actual_apart_from_potential(
    lang: str, tmp_path: Path
) -> None:
    """On the real guide: a return to persecution (5-1-5, actual, evidenced) is a gap; a severe
    potential harm is a concern, in its own table and words; a harm of unknown severity is
    counted, never shown as no harm (hand-worked case D of test_guide_content)."""
    from test_guide_content import CASE_D

    real = load_guide(ROOT / "guide_source")
    cases = {"uuid:d": CASE_D["answers"]}
    doc = report_document(real, scores_doc(real, cases), lang, cases)
    w = report_phrases(lang)
    label = {c.name: real.text(c.label, lang) for c in real.lists["rights"].choices}
    sections = {s["id"]: s for s in doc["sections"]}
    tables = [b for b in sections["gaps"]["blocks"] if b["kind"] == "table"]
    texts = [b.get("text") for b in sections["gaps"]["blocks"]]
    assert [row[0] for row in tables[0]["rows"]] == [label["asylum"]]
    assert w["concerns_title"] in texts and w["concerns_intro"] in texts
    assert [row[0] for row in tables[1]["rows"]] == [label["privacy"]]
    rights = next(b for b in sections["rights"]["blocks"] if b["kind"] == "table")
    header = rights["header"]
    # one assessment: each worst harm with the confidence of its evidence beside it
    assert header[:5] == [w["right"], w["worst_actual"], w["confidence_actual"],
                          w["worst_potential"], w["confidence_potential"]]  # fmt: skip
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rights["rows"]}
    assert rows[label["health"]][w["unrated"]] == "1"
    assert rows[label["privacy"]][w["worst_actual"]] == "\u2014"
    assert rows[label["privacy"]][w["worst_potential"]] == "4"
    confidence = {c.name: real.text(c.label, lang) for c in real.lists["confidence_of_worst"].choices}
    assert rows[label["asylum"]][w["confidence_actual"]] == confidence["high"]
    assert rows[label["privacy"]][w["confidence_potential"]] == confidence["none"]
    write_report(real, scores_doc(real, cases), tmp_path, lang, records=cases)
    assert w["concerns_title"] in pdf_text(tmp_path / "report.pdf").replace("\r\n", "\n")


def test_an_index_is_shown_with_its_base() -> None:
    """The accountability index never stands alone: its base (how many mechanisms are known)
    is declared in the guide source and shown beside it (hand-worked case A: 43.8, 8 known)."""
    from test_guide_content import CASE_A

    real = load_guide(ROOT / "guide_source")
    cases = {"uuid:a": CASE_A["answers"]}
    doc = report_document(real, scores_doc(real, cases), "en", cases)
    section = next(s for s in doc["sections"] if s["id"] == "accountability")
    texts = [b.get("text") for b in section["blocks"]]
    assert "Accountability index (0 to 100): 43.8 (8 of 17 mechanisms known)" in texts
    summary = next(b for b in doc["sections"][0]["blocks"] if b["kind"] == "table")
    assert ["Accountability index (0 to 100)", "43.8 (8 of 17 mechanisms known)"] in summary["rows"]


def test_characteristics_of_the_people_touched_describe_the_group_not_the_evidence() -> None:
    """An effect record's traits (gender, age, papers...) are shown with its group, never in
    the evidence column."""
    real = load_guide(ROOT / "guide_source")
    record = {"right": "liberty", "affected_group": "sex_workers", "direction": "negative",
              "occurrence": "actual", "scale": "5", "affected_traits": "women undocumented",
              "evidence": "testimony", "evidence_confidence": "high"}  # fmt: skip
    cases = {"uuid:t": {"measure_name": "x", "impacts": [record]}}
    doc = report_document(real, scores_doc(real, cases), "en", cases)
    section = next(s for s in doc["sections"] if s["id"] == "harms")
    table = next(b for b in section["blocks"] if b["kind"] == "table")
    assert table["caption"] == "Actual harms"
    row = dict(zip(table["header"], table["rows"][0], strict=True))
    assert row["Affected group"] == "Sex workers (Women and girls, Without residence papers)"
    assert row["Evidence"] == "Accounts of affected people (interviews, group discussions)"
