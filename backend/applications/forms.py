"""Application forms defined as data: one YAML file per service in `forms/`.

A form names its service (the catalogue's id), the institution, the legal basis, and its fields:
type, label and hint in three languages, whether it is required, when it is shown (`when`: another
field's value), bounds, the registry fact that prefills it (`prefill`, see `prefill.py`) and
whether the law lets the person change a prefilled answer (`editable`). Adding a service is
adding a file; `load_forms` refuses a malformed one at start-up, naming the file and field.

`validate` is pure: answers in, field-level errors (translatable `Text`s) out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import msgspec.yaml

from backend.lib import i18n
from backend.lib.identifiers import is_personal_code, normalise_personal_code
from backend.lib.texts import N_, Text

FORMS_DIR = Path(__file__).parent / "forms"

TYPES = frozenset(
    {"text", "longtext", "date", "choice", "boolean", "iban", "personal_code", "plate"}
)
MAX_TEXT = 200
MAX_LONGTEXT = 2000
PLATE = re.compile(r"^[A-Z]{1,3}-?\d{1,4}$|^[A-Z0-9]{2,8}$")


class FormError(ValueError):
    """A form file that does not say what the loader needs."""


@dataclass(frozen=True)
class Localised:
    lv: str
    en: str
    ru: str

    def text(self, language: str | None = None) -> str:
        lang = language or i18n.current_language.get()
        return str(getattr(self, lang, self.lv) or self.lv)

    @classmethod
    def read(cls, raw: Any, where: str) -> Localised:
        if not isinstance(raw, Mapping) or not all(
            isinstance(raw.get(k), str) for k in ("lv", "en", "ru")
        ):
            raise FormError(f"{where}: needs lv, en and ru texts")
        return cls(lv=raw["lv"], en=raw["en"], ru=raw["ru"])


@dataclass(frozen=True)
class Option:
    value: str
    label: Localised


@dataclass(frozen=True)
class Condition:
    field: str
    equals: str


@dataclass(frozen=True)
class LegalBasis:
    act: Localised
    url: str | None = None
    article: str | None = None


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: Localised
    hint: Localised | None = None
    required: bool = False
    options: tuple[Option, ...] = ()
    prefill: str | None = None
    """A fact name of `prefill.FACTS`; its value is the field's starting answer."""
    options_from: str | None = None
    """A fact name whose values are the field's options (a choice of my children, my vehicles)."""
    editable: bool = True
    """False: the law takes this answer from the register (`prefill`); the person sees it with
    its source and may only say it is wrong."""
    when: Condition | None = None
    max_length: int | None = None
    not_in_future: bool = False
    not_in_past: bool = False
    default: str | None = None

    def shown(self, answers: Mapping[str, str]) -> bool:
        return self.when is None or answers.get(self.when.field, "") == self.when.equals


@dataclass(frozen=True)
class Proactive:
    trigger: str
    """What in the facts makes a person eligible (`child_born`)."""
    within_months: int
    """The legal deadline in calendar months from the fact's date (also how long the prepared
    application waits)."""


@dataclass(frozen=True)
class FormDef:
    service: str
    institution: str
    title: Localised
    summary: Localised
    legal_basis: tuple[LegalBasis, ...]
    fields: tuple[Field, ...]
    proactive: Proactive | None = None
    field_map: Mapping[str, Field] = field(default_factory=dict)

    def field(self, field_id: str) -> Field | None:
        return self.field_map.get(field_id)


def _field(raw: Any, where: str) -> Field:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise FormError(f"{where}: a field needs an id")
    where = f"{where}.{raw['id']}"
    kind = raw.get("type")
    if kind not in TYPES:
        raise FormError(f"{where}: type must be one of {sorted(TYPES)}")
    options = tuple(
        Option(str(o["value"]), Localised.read(o.get("label"), f"{where}.options"))
        for o in raw.get("options") or ()
    )
    if kind == "choice" and not options and not raw.get("options_from"):
        raise FormError(f"{where}: a choice needs options or options_from")
    when = raw.get("when")
    return Field(
        id=raw["id"],
        type=kind,
        label=Localised.read(raw.get("label"), f"{where}.label"),
        hint=Localised.read(raw["hint"], f"{where}.hint") if raw.get("hint") else None,
        required=bool(raw.get("required", False)),
        options=options,
        prefill=raw.get("prefill"),
        options_from=raw.get("options_from"),
        editable=bool(raw.get("editable", True)),
        when=Condition(str(when["field"]), str(when["equals"])) if when else None,
        max_length=raw.get("max_length"),
        not_in_future=bool(raw.get("not_in_future", False)),
        not_in_past=bool(raw.get("not_in_past", False)),
        default=str(raw["default"]) if raw.get("default") is not None else None,
    )


def parse_form(raw: Any, where: str) -> FormDef:
    """One form from its YAML data; FormError names what is wrong."""
    from backend.applications.prefill import FACTS  # the vocabulary of facts (pure module)

    if not isinstance(raw, Mapping):
        raise FormError(f"{where}: not a mapping")
    fields = tuple(_field(f, where) for f in raw.get("fields") or ())
    ids = [f.id for f in fields]
    if len(set(ids)) != len(ids):
        raise FormError(f"{where}: field ids repeat")
    for f in fields:
        for fact in (f.prefill, f.options_from):
            if fact is not None and fact not in FACTS:
                raise FormError(f"{where}.{f.id}: unknown fact {fact!r}")
        if f.when is not None and f.when.field not in ids:
            raise FormError(f"{where}.{f.id}: condition on unknown field {f.when.field!r}")
        if not f.editable and f.prefill is None:
            raise FormError(f"{where}.{f.id}: only a prefilled field can be locked")
    proactive = raw.get("proactive")
    return FormDef(
        service=str(raw["service"]),
        institution=str(raw["institution"]),
        title=Localised.read(raw.get("title"), f"{where}.title"),
        summary=Localised.read(raw.get("summary"), f"{where}.summary"),
        legal_basis=tuple(
            LegalBasis(
                Localised.read(b.get("act"), f"{where}.legal_basis"),
                str(b["url"]) if b.get("url") else None,
                b.get("article"),
            )
            for b in raw.get("legal_basis") or ()
        ),
        fields=fields,
        proactive=(
            Proactive(str(proactive["trigger"]), int(proactive["within_months"]))
            if proactive
            else None
        ),
        field_map={f.id: f for f in fields},
    )


@cache
def load_forms(directory: Path = FORMS_DIR) -> dict[str, FormDef]:
    """Every form in `directory`, by service id (read once per process)."""
    forms: dict[str, FormDef] = {}
    for path in sorted(directory.glob("*.yaml")):
        form = parse_form(msgspec.yaml.decode(path.read_bytes()), path.name)
        if form.service != path.stem:
            raise FormError(f"{path.name}: service must be {path.stem!r}")
        forms[form.service] = form
    return forms


def form_for(service: str) -> FormDef | None:
    return load_forms().get(service)


# ── validation ────────────────────────────────────────────────────────────────────────────


def _iban_ok(value: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", value):
        return False
    moved = value[4:] + value[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def normalise(kind: str, value: str) -> str:
    """The answer as stored: trimmed; IBANs, plates and personal codes without spaces, upper."""
    value = value.strip()
    if kind in ("iban", "plate"):
        return re.sub(r"\s+", "", value).upper()
    if kind == "personal_code" and is_personal_code(value):
        return normalise_personal_code(value)
    if kind == "boolean":
        return "yes" if value.lower() in ("yes", "true", "on", "1") else ("no" if value else "")
    return value


def _check(f: Field, value: str, options: tuple[str, ...], today: date) -> Text | None:  # noqa: PLR0911 - one return per type
    if f.type == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return Text(N_("Enter a date as YYYY-MM-DD, for example 2026-03-01."))
        if f.not_in_future and day > today:
            return Text(N_("The date cannot be in the future."))
        if f.not_in_past and day < today:
            return Text(N_("The date cannot be in the past."))
    elif f.type == "choice":
        if value not in options:
            return Text(N_("Choose one of the options."))
    elif f.type == "iban":
        if not _iban_ok(value):
            return Text(N_("Enter an account number (IBAN) such as LV80BANK0000435195001."))
        if not value.startswith("LV"):
            return Text(
                N_("The benefit is paid only to an account in Latvia (an IBAN starting with LV).")
            )
    elif f.type == "personal_code" and not is_personal_code(value):
        return Text(N_("Enter a personal code such as 010190-12345."))
    elif f.type == "plate" and not PLATE.match(value):
        return Text(N_("Enter a registration number such as AB1234."))
    limit = f.max_length or (MAX_LONGTEXT if f.type == "longtext" else MAX_TEXT)
    if len(value) > limit:
        return Text(N_("Enter at most {limit} characters."), limit=limit)
    return None


def validate(
    form: FormDef,
    answers: Mapping[str, str],
    *,
    today: date,
    options: Mapping[str, tuple[str, ...]] | None = None,
    locked: Mapping[str, str] | None = None,
    complete: bool = True,
) -> tuple[dict[str, str], dict[str, Text]]:
    """(clean answers, errors by field id).

    `options` are the choices each field offers this person (a form's own, or the facts' for
    `options_from`); `locked` are the register's answers for fields the law does not let the
    person change — a different answer there is refused. With `complete=False` (a draft),
    missing required answers are not errors. Answers to unknown or hidden fields are dropped."""
    options = options or {}
    locked = locked or {}
    clean: dict[str, str] = {}
    errors: dict[str, Text] = {}
    raw = {
        k: normalise(form.field_map[k].type, v) for k, v in answers.items() if k in form.field_map
    }
    for f in form.fields:
        if not f.shown(raw):
            continue
        value = raw.get(f.id, "")
        if f.id in locked and value and value != locked[f.id]:
            errors[f.id] = Text(
                N_("This answer comes from the register and cannot be changed here.")
            )
            continue
        if not value:
            if f.required and complete:
                errors[f.id] = Text(N_("Answer this question."))
            continue
        allowed = options.get(f.id) or tuple(o.value for o in f.options)
        problem = _check(f, value, allowed, today)
        if problem is not None:
            errors[f.id] = problem
        else:
            clean[f.id] = value
    return clean, errors
