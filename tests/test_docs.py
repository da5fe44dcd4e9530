"""The README and docs/ point only at things that exist.

- every relative markdown link resolves to a file or folder (and its #anchor to a heading);
- every backticked repository path (`security/headers.py`, `templates/503.html`,
  `static/js/*.js`, `tests/browser/`) exists;
- every backticked dotted name under one of the site's apps resolves: a module
  (`ccin.settings.dev`), something in one (`caching.versions.remember`) or a model label
  (`news.NewsPage`);
- every page in docs/ is listed in the README.

Fenced code blocks are examples (shell sessions, API answers) and are not checked.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_IDS = [str(doc.relative_to(ROOT)) for doc in DOCS]

# The site's own apps (ccin/settings/base.py INSTALLED_APPS) and the project package.
SITE_PACKAGES = (
    "ccin",
    "security",
    "caching",
    "home",
    "search",
    "operations",
    "editorial",
    "membership",
    "news",
    "casestudies",
    "api",
    "demo",
)
# A path whose last part ends like this is a file of the repository wherever it starts.
FILE_SUFFIXES = (
    ".py",
    ".html",
    ".md",
    ".csv",
    ".txt",
    ".toml",
    ".yaml",
    ".yml",
    ".json",
    ".js",
    ".css",
)
TOP_LEVEL = {entry.name for entry in ROOT.iterdir() if entry.is_dir()} - {".git"}

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Plain path characters only: placeholders (<app>, …), URLs and commands are not paths.
PATH_LIKE = re.compile(r"^[\w.-]+(?:/[\w.*-]+)*/?$")
DOTTED = re.compile(r"^(?:" + "|".join(SITE_PACKAGES) + r")(?:\.\w+)+$")


def prose(path: Path) -> str:
    """The document without its fenced code blocks."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def code_spans(path: Path) -> list[str]:
    return [" ".join(span.split()) for _ticks, span in CODE_SPAN.findall(prose(path))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(prose(path)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def repository_paths(path: Path) -> list[str]:
    """Backticked spans that name a file or folder of this repository."""
    paths = []
    for span in code_spans(path):
        if "/" not in span or span.startswith(("/", "..")) or not PATH_LIKE.match(span):
            continue
        first = span.split("/", 1)[0]
        if first in TOP_LEVEL or span.rstrip("/").endswith(FILE_SUFFIXES):
            paths.append(span)
    return paths


def resolves(name: str) -> bool:
    """A module, an attribute of one, or an app_label.Model label."""
    parts = name.split(".")
    if len(parts) == 2 and parts[1][:1].isupper():
        try:
            apps.get_model(name)
        except LookupError:
            pass
        else:
            return True
    # The longest leading part that is a module; find_spec does not run the module itself
    # (ccin.settings.production refuses to import without SECRET_KEY).
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        if cut == len(parts):
            return True
        target = importlib.import_module(module_name)
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_docs_are_found():
    assert (ROOT / "README.md") in DOCS
    assert (ROOT / "docs" / "architecture.md") in DOCS


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_relative_links_resolve(doc: Path):
    broken = []
    for target in LINK.findall(prose(doc)):
        if SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert not broken, f"{doc.name} links to what does not exist: {broken}"


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_backticked_paths_exist(doc: Path):
    missing = []
    for name in repository_paths(doc):
        if "*" in name:
            if not list(ROOT.glob(name)):
                missing.append(name)
        elif not (ROOT / name).exists():
            missing.append(name)
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_backticked_dotted_names_resolve(doc: Path):
    names = {re.sub(r"\(.*\)$", "", span) for span in code_spans(doc)}
    missing = sorted(name for name in names if DOTTED.match(name) and not resolves(name))
    assert not missing, f"{doc.name} names modules or objects that do not exist: {missing}"


def test_readme_lists_every_doc():
    listed = {
        (ROOT / target.partition("#")[0]).resolve()
        for target in LINK.findall(prose(ROOT / "README.md"))
        if not SCHEME.match(target)
    }
    unlisted = [doc.name for doc in DOCS[1:] if doc.resolve() not in listed]
    assert not unlisted, f"README.md does not list {unlisted}"


def test_the_checks_see_paths_and_names():
    """The patterns find what they are meant to (a guard against a regex that matches nothing)."""
    security = ROOT / "docs" / "security.md"
    assert "security/sanitise.py" in repository_paths(security)
    assert "static/js/*.js" in repository_paths(security)
    assert "security.client.client_ip" in code_spans(security)
    assert not resolves("security.headers.client_ip")
    assert resolves("news.NewsPage")
    assert "the-scheduler-embargoes" in anchors(ROOT / "docs" / "operations.md")
