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
from backend.applications.graphql.types import Application, build, facts_for, resolve_subject
from backend.auth import audit
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib.errors import NotFound
from backend.lib.time import riga_today


@strawberry.input
class ApplicationInput:
    service_id: str
    key: str = strawberry.field(
        description="The form's one-time key (from the page that showed it): the same key again "
        "is the same application, so a double tap or a retry makes one."
    )
    answers: list[AnswerInput]
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the subject the viewer acts as."
    )


async def save(info: Info, input: ApplicationInput, *, submit: bool) -> ApplicationResult:
    async def action() -> Application:
        viewer = viewer_of(info)
        access = await resolve_subject(info, input.subject_id)
        form = form_for(input.service_id)
        if form is None:
            raise NotFound("No such service to apply for.")
        personal = service.personal_form(form, await facts_for(info, access))
        record = await service.save(
            access.key,
            viewer.person.id,
            personal,
            answers_of(input.answers),
            input.key,
            submit=submit,
            today=riga_today(),
        )
        await audit.record(
            "application_submitted" if submit else "application_saved",
            actor_id=viewer.person.id,
            subject_key=access.key,
            object_id=str(record.id),
            detail={"basis": access.basis.value, "service": form.service},
        )
        return build(await service.load(record.id, with_steps=True) or record, None)

    return await run(action)


@strawberry.type
class SaveApplicationMutation:
    @strawberry.mutation(
        description="Save the answers as a draft (missing answers allowed; wrong ones are "
        "refused field by field).",
        permission_classes=[IsAuthenticated],
    )
    async def save_application_draft(
        self, info: Info, input: ApplicationInput
    ) -> ApplicationResult:
        return await save(info, input, submit=False)

    @strawberry.mutation(
        description="Send the application. Idempotent by `key`: sending the same form again "
        "answers the application it made.",
        permission_classes=[IsAuthenticated],
    )
    async def submit_application(self, info: Info, input: ApplicationInput) -> ApplicationResult:
        return await save(info, input, submit=True)
