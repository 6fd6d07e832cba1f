"""The Excel target must compute every calculation and score exactly as the Python evaluator
does: random answer sets for the test guide are written into a workbook whose calculations
are ExcelGenerator formulas, the workbook is evaluated by the `formulas` package, and each
computed cell is compared with ReferenceEvaluator's value."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import formulas
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from support.cases import case_strategy, random_case
from support.cell_program import CellProgram
from support.excel_values import computed_values, same

from compiler.expressions.excel import ExcelGenerator
from compiler.loader import load_guide
from compiler.model import Guide
from compiler.scoring import ReferenceEvaluator
from compiler.scoring.evaluator import FilledForm, as_text

GUIDE_DIR = Path(__file__).parent / "guides" / "full"
ROWS = 6  # rows per repeat table; cases have at most 4 records
CASES_PER_WORKBOOK = 20
ROW = "#ROW#"


class SheetResolver:
    """One case's sheets: 'A<k>' (name, value) and one 'R<k>_<repeat>' table per repeat with a
    '_record' column, a column per field and helper columns added on request."""

    def __init__(self, guide: Guide, k: int) -> None:
        self.k = k
        self.top = [
            i for i in guide.walk() if i.repeat is None and (i.is_question or i.is_computed)
        ]
        self.row_of = {item.name: n for n, item in enumerate(self.top, start=1)}
        self.repeats = [i for i in guide.walk() if i.type == "repeat"]
        self.columns: dict[str, list[str]] = {}  # repeat -> header names
        self.formulas: dict[str, dict[str, str]] = {}  # repeat -> header -> per-row formula
        for rep in self.repeats:
            fields = [
                c.name for c in rep.walk() if c.repeat is rep and (c.is_question or c.is_computed)
            ]
            self.columns[rep.name] = ["_record", *fields]
            self.formulas[rep.name] = {}

    def sheet(self, repeat: str) -> str:
        return f"R{self.k}_{repeat}"

    def cell(self, name: str) -> str:
        return f"A{self.k}!$B${self.row_of[name]}"

    def _col(self, repeat: str, header: str) -> str:
        return get_column_letter(self.columns[repeat].index(header) + 1)

    def record_cell(self, repeat: str, field: str) -> str:
        return f"{self.sheet(repeat)}!${self._col(repeat, field)}{ROW}"

    def record_present(self, repeat: str) -> str:
        return f"{self.record_cell(repeat, '_record')}=1"

    def helper_column(self, repeat: str, per_row_formula: str) -> str:
        header = f"_h{len(self.formulas[repeat]) + 1}"
        self.columns[repeat].append(header)
        self.formulas[repeat][header] = per_row_formula
        col = self._col(repeat, header)
        return f"{self.sheet(repeat)}!${col}$2:${col}${ROWS + 1}"


def blank_hidden(guide: Guide, filled: FilledForm) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """Answers as expressions see them: non-relevant questions (and records) blank or left out."""
    top: dict[str, Any] = {}
    records: dict[str, list[dict]] = {}
    for item in guide.walk():
        if item.is_question and item.repeat is None:
            ok = filled.relevant.get(item.xpath, True)
            top[item.name] = filled.values.get(item.name, "") if ok else ""
        elif item.type == "repeat" and item.repeat is None:
            kept = []
            for index, record in enumerate(filled.values.get(item.name, []), start=1):
                base = f"{item.xpath}[{index}]"
                if not filled.relevant.get(base, True):
                    continue
                kept.append(
                    {
                        f.name: (
                            record.get(f.name, "")
                            if filled.relevant.get(f"{base}/{f.name}", True)
                            else ""
                        )
                        for f in item.children
                        if f.is_question
                    }
                )
            records[item.name] = kept
    return top, records


def cell_value(value: Any) -> Any:
    if isinstance(value, float):
        return value
    text = as_text(value)
    return text if text != "" else None


def add_case(wb: openpyxl.Workbook, guide: Guide, k: int, filled: FilledForm) -> dict[str, str]:
    """Write one case's sheets; the cells (sheet!A1 form) of every computed value by name
    ('name' or 'repeat[i]/name')."""
    res = SheetResolver(guide, k)
    top, records = blank_hidden(guide, filled)
    answers = wb.create_sheet(f"A{k}")
    watch: dict[str, str] = {}
    row_formulas: dict[str, dict[str, str]] = {}
    for item in res.top:
        row = res.row_of[item.name]
        answers.cell(row, 1, item.name)
        if item.is_question:
            answers.cell(row, 2, cell_value(top.get(item.name, "")))
        else:
            assert item.formula is not None and item.formula.tree is not None
            answers.cell(row, 2, "=" + ExcelGenerator(guide, res).cell_formula(item.formula.tree))
            watch[item.name] = f"A{k}!B{row}"
    for rep in res.repeats:
        row_formulas[rep.name] = {
            c.name: ExcelGenerator(guide, res, rep.name).cell_formula(c.formula.tree)
            for c in rep.walk()
            if c.repeat is rep
            and c.is_computed
            and c.formula is not None
            and c.formula.tree is not None
        }
    for rep in res.repeats:  # after all formulas: helper columns are known
        ws = wb.create_sheet(res.sheet(rep.name))
        headers = res.columns[rep.name]
        per_row = {**row_formulas[rep.name], **res.formulas[rep.name]}
        for col, header in enumerate(headers, start=1):
            ws.cell(1, col, header)
        for index in range(ROWS):
            row = index + 2
            record = records[rep.name][index] if index < len(records[rep.name]) else None
            for col, header in enumerate(headers, start=1):
                if header == "_record":
                    ws.cell(row, col, 1 if record is not None else None)
                elif header in per_row:
                    if header in row_formulas[rep.name] and record is None:
                        continue
                    ws.cell(row, col, "=" + per_row[header].replace(ROW, str(row)))
                    if header in row_formulas[rep.name]:
                        watch[f"{rep.name}[{index + 1}]/{header}"] = (
                            f"{ws.title}!{get_column_letter(col)}{row}"
                        )
                elif record is not None:
                    ws.cell(row, col, cell_value(record.get(header, "")))
    return watch




def evaluate(wb: openpyxl.Workbook) -> dict[str, Any]:
    """Every cell's value computed by `formulas`, by 'SHEET!A1' (upper case)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        wb.save(path)
        solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out: dict[str, Any] = {}
    for key, ranges in solution.items():
        if "!" not in key or ":" in key:
            continue
        sheet, ref = key.rsplit("!", 1)
        value = ranges.value[0][0]
        out[f"{sheet.split(']')[-1].strip(chr(39))}!{ref}".upper()] = value
    return out




@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(GUIDE_DIR)


def check_batch(guide: Guide, cases: list[dict]) -> None:
    evaluator = ReferenceEvaluator(guide)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    expected: list[tuple[dict, dict[str, str], dict[str, str]]] = []
    for k, case in enumerate(cases):
        filled = evaluator.fill(case)
        watch = add_case(wb, guide, k, filled)
        expected.append((case, computed_values(guide, filled), watch))
    values = evaluate(wb)
    for case, python, watch in expected:
        assert set(python) == set(watch), (set(python) ^ set(watch), case)
        diffs = {
            name: (python[name], values.get(watch[name].upper()))
            for name in python
            if not same(python[name], values.get(watch[name].upper()))
        }
        assert not diffs, f"values differ (python, excel) {diffs} for case {case}"


def test_known_case(guide: Guide) -> None:
    """A hand-written case touching every score of the test guide."""
    case = {
        "measure_name": "M",
        "has_measure": "yes",
        "signs": "raids testing",
        "people": "20",
        "budget": "2.5",
        "status_iccpr": "ratified",
        "status_cat": "dont_know",
        "impacts": [
            {"right": "liberty", "direction": "negative", "scale": "3", "scope": "4"},
            {"right": "liberty", "direction": "negative", "scale": "5", "scope": "dk"},
            {"right": "health", "direction": "positive"},
            {"direction": "negative", "scale": "2", "scope": "1"},
        ],
    }
    check_batch(guide, [case])


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_excel_agrees_with_python(guide: Guide, data: st.DataObject) -> None:
    strategy = case_strategy(guide)
    cases = [data.draw(strategy) for _ in range(CASES_PER_WORKBOOK)]
    check_batch(guide, cases)


BULK = 500  # with the drawn cases and the consultation's: over 650 cases a run


def test_thousand_seeded_cases_agree(guide: Guide) -> None:
    """500 seeded cases, each formula compiled once by `formulas` and evaluated per case; a few
    cases are also run through formulas' own ExcelModel to prove the fast path computes the same."""
    seeded_cases_agree(guide, BULK)


def test_consultation_seeded_cases_agree() -> None:
    """The real guide's consultation form: its formulas in Excel give the evaluator's values."""
    main = load_guide(Path(__file__).parents[1] / "guide_source")
    seeded_cases_agree(main.form("right_guide_consultation"), 150)


def seeded_cases_agree(guide: Guide, bulk: int) -> None:
    evaluator = ReferenceEvaluator(guide)
    program = CellProgram()
    rng = random.Random(20261128)
    for number in range(bulk):
        case = random_case(guide, rng)
        filled = evaluator.fill(case)
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        watch = add_case(wb, guide, 0, filled)
        values = program.evaluate(wb)
        python = computed_values(guide, filled)
        diffs = {
            name: (python[name], values.get(cell.upper()))
            for name, cell in watch.items()
            if not same(python[name], values.get(cell.upper()))
        }
        assert not diffs, f"values differ (python, excel) {diffs} for case {case}"
        if number < 3:
            model = evaluate(wb)
            assert all(str(values.get(c.upper())) == str(model.get(c.upper())) for c in watch.values())
