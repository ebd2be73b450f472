from __future__ import annotations

import strawberry

from backend.applications import service
from backend.applications.attachments import files_of
from backend.applications.forms import form_for, load_forms
from backend.applications.graphql.types import (
    Application,
    ApplicationForm,
    ServiceOffer,
    application_for_viewer,
    build,
    facts_for,
    form_type,
    resolve_subject,
)
from backend.applications.machine import Status
from backend.auth.graphql.types import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated
from backend.lib import i18n
from backend.lib.errors import NotFound
from backend.lib.time import riga_today


@strawberry.type
class ApplicationList:
    subject: Subject
    items: list[Application]


@strawberry.type
class ApplicationsQuery:
    @strawberry.field(
        description="The applications of the viewer's acting-as subject (or `subjectId`, when "
        "the viewer may apply for it: scope `apply`), newest first. For a person it first "
        "prepares what the registry facts make them eligible for (zero-contact: e.g. the "
        "childbirth benefit after a birth), once per fact. `forbidden` / `step_up_required` for "
        "another subject.",
        permission_classes=[IsAuthenticated],
    )
    async def applications(
        self, info: Info, subject_id: strawberry.ID | None = None
    ) -> ApplicationList:
        access = await resolve_subject(info, subject_id)
        facts = await facts_for(info, access)
        if facts is not None:
            await service.prepare_for(access.key, facts, today=riga_today())
        records = await service.list_for(access.key)
        return ApplicationList(
            subject=Subject.from_access(access), items=[build(r, None) for r in records]
        )

    @strawberry.field(
        description="One application with its timeline and answers. `not_found` for an id the "
        "viewer may not see (someone else's looks like a missing one).",
        permission_classes=[IsAuthenticated],
    )
    async def application(self, info: Info, id: strawberry.ID) -> Application:
        record, access = await application_for_viewer(info, id)
        personal = None
        if record.status in (Status.DRAFT, Status.PREPARED):
            form = form_for(record.service)
            if form is not None:
                personal = service.personal_form(form, await facts_for(info, access))
        return build(record, personal, await files_of(record.id))

    @strawberry.field(
        description="The form of `service` for the viewer's acting-as subject (or "
        "`subjectId`), prefilled from the registry facts the person consented to; each "
        "prefilled answer says its source. `not_found` for a service without a form.",
        permission_classes=[IsAuthenticated],
    )
    async def application_form(
        self, info: Info, service_id: str, subject_id: strawberry.ID | None = None
    ) -> ApplicationForm:
        access = await resolve_subject(info, subject_id)
        form = form_for(service_id)
        if form is None:
            raise NotFound("No such service to apply for.")
        personal = service.personal_form(form, await facts_for(info, access))
        answers = {k: p.value for k, p in personal.prefilled.items()}
        for f in form.fields:
            if f.default and f.id not in answers:
                answers[f.id] = f.default
        result = form_type(form, personal, answers, {})
        # The responsible institution as the catalogue names it (the form names its id).
        catalogue = info.context.services.catalogue
        await catalogue.ensure_current()
        described = catalogue.service_by_id(form.service)
        institution = catalogue.institution_by_id(described.institution) if described else None
        if institution is not None:
            result.institution_name = institution.name.in_language(i18n.current_language.get())
        return result

    @strawberry.field(description="Services one can apply for here.")
    def application_services(self, info: Info) -> list[ServiceOffer]:
        return [
            ServiceOffer(service=f.service, title=f.title.text(), summary=f.summary.text())
            for f in load_forms().values()
        ]
