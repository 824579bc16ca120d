"""Imports go one way (ARCHITECTURE.md): every module of service/ and schemas/ may import its
own layer, lower layers, the standard library and third-party packages; nothing higher.

The rule table is ``LAYERS``, lowest first; a module belongs to the layer of the longest
prefix that names it (a package's own ``__init__`` is named ``package.__init__``). An import
inside a function counts like one at the top: it is the same dependency, only deferred.
Imports under ``if TYPE_CHECKING:`` do not count (they do not run). The base modules
(text, config, logs) import no Parley module at all. ``ALLOWED`` lists deliberate
exceptions, each with its reason; it is empty.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGES = ("service", "schemas")
BASE = 0  # imports only the standard library and third-party packages
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("service.text", "service.config", "service.logs", "service.allocator")),
    ("model", ("service.model",)),
    (
        "fixture schemas",
        ("schemas.__init__", "schemas.fixtures", "schemas.compiled", "schemas.codegen"),
    ),
    ("loading", ("service.loading",)),
    ("dataset", ("service.record", "service.dataset", "service.convergence")),
    (
        "API schemas",
        (
            "schemas.api",
            "schemas.resources",
            "schemas.views",
            "schemas.health",
            "schemas.dumping",
            "schemas.convergence",
            "schemas.pages",
        ),
    ),
    (
        "HTTP and exports",
        (
            "service.exports",
            "service.api",
            "service.web",
            "service.http",
            "service.restapi",
            "service.replay",
            "service.jsonio",
            "service.state",
            "service.security",
        ),
    ),
    (
        "app",
        (
            "service.app",
            "service.cli",
            "service.gunicorn_conf",
            "service.worker",
            "service.commands",
            "service.editors",
            "service.__init__",
        ),
    ),
]
# base modules may not import even each other: config and logs stand alone, text too
STANDALONE = {"service.text", "service.config", "service.logs", "service.allocator"}
ALLOWED: dict[tuple[str, str], str] = {}  # (importer, imported) → why


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
}


def layer_of(module: str) -> int | None:
    """The index in LAYERS of ``module``'s layer, by the longest prefix; None if outside."""
    if module in PACKAGES:
        module += ".__init__"
    best, found = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    return found


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports(module: str, source: str) -> list[tuple[int, str]]:
    """(line, module imported) for every import of service/ or schemas/ in ``source``."""
    found: list[tuple[int, str]] = []
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, up level - 1
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from service import config` imports the module service.config
                child = f"{base}.{alias.name}"
                found.append((node.lineno, child if child in MODULES else base))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return [(line, name) for line, name in found if name.split(".")[0] in PACKAGES]


def violations(module: str, source: str) -> list[str]:
    """Each import of ``module`` against the direction, as ``file:line: message``."""
    here = layer_of(module)
    where = f"{MODULES[module].relative_to(ROOT)}" if module in MODULES else module
    found = []
    for line, imported in imports(module, source):
        there = layer_of(imported)
        if (module, imported) in ALLOWED or imported == module:
            continue
        if there is None:
            problem = "is in no layer of tests/unit/test_layers.py"
        elif there > here:
            problem = f"is in layer '{LAYERS[there][0]}', above '{LAYERS[here][0]}'"
        elif module in STANDALONE and there == BASE:
            problem = "is another base module; base modules import no Parley module"
        else:
            continue
        found.append(f"{where}:{line}: {module} imports {imported}, which {problem}")
    return found


def test_every_module_is_in_a_layer():
    assert [module for module in MODULES if layer_of(module) is None] == []


def test_imports_follow_the_layers():
    found = [
        problem
        for module, path in MODULES.items()
        for problem in violations(module, path.read_text("utf-8"))
    ]
    assert not found, "imports against the direction:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("service.model", "from service.dataset import Dataset\n", "layer 'dataset'"),
        ("service.model", "def f():\n    import flask, service.app\n", "layer 'app'"),
        ("service.config", "from service import logs\n", "another base module"),
        ("service.loading.load", "from .. import http\n", "layer 'HTTP and exports'"),
        ("service.dataset", "if TYPE_CHECKING:\n    from service.app import x\n", None),
        ("service.app", "from service.model import Stance\nimport orjson\n", None),
    ],
    ids=["upward", "lazy-upward", "base-to-base", "relative-upward", "type-only", "downward"],
)
def test_the_checker_finds_what_it_should(module, source, expected):
    found = violations(module, source)
    if expected is None:
        assert found == []
    else:
        [problem] = found
        assert expected in problem and problem.startswith(str(MODULES[module].relative_to(ROOT)))
