"""reportMove: the viewer tells us they moved; the residence declaration deadline follows."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import BadInput
from backend.obligations import service


@strawberry.type
class MoveReported:
    moved_on: date


ReportMoveResult = Annotated[MoveReported | InvalidInput, strawberry.union("ReportMoveResult")]


@strawberry.type
class ReportMoveMutation:
    @strawberry.mutation(
        description="I moved on `movedOn` (within the last year, not in the future: codes "
        "`in_future`, `too_old`); replaces an earlier report.",
        permission_classes=[IsAuthenticated],
    )
    async def report_move(self, info: Info, moved_on: date) -> ReportMoveResult:
        services = info.context.services
        try:
            await service.report_move(
                viewer_of(info).person, moved_on, services.obligations.today(), services.engine
            )
        except BadInput as exc:
            return InvalidInput(message=exc.message, code=exc.code, field="movedOn")
        return MoveReported(moved_on=moved_on)
