"""Personas: the ads one operator posted, linked by what they share.

Three kinds of evidence link two ads (each accepted link is a union in a
union-find over ads; each ad keeps the reasons that tied it in):

1. **Selectors** (phone, e-mail, wallet, messaging handle, poster account).
   Weighted by rarity: ``weight = ln(N / df)`` where ``df`` is the number of ads
   that carry the selector. A selector is a **hub** (a platform's support
   number, a large agency's switchboard) when it is in more than ``max_df`` ads,
   or when its ads come from more than ``max_owners`` distinct advertisers (poster
   accounts, or for ads without one their other phones and e-mails): the
   absolute cap catches hubs in large collections, the spread catches them in
   small ones. A hub is reported but links nothing, so it cannot fuse operators.
2. **Images**: perceptual hashes within Hamming distance ``image_distance``
   (a resized or re-encoded copy of one photo) link like a selector; a photo in
   more than ``max_df`` ads or in the ads of more than ``max_owners`` selector
   groups is a stock photo: a hub.
3. **Templates**: near-duplicate texts after masking numbers, selectors, prices
   and places (MinHash LSH), with the phrases more than ``boilerplate_owners``
   selector groups write removed first (learned from the collection). The weakest
   evidence, applied last: an ad nothing else placed joins the one group it is
   clearly written like (:func:`_link_templates`), and two selector groups that are
   one operator's successive burner runs join (:func:`_join_runs`); a persona gathers
   at most ``template_owners`` selector groups through wording.

Operators of one network share burner phones and accounts. Inside each group
linked by selectors and photos, writing styles that each hold evidence of their
own are separate operators, and the shared selectors then link only within one
(see :func:`_styles`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from threadline.ads.features import SELECTOR_KINDS, AdFeatures
from threadline.ads.movement import Movement, movement
from threadline.ads.similarity import (
    NUM_PERM,
    Matrix,
    boilerplate,
    families,
    near_hash_pairs,
    shingle_rows,
    signatures,
    template_buckets,
    template_spread,
    without,
)
from threadline.exc import InputError
from threadline.primitives.lineage import Previous, assign_ids


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Knobs of persona linking (defaults documented in docs/ads.md)."""

    max_df: int = 100  # a selector or image in more ads than this is a hub
    max_owners: int = 8  # a template/image spanning more selector groups is shared boilerplate
    template_owners: int = 3  # selector groups one persona may gather through templates
    template_threshold: float = 0.6  # near-duplicate wording inside a group (styles)
    template_attach: float = 0.45  # an ad no selector placed joins a group written this alike
    template_margin: float = 0.15  # a rival group this close to the best leaves an ad alone
    template_candidates: float = 0.4  # Jaccard the LSH banding of lone ads' candidates aims at
    template_runs: float = 0.6  # near-copies joining two selector groups (1.0: never)
    template_typical: float = 0.4  # ... whose ads are, by the median pair, this alike
    template_overlap: float = 0.5  # ... and whose posting periods overlap at most this much
    image_distance: int = 8
    templates: bool = True
    images: bool = True
    styles: bool = True  # tell apart operators who share a selector by how they write
    style_threshold: float = 0.5  # estimated Jaccard joining two ads into one writing style
    style_min_ads: int = 3  # ads a writing style needs to count
    style_join: float = 0.3  # similarity that puts an ad outside every style into one
    style_max_ads: int = 5_000  # larger selector groups are not examined (pairwise cost)
    boilerplate: bool = True  # remove phrases many advertisers share before comparing texts
    boilerplate_owners: int = 30  # a phrase in the ads of more selector groups is boilerplate


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an ad belongs to its persona: one accepted link, with its weight."""

    kind: str  # phone, email, wallet, handle, account, template, image
    value: str
    weight: float
    ads: int  # how many ads the link covers (its document frequency)
    note: str = ""  # a restriction on the link, e.g. a selector shared by several styles

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "weight": self.weight,
                               "ads": self.ads}  # fmt: skip
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class Hub:
    """A selector (or image) too common to link: reported, never used."""

    kind: str
    value: str
    ads: int
    spread: int = 0  # distinct advertisers (accounts or contacts) among its ads

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "ads": self.ads, "spread": self.spread}


@dataclass
class Linkage:
    """The result of linking: a persona index per ad and each ad's reasons."""

    ads: Sequence[AdFeatures]
    groups: list[int]  # persona number of each ad (position in ``ads``)
    reasons: list[list[Reason]]
    hubs: list[Hub] = field(default_factory=list)
    selector_df: dict[tuple[str, str], int] = field(default_factory=dict)
    # Selectors whose ads are written in several distinct styles -> how many styles.
    shared: dict[tuple[str, str], int] = field(default_factory=dict)
    boilerplate: int = 0  # phrases (word 3-grams) too widely shared to link, removed

    def members(self) -> dict[int, list[int]]:
        """Positions of the ads of each persona."""
        out: dict[int, list[int]] = defaultdict(list)
        for position, group in enumerate(self.groups):
            out[group].append(position)
        return out


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.groups = [1] * n  # selector groups a set holds (see ``start_counting_groups``)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.groups[ra] += self.groups[rb]

    def start_counting_groups(self) -> None:
        """From now on each current set of two or more counts as one group (the selector-
        linked groups); a single element counts as none: it is no advertiser of its own."""
        self.groups = [
            1 if self.find(i) == i and self.size[i] > 1 else 0 for i in range(len(self.parent))
        ]

    def union_capped(self, a: int, b: int, cap: int) -> bool:
        """Union unless the result would hold more than ``cap`` groups; True if joined.

        Capping the *result* stops chains: buckets that each join a few advertisers
        could otherwise add up, link by link, to one giant component.
        """
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.groups[ra] + self.groups[rb] > cap:
            return False
        self.union(ra, rb)
        return True


def link_ads(
    ads: Sequence[AdFeatures],
    settings: LinkSettings | None = None,
    signatures_of_templates: Matrix | None = None,
) -> Linkage:
    """Group ads into personas (see the module doc for the rules).

    ``signatures_of_templates``: the ads' template signatures when already computed
    (``similarity.signatures``, one row per ad, as ``bulk.read_features`` gives them).
    """
    cfg = settings or LinkSettings()
    if signatures_of_templates is not None and signatures_of_templates.shape != (
        len(ads),
        NUM_PERM,
    ):
        raise InputError(
            f"template signatures must be {len(ads)} x {NUM_PERM}, "
            f"not {signatures_of_templates.shape[0]} x {signatures_of_templates.shape[1]}"
        )
    uf = UnionFind(len(ads))
    reasons: list[list[Reason]] = [[] for _ in ads]
    carriers, hubs, df = _selector_carriers(ads, cfg)
    if cfg.images:
        images, image_hubs = _image_carriers(ads, cfg, carriers)
        carriers.update(images)
        hubs += image_hubs
    matrix = None
    common = 0
    if cfg.templates or cfg.styles:
        matrix = signatures_of_templates
        if matrix is None:
            matrix = signatures([ad.template for ad in ads])
        if cfg.boilerplate and len(ads):
            matrix, common = _strip_boilerplate(ads, cfg, carriers, matrix)
    style: list[int] = [-1] * len(ads)
    shared: dict[Selector, int] = {}
    if cfg.styles and matrix is not None and len(ads):
        style, shared = _styles(cfg, carriers, matrix, len(ads))
    _link_carriers(ads, carriers, shared, style, uf, reasons)
    if cfg.templates and matrix is not None:
        owners = [uf.find(i) for i in range(len(ads))]  # groups before the wording
        uf.start_counting_groups()
        _link_templates(ads, cfg, uf, reasons, owners, matrix)
    roots = [uf.find(i) for i in range(len(ads))]
    numbers: dict[int, int] = {}
    groups = [numbers.setdefault(r, len(numbers)) for r in roots]
    return Linkage(ads, groups, reasons, hubs, df, shared, common)


Selector = tuple[str, str]
Labels = npt.NDArray[np.int64]


def _selector_groups(carriers: dict[Selector, list[int]], n: int) -> tuple[UnionFind, Labels]:
    """Ads joined by every usable selector and photo, and each ad's group (its root)."""
    uf = UnionFind(n)
    for positions in carriers.values():
        for position in positions[1:]:
            uf.union(positions[0], position)
    return uf, np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)


def _strip_boilerplate(
    ads: Sequence[AdFeatures],
    cfg: LinkSettings,
    carriers: dict[Selector, list[int]],
    matrix: Matrix,
) -> tuple[Matrix, int]:
    """Template signatures without the phrases more than ``boilerplate_owners`` selector
    groups write (a platform's notice, stock wording), and how many such phrases there
    are: learned from the whole collection, so shared text never links two advertisers."""
    _, labels = _selector_groups(carriers, len(ads))
    texts = [ad.template for ad in ads]
    hashes, rows = shingle_rows(texts)
    common = boilerplate(hashes, rows, labels, cfg.boilerplate_owners)
    stripped, _ = without(texts, matrix, hashes, rows, common)
    return stripped, len(common)


def _selector_carriers(
    ads: Sequence[AdFeatures], cfg: LinkSettings
) -> tuple[dict[Selector, list[int]], list[Hub], dict[Selector, int]]:
    """The ads of each selector that may link (two ads or more, not a hub), the hubs,
    and every selector's document frequency."""
    carriers: dict[Selector, list[int]] = defaultdict(list)
    for position, ad in enumerate(ads):
        for selector in ad.selectors:
            carriers[selector].append(position)
    hubs = []
    usable: dict[Selector, list[int]] = {}
    order = {kind: i for i, kind in enumerate(SELECTOR_KINDS)}
    for (kind, value), positions in sorted(
        carriers.items(), key=lambda item: (order.get(item[0][0], 9), item[0][1])
    ):
        if len(positions) < 2:
            continue
        spread = _spread(ads, positions, (kind, value), cfg)
        if len(positions) > cfg.max_df or spread > cfg.max_owners:
            hubs.append(Hub(kind, value, len(positions), spread))
            continue
        usable[(kind, value)] = positions
    return usable, hubs, {k: len(v) for k, v in carriers.items()}


def _styles(
    cfg: LinkSettings, carriers: dict[Selector, list[int]], matrix: Matrix, n: int
) -> tuple[list[int], dict[Selector, int]]:
    """Operators inside one evidence group, told apart by how they write and what they hold.

    Operators of one network share burner phones and accounts, so selectors alone
    fuse them. Inside a group of ads linked by selectors and photos, ads whose
    templates are near-duplicates (single linkage at ``style_threshold``) form a
    *style* when there are at least ``style_min_ads`` of them and their wording is
    the group's own (boilerplate that ads of more than ``template_owners`` groups
    share is nobody's style). One advertiser may well write several texts, so a style
    is a separate *operator* only when it also holds evidence of its own: a phone,
    e-mail, wallet, handle, account or photo that no other style of the group uses,
    in two of its ads or more. A group with two operators or more is split:
    - an ad of no style joins the operator it writes most like (estimated Jaccard at
      least ``style_join``), else the one operator its selectors and photos point
      to; an ad pointing to several stays apart, so it cannot bridge them;
    - every selector and photo of the group then links only ads of one operator.
    Returns per ad: -1 in a group that is not split, else its operator (the position
    of the operator's first ad), or ``-2 - group`` for the ads of a split group that
    no operator claims. Also the selectors and photos several operators share.
    """
    uf, labels = _selector_groups(carriers, n)
    spread = template_spread(matrix, cfg.template_threshold, labels)
    own_ads: dict[int, list[int]] = defaultdict(list)
    for position in np.flatnonzero(spread <= cfg.template_owners).tolist():
        own_ads[int(labels[position])].append(position)
    # Evidence an operator may hold alone. One handle on several platforms counts once:
    # operators who share an account share it everywhere.
    evidence: dict[int, dict[Selector, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (kind, value), positions in carriers.items():
        key = (kind, value.partition(":")[2]) if kind == "account" else (kind, value)
        evidence[int(labels[positions[0]])][key].extend(positions)
    style = [-1] * n
    for root, own in own_ads.items():
        if len(own) < 2 * cfg.style_min_ads or uf.size[root] > cfg.style_max_ads:
            continue
        found = _operators(cfg, matrix, own, list(evidence[root].values()))
        if not found:
            continue
        held: dict[int, set[int]] = defaultdict(set)  # ad -> operators its evidence points to
        for positions in evidence[root].values():
            operators = {found[p] for p in positions if p in found}
            for position in positions:
                if position not in found:
                    held[position] |= operators
        for position in np.flatnonzero(labels == root).tolist():
            if position in found:
                style[position] = found[position]
            elif len(held[position]) == 1:
                (style[position],) = held[position]
            else:
                style[position] = -2 - root
    shared = {}
    for selector, positions in carriers.items():
        count = len({style[p] for p in positions if style[p] >= 0})
        if count >= 2:
            shared[selector] = count
    return style, shared


def _operators(
    cfg: LinkSettings, matrix: Matrix, own: list[int], evidence: list[list[int]]
) -> dict[int, int]:
    """Styles of one selector group that are separate operators: ad -> operator (see above)."""
    family = families(matrix, own, cfg.style_threshold)
    sizes = Counter(family)
    if sum(1 for size in sizes.values() if size >= cfg.style_min_ads) < 2:
        return {}
    label_of = {p: f for p, f in zip(own, family, strict=True) if sizes[f] >= cfg.style_min_ads}
    private: set[int] = set()
    for positions in evidence:
        styled = Counter(label_of[p] for p in positions if p in label_of)
        if len(styled) == 1:
            ((label, count),) = styled.items()
            if count >= 2:
                private.add(label)
    if len(private) < 2:
        return {}
    first: dict[int, int] = {}
    out = {}
    for position in own:
        mine = label_of.get(position)
        if mine is not None and mine in private:
            out[position] = first.setdefault(mine, position)
    # Ads outside the operators' styles join the one they write most like, if close enough.
    members = sorted(out)
    rest = [p for p in own if p not in out]
    if rest and members:
        sub = matrix[np.asarray(members)]
        for position in rest:
            similarity = (sub == matrix[position]).mean(axis=1)
            best = int(np.argmax(similarity))
            if similarity[best] >= cfg.style_join:
                out[position] = out[members[best]]
    return out


def _link_carriers(
    ads: Sequence[AdFeatures],
    carriers: dict[Selector, list[int]],
    shared: dict[Selector, int],
    style: list[int],
    uf: UnionFind,
    reasons: list[list[Reason]],
) -> None:
    total = max(len(ads), 1)
    for (kind, value), positions in carriers.items():
        weight = round(math.log(total / len(positions)), 4)
        # In a group split into operators (see ``_styles``) a link holds within one only.
        by_operator: dict[int, list[int]] = defaultdict(list)
        for position in positions:
            by_operator[style[position]].append(position)
        for operator, group in by_operator.items():
            if len(group) < 2:
                continue
            note = ""
            if len(by_operator) > 1:
                count = shared.get((kind, value), 0)
                where = (f"printed by {count} operators who write differently" if count
                         else "in a group of several operators")  # fmt: skip
                whose = (f"written like ad {ads[operator].ad_id}" if operator >= 0
                         else "that no operator of the group claims")  # fmt: skip
                note = f"{where}; links only the ads {whose}"
            reason = Reason(kind, value, weight, len(positions), note)
            for position in group:
                uf.union(group[0], position)
                reasons[position].append(reason)


def _spread(
    ads: Sequence[AdFeatures], positions: list[int], selector: tuple[str, str], cfg: LinkSettings
) -> int:
    """Distinct advertisers among a selector's ads (stops counting past the limit).

    An advertiser is a poster account, or for ads without one (and for an account
    itself) the other phones and e-mails of the ad.
    """
    seen: set[tuple[str, str]] = set()
    for position in positions:
        mine = ads[position].selectors
        account = next((s for s in mine if s[0] == "account"), None)
        if account is not None and selector[0] != "account":
            seen.add(account)
        else:
            seen.update(s for s in mine if s != selector and s[0] in ("phone", "email"))
        if len(seen) > cfg.max_owners:
            break
    return len(seen)


def _link_templates(
    ads: Sequence[AdFeatures],
    cfg: LinkSettings,
    uf: UnionFind,
    reasons: list[list[Reason]],
    owners: list[int],
    matrix: Matrix,
) -> None:
    """Attach each ad that no selector or photo placed to the group it is written like.

    Candidates are the ads sharing an LSH bucket with it (boilerplate already removed
    from the signatures). The ad joins the group of its most similar candidate when that
    similarity is at least ``template_attach`` and no other group comes within
    ``template_margin`` of it: an ad written like two advertisers is left alone, so
    wording never bridges them. Ads placed by nothing else that are written alike join
    each other the same way. A persona gathers at most ``template_owners`` selector
    groups through wording.
    """
    if cfg.template_runs < 1.0:
        _join_runs(ads, cfg, uf, reasons, owners, matrix)
    lone = np.fromiter((uf.size[uf.find(i)] == 1 for i in range(len(ads))), dtype=bool,
                       count=len(ads))  # fmt: skip
    if not lone.any():
        return
    best: dict[int, dict[int, tuple[float, int]]] = defaultdict(dict)  # ad -> group -> (sim, ad)
    for bucket in template_buckets(matrix, cfg.template_candidates, cfg.max_df):
        rows = np.asarray(bucket, dtype=np.int64)
        mine = rows[lone[rows]]
        if len(mine) == 0:
            continue
        block = matrix[rows]
        for position in mine.tolist():
            similarity = (block == matrix[position]).mean(axis=1)
            found = best[position]
            for other, value in zip(rows.tolist(), similarity.tolist(), strict=True):
                if other == position:
                    continue
                group = owners[other]
                if value > found.get(group, (-1.0, 0))[0]:
                    found[group] = (value, other)
    # Advertisers first (an ad joins a group its selectors or photos made), then ads
    # placed by nothing else, in rounds, so a chain of them can reach its group.
    placed = {uf.find(i) for i in np.flatnonzero(~lone).tolist()}
    for rounds in range(4):
        joined = False
        for position in sorted(best):
            if uf.size[uf.find(position)] > 1 and rounds == 0:
                continue
            own = uf.find(position)
            if own in placed:
                continue
            roots: dict[int, tuple[float, int]] = {}
            for value, other in best[position].values():
                root = uf.find(other)
                if root != own and value > roots.get(root, (-1.0, 0))[0]:
                    roots[root] = (value, other)
            targets = [(v, o, r) for r, (v, o) in roots.items() if rounds or r in placed]
            if not targets:
                continue
            value, other, root = max(targets)
            if value < cfg.template_attach:
                continue
            if any(v >= value - cfg.template_margin for r, (v, _) in roots.items()
                   if r != root and r in placed):  # fmt: skip
                continue  # written like several advertisers: it links none of them
            if not uf.union_capped(position, other, cfg.template_owners):
                continue
            joined = True
            if root in placed:
                placed.add(uf.find(position))
            reason = Reason("template", f"template:{ads[other].ad_id}", round(value, 4), 2)
            for member in (position, other):
                if reason not in reasons[member]:
                    reasons[member].append(reason)
        if not joined and rounds:
            break


def _join_runs(
    ads: Sequence[AdFeatures],
    cfg: LinkSettings,
    uf: UnionFind,
    reasons: list[list[Reason]],
    owners: list[int],
    matrix: Matrix,
) -> None:
    """Join two selector groups that are one operator's runs of burner phones and accounts.

    Two groups join when an ad of one and an ad of the other, posted in one country, are
    near-copies (estimated Jaccard at least ``template_runs`` once boilerplate is gone),
    each group is the other's closest, no third group comes within ``template_margin`` of
    either (two advertisers who both write like a third stay apart), and the median pair of
    their ads is at least ``template_typical`` alike: one operator re-posts one template,
    while two large advertisers who draw on stock sentences share a few near-copies only.
    Runs follow each other: groups posting side by side over more than ``template_overlap``
    of the shorter period are two advertisers.
    """
    closest = _closest_runs(ads, cfg, uf, owners, matrix)
    members: dict[int, list[int]] = defaultdict(list)
    for position, root in enumerate(owners):
        if root in closest:
            members[root].append(position)
    for group in sorted(closest):
        ranked = sorted(closest[group].items(), key=lambda item: -item[1][0])
        other, (value, mine, theirs) = ranked[0]
        if value < cfg.template_runs or group > other:
            continue
        if _typical(matrix, members[group], members[other]) < cfg.template_typical:
            continue  # a few near-copies among many different texts: two writers
        if _overlap(ads, members[group], members[other]) > cfg.template_overlap:
            continue  # posting side by side: two advertisers, not one changing phones
        back = sorted(closest[other].values(), key=lambda item: -item[0])
        rivals = [v for v, _, _ in (r[1] for r in ranked[1:])] + [v for v, _, _ in back[1:]]
        if back[0][0] > value or any(v >= value - cfg.template_margin for v in rivals):
            continue
        if not uf.union_capped(mine, theirs, cfg.template_owners):
            continue
        reason = Reason("template", f"template:{ads[theirs].ad_id}", round(value, 4), 2,
                        "runs of different phones and accounts written alike")  # fmt: skip
        for member in (mine, theirs):
            if reason not in reasons[member]:
                reasons[member].append(reason)


def _closest_runs(
    ads: Sequence[AdFeatures],
    cfg: LinkSettings,
    uf: UnionFind,
    owners: list[int],
    matrix: Matrix,
) -> dict[int, dict[int, tuple[float, int, int]]]:
    """For each selector group, every other group it shares an LSH bucket with in one
    country: the best pair's estimated Jaccard and the two ads (mine, theirs).

    Each bucket's pairs are scored at once; the best pair of two groups is the first one
    found at the highest value (buckets in band order, pairs in row order).
    """
    owner = np.asarray(owners, dtype=np.int64)
    sizes = np.asarray(uf.size, dtype=np.int64)[owner]
    countries = np.unique(np.asarray([ad.country or "" for ad in ads]), return_inverse=True)[1]
    found: list[tuple[npt.NDArray[np.int64], ...]] = []
    for bucket in template_buckets(matrix, cfg.template_runs, cfg.max_df):
        rows = np.asarray(bucket, dtype=np.int64)
        rows = rows[sizes[rows] > 1]
        own = owner[rows]
        if len(rows) < 2 or (own == own[0]).all():
            continue
        block = matrix[rows]
        similarity = (block[:, None, :] == block[None, :, :]).mean(axis=2)
        first, second = np.triu_indices(len(rows), 1)
        keep = (own[first] != own[second]) & (countries[rows[first]] == countries[rows[second]])
        first, second = first[keep], second[keep]
        found.append((rows[first], rows[second], similarity[first, second]))
    if not found:
        return {}
    mine = np.concatenate([f[0] for f in found] + [f[1] for f in found])
    theirs = np.concatenate([f[1] for f in found] + [f[0] for f in found])
    value = np.concatenate([f[2] for f in found] * 2)
    seen = np.concatenate([np.arange(len(mine) // 2)] * 2)  # a pair and its mirror tie
    order = np.lexsort((seen, -value, owner[theirs], owner[mine]))
    mine, theirs, value = mine[order], theirs[order], value[order]
    group, other = owner[mine], owner[theirs]
    best = np.ones(len(order), dtype=bool)
    best[1:] = (group[1:] != group[:-1]) | (other[1:] != other[:-1])
    closest: dict[int, dict[int, tuple[float, int, int]]] = defaultdict(dict)
    for g, o, v, a, b in zip(
        group[best].tolist(), other[best].tolist(), value[best].tolist(),
        mine[best].tolist(), theirs[best].tolist(), strict=True,
    ):  # fmt: skip
        closest[g][o] = (v, a, b)
    return closest


def _overlap(ads: Sequence[AdFeatures], first: list[int], second: list[int]) -> float:
    """How much two groups' posting periods overlap, as a share of the shorter one."""
    a = sorted(ads[p].posted_at for p in first)
    b = sorted(ads[p].posted_at for p in second)
    shared = (min(a[-1], b[-1]) - max(a[0], b[0])).total_seconds()
    shorter = min((a[-1] - a[0]).total_seconds(), (b[-1] - b[0]).total_seconds())
    return max(0.0, shared) / max(shorter, 86_400.0)


def _typical(matrix: Matrix, first: list[int], second: list[int], most: int = 40) -> float:
    """Median estimated Jaccard between the ads of two groups (the first ``most`` of each)."""
    a = matrix[np.asarray(first[:most], dtype=np.int64)]
    b = matrix[np.asarray(second[:most], dtype=np.int64)]
    return float(np.median((a[:, None, :] == b[None, :, :]).mean(axis=2)))


def _image_carriers(
    ads: Sequence[AdFeatures], cfg: LinkSettings, selectors: dict[Selector, list[int]]
) -> tuple[dict[Selector, list[int]], list[Hub]]:
    """The ads of each re-used photo (hashes within ``image_distance`` are one photo),
    keyed ("image", first hash); a photo in more than ``max_df`` ads or in the ads of
    more than ``max_owners`` selector groups is a stock photo: a hub."""
    by_hash: dict[int, list[int]] = defaultdict(list)
    for position, ad in enumerate(ads):
        for value in ad.phashes:
            by_hash[value].append(position)
    distinct = sorted(by_hash)
    if not distinct:
        return {}, []
    owners = UnionFind(len(ads))
    for positions in selectors.values():
        for position in positions[1:]:
            owners.union(positions[0], position)
    near = UnionFind(len(distinct))
    for i, j, _ in near_hash_pairs(distinct, cfg.image_distance):
        near.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(distinct)):
        groups[near.find(i)].append(i)
    out: dict[Selector, list[int]] = {}
    hubs = []
    for members in groups.values():
        positions = sorted({p for i in members for p in by_hash[distinct[i]]})
        if len(positions) < 2:
            continue
        label = f"{distinct[members[0]]:016x}"
        spread = len({owners.find(p) for p in positions})
        if len(positions) > cfg.max_df or spread > cfg.max_owners:
            hubs.append(Hub("image", label, len(positions), spread))
            continue
        out[("image", label)] = positions
    return out, hubs


# ---------------------------------------------------------------- persona profiles
TOP_ADS = 3  # persona risk: mean of its riskiest ads


@dataclass(frozen=True, slots=True)
class Persona:
    """One operator behind many ads, with how it was linked and how risky it is."""

    id: str  # "P-" + its smallest ad id: stable across re-runs while that ad stays
    ad_ids: tuple[str, ...]
    selectors: tuple[dict[str, Any], ...]  # {kind, value, ads, weight}
    risk: float
    explanation: tuple[dict[str, Any], ...]  # contributions summing to ``risk``
    movement: Movement
    reasons: dict[str, list[dict[str, Any]]]  # ad id -> why it joined
    first_seen: str
    last_seen: str
    # how its id follows the previous run's personas: change, since_run, merged_from, ...
    lineage: dict[str, Any] = field(default_factory=dict)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted(self.movement.countries))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ad_ids": list(self.ad_ids),
            "selectors": list(self.selectors),
            "risk": self.risk,
            "explanation": list(self.explanation),
            "countries": list(self.countries),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            **self.lineage,
        }


def persona_id(ad_ids: Sequence[str], attempt: int = 0) -> str:
    """A new persona's id: derived from its smallest ad id (``attempt`` > 0: the next
    candidate when that id is taken)."""
    return f"P-{min(ad_ids)}" if attempt == 0 else f"P-{min(ad_ids)}~{attempt}"


def follow_previous(
    personas: Sequence[Persona], previous: Iterable[Previous], run_id: int
) -> list[Persona]:
    """The personas with ids that follow the previous run's (the same agency's, on the same
    collection): a persona that only gained ads keeps its id whatever the new ads' ids, a
    merge keeps the largest earlier persona's id and names the others, a split part says
    where it came from (:func:`threadline.primitives.lineage.assign_ids`). Riskiest first."""
    groups = [sorted(p.ad_ids) for p in personas]
    identities = assign_ids(groups, previous, run_id, persona_id)
    out = [
        replace(p, id=identity.cluster_id, lineage=identity.to_data())
        for p, identity in zip(personas, identities, strict=True)
    ]
    return sorted(out, key=lambda p: (-p.risk, p.id))


def persona_risk(risks: Sequence[tuple[str, float]]) -> tuple[float, list[dict[str, Any]]]:
    """Mean risk of the persona's ``TOP_ADS`` riskiest ads, with each one's share.

    A mean of the top few (not a noisy-OR) keeps a large honest advertiser with
    many low-risk ads low, while one operator's few high-risk ads carry it.
    """
    top = sorted(risks, key=lambda item: (-item[1], item[0]))[:TOP_ADS]
    if not top:
        return 0.0, []
    # Rounded shares first, so that the contributions add up to the risk exactly.
    share = [(ad_id, round(risk / len(top), 6)) for ad_id, risk in top]
    total = round(sum(s for _, s in share), 6)
    explanation = [
        {"id": f"ad:{ad_id}", "family": "persona", "weight": risk,
         "contribution": round(s, 6), "spans": []}
        for (ad_id, risk), (_, s) in zip(top, share, strict=True)
    ]  # fmt: skip
    return total, explanation


def build_personas(linkage: Linkage, risks: Sequence[float] | None = None) -> list[Persona]:
    """Profiles of every persona (``risks``: final risk per ad, default the features')."""
    ads = linkage.ads
    final = list(risks) if risks is not None else [a.risk for a in ads]
    out = []
    for positions in linkage.members().values():
        members = [ads[p] for p in positions]
        ids = sorted(a.ad_id for a in members)
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for p in positions:
            for kind, value in ads[p].selectors:
                df = linkage.selector_df.get((kind, value), 1)
                entry = seen.setdefault((kind, value), {"kind": kind, "value": value, "ads": 0,
                                                        "df": df, "hub": False})  # fmt: skip
                entry["ads"] += 1
        hubs = {(h.kind, h.value) for h in linkage.hubs}
        for key, entry in seen.items():
            entry["hub"] = key in hubs
            entry["shared"] = linkage.shared.get(key, 0)  # operators printing it (0: none)
        risk, explanation = persona_risk([(ads[p].ad_id, final[p]) for p in positions])
        move = movement(members)
        reasons = {ads[p].ad_id: [r.to_dict() for r in linkage.reasons[p]] for p in positions}
        out.append(Persona(
            id=persona_id(ids), ad_ids=tuple(ids),
            selectors=tuple(sorted(seen.values(), key=lambda e: (e["kind"], e["value"]))),
            risk=risk, explanation=tuple(explanation), movement=move, reasons=reasons,
            first_seen=move.timeline[0].posted_at, last_seen=move.timeline[-1].posted_at,
        ))  # fmt: skip
    return sorted(out, key=lambda p: (-p.risk, p.id))
