"""Reading a posted HTML form the way a page handler needs it: text, never an exception.

A browser leaves a field out when its checkbox is cleared (or every box of a group), a hand-made
request may repeat a field or send a file where text was expected, and Litestar's
`FormMultiDict.getall` raises `KeyError` for a name that is absent. Page handlers read through
`PostedForm` instead of the raw multidict, so none of that can surface as a server error; what
the values mean is checked by the GraphQL mutation behind the form, which answers with a code
the page shows as a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict


@dataclass(frozen=True, slots=True)
class PostedForm:
    """The text fields of a posted form. Files posted under a text field's name are ignored:
    no page form uploads files, so a file there is never what the person meant."""

    fields: FormMultiDict

    def text(self, name: str, default: str = "") -> str:
        """The first text value of `name`, or `default` when there is none."""
        return next(iter(self.texts(name)), default)

    def texts(self, name: str) -> list[str]:
        """Every text value of `name` in the order posted; empty when the field is absent
        (a group of checkboxes with every box cleared)."""
        return [value for value in self.fields.getall(name, []) if isinstance(value, str)]

    def checked(self, name: str, value: str = "1") -> bool:
        """Whether a checkbox (or button) named `name` was posted with `value`."""
        return value in self.texts(name)


async def read_form(request: Request[Any, Any, Any]) -> PostedForm:
    """The request's form; empty for a body that is not a form (the handler then reports the
    missing fields like any other)."""
    return PostedForm(await request.form())
