"""The notification pages: /notifications (the in-app list) and /settings/notifications
(preferences per subject, quiet hours, language, contacts, devices, test sends).

Like the account page, every read and write goes through the GraphQL schema in-process, forms
post here and redirect back with a notice code (post/redirect/get), so everything works
without JavaScript; push-subscribe.js and live-notifications.js only add to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth.assurance import Level
from backend.auth.viewer import Viewer
from backend.graphql.permissions import step_up_url
from backend.lib.forms import read_form
from backend.web.gql import page_query

if TYPE_CHECKING:
    from backend.services import Services

CATEGORIES = (
    "EADDRESS",
    "OBLIGATIONS",
    "BENEFITS",
    "REGISTRY_CHANGES",
    "SERVICE_NEWS",
    "APPLICATIONS",
)
CHANNELS = ("PUSH", "EMAIL", "SMS", "INAPP")
KINDS = {"email": "EMAIL", "phone": "PHONE"}
PAGE = 20

LIST = """query($after: String) {
  notifications(first: 20, after: $after) {
    unreadCount hasMore endCursor items { id title body link createdAt read } } }"""
MARK = """mutation($ids: [ID!], $all: Boolean!) { markNotificationsRead(ids: $ids, all: $all) {
  __typename ... on NotificationsMarked { marked } ... on InvalidInput { code } } }"""
SETTINGS = """query($s: ID) {
  me { subjects { id name } }
  vapidPublicKey
  notificationSettings(subjectId: $s) {
    subject { id name }
    preferences { category channel enabled locked }
    quietHours { start end enabled legalBypass }
    language
    contacts { kind value verified healthy }
    devices { id label createdAt lastSuccessAt healthy }
    preview { category now later warning }
  }
  notificationTopics { id institution name subscribed } }"""
SET_PREFS = """mutation($s: ID, $p: [NotificationPreferenceInput!]!) {
  setNotificationPreferences(subjectId: $s, preferences: $p) { __typename
    ... on InvalidInput { code } ... on StepUpRequired { requiredLevel } } }"""
QUIET = """mutation($i: QuietHoursInput!) { setQuietHours(input: $i) { __typename
  ... on InvalidInput { code } } }"""
LANGUAGE = """mutation($l: String!) { setNotificationLanguage(language: $l) { __typename
  ... on InvalidInput { code } } }"""
CONTACT_RESULT = "__typename ... on InvalidInput { code }"
SET_CONTACT = f"""mutation($k: ContactKind!, $v: String!) {{ setContact(kind: $k, value: $v) {{
  {CONTACT_RESULT} }} }}"""
SEND_CODE = f"""mutation($k: ContactKind!) {{ sendVerificationCode(kind: $k) {{
  {CONTACT_RESULT} }} }}"""
VERIFY = f"""mutation($k: ContactKind!, $c: String!) {{ verifyContact(kind: $k, code: $c) {{
  {CONTACT_RESULT} }} }}"""
REMOVE_CONTACT = """mutation($k: ContactKind!) { removeContact(kind: $k) { __typename } }"""
REMOVE_DEVICE = """mutation($id: ID!) { removePushSubscription(id: $id) { __typename } }"""
TOPICS = "{ notificationTopics { id subscribed } }"
SET_TOPIC = """mutation($t: ID!, $s: Boolean!) { setTopicSubscription(topicId: $t, subscribed: $s) {
  __typename ... on InvalidInput { code } } }"""
TEST = """mutation($c: NotificationChannel!) { sendTestNotification(channel: $c) {
  __typename ... on InvalidInput { code } } }"""

SETTINGS_PATH = "/settings/notifications"


def _back(
    path: str, notice: str, subject: str | None = None, contact: str | None = None
) -> Redirect:
    """Back to the settings with a notice; `contact` (email, phone) puts it in that card."""
    query = (
        {"notice": notice}
        | ({"subject": subject} if subject else {})
        | ({"contact": contact} if contact else {})
    )
    return Redirect(f"{path}?{urlencode(query)}", status_code=303)


def _outcome(result: dict[str, Any], ok: str) -> str:
    """The notice code for a mutation's union result."""
    if result["__typename"] == "InvalidInput":
        return str(result["code"])
    if result["__typename"] == "NotFoundError":
        return "not_found"
    if result["__typename"] == "ForbiddenError":
        return "forbidden"
    return ok


@get("/notifications", include_in_schema=False)
async def notifications_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    after: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Template:
    data = await page_query(request, services, viewer, LIST, {"after": after})
    return Template(
        "pages/notifications/list.html",
        context={"viewer": viewer, "list": data["notifications"], "notice": notice, "after": after},
    )


@post("/notifications/read", include_in_schema=False, status_code=303)
async def mark_read(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    every = form.checked("all")
    # No id and not "all" is passed on as neither: the mutation answers `invalid_selection`.
    ids = None if every else form.texts("id")[:100] or None
    data = await page_query(request, services, viewer, MARK, {"ids": ids, "all": every})
    result = data["markNotificationsRead"]
    return _back("/notifications", _outcome(result, "all_read" if every else "read"))


@get(SETTINGS_PATH, include_in_schema=False)
async def settings_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    *,
    subject: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
    contact: FromQuery[str | None] = None,
) -> Template:
    data = await page_query(request, services, viewer, SETTINGS, {"s": subject})
    settings = data["notificationSettings"]
    cells = {(c["category"], c["channel"]): c for c in settings["preferences"]}
    contacts = {c["kind"]: c for c in settings["contacts"]}
    return Template(
        "pages/notifications/settings.html",
        context={
            "viewer": viewer,
            "me": data["me"],
            "settings": settings,
            # The card the notice belongs to (the form's own), else the top of the page.
            "contact_notice": contact if contact in KINDS else None,
            "cells": cells,
            "categories": CATEGORIES,
            "channels": CHANNELS,
            "contacts": contacts,
            "vapid_public_key": data["vapidPublicKey"],
            "topics": data["notificationTopics"],
            "notice": notice,
        },
    )


@post(f"{SETTINGS_PATH}/preferences", include_in_schema=False, status_code=303)
async def save_preferences(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    """The whole matrix of one subject: a ticked box is on, an unticked one off. Locked cells
    are disabled in the form (so never posted) and left out here."""
    form = await read_form(request)
    subject = form.text("subject_id") or None
    ticked = set(form.texts("pref"))
    locked = {("EADDRESS", "INAPP")}
    cells = [
        {"category": category, "channel": channel, "enabled": f"{category}:{channel}" in ticked}
        for category in CATEGORIES
        for channel in CHANNELS
        if (category, channel) not in locked
    ]
    data = await page_query(request, services, viewer, SET_PREFS, {"s": subject, "p": cells})
    result = data["setNotificationPreferences"]
    if result["__typename"] == "StepUpRequired":  # a company's, behind too weak a login
        back = f"{SETTINGS_PATH}?subject={quote(subject, safe=':')}" if subject else SETTINGS_PATH
        return Redirect(step_up_url(Level[result["requiredLevel"]], back), status_code=303)
    notice = _outcome(result, "preferences_saved")
    # Back to the matrix of the subject just saved; a subject the save refused is not echoed
    # into the address (it may be anything a client posted, of any length).
    return _back(SETTINGS_PATH, notice, subject if notice == "preferences_saved" else None)


@post(f"{SETTINGS_PATH}/quiet-hours", include_in_schema=False, status_code=303)
async def save_quiet_hours(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    wanted = {
        "start": form.text("start"),
        "end": form.text("end"),
        "enabled": form.checked("enabled"),
        "legalBypass": form.checked("legal_bypass"),
    }
    data = await page_query(request, services, viewer, QUIET, {"i": wanted})
    return _back(SETTINGS_PATH, _outcome(data["setQuietHours"], "quiet_saved"))


@post(f"{SETTINGS_PATH}/language", include_in_schema=False, status_code=303)
async def save_language(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    data = await page_query(request, services, viewer, LANGUAGE, {"l": form.text("language")})
    return _back(SETTINGS_PATH, _outcome(data["setNotificationLanguage"], "language_saved"))


@post(f"{SETTINGS_PATH}/contacts/{{kind:str}}/{{action:str}}", include_in_schema=False)
async def contact_action(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    kind: FromPath[str],
    action: FromPath[str],
) -> Response[Any]:
    """save (the address), send (a code), verify (the code), remove."""
    if kind not in KINDS or action not in ("save", "send", "verify", "remove"):
        return _back(SETTINGS_PATH, "not_found")
    form = await read_form(request)
    variables: dict[str, Any] = {"k": KINDS[kind]}
    if action == "save":
        variables["v"] = form.text("value")
        document, field, ok = SET_CONTACT, "setContact", "contact_saved"
    elif action == "send":
        document, field, ok = SEND_CODE, "sendVerificationCode", "code_sent"
    elif action == "verify":
        variables["c"] = form.text("code")
        document, field, ok = VERIFY, "verifyContact", "contact_verified"
    else:
        document, field, ok = REMOVE_CONTACT, "removeContact", "contact_removed"
    data = await page_query(request, services, viewer, document, variables)
    return _back(SETTINGS_PATH, _outcome(data[field], ok), contact=kind)


@post(f"{SETTINGS_PATH}/devices/{{device_id:str}}/remove", include_in_schema=False)
async def remove_device(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    device_id: FromPath[str],
) -> Response[Any]:
    data = await page_query(request, services, viewer, REMOVE_DEVICE, {"id": device_id})
    return _back(SETTINGS_PATH, _outcome(data["removePushSubscription"], "device_removed"))


@post(f"{SETTINGS_PATH}/topics", include_in_schema=False, status_code=303)
async def save_topics(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    """The topics listed on the page: a ticked box is subscribed, an unticked one not; only
    the ones that change are written (unsubscribing ends that topic's queued notices)."""
    form = await read_form(request)
    ticked = set(form.texts("topic"))
    shown = set(form.texts("shown"))
    data = await page_query(request, services, viewer, TOPICS, {})
    outcome = "topics_saved"
    for topic in data["notificationTopics"]:
        wanted = topic["id"] in ticked
        if topic["id"] not in shown or wanted == topic["subscribed"]:
            continue
        changed = await page_query(request, services, viewer, SET_TOPIC,
                                   {"t": topic["id"], "s": wanted})  # fmt: skip
        outcome = _outcome(changed["setTopicSubscription"], outcome)
    return _back(SETTINGS_PATH, outcome)


@post(f"{SETTINGS_PATH}/test", include_in_schema=False, status_code=303)
async def send_test(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    channel = form.text("channel")
    if channel not in CHANNELS:
        return _back(SETTINGS_PATH, "invalid_channel")
    data = await page_query(request, services, viewer, TEST, {"c": channel})
    return _back(SETTINGS_PATH, _outcome(data["sendTestNotification"], "test_sent"))


ROUTES = [
    notifications_page,
    mark_read,
    settings_page,
    save_preferences,
    save_quiet_hours,
    save_language,
    contact_action,
    remove_device,
    save_topics,
    send_test,
]
