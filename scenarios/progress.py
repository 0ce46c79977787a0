"""A progress bar for long runs: on stderr (so JSON or CSV on stdout stays clean), or reported to a callback
(the app's progress bar), which is told (done, total) about a hundred times a run."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
Progress = bool | Callable[[int, int], None]  # off, a bar on stderr, or a callback told (done, total)
REPORTS = 100  # how often a callback hears of a run's progress


def progress_bar(items: Iterable[T], *, enabled: Progress, desc: str, total: int | None = None) -> Iterator[T]:
    """Iterate over items, showing a bar on stderr when enabled is True, or telling a callback how far."""
    if callable(enabled):
        if total is None:
            items = list(items)  # counted first
            total = len(items)
        every = max(1, total // REPORTS)
        for done, item in enumerate(items):
            if done % every == 0:
                enabled(done, total)
            yield item
        enabled(total, total)
        return
    if not enabled:
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False)
