"""Small inline WordPress exports for the parser and converter tests."""

from __future__ import annotations

SITE = "https://www.councils.coop"


def item(
    wp_id: int | str | None = 101,
    title: str = "Kirklees: community energy",
    post_type: str | None = "post",
    content: str = "<p>Kirklees Council and local co-operatives.</p>",
    date: str = "2021-05-12 09:30:00",
    date_gmt: str = "2021-05-12 08:30:00",
    extra: str = "",
) -> str:
    post_id = f"<wp:post_id>{wp_id}</wp:post_id>" if wp_id is not None else ""
    kind = f"<wp:post_type><![CDATA[{post_type}]]></wp:post_type>" if post_type else ""
    return f"""
<item>
  <title><![CDATA[{title}]]></title>
  <link>{SITE}/case-study/kirklees-community-energy/</link>
  <dc:creator><![CDATA[pvallance]]></dc:creator>
  <guid isPermaLink="false">{SITE}/?p={wp_id}</guid>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  {post_id}
  <wp:post_date><![CDATA[{date}]]></wp:post_date>
  <wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
  <wp:post_modified><![CDATA[{date}]]></wp:post_modified>
  <wp:post_modified_gmt><![CDATA[{date_gmt}]]></wp:post_modified_gmt>
  <wp:comment_status><![CDATA[closed]]></wp:comment_status>
  <wp:post_name><![CDATA[kirklees-community-energy]]></wp:post_name>
  <wp:status><![CDATA[publish]]></wp:status>
  <wp:post_parent>0</wp:post_parent>
  <wp:menu_order>3</wp:menu_order>
  {kind}
  {extra}
</item>"""


def document(
    *items: str,
    version: str = "1.2",
    channel_extra: str = "",
    declaration: str = '<?xml version="1.0" encoding="UTF-8" ?>',
    title: str = "Co-operative Councils&#8217; Innovation Network",
) -> str:
    ns = f"http://wordpress.org/export/{version}/"
    return f"""{declaration}
<rss version="2.0"
  xmlns:excerpt="{ns}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{ns}">
<channel>
  <title>{title}</title>
  <link>{SITE}</link>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>{SITE}/</wp:base_site_url>
  <wp:base_blog_url>{SITE}</wp:base_blog_url>
  <wp:author>
    <wp:author_login><![CDATA[pvallance]]></wp:author_login>
    <wp:author_email><![CDATA[pete@example.org]]></wp:author_email>
    <wp:author_display_name><![CDATA[Pete Vallance]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[Pete]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[Vallance]]></wp:author_last_name>
  </wp:author>
  {channel_extra}
  {"".join(items)}
</channel>
</rss>
"""


def export(*items: str, **kwargs) -> bytes:
    return document(*items, **kwargs).encode("utf-8")
