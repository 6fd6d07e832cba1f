"""Zip archives read safely: sizes and compression ratios checked against `limits` before a
member is read (zip bombs), members read into memory with a bound (sizes that lie), never
extracted to disk (so names like '../x' or '/etc/x' cannot write anywhere)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..diagnostics import UserError
from . import limits


def check_zip(archive: zipfile.ZipFile, where: str, workbook: bool = False) -> None:
    """Refuse a zip whose members are too many, too big, or compressed past MAX_RATIO; an
    .xlsx `workbook`'s worksheets (read as streams) may be up to MAX_SHEET_BYTES."""
    member_limit = limits.MAX_MEMBER_BYTES
    total_limit = limits.MAX_XLSX_TOTAL_BYTES if workbook else limits.MAX_ZIP_TOTAL_BYTES
    infos = archive.infolist()
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise UserError(
            f"{where}: the zip holds {len(infos)} entries, more than {limits.MAX_ZIP_MEMBERS}; "
            "refused (is it a zip bomb?)"
        )
    total = 0
    for info in infos:
        total += info.file_size
        limit = member_limit
        if workbook and info.filename.startswith("xl/worksheets/"):
            limit = limits.MAX_SHEET_BYTES
        if info.file_size > limit:
            raise UserError(
                f"{where}: '{info.filename}' would unpack to {info.file_size} bytes, more than "
                f"{limit}; refused (is it a zip bomb?)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.RATIO_FROM_BYTES and ratio > limits.MAX_RATIO:
            raise UserError(
                f"{where}: '{info.filename}' is compressed {ratio:.0f} to 1, more than "
                f"{limits.MAX_RATIO} to 1; refused (is it a zip bomb?)"
            )
    if total > total_limit:
        raise UserError(
            f"{where}: the zip would unpack to {total} bytes, more than "
            f"{total_limit}; refused (is it a zip bomb?)"
        )


def open_checked_zip(path: Path, workbook: bool = False) -> zipfile.ZipFile:
    """Open a zip and check it (`check_zip`, with .xlsx bounds for a `workbook`); one clear
    line when it is not a readable zip."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError(
            f"{path}: not a readable zip file ({exc}); download the export again"
        ) from None
    try:
        check_zip(archive, str(path), workbook)
    except UserError:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, name: str, where: str) -> bytes:
    """One member's bytes, read in memory and never past MAX_MEMBER_BYTES, whatever the zip
    says its size is; a damaged member is one clear line."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limits.MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UserError(f"{where}: '{name}' in the zip is damaged ({exc}); make the zip again") from None
    if len(data) > limits.MAX_MEMBER_BYTES:
        raise UserError(
            f"{where}: '{name}' unpacks past {limits.MAX_MEMBER_BYTES} bytes; refused (is it a zip bomb?)"
        )
    return data


def nested_zip_note(names: list[str], where: str) -> str | None:
    """A note for zips inside the zip, which are not opened (say so, never skip silently)."""
    inner = [n for n in names if n.lower().endswith(".zip")]
    if not inner:
        return None
    shown = ", ".join(f"'{n}'" for n in inner[:5]) + (" ..." if len(inner) > 5 else "")
    return (f"{where}: {len(inner)} zip file(s) inside the zip not opened ({shown}); "
            "unzip them and give them as inputs")  # fmt: skip
