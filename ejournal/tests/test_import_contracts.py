"""The import contract (decision 0024): apps import from the foundations up, and no modules import each other.

`lint-imports` checks the layers of apps (`[tool.importlinter]` in pyproject.toml; `make test` runs it). The rings
of modules are found here with grimp, the import graph import-linter is built on. Both are shown failing on a copy
of the tree with a deliberate upward import, an import between independent siblings, an app left out of the
layers, and a ring of two modules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Rings still being broken, each named once here. Each must still be a ring: remove it when it is broken.
KNOWN_RINGS: list[frozenset[str]] = []  # none: a ring that must stay a while is listed here with its reason


def rings(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The sets of modules that import each other, directly or through others (strongly connected, two or more)."""
    found: list[frozenset[str]] = []
    seen: set[str] = set()
    for module in sorted(graph.modules):
        if module in seen:
            continue
        ring = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if ring:
            found.append(frozenset({module, *ring}))
            seen.update(ring)
    return found


def package_rings(package: str = "ejournal") -> list[frozenset[str]]:
    """The rings of `package` as found on `sys.path`, tests included (they are modules too)."""
    return rings(grimp.build_graph(package, cache_dir=None))


def test_no_modules_import_each_other_but_the_known_rings():
    found = package_rings()
    assert [ring for ring in found if ring not in KNOWN_RINGS] == []
    assert [ring for ring in KNOWN_RINGS if ring not in found] == [], "a known ring is broken: remove it here"


def test_rings_are_found_directly_and_through_other_modules():
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.a"), ("p.c", "p.d"), ("p.d", "p.e"), ("p.e", "p.c")]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_import(importer="p.f", imported="p.a")  # imports a ring, is not in it

    assert sorted(rings(graph), key=sorted) == [{"p.a", "p.b"}, {"p.c", "p.d", "p.e"}]


def test_the_tree_keeps_the_layers_contract():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.fixture
def tree(tmp_path):
    """A copy of the package's modules and the contract's configuration, to break on purpose."""
    shutil.copytree(
        ROOT / "ejournal",
        tmp_path / "ejournal",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "templates", "static", "locale", "*.html"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "refusal"),
    [
        # upwards: core is the second layer from the bottom
        ("core/audit.py", "import ejournal.journal.models", "ejournal.core is not allowed to import ejournal.journal"),
        # upwards through another module: the chain is found too
        ("schools/guards.py", "import ejournal.testing", "ejournal.schools is not allowed to import ejournal.testing"),
        # sideways: the diary and the notifications are independent
        (
            "notifications/services.py",
            "import ejournal.diary.selectors",
            "ejournal.notifications is not allowed to import ejournal.diary",
        ),
        # an app that did not take its place in the layers
        ("newapp/__init__.py", "", "ejournal.newapp"),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tree, module, line, refusal):
    path = tree / "ejournal" / module
    path.parent.mkdir(exist_ok=True)
    with path.open("a") as file:
        file.write(f"\n{line}  # deliberate\n")

    result = _lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken" in result.stdout
    assert refusal in result.stdout


def test_a_ring_of_two_modules_in_an_app_is_found(tree):
    timetable = tree / "ejournal" / "timetable"
    (timetable / "ring_a.py").write_text("from ejournal.timetable import ring_b  # noqa: F401\n")
    (timetable / "ring_b.py").write_text("def later():\n    from ejournal.timetable import ring_a  # noqa: F401\n")

    script = (
        "from ejournal.tests.test_import_contracts import package_rings; print(sorted(map(sorted, package_rings())))"
    )
    result = subprocess.run(  # noqa: S603 - a process of its own: this one has imported the real package already
        [sys.executable, "-c", script], cwd=tree, env=_env(tree), capture_output=True, text=True, check=True
    )

    assert "['ejournal.timetable.ring_a', 'ejournal.timetable.ring_b']" in result.stdout


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command on a copy of our tree
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, env=_env(root), capture_output=True, text=True
    )


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root)}
