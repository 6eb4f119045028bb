"""Search and entities with their provenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from threadline.api.deps import PageDep, PurposeActor, StoreDep, paginated
from threadline.services.entities import get_entity
from threadline.services.search import search_entities

router = APIRouter(tags=["search and entities"])


@router.get("/search")
def search(
    store: StoreDep,
    actor: PurposeActor,
    p: PageDep,
    q: Annotated[str, Query(min_length=2, max_length=200, description="Name or part of one.")],
    schema: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Entities whose names contain ``q``, in collections the caller may see (needs a purpose)."""
    results = search_entities(store, actor, q, schema=schema, limit=p.limit, offset=p.offset)
    return paginated([r.to_dict() for r in results], p)


@router.get("/entities/{entity_id}")
def entity(entity_id: str, store: StoreDep, actor: PurposeActor) -> dict[str, Any]:
    """An entity (merges resolved) with every value's collection, job and source record."""
    return get_entity(store, entity_id, actor).to_dict()
