#!/usr/bin/env bash
# Set up a virtual environment, install privbot with its test tools, and run the checks and
# the whole test suite. With PostgreSQL's server binaries on the machine (Debian's
# `postgresql` package), a throwaway server is started on loopback and the database tests
# run against it as well as against SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${PRIVBOT_TEST_POSTGRES_URL:-}" ] && [ -n "$pg_bin" ]; then
  pgdir=$(mktemp -d)
  chmod 755 "$pgdir"
  run_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$pgdir"; su postgres -c "$*"; else sh -c "$*"; fi; }
  run_pg "$pg_bin/initdb -D $pgdir/data -U privbot -A trust >/dev/null"
  run_pg "$pg_bin/pg_ctl -D $pgdir/data -o '-k $pgdir -h 127.0.0.1 -p 55432' -l $pgdir/log -w start >/dev/null"
  trap 'run_pg "$pg_bin/pg_ctl -D $pgdir/data -m fast stop >/dev/null" || true' EXIT
  run_pg "$pg_bin/createdb -h 127.0.0.1 -p 55432 -U privbot privbot_test"
  export PRIVBOT_TEST_POSTGRES_URL="postgresql+psycopg://privbot@127.0.0.1:55432/privbot_test"
fi

.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy
.venv/bin/lint-imports --no-cache  # the import-layer contract of pyproject.toml
.venv/bin/python -m pytest "$@"
