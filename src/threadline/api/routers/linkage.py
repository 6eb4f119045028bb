"""Entity resolution review: the queue of uncertain pairs, judgements, resolved clusters.

For analysts. A judgement always wins over the model; it is attributable (who,
when, why), recorded in the audit log by the linkage package, and a retraction
keeps it in the history. Only pairs and cluster members in collections the
caller may see are returned.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor, Role

router = APIRouter(tags=["entity resolution"])
Reviewer = Annotated[Actor, require_role(Role.ANALYST)]
EntityId = Annotated[str, Query(min_length=1, max_length=200, description="Entity id.")]


class JudgementIn(BaseModel):
    left: str = Field(min_length=1, max_length=200, examples=["ru1"])
    right: str = Field(min_length=1, max_length=200, examples=["de1"])
    judgement: Literal["same", "different", "unsure"]
    reason: str | None = Field(
        default=None, max_length=1000, examples=["same passport number on both records"]
    )


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
