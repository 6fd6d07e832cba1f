"""The real guide, end to end through every export shape of the real producers: random
answer sets filled by JavaRosa (ODK Collect's engine) are written, as the phone sends them
(calculates included), in every KoboToolbox XLSX variant (XML or labels in each language x
groups in headers or not x select_multiple both/summary/details x typed or text cells), as a
Kobo CSV, in every ODK Central submissions.csv.zip variant and its main CSV alone, and as ODK
Collect instances; `score_inputs` (what `rightguide score` runs) must give every submission
JavaRosa's scores, reject nothing, and attach the repeat records where the export has them.

The exports are made by benchmarks/producers/ from the tools' documented behaviour (the guide's
75-character title makes Kobo cut the main sheet's name), never by the importer's code."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from producers.central import CENTRAL_OPTIONS, central_tables, write_central_zip
from producers.collect import write_collect_folder, write_collect_zip
from producers.form import Form, Submission, form_of
from producers.kobo import KoboOptions, every_xlsx_option, write_kobo_csv, write_kobo_xlsx
from support.cases import nested_case, random_case
from support.javarosa import JavaRosa
from support.javarosa_scores import expected_scores, same
from support.phone import submission_from_javarosa

from compiler.analysis.pipeline import score_inputs
from compiler.loader import load_checked_guide
from compiler.model import Guide
from compiler.scoring.scores import Scorer

ROOT = Path(__file__).resolve().parents[1]
N_CASES = 10
SEED = 20261203
FIRST = datetime(2026, 2, 1, 9, 0, 0)
FORM = form_of(load_checked_guide(ROOT / "guide_source")[0])
XLSX = {f"kobo-xlsx-{o.slug}": o for o in every_xlsx_option(FORM.languages)}
CSV = {"kobo-csv-xml_hier0_both": KoboOptions(), "kobo-csv-fr_hier1_details": KoboOptions(
    FORM.languages[1], True, "details")}  # fmt: skip
CENTRAL = {f"central-{name}": flags for name, flags in CENTRAL_OPTIONS.items()}
OTHER = ["central-main-csv", "collect-folder", "collect-zip"]
NO_REPEATS = {*CSV, "central-main-csv"}  # inputs that carry no repeat records


class World:
    def __init__(self, guide: Guide, form: Form, java: dict[str, dict[str, Any]],
                 subs: dict[str, Submission], root: Path) -> None:  # fmt: skip
        self.guide, self.form, self.java, self.subs, self.root = guide, form, java, subs, root


def _cases(guide: Guide, rng: random.Random) -> list[dict[str, Any]]:
    cases = [random_case(guide, rng, max_records=3) for _ in range(N_CASES)]
    # at least: a severe negative impact, an empty impact record, a recommendation on it
    cases[0]["impacts"] = [
        {"right": "liberty", "affected_group": "sex_workers", "direction": "negative",
         "occurrence": "actual", "scale": "5", "scope": "4", "irremediability": "4",
         "impact_description": 'Raids; "rescue"; détention'},
        {},
        {"right": "health", "direction": "positive", "occurrence": "actual"},
    ]  # fmt: skip
    cases[0]["recommendations"] = [{"rec_text": "End raids", "rec_right": "liberty"}, {}]
    return cases


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, compiled_forms: dict[str, tuple[Guide, Path]]
) -> World:
    guide, xform = compiled_forms["real"]
    form = form_of(guide)
    cases = _cases(guide, random.Random(SEED))
    with JavaRosa(xform) as jr:
        results = jr.evaluate_many([nested_case(guide, c) for c in cases])
    java: dict[str, dict[str, Any]] = {}
    subs: dict[str, Submission] = {}
    for number, result in enumerate(results, start=1):
        assert "fatal" not in result and not result["errors"], result
        iid = f"uuid:00000000-0000-4000-8000-{number:012d}"
        java[iid] = result
        subs[iid] = submission_from_javarosa(
            form, result, iid, number, FIRST + timedelta(minutes=number)
        )
    root = tmp_path_factory.mktemp("producers")
    return World(guide, form, java, subs, root)


def _write(world: World, variant: str) -> Path:
    form, subs, root = world.form, list(world.subs.values()), world.root / variant
    root.mkdir()
    if variant in XLSX:
        return write_kobo_xlsx(root / "export.xlsx", form, subs, XLSX[variant])
    if variant in CSV:
        return write_kobo_csv(root / "export.csv", form, subs, CSV[variant])
    if variant in CENTRAL:
        group_paths, split = CENTRAL[variant]
        return write_central_zip(root / "submissions.csv.zip", form, subs, group_paths, split)
    if variant == "central-main-csv":
        path = root / f"{form.form_id}.csv"
        path.write_text(central_tables(form, subs)[path.name], encoding="utf-8", newline="")
        return path
    if variant == "collect-folder":
        return write_collect_folder(root / "instances", form, subs)
    return write_collect_zip(root / "instances.zip", form, subs)


def _kept_by_kobo(instances: list[dict[str, Any]]) -> list[bool]:
    return [any(v not in ("", None) for v in i.values()) for i in instances]


def _expected(world: World, iid: str, variant: str) -> dict[str, Any]:
    expected = expected_scores(world.guide, world.java[iid])
    if variant in XLSX:  # Kobo leaves out repeat instances without any value
        for item in world.guide.scores():
            if item.repeat is not None:
                kept = _kept_by_kobo(world.subs[iid].answers.get(item.repeat.name, []))
                expected[item.name] = [
                    v for v, k in zip(expected[item.name], kept, strict=True) if k
                ]
    return expected


@pytest.fixture(scope="module")
def repeat_dependent(world: World) -> set[str]:
    """Scores computed from repeat records (directly or through other calculations)."""
    deps = Scorer(world.guide).repeat_dependencies
    return {s.name for s in world.guide.scores() if deps.get(s.name)}


@pytest.mark.parametrize("variant", [*XLSX, *CSV, *CENTRAL, *OTHER])
def test_scores_equal_javarosa(world: World, repeat_dependent: set[str], variant: str) -> None:
    path = _write(world, variant)
    run = score_inputs(world.guide, [path])
    assert run.rejected == [], [(r.source, r.reason) for r in run.rejected][:5]
    assert sorted(s.instance_id for s in run.submissions) == sorted(world.java)
    for sub in run.submissions:
        expected = _expected(world, sub.instance_id, variant)
        if variant in NO_REPEATS:
            # no repeat records: form-level scores that need them are the values the phone
            # computed and the export carried; repeat-level ones are null with a reason
            assert not sub.repeats_available
            for item in world.guide.scores():
                if item.repeat is not None:
                    assert sub.scores[item.name] is None, (variant, item.name)
                    assert "repeat records" in sub.null_reasons[item.name], (variant, item.name)
                    del expected[item.name]
                elif item.name in repeat_dependent and sub.scores[item.name] is not None:
                    assert item.name in sub.from_export, (variant, item.name)
        else:
            assert sub.repeats_available, (variant, sub.instance_id)
        diffs = {k: (sub.scores[k], v) for k, v in expected.items() if not same(sub.scores[k], v)}
        assert not diffs, (variant, sub.instance_id, diffs)
        recomputed = [i for i in sub.issues if "recomputed" in str(i)]
        assert not recomputed, (variant, sub.instance_id, recomputed[:3])
    records = sum(len(v) for s in run.submissions for v in s.scores.values() if isinstance(v, list))
    assert (records > 0) == (variant not in NO_REPEATS), (variant, records)
    first = next(s for s in run.submissions if s.instance_id.endswith("0" * 11 + "1"))
    assert first.scores["worst_liberty"] >= 4 and first.scores["negative_liberty"] == 1  # severe
    shutil.rmtree(path.parent)
