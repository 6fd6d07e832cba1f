"""`rightguide translations`: extraction, merging (fuzzy, obsolete), coverage, idempotence,
the French of the test guide, and clear errors for broken catalogues."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import Diagnostics
from compiler.loader import load_guide
from compiler.translations import TEXT_FIELDS, iter_texts

FULL = Path(__file__).parent / "guides" / "full"
REAL = Path(__file__).parents[1] / "guide_source"


def copy_guide(tmp_path: Path, keep_locale: bool = True) -> Path:
    target = tmp_path / "guide"
    shutil.copytree(FULL, target)
    if not keep_locale:
        shutil.rmtree(target / "locale")
    return target


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["translations", *args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_template_has_every_text_once_in_document_order(tmp_path: Path) -> None:
    source = copy_guide(tmp_path, keep_locale=False)
    code, out = run("--source", str(source))
    assert code == 0
    pot = polib.pofile(str(source / "locale" / "messages.pot"))
    guide = load_guide(source, Diagnostics())
    assert [e.msgctxt for e in pot] == [t.context for t in iter_texts(guide)]
    expected = {guide.title.context: guide.title.source}
    for item in guide.walk():
        for attr in TEXT_FIELDS:
            text = getattr(item, attr)
            if text is not None:
                expected[text.context] = text.source
    for choice_list in guide.lists.values():
        for choice in choice_list.choices:
            expected[choice.label.context] = choice.label.source
    assert {e.msgctxt: e.msgid for e in pot} == expected
    assert {"has_measure.hint", "choices.scale.dk", "severity.description", "severity.missing",
            "people.constraint_message", "screen.intro"} <= expected.keys()  # fmt: skip
    # a for_each template appears once, with its placeholder and a note for the translator
    template = next(e for e in pot if e.msgctxt == "status_{item}.label")
    assert template.msgid == "Status of {label}"
    assert "Questions QS.8, QS.9" in template.comment
    assert "{label} is replaced by each answer's label of the list 'instruments'" in template.comment
    assert next(e for e in pot if e.msgctxt == "has_measure.hint").comment == (
        "Question QS.3 (has_measure): hint"
    )
    assert all(not e.msgstr for e in pot)
    # the new language file is created with proper headers, every entry untranslated
    po = polib.pofile(str(source / "locale" / "fr.po"))
    assert po.metadata["Language"] == "fr"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(po.untranslated_entries()) == len(pot)
    assert out == f"fr Français: 0 translated, {len(pot)} missing, 0 fuzzy (0.0%)\n"


def test_changed_english_becomes_fuzzy_and_removed_text_obsolete(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    po_file = source / "locale" / "fr.po"
    screen = source / "screen.yaml"
    edit(screen, "label: Is there a clear measure?", "label: Is there one clear measure?")
    edit(screen, "    hint: A law, policy or practice.\n", "")
    edit(screen, "label: Thank you.", "label: Thank you.\n    hint: The end.")
    code, out = run("--source", str(source))
    assert code == 0
    assert out == "fr Français: 78 translated, 1 missing, 1 fuzzy (97.5%)\n"
    po = polib.pofile(str(po_file))
    changed = next(e for e in po if e.msgctxt == "has_measure.label")
    assert "fuzzy" in changed.flags
    assert changed.msgid == "Is there one clear measure?"
    assert changed.previous_msgid == "Is there a clear measure?"
    assert changed.msgstr == "Existe-t-il une mesure clairement identifiée ?"
    assert '#| msgid "Is there a clear measure?"' in po_file.read_text(encoding="utf-8")
    gone = [e for e in po.obsolete_entries() if e.msgctxt == "has_measure.hint"]
    assert gone and gone[0].msgstr == "Une loi, une politique ou une pratique."
    assert "#~ msgctxt \"has_measure.hint\"" in po_file.read_text(encoding="utf-8")
    new = next(e for e in po if e.msgctxt == "info.hint")
    assert new.msgstr == "" and not new.obsolete

    # a stale translation is never shown: the guide falls back to English, and says so
    diags = Diagnostics()
    guide = load_guide(source, diags)
    items = guide.items_by_name()
    assert guide.text(items["has_measure"].label, "fr") == "Is there one clear measure?"
    assert guide.text(items["people"].label, "fr") == "Combien de personnes sont concernées ?"
    [warning] = [str(d) for d in diags.warnings if "fr.po" in str(d)]
    assert "1 text not translated to Français and 1 out of date (fuzzy)" in warning
    assert "(first: 'has_measure.label')" in warning and "run 'rightguide translations'" in warning
    assert run("--source", str(source), "--check")[0] == 1

    # the text comes back: its translation is revived from the obsolete entry
    edit(screen, "    default: \"yes\"\n", "    hint: A law, policy or practice.\n    default: \"yes\"\n")
    code, out = run("--source", str(source))
    assert out == "fr Français: 79 translated, 1 missing, 1 fuzzy (97.5%)\n"
    po = polib.pofile(str(po_file))
    assert not po.obsolete_entries()
    back = next(e for e in po if e.msgctxt == "has_measure.hint")
    assert back.msgstr == "Une loi, une politique ou une pratique." and not back.flags


def test_fuzzy_entry_edited_by_translator_is_shown_again(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    edit(source / "screen.yaml", "label: Budget in millions", "label: Budget in million euros")
    run("--source", str(source))
    po_file = source / "locale" / "fr.po"
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.msgctxt == "budget.label")
    assert entry.flags == ["fuzzy"] and entry.msgstr == "Budget en millions"
    entry.msgstr = "Budget en millions d'euros"
    entry.flags, entry.previous_msgid = [], None
    po.save(str(po_file))
    assert run("--source", str(source), "--check") == (
        0, "fr Français: 80 translated, 0 missing, 0 fuzzy (100.0%)\n"
    )
    guide = load_guide(source, Diagnostics())
    assert guide.text(guide.items_by_name()["budget"].label, "fr") == "Budget en millions d'euros"


def test_check_writes_nothing(tmp_path: Path) -> None:
    source = copy_guide(tmp_path, keep_locale=False)
    code, out = run("--source", str(source), "--check")
    assert code == 1 and "0 translated, 80 missing" in out
    assert not (source / "locale").exists()


def test_runs_are_idempotent(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    edit(source / "screen.yaml", "label: Budget in millions", "label: Budget in million euros")
    edit(source / "screen.yaml", "    hint: A law, policy or practice.\n", "")
    run("--source", str(source))
    first = {p.name: p.read_bytes() for p in (source / "locale").iterdir()}
    run("--source", str(source))
    assert first == {p.name: p.read_bytes() for p in (source / "locale").iterdir()}
    # no changing dates in the headers
    for data in first.values():
        assert b"POT-Creation-Date: 2026-01-01 00:00+0000" in data


def test_committed_test_guide_catalogues_are_up_to_date(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    run("--source", str(source))
    for path in (FULL / "locale").iterdir():
        assert (source / "locale" / path.name).read_bytes() == path.read_bytes(), path.name


def test_test_guide_french_is_complete_and_loads() -> None:
    code, out = run("--source", str(FULL), "--check")
    assert (code, out) == (0, "fr Français: 80 translated, 0 missing, 0 fuzzy (100.0%)\n")
    diags = Diagnostics()
    guide = load_guide(FULL, diags)
    assert not [d for d in diags.warnings if "fr.po" in str(d)]
    items = guide.items_by_name()
    assert guide.text(guide.title, "fr") == "Guide de test"
    assert guide.text(items["has_measure"].hint, "fr") == "Une loi, une politique ou une pratique."
    assert guide.text(items["status_iccpr"].label, "fr") == "Statut de PIDCP"
    assert guide.text(items["worst_health"].label, "fr") == "Gravité maximale pour Santé"
    assert guide.text(guide.lists["yes_no_dk"].get("yes").label, "fr") == "Oui"  # type: ignore[union-attr]
    assert guide.text(items["has_measure"].hint, "en") == "A law, policy or practice."


def test_real_guide_is_fully_translated() -> None:
    code, out = run("--source", str(REAL), "--check")
    assert code == 0, out
    assert "fr Français:" in out and "(100.0%)" in out


def test_broken_po_is_one_clear_line(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    po_file = source / "locale" / "fr.po"
    po_file.write_text('msgid "a"\nmsgstr "b"\nnot gettext\n', encoding="utf-8")
    code, out = run("--source", str(source))
    assert code != 0
    assert out.count("\n") == 1, out
    assert out.startswith(f"error: {po_file}:3: cannot read translations: gettext syntax error")
    po_file.write_bytes(b'msgid "a"\nmsgstr "\xe9t\xe9"\n')
    code, out = run("--source", str(source), "--check")
    assert code != 0 and out.count("\n") == 1, out
    assert "fr.po: cannot read translations: not UTF-8 text" in out


def test_real_guide_french_typography() -> None:
    """French text never breaks a line before ? ! ; : or inside « », and uses one apostrophe:
    a no-break space (U+00A0 or U+202F) there, never a plain one; ’ throughout."""
    import re

    po = polib.pofile(str(Path(__file__).parents[1] / "guide_source" / "locale" / "fr.po"))
    bad = []
    for entry in po:
        text = entry.msgstr
        if entry.obsolete or not text:
            continue
        if re.search(r"(^|[^\u00a0\u202f])[?!;»]|«(?![\u00a0\u202f])|'", text) or re.search(
            r"[^\u00a0\u202f\d]:(\s|$)", text
        ):
            bad.append((entry.msgctxt, text[:80]))
    assert bad == []


def _french_typography_faults(text: str) -> bool:
    import re

    return bool(re.search(r"(^|[^\u00a0\u202f])[?!;»]|«(?![\u00a0\u202f])|'", text)
                or re.search(r"[^\u00a0\u202f\d]:(\s|$)", text))  # fmt: skip


def _texts(value: object) -> list[str]:
    import dataclasses

    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    if dataclasses.is_dataclass(value):
        return [t for f in dataclasses.fields(value) for t in _texts(getattr(value, f.name))]
    return []


def test_french_phrases_of_the_code_follow_french_typography() -> None:
    """The rule above for what the code itself says in French: the dossier and the reports,
    scores.xlsx, the self-assessment workbook, the printed forms and formulas in words (a
    plain space before ':' let a line break there, and "d'instance" took a straight quote)."""
    from compiler.analysis.outputs.xlsx_out import UI
    from compiler.emitters import print_phrases
    from compiler.emitters.workbook import phrases as workbook_phrases
    from compiler.expressions.phrases import PHRASEBOOKS
    from compiler.report import dossier_phrases, phrases

    tables = {"report": phrases.FR, "dossier": dossier_phrases.FR, "scores.xlsx": UI["fr"],
              "workbook": workbook_phrases._FR, "print": print_phrases.FR, "words": PHRASEBOOKS["fr"]}  # fmt: skip
    bad = [(name, text[:70]) for name, table in tables.items() for text in _texts(table)
           if _french_typography_faults(text)]  # fmt: skip
    assert bad == []


def test_a_key_term_translated_another_way_is_reported(tmp_path: Path) -> None:
    """locale/terms.yaml fixes one word per key term and language; `translations --check`
    names each entry that uses another (and exits 1), and the real guide has none."""
    target = tmp_path / "guide"
    shutil.copytree(FULL, target)
    (target / "locale" / "terms.yaml").write_text(
        "sign:\n  en: [sign, signs]\n  fr: signal\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["translations", "--source", str(target), "--check"])
    assert result.exit_code == 1
    assert ("term: fr: 'sign_count.label' translates 'sign' without 'signal' "
            "(guide_source/locale/terms.yaml): use the one term, or change the list") in result.stderr  # fmt: skip
    real = CliRunner().invoke(
        main, ["translations", "--source", str(Path(__file__).parents[1] / "guide_source"), "--check"]
    )
    assert real.exit_code == 0 and "term:" not in real.stderr, real.stderr
