"""Case study pages, page-type rules, and the links between case studies and councils."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailPageTestCase

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CaseStudyRelatedPage,
    PolicyLabsIndexPage,
    PolicyProjectPage,
    PublicationIndexPage,
    PublicationPage,
)
from home.models import HomePage, StandardPage
from membership.models import Principle


class TestPageTypeRules(WagtailPageTestCase):
    def test_tree(self):
        self.assertAllowedParentPageTypes(CaseStudyIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CaseStudyIndexPage, {CaseStudyPage})
        self.assertAllowedParentPageTypes(CaseStudyPage, {CaseStudyIndexPage})
        self.assertAllowedSubpageTypes(CaseStudyPage, set())
        self.assertAllowedParentPageTypes(PolicyLabsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PolicyLabsIndexPage, {PolicyProjectPage})
        self.assertAllowedParentPageTypes(PolicyProjectPage, {PolicyLabsIndexPage})
        self.assertAllowedParentPageTypes(PublicationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PublicationIndexPage, {PublicationPage})
        self.assertAllowedParentPageTypes(PublicationPage, {PublicationIndexPage})
        self.assertCanNotCreateAt(StandardPage, CaseStudyPage)

    def test_indexes_are_singletons(self):
        for model in (CaseStudyIndexPage, PolicyLabsIndexPage, PublicationIndexPage):
            assert model.max_count == 1


def test_nation_comes_from_the_lead_council(make_case_study, councils):
    page = make_case_study("Scottish work", lead=councils["inverclyde-council"])
    assert page.nation == "scotland"
    assert page.listing_meta == "Inverclyde Council · 2024"


def test_a_case_study_needs_a_lead(index):
    page = CaseStudyPage(title="No lead", slug="no-lead", year=2024)
    with pytest.raises(ValidationError):
        page.clean()


def test_a_lead_council_cannot_be_deleted_while_it_has_case_studies(make_case_study, councils):
    make_case_study("Protected", lead=councils["camden-council"])
    with pytest.raises(ProtectedError):
        councils["camden-council"].delete()


def test_case_study_page_shows_councils_themes_principles_and_outcomes(client, library):
    page = library["homes"]
    page.outcomes = [("figure", {"figure": "£2,000", "label": "Prototype funding", "source": ""})]
    page.save_revision().publish()
    text = client.get(page.url).content.decode()
    assert "<h1>Co-operative homes</h1>" in text
    assert '<a href="/case-studies/?council=camden-council">Camden Council</a>' in text
    assert '<a href="/case-studies/?council=kirklees-council">Kirklees Council</a>' in text
    assert '<a href="/case-studies/?theme=housing">Housing</a>' in text
    assert "Principles met" in text and "Innovation" in text
    assert "£2,000" in text and "Prototype funding" in text


def test_related_case_studies_are_chosen_else_share_a_theme(client, library):
    homes = library["homes"]
    related = [page.title for page in homes.related_case_studies]
    assert set(related) <= {"Community land trust", "Warm homes and heat networks"}
    assert related
    fresh = CaseStudyPage.objects.get(pk=homes.pk)
    fresh.related_links = [CaseStudyRelatedPage(related=library["youth"])]
    fresh.save_revision().publish()
    fresh = CaseStudyPage.objects.get(pk=homes.pk)
    assert [page.title for page in fresh.related_case_studies] == ["Youth retention research"]


def related_titles(text: str) -> list[str]:
    section = text[text.index('id="related-heading"') :] if 'id="related-heading"' in text else ""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)<', section)


def test_remembered_related_case_studies_follow_publishing(client, library, themes):
    homes = library["homes"]
    assert set(related_titles(client.get(homes.url).content.decode())) <= {
        "Community land trust",
        "Warm homes and heat networks",
    }
    chosen = CaseStudyPage.objects.get(pk=homes.pk)
    chosen.related_links = [CaseStudyRelatedPage(related=library["youth"])]
    chosen.save_revision().publish()
    assert related_titles(client.get(homes.url).content.decode()) == ["Youth retention research"]
    youth = CaseStudyPage.objects.get(pk=library["youth"].pk)
    youth.title = "Young people stay"
    youth.save_revision().publish()
    assert related_titles(client.get(homes.url).content.decode()) == ["Young people stay"]
    youth.unpublish()
    assert related_titles(client.get(homes.url).content.decode()) == []
    # Sharing a theme: a case study newly tagged with housing joins the list.
    solar = library["solar"]
    assert "Co-operative homes" not in related_titles(client.get(solar.url).content.decode())
    homes = CaseStudyPage.objects.get(pk=homes.pk)
    homes.themes = [themes["housing"], themes["net-zero-and-energy"]]
    homes.year = 2027
    homes.save_revision().publish()
    assert "Co-operative homes" in related_titles(client.get(solar.url).content.decode())


def test_a_preview_shows_the_editors_related_choices(client, library):
    homes = CaseStudyPage.objects.get(pk=library["homes"].pk)
    live = related_titles(client.get(homes.url).content.decode())  # remembered
    assert "Youth retention research" not in live
    homes.related_links = [CaseStudyRelatedPage(related=library["youth"])]
    preview = homes.make_preview_request()
    assert related_titles(preview.render().content.decode()) == ["Youth retention research"]
    assert related_titles(client.get(homes.url).content.decode()) == live


def test_detail_page_query_count_is_bounded(client, library, django_assert_max_num_queries):
    url = library["homes"].url
    client.get(url)
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_detail_page_queries_do_not_grow_with_icons_and_card_images(
    client, library, principles, django_assert_max_num_queries
):
    """Principle icons and related cards' images come with their renditions prefetched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = library["homes"].url
    client.get(url)
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    without_images = len(plain)  # read now: the next request empties the query log
    images = [
        get_image_model().objects.create(
            title=f"Image {n}", file=get_test_image_file(filename=f"image-{n}.png")
        )
        for n in range(6)
    ]
    icons = [*principles.values()] + [
        Principle.objects.create(title=title, slug=title.lower(), text=title, sort_order=n)
        for n, title in enumerate(["Learning", "Enterprise"], start=5)
    ]
    for principle, icon in zip(icons, images, strict=False):
        principle.icon = icon
        principle.save()
    homes = CaseStudyPage.objects.get(pk=library["homes"].pk)
    homes.principles = icons
    homes.save_revision().publish()
    for name, image in (("land", images[4]), ("heat", images[5])):
        page = CaseStudyPage.objects.get(pk=library[name].pk)
        page.listing_image = image
        page.save_revision().publish()
    text = client.get(url).content.decode()  # renditions made once, as on a running site
    assert text.count('class="principle-list__icon"') == 4
    assert text.count('class="card__image"') >= 1
    with django_assert_max_num_queries(without_images + 2):  # a prefetch of each kind
        client.get(url)


def test_home_page_features_case_studies(client, library):
    solar = library["solar"]
    solar.featured = True
    solar.save_revision().publish()
    text = client.get("/").content.decode()
    assert "Featured case studies" in text
    section = text[text.index("Featured case studies") :]
    assert section.index("Community solar roofs") < section.index("Young voices in Kirklees")
    assert "Kirklees Council · 2022" in section
    assert 'href="/case-studies/">All case studies' in section


def test_editors_can_open_the_add_and_edit_forms(admin_client, library, councils):
    index = library["homes"].get_parent()
    add = admin_client.get(f"/admin/pages/add/casestudies/casestudypage/{index.pk}/")
    assert add.status_code == 200
    text = add.content.decode()
    for label in ("Lead council", "Participating councils", "Themes", "Principles", "Outcomes"):
        assert label in text
    edit = admin_client.get(f"/admin/pages/{library['homes'].pk}/edit/")
    assert edit.status_code == 200
    assert admin_client.get("/admin/snippets/casestudies/theme/").status_code == 200


def test_editors_can_add_policy_projects_and_publications(admin_client, home_page):
    labs = PolicyLabsIndexPage(title="Policy labs", slug="policy-labs")
    home_page.add_child(instance=labs)
    publications = PublicationIndexPage(title="Publications", slug="publications")
    home_page.add_child(instance=publications)
    url = f"/admin/pages/add/casestudies/policyprojectpage/{labs.pk}/"
    assert admin_client.get(url).status_code == 200
    url = f"/admin/pages/add/casestudies/publicationpage/{publications.pk}/"
    assert admin_client.get(url).status_code == 200


def test_editor_creates_a_case_study_and_its_nation_follows_the_council(
    admin_client, index, councils, themes, principles
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = nested_form_data(
        {
            "title": "Participatory budgeting",
            "slug": "participatory-budgeting",
            "summary": "Residents decide how part of the budget is spent.",
            "body": streamfield([]),
            "outcomes": streamfield([]),
            "documents": streamfield([]),
            "lead_council": councils["inverclyde-council"].pk,
            "other_organisations": "",
            "status": "ongoing",
            "year": 2025,
            "nation": "",
            "tags": "participatory budgeting",
            "related_links": inline_formset([]),
            "action-publish": "publish",
        }
    )
    # Several-valued fields go in as lists (nested_form_data would number them).
    data["participating_councils"] = [councils["camden-council"].pk]
    data["themes"] = [themes["young-people"].pk]
    data["principles"] = [principles["co-production"].pk]
    response = admin_client.post(f"/admin/pages/add/casestudies/casestudypage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CaseStudyPage.objects.get(slug="participatory-budgeting")
    assert page.live and page.nation == "scotland"
    assert [t.slug for t in page.themes.all()] == ["young-people"]
    assert [c.slug for c in page.participating_councils.all()] == ["camden-council"]


def test_without_a_lead_the_nation_comes_from_the_participating_councils(make_case_study, councils):
    page = make_case_study("Scottish partners", participants=[councils["inverclyde-council"]])
    assert page.nation == "scotland"
    mixed = make_case_study(
        "Across the border",
        participants=[councils["inverclyde-council"], councils["camden-council"]],
        nation="wales",
    )
    assert mixed.nation == "wales"  # the councils disagree, so the editor's choice stands
