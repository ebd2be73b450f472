"""Each registry record (integrations.registries.record) is its registry's OpenAPI contract.

Every client method is called against a recording stand-in for its HTTP layer, which notes the
path asked and the decoder given; the path is matched to the operation in the registry's
`openapi.yaml`, and the record the decoder builds is compared with the schema of that
operation's 200 answer: the same fields, each required, each of the matching JSON type (string,
date, decimal string, integer, boolean, enum, list, nested object, nullable or not). A field
added on either side, or a type changed, fails here before it fails against a registry.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import re
import types
import typing
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec
import pytest
import yaml

from integrations.registries.clients import RegistryClients
from integrations.registries.csdd.models import Vehicle
from integrations.registries.record import Money, Record, RecordDecoder
from integrations.registries.srs.models import IncomeDeclaration

REGISTRIES = Path(__file__).resolve().parents[2] / "integrations" / "registries"
ARGUMENTS = {"personal_code": "150385-11028", "registration_number": "40003123459", "year": 2025}
MONEY_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"


class Recorder:
    """Stands in for `SourceHttp`: notes each GET and its decoder, answers "no such record"."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, RecordDecoder[Any]]] = []

    async def get(self, path: str, parse: Any) -> None:
        assert isinstance(parse, RecordDecoder), path
        self.calls.append((path, parse))


def _client_calls() -> list[tuple[str, str, RecordDecoder[Any]]]:
    """(source, path, decoder) for every public method of every registry client."""
    found = []
    for field in RegistryClients.__dataclass_fields__.values():
        client_class = typing.get_type_hints(RegistryClients)[field.name]
        recorder = Recorder()
        client = client_class(recorder)
        for name, method in inspect.getmembers(client, inspect.iscoroutinefunction):
            if name.startswith("_"):
                continue
            params = inspect.signature(method).parameters
            asyncio.run(method(**{p: ARGUMENTS[p] for p in params}))
            (path, decoder) = recorder.calls.pop()
            found.append((client.source, path, decoder))
    return found


CALLS = _client_calls()


def _contract(source: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REGISTRIES / source / "openapi.yaml").read_text())
    return loaded


def _operation(contract: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    for template, item in contract["paths"].items():
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template, item["get"]
    raise AssertionError(f"{path} is in no operation of the contract")


def _resolve(contract: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = contract["components"]["schemas"][name]
    return schema


def _strip(hint: Any) -> Any:
    return get_args(hint)[0] if get_origin(hint) is Annotated else hint


def _nullable(schema: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Whether the schema admits null, and the schema of its other values."""
    kinds = schema.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        rest = [k for k in kinds if k != "null"]
        enum = [v for v in schema.get("enum", []) if v is not None]
        narrowed = {**schema, "type": rest[0] if len(rest) == 1 else rest}
        if "enum" in schema:
            narrowed["enum"] = enum
        return True, narrowed
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            if len(options) < len(schema[key]) and len(options) == 1:
                return True, options[0]
    return False, schema


def type_problems(
    contract: dict[str, Any], hint: Any, schema: dict[str, Any], where: str
) -> list[str]:
    """How the record field `hint` and the JSON schema `schema` disagree (empty: they agree)."""
    hint = _strip(hint)
    schema = _resolve(contract, schema)
    origin = get_origin(hint)
    optional = origin in (Union, types.UnionType) and type(None) in get_args(hint)
    nullable, schema = _nullable(schema)
    if optional != nullable:
        return [f"{where}: nullable in {'the record' if optional else 'the contract'} only"]
    if optional:
        (hint,) = (_strip(a) for a in get_args(hint) if a is not type(None))
        origin = get_origin(hint)
    schema = _resolve(contract, schema)
    kind = schema.get("type")
    if origin is Literal:
        same = kind == "string" and set(schema.get("enum", ())) == set(get_args(hint))
        return [] if same else [f"{where}: the enum differs"]
    if origin is tuple:
        if kind != "array":
            return [f"{where}: a list in the record, {kind} in the contract"]
        return type_problems(contract, get_args(hint)[0], schema["items"], f"{where}[]")
    if isinstance(hint, type) and issubclass(hint, Record):
        return record_problems(contract, hint, schema, where)
    return _scalar_problems(hint, schema, where)


SCALARS: dict[Any, tuple[str, dict[str, Any]]] = {
    str: ("string", {}),
    int: ("integer", {}),
    bool: ("boolean", {}),
    date: ("string", {"format": "date"}),
    Money: ("string", {"pattern": MONEY_PATTERN}),
}


def _scalar_problems(hint: Any, schema: dict[str, Any], where: str) -> list[str]:
    if hint not in SCALARS:
        return [f"{where}: no contract type known for {hint!r}"]
    json_type, extra = SCALARS[hint]
    if schema.get("type") != json_type or any(schema.get(k) != v for k, v in extra.items()):
        return [f"{where}: {hint.__name__} in the record, {schema} in the contract"]
    if hint is str and schema.get("format") == "date":
        return [f"{where}: a date in the contract, a string in the record"]
    return []


def record_problems(
    contract: dict[str, Any], record: type[Record], schema: dict[str, Any], where: str = "$"
) -> list[str]:
    schema = _resolve(contract, schema)
    if schema.get("type") != "object":
        return [f"{where}: {record.__name__} is an object, the contract says {schema}"]
    fields = set(record.__struct_fields__)
    properties = set(schema.get("properties", {}))
    problems = [f"{where}.{f}: only in the record" for f in sorted(fields - properties)]
    problems += [f"{where}.{f}: only in the contract" for f in sorted(properties - fields)]
    required = set(schema.get("required", ()))
    problems += [
        f"{where}.{f}: optional in the contract" for f in sorted(fields & properties - required)
    ]
    hints = typing.get_type_hints(record, include_extras=True)
    for name in sorted(fields & properties):
        problems += type_problems(
            contract, hints[name], schema["properties"][name], f"{where}.{name}"
        )
    return problems


def _answer_schema(contract: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


def _problems_of_call(
    contract: dict[str, Any], path: str, decoder: RecordDecoder[Any]
) -> list[str]:
    _, operation = _operation(contract, path)
    schema = _resolve(contract, _answer_schema(contract, operation))
    if decoder.collection:
        if set(schema.get("properties", {})) != {"items"} or schema.get("required") != ["items"]:
            return [f"{path}: the contract's answer is not an `items` collection"]
        if schema["properties"]["items"].get("type") != "array":
            return [f"{path}: `items` is not a list in the contract"]
        return record_problems(contract, decoder.record, schema["properties"]["items"]["items"])
    return record_problems(contract, decoder.record, schema)


def test_every_client_call_is_checked() -> None:
    sources = {source for source, _, _ in CALLS}
    assert sources == {p.name for p in REGISTRIES.iterdir() if (p / "openapi.yaml").exists()}
    assert len(CALLS) == 15


@pytest.mark.parametrize(
    ("source", "path", "decoder"), CALLS, ids=[f"{s}:{d.record.__name__}" for s, _, d in CALLS]
)
def test_each_record_is_its_operations_answer(
    source: str, path: str, decoder: RecordDecoder[Any]
) -> None:
    assert _problems_of_call(_contract(source), path, decoder) == []


def test_every_operation_of_every_contract_has_a_client_call() -> None:
    for source in {s for s, _, _ in CALLS}:
        contract = _contract(source)
        called = {_operation(contract, path)[0] for s, path, _ in CALLS if s == source}
        assert called == set(contract["paths"]), source


# --- drift: the checks above catch a change on either side ----------------------------------


def test_a_field_added_to_the_record_only_is_drift() -> None:
    wider = msgspec.defstruct("Vehicle", [("colour", str)], bases=(Vehicle,), frozen=True)
    contract = _contract("csdd")
    problems = record_problems(contract, wider, contract["components"]["schemas"]["Vehicle"])
    assert problems == ["$.colour: only in the record"]


def test_a_field_added_to_the_contract_only_is_drift() -> None:
    contract = copy.deepcopy(_contract("csdd"))
    schema = contract["components"]["schemas"]["Vehicle"]
    schema["properties"]["colour"] = {"type": "string"}
    schema["required"].append("colour")
    assert record_problems(contract, Vehicle, schema) == ["$.colour: only in the contract"]


def test_a_changed_type_or_requirement_is_drift() -> None:
    contract = copy.deepcopy(_contract("srs"))
    schema = contract["components"]["schemas"]["IncomeDeclaration"]
    schema["properties"]["year"] = {"type": "string"}
    schema["properties"]["amount_payable"]["type"] = "string"  # no longer nullable
    schema["properties"]["status"]["enum"].append("withdrawn")
    schema["required"].remove("amount_refundable")
    assert record_problems(contract, IncomeDeclaration, schema) == [
        "$.amount_refundable: optional in the contract",
        "$.amount_payable: nullable in the record only",
        "$.status: the enum differs",
        "$.year: int in the record, {'type': 'string'} in the contract",
    ]


def test_a_collection_that_is_not_items_is_drift() -> None:
    contract = copy.deepcopy(_contract("csdd"))
    contract["components"]["schemas"]["Vehicles"]["properties"]["vehicles"] = {"type": "array"}
    (path, decoder) = next((p, d) for s, p, d in CALLS if d.record is Vehicle)
    assert _problems_of_call(contract, path, decoder) == [
        f"{path}: the contract's answer is not an `items` collection"
    ]
