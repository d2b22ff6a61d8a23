"""Alembic environment: the connection comes from `privbot.adapters.migrate` (never from an
ini file), and the target metadata is every privbot table, whichever module defines it."""

from __future__ import annotations

from alembic import context

from privbot.adapters.migrate import target_metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `privbot db` and tests run migrations
    raise RuntimeError("privbot migrations run through `privbot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=target_metadata(),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by table copy
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
