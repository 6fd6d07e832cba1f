"""The checker finds each kind of error in small broken sources, at the right line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main

FULL = Path(__file__).parent / "guides" / "full"


def broken(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of the test guide with one edit; returns it and the 1-based line of the edit."""
    target = tmp_path / "guide"
    shutil.copytree(FULL, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target, line


def run_check(source: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--source", str(source), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_clean_guide_passes() -> None:
    code, out = run_check(FULL)
    assert code == 0, out
    assert "Traceback" not in out


CASES = [
    ("screen.yaml", "formula: \"count_selected(signs)\"", "formula: \"count_selected(sings)\"", "unknown name 'sings'"),
    ("screen.yaml", "  - name: start_date", "  - name: measure_name", "duplicate name 'measure_name'"),
    ("screen.yaml", "  - name: people\n", "  - name: 2people\n", "is not allowed"),
    ("screen.yaml", "    list: yes_no_dk\n    label: Is there", "    list: yes_no\n    label: Is there", "unknown answer list 'yes_no'"),
    ("screen.yaml", "relevant: \"has_measure = 'yes'\"", "relevant: \"has_measure = 3\"", "compared with a number"),
    ("screen.yaml", "relevant: \"has_measure = 'yes'\"", "relevant: \"has_measure = 'maybe'\"", "'maybe' is not an answer"),
    ("screen.yaml", "relevant: \"has_measure = 'yes'\"", "relevant: \"count_selected(signs)\"", "must be a condition"),
    ("screen.yaml", "formula: \"count_selected(signs)\"", "formula: \"count_selected(signs) + if(outcome = 'full', 1, 0)\"", "cycle"),
    ("screen.yaml", "formula: \"count_selected(signs)\"", "formula: \"count_selected(signs\"", "expected"),
    ("impacts.yaml", "formula: \"(scale + scope) / 2\"", "formula: \"(scale + evidence) / 2\"", "needs numbers"),
    ("impacts.yaml", "formula: \"count(impacts where direction = 'negative')\"", "formula: \"count(impacts where direction = 'negative') + scale\"", "field of repeat"),
    ("screen.yaml", "  - name: sign_count\n    type: score\n    label: Warning signs\n    description: Number of warning signs selected.\n", "  - name: sign_count\n    type: score\n    label: Warning signs\n", "needs 'description'"),
    ("screen.yaml", "    lines: 2\n", "    lines: 2\n    colour: red\n", "unknown field 'colour'"),
    ("screen.yaml", "  - name: committed_{item}", "  - name: status_{item}", "is used twice"),
    ("screen.yaml", "  - name: committed_{item}", "  - name: committed", "needs {item}"),
    ("screen.yaml", "relevant: \"has_measure = 'yes'\"", "relevant: \"count_answered() > 0\"",
     "is never true: signs would never be asked"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), CASES)
def test_each_error_is_found_at_its_line(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    source, line = broken(tmp_path, file, old, new)
    code, out = run_check(source)
    assert code == 1, out
    assert "Traceback" not in out
    matching = [row for row in out.splitlines() if message in row]
    assert matching, out
    location = matching[0].split(": ")[0]
    assert location.split(":")[0].endswith(file), matching[0]
    assert abs(int(location.split(":")[1]) - line) <= 1, (matching[0], line)


@pytest.mark.parametrize(("kind", "collects"), [
    ("geopoint", "location"), ("geoshape", "location"), ("image", "photos"), ("audio", "audio"),
    ("video", "video"), ("file", "files"), ("barcode", "scanned codes"), ("Phonenumber", "number"),
])  # fmt: skip
def test_a_type_that_would_identify_people_is_one_line(tmp_path: Path, kind: str, collects: str) -> None:
    """The format has no location, photo, audio, file or phone-detail questions: such an item
    is refused in one line that names the file, the item and why, and check fails."""
    source, line = broken(tmp_path, "screen.yaml", "  - name: people\n    type: integer\n",
                          f"  - name: people\n    type: {kind}\n")  # fmt: skip
    code, out = run_check(source)
    assert code == 1, out
    rows = [row for row in out.splitlines() if "error(s)" not in row]
    assert len(rows) == 1, out
    assert rows[0].startswith(f"{source.name}/screen.yaml:{line + 1}:"), rows[0]
    assert f"item 'people': type '{kind}' collects" in rows[0] and collects in rows[0], rows[0]
    assert "so that answers stay anonymous; remove the item or ask for a text question" in rows[0]


def test_an_unknown_type_keeps_the_list_of_types(tmp_path: Path) -> None:
    source, _ = broken(tmp_path, "screen.yaml", "  - name: people\n    type: integer\n",
                       "  - name: people\n    type: number\n")  # fmt: skip
    code, out = run_check(source)
    assert code == 1 and "Input should be 'text', 'integer'" in out and "anonymous" not in out, out


def test_unused_list_is_a_warning_and_strict_fails(tmp_path: Path) -> None:
    source, _ = broken(tmp_path, "choices.yaml", "lists:\n", "lists:\n  spare:\n    - {name: a, label: A}\n")
    code, out = run_check(source)
    assert "answer list 'spare' is never used" in out
    code_strict, _ = run_check(source, "--strict")
    assert code_strict == 1


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    source, line = broken(tmp_path, "screen.yaml", "  - name: people\n", "  - name: [people\n")
    code, out = run_check(source)
    assert code == 1
    assert "screen.yaml:" in out and "YAML syntax error" in out
    assert "Traceback" not in out


def test_language_without_fixed_phrases_is_reported(tmp_path: Path) -> None:
    source, _ = broken(
        tmp_path, "guide.yaml", "    - {code: fr, name: Français}\n",
        "    - {code: fr, name: Français}\n    - {code: de, name: Deutsch}\n",
    )
    code, out = run_check(source)
    rows = [row for row in out.splitlines() if "language 'de' has no fixed phrases" in row]
    assert len(rows) == 1, out
    for part in ("in words", "printed forms", "workbooks", "reports", "scored workbooks"):
        assert part in rows[0]
    assert "language 'fr'" not in out
    assert run_check(source, "--strict")[0] == 1


def test_constant_conditions_are_folded_away() -> None:
    """A condition that reads no answer (as templates make them) is no condition: an always
    true one is dropped from every target, so no printed form says 'Answer only if 0 is 0'."""
    from compiler.expressions.ast import Current, Ref
    from compiler.expressions.fold import fold
    from compiler.expressions.parser import parse
    from compiler.loader import load_checked_guide

    assert fold(parse("count_equal('no') = 0 and (1 + 2 > 2 or x = 1)")) == parse("true")
    assert fold(parse("if(2 > 1, x, y) + 0 * 3")) == parse("x + 0")
    guide = load_checked_guide(Path(__file__).parents[1] / "guide_source")[0]
    for item in guide.walk():
        for expr in (item.relevant, item.constraint):
            if expr is not None:  # every condition left reads an answer
                reads = any(isinstance(n, Ref | Current) for n in expr.tree.walk())
                assert reads, (item.name, expr.text)
    assert guide.items_by_name()["instr_iccpr"].relevant is None  # universal: always asked
    assert guide.items_by_name()["instr_echr"].relevant is not None  # regional: asked if member


def test_scored_workbook_labels_exist_in_every_guide_language() -> None:
    """scores.xlsx labels its sheets and columns in the run's language: each language of the
    real guide has every label, so none silently falls back to English."""
    from compiler.analysis.outputs.xlsx_out import missing_ui_languages
    from compiler.loader import load_checked_guide

    guide, _ = load_checked_guide(Path(__file__).parents[1] / "guide_source")
    codes = [lang.code for lang in guide.languages]
    assert len(codes) == 4
    assert missing_ui_languages(codes) == []
    assert missing_ui_languages(["de"]) == ["de"]
