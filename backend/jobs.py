"""Every background job of every feature, in one list: what `vienuviet worker` runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.catalogue.jobs import jobs as catalogue_jobs
from backend.eaddress.jobs import jobs as eaddress_jobs
from backend.lib.jobs import Job
from backend.notifications.jobs import jobs as notification_jobs
from backend.obligations.jobs import JOBS as OBLIGATION_JOBS
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.services import Services


def all_jobs(settings: Settings) -> list[Job[Services]]:
    return [*eaddress_jobs(), *notification_jobs(settings), *OBLIGATION_JOBS, *catalogue_jobs()]
