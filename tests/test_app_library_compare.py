"""Saved versions side by side in the app (AppTest): the value of each, the amounts per indsats and per udvalg are
the core's for each version's settings, and versions valued with different weights are said not to compare."""

from __future__ import annotations

import math

import pytest

from optimizer import Result
from scenarios import compare, run, share
from scenarios.export import weight_warning
from scenarios.library.store import Library
from scenarios.settings import Settings
from tests.app_helpers import assert_clean, danish, independent, open_tab, plain, run_app, shown_texts, start
from tests.app_library_helpers import TAB, T, app_library, save
from ui.library_compare import CHOSEN

__all__ = ["app_library"]  # the fixture, used by name
COLUMNS = T["compare_columns"]
FB = start("fb2021")
CASES = {
    "same weights": [FB, FB.with_budget(2021, 500_000)],
    "different goal weights": [FB, FB.with_weight("arbejdsmarked", 3.0)],
    "three versions, evidence weighted": [FB, FB.with_budget(2022, 400_000), FB.replace(evidence_weight=2.0)],
}


def link(settings: Settings) -> dict[str, str]:
    """The query of a link to these settings (what a user would have set with the controls)."""
    return share.encode(settings, FB)


def table(at, position: int):
    """A table of the tab as text cells, indexed by its first column."""
    frame = at.dataframe[position].value
    return frame.set_index(frame.columns[0])


@pytest.mark.parametrize("versions", CASES.values(), ids=CASES.keys())
def test_compared_versions_show_the_core_figures_of_each(app_library: Library, versions: list[Settings]) -> None:
    for settings in versions:
        save(run_app(link(settings)), "Plan")
    at = open_tab(run_app(), TAB)
    refs = [f"Plan@{k}" for k in range(1, len(versions) + 1)]
    at.multiselect(key=CHOSEN).set_value(refs).run()
    assert_clean(at)
    results: list[Result] = [independent(settings, "fb2021") for settings in versions]
    labels = [chr(ord("A") + k) for k in range(len(versions))]
    objective = table(at, 1)
    for label, result in zip(labels, results, strict=True):
        assert math.isclose(danish(objective.loc[label, COLUMNS["objective"]]), result.objective, abs_tol=0.005)
        assert math.isclose(danish(objective.loc[label, COLUMNS["allocated_kr"]]), result.allocation["amount_kr"].sum())
    by_indsats, by_udvalg = table(at, 2), table(at, 3)
    for label, result in zip(labels, results, strict=True):
        for name, amount in result.allocation.set_index("name")["amount_kr"].items():
            assert math.isclose(danish(by_indsats.loc[plain(name), label] or "0"), amount, abs_tol=0.5), (label, name)
        for udvalg, amount in result.by_udvalg.set_index("udvalg")["amount_kr"].items():
            assert math.isclose(danish(by_udvalg.loc[udvalg, label] or "0"), amount, abs_tol=0.5), (label, udvalg)
    expected = weight_warning(compare(*(run(app_library.open("Plan", k)) for k in range(1, len(versions) + 1))))
    warnings = shown_texts(at, "warning")
    if expected is None:
        assert not warnings
    else:
        assert expected in warnings and "kan ikke sammenlignes" in warnings


def test_one_version_chosen_compares_nothing(app_library: Library) -> None:
    save(run_app(), "Plan")
    at = open_tab(run_app(), TAB)
    at.multiselect(key=CHOSEN).set_value(["Plan@1"]).run()
    assert_clean(at)
    assert len(at.dataframe) == 1  # the list of versions only
