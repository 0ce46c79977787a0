"""The example notebook runs top to bottom in the project's own interpreter and shows what it promises."""

from __future__ import annotations

import math
import os
import re
import sys
from functools import cache
from pathlib import Path

import nbformat
import pytest
from ipykernel.kernelspec import install as install_kernelspec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from optimizer import solve
from scenarios import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK = NOTEBOOKS / "pulje_example.ipynb"
KERNEL = "python3"
MAX_REACH = ROOT / "scenarios" / "examples" / "frederiksberg_max_reach.toml"
SWEEP_LINE = re.compile(
    r"^(?P<label>.+): another 100\.000 kr\. a year buys the most, (?P<gain>-?\d+\.\d+) value, "
    r"from (?P<start>[\d.]+) kr\. to (?P<end>[\d.]+) kr\. a year\.$"
)
SWEEP_BUDGETS = range(50_000, 1_000_001, 25_000)  # as in the notebook's sweep cell


def _kernel_manager(spec_prefix: Path) -> AsyncKernelManager:
    """A kernel manager whose "python3" kernel is this interpreter (the venv's python), whatever is installed.

    A "python3" kernelspec found on the usual Jupyter paths may start another interpreter: one in
    ~/.local/share/jupyter or /usr/share/jupyter, or a bare "python" resolved through PATH. So the
    test writes a fresh spec for sys.executable into a temporary prefix (ipykernel's own installer,
    as `python -m ipykernel install --prefix` does) and lets the kernel manager search only there.
    Nothing is written into the repository or the user's Jupyter folders.
    """
    install_kernelspec(user=False, prefix=str(spec_prefix), kernel_name=KERNEL)
    specs = KernelSpecManager(kernel_dirs=[str(spec_prefix / "share" / "jupyter" / "kernels")])
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


@pytest.fixture(scope="module")
def kernel_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kernel's temporary folder (its TMPDIR): the notebook's Excel file lands here, pytest cleans it up."""
    return tmp_path_factory.mktemp("kernel_tmp")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory, kernel_tmp: Path) -> nbformat.NotebookNode:
    """The notebook after running every cell; a failing cell fails the test with its CellExecutionError."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = _kernel_manager(tmp_path_factory.mktemp("kernelspec"))
    assert km.kernel_spec is not None
    assert km.kernel_spec.argv[0] == sys.executable, km.kernel_spec.argv
    client = NotebookClient(
        nb, km=km, timeout=180, kernel_name=KERNEL, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    # cleanup_kc: the client shuts down the kernel it started (also when a cell fails), as with its own manager.
    temp = dict.fromkeys(("TMPDIR", "TEMP", "TMP"), str(kernel_tmp))  # what tempfile.mkdtemp() reads
    client.execute(cleanup_kc=True, env={**os.environ, **temp})
    return nb


def _texts(nb: nbformat.NotebookNode) -> list[str]:
    """The text of every code cell's outputs (streams, results, displays), one string per cell."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                parts.append(output.get("data", {}).get("text/plain", ""))
        texts.append("".join(parts))
    return texts


def test_committed_notebook_is_clean() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code cells"
    for cell in code:
        assert cell.outputs == [], f"cell {cell.get('id')} has stored outputs"
        assert cell.execution_count is None, f"cell {cell.get('id')} has an execution count"


def test_every_cell_ran(executed: nbformat.NotebookNode) -> None:
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(isinstance(cell.execution_count, int) for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []


def test_missing_reach_is_refused_by_name(executed: nbformat.NotebookNode) -> None:
    refusals = [text for text in _texts(executed) if "MissingDataError" in text]
    assert refusals, "no cell printed the MissingDataError"
    assert "fb21-aaben-raadgivning" in refusals[0]
    assert "fb21-farvel-til-farvede-forventninger" in refusals[0]


def test_the_sweep_is_plotted(executed: nbformat.NotebookNode) -> None:
    images = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert images, "no cell displayed a PNG image (the budget sweep plot)"


def test_the_excel_export_is_reopened(executed: nbformat.NotebookNode, kernel_tmp: Path) -> None:
    text = "\n".join(_texts(executed))
    assert "'Fordeling'" in text
    assert "'Sammenligning'" in text  # the comparison went into the workbook
    assert "I alt, tilskud 2021-2022: 1.342.000 kr." in text  # 722.000 + 700.000 - 2 × 40.000 in fixed lines
    written = [line.removeprefix("Written to ") for line in text.splitlines() if line.startswith("Written to ")]
    assert len(written) == 1, "the notebook should say where it wrote the workbook"
    workbook = Path(written[0])
    assert workbook.is_file()
    assert workbook.resolve().is_relative_to(kernel_tmp.resolve())
    assert not workbook.resolve().is_relative_to(ROOT)


def test_the_notebook_ends_with_its_assumptions(executed: nbformat.NotebookNode) -> None:
    last = _texts(executed)[-1]
    assert "fb21-aaben-raadgivning" in last
    assert "many of them returning" in last  # the reason given in the scenario file reaches the reader


@cache
def _objective(all_or_nothing: bool, per_year: float) -> float:
    """A fresh solve of the max-reach scenario (all-or-nothing: without its Scalable rule) with `per_year` kroner
    in each year, independent of the notebook's sweep."""
    scenario: Scenario = load_scenario(MAX_REACH)
    if all_or_nothing:
        scenario = scenario.replace(constraints=())
    result = solve(scenario.inputs.replace(budget=dict.fromkeys(scenario.budget, per_year)))
    assert result.status.is_proven
    return result.objective


def _kr(text: str) -> float:
    return float(text.replace(".", ""))


def test_the_sweep_labels_are_what_100k_more_really_buys(executed: nbformat.NotebookNode) -> None:
    """Each printed "another 100.000 kr. a year buys the most" figure is a fresh solve at the end of the step minus
    one at its start, and no other step of the notebook's sweep grid buys more."""
    lines = [m for line in "\n".join(_texts(executed)).splitlines() if (m := SWEEP_LINE.match(line))]
    assert {m["label"] for m in lines} == {"max rækkevidde (partial funding)", "alt eller intet"}
    for match in lines:
        all_or_nothing = match["label"] == "alt eller intet"
        start, end, gain = _kr(match["start"]), _kr(match["end"]), float(match["gain"])
        assert end == start + 100_000 and start in SWEEP_BUDGETS
        bought = _objective(all_or_nothing, end) - _objective(all_or_nothing, start)
        assert math.isclose(gain, bought, abs_tol=0.006), (match["label"], gain, bought)
        assert gain > 0
        for budget in SWEEP_BUDGETS:
            other = _objective(all_or_nothing, budget + 100_000) - _objective(all_or_nothing, budget)
            assert other <= bought + 1e-6, (match["label"], budget, other, bought)


def test_the_pulje_lines_say_what_100k_more_really_buys(executed: nbformat.NotebookNode) -> None:
    """The all-or-nothing solve at the pool table's sums funds every ask; 100.000 kr. more in a year buys what a
    fresh solve with that year's pulje raised buys (here nothing: every ask is already funded)."""
    text = "\n".join(_texts(executed))
    found = dict(re.findall(r"Another 100\.000 kr\. in the pulje (\d{4}) buys (-?[\d.]*\d,\d\d) value", text))
    assert set(found) == {"2021", "2022"}
    scenario = load_scenario(MAX_REACH).replace(constraints=())
    here = solve(scenario.inputs).objective
    for year, printed in found.items():
        budget = {y: kr + (100_000 if str(y) == year else 0) for y, kr in scenario.budget.items()}
        more = solve(scenario.inputs.replace(budget=budget)).objective - here
        assert math.isclose(float(printed.replace(".", "").replace(",", ".")), more, abs_tol=0.006), year


def test_the_tight_pulje_shows_choices(executed: nbformat.NotebookNode) -> None:
    text = "\n".join(_texts(executed))
    assert "At the decided pulje, max rækkevidde is the decided allocation: True" in text
