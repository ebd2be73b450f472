"""Every background job of every feature, in one list: what `vienuviet worker` runs."""

from __future__ import annotations

from backend.worker import Job


def all_jobs() -> list[Job]:
    from backend.eaddress.jobs import jobs as eaddress_jobs

    return [*eaddress_jobs()]
