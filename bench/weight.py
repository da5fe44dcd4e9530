"""Page weight: HTML, CSS and JavaScript sizes, static caching headers and responsive images.

Runs against a server that is already up (``throughput.py`` starts one with production
settings and collected static files) and checks, for every page in ``bench/pages.py``:
HTML under 60 KB; every stylesheet and script the page links has a hashed name and a
one-year immutable cache header; total CSS under 30 KB and JavaScript under 10 KB
compressed (gzip, as whitenoise serves it); every ``<img>`` has width and height, content
images offer ``srcset`` with a WebP or AVIF rendition, and images after the first few are
``loading="lazy"``; no web fonts from other origins. Prints a table and writes it.

    .venv/bin/python bench/weight.py --base http://127.0.0.1:8131 [--out bench/results/weight.md]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import PAGES  # noqa: E402

HTML_LIMIT = 60 * 1024
CSS_LIMIT = 30 * 1024
JS_LIMIT = 10 * 1024
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg|png|webp|woff2?)$")
YEAR = 365 * 24 * 60 * 60


class Assets(HTMLParser):
    """Stylesheets, scripts, images and font links in a page."""

    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []
        self.images: list[dict[str, str]] = []
        self.fonts: list[str] = []
        self.sources: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in attrs.get("rel", ""):
            self.css.append(attrs["href"])
        elif tag == "link" and attrs.get("as") == "font":
            self.fonts.append(attrs.get("href", ""))
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "source":
            self.sources.append(attrs)


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def static_problems(url: str, headers: dict[str, str]) -> list[str]:
    problems = []
    if not HASHED.search(urlparse(url).path):
        problems.append(f"{url}: name is not hashed")
    cache_control = headers.get("cache-control", "")
    if f"max-age={YEAR}" not in cache_control or "immutable" not in cache_control:
        problems.append(f"{url}: Cache-Control is {cache_control!r}")
    return problems


def image_problems(assets: Assets) -> list[str]:
    problems = []
    modern = any(
        "webp" in source.get("type", "") or "avif" in source.get("type", "")
        for source in assets.sources
    )
    for position, image in enumerate(assets.images):
        src = image.get("src", "")
        if src.endswith(".svg"):
            continue  # icons and logos: vector, no renditions needed
        if not (image.get("width") and image.get("height")):
            problems.append(f"{src}: no width/height")
        if "/media-files/" in src or "/images/" in src:
            srcset = image.get("srcset", "")
            if not srcset and not modern:
                problems.append(f"{src}: no srcset")
            if not (modern or ".webp" in srcset or ".avif" in srcset or src.endswith(".webp")):
                problems.append(f"{src}: no WebP/AVIF rendition")
        if position >= 3 and image.get("loading") != "lazy":
            problems.append(f"{src}: image {position + 1} is not lazy")
    return problems


def check(base: str) -> tuple[list[dict], dict[str, int], list[str]]:
    rows, problems = [], []
    static: dict[str, int] = {}
    for label, url, _kind in PAGES:
        body, headers = fetch(urljoin(base, url))
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        assets = Assets()
        assets.feed(body.decode())
        page_problems = image_problems(assets)
        if len(body) > HTML_LIMIT:
            page_problems.append(f"HTML is {len(body) / 1024:.1f} KB")
        page_problems += [f"third-party font {font}" for font in assets.fonts if "//" in font]
        for asset in assets.css + assets.js:
            asset_url = urljoin(base, asset)
            if asset_url in static:
                continue
            content, asset_headers = fetch(asset_url)
            static[asset_url] = len(gzip.compress(content, 9))
            problems += static_problems(asset_url, asset_headers)
        rows.append(
            {
                "label": label,
                "url": url,
                "html": len(body),
                "html_gzip": len(gzip.compress(body, 6)),
                "images": len(assets.images),
                "problems": page_problems,
            }
        )
    return rows, static, problems


def report(rows, static, problems) -> tuple[str, bool]:
    css = sum(size for url, size in static.items() if url.endswith(".css"))
    js = sum(size for url, size in static.items() if url.endswith(".js"))
    lines = [
        "Page weight (production settings, collected static files through whitenoise)",
        "",
        "| page | URL | HTML KB | HTML gzip KB | images | problems |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | `{row['url']}` | {row['html'] / 1024:.1f} "
            f"| {row['html_gzip'] / 1024:.1f} | {row['images']} "
            f"| {'; '.join(row['problems']) or 'none'} |"
        )
    lines += [
        "",
        f"CSS linked by any page, gzip: {css / 1024:.1f} KB (budget {CSS_LIMIT // 1024} KB); "
        f"JavaScript: {js / 1024:.1f} KB (budget {JS_LIMIT // 1024} KB).",
        "Static files: "
        + (
            "; ".join(problems)
            if problems
            else "hashed names, `Cache-Control: max-age=31536000, public, immutable`."
        ),
    ]
    ok = (
        css <= CSS_LIMIT
        and js <= JS_LIMIT
        and not problems
        and all(not row["problems"] for row in rows)
    )
    return "\n".join(lines) + "\n", ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8131")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    output, ok = report(*check(args.base))
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)
    if not ok:
        raise SystemExit("Page weight: over a budget (see the table).")


if __name__ == "__main__":
    main()
