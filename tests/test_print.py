"""Printable forms: every question, answer and rule of each language is on paper, in words."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from lxml import html

from compiler.emitters.print_data import print_document, printed_date
from compiler.emitters.print_form import emit_print
from compiler.emitters.print_pdf import compile_pdf
from compiler.emitters.print_phrases import (
    PRINT_PHRASES,
    missing_print_phrase_languages,
    print_phrases,
)
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
    assert squeeze("Avant de commencer : sécurité et confidentialité") in whole
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
    assert squeeze("Before you start: safety and confidentiality") in squeeze(pages[0])
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


# --- the real guide on paper (issue 16): what a machine can check of the printed layout ---

GUIDE_SOURCE = ROOT / "guide_source"
FOOTER_TOP = 2.2 / 2.54 * 72  # the bottom margin of form.typ (2.2 cm), in PDF points
NO_BREAK = "\u00a0\u202f"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Guide, Path]:
    guide = load_checked_guide(GUIDE_SOURCE)[0]
    out = tmp_path_factory.mktemp("real_print")
    emit_print(guide, out)
    return guide, out


def body_texts(path: Path) -> list[str]:
    """The text of each page above its footer."""
    doc = pdfium.PdfDocument(path)
    try:
        texts = []
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            texts.append(page.get_textpage().get_text_bounded(left=0, bottom=FOOTER_TOP, right=width, top=height))
        return texts
    finally:
        doc.close()


def heading_texts(document: dict) -> list[str]:
    """Everything printed as or under a heading, before the first question it introduces."""
    found: list[str] = []

    def visit(blocks: list[dict]) -> None:
        for b in blocks:
            if b["kind"] in ("group", "repeat"):
                found.extend(t for t in (b["title"], b["intro"], b["hint"], b["skip"]) if t)
                if b["kind"] == "repeat":
                    found.append(b["note"])
                    found.extend(f"{b['title']} — {b['record']} {i} / {b['copies']}" for i in range(1, b["copies"] + 1))
                visit(b["children"])
            elif b["kind"] == "grid":
                found.extend(f"{c['letter']}. {c['header']}" for c in b["columns"])
                found.extend(c["hint"] for c in b["columns"] if c["hint"])
                found.extend(b["notes"])
    visit(document["sections"])
    found.append(str(document["words"]["tables_title"]))
    found.append(str(document["words"]["tables_intro"]))
    return found


def identifiers(guide: Guide) -> set[str]:
    """Source names a reader must never see: items, answer lists and tables (answer codes are
    printed on purpose, for data entry, so names that are also answer codes are left out)."""
    codes = {c.name for choice_list in guide.lists.values() for c in choice_list.choices}
    names = {i.name for i in guide.walk()} | set(guide.lists) | set(guide.tables)
    return {n for n in names if "_" in n and n not in codes}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_heading_is_never_last_on_a_page(real: tuple[Guide, Path], lang: str) -> None:
    """A heading (with the words under it) always shares its page with its first question."""
    guide, out = real
    document = print_document(guide, lang)
    headings = [squeeze(t) for t in heading_texts(document)]
    tables = squeeze(str(document["words"]["tables_title"]))
    pages = body_texts(out / "print" / f"{guide.form_id}_{lang}.pdf")
    for number, text in enumerate(pages, start=1):
        body = squeeze(text)
        assert body, f"{lang} page {number} is empty"
        stranded = [h for h in headings if body.endswith(h)]
        assert not stranded, f"{lang} page {number} ends with a heading: {stranded[0][:60]!r}"
        if tables in body:
            break  # the data tables follow, whose rows name instruments that head step 4 groups
    assert number < len(pages) or tables in body


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_source_identifier_on_paper(real: tuple[Guide, Path], lang: str) -> None:
    guide, out = real
    names = identifiers(guide)
    assert {"rec_covered_non_discrimination", "instrument_rights", "harm_rating"} <= names
    pdf = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_{lang}.pdf")))
    page = html.fromstring((out / "print" / f"{guide.form_id}_{lang}.html").read_bytes()).text_content()
    for name in sorted(names):
        assert name not in pdf, f"{lang} PDF shows {name}"
        assert name not in page, f"{lang} HTML shows {name}"
    # 'x + 0' only makes a blank a number in XPath: never in words
    for score in print_document(guide, lang)["scores"]:
        assert not re.search(r"\+ 0(?![.,]\d)|(?<![\d.,])0 \+", score["formula"]), score["label"]


def test_one_go_to_line_per_target(real: tuple[Guide, Path]) -> None:
    guide, out = real

    def questions(blocks: list[dict]) -> list[dict]:
        found = []
        for b in blocks:
            found += [b] if b["kind"] == "question" else questions(b.get("children", []))
        return found

    all_questions = questions(print_document(guide, "en")["sections"])
    for q in all_questions:
        targets = [sentence.rsplit(" ", 1)[-1] for sentence in q["goto"]]
        assert len(targets) == len(set(targets)), (q["number"], q["goto"])
    group = next(q for q in all_questions if q["number"] == "5.2")
    # eleven answers jump to 5.4 and only 'Other group' does not (nor does a blank): one line
    assert group["goto"] == ["If the answer is not 'Other group', go to 5.4"]
    status = next(q for q in all_questions if q["number"] == "4.7")  # after the 6 regions
    assert status["goto"] == ["If 'Not signed' or 'Don't know', go to 4.10"]
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_en.pdf")))
    assert whole.count(squeeze(group["goto"][0])) == 3  # once in each blank record


def test_number_boxes_are_wide_enough(real: tuple[Guide, Path]) -> None:
    """A number without an upper bound (a national budget) gets 12 boxes; a bounded one as many
    as its largest bound needs."""
    guide, out = real
    document = print_document(guide, "en")
    answers = {}

    def visit(blocks: list[dict]) -> None:
        for b in blocks:
            if b["kind"] == "question":
                answers[b["number"]] = b["answer"]
            visit(b.get("children", []))

    visit(document["sections"])
    by_name = {i.name: i for i in guide.questions()}
    budget = answers[by_name["policy_budget"].number]
    assert budget["type"] == "decimal" and budget["digits"] >= 12
    assert answers[by_name["team_size"].number]["digits"] == 3  # 1 to 200
    root = html.fromstring((out / "print" / f"{guide.form_id}_en.html").read_bytes())
    ident = "q-" + by_name["policy_budget"].number.replace(".", "-") + "-answer"
    assert "--digits: 12" in root.get_element_by_id(ident).get("style")


def _css_strings(css: str) -> list[str]:
    """The string literals of a style sheet, their escapes read as CSS Syntax Level 3 says
    (a hex escape of 1-6 digits, then one optional whitespace that belongs to it)."""
    strings = []
    for raw in re.findall(r'"((?:[^"\\]|\\.)*)"', css, flags=re.DOTALL):
        strings.append(re.sub(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], raw))
    return strings


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_html_footer_keeps_its_spaces(real: tuple[Guide, Path], lang: str) -> None:
    guide, out = real
    words = print_phrases(lang)
    c = words["colon"]
    running = f"{words['form_id']}{c} {guide.form_id} \u00b7 {words['version']}{c} {guide.version} \u00b7 "
    root = html.fromstring((out / "print" / f"{guide.form_id}_{lang}.html").read_bytes())
    css = root.find(".//style").text
    assert any(s.startswith(running) for s in _css_strings(css)), running


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_html_footer_printed_by_chromium(real: tuple[Guide, Path], tmp_path: Path) -> None:
    """The real browser prints the page footer with its spaces and French no-break spaces."""
    guide, out = real
    pdf = tmp_path / "fr.pdf"
    page = (out / "print" / f"{guide.form_id}_fr.html").resolve()
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=300,
    )
    first = pdf_text(pdf)[0]
    # pdfium reads a no-break space as a space: what matters is that none is lost
    assert re.search(rf"Formulaire[\s{NO_BREAK}]: right_guide · Version[\s{NO_BREAK}]: 20", first), first[:200]


def test_french_fixed_words_keep_no_break_spaces() -> None:
    """French fixed words use U+00A0 / U+202F before : ; ? ! and inside « », never a plain space."""
    texts = []
    for value in print_phrases("fr").values():
        texts += value if isinstance(value, list) else [str(value)]
    for text in texts:
        assert not re.search(r" [:;?!»]|« ", text), text
        assert not re.search(r"\w[:;?!»]", text.replace("Imprimé le", "")) or "http" in text, text


@pytest.mark.parametrize("lang", ["fr"])
def test_french_print_never_breaks_before_punctuation(real: tuple[Guide, Path], lang: str) -> None:
    guide, out = real
    root = html.fromstring((out / "print" / f"{guide.form_id}_{lang}.html").read_bytes())
    text = root.text_content()
    assert not re.search(r" [?!;»]|« ", text), re.search(r".{30} [?!;»]|« .{30}", text)


def test_every_phrase_table_has_every_key() -> None:
    """A language added to print_phrases (Serbian is coming) must say every fixed word."""
    for code, table in PRINT_PHRASES.items():
        assert set(table) == set(PRINT_PHRASES["en"]), code


def test_rating_scales_share_one_layout(real: tuple[Guide, Path]) -> None:
    """Every choice list prints in one column, read down, in the PDF and in the HTML."""
    guide, out = real
    document = print_document(guide, "en")
    answers: list[dict] = []

    def visit(blocks: list[dict]) -> None:
        for b in blocks:
            if b["kind"] == "question" and b["answer"]["type"] == "choices":
                answers.append(b["answer"])
            visit(b.get("children", []))

    visit(document["sections"])
    assert answers and all("columns" not in a for a in answers)  # no per-question layout choice
    root = html.fromstring((out / "print" / f"{guide.form_id}_en.html").read_bytes())
    assert {e.get("class") for e in root.iter("ul") if "choices" in (e.get("class") or "")} == {"choices"}
    css = root.find(".//style").text
    assert not re.search(r"(?<![-\w])columns\s*:", css)  # no multi-column text flow read downwards


def test_multiple_answers_told_once(real: tuple[Guide, Path]) -> None:
    guide, out = real
    by_number = {i.number: i for i in guide.questions()}
    document = print_document(guide, "en")

    def visit(blocks: list[dict]) -> None:
        for b in blocks:
            if b["kind"] == "question" and b["answer"]["type"] == "choices" and b["answer"]["multiple"]:
                said = ("all that apply" in b["hint"].lower()) + ("all that apply" in b["answer"]["instruction"].lower())
                assert said == 1, (b["number"], b["hint"], b["answer"]["instruction"])
            visit(b.get("children", []))

    visit(document["sections"])
    assert any(i.type == "select_multiple" for i in by_number.values())


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_step6_mechanisms_print_as_one_grid(real: tuple[Guide, Path], lang: str) -> None:
    guide, out = real
    document = print_document(guide, lang)
    step6 = next(s for s in document["sections"] if s["title"] == guide.text(guide.sections[-2].label, lang))
    grids = [b for b in step6["children"] if b["kind"] == "grid"]
    assert len(grids) == 1
    grid = grids[0]
    mechanisms = guide.lists["mechanisms"].choices
    assert [r["label"] for r in grid["rows"]] == [guide.text(c.label, lang) for c in mechanisms]
    asked = [i for i in guide.walk() if i.is_question and i.parent is not None and i.parent.name.startswith("mech_")]
    assert [c["number"] for r in grid["rows"] for c in r["cells"]] == [i.number for i in asked]
    assert len(grid["columns"]) == len(asked) // len(mechanisms) >= 2
    assert len(grid["notes"]) == 1  # 'answer B, C and D only if A is Yes', once for the grid
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_{lang}.pdf")))
    for column in grid["columns"]:
        assert whole.count(squeeze(f"{column['letter']}. {column['header']}")) == 1
    first = guide.items_by_name()["exists_courts"]
    assert squeeze(guide.text(first.label, lang)) not in whole  # the row label says it once


def test_cover_is_a_team_worksheet(real: tuple[Guide, Path]) -> None:
    guide, out = real
    for lang in ("en", "fr", "es"):
        first = pdf_text(out / "print" / f"{guide.form_id}_{lang}.pdf")[0].lower()
        for word in ("interview", "respondent", "entrevista", "entretien", "enquêt"):
            assert word not in first, (lang, word)
    first = pdf_text(out / "print" / f"{guide.form_id}_en.pdf")[0]
    assert "worksheet for the assessment team" in " ".join(first.split())


def test_data_tables_print_in_words(real: tuple[Guide, Path]) -> None:
    guide, out = real
    document = print_document(guide, "en")
    table = document["tables"][0]
    rights = {c.name: guide.text(c.label, "en") for c in guide.lists["rights"].choices}
    iccpr = next(r for r in table["rows"] if "(ICCPR)" in r["key"] and "Protocol" not in r["key"])
    assert iccpr["values"] == [rights[n] for n in rights if n in guide.tables["instrument_rights"].rows["iccpr"]]
    whole = squeeze("".join(pdf_text(out / "print" / f"{guide.form_id}_en.pdf")))
    assert squeeze("Reference tables") in whole and squeeze(iccpr["key"]) in whole
