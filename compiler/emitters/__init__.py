"""Emitters: each reads the guide model and writes one kind of output, knowing nothing of the others."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFile:
    """One file an emitter wrote, as the manifest lists it."""

    kind: str
    path: str  # relative to the outputs directory
    language: str | None = None
    form: str | None = None  # the form's id; set by the build for every file
