"""Institution templates: validated, versioned (a change makes a new version), previewable.

A template is never legal: official notices have legal force only through the e-address
(Notification Law, Art. 9), so `legal: true` and the e-address category are refused here.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.lib import i18n
from backend.lib.db import transaction, unique_violation
from backend.lib.errors import NotFound, Unprocessable
from backend.lib.time import as_utc, utcnow
from backend.notifications.institutions.placeholders import (
    PlaceholderType,
    TemplateSyntaxError,
    ValueProblem,
    check_values,
    parse,
    render,
)
from backend.notifications.model import LANGUAGES, USER_CATEGORIES, Category, is_legal
from backend.notifications.render.messages import in_language
from backend.notifications.tables import InstitutionTemplate

TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_SUBJECT = 120
MAX_BODY = 600
"""With values filled in a body stays well inside a push payload (3 KB) in any alphabet."""
CATEGORIES: tuple[Category, ...] = tuple(c for c in USER_CATEGORIES if not is_legal(c))
LEGAL_REFUSAL = (
    "Official (legal) notices are sent to the person's e-address (POST /api/eaddress/v1/"
    "messages), never through the notification API: a template cannot be legal."
)


class InvalidTemplate(Unprocessable):
    code = "invalid_template"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("The template is not valid; `errors` says where and why.")
        self.errors = errors


class LegalNotAllowed(Unprocessable):
    code = "legal_not_allowed"

    def __init__(self) -> None:
        super().__init__(LEGAL_REFUSAL)


class InvalidValues(Unprocessable):
    code = "invalid_values"

    def __init__(self, problems: list[ValueProblem]) -> None:
        names = ", ".join(f"{p.name} ({p.problem})" for p in problems)
        super().__init__(f"The values do not fit the template's placeholders: {names}.")
        self.errors = [{"name": p.name, "problem": p.problem, "detail": p.detail} for p in problems]


class TemplateNotFound(NotFound):
    code = "template_not_found"

    def __init__(self) -> None:
        super().__init__("No such template (or version) of this institution.")


@dataclass(frozen=True)
class Template:
    template_id: str
    version: int
    category: Category
    texts: Mapping[str, Mapping[str, str]]
    placeholders: Mapping[str, PlaceholderType]
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.template_id,
            "version": self.version,
            "category": self.category.value,
            "legal": False,
            "texts": {lang: dict(text) for lang, text in self.texts.items()},
            "placeholders": {name: kind.value for name, kind in self.placeholders.items()},
            "created_at": self.created_at.isoformat(),
        }


def _text_errors(lang: str, field: str, value: Any, limit: int) -> list[dict[str, str]]:
    path = f"texts.{lang}.{field}"
    if not isinstance(value, str) or not value.strip():
        return [{"path": path, "message": "A non-empty text is needed."}]
    if len(value) > limit:
        return [{"path": path, "message": f"At most {limit} characters ({len(value)} given)."}]
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        return [{"path": path, "message": "Control characters are not allowed."}]
    return []


def _texts_placeholders(texts: dict[str, Any], errors: list[dict[str, str]]) -> dict[str, Any]:
    """The placeholders every language's texts share; problems are appended to `errors`."""
    for key in texts:
        if key not in LANGUAGES:
            errors.append({"path": f"texts.{key}", "message": "Languages are lv, en and ru."})
    seen: dict[str, dict[str, PlaceholderType]] = {}
    for lang in LANGUAGES:
        text = texts.get(lang)
        if not isinstance(text, dict) or set(text) != {"subject", "body"}:
            errors.append({"path": f"texts.{lang}", "message": "Give subject and body."})
            continue
        for field, limit in (("subject", MAX_SUBJECT), ("body", MAX_BODY)):
            found = _text_errors(lang, field, text[field], limit)
            errors += found
            if found:
                continue
            try:
                for name, kind in parse(text[field]).items():
                    if seen.setdefault(lang, {}).setdefault(name, kind) is not kind:
                        raise TemplateSyntaxError(f"The placeholder '{name}' has two types.")
            except TemplateSyntaxError as exc:
                errors.append({"path": f"texts.{lang}.{field}", "message": str(exc)})
    if errors:
        return {}
    first = seen.get(LANGUAGES[0], {})
    for lang in LANGUAGES[1:]:
        if seen.get(lang, {}) != first:
            errors.append(
                {"path": f"texts.{lang}", "message": "Every language must use the same "
                 "placeholders with the same types as lv."}
            )  # fmt: skip
    return {name: kind.value for name, kind in first.items()}


def validate(body: Any) -> tuple[str, Category, dict[str, dict[str, str]], dict[str, Any]]:
    """(id, category, texts, placeholders) of a template body, or InvalidTemplate naming every
    problem; LegalNotAllowed first when it asks to be legal."""
    if not isinstance(body, dict):
        raise InvalidTemplate([{"path": "", "message": "The body must be a JSON object."}])
    if body.get("legal") is True or body.get("category") == Category.EADDRESS.value:
        raise LegalNotAllowed()
    errors: list[dict[str, str]] = []
    known = {"id", "category", "legal", "texts"}
    errors += [{"path": k, "message": "Unknown field."} for k in body if k not in known]
    if "legal" in body and body["legal"] is not False:
        errors.append({"path": "legal", "message": "Only false (or leave it out)."})
    template_id = body.get("id")
    if not isinstance(template_id, str) or not TEMPLATE_ID.fullmatch(template_id):
        errors.append(
            {"path": "id", "message": "1-64 lower-case letters, digits and '-', e.g. "
             "'vehicle-inspection'."}
        )  # fmt: skip
    category = body.get("category")
    if not isinstance(category, str) or category not in {c.value for c in CATEGORIES}:
        names = ", ".join(c.value for c in CATEGORIES)
        errors.append({"path": "category", "message": f"One of: {names}."})
    texts = body.get("texts")
    if not isinstance(texts, dict):
        errors.append({"path": "texts", "message": "An object with lv, en and ru."})
        texts = {}
    placeholders = _texts_placeholders(texts, errors)
    if errors:
        raise InvalidTemplate(errors)
    clean = {lang: {"subject": texts[lang]["subject"], "body": texts[lang]["body"]}
             for lang in LANGUAGES}  # fmt: skip
    return str(template_id), Category(str(category)), clean, placeholders


def _row_template(row: Mapping[str, Any]) -> Template:
    content = row["content"]
    if isinstance(content, str):
        content = json.loads(content)
    return Template(
        template_id=row["template_id"],
        version=int(row["version"]),
        category=Category(row["category"]),
        texts=content["texts"],
        placeholders={n: PlaceholderType(t) for n, t in content["placeholders"].items()},
        created_at=as_utc(row["created_at"]),
    )


async def load(institution_id: uuid.UUID, template_id: str, version: int | None = None) -> Template:
    """A version (default: the latest) of this institution's template; another institution's
    answers exactly like a missing one."""
    query = InstitutionTemplate.select().where(
        (InstitutionTemplate.institution == institution_id)
        & (InstitutionTemplate.template_id == template_id)
    )
    if version is not None:
        query = query.where(InstitutionTemplate.version == version)
    row = await query.order_by(InstitutionTemplate.version, ascending=False).first().run()
    if row is None:
        raise TemplateNotFound()
    return _row_template(row)


async def save(institution_id: uuid.UUID, body: Any) -> tuple[Template, bool]:
    """Store a template: a new version when its content differs from the latest (True), else
    the latest as it is (False) — so sending the same body again changes nothing."""
    template_id, category, texts, placeholders = validate(body)
    content = {"texts": texts, "placeholders": placeholders}
    digest = hashlib.sha256(
        json.dumps([category.value, content], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    engine = InstitutionTemplate._meta.db
    async with transaction(engine):
        latest = await (
            InstitutionTemplate.select(
                InstitutionTemplate.version, InstitutionTemplate.content_sha256
            )
            .where(
                (InstitutionTemplate.institution == institution_id)
                & (InstitutionTemplate.template_id == template_id)
            )
            .order_by(InstitutionTemplate.version, ascending=False)
            .first()
            .run()
        )
        if latest is not None and latest["content_sha256"] == digest:
            return await load(institution_id, template_id, int(latest["version"])), False
        version = 1 if latest is None else int(latest["version"]) + 1
        async with unique_violation(
            "Another version of this template was saved at the same moment; send it again.",
            code="version_conflict",
        ):
            await InstitutionTemplate.insert(
                InstitutionTemplate(
                    id=uuid.uuid4(),
                    institution=institution_id,
                    template_id=template_id,
                    version=version,
                    category=category.value,
                    content=json.dumps(content, ensure_ascii=False),
                    content_sha256=digest,
                    created_at=utcnow(),
                )
            ).run()
    return await load(institution_id, template_id, version), True


def checked_values(template: Template, values: Any) -> dict[str, str]:
    """The values in stored form, or InvalidValues naming what is missing, unknown or ill-typed."""
    if not isinstance(values, dict):
        raise Unprocessable("`values` must be an object of placeholder values.",
                            code="invalid_values")  # fmt: skip
    cleaned, problems = check_values(template.placeholders, values)
    if problems:
        raise InvalidValues(problems)
    return cleaned


def localized(kind: PlaceholderType, value: str) -> str:
    """A value as the current language writes it: dates numeric in lv/ru (no case to get
    wrong in a sentence we did not write), in words in en-GB; amounts in euros."""
    if kind is PlaceholderType.DATE:
        style = "long" if i18n.current_language.get() == "en" else "short"
        return i18n.format_date(date.fromisoformat(value), style)
    if kind is PlaceholderType.AMOUNT:
        return i18n.format_money(Decimal(value))
    return value


def rendered_texts(template: Template, values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Subject and body in every language, values filled in as each language writes them."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        with in_language(lang):
            out[lang] = {
                field: render(template.texts[lang][field], values, localized)
                for field in ("subject", "body")
            }
    return out
