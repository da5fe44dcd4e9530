"""Members named in the old site's content, however WordPress wrote the name: "&amp;" for
"&", "Telford and Wrekin" for "Telford & Wrekin", "Kirklees: …" titles, possessives."""

import pytest

from casestudies.models import CaseStudyPage
from membership.models import MemberCouncil
from wordpress import mapping
from wordpress.importer import Importer
from wordpress.wxr import parse

from .wxr_builder import SITE, Post, export


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Telford &amp; Wrekin: solar", "telford and wrekin solar"),
        ("Kirklees Council’s plan", "kirklees council s plan"),
        ("Stoke-on-Trent City Council", "stoke on trent city council"),
        ("<p>Oldham</p>", "p oldham p"),
    ],
)
def test_names_are_compared_without_entities_punctuation_or_case(text, key):
    assert mapping.name_key(text) == key


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Kirklees Council", "kirklees"),
        ("London Borough of Lambeth", "lambeth"),
        ("City and County of Swansea Council", "swansea"),
        ("Telford & Wrekin Council", "telford and wrekin"),
        ("Royal Borough of Kingston upon Thames", "kingston upon thames"),
        ("Brighton and Hove City Council", "brighton and hove"),
    ],
)
def test_a_council_s_stem_keeps_the_words_inside_its_name(name, stem):
    assert mapping.stem_key(name) == stem


@pytest.mark.parametrize(
    ("text", "council"),
    [
        ("Working with Telford &amp; Wrekin Council on energy", "Telford & Wrekin Council"),
        ("Brighton & Hove City Council leads", "Brighton & Hove City Council"),
        ("The Leader of Kirklees Council said", "Kirklees Council"),
        ("Our Council leads", ""),
    ],
)
def test_the_lead_of_a_case_study_by_a_council_that_is_not_a_member(text, council):
    assert mapping.council_named(text) == council


def study(wp_id: int, title: str, content: str) -> Post:
    slug = f"study-{wp_id}"
    return Post(
        wp_id, title, post_type="case-study", slug=slug, link=f"{SITE}/case-study/{slug}/",
        content=content,
    )  # fmt: skip


@pytest.mark.django_db
def test_members_are_found_by_stem_in_a_title_and_by_name_in_the_text(home_page):
    from casestudies.models import CaseStudyIndexPage

    index = CaseStudyIndexPage(title="Case studies", slug="case-studies")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    telford = MemberCouncil.objects.create(name="Telford & Wrekin Council", slug="telford")
    kirklees = MemberCouncil.objects.create(name="Kirklees Council", slug="kirklees")
    swansea = MemberCouncil.objects.create(name="City and County of Swansea Council", slug="sw")

    report = Importer(
        parse(
            export(
                study(1, "Kirklees: community energy", "<p>Solar on schools.</p>"),
                study(2, "Food hubs", "<p>Telford &amp; Wrekin Council’s food hubs.</p>"),
                study(3, "Telford and Wrekin: housing", "<p>With Swansea's help.</p>"),
            )
        ),
        None,
        publish=True,
    ).run_import()

    assert not report.failed, report.failed
    lead = {page.slug: page.lead_council for page in CaseStudyPage.objects.all()}
    assert lead == {"study-1": kirklees, "study-2": telford, "study-3": telford}
    assert swansea not in CaseStudyPage.objects.get(slug="study-3").participating_councils.all()
