"""``threadline screen``: border checks of a person, a document, an MRZ or a whole manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from threadline.cli.output import console, counted, print_json

app = typer.Typer(
    no_args_is_help=True,
    help="Screen persons and documents against watchlists, notices and stolen/lost documents.",
)

PURPOSE_HELP = "investigation, border_check, victim_identification, operation or audit"


@app.command("person")
def person(
    name: str = typer.Option(..., "--name", help="Full name, in any script."),
    dob: str | None = typer.Option(None, "--dob", help="Birth date: YYYY-MM-DD, YYYY-MM or YYYY."),
    sex: str | None = typer.Option(None, "--sex", help="M, F, X (unspecified) or U (unknown)."),
    nationality: str | None = typer.Option(
        None, "--nationality", help="ISO 3166 code or English name."
    ),
    document: list[str] = typer.Option([], "--document", help="Document number (repeatable)."),
    purpose: str = typer.Option("border_check", "--purpose", help=PURPOSE_HELP),
    reference: str | None = typer.Option(None, "--reference", help="Case or operation ref."),
    limit: int = typer.Option(10, "--limit", min=1, max=100, help="Most candidates shown."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Screen a person against every watchlist you may see (audited with the purpose)."""
    from threadline.cli.context import store
    from threadline.screening.matching import PersonQuery
    from threadline.screening.service import screen_person

    db = store()
    query = PersonQuery(
        names=[name], birth_date=dob, sex=sex, nationality=nationality, document_numbers=document
    )
    result = screen_person(db, _actor(db, purpose, reference), query, limit=limit)
    if json:
        print_json(result.to_dict())
        return
    data = result.to_dict()
    console.print(f"Decision: {result.decision} ({len(result.candidates)} candidates)")
    for hit in data["candidates"]:
        _print_hit(hit)


def _actor(db: Any, purpose: str, reference: str | None) -> Any:
    from threadline.cli.context import actor
    from threadline.exc import InputError
    from threadline.governance import Purpose

    if purpose not in {p.value for p in Purpose}:
        raise InputError(f"unknown purpose {purpose!r}; use one of: {PURPOSE_HELP}")
    return actor(db, purpose, reference)


def _print_hit(hit: dict[str, Any]) -> None:
    protected = hit.get("protected")
    if protected:
        # a recorded victim: never "wanted"; by pseudonym unless the user may see the identity
        entity = f" {hit['entity_id']}" if hit.get("entity_id") else ""
        notice = f", {hit['notice']} notice on record" if hit.get("notice") else ""
        console.print(
            f"  {protected['label']}: {protected['pseudonym']}{entity} "
            f"({hit['decision']} {hit['score']:.2f}, {hit['collection']}{notice})"
        )
        console.print(f"      not a suspect: {protected['guidance']}")
    else:
        notice = f", {hit['notice']} notice" if hit.get("notice") else ""
        console.print(
            f"  {hit['decision']:<9} {hit['score']:.2f}  {hit['entity_id']} "
            f"({hit['collection']}{notice})"
        )
    for part in hit["explanation"]:
        console.print(f"      {part['feature']:<16} {part['points']:+.2f}  {part['detail']}")


@app.command("document")
def document(
    number: str = typer.Argument(..., help="Document number as printed or read."),
    country: str | None = typer.Option(None, "--country", help="Issuing country code."),
    expiry: str | None = typer.Option(None, "--expiry", help="Expiry date (YYYY-MM-DD)."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Check a document against the stolen and lost travel documents you may see."""
    from threadline.cli.context import actor, store
    from threadline.screening.service import screen_document

    db = store()
    result = screen_document(db, actor(db), number, country, expiry=expiry)
    if json:
        print_json(result.to_dict())
        return
    if not result.hits:
        console.print(f"{number}: not listed as stolen or lost.")
    for hit in result.hits:
        console.print(
            f"{hit.document_number} ({hit.issuing_country}) listed as {hit.status} on "
            f"{hit.reported_on.isoformat()} by {hit.reporting_agency}: {hit.strength} hit"
        )
        for reason in hit.reasons:
            console.print(f"  {reason.code}: {reason.detail}")
    if result.expiry:
        console.print(f"Expiry: {result.expiry.get('detail', result.expiry.get('reason'))}")


@app.command("mrz")
def mrz(
    lines: list[str] = typer.Argument(..., help="The MRZ lines (2 or 3), each quoted."),
    purpose: str = typer.Option("border_check", "--purpose", help=PURPOSE_HELP),
    reference: str | None = typer.Option(None, "--reference", help="Case or operation ref."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Read an MRZ, check its document (list, check digits, expiry) and screen its holder."""
    from threadline.cli.context import store
    from threadline.screening.service import screen_mrz

    db = store()
    result = screen_mrz(db, _actor(db, purpose, reference), lines)
    if json:
        print_json(result)
        return
    fields = result["mrz"]["fields"]
    doc = result["document"]
    specimen = " (SPECIMEN: not a real travel document)" if doc["specimen"] else ""
    console.print(
        f"{fields['surname']}, {fields['given_names']} - {fields['document_number']} "
        f"({fields['issuing_country']}): MRZ {'valid' if doc['valid_mrz'] else 'INVALID'}"
        f"{specimen}"
    )
    for error in result["mrz"]["errors"]:
        console.print(f"  {error}")
    for warning in result["mrz"]["warnings"]:
        console.print(f"  warning: {warning}")
    for suggestion in result["mrz"]["suggestions"]:
        console.print(
            f"  suggestion: {suggestion['field']} {suggestion['read']!r} may read "
            f"{suggestion['reading']!r}; {suggestion['reason']}"
        )
    console.print(f"Document list: {'LISTED' if doc['listed'] else 'not listed'}")
    if doc["expiry"]:
        console.print(f"Expiry: {doc['expiry'].get('detail') or doc['expiry'].get('reason')}")
    reading = " (on the suggested reading)" if result["holder"]["reading"] == "suggested" else ""
    console.print(f"Holder: {result['holder']['decision']}{reading}")
    for hit in result["holder"]["candidates"]:
        _print_hit(hit)


@app.command("manifest")
def manifest(
    file: Path = typer.Argument(..., help="A manifest: PAXLST .edi or manifest CSV."),
    operation: str | None = typer.Option(None, "--operation", help="Operation code to tag."),
    country: str | None = typer.Option(None, "--country", help="Country doing the checks."),
    purpose: str = typer.Option("border_check", "--purpose", help=PURPOSE_HELP),
    reference: str | None = typer.Option(None, "--reference", help="Case or operation ref."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Screen every traveller (person and document) and flag safeguarding referrals."""
    from threadline.cli.context import store
    from threadline.screening.manifest import screen_manifest

    db = store()
    if operation and not reference:
        reference = operation
    result = screen_manifest(
        db, _actor(db, purpose, reference), file, operation=operation, country=country
    )
    if json:
        print_json(result.to_dict())
        return
    console.print(
        f"Run {result.run_id}: {counted(result.travellers, 'traveller')}, "
        f"{counted(result.checks, 'check')}, {counted(result.hits, 'hit')}, "
        f"{counted(len(result.indicators), 'safeguarding indicator')}"
    )
    for item in result.results:
        if item["person_hits"] or item["document_hits"] or item["safeguarding"]:
            label = f" ({item['protected']['label']})" if item.get("protected") else ""
            console.print(f"{item['record_id']} {item['name']}{label}")
            for hit in item["person_hits"]:
                _print_hit(hit)
            for hit in item["document_hits"]:
                console.print(f"  document {hit['document_number']} listed as {hit['status']}")
            for referral in item["safeguarding"]:
                console.print(f"  {referral}")
    for note in result.unchecked:
        console.print(f"Not checked: {note['indicator']}: {note['reason']}")
    for bad in result.rejected:
        console.print(f"Rejected record at {bad['position']}: {bad['reason']}", markup=False)
    for note in result.warnings:
        console.print(f"Record {note['record_id']}: not used: {note['reason']}", markup=False)
