"""Alembic's environment: migrate the connection that scenarios.library.engine.upgrade passes in."""

from alembic import context

from scenarios.library.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
