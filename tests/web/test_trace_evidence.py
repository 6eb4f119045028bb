"""A lead's evidence on the report page reads as its kind of evidence was written."""

from __future__ import annotations

from threadline.web.rendering import templates


def _render(evidence: list[dict[str, object]]) -> str:
    lead = {"evidence": evidence}
    return templates.env.get_template("_trace_evidence.html").render(l=lead)


def test_the_name_matchers_features_show_their_details_and_points() -> None:
    html = _render([
        {"feature": "name_and_birth_date_match", "weight": 0.93, "evidence": [
            {"feature": "name", "weight": 1.0, "value": 1.0, "points": 1.0,
             "detail": "'Amina Bello' vs 'Amina Bello'"},
            {"feature": "birth_date", "weight": 0.1, "value": -0.3, "points": -0.03,
             "detail": "birth years differ by one (2011 vs 2012)"},
        ]},
    ])  # fmt: skip
    assert "birth date: birth years differ by one (2011 vs 2012) (-0.03)" in html
    assert "name: &#39;Amina Bello&#39; vs &#39;Amina Bello&#39; (+1.00)" in html
    assert ": (+0.0)" not in html


def test_linkage_comparisons_show_their_levels_and_weights() -> None:
    html = _render([
        {"feature": "linkage", "weight": 0.97, "evidence": [
            {"comparison": "prior", "level": "", "log2_weight": -9.0, "gamma": 0},
            {"comparison": "surname", "level": "exact", "log2_weight": 6.2, "gamma": 3},
        ]},
    ])  # fmt: skip
    assert "surname: exact (+6.2)" in html
    assert "prior" not in html
