"""Entity resolution: linkage runs, the queue of uncertain pairs, judgements, clusters.

For analysts. A run links the collections the caller may see as the caller's
agency's (its model, links and clusters), with the options of ``threadline link
run``, and answers the same summary. A judgement always wins over the model; it is
attributable (who, when, why), recorded in the audit log by the linkage package,
and a retraction keeps it in the history. Only pairs and cluster members in
collections the caller may see are returned.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, field_validator

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor, Role

router = APIRouter(tags=["entity resolution"])
Reviewer = Annotated[Actor, require_role(Role.ANALYST)]
EntityId = Annotated[str, Query(min_length=1, max_length=200, description="Entity id.")]


class LinkRunIn(BaseModel):
    """The options of ``threadline link run``."""

    collections: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None,
        max_length=100,
        description="Collection names (default: every collection the caller may see).",
        examples=[["ru-cases", "de-cases"]],
    )
    threshold: float = Field(
        default=0.9, gt=0.0, le=1.0, description="Match probability for clusters."
    )
    retrain: bool = Field(default=False, description="Train a new model and rescore every record.")
    backend: Literal["duckdb"] = Field(
        default="duckdb",
        description="DuckDB, in the server's process. The spark backend runs from the command "
        "line only ('threadline link run --backend spark'): a request never starts a Spark "
        "session inside the web server.",
    )
    min_training_records: int = Field(
        default=1000, ge=0, le=10**9, description="Below this many records keep the starting model."
    )
    link_only: bool = Field(
        default=False, description="Only link across collections (none has duplicates within)."
    )

    @field_validator("backend", mode="before")
    @classmethod
    def _spark_from_the_console(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() == "spark":
            raise ValueError(
                "the spark backend runs from the command line "
                "('threadline link run --backend spark'), not inside the web server"
            )
        return value


class LinkRunOut(BaseModel):
    """A run's summary, as ``threadline link run --json`` prints it."""

    run_id: int
    model_id: int
    mode: Literal["full", "incremental"]
    trained: str = Field(description="How the model was had: priors, reused, or how it trained.")
    records: int
    scored: int = Field(description="Records scored in this run (new or changed ones, or all).")
    links: int
    clusters: int
    seconds: dict[str, float] = Field(description="Wall-clock seconds per phase.")


class JudgementIn(BaseModel):
    left: str = Field(min_length=1, max_length=200, examples=["ru1"])
    right: str = Field(min_length=1, max_length=200, examples=["de1"])
    judgement: Literal["same", "different", "unsure"]
    reason: str | None = Field(
        default=None, max_length=1000, examples=["same passport number on both records"]
    )


@router.post("/linkage/run", response_model=LinkRunOut)
def run(body: LinkRunIn, store: StoreDep, actor: Reviewer) -> dict[str, Any]:
    """Score records against each other (new and changed ones only, unless ``retrain``) and
    rebuild the clusters; the run's summary (as ``threadline link run``)."""
    from threadline.linkage import LinkOptions, run_linkage

    options = LinkOptions(
        threshold=body.threshold,
        retrain=body.retrain,
        backend=body.backend,
        min_training_records=body.min_training_records,
        link_only=body.link_only,
    )
    names = [n.strip() for n in body.collections or [] if n.strip()] or None
    return run_linkage(store, actor, collections=names, options=options).to_dict()


@router.get("/linkage/review")
def review(store: StoreDep, actor: Reviewer, p: PageDep) -> dict[str, Any]:
    """Pairs needing a decision, most uncertain first, each with its comparison breakdown."""
    from threadline.linkage import review_queue

    pairs = review_queue(store, actor, limit=p.offset + p.limit + 1)
    return paginated(pairs[p.offset :], p)


@router.post("/linkage/judgements", status_code=201)
def judge(body: JudgementIn, store: StoreDep, actor: Reviewer) -> dict[str, Any]:
    """Judge a pair (same, different, unsure); clusters are rebuilt at once."""
    from threadline.linkage import decide_pair

    item = decide_pair(store, actor, body.left, body.right, body.judgement, body.reason)
    return item.to_dict()


@router.delete("/linkage/judgements")
def retract(left: EntityId, right: EntityId, store: StoreDep, actor: Reviewer) -> dict[str, Any]:
    """Withdraw the judgement on a pair (kept in the history); the model decides again."""
    from threadline.linkage import retract_pair

    count = retract_pair(store, actor, left, right)
    return {"left_id": left, "right_id": right, "retracted": count}


@router.get("/linkage/clusters")
def clusters(store: StoreDep, actor: Reviewer, p: PageDep) -> dict[str, Any]:
    """Resolved clusters with their visible members and the links that hold them together."""
    from threadline.linkage import list_clusters

    found = list_clusters(store, actor)
    return paginated(found[p.offset : p.offset + p.limit + 1], p, len(found))
