"""Server-side sortable tables: header links that work without JavaScript and say their state."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order_by: tuple[str, ...] = ()  # database fields; empty means the column is not sortable


@dataclass(frozen=True)
class HeaderCell:
    label: str
    url: str | None
    aria_sort: str | None  # "ascending" / "descending" on the sorted column only
    next_direction: str  # what following the link does, for screen-reader users


class SortableTable:
    """Reads ``?<param>=key`` or ``?<param>=-key`` and builds the header cells and ordering."""

    def __init__(
        self, query: QueryDict, *, param: str, columns: list[Column], default: str, anchor: str
    ):
        self.query = query
        self.param = param
        self.columns = {column.key: column for column in columns}
        self.column_list = columns
        self.anchor = anchor
        raw = query.get(param, default)
        key = raw.removeprefix("-")
        column = self.columns.get(key)
        if column is None or not column.order_by:
            # Junk in the query string falls back to the default order.
            raw = default
            key = raw.removeprefix("-")
        self.key = key
        self.descending = raw.startswith("-")

    @property
    def ordering(self) -> list[str]:
        fields = self.columns[self.key].order_by
        if self.descending:
            return [f"-{name}" if not name.startswith("-") else name[1:] for name in fields]
        return list(fields)

    def _url(self, value: str) -> str:
        query = self.query.copy()
        query[self.param] = value
        return f"?{query.urlencode()}#{self.anchor}"

    def headers(self) -> list[HeaderCell]:
        cells = []
        for column in self.column_list:
            if not column.order_by:
                cells.append(HeaderCell(column.label, None, None, ""))
                continue
            if column.key == self.key:
                aria_sort = "descending" if self.descending else "ascending"
                next_value = column.key if self.descending else f"-{column.key}"
                next_direction = "ascending" if self.descending else "descending"
            else:
                aria_sort = None
                next_value = column.key
                next_direction = "ascending"
            cells.append(HeaderCell(column.label, self._url(next_value), aria_sort, next_direction))
        return cells
