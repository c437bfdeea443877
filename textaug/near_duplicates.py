"""Near-duplicate texts: character n-gram MinHash with LSH, every pair checked exactly.

A text is normalised (casefolded, whitespace collapsed) and cut into overlapping
character n-grams, its shingles; a text shorter than ``ngram`` is one shingle.
:func:`signatures` computes MinHash signatures with numpy for many texts at once,
exactly as datasketch's ``MinHash`` (scheme ``"affine32"``) would from
:func:`shingle_hashes`, and datasketch's ``MinHashLSH`` proposes candidate pairs.
Every candidate is checked with the exact Jaccard similarity of the two shingle sets,
so no reported pair is below the threshold. LSH can only miss pairs: its bands are
chosen so that a pair at the threshold is found with probability 0.98 or more, and a
more similar pair more surely.

Texts must be strings: None or NaN raises :class:`~textaug.errors.InvalidParameterError`
naming the position (the splitter and the guard name the rows instead).

Examples
--------
>>> texts = ["Deep learning for parking spots.", "deep  learning for Parking spots!",
...          "A survey of graph neural networks."]
>>> near_duplicate_pairs(texts, threshold=0.8)
[(0, 1, 0.931...)]
>>> near_duplicate_pairs(texts[:1], texts[1:])
[(0, 0, 0.931...)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from textaug.errors import InvalidParameterError, check_param

RECALL_AT_THRESHOLD = 0.98  # the LSH bands find a pair at the threshold this surely, or more
_PRIME = np.uint64(0x100000001B3)  # polynomial rolling hash of the code points, mod 2**64
_BATCH = 64  # texts per signature block: about 128 x 8,000 values, which stay in cache


def normalize(text: str) -> str:
    """Casefold and collapse runs of whitespace to one space.

    >>> normalize("  Deep\\tLEARNING\\n for  NLP ")
    'deep learning for nlp'
    """
    return " ".join(text.casefold().split())


def shingles(text: str, ngram: int = 5) -> set[str]:
    """The character n-grams of the normalised text; the whole of it when shorter.

    >>> sorted(shingles("Hello", ngram=4)), shingles(" Hi ", ngram=4)
    (['ello', 'hell'], {'hi'})
    """
    return _shingles(normalize(text), ngram)


def jaccard(a: str, b: str, ngram: int = 5) -> float:
    """The exact Jaccard similarity of the shingle sets of two texts.

    >>> jaccard("GANs for art", "gans  FOR art"), round(jaccard("abcdef", "abcdeg", ngram=3), 2)
    (1.0, 0.6)
    """
    return _jaccard(shingles(a, ngram), shingles(b, ngram))


def shingle_hashes(text: str, ngram: int = 5) -> np.ndarray:
    """The 32-bit hash of each shingle of the normalised text, in text order (uint32).

    >>> shingle_hashes("hello world", ngram=5).shape
    (7,)
    """
    return _window_hashes([normalize(text)], ngram)[0]


def signatures(texts: Sequence[str], ngram: int = 5, num_perm: int = 128,
               seed: int = 0) -> np.ndarray:
    """MinHash signatures, one row of ``num_perm`` uint32 values per text.

    Row ``i`` equals the hash values of ``MinHash(num_perm, seed)`` (scheme
    ``"affine32"``) updated with ``shingle_hashes(texts[i])``.

    >>> signatures(["hello world", "hello world!"], num_perm=16).shape
    (2, 16)
    """
    return _signatures([normalize(t) for t in texts], ngram, num_perm, seed)


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` with the most rows per band that still finds a pair at
    ``threshold`` with probability ``RECALL_AT_THRESHOLD``.

    >>> lsh_bands(0.8, 128)
    (18, 7)
    """
    for rows in range(num_perm // 2, 1, -1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= RECALL_AT_THRESHOLD:
            return bands, rows
    return num_perm, 1


def near_duplicate_pairs(
    left: Sequence[str],
    right: Sequence[str] | None = None,
    threshold: float = 0.8,
    ngram: int = 5,
    num_perm: int = 128,
    seed: int = 0,
) -> list[tuple[int, int, float]]:
    """Pairs of texts whose shingle sets have Jaccard similarity >= ``threshold``.

    Returns sorted ``(i, j, jaccard)`` triples: positions in ``left`` with ``i < j``
    when ``right`` is None, else ``i`` in ``left`` and ``j`` in ``right``. Identical
    texts pair up too. ``seed`` picks the MinHash permutations.
    """
    owner = "near_duplicate_pairs"
    check_param(isinstance(threshold, float | int) and 0 < threshold <= 1, owner, "threshold",
                "a number in (0, 1]", threshold)
    for name, value, low, high in (("ngram", ngram, 1, None), ("num_perm", num_perm, 4, None),
                                   ("seed", seed, 0, 2**32)):
        check_param(isinstance(value, int) and not isinstance(value, bool) and value >= low
                    and (high is None or value < high), owner, name,
                    f"an int >= {low}" + (f" and < {high}" if high else ""), value)
    params = (float(threshold), ngram, num_perm, seed)
    queries = _normalized(left, "left")
    if right is None:
        return sorted((j, i, sim) for i, j, sim in _search(None, queries, *params))
    indexed = _normalized(right, "right")
    if not queries or not indexed:
        return []
    if len(queries) < len(indexed):  # index the smaller side, stream the larger one
        return sorted((j, i, sim) for i, j, sim in _search(queries, indexed, *params))
    return sorted(_search(indexed, queries, *params))


def _search(indexed: list[str] | None, queries: list[str], threshold: float, ngram: int,
            num_perm: int, seed: int) -> Iterator[tuple[int, int, float]]:
    """``(query, indexed, jaccard)``; with no ``indexed``, each query against those before it."""
    from datasketch import MinHashLSH  # here: importing datasketch takes half a second

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm,
                     params=lsh_bands(threshold, num_perm))
    if indexed is not None:
        for i, minhash in enumerate(_minhashes(indexed, ngram, num_perm, seed)):
            lsh.insert(i, minhash, check_duplication=False)
    pool = queries if indexed is None else indexed
    for q, minhash in enumerate(_minhashes(queries, ngram, num_perm, seed)):
        candidates = lsh.query(minhash)
        if candidates:
            mine = _shingles(queries[q], ngram)
            for c in candidates:
                similarity = _jaccard(mine, _shingles(pool[c], ngram))
                if similarity >= threshold:
                    yield q, c, similarity
        if indexed is None:
            lsh.insert(q, minhash, check_duplication=False)


def _minhashes(texts: list[str], ngram: int, num_perm: int, seed: int) -> Iterator[Any]:
    from datasketch import LeanMinHash

    for start in range(0, len(texts), 16 * _BATCH):
        block = _signatures(texts[start:start + 16 * _BATCH], ngram, num_perm, seed)
        for row in block:
            yield LeanMinHash(seed=seed, hashvalues=row, scheme="affine32")


def _normalized(texts: Sequence[Any], side: str) -> list[str]:
    out = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidParameterError(
                f"near_duplicate_pairs() compares strings, but {side}[{i}] is {text!r}. "
                "Drop or fill missing texts first."
            )
        out.append(normalize(text))
    return out


def _shingles(norm: str, ngram: int) -> set[str]:
    if len(norm) < ngram:
        return {norm}
    return {norm[i:i + ngram] for i in range(len(norm) - ngram + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _signatures(norms: list[str], ngram: int, num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    mult, add = MinHash(num_perm=num_perm, seed=seed).permutations
    out = np.empty((len(norms), num_perm), dtype=np.uint32)
    buffer = np.empty((num_perm, 0), dtype=np.uint32)  # reused: fresh memory is slow to touch
    for start in range(0, len(norms), _BATCH):
        hashes, counts = _window_hashes(norms[start:start + _BATCH], ngram)
        if len(hashes) > buffer.shape[1]:
            buffer = np.empty((num_perm, len(hashes)), dtype=np.uint32)
        block = buffer[:, :len(hashes)]
        np.multiply(mult[:, None], _fmix32(hashes), out=block)  # uint32 wraps: mod 2**32
        block += add[:, None]
        out[start:start + len(counts)] = np.minimum.reduceat(block, counts.cumsum() - counts,
                                                             axis=1).T
    return out


def _window_hashes(norms: list[str], ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of the texts, one after another, and how many each text has.

    A text shorter than ``ngram`` is padded to one shingle.
    """
    padded = [t if len(t) >= ngram else t.ljust(ngram, "\0") for t in norms]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    width = len(codes) - ngram + 1
    rolling = np.zeros(width, dtype=np.uint64)
    for k in range(ngram):
        rolling = rolling * _PRIME + codes[k:k + width]
    counts = np.array([len(t) - ngram + 1 for t in padded])
    # window w of text t starts at w + t * (ngram - 1) in the joined text
    starts = np.arange(counts.sum()) + np.repeat(np.arange(len(padded)) * (ngram - 1), counts)
    return (_mix64(rolling[starts]) >> np.uint64(32)).astype(np.uint32), counts


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, on an array (wrapping uint64 arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch applies before its permutations."""
    h = (h ^ (h >> np.uint32(16))) * np.uint32(0x85EBCA6B)
    h = (h ^ (h >> np.uint32(13))) * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))
