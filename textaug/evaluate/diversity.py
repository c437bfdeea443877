"""How varied and how far from their originals the augmentations are, per TF chain.

:func:`diversity` reads an :func:`textaug.augment` output (its ``textaug_source``,
``textaug_is_original`` and ``textaug_tfs`` columns, as written to CSV too) and gives,
per TF chain and over all variants:

- ``distinct_1``, ``distinct_2``: distinct word unigrams (bigrams) over all n-grams of
  the chain's variants (Li et al., 2016); higher is more varied.
- ``self_bleu``: BLEU-4 (:func:`sentence_bleu`) of each variant against the other
  variants of its row, averaged; lower is more varied. Rows with one variant have none.
- ``edit_distance``: mean word-level Levenshtein distance to the original.
- with an ``encoder``: ``cosine``, the mean cosine similarity of a variant to its
  original, and ``spread``, the standard deviation of a row's variants around their
  mean (unit-length embeddings; the root mean square distance to the row's centroid).

Words are lower-cased whitespace-separated chunks (one linear scan).

Examples
--------
>>> import pandas as pd
>>> out = pd.DataFrame({
...     "text": ["a b c d", "a c d", "b c d", "x y"],
...     "textaug_source": [0, 0, 0, 1],
...     "textaug_is_original": [True, False, False, True],
...     "textaug_tfs": ["", "random_deletion", "random_deletion", ""]})
>>> table = diversity(out)
>>> table[["variants", "distinct_1", "edit_distance"]].round(3).to_dict("index")
{'random_deletion': {'variants': 2, 'distinct_1': 0.667, 'edit_distance': 1.0}, \
'(all)': {'variants': 2, 'distinct_1': 0.667, 'edit_distance': 1.0}}
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from textaug.errors import InvalidParameterError, check_param
from textaug.levenshtein import edit_distance
from textaug.records import IS_ORIGINAL, SOURCE, TFS

ALL = "(all)"
SMOOTHING_EPSILON = 0.1  # Chen & Cherry's method 1, as nltk's SmoothingFunction().method1
Encoder = Any  # encode(list[str]) -> (n, d) array; a callable doing that; a model id or folder


def tokens(text: str) -> list[str]:
    """Lower-cased whitespace-separated words.

    Examples
    --------
    >>> tokens(" The  cat\\nsat ")
    ['the', 'cat', 'sat']
    """
    return text.lower().split()


def ngrams(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """The ``n``-grams of ``words`` in order.

    Examples
    --------
    >>> ngrams(["a", "b", "c"], 2)
    [('a', 'b'), ('b', 'c')]
    """
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def distinct_n(texts: Sequence[Sequence[str]], n: int) -> float:
    """Distinct ``n``-grams over all ``n``-grams of the token lists; NaN when there are none.

    Examples
    --------
    >>> distinct_n([["a", "b"], ["a", "c"]], 1)
    0.75
    """
    grams = [gram for words in texts for gram in ngrams(words, n)]
    return len(set(grams)) / len(grams) if grams else math.nan


def sentence_bleu(references: Sequence[Sequence[str]], hypothesis: Sequence[str],
                  max_n: int = 4) -> float:
    """Sentence BLEU with uniform weights up to ``max_n``-grams, smoothed.

    Clipped n-gram precisions; a precision with no match counts ``0.1`` matches (Chen and
    Cherry's method 1) unless no unigram matches at all (BLEU 0); the brevity penalty uses
    the reference length closest to the hypothesis's (the shorter on a tie). The same
    definition as ``nltk.translate.bleu_score.sentence_bleu`` with ``method1`` smoothing.

    Examples
    --------
    >>> ref, hyp = "the cat is on the mat".split(), "the cat sat on the mat".split()
    >>> round(sentence_bleu([ref], hyp), 6) == round((1 / 240) ** 0.25, 6)
    True
    """
    if not hypothesis or not references:
        return 0.0
    log_sum = 0.0
    for n in range(1, max_n + 1):
        matches, total = _clipped_matches(references, hypothesis, n)
        if n == 1 and matches == 0:
            return 0.0
        log_sum += math.log((matches or SMOOTHING_EPSILON) / max(total, 1))
    return _brevity_penalty(references, len(hypothesis)) * math.exp(log_sum / max_n)


def _clipped_matches(references: Sequence[Sequence[str]], hypothesis: Sequence[str],
                     n: int) -> tuple[int, int]:
    counts = Counter(ngrams(hypothesis, n))
    most: Counter[tuple[str, ...]] = Counter()
    for ref in references:
        most |= Counter(ngrams(ref, n))
    return sum(min(c, most[g]) for g, c in counts.items()), sum(counts.values())


def _brevity_penalty(references: Sequence[Sequence[str]], length: int) -> float:
    closest = min((len(r) for r in references), key=lambda r: (abs(r - length), r))
    return 1.0 if length > closest else math.exp(1 - closest / length)


def diversity(augmented: pd.DataFrame, *, text: str = "text",
              encoder: Encoder | None = None) -> pd.DataFrame:
    """Diversity figures of an augmentation, one row per TF chain and one for all.

    Parameters
    ----------
    augmented
        The output of :func:`textaug.augment` (or its CSV read back): the ``text`` column
        and the provenance columns. Without the originals (``keep_original=False``) the
        figures that compare with them are NaN.
    text
        The column holding the text.
    encoder
        Optional, adds ``cosine`` and ``spread``: an object with ``encode(list_of_texts)``
        returning one vector per text (e.g. a ``sentence_transformers.SentenceTransformer``),
        a callable doing the same, or a transformers model id or folder (mean pooling,
        loaded on first use). ``"sentence-transformers/all-MiniLM-L6-v2"`` loads the
        packaged copy when ``textaug[encoder]`` is installed, offline.

    Returns
    -------
    pandas.DataFrame
        Indexed by TF chain (``"(all)"`` last): ``variants``, ``distinct_1``,
        ``distinct_2``, ``self_bleu``, ``edit_distance`` and, with an encoder, ``cosine``
        and ``spread``. The input is not modified.
    """
    embed = None if encoder is None else _embedder(encoder)
    frame = _variants(augmented, text)
    per_variant = _per_variant(frame)
    if embed is not None:
        per_variant = per_variant.assign(**_embedding_columns(frame, embed))
    rows = {chain: _summary(frame[frame["chain"] == chain], per_variant)
            for chain in pd.unique(frame["chain"])}
    rows[ALL] = _summary(frame, per_variant)
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("tf")
    return table.astype({"variants": "int64"})


def _variants(augmented: pd.DataFrame, text: str) -> pd.DataFrame:
    """One row per variant: its text, tokens, chain, source and original's text."""
    missing = [c for c in (text, SOURCE, IS_ORIGINAL, TFS) if c not in augmented.columns]
    if missing:
        raise InvalidParameterError(
            f"diversity needs the output of textaug.augment: column(s) {missing} not in the "
            f"frame. Available columns: {list(augmented.columns)}.")
    original = is_original(augmented[IS_ORIGINAL])
    texts = augmented[text].map(as_text)
    by_source = dict(zip(augmented[SOURCE][original], texts[original], strict=True))
    variants = ~original
    return pd.DataFrame({
        "text": texts[variants].tolist(),
        "chain": augmented[TFS][variants].map(as_text).tolist(),
        "source": augmented[SOURCE][variants].tolist(),
        "original": [by_source.get(s) for s in augmented[SOURCE][variants]],
    })


def is_original(column: pd.Series) -> pd.Series:
    """``textaug_is_original`` as booleans, whether in memory or read back from CSV.

    Examples
    --------
    >>> is_original(pd.Series(["True", "False", True])).tolist()
    [True, False, True]
    """
    return column.map(lambda v: v.strip().lower() in ("true", "1") if isinstance(v, str)
                      else bool(v)).astype(bool)


def as_text(value: Any) -> str:
    """A cell as text: a missing value (None, NaN) is empty, anything else ``str``.

    Examples
    --------
    >>> as_text("a"), as_text(None), as_text(float("nan")), as_text(pd.NA), as_text(7)
    ('a', '', '', '', '7')
    """
    return value if isinstance(value, str) else "" if _missing(value) else str(value)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _per_variant(frame: pd.DataFrame) -> pd.DataFrame:
    """Each variant's self-BLEU against its row's other variants and edit distance."""
    words = frame["text"].map(tokens)
    bleu = pd.Series(math.nan, index=frame.index)
    for _, members in frame.groupby("source", sort=False).groups.items():
        for i in members:
            others = [words[j] for j in members if j != i]
            if others:
                bleu[i] = sentence_bleu(others, words[i])
    distance = [math.nan if o is None else edit_distance(tokens(o), w)
                for o, w in zip(frame["original"], words, strict=True)]
    return pd.DataFrame({"words": words, "self_bleu": bleu, "edit_distance": distance})


def _embedder(encoder: Encoder) -> Callable[[list[str]], np.ndarray]:
    """Unit-length embeddings, batched, by the validators' loader of ``encoder``."""
    from textaug.validators.semantic import DEFAULT_MODEL_ID, SemanticSimilarity

    check_param(isinstance(encoder, str | os.PathLike) or callable(encoder)
                or callable(getattr(encoder, "encode", None)), "diversity", "encoder",
                "an object with encode(texts), a callable or a model id or folder", encoder)
    similarity = SemanticSimilarity(None if encoder == DEFAULT_MODEL_ID else encoder)
    return lambda texts: similarity.embed(texts) if texts else np.empty((0, 0))


def _embedding_columns(frame: pd.DataFrame,
                       embed: Callable[[list[str]], np.ndarray]) -> dict[str, list[float]]:
    """Cosine to the original and squared distance to the row's variant centroid."""
    variants = _unit(embed(frame["text"].tolist()))
    known = [o is not None for o in frame["original"]]
    cosine = np.full(len(frame), np.nan)
    if any(known):
        unique = list(dict.fromkeys(o for o in frame["original"] if o is not None))
        at = {text: i for i, text in enumerate(unique)}
        originals = _unit(embed(unique))[[at[o] for o in frame["original"] if o is not None]]
        cosine[known] = np.sum(variants[known] * originals, axis=1)
    squared = np.full(len(frame), np.nan)
    for members in frame.groupby("source", sort=False).indices.values():
        if len(members) > 1:
            centre = variants[members].mean(axis=0)
            squared[members] = np.sum((variants[members] - centre) ** 2, axis=1)
    return {"cosine": cosine.tolist(), "squared": squared.tolist()}


def _unit(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=float)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.divide(array, norms, out=np.zeros_like(array), where=norms > 0)


def _summary(part: pd.DataFrame, per_variant: pd.DataFrame) -> dict[str, float]:
    values = per_variant.loc[part.index]
    words = values["words"].tolist()
    row = {"variants": float(len(part)), "distinct_1": distinct_n(words, 1),
           "distinct_2": distinct_n(words, 2), "self_bleu": _mean(values["self_bleu"]),
           "edit_distance": _mean(values["edit_distance"])}
    if "cosine" in values:
        row["cosine"] = _mean(values["cosine"])
        row["spread"] = math.sqrt(_mean(values["squared"]))
    return row


def _mean(values: pd.Series) -> float:
    known = values.dropna()
    return float(known.mean()) if len(known) else math.nan

