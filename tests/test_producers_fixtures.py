"""The producers (benchmarks/producers/) against the real tools: the three household-demo
submissions, as ODK Collect saved them, must come out of each producer exactly as KoboToolbox
(every XLSX and CSV variant, a short and a 75-character project name), ODK Central (every
variant) and ODK Collect wrote them (/work/shared/fixtures/household_demo, see its README).
Fields the fixtures made up (ids, submission times, submitter) are taken from the fixtures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from producers.central import CENTRAL_OPTIONS, central_tables
from producers.collect import folder_name, instance_xml
from producers.form import Form, Submission, form_from_xlsform
from producers.kobo import KoboOptions, kobo_csv_lines, kobo_sheets, sheet_name
from support.phone import submission_from_instance

FIXTURES = Path("/work/shared/fixtures/household_demo")
LONG_TITLE = "Household survey: women's access to shelters, services and work (demo)"
HEADERS = {"xml": None, "English_en": "English (en)", "Francais_fr": "Français (fr)"}
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="household_demo fixtures absent")


def _files(folder: str, suffix: str) -> list[str]:
    path = FIXTURES / folder
    return sorted(p.name for p in path.glob(f"*{suffix}")) if path.is_dir() else []


def _options(file_name: str) -> KoboOptions:
    stem = file_name.rsplit(".", 1)[0]
    head, hier, multiple, *text = stem.rsplit("_", 3) if stem.endswith("_astext") else [
        *stem.rsplit("_", 2)]  # fmt: skip
    return KoboOptions(HEADERS[head], hier == "hier1", multiple, typed=not text)


@pytest.fixture(scope="module")
def form() -> Form:
    return form_from_xlsform(FIXTURES / "form" / "household.xlsx")


def _submissions(form: Form, first: datetime) -> list[Submission]:
    """The three instances, numbered and timed in their folders' order."""
    folders = sorted((FIXTURES / "collect_instances").iterdir())
    return [
        submission_from_instance(
            form, next(f.glob("*.xml")).read_bytes(), n, first + timedelta(minutes=n - 1)
        )
        for n, f in enumerate(folders, start=1)
    ]


def _same_cell(mine: Any, theirs: Any) -> bool:
    if isinstance(mine, datetime) and isinstance(theirs, datetime):
        return abs(mine - theirs) < timedelta(milliseconds=1)
    if isinstance(mine, date) or isinstance(theirs, date):
        return mine == theirs
    if isinstance(mine, int | float) and not isinstance(mine, bool):
        return isinstance(theirs, float) and theirs == mine
    return mine == theirs


@needs_fixtures
@pytest.mark.parametrize(
    "folder,name",
    [("kobo", n) for n in _files("kobo", ".xlsx")]
    + [("kobo_long_title", n) for n in _files("kobo_long_title", ".xlsx")],
)
def test_kobo_xlsx_as_kobotoolbox_writes_it(form: Form, folder: str, name: str) -> None:
    from python_calamine import CalamineWorkbook

    project = LONG_TITLE if folder == "kobo_long_title" else form.title
    subs = _submissions(form, datetime(2025, 1, 15, 9, 0))
    mine = kobo_sheets(form, subs, _options(name), project)
    book = CalamineWorkbook.from_path(str(FIXTURES / folder / name))
    assert [n for n, _rows in mine] == book.sheet_names
    for sheet, rows in mine:
        theirs = book.get_sheet_by_name(sheet).to_python()
        assert len(rows) == len(theirs), sheet
        for number, (a, b) in enumerate(zip(rows, theirs, strict=True), start=1):
            assert len(a) == len(b), (sheet, number, a, b)
            bad = [
                (i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if not _same_cell(x, y)
            ]
            assert not bad, (sheet, number, bad)


@needs_fixtures
@pytest.mark.parametrize("name", _files("kobo", ".csv"))
def test_kobo_csv_as_kobotoolbox_writes_it(form: Form, name: str) -> None:
    subs = _submissions(form, datetime(2025, 1, 15, 9, 0))
    mine = "".join(kobo_csv_lines(form, subs, _options(name)))
    assert mine == (FIXTURES / "kobo" / name).read_bytes().decode("utf-8")


@needs_fixtures
@pytest.mark.parametrize("variant", list(CENTRAL_OPTIONS))
def test_central_zip_as_odk_central_writes_it(form: Form, variant: str) -> None:
    import zipfile

    subs = _submissions(form, datetime(2024, 1, 1, 0, 0))
    group_paths, split = CENTRAL_OPTIONS[variant]
    mine = central_tables(form, subs, group_paths, split)
    with zipfile.ZipFile(FIXTURES / "central" / f"submissions_{variant}.csv.zip") as z:
        theirs = {n: z.read(n).decode("utf-8") for n in z.namelist()}
    assert list(mine) == list(theirs)
    for name, text in theirs.items():
        assert mine[name] == text, name


def _tree(element: Any) -> tuple[str, str, list[Any]]:
    return (element.tag, (element.text or "").strip(), [_tree(c) for c in element])


@needs_fixtures
def test_collect_instances_as_odk_collect_writes_them(form: Form) -> None:
    subs = _submissions(form, datetime(2026, 11, 28, 10, 0, 1))
    folders = sorted((FIXTURES / "collect_instances").iterdir())
    for sub, folder in zip(subs, folders, strict=True):
        sub.submitted = datetime(2026, 11, 28, 10, 0, sub.number)  # the folder's saved time
        assert folder_name(form, sub) == folder.name
        theirs = etree.fromstring((folder / f"{folder.name}.xml").read_bytes())
        mine = etree.fromstring(instance_xml(form, sub))
        assert _tree(mine) == _tree(theirs)
        assert dict(mine.attrib) == dict(theirs.attrib)


def test_sheet_names_as_kobo_gives_them() -> None:
    """formpack's rules: forbidden characters and edge apostrophes become '_', a name over
    31 characters is cut to 28 + '...', a clash gets '... (1)', '... (2)'."""
    long = "This string has more than 31 characters!"
    assert sheet_name(long, []) == "This string has more than 31..."
    assert (
        sheet_name(long, ["This string has more than 31..."]) == "This string has more tha... (1)"
    )
    taken = ["This string has more than 31...", "This string has more tha... (1)"]
    assert sheet_name(long, taken) == "This string has more tha... (2)"
    assert sheet_name("'a[b]:c*d?e/f\\g'", []) == "_a_b__c_d_e_f_g_"
    assert sheet_name(LONG_TITLE, []) == "Household survey_ women's ac..."
    assert sheet_name("members", ["Household survey"]) == "members"
    with pytest.raises(ValueError, match="two sections named 'impacts'"):
        sheet_name("impacts", ["impacts"])
