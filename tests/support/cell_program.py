"""Evaluate a workbook's formulas with the `formulas` package, fast enough for thousands of cases.

`formulas.ExcelModel` rebuilds its whole dispatch graph for every workbook (about 0.3 s a
case). Here each distinct formula text is compiled by the same package once, and the cells are
evaluated in dependency order with plain calls, so a workbook laid out the same way for every
case (same sheets, same formulas, other answers) costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import formulas
import numpy as np
import openpyxl
import schedula as sh
from openpyxl.utils import get_column_letter, range_boundaries

Key = str  # 'SHEET!A1', upper case


class CellProgram:
    """Compiles formulas once (cached by text) and evaluates workbooks cell by cell."""

    def __init__(self) -> None:
        self._compiled: dict[str, Callable[..., Any]] = {}

    def _compile(self, text: str) -> Callable[..., Any]:
        fn = self._compiled.get(text)
        if fn is None:
            fn = formulas.Parser().ast(text)[1].compile()
            self._compiled[text] = fn
        return fn

    def evaluate(self, wb: openpyxl.Workbook) -> dict[Key, Any]:
        """The value of every cell, formulas computed, by 'SHEET!A1' (upper case)."""
        values: dict[Key, Any] = {}
        pending: dict[Key, str] = {}
        for ws in wb.worksheets:
            sheet = ws.title.upper()
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    key = f"{sheet}!{cell.coordinate}"
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        pending[key] = cell.value
                    else:
                        values[key] = cell.value
        busy: set[Key] = set()

        def value_of(key: Key) -> Any:
            if key in values:
                return values[key]
            text = pending.get(key)
            if text is None:
                return sh.EMPTY
            if key in busy:
                raise RuntimeError(f"circular reference at {key}")
            busy.add(key)
            fn = self._compile(text)
            args = [argument(ref) for ref in fn.inputs]
            result = fn(*args)
            busy.discard(key)
            value = _scalar(result)
            values[key] = value
            return value

        def argument(ref: str) -> np.ndarray:
            sheet, _, cells = ref.rpartition("!")
            if ":" not in cells:
                return np.array([[value_of(f"{sheet}!{cells}")]], dtype=object)
            min_col, min_row, max_col, max_row = range_boundaries(cells)
            return np.array(
                [
                    [value_of(f"{sheet}!{get_column_letter(c)}{r}") for c in range(min_col, max_col + 1)]
                    for r in range(min_row, max_row + 1)
                ],
                dtype=object,
            )

        for key in list(pending):
            value_of(key)
        return values




def _scalar(result: Any) -> Any:
    """The single value a cell formula gives (formulas returns arrays, Ranges or scalars)."""
    if hasattr(result, "value") and isinstance(getattr(result, "value", None), np.ndarray):
        result = result.value
    while isinstance(result, np.ndarray):
        result = result.item() if result.ndim == 0 else result.flat[0]
    return result
