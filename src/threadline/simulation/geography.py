"""Countries of the simulated world: name culture, ad languages, cities, airports, phones.

Phones: where a country reserves numbers for fiction the simulator uses only those
(GB 07700 900xxx and 020 7946 0xxx, US/CA NXX-555-01xx, AU 0491 570 xxx, FR 06 39 98
xx xx and 01 99 00 xx xx). Elsewhere it uses one clearly synthetic block per country
(the local mobile prefix followed by 555), listed in docs/formats.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PhoneBlock:
    """A range of numbers: ``prefix`` (E.164, with +) followed by ``digits`` free digits."""

    prefix: str
    digits: int
    fiction: bool  # True when the regulator reserves the range for drama and examples

    @property
    def size(self) -> int:
        """How many numbers the block holds."""
        return int(10**self.digits)

    def number(self, index: int) -> str:
        """The ``index``-th number of the block, in E.164."""
        return f"{self.prefix}{index:0{self.digits}d}"


@dataclass(frozen=True, slots=True)
class Country:
    """One country of the world and what the generators need to know about it."""

    code: str  # ISO 3166-1 alpha-2
    alpha3: str
    culture: str
    languages: tuple[str, ...]  # languages its ads are written in
    role: str  # origin, transit or destination (the usual one; any may be crossed)
    cities: tuple[str, ...]
    airports: tuple[str, ...]
    phones: tuple[PhoneBlock, ...]


def _us_blocks(area_codes: tuple[int, ...]) -> tuple[PhoneBlock, ...]:
    return tuple(PhoneBlock(f"+1{a}55501", 2, True) for a in area_codes)


def _synthetic(prefix: str) -> tuple[PhoneBlock, ...]:
    return (PhoneBlock(prefix, 4, False),)


# Ordered so that any prefix of the list mixes origins, transits and destinations.
COUNTRIES: tuple[Country, ...] = (
    Country(
        "NG",
        "NGA",
        "en_wa",
        ("en",),
        "origin",
        ("Lagos", "Benin City", "Abuja"),
        ("LOS", "ABV"),
        _synthetic("+234803555"),
    ),
    Country(
        "GB",
        "GBR",
        "en",
        ("en",),
        "destination",
        ("London", "Manchester", "Birmingham"),
        ("LHR", "MAN"),
        (PhoneBlock("+447700900", 3, True), PhoneBlock("+442079460", 3, True)),
    ),
    Country(
        "UA",
        "UKR",
        "ru",
        ("en",),
        "origin",
        ("Kyiv", "Odesa", "Kharkiv"),
        ("KBP",),
        _synthetic("+38067555"),
    ),
    Country(
        "FR",
        "FRA",
        "fr",
        ("fr",),
        "destination",
        ("Paris", "Lyon", "Marseille"),
        ("CDG", "LYS"),
        (PhoneBlock("+3363998", 4, True), PhoneBlock("+3319900", 4, True)),
    ),
    Country(
        "BR",
        "BRA",
        "pt",
        ("pt",),
        "origin",
        ("São Paulo", "Rio de Janeiro", "Recife"),
        ("GRU", "GIG"),
        _synthetic("+551195550"),
    ),
    Country(
        "AE",
        "ARE",
        "ar",
        ("en",),
        "transit",
        ("Dubai", "Abu Dhabi", "Sharjah"),
        ("DXB", "AUH"),
        _synthetic("+97150555"),
    ),
    Country(
        "ES",
        "ESP",
        "es",
        ("es",),
        "destination",
        ("Madrid", "Barcelona", "Valencia"),
        ("MAD", "BCN"),
        _synthetic("+3465550"),
    ),
    Country(
        "US",
        "USA",
        "en",
        ("en", "es"),
        "destination",
        ("New York", "Los Angeles", "Miami", "Houston"),
        ("JFK", "LAX", "MIA", "IAH"),
        _us_blocks((212, 213, 305, 713, 718, 312, 415, 617)),
    ),
    Country(
        "MA",
        "MAR",
        "ar",
        ("fr",),
        "transit",
        ("Casablanca", "Tangier", "Rabat"),
        ("CMN", "TNG"),
        _synthetic("+21265555"),
    ),
    Country(
        "RU",
        "RUS",
        "ru",
        ("en",),
        "origin",
        ("Moscow", "Saint Petersburg", "Kazan"),
        ("SVO", "LED"),
        _synthetic("+7916555"),
    ),
    Country(
        "PH",
        "PHL",
        "ph",
        ("en",),
        "origin",
        ("Manila", "Cebu", "Davao"),
        ("MNL", "CEB"),
        _synthetic("+63917555"),
    ),
    Country(
        "SN",
        "SEN",
        "fr_wa",
        ("fr",),
        "origin",
        ("Dakar", "Thiès", "Saint-Louis"),
        ("DSS",),
        _synthetic("+22177555"),
    ),
    Country(
        "TH",
        "THA",
        "th",
        ("en",),
        "transit",
        ("Bangkok", "Pattaya", "Chiang Mai"),
        ("BKK", "CNX"),
        _synthetic("+6681555"),
    ),
    Country(
        "CO",
        "COL",
        "es",
        ("es",),
        "origin",
        ("Bogotá", "Medellín", "Cali"),
        ("BOG", "MDE"),
        _synthetic("+57300555"),
    ),
    Country(
        "EG",
        "EGY",
        "ar",
        ("en",),
        "origin",
        ("Cairo", "Alexandria", "Giza"),
        ("CAI",),
        _synthetic("+20100555"),
    ),
    Country(
        "PT",
        "PRT",
        "pt",
        ("pt",),
        "destination",
        ("Lisbon", "Porto", "Faro"),
        ("LIS", "OPO"),
        _synthetic("+35191555"),
    ),
    Country(
        "DE",
        "DEU",
        "de",
        ("en",),
        "destination",
        ("Berlin", "Hamburg", "Frankfurt"),
        ("FRA", "BER"),
        _synthetic("+491515555"),
    ),
    Country(
        "CI",
        "CIV",
        "fr_wa",
        ("fr",),
        "origin",
        ("Abidjan", "Bouaké", "Yamoussoukro"),
        ("ABJ",),
        _synthetic("+225075555"),
    ),
    Country(
        "MX",
        "MEX",
        "es",
        ("es",),
        "transit",
        ("Mexico City", "Tijuana", "Cancún"),
        ("MEX", "TIJ", "CUN"),
        _synthetic("+52555550"),
    ),
    Country(
        "KZ",
        "KAZ",
        "ru",
        ("en",),
        "origin",
        ("Almaty", "Astana", "Shymkent"),
        ("ALA", "NQZ"),
        _synthetic("+7701555"),
    ),
    Country(
        "TR",
        "TUR",
        "tr",
        ("en",),
        "transit",
        ("Istanbul", "Antalya", "Izmir"),
        ("IST", "AYT"),
        _synthetic("+90532555"),
    ),
    Country(
        "AU",
        "AUS",
        "en",
        ("en",),
        "destination",
        ("Sydney", "Melbourne", "Perth"),
        ("SYD", "MEL"),
        (PhoneBlock("+61491570", 3, True),),
    ),
    Country(
        "GH",
        "GHA",
        "en_wa",
        ("en",),
        "origin",
        ("Accra", "Kumasi", "Tamale"),
        ("ACC",),
        _synthetic("+23324555"),
    ),
    Country(
        "IT",
        "ITA",
        "it",
        ("en",),
        "destination",
        ("Rome", "Milan", "Naples"),
        ("FCO", "MXP"),
        _synthetic("+39333555"),
    ),
    Country(
        "AO",
        "AGO",
        "pt",
        ("pt",),
        "origin",
        ("Luanda", "Huambo", "Benguela"),
        ("LAD",),
        (PhoneBlock("+244923555", 3, False),),
    ),
    Country(
        "JO",
        "JOR",
        "ar",
        ("en",),
        "transit",
        ("Amman", "Irbid", "Aqaba"),
        ("AMM",),
        _synthetic("+96279555"),
    ),
    Country(
        "CA",
        "CAN",
        "en",
        ("en", "fr"),
        "destination",
        ("Toronto", "Montreal", "Vancouver"),
        ("YYZ", "YUL", "YVR"),
        _us_blocks((416, 514, 604, 613)),
    ),
    Country(
        "KG", "KGZ", "ru", ("en",), "origin", ("Bishkek", "Osh"), ("FRU",), _synthetic("+99670555")
    ),
    Country(
        "AR",
        "ARG",
        "es",
        ("es",),
        "destination",
        ("Buenos Aires", "Córdoba", "Rosario"),
        ("EZE",),
        _synthetic("+549115550"),
    ),
    Country(
        "SA",
        "SAU",
        "ar",
        ("en",),
        "destination",
        ("Riyadh", "Jeddah", "Dammam"),
        ("RUH", "JED"),
        _synthetic("+96650555"),
    ),
)


def pick_countries(count: int) -> list[Country]:
    """The first ``count`` countries, always including at least two of each role."""
    chosen = list(COUNTRIES[: max(6, min(count, len(COUNTRIES)))])
    return chosen


def by_role(countries: list[Country], role: str) -> list[Country]:
    """Countries whose usual role is ``role`` (all countries when none is)."""
    found = [c for c in countries if c.role == role]
    return found or countries
