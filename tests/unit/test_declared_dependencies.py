"""pyproject.toml says what the code uses: every third-party package imported by the product
(backend/, integrations/, bench/) is a runtime dependency, every one imported only by tests and
developer scripts is in the `dev` extra, and every runtime dependency is imported by the
product. A package that arrives only as another's dependency can vanish with its next release,
so what we import we declare; what we declare for production we use.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"backend", "integrations", "bench", "tests", "scripts"}
PRODUCT = ("backend", "integrations", "bench")
DEVELOPMENT = ("tests", "scripts")
USED_WITHOUT_IMPORT = {
    "pyyaml": "msgspec.yaml decodes the catalogue's files through it (backend/catalogue)",
}


def _normalise(name: str) -> str:
    """PEP 503: distribution names compare case-insensitively, with -, _ and . alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {_normalise(re.match(r"[A-Za-z0-9._-]+", r)[0]) for r in requirements}  # type: ignore[index]

    return names(project["dependencies"]), names(project["optional-dependencies"]["dev"])


def _optional(node: ast.Try) -> bool:
    """A `try: import x … except ImportError` imports x only where it is installed."""
    caught: list[ast.expr] = []
    for handler in node.handlers:
        if isinstance(handler.type, ast.Tuple):
            caught += handler.type.elts
        elif handler.type is not None:
            caught.append(handler.type)
    return any(
        isinstance(c, ast.Name) and c.id in ("ImportError", "ModuleNotFoundError") for c in caught
    )


def _imports(tree: ast.AST) -> Iterator[str]:
    """Top-level names of every absolute import, wherever it stands, except optional ones."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and _optional(node):
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


def _third_party(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Imported distribution (normalised) → the files importing it, for `folders`."""
    by_module = packages_distributions()
    used: dict[str, set[str]] = defaultdict(set)
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            for module in _imports(ast.parse(path.read_text(), str(path))):
                if module in sys.stdlib_module_names or module in FIRST_PARTY:
                    continue
                distributions = by_module.get(module)
                assert distributions, f"{path.relative_to(ROOT)} imports {module!r}: not installed"
                for distribution in distributions:
                    used[_normalise(distribution)].add(str(path.relative_to(ROOT)))
    return used


def _where(used: dict[str, set[str]], names: set[str]) -> dict[str, list[str]]:
    return {name: sorted(used[name])[:3] for name in sorted(names)}


def test_the_product_imports_only_runtime_dependencies() -> None:
    runtime, _ = _declared()
    used = _third_party(PRODUCT)
    undeclared = set(used) - runtime
    assert not undeclared, "add to [project.dependencies]: " + str(_where(used, undeclared))


def test_tests_and_scripts_import_only_declared_dependencies() -> None:
    runtime, dev = _declared()
    used = _third_party(DEVELOPMENT)
    undeclared = set(used) - runtime - dev
    assert not undeclared, "add to [project.optional-dependencies] dev: " + str(
        _where(used, undeclared)
    )


def test_every_runtime_dependency_is_used_by_the_product() -> None:
    runtime, _ = _declared()
    unused = runtime - set(_third_party(PRODUCT)) - set(USED_WITHOUT_IMPORT)
    assert not unused, f"not imported by backend/, integrations/ or bench/: {sorted(unused)}"
