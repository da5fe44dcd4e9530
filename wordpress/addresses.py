"""Addresses on the old site."""

from urllib.parse import unquote, urlsplit


def site_path(url: str, site_url: str) -> str:
    """The path (and query) of a URL on the old site, "" if it is elsewhere."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.netloc:
        host = parts.netloc.lower().removeprefix("www.")
        if host != urlsplit(site_url).netloc.lower().removeprefix("www."):
            return ""
    path = unquote(parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    return path + (f"?{parts.query}" if parts.query else "")
