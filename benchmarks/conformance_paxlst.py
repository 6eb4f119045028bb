"""PAXLST conformance: how much of real messages from other systems Threadline reads.

Reads every ``*.edi`` under the shared conformance folder (by default the first
``shared/data/conformance/paxlst`` found beside the repository or one of its parent
folders, e.g. ``../shared/...``; a sub-folder is a
source, a top-level file's source is its name up to the first ``_``) and reports,
per source and in total:

- travellers in the messages (``NAD+FL`` and ``NAD+FM`` segments, counted from
  the raw text with a pattern that knows nothing of the parser) against
  travellers read (records the manifest reader produces from those groups);
- identity documents in the messages (``DOC`` with a P, I, A or C type) against
  identity documents kept on the travellers read;
- warnings (values that could not be used) and rejections.

    .venv/bin/python benchmarks/conformance_paxlst.py [FOLDER] [--files] [--reasons]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from threadline.ingest.readers.paxlst_records import read_paxlst_records
from threadline.primitives.paxlst import is_identity_type, parse_paxlst


def _default_folder() -> Path:
    """``shared/data/conformance/paxlst`` beside the repository (or beside a parent of it)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "data" / "conformance" / "paxlst"
        if candidate.is_dir():
            return candidate
    return here.parents[1] / ".." / "shared" / "data" / "conformance" / "paxlst"


# The separator after the tag is whatever the interchange uses ('+', '*', '(' ...).
_TRAVELLER = re.compile(r"(?:^|[^A-Z0-9])NAD(\W)(FL|FM)\1")
_DOC = re.compile(r"(?:^|[^A-Z0-9])DOC(\W)([A-Z0-9]*)")


@dataclass
class Tally:
    """Counts for one file or one source."""

    files: int = 0
    sent: int = 0  # NAD+FL / NAD+FM groups in the text
    read: int = 0  # records read from those groups
    other_parties: int = 0  # records from other NAD qualifiers (NAD+VW ...)
    identity_sent: int = 0
    identity_kept: int = 0
    warnings: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.files += other.files
        self.sent += other.sent
        self.read += other.read
        self.other_parties += other.other_parties
        self.identity_sent += other.identity_sent
        self.identity_kept += other.identity_kept
        self.warnings += other.warnings
        self.rejected += other.rejected
        self.reasons.update(other.reasons)


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _reason(text: str) -> str:
    """A warning's reason without its segment and values, to count kinds of warnings."""
    reason = text.split("): ", 1)[-1]
    return re.sub(r"'[^']*'|\d+", "…", reason)


def measure(path: Path) -> Tally:
    text = _read(path)
    tally = Tally(files=1)
    tally.sent = len(_TRAVELLER.findall(text))
    tally.identity_sent = sum(1 for _sep, code in _DOC.findall(text) if is_identity_type(code))
    parsed = parse_paxlst(text, lenient=True)
    read = read_paxlst_records(text)
    travellers = parsed.travellers
    assert len(travellers) == len(read.records), path  # the reader keeps what the parser read
    for traveller, record in zip(travellers, read.records, strict=True):
        if traveller.party in ("FL", "FM"):
            tally.read += 1
            tally.identity_kept += sum(1 for d in record.documents if d.is_identity)
        else:
            tally.other_parties += 1
        tally.warnings += len(record.warnings)
        tally.reasons.update(_reason(reason) for _position, reason in record.warnings)
    tally.warnings += len(read.unattached)
    tally.reasons.update(_reason(reason) for _position, reason in read.unattached)
    tally.rejected = len(read.rejected)
    tally.reasons.update("rejected: " + _reason(reason) for _position, reason in read.rejected)
    return tally


def _source(root: Path, path: Path) -> str:
    relative = path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else relative.name.split("_", 1)[0]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _row(name: str, t: Tally) -> str:
    return (
        f"| {name} | {t.files} | {t.sent} | {t.read} ({_pct(t.read, t.sent)}) | "
        f"{t.identity_sent} | {t.identity_kept} ({_pct(t.identity_kept, t.identity_sent)}) | "
        f"{t.warnings} | {t.rejected} | {t.other_parties} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=_default_folder())
    parser.add_argument("--files", action="store_true", help="a row per file as well")
    parser.add_argument("--reasons", action="store_true", help="count the kinds of warnings")
    args = parser.parse_args()
    root: Path = args.folder
    paths = sorted(root.rglob("*.edi"))
    if not paths:
        raise SystemExit(f"no .edi files under {root}")
    by_source: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    header = (
        "| source | messages | travellers sent (NAD+FL/FM) | read | identity documents sent "
        "| kept | warnings | rejected | other NAD parties read |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for path in paths:
        tally = measure(path)
        by_source[_source(root, path)].add(tally)
        total.add(tally)
        rows.append(_row(str(path.relative_to(root)), tally))
    if args.files:
        print(header)
        print("\n".join(rows))
        print()
    print(header)
    for name in sorted(by_source):
        print(_row(name, by_source[name]))
    print(_row("**total**", total))
    if args.reasons:
        print("\nwarnings by kind:")
        for reason, count in total.reasons.most_common():
            print(f"  {count:5d}  {reason}")


if __name__ == "__main__":
    main()
