"""The `pulje` command line, in process and once as the installed script: every command, format and bad input."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import shutil
import subprocess
from functools import cache
from pathlib import Path

import highspy
import openpyxl
import pytest

from tests.conftest import pulje

ROOT = Path(__file__).resolve().parent.parent
PULJE = ROOT / ".venv" / "bin" / "pulje"
CATALOG = "data/frederiksberg/handleplan_2021_2022.csv"
ASKS = "data/frederiksberg/handleplan_2021_2022_asks.csv"
COPENHAGEN = "data/copenhagen/bruttokatalog_2019_2022.csv"
EXAMPLES = "scenarios/examples"
MAX_REACH = f"{EXAMPLES}/frederiksberg_max_reach.toml"
LABOUR = f"{EXAMPLES}/frederiksberg_labour_market_first.toml"
FARVEL, AABEN = "fb21-farvel-til-farvede-forventninger", "fb21-aaben-raadgivning"
ASSUME = ["--assume-reach", f"{FARVEL}=40", "--assume-reach", f"{AABEN}=250"]
FIXED_LINE = 40_000.0  # "Integrationspriser, netværksdannelse mv." comes off the top every year


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so the paths read as in the README."""
    monkeypatch.chdir(ROOT)


@cache
def catalog_rows() -> dict[str, dict[str, float]]:
    """cost and value at full funding (reach × goals served, evidence unrated) per indsats, from the CSV."""
    assumed = {FARVEL: 40.0, AABEN: 250.0}
    rows = {}
    with (ROOT / CATALOG).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["fixed"] == "true":
                continue
            reach = assumed.get(row["id"]) or float(row["reach"] or row["reach_min"])
            rows[row["id"]] = {"cost": float(row["cost_kr"]), "value": reach * len(row["goals"].split(";"))}
    return rows


@cache
def asks(year: int) -> dict[str, float]:
    """What each indsats asks for in `year`, from the asks file (an indsats without a row that year asks 0)."""
    with (ROOT / ASKS).open(encoding="utf-8", newline="") as handle:
        listed = {row["id"]: float(row["cost_kr"]) for row in csv.DictReader(handle) if int(row["year"]) == year}
    return {i: listed.get(i, 0.0) for i in catalog_rows()}


@cache
def best_all_or_nothing(room: float, year: int | None = None, without: str | None = None) -> float:
    """The best value of funding indsatser at their full cost (in `year`: that year's ask) or not at all within
    `room` kroner (all subsets of those that ask for something), optionally leaving one indsats out."""
    cost = {i: r["cost"] for i, r in catalog_rows().items()} if year is None else asks(year)
    rows = [(cost[i], r["value"]) for i, r in catalog_rows().items() if cost[i] > 0 and i != without]
    best = 0.0
    for chosen in itertools.product((0, 1), repeat=len(rows)):
        if sum(c for (c, _), pick in zip(rows, chosen, strict=True) if pick) <= room:
            best = max(best, sum(v for (_, v), pick in zip(rows, chosen, strict=True) if pick))
    return best


def solve_json(capsys: pytest.CaptureFixture[str], *budget: str) -> dict:
    code, out, err = pulje(capsys, "solve", CATALOG, *budget, *ASSUME, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# --- solve ---------------------------------------------------------------------------------------


def test_solve_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", "700000")
    keys = {"status", "objective", "allocation", "budget_next_100k", "budget_rate_per_100k", "binding", "conflict"}
    assert keys <= set(data)
    assert data["status"] == "optimal" and data["conflict"] is None
    assert {entry["id"] for entry in data["allocation"]} == set(catalog_rows())
    for entry in data["allocation"]:
        assert {"id", "amount_kr", "share"} <= set(entry)
        cost = catalog_rows()[entry["id"]]["cost"]
        assert math.isclose(entry["share"], entry["amount_kr"] / cost, abs_tol=1e-6)
        assert entry["amount_kr"] in (0.0, cost)  # scalability unstated: all or nothing
    assert isinstance(data["budget_rate_per_100k"], float)
    assert all({"constraint", "about", "rate_per_100k"} <= set(item) for item in data["binding"])


def test_budget_next_100k_is_what_another_100k_buys(capsys: pytest.CaptureFixture[str]) -> None:
    """All or nothing, so not the LP relaxation's rate: by brute force over every subset, with 660.000 kr. after
    the fixed line and with 760.000 kr."""
    data = solve_json(capsys, "--budget", "700000")
    expected = best_all_or_nothing(760_000) - best_all_or_nothing(660_000)
    assert expected > 0
    assert math.isclose(data["budget_next_100k"], expected, rel_tol=1e-9)
    assert data["rates_from_lp_relaxation"] is True


def test_solve_allocates_within_the_pulje_less_the_fixed_line(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", "700000")
    total = sum(entry["amount_kr"] for entry in data["allocation"])
    assert total <= 700_000 - FIXED_LINE + 0.5
    assert math.isclose(data["objective"], best_all_or_nothing(700_000 - FIXED_LINE), rel_tol=1e-9)


@pytest.mark.parametrize("budget", ["700000", "700.000", "700.000 kr.", "0,7 mio.", "700 t.kr."])
def test_danish_budget_formats(budget: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "--budget", budget)
    assert math.isclose(data["objective"], best_all_or_nothing(700_000 - FIXED_LINE), rel_tol=1e-9)
    assert sum(entry["amount_kr"] for entry in data["allocation"]) <= 660_000 + 0.5


@pytest.mark.parametrize(
    "budget", [(722_000, 700_000), (400_000, 300_000), (2_000_000, 2_000_000)], ids=["pool-table", "tight", "ample"]
)
def test_multi_year_budget(budget: tuple[int, int], capsys: pytest.CaptureFixture[str]) -> None:
    """Each year is its own all-or-nothing choice over that year's asks from the pool table (Kvinder i job asks
    nothing in 2022, Farvel til farvede forventninger 150.000 there, ...). At the pool table's sums this funds
    every ask: 4.650 (before the per-year asks, which let an indsats have its larger year's cost in both: 4.720)."""
    pulje = dict(zip((2021, 2022), budget, strict=True))
    data = solve_json(capsys, *(arg for year, kr in pulje.items() for arg in ("--budget", f"{year}={kr}")))
    expected = sum(best_all_or_nothing(kr - FIXED_LINE, year) for year, kr in pulje.items())
    assert math.isclose(data["objective"], expected, rel_tol=1e-9)
    for year, pulje_kr in pulje.items():
        assert sum(entry["by_year"][str(year)] for entry in data["allocation"]) <= pulje_kr - FIXED_LINE + 0.5
    for entry in data["allocation"]:
        assert math.isclose(entry["amount_kr"], entry["by_year"]["2021"] + entry["by_year"]["2022"], abs_tol=0.01)
        for year in pulje:
            ask = asks(year)[entry["id"]]
            assert entry["ask_by_year"][str(year)] == ask
            assert entry["by_year"][str(year)] in (0.0, ask), (entry["id"], year)  # whole ask, or nothing
    assert set(data["budget_next_100k"]) == {"2021", "2022"}
    for year, kr in pulje.items():
        more = best_all_or_nothing(kr - FIXED_LINE + 100_000, year) - best_all_or_nothing(kr - FIXED_LINE, year)
        assert math.isclose(data["budget_next_100k"][str(year)], more, rel_tol=1e-9, abs_tol=1e-9)


def test_pool_table_sums_fund_every_ask(capsys: pytest.CaptureFixture[str]) -> None:
    """722.000 − 40.000 and 700.000 − 40.000 are exactly the asks of 2021 and 2022: 4.650 is every ask funded."""
    assert sum(asks(2021).values()) == 682_000 and sum(asks(2022).values()) == 660_000
    data = solve_json(capsys, "--budget", "2021=722000", "--budget", "2022=700000")
    everything = sum(r["value"] for year in (2021, 2022) for i, r in catalog_rows().items() if asks(year)[i] > 0)
    assert math.isclose(data["objective"], everything, rel_tol=1e-9) and math.isclose(everything, 4650.0)


def test_extend_lets_an_indsats_beyond_its_ask(capsys: pytest.CaptureFixture[str]) -> None:
    """Kvinder i job asks nothing in 2022; --extend gives it up to 150.000 kr. there, shown as an assumption."""
    budget = ["--budget", "2021=2000000", "--budget", "2022=2000000"]
    plain = solve_json(capsys, *budget)
    extended = solve_json(capsys, *budget, "--extend", "fb21-kvinder-i-job:2022=150000")
    amount = {entry["id"]: entry["by_year"]["2022"] for entry in extended["allocation"]}
    assert amount["fb21-kvinder-i-job"] == 150_000
    assert {entry["id"]: entry["by_year"]["2022"] for entry in plain["allocation"]}["fb21-kvinder-i-job"] == 0
    assert math.isclose(extended["objective"] - plain["objective"], catalog_rows()["fb21-kvinder-i-job"]["value"])
    assert any("fb21-kvinder-i-job" in note and "150.000" in note for note in extended["assumptions"])


@pytest.mark.parametrize("value", ["fb21-kvinder-i-job=150000", "fb21-kvinder-i-job:x=1", ":2022=1", "a:2022=-5"])
def test_malformed_extend(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(
        capsys, "solve", CATALOG, "--budget", "2021=700000", "--budget", "2022=700000", *ASSUME, "--extend", value
    )
    _fails_cleanly(code, err)
    assert "--extend" in err
    assert out == ""


# --- explanations and exit codes -----------------------------------------------------------------


def test_explain_json_adds_entry_thresholds_that_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """Every unfunded indsats is listed with the value per 100.000 kr. it would need: by brute force, the value
    at which funding it (at its cost, with the best of the rest in what is left) equals today's optimum."""
    data = solve_json(capsys, "--budget", "700000", "--explain")
    room = 700_000 - FIXED_LINE
    unfunded = {entry["id"] for entry in data["allocation"] if entry["amount_kr"] == 0}
    thresholds = {entry["id"]: entry for entry in data["entry_thresholds"]}
    assert unfunded and set(thresholds) == unfunded
    for indsats_id, entry in thresholds.items():
        assert {"id", "value_per_100k", "needed_value_per_100k", "entry_kr", "note"} <= set(entry)
        cost, value = catalog_rows()[indsats_id]["cost"], catalog_rows()[indsats_id]["value"]
        needed = best_all_or_nothing(room) - best_all_or_nothing(room - cost, without=indsats_id)
        assert math.isclose(entry["value_per_100k"], value / cost * 100_000, rel_tol=1e-9)
        assert math.isclose(entry["needed_value_per_100k"], needed / cost * 100_000, rel_tol=1e-6)
        assert entry["entry_kr"] == cost


def _explained(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = pulje(capsys, "solve", *argv, "--format", "json", "--explain")
    assert code == 0, err
    return json.loads(out)


def test_explain_json_gives_what_loosening_each_binding_limit_buys(capsys: pytest.CaptureFixture[str]) -> None:
    """Partial funding, a pulje of 500.000 kr. and AUU at most 100.000 kr.: both the pulje and the AUU maximum
    bind. What 100.000 kr. more of each buys is a fresh solve with that limit 100.000 kr. looser, minus this one."""
    common = [CATALOG, *ASSUME, "--scalable", "*"]
    data = _explained(capsys, *common, "--budget", "500000", "--udvalg-max", "AUU=100000")
    binding = {item["constraint"]: item for item in data["binding"]}
    assert {"budget", "udvalg_max[AUU]"} <= set(binding)
    looser_auu = _explained(capsys, *common, "--budget", "500000", "--udvalg-max", "AUU=200000")
    more_pulje = _explained(capsys, *common, "--budget", "600000", "--udvalg-max", "AUU=100000")
    gain_auu = looser_auu["objective"] - data["objective"]
    gain_pulje = more_pulje["objective"] - data["objective"]
    assert gain_auu > 0 and gain_pulje > 0
    assert math.isclose(binding["udvalg_max[AUU]"]["gain_next_100k"], gain_auu, rel_tol=1e-6)
    assert math.isclose(binding["budget"]["gain_next_100k"], gain_pulje, rel_tol=1e-6)
    assert math.isclose(data["budget_next_100k"], gain_pulje, rel_tol=1e-6)
    for item in binding.values():  # an LP: the rate at the margin is positive where loosening helps
        assert item["rate_per_100k"] > 0


def test_explain_says_where_the_next_100k_goes_as_a_larger_pulje_allocates_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """All-or-nothing Frederiksberg at 700.000 kr.: `--explain` names where another 100.000 kr. goes. A fresh
    solve at 800.000 kr. must allocate exactly that much differently, indsats by indsats; the text says it too."""
    data = _explained(capsys, *ASSUME, CATALOG, "--budget", "700000")
    larger = _explained(capsys, *ASSUME, CATALOG, "--budget", "800000")
    before = {item["id"]: item["amount_kr"] for item in data["allocation"]}
    after = {item["id"]: item["amount_kr"] for item in larger["allocation"]}
    moved = {i: after[i] - before[i] for i in before if abs(after[i] - before[i]) > 0.5}
    assert moved, "the larger pulje changes the allocation: the test needs a change to check"
    goes_to = data["next_100k_goes_to"]
    assert set(goes_to) == set(moved)
    for indsats_id, change in moved.items():
        assert math.isclose(goes_to[indsats_id], change, abs_tol=0.5)
    assert math.isclose(data["budget_next_100k"], larger["objective"] - data["objective"], rel_tol=1e-9)
    code, out, err = pulje(capsys, "solve", *ASSUME, CATALOG, "--budget", "700000", "--explain")
    assert code == 0, err
    line = next(line for line in out.splitlines() if "goes to:" in line)
    assert all(f"({indsats_id})" in line for indsats_id in moved)


def test_explain_gives_no_gain_for_the_catalogs_requires_rows(capsys: pytest.CaptureFixture[str]) -> None:
    """Half of kk-laerere-udbredelse locked: its concept kk-laerere-metodehaefte is funded just as far, so the
    catalog's requires row binds and is listed, without a rate or a gain (a user cannot loosen it). Reproduction:
        pulje solve data/copenhagen/bruttokatalog_2019_2022.csv --budget 10000000 --exclude kk-vaekstprogram
              --lock kk-laerere-udbredelse=250000 --explain --format json
        -> binding "requires[kk-laerere-udbredelse<-kk-laerere-metodehaefte]" has gain_next_100k 9.545..."""
    data = _explained(
        capsys,
        COPENHAGEN,
        "--budget",
        "10000000",
        "--exclude",
        "kk-vaekstprogram",
        "--lock",
        "kk-laerere-udbredelse=250000",
    )
    requires = [item for item in data["binding"] if item["constraint"].startswith("requires[")]
    assert "requires[kk-laerere-udbredelse<-kk-laerere-metodehaefte]" in {item["constraint"] for item in requires}
    for item in requires:
        assert item["rate_per_100k"] is None
        assert item["gain_next_100k"] is None


def test_infeasible_solve_exits_1_and_prints_the_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    """AUU's three indsatser cost 150.000 + 200.000 + 150.000 = 500.000 kr.: at least 1.000.000 kr. on AUU cannot
    hold. The JSON is still printed, exit code 1 (not proven optimal), and lowering the minimum by the smallest
    fix it names makes the solve feasible."""
    argv = ["solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json"]
    code, out, err = pulje(capsys, *argv, "--udvalg-min", "AUU=1000000")
    assert code == 1, err
    data = json.loads(out)
    assert data["status"] == "infeasible" and data["allocation"] == []
    conflict = data["conflict"]
    assert ["udvalg_min[AUU]"] in conflict["constraints"]
    fix = {item["constraint"]: item["relax_kr"] for item in conflict["smallest_fix"]}
    assert fix == {"udvalg_min[AUU]": 500_000}
    assert conflict["total_kr"] == 500_000
    code, out, err = pulje(capsys, *argv, "--udvalg-min", f"AUU={1_000_000 - fix['udvalg_min[AUU]']:.0f}")
    assert code == 0, err
    assert json.loads(out)["status"] == "optimal"


def test_solve_csv_is_parseable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["id"] for row in rows} == set(catalog_rows())
    amounts = [float(row["amount_kr"]) for row in rows]
    assert sum(amounts) <= 660_000 + 0.5
    funded_value = sum(
        catalog_rows()[row["id"]]["value"] * float(row["amount_kr"]) / float(row["cost_kr"]) for row in rows
    )
    assert math.isclose(funded_value, best_all_or_nothing(660_000), rel_tol=1e-9)


def test_solve_table_mentions_the_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME)
    assert code == 0, err
    assert "Assumptions" in out
    assert f"Assumed reach of {FARVEL}: 40" in out
    assert f"Assumed reach of {AABEN}: 250" in out
    assert "Scalability is not stated" in out


@pytest.mark.parametrize(
    "budget",
    [
        pytest.param(["700000"], id="one-year"),
        pytest.param(["2021=722000", "2022=700000"], id="two-years"),
    ],
)
def test_solve_writes_a_workbook(budget: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.xlsx"
    budgets = [arg for value in budget for arg in ("--budget", value)]
    code, out, err = pulje(capsys, "solve", CATALOG, *budgets, *ASSUME, "--format", "json", "--excel", str(path))
    assert code == 0, err
    data = json.loads(out)
    book = openpyxl.load_workbook(path)
    assert "Fordeling" in book.sheetnames
    sheet = book["Fordeling"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Tilskud") + 1
    total = next(cell.row for cell in sheet["A"] if cell.value == "I alt")
    assert math.isclose(
        sheet.cell(total, column).value, sum(entry["amount_kr"] for entry in data["allocation"]), abs_tol=0.01
    )


def test_solve_writes_a_model_an_auditor_can_re_solve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.lp"
    code, out, err = pulje(
        capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json", "--write-model", str(path)
    )
    assert code == 0, err
    text = path.read_text()
    assert "Subject To" in text or "SUBJECT TO" in text.upper()
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert math.isclose(highs.getInfo().objective_function_value, json.loads(out)["objective"], rel_tol=1e-6)


def test_write_model_refuses_an_unknown_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(
        capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--write-model", str(tmp_path / "m.txt")
    )
    assert code == 2
    assert ".lp" in err and "Traceback" not in err


# --- every command in every format -----------------------------------------------------------------

COMMANDS = {
    "run": ["run", MAX_REACH],
    "run-compare-baseline": ["run", MAX_REACH, "--compare-baseline"],
    "compare": ["compare", MAX_REACH, LABOUR],
    "compare-baseline": ["compare", MAX_REACH, "--baseline"],
    "sweep": ["sweep", MAX_REACH, "--from", "0", "--to", "2000000", "--step", "500000", "--quiet"],
    "robustness": ["robustness", MAX_REACH, "-n", "50", "--seed", "1", "--quiet"],
    "frontier": ["frontier", MAX_REACH, "arbejdsmarked", "sundhed", "--points", "4", "--quiet"],
    "validate": ["validate", CATALOG],
}
FORMATS = ["table", "json", "csv"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_works_in_each_format(command: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, *COMMANDS[command], "--format", fmt)
    assert code == 0, err
    assert "Traceback" not in err
    if fmt == "json":
        assert isinstance(json.loads(out), dict)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
    else:
        assert out.strip()
        with pytest.raises(json.JSONDecodeError):
            json.loads(out)


def test_validate_without_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "validate", CATALOG)
    assert code == 0, err
    assert "handleplan_2021_2022.csv" in out and "9 rows" in out


def _json(capsys: pytest.CaptureFixture[str], command: str, *extra: str) -> dict:
    code, out, err = pulje(capsys, *COMMANDS[command], *extra, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_run_json_spends_each_years_pulje(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "run")
    assert data["status"] == "optimal"
    for year, pulje_kr in (("2021", 722_000), ("2022", 700_000)):
        assert sum(entry["by_year"][year] for entry in data["allocation"]) <= pulje_kr - FIXED_LINE + 0.5
    assert any("illustrative" in note for note in data["assumptions"])  # the reasons travel with the numbers


def test_run_compare_baseline_json_has_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    """The pool table's sums less the fixed line are exactly each year's asks, so the max-reach optimum funds every
    ask: the decided plan. The comparison is there, and empty (it differed before the per-year asks)."""
    data = _json(capsys, "run-compare-baseline")
    runs = data["comparison"]["runs"]
    assert runs[0].endswith(": baseline") and len(runs) == 2
    assert sum(asks(2021).values()) == 722_000 - FIXED_LINE and sum(asks(2022).values()) == 700_000 - FIXED_LINE
    assert data["comparison"]["differences"] == [] and data["comparison"]["gains"] == []
    objectives = [row["objective"] for row in data["comparison"]["objective"]]
    assert objectives[0] == pytest.approx(objectives[1], rel=1e-9)


def test_compare_json_is_empty_is_a_json_boolean(capsys: pytest.CaptureFixture[str]) -> None:
    """Reproduction: from scenarios import *; s = load_scenario("scenarios/examples/frederiksberg_max_reach.toml");
    type(compare(baseline(s), run(s)).is_empty)  # numpy.bool, so json.dump(..., default=str) gives "True"."""
    assert _json(capsys, "run-compare-baseline")["comparison"]["is_empty"] is True


def test_compare_baseline_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "compare-baseline")
    assert len(data["runs"]) == 2 and data["runs"][0].endswith(": baseline")
    statuses = [row["status"] for row in data["objective"]]
    assert statuses == ["evaluated", "optimal"]
    changed = {row["id"] for row in data["differences"]}
    assert changed == {row["id"] for row in data["gains"]} | {row["id"] for row in data["losses"]}


def test_compare_two_scenarios_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "compare")
    assert [row["run"] for row in data["objective"]] == data["runs"]
    assert len(data["runs"]) == 2


def test_compare_writes_the_comparison_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cmp.xlsx"
    code, _, err = pulje(capsys, *COMMANDS["compare-baseline"], "--excel", str(path))
    assert code == 0, err
    assert "Sammenligning" in openpyxl.load_workbook(path).sheetnames


def test_sweep_json(capsys: pytest.CaptureFixture[str]) -> None:
    points = _json(capsys, "sweep")["sweep"]
    assert [p["budget_per_year_kr"] for p in points] == [0, 500_000, 1_000_000, 1_500_000, 2_000_000]
    assert {"status", "objective", "allocated_kr", "next_100k_value", "entered", "left"} <= set(points[0])
    assert points[0]["status"] == "infeasible"  # 0 kr. cannot pay the 40.000 kr. fixed line
    assert points[0]["next_100k_value"] is None
    objectives = [p["objective"] for p in points[1:]]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(objectives))
    assert points[1]["next_100k_value"] > 0  # 460.000 kr. a year after the fixed line leaves asks unfunded
    for point in points[2:]:  # from 1.000.000 kr. a year every ask (682.000 and 660.000) is funded
        assert point["allocated_kr"] == pytest.approx(682_000 + 660_000) and point["next_100k_value"] == 0


@pytest.mark.parametrize(
    ("command", "sheets", "key"),
    [
        ("sweep", ["Resumé", "Budgetforløb", "Indtræden"], "sweep"),
        ("robustness", ["Resumé", "Robusthed"], "indsatser"),
        ("frontier", ["Resumé", "Punkter", "Beløb"], "frontier"),
    ],
    ids=["sweep", "robustness", "frontier"],
)
def test_table_commands_write_a_workbook(
    command: str, sheets: list[str], key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{command}.xlsx"
    code, out, err = pulje(capsys, *COMMANDS[command], "--excel", str(path), "--format", "json")
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheets
    table = book[sheets[1]]
    rows = [row for row in table.iter_rows(min_row=2, values_only=True)]
    records = json.loads(out)[key]
    body = rows[: next((i for i, row in enumerate(rows) if row[0] is None), len(rows))]
    assert len(body) == len(records)  # a header and one row per record, then at most a blank line and a note


def test_robustness_json_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    first = _json(capsys, "robustness")
    assert first["draws"] == 50 and first["seed"] == 1
    assert len(first["indsatser"]) == 8
    assert all(0 <= row["core_index"] <= 1 for row in first["indsatser"])
    assert _json(capsys, "robustness") == first
    code, out, _ = pulje(capsys, "robustness", MAX_REACH, "-n", "50", "--seed", "2", "--quiet", "--format", "json")
    assert code == 0
    assert json.loads(out)["objective_mean"] != first["objective_mean"]


def tight_scenario(tmp_path: Path) -> Path:
    """The max-reach scenario with 400.000 kr. a year (below the asks), so goals compete for the money."""
    text = (ROOT / MAX_REACH).read_text(encoding="utf-8")
    text = text.replace("../../data/", (ROOT / "data").as_posix() + "/")
    text = text.replace("2021 = 722000", "2021 = 400000").replace("2022 = 700000", "2022 = 400000")
    path = tmp_path / "tight.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_frontier_json(capsys: pytest.CaptureFixture[str]) -> None:
    """At the pool table's sums every ask fits: one allocation is best for both goals, a frontier of one point."""
    points = _json(capsys, "frontier")["frontier"]
    assert len(points) == 1


def test_frontier_json_of_a_tight_pulje(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["frontier", str(tight_scenario(tmp_path)), "arbejdsmarked", "sundhed", "--points", "4", "--quiet"]
    code, out, err = pulje(capsys, *argv, "--format", "json")
    assert code == 0, err
    points = json.loads(out)["frontier"]
    assert 2 <= len(points) <= 4
    values_b = [p["value_b"] for p in points]
    assert values_b == sorted(values_b)
    values_a = [p["value_a"] for p in points]
    assert values_a == sorted(values_a, reverse=True)


# --- bad input -------------------------------------------------------------------------------------


def _fails_cleanly(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.strip()


def test_missing_reach_names_the_indsatser(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", "--format", "json")
    _fails_cleanly(code, err)
    assert FARVEL in err and AABEN in err
    assert out == ""


def test_unknown_goal_in_goal_weight(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--goal-weight", "lykke=2")
    _fails_cleanly(code, err)
    assert "lykke" in err and "arbejdsmarked" in err  # names the goal and the goals there are


@pytest.mark.parametrize("value", ["sundhed", "sundhed=abc", "sundhed=-1"])
def test_malformed_goal_weight(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--goal-weight", value)
    _fails_cleanly(code, err)
    assert "--goal-weight" in err


@pytest.mark.parametrize(
    "budget",
    [["abc"], ["2021:700000"], ["-700000"], ["2021=abc"], ["2021=722000", "700000"], ["tjue=700000"], ["2021=-5"]],
    ids=["text", "colon", "negative", "year-text", "mixed", "word-year", "negative-year"],
)
def test_malformed_budget(budget: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    argv = [arg for value in budget for arg in ("--budget", value)]
    code, out, err = pulje(capsys, "solve", CATALOG, *argv, *ASSUME)
    _fails_cleanly(code, err)
    assert "--budget" in err
    assert out == ""


def test_unknown_solver(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "solve", CATALOG, "--budget", "700000", *ASSUME, "--solver", "gurobi")
    _fails_cleanly(code, err)
    assert "gurobi" in err


def test_bad_scenario_file_names_the_key_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        f'name = "x"\ncatalog = "{(ROOT / CATALOG).as_posix()}"\nbudget = -1\n'
        '[[constraints]]\nkind = "udvalg_max"\nudvalg = "AUU"\nshare = 1.5\n',
        encoding="utf-8",
    )
    for command in (["run", str(path)], ["sweep", str(path), "--from", "0", "--to", "1", "--step", "1"]):
        code, _, err = pulje(capsys, *command)
        _fails_cleanly(code, err)
        assert "bad.toml: 2 problems" in err
        assert "budget:" in err and "constraints[0]" in err


def test_missing_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, "run", str(tmp_path / "nowhere.toml"))
    _fails_cleanly(code, err)
    assert "nowhere.toml" in err


BAD_CATALOG = """\
a,A,AUU,arbejdsmarked,abc,,,10,,,borgere,,,,,,,src,q,
b,B,AUU,nosuchgoal,1000,,,-5,,,borgere,,,,,,,src,q,
a,C,AUU,arbejdsmarked,1000,,,10,,,borgere,7,maybe,,,,,src,q,
"""


def test_validate_lists_every_problem_with_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "data" / "frederiksberg" / "goals.csv", tmp_path / "goals.csv")
    header = (ROOT / CATALOG).read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "bad.csv"
    path.write_text(header + "\n" + BAD_CATALOG, encoding="utf-8")
    code, _, err = pulje(capsys, "validate", str(path))
    _fails_cleanly(code, err)
    expected = [(2, "cost_kr"), (3, "goals"), (3, "reach"), (4, "scalable"), (4, "stars"), (4, "id")]
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(expected), err
    for row, column in expected:
        assert sum(f"row {row}, column {column}:" in line for line in problems) == 1, (row, column, err)
    assert "6 problems" in err


@pytest.mark.parametrize(
    "command",
    [
        ["solve", CATALOG, "--budget", "700000", *ASSUME],
        ["run", MAX_REACH],
        ["compare", MAX_REACH, "--baseline"],
        ["sweep", MAX_REACH, "--from", "0", "--to", "1000000", "--step", "500000", "--quiet"],
        ["robustness", MAX_REACH, "-n", "5", "--quiet"],
        ["frontier", MAX_REACH, "arbejdsmarked", "sundhed", "--points", "2", "--quiet"],
    ],
    ids=["solve", "run", "compare", "sweep", "robustness", "frontier"],
)
def test_unwritable_excel_path(command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.xlsx"
    code, _, err = pulje(capsys, *command, "--excel", str(target))
    _fails_cleanly(code, err)
    assert str(target) in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["compare", MAX_REACH], "two"),
        (["sweep", MAX_REACH, "--from", "0", "--to", "1000000", "--step", "0"], "--step"),
        (["sweep", MAX_REACH, "--from", "1000000", "--to", "0", "--step", "1"], "--to"),
        (["sweep", MAX_REACH, "--from", "abc", "--to", "1", "--step", "1"], "--from"),
        (["frontier", MAX_REACH, "arbejdsmarked", "lykke", "--quiet"], "lykke"),
        (["frontier", MAX_REACH, "arbejdsmarked", "arbejdsmarked", "--quiet"], "two different goals"),
        (["robustness", MAX_REACH, "-n", "0", "--quiet"], "draw"),
        (["validate", "data/no_such_catalog.csv"], "no_such_catalog.csv"),
    ],
    ids=[
        "compare-one",
        "sweep-step-0",
        "sweep-backwards",
        "sweep-text",
        "frontier-goal",
        "frontier-same",
        "robust-0",
        "missing-catalog",
    ],
)
def test_other_bad_arguments_fail_cleanly(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = pulje(capsys, *argv)
    _fails_cleanly(code, err)
    assert needle in err


# --- the installed console script ------------------------------------------------------------------


def test_console_script_help() -> None:
    done = subprocess.run([str(PULJE), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    for command in ("solve", "run", "compare", "sweep", "robustness", "frontier", "validate"):
        assert command in done.stdout


def test_console_script_prints_pure_json() -> None:
    done = subprocess.run(
        [str(PULJE), "solve", CATALOG, "--budget", "700000", *ASSUME, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{") and "HiGHS" not in done.stdout
    data = json.loads(done.stdout)  # the whole of stdout is one JSON document
    assert math.isclose(data["objective"], best_all_or_nothing(660_000), rel_tol=1e-9)
