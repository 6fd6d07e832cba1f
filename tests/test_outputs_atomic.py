"""`rightguide score --out DIR` shows the previous results or the new ones, never a mix:
the real command in a subprocess, killed (SIGKILL, SIGTERM) at random moments while it writes,
two runs at once into one DIR, a DIR that cannot take the results, and results of the earlier
layout taken over. Outputs are byte-reproducible, so "old or new" is checked byte for byte."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import builders as b

from compiler.analysis.outputs.publish import RESULTS
from compiler.cli import main

GUIDE = Path(__file__).parent / "guides" / "full"
BUSY = "another 'rightguide score' is writing results here; wait for it to finish, or give another --out"


def run(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "compiler.cli", "score", *args, "--source", str(GUIDE)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def shown(out: Path) -> dict[str, bytes]:
    """What a reader of DIR sees at the results' paths (the files of its folders too)."""
    files = {n: (out / n).read_bytes() for n in RESULTS if (out / n).is_file()}
    for folder in ("dossiers", "consultations"):
        if (out / folder).is_dir():
            files |= {f"{folder}/{p.relative_to(out / folder)}": p.read_bytes()
                      for p in sorted((out / folder).rglob("*")) if p.is_file()}  # fmt: skip
    return files


def leftovers(out: Path) -> list[str]:
    """Anything in DIR that a finished run must not leave: dead runs' folders, unused links."""
    runs = out / ".rightguide" / "runs"
    current = os.readlink(out / ".rightguide" / "current")
    found = [f"runs/{p.name}" for p in runs.iterdir() if f"runs/{p.name}" != current]
    found += [p.name for p in out.glob(".*") if p.name != ".rightguide"]
    found += [p.name for p in (out / ".rightguide").iterdir() if p.name not in ("runs", "current", "lock")]
    return found


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, bytes]]]:
    """Two inputs giving different results, and the results each gives alone."""
    work = tmp_path_factory.mktemp("atomic")
    (work / "a.csv").write_bytes(b.kobo_csv(b.sample(400)))
    (work / "b.xml").write_bytes(b.collect_xml(b.sample(3)[2]))
    expected = {}
    for name in ("a.csv", "b.xml"):
        proc = run(work, name, "--out", f"alone_{name}")
        assert proc.wait(120) == 0, proc.stderr.read()
        expected[name] = shown(work / f"alone_{name}")
        assert {n.split("/")[0] for n in expected[name]} == set(RESULTS)
    assert expected["a.csv"]["scores.json"] != expected["b.xml"]["scores.json"]
    return work, expected


def _write_phase(work: Path, out: str, name: str) -> float:
    """Seconds from the run folder's appearing to the process's end (calibration)."""
    runs = work / out / ".rightguide" / "runs"
    before = set(runs.iterdir()) if runs.is_dir() else set()
    proc = run(work, name, "--out", out)
    while proc.poll() is None and not (runs.is_dir() and set(runs.iterdir()) - before):
        time.sleep(0.001)
    started = time.monotonic()
    assert proc.wait(120) == 0
    return time.monotonic() - started


def test_killed_at_random_moments_never_mixes(inputs: tuple[Path, dict]) -> None:
    work, expected = inputs
    out = work / "killed"
    rng = random.Random(13)
    window = max(_write_phase(work, "killed", "a.csv"), 0.05)
    previous = expected["a.csv"]
    assert shown(out) == previous
    landed_while_writing = 0
    for attempt in range(16):
        name = ("b.xml", "a.csv")[attempt % 2]
        sig = (signal.SIGKILL, signal.SIGTERM)[(attempt // 2) % 2]
        runs = out / ".rightguide" / "runs"
        before = set(runs.iterdir())
        proc = run(work, name, "--out", "killed")
        if attempt % 4 == 3:  # anywhere in the run, imports and reading included
            time.sleep(rng.uniform(0, 1.5))
        else:  # while it writes: once its run folder exists
            while proc.poll() is None and not set(runs.iterdir()) - before:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, window))
        writing = proc.poll() is None and bool(set(runs.iterdir()) - before)
        proc.send_signal(sig)
        code = proc.wait(60)
        stderr = proc.stderr.read().decode()
        assert "Traceback" not in stderr, stderr
        now = shown(out)
        assert now in (previous, expected[name]), (attempt, sig, code, sorted(now))
        if code == 0:
            assert now == expected[name]
        if sig == signal.SIGTERM and code == 143:  # caught while writing: said, and cleaned
            said = {"the previous results are kept": now == previous,
                    "the new results are in place": now == expected[name]}  # fmt: skip
            assert stderr.splitlines()[-1] in [
                f"error: killed: stopped (SIGTERM) while writing; {what}" for what, true in said.items() if true
            ]
        landed_while_writing += writing and code != 0
        previous = now
    assert landed_while_writing >= 4  # the kills did hit the writing, not only before or after
    # the next run removes what the killed ones left, and shows its own results
    proc = run(work, "b.xml", "--out", "killed")
    assert proc.wait(120) == 0
    assert shown(out) == expected["b.xml"]
    assert leftovers(out) == []


def _locked(path: Path) -> bool:
    """True when some process holds a lock on this file (read from /proc/locks, so the test
    never takes the lock itself and never races the run it watches)."""
    inode = f":{os.stat(path).st_ino}"  # lines: "1: FLOCK ADVISORY WRITE <pid> <dev>:<inode> 0 EOF"
    lines = Path("/proc/locks").read_text().splitlines()
    return any(field.endswith(inode) for line in lines for field in line.split())


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")
def test_second_run_into_the_same_folder_is_refused(inputs: tuple[Path, dict]) -> None:
    work, expected = inputs
    (work / "many.csv").write_bytes(b.kobo_csv(b.sample(12000)))
    first = run(work, "b.xml", "--out", "both")
    assert first.wait(120) == 0
    slow = run(work, "many.csv", "--out", "both")
    lock = work / "both" / ".rightguide" / "lock"
    while slow.poll() is None and not _locked(lock):
        time.sleep(0.005)
    second = run(work, "a.csv", "--out", "both")
    assert second.wait(120) == 2
    assert second.stderr.read().decode().splitlines() == [f"error: both: {BUSY}"]
    assert slow.wait(300) == 0, slow.stderr.read()
    assert b'"instance_id"' in (work / "both" / "scores.json").read_bytes()
    assert (work / "both" / "scores.json").read_bytes().count(b'"instance_id"') >= 12000
    assert leftovers(work / "both") == []


def test_lock_held_elsewhere_refuses_at_once(inputs: tuple[Path, dict]) -> None:
    work, expected = inputs
    proc = run(work, "b.xml", "--out", "held")
    assert proc.wait(120) == 0
    with open(work / "held" / ".rightguide" / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        started = time.monotonic()
        proc = run(work, "a.csv", "--out", "held")
        assert proc.wait(120) == 2
        assert time.monotonic() - started < 10
    assert proc.stderr.read().decode().splitlines() == [f"error: held: {BUSY}"]
    assert shown(work / "held") == expected["b.xml"]


def _cli(cwd: Path, *args: str) -> tuple[int, list[str]]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["score", *args, "--source", str(GUIDE)])
    finally:
        os.chdir(old)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr.splitlines()


def test_a_result_name_taken_by_a_folder_changes_nothing(inputs: tuple[Path, dict]) -> None:
    work, expected = inputs
    proc = run(work, "b.xml", "--out", "taken")
    assert proc.wait(120) == 0
    (work / "taken" / "report.pdf").unlink()
    (work / "taken" / "report.pdf").mkdir()
    before = shown(work / "taken")
    assert _cli(work, "a.csv", "--out", "taken") == (
        2, ["error: taken/report.pdf: is a folder, not a rightguide result; move it away or "
            "give another --out"])  # fmt: skip
    assert shown(work / "taken") == before


def test_out_checked_before_any_input_is_read(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    fifo = tmp_path / "never.csv"
    os.mkfifo(fifo)  # reading it would hang: the --out line must come first
    assert _cli(tmp_path, "never.csv", "--out", "file") == (
        2, ["error: file: is a file, not a folder; give --out a folder (it is made when missing)"])  # fmt: skip
    assert _cli(tmp_path, "never.csv", "--out", "file/sub") == (
        2, ["error: file/sub: cannot be made, as file is a file, not a folder; give --out a folder"])  # fmt: skip


def test_results_of_the_earlier_layout_are_taken_over(inputs: tuple[Path, dict], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    work, expected = inputs
    out = tmp_path / "plain"
    out.mkdir()
    for name, data in expected["a.csv"].items():  # plain files, as earlier versions wrote them
        (out / name).parent.mkdir(exist_ok=True)  # and a plain dossiers folder (a copy, cp -rL)
        (out / name).write_bytes(data)
    (out / ".rightguide-x1.tmp").mkdir()  # a dead run's folder of the earlier layout
    (out / ".rightguide-x1.tmp" / "scores.xlsx").write_bytes(b"half")
    (tmp_path / "b.xml").write_bytes((work / "b.xml").read_bytes())

    import compiler.analysis.outputs.xlsx_out as xlsx_out

    def broken(*_args: object) -> Path:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(xlsx_out, "write_xlsx", broken)
        code, lines = _cli(tmp_path, "b.xml", "--out", "plain")
    assert (code, lines) == (2, ["error: plain: cannot write the results (No space left on device)"])
    assert shown(out) == expected["a.csv"]
    code, _ = _cli(tmp_path, "b.xml", "--out", "plain")
    assert code == 0
    assert shown(out) == expected["b.xml"]
    assert all((out / n).is_symlink() for n in RESULTS)
    assert leftovers(out) == []


def test_scores_xlsx_stopped_anywhere_prints_no_traceback(tmp_path: Path) -> None:
    """scores.xlsx is written through streams (write-only sheets); a stop in the middle (here
    an alarm at 7 points of the write, as SIGTERM lands) left them to the garbage collector,
    and lxml printed "Exception ignored ... Traceback" for each at exit. They are closed where
    the stop passes, with their temporary files."""
    import gc
    import json

    from compiler.analysis.outputs.xlsx_out import write_xlsx
    from compiler.loader import load_checked_guide

    class Stop(BaseException):
        pass

    def stop(_signum: int, _frame: object) -> None:
        raise Stop()

    (tmp_path / "in.csv").write_bytes(b.kobo_csv(b.sample(400)))
    assert CliRunner().invoke(main, ["score", str(tmp_path / "in.csv"), "--out", str(tmp_path / "r"),
                                     "--source", str(GUIDE)]).exit_code == 0  # fmt: skip
    guide = load_checked_guide(GUIDE)[0]
    doc = json.loads((tmp_path / "r" / "scores.json").read_text(encoding="utf-8"))
    doc["submissions"] *= 10
    started = time.monotonic()
    write_xlsx(guide, doc, tmp_path, "en")
    whole = time.monotonic() - started
    unraisable: list[object] = []
    previous_hook, previous_handler = sys.unraisablehook, signal.signal(signal.SIGALRM, stop)
    sys.unraisablehook = unraisable.append
    stopped = 0
    try:
        for k in range(1, 8):
            signal.setitimer(signal.ITIMER_REAL, whole * k / 8)
            try:
                write_xlsx(guide, doc, tmp_path, "en")
                signal.setitimer(signal.ITIMER_REAL, 0)
            except Stop:
                stopped += 1
            gc.collect()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.unraisablehook = previous_hook
    assert stopped >= 4
    assert unraisable == []
    assert [p.name for p in tmp_path.glob(".scores.xlsx.*")] == []
