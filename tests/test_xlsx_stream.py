"""The streaming .xlsx reader (xlsx_stream) gives what calamine gives through
`support.calamine_sheets.sheet_rows` (python-calamine): the same sheets, the same row numbers and, cell by cell, the same
`cell_text` (and type) - on real Kobo exports, on the benchmark export, on workbooks written by
openpyxl and on hand-written XML in the forms calamine reads in its own way (but for a formula
saved without its value: "" in calamine, a reported FormulaWithoutValue here). Hostile inputs are
refused in one line, and a sheet of a million empty rows is read in one pass."""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from support.calamine_sheets import open_workbook, sheet_rows

from compiler.diagnostics import UserError
from compiler.importer.form_fields import DOCTYPE_REFUSED
from compiler.importer.readers.cells import cell_text
from compiler.importer.readers.xlsx_stream import open_stream_book
from compiler.importer.readers.xlsx_values import FormulaWithoutValue

ROOT = Path(__file__).resolve().parents[1]
KOBO_FIXTURES = Path("/work/shared/fixtures/household_demo/kobo")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
UNREADABLE = "not a readable .xlsx workbook ("

# ------------------------------------------------------------------------------- helpers


def _stream(path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    with open_stream_book(path) as book:
        return {name: list(book.rows(name)) for name in book.sheet_names}


def _calamine(path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    book = open_workbook(path)
    return {name: list(sheet_rows(book, path, name)) for name in book.sheet_names}


def assert_same_as_calamine(path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    """Same sheets in the same order, same row numbers, and for every cell (the shorter row
    read as "" past its end, as calamine pads rows to the sheet's width) the same text and
    type. Returns what the streaming reader gave."""
    want, got = _calamine(path), _stream(path)
    assert list(got) == list(want)
    for name, rows in want.items():
        assert [n for n, _ in got[name]] == [n for n, _ in rows], name
        for (number, mine), (_, theirs) in zip(got[name], rows, strict=True):
            width = max(len(mine), len(theirs))
            mine = mine + [""] * (width - len(mine))
            theirs = theirs + [""] * (width - len(theirs))
            assert [cell_text(c) for c in mine] == [cell_text(c) for c in theirs], (name, number)
            # the one departure: a formula without a saved value, "" in calamine, is reported
            mine = ["" if isinstance(c, FormulaWithoutValue) else c for c in mine]
            assert [type(c) for c in mine] == [type(c) for c in theirs], (name, number)
    return got


def assert_both_refuse(path: Path) -> str:
    """calamine cannot read it; the streaming reader refuses it in one line too."""
    with pytest.raises(UserError) as theirs:
        _calamine(path)
    with pytest.raises(UserError) as mine:
        _stream(path)
    assert UNREADABLE in str(theirs.value)
    assert str(mine.value).startswith(f"{path}: {UNREADABLE}")
    assert "\n" not in str(mine.value)
    return str(mine.value)


def write_workbook(
    path: Path,
    sheets: dict[str, str | bytes],
    shared: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    absolute_targets: bool = False,
) -> None:
    """A workbook written by hand: sheet name -> worksheet XML (the <worksheet> content, or
    whole bytes), shared strings (<si> items) and styles (styleSheet content)."""
    entries, rels = [], []
    for i, name in enumerate(sheets, start=1):
        target = f"{'/xl/' if absolute_targets else ''}worksheets/sheet{i}.xml"
        entries.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="{target}"/>')
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
        + "".join(entries)
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">'
        + "".join(rels)
        + "</Relationships>",
    }
    for i, content in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            content
            if isinstance(content, bytes)
            else f'<worksheet xmlns="{MAIN}">{content}</worksheet>'
        )
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{shared}</sst>'
    if styles is not None:
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def _row(number: int, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cells(number: int, xml_cells: list[str]) -> str:
    """One row whose cells are given as "<c{ref}...>" templates, placed from column A."""
    return _row(
        number, "".join(c.format(ref=f' r="{_column(i)}{number}"') for i, c in enumerate(xml_cells))
    )


def _benchmark_module():
    spec = importlib.util.spec_from_file_location(
        "bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------- real exports


@pytest.mark.parametrize(
    "name", sorted(p.name for p in KOBO_FIXTURES.glob("*.xlsx")) if KOBO_FIXTURES.is_dir() else []
)
def test_kobo_fixtures_read_as_calamine_reads_them(name: str) -> None:
    got = assert_same_as_calamine(KOBO_FIXTURES / name)
    assert len(got) >= 1 and all(rows[0][0] == 1 for rows in got.values())
    assert sum(len(rows) for rows in got.values()) > len(got)  # data rows, not only headers


def test_benchmark_export_reads_as_calamine_reads_it(tmp_path: Path) -> None:
    paths = _benchmark_module().generate(tmp_path, 20, impacts=2, recs=1)
    got = assert_same_as_calamine(paths["kobo-xlsx"])
    main = next(iter(got.values()))
    assert len(main) == 21  # the header and 20 submissions
    assert len(main[0][1]) > 100  # a wide sheet


# --------------------------------------------------------------------------- openpyxl


def _openpyxl_book(path: Path, epoch: datetime | None = None) -> None:
    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "main"
    ws.append(["text", "number", "when", "day", "clock", "span", "flag", "formula", "error"])
    ws.append(["plain", 3, datetime(2024, 5, 6, 7, 8, 9), date(2024, 1, 2), time(7, 8, 9),
               timedelta(hours=30, minutes=5), True, "=1+1", "#N/A"])  # fmt: skip
    ws.append(["  spaced  ", -2.5, datetime(1900, 1, 1, 12, 0), date(1900, 3, 1), time(0, 0),
               timedelta(seconds=1), False, '="a"&"b"', "#DIV/0!"])  # fmt: skip
    ws["A5"] = CellRichText(["rich ", TextBlock(InlineFont(b=True), "bold"), " end"])
    ws["B5"] = 1e20
    ws["C5"] = datetime(2023, 12, 31, 23, 59, 59, 500000)
    for cell, fmt in [("D5", "dd/mm/yyyy"), ("E5", "[h]:mm:ss"), ("F5", "mmm-yy"), ("G5", "0.00"),
                      ("H5", '"Day "d'), ("I5", "#,##0*y"), ("J5", "h:mm AM/PM"), ("K5", "[Red]0")]:  # fmt: skip
        ws[cell] = 45000.75
        ws[cell].number_format = fmt
    ws["L5"] = 45000
    ws["L5"].number_format = "yyyy-mm-dd"
    ws["M5"] = "line\nbreak\ttab"
    ws["D9"] = "not from column A"  # and rows 6 to 8 empty
    ws["F9"] = 0
    wb.create_sheet("empty")
    other = wb.create_sheet("other")
    other["C3"] = "only C3"
    wb.save(path)
    # openpyxl writes formulas without their cached values: add them, as Excel saves them
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>1+1</f><v></v>" in sheet
    sheet = sheet.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>")
    sheet = sheet.replace(
        '<c r="H3"><f>"a"&amp;"b"</f><v></v>', '<c r="H3" t="str"><f>"a"&amp;"b"</f><v>ab</v>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_openpyxl_workbook(tmp_path: Path) -> None:
    path = tmp_path / "openpyxl.xlsx"
    _openpyxl_book(path)
    got = assert_same_as_calamine(path)
    assert list(got) == ["main", "empty", "other"]
    main = dict(got["main"])
    assert sorted(main) == [1, 2, 3, 5, 9]
    assert main[2] == ["plain", 3.0, datetime(2024, 5, 6, 7, 8, 9), date(2024, 1, 2),
                       time(7, 8, 9), timedelta(hours=30, minutes=5), True, 2.0, ""]  # fmt: skip
    assert main[3][0] == "  spaced  " and main[3][7] == "ab"  # a t="str" formula result
    assert main[5][0] == "rich bold end"
    assert main[9][:4] == ["", "", "", "not from column A"]
    assert got["empty"] == [(1, [])]
    assert got["other"] == [(1, []), (3, ["", "", "only C3"])]


def test_openpyxl_workbook_in_the_1904_date_system(tmp_path: Path) -> None:
    path = tmp_path / "mac.xlsx"
    _openpyxl_book(path, epoch=CALENDAR_MAC_1904)
    with zipfile.ZipFile(path) as archive:
        assert b'date1904="1"' in archive.read("xl/workbook.xml")
    got = assert_same_as_calamine(path)
    assert dict(got["main"])[2][2] == datetime(2024, 5, 6, 7, 8, 9)


# ------------------------------------------------------------------- hand-written XML

STYLES = (
    '<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="#,##0*y"/>'
    '<numFmt numFmtId="167" formatCode="&quot;Day &quot;d"/></numFmts>'
    '<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
    '<xf numFmtId="14"/><xf numFmtId="166"/><xf numFmtId="46"/><xf numFmtId="167"/>'
    '<xf numFmtId="22"/></cellXfs>'
)
SHARED = (
    "<si><t>zero</t></si><si/><si><t/></si><si><t>three</t></si>"
    "<si><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r></si>"
    '<si><t>ph</t><rPh sb="0" eb="1"><t>PHON</t></rPh></si>'
    "<si><t>a_x000D_b_x0041_ _x005F_x0041_</t></si>"
    '<si><t xml:space="preserve">  kept  </t></si><si><t>  trimmed  </t></si>'
    "<si><t>first</t><r><t>second</t></r></si>"
    "<si><t>line1\r\nline2&#13;x &amp; &lt;y&gt;</t></si>"
    "<si><t>x <![CDATA[ cdata ]]> z</t></si>"
    '<si><r><t>  a </t></r><r><t xml:space="preserve"> b  </t></r></si>'
)


def test_shared_strings_as_calamine_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "shared.xlsx"
    row1 = "".join(f'<c r="{_column(i)}1" t="s"><v>{i}</v></c>' for i in range(13))
    row2 = '<c r="A2" t="s"><v> 3</v></c><c r="B2" t="s"><v>03</v></c><c r="C2" t="s"><v></v></c>'
    write_workbook(path, {"s": f"<sheetData>{_row(1, row1)}{_row(2, row2)}</sheetData>"}, SHARED)
    got = assert_same_as_calamine(path)
    assert got["s"][0][1][:6] == ["zero", "", "", "three", "rich", "ph"]
    assert got["s"][0][1][6:] == ["a\rbA _x0041_", "  kept  ", "trimmed", "firstsecond",
                                  "line1\nline2\rx & <y>", "x  cdata  z", "a b  "]  # fmt: skip
    assert got["s"][1] == (2, ["zero", "three"] + [""] * 11)  # " 3" is read as string 0


def test_cell_types_and_number_formats(tmp_path: Path) -> None:
    cells = {
        2: ['<c{ref} t="e"><v>#DIV/0!</v></c>', '<c{ref} t="b"><v>1</v></c>',
            '<c{ref} t="b"><v>false</v></c>', '<c{ref} t="b"><v> TRUE</v></c>',
            '<c{ref} t="str"><v>  x&amp;y  </v></c>', '<c{ref} t="str"><f>A1</f><v>res</v></c>',
            '<c{ref}><f>1+1</f><v>2</v></c>', '<c{ref} t="str"><v>a</v><f>x</f></c>',
            '<c{ref} t="e"><f>1/0</f><v>#DIV/0!</v></c>', '<c{ref} t="n"><v>7</v></c>'],
        3: ['<c{ref} s="1"><v>45000</v></c>', '<c{ref} s="1"><v>45000.5</v></c>',
            '<c{ref} s="1"><v>0.25</v></c>', '<c{ref} s="2"><v>1.5</v></c>',
            '<c{ref} s="3"><v>45000</v></c>', '<c{ref} s="4"><v>45000</v></c>',
            '<c{ref} s="5"><v>2.25</v></c>', '<c{ref} s="6"><v>45000</v></c>',
            '<c{ref} s="7"><v>45000.999999999</v></c>', '<c{ref} s="9"><v>5</v></c>',
            '<c{ref} s="01"><v>45000</v></c>', '<c{ref} s="1"><v>60</v></c>',
            '<c{ref} s="1"><v>61</v></c>', '<c{ref} s="1"><v>2958466</v></c>',
            '<c{ref} s="2"><v>-1.5</v></c>', '<c{ref} s="1"><v>-1</v></c>',
            '<c{ref} s="1"><v>nan</v></c>', '<c{ref} s="1"><v>1.0000001</v></c>'],
        4: [f"<c{{ref}}><v>{v}</v></c>" for v in
            ["3", "3.5", "1e3", "abc", " 5", "1_0", "+5", ".5", "5.", "inf", "-Infinity", "NaN",
             "1e", "0x10", "5e400", "00012", "-.5e-3", "12345678901234567890", "-0", "１"]],
        5: [f'<c{{ref}} t="d"><v>{v}</v></c>' for v in
            ["2024-01-02T03:04:05.123", "2024-01-02T03:04:05Z", "2024-01-02T03:04",
             "2024-01-02 03:04:05", "03:04:05", "03:04", "2024-01-02", "2024-1-2", "20240102",
             "12:34:56.789", "0001-01-01T00:00:00", "10000-01-01", " 2024-01-02", "x"]],
    }  # fmt: skip
    sheet = "<sheetData>" + "".join(_cells(n, c) for n, c in cells.items()) + "</sheetData>"
    for pr in ("", '<workbookPr date1904="1"/>', '<workbookPr date1904="true"/>'):
        path = tmp_path / f"types{len(pr)}.xlsx"
        write_workbook(path, {"t": sheet}, styles=STYLES, workbook_pr=pr)
        got = dict(assert_same_as_calamine(path)["t"])
        # a formula after the value: calamine reads "", this reader reports it
        assert got[2][:10] == ["", True, False, True, "  x&y  ", "res", 2.0,
                               FormulaWithoutValue("x"), "", 7.0]  # fmt: skip
        assert got[4][:4] == [3.0, 3.5, 1000.0, "abc"]
        assert isinstance(got[3][3], timedelta) and got[3][5] == 45000.0  # [h] and "*y"
    assert got[3][0] == date(2027, 3, 16)  # 1904


def test_cells_placed_as_calamine_places_them(tmp_path: Path) -> None:
    sheets = {
        "no refs": "<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c t='inlineStr'>"
        "<is><t>x</t></is></c></row><row r='5'><c><v>5</v></c><c r='D5'><v>6</v></c><c><v>7</v>"
        "</c></row><row><c><v>8</v></c></row></sheetData>",
        "duplicates": "<sheetData><row r='1'><c r='A1'><v>1</v></c><c r='A1'><v>2</v></c>"
        "<c r='B1'><v>3</v></c><c r='B1'/></row><row r='2'><c r='A2'><v>4</v></c></row>"
        "<row r='2'><c r='C2'><v>5</v></c></row></sheetData>",
        "cell in a later row": "<sheetData><row r='1'><c r='A1'><v>1</v></c><c r='B3'><v>2</v>"
        "</c></row></sheetData>",
        "lower case": "<sheetData><row r='1'><c r='a1'><v>1</v></c><c r='c1'><v>2</v></c></row>"
        "</sheetData>",
        "not from A": "<sheetData><row r='3'><c r='C3'><v>1</v></c></row><row r='7'>"
        "<c r='E7' t='inlineStr'><is><t>e</t></is></c></row></sheetData>",
        "empty cells only": "<sheetData><row r='1'><c r='A1' s='0'/></row><row r='2'>"
        "<c r='B2' t='s'/><c r='C2' t='inlineStr'><is><t>  </t></is></c></row></sheetData>",
        "no rows": "<sheetData/>",
        "no sheetData": '<dimension ref="A1"/>',
        "whitespace": "<sheetData>\n  <row r='1'>\n    <c r='A1'><v>1</v></c>\n  </row>\n"
        "</sheetData>\n",
    }
    path = tmp_path / "places.xlsx"
    write_workbook(path, sheets, absolute_targets=True)
    got = assert_same_as_calamine(path)
    assert got["no refs"] == [
        (1, [1.0, 2.0]),
        (2, ["x", ""]),
        (5, [5.0, "", "", 6.0, 7.0]),
        (6, [8.0, ""]),
    ]
    assert got["duplicates"] == [(1, [2.0, 3.0]), (2, [4.0, "", 5.0])]
    assert got["not from A"] == [(1, []), (3, ["", "", 1.0]), (7, ["", "", "", "", "e"])]
    assert got["no rows"] == got["no sheetData"] == got["empty cells only"] == [(1, [])]


def test_inline_strings_and_unusual_xml(tmp_path: Path) -> None:
    texts = ["a &amp; b", " &amp; ", "x <![CDATA[ y ]]> z", "<![CDATA[  cd  ]]>", " a\r\n",
             "\u3000x\u3000", "a<!-- c -->  b", "&#32;a&#32;", "&#x9;t", "x_x0041_", "h\u00e9 \U0001f600"]  # fmt: skip
    sheet = (
        "<sheetData><!-- a comment --><?pi x?>"
        + _cells(1, ['<c{ref} t="inlineStr"><is><t>' + t + "</t></is></c>" for t in texts])
        + _cells(2, ['<c{ref} t="str"><v>' + t + "</v></c>" for t in texts if "CDATA" not in t])
        + _cells(3, ['<c{ref}><is><t>noT</t></is></c>', '<c{ref} t="inlineStr"><v>v</v><is><t>is</t></is></c>',
                     '<c{ref} t="inlineStr"><is><t>is</t></is><v>v</v></c>',
                     '<c{ref} t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r><rPh><t>p</t></rPh></is></c>',
                     '<c{ref} t="inlineStr"><is/></c>', '<c{ref} t="inlineStr"><is><t xml:space="preserve">  y  </t></is></c>',
                     '<c{ref}><v><!--x-->5</v></c>', '<c{ref} t="n"><v>5<!--x-->6</v></c>',
                     '<c{ref}><v>1</v><v>2</v></c>', '<c{ref}  s = "0"  t = \'n\' ><v>7</v></c >'])
        + '<x:row xmlns:x="' + MAIN + '" r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>prefixed</x:t>'
        "</x:is></x:c></x:row></sheetData>"
    )  # fmt: skip
    path = tmp_path / "inline.xlsx"
    write_workbook(path, {"i": sheet})
    got = dict(assert_same_as_calamine(path)["i"])
    assert got[1][:4] == ["a & b", "&", "x  y  z", "cd"]
    assert got[2][:3] == ["a & b", " & ", " a\n"]
    assert got[3][:3] == ["noT", "is", ""] and got[4] == ["prefixed"] + [""] * 10
    assert got[3][6:10] == ["", 5.0, 2.0, 7.0]  # <v> read to its first comment, as calamine does


def test_strict_ooxml_and_no_namespace_read_as_calamine_reads_them(tmp_path: Path) -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    rows = (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="B1"><v>2</v>'
        '</c></row><row r="2"><c r="B2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    path = tmp_path / "namespaces.xlsx"
    write_workbook(
        path,
        {
            "strict": f'<worksheet xmlns="{strict}">{rows}</worksheet>'.encode(),
            "none": f"<worksheet>{rows}</worksheet>".encode(),
        },
    )
    got = assert_same_as_calamine(path)
    assert got["strict"] == got["none"] == [(1, ["h", 2.0]), (2, ["", "x"])]


def test_references_and_cdata_in_v_are_read_as_xml(tmp_path: Path) -> None:
    """calamine reads a <v> token by token: it leaves CDATA out and stops a number at a
    character reference. A conforming XML parser (lxml) gives a <v>'s text whole, so these are
    read as the XML says. No writer puts CDATA or references in a <v>."""
    cells = ['<c{ref} t="str"><v>x <![CDATA[ y ]]> z</v></c>', '<c{ref} t="str"><v><![CDATA[ cd ]]></v></c>',
             '<c{ref}><v>&#53;</v></c>', '<c{ref}><v>1&amp;2</v></c>', '<c{ref} t="b"><v>&#49;</v></c>']  # fmt: skip
    path = tmp_path / "v.xlsx"
    write_workbook(path, {"v": f"<sheetData>{_cells(1, cells)}</sheetData>"})
    assert _stream(path)["v"] == [(1, ["x  y  z", " cd ", 5.0, "1&2", True])]
    assert [cell_text(c) for c in _calamine(path)["v"][0][1]] == ["x  z", "", "", "1"]


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A1" t="s"><v>99</v></c>',  # no such shared string
        '<c r="A1" t="n"><v>abc</v></c>',
        '<c r="A1" t="b"><v>yes</v></c>',
        '<c r="A1" t="e"><v>#FOO</v></c>',
        '<c r="A1" t="zz"><v>1</v></c>',
        '<c r="A1"><v>1</v><extLst/></c>',
        '<c r="A0"><v>1</v></c>',
    ],
)
def test_cells_calamine_refuses_are_refused(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "bad.xlsx"
    write_workbook(path, {"s": f'<sheetData><row r="1">{cell}</row></sheetData>'}, SHARED)
    assert_both_refuse(path)


def test_many_chunks_with_every_form(tmp_path: Path) -> None:
    """Several megabytes of XML, so chunk boundaries fall inside cells, comments and CDATA."""
    rng = random.Random(7)
    forms = [
        '<c r="{c}{r}" t="inlineStr"><is><t>v{r}_{c} &amp; x</t></is></c>',
        '<c r="{c}{r}" t="inlineStr"><is><t>plain {r}</t></is></c>',
        '<c r="{c}{r}"><v>{r}.5</v></c>',
        '<c r="{c}{r}" s="1"><v>4{r}.25</v></c>',
        '<c r="{c}{r}" t="s"><v>{s}</v></c>',
        '<c r="{c}{r}"><f>1+1</f><v>2</v></c>',
        '<c r="{c}{r}" t="str"><v>s&lt;{r}</v></c><!-- note </row> -->',
        '<c r="{c}{r}" t="inlineStr"><is><t><![CDATA[cd <x> {r}]]></t></is></c>',
        '<c r="{c}{r}" s="1"/>',
        '<c r="{c}{r}" t="b"><v>1</v></c>',
        '<c r="{c}{r}" t="inlineStr"><is><t xml:space="preserve">  {long}  </t></is></c>',
        '<c r="{c}{r}" t="inlineStr"><is><r><t>ri</t></r><r><t>ch\r\n</t></r></is></c>',
    ]
    rows = []
    for r in range(1, 6001):
        if rng.random() < 0.1:
            rows.append(f'<row r="{r}"/>')
            continue
        cells = [
            rng.choice(forms).format(c=c, r=r, s=r % 13, long="y" * rng.randint(0, 2000))
            for c in "ABCDEFGHIJKL"
            if rng.random() < 0.7
        ]
        rows.append(f'<row r="{r}" spans="1:12">' + "".join(cells) + "</row>\n")
    path = tmp_path / "big.xlsx"
    write_workbook(path, {"big": "<sheetData>" + "".join(rows) + "</sheetData>"}, SHARED, STYLES)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 4_000_000
    got = assert_same_as_calamine(path)
    assert len(got["big"]) > 5000


def test_long_rows_read_in_parts_as_calamine_reads_them(tmp_path: Path) -> None:
    """Rows of more than 4,096 cells are read a part at a time while they are parsed: cells
    with and without references keep their places across the parts."""
    rng = random.Random(11)
    with_refs = "".join(
        f'<c r="{_column(i)}1" t="inlineStr"><is><t>text {i}</t></is></c>'
        for i in range(12_000)
        if rng.random() < 0.8
    )
    without_refs = "".join(
        rng.choice(
            ["<c><v>{i}</v></c>", "<c/>", '<c t="inlineStr"><is><t>t{i}</t></is></c>']
        ).format(i=i)
        for i in range(9_000)
    )
    sheet = f"<sheetData><row r='1'>{with_refs}</row><row>{without_refs}</row></sheetData>"
    path = tmp_path / "long_rows.xlsx"
    write_workbook(path, {"s": sheet})
    got = assert_same_as_calamine(path)["s"]
    assert [n for n, _ in got] == [1, 2] and len(got[1][1]) > 4_096


# ------------------------------------------------------------------------- the API


def test_api_sheet_names_context_manager_and_unknown_sheet(tmp_path: Path) -> None:
    path = tmp_path / "api.xlsx"
    write_workbook(
        path, {"b": f"<sheetData>{_cells(1, ['<c{ref}><v>1</v></c>'])}</sheetData>", "a": ""}
    )
    with open_stream_book(path) as book:
        assert book.sheet_names == ["b", "a"] == list(open_workbook(path).sheet_names)
        rows = book.rows("b")
        assert next(rows) == (1, [1.0])
        with pytest.raises(UserError, match="Worksheet 'nope' not found"):
            list(book.rows("nope"))
    with pytest.raises(ValueError):  # closed with the block
        list(book.rows("b"))


def test_rows_shorter_than_the_header_are_filled_to_its_width(tmp_path: Path) -> None:
    # calamine gives every row the sheet's width: a shorter row would read as "cut short"
    path = tmp_path / "widths.xlsx"
    head = _cells(1, ['<c{ref} t="inlineStr"><is><t>h</t></is></c>'] * 3)
    rows = "<row r='2'><c r='A2'><v>1</v></c></row><row r='3'><c r='E3'><v>5</v></c></row>"
    write_workbook(path, {"s": f"<sheetData>{head}{rows}</sheetData>", "none": ""})
    got = assert_same_as_calamine(path)
    assert got["s"] == [(1, ["h", "h", "h"]), (2, [1.0, "", ""]), (3, ["", "", "", "", 5.0])]
    assert got["none"] == [(1, [])]


def test_rows_out_of_order_are_refused_in_one_line(tmp_path: Path) -> None:
    # calamine sorts them (it holds the whole sheet); a stream cannot: refused, never mixed up
    path = tmp_path / "order.xlsx"
    sheet = "<sheetData><row r='2'><c r='A2'><v>2</v></c></row><row r='1'><c r='A1'><v>1</v></c></row></sheetData>"
    write_workbook(path, {"s": sheet})
    with pytest.raises(UserError) as error:
        _stream(path)
    assert (
        str(error.value)
        == f"{path}: {UNREADABLE}xl/worksheets/sheet1.xml: row 1 comes after row 2); export it again"
    )


# ------------------------------------------------------------------------- hostile


@pytest.mark.parametrize("member", ["sheet", "shared strings", "styles"])
def test_doctype_is_refused_naming_the_file_and_member(tmp_path: Path, member: str) -> None:
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom"><!ENTITY f "&e;&e;&e;">]>'
    cell = _cells(1, ['<c{ref} t="s"><v>0</v></c>'])
    sheet: str | bytes = f"<sheetData>{cell}</sheetData>"
    shared, styles = "<si><t>s</t></si>", STYLES
    if member == "sheet":
        sheet = f'{doctype}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&f;</t></is></c></row></sheetData></worksheet>'.encode()
        name = "xl/worksheets/sheet1.xml"
    elif member == "shared strings":
        shared = None
        name = "xl/sharedStrings.xml"
    else:
        styles = None
        name = "xl/styles.xml"
    path = tmp_path / "doctype.xlsx"
    write_workbook(path, {"s": sheet}, shared, styles)
    if member != "sheet":
        with zipfile.ZipFile(path, "a") as archive:
            body = (
                f'<sst xmlns="{MAIN}"><si><t>&f;</t></si></sst>'
                if shared is None
                else f'<styleSheet xmlns="{MAIN}"/>'
            )
            archive.writestr(name, doctype + body)
    with pytest.raises(UserError) as error:
        _stream(path)
    assert str(error.value) == f"{path} [{name}]: {DOCTYPE_REFUSED}"


def test_doctype_after_a_long_prolog_is_refused(tmp_path: Path) -> None:
    prolog = (
        '<?xml version="1.0"?><!--'
        + "x" * 3_000_000
        + '--><!DOCTYPE w SYSTEM "file:///etc/passwd">'
    )
    path = tmp_path / "long.xlsx"
    write_workbook(
        path, {"s": (prolog + f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>').encode()}
    )
    with pytest.raises(UserError, match="DOCTYPE is refused"):
        _stream(path)


def test_undefined_entity_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "entity.xlsx"
    cell = _cells(1, ['<c{ref} t="inlineStr"><is><t>&xxe;</t></is></c>'])
    write_workbook(path, {"s": f"<sheetData>{cell}</sheetData>"})
    with pytest.raises(UserError) as error:
        _stream(path)
    assert str(error.value).startswith(
        f"{path}: {UNREADABLE}xl/worksheets/sheet1.xml: Entity 'xxe'"
    )
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("cut", [0.3, 0.9, 0.99])
def test_truncated_sheet_is_refused_in_one_line(tmp_path: Path, cut: float) -> None:
    rows = "".join(
        _cells(r, ['<c{ref} t="inlineStr"><is><t>value</t></is></c>', "<c{ref}><v>1</v></c>"])
        for r in range(1, 60_001)
    )
    whole = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    path = tmp_path / "truncated.xlsx"
    write_workbook(path, {"s": whole[: int(len(whole) * cut)]})  # a zip written by hand
    message = assert_both_refuse(path)
    assert "xl/worksheets/sheet1.xml" in message


def test_malformed_xml_mid_stream_is_refused(tmp_path: Path) -> None:
    rows = "".join(_cells(r, ["<c{ref}><v>1</v></c>"]) for r in range(1, 200_001))
    path = tmp_path / "mismatch.xlsx"
    write_workbook(
        path,
        {"s": f"<sheetData>{rows}<row r='200001'><c r='A200001'><v>1</v></x></row></sheetData>"},
    )
    with pytest.raises(UserError) as error:
        _stream(path)
    assert str(error.value).startswith(
        f"{path}: {UNREADABLE}xl/worksheets/sheet1.xml: Opening and ending tag mismatch"
    )


def test_million_empty_rows_are_read(tmp_path: Path) -> None:
    empty = "".join(f'<row r="{r}"/>' for r in range(2, 1_000_002))
    head = _cells(1, ['<c{ref} t="inlineStr"><is><t>h</t></is></c>'])
    far = '<row r="1000002"><c r="Z1000002" t="inlineStr"><is><t>z</t></is></c></row>'
    path = tmp_path / "million.xlsx"
    write_workbook(
        path, {"s": f'<dimension ref="A1:Z1000002"/><sheetData>{head}{empty}{far}</sheetData>'}
    )
    rows = _stream(path)["s"]
    assert rows == [(1, ["h"]), (1_000_002, [""] * 25 + ["z"])]


# The peak resident memory of a process reading sheet "s" (VmHWM: ru_maxrss would count the
# memory of the pytest process it was forked from).
_PEAK_RSS = """
import sys
from pathlib import Path
from compiler.importer.readers.xlsx_stream import open_stream_book
from compiler.importer.readers.xlsx_values import FormulaWithoutValue
with open_stream_book(Path(sys.argv[1])) as book:
    rows = list(book.rows("s"))
status = Path("/proc/self/status").read_text()
peak_kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
print(len(rows), rows[-1] == (2, ["", 1.0]), int(peak_kb) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_lxml_tree_stays_small_with_a_huge_row_and_junk(tmp_path: Path) -> None:
    """lxml's elements (memory tracemalloc does not see) are dropped as they are read, even
    in a row of 400,000 cells and among 800,000 elements around the rows: the reading process
    peaks near its size at start (about 50 MB), not the 700 MB the whole tree would take."""
    rng = random.Random(3)
    n = 400_000
    junk = "".join(f'<col min="{rng.randrange(10**9)}" max="{i}"/>' for i in range(n))
    row = "".join(
        f'<c r="A1" t="inlineStr"><is><t>{rng.randrange(10**9)}</t></is></c><x{i % 7}/>'
        for i in range(n)
    )
    tail = "".join(f"<!--{rng.randrange(10**9)}-->" for _ in range(n))
    sheet = (
        f"<cols>{junk}</cols><sheetData><row r='1'>{row}</row>"
        f"<row r='2'><c r='B2'><v>1</v></c></row>{tail}</sheetData>"
    )
    path = tmp_path / "huge_row.xlsx"
    write_workbook(path, {"s": sheet})
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    count, last_row_right, peak_mb = done.stdout.split()
    assert count == "2" and last_row_right == "True"
    assert int(peak_mb) < 150, done.stdout


def test_memory_does_not_grow_with_the_sheet(tmp_path: Path) -> None:
    """Python allocations while a 30 MB sheet is read stay near one chunk's worth."""
    rows = "".join(
        _cells(r, ['<c{ref} t="inlineStr"><is><t>value number ' + str(r) + "</t></is></c>"] * 8)
        for r in range(1, 60_001)
    )
    path = tmp_path / "wide.xlsx"
    write_workbook(path, {"s": f"<sheetData>{rows}</sheetData>"})
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 30_000_000
    with open_stream_book(path) as book:
        tracemalloc.start()
        try:
            count = sum(1 for _ in book.rows("s"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert count == 60_000
    assert peak < 20_000_000, peak
