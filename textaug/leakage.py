"""The leakage guard: check given splits for rows of one that are (variants of) rows of another.

Four kinds of leak, checked across every pair of the given splits, each pair of rows
reported once under the first kind that fits:

``source``
    Rows of the same origin. A row's origin is its ``textaug_source`` (the key of the
    row it was augmented from) in an augmented split, its own key otherwise; a key is
    the value of the ``key`` column, or the index label. At least one of the two rows
    must come from an augmented split (two plain splits are compared by text only).
``exact``, ``normalized``
    Equal texts; equal after casefolding and collapsing whitespace.
``near_duplicate``
    Character 5-gram Jaccard similarity >= ``near_duplicates`` (MinHash LSH, each pair
    checked exactly; see :mod:`textaug.near_duplicates`).

Examples
--------
>>> import pandas as pd
>>> train = pd.DataFrame({"text": ["GANs for art", "BERT for legal text"]})
>>> test = pd.DataFrame({"text": ["gans for  ART", "Speech recognition"]})
>>> report = check_splits(train=train, test=test, raise_on_leak=False)
>>> report.ok, report.counts["normalized"]
(False, 1)
>>> check_splits(train=train, test=test)
Traceback (most recent call last):
...
textaug.errors.LeakageError: 1 leaking pair of rows across splits (normalized 1).
  normalized (jaccard 1.00): train row index 0 'GANs for art' <-> test row index 0 'gans for  ART'
Split the original rows first (textaug.split) and augment only the training split; ...
"""

from __future__ import annotations

import dataclasses
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from textaug._rng import key_text
from textaug.errors import ColumnNotFoundError, InvalidParameterError, LeakageError, check_param
from textaug.near_duplicates import near_duplicate_pairs, normalize
from textaug.records import SOURCE

KINDS = ("source", "exact", "normalized", "near_duplicate")
COLUMNS = ["kind", "split_a", "key_a", "split_b", "key_b", "jaccard", "text_a", "text_b"]
SHOWN = 10  # pairs listed in the error message


@dataclasses.dataclass(frozen=True, eq=False)
class LeakageReport:
    """The leaking pairs found by :func:`check_splits`, one row per pair of rows.

    ``pairs`` has the columns ``kind``, ``split_a``, ``key_a``, ``split_b``, ``key_b``,
    ``jaccard`` (the exact 5-gram similarity; NaN for ``source`` pairs), ``text_a``,
    ``text_b``; split a comes before split b in the order train, val, test.
    """

    pairs: pd.DataFrame
    key: str | None = None  # the key column, or None for index labels

    @property
    def ok(self) -> bool:
        """True when no pair leaks."""
        return self.pairs.empty

    @property
    def counts(self) -> dict[str, int]:
        """The number of pairs of each kind."""
        found = self.pairs["kind"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in KINDS}

    def __str__(self) -> str:
        if self.ok:
            return "No leakage across splits."
        total = len(self.pairs)
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.counts.items() if n)
        lines = [f"{total} leaking pair{'s' * (total != 1)} of rows across splits ({kinds})."]
        if total > SHOWN:
            lines[0] += f" First {SHOWN}:"
        lines += [_describe(row, self.key)
                  for row in self.pairs.head(SHOWN).itertuples(index=False)]
        lines.append("Split the original rows first (textaug.split) and augment only the "
                     "training split; or drop or move the rows listed.")
        return "\n".join(lines)


def check_splits(
    train: pd.DataFrame | None = None,
    val: pd.DataFrame | None = None,
    test: pd.DataFrame | None = None,
    *,
    text: str = "text",
    key: str | None = None,
    near_duplicates: float | None = 0.8,
    raise_on_leak: bool = True,
) -> LeakageReport:
    """Check that no row of one split is (a variant of) a row of another.

    Parameters
    ----------
    train, val, test
        The splits; at least two. None of them is modified.
    text
        The text column, in every split.
    key
        Column of row keys, in every split; None uses the index labels.
    near_duplicates
        Jaccard threshold for near-duplicate texts; None checks equal texts only.
    raise_on_leak
        Raise :class:`~textaug.errors.LeakageError` listing the pairs when any leak;
        otherwise return the report either way.
    """
    check_param(near_duplicates is None or (isinstance(near_duplicates, float | int)
                                            and 0 < near_duplicates <= 1),
                "check_splits", "near_duplicates", "None or a Jaccard threshold in (0, 1]",
                near_duplicates)
    given = {name: df for name, df in (("train", train), ("val", val), ("test", test))
             if df is not None}
    if len(given) < 2:
        raise InvalidParameterError(
            f"check_splits() compares splits, so it needs at least two; got {list(given)}. "
            "Pass e.g. check_splits(train=train, test=test).")
    splits = [_Split.of(name, df, text, key) for name, df in given.items()]
    found = []
    for a, b in combinations(splits, 2):
        found += [_source_pairs(a, b), _text_pairs(a, b)]
        if near_duplicates is not None:
            found.append(_near_pairs(a, b, float(near_duplicates)))
    report = LeakageReport(_finish(found, {s.name: s for s in splits}), key)
    if raise_on_leak and not report.ok:
        raise LeakageError(str(report))
    return report


@dataclasses.dataclass
class _Split:
    name: str
    keys: list[Any]
    texts: list[str]
    norms: list[str]
    origins: list[str] | None  # None for a split without provenance

    @classmethod
    def of(cls, name: str, df: Any, text: str, key: str | None) -> _Split:
        if not isinstance(df, pd.DataFrame):
            raise InvalidParameterError(
                f"The {name} split must be a pandas DataFrame. Got {type(df).__name__}.")
        for role, column in (("Text", text), ("Key", key)):
            if column is not None and column not in df.columns:
                raise ColumnNotFoundError(
                    f"{role} column {column!r} not in the {name} split. Available columns: "
                    f"{list(df.columns)}. Pass {role.lower()}='...' naming a column every "
                    "split has.")
        keys = df[key].tolist() if key else df.index.tolist()
        texts = df[text].tolist()
        bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
        if bad:
            shown = ", ".join(f"{keys[i]!r}: {texts[i]!r}" for i in bad[:5])
            raise InvalidParameterError(
                f"Text column {text!r} of the {name} split has {len(bad)} non-string values "
                f"(rows {shown}). Drop or fill them first, e.g. df.dropna(subset=[{text!r}]).")
        origins = None
        if SOURCE in df.columns:
            origins = [key_text(k if _missing(s) else s)
                       for k, s in zip(keys, df[SOURCE].tolist(), strict=True)]
        return cls(name, keys, texts, [normalize(t) for t in texts], origins)

    def own_origins(self) -> list[str]:
        return self.origins if self.origins is not None else [key_text(k) for k in self.keys]


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _source_pairs(a: _Split, b: _Split) -> pd.DataFrame:
    if a.origins is None and b.origins is None:
        return _pairs("source", a, b, [], [])
    merged = _rows(a.own_origins()).merge(_rows(b.own_origins()), on="value")
    return _pairs("source", a, b, merged["pos_x"], merged["pos_y"])


def _text_pairs(a: _Split, b: _Split) -> pd.DataFrame:
    merged = _rows(a.norms).merge(_rows(b.norms), on="value")
    pos_a, pos_b = merged["pos_x"].tolist(), merged["pos_y"].tolist()
    exact = [a.texts[i] == b.texts[j] for i, j in zip(pos_a, pos_b, strict=True)]
    out = _pairs("exact", a, b, pos_a, pos_b, jaccard=1.0)
    out["kind"] = ["exact" if same else "normalized" for same in exact]
    return out


def _near_pairs(a: _Split, b: _Split, threshold: float) -> pd.DataFrame:
    codes_a, unique_a = pd.factorize(pd.Series(a.norms, dtype=object))
    codes_b, unique_b = pd.factorize(pd.Series(b.norms, dtype=object))
    found = pd.DataFrame(near_duplicate_pairs(list(unique_a), list(unique_b), threshold),
                         columns=["code_a", "code_b", "jaccard"])
    merged = (found.merge(pd.DataFrame({"code_a": codes_a, "pos_a": range(len(codes_a))}))
              .merge(pd.DataFrame({"code_b": codes_b, "pos_b": range(len(codes_b))})))
    return _pairs("near_duplicate", a, b, merged["pos_a"], merged["pos_b"],
                  jaccard=merged["jaccard"].tolist())


def _rows(values: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"value": values, "pos": range(len(values))})


def _pairs(kind: str, a: _Split, b: _Split, pos_a: Any, pos_b: Any,
           jaccard: Any = float("nan")) -> pd.DataFrame:
    return pd.DataFrame({"kind": kind, "split_a": a.name, "pos_a": np.asarray(pos_a, dtype=int),
                         "split_b": b.name, "pos_b": np.asarray(pos_b, dtype=int),
                         "jaccard": jaccard})


def _finish(found: list[pd.DataFrame], splits: dict[str, _Split]) -> pd.DataFrame:
    """One row per pair of rows, under the first kind that fits, with keys and texts."""
    found = [frame for frame in found if len(frame)]
    if not found:
        return pd.DataFrame({column: [] for column in COLUMNS}, dtype=object)
    pairs = pd.concat(found, ignore_index=True)
    pairs["rank"] = pairs["kind"].map(KINDS.index)
    order = {name: i for i, name in enumerate(splits)}
    pairs["order_a"], pairs["order_b"] = pairs["split_a"].map(order), pairs["split_b"].map(order)
    pairs = (pairs.sort_values(["rank", "order_a", "order_b", "pos_a", "pos_b"])
             .drop_duplicates(["split_a", "pos_a", "split_b", "pos_b"])
             .reset_index(drop=True))
    for side in ("a", "b"):
        where = list(zip(pairs[f"split_{side}"], pairs[f"pos_{side}"], strict=True))
        pairs[f"key_{side}"] = [splits[name].keys[pos] for name, pos in where]
        pairs[f"text_{side}"] = [splits[name].texts[pos] for name, pos in where]
    return pairs[COLUMNS]


def _describe(row: Any, key: str | None) -> str:
    similarity = "" if row.kind in ("source", "exact") else f" (jaccard {row.jaccard:.2f})"
    name = f"{key}=" if key else "index "
    return (f"  {row.kind}{similarity}: {row.split_a} row {name}{row.key_a!r} "
            f"{_excerpt(row.text_a)} <-> {row.split_b} row {name}{row.key_b!r} "
            f"{_excerpt(row.text_b)}")


def _excerpt(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[:width - 3] + "...")
