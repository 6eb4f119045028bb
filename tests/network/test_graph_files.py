"""GraphML and GEXF exports validate against their schemas and read back in networkx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from threadline.network.graph_files import name_token, write_gexf, write_graphml

SCHEMAS = Path(__file__).parent.parent / "fixtures" / "schemas"


def _schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / ("gexf-1.3/gexf.xsd" if name == "gexf" else "graphml/graphml-rules.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(fmt: str, text: str) -> None:
    schema = _schema(fmt)
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


NODES: list[dict[str, Any]] = [
    {"id": "pA1", "label": "Ion Pop", "kind": "entity", "schema": "Person", "countries": "RO;HU"},
    {"id": "pA2", "label": "Mihai\x07 Ionescu", "kind": "entity", "schema": "Person",
     "countries": ""},
    {"id": "~phone:+40712555123", "label": "+40712555123", "kind": "selector", "schema": "",
     "countries": ""},
    {"id": "~email:hr241@example.com", "label": "hr241@example.com", "kind": "selector",
     "schema": "", "countries": ""},
    {"id": "~address:1 strada exemplu, cluj", "label": "1 Strada Exemplu, Cluj",
     "kind": "selector", "schema": "", "countries": "RO"},
]  # fmt: skip
EDGES: list[dict[str, Any]] = [
    {"source": "pA1", "target": "pA2", "kind": "relation", "label": "Associate",
     "date": "2025-01-16"},
    {"source": "pA1", "target": "pA2", "kind": "relation", "label": "Family", "date": ""},
    {"source": "pA1", "target": "~phone:+40712555123", "kind": "selector", "label": "phone",
     "date": ""},
    {"source": "pA2", "target": "~phone:+40712555123", "kind": "selector", "label": "phone",
     "date": ""},
    {"source": "pA2", "target": "~email:hr241@example.com", "kind": "selector",
     "label": "email", "date": ""},
    {"source": "pA1", "target": "~address:1 strada exemplu, cluj", "kind": "selector",
     "label": "address", "date": ""},
]  # fmt: skip


def test_the_schemas_can_fail() -> None:
    """What networkx writes breaks the rules: names no schema allows, ids no token allows."""
    graph = nx.MultiGraph()
    for node in NODES:  # (networkx would also write the control character, breaking XML)
        attrs = {k: str(v).replace("\x07", "") for k, v in node.items() if k != "id"}
        graph.add_node(node["id"], **attrs)
    out = io.BytesIO()
    nx.write_gexf(graph, out, version="1.3")
    assert not _schema("gexf").validate(etree.fromstring(out.getvalue()))
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    assert not _schema("graphml").validate(etree.fromstring(out.getvalue()))


def test_gexf_is_valid_gexf_1_3() -> None:
    text = write_gexf(NODES, EDGES)
    assert_valid("gexf", text)
    assert 'version="1.3"' in text and "1.2draft" not in text
    graph = nx.read_gexf(io.StringIO(text), version="1.3")
    assert set(graph.nodes) == {n["id"] for n in NODES}
    assert graph.nodes["pA2"]["label"] == "Mihai Ionescu"  # a control character dropped
    assert graph.nodes["pA1"]["countries"] == "RO;HU"
    assert graph.number_of_edges() == len(EDGES)
    kinds = sorted(d["kind"] for _a, _b, d in graph.edges(data=True))
    assert kinds == ["relation", "relation", "selector", "selector", "selector", "selector"]


def test_graphml_is_valid_and_keeps_every_id() -> None:
    text = write_graphml(NODES, EDGES)
    assert_valid("graphml", text)
    graph = nx.read_graphml(io.StringIO(text))
    assert {d["key"] for _n, d in graph.nodes(data=True)} == {n["id"] for n in NODES}
    assert "pA1" in graph.nodes  # entity ids are name tokens already and stay as they are
    assert graph.nodes[name_token("~phone:+40712555123")]["label"] == "+40712555123"
    assert graph.number_of_edges() == len(EDGES)


@pytest.mark.parametrize(
    ("key", "token"),
    [("pA1", "pA1"), ("~phone:+4470", "_7e_phone:_2b_4470"), ("a b", "a_20_b"), ("", "_")],
)
def test_name_tokens(key: str, token: str) -> None:
    assert name_token(key) == token


def test_two_keys_that_escape_alike_stay_two_nodes() -> None:
    nodes = [{"id": "a b", "label": "x"}, {"id": "a_20_b", "label": "y"}]
    edges = [{"source": "a b", "target": "a_20_b", "kind": "selector", "label": "", "date": ""}]
    text = write_graphml(nodes, edges)
    assert_valid("graphml", text)
    assert nx.read_graphml(io.StringIO(text)).number_of_nodes() == 2
