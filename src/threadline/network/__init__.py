"""Network analysis: one graph of everything the platform knows, and the networks in it.

Entities, pivot selectors, resolution clusters and personas become nodes; FtM
relationships, entity references, shared selectors and trips become edges.
Every read goes through an ``Actor`` and only sees the collections it may see.
"""

from threadline.network.export import FORMATS, export_network
from threadline.network.service import (
    build_networks,
    expand_entity,
    find_path,
    list_networks,
    show_network,
)
from threadline.network.victims import NO_VICTIMS, VictimPolicy, pseudonym, records_policy

__all__ = [
    "FORMATS",
    "NO_VICTIMS",
    "VictimPolicy",
    "build_networks",
    "expand_entity",
    "export_network",
    "find_path",
    "list_networks",
    "pseudonym",
    "records_policy",
    "show_network",
]
