"""The SVG builders behind the maps, time axes and bar charts of the web pages."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import pytest

from threadline.exc import InputError
from threadline.operations.geography import country_places
from threadline.web import maps
from threadline.web.charts import NOTHING, Series, bar_chart, parse_day, timeline
from threadline.web.worldshapes import SHAPES, decode_countries, world_countries

# A two-country topology by hand: quantised, delta-encoded arcs as the spec writes them.
# Arc 0 is the shared border (0,0)→(0,10); arc 1 closes "Norway" to the east, arc 2
# closes "Narnia" (not a country: no code) to the west.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
    "arcs": [
        [[0, 0], [0, 10]],
        [[0, 10], [10, 0], [0, -10], [-10, 0]],
        [[0, 0], [-10, 0], [0, 10], [10, 0]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "arcs": [[0, 1]],
                    "id": "578",
                    "properties": {"name": "Norway"},
                },
                {"type": "Polygon", "arcs": [[2, -1]], "properties": {"name": "Narnia"}},
                {"type": None, "properties": {"name": "Tiny"}},
            ],
        }
    },
}


def test_topojson_arcs_are_decoded_into_closed_rings_with_iso_codes() -> None:
    norway, narnia = decode_countries(TOPOLOGY)
    assert (norway.code, narnia.code) == ("NO", None)
    # (0,0)→(0,10) is (10,50)→(10,55); arc 1 then walks east and back, closing the ring.
    assert norway.polygons == [[[(10, 50), (10, 55), (15, 55), (15, 50), (10, 50)]]]
    # ~0 walks the shared border backwards: Narnia's ring ends where it began.
    ring = narnia.polygons[0][0]
    assert ring[0] == ring[-1] == (10.0, 50.0) and (5.0, 55.0) in ring


@pytest.mark.parametrize(
    ("topology", "message"),
    [
        ({"type": "FeatureCollection"}, "not a TopoJSON topology"),
        ({"type": "Topology", "arcs": [], "objects": {}}, "no 'countries' layer"),
    ],
)
def test_what_is_not_a_country_topology_is_refused_with_the_reason(
    topology: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        decode_countries(topology)


def test_the_bundled_shapes_are_natural_earth_countries() -> None:
    if not SHAPES.exists():
        pytest.fail(f"{SHAPES} is missing: 'make setup' copies it from the world-atlas package")
    codes = {s.code for s in world_countries()}
    assert {"SE", "RO", "HU", "BR", "CD", "BA", "SS"} <= codes  # abbreviated names mapped
    assert len(codes - {None}) > 170


def test_projection_of_known_points() -> None:
    assert maps.project(0, 0) == (360.0, 168.0)  # Greenwich on the equator
    assert maps.project(-180, 84) == (0.0, 0.0)  # the frame's top-left corner
    assert maps.project(180, -58) == (maps.WIDTH, maps.HEIGHT)
    sweden = country_places()["SE"]  # a country's centre, any case of its code
    assert maps.centre("se") == ((sweden.lon + 180) * 2, (84 - sweden.lat) * 2)
    assert maps.centre("??") is None and maps.centre(None) is None


def test_a_ring_across_the_date_line_is_drawn_on_both_sides_not_across_the_map() -> None:
    path = maps._ring_path([(179.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (179.0, -17.0)])
    assert path.count("M") == 2
    xs = [float(x) for x in re.findall(r"(-?[\d.]+) -?[\d.]+", path)]
    assert max(xs) - min(xs) > 700 and all(abs(a - b) < 5 for a, b in pairwise(xs[:4]))


def test_route_map_draws_an_arrowed_group_per_route_and_names_what_it_cannot_place() -> None:
    routes = [
        {"origin": "RO", "transit": ["HU"], "destination": "SE", "travellers": 2, "trips": 4},
        {"origin": "SE", "transit": [], "destination": "RO", "travellers": 1, "trips": 1},
        {"origin": "?", "transit": [], "destination": "SE", "travellers": 1, "trips": 1},
    ]
    drawn = maps.route_map(routes, map_id="m1")
    svg = str(drawn.svg)
    assert svg.count('class="route"') == 2
    assert svg.count('marker-end="url(#m1-arrow)"') == 3  # one arrowhead per leg
    assert 'data-route="RO → HU → SE"' in svg and "2 travellers, 4 trips" in svg
    assert drawn.placed == ["RO", "HU", "SE"]
    assert drawn.unplaced == ["? → SE"] and "? → SE" in drawn.note
    assert 'aria-label="Map of 2 routes through Romania, Hungary, Sweden"' in svg
    assert svg.count('class="on"') == 3  # the three countries are shaded


@pytest.mark.parametrize(
    "build",
    [
        lambda: maps.route_map([]),
        lambda: maps.route_map([{"origin": "?", "destination": "?"}]),
        lambda: maps.trail_map([{"when": "2025-01-01", "place": "Berlin"}]),
        lambda: maps.country_map([]),
    ],
)
def test_nothing_to_place_says_so(build: object) -> None:
    drawn = build()  # type: ignore[operator]
    assert maps.NO_PLACES in str(drawn.svg) and maps.NO_PLACES in drawn.note
    assert f'aria-label="{maps.NO_PLACES}"' in str(drawn.svg) and drawn.placed == []


def test_trail_map_numbers_steps_by_country_and_never_places_a_withheld_place() -> None:
    trail = [
        {"when": "2025-03-02", "place": "Berlin"},  # a city: no country known
        {"when": "2025-04-01", "place": "de"},  # a country code as the place
        {"when": "2025-04-20", "place": "CDG (Paris, FR)", "country": "FR"},
        {"when": "2025-04-28", "place": "withheld: protected person", "country": "withheld"},
        {"when": "2025-05-01", "place": "se", "country": "SE"},
    ]
    drawn = maps.trail_map(trail, map_id="t")
    svg = str(drawn.svg)
    assert drawn.placed == ["DE", "FR", "SE"]
    assert svg.count('class="move"') == 2  # DE → FR → SE (the withheld step is skipped)
    assert 'data-move="2-3"' in svg and 'data-move="3-5"' in svg
    assert ">DE 2<" in svg and ">FR 3<" in svg
    assert "step 1 (2025-03-02): Berlin" in drawn.unplaced[0]
    assert "step 4 (2025-04-28): withheld" in drawn.unplaced[1]
    assert maps.PLACED_BY_COUNTRY in drawn.note


def test_labels_are_escaped_in_the_svg() -> None:
    trail = [
        {"when": "2025-01-01", "country": "DE"},
        {"when": "2025-<b>", "place": "x", "country": "FR"},
    ]
    svg = str(maps.trail_map(trail).svg)
    assert "<b>" not in svg and "2025-&lt;b&gt;" in svg
    route = {"origin": "SE", "transit": [], "destination": "NO", "travellers": 1, "trips": 1}
    assert "<script" not in str(maps.route_map([route], map_id='"><script>').svg)
    axis = str(timeline([("2025-01-02", 'Ann & "Bo" <i>')]).svg)
    assert "Ann &amp; &quot;Bo&quot; &lt;i&gt;" in axis and "<i>" not in axis
    bars = str(bar_chart(["<SE>"], [Series("a&b", [1])], chart_id="c", label="L<"))
    assert "&lt;SE&gt;" in bars and "a&amp;b" in bars and "L&lt;" in bars


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-02", (date(2025, 3, 2), True)),
        ("2025-03-02T10:15:00", (date(2025, 3, 2), True)),
        ("2025-03", (date(2025, 3, 1), False)),
        ("2025", (date(2025, 1, 1), False)),
        ("soon", None),
        ("2025-13-40", None),
        (None, None),
    ],
)
def test_dates_are_read_with_their_precision(value: object, expected: object) -> None:
    assert parse_day(value) == expected


def test_timeline_places_marks_in_order_stacks_a_shared_day_and_lists_the_rest() -> None:
    chart = timeline(
        [
            ("2025-03-01", "a"),
            ("2025-01-01", "b"),
            ("2025-03-01", "c"),
            ("", "d"),
            ("2025-02", "e"),
        ],
        chart_id="tl",
        label="Activity",
    )
    svg = str(chart.svg)
    marks = re.findall(r'data-date="([^"]+)" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert [m[0] for m in marks] == ["2025-01-01", "2025-02", "2025-03-01", "2025-03-01"]
    xs = [float(m[1]) for m in marks]
    assert xs == sorted(xs) and xs[2] == xs[3] and marks[2][2] != marks[3][2]
    assert "2025-02: e (date approximate)" in svg
    assert chart.unplaced == ["undated: d"]
    assert 'aria-label="Activity: 4 dated events from 2025-01-01 to 2025-03-01"' in svg
    empty = timeline([("", "x")], label="Trail")
    assert NOTHING in str(empty.svg) and empty.unplaced == ["undated: x"]


def test_bar_chart_draws_a_bar_per_value_scaled_to_the_largest() -> None:
    svg = str(
        bar_chart(
            ["SE", "NO"],
            [Series("victims", [12, 3]), Series("arrests", [6, 0])],
            chart_id="b",
            label="Outcomes",
        )
    )
    bars = re.findall(r'data-series="(\w+)" data-category="(\w+)" data-value="(\d+)"', svg)
    assert bars == [("victims", "SE", "12"), ("arrests", "SE", "6"), ("victims", "NO", "3"),
                    ("arrests", "NO", "0")]  # fmt: skip
    heights = [float(h) for h in re.findall(r'class="bar"[^>]* height="([\d.]+)"', svg)]
    assert heights[0] == 120.0 and heights[1] == 60.0 and heights[3] == 0.0
    assert "SE: 12 victims" in svg
    assert NOTHING in str(bar_chart(["SE"], [Series("x", [0])], chart_id="z", label="Z"))
    with pytest.raises(ValueError, match="one value per category"):
        bar_chart(["SE"], [Series("x", [1, 2])], chart_id="y", label="Y")
