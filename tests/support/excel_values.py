"""Compare a value Excel (or LibreOffice, or `formulas`) computed with the Python evaluator's."""

from __future__ import annotations

import math
from typing import Any

from compiler.model import Guide
from compiler.scoring.evaluator import FilledForm, as_text


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


def computed_values(guide: Guide, filled: FilledForm) -> dict[str, str]:
    """Every calculation and score the evaluator filled, as text, by 'name' outside repeats and
    'repeat[i]/name' inside them: what an Excel rendering must reproduce."""
    out: dict[str, str] = {}
    for item in guide.walk():
        if item.is_computed and item.repeat is None:
            out[item.name] = as_text(filled.values.get(item.name, ""))
    for rep in guide.repeats():
        for index, record in enumerate(filled.values.get(rep.name, []), start=1):
            for f in rep.children:
                if f.is_computed:
                    out[f"{rep.name}[{index}]/{f.name}"] = as_text(record.get(f.name, ""))
    return out
