"""Alembic migrations of privbot's database (run them with `privbot db upgrade`)."""
