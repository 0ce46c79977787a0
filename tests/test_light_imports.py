"""`pulje --help` and `import optimizer` load nothing heavy: the command line parses before any command's code
is imported, and the packages import each public name on first use. Checked in a fresh interpreter by the
modules loaded, not by a time (speed is measured in `make bench`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("pandas", "numpy", "openpyxl", "pulp", "highspy", "scenarios.robustness", "scenarios.spec")


def loaded(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code`."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    ["import optimizer", "import scenarios", "import scenarios.cli",
     "from scenarios.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"],
    ids=["import-optimizer", "import-scenarios", "import-cli", "pulje-help"],
)  # fmt: skip
def test_nothing_heavy_is_loaded(code: str) -> None:
    assert not set(HEAVY) & loaded(code)


def test_solving_a_catalog_does_not_load_pulp() -> None:
    modules = loaded("from optimizer import Assumptions, load_catalog, solve\n"
                     "catalog = load_catalog('data/copenhagen/bruttokatalog_2019_2022.csv')\n"
                     "assumed = Assumptions(reach={'kk-vaekstprogram': 50})\n"
                     "solve(catalog, 10_000_000, assumptions=assumed).raise_for_status()")  # fmt: skip
    assert "pulp" not in modules and "highspy" in modules


def test_a_public_name_that_is_also_a_module_stays_the_function() -> None:
    """optimizer.solve is a module and a function; importing the module must not replace the function."""
    import optimizer
    import optimizer.solve
    import scenarios
    import scenarios.robustness

    assert callable(optimizer.solve) and callable(scenarios.robustness)
    assert optimizer.solve.__module__ == "optimizer.solve"
