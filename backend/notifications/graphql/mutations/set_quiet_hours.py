"""setQuietHours: when push and SMS wait (Riga time), and whether official notices may not."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import BadInput
from backend.notifications import service
from backend.notifications.graphql.types import QuietHoursType, invalid

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str, field: str) -> int:
    match = _HHMM.match(value.strip())
    if match is None:
        raise BadInput(f"{field} must be a time like 22:00.", code="invalid_time")
    return int(match.group(1)) * 60 + int(match.group(2))


@strawberry.input
class QuietHoursInput:
    start: str = strawberry.field(description="HH:MM, Riga time.")
    end: str
    enabled: bool
    legal_bypass: bool


SetQuietHoursResult = Annotated[
    QuietHoursType | InvalidInput, strawberry.union("SetQuietHoursResult")
]


@strawberry.type
class SetQuietHoursMutation:
    @strawberry.mutation(
        description="Code `invalid_time` for a time that is not HH:MM.",
        permission_classes=[IsAuthenticated],
    )
    async def set_quiet_hours(self, info: Info, input: QuietHoursInput) -> SetQuietHoursResult:
        person = viewer_of(info).person.id
        try:
            start = parse_hhmm(input.start, "start")
            end = parse_hhmm(input.end, "end")
        except BadInput as exc:
            return invalid(exc, "start" if "start" in exc.message else "end")
        choices = await service.update_choices(
            person,
            quiet_enabled=input.enabled,
            quiet_start_min=start,
            quiet_end_min=end,
            legal_bypass_quiet=input.legal_bypass,
        )
        return QuietHoursType.build(choices.quiet)
