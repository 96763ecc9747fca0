"""The packages are the steps of the flow, and imports only go down it.

    errors · commands · ketcli  <  data  <  query  <  render  <  curate  <  export  <  api  <  cli · mcp  <  __main__

A module may import its own package and any package below it; never one above it, and
never a sibling at its own level (cli and mcp do not import each other). The API is the one
command layer under both: `Dataset.brief` and `Dataset.export_sqlite` call the builders of
export, so export sits below it. The
graph is read from the `ast` of every module, imports inside functions included (that is
how ketcli defers its heavy imports), and must have no cycle. Imports by computed name
(importlib.import_module of a string) are not seen; the one place that uses one picks a
module of its own package (cli/app.py).

Two imports break the rule on purpose, each inside a function and listed in ALLOWED with
its reason; a test checks that the console script and the other commands never run them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ketcli"

# Rank of each top-level part of ketcli; same rank, different part: a sideways import.
RANKS = {
    "errors": 0, "": 0, "commands": 0,
    "data": 1,
    "query": 2,
    "render": 3,
    "curate": 4,
    "export": 5,
    "api": 6,  # the one command layer: `Dataset.brief` and `export_sqlite` call the builders of export
    "cli": 7, "mcp": 7,
    "__main__": 8,  # `python -m ketcli`: the CLI again
}


# (importing module, imported module) → why the rule allows it. Each is inside a function.
ALLOWED = {
    ("ketcli", "ketcli.api"):
        "`import ketcli` gives the Python API; ketcli/__init__.py re-exports it lazily (PEP 562 "
        "__getattr__), because the console script imports the package too and must not pay for it",
    ("ketcli.cli.serve", "ketcli.mcp"):
        "`ketcli mcp` is a command of the one console script: it hands the process to the MCP "
        "server (a surface of the same rank) once it has checked that the optional extra is installed",
}


def allowed(module: str, target: str) -> bool:
    return any(module == m and (target == t or target.startswith(t + ".")) for m, t in ALLOWED)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["ketcli", *parts])


@functools.cache
def _nodes(text: str) -> tuple[ast.AST, ...]:
    """Every node of a module's source (by its text: the tests' copies of the package parse once)."""
    return tuple(ast.walk(ast.parse(text)))


def imports_of(root: Path, path: Path) -> list[tuple[int, str]]:
    """(line, imported ketcli module) for every import statement in the file."""
    name = module_name(root, path)
    is_package = path.name == "__init__.py"
    found = []
    for node in _nodes(path.read_text(encoding="utf-8")):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from ketcli.render import citations` imports the module ketcli.render.citations
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names
                      if (root.parent / Path(*f"{target}.{alias.name}".split("."))).with_suffix(".py").exists()]
    return [(line, target) for line, target in found if target == "ketcli" or target.startswith("ketcli.")]


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def graph(root: Path) -> dict[str, list[tuple[int, str, Path]]]:
    edges: dict[str, list[tuple[int, str, Path]]] = {}
    for path in sorted(root.rglob("*.py")):
        edges[module_name(root, path)] = [(line, target, path) for line, target in imports_of(root, path)]
    return edges


def wrong_way(root: Path) -> list[str]:
    """Every import that goes up the flow or sideways, as "file:line: a imports b"."""
    problems = []
    for module, targets in graph(root).items():
        here = part(module)
        for line, target, path in targets:
            there = part(target)
            if there == here or allowed(module, target):
                continue
            if there not in RANKS or here not in RANKS:
                problems.append(f"{path.name}:{line}: {module} → {target}: a part of ketcli the rule does not know")
            elif RANKS[there] >= RANKS[here]:
                way = "sideways" if RANKS[there] == RANKS[here] else "up"
                problems.append(f"{path.relative_to(root)}:{line}: {module} imports {target} ({way})")
    return problems


def cycles(root: Path) -> list[list[str]]:
    """Each import cycle found, as the modules around it."""
    g = graph(root)
    # An ALLOWED import runs inside a function, after both modules are loaded: no cycle at import.
    edges = {m: sorted({t for _, t, _ in targets if t in g and not allowed(m, t)} - {m})
             for m, targets in g.items()}
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        for nxt in edges[node]:
            if nxt in trail:
                found.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, trail + [nxt])
        done.add(node)

    for node in edges:
        if node not in done:
            visit(node, [node])
    return found


def test_imports_only_go_down_the_flow():
    assert wrong_way(PACKAGE) == []


def test_every_allowed_exception_is_used_and_inside_a_function():
    for (module, target), _why in ALLOWED.items():
        path = PACKAGE.joinpath(*module.split(".")[1:])
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {node.lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))}
        lines = [line for line, t in imports_of(PACKAGE, path) if allowed(module, t)]
        assert lines, f"{module} no longer imports {target}: drop it from ALLOWED"
        assert not top & set(lines), f"{module} imports {target} at module level"


def test_the_console_script_does_not_import_the_api():
    import subprocess
    import sys

    probe = "import sys, ketcli, ketcli.cli.app; print(sorted(m for m in sys.modules if m.startswith(('ketcli.api', 'ketcli.mcp'))))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_import_cycle():
    assert cycles(PACKAGE) == []


def test_every_package_says_its_job_and_what_it_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80, f"{init.relative_to(PACKAGE)} has no docstring saying its job"
        if init.parent != PACKAGE and init.parent.parent == PACKAGE:
            assert "import" in doc, f"{init.relative_to(PACKAGE)} does not say what it may import"


def test_the_rule_knows_every_part_of_ketcli():
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert parts - {"__init__"} <= set(RANKS)


@pytest.fixture
def tree(tmp_path):
    """A copy of the real package, to break on purpose."""
    import shutil

    root = tmp_path / "ketcli"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize("module, line", [
    ("data/dataset.py", "from ketcli.render.terminal import streams"),       # up
    ("query/queries.py", "    from ketcli.cli.context import load"),        # up, inside a function
    ("render/dispatch.py", "from ketcli.curate import writes"),              # up
    ("data/names.py", "from ..query import results"),                       # up, relative
])
def test_the_check_fails_on_an_upward_import(tree, module, line):
    path = tree / module
    if line.startswith(" "):
        line = "def _added():\n" + line + "\n"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    assert wrong_way(tree), f"adding {line.strip()!r} to {module} went unnoticed"


def test_the_check_fails_on_a_cycle(tree):
    path = tree / "render" / "views.py"
    path.write_text(path.read_text(encoding="utf-8") + "\nfrom ketcli.render import text_formats\n",
                    encoding="utf-8")
    assert cycles(tree)
