"""The demo's data files: each loads, every record reaches the site, a bad record is named."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from wagtail.models import Page, Site

from casestudies.models import CaseStudyPage, PolicyProjectPage, PublicationPage, Theme
from demo import casestudies
from demo.records import DATA, DemoDataError, read
from demo.shapes import FILES
from home.models import HomePage, SiteSettings
from membership.models import DPSSupplier, MemberCouncil, Principle, Tier
from news.models import NewsCategory, NewsPage


def test_every_data_file_has_a_shape_and_loads():
    assert {path.name for path in DATA.glob("*.toml")} == set(FILES)
    for name in FILES:
        assert read(name), name


# What each file's records become on the demo site ---------------------------------------


def site_records():
    data = read("site.toml")
    home = HomePage.objects.get()
    assert (home.title, home.seo_title) == (data["home"]["title"], data["home"]["seo_title"])
    for page in data["page"]:
        assert home.get_children().get(slug=page["slug"]).title == page["title"]
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    figures = data["settings"]
    for field in ("full_members", "associate_members", "affiliates", "supporters"):
        assert getattr(settings, field) == figures[field], field
    assert settings.citizens_served == figures["citizens_served"]
    assert settings.combined_budget == Decimal(figures["combined_budget"])
    assert settings.figures_as_of == figures["figures_as_of"]
    assert settings.about_boilerplate == figures["about_boilerplate"]
    assert settings.accessibility_statement.slug == figures["accessibility_statement"]


def member_records():
    for member in read("members.toml")["member"]:
        council = MemberCouncil.objects.get(slug=slugify(member["name"]))
        assert (council.name, council.tier) == (member["name"], Tier.FULL)
        assert council.nation == member.get("nation", "england")
        assert council.kind == member.get("kind", "council")


def principle_records():
    titles = [principle["title"] for principle in read("principles.toml")["principle"]]
    assert list(Principle.objects.order_by("sort_order").values_list("title", flat=True)) == titles


def supplier_records():
    names = {supplier["name"] for supplier in read("suppliers.toml")["supplier"]}
    assert set(DPSSupplier.objects.values_list("name", flat=True)) == names


def membership_page_records():
    for slug, page in read("membership_pages.toml").items():
        assert Page.objects.get(slug=slug).title == page["title"]


def news_records():
    data = read("news.toml")
    index = Page.objects.get(slug="news")
    assert index.title == data["index"]["title"]
    for category in data["category"]:
        assert NewsCategory.objects.get(slug=category["slug"]).name == category["name"]
    for article in data["article"]:
        page = NewsPage.objects.child_of(index).get(slug=article["slug"])
        assert (page.title, page.category.slug) == (article["title"], article["category"])
        assert sorted(page.tags.names()) == sorted(article["tags"])
        assert [author.name for author in page.authors.all()] == [
            author["name"] for author in article.get("authors", [])
        ]


def theme_records():
    names = {theme["name"] for theme in read("themes.toml")["theme"]}
    assert set(Theme.objects.values_list("name", flat=True)) == names


def case_study_records():
    data = read("case_studies.toml")
    assert Page.objects.get(slug="case-studies").title == data["index"]["title"]
    for spec in data["case_study"]:
        page = CaseStudyPage.objects.get(title=spec["title"])
        if "lead" in spec:
            assert page.lead_council.name == spec["lead"]
        else:
            assert page.lead_council is None and page.other_organisations == spec["others"]
        assert len(page.outcomes) == len(spec.get("outcomes", []))
    used = {key for spec in data["case_study"] for key in spec.get("outcomes", [])}
    assert used == set(data.get("outcome", {})), "an [outcome] no case study names"


def policy_project_records():
    data = read("policy_projects.toml")
    assert Page.objects.get(slug="policy-labs").title == data["index"]["title"]
    for spec in data["project"]:
        page = PolicyProjectPage.objects.get(title=spec["title"])
        assert (page.project_type, page.round) == (spec["type"], spec["round"])
    used = {spec["round"] for spec in data["project"]}
    assert used == set(data["round"]), "a [round] no project is in"


def publication_records():
    data = read("publications.toml")
    assert Page.objects.get(slug="publications").title == data["index"]["title"]
    for spec in data["publication"]:
        assert PublicationPage.objects.get(title=spec["title"]).summary == spec["summary"]


ON_THE_SITE = {
    "site.toml": site_records,
    "members.toml": member_records,
    "principles.toml": principle_records,
    "suppliers.toml": supplier_records,
    "membership_pages.toml": membership_page_records,
    "news.toml": news_records,
    "themes.toml": theme_records,
    "case_studies.toml": case_study_records,
    "policy_projects.toml": policy_project_records,
    "publications.toml": publication_records,
}


@pytest.mark.django_db
def test_every_record_in_every_data_file_is_on_the_demo_site():
    assert set(ON_THE_SITE) == set(FILES), "a data file whose records this test does not check"
    call_command("load_demo_content", stdout=StringIO())
    for check in ON_THE_SITE.values():
        check()


# A malformed record is reported by file and record --------------------------------------

CASE_STUDY = """
[index]
title = "Case studies"
summary = "Case studies."

[outcome.lab_funding]
figure = "£1"
label = "Funding"
source = "CCIN"

[[case_study]]
title = "A good study"
lead = "Camden Council"
year = 2026
status = "ongoing"
themes = ["Housing"]
principles = ["Innovation"]
summary = "Fine."
body = ["Fine."]

[[case_study]]
title = "A broken study"
lead = "Camden Council"
year = 2026
themes = ["Housing"]
principles = ["Innovation"]
summary = "Broken."
body = ["Broken."]
{extra}
"""


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "case_studies.toml",
            CASE_STUDY.format(extra=""),
            "case_studies.toml, case_study[2] ('A broken study'): missing required key 'status'",
        ),
        (
            "case_studies.toml",
            CASE_STUDY.format(extra='status = "finished"'),
            "case_studies.toml, case_study[2] ('A broken study'), status: 'finished' is not one "
            "of ongoing, completed",
        ),
        (
            "case_studies.toml",
            CASE_STUDY.format(extra='status = "ongoing"\nsumary = "Typo."'),
            "case_studies.toml, case_study[2] ('A broken study'): unknown key 'sumary'",
        ),
        (
            "members.toml",
            "political_control_as_of = 2026-05-06\n"
            'member = [{ name = "Camden Council" }, { name = "Brent Council", nation = 3 }]',
            "members.toml, member[2] ('Brent Council'), nation: 3 is not one of england",
        ),
        (
            "publications.toml",
            '[index]\ntitle = "P"\nsummary = "P"\n[[publication]]\ntitle = "R"\nyear = "2022"\n'
            'summary = "R"',
            "publications.toml, publication[1] ('R'), year: '2022' should be int",
        ),
        (
            "news.toml",
            'category = []\n[index]\ntitle = "News"\nsummary = "N"\nfeed_description = "N"\n'
            '[[article]]\nslug = "a"\ntitle = "A"\nkind = "news"\nrelease_date = 2026-05-15\n'
            'category = "news"\ntags = ["x", 2]\nsummary = "A"\nbody = []',
            "news.toml, article[1] ('A'), tags[2]: 2 should be str",
        ),
        ("themes.toml", "theme = [", "themes.toml: not valid TOML"),
        ("stray.toml", "", "stray.toml: no shape for this file"),
    ],
)
def test_a_malformed_record_is_named_with_its_file(tmp_path, name, text, message):
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DemoDataError) as raised:
        read(name, directory=tmp_path)
    assert str(raised.value).startswith(message)


def test_a_record_naming_an_unknown_theme_or_principle_is_named():
    study = read("case_studies.toml")["case_study"][0]
    with pytest.raises(DemoDataError, match=r"^case_studies\.toml, case_study\[1\] \('Community"):
        casestudies.theme("No such theme", study)
    with pytest.raises(DemoDataError, match=r"principles: 'No such principle' is not a title"):
        casestudies.principle("No such principle", study)
