"""The real guide in guide_source/: minimum content of every step, documented scores, complete
translations, a clean build, and three hand-worked assessments scored by the evaluator."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import polib
import pytest
from support.cases import nested_case
from support.javarosa import JavaRosa

from compiler.build import build
from compiler.expressions.ast import references
from compiler.loader import load_checked_guide
from compiler.model import Guide, Item
from compiler.scoring import ReferenceEvaluator
from compiler.translations import iter_texts

SOURCE = Path(__file__).resolve().parents[1] / "guide_source"
TRANSLATED = ("fr", "es", "sr-Latn")  # every language but English (test_form_settings checks them)

RIGHTS = [
    "life", "non_discrimination", "liberty", "movement", "privacy", "health", "work", "fair_trial",
    "remedy", "association", "asylum", "violence", "slavery", "living",
]
GROUPS = ["trafficked", "sex_workers", "migrant_workers", "domestic_workers", "asylum_seekers",
          "undocumented", "lgbtqi", "children", "young_adults", "families", "defenders", "other"]
CRITICAL = {"detention", "testing", "removal"}
# Every instrument named in shared/domain.md, by its stable name in the `instruments` list.
INSTRUMENTS = {
    "palermo", "iccpr", "iccpr_op1", "icescr", "cedaw", "cedaw_op", "cerd", "cat", "crc",
    "crc_opsc", "icrmw", "refugee", "ilo_c29", "ilo_p29", "ilo_c105", "ilo_c97", "ilo_c143",
    "ilo_c181", "ilo_c189", "ilo_c190", "ilo_c87", "ilo_c98", "echr", "coe_trafficking", "esc",
    "istanbul", "lanzarote", "achr", "belem_do_para", "achpr", "maputo", "asean_actip",
    "arab_charter",
}
# The acts of EU law that bind an EU member State, asked only of EU members.
EU_ACTS = {"eu_trafficking", "eu_residence", "eu_victims", "eu_gdpr"}
# Lists where "don't know" would not be an honest answer: the team's own choices (participation
# level, priorities, confidence, recommendations), outcomes, and lists iterated by for_each or
# used with select_multiple, whose questions have their own don't-know answers.
LISTS_WITHOUT_DONT_KNOW = {
    "critical_signs", "warning_signs", "qs_outcomes", "team_members", "participation",
    "prep_items", "evidence_types", "measure_kinds", "groups", "regions", "instruments",
    "rights", "confidence", "mechanisms", "duty_bearers", "action_types", "priority_levels",
    "commitment_status", "gates", "readiness_levels", "necessity_tests", "necessity_results",
    "debate_topics", "stigma_groups", "organising_groups", "traits", "help_conditions",
    "eu_acts", "confidence_of_worst",
    # the consultation: consent and age are yes or no; the measure codes, the experiences
    # (for_each) and the worker's own referral record have no unknown answer; the person's
    # groups and characteristics are select_multiples, where choosing none is the answer
    "yes_no", "measure_codes", "experiences", "referral_offered", "consultation_groups",
    "consultation_traits",
}


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_checked_guide(SOURCE, strict=True)[0]


@pytest.fixture(scope="module")
def items(guide: Guide) -> dict[str, Item]:
    return guide.items_by_name()


def refs(item: Item) -> set[str]:
    """Names an item's formula reads (aggregate fields included)."""
    assert item.formula is not None and item.formula.tree is not None
    return set(references(item.formula.tree))


def section(guide: Guide, code: str) -> Item:
    return next(s for s in guide.sections if s.code == code)


def names_in(container: Item) -> set[str]:
    return {i.name for i in container.walk()}


# --- the whole guide -----------------------------------------------------------------------------


def test_check_strict_is_clean() -> None:
    _, diags = load_checked_guide(SOURCE, strict=True)
    assert not diags.errors and not diags.warnings


def test_form_settings(guide: Guide) -> None:
    assert guide.form_id == "right_guide"
    assert re.fullmatch(r"20\d{8}", guide.version)
    assert [(lang.code, lang.name) for lang in guide.languages] == [
        ("en", "English"), ("fr", "Français"), ("es", "Español"), ("sr-Latn", "Srpski")
    ]
    assert [lang.xlsform for lang in guide.languages][-1] == "Srpski (sr-Latn)"
    assert guide.default_language == "en"
    assert [s.code for s in guide.sections] == ["QS", "1", "2", "3", "4", "5", "6", "7"]


def test_build_succeeds_without_pyxform_warnings(tmp_path: Path) -> None:
    # emit_odk refuses any pyxform warning; ODK Validate runs inside the conversion
    result = build(SOURCE, tmp_path, strict=True)
    assert {f.kind for f in result.files} >= {"xlsform", "xform"}
    xform = (tmp_path / "right_guide.xml").read_text(encoding="utf-8")
    assert 'id="right_guide"' in xform and f'version="{result.guide.version}"' in xform
    # a hyphenated language code (sr-Latn) goes through XLSForm, XForm and every file name
    assert '<translation lang="Srpski (sr-Latn)">' in xform
    survey = openpyxl.load_workbook(tmp_path / "right_guide.xlsx")["survey"]
    assert "label::Srpski (sr-Latn)" in [c.value for c in survey[1]]
    serbian = {f.path for f in result.files if f.language == "sr-Latn"}
    assert serbian >= {"workbooks/right_guide_sr-Latn.xlsx", "print/right_guide_sr-Latn.pdf",
                       "print/right_guide_sr-Latn.html"}
    assert all((tmp_path / path).is_file() for path in serbian)


def test_every_score_is_documented_in_every_language(guide: Guide) -> None:
    scores = guide.scores()
    assert len(scores) > 70
    for score in scores:
        for attr in ("label", "description", "missing"):
            text = getattr(score, attr)
            assert text is not None and len(text.source) > 3, (score.name, attr)
            for lang in TRANSLATED:
                assert guide.translate(text, lang), (score.name, attr, lang)


def test_every_answer_list_is_used(guide: Guide) -> None:
    items = [i for form in guide.all_forms() for i in form.walk()]
    used = {i.list_name for i in items} | {i.result_list for i in items}
    used |= {t.keys_list for t in guide.tables.values()} | {t.values_list for t in guide.tables.values()}
    used |= {"critical_signs", "warning_signs", "prep_items", "gates", "regions", "instruments",
             "mechanisms", "necessity_tests", "debate_topics", "stigma_groups",
             "organising_groups", "experiences"}  # for_each
    assert set(guide.lists) <= used
    for name in ("critical_signs", "warning_signs", "prep_items", "regions", "instruments", "mechanisms"):
        assert any(i.label and i.label.params and i.label.params[0][1].context.startswith(f"choices.{name}.")
                   for i in guide.walk()), name


def test_dont_know_is_offered_wherever_the_answer_may_be_unknown(guide: Guide) -> None:
    for name, choice_list in guide.lists.items():
        has_dk = any(c.dont_know for c in choice_list.choices)
        assert has_dk == (name not in LISTS_WITHOUT_DONT_KNOW), name


def test_questions_are_readable(guide: Guide) -> None:
    for item in guide.questions():
        label = guide.text(item.label, "en")  # templates filled in
        assert len(label) >= 8, item.name
        if not item.name.startswith(("crit_", "sign_", "ready_", "gate_")):  # a listed item
            # a question an interviewer reads aloud ends with a question mark, or asks to describe
            assert label.endswith(("?", ".")), item.name
        if item.constraint is not None:
            assert item.constraint_message is not None, item.name


def test_translations_are_complete_and_keep_placeholders(guide: Guide) -> None:
    texts = list(iter_texts(guide))
    for lang in TRANSLATED:
        po = {e.msgctxt: e for e in polib.pofile(str(SOURCE / "locale" / f"{lang}.po"))}
        for text in texts:
            entry = po.get(text.context)
            assert entry is not None and entry.msgstr and "fuzzy" not in entry.flags, (lang, text.context)
            assert entry.msgid == text.source, (lang, text.context)
            assert set(re.findall(r"\{\w+\}", entry.msgstr)) == set(re.findall(r"\{\w+\}", text.source))
            if len(text.source) > 30:
                assert entry.msgstr != text.source, (lang, text.context)  # not a copy of the English


def test_serbian_quotes_answers_as_they_are_translated(guide: Guide) -> None:
    """An answer quoted in a Serbian text ("Answer „Ne znam“ ...") is the Serbian label of an
    answer (or the part before its colon), so the reader finds it among the answers."""
    po = [e for e in polib.pofile(str(SOURCE / "locale" / "sr-Latn.po")) if not e.obsolete]
    labels = {e.msgstr.casefold() for e in po if e.msgctxt.startswith("choices.")}
    labels |= {label.split(":")[0] for label in labels}
    # quoted words that are not answers: "write „Nema“ (none)", a paraphrased outcome, "rescue",
    # the debate's topic, and examples of what a reader writes or sees
    free = {"nema", "sada nije izvodljiva", "spasavanja", "spasenih", "{label}", "poznato 4 od 17 mehanizama",
            "zatvorena skloništa ukinuta do 2027", "nikakvi podaci se ne prosleđuju policiji za strance"}
    read_aloud = {"c_consent_script.label", "c_experiences.intro"}  # quoted speech, not answers
    for entry in po:
        if entry.msgctxt in read_aloud:
            continue
        for quoted in re.findall(r"„([^“]*)“", entry.msgstr):
            assert quoted.casefold() in labels | free, (entry.msgctxt, quoted)


# --- Quick Scan ------------------------------------------------------------------------------------


def test_quick_scan_signs_and_outcome(guide: Guide, items: dict[str, Item]) -> None:
    qs = section(guide, "QS")
    critical = {i.name for i in qs.walk() if i.name.startswith("crit_")}
    others = {i.name for i in qs.walk() if i.name.startswith("sign_")}
    assert critical == {f"crit_{n}" for n in CRITICAL}
    assert len(critical | others) >= 10
    signs = guide.lists["warning_signs"].names()
    for needed in ("raids", "conditional_help", "sex_work_penalties", "migration_penalties",
                   "travel_restrictions", "data_sharing", "excluded_groups", "no_complaints"):
        assert needed in signs
    assert refs(items["qs_sign_count"]) == critical | others
    assert refs(items["qs_critical_count"]) == critical
    assert refs(items["qs_unknown_count"]) == critical | others
    outcome = items["qs_outcome"]
    assert outcome.result_list == "qs_outcomes"
    assert set(guide.lists["qs_outcomes"].names()) == {
        "full", "full_safety_first", "monitor", "none", "not_feasible"
    }
    assert {"qs_clear_measure", "qs_feas_info", "qs_feas_access", "qs_feas_capacity"} <= refs(outcome)
    assert {"qs_measure_name", "qs_stage"} <= names_in(qs)


# --- steps 1 to 3 ----------------------------------------------------------------------------------


def test_step1_preparation(guide: Guide, items: dict[str, Item]) -> None:
    ladder = guide.lists["participation"]
    assert ladder.names() == ["0", "1", "2", "3"] and ladder.numeric
    # readiness is a set of gates: every safeguard in place, the missing ones named
    gates = guide.lists["gates"].names()
    assert gates == ["consent", "risk_assessment", "data_protection", "disclosure_protocol",
                     "child_safeguarding"]  # fmt: skip
    assert refs(items["gates_missing"]) == {f"gate_{n}" for n in gates}
    assert refs(items["readiness"]) == {"gates_missing"}
    assert all(refs(items[f"gate_missing_{n}"]) == {f"gate_{n}"} for n in gates)
    # participation per group; the summary is the lowest level among the groups named
    per_group = {f"participation_{g}" for g in GROUPS}
    assert refs(items["participation_score"]) == per_group | {"participation_groups"}
    assert {"team_members", "sources_planned", "consent_how", "data_how"} <= names_in(section(guide, "1"))


def test_step2_necessity_and_proportionality(guide: Guide) -> None:
    """Fails on any "No", passes on four "Yes", else cannot tell; the failing test is named."""
    evaluator = ReferenceEvaluator(guide)
    tests = guide.lists["necessity_tests"].names()
    assert tests == ["aim", "evidence", "alternatives", "balance"]
    cases = [
        ({f"nec_{t}": "yes" for t in tests}, "passes", []),
        ({"nec_aim": "yes", "nec_evidence": "no", "nec_alternatives": "partly"}, "fails", ["evidence"]),
        ({"nec_aim": "yes", "nec_evidence": "partly", "nec_balance": "dont_know"}, "cannot_tell", []),
    ]
    for answers, result, failed in cases:
        filled = evaluator.fill(answers)
        assert filled.text("necessity_result") == result
        assert [t for t in tests if filled.text(f"nec_failed_{t}") == "1"] == failed


def test_step2_policy(guide: Guide) -> None:
    step = names_in(section(guide, "2"))
    assert {"policy_name", "policy_kind", "policy_level", "policy_stage", "policy_goals",
            "policy_assumptions", "policy_implementers", "policy_targets", "policy_budget"} <= step
    assert {"law", "regulation", "policy", "programme", "practice"} <= set(guide.lists["measure_kinds"].names())


def test_step3_environment(guide: Guide) -> None:
    step = names_in(section(guide, "3"))
    assert {"env_sex_work", "env_permit", "env_domestic_work", "env_change_employer",
            "env_civic_space", "env_report_police", "env_report_labour"} <= step
    # one thing per question: the double-barrelled ones are split per topic or group
    assert {"env_climate_trafficking", "env_climate_migration", "env_climate_sex_work",
            "env_stigma_sex_workers", "env_stigma_migrants", "env_stigma_trafficked",
            "env_self_organisation_domestic_workers"} <= step
    assert "cooperation_only" in guide.lists["permit_rules"].names()


# --- step 4 ----------------------------------------------------------------------------------------


def test_step4_every_instrument_is_asked_and_mapped(guide: Guide, items: dict[str, Item]) -> None:
    instruments = set(guide.lists["instruments"].names())
    assert INSTRUMENTS <= instruments
    table = guide.tables["instrument_rights"]
    assert set(table.rows) == instruments
    assert set(guide.lists["rights"].names()) == set(RIGHTS)
    for right in RIGHTS:
        assert table.keys_for(right), f"no instrument protects {right}"
    regional = guide.tables["regional_instruments"]
    assert all(sum(i in row for row in regional.rows.values()) <= 1 for i in instruments)
    statuses = set()
    for name in instruments:
        status, reservations = items[f"status_{name}"], items[f"reservations_{name}"]
        assert status.list_name == "treaty_status"
        assert reservations.type == "text"
        assert reservations.relevant is not None and f"status_{name}" in reservations.relevant.text
        statuses.add(status.name)
    # Palermo binds on criminalisation, proceedings, compensation and non-discrimination only:
    # its "shall consider" articles commit no State to health, work or housing
    assert table.rows["palermo"] == ["non_discrimination", "fair_trial", "remedy", "slavery"]
    # every regional system of domain.md; each regional instrument asked only of its members
    assert set(guide.lists["regions"].names()) == {
        "europe", "americas", "africa", "eu", "asean", "arab",
    }
    assert regional.rows["asean"] == ["asean_actip"] and regional.rows["arab"] == ["arab_charter"]
    assert {"istanbul", "lanzarote"} <= set(regional.rows["europe"])
    # EU law binds through membership, asked only of EU members
    eu = guide.tables["eu_act_rights"]
    assert set(eu.rows) == set(guide.lists["eu_acts"].names()) == EU_ACTS
    assert "member_eu" in items["eu_law"].relevant.text
    for act in EU_ACTS:
        assert items[f"eu_bound_{act}"].list_name == "eu_participation"
    for right in RIGHTS:
        # by treaty: a ratified instrument protecting it, without a reservation limiting it,
        # or an act of EU law protecting it that binds the State
        own, acts = table.keys_for(right), eu.keys_for(right)
        assert refs(items[f"treaty_commitments_{right}"]) == (
            {f"status_{i}" for i in own} | {f"reserved_{i}" for i in own}
            | ({f"eu_bound_{a}" for a in acts} | {"member_eu"} if acts else set())
        )
        assert refs(items[f"committed_{right}"]) == {f"commitment_{right}"}
        assert items[f"commitment_{right}"].result_list == "commitment_status"


# --- step 5 ----------------------------------------------------------------------------------------


def test_step5_impacts(guide: Guide, items: dict[str, Item]) -> None:
    impacts = items["impacts"]
    assert impacts.type == "repeat" and impacts.min_records == 60
    fields = {c.name: c for c in impacts.walk()}
    assert fields["right"].list_name == "rights" and fields["affected_group"].list_name == "groups"
    assert guide.lists["groups"].names() == GROUPS
    assert fields["affected_group_other"].relevant.text == "affected_group = 'other'"
    assert set(guide.lists["direction"].names()) >= {"positive", "negative", "mixed", "none"}
    for scale in ("scale", "scope", "irremediability", "likelihood"):
        assert guide.lists[fields[scale].list_name].numeric, scale
        assert "direction" in fields[scale].relevant.text
    assert fields["evidence"].type == "select_multiple"
    # severity: the higher of gravity and irremediability (never a mean), raised by scope
    assert refs(fields["harm_rating"]) == {"scale", "irremediability"}
    assert refs(fields["severity"]) == {"harm_rating", "scope"}
    assert refs(fields["priority"]) == {"occurrence", "likelihood", "severity"}
    for right in RIGHTS:
        for prefix in ("worst", "worst_actual", "worst_potential", "unrated", "negative",
                       "positive", "gap", "concern"):  # fmt: skip
            assert items[f"{prefix}_{right}"].type == "score"
        # a gap needs an actual, evidenced severe harm to a committed right
        assert refs(items[f"gap_{right}"]) == {
            f"committed_{right}", "right", "occurrence", "severity", "evidence"
        }
        assert refs(items[f"concern_{right}"]) == {f"gap_{right}", "right", "severity"}
    assert refs(items["severe_rights_count"]) == {f"worst_{r}" for r in RIGHTS}


# --- steps 6 and 7 ---------------------------------------------------------------------------------


def test_step6_accountability(guide: Guide, items: dict[str, Item]) -> None:
    mechanisms = guide.lists["mechanisms"].names()
    assert {"police_oversight", "ombudsperson", "courts", "legal_aid", "compensation",
            "monitoring", "parliament", "participatory_evaluation"} <= set(mechanisms)
    # remedies for people harmed by the measure itself count too
    assert {"detention_review", "identification_appeal", "wrongful_compensation", "labour_claims",
            "data_protection", "international", "implementer_accountability"} <= set(mechanisms)
    for name in mechanisms:
        for aspect in ("known", "usable", "effective"):
            assert items[f"{aspect}_{name}"].relevant.text == f"exists_{name} = 'yes'"
    assert refs(items["accountability_index"]) == (
        {f"mech_score_{n}" for n in mechanisms} | {"mechanisms_known"}
    )
    assert items["accountability_index"].base == "mechanisms_known"  # shown with its base


def test_step7_recommendations(items: dict[str, Item]) -> None:
    recs = items["recommendations"]
    assert recs.type == "repeat" and recs.min_records == 30
    assert {"rec_text", "rec_to", "rec_right", "rec_priority", "rec_action", "rec_timeline"} <= names_in(recs)
    assert refs(items["rec_coverage"]) == {f"rec_covered_{r}" for r in RIGHTS} | {"severe_rights_count"}


# --- three hand-worked assessments -----------------------------------------------------------------
#
# Each case is a scenario, its answers, and the scores worked out by hand from the formulas'
# descriptions (the `description` and `missing` texts in guide_source/). The evaluator must
# give exactly these values, as text the way ODK stores them.

# Case A. A national plan of police raids on brothels, with closed shelters for the women found.
# QS: detention "yes", testing "don't know", removal "no"; raids, help only for cooperation and
# exclusion of affected groups "yes"; data sharing "don't know". Signs yes = detention, raids,
# conditional_help, excluded_groups = 4; critical = 1; unknown = testing, data_sharing = 2.
# Feasibility has no "no" -> a critical sign -> "full".
# Step 1: trafficked persons co-researchers (2), sex workers only consulted (1) -> the lowest, 1.
# Safeguards: consent, risk assessment, data protection yes; disclosure protocol no, child
# safeguarding blank -> 2 missing, not ready (both named).
# Step 4: a Council of Europe member (not OAS, not AU: their 4 instruments are not asked, so
# the answer given for the American Convention is ignored). 17 ratified, 1 signed (OP-CEDAW),
# 4 not signed (ICRMW, C97, C143, C189), 1 don't know (P29). Every right is protected by a
# ratified instrument without a reservation (ICCPR, ICESCR, CEDAW, ...) -> 14, by treaty.
# Step 5 (severity: the higher of gravity and irremediability, +1 to at most 5 when scope is 4
# or 5): (1) liberty, actual, 5 4 4, testimony and case files -> 5 (+1 capped), priority 5.
# (2) liberty, potential, 4 3 3, likelihood 2 -> 4, unlikely -> priority 3. (3) privacy, mixed,
# 3 3 2 -> 3. (4) health, potential, 4 4 dk, likelihood 4 -> gravity decides, 4 + 1 = 5 (a
# "don't know" no longer empties it), priority 5. (5) slavery, positive: no severity. (6) remedy,
# other group, potential 5 5 5, likelihood don't know -> 5, priority 5 (precaution).
# Worst: liberty 5 (actual 5, potential 4), privacy 3, health 5 (potential), remedy 5
# (potential). Negatives: liberty 2, privacy 1, health 1, remedy 1; positives: privacy 1
# (mixed), slavery 1. Severe: liberty, health, remedy -> 3. Gap: liberty only (actual,
# evidenced, committed); health and remedy are severe but only potential -> concerns 2.
# Step 6 (each existing mechanism: the mean of known, usable without risk, effective): courts
# and parliament yes yes yes (1 + 1), ombudsperson and legal aid partly x3 (0.5 + 0.5), police
# oversight yes / no / partly (0.5); compensation, participatory evaluation and firewall do
# not exist (0); monitoring (usable: don't know), service complaints (exists: don't know) and
# the 7 mechanisms left blank are out: 8 known, 100 * 3.5 / 8 = 43.75 -> 43.8; 2 working.
# Step 7: recommendations on liberty, privacy, and one without a right: of the 3 severely
# harmed rights only liberty is covered -> 100 * 1 / 3 = 33.3.
CASE_A: dict[str, Any] = {
    "answers": {
        "qs_measure_name": "National plan against sexual exploitation",
        "qs_clear_measure": "yes", "qs_stage": "implemented",
        "crit_detention": "yes", "crit_testing": "dont_know", "crit_removal": "no",
        "sign_raids": "yes", "sign_conditional_help": "yes", "sign_excluded_groups": "yes",
        "sign_data_sharing": "dont_know", "sign_no_complaints": "no",
        "qs_feas_info": "yes", "qs_feas_access": "partly", "qs_feas_capacity": "yes",
        "participation_groups": "trafficked sex_workers",
        "participation_trafficked": "2", "participation_sex_workers": "1",
        "ready_ethics_plan": "yes", "gate_risk_assessment": "yes", "gate_consent": "yes",
        "gate_data_protection": "yes", "gate_disclosure_protocol": "no",
        "ready_referral": "no", "ready_mediators": "dont_know", "ready_team_support": "yes",
        "member_europe": "yes", "member_americas": "no", "member_africa": "no",
        **{f"status_{n}": "ratified" for n in (
            "palermo", "iccpr", "iccpr_op1", "icescr", "cedaw", "cerd", "cat", "crc", "crc_opsc",
            "refugee", "ilo_c29", "ilo_c105", "ilo_c87", "ilo_c98", "echr", "coe_trafficking", "esc",
        )},
        "status_cedaw_op": "signed", "status_ilo_p29": "dont_know",
        **{f"status_{n}": "not_signed" for n in ("icrmw", "ilo_c97", "ilo_c143", "ilo_c189")},
        "status_achr": "ratified",  # not asked: the State is not an OAS member
        "impacts": [
            {"right": "liberty", "affected_group": "trafficked", "direction": "negative",
             "occurrence": "actual", "scale": "5", "scope": "4", "irremediability": "4",
             "evidence": "testimony case_files", "evidence_confidence": "high"},
            {"right": "liberty", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "potential", "scale": "4", "scope": "3", "irremediability": "3",
             "likelihood": "2"},
            {"right": "privacy", "affected_group": "migrant_workers", "direction": "mixed",
             "occurrence": "actual", "scale": "3", "scope": "3", "irremediability": "2"},
            {"right": "health", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "potential", "scale": "4", "scope": "4", "irremediability": "dk",
             "likelihood": "4"},
            {"right": "slavery", "affected_group": "trafficked", "direction": "positive",
             "occurrence": "actual"},
            {"right": "remedy", "affected_group": "other", "affected_group_other": "Families",
             "direction": "negative", "occurrence": "potential", "scale": "5", "scope": "5",
             "irremediability": "5", "likelihood": "dk"},
        ],
        "exists_police_oversight": "yes", "known_police_oversight": "yes",
        "usable_police_oversight": "no", "effective_police_oversight": "partly",
        **{f"{a}_ombudsperson": "partly" for a in ("known", "usable", "effective")},
        **{f"{a}_legal_aid": "partly" for a in ("known", "usable", "effective")},
        **{f"{a}_courts": "yes" for a in ("known", "usable", "effective")},
        **{f"{a}_parliament": "yes" for a in ("known", "usable", "effective")},
        "exists_ombudsperson": "yes", "exists_courts": "yes", "exists_legal_aid": "yes",
        "exists_parliament": "yes", "exists_compensation": "no",
        "exists_monitoring": "yes", "known_monitoring": "yes", "usable_monitoring": "dont_know",
        "effective_monitoring": "yes",
        "exists_participatory_evaluation": "no",
        "exists_service_complaints": "dont_know",
        "exists_firewall": "no",
        "recommendations": [
            {"rec_text": "Close closed shelters", "rec_right": "liberty", "rec_priority": "high"},
            {"rec_text": "Stop data sharing", "rec_right": "privacy"},
            {"rec_text": "Evaluate the plan with sex workers' organisations"},
        ],
    },
    "scores": {
        "qs_sign_count": "4", "qs_critical_count": "1", "qs_unknown_count": "2",
        "qs_outcome": "full", "participation_score": "1", "readiness": "not_ready",
        "gates_missing": "2", "gate_missing_disclosure_protocol": "1",
        "gate_missing_child_safeguarding": "1", "gate_missing_consent": "0",
        "committed_count": "14", "committed_movement": "1", "commitment_movement": "treaty",
        "commitment_asylum": "treaty",
        "worst_liberty": "5", "worst_actual_liberty": "5", "worst_potential_liberty": "4",
        "worst_privacy": "3", "worst_remedy": "5", "worst_actual_remedy": "",
        "worst_potential_remedy": "5", "worst_health": "5", "worst_slavery": "",
        "negative_liberty": "2", "negative_privacy": "1", "unrated_health": "0",
        "negative_health": "1", "negative_remedy": "1", "positive_privacy": "1",
        "positive_slavery": "1", "positive_liberty": "0", "gap_liberty": "1", "gap_remedy": "0",
        "concern_liberty": "0", "concern_remedy": "1", "concern_health": "1", "gap_privacy": "0",
        "confidence_actual_liberty": "high", "confidence_potential_liberty": "none",
        "confidence_actual_privacy": "none", "confidence_potential_health": "none",
        "confidence_actual_health": "", "confidence_actual_slavery": "",
        "confidence_potential_slavery": "",
        "concern_privacy": "0", "gap_health": "0", "severe_rights_count": "3", "gap_count": "1",
        "concern_count": "2",
        "accountability_index": "43.8", "mechanisms_known": "8", "mechanisms_working": "2",
        "rec_coverage": "33.3",
    },
    "records": {"impacts": [
        {"severity": "5", "priority": "5"}, {"severity": "4", "priority": "3"},
        {"severity": "3", "priority": "3"}, {"severity": "5", "priority": "5"},
        {"severity": "", "priority": ""}, {"severity": "5", "priority": "5"},
    ]},
}

# Case B. A proposed exit ban for young women seeking domestic work abroad, in an OAS member.
# QS: only travel restrictions "yes"; 3 signs "don't know"; no critical sign; capacity "don't
# know" does not block -> 1 sign -> "monitor". Domestic workers not involved (0) -> 0; no safeguard -> 5 missing.
# Step 4: not a Council of Europe member (the ECHR answer is ignored). Ratified: Palermo
# (binding on non-discrimination, fair trial, remedy, slavery only), Belém do Pará (also
# liberty, violence), C29; ICCPR and CEDAW signed only, American Convention not signed; CAT
# don't know. By treaty: non-discrimination, liberty, fair trial, remedy, violence, slavery;
# asylum by customary law (non-refoulement) -> 7. Movement, association and health: every
# instrument protecting them is known not to be ratified -> not committed.
# Step 5: (1) movement, actual, 4 5 3, no evidence given -> 4 + 1 = 5; (2) non-discrimination,
# actual, 4 4 4, official data -> 5; (3) movement, direction not yet known: no severity, not
# counted. Severe: movement and non-discrimination -> 2; only non-discrimination is a gap
# (committed, actual, evidenced); movement is a concern (no evidence yet, and no treaty
# protecting it is ratified).
# Step 6: nothing known -> empty. Step 7: no recommendation -> 100 * 0 / 2 = 0.
CASE_B: dict[str, Any] = {
    "answers": {
        "qs_measure_name": "Exit permits for women under 30",
        "qs_clear_measure": "yes", "qs_stage": "proposed",
        "crit_detention": "no", "crit_testing": "no", "crit_removal": "no",
        "sign_travel_restrictions": "yes", "sign_excluded_groups": "dont_know",
        "sign_data_sharing": "dont_know", "sign_profiling": "dont_know", "sign_raids": "no",
        "qs_feas_info": "partly", "qs_feas_access": "yes", "qs_feas_capacity": "dont_know",
        "participation_groups": "domestic_workers", "participation_domestic_workers": "0",
        "member_europe": "no", "member_americas": "yes", "member_africa": "no",
        "status_palermo": "ratified", "status_iccpr": "signed", "status_cedaw": "signed",
        "status_cat": "dont_know", "status_achr": "not_signed", "status_belem_do_para": "ratified",
        "status_ilo_c29": "ratified", "status_echr": "ratified",
        "member_eu": "no", "eu_bound_eu_gdpr": "bound",  # not asked: not an EU member
        "impacts": [
            {"right": "movement", "affected_group": "young_adults", "direction": "negative",
             "intended": "intended", "occurrence": "actual", "scale": "4", "scope": "5",
             "irremediability": "3"},
            {"right": "non_discrimination", "affected_group": "domestic_workers",
             "direction": "negative", "occurrence": "actual", "scale": "4", "scope": "4",
             "irremediability": "4", "evidence": "official_data", "evidence_confidence": "medium"},
            {"right": "movement", "affected_group": "migrant_workers", "direction": "dont_know"},
        ],
    },
    "scores": {
        "qs_sign_count": "1", "qs_critical_count": "0", "qs_unknown_count": "3",
        "qs_outcome": "monitor", "participation_score": "0", "readiness": "not_ready",
        "gates_missing": "5",
        "committed_movement": "0", "commitment_movement": "not_committed",
        "committed_association": "0", "commitment_health": "not_committed",
        "commitment_privacy": "not_committed",
        "committed_liberty": "1", "commitment_liberty": "treaty", "commitment_asylum": "customary",
        "committed_asylum": "1", "committed_count": "7", "worst_movement": "5",
        "worst_non_discrimination": "5", "negative_movement": "1", "positive_movement": "0",
        "gap_movement": "0", "concern_movement": "1", "gap_non_discrimination": "1",
        "concern_non_discrimination": "0", "severe_rights_count": "2", "gap_count": "1",
        "concern_count": "1", "accountability_index": "", "rec_coverage": "0",
    },
    "records": {"impacts": [
        {"severity": "5", "priority": "5"}, {"severity": "5", "priority": "5"},
        {"severity": "", "priority": ""},
    ]},
}

# Case C. Fast-track deportations of undocumented workers; the team cannot reach the people
# concerned safely. QS: removal "yes" (critical), access "no" -> a full assessment is still
# needed, "first make it safe, start with a desk review": a critical sign never falls back to
# "not feasible". Sign count 1, critical 1. Both groups named lead (3) -> 3; every safeguard
# in place -> ready. Nothing answered in steps 4 to 7: no treaty known, so 3 rights are
# committed by customary law only (asylum, slavery, violence) and the others are "not known
# yet", never "not committed"; no severity anywhere -> 0 severe, 0 gaps; every mechanism's
# existence "don't know" -> accountability empty; no severely harmed right -> coverage empty.
CASE_C: dict[str, Any] = {
    "answers": {
        "qs_measure_name": "Fast-track removal procedure",
        "qs_clear_measure": "yes", "crit_removal": "yes",
        "qs_feas_info": "yes", "qs_feas_access": "no", "qs_feas_capacity": "yes",
        "participation_groups": "migrant_workers undocumented",
        "participation_migrant_workers": "3", "participation_undocumented": "3",
        **{f"ready_{n}": "yes" for n in (
            "ethics_plan", "referral", "mediators", "team_support", "resources",
        )},
        **{f"gate_{n}": "yes" for n in (
            "consent", "risk_assessment", "data_protection", "disclosure_protocol",
            "child_safeguarding",
        )},
        **{f"exists_{n}": "dont_know" for n in (
            "police_oversight", "ombudsperson", "courts", "legal_aid", "compensation",
            "monitoring", "parliament", "participatory_evaluation", "service_complaints", "firewall",
        )},
    },
    "scores": {
        "qs_sign_count": "1", "qs_critical_count": "1", "qs_unknown_count": "0",
        "qs_outcome": "full_safety_first", "participation_score": "3", "readiness": "ready",
        "gates_missing": "0",
        "committed_count": "3", "commitment_liberty": "unknown", "commitment_slavery": "customary",
        "worst_liberty": "",
        "negative_liberty": "0", "severe_rights_count": "0", "gap_count": "0", "concern_count": "0",
        "accountability_index": "", "mechanisms_known": "0", "rec_coverage": "",
    },
    "records": {},
}

# Case D. Returns of a few identified victims to a country where they face persecution.
# QS: removal "yes" (critical), feasibility "yes" -> "full". Step 4: Refugee Convention and CAT
# ratified -> asylum committed by treaty; a reservation to CAT that the team says limits remedy
# removes CAT's commitment to it, and no other ratified instrument protects remedy -> remedy
# not committed. Step 5: (1) asylum, trafficked, actual, gravity 5, scope 1 (3
# people), irremediability 5, case files -> 5: one characteristic makes a harm severe (the old
# mean gave 3.67, no gap); a gap. (2) health, negative, actual, gravity and irremediability
# don't know, scope 3 -> unrated: counted as a harm of unknown severity, never as no harm.
# (3) privacy, potential, 4 2 3, likelihood 2 -> 4, priority 3: a severe potential harm is a
# concern, not a gap. (4) liberty, potential, gravity 2, scope and irremediability don't know
# -> gravity decides: 2; a "don't know" scope raises nothing. Severe: asylum, privacy -> 2;
# gaps 1 (asylum); concerns 1 (privacy).
CASE_D: dict[str, Any] = {
    "answers": {
        "qs_measure_name": "Accelerated returns of identified victims",
        "qs_clear_measure": "yes", "crit_removal": "yes",
        "qs_feas_info": "yes", "qs_feas_access": "yes", "qs_feas_capacity": "yes",
        "member_europe": "no", "member_americas": "no", "member_africa": "no",
        "status_refugee": "ratified", "status_cat": "ratified", "reserved_cat": "remedy",
        "impacts": [
            {"right": "asylum", "affected_group": "trafficked", "direction": "negative",
             "occurrence": "actual", "scale": "5", "scope": "1", "irremediability": "5",
             "evidence": "case_files", "evidence_confidence": "high"},
            {"right": "health", "affected_group": "trafficked", "direction": "negative",
             "occurrence": "actual", "scale": "dk", "scope": "3", "irremediability": "dk"},
            {"right": "privacy", "affected_group": "migrant_workers", "direction": "negative",
             "occurrence": "potential", "scale": "4", "scope": "2", "irremediability": "3",
             "likelihood": "2"},
            {"right": "liberty", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "potential", "scale": "2", "scope": "dk", "irremediability": "dk",
             "likelihood": "3"},
        ],
    },
    "scores": {
        "qs_outcome": "full", "participation_score": "", "committed_asylum": "1",
        "commitment_asylum": "treaty",
        "commitment_remedy": "not_committed", "commitment_violence": "treaty",
        "commitment_privacy": "unknown", "worst_asylum": "5",
        "worst_actual_asylum": "5", "gap_asylum": "1", "concern_asylum": "0",
        "negative_health": "1", "unrated_health": "1", "worst_health": "",
        "worst_privacy": "4", "worst_actual_privacy": "", "worst_potential_privacy": "4",
        "gap_privacy": "0", "concern_privacy": "1", "worst_liberty": "2", "concern_liberty": "0",
        "severe_rights_count": "2", "gap_count": "1", "concern_count": "1",
    },
    "records": {"impacts": [
        {"severity": "5", "priority": "5"}, {"severity": "", "priority": ""},
        {"severity": "4", "priority": "3"}, {"severity": "2", "priority": "2"},
    ]},
}

# Case E. Police "rescue" operations in an EU member State, assessed from EU law alone (no
# treaty answered yet). EU law binds through membership: the anti-trafficking directive and
# the GDPR bind the State; it stands outside the residence-permit directive; whether it takes
# part in the victims' rights directive is not known. By EU law: privacy, health, fair trial,
# remedy, violence, slavery, living (the directive 2011/36/EU), privacy and remedy (GDPR).
# Work: its only EU act (2004/81/EC) does not bind and no treaty is answered -> not known yet.
# Non-discrimination: only through the victims' rights directive, "don't know" -> not known
# yet. Asylum: customary. 8 rights committed.
# Step 5, the confidence of the worst harm: (1) work, actual, 4 2 2, testimony, low -> 4;
# (2) work, actual, 4 1 4, official data, medium -> 4: the same worst severity, so the
# better-supported record counts -> medium; (3) work, potential, 3 3 3, likelihood 4, no
# evidence -> 3, confidence none. (4) privacy, actual, 2 2 2, media, high -> 2; (5) privacy,
# actual, 5 3 5, "no evidence yet" -> 5: the worst actual harm rests on no evidence, so its
# confidence is none although another, lesser harm is well evidenced; committed (GDPR) but
# unevidenced -> a concern, not a gap. Work: severe (4) but not committed -> a concern.
CASE_E: dict[str, Any] = {
    "answers": {
        "qs_measure_name": "Police rescue operations in massage parlours",
        "qs_clear_measure": "yes", "sign_raids": "yes",
        "qs_feas_info": "yes", "qs_feas_access": "yes", "qs_feas_capacity": "yes",
        "member_europe": "yes", "member_eu": "yes",
        "eu_bound_eu_trafficking": "bound", "eu_transposed_eu_trafficking": "partly",
        "eu_bound_eu_residence": "opted_out", "eu_bound_eu_victims": "dont_know",
        "eu_bound_eu_gdpr": "bound",
        "impacts": [
            {"right": "work", "affected_group": "migrant_workers", "direction": "negative",
             "occurrence": "actual", "scale": "4", "scope": "2", "irremediability": "2",
             "evidence": "testimony", "evidence_confidence": "low"},
            {"right": "work", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "actual", "scale": "4", "scope": "1", "irremediability": "4",
             "evidence": "official_data", "evidence_confidence": "medium"},
            {"right": "work", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "potential", "scale": "3", "scope": "3", "irremediability": "3",
             "likelihood": "4"},
            {"right": "privacy", "affected_group": "sex_workers", "direction": "negative",
             "occurrence": "actual", "scale": "2", "scope": "2", "irremediability": "2",
             "evidence": "media", "evidence_confidence": "high"},
            {"right": "privacy", "affected_group": "migrant_workers", "direction": "negative",
             "occurrence": "actual", "scale": "5", "scope": "3", "irremediability": "5",
             "evidence": "none_yet"},
        ],
    },
    "scores": {
        "commitment_privacy": "treaty", "commitment_health": "treaty",
        "commitment_living": "treaty", "commitment_slavery": "treaty",
        "commitment_work": "unknown", "commitment_non_discrimination": "unknown",
        "commitment_asylum": "customary", "commitment_liberty": "unknown",
        "committed_count": "8",
        "worst_actual_work": "4", "confidence_actual_work": "medium",
        "worst_potential_work": "3", "confidence_potential_work": "none",
        "worst_actual_privacy": "5", "confidence_actual_privacy": "none",
        "worst_potential_privacy": "", "confidence_potential_privacy": "",
        "gap_privacy": "0", "concern_privacy": "1", "gap_work": "0", "concern_work": "1",
        "gap_count": "0", "concern_count": "2",
    },
    "records": {"impacts": [
        {"severity": "4"}, {"severity": "4"}, {"severity": "3", "priority": "3"},
        {"severity": "2"}, {"severity": "5"},
    ]},
}

HAND_WORKED = {
    "A_raids_and_closed_shelters": CASE_A, "B_exit_ban": CASE_B, "C_not_feasible": CASE_C,
    "D_return_to_persecution": CASE_D, "E_eu_law_and_confidence": CASE_E,
}  # fmt: skip


@pytest.mark.parametrize("case", list(HAND_WORKED.values()), ids=list(HAND_WORKED))
def test_hand_worked_cases(guide: Guide, case: dict[str, Any]) -> None:
    filled = ReferenceEvaluator(guide).fill(case["answers"])
    got = {name: filled.text(name) for name in case["scores"]}
    assert got == case["scores"]
    for repeat, expected in case["records"].items():
        records = filled.values[repeat]
        assert [{k: str(r.get(k, "")) for k in e} for r, e in zip(records, expected, strict=True)] == expected


def test_no_clear_measure_hides_the_signs(guide: Guide) -> None:
    filled = ReferenceEvaluator(guide).fill(
        {"qs_clear_measure": "no", "crit_detention": "yes", "sign_raids": "yes", "qs_feas_info": "yes"}
    )
    assert filled.text("qs_sign_count") == "0"
    assert filled.text("qs_outcome") == "not_feasible"


def test_hand_worked_cases_in_javarosa(compiled_forms: dict) -> None:
    """ODK Collect's engine gives every hand-worked value too (one JavaRosa start)."""
    guide, xform = compiled_forms["real"]
    items = guide.items_by_name()
    cases = list(HAND_WORKED.values())
    with JavaRosa(Path(xform)) as jr:
        results = jr.evaluate_many([nested_case(guide, c["answers"]) for c in cases])
    for case, java in zip(cases, results, strict=True):
        assert "fatal" not in java and not java["errors"], java
        got = {name: java["values"].get(items[name].xpath, "") for name in case["scores"]}
        assert got == case["scores"]
        for repeat, expected in case["records"].items():
            base = items[repeat].xpath
            rows = [
                {k: java["values"].get(f"{base}[{i}]{items[k].xpath[len(base):]}", "") for k in e}
                for i, e in enumerate(expected, start=1)
            ]
            assert rows == expected
