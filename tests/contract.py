"""Contract checks of a live app against its own OpenAPI, with schemathesis's engine.

The engine is what `schemathesis run` drives: per operation the examples in the document, the
coverage phase (boundary values, every required part missing, values of the wrong type) and
property-based fuzzing, valid (positive) and invalid (negative) data. A fixed seed and a small
example count keep a run repeatable and to seconds. Each answer is checked: no server error, a
documented status code, a documented media type and headers, a body matching its schema,
invalid input refused, a missing required header refused. Failures are collected per operation
and check, each with the request (as curl) that showed it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events
from schemathesis.engine import from_schema as engine_for

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
)
SEED = 20_240_611


@dataclass(frozen=True)
class ContractFailure:
    """One check that failed on one operation, with the first request that showed it."""

    operation: str
    check: str
    report: str

    def __str__(self) -> str:
        return f"{self.operation} — {self.check}\n{self.report}"


@dataclass
class ContractRun:
    """What a run did: answers per operation by status, failures, errors of the run itself."""

    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    failures: list[ContractFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [*map(str, self.failures), *self.errors]


def check_contract(
    spec: dict[str, Any],
    base_url: str,
    headers: dict[str, str],
    *,
    max_examples: int,
    examples_for: dict[str, int] | None = None,
) -> ContractRun:
    """Run every operation of `spec` against `base_url` (blocking: run it in a thread).

    `headers` go with every request (an institution's bearer token). `examples_for` gives some
    operations, named by label (`POST /oauth/token`), fewer examples, e.g. rate-limited ones.
    """
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "headers": headers,
            "workers": 1,
            "request-timeout": 10,
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "database": "none",
                "deterministic": True,
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            # No links between operations are documented: nothing for the stateful phase.
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {"include-name": label, "generation": {"max-examples": count}}
                for label, count in (examples_for or {}).items()
            ],
        }
    )
    schema = schemathesis.openapi.from_dict(spec, config=config)
    run = ContractRun()
    seen: set[tuple[str, str]] = set()
    for event in engine_for(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(event.recorder, run, seen)
        elif isinstance(event, events.NonFatalError):
            run.errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            run.errors.append(f"fatal: {event.exception!r}")
    return run


def _record(recorder: Any, run: ContractRun, seen: set[tuple[str, str]]) -> None:
    label = recorder.label
    answered = run.statuses.setdefault(label, Counter())
    for interaction in recorder.interactions.values():
        if interaction.response is not None:
            answered[interaction.response.status_code] += 1
    for checks in recorder.checks.values():
        for check in checks:
            info = check.failure_info
            if info is None or (label, check.name) in seen:
                continue
            seen.add((label, check.name))
            failure = info.failure
            report = f"{failure.title}\n{failure.message}\n{info.code_sample}"
            run.failures.append(ContractFailure(label, check.name, report))
