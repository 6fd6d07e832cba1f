"""CSV tables read column by column (`readers.text_rows`, `column_rows`) give exactly what the
row-by-row reader (`tables.convert_row`) gives, on real exports (Kobo CSV and ODK Central
tables of the household demo, every variant) and on the hostile corpus; and the column
helpers they lean on (line cutting, xpath functions over distinct texts) agree with the
plain ones."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from compiler.expressions import xpath_runtime as rt
from compiler.expressions.numpy_code import _distinct_texts
from compiler.importer import FormFields
from compiler.importer.column_rows import ColumnRow, gather
from compiler.importer.readers.central_zip import CENTRAL_META
from compiler.importer.readers.csv_text import _LINE, _lines, read_rows
from compiler.importer.readers.kobo_common import KOBO_META
from compiler.importer.readers.tables import convert_row, match_columns
from compiler.importer.readers.text_rows import chunked, convert_rows
from compiler.importer.records import Source
from compiler.loader import load_checked_guide

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path("/work/shared/fixtures/household_demo")
HOSTILE = ROOT / "tests" / "hostile" / "corpus"


def _tables() -> list[tuple[str, bytes]]:
    found = [(str(p), p.read_bytes()) for p in sorted((DEMO / "kobo").glob("*.csv"))]
    for archive in sorted(DEMO.glob("*.csv.zip")):
        with zipfile.ZipFile(archive) as z:
            found += [
                (f"{archive.name}:{n}", z.read(n)) for n in z.namelist() if n.endswith(".csv")
            ]
    return found


def _same(where: str, rows: list, cmap, size: int) -> None:
    sources = [Source(where, None, number) for number, _ in rows]
    want = [
        convert_row(cmap, cells, source) for (_, cells), source in zip(rows, sources, strict=True)
    ]
    got = []
    for chunk in chunked(rows, size):
        got += convert_rows(cmap, chunk, [Source(where, None, n) for n, _ in chunk])
    assert len(got) == len(want)
    for a, b in zip(want, got, strict=True):
        assert list(a.values.items()) == list(b.values.items()), where
        assert list(a.carried.items()) == list(b.carried.items()), where
        assert list(a.metadata.items()) == list(b.metadata.items()), where
        assert [(i.field, i.message, i.source) for i in a.issues] == [
            (i.field, i.message, i.source) for i in b.issues
        ], where


@pytest.mark.skipif(not DEMO.exists(), reason="real export fixtures not available")
@pytest.mark.parametrize("size", [1, 2, 1000])
def test_demo_exports_read_by_columns_as_by_rows(size: int) -> None:
    fields = FormFields.from_xform(DEMO / "form" / "household.xml")
    tables = _tables()
    assert len(tables) > 10
    for where, data in tables:
        header, rows, _ = read_rows(data, where)
        for repeat in [None, *(r.name for r in fields.repeats())]:
            meta = CENTRAL_META if ".zip:" in where else KOBO_META
            _same(where, rows, match_columns(header, fields, repeat, meta), size)


def test_hostile_csv_read_by_columns_as_by_rows() -> None:
    guide = load_checked_guide(ROOT / "guide_source")[0]
    forms = [FormFields.from_guide(form) for form in guide.all_forms()]
    read = 0
    for path in sorted(HOSTILE.glob("*.csv")):
        try:
            header, rows, _ = read_rows(path.read_bytes(), str(path))
        except Exception:  # noqa: BLE001 - files the reader refuses have no rows to compare
            continue
        read += 1
        for fields in forms:
            for size in (1, 3):
                _same(str(path), rows, match_columns(header, fields, None, KOBO_META), size)
    assert read >= 8


def test_column_row_is_the_mapping_of_its_row() -> None:
    columns = {"a": ["1", "2"], "b": ["x", ""]}
    row = ColumnRow(columns, 1)
    assert row == {"a": "2", "b": ""}
    assert row["a"] == "2" and row.get("b") == "" and row.get("c", 7) == 7
    assert "a" in row and "c" not in row and len(row) == 2 and list(row) == ["a", "b"]
    assert row.items() == [("a", "2"), ("b", "")] and row.values() == ["2", ""]
    with pytest.raises(KeyError):
        row["c"]


def test_gather_takes_slices_of_each_chunk_and_refuses_other_rows() -> None:
    first = {"a": ["1", "2", "3"]}
    second = {"a": ["4", "5"], "b": ["y", "z"]}
    rows = [ColumnRow(first, 1), ColumnRow(first, 2), ColumnRow(second, 0), ColumnRow(second, 1)]
    assert gather(rows, ["a", "b"], None) == {
        "a": ["2", "3", "4", "5"],
        "b": [None, None, "y", "z"],
    }
    assert gather([ColumnRow(first, 2), ColumnRow(first, 0)], ["a"], None) == {"a": ["3", "1"]}
    assert gather([*rows, {"a": "6"}], ["a"], None) is None
    assert gather([], ["a"], None) == {"a": []}


def test_lines_cut_as_the_line_pattern_cuts_them() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice('ab;\r\n"') for _ in range(rng.randint(0, 40)))
        assert list(_lines(text)) == [m.group() for m in _LINE.finditer(text)], repr(text)


def test_xpath_functions_over_distinct_texts_give_what_each_call_gives() -> None:
    rng = random.Random(3)
    equals = np.frompyfunc(rt.equals, 2, 1)
    for _ in range(50):
        size = rng.randint(64, 300)
        texts = ["", "1", "1.0", "2", "abc", " 1", "true", "0"]
        a = np.array([rng.choice(texts) for _ in range(size)], dtype=object)
        b = np.array([rng.choice(texts) for _ in range(size)], dtype=object)
        got = _distinct_texts(equals, [a, b])
        assert got is not None
        assert got.tolist() == np.asarray(equals(a, b), dtype=object).tolist()
    mixed = np.array(["1"] * 63 + [1.0], dtype=object)
    assert _distinct_texts(equals, [mixed, mixed]) is None  # 1.0 is a number, not a text
    assert _distinct_texts(equals, [np.array([True] * 64, dtype=object)] * 2) is None
