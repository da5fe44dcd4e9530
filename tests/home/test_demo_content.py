"""`load_demo_content` builds the demo site from the seed, and a second run changes nothing."""

import re
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from home.models import HomePage, SiteSettings


def snapshot() -> dict[str, int]:
    """Row counts of every project and Wagtail content model."""
    labels = {
        "home",
        "news",
        "casestudies",
        "membership",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "taggit",
    }
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in labels and not model._meta.abstract
    }


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    """The demo content, loaded once for the module (rolled back after it)."""
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def demo(_demo_loaded, db):
    """The demo site; what a test writes on top is rolled back after it."""


@pytest.mark.django_db
class TestDemoContent:
    def test_builds_home_and_standard_pages(self, demo, client):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert site.root_url == "http://127.0.0.1:8000"
        for url, heading in [
            ("/", "People-centred councils driving social innovation, putting people first"),
            ("/about/", "About the network"),
            ("/accessibility-statement/", "Accessibility statement"),
            ("/privacy/", "Privacy notice"),
            ("/contact/", "Contact us"),
        ]:
            response = client.get(url, HTTP_HOST=f"{site.hostname}:{site.port}")
            assert response.status_code == 200, url
            assert heading in response.content.decode(), url

    def test_site_settings_carry_the_published_figures(self, demo):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        assert (
            settings.full_members,
            settings.associate_members,
            settings.affiliates,
            settings.supporters,
        ) == (44, 28, 45, 23)
        assert settings.citizens_display == "12.27m"
        assert settings.budget_display == "£20.94bn"
        assert settings.figures_as_of == date(2026, 6, 11)
        assert "cross-party network of UK councils" in settings.about_boilerplate

    def test_directory_counts_match_the_published_figures(self, demo):
        from membership.models import MemberCouncil, Tier

        listed = MemberCouncil.objects.listed()
        assert listed.filter(tier=Tier.FULL).count() == 44
        assert not listed.filter(name="Newcastle City Council").exists()

    def test_second_run_changes_nothing(self, demo):
        before = snapshot()
        revisions = Revision.objects.count()
        call_command("load_demo_content", stdout=StringIO())
        assert snapshot() == before
        assert Revision.objects.count() == revisions

    def test_seed_content_pages_for_the_network(self, demo, client):
        host = {"HTTP_HOST": "127.0.0.1:8000"}
        about = client.get("/about/", **host).content.decode()
        assert "44 councils, a membership of 117 organisations and a supporter base of 23" in about
        assert "2027/28 election cycles" in about
        assert "co-operation is the only sensible way to make progress" in about
        wealth = client.get("/community-wealth-building/", **host).content.decode()
        assert "Develop an Inclusive Economy Charter" in wealth
        assert "Promote the circular economy" in wealth
        congress = client.get("/co-op-congress-2026/", **host).content.decode()
        assert "Cllr Paul Cassidy, Interim Chair of CCIN" in congress
        assert "Keep your hand up if it felt like a genuine partnership." in congress
        # Linked from the footer and the about page rather than the main menu.
        for slug in ("community-wealth-building", "co-op-congress-2026"):
            assert not Page.objects.get(slug=slug).show_in_menus, slug
        membership = client.get("/membership/", **host).content.decode()
        assert "What councils can do" in membership
        assert "Pays the Real Living Wage" in membership
        assert "Use the CCIN Dynamic Purchasing System" in membership

    def test_no_placeholder_wording_on_member_pages(self, demo, client):
        from membership.models import MemberCouncil

        host = {"HTTP_HOST": "127.0.0.1:8000"}
        urls = ["/membership/", "/membership/members/", "/membership/elections-2026/"]
        urls += [f"/membership/members/{m.slug}/" for m in MemberCouncil.objects.listed()]
        words = ("to follow", "lorem", "none recorded", "none yet", "tbc", "coming soon")
        for url in urls:
            response = client.get(url, **host)
            assert response.status_code == 200, url
            # Form inputs (the search box's placeholder, the CSRF token) are not wording.
            text = re.sub(r"<input[^>]*>", "", response.content.decode()).lower()
            for word in (*words, "placeholder", "recorded yet"):
                assert word not in text, (url, word)

    def test_member_profiles_carry_the_seed_facts(self, demo, client):
        html = client.get(
            "/membership/members/kirklees-council/", HTTP_HOST="127.0.0.1:8000"
        ).content.decode()
        assert "E08000034" in html
        assert "Labour minority" in html and "6 May 2026</time>, before the 2026 elections" in html
        assert "kirklees.gov.uk" in html
        assert "/membership/elections-2026/#result-kirklees-council" in html
        html = client.get(
            "/membership/members/middlesbrough-council/", HTTP_HOST="127.0.0.1:8000"
        ).content.decode()
        assert "<h1>Middlesbrough Council</h1>" in html
        assert "<dt>Next election</dt><dd>May 2027</dd>" in html

    def test_no_placeholder_welcome_page_left(self, demo):
        assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail").exists()


@pytest.mark.django_db
class TestLocalAdmin:
    def test_refused_outside_dev_settings(self):
        with pytest.raises(CommandError, match="only for the dev settings"):
            call_command("create_local_admin", stdout=StringIO())

    def test_created_once_with_the_given_password(self, settings, monkeypatch, django_user_model):
        settings.CCIN_ALLOW_LOCAL_ADMIN = True
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-local-password")
        out = StringIO()
        call_command("create_local_admin", stdout=out)
        user = django_user_model.objects.get(username="admin")
        assert user.is_superuser
        assert user.check_password("a-long-local-password")
        assert "a-long-local-password" not in out.getvalue()
        again = StringIO()
        call_command("create_local_admin", stdout=again)
        assert "already exists" in again.getvalue()
        assert django_user_model.objects.count() == 1

    def test_random_password_printed_once(self, settings, monkeypatch, django_user_model):
        settings.CCIN_ALLOW_LOCAL_ADMIN = True
        monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
        out = StringIO()
        call_command("create_local_admin", stdout=out)
        password = out.getvalue().split("password: ")[1].split()[0]
        assert len(password) >= 12
        assert django_user_model.objects.get(username="admin").check_password(password)
