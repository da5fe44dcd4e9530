"""Reading the demo's data files (``demo/data/*.toml``), each checked against its shape.

A shape (``demo.shapes``) maps a record's keys to what they hold; a key ending in ``?`` may
be left out. A value is checked as one of:

- a type (``str``, ``int``, ``bool``, ``date``) or a Django ``TextChoices`` (one of its values);
- ``[T]``: a list of T, where T is a type, a tuple of types or a shape;
- a shape (a dict of keys): one record; ``{str: shape}``: a table of records by name.

Every failure raises ``DemoDataError`` naming the file and the record, so that a typo in a
data file is reported where it is, not as a ``KeyError`` somewhere in the loader.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from django.db.models import Choices

from demo.shapes import FILES

DATA = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A data file, or one of its records, is not as its shape says."""


class Record(dict):
    """One record of a data file, which knows where it is (for error messages)."""

    def __init__(self, values: dict, where: str):
        super().__init__(values)
        self.where = where

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{self.where}: {message}")


def read(name: str, directory: Path = DATA) -> Record:
    """The data file ``name``, checked; cached, so treat what it returns as read-only."""
    return _read(name, directory)


@cache
def _read(name: str, directory: Path) -> Record:
    if name not in FILES:
        raise DemoDataError(f"{name}: no shape for this file in demo.shapes.FILES")
    try:
        with (directory / name).open("rb") as data_file:
            data = tomllib.load(data_file)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{name}: not valid TOML ({error})") from None
    return _record(data, FILES[name], name, name)


def _label(values: dict) -> str:
    for key in ("title", "name", "slug"):
        if isinstance(values.get(key), str):
            return f" ({values[key]!r})"
    return ""


def _record(values, shape: dict, where: str, file: str) -> Record:
    if not isinstance(values, dict):
        raise DemoDataError(f"{where}: should be a table, not {values!r}")
    where = f"{where}{_label(values)}" if where != file else where
    known = {key.removesuffix("?") for key in shape}
    for key in values:
        if key not in known:
            raise DemoDataError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
    checked = {}
    for key, kind in shape.items():
        name = key.removesuffix("?")
        if name not in values:
            if key.endswith("?"):
                continue
            raise DemoDataError(f"{where}: missing required key {name!r}")
        checked[name] = _value(values[name], kind, f"{where}, {name}", file)
    return Record(checked, where)


def _value(value, kind, where: str, file: str):
    if isinstance(kind, list):
        (item,) = kind
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: should be a list, not {value!r}")
        return [_value(each, item, f"{where}[{n}]", file) for n, each in enumerate(value, 1)]
    if isinstance(kind, dict) and str in kind:
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: should be a table, not {value!r}")
        return {
            key: _record(each, kind[str], f"{where}.{key}", file) for key, each in value.items()
        }
    if isinstance(kind, dict):
        return _record(value, kind, where, file)
    if isinstance(kind, type) and issubclass(kind, Choices):
        if value not in kind.values:
            raise DemoDataError(f"{where}: {value!r} is not one of {', '.join(kind.values)}")
        return value
    if not _is(value, kind):
        raise DemoDataError(f"{where}: {value!r} should be {_describe(kind)}")
    return value


def _is(value, kind) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):  # bool is an int to isinstance; a count of True is a typo
        return bool in kinds
    return isinstance(value, kinds)


def _describe(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(each.__name__ for each in kinds)
