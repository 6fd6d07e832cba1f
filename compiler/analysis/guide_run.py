"""One `rightguide score` run over every form of the guide: each input goes to the form it
holds (`importer.route`), each form's records are scored by that form, and the consultations
of a form with a tally are counted per measure (`consultation_tally`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..expressions.ast import references
from ..importer import FormFields
from ..importer.records import Record, Rejected
from ..importer.route import route_inputs
from ..model import Guide
from .consultation_tally import MeasureTally, tally
from .pipeline import ScoreRun, find_records, score_inputs, sort_key


@dataclass
class GuideRun:
    """A run over every form: the main form's (the team assessment), each other form's that
    had inputs, and each tallied form's counts per measure (small counts hidden)."""

    main: ScoreRun
    others: dict[str, ScoreRun] = field(default_factory=dict)  # form id -> its run
    tallies: dict[str, dict[str, MeasureTally]] = field(default_factory=dict)  # form -> measure

    def runs(self) -> list[ScoreRun]:
        """Every form's run, the main one first."""
        return [self.main, *self.others.values()]

    @property
    def submissions(self) -> int:
        return sum(len(r.submissions) for r in self.runs())

    @property
    def rejected(self) -> int:
        return sum(len(r.rejected) for r in self.runs())

    def all_rejected(self) -> list[Rejected]:
        """Every form's rejected records, in the order of their sources."""
        return sorted((r for form_run in self.runs() for r in form_run.rejected),
                      key=lambda r: (*sort_key(r.source, r.instance_id), r.reason))  # fmt: skip


def tally_answer_names(form: Guide) -> list[str]:
    """The answers a form's tally reads (measure, groups, the inclusion rule's, experiences):
    all a consultation run keeps of each record."""
    spec = form.tally
    if spec is None:
        return []
    names = [spec.measure, *([spec.groups] if spec.groups else [])]
    if spec.include is not None and spec.include.tree is not None:
        names += references(spec.include.tree)
    if spec.experiences is not None:
        names += spec.experiences.names(form).values()
    return list(dict.fromkeys(names))


def score_guide_inputs(
    guide: Guide, paths: Iterable[Path], fmt: str | None = None, lang: str | None = None,
    progress: Callable[[int], None] | None = None, keep_answers: bool | Collection[str] = False,
) -> GuideRun:  # fmt: skip
    """Score every input with the form it holds. keep_answers is for the main form's records
    (see `pipeline.score_inputs`); a tallied form keeps only what its tally reads, and its
    answers are dropped once counted."""
    fields = [FormFields.from_guide(form) for form in guide.all_forms()]
    routed = route_inputs(fields, paths, fmt)
    run = GuideRun(main=_form_run(guide, routed, fmt, lang, progress, keep_answers))
    for form in guide.other_forms:
        if not any(form.form_id in ids for ids in routed.values()):
            continue
        keep: bool | list[str] = tally_answer_names(form) or False
        form_run = _form_run(form, routed, fmt, lang, progress, keep)
        run.others[form.form_id] = form_run
        if form.tally is not None:
            run.tallies[form.form_id] = tally(form, tallied_values(form_run))
            form_run.answers = {}
    return run


def find_guide_records(
    guide: Guide, paths: Iterable[Path], instance_id: str, fmt: str | None = None
) -> tuple[list[tuple[Guide, Record]], int]:
    """The records with this instance id in the inputs, each with the form it belongs to,
    and how many records were read in all (see `pipeline.find_records`)."""
    fields = [FormFields.from_guide(form) for form in guide.all_forms()]
    routed = route_inputs(fields, paths, fmt)
    found: list[tuple[Guide, Record]] = []
    read = 0
    for form in guide.all_forms():
        mine = [p for p, ids in routed.items() if form.form_id in ids]
        if not mine:
            continue
        elsewhere = {p: [i for i in ids if i != form.form_id] for p, ids in routed.items()}
        records, count = find_records(form, mine, instance_id, fmt, elsewhere)
        found += [(form, r) for r in records]
        read += count
    return found, read


def tallied_values(run: ScoreRun) -> Iterator[Mapping[str, Any]]:
    """Each kept submission's answers and scores, as the tally reads them."""
    for sub in run.submissions:
        yield {**run.answers.get(sub.instance_id or "", {}), **sub.scores}


def _form_run(
    form: Guide, routed: dict[Path, list[str]], fmt: str | None, lang: str | None,
    progress: Callable[[int], None] | None, keep: bool | Collection[str],
) -> ScoreRun:  # fmt: skip
    mine = [p for p, ids in routed.items() if form.form_id in ids]
    elsewhere = {p: [i for i in ids if i != form.form_id] for p, ids in routed.items()}
    return score_inputs(form, mine, fmt, lang, progress, keep, elsewhere)
