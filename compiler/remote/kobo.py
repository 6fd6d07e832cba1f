"""KoboToolbox through its REST API v2: an export setting on the asset, then its data.xlsx.

The token comes from the environment (KOBO_TOKEN) or a file (`--kobo-token-file`), never from
the command line; it is sent as `Authorization: Token …`. The server is KoboToolbox's global
one unless KOBO_URL or `--kobo-url` names another (the EU server, a self-hosted one).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..diagnostics import UserError

DEFAULT_URL = "https://kf.kobotoolbox.org"
SETTING_NAME = "rightguide"
TIMEOUT = 120  # seconds: a synchronous export of many submissions takes a while
# What the importer reads best: XML names, every version's fields, select_multiple in both
# forms, typed cells, repeats on their own sheets (XLSX).
EXPORT_SETTINGS = {
    "type": "xls",
    "lang": "_xml",
    "fields_from_all_versions": "true",
    "group_sep": "/",
    "hierarchy_in_labels": "false",
    "multiple_select": "both",
    "xls_types_as_text": "false",
    "include_media_url": "false",
    "fields": [],
}


def kobo_token(token_file: Path | None) -> str:
    """The API token: from token_file, else KOBO_TOKEN (one line when neither has one)."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UserError(f"{token_file}: cannot read the Kobo token ({exc.strerror})") from None
        if not token:
            raise UserError(f"{token_file}: the file is empty; put the Kobo API token in it")
        return token
    token = os.environ.get("KOBO_TOKEN", "").strip()
    if not token:
        raise UserError(
            "no KoboToolbox API token: set KOBO_TOKEN or give --kobo-token-file FILE (Kobo: "
            "Account settings → Security → API key)"
        )
    return token


class Kobo:
    """A KoboToolbox server and one asset (project) on it."""

    def __init__(self, url: str | None, token: str, asset: str) -> None:
        import requests

        self.url = (url or os.environ.get("KOBO_URL") or DEFAULT_URL).rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise UserError(f"{self.url}: not a server address; give it as https://…")
        self.asset = asset
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Token {token}", "Accept": "application/json"}
        )

    def _request(
        self, method: str, url: str, what: str, ok: tuple[int, ...] = (200,), **kw: Any
    ) -> Any:
        import requests

        if url.startswith("/"):
            url = self.url + url
        try:
            response = self.session.request(method, url, timeout=TIMEOUT, **kw)
        except requests.ConnectionError:
            raise UserError(
                f"{self.url}: KoboToolbox does not answer (cannot connect); check --kobo-url or "
                "KOBO_URL and that the server is up"
            ) from None
        except requests.Timeout:
            raise UserError(
                f"{self.url}: KoboToolbox did not answer in {TIMEOUT} s ({what})"
            ) from None
        if response.status_code in ok:
            return response
        if response.status_code == 401:
            raise UserError(
                f"{self.url}: KoboToolbox refused the API token (HTTP 401); check KOBO_TOKEN"
            )
        if response.status_code in (403, 404):
            raise UserError(
                f"{self.url}: asset {self.asset} does not exist or this token cannot {what} "
                f"(HTTP {response.status_code}); check the asset UID (in the project's URL)"
            )
        detail = (
            response.text.strip().splitlines()[0][:200] if response.text.strip() else "no message"
        )
        raise UserError(f"{self.url}: cannot {what} (HTTP {response.status_code}: {detail})")

    def submission_count(self) -> int | None:
        """How many submissions KoboToolbox says the asset has (None when it does not say)."""
        asset = self._request("GET", f"/api/v2/assets/{self.asset}/", "read the project").json()
        count = asset.get("deployment__submission_count")
        return count if isinstance(count, int) else None

    def export_setting(self) -> dict[str, Any]:
        """The asset's export setting named `rightguide`, made (or brought up to date) here."""
        base = f"/api/v2/assets/{self.asset}/export-settings/"
        listed = self._request("GET", base, "read the export settings").json()
        for setting in listed.get("results", []):
            if setting.get("name") == SETTING_NAME:
                if setting.get("export_settings") == EXPORT_SETTINGS:
                    return setting
                return self._request(
                    "PATCH", f"{base}{setting['uid']}/", "update the export setting",
                    json={"name": SETTING_NAME, "export_settings": EXPORT_SETTINGS},
                ).json()  # fmt: skip
        return self._request(
            "POST", base, "create an export setting", ok=(200, 201),
            json={"name": SETTING_NAME, "export_settings": EXPORT_SETTINGS},
        ).json()  # fmt: skip

    def download_xlsx(self, target: Path) -> Path:
        """The asset's data as Kobo's XLSX export (one sheet per repeat) into target."""
        setting = self.export_setting()
        url = setting.get("data_url_xlsx")
        if not url:
            raise UserError(f"{self.url}: the export setting has no data_url_xlsx (not API v2?)")
        # the server answers with a redirect to the file (requests drops the token for another host)
        response = self._request(
            "GET", url, "download the XLSX export", stream=True, headers={"Accept": "*/*"}
        )
        with target.open("wb") as out:
            for chunk in response.iter_content(1 << 16):
                out.write(chunk)
        if not target.read_bytes()[:2] == b"PK":
            raise UserError(f"{self.url}: the export download is not an XLSX file")
        return target


def exported_submissions(path: Path) -> int:
    """The rows of the export's main sheet: the one with `_uuid` but no `_parent_index`."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = {str(v) for v in next(rows, ()) if v is not None}
            if "_uuid" in header and "_parent_index" not in header:
                return sum(1 for row in rows if any(v not in (None, "") for v in row)
                           and not str(row[0] or "").startswith("#"))  # fmt: skip
    finally:
        book.close()
    return 0
