"""A collection owned by another agency names a registered agency with its registered country,
whichever interface builds it: the rule lives in the collections service, so a caller that
skips the command line's checks (an API route, a script) meets it too."""

from __future__ import annotations

import pytest

from threadline.exc import InputError
from threadline.governance import Actor, Role
from threadline.governance.accounts import create_agency
from threadline.model.collections import build_collection
from threadline.services import collections as collections_service
from threadline.store import Store

ADMIN = Actor("admin", "NCB Stockholm", "SE", frozenset({Role.ADMINISTRATOR}))


@pytest.fixture
def registered(store: Store) -> Store:
    with store.begin() as conn:
        create_agency(conn, "NCB Oslo", "NO")
    return store


@pytest.mark.parametrize(
    ("agency", "country", "message"),
    [
        ("NCB Atlantis", "SE", "no agency named 'NCB Atlantis'"),
        ("NCB Oslo", "SE", "agency 'NCB Oslo' belongs to NO, not SE"),
    ],
)
def test_the_service_refuses_an_owner_that_is_not_registered_as_given(
    registered: Store, agency: str, country: str, message: str
) -> None:
    item = build_collection("oslo-cases", owner_agency=agency, owner_country=country)
    with pytest.raises(InputError, match=message):
        collections_service.create(registered, ADMIN, item)
    assert collections_service.list_visible(registered, ADMIN) == []


def test_a_registered_owner_with_its_country_is_created(registered: Store) -> None:
    agency, country = collections_service.owner(registered, ADMIN, "NCB Oslo", None)
    item = build_collection("oslo-cases", owner_agency=agency, owner_country=country)
    created = collections_service.create(registered, ADMIN, item)
    assert (created.owner_agency, created.owner_country) == ("NCB Oslo", "NO")


def test_the_actors_own_agency_needs_no_registration(store: Store) -> None:
    assert collections_service.owner(store, ADMIN, None, "se") == ("NCB Stockholm", "SE")
    with pytest.raises(InputError, match="not your agency's country"):
        collections_service.owner(store, ADMIN, None, "NO")
