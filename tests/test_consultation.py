"""The consultation: a second form of the same guide source, for outreach and peer workers.

It shares the answer lists, tables and translations of the team assessment; every emitter
builds it; `rightguide check` reports its problems at its own file and line; and its content
is consent-first, anonymous and mapped to the rights."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from compiler.build import build
from compiler.diagnostics import Diagnostics, GuideInvalid
from compiler.loader import load_checked_guide
from compiler.model import Guide
from compiler.scoring import ReferenceEvaluator

SOURCE = Path(__file__).resolve().parents[1] / "guide_source"
FORM = "right_guide_consultation"


@pytest.fixture(scope="module")
def main() -> Guide:
    return load_checked_guide(SOURCE, strict=True)[0]


@pytest.fixture(scope="module")
def consultation(main: Guide) -> Guide:
    return main.form(FORM)


def test_two_forms_share_lists_tables_and_translations(main: Guide, consultation: Guide) -> None:
    assert [f.form_id for f in main.all_forms()] == ["right_guide", FORM]
    assert consultation.version != "" and consultation.languages == main.languages
    assert consultation.lists is main.lists and consultation.tables is main.tables
    assert consultation.translations is main.translations
    assert [s.code for s in consultation.sections] == ["C"]
    # the assessment and the consultation never share an item name (one catalogue)
    assert not {i.name for i in main.walk()} & {i.name for i in consultation.walk()}
    for lang in ("fr", "es", "sr-Latn"):
        assert consultation.translate(consultation.title, lang)
        for item in consultation.walk():
            for attr in ("label", "hint", "intro"):
                text = getattr(item, attr)
                if text is not None:
                    assert consultation.translate(text, lang), (item.name, attr, lang)


def test_consent_first_and_adults_only(consultation: Guide) -> None:
    """Nothing but the measure, the age and consent is asked before the person agrees."""
    [section] = consultation.sections
    start, *rest = section.children
    assert start.name == "c_start"
    for group in rest:
        if group.is_container:
            assert group.relevant is not None and "c_consent = 'yes'" in group.relevant.text
    items = consultation.items_by_name()
    assert items["c_consent"].relevant.text == "c_adult = 'yes'"
    assert items["c_consent"].required and items["c_measure"].required
    evaluator = ReferenceEvaluator(consultation)
    refused = evaluator.fill({"c_measure": "KE-RAIDS", "c_adult": "yes", "c_consent": "no",
                              "exp_held": "yes"})  # fmt: skip
    assert refused.text("c_reported_count") == "0"  # not asked, so never counted
    assert refused.text("c_reported_liberty") == "0"
    child = evaluator.fill({"c_measure": "KE-RAIDS", "c_adult": "no", "c_consent": "yes"})
    assert child.text("c_reported_count") == "0"
    asked = [p for p, on in child.relevant.items() if on and "/c_start/" not in p]
    assert not [p for p in asked if "exp_" in p or "c_groups" in p], asked


def test_anonymous_no_identifying_questions(consultation: Guide) -> None:
    """No question asks for a name, a contact or a place; the only free text is the change
    the person wants, written without anything that identifies anyone."""
    texts = [i for i in consultation.walk() if i.type == "text"]
    assert [i.name for i in texts] == ["c_change"]
    assert "identify" in texts[0].hint.source
    for item in consultation.questions():
        label = item.label.source.lower() if item.label else ""
        assert not any(w in label for w in ("your name", "phone number", "address", "where do you live"))


def test_every_experience_maps_to_rights(main: Guide, consultation: Guide) -> None:
    experiences = main.lists["experiences"].names()
    table = main.tables["experience_rights"]
    assert set(table.rows) == set(experiences)
    rights = main.lists["rights"].names()
    assert all(table.keys_for(right) for right in rights), "a right no experience touches"
    items = consultation.items_by_name()
    assert all(items[f"exp_{e}"].list_name == "answer_or_skip" for e in experiences)
    # a "yes" counts toward every right the experience touches; skipping decides nothing
    filled = ReferenceEvaluator(consultation).fill({
        "c_measure": "EX-SHELTER", "c_adult": "yes", "c_consent": "yes",
        "exp_held": "yes", "exp_tested": "prefer_not", "exp_papers_kept": "yes",
        "exp_data_shared": "not_sure", "exp_afraid_health": "no",
    })  # fmt: skip
    assert filled.text("c_reported_count") == "2"
    reported = {r for r in rights if filled.text(f"c_reported_{r}") == "1"}
    assert reported == {"liberty", "movement", "slavery"}


def test_build_makes_every_output_of_both_forms(tmp_path: Path) -> None:
    result = build(SOURCE, tmp_path, strict=True)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in manifest["forms"]] == ["right_guide", FORM]
    assert manifest["form_id"] == "right_guide"  # the main form stays where readers expect it
    ours = {(o["kind"], o.get("language")) for o in manifest["outputs"] if o["form"] == FORM}
    langs = [lang.code for lang in result.guide.languages]
    assert ours >= {("xlsform", None), ("xform", None)}
    for kind in ("print-pdf", "print-html", "workbook"):
        assert {lang for k, lang in ours if k == kind} == set(langs), kind
    xform = (tmp_path / f"{FORM}.xml").read_text(encoding="utf-8")
    assert f'id="{FORM}"' in xform and '<translation lang="Srpski (sr-Latn)">' in xform


def test_check_reports_each_form_at_its_own_file(tmp_path: Path) -> None:
    source = tmp_path / "guide_source"
    shutil.copytree(SOURCE, source)
    path = source / "consultation.yaml"
    text = path.read_text(encoding="utf-8")
    # an unknown name in the consultation, and a name the assessment already uses
    text = text.replace("relevant: \"c_complained = 'yes'\"", "relevant: \"c_complaind = 'yes'\"")
    text = text.replace("- name: c_change\n", "- name: measure_code\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuideInvalid) as raised:
        load_checked_guide(source)
    diags: Diagnostics = raised.value.diagnostics
    lines = [str(d) for d in diags.errors]
    assert any("consultation.yaml:" in line and "c_complaind" in line for line in lines), lines
    clash = [line for line in lines if "also used in form 'right_guide'" in line]
    assert len(clash) == 1 and "consultation.yaml:" in clash[0], lines


# --- counting, small counts hidden -------------------------------------------------------------


def conversation(consultation: Guide, measure: str, groups: str = "", consent: str = "yes",
                 **experiences: str) -> dict:  # fmt: skip
    """One conversation as the evaluator scores it (answers and scores by name)."""
    answers = {"c_measure": measure, "c_adult": "yes", "c_consent": consent}
    if groups:
        answers["c_groups"] = groups
    answers.update({f"exp_{name}": answer for name, answer in experiences.items()})
    filled = ReferenceEvaluator(consultation).fill(answers)
    return {name: filled.text(name) for name in filled.values if not isinstance(filled.values[name], list)}


def test_counts_per_measure_right_experience_and_group(consultation: Guide) -> None:
    from compiler.analysis.consultation_tally import TOTAL, tally

    people = (
        [conversation(consultation, "KE-RAIDS", "sex_workers", held="yes", tested="yes")] * 7
        + [conversation(consultation, "KE-RAIDS", "migrant_workers", held="yes")] * 6
        + [conversation(consultation, "KE-RAIDS", "sex_workers", consent="no", held="yes")] * 2
        + [conversation(consultation, "EX-RETURN", "migrant_workers", sent_back="yes")] * 3
    )
    tables = tally(consultation, people)
    assert list(tables) == ["EX-RETURN", "KE-RAIDS"]
    raids = tables["KE-RAIDS"]
    assert raids.excluded == 2  # did not agree: never counted, not even as consulted
    assert raids.consulted.shown() == 13
    assert raids.groups == ["sex_workers", "migrant_workers"]
    assert raids.experiences["held"].shown() == 13
    assert raids.experiences["held"].shown("migrant_workers") == 6
    assert raids.rights["liberty"].shown() == 13 and raids.rights["privacy"].shown() == 7
    assert raids.rights["asylum"].shown() == 0  # zero is shown: it reveals no one
    returns = tables["EX-RETURN"]
    # three people: every count is "fewer than 5"
    assert returns.consulted.shown() is None and returns.rights["asylum"].shown() is None
    assert returns.consulted.total == 3  # kept for the counts' own files, never printed
    assert TOTAL in returns.consulted.hidden


def test_a_total_never_gives_a_hidden_count_away(consultation: Guide) -> None:
    """The subtraction case: 9 people reported detention, 6 sex workers and 3 migrant
    workers. Hiding the 3 alone would leave 9 - 6 = 3 in plain sight, so the 6 is hidden too;
    and when the only other cell is zero, the total is hidden instead."""
    from compiler.analysis.consultation_tally import NO_GROUP, tally, unrecorded_rights

    people = (
        [conversation(consultation, "KE-RAIDS", "sex_workers", held="yes")] * 6
        + [conversation(consultation, "KE-RAIDS", "migrant_workers", held="yes")] * 3
        + [conversation(consultation, "KE-RAIDS", "sex_workers")] * 8
        + [conversation(consultation, "KE-RAIDS", "", data_shared="yes")] * 2
        + [conversation(consultation, "KE-RAIDS", "sex_workers", data_shared="yes")] * 6
    )
    raids = tally(consultation, people)["KE-RAIDS"]
    held = raids.experiences["held"]
    assert held.shown() == 9
    assert held.shown("migrant_workers") is None and held.shown("sex_workers") is None
    # data shared: 6 sex workers and 2 people who named no group; the "no group" column is
    # hidden, so the 6 is hidden too (8 - 6 would give the 2 away)
    shared = raids.experiences["data_shared"]
    assert shared.shown() == 8
    assert shared.shown(NO_GROUP) is None and shared.shown("sex_workers") is None
    # a row whose only non-zero group cell is hidden and no other can be: the total goes
    tested = tally(consultation, [conversation(consultation, "M1", "sex_workers")] * 10
                   + [conversation(consultation, "M1", "migrant_workers", tested="yes")] * 3)["M1"]
    assert tested.rights["health"].shown("migrant_workers") is None
    assert tested.rights["health"].shown() is None
    for row in raids.rows():  # no row leaves exactly one hidden cell beside a shown total
        hidden_groups = [g for g in raids.groups if row.shown(g) is None]
        assert row.shown() is None or len(hidden_groups) != 1, row
    # people reported privacy harmed; a team that recorded only liberty is asked to look
    assert "privacy" in unrecorded_rights(raids, ["liberty"])
    assert "liberty" not in unrecorded_rights(raids, ["liberty"])


def test_check_refuses_a_tally_that_names_what_the_form_lacks(tmp_path: Path) -> None:
    source = tmp_path / "guide_source"
    shutil.copytree(SOURCE, source)
    path = source / "guide.yaml"
    text = path.read_text(encoding="utf-8").replace("groups: c_groups", "groups: c_adult")
    path.write_text(text.replace("measure: c_measure", "measure: c_measures"), encoding="utf-8")
    with pytest.raises(GuideInvalid) as raised:
        load_checked_guide(source)
    lines = [str(d) for d in raised.value.diagnostics.errors]
    assert any("guide.yaml:" in line and "measure 'c_measures'" in line for line in lines), lines
    assert any("groups 'c_adult' must be a select_multiple" in line for line in lines), lines


def test_groups_are_adults_describing_themselves(main: Guide, consultation: Guide) -> None:
    """The person answers about themselves and is an adult: no children, no outreach workers;
    a group keeps its name in the assessment's list, so the counts read beside it."""
    groups = consultation.items_by_name()["c_groups"]
    own = main.lists[groups.list_name or ""].names()
    assert groups.list_name != "groups"
    assert "children" not in own and "defenders" not in own
    assert "young_adults" in own and set(own) <= set(main.lists["groups"].names())
    # characteristics: adults only, and not what the groups already ask (papers, asylum, age)
    traits = consultation.items_by_name()["c_traits"]
    described = main.lists[traits.list_name or ""].names()
    assert traits.list_name != "traits" and "children" not in described
    assert not set(described) & set(own)
    for lang in ("fr", "es", "sr-Latn"):
        for listed in (groups, traits):
            for choice in main.lists[listed.list_name or ""].choices:
                assert consultation.translate(choice.label, lang), (choice.name, lang)


def test_group_order_follows_the_questions_own_list(tmp_path: Path) -> None:
    """The columns come in the order of the groups question's answer list (here reversed,
    with a group the assessment's list lacks), never in that of the list 'groups'."""
    from compiler.analysis.consultation_tally import tally

    source = tmp_path / "guide_source"
    shutil.copytree(SOURCE, source)
    path = source / "choices.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  consultation_groups:\n")
    head, *rest = text[start:].splitlines(keepends=True)
    choices = list(itertools.takewhile(lambda line: line.startswith("    - "), rest))
    end = start + len(head) + sum(map(len, choices))
    peers = '    - {name: peers, label: "A peer educator"}\n'
    path.write_text(text[:start] + head + peers + "".join(reversed(choices)) + text[end:],
                    encoding="utf-8")  # fmt: skip
    form = load_checked_guide(source)[0].form(FORM)
    assert form.lists["consultation_groups"].names()[:2] == ["peers", "other"]
    named = ["sex_workers", "trafficked", "peers", "families"]
    people = [conversation(form, "KE-RAIDS", group, held="yes") for group in named for _ in range(5)]
    assert tally(form, people)["KE-RAIDS"].groups == ["peers", "families", "sex_workers", "trafficked"]
