"""Real-browser tests: the site served by gunicorn with the demo content, driven in Chromium.

The server runs in its own process on loopback with its own SQLite database and media
folder, built by the same commands a newcomer runs, so the tests meet the site as visitors do.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.ops.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    STARTUP_SECONDS,
    free_port,
    get,
    manage,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EDITOR = {"username": "editor", "password": "editor-password-for-tests"}
ADMIN = {"username": "admin", "password": "admin-password-for-tests"}
MODERATOR = {"username": "moderator", "password": "moderator-password-for-tests"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def answers(url: str) -> bool:
    try:
        return get(url, timeout=1)[0] == 200
    except OSError:  # not listening yet
        return False


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("site")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "ccin.settings.test",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        # The admin's long jobs go to the database queue and the worker below, as in production.
        "CCIN_TASKS_WORKER": "1",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import Group, User;"
        f"User.objects.create_superuser('{ADMIN['username']}', 'admin@example.org',"
        f" '{ADMIN['password']}');"
        f"u = User.objects.create_user('{EDITOR['username']}', 'editor@example.org',"
        f" '{EDITOR['password']}', first_name='Erin', last_name='Editor');"
        "u.groups.add(Group.objects.get(name='Editors'));"
        f"m = User.objects.create_user('{MODERATOR['username']}', 'moderator@example.org',"
        f" '{MODERATOR['password']}', first_name='Mo', last_name='Moderator');"
        "m.groups.add(Group.objects.get(name='Moderators'))",
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ccin.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--backend",
            "background",
            "--queue-name",
            "*",
            "--interval",
            "0.5",
            "--no-reload",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{url}/healthz"), STARTUP_SECONDS, "the test server to start")
        yield url
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def run_axe(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'wcag22a', 'wcag22aa']},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
