"""Inputs read as streams (`importer.iter_inputs`) and scored in chunks (`score_inputs`) give
what reading them whole gives: the same records, rejected rows and notes, the same scored
document; repeat sheets read alongside the main sheet when their rows are in their parents'
order, and the whole input read first when they are not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from support.synthetic import generate_exports

from compiler.analysis.document import scores_document
from compiler.analysis.pipeline import analyse, score_inputs
from compiler.importer import FormFields, ReadResult, iter_input, read_input, read_inputs
from compiler.importer.readers.kobo_xlsx import iter_kobo_xlsx
from compiler.importer.readers.tables import OutOfOrder
from compiler.loader import load_checked_guide

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path("/work/shared/fixtures/household_demo")
GUIDE = load_checked_guide(ROOT / "guide_source")[0]
FIELDS = FormFields.from_guide(GUIDE)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate_exports(tmp_path_factory.mktemp("exports"), 40)


def _whole_document(paths: list[Path]) -> str:
    records, rejected, notes = read_inputs(paths, FIELDS)
    return json.dumps(scores_document(GUIDE, analyse(GUIDE, records, rejected, notes), "en"))


def _streamed_document(paths: list[Path]) -> str:
    return json.dumps(scores_document(GUIDE, score_inputs(GUIDE, paths), "en"))


def _streamed(path: Path, fields: FormFields, join: bool = True) -> ReadResult:
    out = ReadResult()
    out.records.extend(iter_input(path, fields, out, join=join))
    return out


def _reversed_sheet(source: Path, target: Path, sheet: str) -> Path:
    """The workbook with the data rows of one sheet in reverse order (sorted by hand)."""
    book = openpyxl.load_workbook(source)
    ws = book[sheet]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    for index, row in enumerate(reversed(rows), start=2):
        for column, value in enumerate(row, start=1):
            ws.cell(index, column, value)
    book.save(target)
    return target


@pytest.mark.parametrize("fmt", ["kobo-xlsx", "kobo-csv", "central", "collect"])
def test_scored_in_chunks_as_when_read_whole(exports: dict[str, Path], fmt: str) -> None:
    doc = _streamed_document([exports[fmt]])
    assert doc == _whole_document([exports[fmt]])
    assert len(json.loads(doc)["submissions"]) == 40


def test_the_same_export_twice_is_one_submission_each(exports: dict[str, Path]) -> None:
    paths = [exports["kobo-xlsx"], exports["central"]]
    doc = _streamed_document(paths)
    assert doc == _whole_document(paths)
    run = score_inputs(GUIDE, paths)
    assert len(run.submissions) == 40 and len(run.rejected) == 40
    assert all("duplicate of" in r.reason for r in run.rejected)


def test_repeat_rows_in_order_are_joined_in_one_pass(exports: dict[str, Path]) -> None:
    out = ReadResult()
    joined = list(iter_kobo_xlsx(exports["kobo-xlsx"], FIELDS, out, join=True))
    whole = read_input(exports["kobo-xlsx"], FIELDS)
    assert joined == whole.records
    assert sum(len(r.repeats["impacts"]) for r in joined) == 120
    assert out.rejected == whole.rejected and out.notes == whole.notes


def test_repeat_rows_out_of_order_are_read_whole(exports: dict[str, Path], tmp_path: Path) -> None:
    path = _reversed_sheet(exports["kobo-xlsx"], tmp_path / "sorted.xlsx", "impacts")
    with pytest.raises(OutOfOrder):
        list(iter_kobo_xlsx(path, FIELDS, ReadResult(), join=True))
    assert _streamed_document([path]) == _whole_document([path])
    original = read_input(exports["kobo-xlsx"], FIELDS).records
    reordered = read_input(path, FIELDS).records
    # the same impacts under each submission, in the sheet's (now reversed) order
    for a, b in zip(original, reordered, strict=True):
        assert len(a.repeats["impacts"]) == len(b.repeats["impacts"])


def test_orphan_repeat_rows_are_rejected_as_when_read_whole(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "orphans.xlsx"
    book = openpyxl.load_workbook(exports["kobo-xlsx"])
    ws = book["impacts"]
    parent = [c.value for c in ws[1]].index("_parent_index") + 1
    ws.cell(ws.max_row, parent, 99999)  # the last impact row points to no submission
    book.save(path)
    with pytest.raises(OutOfOrder):  # the one pass cannot place it: read whole, to say why
        list(iter_kobo_xlsx(path, FIELDS, ReadResult(), join=True))
    run = score_inputs(GUIDE, [path])
    assert _streamed_document([path]) == _whole_document([path])
    assert len(run.rejected) == 1
    assert "row _index '99999' of the main sheet, which is not in the input" in run.rejected[0].reason


def test_central_repeat_rows_in_order_are_joined_in_one_pass(exports: dict[str, Path]) -> None:
    joined = _streamed(exports["central"], FIELDS)
    whole = read_input(exports["central"], FIELDS)
    assert joined.records == whole.records and joined.notes == whole.notes
    assert sum(len(r.repeats["impacts"]) for r in joined.records) == 120


@pytest.mark.skipif(not DEMO.exists(), reason="household demo fixtures not found")
@pytest.mark.parametrize(
    "path",
    sorted((DEMO / "kobo").glob("*")) + sorted((DEMO / "central").glob("*.zip"))
    + [p for p in sorted((DEMO / "collect_instances").glob("*")) if p.is_dir()],
    ids=lambda p: p.name,
)  # fmt: skip
def test_real_exports_stream_as_they_read_whole(path: Path, tmp_path: Path) -> None:
    fields = FormFields.from_xform(DEMO / "form" / "household.xml")
    if path.is_dir():  # one instance folder: read as a folder of instances
        path = Path(shutil.copytree(path, tmp_path / path.name))
    whole = read_input(path, fields)
    streamed = _streamed(path, fields)  # in one pass: OutOfOrder would fail the test
    assert streamed.records == whole.records
    assert streamed.rejected == whole.rejected
    assert streamed.notes == whole.notes
    assert whole.records
