"""The network overview: the assessments of a run side by side, one row each, linking to each
one's dossier. Each row is that assessment's own scores: severities are never pooled across
assessments (there is no "worst severity of the network"), only counted per assessment.
"""

from __future__ import annotations

from typing import Any

from ..model import Guide
from .assessments import Assessment
from .consultation_section import ConsultationBlocks
from .dossier_data import NAME_CHARS, DossierBuilder, assessment_label, cut, outcome_item
from .report_data import MAX_LISTED, Block, Records, _Builder, _section, _table, _text


def overview_document(guide: Guide, doc: dict[str, Any], assessments: list[Assessment], lang: str,
                      records: Records | None, dossiers: int, previous: dict[int, int]) -> dict[str, Any]:  # fmt: skip
    """The overview of a run of several assessments in lang; `dossiers`: how many (the first
    ones) have a dossier; previous: assessment index -> index of its previous assessment."""
    rows_out: list[list[str]] = []
    links: list[str | None] = []
    builders = [DossierBuilder(guide, doc, a, lang, records) for a in assessments[:MAX_LISTED]]
    first = _Builder(guide, {"submissions": []}, lang, records)  # the words, with no assessment
    w = first.w
    outcome = outcome_item(guide)
    for builder, a in zip(builders, assessments, strict=False):
        gaps = builder.flagged("gap_")
        concerns = builder.flagged("concern_")
        coverage = builder.score("rec_coverage")
        cells = [
            assessment_label(a, w),
            cut(a.country, NAME_CHARS) if a.country else w["no_value"],
            a.date or w["no_value"],
            builder.value_text(outcome, builder.score(outcome.name)) if outcome else w["no_value"],
            str(len(gaps)),
            str(len(concerns)),
            builder.index_with_base("accountability_index") or w["no_value"],
            builder.fmt(coverage) if coverage is not None else w["not_computed"],
        ]
        rows_out.append(cells)
        links.append(a.stem if a.index < dossiers else None)
    header = [w["measure_code"], w["country"], w["assessment_date"], w["outcome_title"],
              w["gaps_found"], w["concerns_found"], w["accountability_short"], w["coverage_short"]]  # fmt: skip
    table = _table("", header, rows_out, [False, False, False, False, True, True, False, True],
                   [1.1, 0.9, 0, 1.4, 0, 0, 1.4, 1])  # fmt: skip
    table["links"] = links
    blocks: list[Block] = [_text(w["overview_intro"]), table] if rows_out else [_text(w["overview_none"])]
    if len(assessments) > MAX_LISTED:
        blocks.append(_text(w["rows_more"].format(n=len(assessments) - MAX_LISTED, file="scores.csv")))
    if dossiers < len(assessments):
        blocks.append(_text(w["dossiers_cut"].format(n=dossiers)))
    sections = [_section("overview", w["overview_title"], blocks)]
    pairs = [
        w["reassessed"].format(measure=assessments[i].measure, old=assessments[j].date, new=assessments[i].date)
        for i, j in sorted(previous.items())[:MAX_LISTED]
    ]  # fmt: skip
    if pairs:
        sections.append(_section("reassessments", w["reassessments_title"],
                                 [_text(w["reassessments_intro"]), {"kind": "list", "items": pairs}]))  # fmt: skip
    consulted = ConsultationBlocks(first).overview_section(doc, [a.measure for a in assessments])
    if consulted is not None:
        sections.append(consulted)
    quality: list[Block] = [_text(w["overview_quality_intro"])]
    issues = sum(len(s.get("issues") or []) for s in doc.get("submissions") or [])
    rejected = len(doc.get("rejected") or [])
    notes = len(doc.get("notes") or [])
    facts = [w["overview_issues"].format(n=issues), w["overview_rejected"].format(n=rejected)]
    if notes:
        facts.append(w["overview_notes"].format(n=notes))
    quality.append({"kind": "list", "items": facts})
    sections.append(_section("quality", w["quality_title"], quality))
    language = guide.language(lang)
    title = first.t(guide.title)
    return {
        "lang": lang,
        "text_lang": _text_lang(lang),
        "language": language.name,
        "title": title,
        "kind": w["overview_kind"],
        "footer": w["overview_kind"],
        "date": max((a.date or "" for a in assessments), default=""),
        "facts": [[w["assessments"], str(len(assessments))],
                  [w["version"], str(doc.get("form_version") or guide.version)],
                  [w["language"], f"{language.name} ({language.code})"]],  # fmt: skip
        "words": first.words(),
        "sections": sections,
    }


def _text_lang(lang: str) -> str:
    from ..emitters.print_data import text_language

    return text_language(lang)
