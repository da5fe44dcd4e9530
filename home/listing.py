"""Listings: the pieces every paginated, filtered page of the site shares."""


def page_number(raw: str | None) -> int:
    """A 1-based page number from the query string; junk means the first page."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1
