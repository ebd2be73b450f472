"""The account page: who I am, whom I act for, delegations given and received.

Every read and write goes through the GraphQL schema in-process. Forms post here, the handler
runs the mutation and redirects back with a notice code (post/redirect/get), so a reload never
repeats an action and the page works without JavaScript.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth import intents
from backend.auth.assurance import Level, company_level
from backend.auth.viewer import Viewer
from backend.graphql.permissions import step_up_url
from backend.lib.forms import read_form
from backend.lib.http import is_prefetch, safe_next
from backend.web.gql import LoginRequired, page_query

if TYPE_CHECKING:
    from backend.services import Services

ACCOUNT = """
query Account {
  me {
    name personalCode eidasId assuranceLevel companiesUnavailable companiesAsOf
    actingAs { id }
    subjects { id name basis scopes registrationNumber role validUntil }
    delegationsReceived { id companyName grantorName scopes validUntil status }
  }
}"""

# The companies' delegations are the companies' data: asked only behind a login strong enough
# to act for a company (the field refuses otherwise); a weaker one is offered the step-up.
GIVEN = """
query Given {
  me {
    delegationsGiven {
      id companyName companyRegistrationNumber granteeName granteePersonalCode
      scopes validUntil status
    }
  }
}"""

SWITCH = """mutation($id: ID!) { switchActingAs(subjectId: $id) {
  __typename ... on StepUpRequired { requiredLevel } } }"""

GRANT = """mutation($input: GrantDelegationInput!) { grantDelegation(input: $input) {
  __typename ... on InvalidInput { code } ... on StepUpRequired { requiredLevel } } }"""

REVOKE = """mutation($id: ID!) { revokeDelegation(id: $id) {
  __typename ... on StepUpRequired { requiredLevel } } }"""

SCOPES = ("VIEW_MAIL", "SEND_MAIL", "OBLIGATIONS", "MANAGE_DELEGATIONS", "APPLY")


def _step_up(result: dict[str, Any]) -> Redirect:
    """To the login at the level the refused mutation asked for, and back to this page."""
    return Redirect(step_up_url(Level[result["requiredLevel"]], "/account"), status_code=303)


def _back(notice: str) -> Redirect:
    return Redirect(f"/account?notice={notice}", status_code=303)


@get("/account", include_in_schema=False)
async def account_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    notice: FromQuery[str | None] = None,
) -> Template:
    data = await page_query(request, services, viewer, ACCOUNT)
    me = data["me"]
    company = company_level(services.settings.auth)
    given: list[dict[str, Any]] | None = None
    if viewer is not None and viewer.level >= company:
        given = (await page_query(request, services, viewer, GIVEN))["me"]["delegationsGiven"]
    manageable = [
        subject
        for subject in me["subjects"]
        if subject["registrationNumber"] and "MANAGE_DELEGATIONS" in subject["scopes"]
    ]
    return Template(
        "pages/account/account.html",
        context={
            "viewer": viewer,
            "me": me,
            "manageable": manageable,
            "given": given,
            "step_up_url": step_up_url(company, "/account"),
            "scopes": SCOPES,
            "notice": notice,
        },
    )


@post("/account/acting-as", include_in_schema=False, status_code=303)
async def switch_acting_as(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    subject_id = form.text("subject_id")
    data = await page_query(request, services, viewer, SWITCH, {"id": subject_id})
    result = data["switchActingAs"]
    target = safe_next(form.text("next") or "/")
    if result["__typename"] == "StepUpRequired" and viewer is not None:
        # Keep what was asked for server-side and finish it after the stronger login
        # (`resume_switch`), instead of dropping the person on /account as themselves.
        pending = intents.PendingSwitch(str(viewer.person.id), subject_id, target)
        token = await intents.remember(services.stores.store(intents.STORE_NAME), pending)
        resume = f"{intents.RESUME_PREFIX}{token}"
        return Redirect(step_up_url(Level[result["requiredLevel"]], resume), status_code=303)
    if result["__typename"] == "ActingAsSwitched":
        return Redirect(target, status_code=303)
    return _back("forbidden")


@get("/account/acting-as/resume/{token:str}", include_in_schema=False)
async def resume_switch(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    token: FromPath[str],
) -> Response[Any]:
    """Finish a switch a step-up login interrupted: the subject comes from the server-side
    pending switch of this person (never from the URL) and is authorised again now."""
    if viewer is None:
        raise LoginRequired(request.url.path)
    store = services.stores.store(intents.STORE_NAME)
    pending = await intents.peek(store, token, str(viewer.person.id))
    if pending is None:
        return _back("switch_expired")
    if is_prefetch(request):  # a speculative load is not the person asking
        return Response(content=b"", status_code=204, headers={"Cache-Control": "no-store"})
    data = await page_query(request, services, viewer, SWITCH, {"id": pending.subject_id})
    result = data["switchActingAs"]
    if result["__typename"] == "StepUpRequired":
        # Still too weak (another method was chosen): explain again, keep the request.
        return Redirect(
            step_up_url(Level[result["requiredLevel"]], request.url.path), status_code=303
        )
    await intents.forget(store, token)
    if result["__typename"] == "ActingAsSwitched":
        return Redirect(pending.next_path, status_code=303, headers={"Cache-Control": "no-store"})
    return _back("forbidden")


@post("/account/delegations", include_in_schema=False, status_code=303)
async def grant_delegation(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    try:
        until = datetime.combine(
            datetime.strptime(form.text("valid_until"), "%Y-%m-%d").date(),
            time(23, 59, 59),
            tzinfo=UTC,
        )
    except ValueError:
        return _back("invalid_validity")
    variables = {
        "input": {
            "companyRegistrationNumber": form.text("company"),
            "granteePersonalCode": form.text("personal_code"),
            "scopes": [s for s in form.texts("scope") if s in SCOPES],
            "validUntil": until.isoformat(),
        }
    }
    result = (await page_query(request, services, viewer, GRANT, variables))["grantDelegation"]
    if result["__typename"] == "StepUpRequired":
        return _step_up(result)
    if result["__typename"] == "InvalidInput":
        return _back(result["code"])
    if result["__typename"] == "ForbiddenError":
        return _back("forbidden")
    return _back("granted")


@post("/account/delegations/{delegation_id:str}/revoke", include_in_schema=False, status_code=303)
async def revoke_delegation(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    delegation_id: FromPath[str],
) -> Response[Any]:
    result = (await page_query(request, services, viewer, REVOKE, {"id": delegation_id}))[
        "revokeDelegation"
    ]
    if result["__typename"] == "StepUpRequired":
        return _step_up(result)
    return _back("revoked" if result["__typename"] == "DelegationRevoked" else "not_found")


ROUTES = [account_page, switch_acting_as, resume_switch, grant_delegation, revoke_delegation]
