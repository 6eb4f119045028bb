"""Governance: who is asking, for what purpose, and what they may see.

Every read and write path of the other layers takes an ``Actor`` and calls
through this package; it is a layer, not a check sprinkled in views.
"""

from threadline.governance.actors import SYSTEM, Actor, Purpose, Role
from threadline.governance.policy import (
    AccessDenied,
    Decision,
    may_see_collection,
    may_see_victim_identity,
    require_purpose,
    visible_collection_ids,
)

__all__ = [
    "SYSTEM",
    "AccessDenied",
    "Actor",
    "Decision",
    "Purpose",
    "Role",
    "may_see_collection",
    "may_see_victim_identity",
    "require_purpose",
    "visible_collection_ids",
]
