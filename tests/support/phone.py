"""What a phone sends, from what JavaRosa (ODK Collect's engine) filled: the producers'
`Submission` (benchmarks/producers/form.py), relevance applied, calculates included."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from producers.form import Form, Node, Submission


def _table(form: Form, section: Node, base: str, java: dict[str, Any]) -> dict[str, Any]:
    values, relevant = java["values"], java["relevant"]
    out: dict[str, Any] = {}
    for node, path in form.fields(section):
        xpath = "/".join((base, *(g.name for g in path), node.name))
        if xpath in values and relevant.get(xpath, True):
            out[node.name] = values[xpath]
    for repeat, path in form.child_repeats(section):
        rbase = "/".join((base, *(g.name for g in path), repeat.name))
        count = sum(1 for p in values if p.startswith(rbase + "[") and p.endswith("]"))
        out[repeat.name] = [
            _table(form, repeat, f"{rbase}[{i}]", java)
            for i in range(1, count + 1)
            if relevant.get(f"{rbase}[{i}]", True)
        ]
    return out


def submission_from_javarosa(
    form: Form, java: dict[str, Any], instance_id: str, number: int, submitted: datetime
) -> Submission:
    """The submission a phone sends for JavaRosa's filled form: relevant nodes only (blank
    ones as ""), calculates as JavaRosa computed them, the given instanceID."""
    answers = _table(form, form.root, "/data", java)
    name = java["values"].get("/data/meta/instanceName") or None
    return Submission(instance_id, answers, number, submitted, name)


def submission_from_instance(
    form: Form, xml: bytes, number: int, submitted: datetime
) -> Submission:
    """The submission an instance file holds (as ODK Collect wrote it): elements present are
    relevant (empty ones blank), elements absent are not."""
    from lxml import etree

    root = etree.fromstring(xml)

    def table(section: Node, element: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}

        def walk(node: Node, el: Any) -> None:
            for child in node.children:
                found = el.findall(child.name)
                if child.kind == "repeat":
                    out[child.name] = [table(child, e) for e in found]
                elif child.kind == "group":
                    if found:
                        walk(child, found[0])
                elif found:
                    out[child.name] = found[0].text or ""

        walk(section, element)
        return out

    name = root.findtext("meta/instanceName")
    return Submission(
        root.findtext("meta/instanceID"), table(form.root, root), number, submitted, name
    )
