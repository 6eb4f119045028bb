"""Persona linking: selectors with a hub guard, templates, re-used images, context, movement."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

import imagehash
import pytest
from PIL import Image, ImageDraw

from threadline.ads import extract, score
from threadline.ads.context import BOOST_ID, context_boosts
from threadline.ads.features import AdFeatures, ad_features
from threadline.ads.personas import LinkSettings, build_personas, link_ads

from .conftest import make_ad

T0 = datetime(2025, 3, 1, 12, tzinfo=UTC)
AGENCY = "+442079460999"  # a legitimate agency's switchboard, printed on thousands of ads


def feature(ad_id: str, selectors: list[tuple[str, str]], *, text: str = "", risk: float = 0.1,
            day: int = 0, country: str = "GB", city: str | None = None,
            phashes: tuple[int, ...] = ()) -> AdFeatures:  # fmt: skip
    return AdFeatures(ad_id, tuple(selectors), text or f"unique words for {ad_id} only",
                      phashes, T0 + timedelta(days=day), country, city or "", city,
                      risk)  # fmt: skip


def persona_of(features: list[AdFeatures], settings: LinkSettings | None = None) -> dict[str, int]:
    linkage = link_ads(features, settings)
    return {f.ad_id: g for f, g in zip(features, linkage.groups, strict=True)}


def test_a_hub_phone_in_thousands_of_ads_does_not_fuse_two_operators() -> None:
    honest = [feature(f"h{i:04d}", [("phone", AGENCY), ("account", f"jobs:poster{i % 700}")])
              for i in range(2000)]  # fmt: skip
    op_a = [feature(f"a{i}", [("phone", "+447700900101"), ("phone", AGENCY)], risk=0.9)
            for i in range(3)]  # fmt: skip
    op_b = [feature(f"b{i}", [("phone", "+447700900202"), ("phone", AGENCY)], risk=0.8)
            for i in range(3)]  # fmt: skip
    linkage = link_ads(honest + op_a + op_b)
    groups = {f.ad_id: g for f, g in zip(linkage.ads, linkage.groups, strict=True)}
    assert len({groups[f"a{i}"] for i in range(3)}) == 1
    assert len({groups[f"b{i}"] for i in range(3)}) == 1
    assert groups["a0"] != groups["b0"]
    assert groups["a0"] != groups["h0000"]
    hub = next(h for h in linkage.hubs if h.value == AGENCY)
    assert hub.ads == 2006
    # Why each operator ad joined: its own phone, weighted by rarity; never the hub.
    reasons = linkage.reasons[2000]
    assert [(r.kind, r.value, r.ads) for r in reasons] == [("phone", "+447700900101", 3)]
    assert reasons[0].weight > 6  # ln(2006 / 3)


def test_a_hub_in_a_small_collection_is_caught_by_its_spread() -> None:
    support = "+442079460480"  # below any document-frequency cap, but many advertisers print it
    ads = [feature(f"x{i}", [("phone", support), ("account", f"market:seller{i}")])
           for i in range(12)]  # fmt: skip
    groups = persona_of(ads)
    assert len(set(groups.values())) == 12


def test_one_operators_template_links_ads_without_shared_selectors() -> None:
    template = ("URGENT hotel workers needed in {city}, no experience needed, earn _price_ a "
                "month, flights and visa paid, free accommodation, we keep your passport for "
                "safe keeping, contract on arrival, leave this week, "
                "message _phone_ now")  # fmt: skip
    ads = [feature(f"t{i}", [("phone", f"+44770090030{i}")],
                   text=template.format(city=city).lower())
           for i, city in enumerate(["_place_", "_place_ today", "_place_ centre"])]  # fmt: skip
    other = feature(
        "u1",
        [("phone", "+447700900399")],
        text="friendly bakery in town seeks a part time assistant for weekend shifts",
    )
    groups = persona_of([*ads, other])
    assert groups["t0"] == groups["t1"] == groups["t2"]
    assert groups["u1"] != groups["t0"]
    linkage = link_ads([*ads, other])
    assert any(r.kind == "template" for r in linkage.reasons[1])


def _photo(seed: int) -> Image.Image:
    rng = random.Random(seed)
    img = Image.new("RGB", (160, 160), (rng.randrange(256), 90, 140))
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y = rng.randrange(130), rng.randrange(130)
        draw.ellipse((x, y, x + rng.randint(15, 60), y + rng.randint(15, 60)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))  # fmt: skip
    return img


def _reencoded(img: Image.Image) -> Image.Image:
    small = img.resize((100, 100), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=60)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_a_resized_reencoded_photo_links_two_ads() -> None:
    original = _photo(1)
    first = int(str(imagehash.phash(original)), 16)
    copy = int(str(imagehash.phash(_reencoded(original))), 16)
    unrelated = int(str(imagehash.phash(_photo(2))), 16)
    assert bin(first ^ copy).count("1") <= 8
    ads = [feature("i1", [("phone", "+447700900501")], phashes=(first,)),
           feature("i2", [("phone", "+447700900502")], phashes=(copy,)),
           feature("i3", [("phone", "+447700900503")], phashes=(unrelated,))]  # fmt: skip
    groups = persona_of(ads)
    assert groups["i1"] == groups["i2"] != groups["i3"]
    assert len(set(persona_of(ads, LinkSettings(images=False)).values())) == 3


@pytest.mark.parametrize(("flipped", "linked"), [(0, True), (5, True), (8, True), (9, False)])
def test_images_link_within_the_hamming_distance(flipped: int, linked: bool) -> None:
    base = 0x9F3A_5C71_0E8D_B246
    other = base ^ sum(1 << (7 * i) for i in range(flipped))  # bits spread over every block
    ads = [feature("j1", [], phashes=(base,)), feature("j2", [], phashes=(other,))]
    groups = persona_of(ads)
    assert (groups["j1"] == groups["j2"]) is linked


def test_a_benign_ad_sharing_a_phone_with_high_risk_ads_rises_with_an_explanation() -> None:
    risky = [make_ad("Sweet young latina 🌹 150 roses/hr, trust me 100% real 💗👑 "
                     f"call 07700 900777 {i}", id=f"r{i}") for i in range(2)]  # fmt: skip
    benign = make_ad("Room to rent near the station, call 07700 900777", id="b1")
    ads = [*risky, benign]
    found = [extract(a) for a in ads]
    base = [score(a, f) for a, f in zip(ads, found, strict=True)]
    features = [ad_features(a, f, risk=s.risk) for a, f, s in zip(ads, found, base, strict=True)]
    linkage = link_ads(features)
    boosts = context_boosts(linkage, [s.risk for s in base])
    assert not boosts[0] and not boosts[1]
    (boost,) = boosts[2]
    assert boost.id == BOOST_ID and boost.weight > 0
    assert boost.evidence["link"] == {"kind": "phone", "value": "+447700900777"}
    boosted = score(benign, found[2], context_boosts=boosts[2])
    assert boosted.risk > base[2].risk + 0.1
    assert BOOST_ID in {c.id for c in boosted.contributions}


@pytest.mark.parametrize(
    ("stops", "multi_city", "cross_border"),
    [
        ([("US", "US:New York"), ("US", "US:Los Angeles"), ("US", "US:Miami")], True, False),
        ([("FR", "FR:Lyon"), ("ES", "ES:Madrid")], True, True),
        ([("GB", "GB:Leeds"), ("GB", "GB:Leeds")], False, False),
    ],
)
def test_persona_timeline_and_movement_flags(
    stops: list[tuple[str, str]], multi_city: bool, cross_border: bool
) -> None:
    ads = [feature(f"m{i}", [("phone", "+447700900600")], day=10 - i, country=c, city=city,
                   risk=0.2 + i / 10) for i, (c, city) in enumerate(stops)]  # fmt: skip
    (persona,) = build_personas(link_ads(ads))
    assert persona.id == "P-m0"
    assert persona.movement.multi_city is multi_city
    assert persona.movement.cross_border is cross_border
    timeline = persona.movement.timeline
    assert [s.ad_id for s in timeline] == [f"m{i}" for i in reversed(range(len(stops)))]
    assert persona.first_seen < persona.last_seen
    top = sorted((a.risk for a in ads), reverse=True)[:3]
    assert persona.risk == pytest.approx(sum(top) / len(top), abs=1e-6)
    assert sum(c["contribution"] for c in persona.explanation) == pytest.approx(persona.risk)


# Two operators of one network: a shared account and burner phone, a phone of their own,
# each their own template (as network personas are simulated and seen in practice).
_ESCORT = "new in _place_ 💗 very young and sweet, specials today only. text _phone_ {i}"
_JOBS = "hotel staff needed in _place_ ! flights and visa paid, no english needed. call _phone_ {i}"


def _network_ads() -> list[AdFeatures]:
    shared = [("account", "classifieds:angel_614"), ("phone", "+447700900700")]
    out = []
    for i in range(5):
        own = ("phone", "+447700900701") if i % 2 else shared[1]
        out.append(feature(f"e{i}", [shared[0], own, ("phone", "+447700900711")][: 2 + (i < 2)],
                           text=_ESCORT.format(i=""), risk=0.9))  # fmt: skip
    for i in range(5):
        own = ("phone", "+447700900702") if i % 2 else shared[1]
        out.append(feature(f"j{i}", [shared[0], own, ("phone", "+447700900712")][: 2 + (i < 2)],
                           text=_JOBS.format(i=""), risk=0.8))  # fmt: skip
    return out


def test_operators_sharing_an_account_and_a_phone_are_told_apart_by_their_templates() -> None:
    ads = _network_ads()
    linkage = link_ads(ads)
    groups = {f.ad_id: g for f, g in zip(ads, linkage.groups, strict=True)}
    assert len({groups[f"e{i}"] for i in range(5)}) == 1
    assert len({groups[f"j{i}"] for i in range(5)}) == 1
    assert groups["e0"] != groups["j0"]
    assert linkage.shared[("account", "classifieds:angel_614")] == 2
    assert linkage.shared[("phone", "+447700900700")] == 2
    # Each ad says why it joined, and that the shared selector links only its own style.
    (account,) = [r for r in linkage.reasons[0] if r.kind == "account"]
    assert "printed by 2 operators" in account.note and "written like ad e0" in account.note
    assert account.to_dict()["note"] == account.note
    (own,) = [r for r in linkage.reasons[1] if r.value == "+447700900701"]
    assert own.note == ""
    # Without the style rule the shared selectors fuse them (the old behaviour).
    assert len(set(persona_of(ads, LinkSettings(styles=False)).values())) == 1


def test_one_advertiser_writing_two_texts_with_one_phone_stays_one_persona() -> None:
    phone = ("phone", "+447700900800")
    ads = [feature(f"e{i}", [phone], text=_ESCORT.format(i="")) for i in range(5)]
    ads += [feature(f"j{i}", [phone], text=_JOBS.format(i="")) for i in range(5)]
    linkage = link_ads(ads)
    assert len(set(linkage.groups)) == 1  # no style holds evidence of its own
    assert linkage.shared == {}


def test_an_ad_pointing_to_two_operators_does_not_bridge_them() -> None:
    ads = _network_ads()
    # Written like neither, with the escort operator's own phone and the job operator's.
    ads.append(feature("x", [("phone", "+447700900711"), ("phone", "+447700900712")],
                       text="completely different words about a car for sale cheap"))  # fmt: skip
    groups = persona_of(ads)
    assert groups["e0"] != groups["j0"]
    assert groups["x"] not in (groups["e0"], groups["j0"])


def test_wording_alone_attaches_a_lone_ad_but_never_joins_two_personas() -> None:
    ads = _network_ads()
    ads.append(feature("lone", [], text=_JOBS.format(i="")))
    linkage = link_ads(ads)
    groups = {f.ad_id: g for f, g in zip(ads, linkage.groups, strict=True)}
    assert groups["lone"] == groups["j0"] != groups["e0"]
    assert [r.kind for r in linkage.reasons[-1]] == ["template"]


def test_batched_signatures_equal_one_text_at_a_time() -> None:
    from threadline.ads.similarity import signature, signatures

    texts = ["", "one", "two words", _ESCORT, _JOBS, "a b c d e f g h", "   "] * 3
    batched = signatures(texts, batch=4)
    assert all((batched[i] == signature(t)).all() for i, t in enumerate(texts))
