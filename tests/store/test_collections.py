from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from threadline.exc import InputError, NotFound
from threadline.model.collections import Sharing, build_collection
from threadline.store import Store
from threadline.store.collections import (
    create_collection,
    get_collection,
    list_collections,
    update_collection,
)


def test_create_and_read_back(store: Store) -> None:
    item = build_collection(
        "notices-red",
        kind="notices",
        owner_agency="NCB Stockholm",
        owner_country="Sweden",
        sharing="countries",
        shared_countries=["no", "DK", "fin"],
        watchlist=True,
    )
    with store.begin() as conn:
        create_collection(conn, item)
    with store.connect() as conn:
        got = get_collection(conn, "notices-red")
    assert got.owner_country == "SE"
    assert got.sharing is Sharing.COUNTRIES
    assert got.shared_countries == ("DK", "FI", "NO")
    assert got.watchlist is True
    assert got.review_at is not None
    # five years after entry, as under INTERPOL's rules
    assert timedelta(days=5 * 365) <= got.review_at - got.created_at <= timedelta(days=5 * 366)


def test_duplicate_name_is_refused(store: Store) -> None:
    item = build_collection("ads", owner_agency="a", owner_country="SE")
    with store.begin() as conn:
        create_collection(conn, item)
    with pytest.raises(InputError, match="already exists"), store.begin() as conn:
        create_collection(conn, item)


def test_update_changes_sharing(store: Store) -> None:
    with store.begin() as conn:
        create_collection(conn, build_collection("cases", owner_agency="a", owner_country="SE"))
        changed = build_collection(
            "cases", owner_agency="a", owner_country="SE", sharing="all", kind="case-records"
        )
        update_collection(conn, changed)
    with store.connect() as conn:
        assert [c.sharing for c in list_collections(conn)] == [Sharing.ALL]


def test_the_list_follows_every_change_made_after_it_was_read(store: Store) -> None:
    item = build_collection(
        "cases", owner_agency="a", owner_country="SE", sharing="countries", shared_countries=["NO"]
    )
    with store.begin() as conn:
        create_collection(conn, item)
    with store.connect() as conn:
        first = list_collections(conn)
        assert list_collections(conn) == first  # read again, unchanged
    with store.begin() as conn:
        update_collection(
            conn,
            build_collection(
                "cases",
                owner_agency="a",
                owner_country="SE",
                sharing="countries",
                shared_countries=["NO", "DK"],
                review_at=first[0].review_at - timedelta(days=1),
            ),
        )
        create_collection(conn, build_collection("ads", owner_agency="b", owner_country="FI"))
    with store.connect() as conn:
        listed = {c.name: c for c in list_collections(conn)}
        assert listed["cases"] == get_collection(conn, "cases")
        assert listed["cases"].shared_countries == ("DK", "NO")
        assert listed["cases"].review_at == first[0].review_at - timedelta(days=1)
        assert listed["ads"].owner_country == "FI"


def test_unknown_collection(store: Store) -> None:
    with pytest.raises(NotFound, match="no collection named 'nope'"), store.connect() as conn:
        get_collection(conn, "nope")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Has Space"}, "invalid collection name"),
        ({"owner_country": "Narnia"}, "owner_country: unknown country 'Narnia'"),
        ({"kind": "rumours"}, "unknown collection kind 'rumours'; use one of: ads"),
        ({"sharing": "everyone"}, "unknown sharing policy"),
        ({"sharing": "countries"}, "needs at least one listed country"),
        ({"shared_countries": ["no"]}, "only apply to sharing 'countries'"),
        ({"sharing": "countries", "shared_countries": ["xx"]}, "unknown country 'xx'"),
        ({"owner_agency": "  "}, "needs an owning agency"),
        (
            {"review_at": datetime(2000, 1, 1, tzinfo=UTC)},
            "review date must be after the creation date",
        ),
    ],
)
def test_validation(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"name": "ok", "owner_agency": "unit", "owner_country": "SE"}
    base.update(fields)
    with pytest.raises(InputError, match=message):
        build_collection(**base)  # type: ignore[arg-type]
