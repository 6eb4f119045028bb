"""What one actor may be shown of a graph: victims by pseudonym, and what would identify them.

A hidden victim (a victim whose identity the actor may not see) is shown by
their pseudonym. What points at them is shielded too: their identity documents,
accounts and wallets (entities joined to them by a property such as
``Passport.holder``) are shown as "Passport of V-…", and the selectors next to
the victim or to those entities (phone, passport number, e-mail, address) are
shown under a stand-in key, so a number or an address never names them. Every
view, path, neighbourhood and export goes through one ``Disclosure``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from followthemoney.proxy import EntityProxy

from threadline.governance import Actor
from threadline.network.load import VisibleGraph
from threadline.network.nodes import DERIVED, is_entity, node_kind, node_value
from threadline.network.victims import VictimPolicy

# Entities that carry a person's identity when joined to them by a property.
IDENTITY_SCHEMATA = frozenset(
    {"Passport", "Identification", "UserAccount", "CryptoWallet", "BankAccount", "Phone", "Email"}
)


@dataclass
class Disclosure:
    """Display keys and labels for one actor over one visible graph."""

    actor: Actor
    policy: VictimPolicy
    hidden: set[str] = field(default_factory=set)  # victims shown by pseudonym
    owned_by: dict[str, str] = field(default_factory=dict)  # shielded node -> its victim

    def key(self, key: str) -> str:
        """The key to show: a stand-in for a hidden victim, for what identifies her (her
        documents and accounts) and for the selectors next to her; never her entity id."""
        if key in self.hidden:
            return self.policy.stand_in(key)
        owner = self.owned_by.get(key)
        if owner is None:
            return key
        digest = hashlib.sha256(f"threadline-shield:{key}".encode()).hexdigest()[:10]
        if is_entity(key):
            return f"{self.policy.label(owner)}-{digest[:8]}"
        return f"{DERIVED}{node_kind(key)}:protected-{digest}"

    def shields(self, key: str) -> bool:
        """True for a hidden victim or for what identifies one."""
        return key in self.hidden or key in self.owned_by

    def label(self, key: str, entity: EntityProxy | None = None, schema: str | None = None) -> str:
        """The name to show for a node."""
        if key in self.hidden:
            return self.policy.label(key)
        owner = self.owned_by.get(key)
        if owner is not None:
            what = schema or (entity.schema.name if entity is not None else node_kind(key))
            return f"{what} of {self.policy.label(owner)}"
        if not is_entity(key):
            return node_value(key)
        return entity.caption if entity is not None else key

    def is_victim(self, key: str) -> bool:
        return is_entity(key) and self.policy.is_victim(key)


def disclosure_for(view: VisibleGraph, actor: Actor, policy: VictimPolicy) -> Disclosure:
    """Work out, once per request, which nodes must not be shown as they are."""
    graph = view.graph
    hidden = {key for key in view.schema if policy.hides(actor, key)}
    owned_by: dict[str, str] = {}
    index = graph.index
    for victim in sorted(hidden):
        node = index.get(victim)
        if node is None:
            continue
        for other, edge in graph.neighbours(node):
            key = graph.keys[other]
            if key in hidden or key in owned_by:
                continue
            if not is_entity(key):
                if node_kind(key) != "persona":
                    owned_by[key] = victim
            elif graph.kind[edge] == "property" and view.schema.get(key) in IDENTITY_SCHEMATA:
                owned_by[key] = victim
                # The document's own number, the account's handle: selectors of the entity.
                for far, _e in graph.neighbours(other):
                    far_key = graph.keys[far]
                    if not is_entity(far_key) and node_kind(far_key) != "persona":
                        owned_by.setdefault(far_key, victim)
    return Disclosure(actor, policy, hidden, owned_by)
