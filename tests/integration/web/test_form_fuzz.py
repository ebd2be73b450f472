"""Every POST route of the app, posted random, missing, duplicated, oversized and wrongly typed
form fields by a signed-in person and by a visitor: never a server error, always something a
person can act on — an error page (or, on API paths, a problem document), or a redirect to a
page that shows its notice.

The routes come from the app's own route table, so a route added tomorrow is fuzzed without
touching this file. What to post comes from the forms the app renders for a signed-in person
(field names, and the values a browser would send), mixed with hostile values; path
parameters are identifiers of the person's own data, or junk.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.routes import HTTPRoute

from backend.auth.assurance import Level
from backend.lib.time import utcnow
from backend.notifications.model import Category
from backend.notifications.preferences.unsubscribe import make_token
from backend.notifications.tables import InAppNotification, PushSubscription
from backend.services import Services
from backend.web.errors import API_PREFIXES
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import (
    Api,
    Holder,
    fetch_token,
    make_institution,
    make_person,
    message_json,
)
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}
CSRF_FIELD = "_csrf_token"
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# Each example posts once to every route; a handful covers the rendered forms' branches in a
# few seconds for the whole app. `FORM_FUZZ_EXAMPLES=250 pytest --timeout=0 …` digs deeper
# (minutes; past the suite's per-test timeout), e.g. after adding a form.
EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "3"))
# Where no page (no form) can be: API paths, an event stream that never ends, the login's
# round trip through the identity provider.
_NOT_PAGES = (*API_PREFIXES, "/.well-known/", "/notifications/stream", "/auth/", "/push/")


@dataclass(frozen=True)
class Route:
    template: str
    params: tuple[str, ...]
    pattern: re.Pattern[str]


def post_routes(app: Litestar) -> list[Route]:
    """Every route of the app's route table that takes a POST."""
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute) and any(
            "POST" in handler.http_methods for handler in route.route_handlers
        ):
            regex = "".join(
                "[^/]+" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{[^}]+\})", route.path)
            )
            params = tuple(_PARAM.findall(route.path))
            found.append(Route(route.path, params, re.compile(f"^{regex}$")))
    return sorted(found, key=lambda r: r.template)


def page_paths(app: Litestar, known: dict[str, list[str]]) -> list[str]:
    """GET routes a browser could open, with path parameters filled from `known`."""
    paths = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(_NOT_PAGES):
            continue
        if not any("GET" in handler.http_methods for handler in route.route_handlers):
            continue
        names = _PARAM.findall(route.path)
        if all(known.get(name) for name in names):
            paths.append(_PARAM.sub(lambda m: known[m.group(1)][0], route.path))
    return paths


class _Forms(HTMLParser):
    """POST forms of a page: action → field name → values a browser could send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._action: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            post = a.get("method", "get").lower() == "post"
            self._action = a.get("action", "").split("?")[0] if post else None
            return
        if self._action is None:
            return
        fields = self.forms[self._action]
        if tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            fields[self._select].add(a.get("value", ""))
        elif tag in ("input", "textarea", "button") and a.get("name"):
            fields[a["name"]].add(a.get("value", "on" if a.get("type") == "checkbox" else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None
        elif tag == "select":
            self._select = None


@dataclass(repr=False)
class World:
    """The signed-in person's data, the forms the app renders, and clients for both kinds of
    visitor."""

    services: Services
    holder: Holder
    routes: list[Route]
    known: dict[str, list[str]]
    fields: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """route template → field → values seen in the rendered forms"""
    every_field: dict[str, set[str]] = field(default_factory=dict)
    followed: set[tuple[str, str]] = field(default_factory=set)

    def __repr__(self) -> str:  # hypothesis prints the test's arguments: keep secrets out
        return f"World({len(self.routes)} routes)"

    async def sign_in(self, client: httpx.AsyncClient) -> None:
        """A fresh session each time: a fuzzed logout must not end the rest of the run."""
        sessions, person = self.services.auth.sessions, str(self.holder.person_id)
        session_id, _ = await sessions.create(
            person, await sessions.current_epoch(person), int(Level.HIGH), None
        )
        client.cookies.set(self.services.auth.cookies.session, session_id)


async def _known_data(
    http: httpx.AsyncClient, services: Services, holder: Holder
) -> dict[str, list[str]]:
    institution = await make_institution()
    api = Api(http, await fetch_token(http, institution))
    sent = await api.send(message_json(holder.recipient))
    assert sent.status_code == 201, sent.text
    device = uuid.uuid4()
    await PushSubscription.insert(
        PushSubscription(
            id=device,
            person=holder.person_id,
            endpoint=f"https://push.example.com/wpush/{uuid.uuid4().hex}",
            p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            auth="tBHItJI5svbpez7KI4CCXg",
            device_label="Fuzz",
        )
    ).run()
    item = uuid.uuid4()
    await InAppNotification.insert(
        InAppNotification(
            id=item,
            person=holder.person_id,
            outbox_id=uuid.uuid4(),
            subject_key=f"person:{holder.person_id}",
            category="account",
            kind="account.test",
            params={},
            link="/notifications",
            created_at=utcnow(),
        )
    ).run()
    token = make_token(
        services.settings.web.secret_key,
        holder.person_id,
        f"person:{holder.person_id}",
        Category.SERVICE_NEWS,
    )
    return {
        "message_id": [str(sent.json()["id"])],
        "device_id": [str(device)],
        "token": [token],
        "kind": ["email", "phone"],
        "action": ["save", "send", "verify", "remove", "done", "snooze", "acknowledge"],
    }


@pytest.fixture(scope="module")
async def world(
    app: Litestar,
    base_url: str,
    services: Services,
    registry_sandbox: Sandbox,
    idp: RunningIdP,
) -> AsyncIterator[World]:
    """The app as a person meets it: registries and the identity provider answer."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        holder = await make_person()
        known = await _known_data(http, services, holder)
        built = World(services, holder, post_routes(app), known)
        await built.sign_in(http)
        parser = _Forms()
        for path in page_paths(app, known):
            async with http.stream("GET", path, headers=HTML) as page:
                if page.headers.get("content-type", "").startswith("text/html"):
                    parser.feed((await page.aread()).decode())
        every: dict[str, set[str]] = defaultdict(set)
        for target, fields in parser.forms.items():
            action = target.partition("#")[0]  # a fragment only says where the page comes back
            route = next((r for r in built.routes if r.pattern.match(action)), None)
            assert route is not None, f"a rendered form posts to {action}, which is no route"
            mine = built.fields.setdefault(route.template, defaultdict(set))
            for name, values in fields.items():
                mine[name] |= values
                every[name] |= values
        every.pop(CSRF_FIELD, None)
        built.every_field = every
        yield built


@pytest.fixture(scope="module")
async def clients(base_url: str, world: World) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A signed-in person and a visitor, each holding a CSRF cookie (the form's token)."""
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=10) as person,
        httpx.AsyncClient(base_url=base_url, timeout=10) as visitor,
    ):
        for client in (person, visitor):
            await client.get("/privacy", headers=HTML)
            assert "csrftoken" in client.cookies
        yield {"person": person, "visitor": visitor}


# --- what gets posted -------------------------------------------------------------------------

JUNK = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "on",
            "true",
            "null",
            "[]",
            "{}",
            "%00",
            "\x00",
            "x.pdf\u202egnp.exe",
            "2025-02-30",
            "9999-12-31",
            "24:00",
            "07:00",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
    st.uuids().map(str),
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "ā" * n),  # long
)


@dataclass(frozen=True)
class Post:
    path: str
    pairs: tuple[tuple[str, str], ...]
    as_files: frozenset[str]
    encoding: str  # "urlencoded", "multipart" or "raw"
    raw: bytes
    csrf: str  # "form", "header", "twice", "missing", "wrong"


def _values(world: World, template: str, name: str) -> st.SearchStrategy[str]:
    seen = world.fields.get(template, {}).get(name) or world.every_field.get(name) or set()
    options = [JUNK]
    if seen:
        options.insert(0, st.sampled_from(sorted(seen)))
    return st.one_of(*options)


@st.composite
def posts(draw: st.DrawFn, world: World, route: Route) -> Post:
    path = route.template
    for name in route.params:
        known = world.known.get(name, [])
        value = draw(st.one_of(st.sampled_from(known), JUNK) if known else JUNK)
        path = re.sub(
            r"\{" + name + r"(?::\w+)?\}", quote(value[:300], safe="") or "x", path, count=1
        )
    names = sorted(world.fields.get(route.template) or world.every_field)
    name_strategy = (
        st.one_of(st.sampled_from(names), st.text(max_size=12)) if names else st.text(max_size=12)
    )
    pairs = draw(
        st.lists(
            name_strategy.flatmap(
                lambda n: st.tuples(st.just(n), _values(world, route.template, n))
            ),
            max_size=6,
        )
    )
    if draw(st.booleans()):
        pairs = pairs + pairs  # every field twice
    as_files = frozenset(draw(st.sets(st.sampled_from([n for n, _ in pairs]))) if pairs else [])
    return Post(
        path=path,
        pairs=tuple(pairs),
        as_files=as_files,
        encoding=draw(st.sampled_from(["urlencoded", "urlencoded", "multipart", "raw"])),
        raw=draw(st.binary(max_size=200)),
        csrf=draw(st.sampled_from(["form", "form", "form", "header", "twice", "missing", "wrong"])),
    )


async def send(client: httpx.AsyncClient, post: Post) -> httpx.Response:
    token = client.cookies.get("csrftoken") or ""
    headers = dict(HTML)
    pairs = list(post.pairs)
    if post.csrf == "header":
        headers["x-csrftoken"] = token
    elif post.csrf in ("form", "twice"):
        pairs.insert(0, (CSRF_FIELD, token))
        if post.csrf == "twice":
            pairs.append((CSRF_FIELD, token[::-1]))
    elif post.csrf == "wrong":
        pairs.insert(0, (CSRF_FIELD, token[::-1]))
    if post.encoding == "raw":
        headers["x-csrftoken"] = token
        headers["content-type"] = "application/x-www-form-urlencoded"
        return await client.post(post.path, content=post.raw, headers=headers)
    if post.encoding == "multipart":
        files = [
            (
                name,
                (f"{name}.txt", value.encode(), "text/plain")
                if name in post.as_files
                else (None, value.encode()),
            )
            for name, value in pairs
        ] or [("_", (None, b""))]
        return await client.post(post.path, files=files, headers=headers)
    return await client.post(post.path, data=_multi(pairs), headers=headers)


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        grouped[name].append(value)
    return dict(grouped)


# --- what the person must see -----------------------------------------------------------------


async def understandable(
    client: httpx.AsyncClient, world: World, post: Post, answer: httpx.Response
) -> str | None:
    """What is wrong with `answer` from a person's point of view, or None."""
    where = f"POST {post.path} ({post.encoding}, csrf {post.csrf}) → {answer.status_code}"
    if answer.status_code >= 500:
        return f"{where}: {answer.text[:300]}"
    if 300 <= answer.status_code < 400:
        return await _notice_problem(client, world, where, httpx.URL(answer.headers["location"]))
    if answer.status_code < 400:
        return None
    if answer.headers.get("content-type", "").startswith("text/html"):
        return None if "<h1>" in answer.text else f"{where}: an error page without a heading"
    body = answer.json()
    # problem+json `detail`, GraphQL `errors`, RFC 6749 `error`
    if body.get("detail") or body.get("errors") or body.get("error"):
        return None
    return f"{where}: {answer.text[:300]}"


async def _notice_problem(
    client: httpx.AsyncClient, world: World, where: str, target: httpx.URL
) -> str | None:
    """A redirect with a notice must land on a page that shows it (each one checked once)."""
    notice = target.params.get("notice")
    if target.host or notice is None or (target.path, notice) in world.followed:
        return None  # the identity provider, a login, the next page: no message is due
    world.followed.add((target.path, notice))
    page = await client.get(str(target), headers=HTML)
    if page.status_code >= 500:
        return f"{where}, then GET {target} → {page.status_code}"
    if page.status_code == 200 and 'class="notice"' not in page.text:
        return f"{where}: the notice {notice!r} is never shown"
    return None


@pytest.mark.parametrize("who", ["person", "visitor"])
@given(data=st.data())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # Shrinking re-posts to every route per step (minutes); the report names the route and
    # the form as drawn, which is enough to reproduce a failure.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
async def test_no_form_post_makes_a_server_error(
    who: str,
    data: st.DataObject,
    world: World,
    clients: dict[str, httpx.AsyncClient],
) -> None:
    client = clients[who]
    problems: list[str] = []
    for route in world.routes:
        post = data.draw(posts(world, route), label=route.template)
        try:
            if who == "person":
                await world.sign_in(client)
            problem = await understandable(client, world, post, await send(client, post))
        except Exception as exc:  # an answer this test cannot read is a problem too
            problem = f"POST {post.path} ({post.encoding}): {type(exc).__name__}: {exc}"
        if problem:
            problems.append(problem)
    # Every route is posted to before judging, whatever fails on the way (signing in included):
    # a run that stopped at the first problem would draw less on a replay, which hypothesis
    # reports as a flaky strategy instead of the bug (CI once saw exactly that).
    assert not problems, "\n".join(problems)


def test_the_fuzzer_posts_what_the_pages_offer(world: World) -> None:
    """The harness itself: forms are read from the rendered pages, so the fuzzer starts from
    what a browser would send (a preference cell, a reply to the person's message)."""
    assert "EADDRESS:EMAIL" in world.fields["/settings/notifications/preferences"]["pref"]
    assert "body" in world.fields["/mail/messages/{message_id:str}/reply"]
    assert "/push/subscriptions" in {route.template for route in world.routes}


def _real_path(world: World, route: Route) -> str:
    """The route's path with the person's own identifiers (or "x" where none is known)."""
    return _PARAM.sub(lambda m: world.known.get(m.group(1), ["x"])[0], route.template)


@pytest.mark.parametrize("who", ["person", "visitor"])
async def test_a_form_with_every_field_left_out_gets_an_understandable_answer(
    who: str, world: World, clients: dict[str, httpx.AsyncClient]
) -> None:
    """What a browser sends for a form whose every box is cleared: the token alone."""
    client, problems = clients[who], []
    for route in world.routes:
        post = Post(_real_path(world, route), (), frozenset(), "urlencoded", b"", "form")
        if who == "person":
            await world.sign_in(client)
        problem = await understandable(client, world, post, await send(client, post))
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


async def test_a_body_over_the_limit_is_refused_on_every_route(
    world: World, services: Services, clients: dict[str, httpx.AsyncClient]
) -> None:
    client, problems = clients["person"], []
    too_big = "x" * (services.settings.web.max_body_bytes + 1)
    for route in world.routes:
        post = Post(
            _real_path(world, route),
            (("value", too_big),),
            frozenset(),
            "urlencoded",
            b"",
            "header",
        )
        await world.sign_in(client)
        answer = await send(client, post)
        if answer.status_code >= 500:
            problems.append(f"POST {post.path} → {answer.status_code}")
    assert not problems, "\n".join(problems)
