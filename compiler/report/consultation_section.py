"""What the people consulted reported, as report blocks: in a dossier, the counts of the
consultations of its measure beside the team's records (evidence for step 5); in the network
overview, the people consulted per measure.

Counts come from the scores document's "consultations" (`analysis.consultation_tally`), where
every hidden count is already null: this module never sees one, so it cannot print one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Guide
from .report_data import Block, _Builder, _section, _table, _text

NO_GROUP = "_none"  # the tally's column of the people who named no group


def _key(measure: str | None) -> str:
    return " ".join((measure or "").split()).casefold()


def consultations_of(doc: dict[str, Any], measure: str | None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(form entry, the measure's counts) for each consultation form that counted this
    measure; measure codes are compared as the assessments are (case and spaces aside)."""
    out = []
    for entry in doc.get("consultations") or []:
        for code, table in (entry.get("measures") or {}).items():
            if measure and _key(code) == _key(measure):
                out.append((entry, table))
    return out


class ConsultationBlocks:
    """The words and labels the consultation's blocks need, from a report builder."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.w = builder.w

    def count(self, value: int | None) -> str:
        return self.w["consult_fewer"] if value is None else str(value)

    def group_label(self, form: Guide, name: str) -> str:
        if name == NO_GROUP:
            return self.w["consult_no_group"]
        spec = form.tally
        question = form.items_by_name().get(spec.groups) if spec and spec.groups else None
        if question is not None and question.list_name:
            return self.b.choice_label(question.list_name, name)
        return name

    def counts_table(self, form: Guide, caption: str, first: str, label: Callable[[str], str],
                     rows: dict[str, dict[str, Any]], groups: list[str],
                     extra: tuple[str, dict[str, str]] | None = None) -> Block:  # fmt: skip
        """Rows of counts (but rows of no one, among several): label, people, each group's, and
        an extra column when given (its header, its cell by row name)."""
        header = [first, self.w["consult_people"], *(self.group_label(form, g) for g in groups)]
        if extra is not None:
            header.append(extra[0])
        out = []
        for name, row in rows.items():
            if row["total"] == 0 and len(rows) > 1:
                continue
            cells = [label(name), self.count(row["total"]),
                     *(self.count(row["by_group"].get(g, 0)) for g in groups)]  # fmt: skip
            if extra is not None:
                cells.append(extra[1].get(name, ""))
            out.append(cells)
        numeric = [False, True, *([True] * len(groups)), *([False] if extra else [])]
        widths = [1.6, 0, *([0.7] * len(groups)), *([0.9] if extra else [])]
        return _table(caption, header, out, numeric, widths)

    def dossier_section(self, doc: dict[str, Any], measure: str | None, recorded: set[str]) -> Block | None:
        """The dossier's section for its measure, or None when the run read no consultation.
        recorded: the rights on which the team recorded harm in this assessment."""
        if not doc.get("consultations"):
            return None
        w, b = self.w, self.b
        found = consultations_of(doc, measure)
        if not found:
            return _section("consultation", w["consult_title"], [_text(w["consult_none_for_measure"])])
        blocks: list[Block] = []
        for entry, table in found:
            form = b.guide.form(entry["form_id"])
            spec = form.tally
            assert spec is not None
            groups = list(table.get("groups") or [])
            blocks.append(_text(w["consult_intro"].format(form=b.t(form.title),
                                                          n=self.count(table["consulted"]["total"]))))  # fmt: skip
            everyone = {"": table["consulted"]}
            blocks.append(self.counts_table(form, w["consult_by_group"], "", lambda _: w["consult_everyone"],
                                            everyone, groups))  # fmt: skip
            team = {r: w["consult_team_harm"] if r in recorded else w["consult_team_none"]
                    for r in table["rights"]}  # fmt: skip
            reported = list(table.get("reported_rights") or [])
            if reported:
                rights_list = spec.reported.list_name
                blocks.append(self.counts_table(form, w["consult_rights_caption"], w["right"],
                                                lambda r, n=rights_list: b.choice_label(n, r),
                                                table["rights"], groups, (w["consult_team"], team)))  # fmt: skip
                if spec.experiences is not None:
                    experiences = spec.experiences.list_name
                    blocks.append(self.counts_table(form, w["consult_experiences_caption"],
                                                    w["consult_experience"],
                                                    lambda e, n=experiences: b.choice_label(n, e),
                                                    table["experiences"], groups))  # fmt: skip
            else:
                blocks.append(_text(w["consult_nothing_reported"]))
            unrecorded = [r for r in reported if r not in recorded]
            if unrecorded:
                names = ", ".join(b.choice_label(spec.reported.list_name, r) for r in unrecorded)
                blocks.append({"kind": "callout", "text": w["consult_unrecorded"].format(names=names)})
            excluded = table.get("excluded")
            if excluded != 0:
                blocks.append(_text(w["consult_excluded"].format(n=self.count(excluded))))
        blocks.append(_text(w["consult_hidden"]))
        return _section("consultation", w["consult_title"], blocks)

    def overview_section(self, doc: dict[str, Any], assessed: list[str | None]) -> Block | None:
        """The overview's table of people consulted per measure, saying which measures have
        no assessment in the run; None when the run read no consultation."""
        entries = doc.get("consultations") or []
        if not entries:
            return None
        w = self.w
        have = {_key(m) for m in assessed if m}
        rows = []
        for entry in entries:
            for code, table in (entry.get("measures") or {}).items():
                rows.append([code, self.count(table["consulted"]["total"]),
                             w["consult_assessed"] if _key(code) in have else w["consult_not_assessed"]])  # fmt: skip
        blocks: list[Block] = [_text(w["consult_overview_intro"])]
        if rows:
            blocks.append(_table("", [w["measure_code"], w["consult_people"], w["consult_assessment"]],
                                 rows, [False, True, False], [1, 0, 1.2]))  # fmt: skip
        else:
            blocks.append(_text(w["consult_none_counted"]))
        blocks.append(_text(w["consult_hidden"]))
        return _section("consultations", w["consult_title_overview"], blocks)
