"""Zero-contact: confirm what the state prepared, or say it is wrong; answer a request for
information."""

from __future__ import annotations

import strawberry

from backend.applications import service
from backend.applications.forms import form_for
from backend.applications.graphql.mutations.common import (
    AnswerInput,
    ApplicationResult,
    answers_of,
    run,
)
from backend.applications.graphql.types import (
    Application,
    application_for_viewer,
    build,
    facts_for,
)
from backend.auth import audit
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib.errors import NotFound
from backend.lib.time import riga_today


@strawberry.type
class PreparedApplicationMutation:
    @strawberry.mutation(
        description="Confirm an application the state prepared, adding the answers the "
        "registers cannot know (e.g. the account). Answers the law takes from the register "
        "cannot be changed. Confirming twice sends it once.",
        permission_classes=[IsAuthenticated],
    )
    async def confirm_prepared_application(
        self, info: Info, id: strawberry.ID, answers: list[AnswerInput]
    ) -> ApplicationResult:
        async def action() -> Application:
            viewer = viewer_of(info)
            record, access = await application_for_viewer(info, id)
            form = form_for(record.service)
            if form is None:
                raise NotFound("No such service to apply for.")
            personal = service.personal_form(form, await facts_for(info, access))
            done = await service.confirm_prepared(
                record, viewer.person.id, personal, answers_of(answers), today=riga_today()
            )
            await audit.record(
                "application_confirmed",
                actor_id=viewer.person.id,
                subject_key=access.key,
                object_id=str(done.id),
                detail={"basis": access.basis.value, "service": form.service},
            )
            return build(await service.load(done.id, with_steps=True) or done, None)

        return await run(action)

    @strawberry.mutation(
        description="Decline an application the state prepared, saying what is wrong (kept in "
        "its timeline).",
        permission_classes=[IsAuthenticated],
    )
    async def decline_prepared_application(
        self, info: Info, id: strawberry.ID, note: str = ""
    ) -> ApplicationResult:
        async def action() -> Application:
            viewer = viewer_of(info)
            record, access = await application_for_viewer(info, id)
            done = await service.decline_prepared(record, viewer.person.id, note)
            await audit.record(
                "application_declined",
                actor_id=viewer.person.id,
                subject_key=access.key,
                object_id=str(done.id),
                detail={"basis": access.basis.value},
            )
            return build(await service.load(done.id, with_steps=True) or done, None)

        return await run(action)

    @strawberry.mutation(
        description="Answer the institution's request for information: the application goes "
        "back to processing.",
        permission_classes=[IsAuthenticated],
    )
    async def answer_information_request(
        self, info: Info, id: strawberry.ID, note: str
    ) -> ApplicationResult:
        async def action() -> Application:
            viewer = viewer_of(info)
            record, _ = await application_for_viewer(info, id)
            done = await service.provide_information(record, viewer.person.id, note)
            return build(await service.load(done.id, with_steps=True) or done, None)

        return await run(action)
