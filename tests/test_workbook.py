"""The Excel self-assessment workbook: the real workbook the emitter writes for the test guide
(in English and French) is filled with random answer sets, as labels in its language, and
evaluated by the `formulas` package; every score and calculation must equal the Python
evaluator's. Also: well-formed parts, defined names, read-back round trip, byte-identical
rebuild, and (when LibreOffice is installed) a headless recalculation."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import formulas
import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from support.cases import case_strategy
from support.excel_values import computed_values, same

from compiler.emitters.workbook import build_workbook, emit_workbooks, workbook_file_bytes
from compiler.emitters.workbook.layout import (
    Q_ANSWER,
    T_FIRST_ROW,
    Layout,
    plan_layout,
    score_value_col,
)
from compiler.emitters.workbook.phrases import WorkbookPhrases
from compiler.importer import FormFields
from compiler.importer.readers.workbook import read_workbook
from compiler.loader import load_checked_guide, load_guide
from compiler.model import Guide, Item
from compiler.scoring import ReferenceEvaluator
from compiler.scoring.evaluator import FilledForm, as_text

GUIDE_DIR = Path(__file__).parent / "guides" / "full"
LANGS = ("en", "fr")
EXCEL_EPOCH = date(1899, 12, 30)


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(GUIDE_DIR)


# -- turning a case into cell contents ---------------------------------------------------------


def visible_answers(guide: Guide, filled: FilledForm) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """Answers as the workbook holds them: non-relevant questions blank (records kept)."""
    top: dict[str, Any] = {}
    records: dict[str, list[dict]] = {}
    for item in guide.walk():
        if item.is_question and item.repeat is None:
            ok = filled.relevant.get(item.xpath, True)
            top[item.name] = as_text(filled.values.get(item.name, "")) if ok else ""
        elif item.type == "repeat" and item.repeat is None:
            kept = []
            for index, record in enumerate(filled.values.get(item.name, []), start=1):
                base = f"{item.xpath}[{index}]"
                kept.append({
                    f.name: as_text(record.get(f.name, "")) if filled.relevant.get(f"{base}/{f.name}", True) else ""
                    for f in item.children if f.is_question
                })
            records[item.name] = kept
    return top, records


def workbook_case(guide: Guide, case: dict[str, Any]) -> dict[str, Any]:
    """The case without records that would be blank rows in the workbook (a row is a record
    only when one of its cells is filled)."""
    filled = ReferenceEvaluator(guide).fill(case)
    _, records = visible_answers(guide, filled)
    out = dict(case)
    for name, rows in records.items():
        given_records = case.get(name, [])
        out[name] = [r for r, seen in zip(given_records, rows, strict=True) if any(v != "" for v in seen.values())]
    return out


def cell_content(guide: Guide, item: Item, value: str, lang: str) -> Any:
    """What a user types in an answer cell for an answer given as the XForm writes it."""
    if value == "":
        return None
    if item.type == "select_one":
        choice = guide.lists[item.list_name].get(value)
        return guide.text(choice.label, lang) if choice else value
    if item.type in ("integer", "decimal"):
        return float(value)
    if item.type == "date":
        return (date.fromisoformat(value) - EXCEL_EPOCH).days
    return value


def option_contents(guide: Guide, item: Item, value: str, lang: str) -> list[Any]:
    phrases = WorkbookPhrases(lang)
    chosen = value.split()
    if not chosen:
        return [None] * len(guide.lists[item.list_name].choices)
    return [phrases.say("yes") if c.name in chosen else phrases.say("no") for c in guide.lists[item.list_name].choices]


def fill_cells(guide: Guide, layout: Layout, filled: FilledForm) -> dict[tuple[str, int, int], Any]:
    """(sheet, row, col) -> content for every answer cell of the workbook."""
    lang = layout.lang
    top, records = visible_answers(guide, filled)
    cells: dict[tuple[str, int, int], Any] = {}
    items = guide.items_by_name()
    for name, value in top.items():
        item = items[name]
        if item.type == "select_multiple":
            rows = layout.option_rows[name]
            for qrow, content in zip(rows, option_contents(guide, item, value, lang), strict=True):
                cells[(layout.questions_sheet, qrow.row, Q_ANSWER)] = content
        else:
            cells[(layout.questions_sheet, layout.row_of[name], Q_ANSWER)] = cell_content(guide, item, value, lang)
    for name, table in layout.tables.items():
        rows = records.get(name, [])
        assert len(rows) <= table.rows
        for index in range(table.rows):
            record = rows[index] if index < len(rows) else {}
            row = T_FIRST_ROW + index
            options: dict[str, list[Any]] = {}
            for column in table.answer_columns():
                item = column.item
                assert item is not None
                value = record.get(item.name, "")
                if column.choice is not None:
                    contents = options.setdefault(item.name, option_contents(guide, item, value, lang))
                    position = guide.lists[item.list_name].names().index(column.choice.name)
                    cells[(table.sheet, row, column.col)] = contents[position]
                else:
                    cells[(table.sheet, row, column.col)] = cell_content(guide, item, value, lang)
    return cells




def computed_cells(layout: Layout, expected: dict[str, str]) -> dict[str, tuple[str, int, int]]:
    out = {}
    for key in expected:
        if "[" in key:
            rep, rest = key.split("[", 1)
            index, field = rest.split("]/")
            table = layout.tables[rep]
            column = next(c for c in table.columns if c.kind == "computed" and c.item and c.item.name == field)
            out[key] = (table.sheet, T_FIRST_ROW + int(index) - 1, column.col)
        else:
            place = layout.computed[key]
            col = score_value_col(place.item) if place.sheet == layout.scores_sheet else 2
            out[key] = (place.sheet, place.row, col)
    return out




# -- evaluating the real workbook with `formulas` -------------------------------------------


class Evaluator:
    """One language's generated workbook compiled once by `formulas`; answer cells are given as
    inputs per case and only the computed cells are calculated."""

    def __init__(self, guide: Guide, lang: str, tmp: Path) -> None:
        import schedula

        self.empty = schedula.EMPTY
        self.guide, self.lang = guide, lang
        self.layout = plan_layout(guide, lang)
        self.path = tmp / f"book_{lang}.xlsx"
        self.path.write_bytes(workbook_file_bytes(guide, lang))
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()
        self.nodes = set(self.model.dsp.data_nodes)

    def key(self, sheet: str, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"'[{self.path.name}]{sheet.upper()}'!{get_column_letter(col)}{row}"

    def check(self, case: dict[str, Any]) -> None:
        filled = ReferenceEvaluator(self.guide).fill(workbook_case(self.guide, case))
        expected = computed_values(self.guide, filled)
        where = computed_cells(self.layout, expected)
        inputs = {}
        for place, value in fill_cells(self.guide, self.layout, filled).items():
            key = self.key(*place)
            if key in self.nodes:
                inputs[key] = np.asarray([[self.empty if value is None else value]], object)
        outputs = {name: self.key(*place) for name, place in where.items()}
        solution = self.model.calculate(inputs=inputs, outputs=list(outputs.values()))
        got = {name: solution[key].value[0][0] for name, key in outputs.items()}
        diffs = {n: (expected[n], got[n]) for n in expected if not same(expected[n], got[n])}
        assert not diffs, f"{self.lang}: values differ (python, workbook) {diffs} for case {case}"


@pytest.fixture(scope="module")
def evaluators(guide: Guide, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Evaluator]:
    tmp = tmp_path_factory.mktemp("workbooks")
    return {lang: Evaluator(guide, lang, tmp) for lang in LANGS}


KNOWN_CASE = {
    "measure_name": "M",
    "has_measure": "yes",
    "signs": "raids testing",
    "people": "20",
    "budget": "2.5",
    "start_date": "2001-02-03",
    "status_iccpr": "ratified",
    "status_cat": "dont_know",
    "impacts": [
        {"right": "liberty", "direction": "negative", "scale": "3", "scope": "4"},
        {"right": "liberty", "direction": "negative", "scale": "5", "scope": "dk"},
        {"right": "health", "direction": "positive"},
        {"direction": "negative", "scale": "2", "scope": "1"},
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_known_case(evaluators: dict[str, Evaluator], lang: str) -> None:
    evaluators[lang].check(KNOWN_CASE)
    evaluators[lang].check({"has_measure": "no", "followup": "no", "people": "3"})


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_workbook_agrees_with_python(guide: Guide, evaluators: dict[str, Evaluator], data: st.DataObject) -> None:
    """Random cases, with blanks, don't-know answers and up to 25 records, in both languages."""
    case = data.draw(case_strategy(guide, max_records=25))
    for lang in LANGS:
        evaluators[lang].check(case)


# -- the file itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_parts_well_formed_and_named(guide: Guide, lang: str) -> None:
    data = workbook_file_bytes(guide, lang)
    assert data == workbook_file_bytes(guide, lang), "rebuild must be byte-identical"
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # raises on malformed XML
        assert any(n.startswith("xl/charts/") for n in z.namelist()), "dashboard chart missing"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = set(wb.defined_names)
    for item in guide.walk():
        if item.repeat is None and (item.is_question or item.type == "score"):
            assert item.name in names, item.name
    layout = plan_layout(guide, lang)
    assert wb[layout.questions_sheet].protection.sheet
    assert wb["lists"].sheet_state == "hidden"
    assert wb["meta"]["B2"].value == guide.form_id and wb["meta"]["B4"].value == lang
    table = layout.tables["impacts"]
    assert table.rows >= 30
    keys = [c.value for c in wb[table.sheet][2]]
    assert keys[0] == "repeat:impacts" and "right" in keys and "scale" in keys
    # drop-downs hold labels in the language
    dv_formulas = [dv.formula1 for dv in wb[layout.questions_sheet].data_validations.dataValidation]
    assert any("lists" in f for f in dv_formulas if f)
    people = wb[layout.questions_sheet].cell(layout.row_of["people"], Q_ANSWER)
    dvs = [dv for dv in wb[layout.questions_sheet].data_validations.dataValidation if people.coordinate in dv.sqref]
    assert dvs and dvs[0].type == "whole" and dvs[0].formula1 == "0" and dvs[0].formula2 == "100000"


def test_build_writes_workbooks(tmp_path: Path) -> None:
    import json

    from compiler.build import build

    build(GUIDE_DIR, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    books = {(e["path"], e["language"]) for e in manifest["outputs"] if e["kind"] == "workbook"}
    assert books == {("workbooks/test_guide_en.xlsx", "en"), ("workbooks/test_guide_fr.xlsx", "fr")}
    first = (tmp_path / "workbooks/test_guide_fr.xlsx").read_bytes()
    emit_workbooks(load_checked_guide(GUIDE_DIR)[0], tmp_path)  # folded, as build does
    assert (tmp_path / "workbooks/test_guide_fr.xlsx").read_bytes() == first


@pytest.mark.parametrize("lang", LANGS)
def test_read_back_round_trip(guide: Guide, lang: str, tmp_path: Path) -> None:
    case = workbook_case(guide, KNOWN_CASE)
    filled = ReferenceEvaluator(guide).fill(case)
    layout = plan_layout(guide, lang)
    wb = build_workbook(guide, lang)
    for (sheet, row, col), value in fill_cells(guide, layout, filled).items():
        if isinstance(value, int) and not isinstance(value, bool):  # a date serial
            value = datetime(1899, 12, 30) + __import__("datetime").timedelta(days=value)
        wb[sheet].cell(row, col).value = value
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    [record] = read_workbook(path, FormFields.from_guide(guide)).records
    top, rows = visible_answers(guide, filled)
    assert {name: record.values[name].value for name in top} == top
    impacts = [{k: a.value for k, a in r.values.items()} for r in record.repeats["impacts"]]
    assert impacts == [r for r in rows["impacts"] if any(r.values())]
    assert record.issues == []


# LibreOffice, the real other producer of these workbooks (.ci/run installs it in CI)
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
)


def libreoffice_save(source: Path, fmt: str, tmp_path: Path) -> Path:
    """`source` opened and saved again by headless LibreOffice as `fmt` ('xlsx' or 'ods'),
    with a private profile so that parallel runs do not share one."""
    out = tmp_path / f"libreoffice_{fmt}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/libreoffice_profile", "--headless",
         "--convert-to", fmt, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = out / f"{source.stem}.{fmt}"
    assert saved.is_file(), f"LibreOffice wrote no {saved.name}"
    return saved


@needs_libreoffice
def test_libreoffice_recalculates_the_same(guide: Guide, tmp_path: Path) -> None:
    """LibreOffice opens the filled workbook headless, recalculates, and agrees with Python."""
    lang = "fr"
    case = workbook_case(guide, KNOWN_CASE)
    filled = ReferenceEvaluator(guide).fill(case)
    layout = plan_layout(guide, lang)
    wb = build_workbook(guide, lang)
    for (sheet, row, col), value in fill_cells(guide, layout, filled).items():
        wb[sheet].cell(row, col).value = value
    source = tmp_path / "in" / "filled.xlsx"
    source.parent.mkdir()
    wb.save(source)
    result = openpyxl.load_workbook(libreoffice_save(source, "xlsx", tmp_path), data_only=True)
    expected = computed_values(guide, filled)
    diffs = {}
    for name, (sheet, row, col) in computed_cells(layout, expected).items():
        got = result[sheet].cell(row, col).value
        if not same(expected[name], "" if got is None else got):
            diffs[name] = (expected[name], got)
    assert not diffs, diffs


# -- layout and print: the real guide's workbooks as a user sees and prints them ----------------

REAL_GUIDE = Path(__file__).resolve().parents[1] / "guide_source"
REAL_LANGS = ("en", "fr", "es")
EMU_PER_CM = 360000


@pytest.fixture(scope="module")
def real_books() -> dict[str, tuple[Guide, bytes]]:
    """The real guide's workbook bytes per language (the guide checked, as `build` does)."""
    from compiler.loader import load_checked_guide

    guide = load_checked_guide(REAL_GUIDE)[0]
    return {lang: (guide, workbook_file_bytes(guide, lang)) for lang in REAL_LANGS}


def text_lines(value: str, width: float, size: float, bold: bool) -> int:
    """Lines a text needs in a wrapping cell: about 1.1 characters of 11-point text per unit of
    column width (1.0 when bold), fewer for a bigger font; words wrapped whole by textwrap."""
    import textwrap

    per_line = max(1, int(width * (1.0 if bold else 1.1) * 11 / size))
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in value.split("\n"))


def visible_sheets(wb: openpyxl.Workbook) -> list[Any]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_every_text_fits_its_row(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    """Every wrapped text (headers of the tables and the dashboard, titles merged across the
    sheet, questions, help) fits the height of its row, measured in lines of its font."""
    import io

    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(io.BytesIO(real_books[lang][1]))
    cut = []
    for ws in visible_sheets(wb):
        spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}

        def width(col: int, ws: Any = ws) -> float:
            dim = ws.column_dimensions.get(get_column_letter(col))
            return dim.width if dim is not None and dim.width else 8.43

        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str) or value.startswith("=") or not cell.alignment.wrap_text:
                    continue
                if ws.row_dimensions[cell.row].hidden:
                    continue
                if ws.column_dimensions[get_column_letter(cell.column)].hidden:
                    continue
                cols = range(cell.column, spans.get((cell.row, cell.column), cell.column) + 1)
                size = float(cell.font.sz or 11)
                lines = text_lines(value, sum(width(c) for c in cols), size, bool(cell.font.b))
                height = ws.row_dimensions[cell.row].height or 15
                if height < lines * size * 1.3:
                    cut.append(f"{ws.title}!{cell.coordinate}: {lines} lines in {height} pt: {value[:40]!r}")
    assert not cut, "\n".join(cut[:20])


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_dashboard_charts_show_every_right(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    """Each chart labels every right (no tick label skipped) and gives each one room for a
    two-line name; the categories are the whole per-right table."""
    import io

    guide, data = real_books[lang]
    rights = len(guide.lists["rights"].choices)
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml")]
        assert len(charts) == 2 and len(drawings) == 1
        heights = [int(e.get("cy")) for e in etree.fromstring(z.read(drawings[0])).iterfind(".//xdr:ext", ns)]
        assert len(heights) == 2
        for name in charts:
            chart = etree.fromstring(z.read(name))
            [skip] = chart.xpath("//c:catAx/c:tickLblSkip/@val", namespaces=ns)
            assert skip == "1", name
            for ref in chart.xpath("//c:cat//c:f/text()", namespaces=ns):
                first, last = (int("".join(ch for ch in part if ch.isdigit())) for part in ref.split(":"))
                assert last - first + 1 == rights, (name, ref)
    for height in heights:
        assert height / rights >= 0.8 * EMU_PER_CM, f"{height / EMU_PER_CM:.1f} cm for {rights} rights"


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_dashboard_lists_concerns_beside_gaps(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    import io

    guide, data = real_books[lang]
    layout = plan_layout(guide, lang)
    ws = openpyxl.load_workbook(io.BytesIO(data))[layout.dashboard_sheet]
    say = WorkbookPhrases(lang).say
    header = next(row for row in ws.iter_rows() if row[0].value == say("col_right"))
    texts = [c.value for c in header]
    gap = texts.index(say("col_gap"))
    assert texts[gap + 1] == say("col_concern")
    first_right = ws.cell(header[0].row + 1, gap + 2)
    assert first_right.value.endswith(f"{layout.computed['concern_' + guide.lists['rights'].choices[0].name].row}")
    assert first_right.alignment.horizontal == header[gap + 1].alignment.horizontal == "center"


@pytest.mark.parametrize("book", ["test", "real"])
def test_every_form_level_calculation_is_named(guide: Guide, real_books: dict[str, tuple[Guide, bytes]],
                                               book: str) -> None:
    """Every calculation and score outside repeats has a defined name, its name in the guide,
    on the cell holding its value (a formula), so that any of them can be read back."""
    import io

    from compiler.emitters.workbook.layout import defined_name

    if book == "real":
        the_guide, data = real_books["en"]
        assert "rec_covered_health" in {i.name for i in the_guide.walk()}
    else:
        the_guide, data = guide, workbook_file_bytes(guide, "en")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    computed = [i for i in the_guide.walk() if i.repeat is None and i.is_computed]
    assert any(i.type == "calculate" for i in computed)
    for item in computed:
        name = wb.defined_names.get(defined_name(item.name))
        assert name is not None, item.name
        [(sheet, ref)] = list(name.destinations)
        value = wb[sheet][ref.replace("$", "")].value
        assert isinstance(value, str) and value.startswith("="), (item.name, value)


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_print_settings(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    """Every visible sheet prints its used columns fitted to the page width on A4, with its
    header rows repeated on every page; tables also repeat the record number."""
    import io

    from openpyxl.utils import get_column_letter, range_boundaries

    guide, data = real_books[lang]
    layout = plan_layout(guide, lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in visible_sheets(wb):
        setup = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth) >= 1 and int(setup.fitToHeight) == 0, ws.title
        assert str(setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.print_area, ws.title
        _, _, max_col, max_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
        used = [c for c in range(1, ws.max_column + 1)
                if not ws.column_dimensions[get_column_letter(c)].hidden
                and any(ws.cell(r, c).value is not None for r in range(1, ws.max_row + 1))]
        assert max(used) <= max_col, ws.title
        if ws.title != layout.instructions_sheet:
            assert setup.orientation == "landscape" and ws.print_title_rows, ws.title
    assert int(wb[layout.questions_sheet].page_setup.fitToWidth) == 1  # question, answer and help together
    for table in layout.tables.values():
        assert wb[table.sheet].print_title_cols == "$A:$A"


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_other_columns_grey_out(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    """Every table column of a field with a skip rule greys out where it does not apply,
    free-text 'other' columns (no drop-down) included."""
    import io

    from openpyxl.utils import get_column_letter

    guide, data = real_books[lang]
    layout = plan_layout(guide, lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    others = set()
    for table in layout.tables.values():
        ws = wb[table.sheet]
        greyed = {str(cf.sqref) for cf in ws.conditional_formatting}
        for column in table.answer_columns():
            assert column.item is not None
            if column.item.relevant is None:
                continue
            letter = get_column_letter(column.col)
            assert f"{letter}{T_FIRST_ROW}:{letter}{table.last_row}" in greyed, (table.sheet, column.key)
            if column.item.name.endswith("_other"):
                others.add(column.item.name)
    assert {"affected_group_other", "rec_to_other"} <= others


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_protection_allows_resizing_and_answers_are_yellow(real_books: dict[str, tuple[Guide, bytes]],
                                                          lang: str) -> None:
    """Sheets are protected but rows and columns may be resized (formatRows/formatColumns
    off); answer cells are the yellow cells the README and instructions speak of."""
    import io

    guide, data = real_books[lang]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            [protection] = etree.fromstring(z.read(name)).iterfind(
                "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheetProtection")
            assert protection.get("sheet") == "1"
            assert protection.get("formatRows") == "0" and protection.get("formatColumns") == "0", name
    layout = plan_layout(guide, lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cell = wb[layout.questions_sheet].cell(layout.row_of["qs_measure_name"], Q_ANSWER)
    red, green, blue = (int(cell.fill.fgColor.rgb[i:i + 2], 16) for i in (2, 4, 6))
    assert not cell.protection.locked and red > 0xF0 and green > 0xD0 and blue < 0xE0, cell.fill.fgColor.rgb
    readme = (REAL_GUIDE.parent / "README.md").read_text()
    assert "yellow answer cells" in readme
    assert any("yellow" in line for line in WorkbookPhrases("en").lines("how", questions="", yes="", no="",
                                                                        check="", tables="", scores="",
                                                                        dashboard=""))


@pytest.mark.parametrize("lang", REAL_LANGS)
def test_scores_show_labels_beside_their_names(real_books: dict[str, tuple[Guide, bytes]], lang: str) -> None:
    """A value sits at the top of its row, beside its label; a text result (the Quick Scan
    outcome) shows its label, the choice name being in the named hidden cell."""
    import io

    from openpyxl.utils import get_column_letter

    from compiler.emitters.workbook.layout import S_LABEL, S_VALUE

    guide, data = real_books[lang]
    layout = plan_layout(guide, lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[layout.scores_sheet]
    for place in layout.computed.values():
        if place.sheet != layout.scores_sheet:
            continue
        value = ws.cell(place.row, S_VALUE)
        assert ws.cell(place.row, S_LABEL).alignment.vertical == value.alignment.vertical == "top"
    outcome = layout.computed["qs_outcome"]
    shown = ws.cell(outcome.row, S_VALUE).value
    assert shown.startswith("=IFERROR(INDEX('lists'!") and "not_feasible" not in shown
    code_col = score_value_col(outcome.item)
    assert ws.column_dimensions[get_column_letter(code_col)].hidden
    [(_, ref)] = list(wb.defined_names["qs_outcome"].destinations)
    assert ref.replace("$", "") == f"{get_column_letter(code_col)}{outcome.row}"
    assert "full_safety_first" in guide.lists["qs_outcomes"].names()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_workbooks(real_books: dict[str, tuple[Guide, bytes]], tmp_path: Path) -> None:
    """LibreOffice prints each language's workbook to PDF: at most 120 pages for the guide's
    ~650 questions (240-280 for far fewer before the print settings), every page footed with its sheet, the questions sheet's header on each of
    its pages, and the Quick Scan outcome in words, never as its choice name."""
    import pypdfium2
    from support.pdf_pages import pages_cut_on_the_right

    sources = tmp_path / "in"
    sources.mkdir()
    for lang, (_, data) in real_books.items():
        (sources / f"book_{lang}.xlsx").write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "out"), *sorted(str(p) for p in sources.iterdir())],
        check=True, capture_output=True, timeout=300,
    )
    for lang, (guide, _) in real_books.items():
        layout = plan_layout(guide, lang)
        say = WorkbookPhrases(lang).say
        pdf = pypdfium2.PdfDocument(tmp_path / "out" / f"book_{lang}.pdf")
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        assert 20 <= len(pages) <= 120, (lang, len(pages))
        for number, page in enumerate(pages, start=1):
            assert f"\u2013 {number} / {len(pages)}" in page, (lang, number)
        # no text runs off the page (the instructions' one wide column did: LibreOffice does
        # not scale a single column down to the page width)
        assert pages_cut_on_the_right(tmp_path / "out" / f"book_{lang}.pdf") == [], lang
        questions = [p for p in pages if p.startswith(layout.questions_sheet + " \u2013")]
        assert len(questions) >= 5
        assert all(say("col_answer") in p and say("col_help") in p for p in questions), lang
        outcome = guide.text(guide.lists["qs_outcomes"].get("not_feasible").label, lang)
        scores = "\n".join(p for p in pages if p.startswith(layout.scores_sheet + " \u2013"))
        assert outcome in scores.replace("\r\n", " ") and "not_feasible" not in scores, lang
