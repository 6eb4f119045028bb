"""INTERPOL notices in the shape of the public notices API detail responses (red and yellow).

One JSON file holds one notice (``threadline ingest notices/`` reads a folder of
them); a file holding a list of notices, or a search response with
``_embedded.notices``, gives one record per notice. Each notice becomes one
FollowTheMoney ``Person``:

- id ``interpol-<colour>-<entity_id with / as ->`` (``interpol-red-2025-97613``),
  so a re-ingest adds nothing and screening can name the notice;
- ``name`` (forename + name), ``firstName``, ``lastName``, ``birthDate`` (``YYYY/MM/DD``,
  ``YYYY/MM`` or ``YYYY`` kept at that precision), ``gender``, ``nationality``,
  ``birthCountry``, ``birthPlace``, ``height``, ``weight``, ``eyeColor``, ``hairColor``,
  ``appearance`` (distinguishing marks), ``spokenLanguage``, ``sourceUrl``;
- the notice: ``programId`` = the notice id, ``program`` = "INTERPOL red notice", and
  ``keywords`` = ``notice:red`` / ``notice:yellow`` (the colour screening reports);
- red: ``topics`` ``wanted`` and ``crime`` (``crime.traffick.human`` when a charge is
  trafficking in persons), each arrest warrant as a note;
- yellow: no topic (FollowTheMoney has none for a missing person, and ``wanted`` or
  ``poi`` would wrongly mark a possible victim), ``previousName`` = birth name,
  ``fatherName``, ``motherName`` and a note saying when and where the person went missing.

The colour comes from the fields (``arrest_warrants`` is red; ``date_of_event``,
``birth_name`` or parents' names are yellow), else from ``_links`` or the folder name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.entities import ORIGINALS, add_value
from threadline.ingest.registry import register

COLOURS = ("red", "yellow")
_YELLOW_FIELDS = (
    "date_of_event",
    "birth_name",
    "father_forename",
    "mother_forename",
    "mother_name",
)
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?$")
_SEX = {"M": "male", "F": "female"}
_HUMAN_TRAFFICKING = re.compile(
    r"traffick\w* (in|of) (persons|human|people|children|women)|human traffick|"
    r"trata de (personas|seres)|traite (des|d.)",
    re.IGNORECASE,
)
# INTERPOL writes languages as ISO 639-2/B; FollowTheMoney wants 639-3 (mostly the /T code).
_LANGUAGE_B_TO_T = {
    "ALB": "sqi", "ARM": "hye", "BAQ": "eus", "BUR": "mya", "CHI": "zho", "CZE": "ces",
    "DUT": "nld", "FRE": "fra", "GEO": "kat", "GER": "deu", "GRE": "ell", "ICE": "isl",
    "MAC": "mkd", "MAO": "mri", "MAY": "msa", "PER": "fas", "RUM": "ron", "SLO": "slk",
    "TIB": "bod", "WEL": "cym",
}  # fmt: skip


def notice_entity_id(colour: str, notice_id: str) -> str:
    """The Person id of a notice (``interpol-red-2025-97613``)."""
    return f"interpol-{colour}-{notice_id.strip().replace('/', '-')}"


def notice_colour_of(entity: EntityProxy) -> str | None:
    """The notice colour a stored Person carries (this reader's or an OpenSanctions export's)."""
    for keyword in entity.get("keywords", quiet=True):
        if keyword.startswith("notice:"):
            return keyword.split(":", 1)[1]
    entity_id = str(entity.id or "")
    for colour in COLOURS:
        if entity_id.startswith(f"interpol-{colour}"):
            return colour
    if "wanted" in entity.get("topics", quiet=True):
        return "red"
    return None


def birth_date(value: str) -> str:
    """``1958/11/05`` -> ``1958-11-05``; ``1958/11`` -> ``1958-11``; ``1958`` -> ``1958``."""
    found = _DATE.match(value.strip())
    if found is None:
        raise RecordError(f"date_of_birth {value!r} is not YYYY/MM/DD, YYYY/MM or YYYY")
    year, month, day = found.groups()
    parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
    return "-".join(parts)


@register
class NoticeReader(Reader):
    name = "notices"
    description = "INTERPOL red and yellow notices, one public-API detail JSON per file"
    extensions = (".json",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return (
            path.suffix.lower() == ".json"
            and b'"entity_id"' in head
            and (b'"forename"' in head or b'"name"' in head)
        )

    def prepare(self, path: Path) -> None:
        folder = path.parent.name.lower()
        self._folder_colour = folder if folder in COLOURS else None

    def records(self, path: Path) -> Iterator[SourceRecord]:
        raw = path.read_bytes()
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield SourceRecord(1, path.name, _Unreadable(f"not valid JSON: {exc}", raw), len(raw))
            return
        if isinstance(data, dict) and isinstance(data.get("_embedded"), dict):
            data = data["_embedded"].get("notices", [])
        items = data if isinstance(data, list) else [data]
        for number, item in enumerate(items, start=1):
            notice_id = str(item.get("entity_id", "")) if isinstance(item, dict) else ""
            yield SourceRecord(number, notice_id, item, len(raw) if number == len(items) else 0)

    def excerpt(self, record: SourceRecord) -> str:
        raw = record.raw
        if isinstance(raw, _Unreadable):
            return raw.text[:300].decode("utf-8", "replace")
        if isinstance(raw, dict | list):
            return orjson.dumps(raw).decode("utf-8")[:300]
        return super().excerpt(record)

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        notice = record.raw
        if isinstance(notice, _Unreadable):
            raise RecordError(notice.reason)
        if not isinstance(notice, dict):
            raise RecordError("a notice must be a JSON object")
        notice_id = str(notice.get("entity_id") or "").strip()
        if not re.fullmatch(r"\d{4}/\d{1,10}", notice_id):
            raise RecordError(f"entity_id {notice_id!r} is not a notice id like 1993/27493")
        colour = self._colour(notice)
        surname, forename = _text(notice.get("name")), _text(notice.get("forename"))
        if not surname and not forename:
            raise RecordError("the notice has neither name nor forename")
        entity = model.make_entity("Person")
        entity.id = notice_entity_id(colour, notice_id)
        originals: dict[tuple[str, str], str] = {}

        def put(prop: str, value: Any) -> None:
            values = value if isinstance(value, list) else [value]
            for item in values:
                text = _text(item)
                if text:
                    add_value(entity, entity.schema.properties[prop], text, originals)

        put("nationality", notice.get("nationalities") or [])
        put("birthCountry", notice.get("country_of_birth_id"))
        put("name", " ".join(p for p in (forename, surname) if p))
        put("firstName", forename)
        put("lastName", surname)
        if _text(notice.get("date_of_birth")):
            put("birthDate", birth_date(_text(notice.get("date_of_birth"))))
        put("gender", _SEX.get(_text(notice.get("sex_id")).upper()))
        put("birthPlace", notice.get("place_of_birth"))
        for prop, key in (("height", "height"), ("weight", "weight")):
            if isinstance(notice.get(key), int | float) and notice[key] > 0:
                put(prop, str(notice[key]))
        put("eyeColor", notice.get("eyes_colors_id") or [])
        put("hairColor", notice.get("hairs_id") or [])
        put("appearance", notice.get("distinguishing_marks"))
        self._languages(entity, notice.get("languages_spoken_ids") or [], originals)
        put("programId", notice_id)
        put("program", f"INTERPOL {colour} notice")
        put("keywords", f"notice:{colour}")
        links = notice.get("_links")
        if isinstance(links, dict) and isinstance(links.get("self"), dict):
            put("sourceUrl", links["self"].get("href"))
        if colour == "red":
            self._red(notice, put)
        else:
            self._yellow(notice, surname, put)
        if originals:
            entity.context[ORIGINALS] = originals
        return [entity]

    def _colour(self, notice: dict[str, Any]) -> str:
        if "arrest_warrants" in notice:
            return "red"
        if any(key in notice for key in _YELLOW_FIELDS):
            return "yellow"
        href = str(((notice.get("_links") or {}).get("self") or {}).get("href") or "")
        for colour in COLOURS:
            if f"/{colour}/" in href:
                return colour
        folder: str | None = getattr(self, "_folder_colour", None)
        if folder:
            return folder
        raise RecordError(
            "cannot tell the notice colour: no arrest_warrants (red) nor missing-person fields"
            " (yellow), and the file is not in a red/ or yellow/ folder"
        )

    def _languages(
        self, entity: EntityProxy, codes: Any, originals: dict[tuple[str, str], str]
    ) -> None:
        prop = entity.schema.properties["spokenLanguage"]
        for code in codes if isinstance(codes, list) else [codes]:
            text = _text(code)
            cleaned = prop.type.clean(_LANGUAGE_B_TO_T.get(text.upper(), text))
            if cleaned:
                entity.unsafe_add(prop, cleaned, cleaned=True)
                originals[("spokenLanguage", cleaned)] = text
            elif text:  # an unknown code is kept as a note rather than losing the notice
                entity.add("notes", f"language spoken: {text}")

    @staticmethod
    def _red(notice: dict[str, Any], put: Any) -> None:
        put("topics", ["wanted", "crime"])
        warrants = notice.get("arrest_warrants") or []
        if not isinstance(warrants, list):
            raise RecordError("arrest_warrants must be a list")
        for warrant in warrants:
            if not isinstance(warrant, dict):
                raise RecordError("an arrest warrant must be an object")
            charge = _text(warrant.get("charge"))
            translation = _text(warrant.get("charge_translation"))
            country = _text(warrant.get("issuing_country_id"))
            note = (
                f"Arrest warrant ({country or 'country not given'}): {charge or 'charge not given'}"
            )
            if translation:
                note += f" [{translation}]"
            put("notes", note)
            if _HUMAN_TRAFFICKING.search(f"{charge} {translation}"):
                put("topics", "crime.traffick.human")

    @staticmethod
    def _yellow(notice: dict[str, Any], surname: str, put: Any) -> None:
        birth_name = _text(notice.get("birth_name"))
        if birth_name and birth_name != surname:
            put(
                "previousName",
                " ".join(p for p in (_text(notice.get("forename")), birth_name) if p),
            )
        put("fatherName", notice.get("father_forename"))
        mother = " ".join(
            p for p in (_text(notice.get("mother_forename")), _text(notice.get("mother_name"))) if p
        )
        put("motherName", mother)
        event = _text(notice.get("date_of_event"))
        where = ", ".join(
            p for p in (_text(notice.get("place")), _text(notice.get("country"))) if p
        )
        if event or where:
            when = birth_date(event) if event else "an unknown date"
            put("notes", f"Missing since {when}" + (f" ({where})" if where else ""))


@dataclass(frozen=True)
class _Unreadable:
    reason: str
    text: bytes


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
