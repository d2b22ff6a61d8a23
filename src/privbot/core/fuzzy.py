"""String similarity in plain Python: the three measures the matcher uses, computed as
rapidfuzz 3 computes them (the same floats; `tests/unit/test_fuzzy.py` compares them with
rapidfuzz on the shipped vocabulary and question sets), without its 3.7 MB of native modules
resident in every process.

- `ratio`: the normalised Indel similarity (0-100) of two strings, from their longest
  common subsequence, found with a bit-parallel recurrence over Python integers (Hyyrö);
- `token_sort_ratio`: `ratio` of the two strings with their words sorted (`TokenSortRatio`
  for one query and many strings);
- `best_ratio`: the choice of highest `ratio` to a string from a cutoff on (the first of
  equal ones), as `process.extractOne(..., scorer=fuzz.ratio)`;
- `Vocabulary.extract`: the known words closest to a word by optimal string alignment (OSA:
  an adjacent swap is one edit), normalised by the longer length, as `process.extract(...,
  scorer=OSA.normalized_similarity)`. Words whose letters alone rule them out are never
  aligned: a word within k edits lacks at most k of the query's letters (counted with their
  repeats) and has at most k the query lacks, so it holds one of the query's k + 1 rarest
  letters; the candidates are the words holding one, by an index of letters.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import cache

# A letter with its rank among the same letters of its word ("s" twice: ("s", 1), ("s", 2)):
# a word's letters counted with their repeats, as a set.
_Symbol = tuple[str, int]
_NONE: tuple[int, ...] = ()


class _Subsequences:
    """The longest common subsequence of one string with others: the positions of each of
    its characters as bits, made once, then one pass over each other string (a bit-parallel
    recurrence over Python integers, Hyyrö's)."""

    __slots__ = ("_full", "_masks", "length")

    def __init__(self, a: str) -> None:
        masks: dict[str, int] = {}
        bit = 1
        for ch in a:
            masks[ch] = masks.get(ch, 0) | bit
            bit <<= 1
        self._masks = masks
        self._full = bit - 1
        self.length = len(a)

    def common(self, b: str) -> int:
        full = v = self._full
        for m in filter(None, map(self._masks.get, b)):
            u = v & m
            v = (v + u) | (v - u)
        return (full ^ (v & full)).bit_count()

    def ratio(self, b: str) -> float:
        """`ratio(a, b)`."""
        total = self.length + len(b)
        if not total:
            return 100.0
        return (1.0 - (total - 2 * self.common(b)) / total) * 100


def ratio(a: str, b: str) -> float:
    """100 × (1 − Indel distance / total length); 100 for two empty strings."""
    return _Subsequences(a).ratio(b)


def sorted_words(text: str) -> str:
    """`text`'s whitespace-separated words, sorted, joined by spaces."""
    return " ".join(sorted(text.split()))


class TokenSortRatio:
    """`token_sort_ratio(query, other)` for one query and many others (its words sorted and
    its characters' positions made once)."""

    __slots__ = ("_query",)

    def __init__(self, query: str) -> None:
        self._query = _Subsequences(sorted_words(query))

    def __call__(self, other: str) -> float:
        return self._query.ratio(sorted_words(other))

    def sorted(self, other: str) -> float:
        """`self(other)` for an `other` whose words are already sorted (`sorted_words`)."""
        return self._query.ratio(other)


def token_sort_ratio(a: str, b: str) -> float:
    """`ratio` of `a` and `b` with their whitespace-separated words sorted."""
    return TokenSortRatio(a)(b)


def best_ratio(text: str, choices: Sequence[str], cutoff: float) -> tuple[str, float] | None:
    """The choice of highest `ratio` to `text` and its score, if at least `cutoff`."""
    best: tuple[str, float] | None = None
    for choice in choices:
        score = ratio(text, choice)
        if score >= cutoff and (best is None or score > best[1]):
            best = (choice, score)
    return best


def osa_distance(a: str, b: str) -> int:
    """The optimal string alignment distance of `a` and `b` (insertions, deletions,
    substitutions and swaps of two adjacent letters, no substring edited twice), by Hyyrö's
    bit-parallel recurrence (Python's integers act as infinite two's complement, so no mask
    is needed: only the bits below len(a) are read)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    pm: dict[str, int] = {}
    bit = 1
    for ch in a:
        pm[ch] = pm.get(ch, 0) | bit
        bit <<= 1
    last = bit >> 1
    vp, vn, d0, pm_old = -1, 0, 0, 0
    dist = len(a)
    get = pm.get
    for ch in b:
        pm_j = get(ch, 0)
        swap = ((~d0 & pm_j) << 1) & pm_old
        d0 = ((((pm_j & vp) + vp) ^ vp) | pm_j | vn) | swap
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & last:
            dist += 1
        elif hn & last:
            dist -= 1
        hp = (hp << 1) | 1
        vp = (hn << 1) | ~(d0 | hp)
        vn = hp & d0
        pm_old = pm_j
    return dist


def _symbols(word: str) -> list[_Symbol]:
    seen: dict[str, int] = {}
    out = []
    for ch in word:
        seen[ch] = seen.get(ch, 0) + 1
        out.append((ch, seen[ch]))
    return out


@cache
def _edits_allowed(n: int, cutoff: float) -> dict[int, int]:
    """For a word of `n` letters: each length a word within `cutoff` may have, with the most
    edits that keep 1 − edits / longer length at or above `cutoff`."""
    out = {}
    for m in range(1, 4 * n + 8):
        longer = max(n, m)
        k = 0
        while k < longer and 1.0 - (k + 1) / longer >= cutoff:
            k += 1
        if abs(n - m) <= k:
            out[m] = k
    return out


class Vocabulary:
    """Known words, searched by OSA similarity (`extract`)."""

    __slots__ = ("_bits", "_longest", "_masks", "_postings", "words")

    def __init__(self, words: Sequence[str]) -> None:
        self.words = tuple(words)
        bits: dict[_Symbol, int] = {}
        postings: dict[_Symbol, list[int]] = {}
        masks = []
        for i, word in enumerate(self.words):
            mask = 0
            for sym in _symbols(word):
                mask |= bits.setdefault(sym, 1 << len(bits))
                postings.setdefault(sym, []).append(i)
            masks.append(mask)
        self._bits = bits  # a bit for each symbol any word has
        self._masks = masks  # each word's symbols, as bits
        self._postings = {sym: array("I", ids) for sym, ids in postings.items()}
        self._longest = max(map(len, self.words), default=0)

    def extract(self, word: str, cutoff: float, limit: int) -> list[tuple[str, float, int]]:
        """(known word, similarity, its index) of the `limit` words of highest similarity
        1 − OSA distance / longer length to `word`, at least `cutoff`; highest first, and of
        equal ones the first known."""
        n = len(word)
        if n * cutoff > self._longest + 1:
            # No known word is long enough to be within `cutoff` (a pasted string of
            # thousands of letters): and the table of edits allowed grows as n².
            return []
        allowed = _edits_allowed(n, cutoff)
        most = max(allowed.values())
        syms = _symbols(word)
        rarest = sorted((self._postings.get(sym, _NONE) for sym in syms), key=len)
        candidates = set().union(*rarest[: most + 1])
        bits = self._bits
        query = 0
        for sym in syms:
            query |= bits.get(sym, 0)
        unknown = len(syms) - query.bit_count()  # symbols no known word has
        words, masks = self.words, self._masks
        found = []
        for i in candidates:
            known = words[i]
            m = len(known)
            k = allowed.get(m)
            if k is None:
                continue
            mask = masks[i]
            if (query & ~mask).bit_count() + unknown > k or (mask & ~query).bit_count() > k:
                continue
            d = osa_distance(word, known)
            if d <= k:
                found.append((known, 1.0 - d / max(n, m), i))
        found.sort(key=lambda f: (-f[1], f[2]))
        return found[:limit]
