"""Small WordPress exports written item by item, for tests that need exact content."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from PIL import Image

SITE = "https://www.councils.coop"


@dataclass
class Post:
    wp_id: int
    title: str
    post_type: str = "post"
    slug: str = ""
    link: str = ""
    content: str = ""
    excerpt: str = ""
    status: str = "publish"
    date: str = "2021-05-12 09:30:00"
    parent: int = 0
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    attachment_url: str = ""
    author: str = "pvallance"

    def xml(self) -> str:
        slug = self.slug or self.title.lower().replace(" ", "-")
        link = self.link or f"{SITE}/?p={self.wp_id}"
        terms = "".join(
            f'<category domain="category" nicename="{s}"><![CDATA[{n}]]></category>'
            for s, n in self.categories
        )
        terms += "".join(
            f'<category domain="post_tag" nicename="{s}"><![CDATA[{n}]]></category>'
            for s, n in self.tags
        )
        terms += "".join(
            f'<category domain="{t}" nicename="{s}"><![CDATA[{n}]]></category>'
            for t, s, n in self.terms
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key><![CDATA[{k}]]></wp:meta_key>"
            f"<wp:meta_value><![CDATA[{v}]]></wp:meta_value></wp:postmeta>"
            for k, v in self.meta.items()
        )
        attachment = (
            f"<wp:attachment_url><![CDATA[{self.attachment_url}]]></wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        gmt = self.date if self.date else "0000-00-00 00:00:00"
        return f"""
<item>
  <title><![CDATA[{self.title}]]></title>
  <link>{link}</link>
  <pubDate>Wed, 12 May 2021 09:30:00 +0000</pubDate>
  <dc:creator><![CDATA[{self.author}]]></dc:creator>
  <guid isPermaLink="false">{SITE}/?p={self.wp_id}</guid>
  <description></description>
  <content:encoded><![CDATA[{self.content}]]></content:encoded>
  <excerpt:encoded><![CDATA[{self.excerpt}]]></excerpt:encoded>
  <wp:post_id>{self.wp_id}</wp:post_id>
  <wp:post_date><![CDATA[{gmt}]]></wp:post_date>
  <wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>
  <wp:post_modified><![CDATA[{gmt}]]></wp:post_modified>
  <wp:post_modified_gmt><![CDATA[{gmt}]]></wp:post_modified_gmt>
  <wp:comment_status><![CDATA[closed]]></wp:comment_status>
  <wp:ping_status><![CDATA[closed]]></wp:ping_status>
  <wp:post_name><![CDATA[{slug}]]></wp:post_name>
  <wp:status><![CDATA[{self.status}]]></wp:status>
  <wp:post_parent>{self.parent}</wp:post_parent>
  <wp:menu_order>0</wp:menu_order>
  <wp:post_type><![CDATA[{self.post_type}]]></wp:post_type>
  <wp:post_password><![CDATA[]]></wp:post_password>
  <wp:is_sticky>0</wp:is_sticky>
  {attachment}{terms}{meta}
</item>"""


def export(*posts: Post, site: str = SITE) -> bytes:
    items = "".join(post.xml() for post in posts)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Co-operative Councils' Innovation Network</title>
  <link>{site}</link>
  <description>Co-operative councils</description>
  <language>en-GB</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
  <wp:author>
    <wp:author_id>2</wp:author_id>
    <wp:author_login><![CDATA[pvallance]]></wp:author_login>
    <wp:author_email><![CDATA[pete@example.org]]></wp:author_email>
    <wp:author_display_name><![CDATA[Pete Vallance]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[Pete]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[Vallance]]></wp:author_last_name>
  </wp:author>
  {items}
</channel>
</rss>""".encode()


def png(path: Path, size: tuple[int, int] = (40, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    Image.new("RGB", size, (30, 90, 60)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path
