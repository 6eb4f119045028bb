"""Real PAXLST messages from other systems, where this machine has them.

The shared conformance folder (``shared/data/conformance/paxlst`` beside the repository)
holds messages whose licence forbids copying them into the repository; where it exists,
every message is read here as ``benchmarks/conformance_paxlst.py`` reads it, and every
traveller and identity document it sends must be read. Where it does not, the test is
skipped and says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.conformance import CONFORMANCE, FOLDER, MESSAGES


@pytest.mark.skipif(not MESSAGES, reason=f"no shared PAXLST messages at {FOLDER}")
@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_every_traveller_and_identity_document_is_read(path: Path) -> None:
    tally = CONFORMANCE.measure(path)
    assert tally.sent > 0, "the message sends travellers"
    assert tally.read == tally.sent, tally
    assert tally.identity_kept == tally.identity_sent, tally
