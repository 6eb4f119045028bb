"""The job runner's promises for every reader: a file it reads nothing from fails the job."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.exc import InputError
from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store

FIXTURES = Path(__file__).parent.parent / "fixtures"

MANIFEST_HEADER = (
    "flight,departure_airport,departure_time,arrival_airport,arrival_time,record_id,"
    "booking_ref,surname,given_names,sex,date_of_birth,nationality,document_type,"
    "document_number,document_issuing_country,document_expiry,contact_phone,contact_email\n"
)

# (file name, content, reader, what the reason must say): each file is non-empty, and the
# reader recognises it or is named, yet finds not one record in it.
NOTHING_TO_READ = [
    ("blank.ftm.jsonl", "\n   \n\n", "ftm", "no records"),
    ("ads.jsonl", "\n\n", "ads", "no records"),
    ("search.json", '{"total": 0, "query": {"page": 1}, "_embedded": {"notices": []}}', "notices",
     "search response holds no notices"),
    ("list.json", "[]", "notices", "no notices"),
    ("header.csv", "case_no,full_name,dob,nationality,phone,passport_no,agency\n", "csv",
     "no records"),
    ("sltd.csv", "issuing_country,document_type,document_number,status,reported_on,"
     "reporting_agency\n", "travel-documents", "no records"),
    ("manifest.csv", MANIFEST_HEADER, "manifest", "no records"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "reader", "reason"), NOTHING_TO_READ)
def test_reading_nothing_from_a_non_empty_file_fails_the_job(
    store: Store, tmp_path: Path, name: str, content: str, reader: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    options = {"mapping": str(FIXTURES / "suspects.mapping.yml")} if reader == "csv" else None
    with pytest.raises(InputError, match=reason) as raised:
        ingest_file(store, path, "c", format=reader, options=options)
    assert name in str(raised.value)
    with store.connect() as conn:
        (job,) = jobs_store.list_jobs(conn)
    assert job.status == "failed"
    assert job.error is not None and reason in job.error
    assert (job.read, job.stored) == (0, 0)


def test_an_empty_file_is_not_a_failure(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.ftm.jsonl"
    path.write_bytes(b"")
    job = ingest_file(store, path, "c").job
    assert (job.status, job.read) == ("completed", 0)


def test_a_resumed_job_with_nothing_left_completes(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "two.ftm.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["Ana Example"]}}\n'
        '{"id": "b", "schema": "Person", "properties": {"name": ["Bo Example"]}}\n',
        encoding="utf-8",
    )
    first = ingest_file(store, path, "c", batch_size=2).job
    with store.begin() as conn:  # as if the process died after its last commit
        jobs_store.reopen_job(conn, first.id)
    again = ingest_file(store, path, "c", batch_size=2)
    assert again.resumed_from == 2
    assert again.job.status == "completed"
