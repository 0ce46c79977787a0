"""The app's caches: catalogs, uploads, compiled models and the analysis of each set of settings.

A catalog is loaded once per file version (st.cache_resource: one shared, read-only frame); a compiled
model is kept per catalog and structure (constraints and figures) and re-solved when only the pulje or the
weights move, under a lock, since sessions share it; the analysis is cached per settings (st.cache_data),
so moving a slider back to where it was costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
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
from scenarios.settings import Settings
from scenarios.sweep import Sweep
from scenarios.tradeoffs import budget_sweep, evidence_price, goal_frontier
from scenarios.whatif import WhatIf, analyse, reference_key, value_reference

UPLOAD_PREFIX = "upload:"
UPLOADS = Path(tempfile.gettempdir()) / "pulje-uploads"  # by content hash, so a link works on this server


@dataclass(frozen=True)
class Source:
    """Where a catalog comes from: a bundled key, or an upload (its key, path and file name)."""

    key: str
    path: Path
    name: str

    @property
    def version(self) -> str:
        """Changes when the file changes (bundled: its modification time; uploads: named by content)."""
        try:
            return f"{self.path}:{self.path.stat().st_mtime_ns}"
        except OSError:
            return f"{self.path}:missing"


def source_of(key: str) -> Source | None:
    """The source a catalog key names: a bundled catalog, or an upload still on this server."""
    if key in BUNDLED:
        return Source(key, BUNDLED[key].path, BUNDLED[key].path.name)
    if key.startswith(UPLOAD_PREFIX):
        folder = UPLOADS / key.removeprefix(UPLOAD_PREFIX)
        files = sorted(folder.glob("*")) if folder.is_dir() else []
        if files:
            return Source(key, files[0], files[0].name)
    return None


def save_upload(data: bytes, file_name: str) -> Source:
    """An uploaded file kept on this server under its content hash, with its own (cleaned) name."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = re.sub(r"[^\w.\- æøåÆØÅ]", "_", Path(file_name).name).strip() or "katalog.csv"
    folder = UPLOADS / digest
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        for old in folder.glob("*"):
            old.unlink()
        path.write_bytes(data)
    return Source(UPLOAD_PREFIX + digest, path, name)


@st.cache_resource(show_spinner=False, max_entries=32)
def _catalog(path: str, version: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EncodingNote)
        catalog = load_catalog(path)
    return catalog, tuple(str(w.message) for w in caught if issubclass(w.category, EncodingNote))


def catalog(source: Source) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The validated catalog and any encoding notes (raises CatalogError: an error is never cached)."""
    return _catalog(str(source.path), source.version)


@st.cache_resource(show_spinner=False, max_entries=32)
def start(source: Source, version: str) -> Settings:
    """Where the app starts on this catalog."""
    return start_settings(source.key, catalog(source)[0])


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


@st.cache_data(show_spinner=False, max_entries=256)
def _analysis(version: str, key: str, _settings: Settings, _source: Source) -> WhatIf:
    frame, _ = catalog(_source)
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

    return analyse(_settings, frame, reference=amounts, solver=solver, valuer=valuer)


@st.cache_data(show_spinner=False, max_entries=128)
def _reference(version: str, key: str, _inputs: Inputs, _amounts: pd.DataFrame | None) -> tuple[Result | None, str]:
    """The reference's valuation, kept while only the pulje moves (it does not depend on the pulje)."""
    return value_reference(_inputs, _amounts)


def analysis(settings: Settings, source: Source) -> WhatIf:
    """The analysis of these settings (cached per catalog version and settings)."""
    return _analysis(source.version, settings.key(), settings, source)


# --- trade-offs, computed on request and cached per settings ---------------------------------------


def _inputs(settings: Settings, source: Source) -> Inputs:
    return settings.to_inputs(catalog(source)[0])


@st.cache_data(show_spinner=False, max_entries=64)
def sweep(version: str, key: str, _settings: Settings, _source: Source) -> Sweep:
    return budget_sweep(_inputs(_settings, _source))


@st.cache_data(show_spinner=False, max_entries=64)
def frontier(version: str, key: str, goal_a: str, goal_b: str, _settings: Settings, _source: Source) -> Frontier:
    return goal_frontier(_inputs(_settings, _source), goal_a, goal_b)


@st.cache_data(show_spinner=False, max_entries=64)
def evidence(version: str, key: str, _settings: Settings, _source: Source) -> pd.DataFrame:
    inputs = _inputs(_settings, _source)
    shared = _compiled(version, _settings.structure_key(), inputs)
    return evidence_price(inputs, shared.solve)
