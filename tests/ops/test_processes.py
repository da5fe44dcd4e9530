"""Several processes, one database, no Redis: each gunicorn worker keeps its own memory cache,
and a change committed by any other process (a second worker, another server, the
scheduler, a shell) reaches all of them."""

import pytest

from .servers import get, manage, production_env, start_gunicorn, stop, wait_for

SETTLE_SECONDS = 15  # far above CCIN_CONTENT_VERSION_SECONDS; the loop ends when it holds


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site on a SQLite file, served by gunicorn (2 workers) under production
    settings without REDIS_URL: the embedded default a small deployment runs."""
    folder = tmp_path_factory.mktemp("processes")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        REDIS_URL="",
        CCIN_PAGE_CACHE_SECONDS="3600",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content")
    manage(env, "collectstatic", "--noinput", "-v0")
    process, url = start_gunicorn(env, workers=2)
    yield env, url
    stop(process)


def every_answer(url: str, times: int = 12) -> list[tuple[int, str, str]]:
    """Enough requests that both workers answer some (status, cache header, body)."""
    answers = []
    for _ in range(times):
        status, headers, body = get(url)
        answers.append((status, headers.get("X-Page-Cache", ""), body))
    return answers


def test_a_change_made_in_another_process_reaches_every_worker(site):
    env, url = site
    article = "/news/statement-2026-local-elections/"
    before = every_answer(url + article)
    assert {status for status, _, _ in before} == {200}
    assert any(cache == "hit" for _, cache, _ in before)  # the workers are caching it
    assert any(cache == "hit" for _, cache, _ in every_answer(url + "/news/"))

    # Another process (as the scheduler or a second server would) withdraws the article.
    manage(
        env,
        "shell",
        "-c",
        "from news.models import NewsPage; "
        "NewsPage.objects.get(slug='statement-2026-local-elections').unpublish()",
    )

    wait_for(
        lambda: {s for s, _, _ in every_answer(url + article)} == {404},
        SETTLE_SECONDS,
        "every worker to drop the article",
    )
    wait_for(
        lambda: all(
            "statement-2026-local-elections" not in body
            for _, _, body in every_answer(url + "/news/")
        ),
        SETTLE_SECONDS,
        "every worker's listing to drop it",
    )
    feed = get(url + "/news/feed/")[2]
    assert "statement-2026-local-elections" not in feed
