"""Typo tolerance: a symmetric-deletion index over the vocabulary (the SymSpell idea).

A word within edit distance d of a vocabulary term shares with it at least one string made
by deleting up to d letters from each. Precomputing the deletions of every term once makes a
look-up a handful of dictionary probes instead of a scan of the vocabulary; each candidate is
then confirmed with the real (optimal string alignment) distance, where a swap of two
neighbouring letters ("pesnija") counts as one edit. As in SymSpell, only the first
`PREFIX` letters are deleted from: typos past them still match, through the confirmation
on whole words, and the index stays a few hundred thousand short strings.

How far a word may be from its correction grows with its length: short words have too many
neighbours ("pase", "pasts", "past") for two edits to mean anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Final

PREFIX: Final = 7


def allowed_distance(word: str) -> int:
    """Edits a word of this length may carry: none up to 3 letters, 1 up to 7, then 2."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 7 else 2


def _deletions(word: str, distance: int) -> set[str]:
    head = word[:PREFIX]  # deletions come from the prefix only (see the module docstring)
    found = {head}
    for removed in range(1, min(distance, len(head) - 1) + 1):
        for positions in combinations(range(len(head)), removed):
            found.add("".join(c for i, c in enumerate(head) if i not in positions))
    return found


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        char = a[i - 1]
        current = [i]
        row_best = i
        for j in range(1, len(b) + 1):
            # Plain comparisons: this loop is where a misspelt query spends its time.
            best = previous[j - 1] + (char != b[j - 1])
            insert = current[j - 1] + 1
            if insert < best:  # noqa: PLR1730 — min() costs a call per cell
                best = insert
            delete = previous[j] + 1
            if delete < best:  # noqa: PLR1730 — min() costs a call per cell
                best = delete
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == b[j - 1]:
                swap = previous2[j - 2] + 1
                if swap < best:  # noqa: PLR1730 — min() costs a call per cell
                    best = swap
            current.append(best)
            if best < row_best:  # noqa: PLR1730 — min() costs a call per cell
                row_best = best
        if row_best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]


class TypoIndex:
    """Deletions of every vocabulary term, for finding the terms near a misspelt one."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._deletes: dict[str, list[str]] = {}
        for term in vocabulary:
            if len(term) < 3 or not term.isalpha():
                continue
            # A term is stored with the largest distance any query word may reach it by: a
            # query word one letter longer may carry one more edit.
            for deleted in _deletions(term, allowed_distance(term + "x")):
                self._deletes.setdefault(deleted, []).append(term)

    def __len__(self) -> int:
        return len(self._deletes)

    def near(self, word: str) -> list[tuple[str, int]]:
        """Vocabulary terms within the allowed distance of `word`, nearest first; the word
        itself is not among them."""
        limit = allowed_distance(word)
        if limit == 0 or not word.isalpha():
            return []
        found: dict[str, int] = {}
        seen = {word}
        for deleted in _deletions(word, limit):
            for candidate in self._deletes.get(deleted, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                distance = osa_distance(word, candidate, limit)
                if distance <= limit:
                    found[candidate] = distance
        return sorted(found.items(), key=lambda item: (item[1], item[0]))
