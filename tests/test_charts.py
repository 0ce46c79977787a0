"""The allocation and core-index charts draw one bar per indsats: Copenhagen's catalog has two indsatser whose
names share their first 48 characters, which were drawn as one bar of their sum with two reference ticks."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from optimizer import load_catalog
from scenarios.bundled import BUNDLED
from ui.charts import LARGE_NAME_CHARS, NAME_CHARS, allocation, bar_labels, core_index
from ui_text import STATUS


@pytest.mark.parametrize(("large", "limit"), [(False, NAME_CHARS), (True, LARGE_NAME_CHARS)])
def test_every_copenhagen_indsats_gets_a_bar_of_its_own(large: bool, limit: int) -> None:
    names = load_catalog(BUNDLED["kk2019"].path)["name"].tolist()
    table = pd.DataFrame({"name": names, "amount_kr": range(len(names)), "reference_kr": 0.0, "status": "funded"})
    records = allocation(table, STATUS, large=large)["data"]["values"]
    labels = {r["label"]: r["name"] for r in records}
    assert len(labels) == len(names)
    assert all(len(label) <= limit for label in labels)
    pair = {label.split(" … ")[-1] for label, name in labels.items() if name.startswith("Undervisning af lærere")}
    assert pair == {"metodehæfte", "udbredelse"}  # the words the two names differ in, whole
    core = core_index(pd.DataFrame({"name": names, "core_pct": 50.0})).to_dict()
    assert len({row["label"] for row in next(iter(core["datasets"].values()))}) == len(names)


@given(st.lists(st.text(alphabet="ab :", min_size=1, max_size=70).filter(str.strip), min_size=1, max_size=12))
def test_labels_are_distinct_short_and_parts_of_their_names(names: list[str]) -> None:
    """A label is its name, the name cut ("…" at the end), or the name's beginning, " … " and a later part of
    it (itself perhaps cut); a number is added only where names stay alike."""
    labels = bar_labels(names)
    assert len(set(labels)) == len(labels)
    for name, label in zip(names, labels, strict=True):
        bare = re.sub(r" \(\d+\)$", "", label) if label not in names else label
        assert len(bare) <= NAME_CHARS
        head, _, tail = bare.partition(" … ")
        assert name.startswith(head.removesuffix("…")) and head.strip()
        assert tail.removesuffix("…") in name[len(head) :]
        if len(name) <= NAME_CHARS and names.count(name) == 1:
            assert label == name
