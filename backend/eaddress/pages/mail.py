"""The e-address mailbox pages: folders with unread counts, search, a message with its files,
receipts, proof and reply form, and turning a person's own e-address on and off.

Every read and write goes through the GraphQL schema in-process; forms post here and come back
with a notice code (post/redirect/get). `?subject=` picks a company mailbox (default: whom the
viewer acts as). Opening the message page records the opening — except for a browser's
speculative prefetch, which only looks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth.viewer import Viewer
from backend.eaddress.graphql.scope import level_for
from backend.graphql.permissions import step_up_url
from backend.lib.errors import AppError, Forbidden, NotFound
from backend.lib.forms import read_form
from backend.lib.http import is_prefetch
from backend.web.gql import LoginRequired, page_query

if TYPE_CHECKING:
    from backend.services import Services

PAGE_SIZE = 20
FOLDERS = ("INBOX", "SENT", "ARCHIVE")

SUMMARY = """id subject direction sentAt deemedDeliveredOn unread hasAttachments archived
  institution { name }"""
MAILBOX = f"""
query Mail($subject: ID, $folder: MailFolder!, $after: String, $searching: Boolean!,
           $text: String!, $first: Int!) {{
  me {{ subjects {{ id name scopes }} }}
  mailbox(subjectId: $subject) {{
    subjectId address active isCompany canActivate canDeactivate canReply
    activatedAt deactivatedAt
    unread {{ inbox archive }}
    folder(name: $folder, first: $first, after: $after) @skip(if: $searching) {{
      items {{ {SUMMARY} }} nextCursor }}
    search(text: $text, first: $first, after: $after) @include(if: $searching) {{
      items {{ {SUMMARY} }} nextCursor }}
  }}
}}"""

MESSAGE_FIELDS = """id threadId direction subject sentAt deemedDeliveredOn bodyText bodyHtml
  authorName authorAsDelegate archived contentSha256 proofUrl
  institution { name registrationNumber }
  attachments { id filename contentType size sha256 downloadUrl }
  receipts { kind at channel byName asDelegate }"""
OPEN = f"""mutation Open($id: ID!, $subject: ID) {{ openMessage(id: $id, subjectId: $subject) {{
  __typename ... on MessageOpened {{ firstOpening message {{ {MESSAGE_FIELDS} }} }}
  ... on StepUpRequired {{ loginUrl }} ... on NotFoundError {{ problem: message }}
  ... on ForbiddenError {{ problem: message }} }} }}"""
LOOK = f"""query Look($id: ID!, $subject: ID) {{ mailbox(subjectId: $subject) {{
  message(id: $id) {{ {MESSAGE_FIELDS} }} }} }}"""
CONTEXT = """query MailContext($subject: ID) { me { subjects { id name } }
  mailbox(subjectId: $subject) { subjectId isCompany canReply } }"""
REPLY = """mutation Reply($id: ID!, $body: String!, $subject: ID) {
  replyToMessage(id: $id, body: $body, subjectId: $subject) {
    __typename ... on InvalidInput { code } ... on StepUpRequired { loginUrl } } }"""
ARCHIVE = """mutation Archive($id: ID!, $archived: Boolean!, $subject: ID) {
  archiveMessage(id: $id, archived: $archived, subjectId: $subject) {
    __typename ... on StepUpRequired { loginUrl } } }"""
ACTIVATE = """mutation { activateEaddress {
  __typename ... on InvalidInput { code } ... on StepUpRequired { loginUrl } } }"""
DEACTIVATE = """mutation { deactivateEaddress {
  __typename ... on InvalidInput { code } ... on StepUpRequired { loginUrl } } }"""


def mail_url(path: str = "/mail", **params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def _step_up(
    request: Request[Any, Any, Any], services: Services, viewer: Viewer | None, subject: str | None
) -> Redirect:
    key = subject or (viewer.acting_as if viewer else "")
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(step_up_url(level_for(services, key), next_path), status_code=303)


@get("/mail", include_in_schema=False)
async def mailbox_page(
    request: Request[Any, Any, Any],
    *,
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    folder: FromQuery[str] = "INBOX",
    after: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
    subject: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Response[Any]:
    folder = folder.upper() if folder.upper() in FOLDERS else "INBOX"
    text = (q or "").strip()
    variables: dict[str, Any] = {
        "subject": subject,
        "folder": folder,
        "after": after,
        "searching": bool(text),
        "text": text,
        "first": PAGE_SIZE,
    }
    try:
        data = await page_query(request, services, viewer, MAILBOX, variables)
    except AppError as exc:  # a login too weak for the mailbox is `StepUpLogin` (gql.py)
        if exc.code != "empty_query":
            raise
        notice = "empty_query"  # punctuation only: show the folder and say why
        variables |= {"searching": False, "text": ""}
        data = await page_query(request, services, viewer, MAILBOX, variables)
    mailbox = data["mailbox"]
    listing = mailbox.get("search") if text and notice != "empty_query" else mailbox.get("folder")
    subjects = [s for s in data["me"]["subjects"] if "VIEW_MAIL" in s["scopes"]]
    return Template(
        "pages/mail/mailbox.html",
        context={
            "viewer": viewer,
            "mailbox": mailbox,
            "listing": listing,
            "folder": folder,
            "text": text if notice != "empty_query" else "",
            "subjects": subjects,
            "subject_name": _subject_name(data["me"]["subjects"], mailbox["subjectId"]),
            "notice": notice,
            "after": after,
            "mail_url": mail_url,
        },
        headers={"Cache-Control": "private, no-store"},
    )


def _subject_name(subjects: list[dict[str, Any]], key: str) -> str:
    return next((s["name"] for s in subjects if s["id"] == key), "")


@get("/mail/messages/{message_id:str}", include_in_schema=False)
async def message_page(
    request: Request[Any, Any, Any],
    *,
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    message_id: FromPath[str],
    subject: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Response[Any]:
    variables = {"id": message_id, "subject": subject}
    # A login too weak for the mailbox: `page_query` raises `StepUpLogin` (gql.py).
    context = await page_query(request, services, viewer, CONTEXT, {"subject": subject})
    if is_prefetch(request):
        message = (await page_query(request, services, viewer, LOOK, variables))["mailbox"][
            "message"
        ]
    else:
        result = (await page_query(request, services, viewer, OPEN, variables))["openMessage"]
        if result["__typename"] == "StepUpRequired":
            return _step_up(request, services, viewer, subject)
        if result["__typename"] == "NotFoundError":
            raise NotFound(result["problem"])
        if result["__typename"] == "ForbiddenError":
            raise Forbidden(result["problem"])
        message = result["message"]
    mailbox = context["mailbox"]
    return Template(
        "pages/mail/message.html",
        context={
            "viewer": viewer,
            "message": message,
            "mailbox": mailbox,
            "subject_name": _subject_name(context["me"]["subjects"], mailbox["subjectId"]),
            "notice": notice,
            "mail_url": mail_url,
        },
        headers={"Cache-Control": "private, no-store"},
    )


def _back_to_message(message_id: str, subject: str | None, notice: str) -> Redirect:
    url = mail_url(f"/mail/messages/{message_id}", subject=subject, notice=notice)
    return Redirect(url, status_code=303)


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await read_form(request)
    return {key: form.text(key) for key in ("subject", "body", "archived")}


@post("/mail/messages/{message_id:str}/reply", include_in_schema=False, status_code=303)
async def reply_to_message(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    message_id: FromPath[str],
) -> Response[Any]:
    form = await _form(request)
    subject = form["subject"] or None
    variables = {"id": message_id, "body": form["body"], "subject": subject}
    result = (await page_query(request, services, viewer, REPLY, variables))["replyToMessage"]
    kind = result["__typename"]
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if kind == "NotFoundError":
        raise NotFound("No such message.")
    notice = {"ReplySent": "replied", "InvalidInput": "invalid_reply"}.get(kind, "forbidden")
    return _back_to_message(message_id, subject, notice)


@post("/mail/messages/{message_id:str}/archive", include_in_schema=False, status_code=303)
async def archive_message(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    message_id: FromPath[str],
) -> Response[Any]:
    form = await _form(request)
    subject = form["subject"] or None
    archived = form["archived"] == "1"
    variables = {"id": message_id, "archived": archived, "subject": subject}
    result = (await page_query(request, services, viewer, ARCHIVE, variables))["archiveMessage"]
    kind = result["__typename"]
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if kind == "NotFoundError":
        raise NotFound("No such message.")
    if kind != "MessageArchived":
        return _back_to_message(message_id, subject, "forbidden")
    return _back_to_message(message_id, subject, "archived" if archived else "unarchived")


async def _change(
    request: Request[Any, Any, Any], services: Services, viewer: Viewer | None, document: str
) -> Response[Any]:
    if viewer is None:
        raise LoginRequired("/mail")
    data = await page_query(request, services, viewer, document)
    result = next(iter(data.values()))
    kind = result["__typename"]
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    notice = result.get("code") if kind == "InvalidInput" else None
    if kind == "EaddressChanged":
        notice = "activated" if document is ACTIVATE else "deactivated"
    url = mail_url(subject=viewer.person.subject_key, notice=notice or "forbidden")
    return Redirect(url, status_code=303)


@post("/mail/activate", include_in_schema=False, status_code=303)
async def activate(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    return await _change(request, services, viewer, ACTIVATE)


TURN_OFF = """query TurnOff { mailbox { subjectId address canDeactivate unread { inbox } } }"""


@get("/mail/deactivate", include_in_schema=False)
async def confirm_deactivation(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    """Turning the e-address off changes how the state reaches the person in law (paper
    letters instead), so it is a page that says what happens, and a second button: the
    mailbox page only links here (GOV.UK "confirm a destructive action")."""
    if viewer is None:
        raise LoginRequired("/mail/deactivate")
    data = await page_query(request, services, viewer, TURN_OFF)
    mailbox = data["mailbox"]
    if not mailbox["canDeactivate"]:
        return Redirect(mail_url(notice="no_eaddress"), status_code=303)
    return Template(
        "pages/mail/deactivate.html",
        context={"viewer": viewer, "mailbox": mailbox},
        headers={"Cache-Control": "private, no-store"},
    )


@post("/mail/deactivate", include_in_schema=False, status_code=303)
async def deactivate(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    return await _change(request, services, viewer, DEACTIVATE)


ROUTES = [
    mailbox_page,
    message_page,
    reply_to_message,
    archive_message,
    activate,
    confirm_deactivation,
    deactivate,
]
