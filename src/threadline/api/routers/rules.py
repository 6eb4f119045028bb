"""Screening rules of the caller's agency, with the same contracts as ``threadline rules``.

Analysts and operation coordinators write, back-test, activate and retire them; the
officers who triage the alerts they raise read them. The screening package checks the
agency (another agency's rule is 404, as if it did not exist), applies the victim shield
to back-test examples and audits every step. Reading a rule (its back-test names example
travellers) and running a back-test are person queries: they take ``purpose``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from threadline.api.deps import StoreDep, require_role
from threadline.governance import Actor
from threadline.screening.rules import (
    AUTHOR_ROLES,
    READER_ROLES,
    activate_rule,
    backtest_rule,
    create_rule,
    list_rules,
    retire_rule,
    rule_fields,
    show_rule,
)

router = APIRouter(tags=["rules"])
Reader = Annotated[Actor, require_role(*sorted(READER_ROLES | AUTHOR_ROLES))]
Author = Annotated[Actor, require_role(*sorted(AUTHOR_ROLES))]
RuleName = Annotated[str, Path(min_length=1, max_length=64, description="The rule's name.")]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=2**31 - 1, description="A version (default: the newest).")
]


class RuleIn(BaseModel):
    name: str = Field(max_length=64, examples=["child-alone"])
    expression: str = Field(
        max_length=1000,
        description="The rule over the fields of GET /rules/fields.",
        examples=["minor and booking_adults == 0"],
    )
    action: str = Field(
        "referral", max_length=16, description="referral or review.", examples=["referral"]
    )
    description: str = Field(
        max_length=2000,
        description="Why the travellers it flags may need help.",
        examples=["a child travelling with no adult on the booking"],
    )


class VersionIn(BaseModel):
    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="A version (default: the newest)."
    )


class RetireIn(BaseModel):
    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="A version (default: the active one)."
    )
    reason: str | None = Field(None, max_length=2000, examples=["covered by the indicators"])


@router.get("/rules")
def rules(
    store: StoreDep,
    actor: Reader,
    state: Annotated[
        str | None, Query(max_length=16, description="draft, active or retired.")
    ] = None,
) -> dict[str, Any]:
    """The caller's agency's rules, each with its newest and its active version."""
    with store.begin() as conn:
        items = list_rules(conn, actor, state=state, component="api")
    return {"items": items}


@router.get("/rules/fields")
def fields(actor: Reader) -> dict[str, Any]:
    """The fields a rule can use, with their types and meaning."""
    return {"items": rule_fields()}


@router.post("/rules", status_code=201)
def create(body: RuleIn, store: StoreDep, actor: Author) -> dict[str, Any]:
    """Write a rule, or a new version of the rule with this name (a draft)."""
    with store.begin() as conn:
        return create_rule(
            conn, actor, body.name, body.expression, body.action, body.description,
            component="api",
        )  # fmt: skip


@router.get("/rules/{name}")
def rule(
    name: RuleName, store: StoreDep, actor: Reader, version: VersionQuery = None
) -> dict[str, Any]:
    """A rule with every version (or one), its state and its back-test."""
    with store.begin() as conn:
        return show_rule(conn, actor, name, version=version, component="api")


@router.post("/rules/{name}/test")
def test(name: RuleName, body: VersionIn, store: StoreDep, actor: Author) -> dict[str, Any]:
    """Back-test a version on the manifests the agency screened in the retention period;
    the answer is kept on the version (activation needs it)."""
    with store.begin() as conn:
        return backtest_rule(conn, actor, name, version=body.version, component="api")


@router.post("/rules/{name}/activate")
def activate(name: RuleName, body: VersionIn, store: StoreDep, actor: Author) -> dict[str, Any]:
    """Switch on a back-tested version; the version active before it is retired."""
    with store.begin() as conn:
        return activate_rule(conn, actor, name, version=body.version, component="api")


@router.post("/rules/{name}/retire")
def retire(name: RuleName, body: RetireIn, store: StoreDep, actor: Author) -> dict[str, Any]:
    """Retire a version (default: the active one): it raises nothing more."""
    with store.begin() as conn:
        return retire_rule(
            conn, actor, name, version=body.version, reason=body.reason, component="api"
        )
