"""The library checked after the load test (benchmarks/load.py): every save there under the version its session
was told, with the content that session had, and nothing else."""

from __future__ import annotations

import math

import pandas as pd

from benchmarks.load_plan import Save, author
from optimizer import load_catalog, solve
from scenarios.bundled import BUNDLED, start_settings
from scenarios.library.store import Library
from scenarios.settings import Settings
from scenarios.settings_file import settings_from_scenario


def verify(library: Library, saves: list[Save]) -> tuple[dict[str, list[str]], int]:
    """Every save in the library under the version its page reported, with that session's content, and nothing
    else: `lost` (reported, not there), `mixed_up` (there with other content, or one version reported twice, or
    a gap in the numbers), `unconfirmed` (there, but its page never said so: a wait that timed out)."""
    catalog = load_catalog(BUNDLED["fb2021"].path)
    start = start_settings("fb2021", catalog)
    found: dict[str, list[str]] = {"lost": [], "mixed_up": [], "unconfirmed": []}
    stored = {(row.name, int(row.version)) for row in library.list().itertuples()}
    reported = [(s.name, s.version) for s in saves]
    if len(set(reported)) != len(reported):
        found["mixed_up"].append("two saves were told the same version")
    found["unconfirmed"] = [f"{name}@{version}" for name, version in sorted(stored - set(reported))]
    for s in saves:
        if (s.name, s.version) not in stored:
            found["lost"].append(f"{s.name}@{s.version} ({s.note})")
            continue
        problem = _content_problem(library, s, start, catalog)
        if problem:
            found["mixed_up"].append(f"{s.name}@{s.version}: {problem}")
    for name in sorted({n for n, _ in stored}):
        numbers = sorted(v for n, v in stored if n == name)
        if numbers != list(range(1, len(numbers) + 1)):
            found["mixed_up"].append(f"{name}: versions {numbers} have a gap")
    return found, len(stored)


def _content_problem(library: Library, save: Save, start: Settings, catalog: pd.DataFrame) -> str | None:
    """Why the stored version is not what the session saved (its note, author, pulje, allocation), or None."""
    summary = library.summary(save.name, save.version)
    held = (summary.info.note, summary.info.author)
    if held != (save.note, author(save.session)):
        return f"holds {held}, not what session {save.session} saved ({save.note!r})"
    settings = settings_from_scenario(library.open(save.name, save.version), "fb2021")
    expected = start.with_budget(2021, save.pulje[2021]).with_budget(2022, save.pulje[2022])
    if settings != expected:
        return f"its settings are not what session {save.session} had on screen"
    amounts = solve(expected.to_inputs(catalog)).allocation.set_index("id")["amount_kr"]
    if any(not math.isclose(summary.result.allocation[i], kr, abs_tol=0.5) for i, kr in amounts.items()):
        return "its allocation is not the core's for its settings"
    return None
