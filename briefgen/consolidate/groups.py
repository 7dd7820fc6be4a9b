"""Grouping items that are "the same" pair by pair (union-find), shared by every clustering step."""

from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Iterable


class UnionFind:
    """Disjoint sets over hashable items; the smallest item of a set is its root, so results are deterministic."""

    def __init__(self, items: Iterable[Hashable] = ()):
        self.parent: dict = {item: item for item in items}

    def find(self, item):
        parent = self.parent.setdefault(item, item)
        while parent != item:
            grand = self.parent[parent]
            self.parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            root, other = (ra, rb) if ra < rb else (rb, ra)
            self.parent[other] = root
        return self.find(a)

    def groups(self) -> list[list]:
        members: dict = defaultdict(list)
        for item in self.parent:
            members[self.find(item)].append(item)
        return [sorted(group) for _, group in sorted(members.items())]
