"""`rightguide score` end to end: random submissions filled by JavaRosa (ODK Collect's engine)
are written as ODK Collect instance files, a KoboToolbox XLSX export and an ODK Central
submissions.csv.zip; the score the command reports for each submission must be the score
JavaRosa computed, in every format. Also: duplicates and edits, a foreign form, an older
version, constraint and relevance issues, carried scores, exit codes, byte-identical reruns and
outputs no spreadsheet will execute."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from openpyxl import Workbook, load_workbook
from producers.central import write_central_zip
from producers.collect import write_collect_folder
from producers.form import Form, Submission, form_of
from producers.kobo import kobo_csv_lines, write_kobo_xlsx
from support.cases import nested_case
from support.javarosa import JavaRosa
from support.javarosa_scores import expected_scores, same
from support.phone import submission_from_javarosa

from compiler.analysis.safe_cells import csv_cell, set_cell
from compiler.build import emit_odk
from compiler.cli import main
from compiler.loader import load_checked_guide
from compiler.model import Guide, Item

TEST_GUIDE = Path(__file__).parent / "guides" / "full"
N_CASES = 20
SEED = 20261128
TEXTS = ["Some words", '=HYPERLINK("http://evil.example","click")', "+1+2", "-3", "@SUM(1)", "Zoë"]


# ------------------------------------------------------------------------------ random cases


def _answer(guide: Guide, item: Item, rng: random.Random) -> str | None:
    if rng.random() < 0.2:
        return None
    if item.type == "select_one":
        return rng.choice(guide.lists[item.list_name].names())
    if item.type == "select_multiple":
        names = guide.lists[item.list_name].names()
        chosen = set(rng.sample(names, rng.randint(1, len(names))))
        return " ".join(n for n in names if n in chosen)
    if item.type == "integer":
        return str(rng.choice([0, 3, 12, 40, 250, 200001, rng.randint(0, 5000)]))
    if item.type == "decimal":
        return str(rng.randint(0, 40) / 4)
    if item.type == "date":
        return (date(2000, 1, 1) + timedelta(days=rng.randint(0, 9000))).isoformat()
    return rng.choice(TEXTS)


def random_case(guide: Guide, rng: random.Random) -> dict[str, Any]:
    """Answers for every question (some left out), 0..4 records per repeat."""

    def fill(items: list[Item], repeat: Item | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in items:
            for node in item.walk():
                if node.repeat is not repeat:
                    continue
                if node.is_question and (value := _answer(guide, node, rng)) is not None:
                    out[node.name] = value
                elif node.type == "repeat":
                    out[node.name] = [fill(node.children, node) for _ in range(rng.randint(0, 4))]
        return out

    return fill(guide.sections, None)


# ------------------------------------------------------------------------------ fixtures


@dataclass
class World:
    guide: Guide
    form: Form
    subs: list[Submission]  # what the phones sent, in instance id order
    java: dict[str, dict[str, Any]]  # instance id -> JavaRosa's report
    collect: Path
    kobo: Path
    central: Path
    root: Path


def _value(java: dict[str, Any], path: str) -> str:
    return java["values"].get(path, "") if java["relevant"].get(path, True) else ""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("score")
    guide = load_checked_guide(TEST_GUIDE)[0]
    emit_odk(guide, root / "odk")
    rng = random.Random(SEED)
    cases = [random_case(guide, rng) for _ in range(N_CASES)]
    cases[0]["people"] = "200001"  # a constraint violation for sure
    cases[2].pop("measure_name", None)  # a required question left blank for sure
    cases[1]["impacts"] = [  # a severe harm to liberty for sure
        {
            "right": "liberty",
            "direction": "negative",
            "scale": "4",
            "scope": "5",
            "evidence": "=1+1",
        },
        {"right": "health", "direction": "positive"},
    ]
    with JavaRosa(root / "odk" / f"{guide.form_id}.xml") as jr:
        results = jr.evaluate_many([nested_case(guide, c) for c in cases])
    java: dict[str, dict[str, Any]] = {}
    form = form_of(guide)
    subs: list[Submission] = []
    for number, result in enumerate(results):
        assert "fatal" not in result and not result["errors"], result
        iid = f"uuid:00000000-0000-4000-8000-{number:012d}"
        java[iid] = result
        saved = datetime(2026, 1, 1, 10, 0, number)  # the instance folder ends in -NN
        subs.append(submission_from_javarosa(form, result, iid, number + 1, saved))
    collect = write_collect_folder(root / "instances", form, subs)
    kobo = write_kobo_xlsx(root / "kobo.xlsx", form, subs)
    central = write_central_zip(root / "submissions.csv.zip", form, subs)
    return World(guide, form, subs, java, collect, kobo, central, root)


def run(args: list[str]) -> Any:
    return CliRunner().invoke(main, ["score", *args, "--source", str(TEST_GUIDE)])


def scores_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "scores.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("kind", ["collect", "kobo", "central"])
def test_scores_equal_javarosa_in_every_format(world: World, kind: str, tmp_path: Path) -> None:
    source = getattr(world, kind)
    result = run([str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = scores_of(tmp_path)
    assert len(doc["submissions"]) == N_CASES and doc["rejected"] == []
    for sub in doc["submissions"]:
        expected = expected_scores(world.guide, world.java[sub["instance_id"]])
        if kind == "kobo":  # Kobo leaves out empty repeat records: compare the records it has
            expected = {k: v for k, v in expected.items() if not isinstance(v, list)}
        diffs = {
            k: (sub["scores"][k], v) for k, v in expected.items() if not same(sub["scores"][k], v)
        }
        assert not diffs, (kind, sub["instance_id"], diffs)
        assert not [i for i in sub["issues"] if "recomputed" in i["message"]], sub["issues"]
        assert not [i for i in sub["issues"] if "not apply" in i["message"]], sub["issues"]
        for name, value in sub["scores"].items():
            if value is None:
                assert sub["null_reasons"][name]
    assert sum(s["scores"]["worst_liberty"] is not None for s in doc["submissions"]) >= 1
    # the required measure name, left blank where JavaRosa has it blank, is an issue in every
    # format (ODK Collect would refuse to finalise such a record; exports can carry one)
    blank = {
        iid for iid, java in world.java.items() if not _value(java, "/data/screen/measure_name")
    }
    flagged = {
        s["instance_id"] for s in doc["submissions"]
        if any(i["field"] == "measure_name" and "required, but left blank" in i["message"]
               for i in s["issues"])
    }  # fmt: skip
    assert blank and flagged == blank
    first = next(s for s in doc["submissions"] if s["instance_id"].endswith("0" * 12))
    assert any(
        i["message"] == "QS.6 (people): Between 0 and 100000. (value '200001')"
        for i in first["issues"]
    )
    assert doc["summary"]["overall"]["input_records"] == N_CASES


def test_kobo_csv_without_repeats_takes_the_carried_scores(world: World, tmp_path: Path) -> None:
    """A Kobo CSV has no repeat records but carries the phone's calculations: scores that need
    the records are the carried values, marked; with a calculate column blanked (or NaN, as
    ODK Web Forms writes it), the score is null with its reason and no 'differs' issue."""
    lines = "".join(kobo_csv_lines(world.form, world.subs))
    rows = list(csv.reader(io.StringIO(lines, newline=""), delimiter=";"))
    column = rows[0].index("negatives")
    rows[1][column] = "NaN"
    rows[2][column] = ""
    csv_path = tmp_path / "kobo.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerows(rows)
    out = tmp_path / "out"
    result = run([str(csv_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = scores_of(out)
    assert sum("without repeat data" in n for n in doc["notes"]) == 1
    subs = {s["source"]["row"]: s for s in doc["submissions"]}
    for row, sub in subs.items():
        expected = expected_scores(world.guide, world.java[sub["instance_id"]])
        if row in (2, 3):  # NaN and blank: nothing carried
            assert sub["scores"]["negatives"] is None
            assert "repeat records" in sub["null_reasons"]["negatives"]
            assert "negatives" not in sub["from_export"]
        else:
            assert same(sub["scores"]["negatives"], expected["negatives"])
            assert sub["from_export"]["negatives"] == (
                "from the export: repeat records not in this file"
            )
            assert "negatives" not in sub["null_reasons"]
        assert not [i for i in sub["issues"] if "the export says" in i["message"]], sub["issues"]
        assert same(sub["scores"]["sign_count"], expected["sign_count"])
        assert "sign_count" not in sub["from_export"]  # recomputed, never taken
        assert same(sub["scores"]["commitment"], expected["commitment"])
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    by_id = {s["instance_id"]: " ".join(s["from_export"]) for s in subs.values()}
    assert {r["instance_id"]: r["from_export"] for r in table} == by_id
    dossiers = [p.read_text(encoding="utf-8") for p in sorted((out / "dossiers").glob("*.html"))]
    assert len(dossiers) == len(subs)
    said = ["Scores taken from the export: repeat records not in this file" in d for d in dossiers]
    assert any(said)


def _xml(world: World, number: int) -> Path:
    return next((world.collect).glob(f"*-{number:02d}/*.xml"))


def _edit(path: Path, target: Path, edit) -> Path:
    root = etree.fromstring(path.read_bytes())
    edit(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return target


def _set(root: Any, path: str, text: str) -> None:
    node = root
    for part in path.split("/"):
        found = node.find(part)
        node = found if found is not None else etree.SubElement(node, part)
    node.text = text


def test_duplicates_edits_foreign_and_older_version(world: World, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    # the same submission twice
    shutil.copy(_xml(world, 1), extra.mkdir() or extra / "copy.xml")
    # an edit of submission 2: a new instanceID that deprecates the old one
    edited_id = "uuid:11111111-0000-4000-8000-000000000002"

    def edit(root: Any) -> None:
        _set(root, "meta/deprecatedID", root.find("meta/instanceID").text)
        _set(root, "meta/instanceID", edited_id)

    _edit(_xml(world, 2), extra / "edited.xml", edit)
    # another form
    _edit(_xml(world, 3), extra / "foreign.xml", lambda r: (r.set("id", "other_form"),
          _set(r, "meta/instanceID", "uuid:foreign")))  # fmt: skip
    # an older form version, with a carried score that is wrong and an answer that does not apply
    older_id = "uuid:22222222-0000-4000-8000-000000000004"

    def older(root: Any) -> None:
        root.set("version", "2025010101")
        _set(root, "meta/instanceID", older_id)
        _set(root, "screen/has_measure", "no")
        _set(root, "screen/signs", "raids detention")
        _set(root, "screen/sign_count", "99")

    _edit(_xml(world, 4), extra / "older.xml", older)
    out = tmp_path / "out"
    result = run([str(world.collect), str(extra), "--out", str(out)])
    assert result.exit_code == 3, result.output
    doc = scores_of(out)
    subs = {s["instance_id"]: s for s in doc["submissions"]}
    rejected = doc["rejected"]
    # nothing dropped silently: scored + rejected = every input record
    assert len(subs) + len(rejected) == N_CASES + 4 == doc["summary"]["overall"]["input_records"]
    reasons = {(r["instance_id"], r["reason"].split(" (")[0]) for r in rejected}
    original_2 = "uuid:00000000-0000-4000-8000-000000000002"
    assert (original_2, f"duplicate of {edited_id}") in reasons
    assert ("uuid:foreign", "form 'other_form' is not this guide's form 'test_guide'") in reasons
    assert (
        sum(
            r["reason"].startswith("duplicate of uuid:00000000-0000-4000-8000-000000000001")
            for r in rejected
        )
        == 1
    )
    assert all(r["source"]["file"] for r in rejected)
    assert edited_id in subs and original_2 not in subs
    old = subs[older_id]
    assert old["form_version"] == "2025010101"
    assert any("2025010101" in n for n in doc["notes"])
    messages = {(i["field"], i["message"]) for i in old["issues"]}
    assert (
        "signs",
        "answer to a question that does not apply, ignored (value 'raids detention')",
    ) in messages
    assert ("sign_count", "the export says sign_count = '99', recomputed '0'") in messages
    assert old["scores"]["sign_count"] == 0 and old["scores"]["outcome"] == "none"
    rows = list(csv.reader(io.StringIO((out / "rejected.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + len(rejected)


def test_exit_codes_and_clear_lines(world: World, tmp_path: Path) -> None:
    foreign = _edit(_xml(world, 5), tmp_path / "foreign.xml", lambda r: r.set("id", "other_form"))
    out = tmp_path / "out"
    result = run([str(foreign), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "no usable record" in result.output and "Traceback" not in result.output
    for bad in (tmp_path / "missing.xml", tmp_path / "broken.zip"):
        if bad.suffix == ".zip":
            bad.write_bytes(b"PK\x03\x04 not really a zip")
        result = run([str(bad), "--out", str(out)])
        assert result.exit_code == 2 and not out.exists(), result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and str(bad) in lines[0], result.output
    result = run([str(world.collect), "--out", str(out), "--lang", "xx"])
    assert result.exit_code == 2 and "unknown language 'xx'" in result.output


def test_reruns_are_byte_identical(world: World, tmp_path: Path) -> None:
    inputs = [str(world.collect), str(world.kobo), str(world.central)]
    first, second = tmp_path / "a", tmp_path / "b"
    assert (
        run([*inputs, "--out", str(first), "--lang", "fr"]).exit_code == 3
    )  # duplicates across exports
    assert run([*inputs, "--out", str(second), "--lang", "fr"]).exit_code == 3
    names = sorted(p.name for p in first.iterdir() if not p.name.startswith("."))  # ours: .rightguide
    assert {"scores.json", "scores.csv", "issues.csv", "rejected.csv", "scores.xlsx"} <= set(names)
    assert names == sorted(p.name for p in second.iterdir() if not p.name.startswith("."))
    if importlib.util.find_spec("compiler.report") is not None:  # the report, once it exists
        assert {"report.pdf", "report.html"} <= set(names)
    assert "dossiers" in names
    files = [Path("dossiers", p.name) for p in sorted((first / "dossiers").iterdir())]
    files += [Path(n) for n in names if (first / n).is_file()]
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    doc = scores_of(first)
    assert len(doc["submissions"]) == N_CASES and len(doc["rejected"]) == 2 * N_CASES
    assert [r["right"] for r in doc["summary"]["rights"]] == ["liberty", "health"]
    worst = [
        s["scores"]["worst_liberty"]
        for s in doc["submissions"]
        if s["scores"]["worst_liberty"] is not None
    ]
    assert doc["summary"]["rights"][0]["worst_severity"] == (max(worst) if worst else None)
    assert (
        doc["summary"]["rights"][0]["negative_records"] is None
    )  # the test guide has no negative_<right>
    wb = load_workbook(first / "scores.xlsx")
    assert wb.sheetnames == ["soumissions", "droits", "groupes", "problèmes", "rejetés", "notes"]
    assert (
        len(wb["droits"]._charts) == 1
    )  # worst severity; no negative/positive scores in this guide


def test_outputs_are_injection_safe(world: World, tmp_path: Path) -> None:
    danger = '=HYPERLINK("http://evil.example","x")'
    inputs = tmp_path / "in"
    _edit(_xml(world, 6), inputs / "a.xml", lambda r: _set(r, "meta/instanceID", danger))
    _edit(_xml(world, 7), inputs / "b.xml", lambda r: (_set(r, "meta/instanceID", "@SUM(1)"),
          _set(r, "screen/has_measure", "-2+3")))  # fmt: skip
    out = tmp_path / "out"
    result = run([str(inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("scores.csv", "issues.csv"):
        rows = list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8-sig"))))
        cells = [c for row in rows[1:] for c in row]
        assert "'@SUM(1)" in cells and (f"'{danger}" in cells or name == "issues.csv")
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
        assert not [c for c in cells if c.startswith("-") and not _is_number(c)]
    wb = load_workbook(out / "scores.xlsx")
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    ids = {c.value: c.data_type for c in wb["submissions"]["A"][1:]}
    assert ids[danger] == "s" and ids["@SUM(1)"] == "s"
    numbers = [c for c in wb["submissions"][2] if isinstance(c.value, int | float)]
    assert numbers and all(c.data_type == "n" for c in numbers)
    issues = [c.value for c in wb["issues"]["F"]]
    assert "'-2+3' is not a choice of list 'yes_no_dk'" in issues


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_safe_cells() -> None:
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("+1") == "'+1" and csv_cell("-x") == "'-x"
    assert csv_cell("@a") == "'@a" and csv_cell("\tx") == "'\tx" and csv_cell("\rx") == "'\rx"
    assert csv_cell("plain") == "plain" and csv_cell(None) == "" and csv_cell(-3) == -3
    assert csv_cell(2.5) == 2.5
    ws = Workbook().active
    set_cell(ws["A1"], "=1+2")
    set_cell(ws["A2"], -3)
    set_cell(ws["A3"], "-3")
    assert (ws["A1"].value, ws["A1"].data_type) == ("=1+2", "s")
    assert (ws["A2"].value, ws["A2"].data_type) == (-3, "n")
    assert ws["A3"].data_type == "s"


def test_folder_given_through_dot_dot_is_read(world: World, tmp_path: Path) -> None:
    roundabout = world.collect / ".." / world.collect.name
    result = run([str(roundabout), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(scores_of(tmp_path)["submissions"]) == N_CASES


def test_scores_json_streamed_is_the_same_bytes(tmp_path: Path) -> None:
    """scores.json is written a piece at a time; it must be byte for byte the one-shot text."""
    from compiler.analysis.outputs.json_out import json_bytes, write_json

    doc = {
        "form_id": "f", "language": "fr",
        "submissions": [{"instance_id": f"uuid:{n}", "scores": {"a": n / 3, "b": None},
                         "issues": [{"message": "réponse « hors liste » \u2028 ✓"}]}
                        for n in range(2000)],
        "notes": [], "summary": {},
    }  # fmt: skip
    path = write_json(doc, tmp_path)
    assert path.read_bytes() == json_bytes(doc)
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]  # no temporary file left


def test_a_workbook_saved_through_a_file_is_the_same_bytes(tmp_path: Path) -> None:
    """scores.xlsx is saved through a temporary file, member by member; its bytes must be the
    ones the in-memory path gives, and no temporary file may be left."""
    from openpyxl import Workbook

    from compiler.xlsx_files import save_workbook, workbook_bytes

    wb = Workbook()
    for n in range(3000):
        wb.active.append([f"uuid:{n}", n / 7, "text" if n % 2 else None])
    path = tmp_path / "scores.xlsx"
    save_workbook(wb, path)
    assert path.read_bytes() == workbook_bytes(wb)
    assert [p.name for p in tmp_path.iterdir()] == ["scores.xlsx"]
