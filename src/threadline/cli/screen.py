"""``threadline screen``: border checks of a person, a document, an MRZ or a whole manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from threadline.cli.output import console, counted, err_console, minute, print_json

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


def manifest_files(paths: list[Path]) -> list[Path]:
    """The manifest files named on the line, each folder replaced by its manifests
    (``.edi``, ``.paxlst``, ``.txt``, ``.csv``, sorted by name; subfolders are not read)."""
    from threadline.exc import InputError
    from threadline.screening.manifest import MANIFEST_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in MANIFEST_SUFFIXES
            )
            if not found:
                suffixes = ", ".join(MANIFEST_SUFFIXES)
                raise InputError(f"{path}: the folder holds no manifest file ({suffixes})")
            files.extend(found)
        else:
            files.append(path)
    return files


@app.command("manifest")
def manifest(
    files: list[Path] = typer.Argument(
        ...,
        help="Manifests (PAXLST .edi or manifest CSV), or folders of them; screened one by one.",
        show_default=False,
    ),
    operation: str | None = typer.Option(None, "--operation", help="Operation code to tag."),
    country: str | None = typer.Option(None, "--country", help="Country doing the checks."),
    purpose: str = typer.Option("border_check", "--purpose", help=PURPOSE_HELP),
    reference: str | None = typer.Option(None, "--reference", help="Case or operation ref."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Screen every traveller (person and document) and flag safeguarding referrals.

    Each manifest is named with its flights and screened as its own run; with several
    files (or a folder) a file that cannot be read is reported and the others are still
    screened, and the output ends with totals. One file prints the object `--json` has
    always printed; several print ``{"manifests": [...], "failed": [...], "totals": {...}}``.
    """
    from threadline.cli.context import store
    from threadline.exc import InputError
    from threadline.screening.manifest import screen_manifest

    paths = manifest_files(files)
    db = store()
    if operation and not reference:
        reference = operation
    acting = _actor(db, purpose, reference)
    if len(paths) == 1 and not files[0].is_dir():
        result = screen_manifest(db, acting, paths[0], operation=operation, country=country)
        if json:
            print_json(result.to_dict())
        else:
            _print_manifest(result)
        return
    done: list[Any] = []
    failed: list[dict[str, str]] = []
    for path in paths:
        try:
            result = screen_manifest(db, acting, path, operation=operation, country=country)
        except InputError as exc:
            failed.append({"source": str(path), "error": str(exc)})
            said = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            err_console.print(f"Not screened: {said}", markup=False)
            continue
        done.append(result)
        if not json:
            _print_manifest(result)
            console.print()
    totals = _manifest_totals(done, failed)
    if json:
        print_json({"manifests": [r.to_dict() for r in done], "failed": failed, "totals": totals})
    else:
        _print_totals(totals)
    if failed:
        raise typer.Exit(1)


def _flight_line(flight: dict[str, Any]) -> str:
    """``ZZ100 LHR 2026-03-01 08:00 → ARN 2026-03-01 11:30, 9 travellers``."""
    where = " → ".join(
        " ".join(
            part
            for part in (
                flight[f"{end}_airport"],
                minute(flight[f"{end}_time"]),
            )
            if part
        )
        or "?"
        for end in ("departure", "arrival")
    )
    name = flight["flight"] or "flight not stated"
    return f"{name} {where}, {counted(flight['travellers'], 'traveller')}"


def _print_manifest(result: Any) -> None:
    flights = "; ".join(_flight_line(f) for f in result.flights) or "no flight stated"
    console.print(f"{result.source}: {flights}", markup=False)
    console.print(
        f"Run {result.run_id}: {counted(result.travellers, 'traveller')}, "
        f"{counted(result.checks, 'check')}, {counted(result.hits, 'hit')}, "
        f"{counted(len(result.indicators), 'safeguarding indicator')}"
        + (
            f", {counted(len(result.rule_flags), 'analyst rule match', 'analyst rule matches')}"
            if result.rule_flags
            else ""
        )
    )
    for item in result.results:
        if (
            item["person_hits"]
            or item["document_hits"]
            or item["safeguarding"]
            or item.get("rules")
        ):
            label = f" ({item['protected']['label']})" if item.get("protected") else ""
            console.print(f"{item['record_id']} {item['name']}{label}", markup=False)
            for hit in item["person_hits"]:
                _print_hit(hit)
            for hit in item["document_hits"]:
                console.print(f"  document {hit['document_number']} listed as {hit['status']}")
            for referral in item["safeguarding"]:
                console.print(f"  {referral}", markup=False)
            for referral in item.get("rules", []):
                console.print(f"  {referral}", markup=False)
    for note in result.unchecked:
        console.print(f"Not checked: {note['indicator']}: {note['reason']}", markup=False)
    for bad in result.rejected:
        console.print(f"Rejected record at {bad['position']}: {bad['reason']}", markup=False)
    for note in result.warnings:
        console.print(f"Record {note['record_id']}: not used: {note['reason']}", markup=False)


def _manifest_totals(done: list[Any], failed: list[dict[str, str]]) -> dict[str, Any]:
    """What a batch of manifests came to: files, flights, travellers, checks and hits by
    decision (recorded victims counted apart), listed documents, referrals, rejections."""
    decisions: dict[str, int] = {}
    for result in done:
        for decision, count in result.decisions.items():
            decisions[decision] = decisions.get(decision, 0) + count
    return {
        "manifests": len(done),
        "failed": len(failed),
        "flights": sum(len(r.flights) for r in done),
        "travellers": sum(r.travellers for r in done),
        "checks": sum(r.checks for r in done),
        "hits": sum(r.hits for r in done),
        "hits_by_decision": decisions,
        "listed_documents": sum(r.listed_documents for r in done),
        "travellers_referred": sum(r.travellers_referred for r in done),
        "rejected_records": sum(len(r.rejected) for r in done),
    }


def _print_totals(totals: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="Totals", show_header=False, title_justify="left")
    decisions = totals["hits_by_decision"]
    rows = [
        ("manifests screened", totals["manifests"]),
        ("manifests not screened", totals["failed"]),
        ("flights", totals["flights"]),
        ("travellers", totals["travellers"]),
        ("checks", totals["checks"]),
        ("watchlist matches", decisions.get("match", 0)),
        ("possible matches", decisions.get("possible", 0)),
        ("recorded victims (protected)", decisions.get("protected_person", 0)),
        ("listed documents", totals["listed_documents"]),
        ("travellers with safeguarding referrals", totals["travellers_referred"]),
        ("records rejected", totals["rejected_records"]),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    console.print(table)
