"""The import graph of `backend/` and `integrations/` keeps the shape docs/architecture.md
describes (issue 14): features do not reach into each other's tables, `backend/lib` imports no
feature, production code does not import the development stack, and the composition root
(`backend.services`) is seen by fewer modules over time, never more.

A small walk over `ast`, no import executed. Each import is one of three kinds: *run-time*
(module level, runs on import), *late* (inside a function: runs when called) and *type-only*
(under `if TYPE_CHECKING:`). `python -m tests.unit.test_import_graph` prints the numbers that
docs/architecture.md records before and after a structural change.

The ratchets below (`SERVICES_IMPORTERS`, the cycle and upward-import budgets) may only shrink:
when a change removes an importer or a cycle, lower them in the same commit.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("backend", "integrations")

FEATURES = frozenset(
    {
        "auth",
        "dashboard",
        "obligations",
        "eaddress",
        "notifications",
        "events",
        "catalogue",
        "applications",
        "feedback",
    }
)
"""`backend/<feature>/`: one package per feature, each with its own tables (if any)."""

DEVSTACK = "integrations.devstack"
DEVSTACK_SEAM = {"backend.cli"}
"""The one production module allowed to import the development stack: `cmd_devstack`, late,
only while a development subcommand runs."""

LIB_EXCEPTIONS = {("backend.lib.db", "backend.piccolo_conf")}
"""`backend/lib/db.py` reads Piccolo's app registry, which Piccolo wants at a fixed path."""

ROOTS = frozenset(
    {"backend.services", "backend.app", "backend.worker", "backend.cli", "backend.jobs"}
)
"""The composition root and what runs it: the app factory, the worker, the CLI, the job list."""

# Ratchet: modules (outside the roots) that still import `backend.services`. Only shrinks.
SERVICES_IMPORTERS = frozenset(
    {
        "backend.feedback.api.routes",
        "backend.feedback.pages.ratings",
        "backend.feedback.pages.reports",
        "backend.feedback.pages.survey",
        "backend.feedback.pages.widget",
        "backend.applications.pages.applications",
        "backend.auth.pages.account",
        "backend.auth.pages.step_up",
        "backend.auth.routes",
        "backend.auth.viewer",
        "backend.catalogue.api.public",
        "backend.catalogue.api.publishing",
        "backend.catalogue.jobs",
        "backend.catalogue.pages.browse",
        "backend.catalogue.pages.common",
        "backend.catalogue.pages.embed",
        "backend.catalogue.pages.finding",
        "backend.catalogue.pages.landing",
        "backend.catalogue.pages.preview",
        "backend.catalogue.pages.seo",
        "backend.catalogue.pages.situations",
        "backend.dashboard.pages.company",
        "backend.dashboard.pages.home",
        "backend.dashboard.pages.privacy",
        "backend.eaddress.graphql.scope",
        "backend.eaddress.institution_api.routes",
        "backend.eaddress.institution_api.token_route",
        "backend.eaddress.jobs",
        "backend.eaddress.pages.mail",
        "backend.eaddress.pages.mail_files",
        "backend.graphql.context",
        "backend.graphql.http",
        "backend.notifications.institutions.routes",
        "backend.notifications.jobs",
        "backend.notifications.pages.notifications",
        "backend.notifications.routes",
        "backend.notifications.subscribe",
        "backend.obligations.jobs",
        "backend.obligations.offline",
        "backend.obligations.pages.obligations",
        "backend.obligations.routes",
        "backend.web.gql",
        "backend.web.health",
        "backend.web.navigation",
    }
)

# Ratchets: the most modules in run-time cycles (module-level and late imports; a circle of
# module-level imports alone always fails), in cycles counting type-only imports too, and the
# most upward imports (a lower layer importing a higher one, see `layer_of`). Only shrink.
MAX_MODULES_IN_RUNTIME_CYCLES = 2
MAX_MODULES_IN_ANY_CYCLES = 72
# 72: issue 18's topics add a query and a mutation module to the GraphQL layer, which the
# schema's cycle through `Services` takes in like every other feature's.
MAX_UPWARD_IMPORTS = 0


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    kind: str  # "runtime", "late" or "type"
    line: int


@dataclass
class Graph:
    modules: set[str] = field(default_factory=set)
    imports: list[Import] = field(default_factory=list)

    def edges(self, *kinds: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for imp in self.imports:
            if imp.kind in kinds and imp.target != imp.source:
                out[imp.source].add(imp.target)
        return out


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import node under `node`, with the kind of import it is."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, kind
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, "type" if kind == "type" else "late")
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _walk_stmt(stmt, "type")
            for stmt in child.orelse:
                yield from _walk_stmt(stmt, kind)
        else:
            yield from _walk(child, kind)


def _walk_stmt(stmt: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        yield stmt, kind
    else:
        yield from _walk(stmt, kind)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def build_graph() -> Graph:
    graph = Graph()
    files = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))
    graph.modules = {_module_name(p) for p in files}
    for path in files:
        source = _module_name(path)
        tree = ast.parse(path.read_text(), str(path))
        for node, kind in _walk(tree, "runtime"):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(source, path.name == "__init__.py", node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in graph.modules else base)
            for name in targets:
                # The nearest module of ours the name stands for (`a.b.C` -> `a.b`).
                target = name
                while target and target not in graph.modules:
                    target = target.rpartition(".")[0]
                if target:
                    graph.imports.append(Import(source, target, kind, node.lineno))
    return graph


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "backend" and len(parts) > 1 and parts[1] in FEATURES:
        return parts[1]
    return None


def layer_of(module: str) -> int:
    """0 infrastructure · 1 a feature's services and tables · 2 GraphQL · 3 pages and the web
    shell · 4 the composition root · 5 the development stack."""
    parts = module.split(".")
    if module.startswith(DEVSTACK):
        return 5
    if module in ROOTS:
        return 4
    if parts[:2] == ["backend", "web"] or (feature_of(module) and "pages" in parts[2:3]):
        return 3
    if parts[:2] == ["backend", "graphql"] or (feature_of(module) and "graphql" in parts[2:3]):
        return 2
    if feature_of(module):
        return 1
    return 0


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    nodes = set(edges) | {t for ts in edges.values() for t in ts}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
    return sorted(found, key=len, reverse=True)


def tables_imports(graph: Graph) -> set[tuple[str, str]]:
    out = set()
    for imp in graph.imports:
        mine, theirs = feature_of(imp.source), feature_of(imp.target)
        if mine and theirs and mine != theirs and imp.target == f"backend.{theirs}.tables":
            out.add((imp.source, imp.target))
    return out


def lib_imports_of_features(graph: Graph) -> set[tuple[str, str]]:
    return {
        (imp.source, imp.target)
        for imp in graph.imports
        if imp.source.startswith("backend.lib")
        and imp.target.startswith("backend.")
        and not imp.target.startswith(("backend.lib", "backend.settings"))
        and (imp.source, imp.target) not in LIB_EXCEPTIONS
    }


def devstack_imports(graph: Graph) -> set[tuple[str, str]]:
    return {
        (imp.source, imp.target)
        for imp in graph.imports
        if imp.target.startswith(DEVSTACK)
        and not imp.source.startswith(DEVSTACK)
        and imp.source not in DEVSTACK_SEAM
    }


def services_importers(graph: Graph) -> set[str]:
    return {
        imp.source
        for imp in graph.imports
        if imp.target == "backend.services" and imp.source not in ROOTS
    }


def upward_imports(graph: Graph) -> list[Import]:
    return [
        imp
        for imp in graph.imports
        if imp.kind != "type"
        and layer_of(imp.source) < layer_of(imp.target)
        and not (imp.source in DEVSTACK_SEAM and imp.target.startswith(DEVSTACK))
    ]


def numbers(graph: Graph) -> dict[str, object]:
    runtime = cycles(graph.edges("runtime", "late"))
    every = cycles(graph.edges("runtime", "late", "type"))
    importers = services_importers(graph)
    runtime_importers = {
        i.source
        for i in graph.imports
        if i.target == "backend.services" and i.kind != "type" and i.source not in ROOTS
    }
    return {
        "modules": len(graph.modules),
        "module-level import cycles": [len(c) for c in cycles(graph.edges("runtime"))],
        "run-time import cycles, late imports too (modules in each)": [len(c) for c in runtime],
        "cycles counting type-only imports too": [len(c) for c in every],
        "in-function (late) imports": sum(1 for i in graph.imports if i.kind == "late"),
        "imports of another feature's tables": len(tables_imports(graph)),
        "importers of backend.services outside the roots (run-time)": (
            f"{len(importers)} ({len(runtime_importers)})"
        ),
        "upward imports (run-time and late)": len(upward_imports(graph)),
        "backend/lib importing a feature": len(lib_imports_of_features(graph)),
        "production modules importing the development stack": len(devstack_imports(graph)),
    }


# --- the tests ---------------------------------------------------------------------------

GRAPH = build_graph()


def test_no_feature_imports_another_features_tables() -> None:
    found = tables_imports(GRAPH)
    assert not found, (
        "A feature imports another feature's tables; ask that feature's service instead "
        "(a function such as `backend.auth.people.get_people`, or "
        f"`backend.lib.db.foreign_key` for a foreign key): {sorted(found)}"
    )


def test_lib_imports_no_feature() -> None:
    assert not lib_imports_of_features(GRAPH)


def test_production_code_does_not_import_the_development_stack() -> None:
    assert not devstack_imports(GRAPH)


def test_importers_of_services_only_shrink() -> None:
    found = services_importers(GRAPH)
    new = found - SERVICES_IMPORTERS
    assert not new, (
        "Only the composition root, the app factory, the worker and the CLI see `Services`; "
        f"take the façade you need as a dependency instead: {sorted(new)}"
    )
    gone = SERVICES_IMPORTERS - found
    assert not gone, f"Remove from SERVICES_IMPORTERS (no longer importing): {sorted(gone)}"


def test_cycles_only_shrink() -> None:
    assert not cycles(GRAPH.edges("runtime")), "A circle of module-level imports"
    runtime = sum(len(c) for c in cycles(GRAPH.edges("runtime", "late")))
    every = sum(len(c) for c in cycles(GRAPH.edges("runtime", "late", "type")))
    assert runtime <= MAX_MODULES_IN_RUNTIME_CYCLES, cycles(GRAPH.edges("runtime", "late"))
    assert every <= MAX_MODULES_IN_ANY_CYCLES
    # Tighten the budgets when a change breaks a cycle, so that it stays broken.
    assert (runtime, every) == (MAX_MODULES_IN_RUNTIME_CYCLES, MAX_MODULES_IN_ANY_CYCLES), (
        f"Cycles shrank: set the budgets to {runtime} and {every}"
    )


def test_upward_imports_only_shrink() -> None:
    found = upward_imports(GRAPH)
    assert len(found) <= MAX_UPWARD_IMPORTS, [f"{i.source} -> {i.target}" for i in found]
    assert len(found) == MAX_UPWARD_IMPORTS, f"Upward imports shrank: the budget is {len(found)}"


def test_the_walk_sees_every_kind_of_import() -> None:
    """The walk itself: a late import, a type-only one and a relative one are told apart."""
    kinds = {(i.source, i.target): i.kind for i in GRAPH.imports}
    assert len(GRAPH.modules) > 300
    assert kinds[("backend.services", "backend.lib.db")] == "runtime"
    assert any(k == "late" for k in kinds.values())
    assert any(k == "type" for k in kinds.values())


if __name__ == "__main__":
    for name, value in numbers(GRAPH).items():
        print(f"{name}: {value}")
    if "-v" in sys.argv:
        for imp in upward_imports(GRAPH):
            print(f"  up: {imp.source} -> {imp.target} ({imp.kind}, line {imp.line})")
        for component in cycles(GRAPH.edges("runtime", "late")):
            print(f"  cycle ({len(component)}): {sorted(component)}")
