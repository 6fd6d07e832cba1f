"""Input files opened safely: only regular files are read (a named pipe would hang the run, a
device such as /dev/zero never ends), and a file's size is checked against `limits` before a
byte of it is read, so a huge file is one line, not a MemoryError."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..diagnostics import UserError


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def check_input_path(path: Path) -> None:
    """An input named on the command line: a regular file or a folder (links to them are
    followed: the user named them), else one line."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UserError(f"{path}: no such file or folder") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UserError(f"{path}: is {kind_of(mode)}, not a file or folder; give the exported file itself")


def refusal(path: Path, limit: int, what: str) -> str | None:
    """Why this file is not read (not a regular file, or larger than limit), or None."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return _refusal_of(info, limit, what)


def _refusal_of(info: os.stat_result, limit: int, what: str) -> str | None:
    if not stat.S_ISREG(info.st_mode):
        return f"is {kind_of(info.st_mode)}, not a file; not read"
    if info.st_size > limit:
        return (f"is {info.st_size} bytes, more than the {limit} a {what} may have; refused "
                "(see the limits in the README)")  # fmt: skip
    return None


def _open_checked(path: Path, limit: int, what: str) -> BinaryIO:
    """The file opened for reading once it is known to be a regular file within limit: opened
    without blocking (a named pipe would wait for a writer) and checked on what was opened, so
    a file swapped after a first look is caught too."""
    if reason := refusal(path, limit, what):
        raise UserError(f"{path}: {reason}")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if reason := _refusal_of(os.fstat(fd), limit, what):
        os.close(fd)
        raise UserError(f"{path}: {reason}")
    return os.fdopen(fd, "rb")


def read_whole_file(path: Path, limit: int, what: str) -> bytes:
    """The whole file, when it is a regular file of at most `limit` bytes (checked before
    reading, and again while reading in case it grows); one line otherwise."""
    with _open_checked(path, limit, what) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{path}: grew past {limit} bytes while being read; refused")
    return data


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (format detection reads no more)."""
    with _open_checked(path, 1 << 62, "file") as handle:
        return handle.read(size)
