"""Reading the reviewed content files (`content/<kind>/<id>.yaml`) and checking that they hold
together: ids match file names, slugs are unique, every reference resolves."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import msgspec
import msgspec.yaml

from backend.catalogue.model import (
    KINDS,
    Institution,
    LifeSituation,
    Service,
    ServiceCentre,
)

T = TypeVar("T", bound=msgspec.Struct)

CONTENT_DIR = Path(__file__).parent / "content"


class ContentError(Exception):
    """A content file is invalid; the message names the file and what is wrong."""


@dataclass
class Catalogue:
    services: dict[str, Service] = field(default_factory=dict)
    life_situations: dict[str, LifeSituation] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    service_centres: dict[str, ServiceCentre] = field(default_factory=dict)


def read_entry(path: Path, kind: type[T]) -> T:
    try:
        entry = msgspec.yaml.decode(path.read_bytes(), type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    if getattr(entry, "id", None) != path.stem:
        raise ContentError(f"{path.name}: the id must be the file name ({path.stem!r})")
    return entry


def load_content(root: Path = CONTENT_DIR) -> Catalogue:
    """Every entry under `root`, checked; raises `ContentError` naming the first problems."""
    catalogue = Catalogue()
    for folder, kind in KINDS.items():
        entries: dict[str, msgspec.Struct] = getattr(catalogue, folder)
        for path in sorted((root / folder).glob("*.yaml")):
            entries[path.stem] = read_entry(path, kind)
    if problems := reference_problems(catalogue):
        raise ContentError("; ".join(problems[:20]))
    return catalogue


def reference_problems(catalogue: Catalogue) -> list[str]:
    """Broken references and duplicate slugs, each as a sentence naming the entry."""
    problems: list[str] = []
    services, situations = catalogue.services, catalogue.life_situations
    institutions = catalogue.institutions
    for folder in KINDS:
        seen: dict[str, str] = {}
        for entry in getattr(catalogue, folder).values():
            if entry.slug in seen:
                other = seen[entry.slug]
                problems.append(f"{folder}/{entry.id}: slug {entry.slug!r} used by {other}")
            seen[entry.slug] = entry.id
    for service in services.values():
        where = f"services/{service.id}"
        if service.institution not in institutions:
            problems.append(f"{where}: unknown institution {service.institution!r}")
        problems += [
            f"{where}: unknown related service {ref!r}"
            for ref in service.related
            if ref not in services
        ]
        problems += [
            f"{where}: unknown life situation {ref!r}"
            for ref in service.life_situations
            if ref not in situations
        ]
    for situation in situations.values():
        where = f"life_situations/{situation.id}"
        problems += [
            f"{where}: unknown institution {ref!r}"
            for ref in situation.institutions
            if ref not in institutions
        ]
        problems += [
            f"{where}: step names unknown service {step.service!r}"
            for step in situation.steps
            if step.service is not None and step.service not in services
        ]
    for centre in catalogue.service_centres.values():
        problems += [
            f"service_centres/{centre.id}: unknown service {ref!r}"
            for ref in centre.services
            if ref not in services
        ]
    return problems
