"""The offline web form: ODK Web Forms in one page, filled for real in headless Chromium.

The page is built from the real guide, opened from a file, answered (the Quick Scan in
English, an impact record in French), sent; the downloaded submission is scored with
`rightguide score` and every score must equal JavaRosa's for the same answers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.cases import nested_case
from support.javarosa import JavaRosa
from support.javarosa_scores import expected_scores, same

from compiler.build import emit_odk, emit_web_form
from compiler.cli import main
from compiler.emitters.web_form import _inline_script, page_html
from compiler.loader import load_checked_guide
from compiler.model import Guide

ROOT = Path(__file__).resolve().parents[1]
REAL_GUIDE = ROOT / "guide_source"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# One path through the Quick Scan (English) and one impact record (French).
QUICK_SCAN = {
    "qs_measure_name": "Police raids on massage parlours",
    "qs_clear_measure": "yes",
    "qs_clear_who": "yes",
    "crit_detention": "yes",
    "sign_raids": "yes",
    "sign_profiling": "dont_know",
    "qs_feas_info": "yes",
    "qs_feas_access": "partly",
    "qs_feas_capacity": "yes",
}
STEP1 = {"measure_code": "RAIDS-1", "country": "Serbie"}
IMPACT = {
    "right": "liberty",
    "affected_group": "sex_workers",
    "direction": "negative",
    "occurrence": "actual",
    "scale": "4",
    "scope": "3",
    "irremediability": "3",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Guide, Path]:
    """The real guide's XForm and web form, built as `make build` builds them."""
    guide = load_checked_guide(REAL_GUIDE)[0]
    out = tmp_path_factory.mktemp("web")
    emit_odk(guide, out)
    files = emit_web_form(guide, out)
    assert {f.kind for f in files} == {"web-form", "web-form-notices"}
    return guide, out


def test_page_is_self_contained_and_rebuilds_byte_identical(built: tuple[Guide, Path]) -> None:
    guide, out = built
    page = (out / "web" / "right_guide.html").read_bytes()
    emit_web_form(guide, out)  # from the cached bundle: no npm, no esbuild
    assert (out / "web" / "right_guide.html").read_bytes() == page
    text = page.decode("utf-8")
    # nothing fetched from anywhere: no external script, style or module
    assert "src=" not in text.split('<script type="module">')[0]
    assert text.count("<script") == 2 and text.count("</script>") == 2
    data = json.loads(text.split('id="rightguide-form">')[1].split("</script>")[0])
    assert data["xform"] == (out / "right_guide.xml").read_text(encoding="utf-8")
    assert set(data["savedText"]) == {lang.xlsform for lang in guide.languages}
    notices = (out / "web" / "right_guide_THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for package in ("@getodk/web-forms 0.22.0 — Apache-2.0", "vue 3.5.46 — MIT"):
        assert package in notices
    assert "Permission is hereby granted" in notices  # the licence texts themselves


def test_script_text_cannot_end_the_script_early(built: tuple[Guide, Path]) -> None:
    guide, out = built
    script = 'const a = "</script><!-- <SCRIPT>";'
    inline = _inline_script(script)
    assert inline == 'const a = "\\x3C/script>\\x3C!-- \\x3CSCRIPT>";'
    page = page_html(guide, "<data>&lt;/script&gt;</data>", script)
    assert page.count("</script>") == 2


def _chromium() -> Any:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs the Python package playwright (make test installs it)"
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    return sync_api


def _container(page: Any, label: str) -> Any:
    """The question whose label is exactly `label` (there must be one)."""
    label = " ".join(label.split())  # Playwright compares text with whitespace collapsed
    found = page.locator(".question-container").filter(
        has=page.locator("label").get_by_text(label, exact=True)
    )
    assert found.count() == 1, (label, found.count())
    return found


def _labels(xform: Path, guide: Guide, lang: str) -> dict[str, str]:
    """Each item's label as the XForm carries it in lang (what Web Forms shows)."""
    from lxml import etree

    name = guide.language(lang).xlsform
    ns = {"x": "http://www.w3.org/2002/xforms"}
    root = etree.parse(str(xform))
    texts = root.xpath(f"//x:itext/x:translation[@lang='{name}']/x:text", namespaces=ns)
    by_id = {
        t.get("id"): "".join(t.xpath("x:value[not(@form)]//text()", namespaces=ns)) for t in texts
    }
    return {
        item.name: by_id[f"{item.xpath}:label"]
        for item in guide.walk()
        if f"{item.xpath}:label" in by_id
    }


def _answer(page: Any, labels: dict[str, str], guide: Guide, name: str, value: str) -> None:
    item = guide.items_by_name()[name]
    box = _container(page, labels[name])
    if item.type == "select_one":
        box.locator(f"input[type=radio][value='{value}']").check(force=True)
    else:
        box.locator("input[type=text], textarea").fill(value)
        box.locator("input[type=text], textarea").blur()


def _visible(page: Any, labels: dict[str, str], name: str) -> bool:
    label = " ".join(labels[name].split())
    return page.locator("label").get_by_text(label, exact=True).count() > 0


def test_fill_send_and_score_equal_javarosa(built: tuple[Guide, Path], tmp_path: Path) -> None:
    sync_api = _chromium()
    guide, out = built
    en, fr = (_labels(out / "right_guide.xml", guide, lang) for lang in ("en", "fr"))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto((out / "web" / "right_guide.html").as_uri())
            page.get_by_text(en["qs_measure_name"], exact=True).wait_for(timeout=60_000)
            # Send with required answers missing is refused: nothing is saved
            downloads: list[Any] = []
            page.on("download", lambda download: downloads.append(download))
            page.locator("button[aria-label=Send]").click()
            page.locator(".validation-message:visible").first.wait_for()
            page.wait_for_timeout(500)
            assert downloads == [] and page.locator("#rightguide-saved").is_hidden()
            # a skip rule: who carries out the measure is asked only once it is clear
            assert not _visible(page, en, "qs_clear_who")
            for name, value in QUICK_SCAN.items():
                _answer(page, en, guide, name, value)
            assert _visible(page, en, "qs_clear_who")
            assert _visible(page, en, "qs_feas_notes")  # access answered "partly"
            # the same form in French, from Web Forms' own language menu
            page.locator(".language-changer").first.click()
            page.get_by_role("option", name="Français (fr)").click()
            page.get_by_text(" ".join(fr["qs_measure_name"].split()), exact=True).wait_for()
            for name, value in STEP1.items():
                _answer(page, fr, guide, name, value)
            assert not _visible(page, fr, "scale")
            for name, value in IMPACT.items():
                _answer(page, fr, guide, name, value)
            assert _visible(page, fr, "scale")  # asked once the effect is negative
            with page.expect_download() as download_info:
                page.locator("button[aria-label=Send]").click()
            download = download_info.value
            xml = tmp_path / download.suggested_filename
            download.save_as(xml)
            # the scores on screen after Send, in the language chosen
            notice = page.locator("#rightguide-saved")
            notice.wait_for()
            page.screenshot(path=tmp_path / "sent.png")  # for a person looking into a failure
            assert download.suggested_filename in notice.inner_text()
            shown = {
                row.get_attribute("data-score"): row.locator("td").nth(1).inner_text()
                for row in notice.locator("tr").all()
            }
        finally:
            browser.close()
    outcome_label = guide.text(guide.lists["qs_outcomes"].get("full").label, "fr")
    assert shown["qs_sign_count"] == "2" and shown["qs_unknown_count"] == "1"
    assert shown["qs_outcome"] == outcome_label

    result = CliRunner().invoke(
        main, ["score", str(xml), "--out", str(tmp_path / "scored"), "--source", str(REAL_GUIDE)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "scored" / "scores.json").read_text(encoding="utf-8"))
    [sub] = doc["submissions"]
    # Web Forms writes NaN in a blank calculate: read as blank, so nothing differs from the
    # recomputed scores
    assert ">NaN<" in xml.read_text(encoding="utf-8")
    assert not [i for i in sub["issues"] if "recomputed" in i["message"]], sub["issues"]

    case = {**QUICK_SCAN, **STEP1, "impacts": [IMPACT]}
    with JavaRosa(out / "right_guide.xml") as jr:
        java = jr.evaluate(nested_case(guide, case))
    assert "fatal" not in java and not java["errors"], java
    expected = expected_scores(guide, java)
    diffs = {k: (sub["scores"][k], v) for k, v in expected.items() if not same(sub["scores"][k], v)}
    assert not diffs
    assert sub["scores"]["qs_outcome"] == "full" and sub["scores"]["worst_liberty"] is not None
