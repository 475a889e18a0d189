"""The packages import one way, downward: read from every .py file's own `import` statements.

Every import counts, wherever it stands: at the top, inside a function (imported late to start
quicker), or under `if TYPE_CHECKING:`. Relative imports stay inside their package. Only the
project's own packages and Streamlit are looked at; tests/ and bench/ sit above everything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

# The architecture, lowest first. A module may import from its own package or from a layer below
# it; never from a layer above, nor from another package of its own layer. db/ is the library under
# everything (models, queries, writes, migrations); the command line and the app's screens are on top.
LAYERS: list[tuple[str, ...]] = [
    ("db",),
    ("i18n",),
    ("charts",),
    ("content",),
    ("reports",),
    ("ui",),
    ("pages", "dashboard", "cli"),
]
LAYER_OF = {package: level for level, packages in enumerate(LAYERS) for package in packages}
# Above the packages, or not part of the app at all.
NOT_PACKAGES = {"tests", "bench", "docs", "assets"}

# Streamlit belongs to the screens: everything below ui/ (the deck model, the charts, the files)
# is computed the same way for the app, the command line and the tests.
STREAMLIT_FROM = LAYER_OF["ui"]


def _package_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _source_files() -> Iterator[Path]:
    for package in sorted(LAYER_OF):
        single = ROOT / f"{package}.py"
        if single.is_file():
            yield single
        folder = ROOT / package
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every absolute import in the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _edges() -> list[tuple[str, int, str, str]]:
    """(file, line, its package, imported top-level name) for every import of a project package or Streamlit."""
    edges = []
    for path in _source_files():
        own = _package_of(path)
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top != own and (top in LAYER_OF or top == "streamlit"):
                edges.append((path.relative_to(ROOT).as_posix(), line, own, top))
    return edges


def test_every_package_has_a_place_in_the_layers() -> None:
    """A new package must be put in LAYERS, so that its imports are checked too."""
    folders = {
        entry.name
        for entry in ROOT.iterdir()
        if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".") and any(entry.rglob("*.py"))
    }
    assert folders - NOT_PACKAGES - set(LAYER_OF) == set()


def test_db_imports_nothing_above_it() -> None:
    """db/ is a library: no command line, screens, reports, texts, charts or Streamlit.

    `python -m db` hands over to `python -m cli` with runpy, by the module's name, which is not an import.
    """
    upward = [f"{file}:{line} imports {top}" for file, line, own, top in _edges() if own == "db"]
    assert upward == []


def test_nothing_imports_the_command_line() -> None:
    importers = [f"{file}:{line}" for file, line, own, top in _edges() if top == "cli"]
    assert importers == []


def test_every_import_goes_down_the_layers() -> None:
    wrong = [
        f"{file}:{line}: {own} (layer {LAYER_OF[own]}) imports {top} (layer {LAYER_OF[top]})"
        for file, line, own, top in _edges()
        if top in LAYER_OF and LAYER_OF[top] >= LAYER_OF[own]
    ]
    assert wrong == []


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {package: set() for package in LAYER_OF}
    for _file, _line, own, top in _edges():
        if top in LAYER_OF:
            graph[own].add(top)
    cycles = []
    for start in graph:
        # Depth first from each package: a path that comes back to it is a cycle.
        stack = [(start, [start])]
        while stack:
            package, path = stack.pop()
            for imported in graph[package]:
                if imported == start:
                    cycles.append(" → ".join([*path, start]))
                elif imported not in path:
                    stack.append((imported, [*path, imported]))
    assert cycles == []


def test_only_the_screens_use_streamlit() -> None:
    users = [
        f"{file}:{line}" for file, line, own, top in _edges() if top == "streamlit" and LAYER_OF[own] < STREAMLIT_FROM
    ]
    assert users == []
