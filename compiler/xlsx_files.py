"""Write .xlsx files that are byte-identical for the same content, and text that stays text."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def set_text(cell: Cell, value: str | None) -> None:
    """Put text in a cell as a string, even when it starts with '=' (openpyxl would make a formula)."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes with fixed timestamps, so the same content gives the same bytes."""
    _fix_properties(wb)
    raw = io.BytesIO()
    wb.save(raw)
    return normalise_zip(raw.getvalue())


def save_workbook(wb: Workbook, path: Path) -> None:
    """Write the bytes `workbook_bytes` gives to path atomically, through a temporary file
    rather than memory: a large workbook (scores of 100,000 submissions) is never held whole,
    unzipped or zipped."""
    _fix_properties(wb)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as tmp:
        saved = Path(tmp) / "saved.xlsx"
        wb.save(saved)
        with saved.open("rb") as src, atomic_file(path) as out:
            _normalise(src, out)


@contextmanager
def discarded_on_error(wb: Workbook) -> Iterator[Workbook]:
    """Fill and save a write-only workbook inside this block: when anything stops it (an error,
    SIGTERM), each sheet's half-written stream is closed and its temporary file removed here.
    Left open, the streams are closed by the garbage collector at exit, and lxml prints a
    traceback for each one ("Exception ignored in ... get_stream")."""
    try:
        yield wb
    except BaseException:
        for ws in getattr(wb, "_sheets", []):
            writer = getattr(ws, "_writer", None)
            # the rows inside the sheet's element first, then the sheet's stream
            for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
                if stream is not None:
                    with suppress(Exception):
                        stream.close()
            out = getattr(writer, "out", None)
            if isinstance(out, str):
                with suppress(Exception):
                    writer.cleanup()
        raise


def _fix_properties(wb: Workbook) -> None:
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = None
    wb.properties.creator = "rightguide"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps and a modification time in core.xml fixed too."""
    out = io.BytesIO()
    _normalise(io.BytesIO(data), out)
    return out.getvalue()


def _normalise(data: BinaryIO, out: BinaryIO) -> None:
    """`normalise_zip` from one file to another, each member copied a piece at a time."""
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            if info.filename == "docProps/core.xml":
                dst.writestr(fixed, _fix_core_times(src.read(info.filename)))
                continue
            fixed.file_size = info.file_size  # as writestr knows it: the same zip64 choice
            with src.open(info) as member, dst.open(fixed, "w") as copy:
                shutil.copyfileobj(member, copy, 1 << 20)


def _fix_core_times(content: bytes) -> bytes:
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file renamed into place."""
    with atomic_file(path) as out:
        out.write(data)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write path's content into, a piece at a time (a large output need not
    be held whole in memory); it is renamed to path when the block ends, deleted on an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("wb") as out:
            yield out
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
