"""A network as GraphML and as GEXF 1.3, written to validate against each format's schema.

Nodes carry ``label``, ``kind``, ``schema`` and ``countries``; edges ``kind``, ``label``
and ``date``. GraphML node ids must be XML name tokens, so a selector node such as
``~phone:+447700900123`` gets an escaped id (``_7e_phone:_2b_447700900123``) and every
node keeps its Threadline id in ``key``. Output is deterministic: no clock, no random ids.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NODE_DATA = ("label", "kind", "schema", "countries", "key")
EDGE_DATA = ("kind", "label", "date")

# XML 1.0 (fifth edition) NameChar: what a GraphML id (xs:NMTOKEN) may be made of.
_NAME_CHARS = (
    "A-Za-z0-9._:\\-\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff"
    "\u200c\u200d\u203f\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff"
    "\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NOT_NAME = re.compile(f"[^{_NAME_CHARS}]")
# Characters XML 1.0 cannot carry at all (control characters, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def name_token(key: str) -> str:
    """``key`` as an XML name token: each character outside NameChar as ``_<hex>_``."""
    return _NOT_NAME.sub(lambda m: f"_{ord(m.group()):x}_", key) or "_"


def _text(value: Any) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _token(value: Any) -> str:
    return " ".join(_text(value).split())


def _document(root: ET.Element) -> str:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n"


def write_graphml(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> str:
    """GraphML 1.0: keys declared first, one undirected graph, unique node and edge ids."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = f"{{{GRAPHML_NS}}}"
    root = ET.Element(
        f"{q}graphml",
        {f"{{{XSI_NS}}}schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"},
    )
    keys: dict[tuple[str, str], str] = {}
    for domain, names in (("node", NODE_DATA), ("edge", EDGE_DATA)):
        for name in names:
            ident = f"d{len(keys)}"
            keys[(domain, name)] = ident
            attrs = {"id": ident, "for": domain, "attr.name": name, "attr.type": "string"}
            ET.SubElement(root, f"{q}key", attrs)
    graph = ET.SubElement(root, f"{q}graph", {"id": "G", "edgedefault": "undirected"})
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in nodes:
        ident = name_token(str(node["id"]))
        while ident in used:  # two keys that escape alike stay two nodes
            ident += "_"
        used.add(ident)
        ids[str(node["id"])] = ident
        element = ET.SubElement(graph, f"{q}node", {"id": ident})
        for name in NODE_DATA:
            value = node["id"] if name == "key" else node.get(name, "")
            data = ET.SubElement(element, f"{q}data", {"key": keys[("node", name)]})
            data.text = _text(value)
    for number, edge in enumerate(edges):
        attrs = {"id": f"e{number}", "source": ids[edge["source"]], "target": ids[edge["target"]]}
        element = ET.SubElement(graph, f"{q}edge", attrs)
        for name in EDGE_DATA:
            data = ET.SubElement(element, f"{q}data", {"key": keys[("edge", name)]})
            data.text = _text(edge.get(name, ""))
    return _document(root)


def write_gexf(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> str:
    """GEXF 1.3 (Gephi 0.9.3 and later): static, undirected; parallel edges told apart by
    ``kind`` (their Threadline kind and label)."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = f"{{{GEXF_NS}}}"
    root = ET.Element(
        f"{q}gexf",
        {"version": "1.3", f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"},
    )
    meta = ET.SubElement(root, f"{q}meta")
    ET.SubElement(meta, f"{q}creator").text = "Threadline"
    graph = ET.SubElement(root, f"{q}graph", {"defaultedgetype": "undirected", "mode": "static"})
    node_attrs = [n for n in NODE_DATA if n not in ("label", "key")]
    edge_attrs = [n for n in EDGE_DATA if n != "label"]
    for domain, names in (("node", node_attrs), ("edge", edge_attrs)):
        declared = ET.SubElement(graph, f"{q}attributes", {"class": domain, "mode": "static"})
        for name in names:
            attrs = {"id": f"{domain}-{name}", "title": name, "type": "string"}
            ET.SubElement(declared, f"{q}attribute", attrs)
    listed = ET.SubElement(graph, f"{q}nodes", {"count": str(len(nodes))})
    for node in nodes:
        attrs = {"id": _text(node["id"]), "label": _token(node.get("label", ""))}
        element = ET.SubElement(listed, f"{q}node", attrs)
        _attvalues(element, q, "node", node, node_attrs)
    listed = ET.SubElement(graph, f"{q}edges", {"count": str(len(edges))})
    for number, edge in enumerate(edges):
        kind = _token(" ".join(p for p in (edge.get("kind"), edge.get("label")) if p))
        attrs = {
            "id": str(number),
            "source": _text(edge["source"]),
            "target": _text(edge["target"]),
            "label": _token(edge.get("label", "")),
        }
        if kind:
            attrs["kind"] = kind
        element = ET.SubElement(listed, f"{q}edge", attrs)
        _attvalues(element, q, "edge", edge, edge_attrs)
    return _document(root)


def _attvalues(
    element: ET.Element, q: str, domain: str, item: dict[str, Any], names: list[str]
) -> None:
    values = ET.SubElement(element, f"{q}attvalues")
    for name in names:
        attrs = {"for": f"{domain}-{name}", "value": _text(item.get(name, ""))}
        ET.SubElement(values, f"{q}attvalue", attrs)
