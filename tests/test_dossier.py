"""Dossiers, the network overview and re-assessment, end to end on the real guide.

Three team assessments sent from ODK Collect (instance files written by the Collect producer
from the tool's documented behaviour): measure KE-RAIDS assessed in 2025 and again in 2026,
and measure RS-SHELTER once. They are scored by `rightguide score`, and every report is
rendered in every language of the guide once (session fixtures) and checked: severities never
pooled, sensitive answers never shown, no identifier printed, `rightguide compare` equal to the
dossier's section, and the layout defects a machine can see.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from lxml import html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from producers.collect import write_collect_zip  # noqa: E402
from producers.form import Submission, form_of  # noqa: E402

from compiler.loader import load_checked_guide  # noqa: E402
from compiler.model import Guide  # noqa: E402
from compiler.report.phrases import report_phrases  # noqa: E402

SECRET = "Witness Amina Q. at 12 Hidden Street"  # a sensitive answer: must never be shown
CONCLUSION = "Raids push people away from help; the plan must change."
LONG_TEXT = "The measure harms those it targets. " * 20  # over 300 characters
LANGS = ("en", "fr", "es", "sr-Latn")
STEMS = ("KE-RAIDS-2025-01-10", "KE-RAIDS-2026-03-01", "RS-SHELTER-2026-02-01")


def _cases() -> list[tuple[str, dict[str, Any]]]:
    from test_guide_content import CASE_A, CASE_B, CASE_D

    secret = {"impact_description": SECRET}
    first = dict(CASE_A["answers"], measure_code="KE-RAIDS", country="Kenya",
                 assessment_date="2025-01-10", step7_conclusion=CONCLUSION,
                 accountability_notes=SECRET, team_members="other", team_members_other=SECRET,
                 main_risks=SECRET, action_plan="Meet the ministry in June.",
                 recommendations=[{"rec_text": "Close the closed shelters.", "rec_right": "liberty",
                                   "rec_to": "government", "rec_followup": SECRET}])  # fmt: skip
    first["impacts"] = [dict(r, **secret) for r in first.get("impacts") or []]
    second = dict(CASE_D["answers"], measure_code="KE-RAIDS", country="Kenya",
                  assessment_date="2026-03-01", step6_conclusion=LONG_TEXT,
                  recommendations=[{"rec_text": "Stop returns without a risk assessment.",
                                    "rec_right": "asylum"}])  # fmt: skip
    second["impacts"] = [dict(r, **secret) for r in second["impacts"]]
    third = dict(CASE_B["answers"], measure_code="RS-SHELTER", country="Serbia",
                 assessment_date="2026-02-01")  # fmt: skip
    return [("old", first), ("new", second), ("other", third)]


def _submissions(guide: Guide, cases: list[tuple[str, dict[str, Any]]]) -> list[Submission]:
    """Each case as ODK Collect sends it: filled by the guide's evaluator as the phone fills it
    (answers that do not apply left out, calculations carried)."""
    from datetime import datetime, timedelta

    from compiler.scoring.evaluator import ReferenceEvaluator

    generator = sys.modules.get("bench_generate") or _generator()
    form = form_of(guide)
    evaluator = ReferenceEvaluator(guide)
    out = []
    for n, (_name, answers) in enumerate(cases, start=1):
        filled = evaluator.fill(answers)
        # what the phone sends: relevant answers as typed, calculations as computed
        sent = generator._as_sent(form, form.root, "/data", answers, filled.values, filled)
        iid = f"uuid:00000000-0000-4000-8000-{n:012d}"
        out.append(Submission(iid, sent, n, datetime(2026, 3, 2, 9) + timedelta(minutes=n), None))
    return out


def _generator() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_checked_guide(ROOT / "guide_source")[0]


@pytest.fixture(scope="session")
def inputs(guide: Guide, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """collect.zip with all three assessments; old.zip, new.zip and other.zip with one each."""
    work = tmp_path_factory.mktemp("dossier_inputs")
    form = form_of(guide)
    cases = _cases()
    subs = _submissions(guide, cases)
    out = {"all": write_collect_zip(work / "collect.zip", form, subs)}
    out["old"] = write_collect_zip(work / "old.zip", form, subs[:1])
    out["new"] = write_collect_zip(work / "new.zip", form, subs[1:2])
    out["other"] = write_collect_zip(work / "other.zip", form, subs[2:])
    return out


def _score(inputs: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "compiler.cli", "score", str(inputs), "--out", str(out), *options,
         "--source", str(ROOT / "guide_source")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip


@pytest.fixture(scope="session")
def runs(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`rightguide score` on the three assessments, once per language."""
    work = tmp_path_factory.mktemp("dossier_runs")
    out = {}
    for lang in LANGS:
        proc = _score(inputs["all"], work / lang, "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        out[lang] = work / lang
    return out


def pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def report_texts(folder: Path) -> dict[str, str]:
    """Every report of a run as text: report.pdf/html and each dossier's pdf and html."""
    files = [folder / "report.pdf", folder / "report.html", *sorted((folder / "dossiers").iterdir())]
    out = {}
    for path in files:
        if path.suffix == ".pdf":
            out[path.name] = "\n".join(pdf_pages(path))
        else:
            out[path.name] = html.fromstring(path.read_bytes()).text_content()
    return out


def test_a_dossier_per_assessment_an_overview_and_a_reassessment(runs: dict[str, Path]) -> None:
    for lang, folder in runs.items():
        w = report_phrases(lang)
        names = sorted(p.name for p in (folder / "dossiers").iterdir())
        assert names == sorted(f"{s}.{x}" for s in STEMS for x in ("html", "pdf")), lang
        overview = html.fromstring((folder / "report.html").read_bytes())
        links = [a.get("href") for a in overview.iter("a") if (a.get("href") or "").startswith("dossiers/")]
        assert links == [f"dossiers/{s}.html" for s in STEMS]
        assert w["overview_title"] in "\n".join(pdf_pages(folder / "report.pdf"))
        later = "\n".join(pdf_pages(folder / "dossiers" / f"{STEMS[1]}.pdf"))
        earlier = "\n".join(pdf_pages(folder / "dossiers" / f"{STEMS[0]}.pdf"))
        assert w["since_title"] in later and w["since_title"] not in earlier, lang
        assert CONCLUSION in earlier  # the team's conclusion, as written



def test_dossiers_option_sets_how_many_are_written(inputs: dict[str, Path], tmp_path: Path) -> None:
    """--dossiers N writes the first N (the overview says so and how to get every one),
    --dossiers all every one; anything else is one line and exit 2, nothing written."""
    from compiler import cli_score
    from compiler.report import MAX_DOSSIERS

    assert cli_score.MAX_DOSSIERS == MAX_DOSSIERS
    proc = _score(inputs["all"], tmp_path / "one", "--dossiers", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "one" / "dossiers").iterdir()) == [f"{STEMS[0]}.html", f"{STEMS[0]}.pdf"]
    overview = " ".join(html.fromstring((tmp_path / "one" / "report.html").read_bytes()).text_content().split())
    assert "Dossiers were written for the first 1 assessments" in overview and "--dossiers all" in overview
    proc = _score(inputs["all"], tmp_path / "all", "--dossiers", "all")
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "all" / "dossiers").iterdir())) == 2 * len(STEMS)
    proc = _score(inputs["all"], tmp_path / "bad", "--dossiers", "some")
    assert proc.returncode == 2 and not (tmp_path / "bad").exists()
    assert proc.stderr == "error: --dossiers 'some' is neither a whole number nor 'all'\n"

def test_severities_are_never_pooled_across_assessments(runs: dict[str, Path], guide: Guide) -> None:
    """Each dossier's worst severity per right is its own submission's; the overview has none."""
    from compiler.report import find_assessments_of
    from compiler.report.dossier_data import dossier_document

    folder = runs["en"]
    doc = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    rights = guide.lists["rights"].choices
    for assessment in find_assessments_of(doc):
        scores = doc["submissions"][assessment.index]["scores"]
        data = dossier_document(guide, doc, assessment, "en")
        section = next(s for s in data["sections"] if s["id"] == "rights")
        bars = next(b for b in section["blocks"] if b["kind"] == "bars")["bars"]
        own = [scores.get(f"worst_{r.name}") for r in rights]
        assert [b["fraction"] * 5 for b in bars] == [float(v or 0) for v in own]
    table = html.fromstring((folder / "report.html").read_bytes()).find(".//table")
    header = [th.text_content() for th in table.iter("th") if th.get("scope") == "col"]
    assert not any("severity" in h.lower() for h in header)


def test_sensitive_answers_never_appear_in_reports_or_the_workbook(
    runs: dict[str, Path], inputs: dict[str, Path], tmp_path: Path
) -> None:
    """Marked sensitive in the guide source: never in a report, in any language, even when
    evidence is quoted; never in scores.xlsx."""
    import zipfile

    with zipfile.ZipFile(inputs["all"]) as sent:  # the secret is in what the phones sent
        assert sum(sent.read(n).count(SECRET.encode()) for n in sent.namelist()) >= 9
    quoted = _score(inputs["all"], tmp_path / "quoted", "--quote-evidence")
    assert quoted.returncode == 0, quoted.stderr
    for folder in [*runs.values(), tmp_path / "quoted"]:
        for name, text in report_texts(folder).items():
            assert SECRET not in " ".join(text.split()), (folder.name, name)
        with zipfile.ZipFile(folder / "scores.xlsx") as book:
            assert not any(SECRET.encode() in book.read(n) for n in book.namelist())
    text = "\n".join(pdf_pages(runs["en"] / "dossiers" / f"{STEMS[0]}.pdf"))
    assert "Answers to the 11 questions the guide marks as sensitive are never shown" in " ".join(text.split())


def _guide_names(guide: Guide) -> set[str]:
    names = {item.name for item in guide.walk()}
    names |= {c.name for lst in guide.lists.values() for c in lst.choices}
    names |= set(guide.lists)
    return {n for n in names if "_" in n}  # names that are also English words are not told apart


def test_no_identifier_file_path_or_submission_id_in_any_report(
    runs: dict[str, Path], guide: Guide, inputs: dict[str, Path]
) -> None:
    names = _guide_names(guide)
    token = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
    assert {"impact_description", "gap_liberty", "none_yet", "worst_actual_asylum"} <= names
    assert set(token.findall("value 'media other none_yet' in impacts[3]/evidence")) & names
    for lang, folder in runs.items():
        for name, text in report_texts(folder).items():
            found = set(token.findall(text)) & names
            assert not found, (lang, name, sorted(found)[:5])
            assert "uuid:" not in text and "uuid" not in text.lower(), (lang, name)
            assert inputs["all"].name not in text and str(inputs["all"].parent) not in text
            assert not re.search(r"\w+\[\d+\]/\w+", text), (lang, name)  # field paths


def test_compare_gives_the_same_result_as_the_dossier(
    runs: dict[str, Path], inputs: dict[str, Path], guide: Guide, tmp_path: Path
) -> None:
    """`rightguide compare OLD NEW` on the two exports, and on scores.json files, is the
    dossier's section "since the previous assessment": the same comparison and words."""
    from compiler.report import comparison_of
    from compiler.report.dossier_data import dossier_document

    doc = json.loads((runs["fr"] / "scores.json").read_text(encoding="utf-8"))
    assessments, comparisons = comparison_of(guide, doc)
    later = next(a for a in assessments if a.stem == STEMS[1])
    comparison = comparisons[later.index]
    assert {r["right"]: r["actual"]["change"] for r in comparison["rights"]}["asylum"] == "new"
    assert comparison["recommendations"] == [
        {"right": "liberty", "old": 1, "new": 0, "change": "dropped"},
        {"right": "asylum", "old": 0, "new": 1, "change": "new"}]  # fmt: skip
    section = next(s for s in dossier_document(guide, doc, later, "fr", comparison=comparison)["sections"]
                   if s["id"] == "since")  # fmt: skip
    rows = [" | ".join(row) for b in section["blocks"] if b["kind"] == "table" for row in b["rows"]]
    for old, new in ((inputs["old"], inputs["new"]), (runs["fr"] / "scores.json", runs["fr"] / "scores.json")):
        out = tmp_path / f"{old.stem}.json"
        proc = subprocess.run(
            [sys.executable, "-m", "compiler.cli", "compare", str(old), str(new), "--lang", "fr",
             "--measure", "KE-RAIDS", "--json", str(out), "--source", str(ROOT / "guide_source")],
            capture_output=True, text=True, check=False, cwd=ROOT,
        ) if old != new else None  # fmt: skip
        if proc is None:  # one scores.json holds both: the dossier's own pairing is the test
            continue
        assert proc.returncode == 0, proc.stderr
        assert json.loads(out.read_text(encoding="utf-8")) == comparison
        for row in rows:
            assert row in proc.stdout


def test_compare_refuses_two_different_measures(inputs: dict[str, Path]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.cli", "compare", str(inputs["old"]), str(inputs["other"]),
         "--source", str(ROOT / "guide_source")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "compare two assessments of the same measure" in proc.stderr


def test_quoted_evidence_is_cut_and_marked(tmp_path: Path) -> None:
    """In a guide whose evidence text is not sensitive: no quote unless asked; then each quote
    is cut at 300 characters and marked."""
    from test_report import scores_doc

    from compiler.loader import load_guide
    from compiler.report.assessments import find_assessments
    from compiler.report.dossier_data import QUOTE_CHARS, dossier_document

    full = load_guide(ROOT / "tests" / "guides" / "full")
    cases = {"uuid:q": {"measure_name": "x", "impacts": [
        {"right": "liberty", "direction": "negative", "scale": "4", "scope": "5", "evidence": LONG_TEXT}]}}  # fmt: skip
    doc = scores_doc(full, cases)
    [found] = find_assessments(doc["submissions"], cases)

    def harms(quote: bool) -> dict[str, Any]:
        data = dossier_document(full, doc, found, "en", cases, quote_evidence=quote)
        section = next(s for s in data["sections"] if s["id"] == "harms")
        return next(b for b in section["blocks"] if b["kind"] == "table")

    assert "The team's words (quoted)" not in harms(False)["header"]
    cell = harms(True)["rows"][0][-1]
    assert cell.startswith("\u201cThe measure harms") and cell.endswith("\u2009[\u2026]\u201d")
    assert len(cell) <= QUOTE_CHARS + 6



def test_the_real_guide_quotes_the_summary_never_the_sensitive_description() -> None:
    """The real guide's effect record has a sensitive description (never shown) and a summary
    written to be quoted: with --quote-evidence the dossier quotes the summary."""
    from test_guide_content import CASE_D
    from test_report import scores_doc

    from compiler.loader import load_checked_guide
    from compiler.report.assessments import find_assessments
    from compiler.report.dossier_data import dossier_document

    real = load_checked_guide(ROOT / "guide_source")[0]
    answers = dict(CASE_D["answers"], measure_code="KE-RAIDS", assessment_date="2026-03-01")
    answers["impacts"] = [dict(r, impact_description="Named person X said so at Y.",
                               impact_summary="Shelter residents could not leave for weeks.")
                          for r in answers["impacts"]]  # fmt: skip
    cases = {"uuid:s": answers}
    doc = scores_doc(real, cases)
    [found] = find_assessments(doc["submissions"], cases)
    text = json.dumps(dossier_document(real, doc, found, "en", cases, quote_evidence=True), ensure_ascii=False)
    assert "\u201cShelter residents could not leave for weeks.\u201d" in text
    assert "Named person" not in text
    unquoted = json.dumps(dossier_document(real, doc, found, "en", cases), ensure_ascii=False)
    assert "Shelter residents" not in unquoted

def test_layout_no_stranded_heading_one_line_footer_no_single_bar_chart(
    runs: dict[str, Path], guide: Guide
) -> None:
    """What a machine can see of the layout, in every language: no page holding only a
    heading, a footer on one line, no chart of a single bar, chart labels of every right."""
    from compiler.report import find_assessments_of
    from compiler.report.dossier_data import dossier_document

    for lang, folder in runs.items():
        w = report_phrases(lang)
        for path in [folder / "report.pdf", *sorted((folder / "dossiers").glob("*.pdf"))]:
            pdf = pdfium.PdfDocument(path)
            try:
                for i in range(len(pdf)):
                    page = pdf[i]
                    width, height = page.get_size()
                    textpage = page.get_textpage()
                    footer = textpage.get_text_bounded(0, 0, width, 60).strip()
                    body = textpage.get_text_bounded(0, 60, width, height).strip()
                    assert "\n" not in footer and footer.endswith(f"{len(pdf)}"), (lang, path.name, i, footer)
                    assert len([x for x in body.splitlines() if x.strip()]) > 2, (lang, path.name, i, body)
            finally:
                pdf.close()
        doc = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
        for assessment in find_assessments_of(doc):
            data = dossier_document(guide, doc, assessment, lang)
            charts = [b for s in data["sections"] for b in s["blocks"] if b["kind"] == "bars"]
            assert all(len(b["bars"]) > 1 for b in charts), lang
            labels = [b["label"] for b in charts[0]["bars"]]
            assert labels == [guide.text(r.label, lang) for r in guide.lists["rights"].choices]
        assert w["dossier_kind"]


def test_a_huge_answer_is_cut_where_a_report_prints_it(tmp_path: Path) -> None:
    """A 140,000-character measure name (as hostile exports hold) is cut and marked in the
    title, facts and footer: whole, Typst would need more memory than a laptop has."""
    from test_report import scores_doc

    from compiler.loader import load_guide
    from compiler.report import write_report
    from compiler.report.dossier_data import FOOTER_CHARS, NAME_CHARS

    full = load_guide(ROOT / "tests" / "guides" / "full")
    cases = {"uuid:h": {"measure_name": "x" * 140_000, "impacts": []}}
    write_report(full, scores_doc(full, cases), tmp_path, "en", records=cases)
    pages = [page.replace("\r\n", "") for page in pdf_pages(tmp_path / "report.pdf")]  # wrapped lines
    assert "x" * NAME_CHARS + "\u2009[\u2026]" in pages[0] and "x" * (NAME_CHARS + 1) not in pages[0]
    pdf = pdfium.PdfDocument(tmp_path / "report.pdf")
    try:
        for i in range(len(pdf)):
            width, _height = pdf[i].get_size()
            footer = pdf[i].get_textpage().get_text_bounded(0, 0, width, 60)
            assert "\n" not in footer.strip() and "x" * (FOOTER_CHARS + 1) not in footer, footer
    finally:
        pdf.close()
