"""Drive JavaRosa (ODK Collect's form engine) from Python tests.

SEMANTICS_PLACEHOLDER
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyxform

_TESTS_DIR = Path(__file__).resolve().parents[1]
JAVA_SOURCE = _TESTS_DIR / "javarosa" / "FormEvaluator.java"
DEFAULT_BUILD_DIR = _TESTS_DIR / ".javarosa_build"
_MAIN_CLASS = "FormEvaluator"


class JavaRosaError(RuntimeError):
    """The Java toolchain is missing, compilation failed, or the JVM died."""


def odk_validate_jar() -> Path:
    """Path of the ODK Validate jar (which bundles JavaRosa) shipped with pyxform."""
    jar = Path(pyxform.__file__).parent / "validators" / "odk_validate" / "bin" / "ODK_Validate.jar"
    if not jar.is_file():
        raise JavaRosaError(f"ODK Validate jar not found at {jar}")
    return jar


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise JavaRosaError(f"'{name}' not found on PATH: a JDK (17+) is needed for JavaRosa tests")
    return found


def compile_evaluator(build_dir: Path | None = None) -> Path:
    """Compile FormEvaluator.java once; return the directory holding its classes.

    The output is cached under a key made of the source and the jar's sha256, so
    editing either recompiles, and concurrent test workers never see half a build.
    """
    jar = odk_validate_jar()
    root = Path(build_dir) if build_dir is not None else DEFAULT_BUILD_DIR
    digest = hashlib.sha256()
    digest.update(JAVA_SOURCE.read_bytes())
    digest.update(jar.read_bytes())
    target = root / digest.hexdigest()[:20]
    if (target / f"{_MAIN_CLASS}.class").is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    try:
        result = subprocess.run(
            [_tool("javac"), "-nowarn", "-encoding", "UTF-8", "-cp", str(jar),
             "-d", str(staging), str(JAVA_SOURCE)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise JavaRosaError(f"javac failed:\n{result.stdout}{result.stderr}")
        try:
            staging.rename(target)
        except OSError:
            if not (target / f"{_MAIN_CLASS}.class").is_file():  # not a lost race
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


class JavaRosa:
    """One JVM holding one parsed XForm; fills it once per case, as ODK Collect would.

    A case is a nested dict mirroring the main instance below its root element:
    dicts are groups, lists are repeat instances (each a dict), values are answers as
    XForm text (select_multiple space separated, dates yyyy-mm-dd); an absent or None
    key is left unanswered.  The result of a case is a dict with
    ``values`` (path -> serialised value, "" when empty), ``relevant`` (path -> bool,
    ancestors included), ``constraint`` (path -> bool, for nodes with a constraint),
    ``errors`` (answers that could not be set) and ``unused`` (case paths never
    reached, e.g. non-relevant questions); or ``{"fatal": message}`` if the case
    crashed JavaRosa.  Paths look like ``/data/grp/q`` and ``/data/rep[2]/q``.
    """

    def __init__(
        self,
        xform_path: Path | str,
        build_dir: Path | None = None,
        timezone: str = "UTC",
    ) -> None:
        """Compile the evaluator if needed and start a JVM on ``xform_path``."""
        self.xform_path = Path(xform_path)
        if not self.xform_path.is_file():
            raise FileNotFoundError(self.xform_path)
        classes = compile_evaluator(build_dir)
        classpath = os.pathsep.join([str(odk_validate_jar()), str(classes)])
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [_tool("java"), "-Xss16m", "-XX:+UseSerialGC", f"-Duser.timezone={timezone}",
             "-Dfile.encoding=UTF-8", "-cp", classpath, _MAIN_CLASS, str(self.xform_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        try:
            ready = self._read_line()
        except BaseException:
            self.close()
            raise
        if not ready.get("ready"):
            message = ready.get("fatal", ready)
            self.close()
            raise JavaRosaError(f"JavaRosa could not load {self.xform_path}:\n{message}")
        self.root: str = ready["root"]

    # -- protocol ---------------------------------------------------------------

    def _stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-20000:]

    def _died(self, what: str) -> JavaRosaError:
        code = self._proc.poll() if self._proc is not None else None
        return JavaRosaError(f"JavaRosa JVM {what} (exit code {code}). stderr:\n{self._stderr_text()}")

    def _read_line(self) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(timeout=10)
            raise self._died("exited unexpectedly")
        return json.loads(line)

    def evaluate(self, case: dict[str, Any]) -> dict[str, Any]:
        """Fill the form with one case and return JavaRosa's report."""
        return self.evaluate_many([case])[0]

    def evaluate_many(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Evaluate cases in order, streaming them to the JVM while reading results."""
        if self._proc is None:
            raise JavaRosaError("JavaRosa evaluator is closed")
        payload = b"".join(
            json.dumps(case, ensure_ascii=False).encode("utf-8") + b"\n" for case in cases
        )
        with self._lock:
            if self._proc.poll() is not None:
                raise self._died("is not running")
            def feed() -> None:
                assert self._proc is not None and self._proc.stdin is not None
                try:
                    self._proc.stdin.write(payload)
                    self._proc.stdin.flush()
                except OSError:  # the JVM is gone; the reader reports it with its stderr
                    pass

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            try:
                results = [self._read_line() for _ in cases]
            finally:
                writer.join(timeout=30)
        return results

    # -- lifecycle --------------------------------------------------------------

    def close(self) -> None:
        """Stop the JVM (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if proc.stdin is not None:
                    proc.stdin.close()
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
            finally:
                if proc.stdout is not None:
                    proc.stdout.close()
        self._stderr.close()

    def __enter__(self) -> JavaRosa:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
