"""`load_demo_content --volume --volume-scale N`: N times the generated benchmark content."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casestudies.models import CaseStudyPage
from demo.casestudies import GENERATED_COUNT
from demo.volume import MEMBER_COUNT, NEWS_COUNT
from membership.models import MemberCouncil
from news.models import NewsPage


def generated() -> tuple[int, int, int]:
    """(case studies, articles, member records) the volume generator made."""
    return (
        CaseStudyPage.objects.live().filter(slug__startswith="generated-case-study-").count(),
        NewsPage.objects.live().filter(slug__startswith="generated-article-").count(),
        MemberCouncil.objects.filter(slug__startswith="generated-member-").count(),
    )


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seed_loaded(module_atomic):
    load()


@pytest.fixture
def seed(_seed_loaded, db):
    """The seed content without generated volume; what a test adds is rolled back."""


def test_the_scale_multiplies_every_generated_count(seed, client):
    assert generated() == (0, 0, 0)
    load("--volume", "--volume-scale", "0.02")
    small = (round(GENERATED_COUNT * 0.02), round(NEWS_COUNT * 0.02), round(MEMBER_COUNT * 0.02))
    assert generated() == small == (12, 20, 2)
    # Twice the scale on the same database adds the difference, and again adds nothing.
    load("--volume", "--volume-scale", "0.04")
    assert generated() == tuple(2 * n for n in small)
    load("--volume", "--volume-scale", "0.04")
    assert generated() == tuple(2 * n for n in small)
    # The generated content is served like the rest.
    assert client.get("/news/").status_code == 200
    assert client.get("/case-studies/generated-case-study-024/").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--volume", "--volume-scale", "0"), "positive"),
        (("--volume", "--volume-scale", "-2"), "positive"),
        (("--volume", "--volume-scale", "nan"), "positive"),
        (("--volume", "--volume-scale", "inf"), "positive"),
        (("--volume-scale", "10"), "needs --volume"),
    ],
)
def test_a_bad_scale_is_refused_before_anything_is_written(seed, args, message):
    with pytest.raises(CommandError, match=message):
        load(*args)
    assert generated() == (0, 0, 0)
