from __future__ import annotations

from typing import Any

import pytest

from threadline.ads import Ad, parse_ad


def make_ad(text: str, *, title: str = "", country: str = "GB", **extra: Any) -> Ad:
    record = {
        "id": extra.pop("id", "ad-1"), "platform": "example-classifieds",
        "url": "https://example.org/ad-1", "posted_at": "2024-05-01T10:00:00Z",
        "country": country, "location": extra.pop("location", ""), "title": title, "text": text,
        **extra,
    }  # fmt: skip
    return parse_ad(record)


@pytest.fixture
def ad_factory() -> Any:
    return make_ad
