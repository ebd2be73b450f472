"""Every background job of every feature, in one list: what `vienuviet worker` runs."""

from __future__ import annotations

from backend.settings import Settings, load_settings
from backend.worker import Job


def all_jobs(settings: Settings | None = None) -> list[Job]:
    from backend.eaddress.jobs import jobs as eaddress_jobs
    from backend.notifications.jobs import jobs as notification_jobs

    settings = settings or load_settings()
    return [*eaddress_jobs(), *notification_jobs(settings)]
