"""Turning an ad plan into text: persona templates with variation, honest ads, escort ads."""

from __future__ import annotations

import random

from threadline.simulation.adtext import DECEPTIVE, ESCORT, ETHNIC, HONEST, JOBS

_CURRENCY = {"en": "${:,}", "fr": "{:,} €", "es": "US${:,}", "pt": "R$ {:,}"}
_EMOJI = ("✈️", "🔥", "💰", "⭐", "✅", "🌍", "")


def money(language: str, amount: int) -> str:
    """An amount written the way ads in ``language`` write money."""
    text = _CURRENCY[language].format(amount)
    return text.replace(",", {"fr": " ", "es": ".", "pt": "."}.get(language, ","))


def job_phrase(language: str, sector: str, rng: random.Random) -> str:
    """A job title phrase for a sector ("fruit pickers", "saisonniers" ...)."""
    pool = JOBS[language]
    return rng.choice(pool.get(sector, pool["general"]))


class PersonaTemplate:
    """The fixed wording one operator re-uses; each post varies only a few slots.

    The template's choices come from the persona's own seed, so every ad it posts
    keeps the same skeleton (what template-clustering should find), while the
    city, wage, contact and an optional sentence change from post to post.
    """

    def __init__(self, seed: int, language: str, kind: str) -> None:
        rng = random.Random(seed)
        self.language = language
        self.kind = kind
        pools = DECEPTIVE[language] if kind == "recruitment" else ESCORT[language]
        if kind == "recruitment":
            flags = ["pay", "travel", "urgent", "contact"]
            flags += rng.sample(["fee", "visa", "docs", "contract", "age"], rng.randint(1, 3))
            rng.shuffle(flags)
            self.parts = ["title", *flags]
        else:
            self.parts = ["title", "body", "price", "contact"]
        self.choice = {key: rng.choice(pools[key]) for key in self.parts}
        self.emoji = rng.choice(_EMOJI)
        self.upper_title = rng.random() < 0.3
        self.wage = rng.randrange(2500, 6000, 100)

    def render(
        self, slots: dict[str, str], rng: random.Random, contact: bool = True
    ) -> tuple[str, str]:
        """(title, text) for one post, with small post-to-post variation; without its
        contact line when ``contact`` is false (the platform's messaging is the contact)."""
        slots = {**slots, "wage": money(self.language, self.wage + rng.randrange(0, 500, 100))}
        title = self.choice["title"].format(**slots)
        if self.upper_title:
            title = title.upper()
        parts = [p for p in self.parts[1:] if contact or p != "contact"]
        sentences = [self.choice[p].format(**slots) for p in parts]
        if len(sentences) > 3 and rng.random() < 0.3:
            del sentences[rng.randrange(len(sentences) - 1)]  # a dropped line; contact stays
        text = " ".join(sentences)
        if self.emoji:
            text = f"{self.emoji} {text} {self.emoji}"
        return title, text


def honest_job(
    language: str, slots: dict[str, str], agency: bool, rng: random.Random
) -> tuple[str, str]:
    """An honest job ad; agencies add licence and legally disclosed fees."""
    pools = HONEST[language]
    titles = pools["title"] if agency else pools["title"][:-1]
    slots = {**slots, "wage": money(language, rng.randrange(1200, 2800, 50))}
    title = rng.choice(titles).format(**slots)
    keys = ["pay", "terms", "req"] + (["agency", "agency"] if agency else [])
    rng.shuffle(keys)
    parts = [rng.choice(pools[k]).format(**slots) for k in dict.fromkeys(keys)]
    parts.append(rng.choice(pools["contact"]).format(**slots))
    return title, " ".join(parts)


def independent_escort(language: str, slots: dict[str, str], rng: random.Random) -> tuple[str, str]:
    """An adult's own ad: movement and screening language, plain phone."""
    pools = ESCORT[language]
    title = rng.choice(pools["indep_title"]).format(**slots)
    body = rng.sample(pools["indep_body"], min(2, len(pools["indep_body"])))
    text = " ".join(b.format(**slots) for b in body) + " " + pools["contact"][0].format(**slots)
    return title, text


def escort_slots(language: str, rng: random.Random) -> dict[str, str]:
    """Slots sexual-services ads use: stated ethnicity, a price in roses, an age."""
    return {
        "ethnic": rng.choice(ETHNIC[language]),
        "roses": str(rng.randrange(100, 400, 20)),
        "age": str(rng.randint(23, 45)),
    }
