"""Synthetic exports of the real guide (guide_source/) in every input format, for benchmarks.

    .venv/bin/python benchmarks/generate.py --n 10000 --out benchmarks/data
    .venv/bin/python benchmarks/generate.py --n 0 --consultations 100000 --out benchmarks/data

writes, for N submissions each with IMPACTS impact records and RECS recommendation records:

- kobo.xlsx       KoboToolbox XLSX export (XML headers, no groups, select_multiple "both",
                  typed cells): main sheet named after the form title as Kobo names it (cut
                  to 28 characters + "..."), one sheet per repeat;
- kobo.csv        KoboToolbox CSV export of the main table (';', every field quoted, CRLF);
- central.zip     ODK Central submissions.csv.zip (group paths joined by '-', one CSV per
                  repeat);
- collect.zip     ODK Collect instances (instances/<title>_<time>/<title>_<time>.xml);

and with --consultations C, the same four formats of C conversations of the consultation form
(`right_guide_consultation`: consultation-kobo.xlsx, consultation-kobo.csv,
consultation-central.zip, consultation-collect.zip): a measure code from the list
`measure_codes` or, for a few, one a network added to its own deployed list; an adult who
mostly agrees to answer; none to three groups; each experience answered yes, no, not sure or
prefer not to say, or skipped. `--n 0` writes the consultations alone.

Each file is written by `benchmarks/producers/` from the documented behaviour of the tool
that makes it (never with the importer's own code). Answers are random but seeded (same N
and seed, same bytes). Each submission is filled with the guide's own evaluator first, as
the phone would: answers to questions that do not apply are left out, and the calculations
are carried with the values the phone computed.
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from producers.central import write_central_zip  # noqa: E402
from producers.collect import write_collect_zip  # noqa: E402
from producers.form import Form, Node, Submission, form_of  # noqa: E402
from producers.kobo import KoboOptions, write_kobo_csv, write_kobo_xlsx  # noqa: E402

from compiler.loader import load_checked_guide  # noqa: E402
from compiler.model import Guide  # noqa: E402
from compiler.scoring.batch import BatchEvaluator  # noqa: E402
from compiler.scoring.evaluator import FilledForm, as_text  # noqa: E402

WORDS = ["Detention of presumed victims", "Les personnes concernées", "x", "Some words",
         "Informe de la inspección", "12", "Raids on workplaces; no complaints channel"]  # fmt: skip
QUESTION_TYPES = ("text", "integer", "decimal", "date", "select_one", "select_multiple")
FIRST_SUBMISSION = datetime(2026, 1, 1, 8, 0, 0)
FILL_CHUNK = 2000  # submissions filled at once by the batch evaluator
CONSULTATION = "right_guide_consultation"
# measure codes a network put in its own deployed list (the guide's list is an example)
FREE_MEASURES = {"NL-WINDOWS": 0.02, "TH-RESCUE": 0.01}
# how a person answers each experience (and "did you complain"): "skip" leaves it unanswered
EXPERIENCE_ANSWERS = {"yes": 0.2, "no": 0.55, "not_sure": 0.05, "prefer_not": 0.08, "skip": 0.12}


def answer(rng: random.Random, node: Node) -> str | None:
    """A random answer as the phone writes it, or None (left unanswered) 20% of the time."""
    if rng.random() < 0.2:
        return None
    names = [c.name for c in node.choices]
    if node.type == "select_one" and names:
        return rng.choice(names)
    if node.type == "select_multiple" and names:
        chosen = set(rng.sample(names, rng.randint(1, min(3, len(names)))))
        return " ".join(n for n in names if n in chosen)
    if node.type == "integer":
        return str(rng.randint(0, 40))
    if node.type == "decimal":
        return str(rng.randint(0, 400) / 4)
    if node.type == "date":
        return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 2500))).isoformat()
    return rng.choice(WORDS)


def _answers(
    rng: random.Random, form: Form, section: Node, counts: dict[str, int]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node, _path in form.fields(section):
        if node.type in QUESTION_TYPES and (a := answer(rng, node)) is not None:
            out[node.name] = a
    for repeat, _path in form.child_repeats(section):
        out[repeat.name] = [_answers(rng, form, repeat, counts) for _ in range(counts[repeat.name])]
    return out


def _as_sent(form: Form, section: Node, base: str, given: dict[str, Any], values: dict[str, Any],
             filled: FilledForm) -> dict[str, Any]:  # fmt: skip
    """What the phone sends of one table: relevant fields only, answers as typed, calculates
    as computed, notes blank."""
    out: dict[str, Any] = {}
    for node, path in form.fields(section):
        xpath = "/".join((base, *(g.name for g in path), node.name))
        if not filled.relevant.get(xpath, True):
            continue
        if node.type in QUESTION_TYPES:
            kept = values.get(node.name) not in ("", None)
            out[node.name] = given.get(node.name, "") if kept else ""
        elif node.type == "note":
            out[node.name] = ""
        else:
            out[node.name] = as_text(values.get(node.name, ""))
    for repeat, path in form.child_repeats(section):
        rbase = "/".join((base, *(g.name for g in path), repeat.name))
        out[repeat.name] = [
            _as_sent(form, repeat, f"{rbase}[{i}]", rec, vals, filled)
            for i, (rec, vals) in enumerate(zip(given.get(repeat.name) or [],
                                                values.get(repeat.name) or [], strict=True), start=1)
            if filled.relevant.get(f"{rbase}[{i}]", True)
        ]  # fmt: skip
    return out


def submissions(
    guide: Guide, form: Form, n: int, impacts: int, recs: int, seed: int
) -> list[Submission]:
    """N filled submissions (each repeat: IMPACTS records for the first, RECS for the others)."""
    rng = random.Random(seed)
    repeats = [r for r, _p in form.child_repeats(form.root)]
    counts = {r.name: (impacts if i == 0 else recs) for i, r in enumerate(repeats)}
    drawn = []
    for _number in range(1, n + 1):  # the answers and ids drawn in turn, as ever (same bytes)
        given = _answers(rng, form, form.root, counts)
        drawn.append((given, f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"))
    return _filled(guide, form, drawn)


def _filled(guide: Guide, form: Form, drawn: list[tuple[dict[str, Any], str]]) -> list[Submission]:
    """Each drawn (answers, instance id) filled by the form's evaluator and sent as the phone
    sends it, numbered and timed in turn."""
    evaluator = BatchEvaluator(guide)
    out = []
    for start in range(0, len(drawn), FILL_CHUNK):
        chunk = drawn[start : start + FILL_CHUNK]
        batch = evaluator.fill([given for given, _id in chunk])
        for offset, (given, instance_id) in enumerate(chunk):
            number = start + offset + 1
            filled = batch.filled_form(offset)
            answers = _as_sent(form, form.root, "/data", given, filled.values, filled)
            name = answers.get(guide.instance_name.text.strip()) if guide.instance_name else None
            submitted = FIRST_SUBMISSION + timedelta(seconds=7 * number)
            out.append(Submission(instance_id, answers, number, submitted, name or None))
    return out


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def consultation_answers(rng: random.Random, form: Form) -> dict[str, Any]:
    """One conversation as an outreach worker records it: a measure code (mostly from the
    list, a few a network added to its own deployed list), an adult who mostly agrees, zero
    to three groups, each experience answered yes, no, not sure or prefer not to say, or
    skipped; the questions after a refusal are drawn too (the evaluator leaves them out)."""
    out: dict[str, Any] = {}
    for node, _path in form.fields(form.root):
        names = [c.name for c in node.choices]
        if node.name == "c_measure":
            out[node.name] = _pick(
                rng, {**dict.fromkeys(names, 0.97 / len(names)), **FREE_MEASURES}
            )
        elif node.name == "c_adult":
            out[node.name] = _pick(rng, {"yes": 0.97, "no": 0.03})
        elif node.name == "c_consent":
            out[node.name] = _pick(rng, {"yes": 0.9, "no": 0.1})
        elif node.type == "select_multiple":  # groups and traits: none to three of them
            chosen = set(rng.sample(names, rng.choice((0, 1, 1, 1, 2, 2, 3))))
            if chosen:
                out[node.name] = " ".join(n for n in names if n in chosen)
        elif node.type == "select_one" and "prefer_not" in names and "yes" in names:
            if (a := _pick(rng, EXPERIENCE_ANSWERS)) != "skip":  # experiences, complaint
                out[node.name] = a
        elif node.type == "select_one" and names and rng.random() < 0.85:
            out[node.name] = rng.choice(names)
        elif node.type == "text" and rng.random() < 0.5:
            out[node.name] = rng.choice(WORDS)
    return out


def consultations(guide: Guide, form: Form, n: int, seed: int) -> list[Submission]:
    """N filled consultations (the consultation form's own evaluator fills each)."""
    rng = random.Random(seed)
    drawn = [(consultation_answers(rng, form), f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}")
             for _ in range(n)]  # fmt: skip
    return _filled(guide, form, drawn)


def generate(out: Path, n: int, impacts: int = 3, recs: int = 2, seed: int = 1,
             source: Path = ROOT / "guide_source", consulted: int = 0) -> dict[str, Path]:  # fmt: skip
    """Write every format for N submissions (none when n is 0) and for CONSULTED consultations
    (`consultation-*` files, none when 0) into out; returns format -> path."""
    guide = load_checked_guide(source)[0]
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if n:
        form = form_of(guide)
        subs = submissions(guide, form, n, impacts, recs, seed)
        written |= _write_all(out, "", form, subs)
    if consulted:
        consultation = guide.form(CONSULTATION)
        form = form_of(consultation)
        written |= _write_all(
            out, "consultation-", form, consultations(consultation, form, consulted, seed)
        )
    return written


def _write_all(out: Path, prefix: str, form: Form, subs: list[Submission]) -> dict[str, Path]:
    return {
        f"{prefix}kobo-xlsx": write_kobo_xlsx(
            out / f"{prefix}kobo.xlsx", form, subs, KoboOptions()
        ),
        f"{prefix}kobo-csv": write_kobo_csv(out / f"{prefix}kobo.csv", form, subs, KoboOptions()),
        f"{prefix}central": write_central_zip(out / f"{prefix}central.zip", form, subs),
        f"{prefix}collect": write_collect_zip(out / f"{prefix}collect.zip", form, subs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions (default 1000; 0: none)")
    parser.add_argument(
        "--consultations",
        type=int,
        default=0,
        help="consultations of the consultation form (default 0: none)",
    )
    parser.add_argument("--impacts", type=int, default=3, help="impact records per submission")
    parser.add_argument("--recs", type=int, default=2, help="recommendations per submission")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "data")
    args = parser.parse_args()
    for fmt, path in generate(
        args.out, args.n, args.impacts, args.recs, args.seed, consulted=args.consultations
    ).items():
        print(f"{fmt:10} {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
