"""`.env.example` and the docs name the settings that exist, each declared once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from backend.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from backend.settings.declare import Family, Setting, declarations, field_types
from backend.settings.example import render

ENV_EXAMPLE = PROJECT_ROOT / ".env.example"


def _declared() -> list[tuple[type, Setting]]:
    """Every setting with its group; a family's members once, by their `<SOURCE>` names."""
    found: list[tuple[type, Setting]] = []
    groups = field_types(Settings)
    for name in groups:
        for _, declared in declarations(groups[name]):
            if isinstance(declared, Family):
                found += [
                    (declared.group, member)
                    for _, member in declarations(declared.group)
                    if isinstance(member, Setting)
                ]
            else:
                found.append((groups[name], declared))
    return found


def _variables() -> set[str]:
    """Every variable the settings read, family members by their real names."""
    names: set[str] = set()
    groups = field_types(Settings)
    for name in groups:
        for _, declared in declarations(groups[name]):
            if isinstance(declared, Family):
                names |= {
                    member.name(key)
                    for key in declared.keys
                    for _, member in declarations(declared.group)
                    if isinstance(member, Setting)
                }
            else:
                names.add(declared.env)
    return names


def test_the_committed_env_example_is_what_the_declarations_say() -> None:
    assert ENV_EXAMPLE.read_text() == render(), (
        ".env.example is out of date with backend/settings/: run `make env-example`"
    )


def test_every_variable_appears_in_env_example() -> None:
    listed = set(dotenv_values(ENV_EXAMPLE))
    assert listed == _variables()


def test_the_values_in_env_example_are_the_defaults(tmp_path: Path) -> None:
    """Copying `.env.example` to `.env` changes nothing (VAR_DIR is where this test lives)."""
    example = {k: v for k, v in dotenv_values(ENV_EXAMPLE).items() if v is not None}
    here = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    assert load_settings({**example, **here}) == load_settings(here)


def test_each_variable_is_declared_once_and_documented() -> None:
    names = [declared.env for _, declared in _declared()]
    assert len(names) == len(set(names)), "two fields read the same variable"
    for group, declared in _declared():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*(<[A-Z]+>[A-Z0-9_]*)?", declared.env), declared.env
        assert declared.doc.strip(), f"{group.__name__}: {declared.env} has no doc"


def _attribute(group: type, declared: Setting) -> str:
    return next(f.name for f, d in declarations(group) if d is declared)


def _bad_values(declared: Setting, kind: Any) -> list[str]:
    """Values the declaration says must be refused."""
    bad: list[str] = []
    if declared.parse is None and (kind in (int, float) or declared.unit):
        bad.append("twelve")
    if declared.ge is not None:
        bad.append(str(int(declared.ge) - 1))
    if declared.le is not None:
        bad.append(str(int(declared.le) + 1))
    if declared.choices is not None:
        bad.append("none-of-these")
    if declared.schemes is not None:
        bad.append("gopher://example")
    if declared.max_length is not None:
        bad.append("x" * (declared.max_length + 1))
    if declared.min_length is not None:
        bad.append("x" * (declared.min_length - 1))
    return bad


BAD = [
    pytest.param(declared.name("nhs"), value, id=f"{declared.name('nhs')}={value[:12]}")
    for group, declared in _declared()
    for value in _bad_values(declared, field_types(group)[_attribute(group, declared)])
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_each_declared_bound_is_enforced_and_names_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=f"^{name} "):
        load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path), name: value})


# Upper-case names in the docs that are not settings, each with what it is.
NOT_SETTINGS = {
    "ENV_FILE": "names the file read as .env (backend/settings/load.py)",
    "PICCOLO_CONF": "Piccolo's own variable, for its migration CLI",
    "FORM_FUZZ_EXAMPLES": "how deep tests/integration/web/test_form_fuzz.py fuzzes",
    "APP_REGISTRY": "Piccolo's registry of apps in backend/piccolo_conf.py",
    "MAX_DEPTH": "the JSON nesting limit in backend/lib",
    "BAD_REQUEST": "a GraphQL error code",
    "PERSONA_PAGES": "a table in tests/browser/test_accessibility.py",
    "SIGNED_IN_PAGES": "a table in tests/browser/test_accessibility.py",
    "PERSONAL_CODES": "a record's personal-code fields (integrations/registries/record.py)",
    "TYPE_CHECKING": "typing's constant: imports only the type checker sees",
    "PERSON_DECLARED": "the dashboard's event kind (backend/dashboard/changes.py)",
    "VIEW_MAIL": "a delegation scope (backend/auth/subjects.py, Scope)",
}
DOCS = sorted([PROJECT_ROOT / "README.md", *(PROJECT_ROOT / "docs").rglob("*.md")])
# A name with an underscore (`REDIS_URL`, `DASHBOARD_<SOURCE>_TTL_S`), or an upper-case word
# given a value (`DEBUG=1`); a lone word (`VACUUM`, `NOTIFY`) is too often something else.
NAMED = re.compile(
    r"(?<![A-Za-z0-9_<])(?:[A-Z][A-Z0-9]*(?:_(?:[A-Z0-9]+|<[A-Z]+>))+|[A-Z][A-Z0-9]+(?==))"
    r"(?![A-Za-z0-9_>])"
)


def test_every_variable_named_in_the_docs_exists() -> None:
    known = _variables() | {declared.env for _, declared in _declared()} | set(NOT_SETTINGS)
    unknown = {
        f"{doc.relative_to(PROJECT_ROOT)}: {name}"
        for doc in DOCS
        for name in NAMED.findall(doc.read_text())
        if name not in known
    }
    assert not unknown, "the docs name variables no setting reads"


def test_the_docs_check_sees_variables() -> None:
    """The pattern above finds the names it must (else the test before proves nothing)."""
    text = "Set `DEBUG=1`, `REDIS_URL` and DASHBOARD_<SOURCE>_TTL_S, PORT=80. HTTP, `NOTIFY`, A_b."
    assert NAMED.findall(text) == ["DEBUG", "REDIS_URL", "DASHBOARD_<SOURCE>_TTL_S", "PORT"]
