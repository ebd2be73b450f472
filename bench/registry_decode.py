"""`vienuviet bench registry_decode`: decoding registry answers, old against new, in one run.

The answers are the sandbox's own (`integrations/devstack/sandbox/sources/`) for every part of
every person source, for every persona with a personal code, as the bytes a registry sends.
Each is decoded, round after round, two ways:

- old: `json.loads`, then the hand-written `read()` over the strict `Reader` (the code
  `integrations.registries.record` replaced, frozen in `bench/_registry_legacy.py`);
- new: `msgspec.json.decode` straight into the record (`RecordDecoder`, what the clients use).

and a cached part read back from already-parsed JSON (the dashboard cache): old `read()` over
the dict against new `msgspec.convert`. It prints CPU time per answer and the ratio for each, and
the garbage the sandbox can send (missing fields, wrong types, truncated JSON, HTML) refused by
both. No timing is asserted; the run fails (exit 1) only if old and new disagree: a record
decoded to other values, or garbage one of them accepts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from backend.dashboard.sources import PERSON_SOURCES, Part
from backend.settings import Settings
from bench import Faults, report_line
from bench import _registry_legacy as legacy
from integrations.devstack.personas import PERSONAS
from integrations.devstack.sandbox.faults import malform
from integrations.devstack.sandbox.sources import (
    csdd,
    enterprise_register,
    land_service,
    nhs,
    population_register,
    srs,
    ssia,
)
from integrations.registries.errors import MalformedPayload
from integrations.registries.record import RecordDecoder, to_wire

TODAY = date(2026, 11, 27)
WIRE: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("population_register", "declared_address"): lambda p: population_register.declared_address(
        p, TODAY
    ),
    ("population_register", "declared_at_my_properties"): lambda p: {
        "items": population_register.declared_at_my_properties(p, TODAY)
    },
    ("population_register", "identity_documents"): lambda p: {
        "items": population_register.identity_documents(p, TODAY)
    },
    ("population_register", "children"): lambda p: {
        "items": population_register.children(p, TODAY)
    },
    ("ssia", "pension"): lambda p: ssia.pension_second_pillar(p, TODAY),
    ("nhs", "family_doctor"): lambda p: nhs.family_doctor(p, TODAY),
    ("csdd", "vehicles"): lambda p: {"items": csdd.vehicles(p, TODAY)},
    ("csdd", "driving_licence"): lambda p: csdd.driving_licence(p, TODAY),
    ("land_service", "properties"): lambda p: {"items": land_service.properties(p, TODAY)},
    ("srs", "tax_account"): lambda p: srs.tax_account(p, TODAY),
    ("srs", "real_estate_tax"): lambda p: srs.real_estate_tax(p, TODAY.year, TODAY),
    ("srs", "income_declaration"): lambda p: srs.income_declaration(p, TODAY.year - 1, TODAY),
    ("enterprise_register", "companies"): lambda p: {
        "items": enterprise_register.companies_of(p.personal_code or "")
    },
}


class Answer:
    """One registry answer and its two decoders."""

    def __init__(self, data: Any, decoder: RecordDecoder[Any], part: Part) -> None:
        self.data = data
        self.part = part
        self.body = json.dumps(data, ensure_ascii=False).encode()
        self.new = decoder
        read = getattr(legacy, decoder.record.__name__).read
        self.old_parse = legacy.items(read) if decoder.collection else legacy.one(read)

    def old(self, body: bytes) -> Any:
        return self.old_parse(json.loads(body))


def _answers() -> list[Answer]:
    answers = []
    for who in (p for p in PERSONAS if p.personal_code):
        for source, spec in PERSON_SOURCES.items():
            for part in spec.parts:
                data = WIRE[(source, part.name)](who)
                if data is None:
                    continue
                decoder = RecordDecoder(part.record, collection=part.collection)
                answers.append(Answer(data, decoder, part))
    return answers


def _time(rounds: int, old: Callable[[], object], new: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds per call of `old` and of `new`: batches of `rounds` calls taken in turn, five
    of each, the best of each kept. CPU time, not wall time: on a machine shared with other
    test suites, wall time mostly measures the waits for a core."""
    best = {old: float("inf"), new: float("inf")}
    for _ in range(5):
        for run in (old, new):
            start = time.process_time()
            for _ in range(rounds):
                run()
            best[run] = min(best[run], (time.process_time() - start) / rounds)
    return best[old], best[new]


def _check(answers: list[Answer], faults: Faults) -> None:
    """Old and new agree on every answer, and refuse the same garbage."""
    for answer in answers:
        old, new = answer.old(answer.body), answer.new(answer.body)
        faults.add("answers decoded differently", legacy.to_wire(old) != to_wire(new))
        for kind in ("missing_fields", "wrong_types", "truncated", "html"):
            spoiled, _ = malform(kind, answer.body)  # type: ignore[arg-type]
            refused = 0
            for decode in (answer.old, answer.new):
                try:
                    decode(spoiled)
                except (MalformedPayload, ValueError):
                    refused += 1
            # An empty collection has no record to spoil: both accept it.
            accepted_by_both = refused == 0 and b'"items": []' in answer.body
            faults.add("garbage accepted by one decoder only", refused == 1)
            faults.add("garbage accepted", refused == 0 and not accepted_by_both)


def main(settings: Settings, argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="vienuviet bench registry_decode")
    parser.add_argument("--rounds", type=int, default=200, help="passes over every answer")
    args = parser.parse_args(list(argv))
    answers = _answers()
    faults = Faults()
    _check(answers, faults)
    size = sum(len(a.body) for a in answers)
    print(f"registry_decode: {len(answers)} answers, {size:,} bytes, {args.rounds} rounds")

    def every(decode: Callable[[Answer], object]) -> Callable[[], None]:
        def run() -> None:
            for answer in answers:
                decode(answer)

        return run

    rows = (
        ("answer bytes → records", every(lambda a: a.old(a.body)), every(lambda a: a.new(a.body))),
        (
            "cached JSON → records",
            every(lambda a: a.old_parse(a.data)),
            every(lambda a: a.part.parse(a.data)),
        ),
    )
    for label, old, new in rows:
        old_s, new_s = (t / len(answers) for t in _time(args.rounds, old, new))
        print(
            report_line(
                label,
                f"old {old_s * 1e6:6.2f} µs   new {new_s * 1e6:6.2f} µs CPU   "
                f"old/new {old_s / new_s:4.1f}×",
            )
        )
    print(report_line("load average", " ".join(f"{x:.1f}" for x in os.getloadavg())))
    return faults.exit_code()
