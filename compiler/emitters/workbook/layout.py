"""Where everything lives in a workbook: the sheet, row and column of every answer cell,
relevance cell, value cell, score and repeat-table column. No formulas here (see cells.py).

Questions sheet: A number, B question, C answer (the only unlocked column), D check, E help,
F (hidden) the value as expressions see it (choice names, '' when the question does not
apply), G (hidden) whether the row applies. A select_multiple question has one row per option
with a yes/no answer cell. Repeat sheets: a title row, a hidden key row of field names, a
header row, then prepared rows; answer columns first, then check and computed columns, then
hidden columns (record present, one value column per field, aggregate helpers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ...diagnostics import UserError
from ...model import Choice, Guide, Item
from .phrases import WorkbookPhrases

ROW = "#ROW#"  # stands for the current data row in per-row formulas
MIN_TABLE_ROWS = 30  # prepared rows of a repeat table when its min_records asks for fewer
Q_FIRST_ROW = 3
Q_NUMBER, Q_TEXT, Q_ANSWER, Q_CHECK, Q_HELP, Q_VALUE, Q_RELEVANT = 1, 2, 3, 4, 5, 6, 7
T_TITLE_ROW, T_KEY_ROW, T_HEADER_ROW, T_FIRST_ROW = 1, 2, 3, 4
S_FIRST_ROW = 3
S_LABEL, S_VALUE, S_MEANING, S_DESCRIPTION, S_FORMULA, S_MISSING, S_RELEVANT, S_EFFECTIVE, S_CODE = (
    1, 2, 3, 4, 5, 6, 7, 8, 9,
)
LISTS_SHEET = "lists"
CALC_SHEET = "calc"
META_SHEET = "meta"
YES_NO_LIST = "_yes_no"
_INVALID_SHEET_CHARS = re.compile(r"[\[\]\*\?:/\\]")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*)$")


def quote_sheet(sheet: str) -> str:
    """A sheet name as it stands before '!' in a formula."""
    return "'" + sheet.replace("'", "''") + "'"


def absolute(sheet: str, col: int, row: int) -> str:
    """An absolute cell reference, e.g. 'Questions'!$F$12."""
    return f"{quote_sheet(sheet)}!${get_column_letter(col)}${row}"


def per_row(sheet: str, col: int) -> str:
    """A cell of the current data row (row left relative for conditional formats)."""
    return f"{quote_sheet(sheet)}!${get_column_letter(col)}{ROW}"


def defined_name(name: str) -> str:
    """The Excel defined name of a guide name: the name itself, or '_' + name where Excel would
    read it as a cell reference (e.g. 'q1')."""
    return "_" + name if _CELL_LIKE.match(name) else name


@dataclass
class QuestionRow:
    """One row of the questions sheet: a section/group/repeat heading, a note, a question, or
    an option of a select_multiple question."""

    row: int
    kind: str  # 'section', 'group', 'repeat', 'note', 'question', 'option'
    item: Item
    choice: Choice | None = None


@dataclass
class TableColumn:
    """A column of a repeat table: an answer (option set for a select_multiple option), a
    computed field, or hidden machinery."""

    col: int
    kind: str  # 'answer', 'check', 'computed', 'present', 'value', 'helper'
    item: Item | None = None
    choice: Choice | None = None
    formula: str = ""  # per-row formula with ROW, for hidden and computed columns

    @property
    def key(self) -> str:
        """The key-row text: field name, or field/option for a select_multiple option."""
        if self.item is None:
            return f"_{self.kind}{self.col}"
        if self.choice is not None:
            return f"{self.item.name}/{self.choice.name}"
        return self.item.name if self.kind in ("answer", "computed") else f"_{self.kind}:{self.item.name}"


@dataclass
class RepeatTable:
    """The sheet of one repeat: its columns and prepared rows."""

    item: Item
    sheet: str
    rows: int
    columns: list[TableColumn] = field(default_factory=list)
    helpers: dict[str, TableColumn] = field(default_factory=dict)  # per-row formula -> column

    @property
    def last_row(self) -> int:
        return T_FIRST_ROW + self.rows - 1

    def answer_columns(self) -> list[TableColumn]:
        return [c for c in self.columns if c.kind == "answer"]

    def column(self, kind: str, item: Item | None = None) -> TableColumn:
        return next(c for c in self.columns if c.kind == kind and c.item is item)

    def add(self, kind: str, item: Item | None = None, choice: Choice | None = None) -> TableColumn:
        column = TableColumn(len(self.columns) + 2, kind, item, choice)  # column A: row number
        self.columns.append(column)
        return column


def score_value_col(item: Item) -> int:
    """The scores-sheet column holding a score's value: S_VALUE, or, for a score whose result
    is a choice name, the hidden S_CODE (S_VALUE then shows the choice's label)."""
    return S_CODE if item.result_list else S_VALUE


@dataclass
class ComputedCell:
    """A calculation or score outside repeats: its sheet and row (value in S_VALUE / B, or
    S_CODE, see score_value_col)."""

    item: Item
    sheet: str
    row: int


@dataclass
class Layout:
    """Every place in one language's workbook."""

    lang: str
    phrases: WorkbookPhrases
    questions_sheet: str
    scores_sheet: str
    dashboard_sheet: str
    instructions_sheet: str
    question_rows: list[QuestionRow] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)  # question/group/repeat -> its row
    option_rows: dict[str, list[QuestionRow]] = field(default_factory=dict)
    tables: dict[str, RepeatTable] = field(default_factory=dict)
    computed: dict[str, ComputedCell] = field(default_factory=dict)
    list_columns: dict[str, int] = field(default_factory=dict)  # list name -> its name column

    def list_range(self, list_name: str, labels: bool, size: int) -> str:
        """The range of a choice list's names (or labels) on the lists sheet."""
        col = self.list_columns[list_name] + (1 if labels else 0)
        letter = get_column_letter(col)
        return f"{quote_sheet(LISTS_SHEET)}!${letter}$2:${letter}${size + 1}"


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters at most) made of a label."""
    base = _INVALID_SHEET_CHARS.sub("_", " ".join(text.split())).replace("'", "’") or "Table"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def table_rows(repeat: Item) -> int:
    """Prepared rows of a repeat table: its min_records, and never fewer than MIN_TABLE_ROWS."""
    return max(repeat.min_records or 0, MIN_TABLE_ROWS)


def plan_layout(guide: Guide, lang: str) -> Layout:
    """Place every question, option, repeat column and computed value of the guide."""
    phrases = WorkbookPhrases(lang)
    taken = {LISTS_SHEET, CALC_SHEET, META_SHEET}
    names = [
        sheet_title(phrases.say(key), taken)
        for key in ("sheet_instructions", "sheet_questions", "sheet_scores", "sheet_dashboard")
    ]
    layout = Layout(lang, phrases, names[1], names[2], names[3], names[0])
    row = Q_FIRST_ROW
    calc_row = 1
    score_row = S_FIRST_ROW
    for item in guide.walk():
        if item.repeat is not None:
            if item.type == "repeat":
                raise UserError(
                    f"{item.location}: repeat '{item.name}' is inside repeat "
                    f"'{item.repeat.name}'; workbooks support one level of repeats: move it out"
                )
            continue
        if item.type == "repeat":
            layout.tables[item.name] = _plan_table(guide, item, sheet_title(
                guide.text(item.label, lang) or item.name, taken))
        if item.type in ("group", "repeat") or item.is_question or item.type == "note":
            kind = item.type if item.type in ("group", "repeat", "note") else "question"
            if item.type == "group" and item.parent is None:
                kind = "section"
            layout.question_rows.append(QuestionRow(row, kind, item))
            layout.row_of[item.name] = row
            row += 1
            if item.type == "select_multiple" and item.list_name in guide.lists:
                options = []
                for choice in guide.lists[item.list_name].choices:
                    options.append(QuestionRow(row, "option", item, choice))
                    row += 1
                layout.question_rows.extend(options)
                layout.option_rows[item.name] = options
        elif item.type == "score":
            layout.computed[item.name] = ComputedCell(item, layout.scores_sheet, score_row)
            score_row += 1
        elif item.type == "calculate":
            layout.computed[item.name] = ComputedCell(item, CALC_SHEET, calc_row)
            calc_row += 1
    col = 1
    for name in [*guide.lists, YES_NO_LIST]:
        layout.list_columns[name] = col
        col += 2
    return layout


def _plan_table(guide: Guide, repeat: Item, sheet: str) -> RepeatTable:
    table = RepeatTable(repeat, sheet, table_rows(repeat))
    fields = [c for c in repeat.walk() if c.repeat is repeat and c.is_question]
    for f in fields:
        if f.type == "select_multiple" and f.list_name in guide.lists:
            for choice in guide.lists[f.list_name].choices:
                table.add("answer", f, choice)
        else:
            table.add("answer", f)
    if any(f.constraint is not None and f.constraint.tree is not None for f in fields):
        table.add("check")
    for c in repeat.walk():
        if c.repeat is repeat and c.is_computed:
            table.add("computed", c)
    table.add("present")
    for f in fields:
        table.add("value", f)
    return table
