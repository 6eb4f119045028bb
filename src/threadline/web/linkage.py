"""Linkage review: uncertain pairs side by side with their waterfall, and the decisions.

For analysts. Each pair shows the two records' compared values and how every
comparison moved the match weight (a waterfall of bars); the analyst judges it
same, different or unsure with a reason. The linkage package records and audits
the judgement and rebuilds the clusters at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from threadline.exc import InputError
from threadline.governance import Role
from threadline.governance.policy import AccessDenied
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
EntityId = Annotated[str, Form(max_length=200)]
QUEUE_SIZE = 25
BAR_WIDTH = 360  # pixels of the waterfall's axis


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _reviewer(user: WebUser) -> WebUser:
    if Role.ANALYST not in user.actor.roles:
        raise AccessDenied("linkage review is for analysts")
    return user


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of a waterfall: a comparison's weight, from where the total stood before it."""

    comparison: str
    level: str
    left: str
    right: str
    weight: float
    start: float
    end: float
    x: float  # bar position and width in pixels on the shared axis
    width: float


def _shown(value: Any) -> str:
    """A compared value as text: lists joined, a missing value as a dash."""
    if value is None or value == []:
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def waterfall(comparisons: list[dict[str, Any]]) -> tuple[list[WaterfallStep], float, float]:
    """The bars of a pair's waterfall, the final match weight, and the axis zero in pixels."""
    raw: list[tuple[dict[str, Any], float, float]] = []
    total = 0.0
    for item in comparisons:
        weight = float(item.get("log2_weight") or 0.0)
        weight += float(item.get("tf_adjustment_log2_weight") or 0.0)
        raw.append((item, total, total + weight))
        total += weight
    edges = [0.0] + [v for _, a, b in raw for v in (a, b)]
    low, high = min(edges), max(edges)
    span = (high - low) or 1.0

    def px(value: float) -> float:
        return round((value - low) / span * BAR_WIDTH, 1)

    steps = [
        WaterfallStep(
            comparison=str(item.get("comparison")),
            level=str(item.get("level") or ""),
            left=_shown(item.get("left")),
            right=_shown(item.get("right")),
            weight=round(end - start, 2),
            start=start,
            end=end,
            x=min(px(start), px(end)),
            width=max(abs(px(end) - px(start)), 1.0),
        )
        for item, start, end in raw
    ]
    return steps, round(total, 2), px(0.0)


def _queue(request: Request, user: WebUser, status: int = 200, **context: Any) -> Response:
    from threadline.linkage import list_clusters, review_queue

    store = _store(request)
    pairs = review_queue(store, user.actor, limit=QUEUE_SIZE)
    views = []
    for pair in pairs:
        steps, total, zero = waterfall(pair.get("comparisons") or [])
        views.append({**pair, "steps": steps, "total": total, "zero": zero})
    clusters = list_clusters(store, user.actor)
    return page(
        request,
        "linkage.html",
        status=status,
        user=user,
        pairs=views,
        clusters=clusters,
        bar_width=BAR_WIDTH,
        **context,
    )


@router.get("/linkage", response_class=HTMLResponse)
def review(request: Request, user: User) -> Response:
    return _queue(request, _reviewer(user))


@router.post("/linkage/judgements", response_class=HTMLResponse)
def judge(
    request: Request,
    user: User,
    left: EntityId,
    right: EntityId,
    csrf_token: Annotated[str, Form()] = "",
    judgement: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    from threadline.linkage import decide_pair

    _reviewer(user)
    check_csrf(user, csrf_token)
    try:
        item = decide_pair(
            _store(request), user.actor, left, right, judgement, reason.strip() or None
        )
    except InputError as exc:
        return _queue(request, user, status=422, error=str(exc))
    done = f"Judged {item.left_id} and {item.right_id}: {item.judgement}."
    return _queue(request, user, message=done, judged=item)


@router.post("/linkage/retractions", response_class=HTMLResponse)
def retract(
    request: Request,
    user: User,
    left: EntityId,
    right: EntityId,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    from threadline.linkage import retract_pair

    _reviewer(user)
    check_csrf(user, csrf_token)
    try:
        retract_pair(_store(request), user.actor, left, right)
    except InputError as exc:
        return _queue(request, user, status=422, error=str(exc))
    return _queue(request, user, message=f"Retracted the judgement on {left} and {right}.")
