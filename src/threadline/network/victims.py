"""How network views learn who is a victim, and how they keep victims anonymous.

The victim-records capability will say which entity ids are protected victims;
until then callers pass ``is_victim`` (default: nobody) and ``may_reveal``
(default: never). A victim is shown as ``victim-<short hash>``: stable across
views so analysts can refer to them, never their name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from threadline.governance import Actor


def _nobody(_entity_id: str) -> bool:
    return False


def _never(_actor: Actor, _entity_id: str) -> bool:
    return False


@dataclass(frozen=True)
class VictimPolicy:
    """Who is a victim, and whether an actor may see a given victim's identity."""

    is_victim: Callable[[str], bool] = _nobody
    may_reveal: Callable[[Actor, str], bool] = _never

    def hides(self, actor: Actor, entity_id: str) -> bool:
        return self.is_victim(entity_id) and not self.may_reveal(actor, entity_id)


def pseudonym(entity_id: str) -> str:
    digest = hashlib.sha256(f"threadline-victim:{entity_id}".encode()).hexdigest()
    return f"victim-{digest[:8]}"


NO_VICTIMS = VictimPolicy()
