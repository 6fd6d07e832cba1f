"""Compare a value Excel (or LibreOffice, or `formulas`) computed with the Python evaluator's."""

from __future__ import annotations

import math
from typing import Any


def same(python: str, excel: Any) -> bool:
    """True when the Excel value equals the evaluator's text: texts exactly, booleans as
    'true'/'false', numbers within 1e-9. An Excel error never equals anything: a score cell
    formula should never give one."""
    if isinstance(excel, str):
        return excel == python
    if isinstance(excel, bool):
        return python == ("true" if excel else "false")
    try:
        x = float(excel)
    except (TypeError, ValueError):
        return False
    if python == "" or math.isnan(x):
        return False
    return abs(float(python) - x) < 1e-9
