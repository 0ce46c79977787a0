"""The first tables: saved versions, the files they used, and the file contents (stored once per hash).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_files")),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("scenario_toml", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("allocation", sa.JSON(), nullable=False),
        sa.Column("allocation_by_year", sa.JSON(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_versions_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_versions_name")),
    )
    op.create_table(
        "version_files",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "role IN ('catalog', 'goals', 'asks', 'baseline')", name=op.f("ck_version_files_role_known")
        ),
        sa.ForeignKeyConstraint(["sha256"], ["files.sha256"], name=op.f("fk_version_files_sha256_files")),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name=op.f("fk_version_files_version_id_versions")),
        sa.PrimaryKeyConstraint("version_id", "role", name=op.f("pk_version_files")),
    )
    op.create_index(op.f("ix_version_files_sha256"), "version_files", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_version_files_sha256"), table_name="version_files")
    op.drop_table("version_files")
    op.drop_table("versions")
    op.drop_table("files")
