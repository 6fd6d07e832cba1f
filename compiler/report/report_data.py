"""The blocks of the reports and the sections a dossier shares with them, in one language.

Built from the guide and a scores document (what `rightguide score` writes to scores.json),
plus, when given, the submissions' answers (`records`: instance id -> flat answers, a repeat
name -> list of flat answers) for the rights x groups view. `dossier_data` and `overview_data`
make the documents; the builder here holds the sections found from the guide's score names,
never assumed: `worst_<right>`, `negative_<right>`, `positive_<right>`, `gap_<right>` and
`committed_<right>` for each choice of list `rights`. A section whose scores do not exist is
left out. Both renderers (PDF and HTML) draw exactly these blocks:

- {"kind": "text", "text"}, {"kind": "callout", "text"} and {"kind": "subheading", "text"}
- {"kind": "quote", "title", "text"}: the team's own words (a step's conclusion)
- {"kind": "table", "caption", "header", "rows", "numeric": [bool per column], "widths"},
  optionally "links": per row, the stem of the dossier its first cell links to
- {"kind": "bars", "title", "alt", "bars": [{"label", "fraction", "text", "level"}], "ticks"}
- {"kind": "heat", "title", "alt", "corner", "columns", "rows": [{"label", "cells"}]}
- {"kind": "list", "items"} and {"kind": "definitions", "items": [{"term", "facts"}]}
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Guide, Item
from .phrases import report_phrases

RIGHT_PREFIXES = ("worst_", "negative_", "unrated_", "positive_", "gap_", "concern_", "committed_",
                  "commitment_", "confidence_actual_", "confidence_potential_")
SEVERE = 4.0
SEVERITY_MAX = 5.0
# rows of a list that grows with the input (assessments): a report of 100,000 submissions
# stays a report; every row is in the CSV and XLSX outputs
MAX_LISTED = 200
DATE_FIELDS = ("_submission_time", "SubmissionDate", "end", "today", "submission_date")

Block = dict[str, Any]
Records = dict[str, dict[str, Any]]


def answer_names(guide: Guide) -> tuple[str, ...]:
    """The answers the report reads from `records`: the question naming an assessment, the
    date fields and the repeats (their records feed the impact views). A scoring run need keep
    no other answer for the report: at 100,000 submissions that is ~0.4 GB less."""
    names = [_instance_name_field(guide), *DATE_FIELDS, *(r.name for r in guide.repeats())]
    return tuple(sorted({n for n in names if n}))


def _instance_name_field(guide: Guide) -> str | None:
    """The question whose answer names an assessment, when instance_name is just one name."""
    expr = guide.instance_name
    if expr is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", expr.text.strip()):
        return expr.text.strip()
    return None


def severity_level(value: float | None) -> str:
    """The colour band of a severity: none, low (<2), moderate (<3), high (<4), severe (4+)."""
    if value is None:
        return "none"
    if value >= SEVERE:
        return "severe"
    if value >= 3:
        return "high"
    if value >= 2:
        return "moderate"
    return "low"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class _Builder:
    def __init__(self, guide: Guide, doc: dict[str, Any], lang: str, records: Records | None):
        self.guide = guide
        self.doc = doc
        self.lang = lang
        self.records = records or {}
        self.w = report_phrases(lang)
        self.subs: list[dict[str, Any]] = list(doc.get("submissions") or [])
        self.scores = {s.name: s for s in guide.scores()}
        self.used: set[str] = set()
        rights = guide.lists.get("rights")
        self.rights = rights.choices if rights else []

    def words(self) -> dict[str, Any]:
        """The renderers' own words: page numbering, contents, the severity legend."""
        w = self.w
        return {k: w[k] for k in ("page", "of", "contents", "legend", "no_value", "chart_note")} | {
            "levels": [[level, w["level_" + level]] for level in ("low", "moderate", "high", "severe")]}

    # --- formatting ----------------------------------------------------------------------------
    def t(self, text: Any) -> str:
        return self.guide.text(text, self.lang)

    def fmt(self, value: Any) -> str:
        """A score value as text: numbers with at most 2 decimals in the report's language."""
        number = _number(value)
        if number is None:
            return self.w["no_value"] if value is None else str(value)
        text = f"{number:.2f}".rstrip("0").rstrip(".") if not number.is_integer() else str(int(number))
        return text.replace(".", self.w["decimal"])

    def choice_label(self, list_name: str | None, name: str) -> str:
        choices = self.guide.lists.get(list_name or "")
        choice = choices.get(name) if choices else None
        return self.t(choice.label) if choice else name

    def values(self, name: str) -> list[Any]:
        return [s.get("scores", {}).get(name) for s in self.subs]

    def has(self, name: str) -> bool:
        item = self.scores.get(name)
        return item is not None and item.repeat is None

    def null_reason(self, item: Item, reason: str) -> str:
        """Why a score is empty, in the report's language when it is the score's own rule for
        missing answers (scores.json keeps the reason in the guide's default language)."""
        from ..scoring.scores import MISSING

        if item.missing is not None:
            if reason == MISSING.format(rule=self.guide.text(item.missing, self.guide.default_language)):
                return self.w["null_missing"].format(rule=self.t(item.missing))
        return reason

    # --- the document -------------------------------------------------------------------------

    def right_values(self, prefix: str, right: str) -> list[Any] | None:
        name = prefix + right
        if not self.has(name):
            return None
        self.used.add(name)
        return self.values(name)

    def worst(self, right: str, prefix: str = "worst_") -> float | None:
        values = self.right_values(prefix, right)
        numbers = [n for n in (_number(v) for v in values or []) if n is not None]
        return max(numbers) if numbers else None

    def flag_count(self, prefix: str, right: str) -> int | None:
        values = self.right_values(prefix, right)
        if values is None:
            return None
        return sum(1 for v in values if _number(v))

    def rights_section(self) -> Block | None:
        if not self.rights:
            return None
        w = self.w
        present = {p: any(self.has(p + r.name) for r in self.rights) for p in RIGHT_PREFIXES}
        if not (present["worst_"] or present["negative_"] or present["positive_"]):
            return None
        blocks: list[Block] = [_text(w["rights_intro_one" if len(self.subs) == 1 else "rights_intro"])]
        if present["worst_"]:
            bars = []
            for right in self.rights:
                value = self.worst(right.name)
                bars.append({
                    "label": self.t(right.label),
                    "fraction": (value or 0) / SEVERITY_MAX,
                    "text": self.fmt(value),
                    "level": severity_level(value),
                })  # fmt: skip
            alt = "; ".join(f"{b['label']}{w['colon']} {b['text']}" for b in bars)
            blocks.append({"kind": "bars", "title": w["rights_chart"], "alt": alt, "bars": bars,
                           "ticks": [str(n) for n in range(int(SEVERITY_MAX) + 1)]})  # fmt: skip
        heat = self.heat_block()
        if heat is not None:
            blocks += [_text(w["heat_intro"]), heat]
        # actual and potential harms apart when the guide scores them so (a potential harm
        # is never shown as the worst actual one); severities are maxima, never averages
        split = any(self.has("worst_actual_" + r.name) for r in self.rights)
        worst = [("worst_actual_", "worst_actual"), ("worst_potential_", "worst_potential")]
        if len(self.subs) == 1:  # one assessment: the confidence of each worst harm beside it
            worst = [worst[0], ("confidence_actual_", "confidence_actual"),
                     worst[1], ("confidence_potential_", "confidence_potential")]  # fmt: skip
        columns = [*(worst if split else [("worst_", "worst")]), ("negative_", "negative"),
                   ("unrated_", "unrated"), ("positive_", "positive"), ("committed_", "committed")]  # fmt: skip
        columns = [(p, key) for p, key in columns
                   if any(self.has(p + r.name) for r in self.rights)]  # fmt: skip
        rows = []
        for right in self.rights:
            row = [self.t(right.label)]
            for prefix, _key in columns:
                if prefix.startswith("worst_"):
                    row.append(self.fmt(self.worst(right.name, prefix)))
                elif prefix.startswith("confidence_"):
                    row.append(self.confidence_text(prefix, right.name))
                elif prefix == "committed_":
                    row.append(self.flag_text(self.flag_count(prefix, right.name)))
                else:
                    values = self.right_values(prefix, right.name) or []
                    row.append(self.fmt(sum(n for n in (_number(v) for v in values) if n is not None)))
            rows.append(row)
        header = [w["right"], *(w[key] for _, key in columns)]
        # the right names wrap over a quarter of the width; the counts share the rest
        # (long single words such as "Compromiso" need a full column each: no crowding)
        widths = [2.0] + [1.15] * len(columns) if len(columns) > 4 else [1] + [0] * len(columns)
        blocks.append(_table("", header, rows, [False] + [True] * len(columns), widths))
        return _section("rights", w["rights_title"], blocks)

    def confidence_text(self, prefix: str, right: str) -> str:
        """The one assessment's confidence in a right's worst harm, as its label says it."""
        values = self.right_values(prefix, right) or []
        value = values[0] if values else None
        score = self.scores.get(prefix + right)
        if value in (None, "") or score is None or not score.result_list:
            return self.w["no_value"]
        choice = self.guide.lists[score.result_list].get(str(value))
        return self.t(choice.label) if choice is not None else self.w["no_value"]

    def flag_text(self, count: int | None) -> str:
        if count is None:
            return self.w["no_value"]
        if len(self.subs) == 1:
            return self.w["yes"] if count else self.w["no"]
        return f"{count} / {len(self.subs)}"

    def impact_fields(self) -> dict[str, Item | None] | None:
        """The impacts repeat and its right, group, direction and severity items."""
        for repeat in self.guide.repeats():
            own = [c for c in repeat.walk() if c.repeat is repeat]
            right = next((c for c in own if c.type == "select_one" and c.list_name == "rights"), None)
            direction = next(
                (c for c in own if c.type == "select_one" and c.list_name in self.guide.lists
                 and "negative" in self.guide.lists[c.list_name or ""].names()), None)  # fmt: skip
            if right is None or direction is None:
                continue
            scores = [c for c in own if c.type == "score"]
            severity = next((c for c in scores if c.name == "severity"), None) or next(
                (c for c in scores if "sever" in c.name), scores[0] if scores else None)
            group = next((c for c in own if c.is_question and c.list_name == "groups"), None)
            return {"repeat": repeat, "right": right, "direction": direction,
                    "severity": severity, "group": group}  # fmt: skip
        return None

    def impact_rows(self) -> list[dict[str, Any]]:
        """Every impact record of the submissions with answers: right, group names and
        severity (what the rights x groups view needs), in submission and record order."""
        fields = self.impact_fields()
        if fields is None or not self.records:
            return []
        repeat, severity, group = fields["repeat"], fields["severity"], fields["group"]
        assert repeat is not None
        out = []
        for sub in self.subs:
            answers = self.records.get(sub.get("instance_id") or "")
            if not answers:
                continue
            members = answers.get(repeat.name) or []
            sev_values = sub.get("scores", {}).get(severity.name) if severity else None
            aligned = isinstance(sev_values, list) and len(sev_values) == len(members)
            for pos, member in enumerate(members):
                out.append({
                    "right": str(member.get(fields["right"].name) or ""),  # type: ignore[union-attr]
                    "group_names": str(member.get(group.name) or "").split() if group else [],
                    "severity": _number(sev_values[pos]) if aligned and sev_values is not None else None,
                })  # fmt: skip
        return out

    def group_labels(self, group: Item | None, member: dict[str, Any]) -> str:
        if group is None:
            return ""
        labels = []
        for name in str(member.get(group.name) or "").split():
            label = self.choice_label(group.list_name, name)
            other = member.get(f"{group.name}_other")
            other_text = str(other)[:120] + ("\u2009[\u2026]" if len(str(other)) > 120 else "") if other else ""
            labels.append(f"{label}{self.w['colon']} {other_text}" if name == "other" and other_text else label)
        return ", ".join(labels)

    def heat_block(self) -> Block | None:
        fields = self.impact_fields()
        if fields is None or fields["group"] is None or fields["group"].list_name not in self.guide.lists:
            return None
        rows = self.impact_rows()
        if not rows:
            return None
        # only the groups and rights with a rated harm: twelve empty columns crowd the names out;
        # a record with no group is shown under "group not given", never dropped
        unknown = "\u0000"
        worst: dict[tuple[str, str], float] = {}
        for row in rows:
            if row["severity"] is None:
                continue
            for group in row["group_names"] or [unknown]:
                key = (row["right"], group)
                worst[key] = max(worst.get(key, 0.0), row["severity"])
        if not worst:
            return None
        listed = [(g.name, self.t(g.label)) for g in self.guide.lists[fields["group"].list_name or ""].choices]
        listed.append((unknown, self.w["group_not_given"]))
        groups = [(name, label) for name, label in listed if any(k[1] == name for k in worst)]
        rights = [r for r in self.rights if any(k[0] == r.name for k in worst)]
        out_rows = []
        for right in rights:
            cells = []
            for group, _label in groups:
                value = worst.get((right.name, group))
                cells.append({"text": "" if value is None else self.fmt(value), "level": severity_level(value)})
            out_rows.append({"label": self.t(right.label), "cells": cells})
        alt = "; ".join(
            f"{self.t(r.label)} / {label}{self.w['colon']} {self.fmt(v)}"
            for r in rights for group, label in groups
            if (v := worst.get((r.name, group))) is not None
        )  # fmt: skip
        return {
            "kind": "heat", "title": self.w["heat_title"], "alt": alt, "corner": self.w["right"],
            "columns": [label for _, label in groups], "rows": out_rows,
        }  # fmt: skip

    def gaps_section(self) -> Block | None:
        w = self.w
        has_gap = any(self.has("gap_" + r.name) for r in self.rights)
        derived = not has_gap and any(
            self.has("committed_" + r.name) and self.has("worst_" + r.name) for r in self.rights)
        if not (has_gap or derived):
            return None
        rows = []
        for right in self.rights:
            if has_gap:
                count = self.flag_count("gap_", right.name) or 0
            else:
                committed = self.right_values("committed_", right.name) or []
                worst = self.right_values("worst_", right.name) or []
                count = sum(1 for c, v in zip(committed, worst, strict=True)
                            if _number(c) and (_number(v) or 0) >= SEVERE)  # fmt: skip
            if count:
                rows.append([self.t(right.label), self.fmt(self.worst(right.name)), self.flag_text(count)])
        blocks: list[Block] = [_text(w["gaps_intro"])]
        if not rows:
            blocks.append({"kind": "callout", "text": w["gaps_none"]})
        else:
            header = [w["right"], w["worst"], w["flagged"] if len(self.subs) == 1 else w["flagged_in"]]
            blocks.append(_table("", header, rows, [False, True, True], [1, 0, 0]))
        blocks += self.concerns_blocks()
        return _section("gaps", w["gaps_title"], blocks)

    def concerns_blocks(self) -> list[Block]:
        """Concerns to investigate, worded apart from gaps: severe harms that are only
        potential, without evidence yet, or to a right the State has not committed to."""
        if not any(self.has("concern_" + r.name) for r in self.rights):
            return []
        w = self.w
        rows = []
        for right in self.rights:
            count = self.flag_count("concern_", right.name) or 0
            if count:
                rows.append([self.t(right.label), self.fmt(self.worst(right.name)),
                             self.flag_text(count)])  # fmt: skip
        blocks: list[Block] = [{"kind": "subheading", "text": w["concerns_title"]},
                               _text(w["concerns_intro"])]  # fmt: skip
        if not rows:
            blocks.append({"kind": "callout", "text": w["concerns_none"]})
            return blocks
        header = [w["right"], w["worst"], w["flagged"] if len(self.subs) == 1 else w["flagged_in"]]
        blocks.append(_table("", header, rows, [False, True, True], [1, 0, 0]))
        return blocks

    def appendix_section(self) -> Block | None:
        if not self.scores:
            return None
        w = self.w
        items = []
        for item in self.scores.values():
            facts = []
            if item.description:
                facts.append(["", self.t(item.description)])
            if item.missing:
                facts.append([w["missing_rule"], self.t(item.missing)])
            if item.repeat is not None:
                facts.append([w["per_record"], self.t(item.repeat.label) or item.repeat.name])
            if item.result_list and item.result_list in self.guide.lists:
                labels = [self.t(c.label) for c in self.guide.lists[item.result_list].choices]
                facts.append([w["results"], "; ".join(labels)])
            items.append({"term": self.t(item.label) or self.w["no_value"], "facts": facts})
        return _section("appendix", w["appendix_title"],
                        [_text(w["appendix_intro"]), {"kind": "definitions", "items": items}])  # fmt: skip


def _section(ident: str, title: str, blocks: list[Block]) -> Block:
    return {"id": ident, "title": title, "blocks": blocks}


def _text(text: str) -> Block:
    return {"kind": "text", "text": text}


def _table(caption: str, header: list[str], rows: list[list[str]], numeric: list[bool],
           widths: list[float]) -> Block:  # fmt: skip
    """A table block; widths are relative shares of the free width (0: as wide as the content)."""
    return {"kind": "table", "caption": caption, "header": header, "rows": rows,
            "numeric": numeric, "widths": widths}  # fmt: skip

