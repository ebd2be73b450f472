"""Every background job of every feature, in one list: what `vienuviet worker` runs."""

from __future__ import annotations

from backend.worker import Job


def all_jobs() -> list[Job]:
    from backend.obligations.jobs import JOBS as OBLIGATION_JOBS

    return [*OBLIGATION_JOBS]
