"""Load guide_source/ into the in-memory model, collecting every problem with its place.

Shape errors come from the pydantic source models; `for_each` templates are expanded here;
expressions are parsed here. Meaning is checked by `checker.check_guide`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostics, GuideInvalid, Location, UserError
from .expressions import ExpressionError, parse
from .model import (
    Choice,
    ChoiceList,
    Expression,
    Guide,
    Item,
    Language,
    Table,
    Tally,
    TallyList,
    Text,
)
from .source_model import IDENTIFYING_TYPES, ChoicesFile, GuideFile, SectionFile, TablesFile
from .source_model import Tally as TallySpec
from .source_model import TallyList as TallyListSpec
from .yaml_positions import PathKey, PositionedYaml, load_yaml

GUIDE_FILE = "guide.yaml"
TEXT_FIELDS = ("label", "hint", "intro", "constraint_message", "description", "missing")
EXPR_FIELDS = ("relevant", "constraint", "formula")


def _validate(doc: PositionedYaml, model: type[BaseModel], diags: Diagnostics) -> Any:
    if not isinstance(doc.data, dict):
        diags.error(Location(doc.file, 1, 1), _not_a_mapping(doc.data, model))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            # drop pydantic's union/tag segments that are not document keys
            path = tuple(p for p in loc if isinstance(p, int) or not str(p).startswith("function-"))
            where = doc.location(path)
            message = err["msg"]
            if err["type"] in ("model_type", "dict_type"):
                message = f"should be fields (name: value lines), not {_kind(err['input'])}"
            elif err["type"] == "list_type":
                message = f"should be a list (lines starting with '- '), not {_kind(err['input'])}"
            elif err["type"] == "extra_forbidden":
                message = f"unknown field '{path[-1]}'"
            elif err["type"] == "missing":
                message = f"missing field '{path[-1]}'"
                where = doc.location(path[:-1], _dotted(path))
            elif (refused := _identifying_type(doc, path, err["input"])) is not None:
                where, message = refused
            diags.error(where, message)
        return None


def _identifying_type(doc: PositionedYaml, path: tuple, value: Any) -> tuple[Location, str] | None:
    """The place and the one message for an item whose type would collect location, photos,
    audio, files or the phone's details (see IDENTIFYING_TYPES); None for any other error."""
    collects = IDENTIFYING_TYPES.get(str(value).strip().lower()) if path[-1:] == ("type",) else None
    if collects is None:
        return None
    item: Any = doc.data
    for part in path[:-1]:
        item = item[part]
    name = item.get("name") if isinstance(item, dict) else None
    place = f"item '{name}'" if isinstance(name, str) else _dotted(path[:-1]) or "item"
    return doc.location(path, place), (
        f"type '{value}' collects {collects}; the guide format collects no location, photos, "
        "audio, files or phone details, so that answers stay anonymous; remove the item or ask "
        "for a text question"
    )


def _kind(value: Any) -> str:
    """What a YAML value is, in words."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, list):
        return "a list (lines starting with '- ')"
    if isinstance(value, dict):
        return "fields (name: value lines)"
    return f"the plain value '{str(value)[:40]}'"


def _not_a_mapping(data: Any, model: type[BaseModel]) -> str:
    """The one line for a file whose top is not fields, naming the fields it needs."""
    needed = [name for name, spec in model.model_fields.items() if spec.is_required()]
    fields = ", ".join(f"'{name}:'" for name in needed)
    if data is None:
        return f"the file is empty; it should hold the fields {fields} (see guide_source/README.md)"
    return (f"the file holds {_kind(data)}, not fields; it should hold the fields {fields} "
            "(see guide_source/README.md)")  # fmt: skip


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Loader:
    def __init__(self, source_dir: Path, diags: Diagnostics) -> None:
        self.dir = source_dir
        self.diags = diags
        self.lists: dict[str, ChoiceList] = {}
        self.tables: dict[str, Table] = {}
        self.templates: dict[str, Location] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.dir.parent))
        except ValueError:
            return str(path)

    def load_doc(self, name: str) -> PositionedYaml:
        path = self.dir / name
        if name == GUIDE_FILE and not path.is_file():
            raise UserError(
                f"{self.rel(path)}: not found (looked in {self.dir.absolute()}); run rightguide "
                "in the project folder, or give --source the folder that holds guide.yaml"
            )
        if not path.is_file():
            raise UserError(f"{self.rel(path)}: file not found (named in {GUIDE_FILE})")
        return load_yaml(path, self.rel(path))

    def load(self) -> Guide | None:
        root = self.load_doc(GUIDE_FILE)
        meta: GuideFile | None = _validate(root, GuideFile, self.diags)
        if meta is None:
            return None
        self.load_choices(meta.choices)
        if meta.tables:
            self.load_tables(meta.tables)
        languages = [Language(lang.code, lang.name) for lang in meta.form.languages]
        guide = self.form(
            root, ("form",), meta.form.id, Text(meta.form.title, "form.title"), meta.form.version,
            meta.form.instance_name, meta.content, meta.form.default_language, languages,
        )
        for index, other in enumerate(meta.forms):
            form = self.form(
                root, ("forms", index), other.id, Text(other.title, f"forms.{other.id}.title"),
                other.version, other.instance_name, other.content, meta.form.default_language,
                languages,
            )  # fmt: skip
            if other.tally is not None:
                form.tally = self.tally(other.tally, root, ("forms", index, "tally"))
            guide.other_forms.append(form)
        return guide

    def tally(self, spec: TallySpec, root: PositionedYaml, path: PathKey) -> Tally:
        def listed(part: TallyListSpec) -> TallyList:
            return TallyList(part.list, part.item, part.counted)

        include = self.expression(spec.include, root, path + ("include",)) if spec.include else None
        experiences = listed(spec.experiences) if spec.experiences else None
        return Tally(spec.measure, include, spec.groups, listed(spec.reported), experiences,
                     root.location(path))  # fmt: skip

    def form(
        self, root: PositionedYaml, path: PathKey, form_id: str, title: Text, version: str,
        instance_text: str | None, content: list[str], default_language: str,
        languages: list[Language],
    ) -> Guide:  # fmt: skip
        """One form: its content files loaded over the shared lists and tables, numbered."""
        sections: list[Item] = []
        for name in content:
            doc = self.load_doc(name)
            section: SectionFile | None = _validate(doc, SectionFile, self.diags)
            if section is None:
                continue
            items = self.build(doc.data, (), doc, None, {})
            if items:
                items[0].code = section.code
                sections.append(items[0])
        instance_name = None
        if instance_text:
            instance_name = self.expression(instance_text, root, path + ("instance_name",))
        guide = Guide(
            form_id=form_id,
            title=title,
            version=version,
            default_language=default_language,
            languages=languages,
            instance_name=instance_name,
            lists=self.lists,
            tables=self.tables,
            sections=sections,
            source_dir=str(self.dir),
        )
        _number(guide)
        return guide

    def load_choices(self, name: str) -> None:
        doc = self.load_doc(name)
        parsed: ChoicesFile | None = _validate(doc, ChoicesFile, self.diags)
        if parsed is None:
            return
        for list_name, choices in parsed.lists.items():
            self.lists[list_name] = ChoiceList(
                list_name,
                [
                    Choice(c.name, Text(c.label, f"choices.{list_name}.{c.name}"), c.dont_know)
                    for c in choices
                ],
                doc.location(("lists", list_name)),
            )
            seen: set[str] = set()
            for index, choice in enumerate(choices):
                if choice.name in seen:
                    self.diags.error(
                        doc.location(("lists", list_name, index, "name")),
                        f"duplicate choice name '{choice.name}' in list '{list_name}'",
                    )
                seen.add(choice.name)

    def load_tables(self, name: str) -> None:
        doc = self.load_doc(name)
        parsed: TablesFile | None = _validate(doc, TablesFile, self.diags)
        if parsed is None:
            return
        for table_name, table in parsed.tables.items():
            self.tables[table_name] = Table(
                table_name,
                table.description,
                table.rows,
                table.keys,
                table.values,
                doc.location(("tables", table_name)),
            )

    def _register_template(self, name: str, doc: PositionedYaml, path: PathKey) -> bool:
        """A for_each template's name is its translation context: it must hold {item} and be
        used once, or two templates would silently share their translations."""
        where = doc.location(path + ("name",))
        if "{item}" not in name:
            self.diags.error(where, f"for_each item '{name}' needs {{item}} in its name, e.g. '{name}_{{item}}'")
            return False
        first = self.templates.setdefault(name, where)
        if first is not where:
            self.diags.error(
                where,
                f"for_each name '{name}' is used twice (first at {first.file}:{first.line}): "
                "give each template its own name, or they would share translations",
            )
            return False
        return True

    def expression(self, text: str, doc: PositionedYaml, path: PathKey) -> Expression:
        expr = Expression(text, doc.value_location(path))
        try:
            expr.tree = parse(text)
        except ExpressionError as exc:
            where = doc.value_location(path, exc.column - 1)
            self.diags.error(where, f"{exc.message} (in '{text}')")
        return expr

    def build(
        self,
        raw: dict,
        path: PathKey,
        doc: PositionedYaml,
        parent: Item | None,
        subst: dict[str, str],
        params: tuple[tuple[str, Text], ...] = (),
        template_name: str | None = None,
    ) -> list[Item]:
        """Items for one raw item mapping: one, or one per choice when it has for_each."""
        for_each = raw.get("for_each")
        if for_each and not subst:
            list_name = for_each.get("list")
            choice_list = self.lists.get(list_name)
            if choice_list is None:
                self.diags.error(
                    doc.location(path + ("for_each", "list")),
                    f"for_each names unknown answer list '{list_name}'",
                )
                return []
            if not self._register_template(raw["name"], doc, path):
                return []
            out: list[Item] = []
            for choice in choice_list.choices:
                values = {"item": choice.name}
                for table_name, table in self.tables.items():
                    values[table_name] = "\0".join(table.keys_for(choice.name))
                out.extend(
                    self.build(raw, path, doc, parent, values, (("label", choice.label),), raw["name"])
                )
            return out
        name = _substitute(raw["name"], subst)
        context_name = template_name or raw["name"]
        item = Item(
            name=name,
            type=raw.get("type", "group"),
            location=doc.location(path + ("name",) if path else ("name",), _item_path(parent, name)),
            parent=parent,
        )
        for key in raw:
            item.field_locations[key] = doc.location(path + (key,), item.location.path)
        for field in TEXT_FIELDS:
            if raw.get(field) is not None:
                setattr(item, field, Text(str(raw[field]), f"{context_name}.{field}", params))
        for field in EXPR_FIELDS:
            if raw.get(field) is not None:
                text = _substitute(str(raw[field]), subst)
                setattr(item, field, self.expression(text, doc, path + (field,)))
        item.list_name = raw.get("list")
        item.result_list = raw.get("result_list")
        item.base = raw.get("base")
        item.required = bool(raw.get("required", False))
        item.read_only = bool(raw.get("read_only", False))
        item.default = _substitute(str(raw["default"]), subst) if raw.get("default") is not None else None
        item.lines = raw.get("lines")
        item.sensitive = bool(raw.get("sensitive", False))
        item.min_records = raw.get("min_records")
        for index, child in enumerate(raw.get("items") or []):
            item.children.extend(
                self.build(child, path + ("items", index), doc, item, subst, params,
                           _template_child(template_name, child) if subst else None)
            )
        return [item]


def _template_child(template_name: str | None, child: dict) -> str | None:
    return child.get("name") if template_name else None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z0-9_]*))?\}")
# {TABLE|pattern|separator}: the pattern once per key ($ = the key), joined by the separator
_PATTERN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\|([^|{}]*)\|([^|{}]*)\}")


def _substitute(text: str, values: dict[str, str]) -> str:
    """Fill {item}, {TABLE} / {TABLE:prefix} (the table's matching keys, each prefixed, joined
    by ', '; an empty list leaves nothing, and calls accept a trailing comma) and
    {TABLE|pattern|separator} (the pattern once per matching key, `$` standing for the key,
    joined by the separator; 0 when no key matches, so sums stay valid)."""
    if not values:
        return text

    def repeat(match: re.Match[str]) -> str:
        key, pattern, separator = match.groups()
        if key not in values or key == "item":
            return match.group(0)
        keys = [k for k in values[key].split("\0") if k]
        return separator.join(pattern.replace("$", k) for k in keys) if keys else "0"

    def fill(match: re.Match[str]) -> str:
        key, prefix = match.group(1), match.group(2) or ""
        if key not in values:
            return match.group(0)
        if key == "item":
            return values[key]
        keys = [k for k in values[key].split("\0") if k]
        return ", ".join(prefix + k for k in keys)

    # {item} first: a pattern may hold it
    return _PATTERN.sub(repeat, _PLACEHOLDER.sub(fill, text))


def _item_path(parent: Item | None, name: str) -> str:
    parts = [a.name for a in reversed(list(parent.ancestors()))] + [parent.name] if parent else []
    return ".".join(parts + [name])


def _number(guide: Guide) -> None:
    """Give every question a stable number: the section's code and its place in the section."""
    for section in guide.sections:
        count = 0
        for item in section.walk():
            if item.is_question:
                count += 1
                item.number = f"{section.code}.{count}"


def load_guide(source_dir: Path | str, diags: Diagnostics | None = None) -> Guide:
    """Load guide_source/ into a Guide; raise GuideInvalid when the shape is wrong.

    Meaning is not checked here: call `checker.check_guide` (or `load_checked_guide`)."""
    from .translations import load_translations

    own = diags if diags is not None else Diagnostics()
    source = Path(source_dir)
    guide = _Loader(source, own).load()
    if guide is None or own.errors:
        raise GuideInvalid(own)
    guide.translations = load_translations(source, guide, own)
    for other in guide.other_forms:
        other.translations = guide.translations  # one catalogue per language for every form
    return guide


def load_checked_guide(source_dir: Path | str, strict: bool = False) -> tuple[Guide, Diagnostics]:
    """Load and check the guide; raise GuideInvalid on errors (warnings too when strict)."""
    from .checker import check_guide

    diags = Diagnostics()
    guide = load_guide(source_dir, diags)
    check_guide(guide, diags)
    if diags.errors or (strict and diags.warnings):
        raise GuideInvalid(diags)
    return guide, diags


