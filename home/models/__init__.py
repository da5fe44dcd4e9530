"""The site shell's models: the base page every app builds on, home and standard pages, settings."""

from .pages import MISSION, BasePage, HomePage, ListingFieldsMixin, PoliticalFlagMixin, StandardPage
from .settings import SiteSettings, seconds_until_notice_changes

__all__ = [
    "MISSION",
    "BasePage",
    "HomePage",
    "ListingFieldsMixin",
    "PoliticalFlagMixin",
    "SiteSettings",
    "StandardPage",
    "seconds_until_notice_changes",
]
