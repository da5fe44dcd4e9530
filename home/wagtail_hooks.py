"""Wagtail hooks of the base app."""

from wagtail import hooks

from .rich_text import LeanPageLinkHandler


@hooks.register("register_rich_text_features", order=100)
def lean_page_links(features) -> None:
    """After Wagtail's own registration (order 0), so this handler replaces its page links."""
    features.register_link_type(LeanPageLinkHandler)
