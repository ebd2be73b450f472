"""`.env.example`, written from the declarations: `make env-example` (or `python -m` this).

tests/unit/test_settings_example.py fails when the committed file differs from `render()`, so
a setting cannot be added, changed or removed without its documentation following.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from dataclasses import MISSING, fields
from datetime import date
from pathlib import Path
from typing import Any

from backend.settings.core import PROJECT_ROOT
from backend.settings.declare import Family, Setting, declarations, field_types
from backend.settings.load import Settings

WIDTH = 99
HEADER = """\
Vienuviet settings: every variable the app reads, its default and what it does. Generated from
backend/settings/ by `make env-example`; edit the declarations there, not this file.

Copy to .env (or export) to override what `make run` chooses. The real environment wins over
.env; ENV_FILE names another file. An empty value means unset: the default applies."""


def render() -> str:
    """The whole file: a section per group, in the order of `Settings`."""
    lines = _comment(HEADER)
    groups = field_types(Settings)
    for f in fields(Settings):
        lines += ["", *_section(groups[f.name])]
    return "\n".join(lines) + "\n"


def _section(group: type) -> list[str]:
    title, _, intro = (group.__doc__ or group.__name__).partition("\n")
    lines = [f"# --- {title.strip().removesuffix('.')} ".ljust(WIDTH, "-")]
    if intro.strip():
        lines += [*_comment(textwrap.dedent(intro)), "#"]
    for _, declared in declarations(group):
        if isinstance(declared, Family):
            lines += _family(declared)
        else:
            lines += _comment(declared.doc)
            lines.append(f"{declared.env}={_shown(declared.default, declared)}")
    return lines


def _family(declared: Family) -> list[str]:
    """The members' documentation once, then every member's variables."""
    members = [(f, d) for f, d in declarations(declared.group) if isinstance(d, Setting)]
    lines = _comment(declared.doc)
    for _, member in members:
        lines += _comment(f"{member.env}: {member.doc}")
    for key in declared.keys:
        for f, member in members:
            value = getattr(declared.defaults[key], f.name)
            lines.append(f"{member.name(key)}={_shown(value, member)}")
    return lines


def _shown(value: Any, declared: Setting) -> str:
    """A default as the variable would spell it; empty where it is unset or derived."""
    if value is MISSING or value is None or value is False:
        return ""
    if declared.unit == "ms":
        value = round(value * 1000)
    for kind, spell in _SPELLINGS:
        if isinstance(value, kind):
            return spell(value)
    return str(value)


def _project_relative(path: Path) -> str:
    """The project's own var/ as `make run` sees it, not as this machine's absolute path."""
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


_SPELLINGS: tuple[tuple[type, Callable[[Any], str]], ...] = (
    (bool, lambda _: "1"),
    (float, lambda number: str(int(number)) if number.is_integer() else repr(number)),
    (Path, _project_relative),
    (tuple, lambda items: ",".join(str(item) for item in items)),
    (date, date.isoformat),
)


def _comment(text: str) -> list[str]:
    """`text` as comment lines; a blank line in it starts a new paragraph."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if paragraph.strip():
            lines += ["#"] if lines else []
            lines += textwrap.wrap(
                " ".join(paragraph.split()),
                WIDTH,
                initial_indent="# ",
                subsequent_indent="# ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    return lines


def main(argv: list[str]) -> int:
    """Print the file, or write it to the path given."""
    text = render()
    if argv:
        Path(argv[0]).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
