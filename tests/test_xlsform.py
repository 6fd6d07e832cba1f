"""The XLSForm and XForm: translated columns, scores as calculates, reproducible, versioned."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from compiler.build import build
from compiler.diagnostics import UserError
from compiler.emitters.xform import xform_from_xlsform
from compiler.emitters.xlsform import build_sheets, xlsform_bytes
from compiler.model import Guide, Language

FULL = Path(__file__).parent / "guides" / "full"


def test_every_translatable_column_has_every_language(test_guide: Guide) -> None:
    sheets = build_sheets(test_guide)
    columns, rows = sheets["survey"]
    suffixed = [c for c in columns if "::" in c]
    assert {c.split("::")[1] for c in suffixed} == {"English (en)", "Français (fr)"}
    assert not [c for c in columns if c in ("label", "hint", "constraint_message")]
    choice_columns, _ = sheets["choices"]
    assert "label::Français (fr)" in choice_columns
    settings = sheets["settings"][1][0]
    assert settings["default_language"] == "English (en)"
    assert settings["version"] == test_guide.version


def test_scores_are_calculates_named_as_in_the_source(test_guide: Guide) -> None:
    _, rows = build_sheets(test_guide)["survey"]
    calculates = {r["name"]: r for r in rows if r.get("type") == "calculate"}
    for score in test_guide.scores():
        assert score.name in calculates
        assert calculates[score.name]["calculation"]
    # repeat-level scores stay inside their repeat
    names = [r.get("name") or r["type"] for r in rows]
    assert names.index("impacts") < names.index("severity") < names.index("end repeat")


def test_xform_passes_odk_validate_without_warnings(test_guide: Guide) -> None:
    xform, warnings = xform_from_xlsform(xlsform_bytes(test_guide), validate=True)
    assert warnings == []
    root = etree.fromstring(xform.encode())
    ns = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}
    data = root.find(".//x:instance/*", ns)
    assert data.get("id") == test_guide.form_id
    assert data.get("version") == test_guide.version
    langs = {t.get("lang") for t in root.iterfind(".//x:itext/x:translation", ns)}
    assert langs == {"English (en)", "Français (fr)"}


def test_language_tags_with_script_or_region_pass_without_warnings(test_guide: Guide) -> None:
    """pyxform knows primary language subtags only and warns about 'Srpski (sr-Latn)'; the build
    keeps its warning only for codes that are not a well-formed tag of a known language."""
    extra = [Language("sr-Latn", "Srpski"), Language("es-419", "Español latinoamericano"),
             Language("pt-BR", "Português")]
    tagged = dataclasses.replace(test_guide, languages=[*test_guide.languages, *extra])
    xform, warnings = xform_from_xlsform(xlsform_bytes(tagged), validate=True)  # ODK Validate too
    assert warnings == []
    assert '<translation lang="Srpski (sr-Latn)">' in xform
    bogus = [Language("xx-Latn", "Nowhere"), Language("sr-Latinica", "Srpski"), Language("sr-Latn", "Srpski")]
    broken = dataclasses.replace(test_guide, languages=[*test_guide.languages, *bogus])
    _, warnings = xform_from_xlsform(xlsform_bytes(broken), validate=False)
    assert len(warnings) == 1
    assert "Nowhere (xx-Latn), Srpski (sr-Latinica)." in warnings[0] and "(sr-Latn)" not in warnings[0]


def test_text_starting_with_equals_stays_text(test_guide: Guide, tmp_path: Path) -> None:
    source = tmp_path / "g"
    shutil.copytree(FULL, source)
    path = source / "screen.yaml"
    path.write_text(path.read_text().replace("label: Name of the measure", "label: \"=Name of the measure\""))
    from compiler.loader import load_checked_guide

    guide = load_checked_guide(source)[0]
    wb = openpyxl.load_workbook(io.BytesIO(xlsform_bytes(guide)))
    labels = [c.value for c in wb["survey"][ "C"]]
    assert "=Name of the measure" in labels
    xform, _ = xform_from_xlsform(xlsform_bytes(guide), validate=False)
    assert "=Name of the measure" in xform


def test_build_is_reproducible_and_listed_in_manifest(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    build(FULL, first)
    build(FULL, second)
    for name in ("test_guide.xlsx", "test_guide.xml", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    manifest = json.loads((first / "manifest.json").read_text())
    kinds = {o["kind"]: o for o in manifest["outputs"]}
    assert {"xlsform", "xform"} <= set(kinds)
    assert manifest["form_id"] == "test_guide" and manifest["version"] == "2026112801"
    assert all(len(o["sha256"]) == 64 for o in manifest["outputs"])


def test_changed_form_with_same_version_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "g"
    shutil.copytree(FULL, source)
    out = tmp_path / "out"
    build(source, out)
    path = source / "screen.yaml"
    path.write_text(path.read_text().replace("label: Name of the measure", "label: Name of the policy"))
    with pytest.raises(UserError, match="raise 'version'"):
        build(source, out)
    guide_yaml = source / "guide.yaml"
    guide_yaml.write_text(guide_yaml.read_text().replace("2026112801", "2026112802"))
    build(source, out)
