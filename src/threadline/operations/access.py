"""Who may change an operation and its figures, each decision with its reason.

Coordinators (the operation_coordinator role) define operations and confirm figures;
any signed-in user of a participating country submits that country's figures. A
coordinator may also submit for any participant, as coordinating bodies record
figures a country sent through another channel; the audit log names who did.
"""

from __future__ import annotations

from threadline.governance import AccessDenied, Actor, Decision, Role


def may_define(actor: Actor) -> Decision:
    if actor.system:
        return Decision(True, "platform process")
    if actor.has(Role.OPERATION_COORDINATOR):
        return Decision(True, "operation coordinator")
    return Decision(False, "only operation coordinators may define an operation")


def may_confirm(actor: Actor) -> Decision:
    if actor.system:
        return Decision(True, "platform process")
    if actor.has(Role.OPERATION_COORDINATOR):
        return Decision(True, "operation coordinator")
    return Decision(False, "only operation coordinators may confirm a country's figures")


def may_submit(actor: Actor, country: str) -> Decision:
    if actor.system:
        return Decision(True, "platform process")
    if actor.has(Role.OPERATION_COORDINATOR):
        return Decision(True, "operation coordinator")
    if actor.country == country:
        return Decision(True, f"an agency of {country}")
    return Decision(False, f"only an agency of {country} (or a coordinator) may submit its figures")


def require(decision: Decision) -> None:
    """Raise ``AccessDenied`` with the decision's reason unless it allows."""
    if not decision:
        raise AccessDenied(decision.reason)
