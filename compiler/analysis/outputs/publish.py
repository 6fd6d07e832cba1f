"""Results published into `rightguide score --out DIR`: a reader of DIR sees the previous
results or the new ones, never a mix, whenever the run stops (an error, kill -9, power cut).

Layout (the user reads the results at their usual paths):

    DIR/scores.json  -> .rightguide/current/scores.json    one fixed link per result, made once
    DIR/.rightguide/current -> runs/<run>                  the one link a run replaces
    DIR/.rightguide/runs/<run>/scores.json ...             every file of one run
    DIR/.rightguide/lock                                   held while a run may write

Why this design: a run writes a complete new folder, then ONE rename (rename(2) of a new link
over `current`, atomic on POSIX) makes it current. Every result path in DIR goes through
`current`, so at any instant all of them show one run's files: stopped before the rename, DIR
shows the previous run; after it, the new one. Renaming seven files one by one cannot be atomic,
and making DIR itself a link would mean replacing a folder the user made (`--out .` is allowed);
here DIR stays a real folder and only the `.rightguide` folder and the seven links are ours.

Results written by versions before this layout (plain files in DIR) are taken over without a
mix: they are hard-linked into a run folder made current first, so replacing each plain file by
its link never changes what it shows.

A second run into the same DIR is refused with one line while one holds the lock (fcntl.flock:
the kernel releases it when its holder dies, even by kill -9). Under the lock, every run folder
but the current one, and every `.rightguide-*.tmp` folder of the earlier layout, is a dead
run's: they are removed before and after each run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ...diagnostics import UserError

# each result is one link into the current run; `dossiers` (one file per assessment) and
# `consultations` (the consultation records' scores and counts) are folders
RESULTS = ("scores.json", "scores.csv", "issues.csv", "rejected.csv", "scores.xlsx",
           "report.pdf", "report.html", "dossiers", "consultations")  # fmt: skip
FOLDERS = ("dossiers", "consultations")  # the results that are folders
STATE = ".rightguide"  # DIR's own folder: runs, the current link and the lock
CURRENT = "current"
RUNS = "runs"
LOCK = "lock"
OLD_STAGES = ".rightguide-*.tmp"  # temporary folders of the earlier layout
NEW_LINK = ".{name}.rightguide-new"  # a link made, to be renamed into place


class Busy(UserError):
    """Another run holds DIR's lock."""


class ResultsFolder:
    """DIR as `rightguide score` writes it: `check` it before any input is read, `publish`
    the run's files once they can be made, `close` (or use as a context manager) at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = path / STATE
        self._lock: int | None = None

    def __enter__(self) -> ResultsFolder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def check(self) -> None:
        """Refuse at once a DIR that cannot hold the results (one line), and take its lock when
        it exists already, so a concurrent run is refused before either reads its inputs."""
        from ...output_place import check_out_folder

        check_out_folder(self.path)
        if not self.path.is_dir():
            return  # made, and locked, only when there are results to publish
        state = self.state
        if os.path.lexists(state) and (state.is_symlink() or not state.is_dir()):
            raise UserError(f"{state}: is not rightguide's folder; move it away or give "
                            "another --out")  # fmt: skip
        for name in RESULTS:
            place = self.path / name
            plain_folder = name in FOLDERS and place.is_dir()  # a copy of DIR (cp -rL)
            if os.path.lexists(place) and not (place.is_symlink() or place.is_file() or plain_folder):
                kind = "a folder" if place.is_dir() else "not a file"
                raise UserError(f"{place}: is {kind}, not a rightguide result; move it away "
                                "or give another --out")  # fmt: skip
        self._take_lock()
        self._check_links_possible()

    def publish(self, make: Callable[[Path], list[Path]]) -> list[Path]:
        """Make the results with `make(folder)` in a new run folder, then make that run current
        in one rename; return the result paths in DIR. On any failure, or SIGTERM, the run
        folder is removed and DIR shows what it showed before."""
        self.path.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        self._check_links_possible()
        self._remove_dead_runs()
        runs = self.state / RUNS
        runs.mkdir(parents=True, exist_ok=True)
        stage = _new_run_folder(runs)
        try:
            with _sigterm_raises():
                made = make(stage)
                unknown = [p.name for p in made if p.name not in RESULTS]
                if unknown:  # a new output must be added to RESULTS to be published
                    raise RuntimeError(f"outputs not in RESULTS: {unknown}")
                _sync_files(stage)
                self._take_over_plain_results()
                self._make_links()
                self._switch(stage.name)
        except BaseException as exc:
            if self._current_run() != stage.name:
                shutil.rmtree(stage, ignore_errors=True)
            elif isinstance(exc, Stopped):
                exc.published = True  # stopped after the switch: the new results are current
            raise
        self._remove_dead_runs()
        return [self.path / p.name for p in made]

    def close(self) -> None:
        """Release the lock (the kernel does too when the process ends)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    # ------------------------------------------------------------------------------------

    def _take_lock(self) -> None:
        if self._lock is not None:
            return
        self.state.mkdir(exist_ok=True)
        fd = os.open(self.state / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise Busy(f"{self.path}: another 'rightguide score' is writing results here; "
                           "wait for it to finish, or give another --out") from None  # fmt: skip
            raise
        self._lock = fd

    def _check_links_possible(self) -> None:
        """Symbolic links are what keep runs from mixing: refuse a drive without them now."""
        probe = self.state / NEW_LINK.format(name="probe")
        probe.unlink(missing_ok=True)
        try:
            os.symlink(RUNS, probe)
        except OSError as exc:
            raise UserError(
                f"{self.path}: this drive cannot hold symbolic links ({exc.strerror}; FAT or "
                "exFAT?), which keep old and new results from mixing; give --out a folder on "
                "the computer's own disk, and copy it afterwards"
            ) from None
        probe.unlink()

    def _current_run(self) -> str | None:
        try:
            return Path(os.readlink(self.state / CURRENT)).name
        except OSError:
            return None

    def _remove_dead_runs(self) -> None:
        """Every run folder but the current one is a dead run's (we hold the lock)."""
        current = self._current_run()
        runs = self.state / RUNS
        if runs.is_dir():
            for folder in runs.iterdir():
                if folder.name != current:
                    _remove(folder)
        for folder in self.path.glob(OLD_STAGES):
            _remove(folder)
        for name in RESULTS:  # links made but never renamed into place
            (self.path / NEW_LINK.format(name=name)).unlink(missing_ok=True)
        (self.state / NEW_LINK.format(name=CURRENT)).unlink(missing_ok=True)

    def _take_over_plain_results(self) -> None:
        """Results of the earlier layout (plain files in DIR, no current run): hard-link them
        into a run folder made current, so each can then become a link showing the same."""
        if self._current_run() is not None:
            return
        _remove(self.state / CURRENT)  # a copy of a run (cp -L), not the link: not ours now
        plain = [
            n for n in RESULTS
            if (self.path / n).is_file() or (self.path / n).is_dir() and n in FOLDERS
            if not (self.path / n).is_symlink()
        ]  # fmt: skip
        if not plain:
            return
        earlier = _new_run_folder(self.state / RUNS)
        for name in plain:
            if (self.path / name).is_dir():
                shutil.copytree(self.path / name, earlier / name, copy_function=os.link)
            else:
                os.link(self.path / name, earlier / name)
        _sync_files(earlier)
        self._switch(earlier.name)

    def _make_links(self) -> None:
        """DIR/<result> -> .rightguide/current/<result>, each made once (atomically)."""
        for name in RESULTS:
            place = self.path / name
            target = f"{STATE}/{CURRENT}/{name}"
            if place.is_symlink() and os.readlink(place) == target:
                continue
            if place.is_dir() and not place.is_symlink():
                # a plain dossiers folder, taken over into the current run: a link cannot be
                # renamed over a folder, so it goes first (its files are in the run)
                _remove(place)
            _link_atomically(target, place)
        _sync_folder(self.path)

    def _switch(self, run: str) -> None:
        """The one rename that makes a run current."""
        _link_atomically(f"{RUNS}/{run}", self.state / CURRENT)
        _sync_folder(self.state)


def _new_run_folder(runs: Path) -> Path:
    """A new, empty run folder (made with the user's umask, as the results were before)."""
    while True:
        folder = runs / f"run-{secrets.token_hex(6)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _link_atomically(target: str, place: Path) -> None:
    """Make `place` a symlink to `target`, replacing what is there in one rename."""
    tmp = place.with_name(NEW_LINK.format(name=place.name))
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    try:
        os.replace(tmp, place)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_files(folder: Path) -> None:
    """Flush a run folder's files and entries to disk, so a power cut after the switch cannot
    leave a current run with empty files."""
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            _sync_files(path)  # the dossiers folder
        elif path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (names made or renamed) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class Stopped(BaseException):
    """SIGTERM while a run wrote (a BaseException: nothing may swallow it); `published` when
    it came after the switch, so the new results are the current ones."""

    published = False


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While a run writes, SIGTERM raises Stopped so its folder is removed on the way out
    (kill -9 cannot be caught: the next run removes the folder)."""

    def stop(_signum: int, _frame: object) -> None:
        raise Stopped()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave SIGTERM as it is
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
