"""The dossier of one assessment, as the block structure both renderers draw (see report_data).

One team's assessment of one measure at one date: a summary page first (the measure, the Quick
Scan, gaps and concerns, accountability with its base, the team's overall conclusion, what was
left out and why), then each step's findings and conclusion, the harm to each right, the harms
that matter with actual and potential apart, gaps and concerns, accountability, the
recommendations and action plan as the team wrote them, what changed since the previous
assessment of the same measure, data quality in words, and what each score means.

Only this submission's scores are used: severities are never pooled across assessments.
Answers to questions marked `sensitive` in the guide are never shown; free-text evidence is
quoted only when asked (`quote_evidence`), each quote cut at QUOTE_CHARS and marked. No file
name, row, submission id, field path or raw answer value is printed: issues.csv, rejected.csv
and scores.json keep those.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Guide, Item
from .assessments import Assessment
from .consultation_section import ConsultationBlocks
from .phrases import has_report_phrases
from .quality_words import issue_sentences
from .reassessment import WHOLE_MEASURE
from .report_data import (
    RIGHT_PREFIXES,
    SEVERE,
    Block,
    Records,
    _Builder,
    _number,
    _section,
    _table,
    _text,
)

QUOTE_CHARS = 300
# answers are printed whole up to these lengths (a measure's name, the team's own texts), then
# cut and marked: a 140,000-character name would make a title no page can hold
NAME_CHARS = 120
FOOTER_CHARS = 70  # one line at the foot of every page, in every language
TEXT_CHARS = 5000
MAX_HARMS = 40  # per table; every record is in the scores files
CONCLUSION = re.compile(r"^(qs|step\d+)_conclusion$")
OVERALL_CONCLUSION = "step7_conclusion"
REC_REPEAT = "recommendations"
EXISTS_PREFIX = "exists_"


def conclusion_names(guide: Guide) -> list[str]:
    """The questions holding each step's conclusion, by the guide's naming convention."""
    return [q.name for q in guide.questions() if CONCLUSION.match(q.name) and not q.sensitive]


def action_plan_questions(guide: Guide) -> list[Item]:
    """The questions around the recommendations (step 7) outside its records: the action
    plan, do-no-harm check, sharing back; sensitive ones and conclusions left out."""
    repeat = next((r for r in guide.repeats() if r.name == REC_REPEAT), None)
    section = next((s for s in guide.sections if repeat is not None and repeat in list(s.walk())), None)
    if section is None:
        return []
    return [q for q in section.walk() if q.is_question and q.repeat is None and not q.sensitive
            and not CONCLUSION.match(q.name)]  # fmt: skip


def mechanism_questions(guide: Guide) -> list[Item]:
    """Step 6's 'does this mechanism exist' questions (`exists_<mechanism>`)."""
    return [q for q in guide.questions() if q.name.startswith(EXISTS_PREFIX) and q.repeat is None]


def cut(text: str, limit: int) -> str:
    """text, or its first `limit` characters marked as cut."""
    return text if len(text) <= limit else text[:limit].rstrip() + "\u2009[\u2026]"


def assessment_label(a: Assessment, words: dict[str, str]) -> str:
    """How an assessment is named: its measure code, else the measure's name, else its order."""
    return cut(a.measure or a.name or words["no_measure_code"].format(n=a.index + 1), NAME_CHARS)


def outcome_item(guide: Guide) -> Item | None:
    """The Quick Scan outcome: the score with a result list, one named "outcome" first."""
    candidates = [s for s in guide.scores() if s.result_list and s.repeat is None]
    candidates.sort(key=lambda s: "outcome" not in s.name)
    return candidates[0] if candidates else None


class DossierBuilder(_Builder):
    """The dossier of the submission at `assessment.index` of a scores document."""

    def __init__(self, guide: Guide, doc: dict[str, Any], assessment: Assessment, lang: str,
                 records: Records | None, quote_evidence: bool = False,
                 comparison: dict[str, Any] | None = None) -> None:  # fmt: skip
        sub = (doc.get("submissions") or [])[assessment.index]
        super().__init__(guide, {**doc, "submissions": [sub]}, lang, records)
        self.run_doc = doc
        self.assessment = assessment
        self.answers: dict[str, Any] = (records or {}).get(sub.get("instance_id") or "") or {}
        self.quote_evidence = quote_evidence
        self.comparison = comparison
        self.items = guide.items_by_name()

    # --- helpers -------------------------------------------------------------------------------
    def score(self, name: str) -> Any:
        return self.subs[0].get("scores", {}).get(name)

    def answer_text(self, item: Item, value: Any) -> str:
        """An answer in words: choice labels for a select, the text itself otherwise."""
        if value is None or value == "":
            return self.w["not_answered"]
        if item.type in ("select_one", "select_multiple") and item.list_name:
            return ", ".join(self.choice_label(item.list_name, n) for n in str(value).split())
        return cut(" ".join(str(value).split()) if item.type != "text" else str(value).strip(), TEXT_CHARS)

    def value_text(self, item: Item, value: Any) -> str:
        if value is None:
            return self.w["not_computed"]
        if item.result_list:
            return self.choice_label(item.result_list, str(value))
        return self.fmt(value)

    def right_label(self, name: str) -> str:
        return self.choice_label("rights", name) if name else self.w["whole_measure"]

    def flagged(self, prefix: str) -> list[str]:
        return [self.t(r.label) for r in self.rights if _number(self.score(prefix + r.name))]

    def index_with_base(self, name: str) -> str | None:
        """An index with its base in words: "43.8 (8 of 17 mechanisms known)"."""
        item = self.scores.get(name)
        if item is None:
            return None
        value = self.score(name)
        text = self.fmt(value) if value is not None else self.w["not_computed"]
        if item.base and item.base in self.scores:
            known = self.score(item.base)
            mechanisms = self.guide.lists.get("mechanisms")
            if mechanisms is not None:
                text += " (" + self.w["mechanisms_known"].format(
                    n=self.fmt(known), total=len(mechanisms.choices)) + ")"  # fmt: skip
            else:
                text += f" ({self.t(self.scores[item.base].label)}: {self.fmt(known)})"
        return text

    # --- the document ----------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        w, guide, a = self.w, self.guide, self.assessment
        language = guide.language(self.lang)
        measure = assessment_label(a, w)
        named = [[w["measure_name"], cut(a.name, NAME_CHARS)]] if a.measure and a.name else []
        facts = [[w["measure_code"], measure], *named,
            [w["country"], cut(a.country or w["not_answered"], NAME_CHARS)],
            [w["assessment_date"], a.date or w["not_answered"]],
            [w["guide"], self.t(guide.title)],
            [w["version"], str(self.doc.get("form_version") or guide.version)],
            [w["language"], f"{language.name} ({language.code})"],
        ]
        sections = [
            s for s in (
                self.summary_section(),
                self.steps_section(),
                self.rights_section(),
                self.harms_section(),
                self.consultation_section(),
                self.gaps_section(),
                self.accountability_section(),
                self.recommendations_section(),
                self.since_section(),
                self.dossier_quality_section(language.name),
                self.appendix_section(),
            ) if s is not None
        ]  # fmt: skip
        title = " \u00b7 ".join(x for x in (measure, a.country and cut(a.country, NAME_CHARS), a.date) if x)
        return {
            "lang": self.lang,
            "text_lang": _text_lang(self.lang),
            "language": language.name,
            "title": title,
            "kind": w["dossier_kind"],
            "footer": cut(title, FOOTER_CHARS),
            "date": a.date or "",
            "facts": facts,
            "words": self.words(),
            "sections": sections,
        }

    def summary_section(self) -> Block:
        w = self.w
        rows: list[list[str]] = []
        outcome = self.outcome_item()
        if outcome is not None:
            rows.append([w["outcome_title"], self.value_text(outcome, self.score(outcome.name))])
        for prefix, key in (("gap_", "gaps_found"), ("concern_", "concerns_found")):
            if any(self.has(prefix + r.name) for r in self.rights):
                names = self.flagged(prefix)
                rows.append([w[key], f"{len(names)}{w['colon']} {', '.join(names)}" if names else "0"])
        severe = [self.t(r.label) for r in self.rights
                  if (_number(self.score("worst_actual_" + r.name)) or 0) >= SEVERE]  # fmt: skip
        if any(self.has("worst_actual_" + r.name) for r in self.rights):
            rows.append([w["severe_actual"], f"{len(severe)}{w['colon']} {', '.join(severe)}" if severe else "0"])
        accountability = self.index_with_base("accountability_index")
        if accountability is not None:
            rows.append([self.t(self.scores["accountability_index"].label), accountability])
        recs = self.recommendation_records()
        if recs is not None:
            rows.append([w["recommendations_made"], str(len(recs))])
        blocks: list[Block] = [_text(w["summary_intro"])]
        if rows:
            blocks.append(_table("", [w["finding"], w["value"]], rows, [False, False], [1, 1.4]))
        overall = self.items.get(OVERALL_CONCLUSION)
        if overall is not None and not overall.sensitive:
            blocks += [{"kind": "subheading", "text": w["overall_conclusion"]},
                       _text(self.answer_text(overall, self.answers.get(OVERALL_CONCLUSION)))]  # fmt: skip
        blocks += [{"kind": "subheading", "text": w["left_out_title"]}, _text(self.left_out())]
        return _section("summary", w["summary_title"], blocks)

    def left_out(self) -> str:
        w = self.w
        sensitive = [q for q in self.guide.questions() if q.sensitive]
        parts = []
        if sensitive:
            parts.append(w["left_out_sensitive"].format(n=len(sensitive)))
        parts.append(w["left_out_quoted"] if self.quote_evidence else w["left_out_evidence"])
        parts.append(w["left_out_ids"])
        return " ".join(parts)

    def outcome_item(self) -> Item | None:
        return outcome_item(self.guide)

    def steps_section(self) -> Block | None:
        """Each step: its scores (other than the per-right ones shown below) and conclusion."""
        w = self.w
        blocks: list[Block] = [_text(w["steps_intro"])]
        for section in self.guide.sections:
            members = list(section.walk())
            scores = [i for i in members if i.type == "score" and i.repeat is None
                      and not i.name.startswith(RIGHT_PREFIXES)]  # fmt: skip
            conclusions = [i for i in members if CONCLUSION.match(i.name) and i.is_question
                           and not i.sensitive]  # fmt: skip
            if not scores and not conclusions:
                continue
            blocks.append({"kind": "subheading", "text": self.t(section.label) or section.code or ""})
            if scores:
                rows = [[self.t(i.label), self.value_text(i, self.score(i.name))] for i in scores]
                blocks.append(_table("", [w["score"], w["value"]], rows, [False, True], [1, 0]))
            for item in conclusions:
                text = self.answer_text(item, self.answers.get(item.name))
                blocks.append({"kind": "quote", "title": w["step_conclusion"], "text": text})
        if len(blocks) == 1:
            return None
        return _section("steps", w["steps_title"], blocks)

    # --- harms -------------------------------------------------------------------------------------
    def harm_fields(self) -> dict[str, Item | None] | None:
        fields = self.impact_fields()
        if fields is None:
            return None
        repeat = fields["repeat"]
        assert repeat is not None
        own = [c for c in repeat.walk() if c.repeat is repeat and c.is_question]

        def by_list(name: str, kind: str = "select_one") -> Item | None:
            return next((c for c in own if c.type == kind and c.list_name == name), None)

        texts = [c for c in own if c.type == "text" and not c.sensitive and not c.name.endswith("_other")]
        return fields | {
            "occurrence": by_list("occurrence"),
            "likelihood": by_list("likelihood"),
            "evidence_types": by_list("evidence_types", "select_multiple"),
            "confidence": by_list("confidence"),
            "traits": by_list("traits", "select_multiple"),
            "text": texts[0] if texts else None,
        }

    def quote(self, text: str) -> str:
        """A free-text answer quoted: cut at QUOTE_CHARS, marked as a quote (and as cut)."""
        text = " ".join(text.split())
        cut = len(text) > QUOTE_CHARS
        body = text[:QUOTE_CHARS].rstrip() + ("\u2009[\u2026]" if cut else "")
        return self.w["quoted"].format(text=body)

    def harm_rows(self) -> list[dict[str, Any]]:
        fields = self.harm_fields()
        if fields is None:
            return []
        repeat, severity = fields["repeat"], fields["severity"]
        assert repeat is not None
        members = self.answers.get(repeat.name) or []
        values = self.score(severity.name) if severity is not None else None
        aligned = isinstance(values, list) and len(values) == len(members)
        rows = []
        for pos, member in enumerate(members):
            direction = str(member.get(fields["direction"].name) or "")  # type: ignore[union-attr]
            if direction not in ("negative", "mixed"):
                continue
            occurrence = fields["occurrence"]
            rows.append({
                "member": member,
                "right": str(member.get(fields["right"].name) or ""),  # type: ignore[union-attr]
                "direction": direction,
                "occurrence": str(member.get(occurrence.name) or "") if occurrence else "",
                "severity": _number(values[pos]) if aligned and values is not None else None,
            })  # fmt: skip
        rows.sort(key=lambda r: (r["severity"] is None, -(r["severity"] or 0)))
        return rows

    def harms_section(self) -> Block | None:
        fields = self.harm_fields()
        rows = self.harm_rows()
        if fields is None or not self.answers:
            return None
        w = self.w
        blocks: list[Block] = [_text(w["harms_intro"])]
        if not rows:
            blocks.append({"kind": "callout", "text": w["harms_none"]})
            return _section("harms", w["harms_title"], blocks)
        groups = {"actual": [], "potential": [], "": []}  # type: dict[str, list[dict[str, Any]]]
        for row in rows:
            groups[row["occurrence"] if row["occurrence"] in ("actual", "potential") else ""].append(row)
        for key, title in (("actual", "harms_actual"), ("potential", "harms_potential"),
                           ("", "harms_unknown")):  # fmt: skip
            chosen = groups[key]
            if not chosen:
                continue
            blocks.append(self.harm_table(w[title], chosen, fields, potential=key == "potential"))
            if len(chosen) > MAX_HARMS:
                blocks.append(_text(w["impacts_more"].format(n=len(chosen) - MAX_HARMS)))
        return _section("harms", w["harms_title"], blocks)

    def recorded_rights(self) -> set[str]:
        """The rights on which the team recorded harm (a negative or mixed effect): from the
        records when the input carried them, else from the per-right counts."""
        if self.answers and self.harm_fields() is not None:
            return {row["right"] for row in self.harm_rows() if row["right"]}
        return {r.name for r in self.rights if (_number(self.score("negative_" + r.name)) or 0) > 0}

    def consultation_section(self) -> Block | None:
        """What the people consulted about this measure reported, beside the team's records."""
        return ConsultationBlocks(self).dossier_section(self.run_doc, self.assessment.measure,
                                                        self.recorded_rights())  # fmt: skip

    def harm_table(self, caption: str, rows: list[dict[str, Any]], fields: dict[str, Item | None],
                   potential: bool) -> Block:  # fmt: skip
        w = self.w
        columns: list[tuple[str, float]] = [(w["right"], 1.1)]
        if fields["group"] is not None:
            columns.append((w["group"], 1.3))
        columns += [(w["direction"], 0.8), (w["severity"], 0.9)]
        if potential and fields["likelihood"] is not None:
            columns.append((w["likelihood"], 0.8))
        if fields["evidence_types"] is not None:
            columns.append((w["evidence_type"], 1.3))
        if fields["confidence"] is not None:
            columns.append((w["confidence"], 1.1))
        quoting = self.quote_evidence and fields["text"] is not None
        if quoting:
            columns.append((w["quote"], 2))
        out = []
        for row in rows[:MAX_HARMS]:
            member = row["member"]
            cells = [self.right_label(row["right"]) if row["right"] else w["no_value"]]
            if fields["group"] is not None:
                group = self.group_labels(fields["group"], member) or w["group_not_given"]
                traits = fields["traits"]
                shared = [self.choice_label(traits.list_name, n)
                          for n in str(member.get(traits.name) or "").split()] if traits else []  # fmt: skip
                cells.append(f"{group} ({', '.join(shared)})" if shared else group)
            cells.append(self.choice_label(fields["direction"].list_name, row["direction"]))  # type: ignore[union-attr]
            cells.append(self.fmt(row["severity"]) if row["severity"] is not None else w["unrated"])
            if potential and fields["likelihood"] is not None:
                cells.append(self.answer_or_dash(fields["likelihood"], member))
            if fields["evidence_types"] is not None:
                cells.append(self.answer_or_dash(fields["evidence_types"], member))
            if fields["confidence"] is not None:
                cells.append(self.answer_or_dash(fields["confidence"], member))
            if quoting:
                text = member.get(fields["text"].name)  # type: ignore[union-attr]
                cells.append(self.quote(str(text)) if text else w["no_value"])
            out.append(cells)
        header = [c for c, _ in columns]
        numeric = [c == w["severity"] for c in header]
        return _table(caption, header, out, numeric, [share for _, share in columns])

    def answer_or_dash(self, item: Item, member: dict[str, Any]) -> str:
        value = member.get(item.name)
        return self.answer_text(item, value) if value else self.w["no_value"]

    # --- accountability ------------------------------------------------------------------------------
    def accountability_section(self) -> Block | None:
        if "accountability_index" not in self.scores:
            return None
        w = self.w
        self.used.add("accountability_index")
        label = self.t(self.scores["accountability_index"].label)
        blocks: list[Block] = [_text(w["accountability_intro"]),
                               {"kind": "callout", "text": f"{label}{self.w['colon']} {self.index_with_base('accountability_index')}"}]  # fmt: skip
        questions = mechanism_questions(self.guide)
        if questions and self.answers:
            missing = [self.mechanism_label(q) for q in questions if self.answers.get(q.name) == "no"]
            unknown = [self.mechanism_label(q) for q in questions if self.answers.get(q.name) in (None, "", "dont_know")]
            blocks.append({"kind": "subheading", "text": w["mechanisms_missing"]})
            blocks.append({"kind": "list", "items": missing} if missing else _text(w["mechanisms_none_missing"]))
            if unknown:
                blocks.append(_text(w["mechanisms_unknown"].format(names="; ".join(unknown))))
        return _section("accountability", w["accountability_title"], blocks)

    def mechanism_label(self, question: Item) -> str:
        name = question.name[len(EXISTS_PREFIX):]
        mechanisms = self.guide.lists.get("mechanisms")
        if mechanisms is not None and mechanisms.get(name) is not None:
            return self.choice_label("mechanisms", name)
        parent = question.parent
        return self.t(parent.label) if parent is not None and parent.label else self.t(question.label)

    # --- recommendations -----------------------------------------------------------------------------
    def recommendation_records(self) -> list[dict[str, Any]] | None:
        if not any(r.name == REC_REPEAT for r in self.guide.repeats()):
            return None
        if REC_REPEAT not in self.answers:
            return None if not self.answers else []
        return [r for r in self.answers.get(REC_REPEAT) or [] if any(
            str(v).strip() for v in r.values() if not isinstance(v, list))]  # fmt: skip

    def recommendations_section(self) -> Block | None:
        repeat = next((r for r in self.guide.repeats() if r.name == REC_REPEAT), None)
        if repeat is None:
            return None
        w = self.w
        blocks: list[Block] = [_text(w["recommendations_intro"])]
        coverage = self.scores.get("rec_coverage")
        if coverage is not None:
            self.used.add("rec_coverage")
            value = self.score("rec_coverage")
            blocks.append({"kind": "callout", "text": f"{self.t(coverage.label)}: "
                           f"{self.fmt(value) if value is not None else w['not_computed']}"})  # fmt: skip
        records = self.recommendation_records()
        own = [c for c in repeat.walk() if c.repeat is repeat and c.is_question and not c.sensitive
               and not c.name.endswith("_other")]  # fmt: skip
        first_text = next((c for c in own if c.type == "text"), None)
        if records:
            items = []
            for n, record in enumerate(records, start=1):
                head = record.get(first_text.name) if first_text else None
                term = f"{n}. " + (cut(" ".join(str(head).split()), TEXT_CHARS) if head else w["not_answered"])
                facts = []
                for item in own:
                    if item is first_text or not record.get(item.name):
                        continue
                    text = self.answer_text(item, record.get(item.name))
                    other = record.get(f"{item.name}_other")
                    if record.get(item.name) == "other" and other and not self.items.get(f"{item.name}_other", item).sensitive:
                        text += f": {cut(str(other), NAME_CHARS)}"
                    facts.append([self.t(item.label), text])
                items.append({"term": term, "facts": facts})
            blocks.append({"kind": "definitions", "items": items})
        elif records is not None:
            blocks.append({"kind": "callout", "text": w["recommendations_none"]})
        plan = action_plan_questions(self.guide)
        answered = [(item, self.answers.get(item.name)) for item in plan
                    if self.answers.get(item.name) not in (None, "")]  # fmt: skip
        if answered:
            blocks.append({"kind": "subheading", "text": w["action_plan_title"]})
            for item, value in answered:
                if item.type == "text":
                    blocks.append({"kind": "quote", "title": self.t(item.label), "text": self.answer_text(item, value)})
                else:
                    blocks.append(_text(f"{self.t(item.label)} {self.answer_text(item, value)}"))
        return _section("recommendations", w["recommendations_title"], blocks)

    # --- re-assessment -------------------------------------------------------------------------------
    def since_section(self) -> Block | None:
        if self.comparison is None:
            return None
        return _section("since", self.w["since_title"], comparison_blocks(self, self.comparison))

    # --- data quality ----------------------------------------------------------------------------------
    def dossier_quality_section(self, language_name: str) -> Block:
        w = self.w
        sub = self.subs[0]
        blocks: list[Block] = [_text(w["quality_intro_words"])]
        sentences = issue_sentences(self.guide, list(sub.get("issues") or []), self.lang, w)
        nulls = []
        for name, reason in (sub.get("null_reasons") or {}).items():
            item = self.scores.get(name)
            if item is not None and item.repeat is None and not name.startswith(RIGHT_PREFIXES):
                nulls.append(f"{self.t(item.label)}{self.w['colon']} {self.null_reason(item, str(reason))}")
        carried = [self.t(self.scores[n].label) for n in sub.get("from_export") or () if n in self.scores]
        rejected = len(self.run_doc.get("rejected") or [])
        if not (sentences or nulls or carried):
            blocks.append({"kind": "callout", "text": w["quality_clean_one"]})
        if sentences:
            blocks += [{"kind": "subheading", "text": w["issues_title"]}, {"kind": "list", "items": sentences}]
        if nulls:
            blocks += [{"kind": "subheading", "text": w["nulls_title"]}, {"kind": "list", "items": nulls}]
        if carried:
            blocks += [{"kind": "subheading", "text": w["carried_title"]}, _text(w["carried_intro"]),
                       {"kind": "list", "items": carried}]  # fmt: skip
        if rejected:
            blocks.append(_text(w["rejected_in_run"].format(n=rejected)))
        if not has_report_phrases(self.lang):
            blocks.append(_text(w["fallback"].format(language=language_name)))
        return _section("quality", w["quality_title"], blocks)


def comparison_blocks(builder: _Builder, comparison: dict[str, Any]) -> list[Block]:
    """The comparison of two assessments (reassessment.compare_assessments) as report blocks
    in the builder's language: the same words in a dossier and in `rightguide compare`."""
    w = builder.w
    intro = w["since_intro"].format(old=comparison.get("old_date") or w["not_answered"],
                                    new=comparison.get("new_date") or w["not_answered"])  # fmt: skip
    blocks: list[Block] = [_text(intro)]
    change = {k: w["change_" + k] for k in ("better", "worse", "new", "gone", "unchanged", "dropped")}
    rows = []
    for row in comparison["rights"]:
        cells = [builder.choice_label("rights", row["right"])]
        for kind in ("actual", "potential"):
            entry = row[kind]
            if entry["change"] is None:
                cells.append(w["no_value"])
            else:
                cells.append(w["change_cell"].format(old=builder.fmt(entry["old"]), new=builder.fmt(entry["new"]),
                                                     change=change[entry["change"]]))  # fmt: skip
        rows.append(cells)
    if rows:
        blocks.append(_table(w["since_rights"], [w["right"], w["worst_actual"], w["worst_potential"]], rows,
                             [False, False, False], [1, 1, 1]))  # fmt: skip
    else:
        blocks.append(_text(w["since_no_harm"]))
    recs = comparison.get("recommendations")
    if recs is None:
        blocks.append(_text(w["since_no_records"]))
    elif recs:
        rec_rows = [[builder.choice_label("rights", r["right"]) if r["right"] != WHOLE_MEASURE else w["whole_measure"],
                     str(r["old"]), str(r["new"]), change[r["change"]]] for r in recs]  # fmt: skip
        blocks.append(_table(w["since_recommendations"], [w["right"], w["before"], w["now"], w["change"]],
                             rec_rows, [False, True, True, False], [1, 0, 0, 0.6]))  # fmt: skip
    else:
        blocks.append(_text(w["recommendations_none"]))
    return blocks


def _text_lang(lang: str) -> str:
    from ..emitters.print_data import text_language

    return text_language(lang)


def dossier_document(guide: Guide, doc: dict[str, Any], assessment: Assessment, lang: str,
                     records: Records | None = None, quote_evidence: bool = False,
                     comparison: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The dossier of one assessment of a scores document, in lang, as both renderers draw it;
    comparison: what changed since the previous assessment of the same measure, if any."""
    return DossierBuilder(guide, doc, assessment, lang, records, quote_evidence, comparison).document()
