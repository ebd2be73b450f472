"""GraphQL types of applications, and the one object guard (`application_for_viewer`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from urllib.parse import urlencode

import strawberry

from backend.applications import service
from backend.applications.attachments import AddedFile
from backend.applications.forms import FormDef, form_for
from backend.applications.machine import WAITING_FOR_PERSON, Status
from backend.applications.prefill import Prefilled, source_text
from backend.applications.words import ACTOR_WORDS, EXPECTED, OUTCOME_WORDS, STATUS_WORDS
from backend.auth.subjects import Scope, SubjectAccess
from backend.dashboard.facts import PersonFacts
from backend.dashboard.service import person_facts
from backend.graphql.context import Info
from backend.graphql.permissions import subject_access, viewer_of
from backend.lib.errors import Forbidden, NotFound
from backend.lib.i18n import gettext
from backend.lib.texts import render

NO_SUCH = "No such application."


# The machine's own statuses, exposed as they are (one list to keep, not a copy to drift).
strawberry.enum(Status, name="ApplicationStatus")


@strawberry.enum(name="ApplicationOutcome")
class OutcomeEnum(Enum):
    GRANTED = "granted"
    REFUSED = "refused"
    PARTLY = "partly"


@strawberry.type
class LegalBasisType:
    act: str
    url: str | None
    article: str | None


@strawberry.type
class FieldChoice:
    value: str
    label: str


@strawberry.type(description="A field is shown only while `field` is answered `equals`.")
class FieldCondition:
    field: str
    equals: str


@strawberry.type(description="One question of a form, with this person's answer and its source.")
class FormField:
    id: str
    type: str
    label: str
    hint: str | None
    required: bool
    editable: bool
    """False: the law takes the answer from the register; it is shown, not asked."""
    options: list[FieldChoice]
    value: str | None
    display: str | None
    source: str | None
    """Where a prefilled answer came from, in words ("Population Register …, as of …")."""
    shown_when: FieldCondition | None


@strawberry.type
class ApplicationForm:
    service: str
    title: str
    summary: str
    institution: str
    legal_basis: list[LegalBasisType]
    fields: list[FormField]
    institution_name: str | None = None
    """The responsible institution's name from the catalogue."""


@strawberry.type
class TimelineStep:
    at: datetime
    status: Status
    status_text: str
    actor_text: str
    note: str
    outcome_text: str | None
    message_url: str | None = strawberry.field(
        default=None,
        description="The official e-address message this step sent (a decision, a request "
        "for information), in the applicant's mailbox.",
    )
    deemed_delivered_on: date | None = strawberry.field(
        default=None, description="When that message counts as received."
    )


@strawberry.type
class Application:
    id: strawberry.ID
    subject_id: strawberry.ID
    service: str
    title: str
    status: Status
    status_text: str
    outcome: OutcomeEnum | None
    outcome_text: str | None
    expected: str
    """What happens next and from whom, in words."""
    waiting_for_you: bool
    respond_by: date | None
    reasons: list[str]
    """Why the state prepared it ("because the Population Register shows …")."""
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    key: str | None
    timeline: list[TimelineStep]
    form: ApplicationForm | None
    """The form with this application's answers (every status: what was sent is shown)."""
    files: list[ApplicationFile]


@strawberry.type(description="A file the applicant added (kept in the e-address attachment store).")
class ApplicationFile:
    id: strawberry.ID
    filename: str
    content_type: str
    size: int
    url: str


@strawberry.type
class ServiceOffer:
    service: str
    title: str
    summary: str


def _form_type(
    form: FormDef,
    personal: service.PersonalForm | None,
    answers: dict[str, str],
    sources: dict[str, dict[str, str]],
) -> ApplicationForm:
    fields = []
    for f in form.fields:
        value = answers.get(f.id)
        display = None
        source = None
        pre: Prefilled | None = personal.prefilled.get(f.id) if personal else None
        kept = sources.get(f.id)
        if kept is not None and value == answers.get(f.id):
            display = kept.get("display")
            as_of = datetime.fromisoformat(kept["as_of"]) if kept.get("as_of") else None
            source = render(
                source_text(Prefilled(value or "", display or "", kept["source"], as_of))
            )
        elif pre is not None and value == pre.value:
            display, source = pre.display, render(source_text(pre))
        options = [FieldChoice(value=o.value, label=o.label.text()) for o in f.options]
        if personal and f.id in personal.options:
            options = [FieldChoice(value=v, label=label) for v, label in personal.options[f.id]]
        if display is None and value is not None:
            display = next((o.label for o in options if o.value == value), value)
        fields.append(
            FormField(
                id=f.id,
                type=f.type,
                label=f.label.text(),
                hint=f.hint.text() if f.hint else None,
                required=f.required,
                editable=f.editable,
                options=options,
                value=value,
                display=display,
                source=source,
                shown_when=FieldCondition(field=f.when.field, equals=f.when.equals)
                if f.when
                else None,
            )
        )
    return ApplicationForm(
        service=form.service,
        title=form.title.text(),
        summary=form.summary.text(),
        institution=form.institution,
        legal_basis=[
            LegalBasisType(act=b.act.text(), url=b.url, article=b.article) for b in form.legal_basis
        ],
        fields=fields,
    )


def form_type(
    form: FormDef,
    personal: service.PersonalForm | None,
    answers: dict[str, str],
    sources: dict[str, dict[str, str]],
) -> ApplicationForm:
    return _form_type(form, personal, answers, sources)


def build(
    record: service.ApplicationRecord,
    personal: service.PersonalForm | None,
    files: list[AddedFile] | None = None,
) -> Application:
    form = form_for(record.service)
    return Application(
        id=strawberry.ID(str(record.id)),
        subject_id=strawberry.ID(record.subject_key),
        service=record.service,
        title=form.title.text() if form else record.service,
        status=record.status,
        status_text=gettext(STATUS_WORDS[record.status]),
        outcome=OutcomeEnum(record.outcome.value) if record.outcome else None,
        outcome_text=gettext(OUTCOME_WORDS[record.outcome]) if record.outcome else None,
        expected=gettext(EXPECTED[record.status]),
        waiting_for_you=record.status in WAITING_FOR_PERSON,
        respond_by=record.respond_by,
        reasons=[render(r) for r in record.reasons],
        created_at=record.created_at,
        updated_at=record.updated_at,
        submitted_at=record.submitted_at,
        key=record.client_key,
        timeline=[
            TimelineStep(
                at=s.at,
                status=s.to_status,
                status_text=gettext(STATUS_WORDS[s.to_status]),
                actor_text=gettext(ACTOR_WORDS[s.actor]),
                note=s.note,
                outcome_text=gettext(OUTCOME_WORDS[s.outcome]) if s.outcome else None,
                message_url=_message_url(record.subject_key, s.message_id),
                deemed_delivered_on=s.deemed_delivered_on,
            )
            for s in record.steps
        ],
        form=form_type(form, personal, record.answers, record.sources) if form else None,
        files=[
            ApplicationFile(
                id=strawberry.ID(str(f.id)),
                filename=f.filename,
                content_type=f.content_type,
                size=f.size,
                url=f"/applications/{record.id}/attachments/{f.id}",
            )
            for f in files or []
        ],
    )


async def resolve_subject(info: Info, subject_id: strawberry.ID | None) -> SubjectAccess:
    """The viewer's acting-as subject (or `subject_id`) if they may apply for it: the one
    guard, scope `apply`. Forbidden / StepUpNeeded otherwise."""
    viewer = viewer_of(info)
    key = str(subject_id) if subject_id else viewer.acting_as
    return await subject_access(info, key, scope=Scope.APPLY)


async def facts_for(info: Info, access: SubjectAccess) -> PersonFacts | None:
    """The registry facts that prefill forms: the viewer's own (consent applies, the read is
    logged); None when applying for a company."""
    viewer = viewer_of(info)
    if access.key != viewer.person.subject_key:
        return None
    memo = info.context.per_request.setdefault("applications.facts", {})
    if "facts" not in memo:
        memo["facts"] = await person_facts(
            info.context.services.dashboard,
            viewer,
            purpose="applications",
            memo=info.context.per_request,
        )
    facts: PersonFacts = memo["facts"]
    return facts


async def application_for_viewer(
    info: Info, application_id: strawberry.ID
) -> tuple[service.ApplicationRecord, SubjectAccess]:
    """The application if the viewer may act for its subject with `apply`; NotFound for a
    malformed id, a missing one and someone else's alike (no way to tell them apart).
    A company's application behind a too weak login is StepUpNeeded."""
    try:
        app_id = uuid.UUID(str(application_id))
    except ValueError:
        raise NotFound(NO_SUCH) from None
    record = await service.load(app_id, with_steps=True)
    if record is None:
        raise NotFound(NO_SUCH)
    try:
        access = await subject_access(info, record.subject_key, scope=Scope.APPLY)
    except Forbidden as exc:
        if type(exc) is Forbidden:
            raise NotFound(NO_SUCH) from None
        raise  # StepUpNeeded: the viewer may act for it, with a stronger login
    return record, access


def offered(status: Status) -> bool:
    return status in (Status.DRAFT, Status.PREPARED)


def _message_url(subject_key: str, message_id: uuid.UUID | None) -> str | None:
    """The message in the applicant's mailbox (a company's named by `subject`)."""
    if message_id is None:
        return None
    if subject_key.startswith("company:"):
        return f"/mail/messages/{message_id}?{urlencode({'subject': subject_key})}"
    return f"/mail/messages/{message_id}"
