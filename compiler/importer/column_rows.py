"""A record's values kept in the columns of the chunk of rows it was read with.

Readers of CSV tables convert a chunk of rows column by column (`readers.text_rows`); each
record's answers and carried calculations are then a `ColumnRow`, a read-only mapping onto
its row of those columns, instead of a dict of its own. Whoever reads a record reads it as a
mapping, as before; the analyser takes whole columns back at once (`gather`) without looking
at a record's values one by one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from typing import Any


class ColumnRow(Mapping[str, Any]):
    """Row `index` of columns by name (every column as long as the chunk), as a mapping."""

    __slots__ = ("columns", "index")

    def __init__(self, columns: dict[str, list[Any]], index: int) -> None:
        self.columns = columns
        self.index = index

    def __getitem__(self, name: str) -> Any:
        return self.columns[name][self.index]

    def get(self, name: str, default: Any = None) -> Any:
        column = self.columns.get(name)
        return default if column is None else column[self.index]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override] - a list: faster
        index = self.index
        return [(name, column[index]) for name, column in self.columns.items()]

    def values(self) -> list[Any]:  # type: ignore[override] - a list: faster
        index = self.index
        return [column[index] for column in self.columns.values()]

    def __repr__(self) -> str:
        return f"ColumnRow({dict(self.items())!r})"


def gather(
    rows: Sequence[Mapping[str, Any]], names: list[str], default: Any
) -> dict[str, list[Any]] | None:
    """The values of `names` over rows as columns (default where a row has no such name), when
    every row is a ColumnRow: slices of their chunks' columns, no row looked at one by one.
    None when some row is not one (the caller reads the rows themselves)."""
    runs: list[list[Any]] = []  # [columns, first index, index after the last]
    for row in rows:
        if type(row) is not ColumnRow:
            return None
        if runs and runs[-1][0] is row.columns and runs[-1][2] == row.index:
            runs[-1][2] += 1
        else:
            runs.append([row.columns, row.index, row.index + 1])
    out: dict[str, list[Any]] = {}
    for name in names:
        parts = [
            columns[name][start:stop] if name in columns else [default] * (stop - start)
            for columns, start, stop in runs
        ]
        out[name] = parts[0] if len(parts) == 1 else list(chain.from_iterable(parts))
    return out
