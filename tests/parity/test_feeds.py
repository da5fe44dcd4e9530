"""Every feed the demo's listings advertise, as production serves it: production settings on
PostgreSQL, gunicorn over HTTP behind a (pretend) TLS proxy. Each parses cleanly (feedparser),
each JSON Feed meets the JSON Feed 1.1 schema, a repeat poll with the ETag is a 304 from either
app server, and an unknown filter value is a 404."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest

pytestmark = pytest.mark.parity

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "home" / "jsonfeed_1_1.schema.json").read_text(encoding="utf-8")
)
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
# Listings as visitors find them; each shows items in the demo content.
LISTINGS = [
    "/news/",
    "/news/?kind=press-release",
    "/news/category/governance/",
    "/news/tag/local-elections-2026/",
    "/case-studies/",
    "/case-studies/?theme=net-zero-and-energy",
    "/publications/",
    "/policy-labs/",
    "/members-update/",
]
UNKNOWN = [
    "/news/feed/?kind=no-such-kind",
    "/news/feed/json/?category=no-such-category",
    "/news/category/no-such-category/feed/",
    "/case-studies/feed/atom/?theme=no-such-theme",
]


def fetch(server: str, path: str, headers: dict | None = None):
    """As the TLS proxy in front of the app servers asks: HTTPS, and the site's one host name."""
    proxied = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})}
    request = urllib.request.Request(server + path, headers=proxied)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Alternates(HTMLParser):
    """The feeds a page's head advertises: <link rel="alternate" type="…feed type…">."""

    def __init__(self):
        super().__init__()
        self.feeds: list[tuple[str, str]] = []
        self.shown: list[tuple[str, str]] = []  # the listing's own, linked visibly

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("type") not in FEED_TYPES:
            return
        if tag == "link" and attrs.get("rel") == "alternate":
            self.feeds.append((attrs["type"], local(attrs["href"])))
        elif tag == "a" and "news-feeds__link" in attrs.get("class", ""):
            self.shown.append((attrs["type"], local(attrs["href"])))


def local(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_advertised_feed_parses_validates_and_revalidates(stack):
    server, other = stack.servers[0], stack.servers[1]
    seen: set[str] = set()
    for listing in LISTINGS:
        status, _, body = fetch(server, listing)
        assert status == 200, listing
        html = body.decode()
        parser = Alternates()
        parser.feed(html)
        # The listing's own three, shown and advertised (and the site-wide ones, checked too).
        assert {kind for kind, _ in parser.shown} == FEED_TYPES, (listing, parser.shown)
        assert set(parser.shown) <= set(parser.feeds), (listing, parser.feeds)
        for kind, path in parser.feeds:
            if path in seen:
                continue
            seen.add(path)
            status, headers, feed = fetch(server, path)
            assert status == 200, path
            assert headers["Content-Type"].split(";")[0] == kind, path
            if kind == "application/feed+json":
                # The feedparser we run (6.0) reads RSS and Atom only; the schema is stricter.
                document = json.loads(feed)
                jsonschema.validate(document, SCHEMA)
                links = [local(item["url"]) for item in document["items"]]
            else:
                parsed = feedparser.parse(feed)
                assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
                links = [local(entry.link) for entry in parsed.entries]
            assert links, f"{path} is empty but {listing} lists items"
            if (kind, path) in parser.shown:
                assert any(f'href="{link}"' in html for link in links), (
                    f"none of {path}'s items is on {listing}"
                )
            etag = headers["ETag"]
            assert etag, path
            for answering in (server, other):
                status, repeat, again = fetch(answering, path, {"If-None-Match": etag})
                assert status == 304 and again == b"", (
                    f"{path} from {'the same' if answering == server else 'the other'} server: "
                    f"{status}; sent {etag}, it has {repeat.get('ETag')}; Last-Modified "
                    f"{headers.get('Last-Modified')} / {repeat.get('Last-Modified')}; "
                    f"{'same' if again == feed else 'different'} bytes"
                )
    assert len(seen) >= 3 * len(LISTINGS) - 6, sorted(seen)


@pytest.mark.parametrize("path", UNKNOWN)
def test_a_feed_for_a_filter_value_that_does_not_exist_is_a_404_that_says_so(stack, path):
    status, _, body = fetch(stack.servers[0], path)
    assert status == 404, path
    value = re.search(r"no-such-[a-z]+", path).group()
    assert value in body.decode(), f"{path}'s 404 does not name {value}"
