"""The `consultations` folder of a scoring run: the counts per measure, right, experience and
group (`counts.csv`, small counts hidden), and each consultation form's scored records
(`<form id>/scores.csv` and `issues.csv`, as for the assessment). Always written, with only
its header when the run read no consultation, so the folder's files are always there.

counts.csv: form_id, measure, kind (consulted, right, experience), name, label (in the run's
language), total, then a column per group of the form's groups list and `no group`. A hidden
count (1 to 4, or one that would give a hidden one away) is written "<5", never the count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...model import Guide
from ...xlsx_files import write_atomic
from ..consultation_tally import NO_GROUP
from .csv_out import csv_bytes, write_csvs

FOLDER = "consultations"
HIDDEN = "<5"


def _cell(value: int | None) -> Any:
    return HIDDEN if value is None else value


def _group_names(form: Guide) -> list[str]:
    spec = form.tally
    question = form.items_by_name().get(spec.groups) if spec and spec.groups else None
    listed = form.lists.get(question.list_name) if question is not None and question.list_name else None
    return [*(listed.names() if listed else []), NO_GROUP]


def count_rows(guide: Guide, doc: dict[str, Any], lang: str) -> list[list[Any]]:
    """counts.csv's rows (header first) from the scores document's "consultations"."""
    entries = doc.get("consultations") or []
    forms = {e["form_id"]: guide.form(e["form_id"]) for e in entries}
    groups = list(dict.fromkeys(g for form in forms.values() for g in _group_names(form)))
    header = ["form_id", "measure", "kind", "name", "label", "total",
              *(("no group" if g == NO_GROUP else g) for g in groups)]  # fmt: skip
    rows: list[list[Any]] = [header]
    for entry in entries:
        form = forms[entry["form_id"]]
        spec = form.tally
        lists = {"right": spec.reported.list_name if spec else "",
                 "experience": spec.experiences.list_name if spec and spec.experiences else ""}  # fmt: skip
        for measure, table in entry["measures"].items():
            parts = [("consulted", {"": table["consulted"]}),
                     ("right", table["rights"]), ("experience", table["experiences"])]  # fmt: skip
            for kind, named in parts:
                for name, row in named.items():
                    label = _label(form, lists.get(kind, ""), name, lang)
                    cells = [_cell(row["by_group"][g]) if g in row["by_group"] else 0 for g in groups]
                    rows.append([entry["form_id"], measure, kind, name, label, _cell(row["total"]), *cells])
    return rows


def group_label(guide: Guide, name: str, lang: str) -> str:
    """A group's label in lang, from the groups list of the first consultation form that has
    it (the name itself when none does)."""
    for form in guide.other_forms:
        spec = form.tally
        question = form.items_by_name().get(spec.groups) if spec and spec.groups else None
        if question is not None and question.list_name and (found := _label(form, question.list_name, name, lang)):
            return found
    return name


def _label(form: Guide, list_name: str, name: str, lang: str) -> str:
    listed = form.lists.get(list_name)
    if listed is None:
        return ""
    for choice in listed.choices:
        if choice.name == name:
            return form.text(choice.label, lang)
    return ""


def write_consultations(
    guide: Guide, doc: dict[str, Any], form_docs: dict[str, dict[str, Any]], out_dir: Path, lang: str
) -> Path:
    """Write the consultations folder (counts.csv, and each other form's scores.csv and
    issues.csv in a folder named after the form id); return the folder."""
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "counts.csv", csv_bytes(count_rows(guide, doc, lang)))
    for form_id, form_doc in sorted(form_docs.items()):
        place = folder / form_id
        place.mkdir(exist_ok=True)
        write_csvs(guide.form(form_id), form_doc, place)
    return folder
