"""The package's import graph, read from the source (ast): no module imports one that imports it back, so
each folder reads top-down (in ``i18n/markdown/``: models and small helpers ← flavours ← parser ← walk ←
page), and no import inside a function hides a circle. The imports kept inside functions in
``i18n/markdown/`` are the start-up exceptions its package docstring lists.

The registries (flavours, engines) load their modules by name when one is first used, after both sides
are initialised; a flavour's module importing the registry's ``Flavour`` is the plug-in's shape, not a
circle, so those loads are no edges here."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "i18n"

# Circles that their folder's owner has yet to untie (an import inside a function holds each apart): none
# left (importer and migrate share their reports through jobs/import_report.py); not to grow.
KNOWN_CYCLES: list[list[str]] = []

# Imports inside functions in i18n/markdown/ (module → what it imports there): the start-up exceptions
# listed in i18n/markdown/__init__.py's docstring.
MARKDOWN_LAZY = {
    "i18n.markdown": {"i18n.markdown.page"},
    "i18n.markdown.kind": {"i18n.markdown.page"},
    "i18n.markdown.autolink": {"linkify_it"},
    "i18n.markdown.flavours.hugo_site": {"yaml"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, bool]]:
    """What ``name`` imports when it runs (not under ``if TYPE_CHECKING``): (module, inside a function)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other, in_function)
            elif isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                for alias in child.names:
                    sub = f"{target}.{alias.name}"
                    found.append((sub if sub in modules else target, in_function))
            else:
                visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {
        name: {target for target, _ in _imports(name, path, modules) if target in modules and target != name}
        for name, path in modules.items()
    }
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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
            strong(node)
    return sorted(found)


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles(_graph()) == KNOWN_CYCLES


def test_the_cycle_finder_sees_an_import_inside_a_function_and_skips_type_checking(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    modules = {"i18n.x": tmp_path / "x.py", "i18n.y": tmp_path / "y.py", "i18n.z": tmp_path / "z.py"}
    path = tmp_path / "x.py"
    path.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .z import T\n"
        "def f():\n    from .y import g\n",
        encoding="utf-8",
    )
    assert _imports("i18n.x", path, modules) == [("typing", False), ("i18n.y", True)]


def test_the_markdown_folder_reads_top_down() -> None:
    """Flavours import neither the parser, the walk nor the page; the parser not the walk; the walk not
    the page (a module below may import a module above, never the reverse)."""
    graph = _graph()
    order = ["i18n.markdown.flavours", "i18n.markdown.parser", "i18n.markdown.walk", "i18n.markdown.page"]
    flavour_modules = {m for m in graph if m.startswith("i18n.markdown.flavours.")}
    for position, layer in enumerate(order):
        upper = set(order[position + 1 :])
        members = {layer} | (flavour_modules if layer == "i18n.markdown.flavours" else set())
        for member in members:
            assert not graph[member] & upper, f"{member} imports {sorted(graph[member] & upper)}"


def test_imports_inside_functions_in_markdown_are_the_listed_start_up_exceptions() -> None:
    modules = _modules()
    lazy: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name.startswith("i18n.markdown"):
            for target, in_function in _imports(name, path, modules):
                if in_function:
                    lazy.setdefault(name, set()).add(target)
    assert lazy == MARKDOWN_LAZY
    listed = (PACKAGE / "markdown" / "__init__.py").read_text(encoding="utf-8")
    for name in MARKDOWN_LAZY:
        assert f":mod:`{name.removeprefix('i18n.markdown')}" in listed or name == "i18n.markdown", name


def test_every_markdown_module_imports_first_in_a_fresh_interpreter() -> None:
    """Each module imported first, with nothing of the package loaded before it: a circle shows as an
    ImportError for some module's first import even when the usual order hides it."""
    names = sorted(m for m in _modules() if m.startswith("i18n.markdown"))
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'i18n' or m.startswith('i18n.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
