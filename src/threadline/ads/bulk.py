"""Linking features of a whole ads file, over every core, in bounded memory.

Extraction is pure Python and costs about 0.4 ms of CPU per ad, so a million ads
are minutes of one core. :func:`read_features` splits the file into chunks of
lines, extracts them in worker processes (at most two chunks per worker in
flight, so memory stays bounded whatever the file's size) and keeps the file's
order. Image files are hashed afterwards, each distinct file once, also in the
workers: ads re-use a few thousand photos.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

import numpy as np

from threadline.ads.extract import extract
from threadline.ads.features import AdFeatures, ad_features
from threadline.ads.similarity import NUM_PERM, Matrix, signatures
from threadline.exc import InputError
from threadline.ingest.ads_files import csv_records, json_record
from threadline.model.ads import parse_ad

CHUNK = 2_000  # ads per task: large enough to amortise pickling, small enough to balance


@dataclass
class FileFeatures:
    """The linking features of every valid ad of a file, in file order."""

    ads: list[AdFeatures]
    # MinHash signature of each ad's template (``similarity.signatures``), one row per ad:
    # computed in the workers too, and handed to ``link_ads``.
    signatures: Matrix = field(
        default_factory=lambda: np.zeros((0, NUM_PERM), np.uint32), compare=False
    )
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line or row, reason)
    images: int = 0  # distinct image files read
    unreadable: list[str] = field(default_factory=list)  # image files missing or unreadable


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def read_features(path: Path, *, workers: int | None = None, chunk: int = CHUNK) -> FileFeatures:
    """Features of every ad in ``path`` (JSON lines or CSV, as ``threadline ingest`` reads).

    Image files are read relative to the file's folder. A malformed ad is listed in
    ``rejected`` with its line (or CSV row) and reason; a missing or unreadable
    image leaves the ad without that image's hash and is listed in ``unreadable``.
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    if chunk < 1:
        raise InputError(f"chunk must be at least 1 (got {chunk})")
    count = default_workers() if workers is None else workers
    if count < 1:
        raise InputError(f"workers must be at least 1 (got {count})")
    chunks = _chunks(path, chunk)
    if count == 1:
        return _assemble(path, (_extract_chunk(c) for c in chunks), None)
    context = multiprocessing.get_context("fork")
    with context.Pool(count) as pool:
        return _assemble(path, _in_order(pool, chunks, ahead=2 * count), pool)


def _chunks(path: Path, size: int) -> Iterator[list[tuple[int, Any]]]:
    """Lists of (position, raw line or CSV record): lines are parsed in the workers."""
    if path.suffix.lower() == ".csv":
        records: Iterator[tuple[int, Any]] = csv_records(path)
    else:
        records = _lines(path)
    while batch := list(islice(records, size)):
        yield batch


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


_Chunk = tuple[list[AdFeatures], Matrix, list[tuple[str, ...]], list[tuple[int, str]]]


def _extract_chunk(items: list[tuple[int, Any]]) -> _Chunk:
    """Features of a chunk's ads (without image files), their files, and rejections."""
    ads: list[AdFeatures] = []
    files: list[tuple[str, ...]] = []
    rejected: list[tuple[int, str]] = []
    for position, raw in items:
        record = json_record(raw) if isinstance(raw, bytes) else raw
        try:
            if isinstance(record, InputError):
                raise record
            ad = parse_ad(record)
        except InputError as exc:
            rejected.append((position, str(exc)))
            continue
        ads.append(ad_features(ad, extract(ad)))
        files.append(tuple(image.file for image in ad.images if image.file))
    return ads, signatures([ad.template for ad in ads]), files, rejected


def _in_order(pool: Pool, chunks: Iterator[list[tuple[int, Any]]], ahead: int) -> Iterator[_Chunk]:
    pending: deque[AsyncResult[_Chunk]] = deque()
    for items in chunks:
        pending.append(pool.apply_async(_extract_chunk, (items,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _assemble(path: Path, results: Iterator[_Chunk], pool: Pool | None) -> FileFeatures:
    out = FileFeatures([])
    files: list[tuple[str, ...]] = []
    matrices = [out.signatures]
    for ads, matrix, chunk_files, rejected in results:
        out.ads.extend(ads)
        matrices.append(matrix)
        files.extend(chunk_files)
        out.rejected.extend(rejected)
    out.signatures = np.concatenate(matrices)
    names = sorted({name for names in files for name in names})
    folder = str(path.parent)
    tasks = [(folder, name) for name in names]
    if pool is None:
        hashed = [_image_hash(task) for task in tasks]
    else:
        hashed = pool.map(_image_hash, tasks, chunksize=max(1, len(tasks) // 64 or 1))
    hashes = dict(zip(names, hashed, strict=True))
    out.images = len(names)
    out.unreadable = [name for name, value in hashes.items() if value is None]
    for i, names_of_ad in enumerate(files):
        found = [h for h in (hashes[n] for n in names_of_ad) if h is not None]
        if found:
            ad = out.ads[i]
            out.ads[i] = replace(ad, phashes=tuple(dict.fromkeys([*ad.phashes, *found])))
    return out


def _image_hash(task: tuple[str, str]) -> int | None:
    """64-bit perceptual hash of an image file, None when it cannot be read."""
    import imagehash
    from PIL import Image, UnidentifiedImageError

    folder, name = task
    try:
        with Image.open(Path(folder) / name) as img:
            return int(str(imagehash.phash(img)), 16)
    except (OSError, UnidentifiedImageError, ValueError):
        return None
