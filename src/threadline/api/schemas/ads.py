"""The shapes of the ad intelligence API: an ad sent in, and what ``threadline ads`` prints.

Every answer is the object the command line prints with ``--json`` (same field names,
same values): the models name and document the fields an integrator may rely on and
pass any further field through unchanged, so a field added to the analysis reaches the
API as it reaches the command line.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class PosterIn(BaseModel):
    """Who posted the ad, as the platform shows it."""

    model_config = ConfigDict(extra="forbid")

    handle: str | None = Field(default=None, max_length=200, examples=["@abroad.jobs"])
    profile_url: str | None = Field(default=None, max_length=2000)
    display_name: str | None = Field(default=None, max_length=200, examples=["Jobs Abroad"])


class ImageIn(BaseModel):
    """An image of the ad: its 64-bit perceptual hash (16 hex digits), or a file name.

    Accepted so that a line of ``ads.jsonl`` can be sent as it is; one ad's selectors and
    score do not use its images, and the server never opens a file named here.
    """

    model_config = ConfigDict(extra="forbid")

    file: str | None = Field(default=None, max_length=500)
    phash: str | None = Field(default=None, max_length=64, examples=["d1c4a0f0e0c0b0a0"])


class AdIn(BaseModel):
    """One ad as a line of ``ads.jsonl`` holds it (see docs/ads.md, *Input*)."""

    id: Annotated[str, Field(min_length=1, max_length=200)] | int = Field(examples=["ad-1"])
    platform: str = Field(max_length=200, examples=["jobs.example"])
    url: str = Field(max_length=2000, examples=["https://jobs.example/ad-1"])
    posted_at: str = Field(max_length=64, description="ISO 8601.", examples=["2025-01-05T10:00Z"])
    country: str = Field(max_length=100, description="ISO 3166 alpha-2.", examples=["GB"])
    location: str = Field(max_length=1000, examples=["Leeds, GB"])
    title: str = Field(max_length=10_000, examples=["Hotel workers needed"])
    text: str = Field(
        max_length=100_000,
        examples=["URGENT! Flights and visa paid, we keep your passport. WhatsApp 07700 900123"],
    )
    language: str | None = Field(default=None, max_length=20, examples=["en"])
    category: str | None = Field(default=None, max_length=200)
    poster: PosterIn | None = None
    images: list[ImageIn] = Field(default=[], max_length=50)

    def record(self) -> dict[str, Any]:
        """The ad as the ads reader's record (what ``parse_ad`` validates)."""
        return self.model_dump(exclude_none=True)


class AnalyzeIn(BaseModel):
    collection: str = Field(min_length=1, max_length=200, examples=["ads-2026"])


class Open(BaseModel):
    """An answer object: the named fields documented, any further one passed through."""

    model_config = ConfigDict(extra="allow")


class Span(Open):
    field: str = Field(description="title, text or location.")
    start: int = Field(description="Code point offset into the field's original value.")
    end: int = Field(description="Exclusive end offset.")


class Found(Open):
    value: str
    spans: list[Span]
    attributes: dict[str, Any] = Field(default={}, description="Kind-specific (absent: none).")


class ExtractionOut(Open):
    id: str
    phones: list[Found]
    emails: list[Found]
    handles: list[Found]
    urls: list[Found]
    wallets: list[Found]
    prices: list[Found]
    ages: list[Found]
    locations: list[Found]


class Indicator(Open):
    id: str
    weight: float = Field(description="Log-odds.")
    spans: list[Span] = []


class ScoredIndicator(Indicator):
    contribution: float = Field(description="Share of the risk; the shares add up to it.")


class ScoreOut(Open):
    id: str
    risk: float
    indicators: list[ScoredIndicator]


class Contribution(Open):
    id: str
    family: str
    weight: float
    contribution: float
    spans: list[Span] = []
    evidence: dict[str, Any] = {}


class Selector(Open):
    kind: str = Field(description="phone, email, wallet, handle or account.")
    value: str


class PersonaSummary(Open):
    id: str
    ad_ids: list[str]
    selectors: list[Selector]
    risk: float
    explanation: list[Contribution]
    countries: list[str]
    first_seen: str
    last_seen: str


class Stop(Open):
    posted_at: str
    ad_id: str
    country: str
    place: str


class Movement(Open):
    multi_city: bool = False
    cross_border: bool = False
    places: list[str] = []
    countries: list[str] = []
    moves: list[dict[str, str]] = Field(default=[], description="{from, to, at, ad_id}.")
    timeline: list[Stop] = []


class MovementOut(Movement):
    id: str = Field(description="The persona.")


class AdResult(Open):
    id: str
    risk: float
    indicators: list[Indicator]
    persona_id: str | None


class AdResultOut(AdResult):
    explanation: list[Contribution]
    selectors: list[Selector] = Field(description="The ad's own phones, e-mails, accounts...")


class PersonaOut(PersonaSummary):
    movement: Movement
    timeline: list[Stop]
    reasons: dict[str, list[dict[str, Any]]] = Field(description="Ad id -> why it joined.")
    ads: list[AdResult]


class AnalysisOut(Open):
    run_id: int
    collection: str
    ads: int
    personas: int
    findings: int
    multi_ad_personas: int
    hubs: int
    boosted_ads: int
    high_risk_ads: int
    hub_selectors: list[dict[str, Any]]
    top_personas: list[PersonaSummary]


class Page(Open):
    limit: int
    offset: int
    next_offset: int | None


class PersonaPage(Page):
    items: list[PersonaSummary]


class AdResultPage(Page):
    items: list[AdResult]
