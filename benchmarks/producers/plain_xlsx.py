"""A minimal .xlsx written as plain XML, the way KoboToolbox's exporter (xlsxwriter in
constant-memory mode) writes it: inline strings, numbers, dates as serial numbers with a
yyyy-mm-dd style, empty cells left out. openpyxl would take minutes for a million cells."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from .fixed_zip import member

Cell = str | int | float | date | datetime
_EPOCH = datetime(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/"
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS}spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
    '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" '
    'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle '
    'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def column_letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (openpyxl counts from 1)."""
    return get_column_letter(n + 1)


def excel_serial(value: date | datetime) -> str:
    """Days since 1899-12-30 (Excel's 1900 date system), with the time as a fraction."""
    if not isinstance(value, datetime):
        return str((value - _EPOCH.date()).days)
    delta = value.replace(tzinfo=None) - _EPOCH
    return repr(delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6)


def _cell(ref: str, value: Cell) -> str:
    if isinstance(value, str):
        return (
            f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        )
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{excel_serial(value)}</v></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def sheet_xml(rows: Iterable[list[Cell]]) -> Iterator[bytes]:
    """A worksheet, a row at a time; "" cells are left out, as Excel writers do."""
    letters: list[str] = []
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
           f'"{_NS}spreadsheetml/2006/main"><sheetData>').encode()  # fmt: skip
    for number, cells in enumerate(rows, start=1):
        while len(letters) < len(cells):
            letters.append(column_letters(len(letters)))
        parts = [f'<row r="{number}">']
        parts.extend(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(cells) if v != "")
        parts.append("</row>")
        yield "".join(parts).encode("utf-8")
    yield b"</sheetData></worksheet>"


def write_xlsx(path: Path, sheets: list[tuple[str, Iterable[list[Cell]]]]) -> None:
    """Write the sheets (name, rows) as one workbook, streaming each sheet into the zip."""
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(member("[Content_Types].xml"), (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_NS}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'{types}</Types>'))  # fmt: skip
        z.writestr(member("_rels/.rels"), (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{_NS}officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))  # fmt: skip
        listed = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" '
                         f'r:id="rId{i}"/>' for i, (name, _rows) in enumerate(sheets, start=1))  # fmt: skip
        z.writestr(member("xl/workbook.xml"), (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}spreadsheetml/2006/main"'
            f' xmlns:r="{_NS}officeDocument/2006/relationships"><sheets>{listed}</sheets>'
            '</workbook>'))  # fmt: skip
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_NS}officeDocument/2006/relationships/'
                       f'worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))  # fmt: skip
        styles_id = len(sheets) + 1
        rels += (f'<Relationship Id="rId{styles_id}" Type="{_NS}officeDocument/2006/relationships/'
                 'styles" Target="styles.xml"/>')  # fmt: skip
        z.writestr(member("xl/_rels/workbook.xml.rels"), (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}package/2006/'
            f'relationships">{rels}</Relationships>'))  # fmt: skip
        z.writestr(member("xl/styles.xml"), _STYLES)
        for i, (_name, rows) in enumerate(sheets, start=1):
            # zip64 as Kobo's writer sets it: a main sheet can pass 2 GiB unpacked
            with z.open(member(f"xl/worksheets/sheet{i}.xml"), "w", force_zip64=True) as sheet:
                for chunk in sheet_xml(rows):
                    sheet.write(chunk)
