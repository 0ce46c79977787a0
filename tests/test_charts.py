"""The allocation and core-index charts draw one bar per indsats: Copenhagen's catalog has two indsatser whose
names share their first 48 characters, which were drawn as one bar of their sum with two reference ticks."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from optimizer import load_catalog
from scenarios.bundled import BUNDLED
from ui.charts import NAME_CHARS, allocation, bar_labels, core_index
from ui_text import STATUS


def test_every_copenhagen_indsats_gets_a_bar_of_its_own() -> None:
    names = load_catalog(BUNDLED["kk2019"].path)["name"].tolist()
    table = pd.DataFrame({"name": names, "amount_kr": range(len(names)), "reference_kr": 0.0, "status": "funded"})
    records = allocation(table, STATUS)["data"]["values"]
    assert len({r["label"] for r in records}) == len(names)
    by_label = {r["label"]: r["name"] for r in records}
    assert any(label.endswith("metodehæfte") for label in by_label)  # the pair tells itself apart by its end
    assert all(len(label) <= NAME_CHARS for label in by_label)
    core = core_index(pd.DataFrame({"name": names, "core_pct": 50.0})).to_dict()
    assert len({row["label"] for row in next(iter(core["datasets"].values()))}) == len(names)


@given(st.lists(st.text(alphabet="ab :", min_size=1, max_size=70), min_size=1, max_size=12))
def test_labels_are_distinct_short_and_begin_as_their_names(names: list[str]) -> None:
    labels = bar_labels(names)
    assert len(set(labels)) == len(labels)
    for name, label in zip(names, labels, strict=True):
        assert label.startswith(name[:10].rstrip())
        assert len(label) <= NAME_CHARS + len(" (12)")
        if len(name) <= NAME_CHARS and names.count(name) == 1:
            assert label == name
