"""The assessment report as one JSON-ready structure, in one language.

Built from the guide and a scores document (what `rightguide score` writes to scores.json),
plus, when given, the submissions' answers (`records`: instance id -> flat answers, a repeat
name -> list of flat answers) for the rights x groups view and the impacts with their evidence.

Sections are found from the guide's score names, never assumed: `worst_<right>`,
`negative_<right>`, `positive_<right>`, `gap_<right>` and `committed_<right>` for each choice
of list `rights`; the Quick Scan outcome is the score with a result list; the accountability
index and the recommendation coverage are found by name. A section whose scores do not exist is
left out. Both renderers (PDF and HTML) draw exactly these blocks:

- {"kind": "text", "text"} and {"kind": "callout", "text"}
- {"kind": "table", "caption", "header", "rows", "numeric": [bool per column], "widths"}
- {"kind": "bars", "title", "alt", "bars": [{"label", "fraction", "text", "level"}], "ticks"}
- {"kind": "heat", "title", "alt", "corner", "columns", "rows": [{"label", "cells"}]}
- {"kind": "list", "items"} and {"kind": "definitions", "items": [{"term", "facts"}]}
"""

from __future__ import annotations

import re
from typing import Any

from ..emitters.print_data import text_language
from ..model import Guide, Item
from .phrases import has_report_phrases, report_phrases

RIGHT_PREFIXES = ("worst_", "negative_", "unrated_", "positive_", "gap_", "concern_", "committed_",
                  "commitment_")
SEVERE = 4.0
SEVERITY_MAX = 5.0
MAX_IMPACTS = 40
# rows of a list that grows with the input (assessments, issues, rejected records): a report
# of 100,000 submissions stays a report; every row is in the CSV and XLSX outputs
MAX_LISTED = 200
MAX_BARS = 40  # past this many assessments, an index chart counts assessments per tenth
DATE_FIELDS = ("_submission_time", "SubmissionDate", "end", "today", "submission_date")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
LEVELS = ("low", "moderate", "high", "severe")

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

    def assessment_name(self, index: int) -> str:
        sub = self.subs[index]
        answers = self.records.get(sub.get("instance_id") or "", {})
        field = _instance_name_field(self.guide)
        if field is not None:
            name = answers.get(field)
            if isinstance(name, str) and name.strip():
                return name.strip()
        return sub.get("instance_id") or self.source_text(sub.get("source") or {})

    def null_reason(self, item: Item, reason: str) -> str:
        """Why a score is empty, in the report's language when it is the score's own rule for
        missing answers (scores.json keeps the reason in the guide's default language)."""
        from ..scoring.scores import MISSING

        if item.missing is not None:
            if reason == MISSING.format(rule=self.guide.text(item.missing, self.guide.default_language)):
                return self.w["null_missing"].format(rule=self.t(item.missing))
        return reason

    def source_text(self, source: dict[str, Any]) -> str:
        parts = [str(source.get("file") or "")]
        if source.get("sheet"):
            parts.append(str(source["sheet"]))
        if source.get("row"):
            parts.append(f"{self.w['row']} {source['row']}")
        return ", ".join(p for p in parts if p)

    # --- the document -------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        w, guide = self.w, self.guide
        language = guide.language(self.lang)
        date = self.newest_date()
        facts = [
            [w["form_id"], str(self.doc.get("form_id") or guide.form_id)],
            [w["version"], str(self.doc.get("form_version") or guide.version)],
            [w["language"], f"{language.name} ({language.code})"],
            [w["assessments"], str(len(self.subs))],
        ]
        if len(self.subs) == 1:
            facts.append([w["assessment"], self.assessment_name(0)])
        if date:
            facts.append([w["date"], date])
        sections = [
            s
            for s in (
                self.assessments_section(),
                self.outcome_section(),
                self.rights_section(),
                self.gaps_section(),
                self.index_section("accountability", "accountability_title",
                                   "accountability_intro", "accountability_chart"),
                self.impacts_section(),
                self.index_section("coverage", "coverage_title", "coverage_intro", None),
                self.other_section(),
                self.quality_section(language.name),
                self.appendix_section(),
            )
            if s is not None
        ]  # fmt: skip
        return {
            "lang": self.lang,
            "text_lang": text_language(self.lang),  # 'sr' for 'sr-Latn', as on the printed form
            "language": language.name,
            "title": self.t(guide.title),
            "kind": w["kind"],
            "form_id": facts[0][1],
            "version": facts[1][1],
            "date": date,
            "facts": facts,
            "words": {k: w[k] for k in ("page", "of", "contents", "legend", "no_value", "chart_note")}
            | {"levels": [[level, w["level_" + level]] for level in LEVELS]},
            "sections": sections,
        }

    def newest_date(self) -> str:
        found = [
            str(answers.get(key))[:10]
            for answers in self.records.values()
            for key in DATE_FIELDS
            if isinstance(answers.get(key), str) and DATE.match(answers[key])
        ]
        return max(found) if found else ""

    def assessments_section(self) -> Block | None:
        if len(self.subs) < 2:
            return None
        w = self.w
        rows = [
            [str(n), self.assessment_name(n - 1), self.source_text(s.get("source") or {})]
            for n, s in enumerate(self.subs[:MAX_LISTED], start=1)
        ]
        table = _table("", ["#", w["assessment"], w["source"]], rows, [True, False, False], [0, 1, 1])
        return _section("assessments", w["assessments"],
                        [table, *self.more(len(self.subs), "scores.csv")])  # fmt: skip

    def more(self, count: int, file: str) -> list[Block]:
        """The sentence under a list cut at MAX_LISTED rows, or nothing."""
        if count <= MAX_LISTED:
            return []
        return [_text(self.w["rows_more"].format(n=count - MAX_LISTED, file=file))]

    def outcome_section(self) -> Block | None:
        candidates = [s for s in self.scores.values() if s.result_list and s.repeat is None]
        candidates.sort(key=lambda s: "outcome" not in s.name)
        if not candidates or candidates[0].result_list not in self.guide.lists:
            return None
        item, w = candidates[0], self.w
        self.used.add(item.name)
        values = self.values(item.name)
        choices = self.guide.lists[item.result_list or ""].choices
        if len(self.subs) == 1:
            value = values[0]
            label = self.choice_label(item.result_list, str(value)) if value is not None else w["not_computed"]
            return _section("outcome", w["outcome_title"],
                            [_text(w["outcome_one"]), {"kind": "callout", "text": label}])  # fmt: skip
        counts = [(self.t(c.label), sum(1 for v in values if v == c.name)) for c in choices]
        nulls = sum(1 for v in values if v is None)
        if nulls:
            counts.append((w["not_computed"], nulls))
        top = max((n for _, n in counts), default=0) or 1
        bars = [{"label": label, "fraction": n / top, "text": str(n), "level": "plain"} for label, n in counts]
        table = _table("", [w["outcome"], w["count"]], [[label, str(n)] for label, n in counts],
                       [False, True], [1, 0])  # fmt: skip
        alt = "; ".join(f"{label}: {n}" for label, n in counts)
        return _section("outcome", w["outcome_title"], [
            _text(w["outcome_many"]),
            {"kind": "bars", "title": w["outcome_chart"], "alt": alt, "bars": bars, "ticks": []},
            table,
        ])  # fmt: skip

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
        blocks: list[Block] = [_text(w["rights_intro"])]
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
            alt = "; ".join(f"{b['label']}: {b['text']}" for b in bars)
            blocks.append({"kind": "bars", "title": w["rights_chart"], "alt": alt, "bars": bars,
                           "ticks": [str(n) for n in range(int(SEVERITY_MAX) + 1)]})  # fmt: skip
        heat = self.heat_block()
        if heat is not None:
            blocks += [_text(w["heat_intro"]), heat]
        # actual and potential harms apart when the guide scores them so (a potential harm
        # is never shown as the worst actual one); severities are maxima, never averages
        split = any(self.has("worst_actual_" + r.name) for r in self.rights)
        worst = [("worst_actual_", "worst_actual"), ("worst_potential_", "worst_potential")]
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
                elif prefix == "committed_":
                    row.append(self.flag_text(self.flag_count(prefix, right.name)))
                else:
                    values = self.right_values(prefix, right.name) or []
                    row.append(self.fmt(sum(n for n in (_number(v) for v in values) if n is not None)))
            rows.append(row)
        header = [w["right"], *(w[key] for _, key in columns)]
        # the right names wrap over a quarter of the width; the counts share the rest
        widths = [2.5] + [1] * len(columns) if len(columns) > 4 else [1] + [0] * len(columns)
        blocks.append(_table("", header, rows, [False] + [True] * len(columns), widths))
        return _section("rights", w["rights_title"], blocks)

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
        """Every impact record of every submission with answers: right, groups, direction,
        severity, evidence texts, in submission and record order."""
        fields = self.impact_fields()
        if fields is None or not self.records:
            return []
        repeat, severity = fields["repeat"], fields["severity"]
        assert repeat is not None
        own = [c for c in repeat.walk() if c.repeat is repeat and c.is_question]
        texts = [c for c in own if c.type == "text" and not c.name.endswith("_other")]
        # the characteristics of the people touched describe the group, not the evidence
        traits = [c for c in own if c.type == "select_multiple" and c.list_name == "traits"]
        multi = [c for c in own if c.type == "select_multiple"
                 and c.list_name not in ("groups", "traits")]  # fmt: skip
        out = []
        for index, sub in enumerate(self.subs):
            answers = self.records.get(sub.get("instance_id") or "")
            if not answers:
                continue
            members = answers.get(repeat.name) or []
            sev_values = sub.get("scores", {}).get(severity.name) if severity else None
            aligned = isinstance(sev_values, list) and len(sev_values) == len(members)
            for pos, member in enumerate(members):
                value = _number(sev_values[pos]) if aligned and sev_values is not None else None
                evidence = [str(member.get(c.name)).strip() for c in texts if member.get(c.name)]
                for c in multi:
                    chosen = str(member.get(c.name) or "").split()
                    if chosen:
                        evidence.append(", ".join(self.choice_label(c.list_name, n) for n in chosen))
                shared = [self.choice_label(c.list_name, n) for c in traits
                          for n in str(member.get(c.name) or "").split()]  # fmt: skip
                groups = self.group_labels(fields["group"], member)
                if shared:
                    groups = f"{groups or self.w['no_value']} ({', '.join(shared)})"
                out.append({
                    "assessment": index,
                    "right": str(member.get(fields["right"].name) or ""),  # type: ignore[union-attr]
                    "groups": groups,
                    "group_names": str(member.get(fields["group"].name) or "").split()
                    if fields["group"] else [],
                    "direction": str(member.get(fields["direction"].name) or ""),  # type: ignore[union-attr]
                    "severity": value,
                    "evidence": " \u2014 ".join(e for e in evidence if e),
                })  # fmt: skip
        return out

    def group_labels(self, group: Item | None, member: dict[str, Any]) -> str:
        if group is None:
            return ""
        labels = []
        for name in str(member.get(group.name) or "").split():
            label = self.choice_label(group.list_name, name)
            other = member.get(f"{group.name}_other")
            labels.append(f"{label}: {other}" if name == "other" and other else label)
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
            f"{self.t(r.label)} / {label}: {self.fmt(v)}"
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

    def index_section(self, word: str, title: str, intro: str, chart: str | None) -> Block | None:
        items = [s for n, s in self.scores.items() if word in n and s.repeat is None and n not in self.used
                 and not n.startswith(RIGHT_PREFIXES)]  # fmt: skip
        if not items:
            return None
        w = self.w
        blocks: list[Block] = [_text(w[intro])]
        for item in items:
            self.used.add(item.name)
            label = self.t(item.label)
            values = self.values(item.name)
            # an index is shown with its base ("8 of 17 mechanisms known"), as declared
            base = self.scores.get(item.base) if item.base else None
            bases = self.values(base.name) if base is not None else [None] * len(values)
            if base is not None:
                self.used.add(base.name)
            numbers = [n for n in (_number(v) for v in values) if n is not None]
            top = max([100.0, *numbers])
            if len(values) > MAX_BARS and top == 100.0:
                bars, ticks, caption = self.bands(numbers), [], w["bands_chart"].format(label=label)
            else:
                bars = [
                    {"label": f"{w['assessment']} {n}" if len(values) > 1 else label,
                     "fraction": (_number(v) or 0) / top, "level": "plain",
                     "text": self.fmt(v) + (f"\u00a0({self.fmt(b)})" if base is not None else "")}
                    for n, (v, b) in enumerate(zip(values, bases, strict=True), start=1)
                ]  # fmt: skip
                ticks = ["0", "25", "50", "75", "100"] if top == 100.0 else []
                caption = chart and w[chart] or label
            alt = "; ".join(f"{b['label']}: {b['text']}" for b in bars)
            blocks.append({"kind": "bars", "title": caption, "alt": alt, "bars": bars,
                           "ticks": ticks})  # fmt: skip
            if base is not None:
                blocks.append(_text(w["base_in_brackets"].format(label=self.t(base.label))))
            if len(values) == 1:
                text = f"{label}: {self.fmt(values[0])}"
                if base is not None:
                    text += f"; {self.t(base.label)}: {self.fmt(bases[0])}"
                blocks.append({"kind": "callout", "text": text})
        return _section(word, w[title], blocks)

    def bands(self, numbers: list[float]) -> list[dict[str, Any]]:
        """Bars of how many assessments score in each tenth of 0-100 (one bar per assessment
        is unreadable past MAX_BARS)."""
        counts = [0] * 10
        for number in numbers:
            counts[min(9, max(0, int(number // 10)))] += 1
        most = max(counts) or 1
        return [
            {"label": f"{10 * i}–{10 * i + 9 if i < 9 else 100}", "fraction": count / most,
             "text": str(count), "level": "plain"}
            for i, count in enumerate(counts)
        ]  # fmt: skip

    def impacts_section(self) -> Block | None:
        fields = self.impact_fields()
        rows = self.impact_rows()
        if fields is None or not rows:
            return None
        w = self.w
        direction_list = fields["direction"].list_name  # type: ignore[union-attr]
        rank = {"negative": 0, "mixed": 1}
        rows.sort(key=lambda r: (r["severity"] is None, -(r["severity"] or 0),
                                 rank.get(r["direction"], 2), r["assessment"]))  # fmt: skip
        many = len(self.subs) > 1
        table_rows = []
        for row in rows[:MAX_IMPACTS]:
            cells = [str(row["assessment"] + 1)] if many else []
            cells += [self.choice_label("rights", row["right"]) if row["right"] else w["no_value"]]
            if fields["group"] is not None:
                cells.append(row["groups"] or w["no_value"])
            cells += [
                self.choice_label(direction_list, row["direction"]) if row["direction"] else w["no_value"],
                self.fmt(row["severity"]),
                row["evidence"] or w["no_value"],
            ]
            table_rows.append(cells)
        header = (["#"] if many else []) + [w["right"]] + ([w["group"]] if fields["group"] else [])
        header += [w["direction"], w["severity"], w["evidence"]]
        numeric = [h in ("#", w["severity"]) for h in header]
        shares = {w["right"]: 1.2, w["group"]: 1.0, w["direction"]: 0.7, w["evidence"]: 2.6}
        widths = [shares.get(h, 0) for h in header]
        blocks: list[Block] = [_text(w["impacts_intro"]), _table("", header, table_rows, numeric, widths)]
        if len(rows) > MAX_IMPACTS:
            blocks.append(_text(w["impacts_more"].format(n=len(rows) - MAX_IMPACTS)))
        return _section("impacts", w["impacts_title"], blocks)

    def other_section(self) -> Block | None:
        items = [s for n, s in self.scores.items() if s.repeat is None and n not in self.used
                 and not n.startswith(RIGHT_PREFIXES)]  # fmt: skip
        if not items:
            return None
        w = self.w
        rows = []
        for item in items:
            values = self.values(item.name)
            numbers = [n for n in (_number(v) for v in values) if n is not None]
            if len(self.subs) == 1:
                value = values[0]
                text = self.choice_label(item.result_list, str(value)) if item.result_list and value is not None \
                    else self.fmt(value)
                rows.append([self.t(item.label), text])
            else:
                shown = [str(v) for v in values if v is not None]
                low = self.fmt(min(numbers)) if numbers else (min(shown) if shown else w["no_value"])
                high = self.fmt(max(numbers)) if numbers else (max(shown) if shown else w["no_value"])
                rows.append([self.t(item.label), low, high, f"{len(shown)} / {len(values)}"])
        if len(self.subs) == 1:
            table = _table("", [w["score"], w["value"]], rows, [False, True], [1, 0])
        else:
            table = _table("", [w["score"], w["lowest"], w["highest"], w["with_value"]], rows,
                           [False, True, True, True], [1, 0, 0, 0])  # fmt: skip
        return _section("other", w["other_title"], [_text(w["other_intro"]), table])

    def quality_section(self, language_name: str) -> Block:
        w = self.w
        blocks: list[Block] = [_text(w["quality_intro"])]
        rejected = self.doc.get("rejected") or []
        issues = [(n, i) for n, s in enumerate(self.subs, start=1) for i in s.get("issues") or []]
        notes = [str(n) for n in self.doc.get("notes") or []]
        if not has_report_phrases(self.lang):
            notes.append(w["fallback"].format(language=language_name))
        nulls: dict[str, list[str]] = {}
        for sub in self.subs:
            for name, reason in (sub.get("null_reasons") or {}).items():
                item = self.scores.get(name)
                if item is not None and item.repeat is None and not name.startswith(RIGHT_PREFIXES):
                    nulls.setdefault(name, []).append(self.null_reason(item, str(reason)))
        carried: dict[str, int] = {}
        for sub in self.subs:
            for name in sub.get("from_export") or ():
                if name in self.scores:
                    carried[name] = carried.get(name, 0) + 1
        if not (rejected or issues or nulls):
            blocks.append({"kind": "callout", "text": w["quality_clean"]})
        if rejected:
            rows = [[self.source_text(r.get("source") or {}), str(r.get("reason") or "")]
                    for r in rejected[:MAX_LISTED]]  # fmt: skip
            blocks.append(_table(w["rejected_title"], [w["source"], w["reason"]], rows,
                                 [False, False], [1, 2]))  # fmt: skip
            blocks += self.more(len(rejected), "rejected.csv")
        if issues:
            rows = [[str(n), str(i.get("field") or w["whole_record"]), str(i.get("message") or ""),
                     self.source_text(i.get("source") or {})] for n, i in issues[:MAX_LISTED]]  # fmt: skip
            blocks.append(_table(w["issues_title"], ["#", w["field"], w["message"], w["source"]], rows,
                                 [True, False, False, False], [0, 1, 2.5, 1.2]))  # fmt: skip
            blocks += self.more(len(issues), "issues.csv")
        if nulls:
            rows = [[self.t(self.scores[name].label), str(len(reasons)), reasons[0]]
                    for name, reasons in nulls.items()]  # fmt: skip
            blocks.append(_table(w["nulls_title"], [w["score"], w["nulls_count"], w["reason"]], rows,
                                 [False, True, False], [1, 0, 2]))  # fmt: skip
        if carried:
            rows = [[self.t(self.scores[name].label), str(count)] for name, count in carried.items()]
            blocks += [{"kind": "subheading", "text": w["carried_title"]}, _text(w["carried_intro"]),
                       _table("", [w["score"], w["nulls_count"]], rows, [False, True], [1, 0])]  # fmt: skip
        if notes:
            blocks += [{"kind": "subheading", "text": w["notes_title"]}, {"kind": "list", "items": notes}]
        return _section("quality", w["quality_title"], blocks)

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


def report_document(
    guide: Guide, scores_doc: dict[str, Any], lang: str, records: Records | None = None
) -> dict[str, Any]:
    """The report of a scoring run in lang, as a JSON-ready dict both renderers draw.

    records (optional): the submissions' answers by instance id, used for the rights x groups
    view and the impacts with their evidence."""
    return _Builder(guide, scores_doc, lang, records).document()
