"""The audit chain's secret key and its anchor: two small files outside the database.

The key makes the chain's MACs impossible to recompute for someone who can only
change the database. The anchor holds the id and MAC of the newest committed
event, so removing the newest events (which leaves a shorter chain that is
consistent on its own) is found as well. Both live where the settings say;
by default beside the SQLite file, or in the working folder for PostgreSQL.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import secrets
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import orjson
from sqlalchemy import Engine

from threadline.exc import ConfigError, StoreError, ThreadlineError
from threadline.settings import get_settings

KEY_BYTES = 32
ANCHOR_INTERVAL = 0.2  # seconds between two anchor writes of one process, at the least


class AuditKeyMissing(ThreadlineError):
    """The audit log holds keyed events but the key file is not where the settings say."""


@dataclass(frozen=True)
class ChainFiles:
    key: Path
    anchor: Path


@dataclass(frozen=True)
class Anchor:
    """The newest event committed when the anchor was last written."""

    id: int
    mac: str


_FILES: weakref.WeakKeyDictionary[Engine, tuple[object, ChainFiles]] = weakref.WeakKeyDictionary()


def chain_files(engine: Engine) -> ChainFiles:
    """Where this database's audit key and anchor are (settings, else beside the database)."""
    settings = get_settings()
    cached = _FILES.get(engine)
    if cached is not None and cached[0] is settings:  # same engine, settings unchanged
        return cached[1]
    files = _locate(engine)
    _FILES[engine] = (settings, files)
    return files


def _locate(engine: Engine) -> ChainFiles:
    settings = get_settings()
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:":
        path = Path(database).expanduser().resolve()
        default_key = path.with_name(path.stem + ".audit.key")
        default_anchor = path.with_name(path.stem + ".audit.anchor")
    else:
        # One key serves an installation; the anchor belongs to one database.
        name = engine.url.render_as_string(hide_password=True)
        tag = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        default_key = Path.cwd() / "threadline.audit.key"
        default_anchor = Path.cwd() / f"threadline.{tag}.audit.anchor"
    key = Path(settings.audit_key_file).expanduser() if settings.audit_key_file else default_key
    if settings.audit_anchor_file:
        anchor = Path(settings.audit_anchor_file).expanduser()
    elif settings.audit_key_file:
        anchor = key.with_name(key.stem + ".anchor")
    else:
        anchor = default_anchor
    return ChainFiles(key.resolve(), anchor.resolve())


_KEYS: dict[Path, bytes] = {}
_KEYS_LOCK = threading.Lock()


def load_key(path: Path, *, create: bool) -> bytes:
    """The chain's key; made (mode 0600) when missing and ``create`` allows it.

    A key is only ever made for a chain that has no event yet (or is being keyed by
    the upgrade): a new key for an existing chain would make every event fail.
    """
    with _KEYS_LOCK:
        if path in _KEYS:
            return _KEYS[path]
        key = _read_key(path)
        if key is None:
            if not create:
                raise AuditKeyMissing(
                    f"the audit key file {path} is missing, but the audit log already holds "
                    "events keyed with it: restore the file (or point the audit_key_file "
                    "setting at it); without it the log can be neither extended nor checked"
                )
            key = _create_key(path)
        _KEYS[path] = key
        return key


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read the audit key file {path}: {exc.strerror}") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigError(f"the audit key file {path} does not hold a {KEY_BYTES}-byte hex key")
    return key


def _create_key(path: Path) -> bytes:
    """Write a new key atomically; when another process wins the race, use its key."""
    if not path.parent.is_dir():
        raise ConfigError(f"cannot create the audit key file {path}: no folder {path.parent}")
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, (key.hex() + "\n").encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # fails when the file exists: never replaces a key
    except FileExistsError:
        found = _read_key(path)
        assert found is not None
        return found
    finally:
        temporary.unlink()
    return key


def read_anchor(path: Path) -> Anchor | None:
    """The anchor, or None when there is none yet."""
    try:
        data = orjson.loads(path.read_bytes())
        return Anchor(int(data["id"]), str(data["mac"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the audit anchor file {path} cannot be read: {exc}") from exc


_ANCHORED: dict[Path, int] = {}  # the newest id this process has anchored, per anchor file
_ANCHOR_LOCK = threading.Lock()


def advance_anchor(path: Path, anchor: Anchor) -> None:
    """Record a committed event as the newest, unless a newer one is anchored already.

    Server processes append concurrently and may finish their commits out of order:
    the anchor only moves forward. A lock file serialises the writers; the new
    anchor replaces the old one atomically and is synced to disk.
    """
    with _ANCHOR_LOCK:
        if _ANCHORED.get(path, 0) >= anchor.id:
            return
        try:
            lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)
                current = read_anchor(path)
                if current is None or current.id < anchor.id:
                    _write_anchor(path, anchor)
                _ANCHORED[path] = max(anchor.id, current.id if current else 0)
            finally:
                os.close(lock)  # releases the lock
        except OSError as exc:
            raise StoreError(
                f"the audit event {anchor.id} is committed, but the anchor file {path} could "
                f"not be written: {exc.strerror}"
            ) from exc


class _AnchorWriter:
    """Writes one anchor file in the background, the newest pending anchor each time.

    A commit hands its newest event over and returns at once: the file write and
    its sync to disk (milliseconds) then cost no request any time, and commits
    arriving meanwhile are folded into the next write. A failed write is raised
    to the next caller that hands one over or waits for the writer.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cond = threading.Condition()
        self._pending: Anchor | None = None
        self._busy = False
        self._error: StoreError | None = None
        self._thread: threading.Thread | None = None
        self._flushing = 0  # callers waiting in flush(): write without gathering

    def submit(self, anchor: Anchor) -> None:
        with self._cond:
            self._raise_error()
            if self._pending is None or anchor.id > self._pending.id:
                self._pending = anchor
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"audit-anchor {self.path.name}", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def flush(self) -> None:
        """Wait until every anchor handed over so far is on disk."""
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._pending is not None or self._busy:
                    self._cond.wait()
            finally:
                self._flushing -= 1
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                anchor, self._pending, self._busy = self._pending, None, True
            try:
                advance_anchor(self.path, anchor)
            except StoreError as exc:
                with self._cond:
                    self._error = exc
            finally:
                with self._cond:
                    # Let commits gather for the next write: a synced file write per commit
                    # would compete with the database's own syncs on the same disk.
                    self._cond.wait_for(lambda: self._flushing, timeout=ANCHOR_INTERVAL)
                    self._busy = False
                    self._cond.notify_all()


_WRITERS: dict[Path, _AnchorWriter] = {}
_WRITERS_LOCK = threading.Lock()  # not _ANCHOR_LOCK: that one is held while a file is synced


def anchor_later(path: Path, anchor: Anchor) -> None:
    """Hand a committed event to the anchor file's background writer."""
    with _WRITERS_LOCK:
        writer = _WRITERS.get(path)
        if writer is None:
            writer = _WRITERS[path] = _AnchorWriter(path)
    writer.submit(anchor)


def flush_anchors(path: Path | None = None) -> None:
    """Wait for the background writes of this process (to one file, or all) to reach disk."""
    with _WRITERS_LOCK:
        writers = [w for p, w in _WRITERS.items() if path is None or p == path]
    for writer in writers:
        writer.flush()


atexit.register(flush_anchors)


def reset_anchor(path: Path, anchor: Anchor | None) -> None:
    """Set the anchor unconditionally (the upgrade that keys a chain)."""
    with _ANCHOR_LOCK:
        if anchor is None:
            path.unlink(missing_ok=True)
            _ANCHORED.pop(path, None)
            return
        _write_anchor(path, anchor)
        _ANCHORED[path] = anchor.id


def _write_anchor(path: Path, anchor: Anchor) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, orjson.dumps({"id": anchor.id, "mac": anchor.mac}))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)


def forget_cached(path: Path | None = None) -> None:
    """Drop cached keys and anchors (tests that move or delete the files)."""
    flush_anchors(path)
    with _KEYS_LOCK, _ANCHOR_LOCK:
        if path is None:
            _KEYS.clear()
            _ANCHORED.clear()
        else:
            _KEYS.pop(path, None)
            _ANCHORED.pop(path, None)
