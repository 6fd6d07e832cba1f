"""ODK Collect instance files: one submission XML, a folder of instance folders, or a zip of
them. Groups are nested elements, repeats repeated elements; a non-relevant question is absent
(NOT_RELEVANT), a relevant one left empty is present and empty (BLANK)."""

from __future__ import annotations

from pathlib import Path

from ...diagnostics import UserError
from ..form_fields import META_TYPES, FormFields, local, parse_xml
from ..records import NOT_RELEVANT, ReadResult, Record, RecordIssue, Rejected, RepeatRecord, Source
from ..safe_zip import nested_zip_note, read_member
from .cells import convert
from .central_zip import open_zip

JR = "{http://openrosa.org/javarosa}"


def read_collect(path: Path, fields: FormFields) -> ReadResult:
    """Read one XML, a folder (searched recursively for *.xml), or a zip of instance files."""
    result = ReadResult()
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*.xml") if not any(x.startswith(".") for x in p.relative_to(path).parts)
        )
        if not files:
            raise UserError(f"{path}: no .xml instance files in this folder")
        for file in files:
            _read_one(file.read_bytes(), Source(str(file)), fields, result)
        _note_encrypted(path.rglob("*.enc"), path, result)
    elif path.suffix.lower() == ".zip":
        with open_zip(path) as archive:
            every = sorted(archive.namelist())
            names = [n for n in every if n.lower().endswith(".xml")]
            if not names:
                raise UserError(f"{path}: the zip holds no .xml instance files")
            for name in names:
                _read_one(read_member(archive, name, str(path)), Source(str(path), name), fields, result)
            if note := nested_zip_note(every, str(path)):
                result.note(note)
    else:
        _read_one(path.read_bytes(), Source(str(path)), fields, result)
    return result


def _note_encrypted(found, root: Path, result: ReadResult) -> None:
    count = len(list(found))
    if count:
        result.note(f"{root}: {count} encrypted file(s) (.enc) not read: decrypt them with ODK Central or Briefcase")


def _read_one(data: bytes, source: Source, fields: FormFields, result: ReadResult) -> None:
    try:
        root = parse_xml(data, str(source))
    except UserError as exc:
        result.rejected.append(Rejected(source, str(exc).split(": ", 1)[-1]))
        return
    if any(local(c) == "base64EncryptedKey" for c in root if isinstance(c.tag, str)):
        result.rejected.append(Rejected(source, "encrypted submission: decrypt it with ODK Central or Briefcase first"))
        return
    meta = _child(root, "meta")
    metadata: dict[str, str] = {}
    if meta is not None:
        for el in meta:
            if isinstance(el.tag, str) and (el.text or "").strip():
                metadata[local(el)] = el.text.strip()
    issues: list[RecordIssue] = []
    values, carried, repeats, own_meta = _table(root, fields, None, source, issues)
    metadata.update(own_meta)
    _unknown_elements(root, fields, (), source, issues)
    result.records.append(
        Record(
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
    )


def _child(el, name: str):
    return next((c for c in el if isinstance(c.tag, str) and local(c) == name), None)


def _find(el, parts: tuple[str, ...]):
    for part in parts:
        if el is None:
            return None
        el = _child(el, part)
    return el


def _find_all(el, parts: tuple[str, ...]) -> list:
    parent = _find(el, parts[:-1])
    if parent is None:
        return []
    return [c for c in parent if isinstance(c.tag, str) and local(c) == parts[-1]]


def _table(el, fields: FormFields, repeat: str | None, source: Source, issues: list[RecordIssue]):
    depth = len(fields.fields[repeat].path) + 1 if repeat else 0
    values, carried, metadata = {}, {}, {}
    for f in fields.in_table(repeat):
        node = _find(el, (*f.path[depth:], f.name))
        text = None if node is None else "".join(node.itertext())
        if f.type in META_TYPES:
            if text:
                metadata[f.name] = text.strip()
        elif f.is_computed:
            if text is not None:
                carried[f.name] = text
        elif f.is_question:
            if node is None:
                values[f.name] = NOT_RELEVANT
                continue
            answer, problem = convert(f, text)
            if problem:
                issues.append(RecordIssue(f.name, problem, source))
            values[f.name] = answer
    repeats: dict[str, list[RepeatRecord]] = {}
    for r in fields.child_repeats(repeat):
        members = []
        for node in _find_all(el, (*r.path[depth:], r.name)):
            if node.get(f"{JR}template") is not None:
                continue
            v, c, children, _m = _table(node, fields, r.name, source, issues)
            members.append(RepeatRecord(v, source, children, c))
        repeats[r.name] = members
    return values, carried, repeats, metadata


def _unknown_elements(el, fields: FormFields, path: tuple[str, ...], source: Source, issues) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = local(child)
        if not path and name == "meta":
            continue
        known = fields.fields.get(name)
        if known is None or known.path != path:
            text = "".join(child.itertext()).strip()
            issues.append(RecordIssue(None, f"element '{'/'.join((*path, name))}' is not in the form"
                                      + (f"; value '{text}' not used" if text else ""), source))
            continue
        if known.is_container:
            _unknown_elements(child, fields, (*path, name), source, issues)
