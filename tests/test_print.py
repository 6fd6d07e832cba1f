"""Printable forms: every question, answer and rule of each language is on paper, in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from lxml import html

from compiler.emitters.print_data import print_document, printed_date
from compiler.emitters.print_form import emit_print
from compiler.emitters.print_pdf import compile_pdf
from compiler.emitters.print_phrases import missing_print_phrase_languages
from compiler.expressions.words import constraint_sentence, formula_sentence, skip_rule_sentence
from compiler.loader import load_checked_guide
from compiler.model import Guide

ROOT = Path(__file__).resolve().parents[1]
TEST_GUIDE = ROOT / "tests" / "guides" / "full"
SPECIAL = "Odd # * _ $ @ < > & [ ] label \\ ` ~ = {x} // \"q\" 'a'"


def pdf_text(path: Path) -> list[str]:
    """The text of each page of a PDF."""
    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def squeeze(text: str) -> str:
    """text without any whitespace, so line breaks Typst chose do not matter."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Guide, Path, list]:
    guide = load_checked_guide(TEST_GUIDE)[0]
    out = tmp_path_factory.mktemp("print")
    files = emit_print(guide, out)
    return guide, out, files


def expected_texts(guide: Guide, lang: str) -> list[str]:
    """What the paper form of lang must show: labels, answers, rules and scores in words."""
    texts = [guide.text(guide.title, lang)]
    for item in guide.walk():
        if item.is_question or item.type == "note":
            texts.append(guide.text(item.label, lang))
        if item.is_question and item.list_name:
            texts += [guide.text(c.label, lang) for c in guide.lists[item.list_name].choices]
        if item.is_question or item.is_container or item.type == "note":
            texts += [s for s in (skip_rule_sentence(guide, item, lang),
                                  constraint_sentence(guide, item, lang)) if s]
        if item.type == "score":
            texts += [guide.text(item.label, lang), guide.text(item.description, lang),
                      guide.text(item.missing, lang), formula_sentence(guide, item, lang) or ""]
    return [t for t in texts if t]


def test_files_for_every_language(built: tuple[Guide, Path, list]) -> None:
    guide, out, files = built
    for lang in guide.languages:
        for kind, ext in (("print-pdf", "pdf"), ("print-html", "html")):
            path = f"print/{guide.form_id}_{lang.code}.{ext}"
            assert any(f.kind == kind and f.path == path and f.language == lang.code for f in files)
            assert (out / path).stat().st_size > 1000


def test_pdf_shows_everything_in_words(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    for lang in guide.languages:
        pages = pdf_text(out / "print" / f"{guide.form_id}_{lang.code}.pdf")
        whole = squeeze("".join(pages))
        for text in expected_texts(guide, lang.code):
            assert squeeze(text) in whole, f"{lang.code}: missing on paper: {text!r}"
        assert "${" not in whole and "/data/" not in whole
        for name in ("count_selected", "coalesce(", "answered("):
            assert name not in whole
        assert squeeze(printed_date(guide.version)) in squeeze(pages[0])


def test_every_page_has_form_version_language_and_page_number(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    pages = pdf_text(out / "print" / f"{guide.form_id}_fr.pdf")
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        flat = squeeze(text)
        assert squeeze(f"Formulaire: {guide.form_id}") in flat
        assert squeeze(f"Version: {guide.version}") in flat
        assert squeeze("Langue: Français (fr)") in flat
        assert squeeze(f"Page {number} sur {len(pages)}") in flat


def test_french_form_uses_french_fixed_words_and_rules(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_fr.pdf")))
    assert squeeze("Avant de commencer : consentement et sécurité") in whole
    assert squeeze("Répondre seulement si la réponse à QS.3 est « Oui »") in whole
    assert squeeze("Entre 0 et 100 000") in whole
    assert squeeze("JJ / MM / AAAA") in whole


def test_repeat_prints_blank_records_and_copy_note(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_en.pdf")))
    for index in (1, 2, 3):
        assert squeeze(f"Impact record — Record {index} / 3") in whole
    assert whole.count(squeeze("5.3 Scale")) == 3
    assert squeeze("Copy these pages") in whole
    assert squeeze("at least 5 records") in whole


def test_typst_compiles_without_warnings(built: tuple[Guide, Path, list]) -> None:
    guide = built[0]
    for lang in guide.languages:
        _, warnings = compile_pdf(print_document(guide, lang.code))
        assert warnings == []


def test_rebuild_is_byte_identical(built: tuple[Guide, Path, list], tmp_path: Path) -> None:
    guide, out, files = built
    emit_print(guide, tmp_path)
    for f in files:
        assert (tmp_path / f.path).read_bytes() == (out / f.path).read_bytes(), f.path


def test_html_structure(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    for lang in guide.languages:
        root = html.fromstring((out / "print" / f"{guide.form_id}_{lang.code}.html").read_bytes())
        assert root.get("lang") == lang.code
        assert root.find(".//h1") is not None and root.findall(".//h2")
        texts = " ".join(" ".join(e.text_content().split()) for e in root.iter("label", "legend"))
        for item in guide.questions():
            assert " ".join(guide.text(item.label, lang.code).split()) in texts
        choice_questions = [q for q in guide.questions() if q.list_name]
        in_repeat = [q for q in choice_questions if q.repeat is not None]
        assert len(root.findall(".//fieldset/legend")) == len(choice_questions) + 2 * len(in_repeat)
        ids = {e.get("for") for e in root.iter("label")}
        for control in root.iter("input", "textarea"):
            assert control.get("id") in ids or control.get("aria-label"), html.tostring(control)
        page_text = " ".join(root.text_content().split())
        for sentence in expected_texts(guide, lang.code):
            assert " ".join(sentence.split()) in page_text


@pytest.fixture(scope="module")
def special_guide(tmp_path_factory: pytest.TempPathFactory) -> tuple[Guide, Path]:
    source = tmp_path_factory.mktemp("special") / "guide"
    shutil.copytree(TEST_GUIDE, source)
    screen = source / "screen.yaml"
    text = screen.read_text(encoding="utf-8")
    quoted = SPECIAL.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("label: Name of the measure", f'label: "{quoted}"')
    screen.write_text(text, encoding="utf-8")
    choices = source / "choices.yaml"
    choices.write_text(
        choices.read_text(encoding="utf-8").replace('label: "Raids"', 'label: "#raids <b>&amp; $x$"'),
        encoding="utf-8",
    )
    guide = load_checked_guide(source)[0]
    out = source.parent / "out"
    emit_print(guide, out)
    return guide, out


def test_special_characters_print_literally(special_guide: tuple[Guide, Path]) -> None:
    guide, out = special_guide
    assert guide.text(guide.items_by_name()["measure_name"].label, "en") == SPECIAL
    for lang in guide.languages:
        whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_{lang.code}.pdf")))
        assert squeeze(SPECIAL) in whole
        assert squeeze("#raids <b>&amp; $x$") in whole
        root = html.fromstring((out / "print" / f"{guide.form_id}_{lang.code}.html").read_bytes())
        labels = [" ".join(e.text_content().split()) for e in root.iter("label")]
        assert any(SPECIAL in label for label in labels)
        assert any("#raids <b>&amp; $x$" in label for label in labels)
        assert root.find(".//b") is None


def test_language_without_fixed_words_falls_back_to_english(tmp_path: Path) -> None:
    source = tmp_path / "guide"
    shutil.copytree(TEST_GUIDE, source)
    root_file = source / "guide.yaml"
    root_file.write_text(
        root_file.read_text(encoding="utf-8").replace(
            "    - {code: fr, name: Français}",
            "    - {code: fr, name: Français}\n    - {code: sw, name: Kiswahili}",
        ),
        encoding="utf-8",
    )
    guide = load_checked_guide(source)[0]
    assert missing_print_phrase_languages(guide) == ["sw"]
    files = emit_print(guide, tmp_path / "out")
    assert {f.language for f in files} == {"en", "fr", "sw"}
    pages = pdf_text(tmp_path / "out" / "print" / f"{guide.form_id}_sw.pdf")
    assert squeeze("Before you start: consent and safety") in squeeze(pages[0])
    assert squeeze("Language: Kiswahili (sw)") in squeeze(pages[0])


def test_printed_date_is_fixed_by_version() -> None:
    assert printed_date("2026112801") == "2026-11-28"
    assert printed_date("3") == ""
    assert printed_date("2026139901") == ""


def test_html_ids_are_unique_and_record_scores_have_lines(built: tuple[Guide, Path, list]) -> None:
    guide, out, _ = built
    root = html.fromstring((out / "print" / f"{guide.form_id}_en.html").read_bytes())
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    record_scores = root.findall(".//section[@class='record']//div[@class='record-scores']//label")
    assert [e.text for e in record_scores] == ["Severity"] * 3
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_en.pdf")))
    assert whole.count(squeeze("Severity:")) == 3
    assert "people_double" not in whole and "start_known" not in whole


def test_version_without_date_and_regional_language_code(test_guide: Guide) -> None:
    document = print_document(test_guide, "fr")
    document.update(printed="", lang="sr-Latn", text_lang="sr")
    pdf, warnings = compile_pdf(document)
    assert warnings == [] and pdf.startswith(b"%PDF")
