"""ODK Collect instance files: one submission XML, a folder of instance folders, or a zip of
them. Groups are nested elements, repeats repeated elements; a non-relevant question is absent
(NOT_RELEVANT), a relevant one left empty is present and empty (BLANK)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...diagnostics import UserError
from .. import limits
from ..form_fields import META_TYPES, FormFields, control_text, local, parse_xml
from ..input_files import read_whole_file, refusal
from ..records import NOT_RELEVANT, ReadResult, Record, RecordIssue, Rejected, RepeatRecord, Source
from ..safe_zip import nested_zip_note, read_member
from .cells import CellConverter
from .central_zip import open_zip

JR = "{http://openrosa.org/javarosa}"


def iter_collect(
    path: Path, fields: FormFields, out: ReadResult, join: bool = True
) -> Iterator[Record]:
    """The records of ODK Collect instance files, one at a time: one XML, a folder (searched
    recursively for *.xml, see `folder_files`) or a zip of instance files; rejected files and
    notes go to `out`."""
    plan = form_plan(fields)
    if path.is_dir():
        files, encrypted = folder_files(path, out)
        if not files:
            raise UserError(f"{path}: no .xml instance files in this folder")
        for file in files:
            source = Source(str(file))
            if reason := _refusal(file):
                out.rejected.append(Rejected(source, reason))
            elif record := _read_one(read_whole_file(file, limits.MAX_XML_BYTES, XML_WHAT), source,
                                     plan, out):  # fmt: skip
                yield record
        _note_encrypted(encrypted, path, out)
    elif path.suffix.lower() == ".zip":
        with open_zip(path) as archive:
            every = sorted(archive.namelist())
            names = [n for n in every if n.lower().endswith(".xml")]
            if not names:
                raise UserError(f"{path}: the zip holds no .xml instance files")
            for name in names:
                data = read_member(archive, name, str(path))
                if record := _read_one(data, Source(str(path), name), plan, out):
                    yield record
            if note := nested_zip_note(every, str(path)):
                out.note(note)
    elif record := _read_one(read_whole_file(path, limits.MAX_XML_BYTES, XML_WHAT), Source(str(path)),
                             plan, out):  # fmt: skip
        yield record


XML_WHAT = "Collect instance file"
LINK_REASON = ("a symbolic link: links in a folder of instance files are never followed (one "
               "could point anywhere); copy the file itself into the folder")  # fmt: skip


def folder_files(root: Path, out: ReadResult) -> tuple[list[Path], list[Path]]:
    """The *.xml and *.enc files under a folder copied off a phone, sorted, hidden folders
    left out. Links are never followed, into folders or files: a linked folder is a note, a
    linked or special file (a named pipe) is rejected by `_refusal` with its reason."""
    xml: list[Path] = []
    enc: list[Path] = []
    linked: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif (here / name).is_symlink():
                linked.append(str(here / name))
        for name in names:
            if name.startswith("."):
                continue
            lower = name.lower()
            if lower.endswith(".xml"):
                xml.append(here / name)
            elif lower.endswith(".enc"):
                enc.append(here / name)
    if linked:
        shown = ", ".join(sorted(linked)[:5]) + (" ..." if len(linked) > 5 else "")
        out.note(f"{root}: {len(linked)} linked folder(s) not followed ({shown}); copy their "
                 "files into the folder")  # fmt: skip
    return sorted(xml), sorted(enc)


def _refusal(file: Path) -> str | None:
    """Why a file found in a folder is not read, or None: links are never followed, and only
    regular files up to MAX_XML_BYTES are read."""
    if file.is_symlink():
        return LINK_REASON
    return refusal(file, limits.MAX_XML_BYTES, XML_WHAT)


def _note_encrypted(found, root: Path, result: ReadResult) -> None:
    count = len(list(found))
    if count:
        result.note(
            f"{root}: {count} encrypted file(s) (.enc) not read: decrypt them with ODK Central or Briefcase"
        )


def _read_one(data: bytes, source: Source, plan: FormPlan, result: ReadResult) -> Record | None:
    """One instance file's record, or None when it is rejected (in `result`)."""
    try:
        root = parse_xml(data, str(source))
    except UserError as exc:
        result.rejected.append(Rejected(source, str(exc).split(": ", 1)[-1]))
        return None
    if any(local(c) == "base64EncryptedKey" for c in root if isinstance(c.tag, str)):
        result.rejected.append(
            Rejected(source, "encrypted submission: decrypt it with ODK Central or Briefcase first")
        )
        return None
    # only a document with character references can hold a control character (see parse_xml)
    text_of = _control_text if b"&#" in data else _text
    meta = _child(root, "meta")
    metadata: dict[str, str] = {}
    if meta is not None:
        for el in meta:
            if isinstance(el.tag, str) and (text := text_of(el).strip()):
                metadata[local(el)] = text
    issues: list[RecordIssue] = []
    values, carried, repeats, own_meta = _table(
        root, plan.tables[None], plan, source, issues, text_of
    )
    metadata.update(own_meta)
    _unknown_elements(root, plan.known, (), source, issues)
    return Record(
        source=source,
        form_id=root.get("id") or local(root),
        form_version=root.get("version"),
        instance_id=metadata.get("instanceID"),
        deprecated_id=metadata.get("deprecatedID"),
        submitted_at=None,
        values=values,
        repeats=repeats,
        repeats_available=True,
        relevance_known=True,
        issues=issues,
        carried_scores=carried,
        metadata=metadata,
    )


def _child(el, name: str):
    return next((c for c in el if isinstance(c.tag, str) and local(c) == name), None)


# ---------------------------------------------------------------------------- the form's plan

META, COMPUTED, QUESTION = "meta", "computed", "question"


@dataclass(slots=True)
class PathStep:
    """One element name under a parent in a table's path tree: where its first element is
    kept (`slot`), and the names looked for under it. A repeat's step collects every element."""

    slot: int
    children: dict[str, PathStep] = field(default_factory=dict)
    is_repeat: bool = False


@dataclass
class TablePlan:
    """What to take from the element of one table (the submission root, or one instance of a
    repeat), worked out once per form: the element paths of its fields as a tree walked once
    per instance, then its fields in the form's order, each reading its slot."""

    steps: dict[str, PathStep]  # the path tree, from the table's element
    size: int  # slots
    fields: list[tuple[str, str, int, CellConverter | None]]  # (kind, name, slot, converter)
    repeats: list[tuple[str, int]]  # (repeat name, slot of its elements), in the form's order


# The element names the form expects under the root: name -> the same for the names under
# it (a group or repeat), or None (a leaf).
Known = dict[str, "Known | None"]
_UNKNOWN: Known = {}  # what `known.get` gives for a name not there (compared by identity)


@dataclass
class FormPlan:
    """Every table's plan, and the element names the form expects (for unknown elements)."""

    tables: dict[str | None, TablePlan]
    known: Known


def form_plan(fields: FormFields) -> FormPlan:
    """The plan of a form (see FormPlan); made once per input."""
    tables: dict[str | None, TablePlan] = {None: _table_plan(fields, None)}
    for r in fields.repeats():
        tables[r.name] = _table_plan(fields, r.name)
    by_path: dict[tuple[str, ...], dict[str, bool]] = {}
    for f in fields.fields.values():
        by_path.setdefault(f.path, {})[f.name] = f.is_container
    return FormPlan(tables, _known_tree(by_path, ()))


def _known_tree(by_path: dict[tuple[str, ...], dict[str, bool]], path: tuple[str, ...]) -> Known:
    """The Known tree under `path`, from group path -> child name -> is container."""
    return {
        name: _known_tree(by_path, (*path, name)) if is_container else None
        for name, is_container in by_path.get(path, {}).items()
    }


def _table_plan(fields: FormFields, repeat: str | None) -> TablePlan:
    depth = len(fields.fields[repeat].path) + 1 if repeat else 0
    steps: dict[str, PathStep] = {}
    size = 0

    def slot_of(parts: tuple[str, ...], is_repeat: bool = False) -> int:
        """The slot of an element path (relative to the table's element), made on first use."""
        nonlocal size
        level = steps
        step = None
        for n, part in enumerate(parts):
            step = level.get(part)
            if step is None:
                last = n == len(parts) - 1
                step = level[part] = PathStep(size, is_repeat=is_repeat and last)
                size += 1
            level = step.children
        assert step is not None
        return step.slot

    planned: list[tuple[str, str, int, CellConverter | None]] = []
    for f in fields.in_table(repeat):
        if f.type in META_TYPES:
            kind, convert_text = META, None
        elif f.is_computed:
            kind, convert_text = COMPUTED, None
        elif f.is_question:
            kind, convert_text = QUESTION, CellConverter(f)
        else:
            continue  # notes: nothing to read
        planned.append((kind, f.name, slot_of((*f.path[depth:], f.name)), convert_text))
    repeats = [
        (r.name, slot_of((*r.path[depth:], r.name), is_repeat=True))
        for r in fields.child_repeats(repeat)
    ]
    return TablePlan(steps, size, planned, repeats)


# ---------------------------------------------------------------------------- reading a table


def _walk(el, steps: dict[str, PathStep], found: list) -> None:
    """Fill `found` (by slot) with the first element of each path of the tree (as a path
    lookup would find it) and, for repeats, a list of every element of that name."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        step = steps.get(tag.rpartition("}")[2])  # local name: namespaces are not compared
        if step is None:
            continue
        if step.is_repeat:
            members = found[step.slot]
            if members is None:
                found[step.slot] = [child]
            else:
                members.append(child)
        elif found[step.slot] is None:  # later elements of the same name are not read
            found[step.slot] = child
            if step.children:
                _walk(child, step.children, found)


def _text(node) -> str:
    """An element's text with its descendants' (a leaf's own text, nearly always)."""
    if len(node) == 0:
        return node.text or ""
    return "".join(node.itertext())


def _control_text(node) -> str:
    """`_text` with the control characters of character references restored."""
    return control_text(_text(node))


def _table(
    el, table: TablePlan, plan: FormPlan, source: Source, issues: list[RecordIssue],
    text_of: Callable[[Any], str] = _text,
):  # fmt: skip
    found: list = [None] * table.size
    _walk(el, table.steps, found)
    values, carried, metadata = {}, {}, {}
    for kind, name, slot, convert_text in table.fields:
        node = found[slot]
        if kind == QUESTION:
            if node is None:
                values[name] = NOT_RELEVANT
                continue
            text = text_of(node)
            # a text seen before for this field: a lookup, not a call (see CellConverter)
            answer, problem = convert_text.known.get(text) or convert_text(text)
            if problem:
                issues.append(RecordIssue(name, problem, source))
            values[name] = answer
        elif node is None:
            continue
        elif kind == META:
            text = text_of(node)
            if text:
                metadata[name] = text.strip()
        else:
            carried[name] = text_of(node)
    repeats: dict[str, list[RepeatRecord]] = {}
    for name, slot in table.repeats:
        members = []
        for node in found[slot] or ():
            if node.get(f"{JR}template") is not None:
                continue
            v, c, children, _m = _table(node, plan.tables[name], plan, source, issues, text_of)
            members.append(RepeatRecord(v, source, children, c))
        repeats[name] = members
    return values, carried, repeats, metadata


def _unknown_elements(
    el, known: Known, path: tuple[str, ...], source: Source, issues: list[RecordIssue]
) -> None:
    """An issue for every element the form does not have there (its value is not used)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = tag.rpartition("}")[2]  # local name, as `local` gives it
        if not path and name == "meta":
            continue
        inside = known.get(name, _UNKNOWN)
        if inside is _UNKNOWN:
            text = control_text("".join(child.itertext())).strip()
            issues.append(
                RecordIssue(
                    None,
                    f"element '{'/'.join((*path, name))}' is not in the form"
                    + (f"; value '{text}' not used" if text else ""),
                    source,
                )
            )
        elif inside is not None:
            _unknown_elements(child, inside, (*path, name), source, issues)
