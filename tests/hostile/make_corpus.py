"""Write the hostile and broken input corpus: one small file per case, in tests/hostile/corpus/.

    .venv/bin/python tests/hostile/make_corpus.py

The files are reproducible (tests check the committed ones equal what this script makes).
Large cases (a zip bomb, a workbook with a million rows, cells over 32,767 characters) and the
external-entity case (it names a secret file in the test's tmp folder) are made by the tests
at run time, never committed.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

if __package__ in (None, ""):  # run as a script
    sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
    import builders as b  # type: ignore[no-redef]
else:
    from . import builders as b

from compiler.emitters.workbook import build_workbook  # noqa: E402 - after the path is set
from compiler.loader import load_guide  # noqa: E402
from compiler.xlsx_files import workbook_bytes  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HOSTILE_TEXTS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2-3", "@SUM(A1)",
                 "\tTAB=1", "\rCR=1"]  # fmt: skip


def billion_laughs() -> bytes:
    """Ten levels of ten entities each: 10^10 'lol's if anything expanded them."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 11)
    )
    return (f'<?xml version="1.0"?>\n<!DOCTYPE data [{entities}]>\n<data id="test_guide">'
            "<screen><measure_name>&lol10;</measure_name></screen></data>\n").encode()  # fmt: skip


def xxe(secret: Path) -> bytes:
    """An external entity naming a local file."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<data id="test_guide" version="2026112801"><screen><measure_name>&xxe;</measure_name>'
        "</screen><meta><instanceID>uuid:xxe</instanceID></meta></data>\n"
    ).encode()


def _one(**values: str) -> list[dict]:
    subs = b.sample(1)
    subs[0]["values"].update(values)
    return subs


def zip_slip(kind: str) -> bytes:
    """A valid export plus members named '../..' and absolute paths (never to be written)."""
    subs = b.sample(2)
    if kind == "central":
        main, child = b.central_tables(subs)
        return b.zip_bytes([(f"{b.FORM_ID}.csv", main), (f"{b.FORM_ID}-impacts.csv", child),
                            ("../../escaped.csv", b"a,b\r\n1,2\r\n"),
                            ("/tmp/rightguide_absolute.csv", b"a,b\r\n1,2\r\n")])  # fmt: skip
    return b.zip_bytes([("instances/a/a.xml", b.collect_xml(subs[0])),
                        ("../../escaped.xml", b.collect_xml(subs[1])),
                        ("/tmp/rightguide_absolute.xml", b.collect_xml(b.sample(3)[2]))])  # fmt: skip


def nested_zip() -> bytes:
    subs = b.sample(2)
    inner = b.zip_bytes([("inner.xml", b.collect_xml(subs[1]))])
    return b.zip_bytes([("a.xml", b.collect_xml(subs[0])), ("more/inner.zip", inner)])


def ods_content_changed(change: Callable[[bytes], bytes]) -> bytes:
    """The small self-assessment .ods with its content.xml changed."""
    with zipfile.ZipFile(io.BytesIO(b.self_assessment_ods([(["liberty"], 1)]))) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist()]
    return b.zip_bytes([(n, change(d) if n == "content.xml" else d) for n, d in members])


def table_csv(rows: list[list[str]]) -> bytes:
    return b.csv_bytes(rows)


# Word turns Shift+Enter into a vertical tab and a page break into a form feed; a pasted
# terminal colour code brings an ESC
CONTROL_TEXT = "line one\x0bline two\x0cnext page \x1b[31mred\x1b[0m"
CONTROL_VERSION = "2026112801\x1b[2J"
# a formula trigger after a separator or line break inside the text: a cell of its own where a
# spreadsheet splits the field there (French or Spanish locale: ';')
SEPARATOR_TEXTS = ["x;=1+1;", "x,=2+2,", "x\t=3+3", "x;@SUM(1;2)", "x;-4+1", "x\n+5+1",
                   'x";=6+1']  # fmt: skip


def control_chars_csv() -> bytes:
    """A Kobo CSV (it carries __version__) with control characters in an answer, a choice and
    the form version."""
    subs = _one(measure_name=CONTROL_TEXT, has_measure="yes\x1b")
    rows = b.kobo_rows(subs + b.sample(2)[1:])
    rows[0].append("__version__")
    rows[1].append(CONTROL_VERSION)
    rows[2].append(b.VERSION)
    return b.csv_bytes(rows, ";")


def control_chars_xlsx() -> bytes:
    """A Kobo XLSX whose cells hold control characters, as the _xHHHH_ escapes Excel writes
    (and a literal "_x0041_", escaped as Excel does: _x005F_x0041_)."""
    subs = _one(measure_name="Shift\x0bEnter\x0cpage\x1b[1m", signs="raids\x1b")
    subs += b.sample(2)[1:]
    subs[1]["values"]["measure_name"] = "literal _x0041_ text"
    return b.kobo_xlsx(subs)


def control_chars_xml() -> bytes:
    """An ODK Collect instance as kXML writes control characters: character references."""
    return b.collect_xml(b.sample(1)[0]).replace(
        b"A measure 0", b"line one&#11;line two&#12;&#x1B;[31mred"
    )


def unknown_columns_csv() -> bytes:
    """300 columns not in the form and values past the last header, on every row."""
    rows = b.kobo_rows(b.sample(3))
    rows[0] += [f"extra_{i}" for i in range(300)]
    for number, row in enumerate(rows[1:]):
        row += [f"v{number}"] * 300 + ["stray", "more"]
    return b.csv_bytes(rows, ";")


def formula_without_value_xlsx() -> bytes:
    """A Kobo XLSX edited with openpyxl (which saves formulas without their values)."""
    wb = load_workbook(io.BytesIO(b.kobo_xlsx(b.sample(2))))
    sheet = wb[b.TITLE]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("people") + 1).value = "=2+3"
    sheet.cell(3, header.index("measure_name") + 1).value = '=UPPER("x")'
    return workbook_bytes(wb)


def doctype_workbook() -> bytes:
    """A filled self-assessment workbook of the test guide with a DOCTYPE in one sheet."""
    guide = load_guide(Path(__file__).resolve().parents[1] / "guides" / "full")
    members = zip_members(workbook_bytes(build_workbook(guide, "en")))
    first = next(name for name, _ in members if name.startswith("xl/worksheets/"))
    return b.zip_bytes([(name, b'<!DOCTYPE worksheet [<!ENTITY x "y">]>' + data if name == first
                         else data) for name, data in members])  # fmt: skip


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


CASES: dict[str, Callable[[], bytes]] = {
    # XML
    "doctype.xml": lambda: b'<?xml version="1.0"?>\n<!DOCTYPE data SYSTEM "http://evil.example/x.dtd">\n'
    + b.collect_xml(b.sample(1)[0]).split(b"\n", 1)[1],
    "billion_laughs.xml": billion_laughs,
    "not_closed.xml": lambda: b.collect_xml(b.sample(1)[0])[:-40],
    # zips
    "zip_slip_central.zip": lambda: zip_slip("central"),
    "zip_slip_collect.zip": lambda: zip_slip("collect"),
    "nested.zip": nested_zip,
    "corrupt.zip": lambda: b.central_zip(b.sample(3))[:200],
    # spreadsheets
    "csv_named.xlsx": lambda: b.kobo_csv(b.sample(2)),
    "html_named.xlsx": lambda: b"<!DOCTYPE html><html><body><table><tr><td>measure_name</td></tr>"
    b"</table></body></html>\n",
    "encrypted.xlsx": lambda: OLE_MAGIC + bytes(504) + b"EncryptedPackage" + bytes(496),
    "corrupt.xlsx": lambda: b.kobo_xlsx(b.sample(2))[:700],
    # a self-assessment workbook as .ods: a filled table row repeated a million times (calamine
    # would expand it into a grid; the importer reads a table up to its row limit)
    "workbook_rows_repeated.ods": lambda: b.self_assessment_ods(
        [(["liberty", "negative", "3", "4", "seen"], 1_000_000)]
    ),
    "workbook_small.ods": lambda: b.self_assessment_ods([(["liberty", "negative", "3", "4", "seen"], 2)]),
    "workbook_cut.ods": lambda: ods_content_changed(lambda data: data[:-200]),
    "workbook_doctype.ods": lambda: ods_content_changed(
        lambda data: data.replace(b"\n<office:", b'\n<!DOCTYPE x [<!ENTITY a "b">]>\n<office:', 1)
    ),
    "old.xls": lambda: OLE_MAGIC + bytes(1024),  # Excel 97-2003: no reader takes it
    "data.txt": lambda: b.kobo_csv(b.sample(1)),  # a CSV under a name no format has
    # text
    "utf16.csv": lambda: b.kobo_csv(b.sample(2, "Zoë")).decode().encode("utf-16"),
    "latin1.csv": lambda: b.kobo_csv(b.sample(2, "Zoë")).decode().encode("latin-1"),
    "bom.csv": lambda: b"\xef\xbb\xbf" + b.kobo_csv(b.sample(2, "Zoë")),
    "mixed_endings.csv": lambda: b.kobo_csv(b.sample(3)).replace(b"\r\n", b"\n", 2).replace(
        b"\r\n", b"\r", 1
    ),
    "truncated.csv": lambda: b.kobo_csv(b.sample(3))[:-12],
    "truncated_quote.csv": lambda: b.kobo_csv(b.sample(1)) + b"\"cut; in the middle of a quo",
    "empty.csv": lambda: b"",
    "header_only.csv": lambda: b.kobo_csv([]),
    # semantics
    "other_form.csv": lambda: table_csv([["colour", "size", "_uuid"], ["red", "3", "abc"]]),
    "other_form.xml": lambda: b.collect_xml(b.sample(1)[0], form_id="another_form"),
    "older_version.xml": lambda: b.collect_xml(b.sample(1)[0], version="2025010101"),
    "duplicates.csv": lambda: b.kobo_csv(b.sample(2) + b.sample(2)),
    "orphan_repeat.zip": lambda: b.central_zip(b.sample(2), orphans=2),
    "orphan_repeat.xlsx": lambda: b.kobo_xlsx(b.sample(2), orphans=1),
    "bad_select.csv": lambda: b.kobo_csv(_one(has_measure="maybe", signs="raids fireworks")),
    # formula injection: every hostile text as an answer, an instance id and a bad choice
    "separator_injection.csv": lambda: b.kobo_csv(
        [
            {"id": f"uuid:sep-{n};=9+9", "values": {"measure_name": text, "has_measure": text}}
            for n, text in enumerate(SEPARATOR_TEXTS)
        ]
    ),
    # control characters (issue 13)
    "control_chars.csv": control_chars_csv,
    "control_chars.xlsx": control_chars_xlsx,
    "control_chars.xml": control_chars_xml,
    # values changed or lost silently, and issues without end
    "unknown_columns.csv": unknown_columns_csv,
    "underscore_numbers.csv": lambda: b.kobo_csv(_one(people="1_0", budget="1_000")),
    "formula_without_value.xlsx": formula_without_value_xlsx,
    # messages that were several lines
    "doctype_workbook.xlsx": doctype_workbook,
    "ebcdic.xml": lambda: b.collect_xml(b.sample(1)[0]).decode()
    .replace('encoding="UTF-8"', 'encoding="EBCDIC-US"').encode("cp037"),
    "injection.csv": lambda: b.kobo_csv(
        [
            {"id": text, "values": {"measure_name": text, "has_measure": text, "people": "-5"}}
            for text in HOSTILE_TEXTS
        ]
    ),
}


def write_corpus(target: Path = CORPUS) -> list[Path]:
    """Write every case into target; return the paths."""
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for name, make in CASES.items():
        path = target / name
        path.write_bytes(make())
        out.append(path)
    return out


if __name__ == "__main__":
    for written in write_corpus():
        print(f"wrote {written}")
