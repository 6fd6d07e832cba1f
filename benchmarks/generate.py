"""Synthetic exports of the real guide (guide_source/) in every input format, for benchmarks.

    .venv/bin/python benchmarks/generate.py --n 10000 --out benchmarks/data

writes, for N submissions each with IMPACTS impact records and RECS recommendation records:

- kobo.xlsx       KoboToolbox XLSX export: main sheet named after the form title, one sheet
                  per repeat (_index, _parent_table_name, _parent_index, _submission_* columns);
                  XML names as headers, select_multiple as one column plus one 1/0 column per
                  option, metadata columns at the end;
- kobo.csv        KoboToolbox CSV export of the main table (';', every field quoted, CRLF);
- central.zip     ODK Central submissions.csv.zip: right_guide.csv (group paths joined by '-',
                  SubmissionDate first, KEY ... FormVersion last) and one CSV per repeat
                  (PARENT_KEY, KEY);
- collect.zip     ODK Collect instances: instances/<name>/<name>.xml, groups nested, repeats
                  repeated, non-relevant questions absent.

Answers are random but seeded (same N and seed, same bytes). Each submission is filled with
the guide's own evaluator first, so answers to questions that do not apply are blank (exports)
or absent (XML), as the field would send them. Calculations are not written: the importer
recomputes them. Sheets are written as plain XML (inline strings), since openpyxl would take
minutes for a million cells.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import uuid
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compiler.importer import FormFields  # noqa: E402
from compiler.importer.form_fields import FormField  # noqa: E402
from compiler.importer.readers.kobo_common import kobo_sheet_name  # noqa: E402
from compiler.loader import load_checked_guide  # noqa: E402
from compiler.model import Guide  # noqa: E402
from compiler.scoring.evaluator import FormEvaluator  # noqa: E402

KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip
CENTRAL_TAIL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip
WORDS = ["Detention of presumed victims", "Les personnes concernées", "x", "Some words",
         "Informe de la inspección", "12", "Raids on workplaces; no complaints channel"]  # fmt: skip


def questions(fields: FormFields, repeat: str | None) -> list[FormField]:
    """The questions of one table (main or a repeat), in document order."""
    return [f for f in fields.in_table(repeat) if f.is_question]


def answer(rng: random.Random, f: FormField) -> str | None:
    """A random answer as the XForm writes it, or None (left unanswered) 20% of the time."""
    if rng.random() < 0.2:
        return None
    names = [c.name for c in f.choices]
    if f.type == "select_one" and names:
        return rng.choice(names)
    if f.type == "select_multiple" and names:
        chosen = set(rng.sample(names, rng.randint(1, min(3, len(names)))))
        return " ".join(n for n in names if n in chosen)
    if f.type == "integer":
        return str(rng.randint(0, 40))
    if f.type == "decimal":
        return str(rng.randint(0, 400) / 4)
    if f.type == "date":
        return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 2500))).isoformat()
    return rng.choice(WORDS)


class Submission:
    """One generated submission: answers that apply, its repeat records and metadata."""

    def __init__(self, index: int, main: dict[str, str], repeats: dict[str, list[dict[str, str]]],
                 rng: random.Random) -> None:  # fmt: skip
        self.index = index
        self.main = main
        self.repeats = repeats
        self.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.time = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}T10:{index % 60:02d}:00"


def submissions(guide: Guide, fields: FormFields, n: int, impacts: int, recs: int,
                seed: int) -> list[Submission]:  # fmt: skip
    """N submissions; answers to questions not relevant once filled are dropped."""
    rng = random.Random(seed)
    evaluator = FormEvaluator(guide)
    counts = {r.name: (impacts if i == 0 else recs) for i, r in enumerate(fields.repeats())}
    out = []
    for index in range(1, n + 1):
        main = {f.name: a for f in questions(fields, None) if (a := answer(rng, f)) is not None}
        repeats = {
            r: [{f.name: a for f in questions(fields, r) if (a := answer(rng, f)) is not None}
                for _ in range(count)]
            for r, count in counts.items()
        }  # fmt: skip
        case: dict[str, Any] = {**main, **repeats}
        filled = evaluator.fill(case)
        kept_main = {k: v for k, v in main.items()
                      if filled.relevant.get(fields.fields[k].xpath, True)
                      and _same(filled.values.get(k), v)}  # fmt: skip
        kept_repeats: dict[str, list[dict[str, str]]] = {}
        for r, records in repeats.items():
            base = fields.fields[r].xpath
            kept_repeats[r] = [
                {k: v for k, v in rec.items()
                 if filled.relevant.get(f"{base}[{i}]/{k}", True)}
                for i, rec in enumerate(records, start=1)
            ]  # fmt: skip
        out.append(Submission(index, kept_main, kept_repeats, rng))
    return out


def _same(value: Any, text: str) -> bool:
    return value not in ("", None) or text == ""


# -- tables ---------------------------------------------------------------------------------


def kobo_main_columns(fields: FormFields) -> list[tuple[str, FormField | None, str | None]]:
    """(header, field, option) of the Kobo main table: XML names, select_multiple split."""
    columns: list[tuple[str, FormField | None, str | None]] = []
    for f in questions(fields, None):
        columns.append((f.name, f, None))
        if f.type == "select_multiple":
            columns += [(f"{f.name}/{c.name}", f, c.name) for c in f.choices]
    return columns


def cell(values: dict[str, str], f: FormField | None, option: str | None) -> str:
    if f is None:
        return ""
    value = values.get(f.name, "")
    if option is None:
        return value
    if value == "":
        return ""
    return "1" if option in value.split() else "0"


def kobo_main_rows(fields: FormFields, subs: list[Submission]) -> tuple[list[str], list[list[str]]]:
    columns = kobo_main_columns(fields)
    header = [c[0] for c in columns] + KOBO_META
    rows = []
    for s in subs:
        meta = [str(s.index), s.uuid, s.time, "", "", "submitted_via_web", "", fields.version,
                "", str(s.index)]  # fmt: skip
        rows.append([cell(s.main, f, o) for _h, f, o in columns] + meta)
    return header, rows


def kobo_repeat_rows(fields: FormFields, subs: list[Submission], repeat: str,
                     main_sheet: str) -> tuple[list[str], list[list[str]]]:  # fmt: skip
    qs = questions(fields, repeat)
    columns: list[tuple[str, FormField, str | None]] = []
    for f in qs:
        columns.append((f.name, f, None))
        if f.type == "select_multiple":
            columns += [(f"{f.name}/{c.name}", f, c.name) for c in f.choices]
    header = [c[0] for c in columns] + ["_index", "_parent_table_name", "_parent_index",
                                        "_submission__id", "_submission__uuid"]  # fmt: skip
    rows = []
    index = 0
    for s in subs:
        for rec in s.repeats[repeat]:
            index += 1
            rows.append([cell(rec, f, o) for _h, f, o in columns]
                        + [str(index), main_sheet, str(s.index), str(s.index), s.uuid])  # fmt: skip
    return header, rows


# -- writers --------------------------------------------------------------------------------


def _col(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_xml(header: list[str], rows: list[list[str]]) -> bytes:
    """A worksheet with inline strings; empty cells are left out, as Excel writes them."""
    letters = [_col(i) for i in range(len(header))]
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']  # fmt: skip
    for number, cells in enumerate([header, *rows], start=1):
        parts.append(f'<row r="{number}">')
        parts.extend(
            f'<c r="{letters[i]}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(cells) if v != ""
        )  # fmt: skip
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list[str]]]]) -> None:
    """A minimal valid .xlsx: workbook, relationships and one inline-string sheet per table."""
    ns = "http://schemas.openxmlformats.org/"
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{types}</Types>'))  # fmt: skip
        z.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))  # fmt: skip
        listed = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _h, _r) in enumerate(sheets, start=1))  # fmt: skip
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}spreadsheetml/2006/main"'
            f' xmlns:r="{ns}officeDocument/2006/relationships"><sheets>{listed}</sheets>'
            '</workbook>'))  # fmt: skip
        rels = "".join(f'<Relationship Id="rId{i}" Type="{ns}officeDocument/2006/relationships/'
                       f'worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))  # fmt: skip
        z.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships">{rels}</Relationships>'))  # fmt: skip
        for i, (_name, header, rows) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(header, rows))


def csv_text(header: list[str], rows: list[list[str]], delimiter: str, quote_all: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)  # fmt: skip
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def central_tables(fields: FormFields, subs: list[Submission]) -> dict[str, str]:
    """FORMID.csv and FORMID-REPEAT.csv of a Central export, group paths joined by '-'."""
    form = fields.form_id
    main_fields = questions(fields, None)
    header = (["SubmissionDate"] + ["-".join((*f.path, f.name)) for f in main_fields]
              + ["meta-instanceID", *CENTRAL_TAIL])  # fmt: skip
    rows = []
    for s in subs:
        key = f"uuid:{s.uuid}"
        rows.append([s.time + ".000Z"] + [s.main.get(f.name, "") for f in main_fields]
                    + [key, key, "5", "enumerator", "0", "0", "Approved", "", "", "0",
                       fields.version])  # fmt: skip
    tables = {f"{form}.csv": csv_text(header, rows, ",", False)}
    for r in fields.repeats():
        qs = questions(fields, r.name)
        r_header = ["-".join((*f.path, f.name)) for f in qs] + ["PARENT_KEY", "KEY"]
        r_rows = []
        for s in subs:
            parent = f"uuid:{s.uuid}"
            for i, rec in enumerate(s.repeats[r.name], start=1):
                key = f"{parent}/{'/'.join((*r.path, r.name))}[{i}]"
                r_rows.append([rec.get(f.name, "") for f in qs] + [parent, key])
        tables[f"{form}-{r.name}.csv"] = csv_text(r_header, r_rows, ",", False)
    return tables


def instance_xml(fields: FormFields, s: Submission) -> bytes:
    """An ODK Collect instance: groups nested, repeats repeated, non-relevant left out."""

    def children(parent: tuple[str, ...], values: dict[str, str]) -> str:
        out = []
        for f in fields.fields.values():
            if f.path != parent:
                continue
            if f.type == "repeat":
                for rec in s.repeats[f.name]:
                    out.append(f"<{f.name}>{children((*parent, f.name), rec)}</{f.name}>")
            elif f.type == "group":
                out.append(f"<{f.name}>{children((*parent, f.name), values)}</{f.name}>")
            elif f.is_question and f.name in values:
                out.append(f"<{f.name}>{escape(values[f.name])}</{f.name}>")
        return "".join(out)

    body = children((), s.main)
    return (f'<?xml version="1.0" encoding="UTF-8"?><data id="{fields.form_id}" version='
            f'"{fields.version}">{body}<meta><instanceID>uuid:{s.uuid}</instanceID></meta>'
            "</data>").encode()  # fmt: skip


def generate(out: Path, n: int, impacts: int = 3, recs: int = 2, seed: int = 1,
             source: Path = ROOT / "guide_source") -> dict[str, Path]:  # fmt: skip
    """Write every format for N submissions into out; returns format -> path."""
    guide = load_checked_guide(source)[0]
    fields = FormFields.from_guide(guide)
    subs = submissions(guide, fields, n, impacts, recs, seed)
    out.mkdir(parents=True, exist_ok=True)
    main_sheet = kobo_sheet_name(fields.titles[0])
    header, rows = kobo_main_rows(fields, subs)
    sheets = [(main_sheet, header, rows)]
    for r in fields.repeats():
        sheets.append((kobo_sheet_name(r.name), *kobo_repeat_rows(fields, subs, r.name, main_sheet)))
    paths = {"kobo-xlsx": out / "kobo.xlsx", "kobo-csv": out / "kobo.csv",
             "central": out / "central.zip", "collect": out / "collect.zip"}  # fmt: skip
    write_xlsx(paths["kobo-xlsx"], sheets)
    paths["kobo-csv"].write_text(csv_text(header, rows, ";", True), encoding="utf-8", newline="")
    with zipfile.ZipFile(paths["central"], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in central_tables(fields, subs).items():
            z.writestr(name, text)
    with zipfile.ZipFile(paths["collect"], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for s in subs:
            name = f"RighT_Guide_{s.time.replace(':', '-').replace('T', '_')}_{s.index}"
            z.writestr(f"instances/{name}/{name}.xml", instance_xml(fields, s))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions (default 1000)")
    parser.add_argument("--impacts", type=int, default=3, help="impact records per submission")
    parser.add_argument("--recs", type=int, default=2, help="recommendations per submission")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "data")
    args = parser.parse_args()
    for fmt, path in generate(args.out, args.n, args.impacts, args.recs, args.seed).items():
        print(f"{fmt:10} {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
