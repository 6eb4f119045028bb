"""INTERPOL public notices API responses as the API serves them (synthetic people).

Shapes from the public API's OpenAPI description (bundesAPI/interpol-api, ``openapi.yaml``,
commit 788475caa8b01dd450da24362a5f4a0e7d1048f1: red, yellow and UN detail and search
responses) and from published observations of ``ws-public.interpol.int``: a detail
response carries ``"_embedded": {"links": []}`` and ``_links`` (self, images, thumbnail);
a search response carries ``total``, ``query`` and ``_embedded.notices`` (summaries);
forename may be ``"-"``, ``""`` or null; ``date_of_birth`` may be a year; ``height`` and
``weight`` are 0 when unknown; languages are three-letter ISO 639-2 codes (``LIN``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from threadline.ingest.registry import get_reader
from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.statements import get_entities

API = "https://ws-public.interpol.int/notices/v1"


def _links(path: str, image: str | None = "61234567") -> dict[str, Any]:
    links = {"self": {"href": f"{API}/{path}"}, "images": {"href": f"{API}/{path}/images"}}
    if image:
        links["thumbnail"] = {"href": f"{API}/{path}/images/{image}"}
    return links


RED = {
    "date_of_birth": "1961/04/17",
    "distinguishing_marks": "Scar above the left eyebrow ",
    "weight": 0,
    "nationalities": ["CD", "BE"],
    "entity_id": "2019/70123",
    "eyes_colors_id": ["BRO"],
    "sex_id": "M",
    "place_of_birth": "Kinshasa",
    "forename": "-",
    "arrest_warrants": [
        {
            "charge": "Traite des êtres humains\r\nExploitation de la prostitution d'autrui",
            "issuing_country_id": "BE",
            "charge_translation": "Trafficking in human beings\r\nExploitation of prostitution",
        },
        {"charge": "Participation à une organisation criminelle", "issuing_country_id": "FR",
         "charge_translation": None},
    ],
    "country_of_birth_id": "CD",
    "hairs_id": ["BLA"],
    "name": "MAKIADI",
    "languages_spoken_ids": ["FRE", "LIN", "SWA", "XXQ"],
    "height": 0,
    "_embedded": {"links": []},
    "_links": _links("red/2019-70123"),
}  # fmt: skip

YELLOW = {
    "weight": 48,
    "birth_name": "NOWAK",
    "entity_id": "2024/41177",
    "nationalities": ["PL"],
    "height": 1.62,
    "name": "KOWALSKA",
    "eyes_colors_id": ["BLU"],
    "place": "Gdańsk",
    "date_of_event": "2024/03/09",
    "hairs_id": ["BRO"],
    "father_forename": "TOMASZ",
    "father_name": "NOWAK",
    "mother_forename": "EWA",
    "forename": "ZOFIA",
    "date_of_birth": "2007",
    "languages_spoken_ids": ["POL", "ENG"],
    "country": "PL",
    "country_of_birth_id": "PL",
    "sex_id": "F",
    "distinguishing_marks": None,
    "mother_name": "NOWAK",
    "place_of_birth": "GDANSK",
    "countries_likely_to_be_visited": ["DE", "GB"],
    "_embedded": {"links": []},
    "_links": _links("yellow/2024-41177", image=None),
}

UN_PERSON = {
    "entity_id": "2016/31201",
    "name": "EXAMPLEV",
    "forename": "TIMUR",
    "name_in_original_script": "ЭКЗАМПЛЕВ Тимур",
    "aliases": ["TIMUR EKZAMPLEV"],
    "un_reference": "QDi.999",
    "un_resolution": 1267,
    "un_reference_date": "2015/09/29",
    "date_of_birth": "1982/01/30",
    "nationalities": ["KG"],
    "sex_id": "M",
    "main_activity": "Recruits fighters for a listed group",
    "summary": None,
    "_embedded": {"links": []},
    "_links": _links("un/persons/2016-31201"),
}

UN_ENTITY = {
    "entity_id": "2014/5590",
    "name": "EXAMPLE RELIEF FOUNDATION",
    "aliases": ["ERF"],
    "un_reference": "QDe.999",
    "un_resolution": 1267,
    "adresses": ["Example Street 1, Bishkek"],
    "formerly_known_as": "EXAMPLE AID",
    "main_activity": "Finances a listed group",
    "_embedded": {"links": []},
    "_links": _links("un/entities/2014-5590"),
}


def _search(colour: str, notices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total": len(notices),
        "query": {"page": 1, "resultPerPage": 20},
        "_embedded": {"notices": notices},
        "_links": {"self": {"href": f"{API}/{colour}?page=1&resultPerPage=20"}},
    }


SUMMARIES = [
    {"forename": "ADAMA", "date_of_birth": "1990/02/03", "entity_id": "2023/1001",
     "nationalities": ["ML"], "name": "TRAORE", "_links": _links("red/2023-1001")},
    {"forename": "-", "date_of_birth": "1972", "entity_id": "2008/19815",
     "nationalities": ["AF"], "name": "SAMSHUDDIN", "_links": _links("red/2008-19815", None)},
    {"forename": None, "date_of_birth": "1985/12/01", "entity_id": "2026/10847",
     "nationalities": ["NG"], "name": "OKAFOR", "_links": _links("red/2026-10847")},
]  # fmt: skip


def _person(store: Store, entity_id: str) -> dict[str, list[str]]:
    with store.connect() as conn:
        (found,) = get_entities(conn, [entity_id])
    return {p: sorted(v) for p, v in found.to_dict()["properties"].items()}


def _ingest(store: Store, path: Path, data: Any, *, lines: bool = False) -> Any:
    if lines:
        path.write_bytes(b"".join(orjson.dumps(item) + b"\n" for item in data))
    else:
        path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    return ingest_file(store, path, "notices").job


def test_a_red_detail_response_is_one_wanted_person(store: Store, tmp_path: Path) -> None:
    job = _ingest(store, tmp_path / "2019-70123.json", RED)
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (1, 1, 0, 0)
    person = _person(store, "interpol-red-2019-70123")
    assert person["name"] == ["MAKIADI"]  # the "-" forename is a placeholder, not a name
    assert "firstName" not in person
    assert person["lastName"] == ["MAKIADI"]
    assert person["birthDate"] == ["1961-04-17"]
    assert person["nationality"] == ["be", "cd"]
    assert person["spokenLanguage"] == ["fra", "lin", "swa"]
    assert "height" not in person and "weight" not in person  # 0 means unknown
    assert set(person["topics"]) == {"wanted", "crime", "crime.traffick.human"}
    assert person["keywords"] == ["notice:red"]
    notes = "\n".join(person["notes"])
    assert "Arrest warrant (BE): Traite des êtres humains\nExploitation de la prostitution" in notes
    assert "[translation: Trafficking in human beings\nExploitation of prostitution]" in notes
    assert "Arrest warrant (FR): Participation à une organisation criminelle" in notes
    assert "language spoken: XXQ" in notes
    assert "\r" not in notes
    assert person["sourceUrl"] == [f"{API}/red/2019-70123"]
    # Photographs stay where they are: kept as links, never fetched.
    assert f"Images: {API}/red/2019-70123/images" in notes
    assert f"Thumbnail: {API}/red/2019-70123/images/61234567" in notes


def test_a_yellow_detail_response_is_a_missing_person(store: Store, tmp_path: Path) -> None:
    job = _ingest(store, tmp_path / "y.json", YELLOW)
    assert (job.stored, job.rejected, job.values_rejected) == (1, 0, 0)
    person = _person(store, "interpol-yellow-2024-41177")
    assert "topics" not in person  # never marked as wanted or as a person of interest
    assert person["name"] == ["ZOFIA KOWALSKA"]
    assert person["birthDate"] == ["2007"]
    assert person["previousName"] == ["ZOFIA NOWAK"]
    assert person["fatherName"] == ["TOMASZ NOWAK"]
    assert person["motherName"] == ["EWA NOWAK"]
    assert person["height"] == ["1.62"] and person["weight"] == ["48"]
    assert person["spokenLanguage"] == ["eng", "pol"]
    notes = "\n".join(person["notes"])
    assert "Missing since 2024-03-09 (Gdańsk, PL)" in notes
    assert "Countries likely to be visited: DE, GB" in notes


def test_un_special_notices_are_sanctioned_people_and_organisations(
    store: Store, tmp_path: Path
) -> None:
    job = _ingest(store, tmp_path / "un.json", [UN_PERSON, UN_ENTITY])
    assert (job.read, job.stored, job.rejected) == (2, 2, 0)
    person = _person(store, "interpol-un-2016-31201")
    assert person["topics"] == ["sanction"]
    assert person["keywords"] == ["notice:un"]
    assert set(person["name"]) == {"TIMUR EXAMPLEV", "ЭКЗАМПЛЕВ Тимур"}
    assert person["alias"] == ["TIMUR EKZAMPLEV"]
    assert "UN reference QDi.999 (resolution 1267, 2015-09-29)" in "\n".join(person["notes"])
    with store.connect() as conn:
        (organisation,) = get_entities(conn, ["interpol-un-2014-5590"])
    assert organisation.schema.name == "Organization"
    assert organisation.get("previousName") == ["EXAMPLE AID"]
    assert organisation.get("address") == ["Example Street 1, Bishkek"]


def test_a_search_response_gives_one_person_per_summary(store: Store, tmp_path: Path) -> None:
    job = _ingest(store, tmp_path / "search.json", _search("red", SUMMARIES))
    assert (job.read, job.stored, job.rejected) == (3, 3, 0)
    assert _person(store, "interpol-red-2008-19815")["name"] == ["SAMSHUDDIN"]
    assert _person(store, "interpol-red-2008-19815")["birthDate"] == ["1972"]
    assert _person(store, "interpol-red-2026-10847")["name"] == ["OKAFOR"]
    assert _person(store, "interpol-red-2023-1001")["name"] == ["ADAMA TRAORE"]


def test_json_lines_of_details_and_searches(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "harvest.jsonl"
    items = [RED, _search("red", SUMMARIES[:2]), YELLOW]
    body = b"".join(orjson.dumps(i) + b"\n" for i in items[:2]) + b'{"entity_id": "20\n'
    path.write_bytes(body + orjson.dumps(items[2]) + b"\n")
    assert get_reader(None, path).name == "notices"
    job = ingest_file(store, path, "notices").job
    assert (job.read, job.stored, job.rejected) == (5, 4, 1)
    with store.connect() as conn:
        (rejection,) = jobs_store.list_rejections(conn, job.id)
    assert "line 3: not valid JSON" in rejection.reason
    assert _person(store, "interpol-yellow-2024-41177")["name"] == ["ZOFIA KOWALSKA"]


@pytest.mark.parametrize("forename", ["-", "", None, " -- ", "?"])
def test_placeholder_forenames_are_dropped(
    store: Store, tmp_path: Path, forename: str | None
) -> None:
    _ingest(store, tmp_path / "n.json", {**RED, "forename": forename})
    person = _person(store, "interpol-red-2019-70123")
    assert person["name"] == ["MAKIADI"] and "firstName" not in person


@pytest.mark.parametrize(
    ("given", "stored"), [("1958/11/05", "1958-11-05"), ("1958", "1958"), ("1958/11", "1958-11")]
)
def test_dates_keep_their_precision(store: Store, tmp_path: Path, given: str, stored: str) -> None:
    _ingest(store, tmp_path / "n.json", {**RED, "date_of_birth": given})
    assert _person(store, "interpol-red-2019-70123")["birthDate"] == [stored]


def test_a_bad_value_in_a_notice_is_left_out_alone(store: Store, tmp_path: Path) -> None:
    job = _ingest(store, tmp_path / "n.json", {**RED, "nationalities": ["CD", "Q1"]})
    assert (job.stored, job.values_rejected) == (1, 1)
    assert _person(store, "interpol-red-2019-70123")["nationality"] == ["cd"]
    with store.connect() as conn:
        (rejection,) = jobs_store.list_rejections(conn, job.id)
    assert "entity 'interpol-red-2019-70123': nationality 'Q1' is not a valid country" in (
        rejection.reason
    )


def test_a_search_response_without_notices_fails_the_job(store: Store, tmp_path: Path) -> None:
    from threadline.exc import InputError

    with pytest.raises(InputError, match="search response holds no notices"):
        _ingest(store, tmp_path / "none.json", _search("yellow", []))
