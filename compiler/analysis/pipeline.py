"""Inputs -> records -> scored results: the run of `rightguide score`.

Readers (`importer`) yield records; they are analysed in chunks of CHUNK records by the
analyser (`batch.Analyser`: batch scoring, then every issue found column by column), so
memory holds one chunk of records; duplicates are rejected after scoring. Nothing is
dropped: every record either becomes a `ScoredRecord` or is listed as rejected with its
reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..gc_pause import gc_paused
from ..importer import FormFields, OutOfOrder, iter_inputs
from ..importer.column_rows import gather
from ..importer.dedupe import dedupe
from ..importer.records import (
    MISSING_COLUMN,
    ReadResult,
    Record,
    Rejected,
    RepeatRecord,
    Source,
    State,
)
from ..model import Guide
from .batch import (
    CARRIED_DIFFERS,
    NOT_APPLICABLE,
    NOT_REACHED,
    REQUIRED_BLANK,
    TOLERANCE,
    Analyser,
    Issue,
    ScoredRecord,
    group_fields,
    same_value,
)

__all__ = [
    "CARRIED_DIFFERS", "CHUNK", "NOT_APPLICABLE", "NOT_REACHED", "REQUIRED_BLANK", "TOLERANCE",
    "Analyser", "Issue", "ScoreRun", "ScoredRecord", "analyse", "group_fields", "same_value",
    "find_records", "score_inputs", "sort_key", "submission_from",
]  # fmt: skip

ANSWERED = State.ANSWERED
CHUNK = 5000  # records filled at once by the batch evaluator: bounded memory, few calls


@dataclass
class ScoreRun:
    """Everything a scoring run made: scored submissions, rejected records, notes said once."""

    form_id: str
    form_version: str
    submissions: list[ScoredRecord]
    rejected: list[Rejected]
    notes: list[str]
    # each scored submission's answers by instance id, when asked for (the report's details)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def input_records(self) -> int:
        return len(self.submissions) + len(self.rejected)


def submission_from(
    record: Record | RepeatRecord, repeats_available: bool = True
) -> dict[str, Any]:
    """A record as the evaluator takes it: answered values only (blank, not relevant and
    missing columns left out); repeats as lists of the same, when the input carries them."""
    out: dict[str, Any] = {name: a.value for name, a in record.values.items() if a.answered}
    children = record.repeats if isinstance(record, Record) else record.children
    if repeats_available:
        for name, members in children.items():
            out[name] = [submission_from(m) for m in members]
    return out


def sort_key(source: Source, instance_id: str | None = None) -> tuple:
    """Deterministic order of records: file, sheet, row, then instance id."""
    return (source.file, source.sheet or "", source.row or 0, instance_id or "")


def analyse(
    guide: Guide, records: list[Record], rejected: list[Rejected], notes: list[str],
    lang: str | None = None, progress: Callable[[Iterable[Record]], Iterable[Record]] | None = None,
) -> ScoreRun:  # fmt: skip
    """Score every record; submissions and rejected records sorted by source."""
    analyser = Analyser(guide, lang)
    stream = progress(records) if progress else records
    scored = [s for chunk in _chunks(stream, CHUNK) for s in analyser.analyse_many(chunk)]
    return _finish(guide, scored, rejected, notes)


def score_inputs(
    guide: Guide, paths: Iterable[Path], fmt: str | None = None, lang: str | None = None,
    progress: Callable[[int], None] | None = None, keep_answers: bool | Collection[str] = False,
    elsewhere: Mapping[Path, Collection[str]] | None = None,
) -> ScoreRun:  # fmt: skip
    """Read and score every input as `read_inputs` then `analyse` would, in chunks of CHUNK
    records (`importer.iter_inputs`), so memory holds one chunk of records, not the input;
    duplicates are rejected after scoring. progress(n) is told of every n records scored;
    keep_answers keeps each kept submission's answers (`ScoreRun.answers`): all of them when
    True, only the named ones (questions or repeats) when a collection of names. `guide` is
    one form of the source; `elsewhere` gives each input's other forms, whose records are
    passed over (their own run scores them)."""
    paths = [Path(p) for p in paths]
    fields = FormFields.from_guide(guide)
    args = (guide, fields, paths, fmt, lang, progress, keep_answers, elsewhere)
    try:
        return _score_inputs(*args, join=True)
    except OutOfOrder:  # repeat rows not in their parents' order: read every table first
        return _score_inputs(*args, join=False)


def _score_inputs(
    guide: Guide, fields: FormFields, paths: list[Path], fmt: str | None, lang: str | None,
    progress: Callable[[int], None] | None, keep_answers: bool | Collection[str],
    elsewhere: Mapping[Path, Collection[str]] | None, join: bool,
) -> ScoreRun:  # fmt: skip
    analyser = Analyser(guide, lang)
    out = ReadResult()
    scored: list[ScoredRecord] = []
    answers: list[dict[str, Any]] = []
    with gc_paused():
        for chunk in _chunks(iter_inputs(paths, fields, out, fmt, join, elsewhere), CHUNK):
            scored += analyser.analyse_many(chunk)
            if keep_answers is True:
                answers += [submission_from(r, r.repeats_available) for r in chunk]
            elif keep_answers:
                answers += named_answers(chunk, keep_answers)
            if progress is not None:
                progress(len(chunk))
    kept, duplicates = dedupe(scored)
    run = _finish(guide, kept, out.rejected + duplicates, out.notes)
    if keep_answers:
        alive = {id(s) for s in kept}
        run.answers = {
            s.instance_id: a
            for s, a in zip(scored, answers, strict=True)
            if s.instance_id and id(s) in alive
        }
    return run


def find_records(
    guide: Guide, paths: Iterable[Path], instance_id: str, fmt: str | None = None,
    elsewhere: Mapping[Path, Collection[str]] | None = None,
) -> tuple[list[Record], int]:  # fmt: skip
    """The records of the inputs with this instance id (several when an input holds edits or
    copies), and how many records were read in all (rejected ones included). An id given
    without its `uuid:` prefix (as Kobo's `_uuid` column shows it) is found too. `guide` is
    one form; `elsewhere` as for `score_inputs`."""
    paths = [Path(p) for p in paths]
    fields = FormFields.from_guide(guide)
    try:
        return _find_records(paths, fields, instance_id, fmt, elsewhere, True)
    except OutOfOrder:  # repeat rows not in their parents' order: read every table first
        return _find_records(paths, fields, instance_id, fmt, elsewhere, False)


def _find_records(
    paths: list[Path], fields: FormFields, instance_id: str, fmt: str | None,
    elsewhere: Mapping[Path, Collection[str]] | None, join: bool,
) -> tuple[list[Record], int]:  # fmt: skip
    wanted = {instance_id, f"uuid:{instance_id}"}
    out = ReadResult()
    found: list[Record] = []
    count = 0
    with gc_paused():
        for record in iter_inputs(paths, fields, out, fmt, join, elsewhere):
            count += 1
            if record.instance_id in wanted:
                found.append(record)
    return found, count + len(out.rejected)


def named_answers(records: Sequence[Record], names: Collection[str]) -> list[dict[str, Any]]:
    """`submission_from` of each record cut to these names (in their order), without making
    the rest; answers read as columns (`gather`) where the records hold them so."""
    names = list(names)
    columns = gather([r.values for r in records], names, MISSING_COLUMN)
    out: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        kept: dict[str, Any] = {}
        repeats = record.repeats if record.repeats_available else {}
        values = record.values
        for name in names:
            if name in repeats:
                kept[name] = [submission_from(m) for m in repeats[name]]
                continue
            answer = columns[name][i] if columns is not None else values.get(name)
            if answer is not None and answer.state is ANSWERED:
                kept[name] = answer.value
        out.append(kept)
    return out


def _finish(
    guide: Guide, scored: list[ScoredRecord], rejected: list[Rejected], notes: list[str]
) -> ScoreRun:
    """The run: submissions and rejected records sorted by source, notes said once."""
    scored.sort(key=lambda s: sort_key(s.source, s.instance_id))
    kept = sorted(rejected, key=lambda r: (*sort_key(r.source, r.instance_id), r.reason))
    all_notes = list(dict.fromkeys(notes))
    without = sum(1 for s in scored if not s.repeats_available)
    if without and guide.repeats():
        all_notes.append(
            f"{without} submission(s) came from inputs without repeat data (Kobo CSV or a bare "
            "Central CSV): scores that need repeat records are the values the export carried, "
            "marked 'from the export', or null with a reason, never zero"
        )
    return ScoreRun(guide.form_id, guide.version, scored, kept, all_notes)


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
