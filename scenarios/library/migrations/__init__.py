"""Alembic migrations of the library's schema (run by scenarios.library.engine.upgrade, never by hand)."""
