"""The floor plan holds: each app imports only the layers below it, and nothing hides a cycle.

docs/architecture.md explains the layers. This reads the source (no imports run), so a new
upward import, a cycle between apps, or an import tucked inside a function to dodge one fails
here with the file and line to look at.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. An app may import any app in a lower layer, none in its own or a higher one.
LAYERS = [
    ["security"],
    ["caching"],
    ["home"],
    ["search", "operations", "editorial", "alerts"],
    ["membership", "news"],
    ["casestudies"],
    ["api", "demo", "wordpress"],
    ["ccin"],
]
LAYER = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

# Imports inside a function, each with the reason it cannot be at the top of its module.
# Keyed by (importing module, imported module).
ALLOWED_LOCAL_IMPORTS = {
    ("caching.apps", "caching.page_cache"): "AppConfig.ready connects signals once apps load",
    ("caching.apps", "caching.restrictions"): "AppConfig.ready patches .public() once apps load",
    ("caching.apps", "caching.routing"): "AppConfig.ready patches Site.get_site_root_paths",
    ("security.apps", "security.sanitise"): "AppConfig.ready connects pre_save once apps load",
    ("security.apps", "security.checks"): "AppConfig.ready registers the system checks",
    ("editorial.apps", "editorial.date_input"): "AppConfig.ready configures the admin date widgets",
    ("alerts.apps", "alerts.signals"): "AppConfig.ready connects page_published once apps load",
    ("security.apps", "django.db.models.signals"): "kept beside the connect it serves",
    ("caching.page_cache", "wagtail.contrib.frontend_cache.utils"): (
        "an optional app, installed only when a CDN is configured"
    ),
    ("search.ranking", "modelsearch.backends.database.sqlite.sqlite"): (
        "the SQLite FTS5 backend fails to import where SQLite lacks FTS5 (PostgreSQL sites)"
    ),
    ("search.ranking", "modelsearch.backends.database.sqlite.query"): "as above",
    ("search.ranking", "modelsearch.query"): "as above",
    ("demo.casestudies", "PIL"): "Pillow only when the volume generator draws images",
    ("wordpress.apps", "wordpress.indexing"): "AppConfig.ready wraps Wagtail's indexing tasks",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (or module.name)
    line: int
    local: bool  # inside a function

    @property
    def where(self) -> str:
        return f"{self.module.replace('.', '/')}.py:{self.line}"


def modules() -> dict[str, Path]:
    found = {}
    for app in LAYER:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path) -> list[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for annotations only; never run
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(name, a.name, child.lineno, inner) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                found.extend(
                    Import(name, f"{base}.{a.name}", child.lineno, inner) for a in child.names
                )
            visit(child, inner)

    visit(ast.parse(path.read_text()), False)
    return found


ALL = {name: imports(name, path) for name, path in modules().items()}


def app_of(target: str) -> str | None:
    top = target.split(".")[0]
    return top if top in LAYER else None


def test_no_app_imports_its_own_layer_or_above():
    wrong = [
        f"{imp.where}: {imp.module} imports {imp.target}"
        for found in ALL.values()
        for imp in found
        if (target_app := app_of(imp.target))
        and target_app != app_of(imp.module)
        and LAYER[target_app] >= LAYER[app_of(imp.module)]
    ]
    assert not wrong, "Upward or sideways imports (docs/architecture.md):\n" + "\n".join(wrong)


def test_imports_inside_functions_are_on_the_list_with_a_reason():
    unlisted = []
    for found in ALL.values():
        for imp in found:
            if not imp.local:
                continue
            target = imp.target
            while target and (imp.module, target) not in ALLOWED_LOCAL_IMPORTS:
                target = target.rpartition(".")[0]
            if not target:
                unlisted.append(f"{imp.where}: {imp.target}")
    assert not unlisted, (
        "Imports inside functions hide cycles; move them to the top of the module, or add "
        "them to ALLOWED_LOCAL_IMPORTS with the reason:\n" + "\n".join(unlisted)
    )


def test_the_allowed_list_has_nothing_stale():
    used = {
        (imp.module, prefix)
        for found in ALL.values()
        for imp in found
        if imp.local
        for prefix in [imp.target[:i] for i in range(len(imp.target) + 1)]
    }
    stale = [key for key in ALLOWED_LOCAL_IMPORTS if key not in used]
    assert not stale, f"No longer imported inside a function; drop them from the list: {stale}"


def test_no_import_cycle_between_modules():
    graph = {
        name: {t for imp in found if (t := resolve(imp.target)) and t != name}
        for name, found in ALL.items()
    }
    cycle = find_cycle(graph)
    assert cycle is None, "Import cycle: " + " -> ".join(cycle or [])


def resolve(target: str) -> str | None:
    """The first-party module an import names (``pkg.mod.Name`` is ``pkg.mod``)."""
    while target and target not in ALL:
        target = target.rpartition(".")[0]
    return target or None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert find_cycle(graph) == expected


def test_the_layer_check_sees_an_upward_import(tmp_path):
    """The checker itself works: ``from news.models import X`` in home would be reported."""
    source = tmp_path / "models.py"
    source.write_text("def f():\n    from news.models import NewsPage\n")
    (found,) = imports("home.models", source)
    assert found.local and found.target == "news.models.NewsPage"
    assert LAYER[app_of(found.target)] > LAYER["home"]
