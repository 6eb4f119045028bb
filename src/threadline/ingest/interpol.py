"""One INTERPOL public notice (red, yellow, UN special) as a FollowTheMoney entity.

The fields are those of the public notices API (``ws-public.interpol.int/notices/v1``):
detail responses and the shorter summaries of search responses. Every value goes
through :func:`keep_value`, so a value FtM cannot use is left out alone with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.ingest.base import RecordError
from threadline.ingest.entities import (
    ORIGINALS,
    any_language,
    keep_value,
    reject_value,
    value_reason,
)

COLOURS = ("red", "yellow", "un")
PROGRAMS = {
    "red": "INTERPOL red notice",
    "yellow": "INTERPOL yellow notice",
    "un": "INTERPOL-United Nations Security Council Special Notice",
}
YELLOW_FIELDS = ("date_of_event", "birth_name", "father_forename", "mother_forename",
                 "mother_name", "countries_likely_to_be_visited")  # fmt: skip
UN_FIELDS = ("un_reference", "un_resolution", "un_reference_date")
ORGANISATION_FIELDS = ("legal_form", "registration_number", "administrators",
                       "from_chamber_of_commerce", "formerly_known_as")  # fmt: skip
NOTICE_ID = re.compile(r"\d{4}/\d{1,10}")
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?$")
_SEX = {"M": "male", "F": "female"}
_HUMAN_TRAFFICKING = re.compile(
    r"traffick\w* (in|of) (persons|human|people|children|women)|human traffick|"
    r"trata de (personas|seres)|traite (des|d.)",
    re.IGNORECASE,
)

Put = Callable[[str, Any], None]


def notice_entity_id(colour: str, notice_id: str) -> str:
    """The entity id of a notice (``interpol-red-2025-97613``)."""
    return f"interpol-{colour}-{notice_id.strip().replace('/', '-')}"


def notice_date(value: str) -> str:
    """``1958/11/05`` -> ``1958-11-05``; ``1958/11`` -> ``1958-11``; ``1958`` -> ``1958``."""
    found = _DATE.match(value.strip())
    if found is None:
        raise ValueError(f"{value!r} is not YYYY/MM/DD, YYYY/MM or YYYY")
    year, month, day = found.groups()
    return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])


def self_href(notice: dict[str, Any]) -> str:
    links = notice.get("_links")
    if isinstance(links, dict) and isinstance(links.get("self"), dict):
        return text(links["self"].get("href"))
    return ""


def colour_of(notice: dict[str, Any], container: str = "", folder: str = "") -> str | None:
    """The notice's colour: from its own address, its fields, the address of the search
    response it came in, or the name of its folder (``red/``, ``yellow/``, ``un/``)."""
    own = _colour_in(self_href(notice))
    if own:
        return own
    if "arrest_warrants" in notice:
        return "red"
    if any(key in notice for key in UN_FIELDS):
        return "un"
    if any(key in notice for key in YELLOW_FIELDS):
        return "yellow"
    return _colour_in(container) or (folder if folder in COLOURS else None)


def _colour_in(href: str) -> str | None:
    path = f"{href}/".replace("?", "/")
    return next((c for c in COLOURS if f"/{c}/" in path), None)


def notice_entity(notice: dict[str, Any], colour: str) -> EntityProxy:
    """The Person (or, for a UN notice on a group, the Organization) a notice describes."""
    notice_id = text(notice.get("entity_id"))
    if not NOTICE_ID.fullmatch(notice_id):
        raise RecordError(f"entity_id {notice_id!r} is not a notice id like 1993/27493")
    href = self_href(notice)
    organisation = colour == "un" and (
        "/un/entities/" in href or any(notice.get(k) for k in ORGANISATION_FIELDS)
    )
    surname, forename = name_part(notice.get("name")), name_part(notice.get("forename"))
    if not surname and not forename:
        raise RecordError("the notice has neither name nor forename")
    entity = model.make_entity("Organization" if organisation else "Person")
    entity.id = notice_entity_id(colour, notice_id)
    originals: dict[tuple[str, str], str] = {}

    def put(prop: str, value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if text(item):
                keep_value(entity, entity.schema.properties[prop], text(item), originals)

    put("country" if organisation else "nationality", notice.get("nationalities") or [])
    put("name", " ".join(p for p in (forename, surname) if p))
    put("programId", notice_id)
    put("program", PROGRAMS[colour])
    put("keywords", f"notice:{colour}")
    put("sourceUrl", href)
    _images(notice, put)
    if organisation:
        _organisation(notice, put)
    else:
        _person(entity, notice, forename, surname, put)
    if colour == "red":
        _red(notice, put)
    elif colour == "yellow":
        _yellow(notice, forename, surname, put)
    else:
        _un(notice, put)
    if originals:
        entity.context[ORIGINALS] = originals
    return entity


def _person(
    entity: EntityProxy, notice: dict[str, Any], forename: str, surname: str, put: Put
) -> None:
    put("birthCountry", notice.get("country_of_birth_id"))
    put("firstName", forename)
    put("lastName", surname)
    _date(entity, notice, "date_of_birth", "birthDate", put)
    put("gender", _SEX.get(text(notice.get("sex_id")).upper()))
    put("birthPlace", notice.get("place_of_birth"))
    for key in ("height", "weight"):  # 0 is the API's "unknown"
        value = notice.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            put(key, f"{value:g}")
    put("eyeColor", notice.get("eyes_colors_id") or [])
    put("hairColor", notice.get("hairs_id") or [])
    put("appearance", notice.get("distinguishing_marks"))
    _languages(entity, notice.get("languages_spoken_ids") or [], put)


def _date(entity: EntityProxy, notice: dict[str, Any], key: str, prop: str, put: Put) -> None:
    raw = text(notice.get(key))
    if not raw:
        return
    try:
        put(prop, notice_date(raw))
    except ValueError as exc:
        reject_value(entity, value_reason(entity, key, raw, f"is not a date: {exc}"))


def _languages(entity: EntityProxy, codes: Any, put: Put) -> None:
    for code in codes if isinstance(codes, list) else [codes]:
        raw = text(code)
        if raw and any_language(raw):
            put("spokenLanguage", raw)
        elif raw:  # a code no ISO 639 list knows is kept as a note rather than lost
            put("notes", f"language spoken: {raw}")


def _images(notice: dict[str, Any], put: Put) -> None:
    """Links to the notice's photographs, kept as links (Threadline never fetches them)."""
    links = notice.get("_links")
    if not isinstance(links, dict):
        return
    for key, label in (("images", "Images"), ("thumbnail", "Thumbnail")):
        item = links.get(key)
        href = text(item.get("href")) if isinstance(item, dict) else ""
        if href:
            put("notes", f"{label}: {href}")


def _red(notice: dict[str, Any], put: Put) -> None:
    put("topics", ["wanted", "crime"])
    warrants = notice.get("arrest_warrants") or []
    for warrant in warrants if isinstance(warrants, list) else [warrants]:
        if not isinstance(warrant, dict):
            put("notes", f"Arrest warrant: {text(warrant)}")
            continue
        charge = _lines(warrant.get("charge"))
        translation = _lines(warrant.get("charge_translation"))
        country = text(warrant.get("issuing_country_id")) or "country not given"
        note = f"Arrest warrant ({country}): {charge or 'charge not given'}"
        if translation and translation != charge:
            note += f" [translation: {translation}]"
        put("notes", note)
        if _HUMAN_TRAFFICKING.search(f"{charge} {translation}"):
            put("topics", "crime.traffick.human")


def _yellow(notice: dict[str, Any], forename: str, surname: str, put: Put) -> None:
    """A missing person: no topic (FtM has none, and ``wanted`` would mark a possible victim)."""
    birth_name = name_part(notice.get("birth_name"))
    if birth_name and birth_name != surname:
        put("previousName", " ".join(p for p in (forename, birth_name) if p))
    put("fatherName", _full(notice, "father_forename", "father_name"))
    put("motherName", _full(notice, "mother_forename", "mother_name"))
    event = text(notice.get("date_of_event"))
    where = ", ".join(p for p in (text(notice.get("place")), text(notice.get("country"))) if p)
    if event or where:
        when = _date_text(event) if event else "an unknown date"
        put("notes", f"Missing since {when}" + (f" ({where})" if where else ""))
    visits = [text(c) for c in notice.get("countries_likely_to_be_visited") or [] if text(c)]
    if visits:
        put("notes", f"Countries likely to be visited: {', '.join(visits)}")


def _un(notice: dict[str, Any], put: Put) -> None:
    put("topics", "sanction")
    put("name", " ".join(
        p for p in (text(notice.get("forename_in_original_script")),
                    text(notice.get("name_in_original_script"))) if p
    ))  # fmt: skip
    put("alias", notice.get("aliases") or [])
    reference = text(notice.get("un_reference"))
    if reference:
        details = []
        if text(notice.get("un_resolution")):
            details.append(f"resolution {text(notice.get('un_resolution'))}")
        listed = text(notice.get("un_reference_date"))
        if listed:
            details.append(_date_text(listed))
        put("notes", f"UN reference {reference}" + (f" ({', '.join(details)})" if details else ""))
    for key in ("main_activity", "summary", "additional_information"):
        put("notes", _lines(notice.get(key)))
    put("address", notice.get("adresses") or notice.get("addresses") or [])


def _organisation(notice: dict[str, Any], put: Put) -> None:
    put("previousName", notice.get("formerly_known_as"))
    put("legalForm", notice.get("legal_form"))
    put("registrationNumber", notice.get("registration_number"))
    for name in notice.get("administrators") or []:
        put("notes", f"Administrator: {text(name)}")


def _date_text(value: str) -> str:
    """A date for a note: ISO when it can be read, else as written."""
    try:
        return notice_date(value)
    except ValueError:
        return value


def _full(notice: dict[str, Any], forename_key: str, name_key: str) -> str:
    parts = (name_part(notice.get(forename_key)), name_part(notice.get(name_key)))
    return " ".join(p for p in parts if p)


def _lines(value: Any) -> str:
    return "\n".join(line.strip() for line in text(value).splitlines() if line.strip())


def name_part(value: Any) -> str:
    """A name as written, or "" for a placeholder ("-", "?", "", null): not a name at all."""
    found = text(value)
    return found if any(ch.isalnum() for ch in found) else ""


def text(value: Any) -> str:
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value).strip()
