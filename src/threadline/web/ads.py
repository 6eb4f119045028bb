"""Ad intelligence pages: personas (one operator behind many ads), riskiest first, and one
persona with why it is risky, how its ads were linked, its movement across places on a map
and over time, and each ad's explained risk.

For analysts, as every ads read (the ads package checks visibility and audits each look).
The map and the time axis are drawn from the same movement the page lists, so they show
nothing the table does not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from threadline.governance import AccessDenied, Role
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
PAGE = 50


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _analyst(user: WebUser) -> None:
    if not user.actor.has(Role.ANALYST):
        raise AccessDenied("ad intelligence is for analysts")


@router.get("/ads/personas", response_class=HTMLResponse)
def personas(
    request: Request,
    user: User,
    min_risk: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    from threadline.ads.service import list_personas

    _analyst(user)
    found = list_personas(
        _store(request), user.actor, min_risk=min_risk or None, limit=PAGE + 1, offset=offset
    )
    return page(
        request,
        "personas.html",
        user=user,
        personas=found[:PAGE],
        more=len(found) > PAGE,
        min_risk=min_risk,
        offset=offset,
        page_size=PAGE,
    )


def movement_steps(movement: dict[str, Any]) -> list[dict[str, Any]]:
    """The persona's ads in posting order as map steps: date, country, place (city)."""
    return [
        {
            "when": str(stop.get("posted_at") or "")[:10] or None,
            "country": stop.get("country"),
            "place": str(stop.get("place") or "").split(":", 1)[-1] or None,
            "ad_id": stop.get("ad_id"),
        }
        for stop in movement.get("timeline", [])
    ]


@router.get("/ads/personas/{persona_id}", response_class=HTMLResponse)
def persona(request: Request, user: User, persona_id: str) -> Response:
    from threadline.ads.service import get_persona
    from threadline.web.charts import timeline
    from threadline.web.maps import trail_map

    _analyst(user)
    view = get_persona(_store(request), user.actor, persona_id)
    steps = movement_steps(view.get("movement", {}))
    events = [(s["when"], f"ad {i}: {s['place'] or s['country'] or 'place unknown'}")
              for i, s in enumerate(steps, start=1)]  # fmt: skip
    return page(
        request,
        "persona.html",
        user=user,
        view=view,
        steps=steps,
        movement_map=trail_map(steps, map_id="movement-map"),
        movement_axis=timeline(events, chart_id="movement-timeline", label="Ads over time"),
    )
