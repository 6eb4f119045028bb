"""Stable cluster ids: a cluster keeps its id when it only grows, merges keep the largest
one's, splits keep it on the part holding most of the earlier members."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.linkage.clusters import CHANGES, Identity, Previous, assign_ids, cluster_id

RUN = 7


def _one(clusters: list[list[str]], previous: list[Previous]) -> list[Identity]:
    return assign_ids(clusters, previous, RUN)


def test_a_grown_cluster_keeps_its_id_even_when_the_new_member_sorts_first() -> None:
    old = Previous("lc-old", ["m5", "m7"], since_run=2)
    (grown,) = _one([["a0", "m5", "m7"]], [old])
    assert grown == Identity("lc-old", "grew", 2)
    assert grown.cluster_id != cluster_id(["a0", "m5", "m7"])  # what the smallest member gives


def test_an_unchanged_cluster_keeps_its_id() -> None:
    (same,) = _one([["m5", "m7"]], [Previous("lc-old", ["m5", "m7"], since_run=2)])
    assert same == Identity("lc-old", "unchanged", 2)


def test_a_new_cluster_gets_an_id_from_its_smallest_member() -> None:
    old = Previous("lc-old", ["m5", "m7"])
    same, new = _one([["m5", "m7"], ["b2", "b1"]], [old])
    assert same.change == "unchanged"
    assert new == Identity(cluster_id(["b1", "b2"]), "new", RUN)


def test_a_merge_keeps_the_largest_id_and_records_the_others() -> None:
    previous = [
        Previous("lc-small", ["a1", "a2"], since_run=1),
        Previous("lc-large", ["b1", "b2", "b3"], since_run=3),
        Previous("lc-third", ["c1", "c2"], since_run=2, merged_from=("lc-older",)),
    ]
    (merged,) = _one([["a1", "a2", "b1", "b2", "b3", "c1", "c2", "z9"]], previous)
    assert merged.cluster_id == "lc-large"
    assert merged.change == "merged"
    assert merged.since_run == 3
    assert merged.merged_from == ("lc-older", "lc-small", "lc-third")  # with their own lineage


def test_a_tied_merge_keeps_the_oldest_then_the_smallest_id() -> None:
    older = [Previous("lc-b", ["b1", "b2"], since_run=1), Previous("lc-a", ["a1", "a2"], 4)]
    (merged,) = _one([["a1", "a2", "b1", "b2"]], older)
    assert (merged.cluster_id, merged.merged_from) == ("lc-b", ("lc-a",))
    same_age = [Previous("lc-b", ["b1", "b2"], 1), Previous("lc-a", ["a1", "a2"], 1)]
    (merged,) = _one([["a1", "a2", "b1", "b2"]], same_age)
    assert (merged.cluster_id, merged.merged_from) == ("lc-a", ("lc-b",))


def test_a_split_keeps_the_id_on_the_part_holding_most_earlier_members() -> None:
    old = Previous("lc-old", ["a1", "a2", "m1", "m2", "m3"], since_run=2)
    small, large = _one([["a1", "a2"], ["m1", "m2", "m3"]], [old])
    assert large == Identity("lc-old", "split", 2, split_into=(small.cluster_id,))
    assert small == Identity(cluster_id(["a1", "a2"]), "split", RUN, split_from=("lc-old",))


def test_a_split_tie_keeps_the_id_on_the_part_with_the_smallest_member() -> None:
    old = Previous("lc-old", ["a1", "a2", "b1", "b2"])
    second, first = _one([["b1", "b2"], ["a1", "a2"]], [old])
    assert first.cluster_id == "lc-old"
    assert second.split_from == ("lc-old",)


def test_a_cluster_that_lost_members_to_no_cluster_shrank() -> None:
    (left,) = _one([["a1", "a2"]], [Previous("lc-old", ["a1", "a2", "a3"])])
    assert (left.cluster_id, left.change) == ("lc-old", "shrank")
    (moved,) = _one([["a1", "a2", "x1"]], [Previous("lc-old", ["a1", "a2", "a3"])])
    assert (moved.cluster_id, moved.change) == ("lc-old", "changed")


def test_a_new_id_never_repeats_an_id_held_or_recorded() -> None:
    # a1's id is recorded as the cluster another split off from: a1's new cluster (no
    # earlier member) must not take it, nor the id another cluster holds.
    taken = cluster_id(["a1"])
    other = Previous("lc-other", ["b1", "b2"], split_from=(taken,))
    held = Previous(cluster_id(["c1"]), ["x1", "x2"])
    found = _one([["b1", "b2"], ["a1", "a9"], ["x1", "x2"], ["c1", "c2"]], [other, held])
    assert [i.change for i in found] == ["unchanged", "new", "unchanged", "new"]
    assert found[1].cluster_id == cluster_id(["a1", "a9"], attempt=1)
    assert found[3].cluster_id == cluster_id(["c1", "c2"], attempt=1)
    assert len({i.cluster_id for i in found}) == 4


def test_an_undone_merge_gives_both_sides_their_ids_back() -> None:
    a, b = cluster_id(["a1"]), cluster_id(["b1"])
    first = [Previous(a, ["a1", "a2"], since_run=1), Previous(b, ["b1", "b2"], since_run=1)]
    (merged,) = _one([["a1", "a2", "b1", "b2"]], first)
    kept, gone = sorted((a, b))
    assert (merged.cluster_id, merged.merged_from) == (kept, (gone,))
    stored = Previous(kept, ["a1", "a2", "b1", "b2"], since_run=1, merged_from=(gone,))
    parts = _one([["a1", "a2"], ["b1", "b2"]], [stored])
    assert [p.cluster_id for p in parts] == [a, b]  # a tie: the id stays with its member
    survivor, back = (parts[0], parts[1]) if kept == a else (parts[1], parts[0])
    assert survivor == Identity(kept, "split", 1, split_into=(gone,))  # no longer merged
    assert back == Identity(gone, "split", RUN, split_from=(kept,))


def test_lineage_is_kept_while_the_id_lives() -> None:
    old = Previous("lc-old", ["a1", "a2"], 1, merged_from=("lc-x",), split_from=("lc-y",))
    (grown,) = _one([["a1", "a2", "a3"]], [old])
    assert grown.to_data() == {
        "change": "grew",
        "since_run": 1,
        "merged_from": ["lc-x"],
        "split_from": ["lc-y"],
    }
    (same,) = _one([["a1", "a2"]], [old._replace(split_into=("lc-z",))])
    assert same == Identity("lc-old", "unchanged", 1, ("lc-x",), ("lc-y",), ("lc-z",))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=30),
    st.lists(st.integers(0, 6), min_size=1, max_size=30),
)
def test_ids_are_unique_and_follow_the_rules(before: list[int], after: list[int]) -> None:
    """Records r0, r1, ... grouped into clusters by the drawn labels, twice over."""

    def groups(labels: list[int]) -> list[list[str]]:
        found: dict[int, list[str]] = {}
        for record, label in enumerate(labels):
            found.setdefault(label, []).append(f"r{record:02d}")
        return [sorted(m) for m in found.values() if len(m) > 1]

    previous = [Previous(cluster_id(m), m, since_run=1) for m in groups(before)]
    clusters = groups(after)
    identities = assign_ids(clusters, previous, 2)
    ids = [i.cluster_id for i in identities]
    assert len(set(ids)) == len(ids)
    owner = {m: p.cluster_id for p in previous for m in p.members}
    held = {p.cluster_id: set(p.members) for p in previous}
    for members, identity in zip(clusters, identities, strict=True):
        earlier = {owner[m] for m in members if m in owner}
        assert identity.change in CHANGES
        assert (identity.change == "new") == (not earlier)
        if identity.change not in ("new", "split"):
            assert identity.cluster_id in earlier
        if len(earlier) == 1 and held[min(earlier)] <= set(members):
            assert identity.cluster_id in earlier  # grown or unchanged: the id is kept
    kept = {i.cluster_id for i in identities} & {p.cluster_id for p in previous}
    retired = {m for i in identities for m in i.merged_from}
    assert not kept & retired


def test_ids_follow_large_linkages_in_linear_time() -> None:
    # 100,000 clusters of 3 (300,000 records), each grown by a record that sorts first.
    previous = [Previous(f"lc-{i}", [f"r{i:06d}b", f"r{i:06d}c"]) for i in range(100_000)]
    grown = [[f"r{i:06d}a", f"r{i:06d}b", f"r{i:06d}c"] for i in range(100_000)]
    identities = assign_ids(grown, previous, RUN)
    assert [i.cluster_id for i in identities] == [p.cluster_id for p in previous]
    assert {i.change for i in identities} == {"grew"}
