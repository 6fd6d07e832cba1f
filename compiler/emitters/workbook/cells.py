"""The formula of every computed cell of a workbook, all rendered by the Excel target of the
expression language (compiler/expressions/excel.py); nothing here is written per question.

Value cells hold what an expression reads: select answers mapped from labels back to choice
names, dates as yyyy-mm-dd text, numbers as numbers, and '' when the question does not apply
(as JavaRosa reads a non-relevant node). Formulas are stored without the leading '='.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...diagnostics import UserError
from ...expressions.excel import ExcelGenerator, excel_string
from ...expressions.words import constraint_sentence
from ...model import Guide, Item
from .layout import (
    Q_ANSWER,
    Q_RELEVANT,
    Layout,
    RepeatTable,
    absolute,
    per_row,
)
from .resolver import WorkbookResolver, gated


@dataclass
class Formulas:
    """Formulas by place: questions-sheet cells by item name, computed values by name."""

    q_value: dict[str, str] = field(default_factory=dict)
    q_relevant: dict[str, str] = field(default_factory=dict)  # also groups and repeats
    q_check: dict[str, str] = field(default_factory=dict)
    computed: dict[str, str] = field(default_factory=dict)
    computed_relevant: dict[str, str] = field(default_factory=dict)
    row_relevant: dict[tuple[str, str], str] = field(default_factory=dict)  # (repeat, field)


def plan_formulas(guide: Guide, layout: Layout, resolver: WorkbookResolver) -> Formulas:
    """Every formula of the workbook; adds the helper columns aggregates need to the tables."""
    return _Planner(guide, layout, resolver).run()


class _Planner:
    def __init__(self, guide: Guide, layout: Layout, resolver: WorkbookResolver) -> None:
        self.guide = guide
        self.layout = layout
        self.resolver = resolver
        self.out = Formulas()
        self.yes = excel_string(layout.phrases.say("yes"))
        self.not_applicable = excel_string(layout.phrases.say("not_applicable"))

    def generator(self, repeat: str | None = None, current: str | None = None) -> ExcelGenerator:
        return ExcelGenerator(self.guide, self.resolver, repeat, current)

    def run(self) -> Formulas:
        for item in self.guide.walk():
            if item.repeat is not None:
                continue
            try:
                if item.name in self.layout.row_of:
                    self.top_question(item)
                elif item.name in self.layout.computed:
                    self.top_computed(item)
            except NotImplementedError as exc:
                raise UserError(f"{item.location}: '{item.name}' cannot be written as an Excel "
                                f"formula ({exc}); simplify the expression") from exc
        for table in self.layout.tables.values():
            self.table(table)
        return self.out

    # -- outside repeats ---------------------------------------------------------------------

    def relevance(self, item: Item) -> str:
        """The condition that item applies: its own skip rule and its container's."""
        parts = []
        parent = item.parent
        if parent is not None and gated(parent):
            parts.append(absolute(self.layout.questions_sheet, Q_RELEVANT, self.layout.row_of[parent.name]))
        if item.relevant is not None and item.relevant.tree is not None:
            parts.append(self.generator().condition(item.relevant.tree))
        if not parts:
            return "TRUE"
        return parts[0] if len(parts) == 1 else f"AND({','.join(parts)})"

    def top_question(self, item: Item) -> None:
        layout = self.layout
        row = layout.row_of[item.name]
        self.out.q_relevant[item.name] = self.relevance(item)
        if not item.is_question:
            return
        relevant = absolute(layout.questions_sheet, Q_RELEVANT, row)
        condition = relevant if gated(item) else "TRUE"
        if item.type == "select_multiple":
            answers = [
                absolute(layout.questions_sheet, Q_ANSWER, o.row) for o in layout.option_rows.get(item.name, [])
            ]
        else:
            answers = [absolute(layout.questions_sheet, Q_ANSWER, row)]
        self.out.q_value[item.name] = self.value(item, answers, condition)
        violated = self.violated(item, None)
        check = f'IF({violated},{self.message(item)},"")' if violated else '""'
        if gated(item):
            check = f"IF(NOT({relevant}),{self.not_applicable},{check})"
        if check != '""':
            self.out.q_check[item.name] = check

    def value(self, item: Item, answers: list[str], condition: str) -> str:
        """The value expressions read of a question whose answer cells are `answers`."""
        a = answers[0] if answers else '""'
        if item.type == "select_one" and item.list_name in self.guide.lists:
            size = len(self.guide.lists[item.list_name].choices)
            names = self.layout.list_range(item.list_name, False, size)
            labels = self.layout.list_range(item.list_name, True, size)
            inner = f'IFERROR(INDEX({names},MATCH({a},{labels},0)),{a}&"")'
        elif item.type == "select_multiple" and item.list_name in self.guide.lists:
            choices = self.guide.lists[item.list_name].choices
            parts = [
                f'IF({cell}={self.yes},{excel_string(" " + c.name)},"")'
                for cell, c in zip(answers, choices, strict=True)
            ]
            inner = f"MID({'&'.join(parts)},2,9999)" if parts else '""'
        elif item.type in ("integer", "decimal"):
            inner = f'IF(ISNUMBER({a}),{a},IF(ISBLANK({a}),"",IFERROR(VALUE({a}&""),{a}&"")))'
        elif item.type == "date":
            inner = (
                f'IF(ISNUMBER({a}),YEAR({a})&"-"&RIGHT("0"&MONTH({a}),2)&"-"&'
                f'RIGHT("0"&DAY({a}),2),{a}&"")'
            )
        else:
            inner = f'{a}&""'
        if condition == "TRUE":
            return inner
        return f'IF({condition},{inner},"")'

    def violated(self, item: Item, repeat: str | None) -> str | None:
        """The condition that the item's answer breaks its constraint (None without one)."""
        if item.constraint is None or item.constraint.tree is None:
            return None
        gen = self.generator(repeat, current=item.name)
        holds = gen.condition(item.constraint.tree)
        value = self.resolver.record_cell(repeat, item.name) if repeat else self.resolver.cell(item.name)
        return f'AND(LEN({value}&"")>0,NOT({holds}))'

    def message(self, item: Item) -> str:
        text = self.guide.text(item.constraint_message, self.layout.lang) if item.constraint_message else ""
        if not text:
            text = constraint_sentence(self.guide, item, self.layout.lang) or ""
        return excel_string(text)

    def top_computed(self, item: Item) -> None:
        if item.formula is None or item.formula.tree is None:
            self.out.computed[item.name] = '""'
            return
        self.out.computed[item.name] = self.generator().cell_formula(item.formula.tree)
        if gated(item):
            self.out.computed_relevant[item.name] = self.relevance(item)

    # -- repeat tables ---------------------------------------------------------------------------

    def row_relevance(self, repeat: Item, item: Item) -> str:
        """Condition, per row, that a field applies (its own and its in-repeat groups' rules)."""
        gen = self.generator(repeat.name)
        parts = [
            gen.condition(n.relevant.tree)
            for n in (item, *item.ancestors())
            if n is not repeat and n.repeat is repeat and n.relevant is not None and n.relevant.tree is not None
        ]
        if not parts:
            return "TRUE"
        return parts[0] if len(parts) == 1 else f"AND({','.join(reversed(parts))})"

    def table(self, table: RepeatTable) -> None:
        repeat = table.item
        answers = table.answer_columns()
        first = per_row(table.sheet, answers[0].col) if answers else None
        last = per_row(table.sheet, answers[-1].col).split("!", 1)[1] if answers else None
        present = f"COUNTA({first}:{last})>0" if answers else "FALSE"
        if gated(repeat):
            cell = absolute(self.layout.questions_sheet, Q_RELEVANT, self.layout.row_of[repeat.name])
            present = f"AND({cell},{present})"
        table.column("present").formula = present
        present_cell = self.resolver.record_present(repeat.name)
        checks = []
        for column in list(table.columns):
            item = column.item
            if column.kind == "value" and item is not None:
                rel = self.row_relevance(repeat, item)
                self.out.row_relevant[(repeat.name, item.name)] = rel
                cells = [per_row(table.sheet, c.col) for c in answers if c.item is item]
                condition = present_cell if rel == "TRUE" else f"AND({present_cell},{rel})"
                formula = self.value(item, cells, condition)
                if item.default is not None and item.type not in ("select_multiple", "date"):
                    formula = f'IF(AND({present_cell},{rel},ISBLANK({cells[0]})),{excel_string(item.default)},{formula})'
                column.formula = formula
                violated = self.violated(item, repeat.name)
                if violated:
                    checks.append(f'IF({violated},{self.message(item)}&" ","")')
            elif column.kind == "computed" and item is not None and item.formula and item.formula.tree:
                inner = self.generator(repeat.name).cell_formula(item.formula.tree)
                column.formula = f'IF({present_cell},{inner},"")'
        if checks:
            table.column("check").formula = f"TRIM({'&'.join(checks)})"
