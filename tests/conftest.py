"""Shared fixtures: paths to the bundled data and the pabulib instances, the CLI run in process, a scenario library
of the test session's own (so no test touches a user's library); a guard against empty runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from optimizer import validate_catalog
from scenarios.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FREDERIKSBERG_2021 = DATA / "frederiksberg" / "handleplan_2021_2022.csv"
FREDERIKSBERG_2021_TILSKUD = DATA / "frederiksberg" / "handleplan_2021_2022_tilskud.csv"
FREDERIKSBERG_2019 = DATA / "frederiksberg" / "handleplan_2019.csv"
COPENHAGEN = DATA / "copenhagen" / "bruttokatalog_2019_2022.csv"
pytest_plugins = ["library_backends"]  # the scenario library's fixtures: library_url, library, workspace
PABULIB = Path(os.environ.get("PULJE_PABULIB_DIR", ROOT.parent / "shared" / "external" / "pabulib"))


def pulje(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `pulje argv...` in process: (exit code, stdout, stderr); argparse's own exits count too."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def make_catalog(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A validated catalog from a few rows: unlisted columns empty, every indsats scalable unless the row says."""
    records = [{"name": row["id"], "scalable": "true", "source": "test", **row} for row in rows]
    return validate_catalog(pd.DataFrame(records))


@pytest.fixture(scope="session", autouse=True)
def private_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app, the CLI and any server a test starts use a library and file cache in a temporary folder, never
    ~/.local/share/pulje (a test that needs an empty library of its own sets PULJE_DATABASE_URL itself)."""
    folder = tmp_path_factory.mktemp("private-library")
    private = {"PULJE_DATABASE_URL": f"sqlite:///{folder / 'library.db'}", "PULJE_CACHE_DIR": str(folder / "cache")}
    before = {key: os.environ.get(key) for key in private}
    os.environ.update(private)
    yield folder
    for key, value in before.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def pabulib_dir() -> Path:
    """The folder of real pabulib instances (read in place, never copied into the project)."""
    if not PABULIB.is_dir():
        pytest.skip(f"pabulib instances not found at {PABULIB} (set PULJE_PABULIB_DIR)")
    return PABULIB


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run in which no test passed must not look green (pytest's own exit code 5 covers 'none collected')."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and exitstatus == 0 and not reporter.stats.get("passed"):
        session.exitstatus = 5
