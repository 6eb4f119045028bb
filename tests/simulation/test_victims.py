"""Victims follow UNODC GLOTIP 2024 proportions of sex/age and forms of exploitation."""

from __future__ import annotations

from collections import Counter

import pytest

from threadline.simulation import SimulationConfig
from threadline.simulation.world import plan_world

GROUPS = {"woman": 0.39, "girl": 0.22, "man": 0.23, "boy": 0.16}
FORMS = {
    "forced_labour": 0.42,
    "sexual_exploitation": 0.38,
    "forced_criminality": 0.08,
    "other": 0.12,
}


@pytest.fixture(scope="module")
def victims() -> list[object]:
    # Planning only (no files): 150 networks of about 40 victims each.
    config = SimulationConfig(
        seed=3, networks=150, ads=1500, travellers=150 * 40 * 20, countries=30
    )
    return plan_world(config).victims  # type: ignore[return-value]


def test_there_are_enough_victims_to_measure(victims: list[object]) -> None:
    assert len(victims) > 4000


@pytest.mark.parametrize(("group", "share"), sorted(GROUPS.items()))
def test_sex_and_age_shares(victims: list[object], group: str, share: float) -> None:
    counts = Counter(v.group for v in victims)  # type: ignore[attr-defined]
    assert counts[group] / len(victims) == pytest.approx(share, abs=0.025)


@pytest.mark.parametrize(("form", "share"), sorted(FORMS.items()))
def test_form_shares(victims: list[object], form: str, share: float) -> None:
    counts = Counter(v.form for v in victims)  # type: ignore[attr-defined]
    assert counts[form] / len(victims) == pytest.approx(share, abs=0.025)


def test_girls_mostly_sexual_exploitation_and_boys_mostly_forced_labour(
    victims: list[object],
) -> None:
    girls = [v for v in victims if v.group == "girl"]  # type: ignore[attr-defined]
    boys = [v for v in victims if v.group == "boy"]  # type: ignore[attr-defined]
    girls_sexual = sum(v.form == "sexual_exploitation" for v in girls) / len(girls)
    boys_labour = sum(v.form == "forced_labour" for v in boys) / len(boys)
    assert girls_sexual == pytest.approx(0.60, abs=0.05)
    assert boys_labour == pytest.approx(0.45, abs=0.05)


def test_minors_are_minors_and_adults_adults_when_recruited(victims: list[object]) -> None:
    for v in victims:
        born, on = v.person.birth, v.recruited_on  # type: ignore[attr-defined]
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        minor = v.group in ("girl", "boy")  # type: ignore[attr-defined]
        assert (age < 18) == minor, (v.group, age)  # type: ignore[attr-defined]
