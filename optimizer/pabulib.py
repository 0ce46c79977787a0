"""Read a participatory-budgeting instance in the pabulib format (.pb) as a pulje catalog.

Every project becomes an all-or-nothing indsats whose value is its votes (or points, for cumulative
ballots): reach = votes, one goal, no stars. Used as a real workload by tests and benchmarks.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from optimizer.catalog import validate_catalog
from optimizer.errors import CatalogError, Problem

VOTES_GOAL = {"votes": "Stemmer"}


def read_pabulib(path: str | Path) -> tuple[pd.DataFrame, float]:
    """The projects of a .pb file as a catalog, and the instance's budget."""
    path = Path(path)
    sections = _sections(path.read_text(encoding="utf-8"))
    meta = {row[0]: row[1] for row in sections.get("META", [])[1:] if len(row) >= 2}
    projects = sections.get("PROJECTS", [])
    if "budget" not in meta or len(projects) < 2:
        raise CatalogError(path.name, [Problem("not a pabulib file: needs META with a budget and PROJECTS")])
    header, rows = projects[0], projects[1:]
    value_column = "score" if "score" in header and meta.get("vote_type") == "cumulative" else "votes"
    records = []
    for row in rows:
        record = dict(zip(header, row, strict=False))
        records.append(
            {
                "id": record["project_id"],
                "name": record.get("name") or record["project_id"],
                "udvalg": "",
                "goals": "votes",
                "cost_kr": float(record["cost"]),
                "min_kr": "",
                "max_kr": "",
                "reach": float(record.get(value_column) or 0),
                "reach_min": "",
                "reach_max": "",
                "reach_unit": value_column,
                "stars": "",
                "scalable": "false",
                "source": path.name,
                "quote": "",
                "note": "",
            }
        )
    catalog = validate_catalog(pd.DataFrame(records), goals=VOTES_GOAL, origin=path.name)
    return catalog, float(meta["budget"])


def _sections(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if len(row) == 1 and row[0].strip() in {"META", "PROJECTS", "VOTES"}:
            current = row[0].strip()
            sections[current] = []
        elif current is not None and row:
            sections[current].append(row)
    return sections
