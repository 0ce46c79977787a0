"""The catalogs the app opens with, and where it starts on each: an example scenario's settings (the pulje and
the assumptions the project ships), the decided allocation as the reference, the pulje a document states.

An uploaded catalog starts with a pulje of half its total ask (the file states none), said so on the page.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer import load_amounts
from scenarios.settings import Settings
from scenarios.settings_file import settings_from_scenario
from scenarios.spec import load_scenario
from ui_text import START_REASONS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"


def data_dir() -> Path:
    """The bundled data (PULJE_DATA_DIR points the app at another copy, as the tests do for a broken file)."""
    return Path(os.environ.get("PULJE_DATA_DIR") or ROOT / "data")


@dataclass(frozen=True)
class Bundled:
    """A bundled catalog: its file, the example scenario the app starts from, the decided allocation (the
    reference where there is one), and where the documents state its pulje (totals.csv: catalog and kind)."""

    key: str
    relative: str
    start: str | None = None
    decided: str | None = None
    stated_pulje: tuple[str, str] | None = None

    @property
    def path(self) -> Path:
        return data_dir() / self.relative

    @property
    def decided_path(self) -> Path | None:
        return data_dir() / self.decided if self.decided else None


BUNDLED: dict[str, Bundled] = {
    b.key: b
    for b in (
        Bundled(
            "fb2021",
            "frederiksberg/handleplan_2021_2022.csv",
            "frederiksberg_baseline.toml",
            "frederiksberg/handleplan_2021_2022_tilskud.csv",
        ),
        Bundled("fb2019", "frederiksberg/handleplan_2019.csv", stated_pulje=("handleplan_2019", "pulje")),
        Bundled("kk2019", "copenhagen/bruttokatalog_2019_2022.csv", "copenhagen_bruttokatalog.toml"),
    )
}


def start_settings(key: str, catalog: pd.DataFrame) -> Settings:
    """Where the app starts on a catalog: the bundled example scenario's settings with their reasons in
    Danish, else the pulje the documents state, else (an upload) half the catalog's total ask."""
    bundled = BUNDLED.get(key)
    if bundled is not None and bundled.start is not None:
        settings = settings_from_scenario(load_scenario(EXAMPLES / bundled.start), key)
        return _danish_reasons(settings, START_REASONS.get(key, {}))
    if bundled is not None and bundled.stated_pulje is not None:
        return Settings(key, budget=((None, stated_pulje(*bundled.stated_pulje)),))
    return Settings(key, budget=((None, half_the_asks(catalog)),))


def _danish_reasons(settings: Settings, reasons: dict[str, str]) -> Settings:
    """The example scenario's reasons (English in the file) replaced, row by row, by the Danish ones of ui_text
    (an exclusion, which the file explains in a comment, gets its reason here too)."""
    for edit in settings.edits:
        if edit.id in reasons:
            settings = settings.with_edit(dataclasses.replace(edit, reason=reasons[edit.id]))
    return settings


def stated_pulje(catalog: str, kind: str) -> float:
    """The pulje a document states, from data/frederiksberg/totals.csv (with its source and quote)."""
    with (data_dir() / "frederiksberg" / "totals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["catalog"] == catalog and row["kind"] == kind:
                return float(row["amount_kr"])
    raise KeyError(f"totals.csv states no {kind} for {catalog}")


def half_the_asks(catalog: pd.DataFrame) -> float:
    """Half of what the catalog's indsatser ask for in all (stated costs only), rounded to 10.000 kr."""
    stated = catalog.loc[~catalog["fixed"], "cost_kr"].dropna()
    total = float(stated.sum()) if len(stated) else 0.0
    return float(math.floor(total / 2 / 10_000) * 10_000)


def has_decided(key: str) -> bool:
    """Whether a catalog key names a bundled catalog with a decided allocation (the reference where one exists)."""
    bundled = BUNDLED.get(key)
    return bundled is not None and bundled.decided_path is not None


def decided_amounts(key: str, catalog: pd.DataFrame) -> pd.DataFrame | None:
    """The decided allocation of a bundled catalog (long format: id, year, amount_kr), or None."""
    bundled = BUNDLED.get(key)
    path = bundled.decided_path if bundled is not None else None
    return load_amounts(path, catalog=catalog) if path is not None else None
