"""Every company operation needs a login of `AUTH_MIN_LEVEL_COMPANY`, through one guard.

The operations are found by walking the GraphQL schema, so a new one cannot be forgotten:

- every field, at any depth, with a `subjectId` argument (directly or inside an input) or a
  `companyRegistrationNumber` input, asked about a company the viewer may act for;
- the same fields with `subjectId` left out while the session acts for the company (a session
  from before the operator raised the level, or forged state);
- every other root query and mutation while the session acts for the company: its answer must
  be the one the viewer gets acting for themselves (the field ignores the acting-as subject) or
  a refusal.

The viewer holds a delegation with every scope for the company, so only the login's level
stands in the way: a bank login (low) must get `StepUpRequired` or `ForbiddenError` (as a
result type, or an error with that code) from each of them.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord, get_person
from backend.auth.tables import Delegation, Person
from backend.lib.time import utcnow
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import error_code, graphql, login_as
from tests.identities import unique_personal_code
from tests.idp_driver import RunningIdP
from tests.integration.auth.test_companies import GRANT, grant_input, stranger_code
from tests.sandbox_driver import Sandbox

REFUSALS = {"StepUpRequired", "ForbiddenError"}
REFUSAL_CODES = {"step_up_required", "forbidden"}
COMPANY_ARGS = {"subjectId", "companyRegistrationNumber"}
MAX_DEPTH = 3


@dataclass(frozen=True)
class Company:
    """What company-identifying arguments are filled with."""

    key: str
    number: str = ""

    @classmethod
    def numbered(cls, number: str) -> Company:
        return cls(f"company:{number}", number)


@dataclass(frozen=True)
class Target:
    """One field to call: its path from the root and the field itself at the end."""

    operation: str  # "query" or "mutation"
    path: tuple[tuple[str, GraphQLField], ...]

    @property
    def name(self) -> str:
        return ".".join(name for name, _ in self.path)

    @property
    def field(self) -> GraphQLField:
        return self.path[-1][1]


def _walk(operation: str, root: GraphQLObjectType) -> Iterator[tuple[Target, bool]]:
    """Every field reachable from `root` (object fields, depth-limited), and whether it is
    company-scoped by its arguments."""

    def visit(
        parent: GraphQLObjectType, path: tuple[tuple[str, GraphQLField], ...]
    ) -> Iterator[tuple[Target, bool]]:
        for name, field in parent.fields.items():
            here = (*path, (name, field))
            yield Target(operation, here), _company_scoped(field)
            inner = get_named_type(field.type)
            nested_ok = all(not _required(arg.type) for arg in field.args.values())
            if isinstance(inner, GraphQLObjectType) and len(here) < MAX_DEPTH and nested_ok:
                yield from ((target, scoped) for target, scoped in visit(inner, here) if scoped)

    return visit(root, ())


def _required(type_: Any) -> bool:
    return isinstance(type_, GraphQLNonNull)


def _input_names(type_: GraphQLInputType, seen: frozenset[str] = frozenset()) -> set[str]:
    named = get_named_type(type_)
    if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
        return set()
    names = set(named.fields)
    for field in named.fields.values():
        names |= _input_names(field.type, seen | {named.name})
    return names


def _company_scoped(field: GraphQLField) -> bool:
    names = set(field.args)
    for arg in field.args.values():
        names |= _input_names(arg.type)
    return bool(names & COMPANY_ARGS)


def _value(name: str, type_: Any, company: Company | None) -> Any:
    """A plausible value for a required argument or input field (`company` fills the
    company-identifying ones; None leaves optional ones out)."""
    if isinstance(type_, GraphQLNonNull):
        return _value(name, type_.of_type, company)
    if isinstance(type_, GraphQLList):
        return [_value(name, type_.of_type, company)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        value = {}
        for field_name, field in type_.fields.items():
            if field_name in COMPANY_ARGS and company is not None:
                value[field_name] = _company_value(field_name, company)
            elif _required(field.type):
                value[field_name] = _value(field_name, field.type, company)
        return value
    assert isinstance(type_, GraphQLScalarType)
    if name in COMPANY_ARGS and company is not None:
        return _company_value(name, company)
    return {
        "ID": str(uuid.uuid4()),
        "String": "x",
        "Boolean": True,
        "Int": 1,
        "Date": date.today().isoformat(),
        "DateTime": (utcnow() + timedelta(days=30)).isoformat(),
    }[type_.name]


def _company_value(name: str, company: Company) -> str:
    return company.key if name == "subjectId" else company.number


def _selection(type_: Any, depth: int = 0) -> str:
    """Type names of the result: a union's member (fields of members could conflict), an
    object's nested objects a little way down."""
    named: GraphQLNamedType = get_named_type(type_)
    if isinstance(named, GraphQLUnionType):
        return "{ __typename }"
    if isinstance(named, GraphQLObjectType):
        parts = ["__typename"]
        # Whose answer it is: a subject-defaulting field answering for the viewer says so.
        parts += [name for name in ("subjectId",) if name in named.fields]
        if named.name == "Subject":
            parts.append("id")
        for name, field in named.fields.items():
            inner = get_named_type(field.type)
            no_args = all(not _required(arg.type) for arg in field.args.values())
            if (
                depth < MAX_DEPTH - 1
                and no_args
                and isinstance(inner, GraphQLObjectType | GraphQLUnionType)
            ):
                parts.append(f"{name} {_selection(field.type, depth + 1)}")
        return f"{{ {' '.join(parts)} }}"
    return ""


def _document(target: Target, company: Company | None) -> tuple[str, dict[str, Any]]:
    """The operation calling `target` (company-identifying arguments set to `company`, or
    left out when None) with every required argument filled in."""
    variables: dict[str, Any] = {}
    declarations: list[str] = []
    body = ""
    for depth, (name, field) in reversed(list(enumerate(target.path))):
        args = []
        for arg_name, arg in field.args.items():
            if arg_name in COMPANY_ARGS and company is None:
                continue
            filled = (
                arg_name in COMPANY_ARGS
                or _required(arg.type)
                or (company is not None and bool(_input_names(arg.type) & COMPANY_ARGS))
            )
            if not filled:
                continue
            var = f"v{depth}_{arg_name}"
            declarations.append(f"${var}: {arg.type}")
            variables[var] = _value(arg_name, arg.type, company)
            args.append(f"{arg_name}: ${var}")
        call = f"{name}({', '.join(args)})" if args else name
        body = f"{call} {body or _selection(field.type)}"
        body = f"{{ {body} }}"
    head = f"{target.operation}({', '.join(declarations)})" if declarations else target.operation
    return f"{head} {body}", variables


def _refused(body: dict[str, Any]) -> bool:
    """A refusal anywhere in the answer: a refusal result type, or an error with its code."""
    codes = {(error.get("extensions") or {}).get("code") for error in body.get("errors") or []}
    if codes & REFUSAL_CODES:
        return True

    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            return value.get("__typename") in REFUSALS or any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(body.get("data"))


def _shape(body: dict[str, Any]) -> Any:
    """The answer reduced to type names, whose it is and error codes (other ids and times
    differ per call)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            kept = (
                ("__typename", "subjectId", "id")
                if value.get("__typename") == "Subject"
                else (
                    "__typename",
                    "subjectId",
                )
            )
            return {
                k: walk(v) if isinstance(v, dict | list) else v
                for k, v in value.items()
                if isinstance(v, dict | list) or k in kept
            }
        if isinstance(value, list):
            return [walk(v) for v in value[:1]]
        return None

    codes = sorted(str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or [])
    return walk(body.get("data")), codes


@dataclass
class Delegate:
    person: PersonRecord
    company: Company
    services: Services
    base_url: str

    @asynccontextmanager
    async def session(self, *, acting_for_company: bool) -> AsyncIterator[httpx.AsyncClient]:
        """A bank-login session (low), acting for the company or for themselves."""
        sessions = self.services.auth.sessions
        person = str(self.person.id)
        session_id, session = await sessions.create(
            person, await sessions.current_epoch(person), int(Level.LOW), None
        )
        if acting_for_company:
            await sessions.update(session_id, replace(session, acting_as=self.company.key))
        async with httpx.AsyncClient(base_url=self.base_url, timeout=20) as client:
            client.cookies.set(self.services.auth.cookies.session, session_id)
            yield client

    async def ask(
        self, document: str, variables: dict[str, Any], *, acting_for_company: bool
    ) -> dict[str, Any]:
        async with self.session(acting_for_company=acting_for_company) as client:
            response = await client.post(
                "/graphql", json={"query": document, "variables": variables}
            )
        assert response.status_code == 200, (document, response.text)
        body: dict[str, Any] = response.json()
        return body


async def _new_person(personal_code: str) -> PersonRecord:
    person_id = uuid.uuid4()
    await Person.insert(
        Person(
            id=person_id,
            person_key=f"test:{person_id}",
            personal_code=personal_code,
            given_name="Test",
            family_name="Delegate",
        )
    ).run()
    person = await get_person(person_id)
    assert person is not None
    return person


@pytest.fixture
async def delegate(services: Services, base_url: str, registry_sandbox: Sandbox) -> Delegate:
    """Someone a company delegated everything to (so only the login level can stop them)."""
    company = Company.numbered(f"4{secrets.randbelow(10**10):010d}")
    born = date(1960, 1, 1) + timedelta(days=secrets.randbelow(15000))
    grantor = await _new_person(unique_personal_code(born))
    grantee = await _new_person(unique_personal_code(born))
    await Delegation.insert(
        Delegation(
            company_number=company.number,
            company_name="Guarded Test SIA",
            grantor=grantor.id,
            grantee_personal_code=grantee.personal_code,
            scopes="manage_delegations,obligations,send_mail,view_mail",
            valid_from=utcnow() - timedelta(days=1),
            valid_until=utcnow() + timedelta(days=30),
        )
    ).run()
    return Delegate(grantee, company, services, base_url)


def _targets(services: Services) -> list[tuple[Target, bool]]:
    schema: GraphQLSchema = services.schema._schema
    found: list[tuple[Target, bool]] = []
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        found.extend(_walk(operation, root))
    return found


async def test_the_schema_walk_finds_the_company_operations(services: Services) -> None:
    """The walk itself is checked, so a change to the schema's shape cannot empty it, and no
    field anywhere in the schema that names a company is out of its reach."""
    targets = _targets(services)
    walked = {id(target.field) for target, company_scoped in targets if company_scoped}
    schema: GraphQLSchema = services.schema._schema
    everywhere = {
        f"{type_name}.{name}"
        for type_name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and not type_name.startswith("__")
        for name, field in type_.fields.items()
        if _company_scoped(field) and id(field) not in walked
    }
    assert everywhere == set(), "extend the walk (union members, deeper) to reach these"
    scoped = {target.name for target, company_scoped in targets if company_scoped}
    assert {
        "me.dashboard",
        "obligations",
        "mailbox",
        "notificationSettings",
        "switchActingAs",
        "setNotificationPreferences",
        "markObligationDone",
        "openMessage",
        "grantDelegation",
        "createCalendarFeed",
    } <= scoped


async def test_a_low_login_asking_about_a_company_is_refused_everywhere(
    delegate: Delegate,
) -> None:
    allowed = []
    for target, company_scoped in _targets(delegate.services):
        if not company_scoped:
            continue
        document, variables = _document(target, delegate.company)
        body = await delegate.ask(document, variables, acting_for_company=False)
        if not _refused(body):
            allowed.append((target.name, body))
    assert " ".join(entry[0] for entry in allowed) == "", allowed


async def test_a_low_login_acting_for_a_company_is_refused_everywhere(
    delegate: Delegate,
) -> None:
    own = Company(delegate.person.subject_key)
    allowed = []
    for target, company_scoped in _targets(delegate.services):
        optional = all(
            not _required(arg.type)
            for name, arg in target.field.args.items()
            if name in COMPANY_ARGS
        )
        if company_scoped and not optional:
            continue  # the company must be named: the test above covers it
        if not company_scoped and len(target.path) > 1:
            continue
        document, variables = _document(target, None)
        as_company = await delegate.ask(document, variables, acting_for_company=True)
        if _refused(as_company):
            continue
        # Not refused, so it must not be about the acting-as subject at all: it answers as it
        # does for the viewer acting for themselves (a subject-defaulting field: as it does
        # when asked about the viewer by name).
        if company_scoped:
            document, variables = _document(target, own)
        as_self = await delegate.ask(document, variables, acting_for_company=False)
        if _shape(as_company) != _shape(as_self):
            allowed.append((target.name, as_company, as_self))
    assert " ".join(entry[0] for entry in allowed) == "", allowed


REVOKE = """mutation($id: ID!) { revokeDelegation(id: $id) {
  __typename ... on DelegationRevoked { delegation { status } } } }"""


async def test_a_representative_behind_a_bank_login_leaves_the_companys_delegations_alone(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    """Delegations are addressed by their own id, not a subject: the schema walk cannot
    reach them, so they are held to the guard here."""
    await login_as(http, "martins", "eparaksts")
    granted = await graphql(
        http, GRANT, grant_input(OZOLS_TECH.registration_number, stranger_code(), ["VIEW_MAIL"])
    )
    delegation_id = granted["data"]["grantDelegation"]["delegation"]["id"]  # type: ignore[index]
    async with httpx.AsyncClient(base_url=base_url) as bank:
        await login_as(bank, "martins", "bank")
        revoked = await graphql(bank, REVOKE, {"id": delegation_id})
        assert revoked["data"]["revokeDelegation"]["__typename"] == "StepUpRequired"  # type: ignore[index]
        listed = await graphql(bank, "{ me { delegationsGiven { id } } }")
        assert error_code(listed) == "step_up_required"
    given = await graphql(http, "{ me { delegationsGiven { id status } } }")
    assert {"id": delegation_id, "status": "ACTIVE"} in given["data"]["me"]["delegationsGiven"]  # type: ignore[index]
    revoked = await graphql(http, REVOKE, {"id": delegation_id})
    assert revoked["data"]["revokeDelegation"]["delegation"]["status"] == "REVOKED"  # type: ignore[index]
