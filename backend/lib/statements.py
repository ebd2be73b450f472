"""Several INSERTs that must commit together, run in as few round trips as the engine allows.

On PostgreSQL the statements become one statement of data-modifying CTEs
(`WITH w0 AS (INSERT …), w1 AS (INSERT …) SELECT 1`): a single statement is atomic by itself,
all its parts run to completion, and foreign keys are checked at its end, so a message and
its receipts may be inserted side by side. On SQLite they run one by one inside a write
transaction. Either way: all rows or none.

SQL is written once, with Piccolo's `{}` placeholders (and no other braces), and must be
valid on both engines. Values are passed as parameters; JSON values must already be strings.
On PostgreSQL these helpers hand the SQL to asyncpg directly: on the hottest path (sending a
message) Piccolo's generic query-string processing cost more CPU than the database work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from backend.lib.db import transaction


@dataclass(frozen=True)
class Statement:
    sql: str
    args: tuple[Any, ...] = ()


def insert(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    suffix: str = "",
) -> Statement:
    """`INSERT INTO table (columns) VALUES (…), (…) <suffix>` for constant identifiers."""
    if not rows or any(len(row) != len(columns) for row in rows):
        raise ValueError("every row needs one value per column")
    values = ", ".join("(" + ", ".join("{}" for _ in columns) + ")" for _ in rows)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"  # noqa: S608
    return Statement(f"{sql} {suffix}".rstrip(), tuple(chain.from_iterable(rows)))


def _numbered(sql: str, count: int) -> str:
    return sql.format(*(f"${i}" for i in range(1, count + 1)))


async def _pg(engine: PostgresEngine, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    query = _numbered(sql, len(args))
    current = engine.current_transaction.get()
    if current is not None:
        rows = await current.connection.fetch(query, *args)
    else:
        pool = engine.pool
        assert pool is not None
        async with pool.acquire() as connection:
            rows = await connection.fetch(query, *args)
    return [dict(row) for row in rows]


async def fetch(table: type[Table], statement: Statement) -> list[dict[str, Any]]:
    """Rows of one query, as dicts (in the caller's transaction, if there is one)."""
    engine = table._meta.db
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        return await _pg(engine, statement.sql, statement.args)
    rows: list[dict[str, Any]] = await table.raw(statement.sql, *statement.args).run()
    return rows


async def run_atomically(table: type[Table], statements: Sequence[Statement]) -> None:
    """Run `statements` so that all of them take effect or none (see the module docstring).

    Inside a transaction the caller already holds, they join it.
    """
    engine = table._meta.db
    if isinstance(engine, PostgresEngine):
        parts = ", ".join(f"w{i} AS ({s.sql})" for i, s in enumerate(statements))
        args = tuple(chain.from_iterable(s.args for s in statements))
        await fetch(table, Statement(f"WITH {parts} SELECT 1", args))
        return
    async with transaction(engine):
        for statement in statements:
            await table.raw(statement.sql, *statement.args).run()
