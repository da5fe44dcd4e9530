"""The site shell as a visitor meets it: home page, standard pages, navigation, footer."""

import pytest
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage


class TestPageTreeRules(WagtailPageTestCase):
    def test_home_page_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)

    def test_standard_pages_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_only_one_home_page(self):
        self.assertEqual(HomePage.max_count, 1)


def add_standard_page(parent, slug, **kwargs) -> StandardPage:
    page = StandardPage(title=kwargs.pop("title", slug.title()), slug=slug, **kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
class TestHomePage:
    def test_shows_mission_and_published_figures(self, client, home_page, site_settings):
        site_settings.full_members = 44
        site_settings.save()
        html = client.get("/").content.decode()
        assert "People-centred councils driving social innovation, putting people first" in html
        assert "Full member councils" in html
        assert ">44<" in html
        assert "12.27m" in html
        assert "£20.94bn" in html

    def test_figures_follow_the_settings(self, client, home_page, site_settings):
        site_settings.full_members = 45
        site_settings.citizens_served = 13_000_000
        site_settings.save()
        html = client.get("/").content.decode()
        assert ">45<" in html
        assert "13m" in html

    def test_shell_is_accessible(self, client, home_page):
        html = client.get("/").content.decode()
        assert '<html lang="en-GB">' in html
        assert 'class="skip-link" href="#main"' in html
        assert '<main id="main"' in html
        assert 'aria-label="Main"' in html
        assert '<link rel="canonical" href="http://testserver/">' in html
        assert 'property="og:title"' in html

    def test_menu_lists_pages_marked_show_in_menus_only(self, client, home_page):
        add_standard_page(home_page, "about", title="About the network", show_in_menus=True)
        add_standard_page(home_page, "privacy", title="Privacy notice", show_in_menus=False)
        draft = StandardPage(title="Secret plans", slug="secret", show_in_menus=True, live=False)
        home_page.add_child(instance=draft)
        nav = client.get("/").content.decode().split('id="primary-nav"')[1].split("</nav>")[0]
        assert "About the network" in nav
        assert "Privacy notice" not in nav
        assert "Secret plans" not in nav

    def test_current_section_is_marked_in_the_menu(self, client, home_page):
        about = add_standard_page(home_page, "about", title="About", show_in_menus=True)
        add_standard_page(about, "history", title="History")
        html = client.get("/about/history/").content.decode()
        assert 'href="/about/" aria-current="page"' in html

    def test_footer_shows_contacts_and_accessibility_link(self, client, home_page, site_settings):
        statement = add_standard_page(home_page, "accessibility-statement", title="Accessibility")
        site_settings.accessibility_statement = statement
        site_settings.press_office_email = "press@councils.coop"
        site_settings.save()
        footer = client.get("/").content.decode().split('class="site-footer"')[1]
        assert "press@councils.coop" in footer
        assert 'href="/accessibility-statement/"' in footer

    def test_home_page_query_count_is_bounded(
        self, client, home_page, django_assert_max_num_queries
    ):
        for n in range(8):
            add_standard_page(home_page, f"page-{n}", show_in_menus=True)
        client.get("/")  # warm the site-root cache, as in production
        with django_assert_max_num_queries(12):
            response = client.get("/")
        assert response.status_code == 200


@pytest.mark.django_db
class TestStandardPage:
    def test_renders_title_intro_body_and_breadcrumbs(self, client, home_page):
        about = add_standard_page(home_page, "about", title="About the network")
        page = add_standard_page(
            about,
            "history",
            title="Our history",
            intro="The network began in 2012.",
            body='[{"type": "heading", "value": {"text": "Beginnings", "level": "h2"}},'
            '{"type": "paragraph", "value": "<p>Over 20 councils joined.</p>"}]',
        )
        html = client.get(page.url).content.decode()
        assert "<h1>Our history</h1>" in html
        assert "The network began in 2012." in html
        assert '<h2 class="block-heading" id="beginnings">Beginnings</h2>' in html
        assert "Over 20 councils joined." in html
        crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
        assert 'href="/">Home</a>' in crumbs
        assert 'href="/about/">About the network</a>' in crumbs
        assert '<li aria-current="page">Our history</li>' in crumbs

    def test_meta_description_falls_back_to_summary_then_intro(self, client, home_page):
        page = add_standard_page(home_page, "contact", title="Contact", intro="Write to us.")
        assert (
            '<meta name="description" content="Write to us.">'
            in client.get("/contact/").content.decode()
        )
        page.summary = "How to reach the network."
        page.save_revision().publish()
        assert 'content="How to reach the network."' in client.get("/contact/").content.decode()

    def test_private_page_asks_for_a_password(self, client, home_page):
        page = add_standard_page(home_page, "members-area", title="Members area")
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="coop"
        )
        html = client.get("/members-area/").content.decode()
        assert "<h1>Password required</h1>" in html
        assert "<h1>Members area</h1>" not in html
        assert '<meta name="robots" content="noindex">' in html

    def test_the_password_page_tells_nothing_about_the_page_behind_it(self, client, home_page):
        """No JSON-LD (headline, summary, dates, breadcrumb titles) and no social tags."""
        parent = add_standard_page(home_page, "board", title="Board papers")
        page = add_standard_page(
            parent, "minutes", title="Confidential minutes", summary="Who voted how."
        )
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="coop"
        )
        html = client.get("/board/minutes/").content.decode()
        assert "<h1>Password required</h1>" in html
        assert "application/ld+json" not in html
        assert "Confidential minutes" not in html
        assert "Who voted how." not in html


def json_ld(html: str) -> dict:
    import json

    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    return json.loads(block)


@pytest.mark.django_db
class TestStructuredData:
    def test_home_page_describes_the_organisation(self, client, home_page, site_settings):
        site_settings.social_links = [
            ("link", {"platform": "linkedin", "url": "https://www.linkedin.com/company/ccin"})
        ]
        site_settings.save()
        data = json_ld(client.get("/").content.decode())
        assert data["@context"] == "https://schema.org"
        (org,) = data["@graph"]
        assert org["@type"] == "Organization"
        assert org["name"] == "Co-operative Councils' Innovation Network"
        assert org["url"] == "http://testserver/"
        assert org["logo"].startswith("http://testserver/static/images/ccin-logo")
        assert org["sameAs"] == ["https://www.linkedin.com/company/ccin"]

    def test_pages_below_home_carry_a_breadcrumb_list(self, client, home_page):
        about = add_standard_page(home_page, "about", title="About the network")
        add_standard_page(about, "history", title="Our history </script><b>")
        data = json_ld(client.get("/about/history/").content.decode())
        (crumbs,) = [node for node in data["@graph"] if node["@type"] == "BreadcrumbList"]
        assert [
            (item["position"], item["name"], item["item"]) for item in crumbs["itemListElement"]
        ] == [
            (1, "Home", "http://testserver/"),
            (2, "About the network", "http://testserver/about/"),
            (3, "Our history </script><b>", "http://testserver/about/history/"),
        ]


@pytest.mark.django_db
class TestImageBlockAltText:
    @pytest.fixture
    def image(self):
        from wagtail_factories import ImageFactory

        return ImageFactory(title="Council chamber")

    def test_alt_text_is_required_unless_decorative(self, image):
        from wagtail.blocks import StructBlockValidationError

        from home.blocks import ImageBlock

        block = ImageBlock()
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python({"image": image.pk, "alt_text": "  "}))
        assert "Describe the image" in str(error.value.block_errors["alt_text"])
        described = block.clean(block.to_python({"image": image.pk, "alt_text": "A vote"}))
        assert described["alt_text"] == "A vote"
        block.clean(block.to_python({"image": image.pk, "decorative": True}))

    def test_rendered_alt_text_and_decorative_images(self, image):
        from home.blocks import ImageBlock

        block = ImageBlock()
        described = block.render(block.to_python({"image": image.pk, "alt_text": "A vote"}))
        assert 'alt="A vote"' in described
        decorative = block.render(
            block.to_python({"image": image.pk, "alt_text": "stale", "decorative": True})
        )
        assert 'alt=""' in decorative
