"""Scales, knobs and the seeded random streams every component draws from."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import date, datetime

from threadline.exc import InputError

# Every timestamp is relative to this date, so output never depends on the clock.
BASE_DATE = date(2025, 1, 1)
BASE_TIME = datetime(2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Regime:
    """What operators do to stay apart in the ads, varied so that an analysis is measured on
    worlds whose evidence it was not tuned on.

    - ``contactless``: share of network ads with no phone, e-mail or handle in the text and
      no poster account (the platform's own messaging is the contact);
    - ``burner_ads``: a persona's ads, in posting order, come in runs of this many; each run
      after the first uses a fresh batch of burner phones and a fresh account (0: one set of
      selectors for the persona's whole life);
    - ``boilerplate``: share of ads (honest and network alike) carrying their platform's
      safety notice, text that many advertisers share and that must link nobody;
    - ``confounders``: honest travel that looks like the victims' at a border, at this
      multiple of its base rate (0: none): travel agencies booking many unrelated
      travellers, school trips of minors with their teachers, a parent travelling with
      children who carry the other parent's surname, young friends booked by one of
      them, and seasonal workers booked by a lawful recruiter;
    - ``sparse``: share of case records and identified persons without a birth date
      (half as many again keep only its year), without a nationality, and (half that)
      without a sex; notices lose the day and month of a birth date or the nationality at
      half the rate. Manifests keep theirs (airlines must send them);
    - ``romanisation``: share of sources (case records, identified persons, notices) that
      spell names by their own country's convention instead of a romanisation picked at
      random: the French scheme for Cyrillic and French spellings of Arabic names in
      francophone countries, the German scheme in Germany, BGN/PCGN and English spellings
      where English is written, the name's own script (Cyrillic, Arabic, Thai) more often
      where it is the country's; passports follow the issuing country's practice (Morocco
      French spellings of Arabic names, Egypt its own, the Gulf and the Levant English;
      ICAO transliteration of Cyrillic). See :mod:`threadline.simulation.romanisation`.
    """

    contactless: float = 0.0
    burner_ads: int = 0
    boilerplate: float = 0.0
    confounders: float = 0.0
    sparse: float = 0.0
    romanisation: float = 0.0


REGIMES: dict[str, Regime] = {
    "standard": Regime(),
    "contactless": Regime(contactless=0.2),
    "burners": Regime(burner_ads=4),
    "boilerplate": Regime(boilerplate=0.5),
    "evasive": Regime(contactless=0.2, burner_ads=4, boilerplate=0.5),
    "confounders": Regime(confounders=1.0),
    "sparse": Regime(sparse=0.3),
    "romanisation": Regime(romanisation=0.8),
}


@dataclass(frozen=True, slots=True)
class SimulationConfig:
    """What to generate. ``noise`` (0-1) scales name variants, typos and partial dates."""

    seed: int = 1
    scale: str = "small"
    countries: int = 14
    networks: int = 5
    ads: int = 400
    travellers: int = 400
    noise: float = 0.3
    images: int = 60  # distinct base photos; ads reuse their variants
    regime: str = "standard"  # what the operators do to evade (see ``REGIMES``)

    @property
    def evasion(self) -> Regime:
        """The knobs of this world's regime."""
        return REGIMES[self.regime]

    def validate(self) -> SimulationConfig:
        """Refuse knob values that cannot make a coherent world."""
        if self.regime not in REGIMES:
            raise InputError(
                f"unknown regime {self.regime!r} (choose {', '.join(sorted(REGIMES))})"
            )
        if self.countries < 6:
            raise InputError(f"--countries must be at least 6 (got {self.countries})")
        if self.networks < 1:
            raise InputError(f"--networks must be at least 1 (got {self.networks})")
        if self.ads < 10 * self.networks:
            raise InputError(
                f"--ads must be at least 10 per network ({10 * self.networks}; got {self.ads})"
            )
        if self.travellers < 50:
            raise InputError(f"--travellers must be at least 50 (got {self.travellers})")
        if not 0.0 <= self.noise <= 1.0:
            raise InputError(f"--noise must be between 0 and 1 (got {self.noise})")
        return self


SCALES: dict[str, SimulationConfig] = {
    "small": SimulationConfig(scale="small"),
    "medium": SimulationConfig(
        scale="medium", countries=24, networks=40, ads=50_000, travellers=100_000, images=600
    ),
    "large": SimulationConfig(
        scale="large",
        countries=30,
        networks=400,
        ads=1_000_000,
        travellers=5_000_000,
        images=3000,
    ),
}


def make_config(scale: str, seed: int, **overrides: int | float | str | None) -> SimulationConfig:
    """The scale's defaults with every knob that is not None overriding them."""
    if scale not in SCALES:
        raise InputError(f"unknown scale {scale!r} (choose small, medium or large)")
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(SCALES[scale], seed=seed, **given).validate()  # type: ignore[arg-type]


def stream(seed: int, component: str) -> random.Random:
    """An independent random stream for one component, derived from the seed."""
    digest = hashlib.sha256(f"threadline-sim:{seed}:{component}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
