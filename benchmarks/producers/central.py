"""ODK Central's `submissions.csv.zip`, as its export writes it.

`FORMID.csv`: `SubmissionDate`, every field of the main table (questions, calculates, notes)
in form order named by its group path joined by `-` (`step1-q2`; just `q2` with "group
paths" off), the `meta` fields (`meta-instanceID`, `meta-instanceName`), then `KEY,
SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status, ReviewState,
DeviceID, Edits, FormVersion`. `FORMID-REPEAT.csv` per repeat: its fields, `PARENT_KEY`,
`KEY` (`uuid:.../group/repeat[1]`); every instance the phone sent is kept, empty or not.
Comma-separated, minimal quoting, `\\n` line ends, newest submission first. "Split select
multiples" adds after each select_multiple one 1/0 column `q/value` per value actually
submitted in that table (sorted), 0 where not chosen or blank. Values are the instance's
text as the phone wrote it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from .fixed_zip import member
from .form import Form, Node, Submission

TAIL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
        "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _instances(
    subs: list[Submission], form: Form, repeat: Node
) -> list[tuple[str, dict[str, Any], str]]:
    """(PARENT_KEY, instance values, KEY) of every instance of repeat, in export order."""
    out: list[tuple[str, dict[str, Any], str]] = []

    def walk(section: Node, values: dict[str, Any], key: str) -> None:
        for child, path in form.child_repeats(section):
            for i, instance in enumerate(values.get(child.name) or [], start=1):
                child_key = f"{key}/{'/'.join((*(g.name for g in path), child.name))}[{i}]"
                if child is repeat:
                    out.append((key, instance, child_key))
                walk(child, instance, child_key)

    for sub in subs:
        walk(form.root, sub.answers, sub.instance_id)
    return out


def _columns(form: Form, section: Node, rows: list[dict[str, Any]], group_paths: bool,
             split: bool) -> tuple[list[str], list[Any]]:  # fmt: skip
    """Header and, per column, (field name, option or None) of one table."""
    header: list[str] = []
    plan: list[tuple[str, str | None]] = []
    for node, path in form.fields(section):
        name = "-".join((*(g.name for g in path), node.name)) if group_paths else node.name
        header.append(name)
        plan.append((node.name, None))
        if split and node.type == "select_multiple":
            seen = sorted({v for r in rows for v in (r.get(node.name) or "").split()})
            header += [f"{name}/{v}" for v in seen]
            plan += [(node.name, v) for v in seen]
    return header, plan


def _cells(plan: list[tuple[str, str | None]], values: dict[str, Any]) -> list[str]:
    out = []
    for name, option in plan:
        text = values.get(name) or ""
        out.append(text if option is None else ("1" if option in text.split() else "0"))
    return out


def central_tables(form: Form, subs: list[Submission], group_paths: bool = True,
                   split_multiples: bool = False) -> dict[str, str]:  # fmt: skip
    """File name -> CSV text of every table of the export."""
    ordered = sorted(subs, key=lambda s: s.submitted, reverse=True)
    header, plan = _columns(
        form, form.root, [s.answers for s in ordered], group_paths, split_multiples
    )
    meta = ["instanceID"] + (["instanceName"] if form.instance_name else [])
    header = ["SubmissionDate", *header, *(f"meta-{m}" if group_paths else m for m in meta), *TAIL]
    rows = [header]
    for s in ordered:
        names = [s.instance_name or ""] if form.instance_name else []
        stamp = (
            s.submitted.strftime("%Y-%m-%dT%H:%M:%S.") + f"{s.submitted.microsecond // 1000:03d}Z"
        )
        rows.append([stamp, *_cells(plan, s.answers), s.instance_id, *names, s.instance_id, "5",
                     "Collect User", "0", "0", "", "", "", "0", form.version])  # fmt: skip
    tables = {f"{form.form_id}.csv": _csv(rows)}

    def repeats(section: Node) -> list[Node]:
        out = []
        for child, _path in form.child_repeats(section):
            out += [child, *repeats(child)]
        return out

    for repeat in repeats(form.root):
        instances = _instances(ordered, form, repeat)
        r_header, r_plan = _columns(form, repeat, [i for _p, i, _k in instances], group_paths,
                                    split_multiples)  # fmt: skip
        r_rows = [[*r_header, "PARENT_KEY", "KEY"]]
        r_rows += [[*_cells(r_plan, values), parent, key] for parent, values, key in instances]
        tables[f"{form.form_id}-{repeat.name}.csv"] = _csv(r_rows)
    return tables


def write_central_zip(path: Path, form: Form, subs: list[Submission], group_paths: bool = True,
                      split_multiples: bool = False) -> Path:  # fmt: skip
    """An ODK Central submissions.csv.zip of the submissions."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in central_tables(form, subs, group_paths, split_multiples).items():
            z.writestr(member(name), text)
    return path


CENTRAL_OPTIONS = {"default": (True, False), "groupPaths-false": (False, False),
                   "splitSelectMultiples": (True, True),
                   "groupPaths-false+splitSelectMultiples": (False, True)}  # fmt: skip
