"""Drive JavaRosa (ODK Collect's form engine) from Python tests.

``JavaRosa(xform)`` compiles ``tests/javarosa/FormEvaluator.java`` against the ODK
Validate jar bundled with pyxform (JavaRosa 5.1.0), starts one JVM that parses the
form once, and then fills a fresh copy of the form per case the way Collect does
(see the Java file's header for the exact filling rules).  Answers are stored even
when they violate a constraint; constraints are evaluated and reported afterwards.

JavaRosa semantics observed
---------------------------
Measured with JavaRosa 5.1.0 (pyxform 4.5.0), JVM in UTC; pinned by
tests/test_javarosa_harness.py.  "calc" = a pyxform ``calculate`` (bind type string).

1. Blank results.  A calc whose value is "" or NaN is stored blank (""):
   ``${blank} + 1`` -> "", ``0 div 0`` -> "", ``number('')`` -> "",
   ``round(${blank})`` -> "", ``max()``/``min()`` of an empty nodeset -> "".
   Infinity is kept: ``1 div 0`` -> "Infinity", ``-1 div 0`` -> "-Infinity".
2. Booleans.  A boolean calc is stored as "1"/"0" (``${a} > 2`` -> "1", ``true()`` -> "1")
   but other expressions read that node back as a boolean, not as a string:
   ``if(${b}, 'y', 'n')`` with b false -> "n"; ``${b} = 0`` -> true; ``${b} + 1`` -> 2;
   ``concat(${b})`` -> "false".  ``string(1 = 1)`` / ``concat(1 = 1, '')`` -> "true".
3. Number -> calc text.  If |x - trunc(x)| < 1e-9 (trunc toward zero) and x fits in
   int32: integer text ("3" for 3.0, "3" for 3.0000000001, "0" for -0); integral and
   fits in int64: integer text ("12345678000"); otherwise Java ``Double.toString``:
   "2.5", "0.3333333333333333", "0.30000000000000004", and scientific notation outside
   [1e-3, 1e7): 0.00001 -> "1.0E-5", 0.0001 -> "1.0E-4", 12345678.5 -> "1.23456785E7",
   1e20 -> "1.0E20".  2.9999999999 stays "2.9999999999" (the rule truncates).
4. Number -> string inside XPath (``string()``, ``concat()``): integral values without
   ".0", others ``Double.toString`` (``concat('', 0.00001)`` -> "1.0E-5",
   ``concat('', 3.0000000001)`` -> "3.0000000001"); NaN -> "NaN"
   (``concat('x', number(''))`` -> "xNaN"); booleans -> "true"/"false".
5. Question values.  A decimal answer is a Java double: "3" is stored "3.0", "2.50" ->
   "2.5"; read in expressions it is the number (``${dq}`` calc -> "3").  Integer answers
   are normalised (" 7 " -> "7"); beyond int32 they are rejected.  select_multiple keeps
   the given order, space separated.
6. Dates.  A date answer is "yyyy-mm-dd"; as a number it is days since 1970-01-01
   (``${d} + 1`` for 2024-02-28 -> "19782").  A calc whose value is a date (``${d}``,
   ``date(${d} + 1)``) is stored as a DATETIME: "2024-02-28T00:00:00.000Z" (JVM time
   zone; the harness runs UTC).  ``${d} < '2024-03-01'`` is false (the literal is NaN).
   ``format-date(${d}, '%Y/%m/%d')`` -> "2024/02/28".
7. Comparisons.  Blank vs number is false both ways: ``'' < 3``, ``number('') < 3``,
   ``${blank} < 3``, ``${blank} = 0`` are false; ``${blank} = ''`` is true.  ``<`` on
   strings is numeric (``'abc' < 'abd'`` false, ``'10' < '9'`` false).  ``=`` between two
   string literals is string equality (``'1.0' = '1'`` false) but a node compared with a
   number, or a number-typed node with a string, compares numerically
   (``${text} = 2`` true for "2"; ``${int} = '3'`` true; ``${dec} = '2.50'`` true for 2.5).
8. Aggregates.  ``sum()`` of an empty nodeset -> "0"; blank values are skipped by sum,
   min and max (values 1, blank, 3: sum 4, min 1, max 3; only blanks: sum "0", max "").
   ``count()`` counts blank relevant nodes.
9. Relevance.  Non-relevant nodes are left out of nodesets (``count(${q})`` skips repeat
   instances where q is non-relevant) and read as blank.  A value entered while a
   question was relevant stays in the instance (and in "values" here) after the question
   turns non-relevant, but expressions see "" (``concat('v:', ${x})`` -> "v:").
   Relevance is inherited from ancestors.
10. Functions.  ``round(2.5)`` -> 3, ``round(-2.5)`` -> -2 (half up toward +inf),
    ``round(2.345, 2)`` -> 2.35; ``int(-7 div 2)`` -> -3; ``-7 mod 3`` -> -1;
    ``pow(2, 10)`` -> 1024; ``boolean('false')`` -> true; ``if(${blank}, ...)`` takes the
    false branch; ``coalesce(${blank}, 5)`` -> "5"; ``selected-at(${sm}, 0)`` -> first value.
11. Constraints: a blank value satisfies any constraint (``.`` is the candidate value).
12. Repeats.  pyxform writes one initial instance per repeat: with the case key absent
    it stays (blank, ``count()`` = 1); ``[]`` deletes it (count 0).  jr:count repeats get
    instances up to the count but are never shrunk: a count of 0 still leaves the initial
    instance (count 1).  A non-relevant repeat keeps its initial, non-relevant instance.

Speed: javac ~0.7 s once (cached by source hash); JVM start + form load ~0.3 s; a
~45-node form with a repeat runs 1000 random cases at ~600 cases/s on a fresh JVM and
~2000 cases/s once warm (``evaluate_many``); ``evaluate`` one at a time ~420 cases/s;
outputs/right_guide.xml ~800 cases/s.
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
            [
                _tool("javac"),
                "-nowarn",
                "-encoding",
                "UTF-8",
                "-cp",
                str(jar),
                "-d",
                str(staging),
                str(JAVA_SOURCE),
            ],
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
    ``errors`` (answers that could not be set) and ``unused`` (case answers and
    repeat records never reached, e.g. non-relevant questions); or
    ``{"fatal": message}`` if the case crashed JavaRosa (the JVM carries on).
    Paths look like ``/data/grp/q`` and ``/data/rep[2]/q`` (1-based, template excluded).
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
            [
                _tool("java"),
                "-Xss16m",
                "-XX:+UseSerialGC",
                f"-Duser.timezone={timezone}",
                "-Dfile.encoding=UTF-8",
                "-cp",
                classpath,
                _MAIN_CLASS,
                str(self.xform_path),
            ],
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
        return JavaRosaError(
            f"JavaRosa JVM {what} (exit code {code}). stderr:\n{self._stderr_text()}"
        )

    def _read_line(self) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(timeout=10)
            raise self._died("exited unexpectedly")
        try:
            return json.loads(line)
        except ValueError:
            raise JavaRosaError(f"unexpected output from the JVM: {line[:500]!r}") from None

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
