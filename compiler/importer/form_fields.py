"""What readers need to know about a form: every field's name, group path, type, choices,
labels in every language, and repeat membership.

Made from the Guide model (`FormFields.from_guide`) or from any XForm file
(`FormFields.from_xform`), so readers can be tested on forms that are not the guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from ..diagnostics import UserError
from ..model import Guide, Item

QUESTION_TYPES = (
    "text", "integer", "decimal", "date", "datetime", "time", "select_one", "select_multiple",
    "geopoint", "other",
)  # fmt: skip
COMPUTED_TYPES = ("calculate", "score")
META_TYPES = ("start", "end", "today", "deviceid", "username", "phonenumber", "email", "audit")


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str]  # language code -> label


@dataclass
class FormField:
    """A field of the form (question, calculation, note, group or repeat)."""

    name: str
    type: str  # one of QUESTION_TYPES, COMPUTED_TYPES, META_TYPES, "note", "group", "repeat"
    path: tuple[str, ...]  # names of the enclosing groups and repeats, outermost first
    labels: dict[str, str] = field(default_factory=dict)  # language code -> label
    list_name: str | None = None
    repeat: str | None = None  # innermost enclosing repeat, None outside repeats
    choices: list[Choice] = field(default_factory=list)

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES

    @property
    def is_computed(self) -> bool:
        return self.type in COMPUTED_TYPES

    @property
    def is_container(self) -> bool:
        return self.type in ("group", "repeat")

    @property
    def xpath(self) -> str:
        return "/data/" + "/".join((*self.path, self.name))

    def label(self, lang: str) -> str:
        """Label in lang, or the name when the field has none (as Kobo's label headers do)."""
        return self.labels.get(lang) or self.name


@dataclass
class FormFields:
    """A form described for the readers."""

    form_id: str
    version: str
    titles: list[str]  # the title in every language (the default first)
    languages: list[str]  # language codes, the default first
    fields: dict[str, FormField]  # by name, document order; groups and repeats included
    guide: Guide | None = field(default=None, repr=False, compare=False)  # when made from one

    def in_table(self, repeat: str | None) -> list[FormField]:
        """Non-container fields whose innermost repeat is `repeat` (None: outside repeats)."""
        return [f for f in self.fields.values() if f.repeat == repeat and not f.is_container]

    def repeats(self) -> list[FormField]:
        return [f for f in self.fields.values() if f.type == "repeat"]

    def child_repeats(self, repeat: str | None) -> list[FormField]:
        """Repeats directly inside `repeat` (None: top-level repeats)."""
        return [f for f in self.repeats() if f.repeat == repeat]

    def group_labels(self, name: str, lang: str | None) -> str:
        """A container's label in lang (its name when lang is None or it has no label)."""
        node = self.fields[name]
        return node.name if lang is None else node.label(lang)

    # ------------------------------------------------------------------ from the guide

    @classmethod
    def from_guide(cls, guide: Guide) -> FormFields:
        """The fields of the guide's form, as the XLSForm emitter writes them."""
        codes = [guide.default_language] + [
            lang.code for lang in guide.languages if lang.code != guide.default_language
        ]

        def labels(text) -> dict[str, str]:
            if text is None:
                return {}
            return {code: guide.text(text, code) for code in codes}

        fields: dict[str, FormField] = {}

        def visit(item: Item, path: tuple[str, ...], repeat: str | None) -> None:
            kind = item.type
            choices: list[Choice] = []
            if item.list_name and item.list_name in guide.lists:
                choices = [
                    Choice(c.name, labels(c.label)) for c in guide.lists[item.list_name].choices
                ]
            fields.setdefault(
                item.name,
                FormField(
                    item.name, kind, path, labels(item.label), item.list_name, repeat, choices
                ),
            )
            if item.is_container:
                inner = (*path, item.name)
                inner_repeat = item.name if kind == "repeat" else repeat
                if item.intro is not None:
                    name = f"{item.name}_intro"
                    fields.setdefault(
                        name, FormField(name, "note", inner, labels(item.intro), None, inner_repeat)
                    )
                for child in item.children:
                    visit(child, inner, inner_repeat)

        for section in guide.sections:
            visit(section, (), None)
        titles = list(dict.fromkeys(guide.text(guide.title, code) for code in codes))
        return cls(guide.form_id, guide.version, titles, codes, fields, guide)

    # ------------------------------------------------------------------ from an XForm

    @classmethod
    def from_xform(cls, source: Path | str | bytes) -> FormFields:
        """Describe any XForm (pyxform output): instance tree, binds, body labels, itext
        translations and choice lists."""
        where = "XForm" if isinstance(source, bytes) else str(source)
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        root = parse_xml(data, where)
        return _XFormReader(root, where).read()


DOCTYPE_REFUSED = (
    "XML with a DOCTYPE is refused (a DTD or entities could read local files or expand "
    "without end); remove the DOCTYPE line"
)


class _PrologDone(Exception):
    """Raised by the expat handlers to stop at the DOCTYPE or the root element."""


def has_doctype(data: bytes) -> bool:
    """True when the XML declares a DOCTYPE, found with expat on the prolog alone (before any
    entity is declared or expanded); unreadable XML is left to the real parser to report."""
    found: list[bool] = []

    def doctype(*_args: object) -> None:
        found.append(True)
        raise _PrologDone

    def start(*_args: object) -> None:
        raise _PrologDone

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except (_PrologDone, expat.ExpatError, ValueError, LookupError):  # LookupError: encoding
        pass
    return bool(found)


# ODK Collect's serializer (kXML's KXmlSerializer) writes a control character of an answer as
# a character reference (&#11; for Word's vertical tab), which XML 1.0 forbids and libxml2
# refuses. `parse_xml` reads each as a noncharacter (U+FDD0 + its code: allowed in XML, kept
# for a program's internal use), and `control_text` turns the text's back into the control.
_CONTROL_REF = re.compile(rb"&#(?:([0-9]{1,8})|x([0-9A-Fa-f]{1,8}));")
_NOT_XML_CODES = frozenset((*range(0, 9), 11, 12, *range(14, 32)))
_CONTROL_BASE = 0xFDD0
_CONTROLS_BACK = {_CONTROL_BASE + code: code for code in _NOT_XML_CODES}


def _control_ref(match: re.Match[bytes]) -> bytes:
    digits, hexits = match.groups()
    code = int(digits) if digits else int(hexits, 16)
    if code in _NOT_XML_CODES:
        return b"&#x%X;" % (_CONTROL_BASE + code)  # a reference: right in any encoding
    return match.group()


def control_text(text: str) -> str:
    """Text of a document read by `parse_xml`, its control character references restored."""
    return text.translate(_CONTROLS_BACK)


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML safely: no entities, no DTD, no network; a DOCTYPE is refused before lxml
    sees the file, so neither external entities nor 'billion laughs' expansion can run.
    References to control characters are read as `control_text` restores them."""
    if has_doctype(data):
        raise UserError(f"{where}: {DOCTYPE_REFUSED}")
    if b"&#" in data:
        data = _CONTROL_REF.sub(_control_ref, data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True,
    )  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # lxml's message holds the place, and for an encoding a line break before it
        detail = " ".join((exc.msg or str(exc)).split()).replace(" ,", ",")
        if "encoding" in detail.lower():  # e.g. EBCDIC, or a name libxml2 does not know
            raise UserError(
                f"{where}: the XML is in an encoding that cannot be read ({detail}); "
                "save it as UTF-8"
            ) from None
        raise UserError(
            f"{where}: not well-formed XML ({detail}); check the file is complete"
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UserError(f"{where}: {DOCTYPE_REFUSED}")
    return root


def local(el: etree._Element) -> str:
    """An element's tag without namespace ('{uri}name' -> 'name'; a name holds no '}')."""
    return el.tag.rpartition("}")[2]


_LANG_CODE = re.compile(r"\(([A-Za-z][\w-]*)\)\s*$")
_ITEXT = re.compile(r"""jr:itext\(\s*['"]([^'"]+)['"]\s*\)""")
_INSTANCE = re.compile(r"""instance\(\s*['"]([^'"]+)['"]\s*\)""")
_BIND_TYPES = {
    "string": "text", "int": "integer", "integer": "integer", "decimal": "decimal",
    "date": "date", "dateTime": "datetime", "time": "time", "geopoint": "geopoint",
}  # fmt: skip


def lang_code(lang: str) -> str:
    """'Français (fr)' -> 'fr'; a language without a code keeps its whole name."""
    found = _LANG_CODE.search(lang)
    return found.group(1) if found else lang


class _XFormReader:
    def __init__(self, root: etree._Element, where: str) -> None:
        self.root = root
        self.where = where
        self.itext: dict[str, dict[str, str]] = {}  # id -> lang code -> text
        self.languages: list[str] = []

    def _all(self, name: str) -> list[etree._Element]:
        return [el for el in self.root.iter() if isinstance(el.tag, str) and local(el) == name]

    def read(self) -> FormFields:
        models = self._all("model")
        if local(self.root) != "html" or not models:
            raise UserError(f"{self.where}: not an XForm (no h:html root with a model)")
        model = models[0]
        self._read_itext(model)
        instances = [el for el in model if isinstance(el.tag, str) and local(el) == "instance"]
        primary = next((i for i in instances if not i.get("id")), None)
        data = (
            next((c for c in primary if isinstance(c.tag, str)), None)
            if primary is not None
            else None
        )
        if data is None:
            raise UserError(f"{self.where}: the XForm has no primary instance")
        secondary = {i.get("id"): i for i in instances if i.get("id")}
        binds = {
            b.get("nodeset"): b
            for b in model
            if isinstance(b.tag, str) and local(b) == "bind" and b.get("nodeset")
        }
        body = self._read_body()
        root_path = "/" + local(data)
        fields: dict[str, FormField] = {}

        def visit(el: etree._Element, path: tuple[str, ...], repeat: str | None) -> None:
            seen: set[str] = set()
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                name = local(child)
                if name in seen:
                    continue  # pyxform writes a repeat's template and a first instance
                seen.add(name)
                xpath = "/".join((root_path, *path, name))
                if not path and name == "meta":
                    continue  # instanceID, deprecatedID...: record metadata, not fields
                bind = binds.get(xpath)
                control, label_ref, itemset = body.get(xpath, (None, None, None))
                labels = self._labels(label_ref)
                has_children = any(isinstance(c.tag, str) for c in child)
                if (
                    child.get("{http://openrosa.org/javarosa}template") is not None
                    or control == "repeat"
                ):
                    kind = "repeat"
                elif has_children:
                    kind = "group"
                else:
                    kind = self._leaf_type(bind, control)
                list_name, choices = self._choices(itemset, secondary)
                fields.setdefault(
                    name, FormField(name, kind, path, labels, list_name, repeat, choices)
                )
                if kind in ("group", "repeat"):
                    visit(child, (*path, name), name if kind == "repeat" else repeat)

        visit(data, (), None)
        titles = [t.text or "" for t in self._all("title")][:1] or [data.get("id") or ""]
        return FormFields(
            data.get("id") or local(data), data.get("version") or "", titles,
            self.languages or [""], fields,
        )  # fmt: skip

    def _read_itext(self, model: etree._Element) -> None:
        for translation in model.iter():
            if not isinstance(translation.tag, str) or local(translation) != "translation":
                continue
            code = lang_code(translation.get("lang", ""))
            if translation.get("default"):
                self.languages.insert(0, code)
            else:
                self.languages.append(code)
            for text in translation:
                if not isinstance(text.tag, str) or local(text) != "text":
                    continue
                values = [
                    "".join(v.itertext())
                    for v in text
                    if isinstance(v.tag, str) and local(v) == "value" and not v.get("form")
                ]
                if values:
                    self.itext.setdefault(text.get("id", ""), {})[code] = values[0]

    def _read_body(self) -> dict[str, tuple[str, etree._Element | None, etree._Element | None]]:
        """xpath -> (control tag, label element, itemset or None) for every body control."""
        out: dict[str, tuple[str, etree._Element | None, etree._Element | None]] = {}
        bodies = self._all("body")
        if not bodies:
            return out
        for el in bodies[0].iter():
            if not isinstance(el.tag, str):
                continue
            ref = el.get("ref") or el.get("nodeset")
            tag = local(el)
            if not ref or tag in ("itemset", "value", "label", "hint"):
                continue
            label = next((c for c in el if isinstance(c.tag, str) and local(c) == "label"), None)
            items = [c for c in el if isinstance(c.tag, str) and local(c) in ("itemset", "item")]
            itemset = el if items else None
            previous = out.get(ref)
            if previous is not None and previous[1] is not None and label is None:
                out[ref] = (tag, previous[1], itemset)  # repeat inside a labelled group
            else:
                out[ref] = (tag, label, itemset)
        return out

    def _labels(self, label: etree._Element | None) -> dict[str, str]:
        if label is None:
            return {}
        ref = label.get("ref")
        if ref:
            found = _ITEXT.search(ref)
            return dict(self.itext.get(found.group(1), {})) if found else {}
        text = "".join(label.itertext()).strip()
        return {code: text for code in (self.languages or [""])} if text else {}

    @staticmethod
    def _leaf_type(bind: etree._Element | None, control: str | None) -> str:
        if bind is not None:
            preload = bind.get("{http://openrosa.org/javarosa}preload")
            params = bind.get("{http://openrosa.org/javarosa}preloadParams")
            if preload == "timestamp" and params in ("start", "end"):
                return params
            if preload == "date" and params == "today":
                return "today"
            if preload == "property" and params in META_TYPES:
                return params
            if bind.get("calculate") is not None and control is None:
                return "calculate"
        if control == "select1":
            return "select_one"
        if control == "select":
            return "select_multiple"
        if control == "trigger":
            return "note"
        if control is None:
            return "calculate" if bind is not None and bind.get("calculate") else "other"
        if bind is not None and bind.get("readonly") == "true()" and control == "input":
            bind_type = bind.get("type", "string")
            if bind_type == "string" and bind.get("calculate") is None:
                return "note"
        bind_type = bind.get("type", "string") if bind is not None else "string"
        return _BIND_TYPES.get(bind_type.split(":")[-1], "other")

    def _choices(
        self, control: etree._Element | None, secondary: dict[str, etree._Element]
    ) -> tuple[str | None, list[Choice]]:
        if control is None:
            return None, []
        for child in control:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "itemset":
                found = _INSTANCE.search(child.get("nodeset", ""))
                if not found or found.group(1) not in secondary:
                    return None, []
                list_name = found.group(1)
                return list_name, [
                    self._instance_choice(item) for item in secondary[list_name].iter()
                    if isinstance(item.tag, str) and local(item) == "item"
                ]  # fmt: skip
        inline = [c for c in control if isinstance(c.tag, str) and local(c) == "item"]
        choices = []
        for item in inline:
            value = next((c for c in item if isinstance(c.tag, str) and local(c) == "value"), None)
            label = next((c for c in item if isinstance(c.tag, str) and local(c) == "label"), None)
            choices.append(
                Choice((value.text or "") if value is not None else "", self._labels(label))
            )
        return (None, choices)

    def _instance_choice(self, item: etree._Element) -> Choice:
        parts = {local(c): c for c in item if isinstance(c.tag, str)}
        name = (parts["name"].text or "") if "name" in parts else ""
        if "itextId" in parts:
            return Choice(name, dict(self.itext.get(parts["itextId"].text or "", {})))
        if "label" in parts:
            text = parts["label"].text or ""
            return Choice(name, {code: text for code in (self.languages or [""])})
        return Choice(name, {})
