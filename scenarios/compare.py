"""Compare scenario runs: what differs per indsats, per udvalg and per goal, and who gains and who loses.

The runs' columns are headed by short labels (A, B, C …), since two scenario names often differ only at
their end; `legend` maps each label to the run's full name. Values are comparable only between runs
valued with the same weights, so the comparison keeps the weights and says where they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from scenarios.run import ScenarioRun

AMOUNT_TOL = 0.5  # kroner: differences below this are rounding, not a difference
WEIGHT_TOL = 1e-12  # weights closer than this are the same
EVIDENCE = "(evidence)"  # the row of `weights` that holds the evidence weight (the others are goal keys)


@dataclass
class Comparison:
    """Side-by-side tables of several runs, one column per run headed by its label; the first run is the
    reference for the differences."""

    names: list[str]  # the runs' full names (made unique)
    labels: list[str]  # the short column labels: A, B, C …
    by_indsats: pd.DataFrame  # id, name, udvalg, one amount column per label, change vs the first
    by_udvalg: pd.DataFrame
    by_goal: pd.DataFrame  # an indsats counts under every goal it serves
    objective: pd.DataFrame  # label, run, objective, status, allocated_kr
    assumptions: dict[str, list[str]]  # by full name
    weights: pd.DataFrame  # weight_name ("evidence" or a goal key), one column per label

    @property
    def legend(self) -> dict[str, str]:
        """Each column label with the full name of its run."""
        return dict(zip(self.labels, self.names, strict=True))

    @property
    def weight_differences(self) -> pd.DataFrame:
        """The weights that differ between the runs (empty when all were valued alike)."""
        values = self.weights[self.labels]
        differs = values.isna().any(axis=1) | ((values.max(axis=1) - values.min(axis=1)) > WEIGHT_TOL)
        return self.weights[differs].reset_index(drop=True)

    def differing_weights(self) -> list[tuple[str | None, dict[str, float]]]:
        """For each weight that differs: the goal key (None for the evidence weight) and each label's weight."""
        return [
            (None if row["weight_name"] == EVIDENCE else row["weight_name"], {k: row[k] for k in self.labels})
            for row in self.weight_differences.to_dict(orient="records")
        ]

    @property
    def same_weights(self) -> bool:
        """True when every run was valued with the same goal and evidence weights, so values compare."""
        return self.weight_differences.empty

    @property
    def differences(self) -> pd.DataFrame:
        """Only the indsatser whose amount differs between any of the runs."""
        amounts = self.by_indsats[self.labels]
        differs = (amounts.max(axis=1) - amounts.min(axis=1)) > AMOUNT_TOL
        return self.by_indsats[differs].reset_index(drop=True)

    @property
    def is_empty(self) -> bool:
        """True when the runs allocate the same amounts and reach the same objective."""
        objectives = self.objective["objective"]
        spread = float(objectives.max() - objectives.min())
        return bool(self.differences.empty and spread <= 1e-9 * max(1.0, float(objectives.abs().max())))

    @property
    def gains(self) -> pd.DataFrame:
        """Indsatser that get more in the last run than in the first."""
        return self._changed(lambda change: change > AMOUNT_TOL)

    @property
    def losses(self) -> pd.DataFrame:
        """Indsatser that get less in the last run than in the first."""
        return self._changed(lambda change: change < -AMOUNT_TOL)

    def _changed(self, keep: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
        first, last = self.labels[0], self.labels[-1]
        change = self.by_indsats[last] - self.by_indsats[first]
        frame = self.by_indsats.assign(change=change)
        return frame[keep(change)][["id", "name", first, last, "change"]].reset_index(drop=True)


def compare(*runs: ScenarioRun) -> Comparison:
    """Compare two or more runs (e.g. the decided baseline and an optimized scenario)."""
    if len(runs) < 2:
        raise ValueError("compare needs at least two runs")
    names = _unique([run.name for run in runs])
    labels = [column_label(k) for k in range(len(runs))]
    by_indsats = _side_by_side(runs, labels, "allocation", ["id", "name", "udvalg"], "amount_kr")
    by_udvalg = _side_by_side(runs, labels, "by_udvalg", ["udvalg"], "amount_kr")
    by_goal = _side_by_side(runs, labels, "by_goal", ["goal", "title"], "amount_kr")
    objective = pd.DataFrame(
        {
            "label": labels,
            "run": names,
            "objective": [run.result.objective for run in runs],
            "status": [run.result.status.value for run in runs],
            "allocated_kr": [run.result.allocation["amount_kr"].sum() for run in runs],
        }
    )
    assumptions = {n: r.assumptions for n, r in zip(names, runs, strict=True)}
    return Comparison(names, labels, by_indsats, by_udvalg, by_goal, objective, assumptions, _weights(runs, labels))


def column_label(k: int) -> str:
    """The k-th column label, counting from 0: A … Z, AA, AB … (as a spreadsheet names its columns)."""
    label = ""
    k += 1
    while k:
        k, rest = divmod(k - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _weights(runs: tuple[ScenarioRun, ...], labels: list[str]) -> pd.DataFrame:
    """The evidence weight and the weight of every goal each run was valued with (NaN: not a goal there)."""
    columns = {}
    for label, run in zip(labels, runs, strict=True):
        goals = dict(zip(run.result.by_goal["goal"], run.result.by_goal["weight"], strict=True))
        columns[label] = pd.Series({EVIDENCE: float(run.scenario.evidence_weight), **goals}, dtype=float)
    frame = pd.DataFrame(columns)
    return frame.rename_axis("weight_name").reset_index()


def _side_by_side(
    runs: tuple[ScenarioRun, ...], labels: list[str], table: str, keys: list[str], column: str
) -> pd.DataFrame:
    frames: list[pd.DataFrame] = [
        getattr(run.result, table)[[*keys, column]].rename(columns={column: label})
        for label, run in zip(labels, runs, strict=True)
    ]
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.merge(frame, on=keys, how="outer")
    merged[labels] = merged[labels].fillna(0.0)
    merged["change"] = merged[labels[-1]] - merged[labels[0]]
    return merged.reset_index(drop=True)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result
