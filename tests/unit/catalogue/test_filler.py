"""Filler entries: the catalogue at the real portal's scale, deterministic, valid by the
content model, marked as fillers, and written in the real entries' everyday vocabulary."""

from __future__ import annotations

import msgspec
import pytest

from backend.catalogue.files import load_content
from backend.catalogue.filler import (
    PORTAL_LIFE_SITUATIONS,
    PORTAL_SERVICES,
    filler_life_situations,
    filler_services,
    fillers,
)
from backend.catalogue.model import LifeSituation, Service


def test_fillers_bring_the_catalogue_to_the_portals_scale() -> None:
    catalogue = load_content()
    services, situations = fillers(len(catalogue.services), len(catalogue.life_situations))
    assert len(catalogue.services) + len(services) == PORTAL_SERVICES == 2335
    assert len(catalogue.life_situations) + len(situations) == PORTAL_LIFE_SITUATIONS == 120
    ids = [entry.id for entry in [*services, *situations]]
    assert len(set(ids)) == len(ids)
    assert all(entry.filler and entry.id.startswith("filler-") for entry in services)
    assert all(entry.filler and entry.id.startswith("filler-") for entry in situations)
    real = {*catalogue.services, *catalogue.life_situations}
    entries = [*catalogue.services.values(), *catalogue.life_situations.values()]
    real_slugs = {entry.slug for entry in entries}
    assert not real & set(ids)
    assert not real_slugs & {entry.slug for entry in [*services, *situations]}


def test_fillers_are_the_same_on_every_run() -> None:
    assert msgspec.json.encode(filler_services(300)) == msgspec.json.encode(filler_services(300))
    assert msgspec.json.encode(filler_life_situations(50)) == msgspec.json.encode(
        filler_life_situations(50)
    )


def test_fillers_are_valid_content() -> None:
    # Decoding re-applies every constraint of the model (lengths, patterns, URLs).
    services = msgspec.json.decode(msgspec.json.encode(filler_services(2294)), type=list[Service])
    situations = msgspec.json.decode(
        msgspec.json.encode(filler_life_situations(108)), type=list[LifeSituation]
    )
    assert len(services) == 2294
    assert len(situations) == 108


@pytest.mark.parametrize("word", ["izziņa", "atļauja", "reģistrācija", "pabalsts", "apliecības"])
def test_fillers_compete_in_the_real_entries_vocabulary(word: str) -> None:
    titles = [service.title.lv.lower() for service in filler_services(2294)]
    assert sum(word in title for title in titles) >= 40, word


def test_asking_for_more_fillers_than_can_be_made_is_an_error() -> None:
    with pytest.raises(ValueError, match="at most"):
        filler_services(100_000)
    with pytest.raises(ValueError, match="at most"):
        filler_life_situations(1_000)
