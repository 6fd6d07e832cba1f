"""Exports of the test guide (tests/guides/full) in every input format, made from plain
submissions, byte-reproducible: ODK Collect instance XML, KoboToolbox CSV and XLSX, ODK Central
submissions.csv.zip. Used by the hostile corpus and the "nothing lost" property tests.

A submission is {"id": instance id, "values": {question: text}, "impacts": [{question: text}]}.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook

from compiler.xlsx_files import workbook_bytes

FORM_ID = "test_guide"
VERSION = "2026112801"
TITLE = "Test guide"
TOP = ["measure_name", "start_date", "has_measure", "followup", "signs", "people", "budget",
       "status_iccpr", "status_cat"]  # fmt: skip
IMPACT = ["right", "direction", "scale", "scope", "evidence"]
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


# C0 controls XML 1.0 cannot hold: kXML's KXmlSerializer (ODK Collect) writes them as character
# references, and Excel-family writers (XlsxWriter, which Kobo's formpack uses) as _xHHHH_
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROLS.sub(lambda m: f"&#{ord(m.group())};", text)


def ooxml_cell(text: str) -> str:
    """Text as an .xlsx writer stores it: a literal _xHHHH_ escaped, controls as _xHHHH_."""
    text = _OOXML_ESCAPE.sub("_x005F_", text)
    return _CONTROLS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def collect_xml(sub: dict[str, Any], form_id: str = FORM_ID, version: str = VERSION) -> bytes:
    """One ODK Collect instance file."""
    values = sub["values"]
    screen = "".join(f"<{n}>{xml_text(values[n])}</{n}>" for n in TOP if n in values)
    impacts = "".join(
        "<impacts>" + "".join(f"<{n}>{xml_text(i[n])}</{n}>" for n in IMPACT if n in i) + "</impacts>"
        for i in sub.get("impacts", [])
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<data id="{form_id}" version="{version}">'
        f"<screen>{screen}</screen><step5>{impacts}</step5>"
        f"<meta><instanceID>{xml_text(sub['id'])}</instanceID></meta></data>\n"
    ).encode()


def csv_bytes(rows: list[list[Any]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def kobo_rows(subs: list[dict[str, Any]]) -> list[list[Any]]:
    """The main table of a Kobo export: XML names, meta/instanceID, _uuid, _index."""
    rows: list[list[Any]] = [[*TOP, "meta/instanceID", "_uuid", "_index"]]
    for number, sub in enumerate(subs, start=1):
        rows.append([*(sub["values"].get(n, "") for n in TOP), sub["id"], "", number])
    return rows


def kobo_csv(subs: list[dict[str, Any]]) -> bytes:
    """A KoboToolbox CSV export (no repeats)."""
    return csv_bytes(kobo_rows(subs), ";")


def kobo_xlsx(subs: list[dict[str, Any]], orphans: int = 0) -> bytes:
    """A KoboToolbox XLSX export; `orphans` extra impact rows point to no submission."""
    wb = Workbook()
    main = wb.active
    main.title = TITLE
    for row in kobo_rows(subs):
        main.append([ooxml_cell(str(c)) if not isinstance(c, int) else c for c in row])
    sheet = wb.create_sheet("impacts")
    sheet.append([*IMPACT, "_index", "_parent_table_name", "_parent_index"])
    index = 0
    for number, sub in enumerate(subs, start=1):
        for impact in sub.get("impacts", []):
            index += 1
            sheet.append([*(ooxml_cell(impact.get(n, "")) for n in IMPACT), index, TITLE, number])
    for extra in range(orphans):
        index += 1
        sheet.append(["liberty", "negative", "3", "3", "orphan", index, TITLE, 9000 + extra])
    return workbook_bytes(wb)


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def central_tables(subs: list[dict[str, Any]], orphans: int = 0) -> tuple[bytes, bytes]:
    """The main and impacts tables of an ODK Central export (group paths joined by '-')."""
    main: list[list[Any]] = [["SubmissionDate", *(f"screen-{n}" for n in TOP), "meta-instanceID", "KEY"]]
    child: list[list[Any]] = [[*IMPACT, "PARENT_KEY", "KEY"]]
    for number, sub in enumerate(subs, start=1):
        main.append([f"2026-01-01T00:00:{number % 60:02d}.000Z",
                     *(sub["values"].get(n, "") for n in TOP), sub["id"], sub["id"]])  # fmt: skip
        for index, impact in enumerate(sub.get("impacts", []), start=1):
            child.append([*(impact.get(n, "") for n in IMPACT), sub["id"],
                          f"{sub['id']}/step5/impacts[{index}]"])  # fmt: skip
    for extra in range(orphans):
        child.append(["health", "positive", "", "", "", f"uuid:nobody-{extra}", f"uuid:nobody-{extra}/x[1]"])
    return csv_bytes(main), csv_bytes(child)


def central_zip(subs: list[dict[str, Any]], orphans: int = 0) -> bytes:
    """An ODK Central submissions.csv.zip."""
    main, child = central_tables(subs, orphans)
    return zip_bytes([(f"{FORM_ID}.csv", main), (f"{FORM_ID}-impacts.csv", child)])


def sample(count: int = 3, text: str = "A measure") -> list[dict[str, Any]]:
    """`count` valid submissions with one impact record each."""
    return [
        {
            "id": f"uuid:00000000-0000-4000-8000-{n:012d}",
            "values": {"measure_name": f"{text} {n}", "has_measure": "yes", "signs": "raids testing",
                       "people": str(5 + n), "status_iccpr": "ratified", "status_cat": "signed"},  # fmt: skip
            "impacts": [{"right": "liberty", "direction": "negative", "scale": "3", "scope": "4",
                         "evidence": "seen"}],  # fmt: skip
        }
        for n in range(count)
    ]


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')  # fmt: skip


ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:'
    b'tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry '
    b'manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/'
    b'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    b'manifest:media-type="text/xml"/></manifest:manifest>\n'
)


def ods_row(values: list[str], repeated: int = 1) -> str:
    """A row of string cells as LibreOffice writes it (number-rows-repeated when > 1)."""
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{xml_text(v)}</text:p></table:table-cell>'
        if v else "<table:table-cell/>"
        for v in values
    )  # fmt: skip
    repeat = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


def self_assessment_ods(impact_rows: list[tuple[list[str], int]]) -> bytes:
    """A self-assessment workbook as an .ods (named ranges _rg_*, a meta sheet, the impacts
    table with its key row), with `impact_rows` (cells, times repeated) under the header."""
    meta = [("format", "rightguide-workbook-1"), ("form_id", FORM_ID), ("version", VERSION),
            ("language", "en")]  # fmt: skip
    names = "".join(
        f'<table:named-range table:name="_rg_{key}" table:base-cell-address="$meta.$A$1" '
        f'table:cell-range-address="$meta.$B${row}"/>'
        for row, (key, _) in enumerate(meta, start=1)
    )
    impacts = (ods_row([TITLE]) + ods_row(["repeat:impacts", *IMPACT]) + ods_row(["", *IMPACT])
               + "".join(ods_row(["", *cells], times) for cells, times in impact_rows))  # fmt: skip
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NS} '
        'office:version="1.3"><office:body><office:spreadsheet>'
        f'<table:table table:name="Impacts">{impacts}</table:table>'
        f'<table:table table:name="meta">{"".join(ods_row(list(pair)) for pair in meta)}</table:table>'
        f"<table:named-expressions>{names}</table:named-expressions>"
        "</office:spreadsheet></office:body></office:document-content>\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # ODF: 'mimetype' first, stored
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME),
                         b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr(zipfile.ZipInfo("content.xml", ZIP_TIME), content.encode(), zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", ZIP_TIME), ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
