"""Near-duplicate texts (MinHash LSH) and re-used images (perceptual hashes), at scale.

Templates: each template text becomes a MinHash signature (datasketch, word
3-gram shingles, a deterministic CRC-32 so runs repeat). The band and row counts
come from datasketch's ``MinHashLSH`` for the Jaccard threshold; the banding is
done here with numpy over the signature matrix, because datasketch's index keeps
a Python set and a bytes key per band per document (several GB for a million
ads). :func:`template_buckets` yields the groups of ads whose signatures agree on
a whole band: candidate near-duplicates, verified by the caller.

Images: two 64-bit hashes within Hamming distance ``t`` agree exactly on at
least one of ``t + 1`` disjoint bit blocks (pigeonhole), so grouping the distinct
hashes by each block finds every close pair without comparing all pairs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

NUM_PERM = 64
SHINGLE = 3
_MAX_HASH = np.uint64((1 << 32) - 1)
_PRIME = np.uint64((1 << 61) - 1)

Matrix = npt.NDArray[np.uint32]


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=1).permutations
    return np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)


@lru_cache(maxsize=4)
def bands_for(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) datasketch chooses for a Jaccard ``threshold``."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def _shingles(text: str) -> list[bytes]:
    words = text.split()
    if len(words) < SHINGLE:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - 2)]


def signature(text: str, num_perm: int = NUM_PERM) -> npt.NDArray[np.uint32]:
    """MinHash signature of a text's word 3-grams (all-max for an empty text)."""
    a, b = _permutations(num_perm)
    shingles = _shingles(text)
    if not shingles:
        return np.full(num_perm, (1 << 32) - 1, dtype=np.uint32)
    hv = np.fromiter((zlib.crc32(s) for s in shingles), dtype=np.uint64, count=len(shingles))
    # datasketch's universal hashing: (a * h + b) mod prime, kept to 32 bits.
    phv = ((hv[:, None] * a + b) % _PRIME) & _MAX_HASH
    out: npt.NDArray[np.uint32] = phv.min(axis=0).astype(np.uint32)
    return out


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM, batch: int = 512) -> Matrix:
    """One row per text, the same as :func:`signature` of each (computed in batches: one
    hashing of every shingle of ``batch`` texts, then a minimum per text)."""
    a, b = _permutations(num_perm)
    out = np.full((len(texts), num_perm), (1 << 32) - 1, dtype=np.uint32)
    for start in range(0, len(texts), batch):
        counts = []
        hashes: list[int] = []
        for text in texts[start : start + batch]:
            shingles = _shingles(text)
            counts.append(len(shingles))
            hashes.extend(zlib.crc32(s) for s in shingles)
        if not hashes:
            continue
        hv = np.asarray(hashes, dtype=np.uint64)
        phv = ((hv[:, None] * a + b) % _PRIME) & _MAX_HASH
        sizes = np.asarray(counts, dtype=np.int64)
        filled = np.flatnonzero(sizes)
        offsets = (np.cumsum(sizes) - sizes)[filled]
        out[start + filled] = np.minimum.reduceat(phv, offsets, axis=0).astype(np.uint32)
    return out


def shingle_rows(
    texts: Sequence[str], batch: int = 20_000
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int32]]:
    """Every distinct shingle hash of every text, with the row (text position) it is in
    (built in batches, so a million texts never hold tens of millions of Python ints;
    CRC-32 hashes and row positions in 32 bits each: tens of millions of pairs at scale)."""
    hash_parts: list[npt.NDArray[np.uint32]] = []
    row_parts: list[npt.NDArray[np.int32]] = []
    for start in range(0, len(texts), batch):
        hashes: list[int] = []
        counts: list[int] = []
        for text in texts[start : start + batch]:
            mine = {zlib.crc32(s) for s in _shingles(text)}
            hashes.extend(mine)
            counts.append(len(mine))
        hash_parts.append(np.asarray(hashes, dtype=np.uint32))
        row_parts.append(np.repeat(np.arange(start, start + len(counts), dtype=np.int32), counts))
    if not hash_parts:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32)
    return np.concatenate(hash_parts), np.concatenate(row_parts)


def boilerplate(
    hashes: npt.NDArray[np.uint32],
    rows: npt.NDArray[np.int32],
    labels: npt.NDArray[np.int64],
    max_spread: int,
) -> npt.NDArray[np.uint32]:
    """The shingle hashes written by more than ``max_spread`` distinct ``labels``.

    With the ads' advertisers (selector groups) as labels these are phrases many
    advertisers share: a platform's safety notice, a sector's stock wording. They say
    nothing about who wrote an ad, so they are learned from the collection and removed
    before texts are compared.
    """
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.uint32)
    # One 64-bit key per (shingle, advertiser): CRC-32 hashes fit the high half, labels
    # (row positions) the low half; distinct keys, then distinct advertisers per shingle.
    keys = hashes.astype(np.uint64) << np.uint64(32)
    keys |= labels[rows].astype(np.uint64)
    keys = np.unique(keys)
    values, spread = np.unique(keys >> np.uint64(32), return_counts=True)
    del keys
    common: npt.NDArray[np.uint32] = values[spread > max_spread].astype(np.uint32)
    return common


def without(
    texts: Sequence[str],
    matrix: Matrix,
    hashes: npt.NDArray[np.uint32],
    rows: npt.NDArray[np.int32],
    common: npt.NDArray[np.uint32],
) -> tuple[Matrix, npt.NDArray[np.int64]]:
    """``matrix`` with the rows of texts holding ``common`` shingles signed again without
    them (all-max when nothing is left); also how many shingles each row lost."""
    lost = np.zeros(len(texts), dtype=np.int64)
    if len(common) == 0 or len(hashes) == 0:
        return matrix, lost
    hit = np.isin(hashes, common)
    np.add.at(lost, rows[hit], 1)
    touched = np.flatnonzero(lost)
    if len(touched) == 0:
        return matrix, lost
    out = matrix.copy()
    keep = ~hit
    a, b = _permutations(matrix.shape[1])
    kept_rows, kept_hashes = rows[keep], hashes[keep]
    mask = np.isin(kept_rows, touched)
    kept_rows, kept_hashes = kept_rows[mask], kept_hashes[mask]
    out[touched] = np.uint32((1 << 32) - 1)
    for start in range(0, len(kept_hashes), 65_536):
        hv = kept_hashes[start : start + 65_536].astype(np.uint64)
        phv = (((hv[:, None] * a + b) % _PRIME) & _MAX_HASH).astype(np.uint32)
        np.minimum.at(out, kept_rows[start : start + 65_536], phv)
    return out, lost


def jaccard(matrix: Matrix, i: int, j: int) -> float:
    """Estimated Jaccard similarity of two rows."""
    same = int(np.count_nonzero(matrix[i] == matrix[j]))
    return same / int(matrix.shape[1])


def template_buckets(matrix: Matrix, threshold: float, max_size: int) -> Iterator[list[int]]:
    """Rows agreeing on a whole band, per band; buckets above ``max_size`` are skipped
    (boilerplate many advertisers share is no operator's template)."""
    for key in _band_keys(matrix, threshold):
        yield from _groups(key, max_size)


def _band_keys(matrix: Matrix, threshold: float) -> Iterator[npt.NDArray[np.uint64]]:
    """One key per row and band: rows with equal keys agree on that whole band."""
    bands, rows = bands_for(threshold, matrix.shape[1])
    empty = np.all(matrix == np.uint32((1 << 32) - 1), axis=1)
    for band in range(bands):
        block = matrix[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(len(matrix), dtype=np.uint64)
        for column in range(block.shape[1]):
            key = key * np.uint64(0x9E3779B97F4A7C15) + block[:, column]
        # An empty text collides with nothing (its signature is all-max).
        key[empty] = np.arange(int(empty.sum()), dtype=np.uint64) ^ np.uint64(0xDEADBEEF)
        yield key


def template_spread(
    matrix: Matrix, threshold: float, labels: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Per row: the most distinct ``labels`` among the rows of any LSH bucket it is in.

    With ``labels`` the selector groups of the ads, a spread of 1 means the ad's wording
    is near-duplicated only inside its own group (an operator's own style); a wide spread
    means many advertisers write like that (boilerplate).
    """
    spread = np.ones(len(matrix), dtype=np.int64)
    if len(matrix) == 0:
        return spread
    for key in _band_keys(matrix, threshold):
        _, bucket = np.unique(key, return_inverse=True)
        pairs = np.unique(np.stack([bucket.astype(np.int64), labels]), axis=1)
        distinct = np.bincount(pairs[0], minlength=int(bucket.max()) + 1)
        np.maximum(spread, distinct[bucket], out=spread)
    return spread


def families(matrix: Matrix, rows: Sequence[int], threshold: float) -> list[int]:
    """Single-linkage clusters of ``rows`` whose estimated Jaccard is at least ``threshold``.

    Returns a cluster number per row (in the order given). Exact pairwise comparison,
    in blocks, so it is meant for the few hundred ads of one selector group.
    """
    sub = matrix[np.asarray(rows, dtype=np.int64)]
    n, width = sub.shape
    need = int(np.ceil(threshold * width - 1e-9))
    ii: list[npt.NDArray[np.int64]] = []
    jj: list[npt.NDArray[np.int64]] = []
    block = max(1, 4_000_000 // max(1, n * width))
    for start in range(0, n, block):
        same = (sub[start : start + block, None, :] == sub[None, :, :]).sum(axis=2)
        a, b = np.nonzero(same >= need)
        ii.append(a + start)
        jj.append(b)
    i = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int64)
    j = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int64)
    # Connected components: every row takes the smallest label among its neighbours,
    # with pointer jumping, until nothing changes.
    labels = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(labels[i], labels[j])
        new = labels.copy()
        np.minimum.at(new, i, low)
        np.minimum.at(new, j, low)
        new = new[new]
        if np.array_equal(new, labels):
            break
        labels = new
    return [int(x) for x in labels]


def _groups(key: npt.NDArray[np.uint64], max_size: int) -> Iterator[list[int]]:
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    edges = np.flatnonzero(np.diff(ordered)) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(ordered)]))
    sizes = ends - starts
    for start, end in zip(starts[sizes >= 2], ends[sizes >= 2], strict=True):
        if end - start <= max_size:
            yield order[start:end].tolist()


def near_hash_pairs(hashes: Sequence[int], distance: int) -> Iterator[tuple[int, int, int]]:
    """``(i, j, d)`` for distinct hashes ``i < j`` (positions) within Hamming ``distance``."""
    values = np.asarray(hashes, dtype=np.uint64)
    if len(values) < 2:
        return
    blocks = distance + 1
    widths = [64 // blocks + (1 if k < 64 % blocks else 0) for k in range(blocks)]
    seen: set[tuple[int, int]] = set()
    shift = 0
    for width in widths:
        part = (values >> np.uint64(shift)) & np.uint64((1 << width) - 1)
        shift += width
        order = np.argsort(part, kind="stable")
        ordered = part[order]
        edges = np.flatnonzero(np.diff(ordered)) + 1
        for group in np.split(order, edges):
            if len(group) < 2:
                continue
            sub = values[group]
            xor = sub[:, None] ^ sub[None, :]
            dist = _popcount(xor)
            ii, jj = np.nonzero(np.triu(dist <= distance, k=1))
            for a, b in zip(ii.tolist(), jj.tolist(), strict=True):
                i, j = sorted((int(group[a]), int(group[b])))
                if (i, j) not in seen:
                    seen.add((i, j))
                    yield i, j, int(dist[a, b])


def _popcount(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    count = np.zeros(values.shape, dtype=np.int64)
    v = values.copy()
    for _ in range(8):
        count += _BYTE_BITS[(v & np.uint64(0xFF)).astype(np.int64)]
        v >>= np.uint64(8)
    return count


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)
