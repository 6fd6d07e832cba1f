"""`rightguide pull --kobo`: KoboToolbox's API v2 (export setting, data.xlsx), then scoring.

The server is a local stand-in that answers as the documented API (support/kobo_api.py): a
real KoboToolbox needs MongoDB, which cannot be installed here. It serves a real Kobo export
(shared/fixtures/household_demo) for the download path, and a Kobo XLSX export of the guide
made by the producers from answers JavaRosa filled, whose scores must equal JavaRosa's.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from producers.form import form_of
from producers.kobo import write_kobo_xlsx
from support.cases import nested_case, random_case
from support.javarosa import JavaRosa
from support.javarosa_scores import expected_scores, same
from support.kobo_api import FakeKobo
from support.phone import submission_from_javarosa

from compiler.build import emit_odk
from compiler.cli import main
from compiler.loader import load_checked_guide
from compiler.remote.kobo import EXPORT_SETTINGS, SETTING_NAME

ROOT = Path(__file__).resolve().parents[1]
TEST_GUIDE = ROOT / "tests" / "guides" / "full"
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), None)
DEMO_XLSX = (
    SHARED / "fixtures" / "household_demo" / "kobo" / "xml_hier1_both.xlsx" if SHARED else None
)
TOKEN = "0123456789abcdef0123456789abcdef01234567"
N_SUBMISSIONS = 6


def _pull(url: str, asset: str, out: Path, tmp: Path, token: str = TOKEN, *extra: str) -> Any:
    token_file = tmp / "token.txt"
    token_file.write_text(token + "\n")
    args = ["pull", "--kobo", asset, "--kobo-url", url, "--kobo-token-file", str(token_file),
            "--out", str(out), "--source", str(TEST_GUIDE), *extra]  # fmt: skip
    return CliRunner().invoke(main, args, env={"KOBO_TOKEN": None, "KOBO_URL": None})


@pytest.mark.skipif(
    DEMO_XLSX is None or not DEMO_XLSX.is_file(), reason="household_demo fixtures absent"
)
def test_download_path_brings_the_export_unchanged(tmp_path: Path) -> None:
    assert DEMO_XLSX is not None
    with FakeKobo(TOKEN, {"aDemoAsset": DEMO_XLSX}) as kobo:
        result = _pull(kobo.url, "aDemoAsset", tmp_path / "out", tmp_path, TOKEN,
                       "--save", str(tmp_path / "saved.xlsx"))  # fmt: skip
        methods = [(m, p) for m, p, _ in kobo.requests]
        auths = {auth for _, path, auth in kobo.requests if path.startswith("/api/")}
        setting = kobo.settings["aDemoAsset"][0]
    assert (tmp_path / "saved.xlsx").read_bytes() == DEMO_XLSX.read_bytes()
    assert auths == {f"Token {TOKEN}"}
    assert setting["name"] == SETTING_NAME and setting["export_settings"] == EXPORT_SETTINGS
    assert methods[:3] == [("GET", "/api/v2/assets/aDemoAsset/"),
                           ("GET", "/api/v2/assets/aDemoAsset/export-settings/"),
                           ("POST", "/api/v2/assets/aDemoAsset/export-settings/")]  # fmt: skip
    # another form's export: every record rejected with its reason, in one line, exit 2
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: no usable record")


def test_pull_scores_equal_javarosa(tmp_path: Path) -> None:
    guide = load_checked_guide(TEST_GUIDE)[0]
    emit_odk(guide, tmp_path / "odk")
    rng = random.Random(20261203)
    cases = [random_case(guide, rng) for _ in range(N_SUBMISSIONS)]
    form = form_of(guide)
    with JavaRosa(tmp_path / "odk" / f"{guide.form_id}.xml") as jr:
        results = jr.evaluate_many([nested_case(guide, c) for c in cases])
    java, subs = {}, []
    for number, result in enumerate(results):
        assert "fatal" not in result and not result["errors"], result
        iid = f"uuid:00000000-0000-4000-8000-{number:012d}"
        java[iid] = result
        subs.append(
            submission_from_javarosa(
                form, result, iid, number + 1, datetime(2026, 12, 3, 9, 0, number)
            )
        )
    export = write_kobo_xlsx(tmp_path / "export.xlsx", form, subs)
    with FakeKobo(TOKEN, {"aGuideAsset": export}, {"aGuideAsset": N_SUBMISSIONS}) as kobo:
        first = _pull(kobo.url, "aGuideAsset", tmp_path / "out", tmp_path)
        kobo.counts["aGuideAsset"] = N_SUBMISSIONS + 2  # two of an unknown version, say
        again = _pull(kobo.url, "aGuideAsset", tmp_path / "out2", tmp_path)
        posts = [m for m, p, _ in kobo.requests if m == "POST"]
    assert first.exit_code == 0 and "note:" not in first.output, first.output
    assert again.exit_code == 0 and posts == ["POST"]  # the export setting is made once, reused
    assert (
        f"KoboToolbox counts {N_SUBMISSIONS + 2} submission(s) but its export holds {N_SUBMISSIONS}"
        in again.output
    )
    doc = json.loads((tmp_path / "out" / "scores.json").read_text(encoding="utf-8"))
    assert len(doc["submissions"]) == N_SUBMISSIONS and doc["rejected"] == []
    for sub in doc["submissions"]:
        expected = expected_scores(guide, java[sub["instance_id"]])
        # Kobo leaves out empty repeat records: compare the records it has
        expected = {k: v for k, v in expected.items() if not isinstance(v, list)}
        diffs = {
            k: (sub["scores"][k], v) for k, v in expected.items() if not same(sub["scores"][k], v)
        }
        assert not diffs, (sub["instance_id"], diffs)


@pytest.mark.parametrize(
    "case", ["wrong token", "no such asset", "server down", "no token", "empty"]
)
def test_failures_are_one_line(tmp_path: Path, case: str) -> None:
    with FakeKobo(TOKEN, {"aGuideAsset": tmp_path / "unused.xlsx"}, {"aGuideAsset": 0}) as kobo:
        url = kobo.url
        if case == "empty":
            result, expected = (
                _pull(url, "aGuideAsset", tmp_path / "o", tmp_path),
                "has no submission yet",
            )
        if case == "wrong token":
            result, expected = (
                _pull(url, "aGuideAsset", tmp_path / "o", tmp_path, "bad"),
                "refused the API token",
            )
        elif case == "no such asset":
            result, expected = (
                _pull(url, "aNoSuchAsset", tmp_path / "o", tmp_path),
                "aNoSuchAsset does not exist",
            )
        elif case == "no token":
            args = [
                "pull",
                "--kobo",
                "aGuideAsset",
                "--kobo-url",
                url,
                "--out",
                str(tmp_path / "o"),
            ]
            result = CliRunner().invoke(main, args, env={"KOBO_TOKEN": None})
            expected = "no KoboToolbox API token"
    if case == "server down":  # the server above has stopped: nothing listens there now
        result, expected = _pull(url, "aGuideAsset", tmp_path / "o", tmp_path), "does not answer"
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: ") and expected in line, line
    assert not (tmp_path / "o").exists()
