"""Ad records: the fields of an online ad as platforms publish them, validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from threadline.exc import InputError
from threadline.primitives.countries import clean_country

REQUIRED = ("id", "platform", "url", "posted_at", "country", "location", "title", "text")


@dataclass(frozen=True, slots=True)
class Poster:
    """Who posted the ad, as the platform shows it."""

    handle: str | None = None
    profile_url: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image of the ad: a file path or a perceptual hash."""

    file: str | None = None
    phash: str | None = None


@dataclass(frozen=True, slots=True)
class Ad:
    """An online advertisement (escort, job, housing...) as collected."""

    id: str
    platform: str
    url: str
    posted_at: datetime
    country: str
    location: str
    title: str
    text: str
    language: str | None = None
    category: str | None = None
    poster: Poster | None = None
    images: tuple[ImageRef, ...] = field(default_factory=tuple)


def _text(record: dict[str, Any], key: str, *, required: bool, allow_empty: bool = True) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise InputError(f"missing field {key!r}")
        return ""
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise InputError(f"field {key!r} is empty")
    return value


def _optional(record: dict[str, Any], key: str) -> str | None:
    value = _text(record, key, required=False).strip()
    return value or None


def _posted_at(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"field 'posted_at' is not an ISO 8601 date: {value!r}") from None


def _poster(value: Any) -> Poster | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise InputError("field 'poster' must be an object {handle, profile_url, display_name}")
    unknown = set(value) - {"handle", "profile_url", "display_name"}
    if unknown:
        raise InputError(f"field 'poster' has unknown keys: {', '.join(sorted(unknown))}")
    return Poster(**{k: _optional(value, k) for k in ("handle", "profile_url", "display_name")})


def _images(value: Any) -> tuple[ImageRef, ...]:
    if value is None or value == "":
        return ()
    if not isinstance(value, list):
        raise InputError("field 'images' must be a list of {file} or {phash} objects")
    images = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not (item.get("file") or item.get("phash")):
            raise InputError(f"images[{i}] must be an object with 'file' or 'phash'")
        images.append(ImageRef(file=_optional(item, "file"), phash=_optional(item, "phash")))
    return tuple(images)


def parse_ad(record: dict[str, Any]) -> Ad:
    """Validate one raw record; raise ``InputError`` saying which field is wrong and why."""
    if not isinstance(record, dict):
        raise InputError(f"an ad must be a JSON object, got {type(record).__name__}")
    ad_id = record.get("id")
    if isinstance(ad_id, int) and not isinstance(ad_id, bool):
        ad_id = str(ad_id)
    if not isinstance(ad_id, str) or not ad_id.strip():
        raise InputError(
            "missing field 'id'" if ad_id is None else "field 'id' is empty or not text"
        )
    where = f"ad {ad_id!r}: "
    try:
        country_text = _text(record, "country", required=True, allow_empty=False)
        country = clean_country(country_text)
        if country is None:
            raise InputError(f"field 'country' is not an ISO 3166 country: {country_text!r}")
        text = _text(record, "text", required=True, allow_empty=False)
        return Ad(
            id=ad_id.strip(),
            platform=_text(record, "platform", required=True, allow_empty=False).strip(),
            url=_text(record, "url", required=True).strip(),
            posted_at=_posted_at(_text(record, "posted_at", required=True, allow_empty=False)),
            country=country,
            location=_text(record, "location", required=True),
            title=_text(record, "title", required=True),
            text=text,
            language=(_optional(record, "language") or "").lower() or None,
            category=_optional(record, "category"),
            poster=_poster(record.get("poster")),
            images=_images(record.get("images")),
        )
    except InputError as exc:
        raise InputError(where + str(exc)) from None
