"""Hostile and broken inputs through the real command (`rightguide score`, `check`, `build`):
each gives the documented exit code, one clear line for a whole-file problem, no traceback,
and the other records still scored. The corpus is tests/hostile/corpus (made by
tests/hostile/make_corpus.py); large cases are made here in tmp."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile import builders as b
from hostile.make_corpus import (
    CASES,
    CONTROL_VERSION,
    CORPUS,
    HOSTILE_TEXTS,
    OLE_MAGIC,
    xxe,
    zip_members,
)
from lxml import html
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from support.libreoffice import Calc

from compiler.analysis.outputs.csv_out import csv_bytes
from compiler.analysis.safe_cells import csv_text, set_cell
from compiler.cli import main
from compiler.diagnostics import UserError, one_line
from compiler.emitters.workbook import workbook_file_bytes
from compiler.importer import FormFields, limits
from compiler.loader import load_guide
from compiler.output_text import ooxml_text, printable
from compiler.xlsx_files import save_workbook

GUIDE = Path(__file__).parent / "guides" / "full"
OUTPUTS = ("scores.json", "scores.csv", "issues.csv", "rejected.csv", "scores.xlsx",
           "report.pdf", "report.html")  # fmt: skip
RESULT_NAMES = (*OUTPUTS, "dossiers", "consultations")  # folders: a dossier per assessment; the counts


def score(tmp: Path, *names: str, out: str = "out") -> tuple[Result, Path]:
    """Run `rightguide score` in tmp on corpus files (copied by name) or files already there."""
    paths = []
    for name in names:
        if not (tmp / name).exists():
            shutil.copy(CORPUS / name, tmp / name)
        paths.append(name)
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp) as cwd:
        for name in names:
            shutil.copy(tmp / name, Path(cwd) / name)
        result = runner.invoke(main, ["score", *paths, "--out", out, "--source", str(GUIDE)])
        out_dir = tmp / "result"
        if (Path(cwd) / out).exists():
            shutil.copytree(Path(cwd) / out, out_dir, dirs_exist_ok=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result, out_dir


def fatal(result: Result, code: int = 2) -> str:
    """The one error line of a fatal run."""
    assert result.exit_code == code, result.output + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def doc(out: Path) -> dict:
    return json.loads((out / "scores.json").read_text(encoding="utf-8"))


def test_corpus_is_what_the_script_makes() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CASES)
    for name, make in CASES.items():
        assert (CORPUS / name).read_bytes() == make(), f"run tests/hostile/make_corpus.py ({name})"


# ------------------------------------------------------------------------------------ XML

DOCTYPE = ("XML with a DOCTYPE is refused (a DTD or entities could read local files or expand "
           "without end); remove the DOCTYPE line")  # fmt: skip


def _grep_outputs(out: Path, secret: str) -> None:
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert secret.encode() not in data and secret.encode("utf-16-le") not in data, path


@pytest.mark.parametrize("name", ["doctype.xml", "billion_laughs.xml"])
def test_doctype_refused_alone(tmp_path: Path, name: str) -> None:
    started = time.monotonic()
    result, _ = score(tmp_path, name)
    assert fatal(result) == (f"error: no usable record in the input(s): 1 rejected; first: "
                             f"{name}: {DOCTYPE}; nothing written")  # fmt: skip
    assert time.monotonic() - started < 20


def test_external_entity_never_read_in_xml_and_zip(tmp_path: Path) -> None:
    secret_text = "S3CRET-do-not-leak-7f1c"
    secret = tmp_path / "secret.txt"
    secret.write_text(secret_text)
    (tmp_path / "xxe.xml").write_bytes(xxe(secret))
    (tmp_path / "xxe.zip").write_bytes(
        b.zip_bytes([("a/xxe.xml", xxe(secret)), ("b/ok.xml", b.collect_xml(b.sample(1)[0]))])
    )
    (tmp_path / "ok.xml").write_bytes(b.collect_xml(b.sample(2)[1]))
    result, out = score(tmp_path, "xxe.xml", "xxe.zip", "ok.xml", "billion_laughs.xml")
    assert result.exit_code == 3
    rejected = doc(out)["rejected"]
    assert {(r["source"]["file"], r["source"]["sheet"], r["reason"]) for r in rejected} == {
        ("xxe.xml", None, DOCTYPE), ("xxe.zip", "a/xxe.xml", DOCTYPE),
        ("billion_laughs.xml", None, DOCTYPE),
    }  # fmt: skip
    assert len(doc(out)["submissions"]) == 2  # the others still scored
    _grep_outputs(out, secret_text)


def test_xform_reading_refuses_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("S3CRET")
    form = (f'<?xml version="1.0"?><!DOCTYPE h:html [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>&x;</h:title>'
            "</h:head></h:html>").encode()  # fmt: skip
    with pytest.raises(UserError) as error:
        FormFields.from_xform(form)
    assert str(error.value) == f"XForm: {DOCTYPE}"
    with pytest.raises(UserError, match="DOCTYPE is refused"):
        FormFields.from_xform(CASES["billion_laughs.xml"]())


# ------------------------------------------------------------------------------------ zips


def test_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("test_guide.csv", b"SubmissionDate,KEY\r\n" + bytes(40 * limits.MIB))
    assert bomb.stat().st_size < limits.MIB
    result, out = score(tmp_path, "bomb.zip")
    line = fatal(result)
    assert line.startswith("error: bomb.zip: 'test_guide.csv' is compressed ")
    assert line.endswith(f"to 1, more than {limits.MAX_RATIO} to 1; refused (is it a zip bomb?)")
    assert not out.exists()


def test_zip_past_size_limits_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.zip").write_bytes(b.central_zip(b.sample(50)))
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", 1000)
    result, _ = score(tmp_path, "big.zip")
    assert "bytes, more than 1000; refused (is it a zip bomb?)" in fatal(result)
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", 512 * limits.MIB)
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_BYTES", 1000)
    result, _ = score(tmp_path, "big.zip", out="again")
    assert fatal(result).startswith("error: big.zip: the zip would unpack to ")
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_BYTES", 2048 * limits.MIB)
    (tmp_path / "book.xlsx").write_bytes(b.kobo_xlsx(b.sample(50)))
    monkeypatch.setattr(limits, "MAX_SHEET_BYTES", 1000)
    result, _ = score(tmp_path, "book.xlsx", out="xlsx")
    assert re.fullmatch(
        r"error: book.xlsx: 'xl/worksheets/sheet\d+.xml' would unpack to \d+ bytes, more than "
        r"1000; refused \(is it a zip bomb\?\)",
        fatal(result),
    )


def test_xlsx_worksheets_may_pass_the_member_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine streams a worksheet: a big export's sheet is read, other members are not."""
    (tmp_path / "book.xlsx").write_bytes(b.kobo_xlsx(b.sample(50)))
    with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
        sizes = {i.filename: i.file_size for i in archive.infolist()}
    sheets = [size for name, size in sizes.items() if name.startswith("xl/worksheets/")]
    others = [size for name, size in sizes.items() if not name.startswith("xl/worksheets/")]
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", max(others))
    assert max(sheets) > max(others)
    result, out = score(tmp_path, "book.xlsx")
    assert result.exit_code == 0, result.output + result.stderr
    assert len(doc(out)["submissions"]) == 50


@pytest.mark.parametrize("name", ["zip_slip_central.zip", "zip_slip_collect.zip"])
def test_zip_member_paths_never_written(tmp_path: Path, name: str) -> None:
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*")}
    result, out = score(work, name)
    assert result.exit_code == 0, result.stderr
    after = {p for p in tmp_path.rglob("*")} - before
    assert all(work in p.parents or p == work for p in after), after
    assert not Path("/tmp/rightguide_absolute.csv").exists()
    assert not Path("/tmp/rightguide_absolute.xml").exists()
    assert len(doc(out)["submissions"]) in (2, 3)


def test_nested_zip_is_noted_not_opened(tmp_path: Path) -> None:
    result, out = score(tmp_path, "nested.zip")
    assert result.exit_code == 0
    assert ("nested.zip: 1 zip file(s) inside the zip not opened ('more/inner.zip'); "
            "unzip them and give them as inputs") in doc(out)["notes"]  # fmt: skip
    assert len(doc(out)["submissions"]) == 1


def test_corrupt_zip(tmp_path: Path) -> None:
    result, _ = score(tmp_path, "corrupt.zip")
    assert fatal(result) == "error: corrupt.zip: not a readable zip file; download the export again"


# ------------------------------------------------------------------------------ spreadsheets

SPREADSHEETS = {
    "csv_named.xlsx": "text (a CSV file?) saved as .xlsx, not a workbook; rename it to .csv or "
    "export XLSX again",
    "html_named.xlsx": "an HTML or XML page saved as .xlsx, not a workbook; export the data as "
    "XLSX again",
    "encrypted.xlsx": "a password-protected (encrypted) or old-format .xls workbook; remove the "
    "password, or save it as .xlsx, and try again",
    "corrupt.xlsx": "not a readable zip file (File is not a zip file); download the export again",
}


@pytest.mark.parametrize("name", sorted(SPREADSHEETS))
def test_broken_workbooks(tmp_path: Path, name: str) -> None:
    result, _ = score(tmp_path, name)
    assert fatal(result) == f"error: {name}: {SPREADSHEETS[name]}"


def test_encrypted_workbook_with_format_given(tmp_path: Path) -> None:
    (tmp_path / "locked.xlsx").write_bytes(OLE_MAGIC + bytes(1024))
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(tmp_path / "locked.xlsx"), "--format", "kobo-xlsx",
                                  "--out", str(tmp_path / "o"), "--source", str(GUIDE)])  # fmt: skip
    assert "password-protected" in fatal(result)


def _sheet_xlsx(path: Path, sheet_xml: str) -> None:
    """A minimal workbook with one sheet 'Test guide' holding sheet_xml."""
    ns = 'xmlns="http://schemas.openxmlformats.org/'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": f'<Types {ns}package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships {ns}package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns}spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>'
        '<sheet name="Test guide" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships {ns}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}spreadsheetml/2006/main">{sheet_xml}</worksheet>',
    }
    path.write_bytes(b.zip_bytes([(k, v.encode()) for k, v in parts.items()]))


def _row(number: int, cells: list[str], first: str = "A") -> str:
    return f'<row r="{number}">' + "".join(
        f'<c r="{chr(ord(first) + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(cells)
    ) + "</row>"  # fmt: skip


def test_million_empty_rows_read_fast(tmp_path: Path) -> None:
    head = _row(1, ["measure_name", "people", "meta/instanceID"])
    _sheet_xlsx(tmp_path / "dimension.xlsx", '<dimension ref="A1:Z1000000"/><sheetData>' + head
                + _row(2, ["a", "3", "uuid:a"]) + "</sheetData>")  # fmt: skip
    _sheet_xlsx(tmp_path / "far.xlsx", '<dimension ref="A1:Z1000000"/><sheetData>' + head
                + _row(2, ["b", "4", "uuid:b"]) + _row(1000000, ["c", "5", "uuid:c"])
                + '<row r="1000001"><c r="Z1000001" t="inlineStr"><is><t>z</t></is></c></row>'
                "</sheetData>")  # fmt: skip
    started = time.monotonic()
    result, out = score(tmp_path, "dimension.xlsx", "far.xlsx")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    rows = {(s["source"]["file"], s["source"]["row"]) for s in doc(out)["submissions"]}
    assert rows == {("dimension.xlsx", 2), ("far.xlsx", 2), ("far.xlsx", 1000000),
                    ("far.xlsx", 1000001)}  # fmt: skip
    far = next(s for s in doc(out)["submissions"] if s["source"]["row"] == 1000001)
    # the value past the last header is reported, not dropped
    assert [i["message"] for i in far["issues"]] == [
        "column 26 has no header; value 'z' not used",
        "QS.1 (measure_name): required, but left blank (ODK Collect would not finalise such a "
        "record)",
    ]
    assert elapsed < 20, elapsed


def test_cells_over_excel_limit(tmp_path: Path) -> None:
    long = "x" * 40_000
    subs = b.sample(2)
    subs[0]["values"]["signs"] = long  # not a choice: the issue message carries it
    subs[1]["values"]["measure_name"] = long
    (tmp_path / "long.csv").write_bytes(b.kobo_csv(subs))  # a workbook cannot hold them
    result, out = score(tmp_path, "long.csv")
    assert result.exit_code == 0, result.stderr
    assert any(long in i["message"] for s in doc(out)["submissions"] for i in s["issues"])
    wb = load_workbook(out / "scores.xlsx", read_only=True)
    lengths = [len(str(c)) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c]
    assert max(lengths) == limits.XLSX_MAX_CELL_CHARS
    assert any(str(c).endswith("characters in all; see scores.json]")
               for row in wb["issues"].iter_rows(values_only=True) for c in row if c)  # fmt: skip


# --------------------------------------------------------------- self-assessment workbooks

QUESTIONS_SHEET = "xl/worksheets/sheet2.xml"


@pytest.fixture(scope="module")
def workbook_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue 13: the test guide's real workbook, its questions sheet swapped for 172 MB of rows
    that compress past MAX_RATIO (a file of this kind ran 10 minutes, memory growing)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    data = workbook_file_bytes(load_guide(GUIDE), "en")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as out:
        assert QUESTIONS_SHEET in source.namelist()
        for info in source.infolist():
            if info.filename != QUESTIONS_SHEET:
                out.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
                continue
            sheet = zipfile.ZipInfo(QUESTIONS_SHEET, b.ZIP_TIME)
            sheet.compress_type = zipfile.ZIP_DEFLATED
            with out.open(sheet, "w") as handle:
                handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                             b'2006/main"><sheetData>')  # fmt: skip
                rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 100_000  # 5 MB
                for _ in range(35):
                    handle.write(rows)
                handle.write(b"</sheetData></worksheet>")
    return path


@pytest.mark.parametrize("fmt", [None, "workbook", "kobo-xlsx"])
def test_workbook_bomb_refused_fast(workbook_bomb: Path, tmp_path: Path, fmt: str | None) -> None:
    """Detection and both readers check the zip limits before reading: one line, exit 2."""
    with zipfile.ZipFile(workbook_bomb) as archive:
        info = archive.getinfo(QUESTIONS_SHEET)
    assert workbook_bomb.stat().st_size < limits.MIB and info.file_size > 170_000_000
    ratio = info.file_size / info.compress_size
    started = time.monotonic()
    given = ["--format", fmt] if fmt else []
    result = CliRunner().invoke(main, ["score", str(workbook_bomb), *given, "--out",
                                       str(tmp_path / "o"), "--source", str(GUIDE)])  # fmt: skip
    assert fatal(result) == (f"error: {workbook_bomb}: '{QUESTIONS_SHEET}' is compressed {ratio:.0f} "
                             f"to 1, more than {limits.MAX_RATIO} to 1; refused (is it a zip bomb?)")  # fmt: skip
    assert time.monotonic() - started < 20
    assert not (tmp_path / "o").exists()


def test_workbook_ods_rows_repeated_refused(tmp_path: Path) -> None:
    """A filled row repeated a million times (number-rows-repeated, 1 KB of .ods) is read as a
    stream up to the table's row limit, never expanded into a grid."""
    started = time.monotonic()
    result, _ = score(tmp_path, "workbook_rows_repeated.ods")
    assert fatal(result) == (
        "error: workbook_rows_repeated.ods [Impacts]: more than 100000 filled rows in the table "
        "'impacts'; refused (a workbook holds one assessment)"
    )
    assert time.monotonic() - started < 20


def test_not_a_self_assessment_workbook(tmp_path: Path) -> None:
    """A Kobo export given as a workbook, and an .ods that is not one: one line each."""
    (tmp_path / "kobo.xlsx").write_bytes(b.kobo_xlsx(b.sample(1)))
    result = CliRunner().invoke(main, ["score", str(tmp_path / "kobo.xlsx"), "--format", "workbook",
                                       "--out", str(tmp_path / "o"), "--source", str(GUIDE)])  # fmt: skip
    assert fatal(result) == (
        f"error: {tmp_path / 'kobo.xlsx'}: not a self-assessment workbook of `rightguide build` "
        "(it has no defined name _rg_format); give the workbook built for this guide, filled in"
    )
    with zipfile.ZipFile(io.BytesIO(CASES["workbook_small.ods"]())) as archive:
        members = [(n, archive.read(n).replace(b'name="_rg_', b'name="x_')) for n in archive.namelist()]
    (tmp_path / "plain.ods").write_bytes(b.zip_bytes(members))
    result, _ = score(tmp_path, "plain.ods")
    assert fatal(result) == (
        "error: plain.ods: not a self-assessment workbook of `rightguide build` (no defined name "
        "_rg_format); only those are read as .ods: export the data as XLSX or CSV"
    )


@pytest.mark.parametrize(("name", "line"), [
    ("workbook_cut.ods", "workbook_cut.ods: not a readable .ods spreadsheet (content.xml: Couldn't "
                         "find end of Start Tag na, line 2, column 2937); save it again"),
    ("workbook_doctype.ods", f"workbook_doctype.ods [content.xml]: {DOCTYPE}"),
])  # fmt: skip
def test_broken_ods(tmp_path: Path, name: str, line: str) -> None:
    result, _ = score(tmp_path, name)
    assert fatal(result) == f"error: {line}"


def test_workbook_ods_read(tmp_path: Path) -> None:
    result, out = score(tmp_path, "workbook_small.ods")
    assert result.exit_code == 0, result.stderr
    [submission] = doc(out)["submissions"]
    assert submission["instance_id"].startswith("workbook:")
    assert submission["scores"]["negatives"] == 2


# ------------------------------------------------------------------------------------ text


@pytest.mark.parametrize("name", ["utf16.csv", "latin1.csv", "bom.csv"])
def test_encodings(tmp_path: Path, name: str) -> None:
    result, out = score(tmp_path, name)
    assert result.exit_code == 0, result.stderr
    names = [s["instance_id"] for s in doc(out)["submissions"]]
    assert len(names) == 2 and all(n.startswith("uuid:") for n in names)
    latin = [n for n in doc(out)["notes"] if "Windows-1252" in n]
    assert latin == ([f"{name}: not UTF-8; read as Windows-1252 (cp1252): check accented letters"]
                     if name == "latin1.csv" else [])  # fmt: skip


def test_utf16_without_bom_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "nobom.csv").write_bytes(b.kobo_csv(b.sample(1)).decode().encode("utf-16-le"))
    result, _ = score(tmp_path, "nobom.csv", )
    assert fatal(result) == ("error: nobom.csv: the file holds NUL bytes (UTF-16 without a byte "
                             "order mark, or not text); export it again as UTF-8")  # fmt: skip


def test_mixed_line_endings(tmp_path: Path) -> None:
    result, out = score(tmp_path, "mixed_endings.csv")
    assert result.exit_code == 0
    assert [s["source"]["row"] for s in doc(out)["submissions"]] == [2, 3, 4]
    assert all(not s["issues"] for s in doc(out)["submissions"])


def test_truncated_last_line(tmp_path: Path) -> None:
    result, out = score(tmp_path, "truncated.csv")
    assert result.exit_code == 0
    subs = doc(out)["submissions"]
    assert len(subs) == 3
    assert [i["message"] for i in subs[2]["issues"]] == [
        "the row has 10 of 12 cells (cut short?); the missing ones are read as blank"
    ]
    result, out = score(tmp_path, "truncated_quote.csv", out="q")
    assert ("truncated_quote.csv: the file ends inside a quoted value, so it may be cut short; "
            "the last record is read as it stands") in doc(out)["notes"]  # fmt: skip


def test_empty_and_header_only(tmp_path: Path) -> None:
    result, _ = score(tmp_path, "empty.csv")
    assert fatal(result) == "error: empty.csv: the file is empty; export the data again"
    result, _ = score(tmp_path, "header_only.csv")
    assert fatal(result) == (
        "error: header_only.csv: no record to score (a header without rows?); nothing written"
    )


# ------------------------------------------------------------------------------- semantics


def test_other_form(tmp_path: Path) -> None:
    result, _ = score(tmp_path, "other_form.csv")
    foreign = ("no column matches a question of form 'test_guide': an export of another form? "
               "Export the data of this guide's form")  # fmt: skip
    assert fatal(result) == (
        f"error: no usable record in the input(s): 1 rejected; first: other_form.csv row 2: "
        f"{foreign}; nothing written"
    )
    # beside other inputs, a foreign Kobo export is rejected row by row and the rest scored,
    # as a foreign Central export is
    (tmp_path / "ok.xml").write_bytes(b.collect_xml(b.sample(1)[0]))
    result, out = score(tmp_path, "other_form.csv", "ok.xml", out="mixed")
    assert result.exit_code == 3, result.stderr
    assert [(r["source"]["file"], r["source"]["row"], r["reason"]) for r in doc(out)["rejected"]] == [
        ("other_form.csv", 2, foreign)
    ]
    assert len(doc(out)["submissions"]) == 1
    result, out = score(tmp_path, "other_form.xml", "ok.xml", out="xml")
    assert result.exit_code == 3
    assert [r["reason"] for r in doc(out)["rejected"]] == [
        "form 'another_form' is not this guide's form 'test_guide'"
    ]
    assert "rejected: other_form.xml: form 'another_form' is not this guide's form 'test_guide'" in (
        result.stderr.splitlines()
    )


def test_older_version(tmp_path: Path) -> None:
    result, out = score(tmp_path, "older_version.xml")
    assert result.exit_code == 0
    assert ("older_version.xml: 1 record(s) collected with form version '2025010101' (this form "
            "is '2026112801'); fields matched by name") in doc(out)["notes"]  # fmt: skip
    assert doc(out)["submissions"][0]["issues"][0]["message"] == (
        "collected with form version '2025010101', not '2026112801'; fields matched by name"
    )


def test_duplicates(tmp_path: Path) -> None:
    result, out = score(tmp_path, "duplicates.csv")
    assert result.exit_code == 3
    assert [(r["source"]["row"], r["reason"]) for r in doc(out)["rejected"]] == [
        (4, "duplicate of uuid:00000000-0000-4000-8000-000000000000 (the same submission read "
            "twice: duplicates.csv row 2)"),
        (5, "duplicate of uuid:00000000-0000-4000-8000-000000000001 (the same submission read "
            "twice: duplicates.csv row 3)"),
    ]  # fmt: skip


def test_orphan_repeat_rows(tmp_path: Path) -> None:
    result, out = score(tmp_path, "orphan_repeat.zip", "orphan_repeat.xlsx")
    assert result.exit_code == 3
    reasons = [(r["source"]["file"], r["source"]["row"], r["reason"]) for r in doc(out)["rejected"]]
    assert (
        "orphan_repeat.zip", 4,
        "repeat row of 'impacts' points to parent 'uuid:nobody-0', which is not in the input",
    ) in reasons  # fmt: skip
    assert ("orphan_repeat.xlsx", 4, "repeat row of 'impacts' points to parent row _index "
            "'9000' of the main sheet, which is not in the input") in reasons  # fmt: skip
    assert len(reasons) == 5 and sum("duplicate of" in r[2] for r in reasons) == 2
    # the same submissions in both: kept once, their impacts still attached
    assert len(doc(out)["submissions"]) == 2
    assert all(s["scores"]["negatives"] == 1 for s in doc(out)["submissions"])


def test_select_value_not_in_list(tmp_path: Path) -> None:
    result, out = score(tmp_path, "bad_select.csv")
    assert result.exit_code == 0
    messages = [(i["field"], i["message"]) for i in doc(out)["submissions"][0]["issues"]]
    assert ("has_measure", "'maybe' is not a choice of list 'yes_no_dk'") in messages
    assert ("signs", "'fireworks' not in choice list 'signs'") in messages


# ------------------------------------------------------------------------- formula injection


def test_formula_injection_never_reaches_a_spreadsheet(tmp_path: Path) -> None:
    name = "=cmd.csv"  # a hostile file name too
    (tmp_path / name).write_bytes(CASES["injection.csv"]())
    result, out = score(tmp_path, name)
    assert result.exit_code == 0, result.stderr
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    for csv_name in ("scores.csv", "issues.csv", "rejected.csv"):
        text = (out / csv_name).read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not cell.startswith(dangerous), (csv_name, cell)
    scores_text = (out / "scores.csv").read_bytes().decode("utf-8-sig")
    scores_rows = list(csv.DictReader(io.StringIO(scores_text, newline="")))
    assert {r["instance_id"] for r in scores_rows} == {"'" + t for t in HOSTILE_TEXTS}
    assert all(r["file"] == "'=cmd.csv" for r in scores_rows)
    assert {r["sign_count"] for r in scores_rows} == {"0"}  # numbers stay numbers
    wb = load_workbook(out / "scores.xlsx")
    seen: set[str] = set()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
                elif cell.value is not None:
                    assert cell.data_type == "n"
    assert set(HOSTILE_TEXTS) <= seen  # kept exactly as collected, as text
    assert "=cmd.csv" in seen
    issues = {i["message"] for s in doc(out)["submissions"] for i in s["issues"]}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")' is not a choice of list 'yes_no_dk'" in issues


# --------------------------------------------------------------------------- atomic outputs


def test_failed_write_leaves_previous_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.xml").write_bytes(b.collect_xml(b.sample(1)[0]))
    result, out = score(tmp_path, "ok.xml")
    assert result.exit_code == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}

    import compiler.analysis.outputs.xlsx_out as xlsx_out

    def broken(*_args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_out, "write_xlsx", broken)
    (tmp_path / "other.xml").write_bytes(b.collect_xml(b.sample(2)[1]))
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(tmp_path / "other.xml"), "--out", str(out),
                                  "--source", str(GUIDE)])  # fmt: skip
    assert fatal(result) == f"error: {out}: cannot write the results (No space left on device)"
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before  # untouched
    assert [p.name for p in (out / ".rightguide" / "runs").iterdir()] == []  # no run folder left


# --------------------------------------------------------------------------- guide sources


def _guide(tmp_path: Path) -> Path:
    source = tmp_path / "guide"
    shutil.copytree(GUIDE, source)
    return source


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefg", "bcdefgh", strict=True)
)

GUIDE_CASES = {
    "malformed": ("screen.yaml", b"name: screen\ncode: QS\nitems: [\n  - name: x\n",
                  "guide/screen.yaml:4:3: YAML syntax error: expected the node content, but found '-'"),
    "alias_bomb": ("screen.yaml", ALIAS_BOMB.encode(),
                   "guide/screen.yaml: more than 200000 values (alias expansion?); refusing to load"),
    "not_utf8": ("screen.yaml", b"name: screen\nlabel: caf\xe9\n",
                 "guide/screen.yaml:2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "missing": ("screen.yaml", None, "guide/screen.yaml: file not found (named in guide.yaml)"),
    "po_syntax": ("locale/fr.po", b"msgid \"\"\nmsgstr \"\"\n\nthis is not po\nmsgid \"x\"\n",
                  "/locale/fr.po:4: cannot read translations: gettext syntax error; fix that line"),
    # polib alone would accept this and drop the last character of the translation
    "po_unclosed_quote": ("locale/fr.po", b'msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr "Bonjour\n',
                          "/locale/fr.po:5: cannot read translations: the text is not one quoted "
                          'string (an unclosed or stray "); fix that line'),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(GUIDE_CASES))
@pytest.mark.parametrize("command", ["check", "build"])
def test_broken_guide_source(tmp_path: Path, case: str, command: str) -> None:
    name, data, expected = GUIDE_CASES[case]
    source = _guide(tmp_path)
    if case.startswith("po_") and not (source / "locale").is_dir():
        pytest.skip("the test guide has no translations folder")
    if data is None:
        (source / name).unlink()
    else:
        (source / name).write_bytes(data)
    args = [command, "--source", str(source)] + (["--out", str(tmp_path / "o")] if command == "build" else [])
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    assert time.monotonic() - started < 20
    assert result.exit_code == 1, result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert expected in lines[0].replace(str(tmp_path), ""), lines[0]
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").rglob("*.xml"))


# ------------------------------------------------------------------------ special input files


def score_here(tmp: Path, *args: str) -> Result:
    """`rightguide score` run in tmp on files made there (links, pipes: never copied)."""
    old = Path.cwd()
    os.chdir(tmp)
    try:
        result = CliRunner().invoke(main, ["score", *args, "--source", str(GUIDE)])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result


def _collect_folder(tmp: Path) -> None:
    """A phone's instances folder with one good file, a named pipe, a link to a file outside
    and a link to a folder outside (whose files would be scored if links were followed)."""
    subs = b.sample(3)
    (tmp / "instances" / "a").mkdir(parents=True)
    (tmp / "instances" / "b").mkdir()
    (tmp / "outside").mkdir()
    (tmp / "instances" / "a" / "a.xml").write_bytes(b.collect_xml(subs[0]))
    (tmp / "outside" / "secret.xml").write_bytes(b.collect_xml(subs[1]))
    (tmp / "outside" / "c.xml").write_bytes(b.collect_xml(subs[2]))
    os.mkfifo(tmp / "instances" / "b" / "fifo.xml")
    os.symlink("../../outside/secret.xml", tmp / "instances" / "b" / "link.xml")
    os.symlink("../outside", tmp / "instances" / "linked")


def test_collect_folder_reads_only_its_own_regular_files(tmp_path: Path) -> None:
    _collect_folder(tmp_path)
    started = time.monotonic()
    result = score_here(tmp_path, "instances", "--out", "out")
    assert time.monotonic() - started < 30  # the pipe never read: no hang
    assert result.exit_code == 3, result.stderr
    assert result.stderr.splitlines() == [
        "note: instances: 1 linked folder(s) not followed (instances/linked); copy their files "
        "into the folder",
        "1 submission(s) scored (0 with issues), 2 rejected",
        "rejected: instances/b/fifo.xml: is a named pipe (FIFO), not a file; not read",
        "rejected: instances/b/link.xml: a symbolic link: links in a folder of instance files "
        "are never followed (one could point anywhere); copy the file itself into the folder",
    ]
    assert [s["source"]["file"] for s in doc(tmp_path / "out")["submissions"]] == ["instances/a/a.xml"]


SPECIAL_INPUTS = {
    "pipe.xml": "error: pipe.xml: is a named pipe (FIFO), not a file or folder; give the "
    "exported file itself",
    "zero.csv": "error: zero.csv: is a device, not a file or folder; give the exported file itself",
}


@pytest.mark.parametrize("fmt", [None, "kobo-csv", "collect"])
@pytest.mark.parametrize("name", sorted(SPECIAL_INPUTS))
def test_pipes_and_devices_are_never_read(tmp_path: Path, name: str, fmt: str | None) -> None:
    os.mkfifo(tmp_path / "pipe.xml")
    os.symlink("/dev/zero", tmp_path / "zero.csv")
    started = time.monotonic()
    result = score_here(tmp_path, name, "--out", "out", *(["--format", fmt] if fmt else []))
    assert fatal(result) == SPECIAL_INPUTS[name]
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", [None, "kobo-csv", "central"])
def test_huge_csv_refused_before_reading(tmp_path: Path, fmt: str | None) -> None:
    """A 5 GiB sparse CSV with a real header: refused on its size, not read (it would take
    5 GiB of memory, and time)."""
    path = tmp_path / "huge.csv"
    path.write_bytes(b.kobo_csv(b.sample(1)).split(b"\r\n")[0] + b"\r\n")
    with path.open("r+b") as handle:
        handle.truncate(5 * 1024**3)
    started = time.monotonic()
    result = score_here(tmp_path, "huge.csv", "--out", "out", *(["--format", fmt] if fmt else []))
    assert fatal(result) == (
        f"error: huge.csv: is {5 * 1024**3} bytes, more than the {limits.MAX_CSV_BYTES} a CSV "
        "export may have; refused (see the limits in the README)"
    )
    assert time.monotonic() - started < 10


def test_huge_instance_file_refused_others_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "instances").mkdir()
    subs = b.sample(2)
    small = b.collect_xml(subs[0])
    (tmp_path / "instances" / "a.xml").write_bytes(small)
    subs[1]["values"]["measure_name"] = "x" * 1000
    big = b.collect_xml(subs[1])
    (tmp_path / "instances" / "big.xml").write_bytes(big)
    assert len(small) < len(big) - 1
    monkeypatch.setattr(limits, "MAX_XML_BYTES", len(big) - 1)
    result = score_here(tmp_path, "instances", "--out", "out")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == (
        f"rejected: instances/big.xml: is {len(big)} bytes, more than the {len(big) - 1} a Collect "
        "instance file may have; refused (see the limits in the README)"
    )
    result = score_here(tmp_path, "instances/big.xml", "--out", "one")
    assert fatal(result) == (
        f"error: instances/big.xml: is {len(big)} bytes, more than the {len(big) - 1} a Collect "
        "instance file may have; refused (see the limits in the README)"
    )


def test_detection_reads_only_the_first_bytes(tmp_path: Path) -> None:
    """A CSV whose first DETECT_BYTES are good text and whose rest is 5 GiB of NUL bytes (a
    sparse file): detection says kobo-csv at once, so it read no further than its head."""
    from compiler.importer.detect import detect_format

    path = tmp_path / "x.csv"
    data = b.kobo_csv(b.sample(2000))
    assert len(data) > limits.DETECT_BYTES
    path.write_bytes(data[: limits.DETECT_BYTES])
    with path.open("r+b") as handle:
        handle.truncate(5 * 1024**3)
    started = time.monotonic()
    assert detect_format(path) == "kobo-csv"
    assert time.monotonic() - started < 2


# ------------------------------------------------------------------------- output places


def _run(args: list[str], cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result


OUT_CASES = {
    "build_on_file": (["build", "--source", str(GUIDE), "--out", "afile"],
                      "error: afile: is a file, not a folder; give --out a folder (it is made when missing)"),
    "build_under_file": (["build", "--source", str(GUIDE), "--out", "afile/x"],
                         "error: afile/x: cannot be made, as afile is a file, not a folder; give --out a folder"),
    "schema_on_folder": (["schema", "--out", "adir"],
                         "error: adir: is a folder; give --out the file to write, e.g. adir/schema.json"),
    "schema_under_file": (["schema", "--out", "afile/s.json"],
                          "error: afile/s.json: cannot be made, as afile is a file, not a folder"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(OUT_CASES))
def test_out_places_that_cannot_be_written(tmp_path: Path, case: str) -> None:
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    args, line = OUT_CASES[case]
    started = time.monotonic()
    result = _run(args, tmp_path)
    assert fatal(result, 1) == line
    assert time.monotonic() - started < 5  # said before the guide is built
    assert (tmp_path / "afile").read_text() == "x" and not any((tmp_path / "adir").iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_build_into_read_only_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    result = _run(["build", "--source", str(GUIDE), "--out", "locked/sub"], tmp_path)
    assert fatal(result, 1) == ("error: locked/sub: cannot write in locked (permission denied or "
                                "read-only); give --out a folder you can write to")  # fmt: skip


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_build_where_the_system_refuses_to_write(tmp_path: Path) -> None:
    """/proc takes no new folder, even from root: the refusal comes once the build writes."""
    result = _run(["build", "--source", str(GUIDE), "--out", "/proc/rightguide-out"], tmp_path)
    line = fatal(result, 1)
    assert line.startswith("error: /proc/rightguide-out: cannot write (") and line.endswith(
        "); check the place and the free space, and run again"
    ), line


def test_guide_nested_too_deep(tmp_path: Path) -> None:
    source = _guide(tmp_path)
    (source / "screen.yaml").write_text("name: screen\ncode: QS\nitems: " + "[" * 1000 + "]" * 1000 + "\n")
    for command in (["check"], ["build", "--out", str(tmp_path / "o")], ["translations", "--check"]):
        result = _run([*command, "--source", str(source)], tmp_path)
        assert fatal(result, 1) == (
            "error: guide/screen.yaml:3:107: lists and mappings nested more than 100 deep; refusing "
            "to load (is a bracket left open?)"
        ), command


# ------------------------------------------------------------------------ never a traceback

UNEXPECTED = {
    "check": ["check", "--source", str(GUIDE)],
    "build": ["build", "--source", str(GUIDE), "--out", "o"],
    "schema": ["schema", "--out", "s.json"],
    "translations": ["translations", "--source", str(GUIDE), "--check"],
    "score": ["score", str(CORPUS / "bom.csv"), "--source", str(GUIDE), "--out", "o"],
}


@pytest.mark.parametrize("command", sorted(UNEXPECTED))
def test_unexpected_failure_is_one_line(tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug anywhere (here: the guide loader or the schema failing) ends in one line and exit
    70; with --debug, the traceback."""
    import compiler.build
    import compiler.loader
    import compiler.source_model

    def bug(*_args: object, **_kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(compiler.loader._Loader, "load", bug)
    monkeypatch.setattr(compiler.source_model, "json_schema", bug)
    monkeypatch.setattr(compiler.build, "input_hash", bug)
    result = _run(UNEXPECTED[command], tmp_path)
    assert fatal(result, 70) == (
        f"error: rightguide {command} failed unexpectedly (KeyError: 'surprise'); run it again "
        "with 'rightguide --debug' and report what it prints"
    )
    result = CliRunner().invoke(main, ["--debug", *UNEXPECTED[command]])
    assert isinstance(result.exception, KeyError)


def test_out_of_memory_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.analysis.guide_run

    def no_memory(*_args: object, **_kwargs: object) -> None:
        raise MemoryError()

    monkeypatch.setattr(compiler.analysis.guide_run, "score_inputs", no_memory)
    result = _run(UNEXPECTED["score"], tmp_path)
    assert fatal(result, 70) == ("error: rightguide score: not enough memory to finish; close "
                                 "other programs or give fewer inputs at a time")  # fmt: skip


# ------------------------------------------------------------------ messages one can act on


def test_score_outside_the_project_folder(tmp_path: Path) -> None:
    (tmp_path / "ok.xml").write_bytes(b.collect_xml(b.sample(1)[0]))
    result = _run(["score", "ok.xml", "--out", "out"], tmp_path)
    assert fatal(result) == (
        f"error: guide_source/guide.yaml: not found (looked in {tmp_path}/guide_source); run "
        "rightguide in the project folder, or give --source the folder that holds guide.yaml"
    )


UNREADABLE_NAMES = {
    "old.xls": "error: old.xls: an old Excel (.xls) workbook, which cannot be read; open it in "
    "Excel or LibreOffice, save it as .xlsx and give that file",
    "data.txt": "error: data.txt: cannot tell the format from the name (.txt); give a Kobo or "
    "Central export (.xlsx, .csv, .zip), ODK Collect instances (.xml, a folder, .zip) or a filled "
    "workbook (.xlsx, .ods); when the file is one of these under another name, give --format "
    "(kobo-xlsx, kobo-csv, central, collect, workbook)",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE_NAMES))
def test_names_no_reader_takes(tmp_path: Path, name: str) -> None:
    result, _ = score(tmp_path, name)
    assert fatal(result) == UNREADABLE_NAMES[name]


def test_a_csv_under_another_name_is_read_with_format(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_bytes((CORPUS / "data.txt").read_bytes())
    result = score_here(tmp_path, "data.txt", "--format", "kobo-csv", "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert len(doc(tmp_path / "out")["submissions"]) == 1


SECTION_SHAPES = {
    "empty": (b"", "guide/screen.yaml:1:1: the file is empty; it should hold the fields 'name:', "
              "'code:' (see guide_source/README.md)"),
    "list": (b"- name: screen\n- code: QS\n", "guide/screen.yaml:1:1: the file holds a list (lines "
             "starting with '- '), not fields; it should hold the fields 'name:', 'code:' (see "
             "guide_source/README.md)"),
    "items_not_list": (b"name: screen\ncode: QS\nitems: 3\n", "guide/screen.yaml:3:1: items: should "
                       "be a list (lines starting with '- '), not the plain value '3'"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SECTION_SHAPES))
def test_section_file_of_the_wrong_shape(tmp_path: Path, case: str) -> None:
    data, line = SECTION_SHAPES[case]
    source = _guide(tmp_path)
    (source / "screen.yaml").write_bytes(data)
    result = _run(["check", "--source", "guide"], tmp_path)
    assert result.exit_code == 1
    assert [x for x in result.stdout.splitlines() if "screen.yaml" in x] == [line]
    result = _run(["build", "--source", "guide", "--out", "o"], tmp_path)
    assert fatal(result, 1) == line


def test_duplicate_name_is_not_also_a_cycle(tmp_path: Path) -> None:
    source = _guide(tmp_path)
    text = (source / "screen.yaml").read_text()
    (source / "screen.yaml").write_text(text.replace("  - name: budget", "  - name: people", 1))
    result = _run(["check", "--source", "guide"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "guide/screen.yaml:37:5: screen.people: duplicate name 'people' (first used at "
        "guide/screen.yaml:32)"
    ]


def test_missing_translation_has_its_place(tmp_path: Path) -> None:
    source = _guide(tmp_path)
    text = (source / "screen.yaml").read_text()
    (source / "screen.yaml").write_text(text.replace(
        "  - name: start_date", "  - name: brand_new\n    type: text\n    label: Brand new\n"
        "  - name: start_date", 1))  # fmt: skip
    result = _run(["check", "--source", "guide"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "guide/screen.yaml:13:5: screen.brand_new: warning: 1 text not translated to Français "
        "(first: 'brand_new.label'); run 'rightguide translations' and translate them"
    ]
    (source / "screen.yaml").write_text(text.replace("Name of the measure", "Name of the measure taken"))
    result = _run(["check", "--source", "guide"], tmp_path)
    po_line = (source / "locale" / "fr.po").read_text().split('msgctxt "measure_name.label"')[0].count("\n")
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"guide/locale/fr.po:{po_line}:1: warning: ")


OS_FAILURES = {
    "check": (1, "error: guide/screen.yaml: Permission denied (in 'rightguide check'); check that "
              "the file or folder exists and can be read or written, and the free space"),
    "score": (2, "error: guide/screen.yaml: cannot be read (Permission denied)"),  # score's own
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(OS_FAILURES))
def test_unforeseen_os_failure_is_one_line(tmp_path: Path, command: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import compiler.loader

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "guide/screen.yaml")

    monkeypatch.setattr(compiler.loader._Loader, "load", refused)
    result = _run(UNEXPECTED[command], tmp_path)
    code, line = OS_FAILURES[command]
    assert fatal(result, code) == line


# ------------------------------------------------------- issue 13: control characters

CONTROL_SHOWN = {  # the answer as the report shows it (a control character as its symbol)
    "control_chars.csv": "line one\nline two\nnext page \u241b[31mred\u241b[0m",
    "control_chars.xlsx": "Shift\nEnter\npage\u241b[1m",
    "control_chars.xml": "line one\nline two\n\u241b[31mred",
}
CONTROL_ISSUES = {  # the issues, quoting the text exactly as collected
    "control_chars.csv": [
        (None, f"collected with form version '{CONTROL_VERSION}', not '{b.VERSION}'; fields "
               "matched by name"),
        ("has_measure", "'yes\x1b' is not a choice of list 'yes_no_dk'"),
        ("signs", "answer to a question that does not apply, ignored (value 'raids testing')"),
    ],
    "control_chars.xlsx": [("signs", "'raids\x1b' not in choice list 'signs'")],
    "control_chars.xml": [],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CONTROL_SHOWN))
def test_control_characters_kept_and_scored(tmp_path: Path, name: str) -> None:
    result, out = score(tmp_path, name)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".rightguide") == sorted(RESULT_NAMES)
    first = doc(out)["submissions"][0]
    assert [(i["field"], i["message"]) for i in first["issues"]] == CONTROL_ISSUES[name]
    assert "\x1b" not in result.stderr  # no ESC reaches the terminal
    page = html.fromstring((out / "report.html").read_bytes())
    assert CONTROL_SHOWN[name] in [e.text for e in page.iter()]  # an assessment's name
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    cells = {c for ws in load_workbook(out / "scores.xlsx") for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)}  # fmt: skip
    shown = {m.replace("\x1b", "\u241b") for _, m in CONTROL_ISSUES[name]}
    assert shown <= cells
    if name == "control_chars.csv":
        assert first["form_version"] == CONTROL_VERSION  # kept exactly in scores.json
        assert "2026112801\u241b[2J" in cells
        assert (f"note: {name}: 1 record(s) collected with form version '2026112801\u241b[2J' "
                f"(this form is '{b.VERSION}'); fields matched by name") in result.stderr.splitlines()  # fmt: skip
        issues = (out / "issues.csv").read_bytes().decode("utf-8-sig")
        assert "\"'yes\x1b' is not a choice of list 'yes_no_dk'\"" in issues


def test_file_name_not_utf8(tmp_path: Path) -> None:
    """Python gives a Latin-1 file name on Linux as lone surrogates, which UTF-8 cannot hold."""
    name = b"caf\xe9.csv".decode("utf-8", "surrogateescape")
    (tmp_path / name).write_bytes(b.kobo_csv(b.sample(1)))
    result = CliRunner().invoke(main, ["score", str(tmp_path / name), "--out", str(tmp_path / "o"),
                                       "--source", str(GUIDE)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert doc(tmp_path / "o")["submissions"][0]["source"]["file"] == f"{tmp_path}/caf\ufffd.csv"
    assert f"{tmp_path}/caf\ufffd.csv" in (tmp_path / "o" / "scores.csv").read_text("utf-8-sig")


def test_output_text_by_construction() -> None:
    assert printable("a\x0bb\x0cc\x1bd\x00e\x7ff\ufffeg\ud800h\tj\nk\rl") == (
        "a\nb\nc\u241bd\u2400e\u2421f\ufffdg\ufffdh\tj\nk\rl"
    )
    assert ooxml_text("_x0041_ and _x000b_ and _x12_") == "_x005F_x0041_ and _x005F_x000b_ and _x12_"
    assert one_line("  first\n  second\r\n\x0bthird \x1b[2J  ") == "first second third \u241b[2J"
    assert str(UserError("Unsupported encoding: detecting EBCDIC\n, line 1")) == (
        "Unsupported encoding: detecting EBCDIC , line 1"
    )


def test_xlsx_text_read_by_libreoffice_as_written(tmp_path: Path, calc: Calc) -> None:
    """Cells set by set_cell, read back by LibreOffice: control characters as their symbols,
    a literal _xHHHH_ kept literal (OOXML would read "_x0041_" as "A")."""
    texts = ["_x0041_", "a\x0bb", "esc \x1b[1m", "=1+1", "x;=2+2"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("t")
    row = []
    for text in texts:
        cell = WriteOnlyCell(ws)
        set_cell(cell, text)
        row.append(cell)
    ws.append(row)
    save_workbook(wb, tmp_path / "cells.xlsx")
    [made] = calc.convert([tmp_path / "cells.xlsx"], "csv:Text - txt - csv (StarCalc):44,34,76",
                          tmp_path / "lo")  # fmt: skip
    [cells] = list(csv.reader(io.StringIO(made.read_text("utf-8"), newline="")))
    assert cells == ["_x0041_", "a\nb", "esc \u241b[1m", "=1+1", "x;=2+2"]


# ------------------------------------------------------ issue 13: separators in CSV


@pytest.fixture(scope="session")
def calc(tmp_path_factory: pytest.TempPathFactory) -> Calc:
    """LibreOffice with a private profile for this test session."""
    try:
        return Calc(tmp_path_factory.mktemp("libreoffice-profile"))
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


def test_csv_fields_quoted_and_neutralised() -> None:
    assert csv_text("x;=1+1;") == "x;'=1+1;"
    assert csv_text("=a,@b\t+c\n-d") == "'=a,'@b\t'+c\n'-d"
    assert csv_text("plain; text, with - dashes") == "plain; text, with - dashes"
    assert csv_bytes([["a", 1, None, "x;=1"]]) == b'\xef\xbb\xbf"a","1","","x;\'=1"\r\n'


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csvs_opened_in_libreoffice_hold_no_formula(
    tmp_path: Path, calc: Calc, separator: str
) -> None:
    """Every CSV we write, opened in LibreOffice Calc with ';' (French, Spanish), ',' or tab
    as the separator and formulas evaluated: no cell is a formula; read with the separator it
    was written with, every text is the text, every number a number."""
    result, out = score(tmp_path, "separator_injection.csv", "injection.csv")
    assert result.exit_code == 0, result.stderr
    names = ["scores.csv", "issues.csv", "rejected.csv"]
    # a row as written before the fix (unquoted, nothing after a separator neutralised): proves
    # this harness sees a formula when there is one, whatever the separator
    (out / "unsafe.csv").write_bytes(b"a,x;=1+1;,x\t=2+2,=3+3\r\n")
    made = calc.csv_as_xlsx([out / n for n in [*names, "unsafe.csv"]], separator, tmp_path / "lo")
    unsafe = load_workbook(made[-1]).active
    assert any(c.data_type == "f" for row in unsafe.iter_rows() for c in row)
    for path in made[:-1]:
        for row in load_workbook(path).active.iter_rows():
            for c in row:
                assert c.data_type != "f", (path.name, separator, c.coordinate, c.value)
                assert not (isinstance(c.value, str) and c.value.startswith("=")), c.value
    if separator != ",":
        return
    written = {n: list(csv.reader(io.StringIO((out / n).read_bytes().decode("utf-8-sig"),
                                              newline=""))) for n in names}  # fmt: skip
    for name, path in zip(names, made, strict=False):
        for expected, row in zip(written[name], load_workbook(path).active.iter_rows(), strict=False):
            for text, c in zip(expected, row, strict=False):
                if c.data_type == "n" and c.value is not None:
                    assert float(text) == c.value, (name, c.coordinate)
                else:
                    # Calc keeps a line break in a cell as a line feed
                    shown = text.replace("\r\n", "\n").replace("\r", "\n")
                    assert (c.value or "") == shown, (name, c.coordinate)
    issues = {r[5] for r in written["issues.csv"][1:]}
    assert "'x;'=1+1;' is not a choice of list 'yes_no_dk'" in issues
    assert "'x\n'+5+1' is not a choice of list 'yes_no_dk'" in issues
    ids = {r[0] for r in written["scores.csv"][1:]}
    assert "uuid:sep-0;'=9+9" in ids


# ------------------------------------------- issue 13: issues per cell, long values, numbers


def test_unknown_columns_reported_once(tmp_path: Path) -> None:
    result, out = score(tmp_path, "unknown_columns.csv")
    assert result.exit_code == 0, result.stderr
    shown = ", ".join(f"'extra_{i}'" for i in range(8))
    assert (f"unknown_columns.csv: 300 column(s) not in the form (their values are not read): "
            f"{shown} ...") in doc(out)["notes"]  # fmt: skip
    for sub in doc(out)["submissions"]:
        assert [i["message"] for i in sub["issues"]] == [
            "column 313 has no header; value 'stray' not used, nor 1 more value(s) in columns "
            "without a header"
        ]


def test_twenty_thousand_extra_columns(tmp_path: Path) -> None:
    rows = b.kobo_rows(b.sample(60))
    rows[0] += [f"extra_{i}" for i in range(20_000)]
    for row in rows[1:]:
        row += ["x"] * 20_000
    (tmp_path / "wide.csv").write_bytes(b.csv_bytes(rows))
    started = time.monotonic()
    result, out = score(tmp_path, "wide.csv")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 30
    assert not any(s["issues"] for s in doc(out)["submissions"])
    assert (out / "issues.csv").stat().st_size < 100


def test_xlsx_lists_are_cut_with_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.analysis.outputs.xlsx_out as xlsx_out

    monkeypatch.setattr(xlsx_out, "LISTED_ROWS", 4)
    (tmp_path / "many.csv").write_bytes(b.kobo_csv([
        {"id": f"uuid:{n}", "values": {"has_measure": "maybe", "people": "x"}} for n in range(3)
    ]))  # fmt: skip
    result, out = score(tmp_path, "many.csv")
    assert result.exit_code == 0, result.stderr
    sheet = list(load_workbook(out / "scores.xlsx")["issues"].iter_rows(values_only=True))
    total = len((out / "issues.csv").read_bytes().splitlines()) - 1  # every one
    assert total > 4 and len(sheet) == 1 + 4 + 1
    assert sheet[-1][0] == f"{total - 4} more rows are not shown here; every one is in issues.csv."


def test_csv_value_longer_than_the_csv_module_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "y" * 140_000  # the csv module refuses more than 131,072 characters by default
    subs = b.sample(2)
    subs[1]["values"]["measure_name"] = long
    subs[1]["values"]["has_measure"] = long
    (tmp_path / "long.csv").write_bytes(b.kobo_csv(subs))
    result, out = score(tmp_path, "long.csv")
    assert result.exit_code == 0, result.stderr
    messages = [i["message"] for i in doc(out)["submissions"][1]["issues"]]
    assert messages[0] == f"'{long}' is not a choice of list 'yes_no_dk'"
    monkeypatch.setattr(limits, "MAX_CSV_VALUE_CHARS", 1000)
    result, _ = score(tmp_path, "long.csv", out="again")
    assert fatal(result) == ("error: long.csv: line 3: a value is longer than 1000 characters, "
                             "more than any export holds; check this is the exported file")  # fmt: skip


def test_numbers_with_underscores_are_not_numbers(tmp_path: Path) -> None:
    result, out = score(tmp_path, "underscore_numbers.csv")
    assert result.exit_code == 0, result.stderr
    [sub] = doc(out)["submissions"]
    assert [(i["field"], i["message"]) for i in sub["issues"]] == [
        ("people", "'1_0' is not a whole number"),
        ("budget", "'1_000' is not a number"),
        ("budget", "answer to a question that does not apply, ignored (value '1_000')"),
    ]


def test_formula_without_value_is_reported(tmp_path: Path) -> None:
    result, out = score(tmp_path, "formula_without_value.xlsx")
    assert result.exit_code == 0, result.stderr
    tail = " saved without its value; read as blank: open the workbook in Excel or LibreOffice and " \
           "save it, so its values are stored"  # fmt: skip
    assert [(i["field"], i["message"]) for s in doc(out)["submissions"] for i in s["issues"]] == [
        ("people", "the cell holds a formula =2+3" + tail),
        ("measure_name", "QS.1 (measure_name): required, but left blank (ODK Collect would not "
                         "finalise such a record)"),
        ("measure_name", 'the cell holds a formula =UPPER("x")' + tail),
    ]  # fmt: skip


# ---------------------------------------------------- issue 13: one line, every time


def test_workbook_with_doctype(tmp_path: Path) -> None:
    result, _ = score(tmp_path, "doctype_workbook.xlsx")
    assert fatal(result) == f"error: doctype_workbook.xlsx [xl/worksheets/sheet1.xml]: {DOCTYPE}"


def test_unreadable_workbook_sheet_is_one_line(tmp_path: Path) -> None:
    members = zip_members(CASES["doctype_workbook.xlsx"]())
    broken = [(n, b"<worksheet><sheetData><row></worksheet>" if n == "xl/worksheets/sheet1.xml"
               else d.replace(b'<!DOCTYPE worksheet [<!ENTITY x "y">]>', b"")) for n, d in members]  # fmt: skip
    (tmp_path / "broken.xlsx").write_bytes(b.zip_bytes(broken))
    result, _ = score(tmp_path, "broken.xlsx")
    assert fatal(result) == ("error: broken.xlsx: not a readable .xlsx workbook (xl/worksheets/"
                             "sheet1.xml: Opening and ending tag mismatch: row line 1 and worksheet, "
                             "line 1, column 40); export it again")  # fmt: skip


def test_ebcdic_xml(tmp_path: Path) -> None:
    result, _ = score(tmp_path, "ebcdic.xml")
    assert fatal(result) == (
        "error: no usable record in the input(s): 1 rejected; first: ebcdic.xml: the XML is in an "
        "encoding that cannot be read (Unsupported encoding: detecting EBCDIC, line 1, column 1); "
        "save it as UTF-8; nothing written"
    )
    (tmp_path / "klingon.xml").write_bytes(b'<?xml version="1.0" encoding="klingon"?><data/>')
    result, _ = score(tmp_path, "klingon.xml", out="k")
    assert fatal(result).endswith("klingon.xml: the XML is in an encoding that cannot be read "
                                  "(Unsupported encoding: klingon, line 1, column 39); save it as "
                                  "UTF-8; nothing written")  # fmt: skip
