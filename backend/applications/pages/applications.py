"""/applications, /applications/new/<service>, /applications/<id>: my cases, a form, a case.

Reads and writes go through the GraphQL schema in-process; forms post here and redirect
(post/redirect/get), except a form with wrong answers, which is shown again with each answer's
message beside it (422). Everything works without JavaScript: a field shown only for some
answer (the postal address for a decision by post) is always in the page, and the server
ignores it while its condition does not hold.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Stream, Template

from backend.applications import attachments
from backend.applications.machine import Status
from backend.auth.viewer import Viewer
from backend.eaddress.storage.downloads import stream_attachment
from backend.lib.errors import AppError, Forbidden, NotFound
from backend.lib.forms import PostedForm, read_form
from backend.web.gql import page_query

if TYPE_CHECKING:
    from backend.services import Services

APP_FIELDS = """id subjectId service title status statusText outcome outcomeText expected
  waitingForYou respondBy reasons createdAt updatedAt submittedAt key"""
FORM_FIELDS = """service title summary institution institutionName legalBasis { act url article }
  fields { id type label hint required editable options { value label } value display source
           shownWhen { field equals } }"""

LIST = f"""query($subject: ID) {{
  me {{ subjects {{ id name basis scopes }} }}
  applications(subjectId: $subject) {{ subject {{ id name }} items {{ {APP_FIELDS} }} }}
  applicationServices {{ service title summary }}
}}"""
NEW = f"""query($service: String!, $subject: ID) {{
  applications(subjectId: $subject) {{ subject {{ id name }} }}
  applicationForm(serviceId: $service, subjectId: $subject) {{ {FORM_FIELDS} }}
}}"""
ONE = f"""query($id: ID!) {{
  application(id: $id) {{ {APP_FIELDS}
    timeline {{ at status statusText actorText note outcomeText messageUrl deemedDeliveredOn }}
    files {{ id filename contentType size url }}
    form {{ {FORM_FIELDS} }} }}
}}"""
RESULT = """__typename
  ... on ApplicationSaved { application { id status } }
  ... on AnswersInvalid { errors { field message } }
  ... on InvalidInput { code message }
  ... on StepUpRequired { loginUrl }"""
SAVE = (
    f"mutation($input: ApplicationInput!) {{ saveApplicationDraft(input: $input) {{ {RESULT} }} }}"
)
SUBMIT = (
    f"mutation($input: ApplicationInput!) {{ submitApplication(input: $input) {{ {RESULT} }} }}"
)
CONFIRM = f"""mutation($id: ID!, $answers: [AnswerInput!]!) {{
  confirmPreparedApplication(id: $id, answers: $answers) {{ {RESULT} }} }}"""
DECLINE = f"""mutation($id: ID!, $note: String!) {{
  declinePreparedApplication(id: $id, note: $note) {{ {RESULT} }} }}"""
ANSWER = f"""mutation($id: ID!, $note: String!) {{
  answerInformationRequest(id: $id, note: $note) {{ {RESULT} }} }}"""

GUARD = "query($id: ID!) { application(id: $id) { id status subjectId } }"
"""The guard of the file routes: the application as the viewer may see it (else 404)."""

ANSWER_PREFIX = "answer-"


def _answers(form: PostedForm) -> list[dict[str, str]]:
    fields = {k.removeprefix(ANSWER_PREFIX) for k in form.fields if k.startswith(ANSWER_PREFIX)}
    # A cleared checkbox sends nothing: its hidden twin (`present-<id>`) says it was on the form.
    fields |= {k.removeprefix("present-") for k in form.fields if k.startswith("present-")}
    return [{"field": f, "value": form.text(ANSWER_PREFIX + f)} for f in sorted(fields)][:50]


def _url(path: str, **params: str | None) -> str:
    kept = {k: v for k, v in params.items() if v}
    return path + (f"?{urlencode(kept)}" if kept else "")


@get("/applications", include_in_schema=False)
async def applications_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    *,
    subject: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Template:
    try:
        data = await page_query(request, services, viewer, LIST, {"subject": subject or None})
    except Forbidden:
        if subject or viewer is None:
            raise
        # Acting for a company this person may not apply for (a delegate who reads its mail):
        # their own applications, rather than an error page.
        own = {"subject": viewer.person.subject_key}
        data = await page_query(request, services, viewer, LIST, own)
    listing = data["applications"]
    items = listing["items"]
    return Template(
        "pages/applications/list.html",
        context={
            "viewer": viewer,
            "subject": listing["subject"],
            "subjects": [
                s for s in data["me"]["subjects"] if "APPLY" in s["scopes"] or s["basis"] == "SELF"
            ],
            "prepared": [a for a in items if a["status"] == "PREPARED"],
            "others": [a for a in items if a["status"] != "PREPARED"],
            "offers": data["applicationServices"],
            "notice": notice,
        },
    )


def _form_page(
    viewer: Viewer | None,
    form: dict[str, Any],
    subject: dict[str, Any],
    *,
    key: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    current = {f["id"]: f["value"] or "" for f in form["fields"]}
    current.update(values or {})
    return Template(
        "pages/applications/form.html",
        context={
            "viewer": viewer,
            "form": form,
            "subject": subject,
            "key": key,
            "values": current,
            "errors": errors or {},
            "notice": notice,
        },
        status_code=status_code,
    )


@get("/applications/new/{service_id:str}", include_in_schema=False)
async def new_application_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    service_id: FromPath[str],
    *,
    subject: FromQuery[str | None] = None,
) -> Template:
    variables = {"service": service_id, "subject": subject or None}
    try:
        data = await page_query(request, services, viewer, NEW, variables)
    except Forbidden:
        if subject or viewer is None:
            raise
        variables["subject"] = viewer.person.subject_key  # as on /applications
        data = await page_query(request, services, viewer, NEW, variables)
    # A fresh one-time key per form shown: whatever this form posts, twice or not, is one case.
    return _form_page(
        viewer, data["applicationForm"], data["applications"]["subject"], key=uuid.uuid4().hex
    )


@post("/applications/new/{service_id:str}", include_in_schema=False, status_code=303)
async def post_application(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    service_id: FromPath[str],
) -> Response[Any]:
    form = await read_form(request)
    subject = form.text("subject") or None
    submit = form.text("action") != "save"
    answers = _answers(form)
    variables = {
        "input": {
            "serviceId": service_id,
            "key": form.text("key"),
            "answers": answers,
            "subjectId": subject,
        }
    }
    document, name = (SUBMIT, "submitApplication") if submit else (SAVE, "saveApplicationDraft")
    result = (await page_query(request, services, viewer, document, variables))[name]
    kind = result["__typename"]
    if kind == "ApplicationSaved":
        app_id = result["application"]["id"]
        return Redirect(
            _url(f"/applications/{app_id}", notice="submitted" if submit else "saved"),
            status_code=303,
        )
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if kind == "ForbiddenError":
        raise Forbidden("You may not apply for this person or company.")
    if kind == "NotFoundError":
        raise NotFound("No such service to apply for.")
    data = await page_query(
        request, services, viewer, NEW, {"service": service_id, "subject": subject}
    )
    errors = {e["field"]: e["message"] for e in result.get("errors") or []}
    return _form_page(
        viewer,
        data["applicationForm"],
        data["applications"]["subject"],
        key=form.text("key") if kind == "AnswersInvalid" else uuid.uuid4().hex,
        values={a["field"]: a["value"] for a in answers},
        errors=errors,
        notice=None if kind == "AnswersInvalid" else result.get("code", "failed"),
        status_code=422 if kind == "AnswersInvalid" else 400,
    )


@get("/applications/{application_id:str}", include_in_schema=False)
async def application_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    application_id: FromPath[str],
    *,
    notice: FromQuery[str | None] = None,
) -> Template:
    return await _case(request, services, viewer, application_id, notice=notice)


async def _case(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    application_id: str,
    *,
    notice: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    data = await page_query(request, services, viewer, ONE, {"id": application_id})
    app = data["application"]
    form = app["form"]
    current = {f["id"]: f["value"] or "" for f in form["fields"]} if form else {}
    current.update(values or {})
    return Template(
        "pages/applications/case.html",
        context={
            "viewer": viewer,
            "app": app,
            "form": form,
            "values": current,
            "errors": errors or {},
            "notice": notice,
        },
        status_code=status_code,
    )


@post("/applications/{application_id:str}/{action:str}", include_in_schema=False, status_code=303)
async def act_on_application(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    application_id: FromPath[str],
    action: FromPath[str],
) -> Response[Any]:
    if action == "files":
        return await _add_file(request, services, viewer, application_id)
    form = await read_form(request)
    if action == "confirm":
        answers = _answers(form)
        document, name = CONFIRM, "confirmPreparedApplication"
        variables: dict[str, Any] = {"id": application_id, "answers": answers}
    elif action in ("decline", "answer"):
        document, name = (
            (DECLINE, "declinePreparedApplication")
            if action == "decline"
            else (ANSWER, "answerInformationRequest")
        )
        variables = {"id": application_id, "note": form.text("note")}
    else:
        raise NotFound("No such action.")
    result = (await page_query(request, services, viewer, document, variables))[name]
    kind = result["__typename"]
    if kind == "ApplicationSaved":
        notices = {"confirm": "submitted", "decline": "declined", "answer": "answered"}
        return Redirect(
            _url(f"/applications/{application_id}", notice=notices[action]), status_code=303
        )
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if kind in ("NotFoundError", "ForbiddenError"):
        raise NotFound("No such application.")
    if kind == "AnswersInvalid":
        errors = {e["field"]: e["message"] for e in result["errors"]}
        values = {a["field"]: a["value"] for a in variables.get("answers", [])}
        return await _case(
            request, services, viewer, application_id, values=values, errors=errors, status_code=422
        )
    return await _case(
        request, services, viewer, application_id, notice=result.get("code"), status_code=400
    )


async def _add_file(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    application_id: str,
) -> Response[Any]:
    app = (await page_query(request, services, viewer, GUARD, {"id": application_id}))[
        "application"
    ]
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or viewer is None:
        return await _case(
            request, services, viewer, application_id, notice="empty_file", status_code=400
        )
    try:
        await attachments.add_file(
            uuid.UUID(app["id"]),
            Status(app["status"].lower()),
            app["subjectId"],
            viewer.person.id,
            upload,
            services.eaddress.blobs,
            services.settings.eaddress,
        )
    except AppError as exc:
        return await _case(
            request, services, viewer, application_id, notice=exc.code, status_code=exc.status_code
        )
    return Redirect(_url(f"/applications/{application_id}", notice="file_added"), status_code=303)


@get("/applications/{application_id:str}/attachments/{file_id:str}", include_in_schema=False)
async def download_file(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    application_id: FromPath[str],
    file_id: FromPath[str],
) -> Stream:
    app = (await page_query(request, services, viewer, GUARD, {"id": application_id}))[
        "application"
    ]
    try:
        wanted = uuid.UUID(file_id)
    except ValueError:
        raise NotFound("No such file.") from None
    info = await attachments.file_info(uuid.UUID(app["id"]), wanted)
    download = stream_attachment(info, services.eaddress.blobs)
    return Stream(download.body, media_type=download.content_type, headers=download.headers)


ROUTES = [
    download_file,
    applications_page,
    new_application_page,
    post_application,
    application_page,
    act_on_application,
]
