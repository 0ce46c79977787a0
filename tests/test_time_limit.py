"""A solver stopped by its time limit says so: the status is TIME_LIMIT (or FEASIBLE, with an allocation that
is not nothing), the message names the limit, the CLI exits with 1, robustness raises; nothing allocated is
never presented as a result. Provoked with a tiny time limit on a large all-or-nothing model whose caps bind
(so no fast path answers it)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from optimizer import Inputs, SolverError, Status, UdvalgMax, solve, validate_catalog
from scenarios import Scenario, Uncertainty, robustness
from tests.conftest import pulje

N = 30_000
TINY = 0.001  # seconds: far less than HiGHS needs to presolve this model


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    ids = [f"i{k:05d}" for k in range(N)]
    return validate_catalog(
        pd.DataFrame({"id": ids, "name": ids, "udvalg": [f"U{k % 5}" for k in range(N)], "goals": "job",
                      "cost_kr": rng.integers(10, 500, N) * 1_013, "reach": rng.integers(5, 500, N),
                      "reach_min": None, "scalable": "false", "source": "test", "quote": "", "note": ""})
    )  # fmt: skip


def limited(catalog: pd.DataFrame) -> Inputs:
    total = float(catalog["cost_kr"].sum())
    caps = tuple(UdvalgMax(f"U{k}", kr=round(total * 0.04, -3)) for k in range(5))
    return Inputs(catalog, round(total * 0.3, -3), constraints=caps, evidence_weight=0)


def test_solve_says_it_stopped_at_the_time_limit(catalog: pd.DataFrame) -> None:
    result = solve(limited(catalog), time_limit=TINY)
    assert result.status in (Status.TIME_LIMIT, Status.FEASIBLE)
    assert not result.status.is_proven
    assert "time limit" in result.message and "time limit" in result.summary()
    if result.status is Status.TIME_LIMIT:
        assert not result.is_ok and result.to_dict()["allocation"] == []
        assert "Total value" not in result.summary()
        with pytest.raises(SolverError, match="time limit"):
            result.raise_for_status()
    else:  # an allocation found in time: shown as not proven, and never nothing at all
        assert result.allocation["amount_kr"].sum() > 0 and "NOT PROVEN OPTIMAL" in result.summary()


def test_the_cli_exits_with_1_and_prints_no_allocation(
    catalog: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = limited(catalog)
    path = tmp_path / "national.csv"
    frame = catalog.assign(**{c: catalog[c].map(";".join) for c in ("goals", "requires")})
    frame.assign(udvalg=catalog["udvalg"].map("/".join)).drop(columns=["asks"]).to_csv(path, index=False)
    caps = [f"--udvalg-max=U{k}={c.kr:.0f}" for k, c in enumerate(inputs.constraints)]
    code, out, err = pulje(capsys, "solve", str(path), "--budget", f"{inputs.budget:.0f}", "--evidence-weight", "0",
                           *caps, "--time-limit", str(TINY), "--format", "json")  # fmt: skip
    assert code == 1, err
    data = json.loads(out)
    assert data["status"] in ("time_limit", "feasible") and "time limit" in data["message"]
    if data["status"] == "time_limit":
        assert data["allocation"] == []
    else:
        assert sum(row["amount_kr"] for row in data["allocation"]) > 0


def test_the_cli_refuses_a_time_limit_that_is_no_number_of_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", "x.csv", "--budget", "1", "--time-limit", "0")
    assert code == 2 and "expected a positive number of seconds" in err


def test_robustness_raises_when_a_draw_has_no_proven_optimum(catalog: pd.DataFrame) -> None:
    scenario = Scenario("national", limited(catalog), uncertainty=Uncertainty(goal_weight_sd=0.2))
    with pytest.raises(SolverError, match="no proven optimum"):
        robustness(scenario, 2, time_limit=TINY)
