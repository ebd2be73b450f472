"""`vienuviet catalogue load` writes a version only for content that changed, and a web
process picks up a publication made elsewhere within its refresh interval."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import msgspec

from backend.catalogue import store
from backend.catalogue.files import Catalogue, load_content
from backend.catalogue.service import CatalogueService
from backend.catalogue.tables import CatalogueRecord
from backend.services import Services
from backend.settings import Settings
from tests.conftest import base_environment


def _cli_env(settings: Settings) -> dict[str, str]:
    """The test run's database for the command, and no developer's .env."""
    env = base_environment(settings.web.var_dir, settings.web.public_url)
    env.pop("REDIS_URL", None)  # the command needs the database only
    return {**os.environ, **env, "ENV_FILE": str(settings.web.var_dir / "no.env"),
            "SECRET_KEY": settings.web.secret_key}  # fmt: skip


async def test_the_command_loads_once_and_then_writes_nothing(
    services: Services, settings: Settings
) -> None:
    def load() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "backend.cli", "catalogue", "load", "--no-fillers"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=_cli_env(settings),
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    load()
    second = load()
    assert "rows written: 0" in second
    assert "services         added     0  changed     0  unchanged" in second
    for kind, entries in (("services", 40), ("life_situations", 12)):
        count = await CatalogueRecord.count().where(CatalogueRecord.kind == kind).run()
        assert count >= entries


async def test_a_changed_file_gets_a_new_version_and_an_unchanged_one_none(
    services: Services,
) -> None:
    real = load_content()
    institution = next(iter(real.institutions.values()))
    entry_id = f"test-{uuid.uuid4().hex[:10]}"
    entry = msgspec.structs.replace(institution, id=entry_id, slug=entry_id)
    catalogue = Catalogue(institutions={entry_id: entry})
    first = await store.load_catalogue(catalogue, engine=services.engine)
    assert (first.added["institutions"], first.written) == (1, 1)
    again = await store.load_catalogue(catalogue, engine=services.engine)
    assert again.written == 0
    edited = msgspec.structs.replace(entry, website="https://www.example.lv/")
    changed = await store.load_catalogue(
        Catalogue(institutions={entry_id: edited}), engine=services.engine
    )
    assert changed.changed["institutions"] == 1
    versions = await store.history("institutions", entry_id)
    assert [v.version for v in versions] == [2, 1]
    assert {v.author for v in versions} == {"files"}


async def test_another_process_sees_a_publication_after_its_refresh_interval(
    services: Services,
) -> None:
    await store.load_catalogue(load_content(), engine=services.engine)
    now = [0.0]
    reader = CatalogueService(database=True, refresh_s=5, clock=lambda: now[0])
    await reader.ensure_current()
    before = reader.revision
    assert before is not None
    assert before > 0
    real = load_content()
    institution = next(iter(real.institutions.values()))
    entry_id = f"test-{uuid.uuid4().hex[:10]}"
    added = msgspec.structs.replace(institution, id=entry_id, slug=entry_id)
    await store.load_catalogue(Catalogue(institutions={entry_id: added}), engine=services.engine)
    now[0] = 4.0  # within the interval: the snapshot is kept without asking
    await reader.ensure_current()
    assert reader.institution_by_id(entry_id) is None
    now[0] = 5.0
    await reader.ensure_current()
    assert reader.institution_by_id(entry_id) is not None
    assert (reader.revision or 0) > before
