"""Stable ids for groups that are rebuilt on every run (linkage clusters, ad personas).

A group found again keeps its id: one that only grew or shrank keeps it, a merge keeps the
id of the largest group merged (and records the others), of a split the part holding most
of the earlier members keeps it (the others record where they came from). New ids come from
the caller's ``make_id(members, attempt)``, derived from the members, and never repeat an id
the earlier groups hold or name in their lineage, except that an id merged away comes back
when the member it was made from splits off again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

MakeId = Callable[[Sequence[str], int], str]


# What happened to a cluster since the previous run (``Identity.change``).
CHANGES = ("new", "unchanged", "grew", "shrank", "changed", "merged", "split")


class Previous(NamedTuple):
    """A cluster of the agency's previous run, as stored: its id, members and lineage."""

    cluster_id: str
    members: Sequence[str]
    since_run: int | None = None  # the run that first gave the id (None: not recorded)
    merged_from: Sequence[str] = ()
    split_from: Sequence[str] = ()
    split_into: Sequence[str] = ()


class Identity(NamedTuple):
    """A cluster's id and lineage: what happened to it since the previous run (``change``),
    the run that first gave the id, the ids merged into it, the clusters it split from and
    the ids that split off it (at this run or an earlier one, for as long as it keeps its
    id)."""

    cluster_id: str
    change: str
    since_run: int | None
    merged_from: tuple[str, ...] = ()
    split_from: tuple[str, ...] = ()
    split_into: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """The finding-data fields (the lineage lists only where not empty)."""
        out: dict[str, Any] = {"change": self.change, "since_run": self.since_run}
        if self.merged_from:
            out["merged_from"] = list(self.merged_from)
        if self.split_from:
            out["split_from"] = list(self.split_from)
        if self.split_into:
            out["split_into"] = list(self.split_into)
        return out


def assign_ids(
    clusters: Sequence[Sequence[str]],
    previous: Iterable[Previous],
    run_id: int,
    make_id: MakeId,
) -> list[Identity]:
    """Ids for the new clusters (member lists), following the agency's previous ones.

    Each previous cluster passes its id to its heir: the new cluster holding most of its
    members (ties: the one holding the member the id was derived from, then the one whose
    smallest member sorts first). A new cluster that is the heir of one previous cluster
    keeps its id, whatever ids its new members have (it grew, shrank or is unchanged).
    The heir of several (a merge) keeps the id of the largest of them (ties: the one
    given first, then the smallest id) and records the others in ``merged_from``. Any
    other part of a previous cluster (a split) records ``split_from`` and gets a new id,
    or takes back the id its smallest member gave it before it was merged away (a merge
    undone gives both sides their ids back); the part that kept the id records the ids of
    the parts in ``split_into``. A cluster with no earlier member is new. New ids are
    derived from the smallest member (``make_id(members, 0)``; ``make_id(members, n)``
    is the next candidate when that one is taken) and never repeat an id the
    previous clusters hold or name in their lineage, nor one given in this run.

    One pass over the members with a dict of member -> previous id: linear in the members.
    """
    prev = {p.cluster_id: p for p in previous}
    owner = {m: p.cluster_id for p in prev.values() for m in p.members}
    find = owner.get
    same: dict[int, str] = {}  # new cluster -> the previous cluster it equals
    overlaps: dict[int, dict[str, int]] = {}  # any other -> previous id -> members held
    heir_count: dict[str, int] = {}  # previous id -> most of its members in one new cluster
    heir: dict[str, int] = {}  # previous id -> that new cluster
    ties: dict[str, list[int]] = {}  # previous id -> new clusters holding as many
    for index, members in enumerate(clusters):
        first = find(members[0])
        if first is not None and prev[first].members == members:  # most clusters, unchanged
            same[index] = first
            heir[first] = index
            continue
        counts: dict[str, int] = {}
        for member in members:
            pid = find(member)
            if pid is not None:
                counts[pid] = counts.get(pid, 0) + 1
        overlaps[index] = counts
        for pid, count in counts.items():
            best = heir_count.get(pid, 0)
            if count > best:
                heir_count[pid] = count
                heir[pid] = index
                ties.pop(pid, None)
            elif count == best:
                ties.setdefault(pid, [heir[pid]]).append(index)
    for pid, tied in ties.items():
        heir[pid] = _heir(pid, tied, clusters, make_id)
    claims: dict[int, list[str]] = {}
    for pid, index in heir.items():
        claims.setdefault(index, []).append(pid)

    def seniority(pid: str) -> tuple[int, int, str]:
        p = prev[pid]
        return (-len(p.members), p.since_run or 0, pid)

    ids: list[str] = [""] * len(clusters)
    for index, pids in claims.items():
        ids[index] = pids[0] if len(pids) == 1 else min(pids, key=seniority)
    live = {ids[index] for index in claims}  # the previous ids kept
    taken = set(prev) | {i for p in prev.values() for i in (*p.merged_from, *p.split_from)}
    taken.update(i for p in prev.values() for i in p.split_into)
    revived: set[str] = set()
    split_off: dict[str, list[str]] = {}  # previous id -> ids of the parts split off it
    for index in sorted((i for i in overlaps if i not in claims), key=lambda i: clusters[i][0]):
        ids[index] = given = _new_id(
            clusters[index], overlaps[index], prev, live, taken, revived, make_id
        )
        for pid in overlaps[index]:
            split_off.setdefault(pid, []).append(given)
    out: list[Identity] = []
    for index, given in enumerate(ids):
        kept = prev.get(given) if index in claims else None
        if (
            kept is not None
            and len(claims[index]) == 1
            and given not in split_off
            and not (kept.merged_from or kept.split_from or kept.split_into)
        ):  # the common case: one earlier cluster continued, with no lineage
            if index in same:
                out.append(Identity(given, "unchanged", kept.since_run))
                continue
            n = overlaps[index][given]
            change = _change(len(kept.members) - n, len(clusters[index]) - n)
            out.append(Identity(given, change, kept.since_run))
        else:
            counts = overlaps[index] if index in overlaps else {given: len(clusters[index])}
            out.append(_identity(given, index, clusters, counts, claims, prev, split_off,
                                 revived, run_id))  # fmt: skip
    return out


def _heir(pid: str, tied: list[int], clusters: Sequence[Sequence[str]], make_id: MakeId) -> int:
    """Of new clusters holding equally many of a previous cluster's members, the one
    holding the member its id was derived from, else the one with the smallest member."""
    source = [i for i in tied if any(make_id((m,), 0) == pid for m in clusters[i])]
    return min(source or tied, key=lambda i: min(clusters[i]))


def _new_id(
    members: Sequence[str],
    counts: dict[str, int],
    prev: dict[str, Previous],
    live: set[str],
    taken: set[str],
    revived: set[str],
    make_id: MakeId,
) -> str:
    """A split part takes back the id its smallest member gave it before it was merged
    away; any other new cluster gets the first id derived from it that is not taken."""
    derived = make_id(members, 0)
    if (
        derived not in revived
        and derived not in live
        and any(derived in prev[pid].merged_from for pid in counts)
    ):
        revived.add(derived)
        return derived
    attempt = 0
    while (fresh := make_id(members, attempt)) in taken:
        attempt += 1
    taken.add(fresh)
    return fresh


def _change(lost: int, gained: int) -> str:
    """What happened to a cluster that kept its id and took in no other."""
    if not lost:
        return "grew" if gained else "unchanged"
    return "changed" if gained else "shrank"


def _identity(
    given: str,
    index: int,
    clusters: Sequence[Sequence[str]],
    counts: dict[str, int],
    claims: dict[int, list[str]],
    prev: dict[str, Previous],
    split_off: dict[str, list[str]],
    revived: set[str],
    run_id: int,
) -> Identity:
    if index not in claims:
        if not counts:
            return Identity(given, "new", run_id)
        return Identity(given, "split", run_id, split_from=tuple(sorted(counts)))
    kept = prev[given]
    merged = [pid for pid in claims[index] if pid != given]
    lineage = set(kept.merged_from)
    for pid in merged:
        lineage.update((pid, *prev[pid].merged_from))
    split_into = (*kept.split_into, *sorted(split_off.get(given, ())))
    if merged:
        change = "merged"
    elif given in split_off:
        change = "split"
    else:
        change = _change(len(kept.members) - counts[given], len(clusters[index]) - counts[given])
    return Identity(
        given,
        change,
        kept.since_run,
        merged_from=tuple(sorted(lineage - revived)),
        split_from=tuple(kept.split_from),
        split_into=split_into,
    )
