"""Shared fixtures: guides compiled once per session, one JVM per compiled form."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI must be repeatable: the same examples every run (local runs keep exploring new ones).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

sys.path.insert(0, str(Path(__file__).parent))
# the producers of field exports (benchmarks/producers/), used by the generator and the tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from compiler.build import emit_odk  # noqa: E402
from compiler.loader import load_checked_guide  # noqa: E402
from compiler.model import Guide  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEST_GUIDE = ROOT / "tests" / "guides" / "full"
REAL_GUIDE = ROOT / "guide_source"


@pytest.fixture(scope="session")
def test_guide() -> Guide:
    return load_checked_guide(TEST_GUIDE)[0]


@pytest.fixture(scope="session")
def compiled_forms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Guide, Path]]]:
    """Each form (test guide, real guide, the real guide's consultation) loaded and compiled
    to an XForm once."""
    out: dict[str, tuple[Guide, Path]] = {}
    for key, source in (("test", TEST_GUIDE), ("real", REAL_GUIDE)):
        main = load_checked_guide(source)[0]
        for form in main.all_forms():
            name = key if form is main else form.form_id.removeprefix("right_guide_")
            target = tmp_path_factory.mktemp(f"odk_{name}")
            emit_odk(form, target)
            out[name] = (form, target / f"{form.form_id}.xml")
    yield out


# A real ODK Central backend takes a minute or more to start: when test_central.py is
# collected, start it in the background now (in a run in several processes, the controller
# starts it at once: see pytest_configure), and run its tests last, so it starts while the
# other tests run.
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list
) -> None:
    items.sort(key=lambda item: item.path.name == "test_central.py")  # stable: order kept


def pytest_configure(config: pytest.Config) -> None:
    """A run in several processes (pytest-xdist): the controller starts Central once, in the
    background, when the run may reach test_central.py, and tells the processes where it
    will describe it (they inherit the environment)."""
    from support import central_server

    workers = config.getoption("numprocesses", default=None)
    controller = workers and not hasattr(config, "workerinput")
    if controller and _may_run(config, "test_central.py") and central_server.missing() is None:
        import tempfile

        state = Path(tempfile.mkdtemp(prefix="rightguide-central-state-")) / "central.json"
        os.environ[central_server.STATE_ENV] = str(state)
        central_server.SESSION.state = state
        central_server.SESSION.start_in_background()


def _may_run(config: pytest.Config, test_file: str) -> bool:
    """Whether a test file is under the paths the run was given (a -k may still skip it)."""
    for arg in config.args:
        path = (config.rootpath / arg.split("::")[0]).resolve()
        if path.name == test_file or (path.is_dir() and any(path.rglob(test_file))):
            return True
    return False


def pytest_collection_finish(session: pytest.Session) -> None:
    from support import central_server

    if os.environ.get(central_server.STATE_ENV):
        return  # the controller of the processes starts it
    if any(item.path.name == "test_central.py" for item in session.items):
        if central_server.missing() is None:
            central_server.SESSION.start_in_background()


def pytest_sessionfinish(session: pytest.Session) -> None:
    from support import central_server

    central_server.SESSION.close()
