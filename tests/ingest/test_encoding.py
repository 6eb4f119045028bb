from __future__ import annotations

from pathlib import Path

from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_a_row_in_another_encoding_is_rejected_and_the_rest_stored(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.csv"
    source.write_bytes(
        b"case_no,full_name,dob,nationality,phone,passport_no,agency\n"
        b"A1,Anna Eriksson,12.08.1974,se,,,Polisen\n"
        b"A2,Jos\xe9 Garc\xeda,01.02.1980,es,,,Polisen\n"
        b"A3,Lars Nilsson,01.02.1980,se,,,Polisen\n"
    )
    job = ingest_file(
        store, source, "cases", options={"mapping": str(FIXTURES / "suspects.mapping.yml")}
    ).job
    assert (job.stored, job.rejected) == (2, 1)
    with store.connect() as conn:
        [rejection] = jobs_store.list_rejections(conn, job.id)
    assert (rejection.position, rejection.reason) == (
        3,
        "row is not UTF-8 text; save the file as UTF-8",
    )
