"""Problems found in user input, reported as one line each and never as tracebacks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .output_text import printable

# a line break (after `printable`, vertical tabs and form feeds are line feeds) with the white
# space around it: each such run becomes one space
_BREAK = re.compile(r"\s*[\n\r\x85\u2028\u2029]\s*")


def one_line(text: str) -> str:
    """The text as one printable line: line breaks (from a library's message, a file name or
    an answer quoted in it) become spaces, other control characters their symbols, so no
    message can print as several lines or drive the terminal (an ESC sequence)."""
    return _BREAK.sub(" ", printable(text)).strip()


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: 1-based line and column; path is the dotted place in the document."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}:{self.column or 1}"
        if self.path:
            place += f": {self.path}"
        return place


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where, what, and how bad."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return one_line(f"{self.location}: {prefix}{self.message}")


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collection of problems."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, location: Location, message: str, severity: Severity = Severity.ERROR) -> None:
        diag = Diagnostic(location, message, severity)
        if diag not in self.items:
            self.items.append(diag)

    def error(self, location: Location, message: str) -> None:
        self.add(location, message, Severity.ERROR)

    def warning(self, location: Location, message: str) -> None:
        self.add(location, message, Severity.WARNING)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.location.file, d.location.line, d.location.column))


class UserError(Exception):
    """An error in user input that ends the command with one clear line and a non-zero exit;
    the message is made one line here (`one_line`), whatever text it quotes."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(one_line(message))
        self.exit_code = exit_code


class GuideInvalid(UserError):
    """The guide source has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        first = diagnostics.sorted()[0] if diagnostics.errors else None
        super().__init__(str(first) if first else "the guide source has errors", 1)
