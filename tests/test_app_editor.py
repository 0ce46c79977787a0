"""The editable table (AppTest, edits written as a user's): lock, exclude, partial funding, an own cost or
reach, an extension beyond an ask, each compared with the core solving the same settings, each shown as an
assumption with its reason; a cell that cannot be read is named and changes nothing; the missing costs of
Frederiksberg 2019 supplied in the table make it solvable."""

from __future__ import annotations

import pytest

import ui_text
from optimizer import load_catalog
from scenarios.bundled import BUNDLED
from scenarios.settings import RowEdit
from tests.app_helpers import (
    AMOUNT,
    assert_amounts,
    assert_clean,
    edit_rows,
    editor_position,
    independent,
    main_table,
    open_tab,
    run_app,
    shown_texts,
    start,
)

TIGHT = {"pulje.2021": "500000"}
EDITS = {
    "lock": ({"lock_2021": "150.000"}, "fb21-kvinder-i-job", RowEdit("fb21-kvinder-i-job", lock=((2021, 150_000.0),))),
    "exclude": (
        {"exclude": True},
        "fb21-farvel-til-farvede-forventninger",
        RowEdit("fb21-farvel-til-farvede-forventninger", exclude=True),
    ),
    "partial": (
        {"partial": ui_text.EDITOR["partial_options"]["ja"]},
        "fb21-dansk-sproglig-opkvalificering",
        RowEdit("fb21-dansk-sproglig-opkvalificering", partial=True),
    ),
    "own reach": ({"reach": "60"}, "fb21-kvinder-i-job", RowEdit("fb21-kvinder-i-job", reach=60.0)),
    "extend": (
        {"extend_2022": "150.000", "reason": "forlænget"},
        "fb21-kvinder-i-job",
        RowEdit("fb21-kvinder-i-job", extend=((2022, 150_000.0),), reason="forlænget"),
    ),
}


@pytest.mark.parametrize(("cells", "indsats_id", "edit"), EDITS.values(), ids=EDITS.keys())
def test_each_edit_moves_the_result_to_the_independent_optimum(cells, indsats_id: str, edit: RowEdit) -> None:
    at = run_app(TIGHT)
    before = main_table(at)[AMOUNT].copy()
    edit_rows(at, {editor_position("fb2021", indsats_id): cells})
    assert_clean(at)
    settings = start("fb2021").with_budget(2021, 500_000).with_edit(edit)
    expected = independent(settings, "fb2021")
    assert_amounts(at, expected)
    assert not main_table(at)[AMOUNT].equals(before), "the edit must change the allocation to be seen working"


def test_an_own_cost_moves_the_result_is_an_assumption_with_its_reason_and_travels_in_the_link() -> None:
    """Copenhagen (one year, one cost per indsats): Fritidsjob at half its stated cost."""
    at = run_app({"katalog": "kk2019", "pulje": "6000000"})
    before = main_table(at)[AMOUNT].copy()
    edit_rows(at, {editor_position("kk2019", "kk-fritidsjob"): {"cost": "0,2 mio.", "reason": "nyt tilbud"}})
    assert_clean(at)
    edit = RowEdit("kk-fritidsjob", cost_kr=200_000.0, reason="nyt tilbud")
    assert_amounts(at, independent(start("kk2019").with_budget(None, 6_000_000).with_edit(edit), "kk2019"))
    assert not main_table(at)[AMOUNT].equals(before)
    assert at.query_params["omk.kk-fritidsjob"] == "200000"
    assert at.query_params["grund.kk-fritidsjob"] == "nyt tilbud"
    open_tab(at, "Antagelser")
    text = shown_texts(at, "markdown")
    assert "Fritidsjob" in text and "200.000 kr." in text and "nyt tilbud" in text


def test_a_plan_of_per_year_asks_has_no_own_cost_column() -> None:
    at = run_app(TIGHT)
    edit_rows(at, {})
    columns = list(at.data_editor[0].value.columns)
    assert "cost" not in columns and "extend_2022" in columns  # the columns' keys; their headers are Danish


def test_a_cell_that_cannot_be_read_is_named_and_changes_nothing() -> None:
    at = run_app(TIGHT)
    before = main_table(at)[AMOUNT].copy()
    edit_rows(at, {editor_position("fb2021", "fb21-cricket"): {"lock_2021": "ti tusind"}})
    assert_clean(at)
    warning = shown_texts(at, "warning")
    assert "Cricket for piger og kvinder" in warning and "Lås 2021" in warning and "ti tusind" in warning
    assert main_table(at)[AMOUNT].equals(before)
    assert "laas.2021.fb21-cricket" not in at.query_params


def test_a_fixed_line_takes_only_a_cost() -> None:
    at = run_app(TIGHT)
    edit_rows(at, {editor_position("fb2021", "fb21-integrationspriser"): {"exclude": True}})
    assert "fast post" in shown_texts(at, "warning")
    assert "udeluk.fb21-integrationspriser" not in at.query_params


def test_frederiksberg_2019_solves_once_its_missing_costs_are_supplied() -> None:
    catalog = load_catalog(BUNDLED["fb2019"].path)
    costs = {indsats_id: 100_000.0 + 10_000 * k for k, indsats_id in enumerate(catalog["id"])}
    at = run_app({"katalog": "fb2019"})
    cells = {editor_position("fb2019", i): {"cost": str(int(kr)), "reason": "skøn"} for i, kr in costs.items()}
    edit_rows(at, cells)
    assert_clean(at)
    warning = shown_texts(at, "warning")
    assert "Omkostningen" not in warning  # no cost is missing now; the reaches the plan lacks still are
    assert "Rækkevidden" in warning
    missing_reach = ["fb19-ung-moeder-ung", "fb19-borgerservice-to-go", "fb19-hverdagsraadgivning"]
    reach = {editor_position("fb2019", i): {"reach": "25"} for i in missing_reach if i in set(catalog["id"])}
    edit_rows(at, reach)
    assert_clean(at)
    settings = start("fb2019")
    for indsats_id, kr in costs.items():
        settings = settings.with_edit(RowEdit(indsats_id, cost_kr=kr, reason="skøn"))
    for position in reach:
        indsats_id = catalog["id"].iloc[position]
        settings = settings.with_edit(RowEdit(indsats_id, cost_kr=costs[indsats_id], reach=25.0, reason="skøn"))
    assert_amounts(at, independent(settings, "fb2019"))
