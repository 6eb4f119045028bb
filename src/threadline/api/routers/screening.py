"""Border screening: a person, a document, an MRZ, a whole passenger manifest.

For border officers and analysts. Person, MRZ and manifest screening are person
queries: they take ``purpose`` (and ``reference`` where the purpose asks for one)
as query parameters; the screening package checks the purpose, uses only the
watchlists and document lists the caller may see, and audits every call.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field

from threadline.api.deps import ActorDep, PurposeActor, StoreDep
from threadline.governance import Actor
from threadline.store import Store

router = APIRouter(tags=["border screening"])


def check_screener(actor: Actor) -> Actor:
    """The actor, if a border officer or an analyst (the screening package's one rule)."""
    from threadline.screening.service import require_screener

    return require_screener(actor)


async def _screener(actor: PurposeActor) -> Actor:
    return check_screener(actor)


async def _screener_no_purpose(actor: ActorDep) -> Actor:
    return check_screener(actor)


Screener = Annotated[Actor, Depends(_screener)]
DocumentScreener = Annotated[Actor, Depends(_screener_no_purpose)]


class PersonIn(BaseModel):
    names: list[str] = Field(min_length=1, max_length=10, examples=[["Ivan Petrov"]])
    dob: str | None = Field(
        default=None, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY.", examples=["1975"]
    )
    sex: str | None = Field(
        default=None, max_length=10, description="M, F, X (unspecified) or U.", examples=["M"]
    )
    nationality: str | None = Field(
        default=None, max_length=60, description="ISO 3166 code or English name.", examples=["RU"]
    )
    documents: list[str] = Field(default=[], max_length=10, examples=[["751234567"]])
    limit: int = Field(default=10, ge=1, le=100)


class DocumentIn(BaseModel):
    number: str = Field(min_length=1, max_length=40, examples=["751234567"])
    issuing_country: str | None = Field(default=None, max_length=60, examples=["RUS"])
    expiry: date | None = Field(default=None, examples=["2027-01-01"])


class MrzIn(BaseModel):
    lines: list[str] = Field(
        min_length=2,
        max_length=3,
        examples=[
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ]
        ],
    )


@router.post("/screening/person")
def person(body: PersonIn, store: StoreDep, actor: Screener) -> dict[str, Any]:
    """Screen a person against every watchlist the caller may see (needs a purpose)."""
    from threadline.screening.matching import PersonQuery
    from threadline.screening.service import screen_person

    query = PersonQuery(
        names=[n for n in body.names if n.strip()],
        birth_date=body.dob or None,
        sex=body.sex or None,
        nationality=body.nationality or None,
        document_numbers=[d for d in body.documents if d.strip()],
    )
    return screen_person(store, actor, query, limit=body.limit).to_dict()


@router.post("/screening/document")
def document(body: DocumentIn, store: StoreDep, actor: DocumentScreener) -> dict[str, Any]:
    """Check a document against the stolen and lost travel documents the caller may see."""
    from threadline.screening.service import screen_document

    result = screen_document(
        store, actor, body.number, body.issuing_country or None, expiry=body.expiry
    )
    return result.to_dict()


@router.post("/screening/mrz")
def mrz(body: MrzIn, store: StoreDep, actor: Screener) -> dict[str, Any]:
    """Read an MRZ (check digits, list, expiry) and screen its holder (needs a purpose)."""
    from threadline.screening.service import screen_mrz

    return screen_mrz(store, actor, [line.strip() for line in body.lines])


@router.post("/screening/manifests")
def manifest(
    store: StoreDep,
    actor: Screener,
    file: Annotated[UploadFile, File(description="PAXLST (.edi) or manifest CSV (.csv).")],
    operation: Annotated[str | None, Form(max_length=100)] = None,
    country: Annotated[str | None, Form(max_length=60)] = None,
) -> dict[str, Any]:
    """Screen every traveller of a manifest: hits and safeguarding indicators per traveller."""
    return screen_upload(
        store, actor, file.filename or "", file.file, operation=operation, country=country
    )


def screen_upload(
    store: Store,
    actor: Actor,
    filename: str,
    content: IO[bytes],
    *,
    operation: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """Screen an uploaded manifest (kept in a temporary file only while it is read)."""
    from threadline.screening.manifest import manifest_file, manifest_name, screen_manifest

    name = manifest_name(filename)
    operation = (operation or "").strip() or None
    if operation and actor.reference is None and actor.purpose is not None:
        actor = actor.for_purpose(actor.purpose, operation)
    with manifest_file(name, content.read()) as path:
        result = screen_manifest(
            store, actor, path, operation=operation, country=(country or "").strip() or None
        )
    return result.to_dict()
