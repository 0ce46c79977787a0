"""The model written for an auditor re-solves to the reported objective in HiGHS (default options) and in CBC, for
every bundled catalog, all-or-nothing and scalable, single- and multi-year; and HiGHS finds the model well scaled."""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
from pathlib import Path

import highspy
import pytest

from optimizer import AllOrNothing, Assumptions, Exclude, Inputs, Result, Scalable, load_catalog, solve
from optimizer.pabulib import read_pabulib
from optimizer.pulp_io import cbc_command
from optimizer.solve import compile_inputs
from tests.conftest import COPENHAGEN, FREDERIKSBERG_2019, FREDERIKSBERG_2021

FB_REACH = {"fb21-farvel-til-farvede-forventninger": 40, "fb21-aaben-raadgivning": 250}
CPH_REACH = {"kk-vaekstprogram": 50}


def fb2019_assumptions() -> Assumptions:
    """Frederiksberg 2019 states no costs and three reaches: assume 100.000 kr. and 50 people each (test
    assumptions, not data), costs a little apart so that no two indsatser tie."""
    catalog = load_catalog(FREDERIKSBERG_2019)
    costs = {indsats_id: 100_000.0 + 5_000 * k for k, indsats_id in enumerate(catalog["id"])}
    reach = {i: 50.0 for i in ("fb19-ung-moeder-ung", "fb19-borgerservice-to-go", "fb19-hverdagsraadgivning")}
    return Assumptions(cost=costs, reach=reach)


CATALOGS = {
    "fb2021": (FREDERIKSBERG_2021, 700_000.0, {2021: 722_000.0, 2022: 700_000.0}, Assumptions(reach=FB_REACH)),
    "fb2019": (FREDERIKSBERG_2019, 1_700_000.0, {2019: 1_700_000.0, 2020: 1_200_000.0}, None),
    "cph": (COPENHAGEN, 10_000_000.0, {2019: 10_000_000.0, 2020: 6_000_000.0}, Assumptions(reach=CPH_REACH)),
}
CASES = [
    pytest.param(name, form, years, id=f"{name}-{form}-{years}")
    for name in CATALOGS
    for form in ("all-or-nothing", "scalable")
    for years in ("one-year", "two-years")
]


def inputs_for(name: str, form: str, years: str) -> Inputs:
    path, single, multi, assumptions = CATALOGS[name]
    catalog = load_catalog(path)
    if assumptions is None:
        assumptions = fb2019_assumptions()
    constraint = AllOrNothing("*") if form == "all-or-nothing" else Scalable("*")
    return Inputs(catalog, single if years == "one-year" else multi, constraints=(constraint,), assumptions=assumptions)


def highs_objective(path: Path) -> float:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(highs.getInfo().objective_function_value)


def cbc_objective(path: Path) -> float:
    cbc = cbc_command().path
    output = subprocess.run([cbc, str(path), "solve"], capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r"Objective value:\s+(-?[\d.eE+-]+)", output) or re.search(
        r"Optimal - objective value (-?[\d.eE+-]+)", output
    )
    assert found, output[-2000:]
    return float(found.group(1))


@pytest.mark.parametrize(("name", "form", "years"), CASES)
@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_written_model_resolves_to_the_reported_objective(name: str, form: str, years: str, suffix: str,
                                                          tmp_path: Path) -> None:  # fmt: skip
    result = solve(inputs_for(name, form, years))
    path = result.write_model(tmp_path / f"model{suffix}")
    expected = -result.objective if suffix == ".mps" else result.objective  # an MPS file minimizes minus the value
    for solver, objective in (("highs", highs_objective(path)), ("cbc", cbc_objective(path))):
        assert math.isclose(objective, expected, rel_tol=1e-6), (solver, objective, expected)


def test_written_model_names_indsatser_and_constraints_and_explains_its_units(tmp_path: Path) -> None:
    result = solve(inputs_for("fb2021", "scalable", "two-years"))
    text = result.write_model(tmp_path / "m.lp").read_text(encoding="utf-8")
    head = text.splitlines()[:8]
    assert all(line.startswith("\\") for line in head[:7])
    assert "pulje per year: 2021: 722.000 kr. (fixed lines 40.000 kr.), 2022: 700.000 kr." in text
    assert "goal weights: arbejdsmarked 1, uddannelse 1" in text
    assert "units of 100.000 kr." in text
    assert "s_fb21_kvinder_i_job_2021" in text
    assert "budget_2021:" in text and "budget_2022:" in text
    assert "Maximize" in text


def test_an_mps_file_says_it_minimizes_minus_the_value(tmp_path: Path) -> None:
    result = solve(inputs_for("cph", "scalable", "one-year"))
    text = result.write_model(tmp_path / "m.mps").read_text(encoding="utf-8")
    assert "MINIMIZES minus_value" in text
    assert " N  minus_value" in text


def solver_log(inputs: Inputs) -> str:
    """What HiGHS logs while solving the compiled model."""
    compiled = compile_inputs(inputs)
    highs = compiled.highs.highs
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "highs.log"
        highs.setOptionValue("output_flag", True)
        highs.setOptionValue("log_to_console", False)
        highs.setOptionValue("log_file", str(log))
        try:
            highs.run()
        finally:
            highs.setOptionValue("output_flag", False)
        return log.read_text(encoding="utf-8")


SCALING_WARNINGS = re.compile(r"excessively|badly scaled", re.IGNORECASE)


@pytest.mark.parametrize(("name", "form", "years"), CASES)
def test_highs_finds_the_bundled_models_well_scaled(name: str, form: str, years: str) -> None:
    log = solver_log(inputs_for(name, form, years))
    assert "Coefficient ranges" in log  # the log was really written
    assert not SCALING_WARNINGS.search(log), log


def test_highs_finds_the_pabulib_models_well_scaled(pabulib_dir: Path) -> None:
    paths = sorted(pabulib_dir.glob("*.pb"))
    assert len(paths) == 14
    for path in paths:
        catalog, budget = read_pabulib(path)
        log = solver_log(Inputs(catalog, budget, evidence_weight=0))
        assert not SCALING_WARNINGS.search(log), (path.name, log)


def test_the_issues_reproduction_now_resolves_in_highs(tmp_path: Path) -> None:
    """Copenhagen at 10 mio. without kk-vaekstprogram: HiGHS once called its own .lp infeasible."""
    catalog = load_catalog(COPENHAGEN)
    result: Result = solve(catalog, 10_000_000, constraints=[Exclude("kk-vaekstprogram")])
    assert math.isclose(result.objective, 23_207.386363636364, rel_tol=1e-9)
    assert math.isclose(highs_objective(result.write_model(tmp_path / "m.lp")), result.objective, rel_tol=1e-6)
