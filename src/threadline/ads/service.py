"""Ad analysis over a stored collection: extract, score, link personas, store findings.

:func:`analyze_collection` reads the ads that the ``ads`` reader stored
(``HyperText`` entities, their poster ``UserAccount`` and ``Image`` entities),
scores every ad, links personas, adds the persona context to each ad's score,
and stores in one analysis run (kind ``ads``) the findings:

- ``ad_risk``: key = the original ad id, ``subject_id`` = the ad's entity id,
  ``related_id`` = its persona id, score = risk, explanation = contributions,
  data = ``{ad_id, persona_id, indicators: [{id, weight, spans}]}``;
- ``persona``: key = persona id, score = risk, explanation = the ads that carry it,
  data = ``{ad_ids, selectors, countries, first_seen, last_seen, movement, reasons}``.

A re-run replaces the collection's earlier findings of both kinds. The
``list_*``/``get_*`` functions read them back for the interfaces. Personas and ad
results name operators' phones, e-mails and accounts: every run and every read is
audited (ids and counts, never the values), as the caller's purpose and reference
if they gave one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection, and_, select

from threadline.ads.context import context_boosts
from threadline.ads.extract import extract
from threadline.ads.features import AdFeatures, ad_features, parse_phash
from threadline.ads.personas import (
    LinkSettings,
    Persona,
    build_personas,
    follow_previous,
    link_ads,
)
from threadline.ads.scoring import RiskScore, explain, score
from threadline.exc import NotFound
from threadline.governance import Actor
from threadline.governance.access import Access, producer
from threadline.governance.audit import append, record
from threadline.model.ads import Ad, Poster
from threadline.primitives.lineage import Previous
from threadline.store import Store
from threadline.store.findings import (
    Finding,
    finish_run,
    replace_findings,
    start_run,
)
from threadline.store.statements import iter_collection_entities
from threadline.store.tables import finding as t_finding

KINDS = ("ad_risk", "persona")
COMPONENT = "ads"  # the audit log's component for this package's events
PHASH_PREFIX = "phash:"  # how the ads reader stores an image's perceptual hash
_LANGUAGES = {"eng": "en", "fra": "fr", "spa": "es", "por": "pt", "deu": "de", "ita": "it",
              "nld": "nl", "rus": "ru", "ukr": "uk", "ron": "ro", "pol": "pl"}  # fmt: skip

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@dataclass
class _Stored:
    ads: list[tuple[Ad, str]]  # (ad without poster, entity id)
    posters: dict[str, Poster]  # ad entity id -> poster
    phashes: dict[str, list[int]]  # ad entity id -> image hashes


def _first(entity: EntityProxy, prop: str) -> str:
    values = entity.get(prop, quiet=True)
    return str(values[0]) if values else ""


def _posted(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = datetime.fromisoformat(value[:10]) if len(value) >= 10 else datetime(1970, 1, 1)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _ad(entity: EntityProxy) -> Ad:
    language = _first(entity, "language")
    return Ad(
        id=_first(entity, "messageId") or str(entity.id),
        platform=_first(entity, "publisher"),
        url=_first(entity, "sourceUrl"),
        posted_at=_posted(_first(entity, "publishedAt")),
        country=_first(entity, "country").upper(),
        location=_first(entity, "address"),
        title=_first(entity, "title"),
        text=_first(entity, "bodyText"),
        language=_LANGUAGES.get(language, language) or None,
        category=_first(entity, "keywords") or None,
    )


def read_stored_ads(store: Store, collection_id: int) -> _Stored:
    """The collection's ads, posters and image hashes as the ads reader stored them."""
    stored = _Stored([], {}, {})
    with store.connect() as conn:
        for entity in iter_collection_entities(conn, collection_id):
            schema = entity.schema.name
            if schema == "HyperText":
                stored.ads.append((_ad(entity), str(entity.id)))
            elif schema == "UserAccount":
                poster = Poster(_first(entity, "username") or None,
                                _first(entity, "sourceUrl") or None,
                                _first(entity, "name") or None)  # fmt: skip
                for ad_entity in entity.get("proof", quiet=True):
                    stored.posters[ad_entity] = poster
            elif schema == "Image":
                hashes = [parse_phash(k[len(PHASH_PREFIX) :]) for k in entity.get("keywords")
                          if k.startswith(PHASH_PREFIX)]  # fmt: skip
                for ad_entity in entity.get("parent", quiet=True):
                    stored.phashes.setdefault(ad_entity, []).extend(h for h in hashes if h)
    return stored


def _with_poster(ad: Ad, poster: Poster | None) -> Ad:
    if poster is None:
        return ad
    from dataclasses import replace

    return replace(ad, poster=poster)


def analyze_collection(
    store: Store,
    collection: str,
    actor: Actor,
    *,
    settings: LinkSettings | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Score and link the ads of a collection the actor may see; store the findings as the
    actor's agency's (replacing only that agency's earlier ones) and summarise them."""
    report = progress or (lambda stage, done, total: None)
    with store.begin() as conn:
        target = Access(conn, actor).by_name(collection)
        if target is None or target.id is None:
            raise NotFound(
                f"no collection named {collection!r} (see 'threadline collections list')"
            )
        run_id = start_run(
            conn, "ads", scope={"collection": collection}, user=actor.user, **producer(actor)
        )
    try:
        report("reading ads", 0, None)
        stored = read_stored_ads(store, target.id)
        total = len(stored.ads)
        features: list[AdFeatures] = []
        scores: list[RiskScore] = []
        for done, (bare, entity_id) in enumerate(stored.ads, start=1):
            ad = _with_poster(bare, stored.posters.get(entity_id))
            found = extract(ad)
            result = score(ad, found)
            scores.append(result)
            features.append(ad_features(ad, found, risk=result.risk, entity_id=entity_id,
                                        phashes=stored.phashes.get(entity_id, ())))  # fmt: skip
            if done % 1000 == 0 or done == total:
                report("scoring ads", done, total)
        report("linking personas", 0, None)
        linkage = link_ads(features, settings)
        base = [s.risk for s in scores]
        boosts = context_boosts(linkage, base)
        final = [
            explain(s.ad_id, [c for c in s.contributions if c.family != "baseline"] + extra,
                    s.rule_versions) if extra else s
            for s, extra in zip(scores, boosts, strict=True)
        ]  # fmt: skip
        personas = build_personas(linkage, [s.risk for s in final])
        with store.connect() as conn:
            earlier = previous_personas(conn, target.id, actor)
        personas = follow_previous(personas, earlier, run_id)
        report("storing findings", 0, None)
        of_ad = {ad_id: p.id for p in personas for ad_id in p.ad_ids}
        findings = _findings(target.id, features, final, personas, of_ad)
        with store.begin() as conn:
            stored_count = replace_findings(
                conn, run_id, KINDS, findings, collection_ids=[target.id]
            )
            counts = {"ads": total, "personas": len(personas), "findings": stored_count,
                      "multi_ad_personas": sum(len(p.ad_ids) > 1 for p in personas),
                      "hubs": len(linkage.hubs),
                      "boosted_ads": sum(bool(b) for b in boosts)}  # fmt: skip
            finish_run(conn, run_id, counts=counts)
            record(conn, actor, "ads.analyze", component=COMPONENT, target_type="collection",
                   target_id=collection, result_count=len(personas),
                   detail={"run_id": run_id, **counts})  # fmt: skip
    except BaseException:
        with store.begin() as conn:
            finish_run(conn, run_id, counts={}, status="failed")
        raise
    return {
        "run_id": run_id, "collection": collection, **counts,
        "high_risk_ads": sum(s.risk >= 0.5 for s in final),
        "hub_selectors": [h.to_dict() for h in sorted(linkage.hubs, key=lambda h: -h.ads)],
        "top_personas": [p.to_dict() for p in personas[:5]],
    }  # fmt: skip


def _findings(
    collection_id: int,
    features: list[AdFeatures],
    final: list[RiskScore],
    personas: list[Persona],
    of_ad: dict[str, str],
) -> Iterator[Finding]:
    for item, result in zip(features, final, strict=True):
        pid = of_ad[item.ad_id]
        indicators = [{"id": c.id, "weight": c.weight, "spans": [s.to_dict() for s in c.spans]}
                      for c in result.contributions if c.family != "baseline"]  # fmt: skip
        yield Finding(
            kind="ad_risk", key=item.ad_id, subject_id=item.entity_id, related_id=pid,
            collection_id=collection_id, score=result.risk,
            explanation=[c.to_dict() for c in result.contributions],
            data={"ad_id": item.ad_id, "persona_id": pid, "indicators": indicators,
                  "selectors": [{"kind": k, "value": v} for k, v in item.selectors]},
        )  # fmt: skip
    for persona in personas:
        yield Finding(
            kind="persona", key=persona.id, collection_id=collection_id, score=persona.risk,
            explanation=list(persona.explanation),
            data={"ad_ids": list(persona.ad_ids), "selectors": list(persona.selectors),
                  "countries": list(persona.countries), "first_seen": persona.first_seen,
                  "last_seen": persona.last_seen, "movement": persona.movement.to_dict(),
                  "reasons": persona.reasons, **persona.lineage},
        )  # fmt: skip


def previous_personas(conn: Connection, collection_id: int, actor: Actor) -> list[Previous]:
    """The personas the actor's agency (the platform, for its own runs) stored for this
    collection at its last analysis: id, ads and lineage, so ids can follow them."""
    who = producer(actor)
    agency, country = t_finding.c.agency, t_finding.c.country
    mine = (
        and_(agency.is_(None), country.is_(None))
        if who["agency"] is None
        else and_(agency == who["agency"], country == who["country"])
    )
    rows = conn.execute(
        select(t_finding.c.key, t_finding.c.data).where(
            t_finding.c.kind == "persona", t_finding.c.collection_id == collection_id, mine
        )
    )
    return [
        Previous(
            key,
            sorted(data.get("ad_ids") or ()),
            data.get("since_run"),
            data.get("merged_from") or (),
            data.get("split_from") or (),
            data.get("split_into") or (),
        )
        for key, data in rows
    ]


# ---------------------------------------------------------------- reading results back
def _collection_ids(access: Access, collection: str | None) -> list[int] | None:
    if collection is None:
        return None
    found = access.by_name(collection)
    if found is None or found.id is None:
        raise NotFound(f"no collection named {collection!r} (see 'threadline collections list')")
    return [found.id]


def persona_summary(finding: Finding) -> dict[str, Any]:
    """``{id, ad_ids, selectors, risk, explanation, countries, first_seen, last_seen}`` and
    how its id follows the previous analysis (``change``, ``since_run``, ``merged_from``,
    ``split_from``, ``split_into`` where known)."""
    data = finding.data
    lineage = ("change", "since_run", "merged_from", "split_from", "split_into")
    return {"id": finding.key, "ad_ids": data["ad_ids"], "selectors": data["selectors"],
            "risk": finding.score, "explanation": finding.explanation,
            "countries": data["countries"], "first_seen": data["first_seen"],
            "last_seen": data["last_seen"],
            **{k: data[k] for k in lineage if k in data}}  # fmt: skip


def ad_result(finding: Finding) -> dict[str, Any]:
    """``{id, risk, indicators: [{id, weight, spans}], persona_id}``."""
    return {"id": finding.key, "risk": finding.score,
            "indicators": finding.data.get("indicators", []),
            "persona_id": finding.data.get("persona_id")}  # fmt: skip


def _audit_read(
    store: Store, actor: Actor, action: str, *, count: int, target: tuple[str, str] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """One event per look at stored personas or ad results, committed before the answer."""
    target_type, target_id = target if target is not None else (None, None)
    append(store, actor, f"ads.{action}", component=COMPONENT, target_type=target_type,
           target_id=target_id, result_count=count, detail=detail)  # fmt: skip


def list_personas(
    store: Store, actor: Actor, *, min_risk: float | None = None, collection: str | None = None,
    limit: int | None = None, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """Stored personas the actor may see, riskiest first (audited)."""
    with store.connect() as conn:
        access = Access(conn, actor)
        found = access.findings("persona", collection_ids=_collection_ids(access, collection),
                                min_score=min_risk, limit=limit, offset=offset)  # fmt: skip
        shown: list[dict[str, Any]] = access.redact([persona_summary(f) for f in found])
    _audit_read(store, actor, "personas", count=len(shown),
                detail={"collection": collection, "min_risk": min_risk})  # fmt: skip
    return shown


def _persona(access: Access, persona_id: str, ids: list[int] | None) -> Finding:
    """The persona finding the actor may see (NotFound for a hidden and a missing one alike)."""
    found = access.findings("persona", keys=[persona_id], collection_ids=ids, limit=1)
    if not found:
        raise NotFound(f"no persona {persona_id!r} (see 'threadline ads personas')")
    return found[0]


def get_persona(
    store: Store, actor: Actor, persona_id: str, *, collection: str | None = None
) -> dict[str, Any]:
    """One persona with its timeline, movement, reasons and each ad's result (audited)."""
    with store.connect() as conn:
        access = Access(conn, actor)
        ids = _collection_ids(access, collection)
        found = _persona(access, persona_id, ids)
        scope = [found.collection_id] if found.collection_id is not None else ids
        ads = access.findings("ad_risk", related_ids=[persona_id], collection_ids=scope)
        out = persona_summary(found)
        out["movement"] = found.data.get("movement", {})
        out["timeline"] = out["movement"].get("timeline", [])
        out["reasons"] = found.data.get("reasons", {})
        out["ads"] = [ad_result(f) for f in ads]
        shown: dict[str, Any] = access.redact(out)
    _audit_read(store, actor, "persona", count=len(ads), target=("persona", persona_id))
    return shown


def get_persona_movement(
    store: Store, actor: Actor, persona_id: str, *, collection: str | None = None
) -> dict[str, Any]:
    """Where and when a persona's ads were posted: ``{id, multi_city, cross_border, places,
    countries, moves, timeline}`` (audited), without reading every ad's result."""
    with store.connect() as conn:
        access = Access(conn, actor)
        found = _persona(access, persona_id, _collection_ids(access, collection))
        shown: dict[str, Any] = access.redact({"id": found.key, **found.data.get("movement", {})})
    count = len(shown.get("timeline", []))
    _audit_read(store, actor, "movement", count=count, target=("persona", persona_id))
    return shown


def get_ad_result(
    store: Store, actor: Actor, ad_id: str, *, collection: str | None = None
) -> dict[str, Any]:
    """One ad's stored result, with its full explanation and its selectors (audited)."""
    with store.connect() as conn:
        access = Access(conn, actor)
        ids = _collection_ids(access, collection)
        found = access.findings("ad_risk", keys=[ad_id], collection_ids=ids, limit=1)
        if not found:
            raise NotFound(f"no analysed ad {ad_id!r} (run 'threadline ads analyze' first)")
        shown: dict[str, Any] = access.redact(
            {**ad_result(found[0]), "explanation": found[0].explanation,
             "selectors": found[0].data.get("selectors", [])}
        )  # fmt: skip
    _audit_read(store, actor, "result", count=1, target=("ad", ad_id))
    return shown


def list_ad_results(
    store: Store, actor: Actor, *, min_risk: float | None = None, collection: str | None = None,
    limit: int | None = None, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """Stored ad results the actor may see, riskiest first (audited)."""
    with store.connect() as conn:
        access = Access(conn, actor)
        found = access.findings("ad_risk", collection_ids=_collection_ids(access, collection),
                                min_score=min_risk, limit=limit, offset=offset)  # fmt: skip
        shown: list[dict[str, Any]] = access.redact([ad_result(f) for f in found])
    _audit_read(store, actor, "results", count=len(shown),
                detail={"collection": collection, "min_risk": min_risk})  # fmt: skip
    return shown
