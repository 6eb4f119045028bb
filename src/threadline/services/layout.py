"""The layout file of ``threadline load``: which collections a folder's files go into.

A layout (TOML, ``threadline-layout.toml`` in the folder by default) declares agencies to
register and collections with their kind, owner, sharing, watchlist flag and files. It is
read and checked whole here, file by file (each pattern matches something, each file's
format is known and its header readable), so a mistake anywhere is refused before
anything is written, in one line naming the layout file, the collection and the key.
Nothing here touches the store.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.ingest.base import ReaderContext
from threadline.ingest.registry import get_reader, list_readers
from threadline.model.collections import NAME_PATTERN, CollectionKind, Sharing
from threadline.primitives.inputs import country_code

LAYOUT_FILE = "threadline-layout.toml"
TOP_KEYS = ("agencies", "collections")
AGENCY_KEYS = ("name", "country")
COLLECTION_KEYS = (
    "name",
    "kind",
    "label",
    "description",
    "agency",
    "country",
    "sharing",
    "shared_with",
    "watchlist",
    "review",
    "format",
    "files",
)
FILE_KEYS = ("path", "format", "mapping", "sheet")
GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class AgencyEntry:
    """An agency the layout registers (when it is not registered yet)."""

    name: str
    country: str


@dataclass(frozen=True)
class FileEntry:
    """One file to ingest, with the reader that reads it (named or detected)."""

    path: Path
    format: str
    options: dict[str, str] = field(default_factory=dict)
    size: int = 0

    def to_dict(self, root: Path) -> dict[str, Any]:
        return {
            "path": _relative(self.path, root),
            "format": self.format,
            "options": dict(self.options),
            "bytes": self.size,
        }


@dataclass(frozen=True)
class CollectionEntry:
    """A collection as the layout declares it (its owner is resolved against the store)."""

    name: str
    kind: str
    agency: str | None = None  # None: the loading user's agency
    country: str | None = None
    sharing: str = "owner"
    shared_with: tuple[str, ...] = ()
    watchlist: bool = False
    label: str | None = None
    description: str | None = None
    review: datetime | None = None
    files: tuple[FileEntry, ...] = ()


@dataclass(frozen=True)
class Layout:
    """A checked layout: where it was read from, the folder its paths are relative to."""

    path: Path
    root: Path
    agencies: tuple[AgencyEntry, ...]
    collections: tuple[CollectionEntry, ...]


@dataclass(frozen=True)
class Where:
    """A place in the layout file, for an error message that names it."""

    layout: Path
    what: str = ""

    def text(self, message: str, key: str | None = None, entry: int | None = None) -> str:
        """``LAYOUT: collection 'x', key 'files' (entry 2): message``."""
        place = [self.what] if self.what else []
        if key is not None and entry is not None:
            within = "entry" if key == "files" else "files entry"
            place.append(f"key {key!r} ({within} {entry})")
        elif key is not None:
            place.append(f"key {key!r}")
        named = ", ".join(place)
        return f"{self.layout}: {named}: {message}" if named else f"{self.layout}: {message}"

    def error(self, key: str | None, message: str, entry: int | None = None) -> InputError:
        return InputError(self.text(message, key, entry))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_layout(root: Path, layout: Path | None = None) -> Layout:
    """Read and check the layout of folder ``root`` (``layout``, else the folder's
    ``threadline-layout.toml``); every file it names is found and its format known."""
    if not root.is_dir():
        raise InputError(f"{root} is not a folder" if root.exists() else f"no such folder: {root}")
    path = layout if layout is not None else root / LAYOUT_FILE
    data = _parse(path, layout is None)
    where = Where(path)
    unknown = [key for key in data if key not in TOP_KEYS]
    if unknown:
        raise where.error(unknown[0], f"unknown key (the keys are: {', '.join(TOP_KEYS)})")
    agencies = _agencies(where, data.get("agencies", []))
    collections = _collections(where, root, data.get("collections", []))
    if not agencies and not collections:
        raise where.error(None, "declares no [[collections]] (nor [[agencies]]): nothing to load")
    return Layout(path, root, agencies, collections)


def _parse(path: Path, default: bool) -> dict[str, Any]:
    if not path.is_file():
        if default:
            raise InputError(
                f"no layout file {path}: write one (see docs/loading.md) or name it with --layout"
            )
        raise InputError(f"--layout {path}: no such file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save the layout as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def _tables(where: Where, value: Any, key: str) -> list[dict[str, Any]]:
    """An array of tables (``[[key]]``), each a dict."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise where.error(key, f"must be an array of tables, written [[{key}]]")
    return value


def _check_keys(where: Where, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise where.error(unknown[0], f"unknown key (the keys are: {', '.join(allowed)})")


def _text(where: Where, table: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise where.error(key, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise where.error(key, f"must be a non-empty text, not {value!r}")
    return value.strip()


def _country(where: Where, key: str, value: str) -> str:
    try:
        return country_code("", value)
    except InputError as exc:
        raise where.error(key, str(exc)) from None


def _agencies(where: Where, value: Any) -> tuple[AgencyEntry, ...]:
    found: dict[str, AgencyEntry] = {}
    for number, table in enumerate(_tables(where, value, "agencies"), start=1):
        name = table.get("name")
        here = Where(
            where.layout, f"agency {name!r}" if isinstance(name, str) else f"agency {number}"
        )
        _check_keys(here, table, AGENCY_KEYS)
        agency = _text(here, table, "name", required=True)
        country = _text(here, table, "country", required=True)
        assert agency is not None and country is not None
        if agency in found:
            raise here.error("name", "is declared twice")
        found[agency] = AgencyEntry(agency, _country(here, "country", country))
    return tuple(found.values())


def _collections(where: Where, root: Path, value: Any) -> tuple[CollectionEntry, ...]:
    found: dict[str, CollectionEntry] = {}
    for number, table in enumerate(_tables(where, value, "collections"), start=1):
        name = table.get("name")
        label = f"collection {name!r}" if isinstance(name, str) else f"collection {number}"
        here = Where(where.layout, label)
        entry = _collection(here, root, table)
        if entry.name in found:
            raise here.error("name", "is declared twice")
        found[entry.name] = entry
    return tuple(found.values())


def _collection(where: Where, root: Path, table: dict[str, Any]) -> CollectionEntry:
    _check_keys(where, table, COLLECTION_KEYS)
    name = _text(where, table, "name", required=True)
    assert name is not None
    if not NAME_PATTERN.match(name):
        rule = "1-100 lower-case letters, digits, '-', '_' or '.', from a letter or digit"
        raise where.error("name", f"{name!r} is not a collection name ({rule})")
    kind = _choice(where, "kind", _text(where, table, "kind", required=True), CollectionKind)
    sharing = _choice(where, "sharing", _text(where, table, "sharing") or "owner", Sharing)
    shared_with = _shared_with(where, table, sharing)
    country = _text(where, table, "country")
    watchlist = table.get("watchlist", False)
    if not isinstance(watchlist, bool):
        raise where.error("watchlist", f"must be true or false, not {watchlist!r}")
    return CollectionEntry(
        name=name,
        kind=kind,
        agency=_text(where, table, "agency"),
        country=_country(where, "country", country) if country else None,
        sharing=sharing,
        shared_with=shared_with,
        watchlist=watchlist,
        label=_text(where, table, "label"),
        description=_text(where, table, "description"),
        review=_review(where, table.get("review")),
        files=_files(where, root, name, table),
    )


def _choice(where: Where, key: str, value: str | None, kinds: type[StrEnum]) -> str:
    allowed = [str(member.value) for member in kinds]
    wanted = (value or "").strip().lower()
    if wanted not in allowed:
        raise where.error(key, f"unknown {key} {value!r}; use one of: {', '.join(allowed)}")
    return wanted


def _shared_with(where: Where, table: dict[str, Any], sharing: str) -> tuple[str, ...]:
    value = table.get("shared_with", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise where.error("shared_with", 'must be a list of countries, such as ["FR", "ES"]')
    countries = tuple(_country(where, "shared_with", item) for item in value)
    if sharing == Sharing.COUNTRIES and not countries:
        raise where.error("shared_with", 'sharing = "countries" needs at least one country')
    if sharing != Sharing.COUNTRIES and countries:
        raise where.error("shared_with", f'applies to sharing = "countries" only, not {sharing!r}')
    return countries


def _review(where: Where, value: Any) -> datetime | None:
    """A review date (TOML date, or text YYYY-MM-DD) after today."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise where.error(
                "review", f"must be a date such as 2030-01-31, not {value!r}"
            ) from None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise where.error("review", f"must be a date such as 2030-01-31, not {value!r}")
    if value <= datetime.now(UTC).date():
        raise where.error("review", f"{value} is not after today")
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _format(where: Where, value: Any, key: str, entry: int | None = None) -> str | None:
    if value is None:
        return None
    known = [reader.name for reader in list_readers()]
    if not isinstance(value, str) or value.strip() not in known:
        raise where.error(key, f"unknown format {value!r}; formats: {', '.join(known)}", entry)
    return value.strip()


def _files(where: Where, root: Path, name: str, table: dict[str, Any]) -> tuple[FileEntry, ...]:
    """Every file of the collection, each once, in the order the layout names them."""
    default = _format(where, table.get("format"), "format")
    items = table.get("files", [])
    if not isinstance(items, list):
        raise where.error("files", 'must be a list of paths, such as ["cases/*.jsonl"]')
    found: dict[Path, FileEntry] = {}
    for number, item in enumerate(items, start=1):
        for entry in _file_entries(where, root, name, item, number, default):
            found.setdefault(entry.path, entry)
    return tuple(found.values())


def _file_entries(
    where: Where, root: Path, collection: str, item: Any, number: int, default: str | None
) -> list[FileEntry]:
    # a file named by a bare path is the 'files' key's; one written as a table, its 'path''s
    key = "files" if isinstance(item, str) else "path"
    if isinstance(item, str):
        item = {"path": item}
    if not isinstance(item, dict):
        raise where.error("files", "must be a path or a table with 'path'", number)
    unknown = [name for name in item if name not in FILE_KEYS]
    if unknown:
        keys = ", ".join(FILE_KEYS)
        raise where.error(unknown[0], f"unknown key (the keys are: {keys})", number)
    pattern = item.get("path")
    if not isinstance(pattern, str) or not pattern.strip():
        raise where.error(key, "must be a non-empty path or pattern", number)
    fmt = _format(where, item.get("format"), "format", number) or default
    options = _options(where, root, item, number)
    return [
        _file(where, collection, path, (key, number), fmt, options)
        for path in _match(where, root, pattern.strip(), (key, number))
    ]


def _options(where: Where, root: Path, item: dict[str, Any], number: int) -> dict[str, str]:
    """The reader's options: a mapping (a YAML file, relative to the folder) and a sheet."""
    options: dict[str, str] = {}
    mapping = item.get("mapping")
    if mapping is not None:
        if not isinstance(mapping, str) or not mapping.strip():
            raise where.error("mapping", "must be the path of a YAML mapping", number)
        path = root / mapping.strip()
        if not path.is_file():
            raise where.error("mapping", f"no such file: {path}", number)
        options["mapping"] = str(path)
    sheet = item.get("sheet")
    if sheet is not None:
        if not isinstance(sheet, str) or not sheet.strip():
            raise where.error("sheet", "must be a worksheet name", number)
        options["sheet"] = sheet.strip()
    return options


def _match(where: Where, root: Path, pattern: str, at: tuple[str, int]) -> list[Path]:
    """The files a path or pattern names, relative to the folder (hidden files and the
    layout itself never)."""
    if Path(pattern).is_absolute():
        raise where.error(at[0], f"{pattern!r} must be relative to the folder {root}", at[1])
    if not GLOB_CHARACTERS & set(pattern):
        path = root / pattern
        if path.is_dir():
            hint = f"{pattern.rstrip('/')}/*"
            raise where.error(at[0], f"{pattern!r} is a folder; name its files ({hint!r})", at[1])
        if not path.is_file():
            raise where.error(at[0], f"no such file: {path}", at[1])
        return [path]
    layout = where.layout.resolve()
    try:
        found = sorted(
            path
            for path in root.glob(pattern)
            if path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(root).parts)
            and path.resolve() != layout
        )
    except (ValueError, NotImplementedError) as exc:
        raise where.error(at[0], f"{pattern!r} is not a valid pattern: {exc}", at[1]) from None
    if not found:
        raise where.error(at[0], f"{pattern!r} matches no file in {root}", at[1])
    return found


def _file(
    where: Where,
    collection: str,
    path: Path,
    at: tuple[str, int],
    fmt: str | None,
    options: dict[str, str],
) -> FileEntry:
    """The file with its reader, its whole-file checks passed (header, mapping) as
    ingestion would run them first: a file that would fail is refused before any other
    is loaded."""
    key, number = at
    try:
        reader = get_reader(fmt, path)
    except InputError:
        known = ", ".join(r.name for r in list_readers())
        raise where.error(
            "format", f"cannot tell the format of {path}; name it (one of: {known})", number
        ) from None
    takes = set(reader.options_help)
    extra = sorted(set(options) - takes)
    if extra:
        raise where.error(extra[0], f"the {reader.name!r} format takes no {extra[0]}", number)
    if "mapping" in takes and "mapping" not in options:
        needs = f"{path} is read by the {reader.name!r} format, which needs a YAML mapping"
        raise where.error("mapping", f"{needs} (see docs/formats.md)", number)
    try:
        reader(ReaderContext(collection=collection, options=dict(options))).prepare(path)
    except InputError as exc:
        raise where.error(key, str(exc), number) from None
    except (OSError, UnicodeError) as exc:
        raise where.error(key, f"cannot read {path}: {exc}", number) from None
    return FileEntry(path, reader.name, options, path.stat().st_size)
