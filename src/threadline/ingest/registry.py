"""The one place where file formats are registered."""

from __future__ import annotations

from pathlib import Path

from threadline.exc import InputError
from threadline.ingest.base import Reader

_READERS: dict[str, type[Reader]] = {}


def register(cls: type[Reader]) -> type[Reader]:
    """Class decorator: make a reader available to ``threadline ingest``."""
    if cls.name in _READERS and _READERS[cls.name] is not cls:
        raise RuntimeError(f"two readers named {cls.name!r}")
    _READERS[cls.name] = cls
    return cls


def _load() -> None:
    import threadline.ingest.readers  # noqa: F401 - registers the built-in readers


def detection_order() -> list[type[Reader]]:
    """Readers in the order detection tries them: specific ones by name, then generic ones.

    Specific readers recognise a file by its content or a distinctive name; a generic
    reader (``Reader.generic``) claims every file of its suffix, so it comes last.
    """
    _load()
    return sorted(_READERS.values(), key=lambda cls: (cls.generic, cls.name))


def list_readers() -> list[type[Reader]]:
    _load()
    return [_READERS[name] for name in sorted(_READERS)]


def get_reader(name: str | None, path: Path) -> type[Reader]:
    """The reader named, or the first in :func:`detection_order` that recognises the file."""
    _load()
    if name is not None:
        try:
            return _READERS[name]
        except KeyError:
            known = ", ".join(sorted(_READERS))
            raise InputError(f"unknown format {name!r}; known formats: {known}") from None
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    for cls in detection_order():
        if cls.sniff(path, head):
            return cls
    known = ", ".join(sorted(_READERS))
    raise InputError(f"cannot tell the format of {path}; name it with --format ({known})")
