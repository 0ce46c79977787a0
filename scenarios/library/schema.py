"""The library's tables as SQLAlchemy 2 models: saved versions, the files they used, and the file contents.

A file's bytes are stored once per SHA-256 and shared by every version that used them; a version names
each of its files by role (catalog, goals, per-year asks, baseline) and by the file name it had when saved.
Alembic migrations in migrations/versions/ create these tables; tests check both agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from scenarios.library.records import FILE_NAME_LENGTH, ROLES, TEXT_LENGTH

NAMING = {  # named constraints, so that later migrations can refer to them on every backend
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back as an aware UTC datetime (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the library stores aware datetimes only (give a time zone, e.g. datetime.now(UTC))")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FileRow(Base):
    """The bytes of one file, keyed by their SHA-256 (hex)."""

    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class VersionRow(Base):
    """One saved version of a named scenario: who, when, the scenario TOML and the result summary."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    version: Mapped[int]
    author: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text)
    scenario_toml: Mapped[str] = mapped_column(Text, deferred=True)
    status: Mapped[str] = mapped_column(String(32))
    objective: Mapped[float | None] = mapped_column(Double)
    allocation: Mapped[dict[str, float]] = mapped_column(JSON, deferred=True)  # {id: kroner}
    # {year: {id: kroner}}; empty for one year
    allocation_by_year: Mapped[dict[str, dict[str, float]]] = mapped_column(JSON, deferred=True)
    files: Mapped[list[VersionFileRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VersionFileRow.role"
    )


class VersionFileRow(Base):
    """A file a version used: its role, the name it had, and the content it had (by hash)."""

    __tablename__ = "version_files"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_LENGTH))
    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), index=True)
    file: Mapped[FileRow] = relationship(lazy="joined", innerjoin=True)
