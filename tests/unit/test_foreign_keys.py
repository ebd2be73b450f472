"""A foreign key to another feature's table named by `backend.lib.db.foreign_key` (so that no
feature imports another's tables) makes the same schema as one holding the class: the same
CREATE TABLE on SQLite and on PostgreSQL, the same referenced table and rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from piccolo.columns import ForeignKey, OnDelete
from piccolo.engine.base import Engine
from piccolo.table import Table

from backend.auth.tables import Person
from backend.dashboard.tables import SourceConsent
from backend.lib.db import QuietPostgresEngine, QuietSQLiteEngine, foreign_key
from backend.notifications.tables import Outbox
from backend.obligations.tables import ObligationMark


class Named(Table, tablename="fk_probe"):
    person = foreign_key("backend.auth.tables", "Person", on_delete=OnDelete.cascade, unique=True)


class Imported(Table, tablename="fk_probe"):
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)


def _ddl(table: type[Table], engine: Engine) -> list[str]:  # type: ignore[type-arg]
    table._meta.db = engine
    return [str(statement) for statement in table.create_table().ddl]


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_a_named_key_makes_the_same_ddl_as_an_imported_one(
    engine_name: str, tmp_path: Path
) -> None:
    # Built without connecting (the DDL is generated, never run).
    engine: Engine = (  # type: ignore[type-arg]
        QuietSQLiteEngine(path=str(tmp_path / "x.sqlite3"))
        if engine_name == "sqlite"
        else QuietPostgresEngine(config={"dsn": "postgresql://127.0.0.1:1/none"})
    )
    assert _ddl(Named, engine) == _ddl(Imported, engine)
    assert 'REFERENCES "auth_person" ("id") ON DELETE CASCADE' in _ddl(Named, engine)[0]


def test_the_features_keys_reach_auths_person() -> None:
    for column in (SourceConsent.person, Outbox.person, ObligationMark.marked_by):
        assert column._foreign_key_meta.resolved_references is Person
