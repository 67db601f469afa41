"""The shape of the code: the core never imports a platform SDK, and no module imports itself
back through others (counting imports inside functions, which only hide a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

ROOT = Path(bot.__file__).parent
ADAPTERS = ("slack", "teams")
# The composition roots: they build the adapters and the server, so they may import both. The
# `scrbot` commands (bot.cli) are core: they reach the platforms only through bot.server.
WIRING = ("bot.server", "bot.doctor")
PLATFORM_SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "microsoft_agents", "botframework")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in ROOT.rglob("*.py")}


def core_modules() -> dict[str, Path]:
    return {
        name: path
        for name, path in modules().items()
        if name not in WIRING and name.split(".")[1:2] not in ([a] for a in ADAPTERS)
    }


def test_no_core_module_imports_a_platform_sdk():
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in core_modules().items()
        for imported in imports(path)
        if imported.split(".")[0] in PLATFORM_SDKS
    )
    assert offenders == []


def test_no_core_module_imports_an_adapter():
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in core_modules().items()
        for imported in imports(path)
        if imported.split(".")[:2] in (["bot", a] for a in ADAPTERS)
    )
    assert offenders == []


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imports(path) if m in known and m != name} for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_cycles():
    # A package's __init__ importing its own modules is how packages work, not a cycle.
    graph = {
        name: {m for m in targets if not (name == m.rpartition(".")[0] and modules()[name].name == "__init__.py")}
        for name, targets in import_graph().items()
    }
    assert cycles(graph) == []
