"""scores.xlsx: submissions, summary per right (with native bar charts), per affected group,
issues, rejected records and notes; labels in the chosen language (English where a label has
no translation). Every text is a string cell (`safe_cells.set_cell`), numbers stay numbers,
and the bytes are reproducible (`xlsx_files.save_workbook`).

A sheet holds at most Excel's 1,048,576 rows, and a sheet past that is cut by Excel without a
word: the issues and rejected sheets list their first `LISTED_ROWS` rows (the submissions
sheet as many as Excel holds), then one row saying how many more there are and which CSV holds
every one (as the report cuts its lists)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Worksheet

from ...model import Guide
from ...xlsx_files import discarded_on_error, save_workbook
from ...xlsx_print import print_pages
from ...xlsx_text_fit import DEFAULT_WIDTH, FONT_NAME, line_height, wrapped_lines
from ..safe_cells import set_cell
from .csv_out import form_level_scores

UI: dict[str, dict[str, str]] = {
    "en": {
        "consultations": "consultations", "measure": "Measure", "kind": "Counted",
        "kind_consulted": "People consulted", "kind_right": "Right reported harmed",
        "kind_experience": "Experience reported", "what": "What", "people": "People",
        "no_group": "Named no group", "hidden_note":
        "<5: a count from 1 to 4, or one from which such a count could be worked out (hidden).",
        "submissions": "submissions", "rights": "rights", "groups": "groups", "issues": "issues",
        "rejected": "rejected", "notes": "notes", "instance_id": "Instance ID", "file": "File",
        "sheet": "Sheet", "row": "Row", "form_version": "Form version", "issue_count": "Issues",
        "from_export": "Taken from the export (no repeat records)",
        "right": "Right", "worst_severity": "Worst severity", "negative_records": "Negative records",
        "positive_records": "Positive records", "gap_flags": "Gap flags",
        "worst_actual": "Worst actual harm", "worst_potential": "Worst potential harm",
        "unrated_records": "Harms of unknown severity", "concern_flags": "Concerns to investigate",
        "committed": "Committed (submissions)", "group": "Affected group",
        "records": "Impact records", "field": "Field", "message": "Problem", "reason": "Reason",
        "note": "Note", "worst_chart": "Worst severity per right",
        "counts_chart": "Negative and positive records per right", "no_groups":
        "This guide's impact records name no affected group (no select on list 'groups').",
        "rows_more": "{n} more rows are not shown here; every one is in {file}.",
    },
    "fr": {
        "consultations": "consultations", "measure": "Mesure", "kind": "Compté",
        "kind_consulted": "Personnes consultées", "kind_right": "Droit dont l’atteinte est rapportée",
        "kind_experience": "Expérience rapportée", "what": "Quoi", "people": "Personnes",
        "no_group": "Aucun groupe nommé", "hidden_note":
        "<5\u00a0: un nombre de 1 à 4, ou un nombre qui permettrait d’en retrouver un (masqué).",
        "submissions": "soumissions", "rights": "droits", "groups": "groupes",
        "issues": "problèmes", "rejected": "rejetés", "notes": "notes",
        "instance_id": "ID d’instance", "file": "Fichier", "sheet": "Feuille", "row": "Ligne",
        "form_version": "Version du formulaire", "issue_count": "Problèmes", "right": "Droit",
        "from_export": "Repris de l’export (sans fiches répétées)",
        "worst_severity": "Gravité maximale", "negative_records": "Effets négatifs",
        "positive_records": "Effets positifs", "gap_flags": "Écarts signalés",
        "worst_actual": "Atteinte réelle la plus grave",
        "worst_potential": "Atteinte potentielle la plus grave",
        "unrated_records": "Atteintes de gravité inconnue",
        "concern_flags": "Préoccupations à examiner",
        "committed": "Engagé (soumissions)", "group": "Groupe concerné",
        "records": "Fiches d’impact", "field": "Champ", "message": "Problème", "reason": "Raison",
        "note": "Note", "worst_chart": "Gravité maximale par droit",
        "counts_chart": "Effets négatifs et positifs par droit", "no_groups":
        "Les fiches d’impact de ce guide ne nomment aucun groupe (pas de liste «\u00a0groups\u00a0»).",
        "rows_more": "{n} autres lignes ne sont pas montrées ici\u202f; toutes figurent dans {file}.",
    },
    "es": {
        "consultations": "consultas", "measure": "Medida", "kind": "Contado",
        "kind_consulted": "Personas consultadas", "kind_right": "Derecho con daño contado",
        "kind_experience": "Experiencia contada", "what": "Qué", "people": "Personas",
        "no_group": "No nombró ningún grupo", "hidden_note":
        "<5: un número de 1 a 4, o uno del que se podría deducir uno así (oculto).",
        "submissions": "envíos", "rights": "derechos", "groups": "grupos",
        "issues": "problemas", "rejected": "rechazados", "notes": "notas",
        "instance_id": "ID de instancia", "file": "Archivo", "sheet": "Hoja", "row": "Fila",
        "form_version": "Versión del formulario", "issue_count": "Problemas", "right": "Derecho",
        "from_export": "Tomado de la exportación (sin registros repetidos)",
        "worst_severity": "Gravedad máxima", "negative_records": "Efectos negativos",
        "positive_records": "Efectos positivos", "gap_flags": "Brechas señaladas",
        "worst_actual": "Daño real más grave", "worst_potential": "Daño potencial más grave",
        "unrated_records": "Daños de gravedad desconocida",
        "concern_flags": "Preocupaciones por investigar",
        "committed": "Comprometido (envíos)", "group": "Grupo afectado",
        "records": "Registros de impacto", "field": "Campo", "message": "Problema",
        "reason": "Motivo", "note": "Nota", "worst_chart": "Gravedad máxima por derecho",
        "counts_chart": "Efectos negativos y positivos por derecho", "no_groups":
        "Los registros de impacto de esta guía no nombran ningún grupo (no hay lista 'groups').",
        "rows_more": "No se muestran aquí {n} filas más; todas están en {file}.",
    },
    "sr-Latn": {
        "consultations": "konsultacije", "measure": "Mera", "kind": "Prebrojano",
        "kind_consulted": "Konsultovane osobe", "kind_right": "Pravo za koje je prijavljena šteta",
        "kind_experience": "Prijavljeno iskustvo", "what": "Šta", "people": "Osobe",
        "no_group": "Nisu navele grupu", "hidden_note":
        "<5: broj od 1 do 4, ili broj iz kojeg bi se takav broj mogao izračunati (skriven).",
        "submissions": "podnesci", "rights": "prava", "groups": "grupe", "issues": "problemi",
        "rejected": "odbijeno", "notes": "napomene", "instance_id": "ID instance",
        "file": "Datoteka", "sheet": "List", "row": "Red", "form_version": "Verzija obrasca",
        "issue_count": "Problemi", "right": "Pravo",
        "from_export": "Preuzeto iz izvoza (bez ponovljenih zapisa)",
        "worst_severity": "Najveća ozbiljnost", "negative_records": "Negativni uticaji",
        "positive_records": "Pozitivni uticaji", "gap_flags": "Oznake jaza",
        "worst_actual": "Najteža stvarna šteta", "worst_potential": "Najteža potencijalna šteta",
        "unrated_records": "Štete nepoznate ozbiljnosti",
        "concern_flags": "Zabrinutosti koje treba ispitati",
        "committed": "Preuzeta obaveza (podnesci)", "group": "Pogođena grupa",
        "records": "Zapisi o uticaju", "field": "Polje", "message": "Problem", "reason": "Razlog",
        "note": "Napomena", "worst_chart": "Najveća ozbiljnost po pravima",
        "counts_chart": "Negativni i pozitivni uticaji po pravima", "no_groups":
        "Zapisi o uticaju u ovom vodiču ne navode nijednu pogođenu grupu (nema liste 'groups').",
        "rows_more": "Još {n} redova nije prikazano ovde; svi su u datoteci {file}.",
    },
}  # fmt: skip
EXCEL_MAX_ROWS = 1_048_576  # rows in one sheet of Excel (and LibreOffice since 7.4)
LISTED_ROWS = 100_000  # issues or rejected records listed in scores.xlsx; all are in the CSVs
RIGHT_MEASURES = (
    "worst_severity",
    "worst_actual",
    "worst_potential",
    "negative_records",
    "unrated_records",
    "positive_records",
    "gap_flags",
    "concern_flags",
    "committed",
)


def missing_ui_languages(codes: Iterable[str]) -> list[str]:
    """The codes among `codes` whose scores.xlsx labels are missing, wholly or in part."""
    return [code for code in codes if set(UI.get(code, {})) != set(UI["en"])]


def ui(lang: str, key: str) -> str:
    """A fixed label of the workbook in lang, English when it has no translation."""
    return UI.get(lang, {}).get(key) or UI["en"][key]


def _capped(rows: Iterable[list[Any]], limit: int, file: str, lang: str) -> Iterator[list[Any]]:
    """The first `limit` rows, then, when there are more, a row saying how many more and that
    `file` holds every one."""
    count = 0
    for row in rows:
        count += 1
        if count <= limit:
            yield row
    if count > limit:
        yield [ui(lang, "rows_more").format(n=count - limit, file=file)]


HEAD = Alignment(wrap_text=True, vertical="top")
HEAD_LINES = 5
WRAP = Alignment(wrap_text=True)  # bottom, as numbers written without a style are
RIGHT = Alignment(horizontal="right")


def _rows(ws: Worksheet, rows: Iterable[list[Any]], widths: list[int] | None = None, *,
          wrap: Collection[int] = (), counts_from: int | None = None, fit: bool = True) -> None:
    """Write rows to a write-only sheet (rows go to disk as they come, so 100,000 submissions
    do not become 100,000 x 80 cell objects); the first row in bold, wrapped and frozen. Text
    in the columns `wrap` (0-based) wraps; text among counts (columns from `counts_from`, a
    hidden "<5") is right-aligned like the numbers beside it. A write-only sheet takes its
    view, print setup and column widths before its first row."""
    ws.freeze_panes = "A2"
    # one page wide (a sheet of a few columns), else the first column on every page
    print_pages(ws, title_rows="1:1", title_cols=None if fit else "A:A", pages_wide=1 if fit else None)
    widths = widths or []
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(name=FONT_NAME, bold=True)
    for r, row in enumerate(rows):
        lines = max((wrapped_lines(value, widths[c] if c < len(widths) else DEFAULT_WIDTH, bold=r == 0)
                     for c, value in enumerate(row)
                     if isinstance(value, str) and (r == 0 or c in wrap)), default=1)  # fmt: skip
        if r == 0:  # a frozen header taller than this would fill the screen
            lines = min(lines, HEAD_LINES)
        if lines > 1:  # neither Excel nor LibreOffice sizes the rows of a file it did not write
            ws.row_dimensions[r + 1].height = lines * line_height()
        cells: list[Any] = []
        for c, value in enumerate(row):
            if r == 0 or not (value is None or type(value) in (int, float)):
                cell = WriteOnlyCell(ws)
                set_cell(cell, value)
                if r == 0:
                    cell.font = bold
                    cell.alignment = HEAD
                elif c in wrap:
                    cell.alignment = WRAP
                elif counts_from is not None and c >= counts_from:
                    cell.alignment = RIGHT
                value = cell
            cells.append(value)
        ws.append(cells)




def _place(source: dict[str, Any]) -> list[Any]:
    return [source["file"], source["sheet"], source["row"]]


def workbook(guide: Guide, doc: dict[str, Any], lang: str) -> Workbook:
    """The workbook of a scores document."""
    wb = Workbook(write_only=True)
    _fill(wb, guide, doc, lang)
    return wb


def _fill(wb: Workbook, guide: Guide, doc: dict[str, Any], lang: str) -> None:
    t = lambda key: ui(lang, key)  # noqa: E731
    names = form_level_scores(guide)
    items = guide.items_by_name()
    ws = wb.create_sheet(t("submissions"))
    head = [t("instance_id"), t("file"), t("sheet"), t("row"), t("form_version"), t("issue_count"),
            t("from_export")]  # fmt: skip
    label = lambda n: guide.text(items[n].label, lang) or n  # noqa: E731
    words = _result_words(guide, names, lang)
    rows = (
        [sub["instance_id"], *_place(sub["source"]), sub["form_version"], len(sub["issues"]),
         "; ".join(label(n) for n in sub.get("from_export") or ()),
         *(_in_words(sub["scores"].get(n), words.get(n)) for n in names)] for sub in doc["submissions"]
    )  # fmt: skip
    head += [label(n) for n in names]
    _rows(ws, chain([head], _capped(rows, EXCEL_MAX_ROWS - 2, "scores.csv", lang)),
          [40, 30, 14, 6, 14, 10, 24, *(_words_width(words.get(n)) for n in names)], fit=False,
          wrap={len(head) - len(names) + i for i, n in enumerate(names) if n in words})  # fmt: skip
    _rights_sheet(wb.create_sheet(t("rights")), doc, lang)
    groups = wb.create_sheet(t("groups"))
    summary_groups = doc["summary"]["groups"]
    if summary_groups:
        _rows(groups, [[t("group"), t("records"), t("negative_records")]]
              + [[g["label"], g["records"], g["negative_records"]] for g in summary_groups], [40, 14, 16])  # fmt: skip
    else:
        _rows(groups, [[t("no_groups")]])
    head = [t("instance_id"), t("file"), t("sheet"), t("row"), t("field"), t("message")]
    issues = (
        [sub["instance_id"], *_place(i["source"]), i["field"], i["message"]]
        for sub in doc["submissions"]
        for i in sub["issues"]
    )
    _rows(wb.create_sheet(t("issues")), chain([head], _capped(issues, LISTED_ROWS, "issues.csv", lang)),
          [40, 30, 14, 6, 20, 80], wrap={5})  # fmt: skip
    head = [t("file"), t("sheet"), t("row"), t("instance_id"), t("reason")]
    rejected = ([*_place(r["source"]), r["instance_id"], r["reason"]] for r in doc["rejected"])
    _rows(wb.create_sheet(t("rejected")),
          chain([head], _capped(rejected, LISTED_ROWS, "rejected.csv", lang)), [30, 14, 6, 40, 80],
          wrap={4})  # fmt: skip
    _rows(wb.create_sheet(t("notes")), [[t("note")]] + [[n] for n in doc["notes"]], [100], wrap={0})
    if doc.get("consultations"):
        _consultations_sheet(wb.create_sheet(t("consultations")), guide, doc, lang)


def _result_words(guide: Guide, names: list[str], lang: str) -> dict[str, dict[str, str]]:
    """For each score whose values are the choices of a list (`result_list`), each choice's
    label in lang: a reader of the sheet sees "Par traité", not "treaty" (scores.csv and
    scores.json keep the choice names)."""
    items = guide.items_by_name()
    words: dict[str, dict[str, str]] = {}
    for name in names:
        result_list = guide.lists.get(items[name].result_list or "")
        if result_list is not None:
            words[name] = {c.name: guide.text(c.label, lang) or c.name for c in result_list.choices}
    return words


def _words_width(words: dict[str, str] | None) -> int:
    """A score column's width: 16, or room for its longest value in words, up to 30 (longer
    ones wrap)."""
    return min(30, max([16, *(len(w) + 2 for w in (words or {}).values())]))


def _in_words(value: Any, words: dict[str, str] | None) -> Any:
    return words.get(value, value) if words and isinstance(value, str) else value


def _consultations_sheet(ws: Worksheet, guide: Guide, doc: dict[str, Any], lang: str) -> None:
    """The consultation counts of consultations/counts.csv, in words (hidden counts "<5")."""
    from .consultation_out import count_rows, group_label

    t = lambda key: ui(lang, key)  # noqa: E731
    header, *rows = count_rows(guide, doc, lang)
    groups = header[6:]
    head = [t("measure"), t("kind"), t("what"), t("people"),
            *(t("no_group") if g == "no group" else group_label(guide, g, lang) for g in groups)]  # fmt: skip
    body = [[row[1], t("kind_" + row[2]), row[4] or t("kind_consulted"), *row[5:]] for row in rows]
    _rows(ws, [head, *body, [], [t("hidden_note")]], [14, 34, 45, 10, *([13] * len(groups))],
          wrap={1, 2}, counts_from=3)


def _rights_sheet(ws: Worksheet, doc: dict[str, Any], lang: str) -> None:
    rights = doc["summary"]["rights"]
    measures = [m for m in RIGHT_MEASURES if m in doc["summary"]["measures"]]
    rows = [[ui(lang, "right"), *(ui(lang, m) for m in measures)]]
    rows += [[r["label"], *(r[m] for m in measures)] for r in rights]
    _rows(ws, rows, [45] + [16] * len(measures), wrap={0})
    if not rights:
        return
    last = len(rights) + 1
    labels = Reference(ws, min_col=1, min_row=2, max_row=last)
    anchor_row = 2

    def chart(title: str, columns: list[int]) -> None:
        nonlocal anchor_row
        bar = BarChart()
        bar.type = "bar"
        bar.title = title
        bar.height = max(7.5, 0.6 * len(rights) + 3)
        bar.width = 18
        for column in columns:
            bar.add_data(
                Reference(ws, min_col=column, min_row=1, max_row=last), titles_from_data=True
            )
        bar.set_categories(labels)
        ws.add_chart(bar, f"{get_column_letter(len(measures) + 3)}{anchor_row}")
        anchor_row += int(bar.height * 2) + 2

    if "worst_severity" in measures:
        chart(ui(lang, "worst_chart"), [measures.index("worst_severity") + 2])
    counts = [
        measures.index(m) + 2 for m in ("negative_records", "positive_records") if m in measures
    ]
    if counts:
        chart(ui(lang, "counts_chart"), counts)


def write_xlsx(guide: Guide, doc: dict[str, Any], out_dir: Path, lang: str) -> Path:
    """Write scores.xlsx atomically; return its path."""
    path = out_dir / "scores.xlsx"
    with discarded_on_error(Workbook(write_only=True)) as wb:
        _fill(wb, guide, doc, lang)
        save_workbook(wb, path)
    return path
