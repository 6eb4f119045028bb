"""Victim-risk indicators on honest travel that looks like victims' travel at a border.

Each test pairs an honest booking (which must not be referred) with the victims' booking
it resembles (which must still be): the indicators are judged by what they stop flagging
and by what they keep.
"""

from __future__ import annotations

from datetime import date

from threadline.ingest.readers.manifests import TravelRecord
from threadline.screening import indicators

DEPARTS = "2025-06-01T10:00"


def _traveller(
    n: int,
    surname: str,
    given: str,
    born: str,
    *,
    booking: str = "BK0001",
    nationality: str = "FRA",
    email: str = "",
    phone: str = "",
) -> TravelRecord:
    return TravelRecord(
        position=n, record_id=f"R{n:03d}", flight="ZZ100", departure_airport="CDG",
        departure_time=DEPARTS, arrival_airport="LHR", arrival_time="2025-06-01T11:00",
        booking_ref=booking, surname=surname, given_names=given, sex="F",
        date_of_birth=date.fromisoformat(born), nationality=nationality, document_type="P",
        document_number=f"19AB{n:05d}", document_issuing_country=nationality,
        document_expiry=None, contact_phone=phone, contact_email=email,
    )  # fmt: skip


def _referred(records: list[TravelRecord]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in indicators.minors_without_guardian(records) + indicators.young_unrelated_groups(
        records
    ):
        found.setdefault(item.record.record_id, set()).add(item.indicator)
    return found


def test_a_parent_with_children_named_after_the_other_parent_is_not_referred() -> None:
    family = [
        _traveller(1, "MARTIN", "CLAIRE", "1986-03-02"),
        _traveller(2, "DURAND", "LEO", "2016-05-01"),
        _traveller(3, "DURAND", "EMMA", "2013-09-12"),
    ]
    assert _referred(family) == {}


def test_children_of_several_families_with_one_adult_are_still_referred() -> None:
    group = [
        _traveller(1, "OKAFOR", "JOHN", "1984-03-02", nationality="NGA"),
        _traveller(2, "ADEYEMI", "BLESSING", "2009-05-01", nationality="NGA"),
        _traveller(3, "EZE", "JOY", "2010-09-12", nationality="NGA"),
    ]
    assert _referred(group) == {
        "R002": {"minor_without_guardian"},
        "R003": {"minor_without_guardian"},
    }


def test_a_child_with_an_adult_of_another_nationality_and_surname_is_still_referred() -> None:
    pair = [
        _traveller(1, "POPESCU", "ION", "1980-03-02", nationality="ROU"),
        _traveller(2, "DURAND", "LEA", "2010-05-01"),
    ]
    assert _referred(pair) == {"R002": {"minor_without_guardian"}}


def test_a_school_trip_with_its_teachers_is_not_referred() -> None:
    pupils = [
        _traveller(n, surname, "ELEVE", f"{2009 + n % 3}-0{n % 9 + 1}-15")
        for n, surname in enumerate(
            ("ROUX", "LEROY", "MOREAU", "SIMON", "LAURENT", "MICHEL", "GARCIA", "DAVID",
             "BERTRAND", "ROBERT"), start=1)
    ]  # fmt: skip
    teachers = [
        _traveller(11, "PETIT", "ANNE", "1975-01-01"),
        _traveller(12, "BLANC", "MARC", "1981-04-04"),
    ]
    assert _referred(pupils + teachers) == {}


def test_minors_with_too_few_adults_for_a_supervised_group_are_still_referred() -> None:
    group = [
        _traveller(n, surname, "GIRL", "2009-05-01", nationality="VNM")
        for n, surname in enumerate(("NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU"), start=1)
    ]
    adults = [_traveller(7, "DO", "MINH", "1979-01-01", nationality="VNM")]
    assert set(_referred(group + adults)) == {f"R00{n}" for n in range(1, 7)}


def test_young_friends_booked_by_one_of_them_are_not_referred() -> None:
    friends = [
        _traveller(1, "ROUX", "CAMILLE", "2003-02-02", email="camille.roux03@example.com"),
        _traveller(2, "LEROY", "INES", "2002-07-07", email="camille.roux03@example.com"),
        _traveller(3, "MOREAU", "LUCIE", "2004-01-09", email="camille.roux03@example.com"),
    ]
    assert _referred(friends) == {}


def test_young_travellers_booked_by_a_third_party_contact_are_still_referred() -> None:
    group = [
        _traveller(n, surname, "MARIA", "2003-02-02", email="recruit418@example.com")
        for n, surname in enumerate(("POPA", "LUCA", "STAN"), start=1)
    ]
    assert _referred(group) == {f"R00{n}": {"young_unrelated_group"} for n in (1, 2, 3)}


def test_a_contact_naming_one_traveller_still_counts_across_bookings() -> None:
    """Booked by one of them on their own booking; the same address on other bookings
    (one contact for several parties of young strangers) is still a group."""
    group = [
        _traveller(n, surname, "ANA", "2003-02-02", booking=f"BK000{n}",
                   email="ana.popa@example.com")
        for n, surname in enumerate(("POPA", "LUCA", "STAN"), start=1)
    ]  # fmt: skip
    assert _referred(group) == {f"R00{n}": {"young_unrelated_group"} for n in (1, 2, 3)}


def test_a_family_whose_passports_spell_the_surname_differently_is_not_referred() -> None:
    family = [
        _traveller(1, "MANSUR", "MARIAM", "1978-12-12", nationality="MAR"),
        _traveller(2, "MANSOUR", "OMAR", "2014-06-01", nationality="MAR"),
        _traveller(3, "MANSOOR", "SARRA", "2016-04-29", nationality="MAR"),
    ]
    assert _referred(family) == {}


def test_a_mother_and_son_with_the_two_forms_of_a_surname_are_not_referred() -> None:
    family = [
        _traveller(1, "KUZNETSOVA", "ANNA", "1982-02-02", nationality="RUS"),
        _traveller(2, "KUZNETSOV", "IVAN", "2012-03-03", nationality="RUS"),
        _traveller(3, "IVANOV", "PETR", "1979-05-05", nationality="RUS"),
    ]
    assert _referred(family) == {}


def test_young_strangers_with_names_spelled_alike_count_once_per_family() -> None:
    """Three young travellers on a third party's contact, two of them one family name in
    two spellings: two families, fewer than a group."""
    group = [
        _traveller(1, "NASER", "LEILA", "2003-01-07", nationality="MAR", email="hr512@example.org"),
        _traveller(2, "NASSER", "OMAR", "2004-11-17", nationality="MAR", email="hr512@example.org"),
        _traveller(3, "HADDAD", "HUDA", "2002-02-04", nationality="MAR", email="hr512@example.org"),
    ]
    assert _referred(group) == {}


def _groups(records: list[TravelRecord]) -> dict[str, str]:
    return {i.record.record_id: i.referral for i in indicators.third_party_groups(records)}


def test_unrelated_adults_booked_together_by_a_third_party_are_referred() -> None:
    """Five adults of working age, five families, booked by a contact who is none of them:
    how labour recruiters book; a lawful recruiter looks the same, so it asks questions."""
    group = [
        _traveller(n, surname, "ANA", born, nationality="ROU", phone="+40 700 000 123",
                   email="recruit418@example.com")
        for n, (surname, born) in enumerate(
            (("POPA", "1990-01-02"), ("LUCA", "1985-03-04"), ("STAN", "1994-05-06"),
             ("DINU", "1982-07-08"), ("ILIE", "1988-09-10")), start=1)
    ]  # fmt: skip
    found = _groups(group)
    assert set(found) == {f"R00{n}" for n in range(1, 6)}
    assert all(r.startswith("consider a safeguarding interview: ") for r in found.values())
    assert "booked together by a contact who is none of them" in found["R001"]


def test_adults_who_booked_for_themselves_or_a_mixed_age_tour_are_not_referred() -> None:
    friends = [
        _traveller(n, surname, given, "1990-01-02", email="ana.popa90@example.com")
        for n, (surname, given) in enumerate(
            (("POPA", "ANA"), ("LUCA", "IOANA"), ("STAN", "MIHAI")), start=1)
    ]  # fmt: skip
    tour = [
        _traveller(n, f"NAME{chr(64 + n)}", "GUEST", f"{1950 + 5 * n}-01-01",
                   booking="TOUR01", email="tours3@example.org")
        for n in range(1, 9)
    ]  # fmt: skip
    family = [
        _traveller(1, "MARTIN", "CLAIRE", "1986-03-02", email="bookings@example.net"),
        _traveller(2, "MARTIN", "PAUL", "1984-03-02", email="bookings@example.net"),
        _traveller(3, "DURAND", "ANNE", "1960-03-02", email="bookings@example.net"),
    ]
    assert _groups(friends) == {}
    assert _groups(tour) == {}
    assert _groups(family) == {}  # two families, not a group of strangers


def test_a_party_of_compatriots_is_referred_and_its_companion_of_another_nationality_is_not() -> (
    None
):
    party = [
        _traveller(1, "TOURE", "AWA", "2011-11-29", nationality="SEN", email="hr184@example.net"),
        _traveller(
            2, "NDIAYE", "COUMBA", "1987-12-30", nationality="SEN", email="hr184@example.net"
        ),
        _traveller(
            3, "KONE", "AMINATA", "1990-04-28", nationality="SEN", email="hr184@example.net"
        ),
        _traveller(4, "BAMBA", "FATOU", "2008-09-29", nationality="SEN", email="hr184@example.net"),
        _traveller(
            5, "DAVIES", "STEVEN", "1995-07-23", nationality="GBR", email="hr184@example.net"
        ),
    ]
    assert set(_groups(party)) == {"R001", "R002", "R003", "R004"}
