"""Country outlines from Natural Earth (public domain), read from the bundled TopoJSON.

``make setup`` copies ``countries-110m.json`` of the ``world-atlas`` npm package (ISC;
Natural Earth 1:110m admin-0 countries) into the static vendor folder: the maps never
fetch anything at run time. TopoJSON stores each shared border once, as an *arc* of
delta-encoded integer positions; a country's rings list the arcs they follow (a
negative index ``~i`` walks arc ``i`` backwards). Decoding is small and specified
(https://github.com/topojson/topojson-specification), so it is written out here rather
than pulled in as a library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.primitives.countries import clean_country

SHAPES = Path(__file__).parent / "static" / "vendor" / "countries-110m.json"

# Natural Earth abbreviates a few names FtM's country names do not know; the shapes
# without an ISO 3166 code (N. Cyprus, Somaliland) are drawn but never highlighted.
ABBREVIATED = {
    "Bosnia and Herz.": "BA",
    "Central African Rep.": "CF",
    "Dem. Rep. Congo": "CD",
    "Dominican Rep.": "DO",
    "Eq. Guinea": "GQ",
    "Falkland Is.": "FK",
    "Fr. S. Antarctic Lands": "TF",
    "S. Sudan": "SS",
    "Solomon Is.": "SB",
    "W. Sahara": "EH",
}

Ring = list[tuple[float, float]]  # (longitude, latitude) pairs


@dataclass(frozen=True)
class CountryShape:
    """One country's outline: its name in the data, ISO alpha-2 code (None when it has
    none) and polygons, each a list of rings (the outer ring first, then holes)."""

    name: str
    code: str | None
    polygons: list[list[Ring]]


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc as absolute longitude/latitude positions (undoing quantisation)."""
    transform = topology.get("transform")
    decoded: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            decoded.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: Ring = []
        for dx, dy, *_rest in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A closed ring from arc indexes; consecutive arcs share their joining position."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def decode_countries(topology: dict[str, Any], layer: str = "countries") -> list[CountryShape]:
    """The countries of a TopoJSON topology's layer, with their ISO codes.

    Raises ``InputError`` naming what is missing when the data is not a topology
    of that shape (a truncated copy, another file under the same name).
    """
    if topology.get("type") != "Topology" or not isinstance(topology.get("arcs"), list):
        raise InputError("the map shapes are not a TopoJSON topology (type and arcs missing)")
    try:
        geometries = topology["objects"][layer]["geometries"]
    except (KeyError, TypeError):
        raise InputError(f"the map shapes have no {layer!r} layer") from None
    arcs = _arcs(topology)
    shapes = []
    for geometry in geometries:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # a country without an outline at this scale (type null)
            continue
        name = str((geometry.get("properties") or {}).get("name", ""))
        shapes.append(
            CountryShape(
                name,
                ABBREVIATED.get(name) or clean_country(name),
                [[_ring(ring, arcs) for ring in polygon] for polygon in polygons],
            )
        )
    return shapes


@lru_cache(maxsize=1)
def world_countries(path: Path = SHAPES) -> list[CountryShape]:
    """The bundled world's countries (read once). Raises ``InputError`` when the file is
    missing: the text alternatives still carry every place, and the message says how to
    install the shapes."""
    if not path.exists():
        raise InputError(f"the world map shapes are not installed ({path.name}): run 'make setup'")
    with path.open(encoding="utf-8") as handle:
        return decode_countries(json.load(handle))
