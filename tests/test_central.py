"""`rightguide publish` and `rightguide pull` against a real ODK Central backend.

The backend (central-backend from shared/vendor, on Node 24 and PostgreSQL, 127.0.0.1 only) is
started once per session in the background (conftest); these tests wait for it. Submissions
are what ODK Collect sends for answers JavaRosa filled; the pulled export's scores must equal
JavaRosa's.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from producers.collect import instance_xml
from producers.form import form_of
from support import central_server
from support.cases import nested_case, random_case
from support.javarosa import JavaRosa
from support.javarosa_scores import expected_scores, same
from support.phone import submission_from_javarosa

from compiler.build import emit_odk
from compiler.cli import main
from compiler.loader import load_checked_guide
from compiler.manifest import MANIFEST, manifest_bytes, manifest_dict
from compiler.model import Guide

ROOT = Path(__file__).resolve().parents[1]
TEST_GUIDE = ROOT / "tests" / "guides" / "full"
N_SUBMISSIONS = 4
SEED = 20261203


@pytest.fixture(scope="module")
def central() -> central_server.Central:
    why = central_server.missing()
    if why:
        pytest.skip(why)
    server = central_server.session()
    if server is central_server.SESSION and not server._started:
        server.start_in_background()
    server.wait()
    assert server.error is None, f"ODK Central did not start: {server.error}"
    return server


@pytest.fixture(scope="module")
def site(
    central: central_server.Central, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A project on the server, a pyodk config for it, and the test guide built into out/."""
    tmp = tmp_path_factory.mktemp("central")
    token = requests.post(
        central.url + "/v1/sessions", json={"email": central.email, "password": central.password},
        timeout=30,
    ).json()["token"]  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    project = requests.post(
        central.url + "/v1/projects", json={"name": "rightguide tests"}, headers=auth, timeout=30
    ).json()["id"]
    config = _config(tmp / "pyodk.toml", central.url, central.email, central.password, project)
    guide = load_checked_guide(TEST_GUIDE)[0]
    out = tmp / "out"
    _build(guide, out)
    return {
        "tmp": tmp,
        "auth": auth,
        "project": project,
        "config": config,
        "guide": guide,
        "out": out,
    }


def _config(path: Path, url: str, user: str, password: str, project: int) -> Path:
    path.write_text(
        f'[central]\nbase_url = "{url}"\nusername = "{user}"\npassword = "{password}"\n'
        f"default_project_id = {project}\n"
    )
    return path


def _build(guide: Guide, out: Path) -> None:
    """The XForm and its manifest, as `rightguide build` writes them."""
    out.mkdir(parents=True, exist_ok=True)
    files = emit_odk(guide, out)
    (out / MANIFEST).write_bytes(manifest_bytes(manifest_dict(guide, out, files)))


def _run(args: list[str], tmp: Path, cache: str = "pyodk_cache.toml") -> Any:
    # pyodk keeps its session token in a cache file (and uses it while it is valid, whatever
    # the password): one per account here, none in the home folder
    env = {"PYODK_CACHE_FILE": str(tmp / cache), "PYODK_CONFIG_FILE": None}
    return CliRunner().invoke(main, args, env=env)


def _publish(site: dict[str, Any], out: Path | None = None, **kw: Any) -> Any:
    args = [
        "publish",
        "--out",
        str(out or site["out"]),
        "--config",
        str(kw.get("config", site["config"])),
    ]
    if "project" in kw:
        args += ["--project", str(kw["project"])]
    return _run(args, site["tmp"])


def _draft_status(central: central_server.Central, site: dict[str, Any], form_id: str) -> int:
    url = f"{central.url}/v1/projects/{site['project']}/forms/{form_id}/draft"
    return requests.get(url, headers=site["auth"], timeout=30).status_code


def test_publish_submit_pull_and_score(
    central: central_server.Central, site: dict[str, Any]
) -> None:
    guide, tmp = site["guide"], site["tmp"]
    first = _publish(site)
    assert first.exit_code == 0, first.output
    assert f"published {guide.form_id} version {guide.version}" in first.output
    again = _publish(site)
    assert again.exit_code == 0 and "already published" in again.output, again.output
    assert _draft_status(central, site, guide.form_id) == 404

    empty = _run(["pull", "--out", str(tmp / "empty"), "--config", str(site["config"]),
                  "--source", str(TEST_GUIDE)], tmp)  # fmt: skip
    assert empty.exit_code == 2 and "has no submission yet" in empty.output, empty.output
    assert not (tmp / "empty").exists()

    # what ODK Collect sends for answers JavaRosa filled, posted to Central
    rng = random.Random(SEED)
    cases = [random_case(guide, rng) for _ in range(N_SUBMISSIONS)]
    form = form_of(guide)
    java: dict[str, dict[str, Any]] = {}
    with JavaRosa(site["out"] / f"{guide.form_id}.xml") as jr:
        results = jr.evaluate_many([nested_case(guide, c) for c in cases])
    for number, result in enumerate(results):
        assert "fatal" not in result and not result["errors"], result
        iid = f"uuid:00000000-0000-4000-8000-{number:012d}"
        java[iid] = result
        sub = submission_from_javarosa(
            form, result, iid, number + 1, datetime(2026, 12, 3, 10, 0, number)
        )
        posted = requests.post(
            f"{central.url}/v1/projects/{site['project']}/forms/{guide.form_id}/submissions",
            data=instance_xml(form, sub), headers={**site["auth"], "Content-Type": "application/xml"},
            timeout=30,
        )  # fmt: skip
        assert posted.status_code == 200, posted.text

    saved = tmp / "kept.zip"
    pulled = _run(["pull", "--out", str(tmp / "scored"), "--config", str(site["config"]),
                   "--save", str(saved), "--source", str(TEST_GUIDE)], tmp)  # fmt: skip
    assert pulled.exit_code == 0, pulled.output
    assert saved.read_bytes()[:2] == b"PK"
    doc = json.loads((tmp / "scored" / "scores.json").read_text(encoding="utf-8"))
    assert len(doc["submissions"]) == N_SUBMISSIONS and doc["rejected"] == []
    for sub in doc["submissions"]:
        expected = expected_scores(guide, java[sub["instance_id"]])
        diffs = {
            k: (sub["scores"][k], v) for k, v in expected.items() if not same(sub["scores"][k], v)
        }
        assert not diffs, (sub["instance_id"], diffs)


def test_same_version_other_content_is_refused(
    central: central_server.Central, site: dict[str, Any]
) -> None:
    guide, tmp = site["guide"], site["tmp"]
    assert _publish(site).exit_code == 0  # published (or already there)
    changed = tmp / "changed"
    _build(guide, changed)
    xform = changed / f"{guide.form_id}.xml"
    xform.write_text(
        xform.read_text(encoding="utf-8").replace("Name of the measure", "Name of the policy")
    )
    (changed / MANIFEST).write_bytes(
        manifest_bytes(manifest_dict(guide, changed, [_xform_entry(guide)]))
    )
    result = _publish(site, changed)
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: ") and "other content" in line and "raise 'version'" in line
    assert _draft_status(central, site, guide.form_id) == 404

    # the same change under a new version is published, and leaves no draft
    xform.write_text(xform.read_text(encoding="utf-8").replace(
        f'version="{guide.version}"', f'version="{guide.version}9"'))  # fmt: skip
    import dataclasses

    newer = dataclasses.replace(guide, version=guide.version + "9")
    (changed / MANIFEST).write_bytes(
        manifest_bytes(manifest_dict(newer, changed, [_xform_entry(guide)]))
    )
    result = _publish(site, changed)
    assert result.exit_code == 0 and "(new version)" in result.output, result.output
    assert _draft_status(central, site, guide.form_id) == 404
    # going back to the older version: Central refuses to publish it again; no draft is left
    result = _publish(site)
    assert result.exit_code == 2 and "published before" in result.output, result.output
    assert _draft_status(central, site, guide.form_id) == 404


def _xform_entry(guide: Guide) -> Any:
    from compiler.emitters import OutputFile

    return OutputFile("xform", f"{guide.form_id}.xml")


@pytest.mark.parametrize("case", ["wrong password", "server down", "no such project"])
def test_failures_are_one_line(
    central: central_server.Central, site: dict[str, Any], case: str
) -> None:
    tmp = site["tmp"]
    config, project, expected = site["config"], None, ""
    if case == "wrong password":
        config = _config(
            tmp / "bad.toml", central.url, central.email, "not the password", site["project"]
        )
        expected = "refused the login"
    elif case == "server down":
        port = central_server.free_port()  # nothing listens there
        config = _config(tmp / "down.toml", f"http://127.0.0.1:{port}", central.email, "x", 1)
        expected = "does not answer"
    else:
        project, expected = 987654, "project 987654 does not exist"
    for command in ("publish", "pull"):
        args = [command, "--out", str(site["out"] if command == "publish" else tmp / "x"),
                "--config", str(config), "--source", str(TEST_GUIDE)]  # fmt: skip
        if command == "publish":
            args.remove("--source")
            args.remove(str(TEST_GUIDE))
        if project is not None:
            args += ["--project", str(project)]
        result = _run(args, tmp, cache=f"{case}.toml")
        assert result.exit_code == 2, (command, result.output)
        [line] = result.output.strip().splitlines()
        assert line.startswith("error: ") and expected in line, (command, line)


def test_config_from_the_environment(central: central_server.Central, site: dict[str, Any]) -> None:
    guide, tmp = site["guide"], site["tmp"]
    env = {
        "ODK_CENTRAL_URL": central.url, "ODK_CENTRAL_USERNAME": central.email,
        "ODK_CENTRAL_PASSWORD": central.password, "PYODK_CONFIG_FILE": str(tmp / "none.toml"),
        "PYODK_CACHE_FILE": str(tmp / "env_cache.toml"),
    }  # fmt: skip
    args = ["pull", "--out", str(tmp / "from_env"), "--project", str(site["project"]),
            "--source", str(TEST_GUIDE), "--form", guide.form_id]  # fmt: skip
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert (tmp / "from_env" / "scores.json").is_file()
