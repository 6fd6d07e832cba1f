"""A local stand-in for KoboToolbox's REST API v2 export endpoints, on 127.0.0.1.

A real KoboToolbox cannot run here (it needs MongoDB, which no reachable registry offers), so
the client is tested against a server that answers as the documented API does (kpi's
AssetExportSettingsViewSet): token authentication, export settings listed, created and
updated under /api/v2/assets/<uid>/export-settings/, and the synchronous `data.xlsx`, which
answers with a redirect to the export file. The files served are real exports or exports made
by the project's producers (benchmarks/producers), never by the reader under test.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REQUIRED = ("fields_from_all_versions", "group_sep", "hierarchy_in_labels", "lang",
            "multiple_select", "type")  # fmt: skip
SETTINGS = re.compile(
    r"^/api/v2/assets/(?P<asset>[^/]+)/export-settings/(?:(?P<uid>[^/]+)/(?P<data>data\.xlsx)?)?$"
)


@dataclass
class FakeKobo:
    """The server: assets (uid -> export file), the token it accepts, what it was asked."""

    token: str
    assets: dict[str, Path]
    counts: dict[str, int] = field(default_factory=dict)  # the submissions each asset counts
    settings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, auth
    url: str = ""

    def __enter__(self) -> FakeKobo:
        kobo = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in (headers or {"Content-Type": "application/json"}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                auth = self.headers.get("Authorization")
                kobo.requests.append((method, self.path, auth))
                if self.path.startswith("/media/"):  # the export file itself: no token needed
                    asset = self.path.split("/")[2]
                    self._send(200, kobo.assets[asset].read_bytes(),
                               {"Content-Type": "application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet"})  # fmt: skip
                    return
                if auth != f"Token {kobo.token}":
                    self._send(401, {"detail": "Invalid token."})
                    return
                asset_match = re.match(r"^/api/v2/assets/([^/]+)/$", self.path)
                if asset_match and asset_match[1] in kobo.assets and method == "GET":
                    self._send(200, {"uid": asset_match[1], "asset_type": "survey",
                                     "deployment__submission_count": kobo.counts.get(asset_match[1])})  # fmt: skip
                    return
                match = SETTINGS.match(self.path)
                if not match or match["asset"] not in kobo.assets:
                    self._send(404, {"detail": "Not found."})
                    return
                asset = match["asset"]
                listed = kobo.settings.setdefault(asset, [])
                if match["data"]:
                    self._send(302, b"", {"Location": f"{kobo.url}/media/{asset}/export.xlsx"})
                elif method == "GET" and not match["uid"]:
                    self._send(200, {"count": len(listed), "next": None, "previous": None,
                                     "results": listed})  # fmt: skip
                elif method in ("POST", "PATCH"):
                    length = int(self.headers.get("Content-Length", "0"))
                    body = json.loads(self.rfile.read(length) or b"{}")
                    missing = [k for k in REQUIRED if k not in body.get("export_settings", {})]
                    if missing or not body.get("name"):
                        self._send(
                            400, {"export_settings": [f"`{k}` must be included" for k in missing]}
                        )
                        return
                    uid = match["uid"] or f"es{len(listed) + 1:020d}"
                    base = f"{kobo.url}/api/v2/assets/{asset}/export-settings/{uid}/"
                    setting = {"uid": uid, "url": base, "name": body["name"],
                               "data_url_csv": base + "data.csv", "data_url_xlsx": base + "data.xlsx",
                               "date_modified": "2026-12-03T10:00:00Z",
                               "export_settings": body["export_settings"]}  # fmt: skip
                    listed[:] = [s for s in listed if s["uid"] != uid] + [setting]
                    self._send(201 if method == "POST" else 200, setting)
                else:
                    self._send(405, {"detail": f'Method "{method}" not allowed.'})

            def do_GET(self) -> None:  # noqa: N802 - http.server's names
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

            def do_PATCH(self) -> None:  # noqa: N802
                self._handle("PATCH")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
