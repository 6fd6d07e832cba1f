"""Readers of collected data, tested on the household demo's real exports (Kobo formpack,
ODK Central, ODK Collect/JavaRosa): every variant must give the same three records."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compiler.diagnostics import UserError
from compiler.importer import FormFields, detect_format, read_inputs
from compiler.importer.readers.cells import split_labels
from compiler.importer.records import Record, RepeatRecord, State

DEMO = Path("/work/shared/fixtures/household_demo")
if not DEMO.is_dir():  # the fixtures travel with the shared workspace
    pytest.skip("household demo fixtures not found", allow_module_level=True)

COLLECT = DEMO / "collect_instances"
CENTRAL_ZIP = DEMO / "central" / "submissions_default.csv.zip"
KOBO_LONG_TITLE = sorted((DEMO / "kobo_long_title").glob("*.xlsx"))
VARIANTS = (
    sorted((DEMO / "kobo").iterdir()) + KOBO_LONG_TITLE + sorted((DEMO / "central").iterdir())
    + [COLLECT]
)
AMINA = "uuid:b19d5084-9bc6-491c-9870-9c59f021db0e"
JEAN_LUC = "uuid:0a5a81ca-193e-40e9-88fa-fe0d3f372e64"
ZOE = "uuid:8d4d4b19-90ef-4215-8853-f22bed556793"


@pytest.fixture(scope="module")
def fields() -> FormFields:
    return FormFields.from_xform(DEMO / "form" / "household.xml")


def _values(values: dict) -> dict:
    # Exports cannot tell a blank answer from a non-relevant one (documented in records.py).
    empty = (State.BLANK, State.NOT_RELEVANT)
    return {k: (v.value, "empty" if v.state in empty else v.state.value) for k, v in values.items()}


def _repeat(records: list[RepeatRecord]) -> list:
    # Kobo exports drop repeat instances without any answer; Central and Collect keep them.
    return [
        (_values(r.values), r.carried_scores, {k: _repeat(v) for k, v in r.children.items()})
        for r in records
        if not r.is_empty
    ]


def normalized(record: Record, with_repeats: bool = True) -> tuple:
    repeats = {k: _repeat(v) for k, v in record.repeats.items()} if with_repeats else None
    return (
        record.instance_id,
        _values(record.values),
        record.carried_scores,
        repeats,
        [str(i) for i in record.issues],
    )


@pytest.fixture(scope="module")
def reference(fields: FormFields) -> dict[str, tuple]:
    records, rejected, _ = read_inputs([COLLECT], fields)
    assert not rejected
    return {r.instance_id: normalized(r) for r in records}


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_variant_gives_the_same_records(path: Path, fields: FormFields, reference) -> None:
    records, rejected, _ = read_inputs([path], fields)
    assert rejected == []
    assert sorted(r.instance_id for r in records) == sorted(reference)
    for record in records:
        expected = reference[record.instance_id]
        if not record.repeats_available:
            assert path.suffix == ".csv" and path.parent.name == "kobo"
            expected = (*expected[:3], None, expected[4])
        assert normalized(record, record.repeats_available) == expected


def test_reference_values_are_the_submitted_ones(fields: FormFields) -> None:
    records = {r.instance_id: r for r in read_inputs([COLLECT], fields)[0]}
    amina, jean_luc, zoe = records[AMINA], records[JEAN_LUC], records[ZOE]
    assert amina.values["services"].value == "health water"
    assert amina.values["visit_date"].value == "2024-06-12"
    assert amina.values["income"].value == "1250.5"
    assert zoe.values["income"].value == "980"  # JavaRosa wrote 980.0
    assert jean_luc.values["respondent"].value == 'Jean-Luc O\'Neil; "JL"'
    assert zoe.values["respondent"].value == "Zoë"
    # consent = no: the region and services questions were not relevant, so absent.
    assert jean_luc.values["region"].state is State.NOT_RELEVANT
    assert jean_luc.values["services"].state is State.NOT_RELEVANT
    members = amina.repeats["members"]
    assert [m.values["m_name"].value for m in members] == ["Amina", "Moussa"]
    assert members[1].values["skills"].state is State.BLANK  # present and empty
    assert [j.values["job_title"].value for j in members[0].children["jobs"]] == ["Farmer", "Vendor"]
    assert members[0].carried_scores == {"is_adult": "yes"}
    assert amina.carried_scores == {"n_members": "2"}
    # selection order 'trade crafts farming' is normalized to the choice list's order
    assert zoe.repeats["members"][0].values["skills"].value == "farming trade crafts"
    assert zoe.repeats["members"][0].children["jobs"][0].is_empty  # kept, though empty
    assert amina.form_id == "hh_survey" and amina.form_version == "2024061201"
    assert amina.relevance_known and amina.metadata["start"].startswith("2026-11-28")


def test_central_keeps_empty_repeat_instances(fields: FormFields) -> None:
    records = {r.instance_id: r for r in read_inputs([CENTRAL_ZIP], fields)[0]}
    jobs = records[ZOE].repeats["members"][0].children["jobs"]
    assert len(jobs) == 1 and jobs[0].values["job_title"].state is State.BLANK
    assert records[ZOE].submitted_at == "2024-01-01T00:02:00.000Z"
    assert records[ZOE].form_id == "hh_survey"


def test_french_label_export_maps_labels_to_names(fields: FormFields) -> None:
    records = {r.instance_id: r for r in read_inputs([DEMO / "kobo/Francais_fr_hier1_both.xlsx"], fields)[0]}
    amina = records[AMINA]
    assert amina.values["consent"].value == "yes"  # cell said "Oui"
    assert amina.values["region"].value == "north"  # "Nord"
    assert amina.values["services"].value == "health water"  # "Centre de santé Point d'eau"
    assert amina.repeats["members"][0].values["sex"].value == "female"  # "Femme"
    assert amina.issues == []


def test_labels_with_spaces_split_longest_first() -> None:
    by_label = {"Centre": "a", "Centre de santé": "health", "Point d'eau": "water", "de": "b"}
    assert split_labels("Centre de santé Point d'eau", by_label) == ["health", "water"]
    assert split_labels("Centre de", by_label) == ["a", "b"]
    assert split_labels("Nowhere", by_label) is None


def test_kobo_csv_has_no_repeats(fields: FormFields) -> None:
    paths = [DEMO / "kobo/xml_hier0_both.csv", DEMO / "kobo/xml_hier1_both.csv"]
    records, _, notes = read_inputs(paths[:1], fields)
    assert all(not r.repeats_available and r.repeats == {} for r in records)
    assert sum("no repeat data" in n for n in notes) == 1


def test_detect_format() -> None:
    assert detect_format(DEMO / "kobo/xml_hier0_both.csv") == "kobo-csv"
    assert detect_format(DEMO / "kobo/xml_hier0_both.xlsx") == "kobo-xlsx"
    assert detect_format(CENTRAL_ZIP) == "central"
    assert detect_format(COLLECT) == "collect"


def _collect_copy(tmp_path: Path, replace: dict[str, str]) -> Path:
    out = tmp_path / "instances"
    shutil.copytree(COLLECT, out)
    for xml in out.rglob("*.xml"):
        text = xml.read_text(encoding="utf-8")
        for old, new in replace.items():
            text = text.replace(old, new)
        xml.write_text(text, encoding="utf-8")
    return out


def test_foreign_form_is_rejected(tmp_path: Path, fields: FormFields) -> None:
    folder = _collect_copy(tmp_path, {'id="hh_survey"': 'id="other_form"'})
    records, rejected, _ = read_inputs([folder], fields)
    assert records == [] and len(rejected) == 3
    assert rejected[0].reason == "form 'other_form' is not this guide's form 'hh_survey'"


def test_other_version_is_accepted_with_an_issue(tmp_path: Path, fields: FormFields) -> None:
    folder = _collect_copy(tmp_path, {'version="2024061201"': 'version="2023"'})
    records, rejected, notes = read_inputs([folder], fields)
    assert len(records) == 3 and rejected == []
    assert "form version '2023'" in str(records[0].issues[0])
    assert any("3 record(s) collected with form version '2023'" in n for n in notes)


def test_same_submissions_from_two_exports_are_kept_once(fields: FormFields) -> None:
    records, rejected, _ = read_inputs([CENTRAL_ZIP, COLLECT], fields)
    assert len(records) == 3 and len(rejected) == 3
    assert all(r.reason.startswith("duplicate of uuid:") for r in rejected)
    # Central has the submission time, so its records are the later ones and win.
    assert {r.source.file for r in records} == {str(CENTRAL_ZIP)}


def test_later_edit_wins(tmp_path: Path, fields: FormFields) -> None:
    edited = tmp_path / "edit.xml"
    original = next(COLLECT.rglob("*10-00-01.xml")).read_text(encoding="utf-8")
    edited.write_text(
        original.replace(
            f"<instanceID>{AMINA}</instanceID>",
            f"<instanceID>uuid:new-edit</instanceID><deprecatedID>{AMINA}</deprecatedID>",
        ).replace("Amina Diallo", "Amina Diallo-Sow"),
        encoding="utf-8",
    )
    records, rejected, _ = read_inputs([edited, COLLECT], fields)
    assert len(records) == 3
    kept = next(r for r in records if r.instance_id == "uuid:new-edit")
    assert kept.values["respondent"].value == "Amina Diallo-Sow" and kept.deprecated_id == AMINA
    assert len(rejected) == 1 and rejected[0].instance_id == AMINA
    assert rejected[0].reason.startswith("duplicate of uuid:new-edit (kept the later edit")


def _rewrite_zip(source: Path, target: Path, edit) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new_name, data = edit(name, old.read(name).decode("utf-8"))
            new.writestr(new_name, data)
    return target


def test_orphan_repeat_rows_are_rejected_with_their_row(tmp_path: Path, fields: FormFields) -> None:
    def edit(name: str, text: str) -> tuple[str, str]:
        if name == "hh_survey-members.csv":  # Léa (row 3) now points to a missing submission
            text = text.replace(f"trade,yes,{ZOE},{ZOE}/members[2]", f"trade,yes,uuid:gone,{ZOE}/members[2]")
        return name, text

    path = _rewrite_zip(CENTRAL_ZIP, tmp_path / "orphans.zip", edit)
    records, rejected, _ = read_inputs([path], fields)
    assert len(records) == 3
    reasons = {(r.source.sheet, r.source.row): r.reason for r in rejected}
    assert reasons[("hh_survey-members.csv", 3)].startswith("repeat row of 'members' points to parent 'uuid:gone'")
    assert reasons[("hh_survey-jobs.csv", 3)].startswith("its parent row")  # Léa's job
    zoe = next(r for r in records if r.instance_id == ZOE)
    assert [m.values["m_name"].value for m in zoe.repeats["members"]] == ["Zoë", "Noé"]


def test_kobo_orphan_and_unknown_sheet(tmp_path: Path, fields: FormFields) -> None:
    book = load_workbook(DEMO / "kobo/xml_hier1_both.xlsx")
    jobs = book["jobs"]
    header = [c.value for c in jobs[1]]
    jobs.cell(2, header.index("_parent_index") + 1, 99)
    book.create_sheet("stray").append(["x", "_parent_index"])
    book["stray"].append(["1", 1])
    path = tmp_path / "kobo.xlsx"
    book.save(path)
    records, rejected, _ = read_inputs([path], fields)
    assert len(records) == 3
    reasons = {(r.source.sheet, r.source.row): r.reason for r in rejected}
    assert "parent row _index '99' of 'members'" in reasons[("jobs", 2)]
    assert reasons[("stray", 2)] == "sheet 'stray' is not a repeat of this form"
    amina = next(r for r in records if r.instance_id == AMINA)
    assert [j.values["job_title"].value for j in amina.repeats["members"][0].children["jobs"]] == ["Vendor"]


def test_unknown_choice_and_bad_numbers_are_issues(tmp_path: Path, fields: FormFields) -> None:
    folder = _collect_copy(
        tmp_path, {"<region>north</region>": "<region>east</region>", "<age>34</age>": "<age>3.5</age>"}
    )
    records = {r.instance_id: r for r in read_inputs([folder], fields)[0]}
    amina = records[AMINA]
    assert amina.values["region"].value == "east"  # kept as read
    messages = [str(i) for i in amina.issues]
    assert any("region: 'east' is not a choice of list 'region'" in m for m in messages)
    assert any("age: '3.5' is not a whole number" in m for m in messages)


def _kobo_csv(delimiter: str, encoding: str, quoted_newline: bool = False) -> bytes:
    with open(DEMO / "kobo/xml_hier0_both.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    if quoted_newline:
        rows[1][rows[0].index("respondent")] = "Amina\nDiallo"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def test_csv_delimiter_encoding_and_quoted_newlines(tmp_path: Path, fields: FormFields) -> None:
    comma = tmp_path / "comma.csv"
    comma.write_bytes(b"\xef\xbb\xbf" + _kobo_csv(",", "utf-8", quoted_newline=True))
    records, _, notes = read_inputs([comma], fields)
    assert records[0].values["respondent"].value == "Amina\nDiallo"
    assert records[1].source.row == 3
    latin = tmp_path / "latin.csv"
    latin.write_bytes(_kobo_csv(";", "cp1252"))
    records, _, notes = read_inputs([latin], fields)
    assert {r.values["respondent"].value for r in records} >= {"Zoë"}
    assert any("read as Windows-1252" in n for n in notes)


@pytest.mark.parametrize("content", [b"not a zip at all", None], ids=["not-a-zip", "truncated"])
def test_broken_zip_gives_one_clear_line(tmp_path: Path, fields: FormFields, content) -> None:
    path = tmp_path / "submissions.csv.zip"
    path.write_bytes(content if content is not None else CENTRAL_ZIP.read_bytes()[:300])
    with pytest.raises(UserError) as error:
        read_inputs([path], fields, "central")
    message = str(error.value)
    assert "\n" not in message and str(path) in message and "zip" in message


def test_export_of_another_form_is_refused(tmp_path: Path, fields: FormFields) -> None:
    path = tmp_path / "other.csv"
    path.write_text('"colour";"size";"_uuid"\r\n"red";"3";"abc"\r\n', encoding="utf-8")
    records, rejected, _ = read_inputs([path], fields)
    assert records == []
    assert [(r.source.row, r.reason) for r in rejected] == [
        (2, "no column matches a question of form 'hh_survey': an export of another form? "
            "Export the data of this guide's form")
    ]  # fmt: skip


def test_xml_with_doctype_is_rejected(tmp_path: Path, fields: FormFields) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<data id="hh_survey"><hh><respondent>&x;</respondent></hh></data>',
        encoding="utf-8",
    )
    records, rejected, _ = read_inputs([path], fields)
    assert records == [] and "DOCTYPE" in rejected[0].reason


def test_fields_from_guide_match_its_compiled_xform() -> None:
    from compiler.emitters.xform import xform_from_xlsform
    from compiler.emitters.xlsform import xlsform_bytes
    from compiler.loader import load_checked_guide

    guide, _ = load_checked_guide(Path(__file__).parent / "guides" / "full")
    from_guide = FormFields.from_guide(guide)
    xform, _ = xform_from_xlsform(xlsform_bytes(guide), validate=False)
    from_xform = FormFields.from_xform(xform.encode("utf-8"))
    assert (from_guide.form_id, from_guide.version) == (from_xform.form_id, from_xform.version)
    assert from_guide.languages == from_xform.languages
    computed = {"score": "calculate"}
    for name, f in from_guide.fields.items():
        other = from_xform.fields[name]
        assert (computed.get(f.type, f.type), f.path, f.repeat) == (other.type, other.path, other.repeat)
        assert [c.name for c in f.choices] == [c.name for c in other.choices]
        if f.is_question:
            assert f.labels == other.labels
            assert [c.labels for c in f.choices] == [c.labels for c in other.choices]


def test_central_export_of_another_form_rejects_every_row(fields: FormFields) -> None:
    from dataclasses import replace

    other = replace(fields, form_id="guide_form")
    records, rejected, _ = read_inputs([CENTRAL_ZIP], other)
    assert records == [] and len(rejected) == 3 + 6 + 5  # submissions, members, jobs
    assert {r.reason for r in rejected} == {"form 'hh_survey' is not this guide's form 'guide_form'"}


def test_a_repeated_column_with_another_value_is_reported(tmp_path: Path, fields: FormFields) -> None:
    with open(DEMO / "kobo/xml_hier0_both.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    at = rows[0].index("respondent")
    rows[0].append("respondent")
    rows[1].append("Someone else")  # differs from the first column: reported, not used
    for row in rows[2:]:
        row.append(row[at])  # the same value twice: nothing to say
    path = tmp_path / "twice.csv"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    records = read_inputs([path], fields)[0]
    first = next(r for r in records if r.source.row == 2)
    assert first.values["respondent"].value != "Someone else"
    assert [str(i) for i in first.issues] == [
        f"{path} row 2: column 'respondent' repeats a column read before; "
        "value 'Someone else' not used"
    ]
    assert all(not r.issues for r in records if r.source.row != 2)


def test_kobo_sheets_are_found_by_content_not_name(tmp_path: Path, fields: FormFields) -> None:
    """The main sheet holds the submissions whatever its name and place; repeat rows join on
    `_parent_index` -> `_index` and must name the submission (`_submission__uuid`) they join."""
    book = load_workbook(DEMO / "kobo_long_title/English_en_hier1_both_astext.xlsx")
    main = book.worksheets[0]
    main.title = "Feuil1"  # a user renamed it, and moved it last
    book.move_sheet(main, offset=len(book.sheetnames) - 1)
    members = book["members"]
    header = [c.value for c in members[1]]
    moussa = 3  # Amina's second member, whose uuid now names Zoë's submission
    members.cell(moussa, header.index("_submission__uuid") + 1, ZOE.removeprefix("uuid:"))
    path = tmp_path / "renamed.xlsx"
    book.save(path)
    records, rejected, notes = read_inputs([path], fields)
    assert not notes
    assert [(r.source.sheet, r.source.row) for r in rejected] == [("members", moussa)]
    assert rejected[0].reason == (
        "repeat row of 'members' points to parent row _index '1' of the main sheet, a row of submission "
        f"'{AMINA.removeprefix('uuid:')}', but names submission '{ZOE.removeprefix('uuid:')}'"
    )
    by_id = {r.instance_id: r for r in records}
    assert [m.values["m_name"].value for m in by_id[AMINA].repeats["members"]] == ["Amina"]
    assert [m.values["m_name"].value for m in by_id[ZOE].repeats["members"]] == ["Zoë", "Léa", "Noé"]


@pytest.mark.parametrize(
    ("name", "rows"),
    [("kobo_long_title/xml_hier1_both.xlsx", 3 + 6 + 4), ("kobo/xml_hier0_both.csv", 3),
     ("central/submissions_default.csv.zip", 3 + 6 + 5)],
)  # fmt: skip
def test_another_forms_export_rejects_every_row(name: str, rows: int) -> None:
    """An export of another form (no column is a question of this one) is rejected row by
    row, in every table format, so the other inputs of a run are still scored."""
    from compiler.loader import load_checked_guide

    guide = load_checked_guide(Path(__file__).parent / "guides" / "full")[0]
    records, rejected, _ = read_inputs([DEMO / name], FormFields.from_guide(guide))
    assert records == [] and len(rejected) == rows
    foreign = ("no column matches a question of form 'test_guide': an export of another form? "
               "Export the data of this guide's form")  # fmt: skip
    if name.startswith("central"):  # Central names the form: the reason says which
        foreign = "form 'hh_survey' is not this guide's form 'test_guide'"
    assert {r.reason for r in rejected} == {foreign}
