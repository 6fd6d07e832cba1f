"""Check where a command will write before it does any work, so a wrong `--out` is one line
at once, not a failure (or a traceback) after every input was read and every output made."""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import UserError


def _existing_ancestor(path: Path) -> Path:
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    return probe


def check_out_folder(path: Path, option: str = "--out") -> None:
    """Refuse a folder to write results into that is a file, sits under a file, or cannot be
    written; a folder that does not exist yet is fine when it can be made."""
    if os.path.lexists(path) and not path.is_dir():
        raise UserError(
            f"{path}: is a file, not a folder; give {option} a folder (it is made when missing)"
        )
    where = path if path.is_dir() else _existing_ancestor(path)
    if not where.is_dir():
        raise UserError(
            f"{path}: cannot be made, as {where} is a file, not a folder; give {option} a folder"
        )
    if not os.access(where, os.W_OK | os.X_OK):
        raise UserError(
            f"{path}: cannot write in {where} (permission denied or read-only); "
            f"give {option} a folder you can write to"
        )


def check_out_file(path: Path, option: str = "--out") -> None:
    """Refuse a file to write that is a folder, or whose folder cannot be made or written."""
    if path.is_dir():
        raise UserError(
            f"{path}: is a folder; give {option} the file to write, e.g. {path / 'schema.json'}"
        )
    where = _existing_ancestor(path.parent)
    if not where.is_dir():
        raise UserError(f"{path}: cannot be made, as {where} is a file, not a folder")
    check_out_folder(path.parent, option)


def write_failure(path: Path, exc: OSError) -> UserError:
    """One line for an output that could not be written after all (disk full, a place
    changed while the command ran)."""
    place = exc.filename or path
    return UserError(f"{place}: cannot write ({exc.strerror or exc}); check the place "
                     "and the free space, and run again")  # fmt: skip
