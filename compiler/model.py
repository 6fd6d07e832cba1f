"""The in-memory guide: one checked model that every emitter and the scorer read.

Built by `loader.load_guide` from the source files. Text is kept as `Text` (English source plus
a translation context); `Guide.text(t, lang)` gives it in any language of the guide.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .diagnostics import Location
from .expressions.ast import Node


@dataclass(frozen=True)
class Text:
    """A translatable string: English source, a stable gettext context, and template parameters
    (`{label}` in a for_each template is filled with a choice label in the same language)."""

    source: str
    context: str
    params: tuple[tuple[str, Text], ...] = ()


@dataclass(frozen=True)
class Language:
    code: str
    name: str

    @property
    def xlsform(self) -> str:
        """The XLSForm column suffix, e.g. 'Français (fr)'."""
        return f"{self.name} ({self.code})"


@dataclass
class Choice:
    name: str
    label: Text
    dont_know: bool = False


@dataclass
class ChoiceList:
    name: str
    choices: list[Choice]
    location: Location

    def names(self) -> list[str]:
        return [c.name for c in self.choices]

    def get(self, name: str) -> Choice | None:
        return next((c for c in self.choices if c.name == name), None)

    @property
    def numeric(self) -> bool:
        """True when every non-don't-know name is a number (e.g. a 1-5 scale)."""
        names = [c.name for c in self.choices if not c.dont_know]
        return bool(names) and all(_is_number(n) for n in names)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class Table:
    name: str
    description: str
    rows: dict[str, list[str]]
    keys_list: str | None
    values_list: str | None
    location: Location

    def keys_for(self, value: str) -> list[str]:
        """Keys whose row lists value."""
        return [key for key, values in self.rows.items() if value in values]


@dataclass
class Expression:
    """An expression as written, where it stands, and its syntax tree (None if it did not parse)."""

    text: str
    location: Location
    tree: Node | None = None


@dataclass
class Item:
    """A question, note, calculate, score, group or repeat in the expanded guide."""

    name: str
    type: str
    location: Location
    label: Text | None = None
    hint: Text | None = None
    intro: Text | None = None
    list_name: str | None = None
    required: bool = False
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text | None = None
    default: str | None = None
    read_only: bool = False
    lines: int | None = None
    sensitive: bool = False  # the answer can identify people: never in reports or scores.xlsx
    formula: Expression | None = None
    description: Text | None = None
    missing: Text | None = None
    result_list: str | None = None
    base: str | None = None  # an index's base: the score counting what it was computed from
    min_records: int | None = None
    code: str | None = None  # numbering code of a section
    number: str | None = None  # e.g. "5.3"; questions only
    children: list[Item] = field(default_factory=list)
    parent: Item | None = field(default=None, repr=False)
    field_locations: dict[str, Location] = field(default_factory=dict, repr=False)

    def at(self, field_name: str) -> Location:
        """Where one field of the item is written, or the item itself."""
        return self.field_locations.get(field_name, self.location)

    @property
    def is_container(self) -> bool:
        return self.type in ("group", "repeat")

    @property
    def is_question(self) -> bool:
        return self.type in ("text", "integer", "decimal", "date", "select_one", "select_multiple")

    @property
    def is_computed(self) -> bool:
        return self.type in ("calculate", "score")

    def walk(self) -> Iterator[Item]:
        """This item and everything inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator[Item]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def repeat(self) -> Item | None:
        """The innermost repeat this item is in (itself excluded)."""
        return next((a for a in self.ancestors() if a.type == "repeat"), None)

    @property
    def xpath(self) -> str:
        """Absolute XForm path, e.g. /data/step5/impacts/severity."""
        parts = [a.name for a in reversed(list(self.ancestors()))] + [self.name]
        return "/data/" + "/".join(parts)

    def expressions(self) -> Iterator[tuple[str, Expression]]:
        for attr in ("relevant", "constraint", "formula"):
            expr = getattr(self, attr)
            if expr is not None:
                yield attr, expr


@dataclass
class TallyList:
    """Items made from one for_each template: `item` with {item} standing for each choice of
    `list_name`; `counted` is the answer counted (None: a score counted when it is 1)."""

    list_name: str
    item: str
    counted: str | None = None

    def names(self, guide: Guide) -> dict[str, str]:
        """The item name of each choice of the list, by choice name."""
        choices = guide.lists[self.list_name].names() if self.list_name in guide.lists else []
        return {c: self.item.replace("{item}", c) for c in choices}


@dataclass
class Tally:
    """What the importer counts of a form's submissions, per measure (the consultation)."""

    measure: str
    include: Expression | None
    groups: str | None
    reported: TallyList
    experiences: TallyList | None
    location: Location


@dataclass
class Guide:
    """The whole guide: metadata, answer lists, tables, the item tree and lookups."""

    form_id: str
    title: Text
    version: str
    default_language: str
    languages: list[Language]
    instance_name: Expression | None
    lists: dict[str, ChoiceList]
    tables: dict[str, Table]
    sections: list[Item]
    source_dir: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> context -> text
    # The other forms of the same source (e.g. the consultation): each a Guide sharing these
    # lists, tables, languages and translations. Only the main form holds them.
    other_forms: list[Guide] = field(default_factory=list, repr=False)
    tally: Tally | None = None  # what is counted of this form per measure, if anything

    def all_forms(self) -> list[Guide]:
        """This form and every other form of its source, the main form first."""
        return [self, *self.other_forms]

    def form(self, form_id: str) -> Guide:
        """The form of this source with that id."""
        for form in self.all_forms():
            if form.form_id == form_id:
                return form
        from .diagnostics import UserError

        known = ", ".join(f.form_id for f in self.all_forms())
        raise UserError(f"unknown form '{form_id}'; this guide has: {known}")

    def walk(self) -> Iterator[Item]:
        """Every item in document order."""
        for section in self.sections:
            yield from section.walk()

    def items_by_name(self) -> dict[str, Item]:
        """Items by name (the first one where a name is duplicated; the checker reports those)."""
        out: dict[str, Item] = {}
        for item in self.walk():
            out.setdefault(item.name, item)
        return out

    def scores(self) -> list[Item]:
        return [i for i in self.walk() if i.type == "score"]

    def questions(self) -> list[Item]:
        return [i for i in self.walk() if i.is_question]

    def repeats(self) -> list[Item]:
        return [i for i in self.walk() if i.type == "repeat"]

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        known = ", ".join(lang.code for lang in self.languages)
        from .diagnostics import UserError

        raise UserError(f"unknown language '{code}'; this guide has: {known}")

    def translate(self, text: Text, lang: str) -> str | None:
        """Text in lang, or None when that translation is missing (English always exists)."""
        if lang == self.default_language:
            base: str | None = text.source
        else:
            base = self.translations.get(lang, {}).get(text.context)
        if base is None:
            return None
        for key, value in text.params:
            inner = self.translate(value, lang)
            if inner is None:
                return None
            base = base.replace("{" + key + "}", inner)
        return base

    def text(self, text: Text | None, lang: str) -> str:
        """Text in lang, falling back to English where the translation is missing.

        Missing translations are reported by `rightguide check` and `rightguide translations`;
        outputs never show a blank."""
        if text is None:
            return ""
        found = self.translate(text, lang)
        return found if found is not None else (self.translate(text, self.default_language) or "")
