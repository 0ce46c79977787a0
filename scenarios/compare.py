"""Compare scenario runs: what differs per indsats, per udvalg and per goal, and who gains and who loses."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scenarios.run import ScenarioRun

AMOUNT_TOL = 0.5  # kroner: differences below this are rounding, not a difference


@dataclass
class Comparison:
    """Side-by-side tables of several runs; the first run is the reference for the differences."""

    names: list[str]
    by_indsats: pd.DataFrame  # id, name, one amount column per run, change vs the first
    by_udvalg: pd.DataFrame
    by_goal: pd.DataFrame
    objective: pd.DataFrame  # run, objective, status
    assumptions: dict[str, list[str]]

    @property
    def differences(self) -> pd.DataFrame:
        """Only the indsatser whose amount differs between any of the runs."""
        amounts = self.by_indsats[self.names]
        differs = (amounts.max(axis=1) - amounts.min(axis=1)) > AMOUNT_TOL
        return self.by_indsats[differs].reset_index(drop=True)

    @property
    def is_empty(self) -> bool:
        """True when the runs allocate the same amounts and reach the same objective."""
        objectives = self.objective["objective"]
        return self.differences.empty and (objectives.max() - objectives.min()) <= 1e-9 * max(
            1.0, objectives.abs().max()
        )

    @property
    def gains(self) -> pd.DataFrame:
        """Indsatser that get more in the last run than in the first."""
        return self._changed(lambda change: change > AMOUNT_TOL)

    @property
    def losses(self) -> pd.DataFrame:
        """Indsatser that get less in the last run than in the first."""
        return self._changed(lambda change: change < -AMOUNT_TOL)

    def _changed(self, keep) -> pd.DataFrame:
        change = self.by_indsats[self.names[-1]] - self.by_indsats[self.names[0]]
        frame = self.by_indsats.assign(change=change)
        return frame[keep(change)][["id", "name", self.names[0], self.names[-1], "change"]].reset_index(drop=True)


def compare(*runs: ScenarioRun) -> Comparison:
    """Compare two or more runs (e.g. the decided baseline and an optimized scenario)."""
    if len(runs) < 2:
        raise ValueError("compare needs at least two runs")
    names = _unique([run.name for run in runs])
    by_indsats = _side_by_side(runs, names, "allocation", ["id", "name", "udvalg"], "amount_kr")
    by_udvalg = _side_by_side(runs, names, "by_udvalg", ["udvalg"], "amount_kr")
    by_goal = _side_by_side(runs, names, "by_goal", ["goal", "title"], "amount_kr")
    objective = pd.DataFrame(
        {
            "run": names,
            "objective": [run.result.objective for run in runs],
            "status": [run.result.status.value for run in runs],
            "allocated_kr": [run.result.allocation["amount_kr"].sum() for run in runs],
        }
    )
    return Comparison(
        names, by_indsats, by_udvalg, by_goal, objective, {n: r.assumptions for n, r in zip(names, runs, strict=True)}
    )


def _side_by_side(
    runs: tuple[ScenarioRun, ...], names: list[str], table: str, keys: list[str], column: str
) -> pd.DataFrame:
    merged = None
    for name, run in zip(names, runs, strict=True):
        frame = getattr(run.result, table)[[*keys, column]].rename(columns={column: name})
        merged = frame if merged is None else merged.merge(frame, on=keys, how="outer")
    merged[names] = merged[names].fillna(0.0)
    merged["change"] = merged[names[-1]] - merged[names[0]]
    return merged.reset_index(drop=True)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result
