"""Every page type of the demo content passes axe (WCAG 2.2 A/AA) on a phone and a desktop."""

import pytest

from .conftest import DESKTOP, PHONE, describe, run_axe

# One URL for each page type and state a visitor meets (see DESIGN.md's URL contract).
PAGES = {
    "home": "/",
    "standard page": "/about/",
    "accessibility statement": "/accessibility-statement/",
    "community wealth building": "/community-wealth-building/",
    "Co-op Congress": "/co-op-congress-2026/",
    "news index": "/news/",
    "news index, filtered": "/news/?kind=opinion",
    "news category": "/news/category/governance/",
    "news tag": "/news/tag/local-elections-2026/",
    "press release": "/news/statement-2026-local-elections/",
    "news article": (
        "/news/call-for-evidence-business-support-co-operatives-mutuals-final-response/"
    ),
    "opinion": "/news/cllr-jim-mcmahon-cooperative-localism-future-public-services/",
    "case study index": "/case-studies/",
    "case study index, filtered": "/case-studies/?theme=net-zero-and-energy&nation=england",
    "case study index, no results": "/case-studies/?q=zzzzqqq",
    "case study": "/case-studies/community-energy-as-part-of-the-route-to-net-zero/",
    "policy labs": "/policy-labs/",
    "policy project": "/policy-labs/a-co-operative-approach-to-development-corporations/",
    "publications": "/publications/",
    "publication": "/publications/understanding-the-digital-divide/",
    "principles": "/principles/",
    "membership": "/membership/",
    "member directory": "/membership/members/",
    "member profile": "/membership/members/kirklees-council/",
    "election outcomes": "/membership/elections-2026/",
    "dynamic purchasing system": "/dynamic-purchasing-system/",
    "search results": "/search/?q=community+wealth",
    "search, no results": "/search/?q=zzzzqqq",
    "Members' Update archive": "/members-update/",
    "Members' Update issue": "/members-update/june-2026/",
    "alerts, for a feed": "/alerts/?feed=/news/feed/",
    "case study submission form": "/case-studies/submit/",
    "search, one result type": "/search/?q=kirklees&type=members",
    "case study index, sorted within years": "/case-studies/?sort=oldest&from=2020&to=2025",
    "404": "/no-such-page/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(page, path, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(path)
    assert response.status == (404 if path == "/no-such-page/" else 200), path
    violations = run_axe(page)
    assert violations == [], f"{path} at {viewport['width']}px:\n{describe(violations)}"


def test_the_checker_catches_a_real_violation(page):
    """Guards the harness: a page with an unlabelled image and input must fail."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="/static/images/favicon.svg"><input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "label"} <= found
