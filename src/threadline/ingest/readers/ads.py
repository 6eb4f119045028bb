"""Online ads (``ads.jsonl``, or ``--format ads`` for a CSV with the same columns).

One valid ad becomes:

- a ``HyperText`` (the ad): ``title``, ``bodyText``, ``sourceUrl``, ``publishedAt``
  (UTC), ``country``, ``language``, ``publisher`` (the platform), ``author`` (the
  poster's display name, else handle), ``address`` (the ad's free-text
  ``location``), ``keywords`` (its ``category``) and ``messageId`` (the ad's own id);
- a ``UserAccount`` for the poster when there is one: ``username`` (handle),
  ``name`` (display name), ``sourceUrl`` (profile), ``service`` (platform) and
  ``proof`` pointing at every ad it posted (its id hashes platform and handle, so
  one account seen in many ads is one entity);
- an ``Image`` per image reference, ``parent`` = the ad: ``fileName`` (the path
  as written), ``contentHash`` (SHA-1 of the file) and the 64-bit perceptual hash
  as ``keywords`` = ``"phash:<16 hex digits>"``, given or computed with
  ``imagehash.phash`` from the file (relative to the ads file's folder). A given
  hash that is not 16 hex digits is left out with a rejection line (ad kept). A file
  that is missing or not an image does not reject the ad: its ``Image`` gets
  ``processingStatus`` ``"missing"`` or ``"unreadable"`` and the reason in
  ``processingError``, and has no perceptual hash.

Entity ids hash the collection name with the ad id (and the image's position),
so re-ingesting the same file adds nothing. Every statement's source record id
is the ad's own ``id``, so analyses can report the original ad ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.entities import LEFT_OUT, reject_value
from threadline.ingest.registry import register
from threadline.primitives.inputs import image_hash

if TYPE_CHECKING:
    from threadline.model.ads import Ad, ImageRef

PHASH_PREFIX = "phash:"


def ad_entity_id(collection: str, ad_id: str) -> str:
    """The id of an ad's ``HyperText`` in a collection."""
    return _make_id(collection, "ad", ad_id)


def _make_id(*parts: str) -> str:
    entity = model.make_entity("Thing")
    made = entity.make_id(*parts)
    assert made is not None
    return made


@register
class AdsReader(Reader):
    name = "ads"
    description = "online ads, one JSON object per line with platform and text (or CSV)"
    extensions = (".ads.jsonl",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.name.lower().endswith(cls.extensions):
            return True
        first = head.lstrip().split(b"\n", 1)[0]
        return first.startswith(b"{") and b'"platform"' in first and b'"text"' in first

    def prepare(self, path: Path) -> None:
        self.folder = path.parent
        self._hashes: dict[Path, tuple[str | None, str | None, str | None]] = {}

    def records(self, path: Path) -> Iterator[SourceRecord]:
        if path.suffix.lower() == ".csv":
            yield from self._csv_records(path)
            return
        offset = 0
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                offset += len(line)
                text = line.strip()
                if not text:
                    continue
                try:
                    value: Any = orjson.loads(text)
                except orjson.JSONDecodeError:
                    value = text  # parse() says why
                yield SourceRecord(number, _source_id(value), value, offset)

    def _csv_records(self, path: Path) -> Iterator[SourceRecord]:
        from threadline.ingest.ads_files import csv_records

        for number, value in csv_records(path):
            yield SourceRecord(number, _source_id(value), value)

    def excerpt(self, record: SourceRecord) -> str:
        raw = record.raw
        if isinstance(raw, dict):
            return orjson.dumps(raw).decode("utf-8", "replace")[:300]
        return super().excerpt(record)

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        from threadline.model.ads import parse_ad

        raw = record.raw
        if isinstance(raw, InputError):
            raise RecordError(str(raw))
        if isinstance(raw, bytes):
            try:
                orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise RecordError(f"not valid JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise RecordError("a line must hold one JSON object")
        try:
            ad = parse_ad(raw)
        except InputError as exc:
            raise RecordError(str(exc)) from None
        return self.entities(ad)

    def entities(self, ad: Ad) -> list[EntityProxy]:
        """The FtM entities of one parsed ad."""
        collection = self.context.collection
        item = model.make_entity("HyperText")
        item.id = ad_entity_id(collection, ad.id)
        posted = ad.posted_at
        if posted.tzinfo is not None:
            posted = posted.astimezone(UTC).replace(tzinfo=None)
        poster = ad.poster
        author = poster and (poster.display_name or poster.handle)
        values = {
            "messageId": ad.id, "title": ad.title, "bodyText": ad.text, "sourceUrl": ad.url,
            "publishedAt": posted.isoformat(timespec="seconds"), "country": ad.country,
            "language": ad.language, "publisher": ad.platform, "author": author,
            "address": ad.location, "keywords": ad.category,
        }  # fmt: skip
        for prop, value in values.items():
            if value:
                _add(item, prop, value)
        out = [item]
        if poster is not None and (poster.handle or poster.profile_url or poster.display_name):
            account = model.make_entity("UserAccount")
            key = poster.handle or poster.profile_url or poster.display_name or ""
            account.id = _make_id(collection, "poster", ad.platform, key)
            fields = (("username", poster.handle), ("name", poster.display_name),
                      ("sourceUrl", poster.profile_url), ("service", ad.platform))  # fmt: skip
            for prop, value in fields:
                if value:
                    _add(account, prop, value)
            account.add("proof", item.id)
            out.append(account)
        for position, ref in enumerate(ad.images):
            out.append(self._image(collection, ad, item.id, position, ref))
        return out

    def _image(
        self, collection: str, ad: Ad, parent: str, position: int, ref: ImageRef
    ) -> EntityProxy:
        image = model.make_entity("Image")
        image.id = _make_id(collection, "ad-image", ad.id, str(position))
        image.add("parent", parent)
        phash = self._given_hash(image, ad, position, ref)
        if ref.file:
            image.add("fileName", ref.file)
            computed, sha1, problem = self._hash_file(ref.file)
            if sha1:
                image.add("contentHash", sha1)
            if problem:
                status, reason = problem.split(":", 1)
                image.add("processingStatus", status)
                image.add("processingError", reason.strip())
            phash = phash or computed
        if phash:
            image.add("keywords", PHASH_PREFIX + phash)
        return image

    @staticmethod
    def _given_hash(image: EntityProxy, ad: Ad, position: int, ref: ImageRef) -> str | None:
        """The hash the ad gives (16 hex digits); any other value is left out with a reason."""
        if not ref.phash or not ref.phash.strip():
            return None
        try:
            return image_hash(f"ad {ad.id!r}: images[{position}].phash", ref.phash)
        except InputError as exc:
            reject_value(image, f"{exc}; {LEFT_OUT}")
            return None

    def _hash_file(self, name: str) -> tuple[str | None, str | None, str | None]:
        """(perceptual hash, SHA-1, problem as "status: reason"), cached per file."""
        path = (self.folder / name).resolve()
        if path not in self._hashes:
            self._hashes[path] = _hash_image(path, name)
        return self._hashes[path]


def _hash_image(path: Path, name: str) -> tuple[str | None, str | None, str | None]:
    import imagehash
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
    except OSError:
        return None, None, f"missing: image file not found: {name}"
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    try:
        from io import BytesIO

        with Image.open(BytesIO(data)) as img:
            return str(imagehash.phash(img)), sha1, None
    except (UnidentifiedImageError, OSError, ValueError):
        return None, sha1, f"unreadable: not an image Pillow can read: {name}"


def _add(entity: EntityProxy, prop: str, value: str) -> None:
    before = len(entity.get(prop))
    entity.add(prop, value)
    if len(entity.get(prop)) == before:
        kind = entity.schema.properties[prop].type.name
        raise RecordError(f"field for {prop}: {value[:80]!r} is not a valid {kind}")


def _source_id(value: Any) -> str:
    if isinstance(value, dict):
        ad_id = value.get("id")
        if isinstance(ad_id, str | int) and not isinstance(ad_id, bool):
            return str(ad_id).strip()
    return ""
