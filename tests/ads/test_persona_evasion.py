"""Personas when operators evade: ads without contacts, burner runs, platform boilerplate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.ads.features import AdFeatures
from threadline.ads.personas import LinkSettings, link_ads

from .test_personas import feature

NOTICE = ("safety notice from the platform never pay a fee to apply for a job and never hand "
          "over your passport or identity card to an employer report any ad that asks for "
          "money or documents with the report button below this listing")  # fmt: skip
WELDERS = ("welders wanted for shipyard work abroad 🔥 salary _price_ paid weekly, housing "
           "given, we advance the ticket and keep documents safe, leave in ten days")  # fmt: skip
NANNIES = ("live in nanny for a kind family in _place_ 💰 no papers needed, the boss arranges "
           "the visa, pay _price_ cash, young girls preferred, call now")  # fmt: skip


def groups_of(ads: list[AdFeatures], settings: LinkSettings | None = None) -> dict[str, int]:
    linkage = link_ads(ads, settings)
    return {a.ad_id: g for a, g in zip(ads, linkage.groups, strict=True)}


def _honest_with_notice(n: int = 40) -> list[AdFeatures]:
    """``n`` honest advertisers, two ads each, own phone, the platform's notice on every ad."""
    return [
        feature(f"h{i}-{k}", [("phone", f"+44770090{5000 + i}")],
                text=f"shop {i} hiring a cashier in _place_ number {i} {NOTICE}")
        for i in range(n) for k in range(2)
    ]  # fmt: skip


def test_a_platform_notice_many_advertisers_print_links_nobody() -> None:
    honest = _honest_with_notice()
    # Two lone ads of different advertisers: little text of their own, the long notice.
    lone = [feature("x", [], text=f"room to let {NOTICE}"),
            feature("y", [], text=f"car for sale {NOTICE}")]  # fmt: skip
    ads = honest + lone
    groups = groups_of(ads)
    assert groups["x"] != groups["y"]
    assert groups["x"] not in {groups[a.ad_id] for a in honest}
    assert link_ads(ads).boilerplate > 20  # the notice's phrases, learned from the collection


def test_an_ad_without_contacts_joins_the_operator_it_is_written_like_despite_the_notice() -> None:
    operator = [feature(f"w{i}", [("phone", "+447700900777")], text=WELDERS) for i in range(3)]
    bare = feature("bare", [], text=f"{WELDERS} {NOTICE}")
    ads = _honest_with_notice() + operator + [bare]
    linkage = link_ads(ads)
    groups = {a.ad_id: g for a, g in zip(ads, linkage.groups, strict=True)}
    assert groups["bare"] == groups["w0"]
    (reason,) = linkage.reasons[-1]
    assert reason.kind == "template" and reason.value.startswith("template:w")
    assert reason.weight >= LinkSettings().template_attach  # the similarity, shown
    # With the notice left in, the bare ad reads like every honest advertiser: left alone.
    unstripped = groups_of(ads, LinkSettings(boilerplate=False))
    assert unstripped["bare"] != unstripped["w0"]


def test_an_ad_written_like_several_advertisers_joins_none() -> None:
    # Three advertisers write alike (too many to be one operator's burner runs).
    ads = [feature(f"{who}{i}", [("phone", f"+44770090010{n}")], text=WELDERS)
           for n, who in enumerate("abc") for i in range(3)]  # fmt: skip
    bare = feature("bare", [], text=WELDERS)
    groups = groups_of([*ads, bare])
    assert len({groups["a0"], groups["b0"], groups["c0"]}) == 3
    assert groups["bare"] not in (groups["a0"], groups["b0"], groups["c0"])


def test_burner_runs_written_alike_join_and_say_so() -> None:
    run_one = [feature(f"r{i}", [("phone", "+447700900301"), ("account", "jobs:welds1")],
                       text=WELDERS) for i in range(3)]  # fmt: skip
    run_two = [feature(f"s{i}", [("phone", "+447700900399"), ("account", "jobs:welds2")],
                       text=WELDERS, day=40) for i in range(3)]  # fmt: skip
    other = [feature(f"n{i}", [("phone", "+447700900501")], text=NANNIES) for i in range(3)]
    ads = run_one + run_two + other
    linkage = link_ads(ads)
    groups = {a.ad_id: g for a, g in zip(ads, linkage.groups, strict=True)}
    assert groups["r0"] == groups["s0"] != groups["n0"]
    notes = {r.note for rs in linkage.reasons for r in rs if r.kind == "template"}
    assert notes == {"runs of different phones and accounts written alike"}
    assert len(set(groups_of(ads, LinkSettings(template_runs=1.0)).values())) == 3


def test_burner_runs_in_two_countries_or_with_a_third_look_alike_stay_apart() -> None:
    one = [feature(f"r{i}", [("phone", "+447700900301")], text=WELDERS) for i in range(3)]
    abroad = [feature(f"f{i}", [("phone", "+33639981234")], text=WELDERS, country="FR")
              for i in range(3)]  # fmt: skip
    groups = groups_of(one + abroad)
    assert groups["r0"] != groups["f0"]
    two = [feature(f"s{i}", [("phone", "+447700900399")], text=WELDERS) for i in range(3)]
    three = [feature(f"t{i}", [("phone", "+447700900398")], text=WELDERS) for i in range(3)]
    groups = groups_of(one + two + three)
    assert len({groups["r0"], groups["s0"], groups["t0"]}) == 3  # ambiguous: nobody joins


@pytest.fixture(scope="module")
def evasive_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from threadline.simulation import simulate
    from threadline.simulation.config import make_config

    out = tmp_path_factory.mktemp("evasive")
    simulate(make_config("small", 3, regime="evasive"), out, force=True, parallel=False)
    return out


def test_the_evasive_regime_writes_bare_ads_burner_runs_and_notices(evasive_world: Path) -> None:
    truth = json.loads((evasive_world / "truth.json").read_text(encoding="utf-8"))
    assert truth["config"]["regime"] == "evasive"
    ads = {}
    for line in (evasive_world / "ads.jsonl").read_text(encoding="utf-8").splitlines():
        ad = json.loads(line)
        ads[ad["id"]] = ad
    network_ads = [ads[i] for p in truth["personas"] for i in p["ad_ids"]]
    bare = [ad for ad in network_ads if "poster" not in ad]
    assert 0.1 < len(bare) / len(network_ads) < 0.3
    rotated = [p for p in truth["personas"] if len(p["handles"]) > 1]
    assert rotated
    persona = max(rotated, key=lambda p: len(p["ad_ids"]))
    posted = sorted((ads[i]["posted_at"], ads[i].get("poster", {}).get("handle"))
                    for i in persona["ad_ids"])  # fmt: skip
    accounts = [h for _, h in posted if h]
    assert accounts[0] == persona["handles"][0] and set(accounts) <= set(persona["handles"])
    noticed = sum("safety notice" in ad["text"].lower() or "reminder:" in ad["text"]
                  or "Posted on" in ad["text"] for ad in ads.values())  # fmt: skip
    assert 0.35 < noticed / len(ads) < 0.65


def test_an_unknown_regime_is_refused() -> None:
    from threadline.exc import InputError
    from threadline.simulation.config import make_config

    with pytest.raises(InputError, match="unknown regime 'sneaky' \\(choose boilerplate, "):
        make_config("small", 1, regime="sneaky")


def test_two_advertisers_posting_side_by_side_in_one_wording_stay_apart() -> None:
    # Stock wording posted over the same months by two advertisers: not one operator's runs.
    first = [feature(f"r{i}", [("phone", "+447700900301")], text=WELDERS, day=10 * i)
             for i in range(4)]  # fmt: skip
    second = [feature(f"s{i}", [("phone", "+447700900399")], text=WELDERS, day=10 * i + 5)
              for i in range(4)]  # fmt: skip
    groups = groups_of(first + second)
    assert groups["r0"] != groups["s0"]
