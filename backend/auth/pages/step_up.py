"""/auth/step-up: why a stronger login is needed, which methods qualify, and a button.

Every refusal for a login too weak (`step_up_url`: GraphQL's `StepUpRequired.loginUrl`, the
pages' `StepUpLogin`, the account forms) comes here instead of going straight to the
identity provider: a person sent to log in again without a word does not know why, nor which
of their means will do (issue 15). The button starts the login at that level
(`/auth/login?level=…`), and the person comes back to where they were going — through
`/account/acting-as/resume/<token>` when a company switch waits for it (`backend/auth/intents`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth import intents
from backend.auth.assurance import Level
from backend.auth.subjects import subjects_for
from backend.auth.viewer import Viewer
from backend.graphql.permissions import step_up_login_url
from backend.lib.errors import BadInput
from backend.lib.http import safe_next

if TYPE_CHECKING:
    from backend.services import Services

LEVELS = {"substantial": Level.SUBSTANTIAL, "high": Level.HIGH}


def reason_for(path: str, pending: bool) -> str:
    """Which explanation fits where the person was going."""
    if pending or path.startswith(("/company", "/account")) or "subject=company" in path:
        return "company"
    if path.startswith("/mail"):
        return "mail"
    return "other"


@get("/auth/step-up", include_in_schema=False)
async def step_up_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    level: FromQuery[str | None] = None,
    next: FromQuery[str | None] = None,
) -> Response[Any]:
    wanted = LEVELS.get(level or "")
    if wanted is None:
        raise BadInput("`level` must be substantial or high.", code="invalid_level")
    target = safe_next(next)
    if viewer is not None and viewer.level >= wanted:
        return Redirect(target, status_code=303)
    company_name = None
    token = intents.token_of(target)
    pending = None
    if viewer is not None and token:
        store = services.stores.store(intents.STORE_NAME)
        pending = await intents.peek(store, token, str(viewer.person.id))
        if pending is not None:
            found = (await subjects_for(viewer.person, services.auth.representations)).get(
                pending.subject_id
            )
            company_name = found.name if found else None
    return Template(
        "pages/auth/step_up.html",
        context={
            "viewer": viewer,
            "level": wanted.label,
            "reason": reason_for(target, pending is not None),
            "company_name": company_name,
            "login_url": step_up_login_url(wanted, target),
            "back_url": "/" if viewer is not None else None,
        },
        headers={"Cache-Control": "no-store"},
    )


ROUTES = [step_up_page]
