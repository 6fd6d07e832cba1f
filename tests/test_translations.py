"""`rightguide translations`: extraction, merging (fuzzy, obsolete), coverage, idempotence."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import Diagnostics
from compiler.loader import load_guide
from compiler.translations import iter_texts

FULL = Path(__file__).parent / "guides" / "full"


def copy_guide(tmp_path: Path) -> Path:
    target = tmp_path / "guide"
    shutil.copytree(FULL, target)
    return target


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["translations", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def translate_all(po_file: Path) -> None:
    po = polib.pofile(str(po_file))
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    po.save(str(po_file))


def test_template_has_every_text_once(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    code, out = run("--source", str(source))
    assert code == 0
    pot = polib.pofile(str(source / "locale" / "messages.pot"))
    guide = load_guide(source, Diagnostics())
    assert [e.msgctxt for e in pot] == [t.context for t in iter_texts(guide)]
    contexts = {e.msgctxt for e in pot}
    assert {"form.title", "has_measure.label", "has_measure.hint", "choices.scale.dk", "severity.description",
            "severity.missing", "status_{item}.label"} <= contexts
    template = next(e for e in pot if e.msgctxt == "status_{item}.label")
    assert template.msgid == "Status of {label}" and "{label}" in template.comment
    assert f"fr Français: 0 translated, {len(pot)} missing, 0 fuzzy (0.0%)" in out


def test_changed_english_becomes_fuzzy_and_removed_text_obsolete(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    run("--source", str(source))
    po_file = source / "locale" / "fr.po"
    translate_all(po_file)
    code, out = run("--source", str(source), "--check")
    assert code == 0 and "0 missing, 0 fuzzy (100.0%)" in out
    screen = source / "screen.yaml"
    screen.write_text(
        screen.read_text()
        .replace("label: Is there a clear measure?", "label: Is there one clear measure?")
        .replace("    hint: A law, policy or practice.\n", "")
    )
    code, out = run("--source", str(source))
    assert "1 fuzzy" in out
    po = polib.pofile(str(po_file))
    changed = next(e for e in po if e.msgctxt == "has_measure.label")
    assert "fuzzy" in changed.flags
    assert changed.previous_msgid == "Is there a clear measure?"
    assert changed.msgstr == "FR Is there a clear measure?"
    gone = [e for e in po.obsolete_entries() if e.msgctxt == "has_measure.hint"]
    assert gone and gone[0].msgstr == "FR A law, policy or practice."
    # a fuzzy translation is never shown: the guide falls back to English
    guide = load_guide(source, Diagnostics())
    label = guide.items_by_name()["has_measure"].label
    assert guide.text(label, "fr") == "Is there one clear measure?"
    assert run("--source", str(source), "--check")[0] == 1


def test_runs_are_idempotent(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    run("--source", str(source))
    translate_all(source / "locale" / "fr.po")
    run("--source", str(source))
    first = {p.name: p.read_bytes() for p in (source / "locale").iterdir()}
    run("--source", str(source))
    assert first == {p.name: p.read_bytes() for p in (source / "locale").iterdir()}


def test_real_guide_is_fully_translated() -> None:
    code, out = run("--source", str(Path(__file__).parents[1] / "guide_source"), "--check")
    assert code == 0, out
    assert "fr Français:" in out and "es Español:" in out and "(100.0%)" in out


def test_broken_po_is_one_clear_line(tmp_path: Path) -> None:
    source = copy_guide(tmp_path)
    (source / "locale" / "fr.po").write_text('msgid "a"\nmsgstr "b"\nnot gettext\n')
    code, out = run("--source", str(source))
    assert code != 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and "fr.po" in lines[0] and "line 3" in lines[0], out
