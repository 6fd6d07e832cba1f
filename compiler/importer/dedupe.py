"""One record per submission: edits replace what they deprecate, and a submission read twice
(from two exports, or twice in one) is kept once. The others are reported, never dropped."""

from __future__ import annotations

from typing import Protocol, TypeVar

from .records import Rejected, Source


class Submitted(Protocol):
    """What dedupe reads of a record (a Record, or a record already scored)."""

    @property
    def source(self) -> Source: ...
    @property
    def instance_id(self) -> str | None: ...
    @property
    def deprecated_id(self) -> str | None: ...
    @property
    def submitted_at(self) -> str | None: ...


R = TypeVar("R", bound=Submitted)


def dedupe(records: list[R]) -> tuple[list[R], list[Rejected]]:
    """Keep the latest edit of each submission: a record whose deprecatedID names another one
    replaces it; among records with the same instanceID the latest submitted_at wins (the
    first read on a tie). Records without an instanceID are all kept."""
    rejected: list[Rejected] = []
    ids = {r.instance_id for r in records if r.instance_id}
    replaced_by: dict[str, R] = {}
    for record in records:
        if record.deprecated_id and record.deprecated_id in ids:
            replaced_by.setdefault(record.deprecated_id, record)
    live: list[R] = []
    for record in records:
        newer = replaced_by.get(record.instance_id or "")
        if newer is not None and newer is not record:
            while newer.instance_id in replaced_by and replaced_by[newer.instance_id] is not newer:
                newer = replaced_by[newer.instance_id]
            rejected.append(
                Rejected(
                    record.source,
                    f"duplicate of {newer.instance_id} (kept the later edit, {newer.source})",
                    record.instance_id,
                )
            )
        else:
            live.append(record)
    best: dict[str, R] = {}
    for record in live:
        if not record.instance_id:
            continue
        current = best.get(record.instance_id)
        if current is None or (record.submitted_at or "") > (current.submitted_at or ""):
            best[record.instance_id] = record
    kept: list[R] = []
    for record in live:
        winner = best.get(record.instance_id or "")
        if winner is None or winner is record:
            kept.append(record)
        else:
            same = (winner.submitted_at or "") == (record.submitted_at or "")
            why = "the same submission read twice" if same else "kept the later one"
            rejected.append(
                Rejected(
                    record.source,
                    f"duplicate of {winner.instance_id} ({why}: {winner.source})",
                    record.instance_id,
                )
            )
    return kept, rejected
