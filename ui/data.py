"""The app's caches and sources: catalogs (bundled, or kept in the scenario library by hash), compiled models
and the analysis of each set of settings.

A catalog is loaded once per file version (st.cache_resource: one shared, read-only frame); a compiled
model is kept per catalog and structure (constraints and figures) and re-solved when only the pulje or the
weights move, under a lock, since sessions share it; the analysis is cached per settings, so moving a slider
back to where it was costs nothing. The analyses and the reference valuations are kept as shared objects
(st.cache_resource), not copied in and out by pickling on every move as st.cache_data would: the page only
reads them (pandas copies on write, and the UI's changes to a table go to a copy).
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from optimizer import Compiled, Inputs, Result, compile_inputs, load_catalog
from optimizer.files import EncodingNote
from scenarios.bundled import BUNDLED, decided_amounts, start_settings
from scenarios.frontier import Frontier
from scenarios.library.store import Library
from scenarios.saved import CatalogFiles, cache_catalog, stored_catalog
from scenarios.settings import Ranges, Settings, control_ranges
from scenarios.sweep import Sweep
from scenarios.tradeoffs import budget_sweep, evidence_price, goal_frontier
from scenarios.whatif import WhatIf, analyse, reference_key, value_reference


@dataclass(frozen=True)
class Source:
    """Where a catalog comes from: its key (a bundled one, or a file kept in the library), its file (and its
    goals and per-year asks files when they are not beside it), and the name shown."""

    key: str
    path: Path
    name: str
    goals: Path | None = None
    asks: Path | None = None

    @property
    def version(self) -> str:
        """Changes when a file changes (bundled: its modification time; stored files are named by content)."""
        return "|".join(_file_version(p) for p in (self.path, self.goals, self.asks) if p is not None)

    @property
    def files(self) -> CatalogFiles:
        return CatalogFiles(self.path, self.goals, self.asks)


def _file_version(path: Path) -> str:
    try:
        return f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        return f"{path}:missing"


def library() -> Library:
    """The scenario library ($PULJE_DATABASE_URL, else the SQLite file); cheap, its engine is kept per process."""
    return Library.from_env()


def source_of(key: str) -> Source | None:
    """The source a catalog key names: a bundled catalog, or a file the library keeps (None: no such key;
    LibraryError: the library does not hold it or cannot be reached)."""
    if key in BUNDLED:
        return Source(key, BUNDLED[key].path, BUNDLED[key].path.name)
    files = stored_catalog(library(), key)
    return None if files is None else Source(key, files.catalog, files.catalog.name)


def stored_source(key: str, files: CatalogFiles) -> Source:
    """The source of a saved version's own copies of its catalog files."""
    return Source(key, files.catalog, files.catalog.name, files.goals, files.asks)


def upload_source(data: bytes, file_name: str) -> Source:
    """An uploaded catalog in the library's file cache, to be checked before the library keeps it (keep_upload)."""
    key, path = cache_catalog(library(), data, _clean_name(file_name))
    return Source(key, path, path.name)


def keep_upload(data: bytes, source: Source) -> None:
    """Keep an uploaded catalog in the library under its content hash, so a link to it works on every app
    process that shares the library (raises LibraryError when the library cannot keep it)."""
    library().store_file(data, source.name)


def _clean_name(file_name: str) -> str:
    name = re.sub(r"[^\w.\- æøåÆØÅ]", "_", Path(file_name).name).strip(" .")
    return name[:120] or "katalog.csv"


@st.cache_resource(show_spinner=False, max_entries=32)
def _catalog(files: CatalogFiles, version: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EncodingNote)
        catalog = load_catalog(files.catalog, goals=files.goals, asks=files.asks)
    return catalog, tuple(w.message.encoding for w in caught if isinstance(w.message, EncodingNote))


def catalog(source: Source) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The validated catalog and the encodings its files were read in where not UTF-8 (raises CatalogError:
    an error is never cached)."""
    return _catalog(source.files, source.version)


@st.cache_resource(show_spinner=False, max_entries=32)
def _checked(files: CatalogFiles, version: str) -> Inputs:
    return Inputs(_catalog(files, version)[0], 0.0)


def checked(source: Source) -> Inputs:
    """Inputs over the catalog, checked once: each move's settings are then checked alone (Inputs.replace)."""
    return _checked(source.files, source.version)


@st.cache_resource(show_spinner=False, max_entries=32)
def start(source: Source, version: str) -> Settings:
    """Where the app starts on this catalog."""
    return start_settings(source.key, catalog(source)[0])


@st.cache_resource(show_spinner=False, max_entries=32)
def _ranges(files: CatalogFiles, version: str, start_key: str, _start: Settings) -> Ranges:
    return control_ranges(_catalog(files, version)[0], _start)


def ranges(source: Source, start: Settings) -> Ranges:
    """The sliders' ranges on this catalog from where the app starts (computed once, not on every move)."""
    return _ranges(source.files, source.version, start.key(), start)


@st.cache_resource(show_spinner=False, max_entries=8)
def decided(source: Source, version: str) -> pd.DataFrame | None:
    """The decided allocation of a bundled catalog, or None."""
    return decided_amounts(source.key, catalog(source)[0])


class _Shared:
    """A compiled model shared by sessions, re-solved under a lock (it moves to the inputs it solves)."""

    def __init__(self, inputs: Inputs):
        self.compiled: Compiled = compile_inputs(inputs)
        self.lock = threading.Lock()

    def solve(self, inputs: Inputs) -> Result:
        with self.lock:
            return self.compiled.solve(inputs)


@st.cache_resource(show_spinner=False, max_entries=64)
def _compiled(version: str, structure: str, _inputs: Inputs) -> _Shared:
    return _Shared(_inputs)


@st.cache_resource(show_spinner=False, max_entries=256)
def _analysis(version: str, key: str, _settings: Settings, _source: Source) -> WhatIf:
    reference = _settings.reference
    amounts = (
        pd.DataFrame(reference, columns=["id", "year", "amount_kr"])
        if reference is not None
        else decided(_source, version)
    )

    def solver(inputs: Inputs) -> Result:
        return _compiled(version, _settings.structure_key(), inputs).solve(inputs)

    def valuer(inputs: Inputs, reference: pd.DataFrame | None) -> tuple[Result | None, str]:
        return _reference(version, reference_key(inputs, reference), inputs, reference)

    return analyse(_settings, checked(_source), reference=amounts, solver=solver, valuer=valuer)


@st.cache_resource(show_spinner=False, max_entries=128)
def _reference(version: str, key: str, _inputs: Inputs, _amounts: pd.DataFrame | None) -> tuple[Result | None, str]:
    """The reference's valuation, kept while only the pulje moves (it does not depend on the pulje)."""
    return value_reference(_inputs, _amounts)


def analysis(settings: Settings, source: Source) -> WhatIf:
    """The analysis of these settings (cached per catalog version and settings)."""
    return _analysis(source.version, settings.key(), settings, source)


# --- trade-offs, computed on request and cached per settings ---------------------------------------


def inputs(settings: Settings, source: Source) -> Inputs:
    """The settings over the catalog checked once (data.checked): only the settings are checked again."""
    return settings.to_inputs(checked(source))


@st.cache_data(show_spinner=False, max_entries=64)
def sweep(version: str, key: str, _settings: Settings, _source: Source) -> Sweep:
    return budget_sweep(inputs(_settings, _source))


@st.cache_data(show_spinner=False, max_entries=64)
def frontier(version: str, key: str, goal_a: str, goal_b: str, _settings: Settings, _source: Source) -> Frontier:
    return goal_frontier(inputs(_settings, _source), goal_a, goal_b)


@st.cache_data(show_spinner=False, max_entries=64)
def evidence(version: str, key: str, _settings: Settings, _source: Source) -> pd.DataFrame:
    checked_inputs = inputs(_settings, _source)
    shared = _compiled(version, _settings.structure_key(), checked_inputs)
    return evidence_price(checked_inputs, shared.solve)
