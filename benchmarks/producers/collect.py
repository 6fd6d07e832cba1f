"""ODK Collect's instance files: one folder per filled form,
`Title_yyyy-MM-dd_HH-mm-ss/Title_yyyy-MM-dd_HH-mm-ss.xml` (the title with every character
that is not a letter or digit made a space, spaces collapsed), holding the instance: groups
nested, each repeat instance repeated, relevant blanks as empty elements, non-relevant
questions and groups left out, `meta/instanceID` (and `meta/instanceName`) at the end."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .fixed_zip import member
from .form import Form, Node, Submission

NAMESPACES = ('xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:orx="http://openrosa.org/xforms" '
              'xmlns:odk="http://www.opendatakit.org/xforms" xmlns:h="http://www.w3.org/1999/xhtml" '
              'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:jr="http://openrosa.org/javarosa"')  # fmt: skip


def _present(node: Node, values: dict[str, Any]) -> bool:
    """A group is in the instance when any field under it is (a non-relevant group is not)."""
    for child in node.children:
        if child.kind == "group":
            if _present(child, values):
                return True
        elif child.name in values:
            return True
    return False


def _children(node: Node, values: dict[str, Any]) -> str:
    out: list[str] = []
    for child in node.children:
        if child.kind == "repeat":
            for instance in values.get(child.name) or []:
                out.append(f"<{child.name}>{_children(child, instance)}</{child.name}>")
        elif child.kind == "group":
            if _present(child, values):
                out.append(f"<{child.name}>{_children(child, values)}</{child.name}>")
        elif child.name in values:
            text = values[child.name]
            out.append(
                f"<{child.name}>{escape(text)}</{child.name}>" if text else f"<{child.name} />"
            )
    return "".join(out)


def instance_xml(form: Form, sub: Submission) -> bytes:
    """The instance file ODK Collect saves and sends."""
    meta = f"<instanceID>{escape(sub.instance_id)}</instanceID>"
    if form.instance_name:
        name = sub.instance_name or ""
        meta += f"<instanceName>{escape(name)}</instanceName>" if name else "<instanceName />"
    root = form.root.name
    return (f"<?xml version='1.0' encoding='UTF-8' ?><{root} id={quoteattr(form.form_id)} "
            f"version={quoteattr(form.version)} {NAMESPACES}>{_children(form.root, sub.answers)}"
            f"<meta>{meta}</meta></{root}>").encode()  # fmt: skip


def folder_name(form: Form, sub: Submission) -> str:
    """The instance folder's name: the title made file-safe, then the time it was saved."""
    title = re.sub(r"\s+", " ", re.sub(r"[^\w]|_", " ", form.title)).strip()
    return f"{title}_{sub.submitted.strftime('%Y-%m-%d_%H-%M-%S')}"


def write_collect_folder(folder: Path, form: Form, subs: list[Submission]) -> Path:
    """The instances folder of a phone: one subfolder per submission."""
    for sub in subs:
        name = folder_name(form, sub)
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{name}.xml").write_bytes(instance_xml(form, sub))
    return folder


def write_collect_zip(path: Path, form: Form, subs: list[Submission]) -> Path:
    """The instances folder of a phone, zipped (instances/<name>/<name>.xml)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for sub in subs:
            name = folder_name(form, sub)
            z.writestr(member(f"instances/{name}/{name}.xml"), instance_xml(form, sub))
    return path
