"""Ad intelligence: one ad's selectors and explained risk, a collection's analysis, personas.

For analysts, as every ads call: a platform's trust-and-safety team (or any system
sending ads) acts through an analyst's API token with the write scope. Each answer
is what ``threadline ads ... --json`` prints. An ad sent for extraction or scoring is
not stored; the analysis of a collection stores its findings as the caller's
agency's, as the command does. Personas and ad results are read through the access
layer (only findings of collections the caller may see, hidden victims' identifying
values withheld), and every run, read and sent ad is audited by the ads package,
with the ``purpose`` and ``reference`` the request gives (none is required: the
command asks for none). Answers leave out what the service leaves out
(``response_model_exclude_unset``) rather than adding nulls the command never prints.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.api.schemas.ads import (
    AdIn,
    AdResultOut,
    AdResultPage,
    AnalysisOut,
    AnalyzeIn,
    ExtractionOut,
    MovementOut,
    PersonaOut,
    PersonaPage,
    ScoreOut,
)
from threadline.governance import Actor, Role

router = APIRouter(tags=["ad intelligence"])

ADS_ROLES = (Role.ANALYST,)
Analyst = Annotated[Actor, require_role(*ADS_ROLES)]
Collection = Annotated[
    str | None, Query(min_length=1, max_length=200, description="Only this collection.")
]
MinRisk = Annotated[float | None, Query(ge=0.0, le=1.0, description="Only risk >= this.")]
PersonaId = Annotated[
    str, Path(min_length=1, max_length=300, description="Persona id (P- and its first ad's id).")
]
AdId = Annotated[str, Path(min_length=1, max_length=300, description="The ad's own id.")]


@router.post("/ads/extract", response_model=ExtractionOut, response_model_exclude_unset=True)
def extract(body: AdIn, store: StoreDep, actor: Analyst) -> dict[str, Any]:
    """Selectors (phones, e-mails, handles, links, wallets), prices, ages and places of one
    ad, each with its spans; the ad is not stored (as ``threadline ads extract``)."""
    from threadline.ads.posted import extract_ad

    return extract_ad(store, actor, body.record())


@router.post("/ads/score", response_model=ScoreOut, response_model_exclude_unset=True)
def score(body: AdIn, store: StoreDep, actor: Analyst) -> dict[str, Any]:
    """The explained risk of one ad: every indicator with its weight, share and spans; the
    ad is not stored (as ``threadline ads score``)."""
    from threadline.ads.posted import score_ad

    return score_ad(store, actor, body.record())


@router.post("/ads/analyze", response_model=AnalysisOut, response_model_exclude_unset=True)
def analyze(body: AnalyzeIn, store: StoreDep, actor: Analyst) -> dict[str, Any]:
    """Score every ad of a collection, link personas and store the findings (replacing the
    caller's agency's earlier ones); the run's summary (as ``threadline ads analyze``)."""
    from threadline.ads.service import analyze_collection

    return analyze_collection(store, body.collection, actor)


@router.get("/ads/personas", response_model=PersonaPage, response_model_exclude_unset=True)
def personas(
    store: StoreDep,
    actor: Analyst,
    p: PageDep,
    min_risk: MinRisk = None,
    collection: Collection = None,
) -> dict[str, Any]:
    """Stored personas, riskiest first (paginated; items as ``threadline ads personas``)."""
    from threadline.ads.service import list_personas

    found = list_personas(
        store, actor, min_risk=min_risk, collection=collection, limit=p.limit + 1, offset=p.offset
    )
    return paginated(found, p)


@router.get(
    "/ads/personas/{persona_id}", response_model=PersonaOut, response_model_exclude_unset=True
)
def persona(
    persona_id: PersonaId, store: StoreDep, actor: Analyst, collection: Collection = None
) -> dict[str, Any]:
    """One persona: its ads and their results, selectors, why each ad joined, its risk
    with the ads behind it, its movement and timeline (as ``threadline ads show``)."""
    from threadline.ads.service import get_persona

    return get_persona(store, actor, persona_id, collection=collection)


@router.get(
    "/ads/personas/{persona_id}/movement",
    response_model=MovementOut,
    response_model_exclude_unset=True,
)
def movement(
    persona_id: PersonaId, store: StoreDep, actor: Analyst, collection: Collection = None
) -> dict[str, Any]:
    """Where and when a persona's ads were posted: timeline, moves between places, and
    whether it spans several cities or countries (the ``movement`` of ``ads show``)."""
    from threadline.ads.service import get_persona_movement

    return get_persona_movement(store, actor, persona_id, collection=collection)


@router.get("/ads/results", response_model=AdResultPage, response_model_exclude_unset=True)
def results(
    store: StoreDep,
    actor: Analyst,
    p: PageDep,
    min_risk: MinRisk = None,
    collection: Collection = None,
) -> dict[str, Any]:
    """Stored ad results, riskiest first (paginated; items as ``threadline ads results``)."""
    from threadline.ads.service import list_ad_results

    found = list_ad_results(
        store, actor, min_risk=min_risk, collection=collection, limit=p.limit + 1, offset=p.offset
    )
    return paginated(found, p)


@router.get("/ads/results/{ad_id}", response_model=AdResultOut, response_model_exclude_unset=True)
def result(
    ad_id: AdId, store: StoreDep, actor: Analyst, collection: Collection = None
) -> dict[str, Any]:
    """One analysed ad: its risk with the full explanation, its indicators, its selectors
    and its persona."""
    from threadline.ads.service import get_ad_result

    return get_ad_result(store, actor, ad_id, collection=collection)
