"""ODK Central through pyodk, ODK's own client: publish the built form, download submissions.

Credentials come from pyodk's configuration file (`--config`, else PYODK_CONFIG_FILE, else
~/.pyodk_config.toml) or from the environment (ODK_CENTRAL_URL, ODK_CENTRAL_USERNAME,
ODK_CENTRAL_PASSWORD, all three), never from the command line. Every failure is a UserError
of one line.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import UserError
from ..manifest import read_manifest, sha256

ENV = ("ODK_CENTRAL_URL", "ODK_CENTRAL_USERNAME", "ODK_CENTRAL_PASSWORD")
TIMEOUT = 60  # seconds for one request: a big export takes a while


@dataclass(frozen=True)
class BuiltForm:
    """The XForm `rightguide build` wrote, as its manifest describes it."""

    form_id: str
    version: str
    path: Path
    sha256: str


def built_forms(out_dir: Path, only: str | None = None) -> list[BuiltForm]:
    """The built XForms (every form of the source, or the one named), checked against their
    manifest: one line when the build is missing or stale."""
    manifest = read_manifest(out_dir)
    where = out_dir / "manifest.json"
    if not manifest:
        raise UserError(f"{where}: no build found; run 'rightguide build' first")
    versions = {f.get("id"): f.get("version") for f in manifest.get("forms", [])}
    versions.setdefault(manifest.get("form_id"), manifest.get("version"))
    forms = []
    for entry in manifest.get("outputs", []):
        if entry.get("kind") != "xform":
            continue
        form_id = entry.get("form") or manifest.get("form_id")
        if only is not None and form_id != only:
            continue
        path = out_dir / entry["path"]
        if not path.is_file() or sha256(path) != entry["sha256"]:
            raise UserError(
                f"{path}: missing or changed since the build; run 'rightguide build' again"
            )
        forms.append(BuiltForm(form_id, str(versions.get(form_id)), path, entry["sha256"]))
    if not forms:
        known = ", ".join(str(v) for v in versions)
        what = f"no XForm of form '{only}' (built: {known})" if only else "no XForm"
        raise UserError(f"{where}: {what}; run 'rightguide build' again or check --form")
    return forms


def _quiet_pyodk() -> None:
    # pyodk logs each error with its traceback before raising it: the command says it once
    logger = logging.getLogger("pyodk")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False


def _config(config_path: Path | None) -> Any:
    from pyodk._utils import config as pyodk_config
    from pyodk.errors import PyODKError

    if config_path is None and all(os.environ.get(name) for name in ENV):
        return pyodk_config.Config(
            central=pyodk_config.CentralConfig(
                base_url=os.environ[ENV[0]],
                username=os.environ[ENV[1]],
                password=os.environ[ENV[2]],
            )
        )
    path = pyodk_config.get_config_path(config_path)
    if not path.is_file():
        raise UserError(
            f"{path}: no ODK Central settings; write pyodk's config file there ([central] "
            f"base_url, username, password, default_project_id) or set {', '.join(ENV)}"
        )
    try:
        return pyodk_config.read_config(path)
    except (PyODKError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{path}: not a usable pyodk config file ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class Central:
    """A logged-in pyodk client and the project it works in."""

    def __init__(self, config_path: Path | None, project: int | None) -> None:
        from pyodk.client import Client

        _quiet_pyodk()
        config = _config(config_path)
        self.url = config.central.base_url.rstrip("/")
        self.project = project if project is not None else config.central.default_project_id
        if self.project is None:
            raise UserError(
                "no ODK Central project: give --project ID or default_project_id in the config"
            )
        self.client = Client(config=config)
        self._call(self.client.open, "log in")

    def __enter__(self) -> Central:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def _call(self, action: Any, what: str) -> Any:
        """Run a pyodk or HTTP call; connection and login failures become one line."""
        import requests
        from pyodk.errors import PyODKError

        try:
            return action()
        except requests.ConnectionError:
            raise UserError(
                f"{self.url}: ODK Central does not answer (cannot connect); check the address "
                "and that the server is up"
            ) from None
        except requests.Timeout:
            raise UserError(
                f"{self.url}: ODK Central did not answer in {TIMEOUT} s ({what})"
            ) from None
        except PyODKError as exc:
            text = str(exc)
            if "login request failed" in text and ("401" in text or "Status: 4" in text):
                raise UserError(
                    f"{self.url}: ODK Central refused the login (wrong username or password in "
                    "the pyodk config)"
                ) from None
            raise UserError(f"{self.url}: cannot {what} ({_first_line(exc)})") from None

    def request(
        self, method: str, path: str, what: str, ok: tuple[int, ...] = (200,), **kw: Any
    ) -> Any:
        """One request to the API (path below /v1/); a status not in ok is one line."""
        response = self._call(
            lambda: self.client.session.request(method, path, timeout=TIMEOUT, **kw), what
        )
        if response.status_code in ok:
            return response
        if response.status_code == 404 and path.startswith(f"projects/{self.project}"):
            self.check_project()
        if response.status_code in (401, 403):
            raise UserError(
                f"{self.url}: ODK Central refused to {what} in project {self.project} "
                f"(HTTP {response.status_code}): this account may not do that there"
            )
        message = _problem(response)
        raise UserError(f"{self.url}: cannot {what} (HTTP {response.status_code}: {message})")

    def check_project(self) -> None:
        response = self._call(
            lambda: self.client.session.get(f"projects/{self.project}", timeout=TIMEOUT),
            "read the project",
        )
        if response.status_code in (403, 404):
            raise UserError(
                f"{self.url}: project {self.project} does not exist or this account cannot see it; "
                "check --project or default_project_id"
            )


def _problem(response: Any) -> str:
    try:
        return str(response.json().get("message", "")).splitlines()[0][:200]
    except (ValueError, AttributeError, IndexError):
        return (
            response.text.strip().splitlines()[0][:200] if response.text.strip() else "no message"
        )


@dataclass(frozen=True)
class Published:
    """What publish did: 'created', 'new version' or 'unchanged'."""

    action: str
    form_id: str
    version: str
    project: int


def publish(central: Central, form: BuiltForm) -> Published:
    """Put the built form on Central: create it, publish a new version, or nothing when Central
    already has this version with the same sha256. A same version with other content is
    refused; a draft this made is deleted when it cannot be published."""
    xml = form.path.read_bytes()
    headers = {"Content-Type": "application/xml"}
    base = f"projects/{central.project}/forms"
    current = central.request("GET", f"{base}/{form.form_id}", "read the form", ok=(200, 404))
    if current.status_code == 404:
        central.check_project()
        central.request("POST", base, "create the form", params={"publish": "true"},
                        data=xml, headers=headers)  # fmt: skip
        return Published("created", form.form_id, form.version, central.project)
    version = current.json().get("version")
    if version == form.version:
        published = central.request("GET", f"{base}/{form.form_id}.xml", "read the form's XForm")
        theirs = hashlib.sha256(published.content).hexdigest()
        if theirs == form.sha256:
            return Published("unchanged", form.form_id, form.version, central.project)
        raise UserError(
            f"{central.url}: project {central.project} already has {form.form_id} version "
            f"{form.version} with other content (sha256 {theirs[:12]}…, built {form.sha256[:12]}…); "
            "raise 'version' in guide.yaml and build again"
        )
    draft = f"{base}/{form.form_id}/draft"
    central.request("POST", draft, "upload the new version as a draft", data=xml, headers=headers)
    try:
        published = central.request("POST", f"{draft}/publish", "publish the draft", ok=(200, 409))
        if published.status_code == 409:
            raise UserError(
                f"{central.url}: project {central.project} had {form.form_id} version "
                f"{form.version} published before (Central keeps every version; {version} is "
                "published now): raise 'version' in guide.yaml and build again"
            )
    except UserError:
        # never leave a stray draft: the form stays as it was
        central.request("DELETE", draft, "delete the unpublished draft", ok=(200, 404))
        raise
    return Published("new version", form.form_id, form.version, central.project)


def submission_count(central: Central, form_id: str) -> int | None:
    """How many submissions Central holds for the form (its extended metadata)."""
    response = central.request(
        "GET", f"projects/{central.project}/forms/{form_id}", f"read the form {form_id}",
        headers={"X-Extended-Metadata": "true"},
    )  # fmt: skip
    count = response.json().get("submissions")
    return count if isinstance(count, int) else None


def download_submissions(central: Central, form_id: str, target: Path) -> Path:
    """Central's `submissions.csv.zip` (main table, one per repeat) into target. pyodk has
    no method for it: its logged-in session is used."""
    response = central.request(
        "GET",
        f"projects/{central.project}/forms/{form_id}/submissions.csv.zip",
        f"download the submissions of {form_id}",
        stream=True,
    )
    with target.open("wb") as out:
        for chunk in response.iter_content(1 << 16):
            out.write(chunk)
    return target
